"""ExactArray: canonical at construction, equal by value, limits checked before the work
(issue 9 "exact arrays canonical", issue 8 item 7b)."""

from __future__ import annotations

import json
import math
import pickle
import random
import time
import tracemalloc
from fractions import Fraction

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpower import BayesianGame, StrategyProfile
from exactpower.contraction import interim_table
from exactpower.errors import GameStructureError, InexactValueError, LimitError
from exactpower.exact.arrays import (
    INT64_BOUND,
    INT64_MAX,
    MAX_DENOMINATOR_DIGITS,
    ExactArray,
    common_denominator,
    fits_int64,
)
from exactpower.io import json_files as files

R = sympy.Rational
X = sympy.Symbol("x", real=True)


def obj(values) -> np.ndarray:
    out = np.empty(len(values), dtype=object)
    out[:] = values
    return out


def gcd_all(a: ExactArray) -> int:
    return math.gcd(a.denominator, *(int(v) for v in a.numerators.ravel().tolist()))


# -- canonical form ----------------------------------------------------------------------------


def test_from_integers_reduces():
    a = ExactArray.from_integers(np.array([[4, -6], [0, 10]]), 8)
    assert a.numerators.tolist() == [[2, -3], [0, 5]] and a.denominator == 4
    assert a.numerators.dtype == np.int64 and type(a.denominator) is int
    assert not a.numerators.flags.writeable


def test_zeros_and_empty_arrays_have_denominator_one():
    assert ExactArray.from_integers(np.zeros((2, 2), dtype=np.int64), 6).denominator == 1
    empty = ExactArray.from_integers(np.zeros((0, 3), dtype=np.int64), 6)
    assert empty.denominator == 1 and empty.shape == (0, 3)
    assert ExactArray.from_values(np.empty((0,), dtype=object)).denominator == 1


@pytest.mark.parametrize(
    "den, error, text",
    [
        (0, GameStructureError, "denominator 0 must be a positive int"),
        (-3, GameStructureError, "denominator -3 must be a positive int"),
        (True, InexactValueError, "is a bool"),
        (np.bool_(True), InexactValueError, "is a bool"),
        (2.0, InexactValueError, "of type float is not an int"),
        (Fraction(1, 2), InexactValueError, "is not an int"),
        ("3", InexactValueError, "of type str is not an int"),
    ],
)
def test_bad_denominators_are_refused(den, error, text):
    with pytest.raises(error, match=text):
        ExactArray.from_integers([1, 2], den)


def test_numpy_and_sympy_integer_denominators_are_taken():
    a = ExactArray.from_integers([3], np.int32(6))
    b = ExactArray.from_integers([3], sympy.Integer(6))
    assert a == b and a.denominator == 2 and type(a.denominator) is int


@pytest.mark.parametrize(
    "numerators",
    [np.array([0.5]), np.array([True, False]), obj([1, 2.0]), obj([1, True]), np.array(["1"])],
)
def test_non_integer_numerators_are_refused(numerators):
    with pytest.raises(InexactValueError):
        ExactArray.from_integers(numerators, 1)


def test_storage_dtype_is_canonical():
    small = ExactArray.from_integers(np.array([INT64_BOUND - 1, -(INT64_BOUND - 1)]))
    assert small.numerators.dtype == np.int64
    big = ExactArray.from_integers(np.array([INT64_BOUND, 1], dtype=np.int64))
    assert big.numerators.dtype == object and big.numerators.tolist() == [2**62, 1]
    # uint64 values over the int64 range are kept exactly (not wrapped)
    u = ExactArray.from_integers(np.array([2**64 - 1], dtype=np.uint64))
    assert u.numerators.tolist() == [2**64 - 1] and u.numerators.dtype == object
    # reduction that brings Python ints back into int64 range
    r = ExactArray.from_integers(obj([2**70, 2**71]), 2**70)
    assert r.numerators.dtype == np.int64 and r.numerators.tolist() == [1, 2] and r.denominator == 1


