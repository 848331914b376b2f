"""Profiles from integer arrays are lazy (no sympy object per entry until read) and equal
to the eager profile of the same rows exactly: values, types, integer rows, quantities."""

import dataclasses
import pickle
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import exactpower as ep
from exactpower import BayesianGame, ProfileError, StrategyProfile
from exactpower.testing import bayesian_games

import naive


def _eager(game, weights):
    """The same profile built value by value (the constructor every other path uses)."""
    rows = tuple(
        tuple(
            tuple(sympy.Rational(int(x), int(sum(int(v) for v in row))) for x in row)
            for row in np.asarray(w, dtype=object).tolist()
        )
        for w in weights
    )
    return StrategyProfile(game.players, rows)


def _assert_same_profile(lazy, eager):
    assert lazy.players == eager.players
    for rows_l, rows_e in zip(lazy.strategies, eager.strategies, strict=True):
        assert type(rows_l) is tuple
        for row_l, row_e in zip(rows_l, rows_e, strict=True):
            assert type(row_l) is tuple
            assert row_l == row_e
            assert [type(v) for v in row_l] == [type(v) for v in row_e]
    for (n_l, d_l, t_l), (n_e, d_e, t_e) in zip(lazy.row_arrays, eager.row_arrays, strict=True):
        assert n_l.dtype == n_e.dtype and n_l.tolist() == n_e.tolist()
        assert not n_l.flags.writeable
        assert d_l == d_e and all(type(d) is int for d in d_l)
        assert t_l == t_e and type(t_l) is int
    assert lazy.arrays == eager.arrays
    assert lazy.is_symbolic is eager.is_symbolic is False
    assert lazy.to_dict() == eager.to_dict() and repr(lazy) == repr(eager)


def _assert_same_quantities(game, lazy, eager):
    for i in range(game.n_players):
        a, b = ep.power(game, lazy, i), ep.power(game, eager, i)
        assert a == b and type(a) is type(b)
        for k in range(len(game.players[i].types)):
            if game.marginal(i, k) == 0:  # regret is undefined there
                continue
            a, b = ep.regret(game, lazy, i, k), ep.regret(game, eager, i, k)
            assert a == b and type(a) is type(b)
    assert ep.welfare(game, lazy) == ep.welfare(game, eager)
    assert ep.nash_conv(game, lazy) == ep.nash_conv(game, eager)
    assert ep.is_bayesian_nash(game, lazy) == ep.is_bayesian_nash(game, eager)


@st.composite
def games_and_weights(draw, big=False):
    game = draw(
        bayesian_games(min_players=1, max_players=3, max_types=3, max_actions=3, max_cells=256)
    )
    top = 2**70 if big else 9
    weights = []
    for p in game.players:
        rows = []
        for _ in p.types:
            row = draw(
                st.lists(st.integers(0, top), min_size=len(p.actions), max_size=len(p.actions))
            )
            if sum(row) == 0:
                row[draw(st.integers(0, len(row) - 1))] = draw(st.integers(1, top))
            rows.append(row)
        kind = draw(st.sampled_from(["int64", "object", "int32", "uint16"]))
        if big or kind == "object":
            weights.append(np.array(rows, dtype=object))
        else:
            weights.append(np.array(rows, dtype=kind))
    return game, weights


@settings(max_examples=60, deadline=None)
@given(games_and_weights())
def test_lazy_profile_equals_eager_profile(pair):
    game, weights = pair
    lazy, eager = StrategyProfile.from_arrays(game, weights), _eager(game, weights)
    _assert_same_quantities(game, lazy, eager)
    _assert_same_profile(lazy, eager)


@settings(max_examples=25, deadline=None)
@given(games_and_weights(big=True))
def test_lazy_profile_equals_eager_profile_with_big_weights(pair):
    game, weights = pair
    lazy, eager = StrategyProfile.from_arrays(game, weights), _eager(game, weights)
    _assert_same_profile(lazy, eager)
    _assert_same_quantities(game, lazy, eager)


