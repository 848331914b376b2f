"""Gambit interchange: .nfg and .efg, both ways, checked against pygambit.

* round trips json -> nfg -> json (both .nfg forms) and json -> efg -> json are
  exact (``dumps`` equal), on hypothesis-generated games (normal-form games for
  .nfg; Bayesian games with correlated priors and zero-probability type
  profiles for .efg);
* pygambit reads what we write, and its payoffs agree exactly;
* we read what pygambit writes, and Gambit's catalog games that are normal-form
  or of Bayesian shape (their strategic forms agree with pygambit's payoffs);
  the other catalog trees are refused with a clear error;
* malformed files raise a GameError naming line and column; the command line
  exits 2 with one line.
"""

from __future__ import annotations

import dataclasses
import glob
import io
import itertools
import json
import os
import re
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import BayesianGame, Player, dumps, loads
from exactpower.catalog import stripped_down_poker
from exactpower.cli import main
from exactpower.errors import GameError, GameStructureError, LimitError
from exactpower.io import (
    GambitFormatError,
    UnsupportedTreeError,
    from_efg,
    from_gambit,
    from_nfg,
    to_efg,
    to_nfg,
)
from exactpower.testing import bayesian_games

from optional import require

gbt = require("pygambit")

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")
CATALOG = os.path.join(os.path.dirname(gbt.__file__), "catalog_data")
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def fraction(value) -> Fraction:
    if isinstance(value, sympy.Basic):
        q = sympy.Rational(value)
        return Fraction(int(q.p), int(q.q))
    return Fraction(value)  # pygambit Rational (a Fraction) or Decimal, exactly


def rational_payoff(value) -> Fraction:
    assert not isinstance(value, float), value
    return Fraction(value)


# -- helpers on pygambit games ----------------------------------------------------------


def gambit_table(gambit_game) -> dict:
    """{strategy index profile: [payoffs]} of a pygambit strategic game."""
    players = list(gambit_game.players)
    out = {}
    for idx in itertools.product(*(range(len(p.strategies)) for p in players)):
        outcome = gambit_game[idx]
        out[idx] = [
            Fraction(0) if outcome is None else rational_payoff(outcome[p]) for p in players
        ]
    return out


def assert_nfg_agrees(game: BayesianGame, gambit_game) -> None:
    players = list(gambit_game.players)
    assert [p.label for p in players] == [p.name for p in game.players]
    assert [[s.label for s in p.strategies] for p in players] == [
        list(p.actions) for p in game.players
    ]
    origin = (0,) * game.n_players
    for idx, payoffs in gambit_table(gambit_game).items():
        assert payoffs == [fraction(game.reward(i, origin, idx)) for i in range(game.n_players)]


def gambit_efg_payoffs(gambit_game, game: BayesianGame) -> dict:
    """{(t, a): [payoffs]} from Gambit's tree of our export (chance branch t, then actions)."""
    players = list(gambit_game.players)
    out = {}
    branches = list(gambit_game.root.children)
    probs = [a.prob for a in gambit_game.root.infoset.actions]
    assert [rational_payoff(p) for p in probs] == [
        fraction(game.probability(t)) for t in game.type_profiles
    ]
    for t, branch in zip(game.type_profiles, branches):
        for a in game.action_profiles:
            node = branch
            for k in a:
                node = list(node.children)[k]
            out[(t, a)] = [node_payoff(node, p) for p in players]
    return out


def node_payoff(node, player) -> Fraction:
    """The payoff of ``player`` in the outcome at ``node`` (0 for no outcome)."""
    outcome = node.outcome
    if outcome is None:
        return Fraction(0)
    try:
        return rational_payoff(outcome[player])
    except KeyError:  # pygambit 16.7: a node without outcome may give a view that raises
        return Fraction(0)


def pure_profile_payoffs(gambit_game) -> list:
    """[(choice per infoset, [payoff per player])] for every pure behaviour profile."""
    players = list(gambit_game.players)
    infosets = [h for p in players for h in p.infosets]
    profile = gambit_game.mixed_behavior_profile(rational=True)
    out = []
    for choice in itertools.product(*(range(len(h.actions)) for h in infosets)):
        for h, c in zip(infosets, choice):
            profile[h] = [Fraction(int(k == c)) for k in range(len(h.actions))]
        out.append(
            (dict(zip(infosets, choice)), [rational_payoff(profile.payoff(p)) for p in players])
        )
    return out


