"""exactpower's interim utilities and POWER agree exactly with Gambit's.

Gambit (pygambit, a required test dependency) computes, on the ``.efg``
export of a game, the value of every action conditional on reaching its
information set and the reach probability of every information set; see
``tests/gambit_oracle.py``.  These tests compare exactpower's numbers with
those, exactly, on hand-made games and on hypothesis-generated ones.
"""

from __future__ import annotations

import math
import time
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import (
    BayesianGame,
    Parameter,
    Player,
    StrategyProfile,
    interim_utility,
    power,
)
from exactpower.errors import GameError, GameStructureError, ZeroProbabilityError
from exactpower.io import to_efg
from exactpower.testing import games_with_profiles

from gambit_oracle import (
    behavior_profile,
    gambit_interim,
    gambit_power,
    infoset_map,
    load_efg,
    run_with_timeout,
)


def fraction(value) -> Fraction:
    assert isinstance(value, sympy.Rational), f"{value!r} is not a sympy Rational"
    return Fraction(int(value.p), int(value.q))


def assert_agrees(game, profile):
    """Our POWER and interim utilities equal Gambit's, exactly, for every player."""
    gambit_game = load_efg(to_efg(game))
    expected_power = gambit_power(game, profile, gambit_game)
    expected_interim = gambit_interim(game, profile, gambit_game)
    ours = [power(game, profile, i) for i in range(game.n_players)]
    for i, value in enumerate(ours):
        assert isinstance(value, sympy.Rational), f"POWER of player {i}: {value!r}"
    assert [fraction(v) for v in ours] == expected_power
    for i, player in enumerate(game.players):
        for k in range(len(player.types)):
            positive = game.marginal(i, k) != 0
            for a in range(len(player.actions)):
                if positive:
                    value = interim_utility(game, profile, i, k, a)
                    assert isinstance(value, sympy.Rational)
                    assert fraction(value) == expected_interim[(i, k, a)], (i, k, a)
                else:
                    assert (i, k, a) not in expected_interim
                    with pytest.raises(ZeroProbabilityError):
                        interim_utility(game, profile, i, k, a)
    return expected_power


# -- hand-made games ------------------------------------------------------------


def matching_pennies():
    return BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], names=("row", "col"))


def poker():
    """Stripped-down poker: the dealer holds K or Q; the caller calls or folds a bet."""

    def rewards(t, a):
        if a[0] == "check":
            return (1, -1) if t[0] == "K" else (-1, 1)
        if a[1] == "fold":
            return (1, -1)
        return (2, -2) if t[0] == "K" else (-2, 2)

    return BayesianGame.from_function(
        [
            Player("dealer", ("K", "Q"), ("bet", "check")),
            Player("caller", ("-",), ("call", "fold")),
        ],
        rewards,
    )


def test_matching_pennies_by_hand():
    game = matching_pennies()
    profile = StrategyProfile.from_arrays(game, [np.array([[1, 2]]), np.array([[1, 3]])])
    # row mixes 1/3 : 2/3, col 1/4 : 3/4.
    # row: f(0) = 1/4 - 3/4 = -1/2, f(1) = 1/2; col: f(0) = -1/3 + 2/3 = 1/3, f(1) = -1/3.
    assert gambit_interim(game, profile) == {
        (0, 0, 0): Fraction(-1, 2),
        (0, 0, 1): Fraction(1, 2),
        (1, 0, 0): Fraction(1, 3),
        (1, 0, 1): Fraction(-1, 3),
    }
    assert assert_agrees(game, profile) == [Fraction(1, 2), Fraction(1, 3)]


def test_poker_equilibrium_by_hand():
    game = poker()
    # K always bets, Q bets 1/3; the caller calls 2/3.
    profile = StrategyProfile.from_arrays(game, [np.array([[1, 0], [1, 2]]), np.array([[2, 1]])])
    # dealer K: bet 2/3*2 + 1/3*1 = 5/3 > check 1; Q: bet 2/3*(-2) + 1/3 = -1 = check.
    # caller: call 1/2*(-2) + 1/2*(1/3*2 + 2/3*1) = -1/3; fold 1/2*(-1) + 1/2*(-1/3 + 2/3) = -1/3.
    assert gambit_interim(game, profile) == {
        (0, 0, 0): Fraction(5, 3),
        (0, 0, 1): Fraction(1),
        (0, 1, 0): Fraction(-1),
        (0, 1, 1): Fraction(-1),
        (1, 0, 0): Fraction(-1, 3),
        (1, 0, 1): Fraction(-1, 3),
    }
    assert assert_agrees(game, profile) == [Fraction(1, 3), Fraction(-1, 3)]


