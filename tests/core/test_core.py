"""The core quantities against two oracles: the identity ΣPOWER = W + NashConv,
and a naive cell-by-cell implementation of SPEC §2 (tests/naive.py)."""

import math
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import exactpower as ep
from exactpower import BayesianGame, Player, StrategyProfile
from exactpower.catalog import stripped_down_poker as poker
from exactpower.testing import (
    assert_exact_equal,
    bayesian_games,
    constant_sum_games,
    games_with_profiles,
    profiles,
)

import naive

SMALL = {"min_players": 2, "max_players": 4, "max_types": 3, "max_actions": 3, "max_cells": 256}


@settings(max_examples=60, deadline=None)
@given(games_with_profiles(**SMALL))
def test_power_sum_is_welfare_plus_nash_conv(pair):
    game, profile = pair
    total = ep.power_sum(game, profile)
    assert isinstance(total, sympy.Rational)
    assert total == ep.welfare(game, profile) + ep.nash_conv(game, profile)


@settings(max_examples=40, deadline=None)
@given(games_with_profiles(**SMALL))
def test_against_naive_definitions(pair):
    game, profile = pair
    for i, p in enumerate(game.players):
        assert_exact_equal(ep.power(game, profile, i), naive.power(game, profile, i))
        table = ep.interim_utilities(game, profile, i)
        regs = ep.regrets(game, profile, i)
        for k, t in enumerate(p.types):
            if naive.marginal(game, profile, i, k) == 0:
                assert table[t] is None and regs[t] is None
                continue
            for a, act in enumerate(p.actions):
                assert_exact_equal(table[t][act], naive.interim(game, profile, i, k, a))
            assert_exact_equal(regs[t], naive.regret(game, profile, i, k))
    assert_exact_equal(ep.welfare(game, profile), naive.welfare(game, profile))
    assert ep.is_bayesian_nash(game, profile) == naive.is_bne(game, profile)


@settings(max_examples=40, deadline=None)
@given(games_with_profiles(**SMALL, pure=True))
def test_bne_iff_nash_conv_zero(pair):
    game, profile = pair
    assert ep.is_bayesian_nash(game, profile) == (ep.nash_conv(game, profile) == 0)


@settings(max_examples=30, deadline=None)
@given(
    bayesian_games(**SMALL).flatmap(
        lambda g: st.tuples(st.just(g), profiles(g), profiles(g), st.integers(0, g.n_players - 1))
    )
)
def test_power_ignores_own_strategy(data):
    game, s1, s2, i = data
    mixed = [s2.strategies[j] if j == i else s1.strategies[j] for j in range(game.n_players)]
    s3 = StrategyProfile(s1.players, tuple(mixed))
    assert ep.power(game, s1, i) == ep.power(game, s3, i)


@st.composite
def constant_sum_pairs(draw):
    game = draw(constant_sum_games(max_players=3, max_cells=128))
    return game, draw(profiles(game, pure=draw(st.booleans()))), ep.constant_sum(game).constant


@settings(max_examples=60, deadline=None)
@given(constant_sum_pairs())
def test_power_scarcity(data):
    game, profile, c = data
    assert ep.constant_sum(game).constant == c
    total = ep.power_sum(game, profile)
    assert total >= c
    assert (total == c) == ep.is_bayesian_nash(game, profile)


def test_stripped_down_poker_equilibrium():
    # Reiley, Urbancic and Walker (2008), "Stripped-down poker": at the equilibrium the
    # dealer bets a king, bluffs a queen 1/3 of the time, the caller calls 2/3; value 1/3.
    game = poker()
    s = StrategyProfile.from_dict(
        game,
        {
            "dealer": {"K": "bet", "Q": {"bet": "1/3", "check": "2/3"}},
            "caller": {"call": "2/3", "fold": "1/3"},
        },
    )
    assert_exact_equal(ep.power(game, s, "dealer"), Fraction(1, 3))
    assert_exact_equal(ep.power(game, s, "caller"), Fraction(-1, 3))
    assert ep.is_bayesian_nash(game, s)
    assert ep.nash_conv(game, s) == 0
    # Interim utilities by hand: a king that bets wins 2*(2/3) + 1*(1/3) = 5/3.
    assert ep.interim_utility(game, s, "dealer", "K", "bet") == sympy.Rational(5, 3)
    assert ep.interim_utility(game, s, "dealer", "Q", "bet") == -1
    assert ep.interim_utility(game, s, "dealer", "Q", "check") == -1


def test_poker_off_equilibrium():
    game = poker()
    s = StrategyProfile.from_dict(game, {"dealer": {"K": "bet", "Q": "check"}, "caller": "call"})
    # Against an honest dealer (bets K, checks Q) calling earns 1/2*(-2) + 1/2*(+1) = -1/2 and
    # folding 1/2*(-1) + 1/2*(+1) = 0; the dealer's best: K bets (2), Q checks (-1).
    assert_exact_equal(ep.power(game, s, "caller"), 0)
    assert_exact_equal(ep.power(game, s, "dealer"), Fraction(1, 2))
    assert ep.regret(game, s, "caller", "-") == sympy.Rational(1, 2)
    assert not ep.is_bayesian_nash(game, s)
    assert ep.power_sum(game, s) == sympy.Rational(1, 2) == ep.nash_conv(game, s)