def ex_ante(game: BayesianGame, strategy) -> list:
    """Σ_t Ω(t) r_i(t, s(t)) for a pure strategy s[i][type index] = action index."""
    totals = [Fraction(0)] * game.n_players
    for t in game.support:
        a = tuple(strategy[i][k] for i, k in enumerate(t))
        p = fraction(game.probability(t))
        for i in range(game.n_players):
            totals[i] += p * fraction(game.reward(i, t, a))
    return totals


def file_infoset_ids(text: str) -> list:
    """(player, file infoset id) of every personal node, in the file's (pre)order."""
    return [
        (int(m.group(1)), int(m.group(2)))
        for m in re.finditer(r'^p\s+"(?:[^"\\]|\\.)*"\s+(\d+)\s+(\d+)', text, re.M)
    ]


def gambit_preorder(node):
    yield node
    for child in node.children:
        yield from gambit_preorder(child)


def assert_strategic_forms_agree(text: str, game: BayesianGame) -> None:
    """Every pure behaviour profile gives the same payoffs in Gambit's tree and in our game."""
    gambit_game = gbt.read_efg(io.StringIO(text))
    players = list(gambit_game.players)
    personal = [
        node
        for node in gambit_preorder(gambit_game.root)
        if not node.is_terminal and not node.player.is_chance
    ]
    ids = file_infoset_ids(text)
    assert len(ids) == len(personal)
    file_id = {}
    for node, (_player, number) in zip(personal, ids):
        file_id[(node.player.label, node.infoset.number)] = number
    sorted_ids = {}
    for (label, _), number in file_id.items():
        sorted_ids.setdefault(label, set()).add(number)
    checked = 0
    for choice, payoffs in pure_profile_payoffs(gambit_game):
        strategy = [[0] * len(p.types) for p in game.players]
        for h, c in choice.items():
            i = [p.label for p in players].index(h.player.label)
            number = file_id[(h.player.label, h.number)]
            strategy[i][sorted(sorted_ids[h.player.label]).index(number)] = c
        assert ex_ante(game, strategy) == payoffs, (choice, payoffs)
        checked += 1
    assert checked


# -- .nfg round trips ----------------------------------------------------------------------


def _one_type(game: BayesianGame) -> BayesianGame:
    """The same normal-form game with the conventional single type ``"-"`` (what .nfg reads)."""
    players = [Player(p.name, ("-",), p.actions) for p in game.players]
    origin = (0,) * game.n_players

    def rewards(_t, a):
        index = tuple(p.actions.index(x) for p, x in zip(game.players, a))
        return [game.reward(i, origin, index) for i in range(game.n_players)]

    return BayesianGame.from_function(players, rewards)


normal_form_games = bayesian_games(
    min_players=1, max_players=3, max_types=1, max_actions=4, max_cells=64
).map(_one_type)


@SETTINGS
@given(normal_form_games, st.sampled_from(["outcome", "payoff"]))
def test_nfg_round_trip_is_exact(game, form):
    text = to_nfg(game, form=form)
    back = from_nfg(text)
    assert dumps(back) == dumps(game)
    # and through the JSON text as well: json -> nfg -> json
    assert dumps(from_nfg(to_nfg(loads(dumps(game)), form=form))) == dumps(game)


@SETTINGS
@given(normal_form_games, st.sampled_from(["outcome", "payoff"]))
def test_pygambit_reads_our_nfg(game, form):
    gambit_game = gbt.read_nfg(io.StringIO(to_nfg(game, form=form)))
    assert_nfg_agrees(game, gambit_game)


@SETTINGS
@given(normal_form_games)
def test_we_read_nfg_written_by_pygambit(game):
    # Gambit re-writes our file in its own (outcome) form
    gambit_game = gbt.read_nfg(io.StringIO(to_nfg(game, form="payoff")))
    back = from_nfg(gambit_game.to_nfg())
    assert dumps(back) == dumps(game)


