"""Best-case and worst-case POWER (exactpower.bounds).

Hand-checked values (derivations in docs/power-bounds.md), brute-force checks
of the branch and bound, property tests ``best ≥ POWER(σ) ≥ worst`` on
hypothesis-generated games, witnesses re-checked, the exact simplex, the
command line.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import (
    BayesianGame,
    GameError,
    Player,
    PowerBound,
    StrategyProfile,
    best_case_power,
    power,
    worst_case_power,
)
from exactpower.catalog import stripped_down_poker
from exactpower.cli import main
from exactpower.contraction import interim_table
from exactpower.errors import LimitError
from exactpower.io import load_game
from exactpower.linalg.simplex import simplex_min as _simplex_min
from exactpower.testing import games_with_profiles

EXAMPLES = os.path.join(os.path.dirname(__file__), os.pardir, os.pardir, "examples")
R = sympy.Rational


def example(name):
    return load_game(os.path.join(EXAMPLES, name))


def matching_pennies():
    return BayesianGame.from_tables(
        [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], names=("row", "col"), actions=("HT", "HT")
    )


# -- hand-checked values ------------------------------------------------------------------

HAND = {
    # file: {player: (best, worst)}; worst None = only bounds, given separately
    "matching-pennies.json": {"row": (1, 0), "col": (1, 0)},
    "poker.json": {"dealer": (1, R(1, 3)), "caller": (R(1, 2), R(-1, 3))},
    "coordination.json": {"alice": (2, R(2, 3)), "bert": (2, R(2, 3))},
    "haggling.json": {"seller": (R(7, 3), R(-5, 12)), "buyer": (R(11, 12), R(5, 12))},
    "odd-one-out.json": {"ann": (2, None), "bob": (2, None), "cat": (R(9, 4), R(1, 2))},
    "irrational-three-player.json": {"Ann": (3, None), "Bob": (4, 0), "Cat": (5, 0)},
}


@pytest.mark.parametrize("name", sorted(HAND))
def test_hand_checked_values(name):
    game = example(name)
    for player, (best, worst) in HAND[name].items():
        b = best_case_power(game, player)
        w = worst_case_power(game, player)
        assert b.exact and b.value == best and b.lower == b.upper == best
        if worst is None:
            assert not w.exact and w.value is None
        else:
            assert w.exact and w.value == worst, (player, w)
        # the witnesses attain what they claim
        assert power(game, b.profile(game), player) == b.value
        assert power(game, w.profile(game), player) == w.upper


def test_odd_one_out_bounds_for_ann_and_bob():
    """Three players: POWER⁻ of ann lies in [7/16, 1/2]; 1/2 is attained by a pure profile."""
    game = example("odd-one-out.json")
    for player in ("ann", "bob"):
        w = worst_case_power(game, player)
        assert (w.lower, w.upper) == (R(7, 16), R(1, 2))
        assert w.method == "pure-minimum / correlated-lp-bound"
        assert "correlated" in w.notes
        assert dict(w.guarantee["-"]) == {"L": R(1, 2), "R": R(1, 2)}


def test_matching_pennies_witnesses():
    game = matching_pennies()
    b = best_case_power(game, "row")
    assert b.attained_by == {"col": {"-": {"H": 1}}}
    w = worst_case_power(game, "col")
    assert w.attained_by == {"row": {"-": {"H": R(1, 2), "T": R(1, 2)}}}
    assert w.guarantee == {"-": {"H": R(1, 2), "T": R(1, 2)}}
    assert w.method == "exact-lp"


def test_poker_witnesses_are_the_equilibrium():
    poker = stripped_down_poker()
    w = worst_case_power(poker, "caller")
    assert w.attained_by == {"dealer": {"K": {"bet": 1}, "Q": {"bet": R(1, 3), "check": R(2, 3)}}}
    assert w.guarantee == {"-": {"call": R(2, 3), "fold": R(1, 3)}}
    b = best_case_power(poker, "dealer")
    assert b.attained_by == {"caller": {"-": {"fold": 1}}}


def test_one_player_game_both_equal_power():
    game = BayesianGame.from_function(
        [Player("solo", ("a", "b"), ("x", "y", "z"))],
        lambda t, a: [{"a": {"x": 1, "y": 0, "z": -1}, "b": {"x": 0, "y": 3, "z": 2}}[t[0]][a[0]]],
        prior={("a",): "1/3", ("b",): "2/3"},
    )
    p = power(game, StrategyProfile.uniform(game), "solo")
    assert p == R(1, 3) + 2
    for f in (best_case_power, worst_case_power):
        bound = f(game, "solo")
        assert bound.exact and bound.value == p and bound.method == "no-opponents"
        assert bound.attained_by == {}


def test_symbolic_games_are_refused():
    game = example("scaled-pennies.json")
    for f in (best_case_power, worst_case_power):
        with pytest.raises(GameError, match="power bounds need a rational game"):
            f(game, "row")


def test_unknown_player():
    with pytest.raises(GameError, match="unknown player"):
        best_case_power(matching_pennies(), "nobody")


def test_power_bound_is_immutable_and_serialises():
    b = worst_case_power(stripped_down_poker(), "dealer")
    with pytest.raises(dataclasses.FrozenInstanceError):
        b.value = 0
    with pytest.raises(TypeError):
        b.attained_by["caller"] = {}
    with pytest.raises(TypeError):
        b.attained_by["caller"]["-"]["call"] = 1
    doc = b.to_dict()
    assert json.loads(json.dumps(doc)) == doc
    assert doc["value"] == "1/3" and doc["attained_by"]["caller"]["-"] == {
        "call": "2/3",
        "fold": "1/3",
    }
    assert "value=1/3" in repr(b)
    with pytest.raises(ValueError):
        PowerBound("x", "best", R(1), R(0), R(1), True, "m")


def test_max_nodes_limit():
    rng = np.random.default_rng(5)
    game = BayesianGame.from_arrays(rng.integers(-3, 4, size=(2, 3, 4, 2, 3)))  # 30 nodes
    with pytest.raises(LimitError, match="max_nodes"):
        best_case_power(game, 0, max_nodes=10)
    assert best_case_power(game, 0, max_nodes=None).exact
    # three players: a stopped pure-minimum search still gives a valid upper bound
    game3 = BayesianGame.from_arrays(rng.integers(-3, 4, size=(3, 1, 3, 3, 2, 3, 3)))
    full = worst_case_power(game3, 0)
    stopped = worst_case_power(game3, 0, max_nodes=1)
    assert stopped.lower == full.lower and stopped.upper >= full.upper
    assert power(game3, stopped.profile(game3), 0) == stopped.upper
    assert "stopped" in stopped.notes or stopped.upper == full.upper


def test_zero_probability_types():
    """Types of probability 0 change nothing; they play their first action in the witnesses."""
    players = [Player("a", ("x", "y"), ("0", "1")), Player("b", ("u", "v"), ("0", "1"))]
    prior = {("x", "u"): "1/2", ("x", "v"): "1/2"}
    game = BayesianGame.from_function(
        players, lambda t, a: (int(a[0] == a[1]), int(a[0] != a[1])), prior=prior
    )
    b = best_case_power(game, "a")
    assert b.value == 1
    w = worst_case_power(game, "a")
    assert w.value == R(1, 2)
    assert w.guarantee["y"] == {"0": 1}


def test_coordinate_descent_tightens_the_upper_bound():
    game = example("irrational-three-player.json")
    plain = worst_case_power(game, "Ann", descend=False)
    better = worst_case_power(game, "Ann")
    assert better.lower == plain.lower == 1
    assert better.upper == R(17, 14) < plain.upper == R(7, 4)
    assert better.method == "lp-coordinate-descent / correlated-lp-bound"
    assert power(game, better.profile(game), "Ann") == better.upper


# -- brute force ----------------------------------------------------------------------------


def pure_opponent_profiles(game, i):
    me = game.players[i]
    others = [p for j, p in enumerate(game.players) if j != i]
    for choice in itertools.product(
        *(itertools.product(p.actions, repeat=len(p.types)) for p in others)
    ):
        strategies = {p.name: dict(zip(p.types, c)) for p, c in zip(others, choice)}
        strategies[me.name] = dict.fromkeys(me.types, me.actions[0])
        yield StrategyProfile.from_dict(game, strategies)


def own_expected(game, i, own, profile):
    """E[r_i] when i plays ``own`` ({type: {action: p}}) and the others as in ``profile``."""
    table = interim_table(game, profile, i)
    me = game.players[i]
    total = sympy.Integer(0)
    for k, t in enumerate(me.types):
        for a, p in own[t].items():
            total += p * table.value((k, me.actions.index(a)))
    return total


small_games = games_with_profiles(max_players=3, max_types=2, max_actions=3, max_cells=72)
SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@SETTINGS
@given(small_games, st.data())
def test_best_case_is_the_maximum_over_pure_profiles(pair, data):
    game, _ = pair
    i = data.draw(st.integers(0, game.n_players - 1))
    b = best_case_power(game, i)
    values = [power(game, s, i) for s in pure_opponent_profiles(game, i)]
    assert b.value == max(values)


@SETTINGS
@given(small_games, st.data())
def test_pure_minimum_is_the_minimum_over_pure_profiles(pair, data):
    game, _ = pair
    i = data.draw(st.integers(0, game.n_players - 1))
    w = worst_case_power(game, i)
    pure_min = min(power(game, s, i) for s in pure_opponent_profiles(game, i))
    assert w.upper <= pure_min
    if game.n_players >= 3 and w.method.startswith("pure-minimum"):
        assert w.upper == pure_min


@SETTINGS
@given(games_with_profiles(max_players=3, max_types=3, max_actions=3, max_cells=128), st.data())
def test_best_at_least_power_at_least_worst(pair, data):
    game, profile = pair
    i = data.draw(st.integers(0, game.n_players - 1))
    b = best_case_power(game, i)
    w = worst_case_power(game, i)
    p = power(game, profile, i)
    assert b.value >= p >= w.lower
    assert w.lower <= w.upper <= b.value
    if game.n_players <= 2:
        assert w.exact and w.value == w.lower == w.upper
        assert p >= w.value
    # the witnesses: POWER there is what is claimed
    assert power(game, b.profile(game), i) == b.value
    assert power(game, w.profile(game), i) == w.upper
    # the guarantee: against the others' strategies in the random profile, i's
    # expected reward with the guarantee strategy is at least the lower bound
    assert own_expected(game, i, w.guarantee, profile) >= w.lower


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_with_profiles(min_players=2, max_players=2, max_types=3, max_actions=3, max_cells=81))
def test_two_player_worst_case_is_the_value_of_the_zero_sum_game(pair):
    """POWER⁻ is i's maxmin value: no pure opponent strategy pushes the guarantee below it."""
    game, _ = pair
    for i in range(2):
        w = worst_case_power(game, i)
        worst_reply = min(
            own_expected(game, i, w.guarantee, s) for s in pure_opponent_profiles(game, i)
        )
        assert worst_reply == w.value


