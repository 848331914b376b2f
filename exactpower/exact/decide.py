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

import functools
import itertools
import math
from collections.abc import Iterable
from typing import Any

import sympy

from ..limits import MAX_VERTEX_PARAMETERS

__all__ = [
    "same",
    "exact_sum",
    "provably_nonnegative",
    "provably_nonzero",
    "denominator_factors",
    "exact_max",
    "tidy",
    "canonical_max",
    "canonical",
    "max_free",
    "rational_value",
    "term_bound",
]


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
        return bool(x == y)
    (fx, fy), _ = max_free((x, y))
    return bool(sympy.cancel(fx - fy) == 0)


def exact_sum(values: Iterable[Any]) -> sympy.Expr:
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


def provably_nonnegative(
    expr: sympy.Expr, probabilities: frozenset[sympy.Symbol] = frozenset()
) -> bool:
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
        return bool(expr >= 0)  # a Python bool, not sympy's true
    if expr.is_nonnegative:
        return True
    if isinstance(expr, sympy.Mul) and all(
        provably_nonnegative(f, probabilities) for f in expr.args
    ):
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


def _interval(
    symbol: sympy.Symbol,
    probabilities: frozenset[sympy.Symbol],
) -> tuple[sympy.Integer | None, sympy.Integer | None, bool]:
    """The domain of ``symbol`` as ``(low, high)`` (``None``: unbounded), both ends included
    except an open ``0`` of a ``positive`` symbol, given as ``(0, None, True)``."""
    if symbol in probabilities:
        return (sympy.Integer(0), sympy.Integer(1), False)
    if symbol.is_positive:
        return (sympy.Integer(0), None, True)
    if symbol.is_nonnegative:
        return (sympy.Integer(0), None, False)
    return (None, None, False)


def _factor_nonzero(factor: sympy.Expr, probabilities: frozenset[sympy.Symbol]) -> bool:
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
        return bool(roots == 0)
    if free and set(free) <= probabilities and len(free) <= MAX_VERTEX_PARAMETERS:
        poly = sympy.Poly(factor, *free, domain=sympy.QQ)
        if all(d <= 1 for d in poly.degree_list()):  # multilinear: extremes at the vertices
            signs = {sympy.sign(poly(*v)) for v in itertools.product((0, 1), repeat=len(free))}
            return signs in ({1}, {-1})
    return False


def provably_nonzero(
    expr: sympy.Expr, probabilities: frozenset[sympy.Symbol] = frozenset()
) -> bool:
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
        return bool(expr != 0)
    if (
        not isinstance(expr, sympy.Expr)
        or not expr.is_polynomial(*expr.free_symbols)
        or expr.has(sympy.Max)
    ):
        return False
    _, factors = sympy.factor_list(expr)
    return all(_factor_nonzero(f, probabilities) for f, _ in factors)


def denominator_factors(expr: sympy.Expr) -> tuple[sympy.Expr, ...]:
    """The irreducible polynomial factors of the denominators written in ``expr``, monic.

    Every ``b**(-k)`` in the expression tree contributes the factors of the numerator of
    ``b`` (a nested denominator is a node of its own); nothing is cancelled first, so
    ``(x - x**2)/(1 - x)`` has the factor ``x - 1``.  A base that is not a polynomial (a
    ``Max``) is returned as it is.

    >>> x = sympy.Symbol("x", real=True)
    >>> denominator_factors((x - x**2)/(1 - x)), denominator_factors(x/2 + 1)
    ((x - 1,), ())
    """
    out: list[sympy.Expr] = []
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


def exact_max(
    values: Iterable[Any], probabilities: frozenset[sympy.Symbol] = frozenset()
) -> sympy.Expr:
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
    kept: list[sympy.Expr] = []
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
    if not expr.has(sympy.Max):
        expanded = sympy.expand(expr)
        return _factor(expanded) if expanded.free_symbols else expanded
    (free,), back = max_free((expr,))  # sympy's Max is never rebuilt (nor evaluated)
    expanded = sympy.expand(free)
    maxima = sorted(back, key=lambda d: sympy.default_sort_key(back[d]))
    return sympy.collect(expanded, maxima, func=_factor).xreplace(back)


#: terms of a polynomial above which :func:`tidy` leaves it expanded (factoring a large
#: multivariate polynomial can take minutes; the form is cosmetic)
FACTOR_TERMS = 24