def test_we_read_pygambit_from_arrays():
    a = np.array([[Fraction(1, 3), 2, -1], [0, Fraction(-5, 2), 7]], dtype=object)
    b = np.array([[4, 0, 0], [Fraction(1, 7), 1, -3]], dtype=object)
    gambit_game = gbt.Game.from_arrays(a, b, title="from arrays")
    game = from_nfg(gambit_game.to_nfg())
    assert game.title == "from arrays"
    assert game.action_shape == (2, 3)
    for r in range(2):
        for c in range(3):
            assert fraction(game.reward(0, (0, 0), (r, c))) == a[r, c]
            assert fraction(game.reward(1, (0, 0), (r, c))) == b[r, c]
    assert_nfg_agrees(game, gambit_game)


def test_nfg_payoff_form_and_outcome_form_read_the_same_game():
    payoff = 'NFG 1 R "PD" { "A" "B" } { 2 2 }\n""\n3 3 5 0 0 5 1 1\n'
    outcome = (
        'NFG 1 R "PD" { "A" "B" } { { "1" "2" } { "1" "2" } }\n""\n'
        '{ { "cc" 3, 3 } { "dc" 5, 0 } { "cd" 0 5 } { "dd" 1, 1 } }\n1 2 3 4\n'
    )
    assert dumps(from_nfg(payoff)) == dumps(from_nfg(outcome))
    g = from_nfg(payoff)
    assert g.reward(0, (0, 0), (1, 0)) == 5 and g.reward(1, (0, 0), (1, 0)) == 0


def test_nfg_numbers_are_exact_and_agree_with_pygambit():
    text = 'NFG 1 R "t" { "a" "" "" } { 2 1 2 }\n1 2.5 .3 4 5 6 7 8 9 -10 11 12e-1\n'
    game = from_nfg(text)
    assert [p.name for p in game.players] == ["a", "_1", "_2"]
    assert game.reward(1, (0, 0, 0), (0, 0, 0)) == sympy.Rational(5, 2)
    assert game.reward(2, (0, 0, 0), (0, 0, 0)) == sympy.Rational(3, 10)
    assert game.reward(2, (0, 0, 0), (1, 0, 1)) == sympy.Rational(6, 5)
    assert_nfg_agrees(game, gbt.read_nfg(io.StringIO(text)))
    # a leading '+' is a number to Gambit's lexer too (its number parser refuses it; we do not)
    assert from_nfg(text.replace(" 11 ", " +11 ")).reward(1, (0, 0, 0), (1, 0, 1)) == 11


def test_nfg_null_outcome_is_zero():
    text = 'NFG 1 R "t" { "a" "b" } { { "x" "x" } { "" } }\n{ { "o" 1 2 } }\n1 0\n'
    game = from_nfg(text)
    # labels normalised as Gambit does: repeated "x" -> x_1, x_2; empty -> _1
    assert game.players[0].actions == ("x_1", "x_2") and game.players[1].actions == ("_1",)
    assert game.reward(0, (0, 0), (1, 0)) == 0 and game.reward(1, (0, 0), (0, 0)) == 2
    assert_nfg_agrees(game, gbt.read_nfg(io.StringIO(text)))


def test_to_nfg_refuses_types_unless_strategic_form():
    poker = stripped_down_poker()
    with pytest.raises(GameStructureError, match="strategic_form=True"):
        to_nfg(poker)


def test_induced_strategic_form():
    poker = stripped_down_poker()
    game = from_nfg(to_nfg(poker, strategic_form=True))
    assert game.players[0].actions == ("bet/bet", "bet/check", "check/bet", "check/check")
    for s, combo in enumerate(itertools.product(range(2), repeat=2)):
        for c in range(2):
            expected = ex_ante(poker, [list(combo), [c]])
            assert [fraction(game.reward(i, (0, 0), (s, c))) for i in range(2)] == expected
    # pygambit agrees
    assert_nfg_agrees(
        game, gbt.read_nfg(io.StringIO(to_nfg(poker, strategic_form=True, form="payoff")))
    )