def correlated_game():
    """Correlated prior with zero-probability profiles, a type of marginal 0, unset rewards."""
    players = [
        Player("a", ("x", "y", "z"), ("U", "D")),
        Player("b", ("p", "q"), ("L", "M", "R")),
    ]
    prior = {("x", "p"): "1/6", ("x", "q"): "1/3", ("y", "q"): "1/2"}  # type z: marginal 0

    def rewards(t, a):
        i, j = players[0].actions.index(a[0]), players[1].actions.index(a[1])
        bonus = 1 if t == ("y", "q") else 0
        return (i * 3 - j + bonus, sympy.Rational(j - i, 7) - bonus)

    return BayesianGame.from_function(players, rewards, prior=prior)


def test_correlated_prior_with_zero_probability_types():
    game = correlated_game()
    assert game.reward(0, (2, 0), (0, 0)) is None  # unset: written as outcome 0
    profile = StrategyProfile.from_arrays(
        game, [np.array([[1, 1], [2, 1], [0, 1]]), np.array([[1, 2, 3], [0, 0, 1]])]
    )
    assert_agrees(game, profile)


def test_three_players():
    rng = np.random.default_rng(3)
    rewards = rng.integers(-5, 6, size=(3, 2, 1, 2, 2, 3, 2))
    prior = np.array([[[1, 0]], [[2, 3]]])
    game = BayesianGame.from_arrays(rewards, prior=prior, denominator=3, names=("p", "q", "r"))
    profile = StrategyProfile.from_arrays(
        game,
        [
            rng.integers(1, 4, size=(2, 2)),
            rng.integers(1, 4, size=(1, 3)),
            rng.integers(0, 2, size=(2, 2)) + [1, 0],
        ],
    )
    assert_agrees(game, profile)


def test_power_against_pure_profiles_of_single_player_game():
    # One player, three reward functions as types: POWER is E[max_a r(a)].
    rewards = np.array([[[3, 1, 2], [0, 0, 5], [-1, -2, -3]]])  # (1, 3 types, 3 actions)
    game = BayesianGame.from_arrays(rewards, prior=np.array([1, 2, 3]))
    profile = StrategyProfile.from_arrays(game, [np.ones((3, 3), dtype=int)])
    assert assert_agrees(game, profile) == [Fraction(1 * 3 + 2 * 5 + 3 * -1, 6)]


# -- the export itself ------------------------------------------------------------


def test_efg_structure():
    game = correlated_game()
    gambit_game = load_efg(to_efg(game))
    assert gambit_game.is_perfect_recall
    players = list(gambit_game.players)
    assert [p.label for p in players] == ["a", "b"]
    # one information set per type, holding every node with that type
    for i, player in enumerate(players):
        assert len(player.infosets) == len(game.players[i].types)
        assert [h.label for h in player.infosets] == list(game.players[i].types)
    sizes = {(i, k): len(h.members) for (i, k), h in infoset_map(gambit_game, game).items()}
    assert sizes == {(0, 0): 2, (0, 1): 2, (0, 2): 2, (1, 0): 3 * 2, (1, 1): 3 * 2}
    # chance: every type profile, zero-probability ones included, exact probabilities
    chance = list(gambit_game.root.infoset.actions)
    assert [a.label for a in chance] == ["x,p", "x,q", "y,p", "y,q", "z,p", "z,q"]
    assert [Fraction(a.prob) for a in chance] == [
        Fraction(1, 6),
        Fraction(1, 3),
        0,
        Fraction(1, 2),
        0,
        0,
    ]
    # terminal payoffs are the rewards (0 where unset)
    for t, branch in zip(game.type_profiles, gambit_game.root.children):
        for a0, node in zip(range(2), branch.children):
            for a1, leaf in zip(range(3), node.children):
                for i, player in enumerate(players):
                    expected = game.reward(i, t, (a0, a1))
                    got = Fraction(leaf.outcome[player]) if leaf.outcome else 0
                    assert got == (0 if expected is None else fraction(expected))


def test_efg_rational_payoffs_and_labels_round_trip():
    game = BayesianGame.from_function(
        [Player('say "hi"', ("t 1", "t,2"), ("a", "b")), Player("other", ("-",), ("c",))],
        lambda t, a: (sympy.Rational(-(10**30), 7) if a == ("a", "c") else sympy.Rational(1, 3), 0),
        prior={("t 1", "-"): "2/7", ("t,2", "-"): "5/7"},
    )
    gambit_game = load_efg(to_efg(game))
    players = list(gambit_game.players)
    assert players[0].label == 'say "hi"'
    assert [h.label for h in players[0].infosets] == ["t 1", "t,2"]
    payoffs = {Fraction(o[players[0]]) for o in gambit_game.outcomes}
    assert payoffs == {Fraction(-(10**30), 7), Fraction(1, 3)}
    assert [a.label for a in gambit_game.root.infoset.actions] == ["t 1,-", "t,2,-"]