def _factor(expr: sympy.Expr) -> sympy.Expr:
    numerator, denominator = expr.as_numer_denom()
    if (
        len(sympy.Add.make_args(sympy.expand(numerator))) > FACTOR_TERMS
        or len(sympy.Add.make_args(sympy.expand(denominator))) > FACTOR_TERMS
    ):
        return expr
    return sympy.factor(expr)


def term_bound(expr: sympy.Expr) -> int:
    """An upper bound of the number of terms of ``sympy.expand(expr)`` (and of each of its
    expanded denominators), from the tree alone (no expansion): a sum has at most the sum of
    its parts' terms, a product the product, ``b**k`` (``|k|`` an integer)
    ``C(t + |k| − 1, |k|)`` for ``t`` terms of ``b`` (the monomials of degree ``|k|`` in ``t``
    terms); anything else 1.  It measures the size of a value for the proof limits.

    >>> x, y = sympy.symbols("x y")
    >>> term_bound(3*x + 1), term_bound((x + y + 1)**2 * x), term_bound(1/(x + 1) + x)
    (2, 6, 3)
    """
    return _terms(expr)


@functools.lru_cache(maxsize=65536)
def _terms(e: sympy.Expr) -> int:
    if isinstance(e, sympy.Add):
        return sum(_terms(a) for a in e.args)
    if isinstance(e, sympy.Mul):
        return math.prod(_terms(a) for a in e.args)
    if isinstance(e, sympy.Pow) and isinstance(e.exp, sympy.Integer):
        t, k = _terms(e.base), abs(int(e.exp))
        return math.comb(t + k - 1, k) if t > 1 else 1
    if isinstance(e, (sympy.Max, sympy.Min)):  # each argument is normalised on its own
        return sum(_terms(a) for a in e.args)
    return 1


# -- the maximum as one canonical unevaluated ``sympy.Max`` -----------------------------------


def canonical_max(values: Iterable[sympy.Expr]) -> sympy.Expr:
    """The maximum of exact values as one canonical, unevaluated ``sympy.Max``.

    Without sympy's own evaluation of ``Max`` (which compares its arguments pairwise with
    ``factor_terms`` and can take minutes): nested ``Max`` flattened; arguments that differ
    only by a number -- the same non-constant part ``g`` of ``c + g``
    (``Expr.as_coeff_Add``), numbers being ``c + 0`` -- reduced to the one with the largest
    ``c`` (so every number folds into their maximum), in linear time; then, in a fixed
    order (``sympy.default_sort_key``), an argument ``b`` is dropped when another ``a``
    has ``(a − b).is_nonnegative`` by the symbols' assumptions alone (e.g. ``q + 1 ≥ 0``
    for a ``nonnegative`` q; one assumption query per pair, no simplification); repeats
    dropped (the order of the values does not matter); one argument left is the result
    itself.  Each step is exact: ``Max(g + c, g + d) = g + max(c, d)`` and
    ``Max(a, b) = a`` where ``a ≥ b``.  The builders and the kernel (:func:`canonical`)
    both build every maximum with it.

    >>> x = sympy.Symbol("x", real=True)
    >>> canonical_max([x, sympy.Integer(1), sympy.Max(-x, 3, evaluate=False), x + 2, -x])
    Max(3, -x, x + 2)
    >>> canonical_max([x, x]), canonical_max([sympy.Integer(1), sympy.Rational(1, 2)])
    (x, 1)
    >>> canonical_max([-x, x]) == canonical_max([x, -x])
    True
    >>> q = sympy.Symbol("q", nonnegative=True)
    >>> canonical_max([q/2 + sympy.Rational(1, 2), -q/2 - sympy.Rational(1, 2)])
    q/2 + 1/2
    """
    best: dict[sympy.Expr, tuple[sympy.Rational, sympy.Expr]] = {}
    for v in values:
        for a in v.args if isinstance(v, sympy.Max) else (v,):
            c, g = a.as_coeff_Add()
            if g not in best or c > best[g][0]:
                best[g] = (c, a)
    if not best:
        raise ValueError("canonical_max of no values")
    return _undominated(frozenset(a for _, a in best.values()))


@functools.lru_cache(maxsize=4096)
def _undominated(args: frozenset[sympy.Expr]) -> sympy.Expr:
    """:func:`canonical_max` of arguments no two of which differ by a number."""
    kept: list[sympy.Expr] = []
    for v in sorted(args, key=sympy.default_sort_key):
        if any((k - v).is_nonnegative for k in kept):
            continue
        kept = [k for k in kept if not (v - k).is_nonnegative]
        kept.append(v)
    return kept[0] if len(kept) == 1 else sympy.Max(*kept, evaluate=False)


