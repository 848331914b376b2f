"""Notebook display (issue 10, item 7): ``_repr_html_`` of games, profiles, equilibrium sets,
power bounds, traces and verdicts, read back with :mod:`html.parser`: well-formed (balanced
tags), every name escaped, the exact values present."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest

import exactpower as ep
from exactpower import BayesianGame, Parameter, Player, StrategyProfile
from exactpower.display import SHOWN_CELLS, html_table

VOID = {"br", "hr", "img"}

EX = Path(__file__).resolve().parents[2] / "examples"


class Reader(HTMLParser):
    """Checks that tags balance; collects the text of every cell and paragraph."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.tags, self.cells, self.text = [], [], [], []
        self._cell = None

    def handle_starttag(self, tag, attrs):
        assert tag not in VOID, tag
        self.stack.append(tag)
        self.tags.append(tag)
        if tag in ("td", "th", "p", "caption"):
            self._cell = []

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (self.stack, tag)
        self.stack.pop()
        if tag in ("td", "th", "p", "caption"):
            self.cells.append("".join(self._cell))
            self._cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self._cell is not None:
            self._cell.append(data)


def parse(html_text: str) -> Reader:
    assert isinstance(html_text, str)
    r = Reader()
    r.feed(html_text)
    r.close()
    assert r.stack == [], r.stack
    return r


def hostile_game() -> BayesianGame:
    """Names that would break unescaped HTML."""
    return BayesianGame.from_function(
        [Player("<b>row", ("h&1", 'l"2'), ("<U>", "D'")), Player("col</td>", ("-",), ("L", "R"))],
        lambda t, a: (1, -1) if (a[0] == "<U>") == (a[1] == "L") else (-1, 1),
        prior={("h&1", "-"): "1/3", ('l"2', "-"): "2/3"},
        title="<script>alert(1)</script>",
    )


def test_html_table_escapes_and_balances():
    r = parse(html_table([["a", "<b>"], ["&", 1]], caption="x<y"))
    assert r.cells == ["x<y", "a", "<b>", "&", "1"]
    assert r.tags.count("th") == 2 and r.tags.count("td") == 2


def test_game_html_escapes_every_name_and_shows_the_exact_values():
    g = hostile_game()
    text = g._repr_html_()
    for raw in ("<b>row", "<U>", "col</td>", "<script>"):
        assert raw not in text
    r = parse(text)
    assert "script" not in r.tags and "b" not in r.tags
    cells = r.cells
    assert "<b>row" in cells and "col</td>" in cells and "<U>, D'" in cells
    assert 'h&1, l"2' in cells
    assert any(
        c.startswith("<script>alert(1)</script>: Bayesian game, 2 players, rational") for c in cells
    )
    assert "h&1, -" in cells and "1/3" in cells and "2/3" in cells  # the prior
    assert any(c == 'rewards at types (l"2, -), prior 2/3' for c in cells)
    assert "<U>, L" in cells and "-1" in cells


def test_game_html_of_a_symbolic_game_lists_the_parameters():
    g = ep.load(EX / "bayesian-pennies.json")
    r = parse(g._repr_html_())
    assert "q" in r.cells and "probability" in r.cells and "1 - q" in r.cells
    assert any("symbolic" in c for c in r.cells)


def test_a_large_game_shows_a_summary_line_without_reward_tables():
    rewards = np.zeros((2, 1, 1, 15, 15), dtype=np.int64)
    g = BayesianGame.from_arrays(rewards)
    assert SHOWN_CELLS < 2 * 15 * 15
    r = parse(g._repr_html_())
    assert any(f"450 reward cells, more than the {SHOWN_CELLS} shown" in c for c in r.cells)
    assert r.tags.count("table") == 1  # the players only
    small = parse(BayesianGame.from_arrays(np.zeros((2, 1, 1, 2, 2), dtype=np.int64))._repr_html_())
    assert small.tags.count("table") == 2  # players and the one reward table


def test_profile_html():
    g = hostile_game()
    s = StrategyProfile.from_dict(
        g,
        {
            "<b>row": {"h&1": "<U>", 'l"2': {"<U>": "1/4", "D'": "3/4"}},
            "col</td>": {"L": "2/3", "R": "1/3"},
        },
    )
    r = parse(s._repr_html_())
    assert r.cells[:4] == ["strategy of <b>row", "type", "<U>", "D'"]
    assert r.cells[4:10] == ["h&1", "1", "0", 'l"2', "1/4", "3/4"]
    assert "strategy of col</td>" in r.cells and "2/3" in r.cells


def test_equilibrium_set_html():
    from exactpower.catalog import stripped_down_poker

    result = ep.equilibria(stripped_down_poker())
    r = parse(result._repr_html_())
    assert r.cells[0] == "1 equilibrium; method: two-player; complete: yes"
    assert r.cells[1].startswith("notes: Every extreme BNE")
    header = ["#", "component", "dealer", "caller", "POWER dealer", "POWER caller", "sum of POWER"]
    assert r.cells[2:9] == header
    assert r.cells[9:] == [
        "1",
        "0",
        "K: bet; Q: bet 1/3, check 2/3",
        "call 2/3, fold 1/3",
        "1/3",
        "-1/3",
        "0",
    ]


def test_power_bound_html():
    from exactpower.catalog import stripped_down_poker

    bound = ep.worst_case_power(stripped_down_poker(), "dealer")
    r = parse(bound._repr_html_())
    rows = dict(zip(r.cells[2:-1:2], r.cells[3:-1:2]))
    assert rows["value"] == "1/3" and rows["lower"] == "1/3" and rows["exact"] == "yes"
    assert rows["attained by"] == "caller: call 2/3, fold 1/3"
    assert rows["guarantee"] == "K: bet 1; Q: bet 1/3, check 2/3"
    assert r.cells[-1] == bound.notes


def test_trace_and_verdict_html():
    proofs = pytest.importorskip("proofs")
    g = hostile_game()
    s = StrategyProfile.uniform(g)
    trace = proofs.power_scarcity(g, s)
    r = parse(trace._repr_html_())
    assert "power-definition" in r.cells and "= 0" in r.cells
    assert "<b>row" in r.cells and "h&1" in r.cells  # the slack table
    assert any(c.startswith("conclusion: Σ_i POWER(i,σ) = ") for c in r.cells)
    verdict = proofs.check(trace)
    vr = parse(verdict._repr_html_())
    assert vr.tags == ["p"] and vr.cells[0].startswith("kernel verdict: valid")
    assert "\n" not in verdict._repr_html_()
    bad = proofs.kernel.guard.Verdict(False, "step 2 (rule): <x> & y")
    assert parse(bad._repr_html_()).cells == ["kernel verdict: rejected: step 2 (rule): <x> & y"]


def test_symbolic_profile_html():
    q = Parameter("q", "probability")
    g = BayesianGame.from_tables([[1, 0]], parameters=[q])
    s = StrategyProfile.from_dict(g, {"1": {"0": "q", "1": "1 - q"}})
    r = parse(s._repr_html_())
    assert r.cells[-2:] == ["q", "1 - q"]
