"""Factors and real roots with flint (``exactpower.equilibria.real_roots``) and the roots the
solver builds from them (``number_field.field_roots``), against sympy's ``factor_list``,
``real_roots`` and ``intervals``."""

from __future__ import annotations

import subprocess
import sys

import flint
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower.equilibria.number_field import field_roots, quadratic_roots, to_fmpq_poly
from exactpower.equilibria.real_roots import (
    real_root_intervals,
    sign_variations,
    sorted_factors,
)

U = sympy.Symbol("u")

factors = st.lists(st.integers(-9, 9), min_size=2, max_size=5).filter(lambda c: c[-1] != 0)
products = st.tuples(
    st.lists(st.tuples(factors, st.sampled_from([1, 1, 2])), min_size=1, max_size=3),
    st.fractions(min_value=-5, max_value=5).filter(lambda q: q != 0),
)


def _poly(spec) -> sympy.Poly:
    parts, scale = spec
    expr = sympy.Rational(scale.numerator, scale.denominator)
    for coeffs, k in parts:
        expr *= sum(c * U**i for i, c in enumerate(coeffs)) ** k
    return sympy.Poly(expr, U, domain="QQ")


def _rational(c: flint.fmpq) -> sympy.Rational:
    return sympy.Rational(int(c.p), int(c.q))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products)
def test_sorted_factors_are_sympys_factor_list(spec):
    poly = _poly(spec)
    mine = sorted_factors(to_fmpq_poly(poly))
    theirs = poly.factor_list()[1]
    assert [(f, k) for f, k in mine] == [(to_fmpq_poly(f), k) for f, k in theirs]
    assert all(type(f) is flint.fmpq_poly and type(k) is int for f, k in mine)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products)
def test_root_intervals_isolate_sympys_real_roots_in_order(spec):
    for factor, _k in _poly(spec).factor_list()[1]:
        if factor.degree() < 2:
            continue
        intervals = real_root_intervals(to_fmpq_poly(factor))
        roots = factor.real_roots()
        assert len(intervals) == len(roots)
        for (low, high), root in zip(intervals, roots, strict=True):
            assert low < high and type(low) is flint.fmpq
            assert _rational(low) < root < _rational(high)  # exact comparison with CRootOf
        ends = [e for interval in intervals for e in interval]
        assert ends == sorted(ends)  # disjoint, increasing


def test_sign_variations_counts_roots_exactly_when_zero_or_one():
    m = flint.fmpq_poly([-2, 0, 1])  # ±√2
    assert sign_variations(m, flint.fmpq(0), flint.fmpq(2)) == 1
    assert sign_variations(m, flint.fmpq(-2), flint.fmpq(2)) == 2
    assert sign_variations(m, flint.fmpq(2), flint.fmpq(5)) == 0
    assert real_root_intervals(flint.fmpq_poly([1, 0, 1])) == []  # u² + 1: none


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products)
def test_field_roots_have_sympys_exact_forms(spec):
    for factor, _k in _poly(spec).factor_list()[1]:
        if factor.degree() > 4:
            continue
        m = to_fmpq_poly(factor)
        roots = field_roots(m, lambda factor=factor: factor)
        theirs = factor.real_roots()
        assert [sympy.srepr(r.value) for r in roots] == [sympy.srepr(r) for r in theirs]
        if factor.degree() == 2:  # the same values as the eager quadratic path
            eager = quadratic_roots(m, factor)
            one = flint.fmpq_poly([3, 1])  # θ + 3
            assert [r.to_expr(one) for r in roots] == [r.to_expr(one) for r in eager]


def _assert_quadratic_roots_as_sympy_writes_them(poly: sympy.Poly) -> None:
    """Every quadratic factor's roots, from :func:`field_roots`, are the expressions
    ``Poly.real_roots`` gives (the same ``srepr``)."""
    for factor, _k in poly.factor_list()[1]:
        if factor.degree() != 2:
            continue
        roots = field_roots(to_fmpq_poly(factor), lambda factor=factor: factor)
        assert [sympy.srepr(r.value) for r in roots] == [
            sympy.srepr(r) for r in factor.real_roots()
        ]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(-(2**16), 2**16).filter(lambda a: a != 0),
    st.integers(-(2**16), 2**16),
    st.integers(-(2**16), 2**16),
)
def test_quadratic_roots_are_written_as_sympy_writes_them(a, b, c):
    # Discriminants on both sides of 2**30 (the side without sympy, and sympy's sqrt).
    poly = sympy.Poly(a * U**2 + b * U + c, U, domain="QQ")
    _assert_quadratic_roots_as_sympy_writes_them(poly)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(-(2**46), 2**46).filter(lambda a: a != 0),
    st.integers(-(2**47), 2**47),
    st.integers(-(2**46), 2**46),
    st.sampled_from([1, 4, 9, 32749**2, 32771**2, 1000003**2]),
)
def test_quadratic_roots_with_large_discriminants_are_written_as_sympy_writes_them(a, b, c, square):
    # Discriminants on both sides of 2**96, with a square factor that sympy's trial
    # division finds (below 2**15: 32749) or not (32771, 1000003): flint's factorization,
    # or sympy's sqrt.
    poly = sympy.Poly(a * square * U**2 + b * U + c, U, domain="QQ")
    _assert_quadratic_roots_as_sympy_writes_them(poly)


