"""Decisions on exact values: equality, sign, maximum, sum, definedness.

The small decision procedures that the whole library uses on exact values (sympy
``Rational`` numbers and expressions in declared parameters, see
:mod:`exactpower.exact.values`).  Each is exact; the ones on symbolic values are
*sound but incomplete*: ``True`` is a proof, ``False`` means "not proved".

>>> import sympy
>>> q = sympy.Symbol("q", nonnegative=True)
>>> same(q*(1 - q), q - q**2), same(q, 1 - q)
(True, False)
>>> exact_sum([sympy.Rational(1, 3), q, 1 - q])
4/3
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import sympy

from ..limits import MAX_VERTEX_PARAMETERS

__all__ = ["same", "exact_sum", "provably_nonnegative", "provably_nonzero",
           "denominator_factors", "exact_max", "tidy"]


def same(x: sympy.Expr, y: sympy.Expr) -> bool:
    """Whether two exact values are the same value.

    Two ``Rational`` numbers: ``x == y``.  Otherwise: whether ``x - y`` cancels to
    exactly 0 (``sympy.cancel``), i.e. whether ``x`` and ``y`` are the same rational
    function of their symbols -- so equal for every value of the parameters (wherever
    both are defined), whatever way each is written.  A ``Max`` is one more symbol
    here: ``Max(q, 1 - q)`` is the same as itself written in any order, but not as a
    different expression that happens to equal it.  ``False`` therefore means "not the
    same rational function", which for values without ``Max`` means they differ at some
    point of the parameters' domain.

    >>> import sympy
    >>> x = sympy.Symbol("x")
    >>> same(sympy.Rational(2, 4), sympy.Rational(1, 2)), same(x*(x + 1), x**2 + x)
    (True, True)
    >>> same((x**2 - 1)/(x - 1), x + 1), same(x, sympy.Integer(0))
    (True, False)
    """
    if isinstance(x, sympy.Rational) and isinstance(y, sympy.Rational):
        return x == y
    return sympy.cancel(x - y) == 0


def exact_sum(values: Iterable) -> sympy.Expr:
    """The sum of exact values, in one pass (``sympy.Integer(0)`` for none).

    Unlike the built-in ``sum``, it starts from a sympy zero, so the result is a sympy
    value even for no values or Python ints.

    >>> exact_sum([]), type(exact_sum([1, 2])).__name__
    (0, 'Integer')
    """
    total = sympy.Integer(0)
    for v in values:
        total += v
    return total


def provably_nonnegative(expr: sympy.Expr, probabilities: frozenset = frozenset()) -> bool:
    """Whether ``expr >= 0`` holds for every value of its parameters.

    Decided exactly by sympy's assumptions, or -- for a polynomial that is
    multilinear in ``probability`` parameters only -- by its values at the
    vertices of the unit box, where a multilinear polynomial attains its
    extremes.  ``False`` means "not proved", not "negative".

    Examples
    --------
    >>> q = sympy.Symbol("q", nonnegative=True)
    >>> provably_nonnegative(1 - q, frozenset({q}))
    True
    >>> provably_nonnegative(1 - 2*q, frozenset({q}))
    False
    """
    if isinstance(expr, sympy.Rational):
        return expr >= 0
    if expr.is_nonnegative:
        return True
    if isinstance(expr, sympy.Mul) and all(provably_nonnegative(f, probabilities) for f in expr.args):
        return True  # e.g. q*(1 - q), a product of independent marginals
    free = expr.free_symbols
    if not free or not free <= probabilities or len(free) > MAX_VERTEX_PARAMETERS:
        return False
    gens = sorted(free, key=lambda s: s.name)
    try:
        poly = sympy.Poly(expr, *gens, domain=sympy.QQ)
    except sympy.PolynomialError:
        return False
    if any(d > 1 for d in poly.degree_list()):
        return False
    return all(poly(*v) >= 0 for v in itertools.product((0, 1), repeat=len(gens)))


def _interval(symbol: sympy.Symbol, probabilities: frozenset) -> tuple:
    """The domain of ``symbol`` as ``(low, high)`` (``None``: unbounded), both ends included
    except an open ``0`` of a ``positive`` symbol, given as ``(0, None, True)``."""
    if symbol in probabilities:
        return (sympy.Integer(0), sympy.Integer(1), False)
    if symbol.is_positive:
        return (sympy.Integer(0), None, True)
    if symbol.is_nonnegative:
        return (sympy.Integer(0), None, False)
    return (None, None, False)


def _factor_nonzero(factor: sympy.Expr, probabilities: frozenset) -> bool:
    """Whether an irreducible polynomial ``factor`` has no zero on the parameters' domain."""
    if factor.is_positive or factor.is_negative:
        return True  # sympy's assumptions, e.g. ``q + 1`` for a nonnegative ``q``
    free = sorted(factor.free_symbols, key=lambda s: s.name)
    if len(free) == 1:  # exact real-root counting on the domain interval
        (s,) = free
        low, high, open_low = _interval(s, probabilities)
        poly = sympy.Poly(factor, s, domain=sympy.QQ)
        roots = poly.count_roots(low, high)
        if open_low and poly(0) == 0:
            roots -= 1
        return roots == 0
    if free and set(free) <= probabilities and len(free) <= MAX_VERTEX_PARAMETERS:
        poly = sympy.Poly(factor, *free, domain=sympy.QQ)
        if all(d <= 1 for d in poly.degree_list()):  # multilinear: extremes at the vertices
            signs = {sympy.sign(poly(*v)) for v in itertools.product((0, 1), repeat=len(free))}
            return signs in ({1}, {-1})
    return False


