"""Exact equilibria: records, the three methods on published games, pure BNE
against brute force, two-player sets against their own identities, the command.

Gambit as an external oracle is in ``test_equilibria_gambit.py``; the
polynomial method and irrational equilibria in ``test_equilibria_poly.py``.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import (
    BayesianGame,
    Equilibrium,
    EquilibriumSet,
    Parameter,
    Player,
    StrategyProfile,
    dumps,
    equilibria,
    is_bayesian_nash,
    power,
)
from exactpower.catalog import stripped_down_poker
from exactpower.cli import main
from exactpower.equilibria.pure import pure_equilibria
from exactpower.errors import GameStructureError
from exactpower.testing import bayesian_games

ROOT = Path(__file__).resolve().parents[2]
R = sympy.Rational


def strategies(result):
    """The profiles of an EquilibriumSet as nested tuples of Rationals."""
    return [e.profile.strategies for e in result]


def pure_profile(game, choice):
    return StrategyProfile.from_arrays(
        game,
        [
            np.array([[int(a == c) for a in range(len(p.actions))] for c in cs], dtype=object)
            for p, cs in zip(game.players, choice)
        ],
    )


# -- records -----------------------------------------------------------------------------


def test_records_are_frozen_and_exact():
    g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    result = equilibria(g)
    assert isinstance(result, EquilibriumSet) and isinstance(result[0], Equilibrium)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.method = "x"
    with pytest.raises(dataclasses.FrozenInstanceError):
        result[0].component = 3
    assert isinstance(result.equilibria, tuple) and isinstance(result[0].power, tuple)
    assert result.method == "two-player" and result.complete is True
    assert all(
        isinstance(v, sympy.Rational) for row in result[0].profile.strategies[0] for v in row
    )
    assert result[0].power == (0, 0) and result[0].power_sum == 0
    assert len(result) == 1 and list(result) == [result[0]]


def test_errors():
    g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    with pytest.raises(GameStructureError, match="unknown method 'lemke'"):
        equilibria(g, method="lemke")
    with pytest.raises(GameStructureError, match="max_support"):
        equilibria(g, method="polynomial", max_support=0)
    x = Parameter("x")
    sym = BayesianGame.from_tables([[[x.symbol, 0], [0, 1]], [[1, 0], [0, 1]]], parameters=[x])
    with pytest.raises(GameStructureError, match="rational games only"):
        equilibria(sym)
    three = BayesianGame.from_tables([np.zeros((2, 2, 2), dtype=int).tolist()] * 3)
    with pytest.raises(GameStructureError, match="needs 2 players"):
        equilibria(three, method="two-player")
    with pytest.raises(TypeError):
        equilibria("game.json")


# -- published games -----------------------------------------------------------------------


def von_stengel(b00_b01):
    """von Stengel (2002, 2007): A = [[3,3],[2,5],[0,6]], B = [[b00,b01],[2,6],[3,1]]."""
    return BayesianGame.from_tables([[[3, 3], [2, 5], [0, 6]], [list(b00_b01), [2, 6], [3, 1]]])


def test_von_stengel_nondegenerate():
    # B[0] = (3, 2): the nondegenerate game of von Stengel's chapter, three equilibria.
    result = equilibria(von_stengel((3, 2)))
    assert strategies(result) == [
        (((1, 0, 0),), ((1, 0),)),
        (((R(4, 5), R(1, 5), 0),), ((R(2, 3), R(1, 3)),)),
        (((0, R(1, 3), R(2, 3)),), ((R(1, 3), R(2, 3)),)),
    ]
    assert [e.component for e in result] == [0, 1, 2]


def test_von_stengel_degenerate_components():
    # B[0] = (3, 3): player 2 is indifferent against row 1; extreme equilibria
    # ((1,0,0),(1,0)) and ((1,0,0),(2/3,1/3)) span a segment of equilibria.
    game = von_stengel((3, 3))
    result = equilibria(game)
    assert strategies(result) == [
        (((1, 0, 0),), ((1, 0),)),
        (((1, 0, 0),), ((R(2, 3), R(1, 3)),)),
        (((0, R(1, 3), R(2, 3)),), ((R(1, 3), R(2, 3)),)),
    ]
    assert [e.component for e in result] == [0, 0, 1]
    assert "2 components" in result.notes
    # Every point of the segment is an equilibrium; beyond its end it is not.
    for q in (R(1, 4), R(1, 3), R(1, 2)):
        s = StrategyProfile.from_dict(game, {"1": "0", "2": {"0": 1 - q, "1": q}})
        assert is_bayesian_nash(game, s) == (q <= R(1, 3))


def test_degenerate_zero_game_is_one_component():
    game = BayesianGame.from_tables([[[0, 0], [0, 0]], [[0, 0], [0, 0]]])
    result = equilibria(game)
    assert len(result) == 4 and {e.component for e in result} == {0}


def test_stripped_down_poker():
    # Reiley, Urbancic and Walker (2008): bet K, bluff Q 1/3; call 2/3; value 1/3.
    result = equilibria(stripped_down_poker())
    assert len(result) == 1
    assert result[0].profile.strategies == (((1, 0), (R(1, 3), R(2, 3))), ((R(2, 3), R(1, 3)),))
    assert result[0].power == (R(1, 3), R(-1, 3))


def test_prisoners_dilemma_pure_and_two_player_agree():
    pd = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    assert strategies(equilibria(pd, method="pure")) == [(((0, 1),), ((0, 1),))]
    assert strategies(equilibria(pd)) == [(((0, 1),), ((0, 1),))]


def test_zero_probability_types_play_their_first_action():
    # The seller's type "lemon" has probability 0 (haggling example).
    game = BayesianGame.from_function(
        [Player("s", ("good", "lemon"), ("hi", "lo")), Player("b", ("-",), ("buy", "pass"))],
        lambda t, a: (2, 1) if a == ("lo", "buy") else (1, 0) if a[1] == "buy" else (0, 0),
        prior={("good", "-"): 1},
    )
    for method in ("pure", "two-player", "polynomial"):
        result = equilibria(game, method=method)
        assert result.equilibria, method
        for e in result:
            assert e.profile.strategies[0][1] == (1, 0), method
        assert "s:lemon" in result.notes and "first action" in result.notes


def test_one_player_game():
    game = BayesianGame.from_function(
        [Player("solo", ("x", "y"), ("a", "b"))],
        lambda t, a: (1,) if (t[0] == "x") == (a[0] == "a") or t[0] == "y" else (0,),
    )
    result = equilibria(game)
    assert result.method == "pure" and result.complete
    # Type y is indifferent: two extreme points of one component.
    assert strategies(result) == [(((1, 0), (1, 0)),), (((1, 0), (0, 1)),)]
    assert {e.component for e in result} == {0}


# -- pure BNE against brute force ------------------------------------------------------------


def _is_dummy(game, i: int, k: int) -> bool:
    """Whether every action of agent ``(i, k)`` gives every player the same reward at every
    type profile of positive probability with ``t_i = k``."""
    prior = np.asarray(game.prior.numerators, dtype=object)
    rewards = np.asarray(game.rewards.numerators, dtype=object)
    n = game.n_players
    for t in itertools.product(*(range(s) for s in game.type_shape)):
        if t[i] != k or prior[t] == 0:
            continue
        for j in range(n):
            table = rewards[(j, *t)]
            for a in itertools.product(*(range(s) for s in game.action_shape)):
                if table[a] != table[a[:i] + (0,) + a[i + 1 :]]:
                    return False
    return True


def brute_force_pure(game):
    """Every pure BNE: all profiles of positive-probability types, first action elsewhere
    and, in games of 3+ players, for dummy agents (whose action changes no reward: the
    solvers list each equilibrium once, with the dummies' first action, instead of once per
    dummy action; games of 1 or 2 players keep them, see ``pure._dummies``)."""
    n = game.n_players
    choices = []
    for i, p in enumerate(game.players):
        per_type = []
        for k in range(len(p.types)):
            dummy = n >= 3 and _is_dummy(game, i, k)
            free = game.marginal(i, k) != 0 and not dummy
            per_type.append(range(len(p.actions)) if free else [0])
        choices.append(list(itertools.product(*per_type)))
    found = []
    for choice in itertools.product(*choices):
        profile = pure_profile(game, choice)
        if is_bayesian_nash(game, profile):
            found.append(profile.strategies)
    assert n == len(choices)
    return sorted(found)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bayesian_games(
        min_players=3,
        max_players=4,
        max_types=2,
        min_actions=2,
        max_actions=2,
        rewards=st.integers(-1, 1),
        max_cells=256,
    )
)
def test_pure_matches_brute_force_many_players(game):
    ours = sorted(strategies(equilibria(game, method="pure")))
    assert ours == brute_force_pure(game), dumps(game)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bayesian_games(
        min_players=2, max_players=3, max_types=3, min_actions=2, max_actions=3, max_cells=256
    )
)
def test_pure_matches_brute_force_more_types(game):
    ours = sorted(strategies(equilibria(game, method="pure")))
    assert ours == brute_force_pure(game), dumps(game)


def test_pure_search_prunes():
    # A dominance-solvable 4-player game with 3 types and 3 actions each: 3^12 pure
    # profiles, solved without enumerating them.
    rng = np.random.default_rng(5)
    rewards = rng.integers(-5, 6, size=(4, 3, 3, 3, 3, 3, 3, 3, 3))
    rewards[:, :, :, :, :, 2] += 20  # action 2 strictly dominant for every type
    rewards[1, ..., 2, :, :] += 20
    rewards[2, ..., 2, :] += 20
    rewards[3, ..., 2] += 20
    game = BayesianGame.from_arrays(rewards)
    found = pure_equilibria(game)
    assert len(found) == 1
    assert [w.tolist() for w in found[0]] == [[[0, 0, 1]] * 3] * 4


# -- two players: identities -------------------------------------------------------------------

small_two_player = bayesian_games(
    min_players=2,
    max_players=2,
    max_types=3,
    min_actions=2,
    max_actions=3,
    rewards=st.integers(-1, 1),
    max_cells=400,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(small_two_player)
def test_two_player_equilibria_are_equilibria(game):
    result = equilibria(game)
    assert result.method == "two-player" and result.complete
    assert result.equilibria, f"every finite game has an equilibrium\n{dumps(game)}"
    seen = set()
    for e in result:
        assert is_bayesian_nash(game, e.profile), dumps(game)
        assert e.power == tuple(power(game, e.profile, i) for i in range(2))
        key = e.profile.strategies
        assert key not in seen
        seen.add(key)
    # Pure equilibria are extreme: each is in the set.
    for s in strategies(equilibria(game, method="pure")):
        assert s in seen, dumps(game)
    # Extreme equilibria sharing one player's strategy are joined by a segment of
    # equilibria, hence in one component.
    eqs = list(result)
    for e, f in itertools.combinations(eqs, 2):
        for same in (0, 1):
            if e.profile.strategies[same] == f.profile.strategies[same]:
                assert e.component == f.component, dumps(game)
                mid = StrategyProfile(
                    game.players,
                    tuple(
                        tuple(tuple((u + v) / 2 for u, v in zip(r1, r2)) for r1, r2 in zip(s1, s2))
                        for s1, s2 in zip(e.profile.strategies, f.profile.strategies)
                    ),
                )
                assert is_bayesian_nash(game, mid), dumps(game)


generic_two_player = bayesian_games(
    min_players=2,
    max_players=2,
    max_types=2,
    min_actions=2,
    max_actions=3,
    rewards=st.integers(-(10**6), 10**6),
    prior="independent",
    max_cells=144,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(generic_two_player)
def test_two_player_agrees_with_support_enumeration(game):
    # Two independent algorithms: vertex enumeration, and support enumeration with
    # polynomial (here: linear) systems.  Random large payoffs make the game
    # nondegenerate, where the equilibria are isolated and the sets must agree.
    poly = equilibria(game, method="polynomial")
    if not poly.complete:
        return  # a degenerate draw: support enumeration does not claim the full set
    ours = sorted(strategies(equilibria(game)))
    assert ours == sorted(strategies(poly)), dumps(game)


# -- the command ------------------------------------------------------------------------------


def test_cli_json(capsys, tmp_path):
    path = tmp_path / "vs.json"
    path.write_text(dumps(von_stengel((3, 3))))
    assert main(["equilibria", str(path), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) == {"method", "complete", "notes", "equilibria"}
    assert doc["method"] == "two-player" and doc["complete"] is True
    assert [e["component"] for e in doc["equilibria"]] == [0, 0, 1]
    first = doc["equilibria"][1]
    assert set(first) == {"profile", "power", "power_sum", "component"}
    assert first["profile"] == {
        "format": "exactpower/profile-v1",
        "strategies": {"1": {"-": "0"}, "2": {"-": {"0": "2/3", "1": "1/3"}}},
    }
    assert first["power"] == {"1": "3", "2": "3"} and first["power_sum"] == "6"


def test_cli_text_and_methods(capsys):
    assert main(["equilibria", str(ROOT / "examples" / "poker.json")]) == 0
    out = capsys.readouterr().out
    assert "method: two-player; 1 equilibrium; complete: yes" in out
    assert "dealer: K: bet; Q: bet 1/3, check 2/3   POWER 1/3" in out
    assert (
        main(["equilibria", str(ROOT / "examples" / "poker.json"), "--method", "pure", "--json"])
        == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["method"] == "pure" and doc["equilibria"] == []


def test_cli_errors(capsys):
    assert main(["equilibria", "no-such-file.json"]) == 2
    assert "no-such-file.json" in capsys.readouterr().err
    bayesian = str(ROOT / "examples" / "bayesian-pennies.json")
    assert main(["equilibria", bayesian]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "bayesian-pennies.json: equilibria:" in err
    assert main(["equilibria", str(ROOT / "examples" / "poker.json"), "--method", "x"]) == 2
    capsys.readouterr()
    assert (
        main(["equilibria", str(ROOT / "examples" / "odd-one-out.json"), "--method", "two-player"])
        == 2
    )
    assert "needs 2 players" in capsys.readouterr().err


def test_cli_three_players(capsys):
    assert main(["equilibria", str(ROOT / "examples" / "odd-one-out.json"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["method"] == "polynomial"
    assert all(e["component"] is None for e in doc["equilibria"])
    assert any(e["power_sum"] == "3" for e in doc["equilibria"])