def test_quadratic_surds_are_square_free():
    p, q = 32749, 32771  # the primes either side of 2**15
    cases = (
        (U**2 - 12, ["-2*sqrt(3)", "2*sqrt(3)"]),  # below 2**30: flint's factorization
        (U**2 - 2**31 + 1, ["-sqrt(2147483647)", "sqrt(2147483647)"]),  # 2**31 - 1 is prime
        (U**2 - 7 * p**2, [f"-{p}*sqrt(7)", f"{p}*sqrt(7)"]),  # p² above 2**30: flint
        (U**2 - 7 * q**2, [f"-{q}*sqrt(7)", f"{q}*sqrt(7)"]),  # q²: sympy decides
    )
    for poly, expected in cases:
        factor = sympy.Poly(poly, U, domain="QQ")
        roots = field_roots(to_fmpq_poly(factor), lambda factor=factor: factor)
        assert [str(r.value) for r in roots] == expected
        assert [str(r) for r in factor.real_roots()] == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(-(2**20), 2**20),
    st.integers(1, 50),
    st.integers(2, 2**30).filter(lambda n: flint.fmpz(n).is_square() is False),
    st.sampled_from([1, 32749, 32771, 1000003]),
)
def test_quadratic_roots_of_discriminants_with_a_square_factor(b, j, n, p):
    # x² + 2bx + b² - (p j)² n: discriminant 4 (p j)² n, so p² divides it; p below 2**15
    # (flint's factorization) or above (sympy's sqrt).
    c = b * b - (p * j) ** 2 * n
    poly = sympy.Poly.from_list([1, 2 * b, c], U, domain="QQ")
    _assert_quadratic_roots_as_sympy_writes_them(poly)


def test_a_prime_listed_twice_by_flint_is_one_square():
    from exactpower.exact.algebraic import square_free_parts

    d = 1000033 * 1000037 * 32771**2  # flint lists 32771 twice, each with exponent 1
    assert square_free_parts(d) == (32771, 1000033 * 1000037, True)
    assert square_free_parts(4 * 3 * 32749**2) == (2 * 32749, 3, False)


def test_quadratic_roots_survive_sympys_factor_cache_error():
    # sympy 1.14: after sqrt(7 · 32771²), sqrt(32771² · 1000033 · 1000037) raises "... is not
    # a prime factor of ..." from its factor cache; the roots of a quadratic with that
    # discriminant must still come out, exact.  (A fresh process: the cache is global.)
    code = """
import sympy, flint
from exactpower.equilibria.number_field import field_roots
p = 32771
sympy.sqrt(sympy.Integer(7 * p * p))
d = 1000033 * 1000037 * p * p
c = (1 - d) // 4
u = sympy.Symbol("u")
poly = sympy.Poly.from_list([1, 1, c], u, domain="QQ")
roots = field_roots(flint.fmpq_poly([c, 1, 1]), lambda: poly)
print([sympy.expand(r.value**2 + r.value + c) == 0 for r in roots], roots[0].value < 0)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[True, True] True"


def test_large_prime_squares_go_to_sympy():
    from exactpower.equilibria.number_field import _small_quadratic_parts

    p, q = 32749, 32771
    assert _small_quadratic_parts(flint.fmpq_poly([-7 * p**2, 0, 1])) is not None
    assert _small_quadratic_parts(flint.fmpq_poly([-7 * q**2, 0, 1])) is None
    assert _small_quadratic_parts(flint.fmpq_poly([-(2**96 + 13), 0, 1])) is None
    assert _small_quadratic_parts(flint.fmpq_poly([-(2**89 - 1), 0, 1])) is not None  # prime