def test_colliding_chance_labels_are_made_unique():
    game = BayesianGame.from_function(
        [Player("a", ("x,y", "x"), ("u",)), Player("b", ("z", "y,z"), ("v",))],
        lambda t, a: (0, 0),
    )
    labels = [a.label for a in load_efg(to_efg(game)).root.infoset.actions]
    assert len(set(labels)) == 4
    assert labels[1] == "1:x,y,y,z" and labels[2] == "2:x,z"


def test_symbolic_game_is_refused():
    x = Parameter("x", "real")
    game = BayesianGame.from_function(
        [Player("a", ("-",), ("U", "D"))],
        lambda t, a: ("x",) if a == ("U",) else (0,),
        parameters=[x],
    )
    with pytest.raises(GameStructureError, match="numbers only"):
        to_efg(game)
    with pytest.raises(GameError):
        to_efg(game)


# -- the oracle's timeout helper -----------------------------------------------------


def _sleep(seconds):
    time.sleep(seconds)
    return "woke"


def _fail():
    raise ValueError("boom")


def test_run_with_timeout():
    game = matching_pennies()
    profile = StrategyProfile.from_arrays(game, [np.array([[1, 2]]), np.array([[1, 3]])])
    assert run_with_timeout(gambit_power, game, profile, seconds=60) == [
        Fraction(1, 2),
        Fraction(1, 3),
    ]
    with pytest.raises(TimeoutError):
        run_with_timeout(_sleep, 30, seconds=0.5)
    with pytest.raises(RuntimeError, match="boom"):
        run_with_timeout(_fail, seconds=60)


def test_run_with_timeout_in_a_fresh_interpreter():
    # "spawn": the child imports what it needs (math.comb pickles by reference).
    assert run_with_timeout(math.comb, 10, 3, seconds=60, start_method="spawn") == 120
    with pytest.raises(TimeoutError):
        run_with_timeout(time.sleep, 30, seconds=0.5, start_method="spawn")


def test_behavior_profile_is_rational_and_exact():
    game = poker()
    profile = StrategyProfile.from_arrays(game, [np.array([[1, 0], [1, 2]]), np.array([[2, 1]])])
    gambit_game = load_efg(to_efg(game))
    behavior = behavior_profile(gambit_game, game, profile)
    for (i, k), infoset in infoset_map(gambit_game, game).items():
        for a, action in enumerate(infoset.actions):
            value = behavior[action]
            assert isinstance(value, Fraction) and not isinstance(value, float)
            assert value == fraction(profile.probability(i, k, a))


# -- hypothesis ----------------------------------------------------------------------

MAX_CELLS = 729  # |T| * |A| per player (3 players x 3 types x 3 actions): one example stays fast


@st.composite
def games_and_profiles(draw):
    n = draw(st.integers(2, 4))
    types = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    actions = draw(st.lists(st.integers(1, 3), min_size=n, max_size=n))
    while int(np.prod(types)) * int(np.prod(actions)) > MAX_CELLS:
        j = int(np.argmax([t * a for t, a in zip(types, actions)]))
        if types[j] >= actions[j]:
            types[j] -= 1
        else:
            actions[j] -= 1
    tshape, ashape = tuple(types), tuple(actions)
    cells = int(np.prod(tshape)) * int(np.prod(ashape))
    rewards = np.array(
        draw(st.lists(st.integers(-3, 3), min_size=n * cells, max_size=n * cells)), dtype=np.int64
    ).reshape((n, *tshape, *ashape))
    size = int(np.prod(tshape))
    prior = draw(st.lists(st.integers(0, 3), min_size=size, max_size=size))
    if not any(prior):
        prior[draw(st.integers(0, size - 1))] = 1
    denominator = draw(st.integers(1, 4))
    game = BayesianGame.from_arrays(
        rewards, prior=np.array(prior, dtype=np.int64).reshape(tshape), denominator=denominator
    )
    weights = []
    for t, a in zip(tshape, actions):
        rows = []
        for _ in range(t):
            row = draw(st.lists(st.integers(0, 3), min_size=a, max_size=a))
            if not any(row):
                row[draw(st.integers(0, a - 1))] = 1
            rows.append(row)
        weights.append(np.array(rows, dtype=np.int64))
    return game, StrategyProfile.from_arrays(game, weights)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_and_profiles())
def test_agrees_with_gambit_on_random_games(game_and_profile):
    game, profile = game_and_profile
    assert_agrees(game, profile)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_with_profiles(min_players=2, max_players=4, max_cells=512))
def test_agrees_with_gambit_on_library_generated_games(game_and_profile):
    # exactpower.testing's games come from from_function with a correlated prior
    # that leaves profiles out: their rewards are unset (written as 0 in the export).
    game, profile = game_and_profile
    assert_agrees(game, profile)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_with_profiles(min_players=2, max_players=3, pure=True, max_cells=512))
def test_agrees_with_gambit_on_pure_profiles(game_and_profile):
    game, profile = game_and_profile
    assert_agrees(game, profile)