def test_symbolic_games_are_refused():
    game = loads(Path(os.path.join(EXAMPLES, "scaled-pennies.json")).read_text())
    with pytest.raises(GameStructureError, match="symbolic"):
        to_nfg(game)
    with pytest.raises(GameStructureError, match="symbolic"):
        to_efg(game)


def test_names_with_quotes_and_backslashes_round_trip():
    game = BayesianGame.from_tables(
        [[[1, 2]], [[3, 4]]],
        names=('say "hi"', "back\\slash"),
        actions=[('a\\"b',), ('x"', "y")],
        title='t "q"',
    )
    assert dumps(from_nfg(to_nfg(game))) == dumps(game)
    assert dumps(from_efg(to_efg(game))) == dumps(game)


# -- .efg round trips --------------------------------------------------------------------

bayesian = bayesian_games(
    min_players=1, max_players=3, max_types=3, max_actions=3, max_cells=96, prior="correlated"
)


@SETTINGS
@given(bayesian)
def test_efg_round_trip_is_exact(game):
    assert dumps(from_efg(to_efg(game))) == dumps(game)
    assert dumps(from_efg(to_efg(loads(dumps(game))))) == dumps(game)


@SETTINGS
@given(bayesian)
def test_pygambit_reads_our_efg(game):
    gambit_game = gbt.read_efg(io.StringIO(to_efg(game)))
    payoffs = gambit_efg_payoffs(gambit_game, game)
    for (t, a), values in payoffs.items():
        expected = [game.reward(i, t, a) for i in range(game.n_players)]
        assert values == [Fraction(0) if v is None else fraction(v) for v in expected]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bayesian)
def test_we_read_efg_rewritten_by_pygambit(game):
    # Gambit writes action lists at every node and its own outcome numbering
    rewritten = gbt.read_efg(io.StringIO(to_efg(game))).to_efg()
    assert dumps(from_efg(rewritten)) == dumps(game)


def test_efg_zero_probability_profiles():
    """Unset rewards at probability-0 type profiles stay unset; set ones keep their values."""
    players = [Player("a", ("x", "y"), ("0", "1")), Player("b", ("u", "v"), ("0",))]
    prior = {("x", "u"): "1/2", ("y", "v"): "1/2"}
    game = BayesianGame.from_function(
        players, lambda t, a: (1, -1) if a[0] == "0" else (0, 2), prior=prior
    )
    assert game.reward(0, (0, 1), (0, 0)) is None
    text = to_efg(game)
    assert 'c "" 1 "" { "x,u" 1/2 "x,v" 0 "y,u" 0 "y,v" 1/2 } 0' in text
    back = from_efg(text)
    assert back.reward(0, (0, 1), (0, 0)) is None and back.probability((0, 1)) == 0
    assert dumps(back) == dumps(game)
    # a file whose rewards at a probability-0 profile are all set keeps them
    doc = json.loads(dumps(game))
    doc["rewards"].append({"types": ["x", "v"], "actions": ["*", "*"], "values": [7, 8]})
    with_zero = loads(json.dumps(doc))
    assert with_zero.reward(1, (0, 1), (1, 0)) == 8
    assert dumps(from_efg(to_efg(with_zero))) == dumps(with_zero)


def test_efg_partially_unset_zero_probability_cell_is_the_documented_loss():
    doc = {
        "format": "exactpower/game-v1",
        "players": [
            {"name": "a", "types": ["x", "y"], "actions": ["0"]},
            {"name": "b", "actions": ["0"]},
        ],
        "prior": {"joint": [[["x", "-"], 1]]},
        "rewards": [
            {"types": ["x", "-"], "actions": ["*", "*"], "values": [1, 2]},
            {"player": "a", "types": ["y", "-"], "actions": ["*", "*"], "value": 5},
        ],
    }
    game = loads(json.dumps(doc))
    assert game.reward(1, (1, 0), (0, 0)) is None
    back = from_efg(to_efg(game))
    assert back.reward(0, (1, 0), (0, 0)) == 5
    assert back.reward(1, (1, 0), (0, 0)) == 0  # written as 0: Gambit has no unset payoff