def test_the_callers_array_is_not_frozen_or_shared():
    mine = np.array([2, 4])
    a = ExactArray.from_integers(mine, 1)
    mine[0] = 99
    assert mine.flags.writeable and a.numerators.tolist() == [2, 4]


def test_from_values_with_python_ints_is_rational():
    a = ExactArray.from_values(obj([1, 2, R(1, 3)]))
    assert not a.symbolic and a.numerators.tolist() == [3, 6, 1] and a.denominator == 3


def test_from_values_refuses_floats():
    with pytest.raises(InexactValueError):
        ExactArray.from_values(obj([sympy.Float(0.5)]))
    with pytest.raises(InexactValueError):
        ExactArray.from_values(obj([0.5]))


def test_symbolic_arrays():
    a = ExactArray.from_values(obj([X, R(1, 2)]))
    assert a.symbolic and a.numerators is None and a.denominator == 1
    assert a.exprs.tolist() == [X, R(1, 2)] and not a.exprs.flags.writeable
    assert a.value(1) == R(1, 2) and a.to_exprs() is a.exprs
    with pytest.raises(TypeError):
        a.max_abs_numerator()


# -- equality and hashing -------------------------------------------------------------------------


def test_equal_by_value():
    a = ExactArray.from_integers([2, 4], 4)
    b = ExactArray.from_values(obj([R(1, 2), R(1)]))
    assert a == b and hash(a) == hash(b) and len({a, b}) == 1
    assert a != ExactArray.from_integers([1, 2], 3)
    assert ExactArray.from_integers([1, 2]) != ExactArray.from_integers([[1, 2]])
    assert a != [1, 2] and (a == "x") is False


def test_rational_and_symbolic_arrays_are_never_equal():
    sym = ExactArray.from_values(obj([X, R(1)]))
    assert sym == ExactArray.from_values(obj([X, 1])) and hash(sym) == hash(
        ExactArray.from_values(obj([X, 1]))
    )
    assert sym != ExactArray.from_values(obj([R(1), R(1)]))
    # structural, as sympy's ==: equal as functions, different as expressions
    assert ExactArray.from_values(obj([X * (X + 1)])) != ExactArray.from_values(obj([X**2 + X]))


def test_int64_and_object_storage_of_the_same_values_do_not_occur():
    # one value, one representation: the storage follows from the values
    a = ExactArray.from_integers(np.array([5], dtype=np.int64), 1)
    b = ExactArray.from_integers(obj([5]), 1)
    assert a == b and a.numerators.dtype == b.numerators.dtype == np.int64


def test_immutable_and_picklable():
    a = ExactArray.from_integers([1, 3], 2)
    with pytest.raises(AttributeError):
        a.denominator = 3  # type: ignore[misc]
    with pytest.raises(AttributeError):
        a._data = None
    with pytest.raises(ValueError):
        a.numerators[0] = 7
    b = pickle.loads(pickle.dumps(a))
    assert b == a and not b.numerators.flags.writeable
    s = ExactArray.from_values(obj([X, 1]))
    assert pickle.loads(pickle.dumps(s)) == s


fractions = st.fractions(max_denominator=10**25).filter(lambda f: abs(f) < 10**30)


@settings(max_examples=200, deadline=None)
@given(st.lists(fractions, min_size=0, max_size=12), st.integers(1, 10**20))
def test_canonical_form_properties(values, k):
    a = ExactArray.from_values(obj([R(f.numerator, f.denominator) for f in values]))
    assert not a.symbolic and a.denominator > 0
    assert gcd_all(a) == 1  # the least common denominator
    assert [Fraction(int(a.numerators[j]), a.denominator) for j in range(len(values))] == values
    assert a.denominator == math.lcm(*(f.denominator for f in values))
    fits = all(abs(int(v)) < INT64_BOUND for v in a.numerators.tolist())
    assert (a.numerators.dtype == np.int64) == fits
    # any scaled form of the same values is the same array
    scaled = ExactArray.from_integers(
        obj([int(v) * k for v in a.numerators.tolist()]), a.denominator * k
    )
    assert scaled == a and hash(scaled) == hash(a)
    assert scaled.numerators.dtype == a.numerators.dtype