@settings(max_examples=15, deadline=None)
@given(games_with_profiles(min_players=1, max_players=1, max_types=3, max_actions=3))
def test_one_player_games(pair):
    game, profile = pair
    p = power(game, profile, 0)
    assert best_case_power(game, 0).value == worst_case_power(game, 0).value == p


# -- the exact simplex ----------------------------------------------------------------------


def frac(q) -> Fraction:
    return Fraction(int(q.p), int(q.q))


def test_simplex_small_known_lp():
    # min -x - y  s.t.  x + 2y <= 4, 3x + y <= 6, x, y >= 0: optimum at (8/5, 6/5)
    value, x = _simplex_min([-1, -1], [[1, 2], [3, 1]], [4, 6], [], [], [])
    assert frac(value) == Fraction(-14, 5) and [frac(v) for v in x] == [
        Fraction(8, 5),
        Fraction(6, 5),
    ]


def test_simplex_equalities_free_variables_and_negative_rhs():
    # min z  s.t.  z >= x - 3, z >= 1 - x (as <= rows), x + w = 2, z free
    value, x = _simplex_min(
        [0, 0, 1], [[1, 0, -1], [-1, 0, -1]], [3, -1], [[1, 1, 0]], [2], free=[2]
    )
    assert value == -1 and x[0] == 2 and x[2] == -1