def undeclared(game: BayesianGame) -> BayesianGame:
    """``game`` without its declared ``constant_sum``, which .nfg and .efg cannot carry."""
    return dataclasses.replace(game, declared_constant_sum=None)


def test_efg_of_the_examples_round_trip():
    for path in sorted(glob.glob(os.path.join(EXAMPLES, "*.json"))):
        if b'"exactpower/game-v1"' not in Path(path).read_bytes():
            continue  # a profile, or a game tree (tests/cli/test_cli_trees.py)
        doc = loads(Path(path).read_bytes(), source=path)
        if not isinstance(doc, BayesianGame) or doc.is_symbolic:
            continue
        doc = undeclared(doc)  # Gambit files have no place for a declared constant_sum
        assert dumps(from_efg(to_efg(doc))) == dumps(doc), path
        if all(len(p.types) == 1 for p in doc.players):
            assert dumps(from_nfg(to_nfg(doc))) == dumps(doc), path


def test_untitled_game_round_trips_without_title_but_the_default_title_is_kept_otherwise():
    game = BayesianGame.from_tables([[1, 2]])
    assert from_efg(to_efg(game)).title is None
    assert from_efg(to_efg(game, title="exactpower Bayesian game")).title is None
    text = to_efg(game).replace("Exported by exactpower", "Written by hand")
    assert from_efg(text).title == "exactpower Bayesian game"
    assert from_efg(to_efg(game, title="mine")).title == "mine"


# -- reading general Bayesian-shaped trees --------------------------------------------------

BAYES2 = """EFG 2 R "two chance moves" { "P1" "P2" }
""
c "" 1 "" { "1G" 1/3 "1B" 2/3 } 0
c "" 2 "" { "2g" 1/2 "2b" 0.5 } 0
p "" 1 1 "G" { "H" "L" } 0
p "" 2 1 "g" { "h" "l" } 0
t "" 1 "o1" { 10, 2 }
t "" 2 "o2" { 0, 10 }
p "" 2 1 "g" { "h" "l" } 0
t "" 3 "o3" { 2, 4 }
t "" 4 "o4" { 4, 0 }
p "" 1 1 0
p "" 2 2 "b" { "h" "l" } 0
t "" 4
t "" 3
p "" 2 2 0
t "" 2
t "" 1
c "" 2 0
p "" 1 2 "B" { "H" "L" } 5 "bonus" { 1, 0 }
p "" 2 1 0
t "" 1
t "" 1
p "" 2 1 0
t "" 0
t "" 2
p "" 1 2 0
p "" 2 2 0
t "" 3
t "" 3
p "" 2 2 0
t "" 4
t "" 4
"""


def test_nested_chance_moves_and_outcomes_on_inner_nodes():
    game = from_efg(BAYES2, source="bayes2.efg")
    assert [p.types for p in game.players] == [("G", "B"), ("g", "b")]
    assert [game.probability(t) for t in game.type_profiles] == [
        sympy.Rational(1, 6),
        sympy.Rational(1, 6),
        sympy.Rational(1, 3),
        sympy.Rational(1, 3),
    ]
    # type B carries the bonus outcome (1, 0) on its node, added to every terminal below it
    assert game.reward(0, (1, 0), (1, 0)) == 1  # null outcome + bonus
    assert game.reward(0, (1, 0), (0, 0)) == 11
    assert game.reward(1, (0, 1), (0, 0)) == 0  # o4 = (4, 0)
    assert_strategic_forms_agree(BAYES2, game)


def test_a_player_who_does_not_move_in_some_chance_outcomes_gets_a_no_move_type():
    text = Path(os.path.join(CATALOG, "conf", "itcs", "jakobsen2016", "fig1b.efg")).read_text()
    game = from_efg(text)
    assert game.players[0].types == ("1", "-")
    assert_strategic_forms_agree(text, game)