def test_power_does_not_make_the_sympy_rows():
    game = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    profile = StrategyProfile.from_arrays(game, [np.array([[1, 3]]), np.array([[2, 2]])])
    assert ep.power(game, profile, 1) == sympy.Rational(1, 2)
    assert ep.power(game, profile, 0) == 0
    assert not {"strategies", "_strategies"} & set(vars(profile))  # POWER read integers only
    assert profile.strategies == (
        ((sympy.Rational(1, 4), sympy.Rational(3, 4)),),
        ((sympy.Rational(1, 2), sympy.Rational(1, 2)),),
    )
    assert profile.strategies is profile.strategies  # made once


def test_lazy_profile_is_frozen_and_pickles():
    game = BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)
    profile = StrategyProfile.from_arrays(game, [np.array([[0, 5]]), np.array([[6, 3]])])
    with pytest.raises(dataclasses.FrozenInstanceError):
        profile.strategies = ()  # type: ignore[misc]
    again = pickle.loads(pickle.dumps(profile))
    _assert_same_profile(again, _eager(game, [np.array([[0, 5]]), np.array([[6, 3]])]))
    replaced = dataclasses.replace(profile)
    assert replaced.strategies == profile.strategies
    assert [f.name for f in dataclasses.fields(StrategyProfile)] == ["players", "strategies"]


def test_eager_constructor_still_requires_strategies():
    game = BayesianGame.from_tables([[1, 0]])
    with pytest.raises(TypeError):
        StrategyProfile(game.players)  # type: ignore[call-arg]


def test_large_denominators_take_the_limb_path_exactly():
    # Row sums are distinct primes: the lcm of the opponent's 12 rows has ~76 bits, so the
    # contraction cuts the type scales into limbs; the naive oracle checks the result.
    rng = np.random.default_rng(7)
    primes = [53, 59, 61, 67, 71, 73, 79, 83, 89, 97, 101, 103]
    types, actions = len(primes), 3
    rewards = rng.integers(-50, 51, size=(2, types, types, actions, actions))
    prior = rng.integers(1, 10, size=(types, types))
    game = BayesianGame.from_arrays(rewards, prior=prior, denominator=3)
    weights = []
    for _ in range(2):
        w = np.zeros((types, actions), dtype=np.int64)
        for k, q in enumerate(primes):
            a = int(rng.integers(1, q - 1))
            b = int(rng.integers(0, q - a))
            w[k] = [a, b, q - a - b]
        weights.append(w)
    lazy, eager = StrategyProfile.from_arrays(game, weights), _eager(game, weights)
    for i in range(2):
        value = ep.power(game, lazy, i)
        assert isinstance(value, sympy.Rational)
        assert Fraction(int(value.p), int(value.q)) == naive.power(game, eager, i)
    _assert_same_profile(lazy, eager)


@pytest.mark.parametrize(
    ("weights", "message"),
    [
        ([np.array([[1, -1]]), np.array([[1, 0]])], "nonnegative"),
        ([np.array([[0, 0]]), np.array([[1, 0]])], "not all 0"),
        ([np.array([[0.5, 0.5]]), np.array([[1, 0]])], "needs integers"),
        ([np.array([[True, False]]), np.array([[1, 0]])], "needs integers"),
        ([np.array([[0.5, 1]], dtype=object), np.array([[1, 0]])], "not an int"),
        ([np.array([[True, 1]], dtype=object), np.array([[1, 0]])], "bool"),
        ([np.array([[1, 0, 0]]), np.array([[1, 0]])], "shape"),
        ([np.array([[1, 0]])], "1 arrays for 2 players"),
        ([np.array([[2**64, -1]], dtype=object), np.array([[1, 0]])], "nonnegative"),
    ],
)
def test_bad_weights_are_refused(weights, message):
    game = BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)
    with pytest.raises(ProfileError, match=message):
        StrategyProfile.from_arrays(game, weights)


def test_uint64_and_sympy_integer_weights():
    game = BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)
    big = np.array([[2**63 + 1, 2**63 - 1]], dtype=np.uint64)
    sym = np.array([[sympy.Integer(1), sympy.Integer(2)]], dtype=object)
    lazy = StrategyProfile.from_arrays(game, [big, sym])
    _assert_same_profile(lazy, _eager(game, [big, sym]))
    assert lazy.strategies[0][0] == (
        sympy.Rational(2**63 + 1, 2**64),
        sympy.Rational(2**63 - 1, 2**64),
    )
    assert lazy.row_arrays[0][0].dtype == object  # beyond int64: Python integers
