"""``exactpower.report``: the one record of a game at a profile, as ``power`` prints it and
Jupyter displays it (HTML checked with a parser)."""

from __future__ import annotations

import dataclasses
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
import sympy

import exactpower as ep
from exactpower.cli import main
from exactpower.io import load_game, load_profile

EX = Path(__file__).resolve().parents[2] / "examples"
PAIRS = [
    ("matching-pennies", "matching-pennies-pure"),
    ("poker", "poker-equilibrium"),
    ("haggling", "haggling-profile"),
    ("odd-one-out", "odd-one-out-uniform"),
    ("scaled-pennies", "scaled-pennies-pure"),
    ("bayesian-pennies", "bayesian-pennies-profile"),
    ("coordination", "coordination-bad"),
]


def inputs(game_name, profile_name):
    game = load_game(EX / f"{game_name}.json")
    return game, load_profile(EX / f"{profile_name}.json", game)


def power_json(capsys, *argv):
    assert main(["power", *argv, "--json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    return json.loads(out.out)


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_report_is_what_power_json_prints(capsys, game_name, profile_name):
    game, profile = inputs(game_name, profile_name)
    record = ep.report(game, profile)
    printed = power_json(
        capsys, str(EX / f"{game_name}.json"), "--profile", str(EX / f"{profile_name}.json")
    )
    assert record.to_data() == printed
    assert list(record.to_data()) == list(printed)


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_report_values_are_the_library_values(game_name, profile_name):
    game, profile = inputs(game_name, profile_name)
    r = ep.report(game, profile)
    assert isinstance(r, ep.Report)
    assert r.players == tuple(p.name for p in game.players)
    for p in game.players:
        assert r.power[p.name] == ep.power(game, profile, p.name)
        assert isinstance(r.power[p.name], sympy.Expr)
        assert r.regret[p.name] == ep.regrets(game, profile, p.name)
    assert r.nash_conv == ep.nash_conv(game, profile)
    assert r.welfare == ep.welfare(game, profile)
    assert r.constant_sum == ep.constant_sum(game).constant
    try:
        expected = ep.is_bayesian_nash(game, profile)
    except ep.UndecidedError:
        expected = None
    assert r.is_equilibrium is expected


def test_report_is_frozen_and_exact():
    game, profile = inputs("poker", "poker-honest")
    r = ep.report(game, profile)
    with pytest.raises(dataclasses.FrozenInstanceError):
        r.nash_conv = 0  # type: ignore[misc]
    assert r.power == {"dealer": sympy.Rational(1, 2), "caller": 0}
    assert isinstance(r.power["dealer"], sympy.Rational)
    assert r.nash_conv == sympy.Rational(1, 2) and r.is_equilibrium is False
    assert r.best["dealer"]["K"] == ("bet",)
    assert r.interim["caller"]["-"] == {"call": sympy.Rational(-1, 2), "fold": 0}
    assert r.best["caller"]["-"] == ("fold",) and r.regret["caller"]["-"] == sympy.Rational(1, 2)


def test_zero_probability_type_is_none():
    r = ep.report(*inputs("haggling", "haggling-profile"))
    assert r.interim["seller"]["lemon"] == {"high": None, "low": None}
    assert r.regret["seller"]["lemon"] is None and r.best["seller"]["lemon"] is None
    assert r.type_probability["seller"]["lemon"] == 0


class _Checker(HTMLParser):
    """Records the text and checks that every tag is closed in order."""

    VOID = frozenset({"br", "hr", "img", "meta", "input", "col"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.text, self.cells, self.tags = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack)
        self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)
        if self.stack and self.stack[-1] in ("td", "th"):
            self.cells.append(data)


def parse(markup: str) -> _Checker:
    checker = _Checker()
    checker.feed(markup)
    checker.close()
    assert checker.stack == [], checker.stack
    return checker


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_html_is_well_formed_and_holds_the_values(game_name, profile_name):
    game, profile = inputs(game_name, profile_name)
    r = ep.report(game, profile)
    page = parse(r._repr_html_())
    assert page.tags.count("table") == game.n_players + 1
    cells = set(page.cells)
    for p in game.players:
        assert p.name in cells
        assert set(p.types) <= cells
        assert f"POWER {p.name}" in cells
        assert str(r.power[p.name]) in cells
    for label in ("sum of POWER", "welfare", "NashConv", "BNE", "constant sum"):
        assert label in cells
    assert str(r.power_sum) in cells and str(r.nash_conv) in cells


def test_html_escapes_names():
    game = ep.BayesianGame.from_tables([[[1, 0], [0, 1]], [[0, 1], [1, 0]]])
    tricky = json.loads(ep.dumps(game))
    tricky["players"][0]["name"] = "<b>&x"
    game = ep.loads(json.dumps(tricky))
    page = parse(ep.report(game, ep.StrategyProfile.uniform(game))._repr_html_())
    assert "<b>&x" in page.cells and "b" not in page.tags