def test_myerson_poker_from_the_catalog_is_our_poker():
    """Myerson's one-card poker (Fig. 2.1) is exactly our stripped-down poker.

    (Reiley et al.'s version in the catalog differs: there a fold loses 1 even with a king.)
    """
    from exactpower import best_case_power, worst_case_power

    text = Path(os.path.join(CATALOG, "books", "myerson1991", "fig2_1.efg")).read_text()
    game = from_efg(text)
    poker = stripped_down_poker()
    for ours, theirs in zip(game.players, poker.players):
        assert best_case_power(game, ours.name).value == best_case_power(poker, theirs.name).value
        assert worst_case_power(game, ours.name).value == worst_case_power(poker, theirs.name).value
    for t in poker.type_profiles:
        for a in poker.action_profiles:
            assert [game.reward(i, t, a) for i in range(2)] == [
                poker.reward(i, t, a) for i in range(2)
            ]


SUPPORTED_EFG = {
    "books/myerson1991/fig2_1.efg",
    "books/shohamleytonbrown2008/fig5_11.efg",
    "books/shohamleytonbrown2008/fig5_15.efg",
    "books/shohamleytonbrown2008/fig6_8.efg",
    "conf/itcs/jakobsen2016/fig1a.efg",
    "conf/itcs/jakobsen2016/fig1b.efg",
    "conf/itcs/jakobsen2016/fig1c.efg",
    "conf/itcs/jakobsen2016/fig3.efg",
    "journals/ijgt/selten1975/fig1.efg",
    "journals/other/reiley2008/fig1.efg",
}


def catalog_files(ext):
    return sorted(
        os.path.relpath(p, CATALOG)
        for p in glob.glob(os.path.join(CATALOG, "**", f"*.{ext}"), recursive=True)
    )


@pytest.mark.parametrize("name", catalog_files("nfg"))
def test_catalog_nfg_games_load_and_agree_with_pygambit(name):
    path = os.path.join(CATALOG, name)
    game = from_nfg(Path(path).read_bytes(), source=name)
    assert_nfg_agrees(game, gbt.read_nfg(path))
    assert dumps(from_nfg(to_nfg(game))) == dumps(game)


@pytest.mark.parametrize("name", catalog_files("efg"))
def test_catalog_efg_games_of_bayesian_shape_load(name):
    text = Path(os.path.join(CATALOG, name)).read_text(encoding="utf-8")
    if name not in SUPPORTED_EFG:
        with pytest.raises(UnsupportedTreeError, match=r"line \d+ column \d+: unsupported tree"):
            from_efg(text, source=name)
        return
    game = from_efg(text, source=name)
    assert_strategic_forms_agree(text, game)
    assert dumps(from_efg(to_efg(game))) == dumps(game)


def test_shoham_leyton_brown_bayesian_game():
    text = Path(os.path.join(CATALOG, "books", "shohamleytonbrown2008", "fig6_8.efg")).read_text()
    game = from_efg(text)
    assert [p.types for p in game.players] == [("1", "2"), ("3", "4")]
    assert all(game.probability(t) == sympy.Rational(1, 4) for t in game.type_profiles)


# -- errors -----------------------------------------------------------------------------------