def test_matching_pennies_values():
    mp = BayesianGame.from_tables(
        [[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
        names=("row", "col"),
        actions=(("H", "T"), ("H", "T")),
    )
    s = StrategyProfile.from_dict(mp, {"row": "H", "col": "H"})
    assert ep.power(mp, s, "row") == 1 and ep.power(mp, s, "col") == 1
    assert ep.nash_conv(mp, s) == 2 and ep.welfare(mp, s) == 0
    u = StrategyProfile.uniform(mp)
    assert ep.power_sum(mp, u) == 0 and ep.is_bayesian_nash(mp, u)


def test_results_are_sympy_rationals():
    game = poker()
    s = StrategyProfile.uniform(game)
    for v in [
        ep.power(game, s, 0),
        ep.power_sum(game, s),
        ep.welfare(game, s),
        ep.nash_conv(game, s),
        ep.regret(game, s, 0, "K"),
        ep.interim_utility(game, s, 1, "-", "call"),
    ]:
        assert isinstance(v, sympy.Rational) and not isinstance(v, sympy.Float)


def test_zero_probability_type():
    game = BayesianGame.from_function(
        [Player("a", ("x", "y"), ("0", "1")), Player("b", ("-",), ("0",))],
        lambda t, a: (1 if a[0] == "1" else 0, 0),
        prior={("x", "-"): 1},
    )
    s = StrategyProfile.uniform(game)
    with pytest.raises(ep.ZeroProbabilityError, match="'y'"):
        ep.interim_utility(game, s, "a", "y", "0")
    assert ep.interim_utilities(game, s, "a")["y"] is None
    assert ep.power(game, s, "a") == 1
    # rewards of the zero-probability type were never asked for
    assert game.reward(0, (1, 0), (0, 0)) is None


def test_floats_refused():
    with pytest.raises(ep.InexactValueError):
        ep.as_exact(0.5)
    with pytest.raises(TypeError):
        BayesianGame.from_tables([[0.5]])
    with pytest.raises(ep.InexactValueError):
        ep.as_exact(np.float64(1))
    with pytest.raises(ep.InexactValueError):
        ep.as_exact(sympy.Float(1))
    with pytest.raises(ep.InexactValueError):
        ep.as_exact(True)
    game = BayesianGame.from_tables([[1]])
    with pytest.raises(TypeError):
        StrategyProfile.from_dict(game, {"1": {"0": 1.0}})


def test_probabilities_checked():
    with pytest.raises(ep.ProbabilityError, match="sum to"):
        BayesianGame.from_function(
            [Player("a", ("x", "y"), ("0",))],
            lambda t, a: [0],
            prior={("x",): "1/2", ("y",): "0.5000000000000001"},
        )
    with pytest.raises(ep.ProbabilityError, match=r"exceeds 1|negative"):
        BayesianGame.from_function(
            [Player("a", ("x", "y"), ("0",))],
            lambda t, a: [0],
            prior={("x",): "3/2", ("y",): "-1/2"},
        )
    g = BayesianGame.from_tables([[[1, 0]], [[0, 1]]])
    with pytest.raises(ep.ProbabilityError):
        StrategyProfile.from_dict(g, {"1": "0", "2": {"0": "2/3", "1": "2/3"}})


def test_int64_and_object_paths_agree():
    rng = np.random.default_rng(1)
    small = rng.integers(-9, 10, size=(2, 2, 3, 3, 2))
    # Rewards shifted by eps = 2**-70 (stored reduced, the numerators need Python ints):
    # each POWER shifts by eps, the welfare by 2 eps.
    big = small.astype(object) * (2**70) + 1
    eps = sympy.Rational(1, 2**70)
    g1 = BayesianGame.from_arrays(small, prior=np.array([[1, 2, 0], [3, 1, 1]]))
    g2 = BayesianGame.from_arrays(big, prior=np.array([[1, 2, 0], [3, 1, 1]]), denominator=2**70)
    assert g1.rewards.numerators.dtype == np.int64 and g2.rewards.numerators.dtype == object
    w = [rng.integers(0, 5, size=(2, 3)) + 1, rng.integers(0, 5, size=(3, 2)) + 1]
    s1, s2 = StrategyProfile.from_arrays(g1, w), StrategyProfile.from_arrays(g2, w)
    for i in range(2):
        assert ep.power(g1, s1, i) + eps == ep.power(g2, s2, i)
        assert ep.power(g1, s1, i) == naive.power(g1, s1, i)
        assert ep.power(g2, s2, i) == naive.power(g2, s2, i)
    assert ep.welfare(g1, s1) + 2 * eps == ep.welfare(g2, s2)


def test_overflow_bound_switches_to_exact_integers():
    # Numerators near 2**61 fit int64 alone, but their products with the weights do not.
    r = np.full((2, 1, 1, 2, 2), 2**61 - 1, dtype=np.int64)
    g = BayesianGame.from_arrays(r, denominator=2**61 - 1)
    s = StrategyProfile.from_arrays(g, [np.array([[3, 5]]), np.array([[7, 11]])])
    assert ep.power(g, s, 0) == 1 and ep.welfare(g, s) == 2


def test_single_agent_power():
    assert ep.single_agent_power([[1, 0], [0, 3]], ["1/3", "2/3"]) == sympy.Rational(7, 3)
    assert ep.single_agent_power([[5, 1, 2]]) == 5
    assert ep.single_agent_power([{"a": -1, "b": "-1/2"}, {"a": 2, "b": 0}]) == sympy.Rational(3, 4)


def test_constant_sum_only_counts_support():
    # Player a's type y has probability 0; its rewards break the constant sum but do not count.
    def r(t, a):
        return (5, 5) if t[0] == "y" else (1, -1)

    g = BayesianGame.from_function(
        [Player("a", ("x", "y"), ("0",)), Player("b", ("-",), ("0",))], r, prior={("x", "-"): 1}
    )
    assert ep.constant_sum(g).constant == 0
    g2 = BayesianGame.from_function(
        [Player("a", ("x", "y"), ("0",)), Player("b", ("-",), ("0",))], r
    )
    verdict = ep.constant_sum(g2)
    assert not verdict and verdict.witness[1][2] == 10


def test_symbolic_matching_pennies():
    x = ep.Parameter("x", "real")
    mp = BayesianGame.from_tables(
        [[["x", "-x"], ["-x", "x"]], [["-x", "x"], ["x", "-x"]]], parameters=[x]
    )
    s = StrategyProfile.from_dict(mp, {"1": "0", "2": "0"})
    X = x.symbol
    assert ep.power(mp, s, 0) == sympy.Max(X, -X)
    assert ep.nash_conv(mp, s) == 2 * sympy.Max(X, -X)
    assert ep.welfare(mp, s) == 0
    assert ep.constant_sum(mp).constant == 0
    with pytest.raises(ep.UndecidedError):
        ep.is_bayesian_nash(mp, s)
    # substituting a number gives the rational game's values
    for v in (-2, 0, 3):
        assert ep.power_sum(mp, s).subs(X, v) == 2 * abs(v)


def test_symbolic_prior_probability_parameter():
    q = ep.Parameter("q", "probability")
    g = BayesianGame.from_function(
        [Player("a", ("h", "l"), ("U", "D")), Player("b", ("-",), ("L", "R"))],
        lambda t, a: (1, -1) if (a[0] == "U") == (a[1] == "L") else (-1, 1),
        prior={("h", "-"): "q", ("l", "-"): "1 - q"},
        parameters=[q],
    )
    s = StrategyProfile.from_dict(g, {"a": {"h": "U", "l": "D"}, "b": "L"})
    Q = q.symbol
    # b playing L: type h's U wins 1, type l's D loses... POWER of a is 1 whatever q is.
    assert ep.power(g, s, "a") == 1
    # b's best response depends on q: max(q*(-1) + (1-q)*1, q*1 + (1-q)*(-1))
    assert sympy.simplify(ep.power(g, s, "b") - sympy.Max(1 - 2 * Q, 2 * Q - 1)) == 0
    for v in (0, sympy.Rational(1, 3), 1):
        assert ep.power_sum(g, s).subs(Q, v) == ep.welfare(g, s).subs(Q, v) + ep.nash_conv(
            g, s
        ).subs(Q, v)


def test_symbolic_probability_must_be_provable():
    x = ep.Parameter("x", "real")
    g = BayesianGame.from_tables([[[1, 0]], [[0, 1]]], parameters=[x])
    with pytest.raises(ep.ProbabilityError, match="for some parameters"):
        StrategyProfile.from_dict(g, {"1": "0", "2": {"0": "x", "1": "1 - x"}})
    with pytest.raises(ep.ParameterError):
        StrategyProfile.from_dict(g, {"1": "0", "2": {"0": "y", "1": "1 - y"}})


def test_big_row_denominators_use_limbs():
    # Sixteen opponent types whose rows sum to distinct primes: the lcm of the row
    # denominators exceeds 2**63, so the type-profile stage runs in 30-bit limbs.
    primes = [2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37, 41, 43, 47, 53]
    rng = np.random.default_rng(7)
    r = rng.integers(-5, 6, size=(2, len(primes), 2, 2, 3))
    g = BayesianGame.from_arrays(r, prior=rng.integers(1, 9, size=(len(primes), 2)))
    s = StrategyProfile.from_arrays(
        g, [np.array([[1, p - 1] for p in primes]), np.array([[1, 2, 3], [5, 0, 2]])]
    )
    assert math.lcm(*primes) > 2**63
    for i in range(2):
        assert_exact_equal(ep.power(g, s, i), naive.power(g, s, i))
    assert_exact_equal(ep.welfare(g, s), naive.welfare(g, s))