def test_simplex_degenerate_lp_terminates():
    # Beale's cycling example (cycles under the textbook rule without anti-cycling)
    c = [Fraction(-3, 4), 150, Fraction(-1, 50), 6]
    a = [
        [Fraction(1, 4), -60, Fraction(-1, 25), 9],
        [Fraction(1, 2), -90, Fraction(-1, 50), 3],
        [0, 0, 1, 0],
    ]
    value, _x = _simplex_min(c, a, [0, 0, 1], [], [], [])
    assert frac(value) == Fraction(-1, 20)


def test_simplex_redundant_equality():
    value, _x = _simplex_min([1, 1], [], [], [[1, 1], [2, 2]], [1, 2], [])
    assert value == 1


def test_larger_two_player_game_is_exact_and_fast():
    rng = np.random.default_rng(1)
    rewards = rng.integers(-3, 4, size=(2, 5, 5, 4, 4))
    prior = rng.integers(0, 4, size=(5, 5))
    prior[0, 0] += 1
    game = BayesianGame.from_arrays(rewards, prior=prior)
    for i in range(2):
        w = worst_case_power(game, i)
        assert w.exact
        b = best_case_power(game, i)
        assert b.value >= w.value


# -- command line ------------------------------------------------------------------------------


def test_cli_power_bounds_json(capsys):
    assert main(["power-bounds", os.path.join(EXAMPLES, "poker.json"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["dealer"]["best_case"] == "1" and doc["dealer"]["worst_case"] == "1/3"
    assert doc["caller"]["best_case"] == "1/2" and doc["caller"]["worst_case"] == "-1/3"
    assert doc["caller"]["exact"] is True and "exact-lp" in doc["caller"]["method"]
    assert doc["caller"]["attained_by"]["best_case"] == {"dealer": {"K": "check", "Q": "bet"}}
    assert doc["dealer"]["guarantee"] == {"K": "bet", "Q": {"bet": "1/3", "check": "2/3"}}


def test_cli_power_bounds_three_players(capsys):
    assert main(["power-bounds", os.path.join(EXAMPLES, "odd-one-out.json"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["ann"]["worst_case"] is None
    assert (doc["ann"]["lower"], doc["ann"]["upper"]) == ("7/16", "1/2")
    assert doc["ann"]["exact"] is False
    assert doc["cat"]["worst_case"] == "1/2" and doc["cat"]["exact"] is True


def test_cli_power_bounds_text_and_gambit_input(tmp_path, capsys):
    from exactpower.io import to_efg

    path = tmp_path / "poker.efg"
    path.write_text(to_efg(stripped_down_poker()))
    assert main(["power-bounds", str(path)]) == 0
    out = capsys.readouterr().out
    assert "dealer  1" in out and "1/3" in out and "caller  1/2" in out


def test_cli_power_bounds_errors(capsys):
    assert main(["power-bounds", os.path.join(EXAMPLES, "scaled-pennies.json")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "rational game" in err
    assert main(["power-bounds"]) == 2
    assert capsys.readouterr().err.count("\n") == 1