BAD_FILES = [
    ("", "expected 'NFG' at the start"),
    ('NFG 2 R "x" { "a" } { 1 } 0', "expected version 1"),
    ('NFG 1 X "x" { "a" } { 1 } 0', "data type"),
    ('NFG 1 R x { "a" } { 1 } 0', "title"),
    ('NFG 1 R "x" { } { } ', "no players"),
    ('NFG 1 R "x" { "a" } { 0 } ', "has no strategies"),
    ('NFG 1 R "x" { "a" } { 2 } 1', "got the end of the file"),
    ('NFG 1 R "x" { "a" } { 1 } 1 2', "expected the end of the file, got '2'"),
    ('NFG 1 R "x" { "a" } { 1 } 1/0', "divides by zero"),
    ('NFG 1 R "x" { "a" } { 1 } 1x', "malformed number '1x'"),
    ('NFG 1 R "x" { "a" } { 1 } -', "malformed number '-'"),
    ('NFG 1 R "x" { "a" } { 1 } 1e999', "MAX_DECIMAL_EXPONENT"),
    ('NFG 1 R "x" { "a" } { 1 } { { "o" 1 } } 2', "outcome 2 of profile 1 is not defined"),
    ('NFG 1 R "x" { "a" } { 1 } { { "o" } } 1', "payoff of player 'a' in outcome 1"),
    ('NFG 1 R "x" { "a" } { { "*" } } 0', "'*' is reserved"),
    ('NFG 1 R "x { "a" } { 1 } 0', "not closed"),
    ('EFG 2 R "x" { "a" } ""', "no tree"),
    ('EFG 2 R "x" { "a" } "" p "" 1 1 "" { "l" "r" } 0 t "" 0', "ends before the tree is complete"),
    ('EFG 2 R "x" { "a" } "" p "" 2 1 "" { "l" } 0 t "" 0', "player 2 does not exist"),
    ('EFG 2 R "x" { "a" } "" p "" 1 1 0 t "" 0', "used before it is defined"),
    ('EFG 2 R "x" { "a" } "" t "" 3', "outcome 3 is used before it is defined"),
    ('EFG 2 R "x" { "a" } "" c "" 1 "" { "h" 1/2 "t" 1/3 } 0 t "" 0 t "" 0', "sum to 5/6"),
    ('EFG 2 R "x" { "a" } "" c "" 1 "" { "h" 3/2 "t" -1/2 } 0 t "" 0 t "" 0', "not in [0, 1]"),
    (
        'EFG 2 R "x" { "a" } "" p "" 1 1 "" { "l" "r" } 0 t "" 1 "o" { 1 } t "" 1 "p" { 1 }',
        "does not match its definition",
    ),
    ('EFG 2 R "x" { "a" } "" t "" 0 t "" 0', "the tree is complete"),
    ('EFG 2 R "x" { "a" } "" q "" 0', "expected a node"),
    ('EFG 2 R "x" { "a" } "" t "" 0 "lbl" { 1 }', "null outcome 0 cannot have"),
]


@pytest.mark.parametrize("text, message", BAD_FILES)
def test_bad_files_name_line_and_column(text, message):
    error = LimitError if "MAX_" in message else GambitFormatError
    with pytest.raises(
        error,
        match=r"^bad: line \d+ column \d+: .*" + re.escape(message)
        if text
        else "expected 'NFG' or 'EFG'",
    ):
        (from_gambit if not text else (from_nfg if text.startswith("NFG") else from_efg))(
            text, source="bad"
        )


def test_unsupported_trees_are_named():
    chance_after_move = (
        'EFG 2 R "x" { "a" } ""\np "" 1 1 "" { "l" "r" } 0\n'
        'c "" 1 "" { "h" 1/2 "t" 1/2 } 0\nt "" 0\nt "" 0\nt "" 0\n'
    )
    with pytest.raises(
        UnsupportedTreeError,
        match="line 3 column 1: unsupported tree: a chance node below a player's move",
    ):
        from_efg(chance_after_move, source="bad")
    twice = (
        'EFG 2 R "x" { "a" } ""\np "" 1 1 "" { "l" "r" } 0\np "" 1 2 "" { "l" "r" } 0\n'
        't "" 0\nt "" 0\nt "" 0\n'
    )
    with pytest.raises(UnsupportedTreeError, match="moves twice on one path"):
        from_efg(twice, source="bad")
    actions = (
        'EFG 2 R "x" { "a" } ""\nc "" 1 "" { "h" 1/2 "t" 1/2 } 0\n'
        'p "" 1 1 "" { "l" "r" } 0\nt "" 0\nt "" 0\np "" 1 2 "" { "u" "d" } 0\n'
        't "" 0\nt "" 0\n'
    )
    with pytest.raises(UnsupportedTreeError, match="same actions in every type"):
        from_efg(actions, source="bad")