def provably_nonzero(expr: sympy.Expr, probabilities: frozenset = frozenset()) -> bool:
    """Whether a polynomial ``expr`` is nonzero for every value of its parameters.

    ``expr`` is split into its irreducible factors over ``QQ``; each must be sign-definite
    by sympy's assumptions, have no real root in its parameter's domain (one parameter:
    exact root counting, ``Poly.count_roots``), or be a multilinear polynomial in
    ``probability`` parameters with the same strict sign at every vertex of the unit box.
    ``False`` means "not proved" (also for anything that is not a polynomial).

    Examples
    --------
    >>> q, x = sympy.Symbol("q", nonnegative=True), sympy.Symbol("x", real=True)
    >>> provably_nonzero(q + 1, frozenset({q})), provably_nonzero(2 - q, frozenset({q}))
    (True, True)
    >>> provably_nonzero(1 - q, frozenset({q})), provably_nonzero(x**2 + 1), provably_nonzero(x)
    (False, True, False)
    """
    if isinstance(expr, sympy.Rational):
        return expr != 0
    if not isinstance(expr, sympy.Expr) or not expr.is_polynomial(*expr.free_symbols) \
            or expr.has(sympy.Max):
        return False
    _, factors = sympy.factor_list(expr)
    return all(_factor_nonzero(f, probabilities) for f, _ in factors)


def denominator_factors(expr: sympy.Expr) -> tuple:
    """The irreducible polynomial factors of the denominators written in ``expr``, monic.

    Every ``b**(-k)`` in the expression tree contributes the factors of the numerator of
    ``b`` (a nested denominator is a node of its own); nothing is cancelled first, so
    ``(x - x**2)/(1 - x)`` has the factor ``x - 1``.  A base that is not a polynomial (a
    ``Max``) is returned as it is.

    >>> x = sympy.Symbol("x", real=True)
    >>> denominator_factors((x - x**2)/(1 - x)), denominator_factors(x/2 + 1)
    ((x - 1,), ())
    """
    out: list = []
    for node in sympy.preorder_traversal(expr):
        if not (isinstance(node, sympy.Pow) and node.exp.is_negative):
            continue
        base = node.base.as_numer_denom()[0]
        if base.has(sympy.Max) or not base.free_symbols:
            out.append(base)
            continue
        for f, _ in sympy.factor_list(base)[1]:
            gens = sorted(f.free_symbols, key=lambda s: s.name)
            out.append(sympy.Poly(f, *gens, domain=sympy.QQ).monic().as_expr())
    return tuple(dict.fromkeys(out))


def exact_max(values: Iterable, probabilities: frozenset = frozenset()) -> sympy.Expr:
    """The maximum of exact values, simplified where it can be decided.

    For numbers, the maximum.  For expressions, every value that another
    provably dominates is dropped (ties keep the first); what remains is
    ``sympy.Max`` of the rest, which sympy may simplify further with the
    parameters' assumptions.  The result is always exact.

    Examples
    --------
    >>> exact_max([sympy.Rational(1, 3), sympy.Integer(-1)])
    1/3
    >>> x = sympy.Symbol("x", real=True)
    >>> exact_max([x, -x])
    Max(-x, x)
    >>> q = sympy.Symbol("q", nonnegative=True)
    >>> exact_max([q, sympy.Integer(1)], frozenset({q}))
    1
    """
    values = list(values)
    if not values:
        raise ValueError("exact_max of no values")
    if all(isinstance(v, sympy.Rational) for v in values):
        return max(values)
    kept: list = []
    for v in values:
        if any(provably_nonnegative(k - v, probabilities) for k in kept):
            continue
        kept = [k for k in kept if not provably_nonnegative(v - k, probabilities)]
        kept.append(v)
    return kept[0] if len(kept) == 1 else sympy.Max(*kept)


def tidy(expr: sympy.Expr) -> sympy.Expr:
    """A readable exact form of a symbolic result: terms collected by their ``Max`` atoms.

    Exact rewriting only (``expand``, ``collect``, ``factor``); numbers pass through.

    >>> q = sympy.Symbol("q", nonnegative=True)
    >>> m = sympy.Max(q, 1 - q)
    >>> tidy(q*m + (1 - q)*m)
    Max(q, 1 - q)
    """
    if isinstance(expr, sympy.Rational):
        return expr
    expanded = sympy.expand(expr)
    maxima = sorted(expanded.atoms(sympy.Max), key=sympy.default_sort_key)
    if not maxima:
        return sympy.factor(expanded) if expanded.free_symbols else expanded
    return sympy.collect(expanded, maxima, func=sympy.factor)