def _cancelled(e: sympy.Expr) -> sympy.Expr:
    """``e`` (canonical) in ``cancel`` form, its ``Max`` atoms kept as they are."""
    if isinstance(e, sympy.Rational):
        return e
    (free,), back = max_free((e,), canonical_first=False)
    return sympy.cancel(free).xreplace(back)


@functools.lru_cache(maxsize=8192)
def canonical(e: sympy.Expr) -> sympy.Expr:
    """``e`` with every ``Max`` rebuilt by :func:`canonical_max` from its arguments in
    ``cancel`` form (innermost first); an expression without ``Max`` is returned as it is.

    The same value written with its maxima in another order, nesting, or with arguments
    written differently, gets the same ``Max`` atoms.

    >>> x = sympy.Symbol("x", real=True)
    >>> canonical(2*sympy.Max(x*(x + 1)/x, 0, -x, evaluate=False))
    2*Max(0, -x, x + 1)
    """
    if not e.has(sympy.Max):
        return e
    if isinstance(e, sympy.Max):
        return canonical_max([_cancelled(canonical(a)) for a in e.args])
    return e.func(*(canonical(a) for a in e.args))


def max_free(
    values: Iterable[sympy.Expr],
    canonical_first: bool = True,
) -> tuple[tuple[sympy.Expr, ...], dict[sympy.Symbol, sympy.Expr]]:
    """``(values, back)``: the values with every ``Max`` replaced by a fresh symbol (the same
    symbol for the same canonical ``Max``, see :func:`canonical`), and ``back``, the map from
    those symbols to their ``Max`` (``expr.xreplace(back)`` restores an expression).

    A rational-function identity of the symbol forms holds whatever values the symbols
    take, so it holds for the maxima they stand for: deciding equality this way is sound
    (two different maxima that happen to be equal are merely not seen to be), and sympy's
    ``Max`` is never rebuilt -- nor evaluated -- by ``cancel`` or ``expand``.

    >>> x = sympy.Symbol("x", real=True)
    >>> (a, b), back = max_free([sympy.Max(x, -x) + 1, sympy.Max(-x, x)])
    >>> sympy.expand(a - b), list(back.values())
    (1, [Max(-x, x)])
    """
    values = tuple(canonical(v) for v in values) if canonical_first else tuple(values)
    maxima = set().union(*(v.atoms(sympy.Max) for v in values))
    if not maxima:
        return values, {}
    to = {
        m: sympy.Dummy(f"max{k}") for k, m in enumerate(sorted(maxima, key=sympy.default_sort_key))
    }
    return tuple(v.xreplace(to) for v in values), {d: m for m, d in to.items()}


def rational_value(e: sympy.Expr) -> sympy.Rational | None:
    """``e`` as a ``Rational`` if it cancels to one with its maxima as symbols
    (:func:`max_free`), else ``None`` ("not proved a number").

    >>> x = sympy.Symbol("x", real=True)
    >>> rational_value(sympy.Max(x, -x) - sympy.Max(-x, x) + x/x), rational_value(x)
    (1, None)
    """
    if isinstance(e, sympy.Rational):
        return e
    (free,), _ = max_free((e,))
    numerator, denominator = free.as_numer_denom()
    numerator, denominator = sympy.expand(numerator), sympy.expand(denominator)
    if denominator == 0:
        return None
    if isinstance(numerator, sympy.Rational) and isinstance(denominator, sympy.Rational):
        return numerator / denominator
    value = _sample(numerator, denominator)  # the only candidate; proved below, exactly
    if value is None or sympy.expand(numerator - value * denominator) != 0:
        return None
    return value


def _sample(numerator: sympy.Expr, denominator: sympy.Expr) -> sympy.Rational | None:
    """``numerator/denominator`` at the first point of a fixed sequence where the denominator
    is not 0 (each symbol its own small rational), or ``None``; a candidate only."""
    symbols = sorted(numerator.free_symbols | denominator.free_symbols, key=lambda s: s.name)
    for shift in range(1, 4):
        point = {s: sympy.Rational(1, k + shift + 1) for k, s in enumerate(symbols)}
        d = denominator.xreplace(point)
        if isinstance(d, sympy.Rational) and d != 0:
            n = numerator.xreplace(point)
            return n / d if isinstance(n, sympy.Rational) else None
    return None