def test_contraction_tables_are_canonical():
    rng = np.random.default_rng(3)
    game = BayesianGame.from_arrays(
        rng.integers(-9, 10, size=(2, 2, 2, 3, 3)) * 4,
        prior=np.array([[2, 2], [4, 0]]),
        denominator=6,
    )
    assert game.rewards.denominator == 3 and game.prior.denominator == 4
    profile = StrategyProfile.from_arrays(
        game, [rng.integers(1, 5, size=(2, 3)), rng.integers(1, 5, size=(2, 3))]
    )
    for i in range(2):
        table = interim_table(game, profile, i)
        assert gcd_all(table) == 1


def test_from_arrays_prior_weights_sum_exactly():
    # int64 weights whose sum overflows int64 (the sum used to wrap around)
    w = np.full((2, 2), 2**62 - 1, dtype=np.int64)
    game = BayesianGame.from_arrays(np.zeros((2, 2, 2, 1, 1), dtype=np.int64), prior=w)
    assert game.probability((0, 1)) == R(1, 4)


# -- the two int64 bounds -----------------------------------------------------------------------


def test_int64_bounds():
    assert INT64_BOUND == 2**62 and np.iinfo(np.int64).max == INT64_MAX
    assert fits_int64(INT64_MAX) and not fits_int64(INT64_MAX + 1)


# -- limits before the work (issue 8 item 7b) --------------------------------------------------


def big_denominators(count: int, digits: int, seed: int = 1) -> list:
    rng = random.Random(seed)
    return [R(1, rng.randrange(10 ** (digits - 1), 10**digits)) for _ in range(count)]


def test_common_denominator_is_the_lcm_within_the_limits():
    assert common_denominator([4, 6, 10], 3) == 60
    assert common_denominator([], 0) == 1
    with pytest.raises(LimitError, match=f"MAX_DENOMINATOR_DIGITS = {MAX_DENOMINATOR_DIGITS}"):
        common_denominator([10**MAX_DENOMINATOR_DIGITS], 1)


def test_hundred_digit_denominators_are_refused_fast_in_bounded_memory():
    values = obj(big_denominators(4096, 100))
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(LimitError, match="rewards: the common denominator of 4096 values"):
        ExactArray.from_values(values, where="rewards")
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert elapsed < 2 and peak < 20 * 2**20, (elapsed, peak)


def test_a_64x64_game_file_with_100_digit_denominators_is_refused(tmp_path):
    # 1.8 MB; before: 58 s and 2.7 GB, then accepted with a 788,000-digit denominator
    acts = [f"a{k}" for k in range(64)]
    vals = iter(str(v) for v in big_denominators(2 * 64 * 64, 100, seed=2))
    doc = {
        "format": "exactpower/game-v1",
        "players": [{"name": "r", "actions": acts}, {"name": "c", "actions": acts}],
        "rewards": [
            {"actions": [a, b], "values": [next(vals), next(vals)]} for a in acts for b in acts
        ],
    }
    path = tmp_path / "big.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    start = time.perf_counter()
    with pytest.raises(LimitError, match="rewards: the common denominator"):
        files.load_game(path)
    assert time.perf_counter() - start < 20


def test_equal_hundred_digit_denominators_are_fine():
    q = 10**99 + 289
    a = ExactArray.from_values(obj([R(k, q) for k in range(1, 200)]))
    assert a.denominator == q and a.numerators.tolist() == list(range(1, 200))


def test_many_cells_lower_the_denominator_limit():
    with pytest.raises(LimitError, match="more than 20 digits"):
        common_denominator([10**25 + 1], 10**7)
    assert common_denominator([10**15 + 1], 10**7) == 10**15 + 1
