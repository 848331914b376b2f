"""The one explicit door for floats (issue 10, item 9): ``ep.rationalize`` and
``StrategyProfile.from_float_arrays``; floats stay refused everywhere else."""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import given
from hypothesis import strategies as st

import exactpower as ep
from exactpower import BayesianGame, StrategyProfile
from exactpower.errors import InexactValueError, ProfileError

R = sympy.Rational

EX = Path(__file__).resolve().parents[2] / "examples"


def test_rationalize_is_public():
    assert "rationalize" in ep.__all__ and ep.rationalize is not None


@pytest.mark.parametrize(
    "x, expected",
    [
        (0.1, Fraction(1, 10)),
        (1 / 3, Fraction(1, 3)),
        (2 / 7, Fraction(2, 7)),
        (0.5, Fraction(1, 2)),
        (-0.75, Fraction(-3, 4)),
        (0.0, Fraction(0)),
        (3.0, Fraction(3)),
        (1e6, Fraction(10**6)),
        (0.30000000000000004, Fraction(3, 10)),
        (np.float64(1 / 3), Fraction(1, 3)),
        (np.float32(0.1), Fraction(1, 10)),
        (7, Fraction(7)),
        (np.int64(-2), Fraction(-2)),
    ],
)
def test_rationalize_values(x, expected):
    got = ep.rationalize(x)
    assert type(got) is Fraction and got == expected


def test_max_denominator_caps_the_denominator():
    assert ep.rationalize(0.333333) == Fraction(333333, 1000000)
    assert ep.rationalize(0.333333, max_denominator=100) == Fraction(1, 3)
    assert ep.rationalize(math.pi, max_denominator=7) == Fraction(22, 7)
    assert ep.rationalize(math.pi, max_denominator=1000) == Fraction(355, 113)
    with pytest.raises(ValueError, match="max_denominator"):
        ep.rationalize(0.5, max_denominator=0)
    with pytest.raises(ValueError, match="max_denominator"):
        ep.rationalize(0.5, max_denominator=2.0)


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), -float("inf"), np.float64("nan")])
def test_nan_and_inf_are_refused(bad):
    with pytest.raises(InexactValueError, match="not a finite number"):
        ep.rationalize(bad)


@pytest.mark.parametrize("bad", [True, "0.5", sympy.Float(0.5), Fraction(1, 2), 1j])
def test_only_floats_and_ints_enter(bad):
    with pytest.raises(InexactValueError):
        ep.rationalize(bad)


@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6))
def test_the_result_rounds_back_to_the_float_when_it_can(x):
    f = ep.rationalize(x, max_denominator=2**1100)  # every float is p/2**k, k <= 1074
    assert float(f) == x
    # no fraction with a smaller denominator rounds to x
    if f.denominator > 1:
        smaller = Fraction(x).limit_denominator(f.denominator - 1)
        assert float(smaller) != x


@given(st.integers(1, 10**6), st.integers(1, 10**6))
def test_simple_fractions_come_back(p, q):
    assert ep.rationalize(p / q, max_denominator=10**6) == Fraction(p, q)


def game():
    return BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], names=("row", "col"))


def test_from_float_arrays_as_nashpy_returns_them():
    g = game()
    s = StrategyProfile.from_float_arrays(g, (np.array([0.5, 0.5]), np.array([1 / 3, 2 / 3])))
    assert s.strategies == (((R(1, 2), R(1, 2)),), ((R(1, 3), R(2, 3)),))
    assert all(isinstance(v, sympy.Rational) for rows in s.strategies for r in rows for v in r)
    assert ep.power(g, s, "row") == R(1, 3)
    per_type = StrategyProfile.from_float_arrays(g, [[[1.0, 0.0]], [[0.25, 0.75]]])
    assert per_type.strategies[1] == ((R(1, 4), R(3, 4)),)


def test_a_player_with_types_gives_one_row_per_type():
    g = ep.load(EX / "bayesian-pennies.json").subs({"q": "1/2"})
    s = StrategyProfile.from_float_arrays(g, [[[1.0, 0.0], [0.25, 0.75]], [0.5, 0.5]])
    assert s.strategies[0] == ((1, 0), (R(1, 4), R(3, 4)))
    with pytest.raises(ProfileError, match=r"player 'row' needs an array of shape \(2, 2\)"):
        StrategyProfile.from_float_arrays(g, [[1.0, 0.0], [0.5, 0.5]])


def test_rows_that_do_not_sum_to_one_after_rationalizing_are_refused():
    g = game()
    with pytest.raises(
        ProfileError,
        match=r"player 'row' type '-': the rationalized row "
        r"3/10, 3/5 sums to 9/10, not 1",
    ):
        StrategyProfile.from_float_arrays(g, [[0.3, 0.6], [0.5, 0.5]])
    # 0.333 and 0.667 are 333/1000 and 667/1000: they sum to 1 exactly and are accepted
    s = StrategyProfile.from_float_arrays(g, [[0.333, 0.667], [0.5, 0.5]])
    assert s.strategies[0][0] == (R(333, 1000), R(667, 1000))
    # with a small denominator the same floats become 1/3 and 2/3
    s = StrategyProfile.from_float_arrays(g, [[0.333, 0.667], [0.5, 0.5]], max_denominator=10)
    assert s.strategies[0][0] == (R(1, 3), R(2, 3))
    with pytest.raises(ProfileError, match="negative"):
        StrategyProfile.from_float_arrays(g, [[1.5, -0.5], [0.5, 0.5]])
    with pytest.raises(InexactValueError, match="not a finite number"):
        StrategyProfile.from_float_arrays(g, [[float("nan"), 1.0], [0.5, 0.5]])
    with pytest.raises(ProfileError, match="1 arrays for 2 players"):
        StrategyProfile.from_float_arrays(g, [[0.5, 0.5]])


def test_floats_stay_refused_everywhere_else():
    g = game()
    with pytest.raises(InexactValueError):
        StrategyProfile.from_dict(g, {"row": {"0": 0.5, "1": 0.5}, "col": "0"})
    with pytest.raises(InexactValueError):
        ep.as_exact(0.5)
    with pytest.raises(InexactValueError):
        BayesianGame.from_tables([[[1.5, 0], [0, 1]], [[0, 0], [0, 0]]])
    with pytest.raises(ProfileError):
        StrategyProfile.from_arrays(g, [np.array([[0.5, 0.5]]), np.array([[1, 0]])])