def test_limits():
    names = " ".join(f'"p{k}"' for k in range(16))
    with pytest.raises(LimitError, match="MAX_PLAYERS"):
        from_nfg(f'NFG 1 R "x" {{ {names} }} {{ {" ".join("1" * 16)} }} 0')
    with pytest.raises(LimitError, match="MAX_NAME_LENGTH"):
        from_nfg('NFG 1 R "x" { "' + "a" * 101 + '" } { 1 } 0')
    with pytest.raises(LimitError, match="MAX_FILE_CELLS"):
        from_nfg('NFG 1 R "x" { "a" "b" } { 2000 2000 } 0')
    with pytest.raises(LimitError, match="MAX_DIGITS"):
        from_nfg('NFG 1 R "x" { "a" } { 1 } ' + "1" * 101)


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_files_raise_game_errors_only(data):
    base = data.draw(
        st.sampled_from(
            [
                to_nfg(stripped_down_poker(), strategic_form=True),
                to_nfg(stripped_down_poker(), strategic_form=True, form="payoff"),
                to_efg(stripped_down_poker()),
                BAYES2,
            ]
        )
    )
    tokens = base.split(" ")
    k = data.draw(st.integers(0, len(tokens) - 1))
    action = data.draw(st.sampled_from(["delete", "duplicate", "replace"]))
    if action == "delete":
        del tokens[k]
    elif action == "duplicate":
        tokens.insert(k, tokens[k])
    else:
        tokens[k] = data.draw(
            st.sampled_from(
                ['"', "{", "}", "0", "-1/0", "x", "1.5e3", '""', "9", ",", "p", "t", "c"]
            )
        )
    try:
        from_gambit(" ".join(tokens), source="mutated")
    except GameError as e:
        assert str(e).startswith("mutated: "), e
        assert "\n" not in str(e).strip() or "line" in str(e)


# -- command line --------------------------------------------------------------------------


def test_cli_convert_round_trip(tmp_path, capsys):
    src = os.path.join(EXAMPLES, "poker.json")
    efg, back = tmp_path / "poker.efg", tmp_path / "back.json"
    assert main(["convert", src, str(efg)]) == 0
    capsys.readouterr()
    assert main(["convert", str(efg), str(back), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["output"] == str(back) and doc["players"] == ["dealer", "caller"]
    assert back.read_text() == dumps(undeclared(loads(Path(src).read_text())))
    nfg = tmp_path / "mp.nfg"
    assert (
        main(
            [
                "convert",
                os.path.join(EXAMPLES, "matching-pennies.json"),
                str(nfg),
                "--nfg-form",
                "payoff",
            ]
        )
        == 0
    )
    gambit_game = gbt.read_nfg(str(nfg))
    assert_nfg_agrees(from_nfg(nfg.read_text()), gambit_game)


def test_cli_convert_strategic_form(tmp_path, capsys):
    src = os.path.join(EXAMPLES, "poker.json")
    assert main(["convert", src, str(tmp_path / "p.nfg")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--strategic-form" in err
    assert main(["convert", src, str(tmp_path / "p.nfg"), "--strategic-form", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["players"] == ["dealer", "caller"]


@pytest.mark.parametrize(
    "content, name",
    [
        ('NFG 1 R "x" { "a" } { 2 } 1 }', "bad.nfg"),
        ('EFG 2 R "x" { "a" } "" p "" 1 1 "" { "l" "r" } 0 t "" 0', "bad.efg"),
        ('{"format": "exactpower/game-v1"}', "bad.json"),
        ("whatever", "bad.txt"),
    ],
)
def test_cli_bad_files_exit_2_with_one_line(tmp_path, capsys, content, name):
    path = tmp_path / name
    path.write_text(content)
    for argv in (["convert", str(path), str(tmp_path / "out.json")], ["power-bounds", str(path)]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err.startswith("exactpower: error: ") and err.count("\n") == 1, err
        assert str(path) in err


def test_cli_unsupported_output_and_same_file(tmp_path, capsys):
    src = os.path.join(EXAMPLES, "poker.json")
    assert main(["convert", src, str(tmp_path / "x.gbt")]) == 2
    assert "extension" in capsys.readouterr().err
    copy = tmp_path / "p.json"
    copy.write_text(Path(src).read_text())
    assert main(["convert", str(copy), str(copy)]) == 2
    assert "overwrite" in capsys.readouterr().err
