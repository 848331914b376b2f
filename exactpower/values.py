"""Exact values: the one place where numbers enter exactpower.

Every number a user hands to exactpower -- in Python or in a file -- goes
through :func:`as_exact`, which returns a sympy object: a ``Rational`` (an
``Integer`` included) or an expression in declared :class:`Parameter` symbols.
Floats are refused there, so none exist past it.

This module also holds the two small decision procedures that the rest of the
library uses on symbolic values: :func:`provably_nonnegative` and
:func:`exact_max`.
"""

from __future__ import annotations

import decimal
import fractions
import itertools
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sympy

from .errors import InexactValueError, ParameterError

__all__ = [
    "DOMAINS",
    "Parameter",
    "as_exact",
    "as_rational",
    "provably_nonnegative",
    "provably_nonzero",
    "denominator_factors",
    "exact_max",
    "probability_symbols",
    "tidy",
]

#: Parameter domains and the sympy assumptions that encode them.  The upper
#: bound of ``probability`` is known to exactpower, not to sympy.
DOMAINS = {
    "real": {"real": True},
    "positive": {"positive": True},
    "nonnegative": {"nonnegative": True},
    "probability": {"nonnegative": True},
}

#: The grammar of parameter names: an ASCII letter, then letters and digits, optionally
#: followed by ``_`` and a subscript of letters and digits (``q``, ``x2``, ``lambda``,
#: ``p_high``, ``alpha_1``).  ``proofs.latex`` renders every such name injectively.
PARAMETER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?")

#: Names of the notation in printed values and conditions, refused as parameter names.
RESERVED_NAMES = frozenset({"Max", "Min", "Eq", "Ne", "True", "False"})

#: At most this many ``probability`` parameters in one vertex check (2**k points).
MAX_VERTEX_PARAMETERS = 12


@dataclass(frozen=True)
class Parameter:
    """A named symbol in a symbolic game, with its domain.

    The name follows :data:`PARAMETER_NAME` (a letter, letters and digits, optionally
    ``_`` and a subscript) and is not in :data:`RESERVED_NAMES`.

    Examples
    --------
    >>> q = Parameter("q", "probability")
    >>> q.symbol, q.symbol.is_nonnegative
    (q, True)
    """

    name: str
    domain: str = "real"

    def __post_init__(self):
        if not isinstance(self.name, str) or not PARAMETER_NAME.fullmatch(self.name):
            raise ParameterError(
                f"parameter name {self.name!r} is not a letter followed by letters and "
                f"digits, optionally with one '_' and a subscript (e.g. q, x2, p_high)"
            )
        if self.name in RESERVED_NAMES:
            raise ParameterError(f"parameter name {self.name!r} is reserved (reserved: "
                                 f"{', '.join(sorted(RESERVED_NAMES))})")
        if self.domain not in DOMAINS:
            raise ParameterError(
                f"parameter {self.name!r}: unknown domain {self.domain!r} "
                f"(expected one of {', '.join(DOMAINS)})"
            )

    @property
    def symbol(self) -> sympy.Symbol:
        """The sympy symbol, with the assumptions of the domain."""
        return sympy.Symbol(self.name, **DOMAINS[self.domain])


def probability_symbols(parameters: Iterable[Parameter]) -> frozenset:
    """The symbols of the parameters whose domain is ``probability``."""
    return frozenset(p.symbol for p in parameters if p.domain == "probability")


def _by_name(parameters) -> dict:
    if parameters is None:
        return {}
    if isinstance(parameters, Mapping):
        return dict(parameters)
    return {p.name: p.symbol for p in parameters}


def as_exact(value, parameters=None, *, where: str = "value") -> sympy.Expr:
    """Convert a value to an exact sympy object, refusing anything inexact.

    Parameters
    ----------
    value : int, Fraction, Decimal, str, sympy.Expr
        ``int`` (not ``bool``), ``fractions.Fraction``, a finite ``Decimal``
        (taken exactly), text in exactpower's expression grammar, or a sympy
        expression whose free symbols are declared parameters (matched by
        name and replaced by the declared symbol).
    parameters : iterable of Parameter, or mapping name -> Symbol, optional
        The declared parameters.
    where : str
        Names the place of the value in error messages.

    Returns
    -------
    sympy.Expr
        A ``sympy.Rational`` for a number, else an expression.

    Raises
    ------
    InexactValueError
        For a float (Python, numpy or sympy) or an unsupported type.
    ParameterError
        For a symbol that is not a declared parameter.

    Examples
    --------
    >>> as_exact("0.1")
    1/10
    >>> as_exact(3), type(as_exact(3)).__name__
    (3, 'Integer')
    >>> as_exact("1 - q", [Parameter("q", "probability")])
    1 - q
    >>> as_exact(0.5)
    Traceback (most recent call last):
    ...
    exactpower.errors.InexactValueError: value: 0.5 is a float; exactpower takes exact values only (write "1/2" or Fraction(1, 2))
    """
    symbols = _by_name(parameters)
    if isinstance(value, bool):
        raise InexactValueError(f"{where}: {value!r} is a bool, not a number")
    if isinstance(value, (float, complex)) or _is_numpy_float(value):
        raise InexactValueError(
            f"{where}: {value!r} is a float; exactpower takes exact values only "
            f'(write "1/2" or Fraction(1, 2))'
        )
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, fractions.Fraction):
        return sympy.Rational(value.numerator, value.denominator)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise InexactValueError(f"{where}: {value!r} is not a finite number")
        f = fractions.Fraction(value)
        return sympy.Rational(f.numerator, f.denominator)
    if isinstance(value, str):
        from .expressions import parse_expression

        return parse_expression(value, symbols, where=where)
    if isinstance(value, sympy.Basic):
        return _checked_sympy(value, symbols, where)
    raise InexactValueError(
        f"{where}: {value!r} of type {type(value).__name__} is not an exact value "
        f"(use int, Fraction, Decimal, a string such as '3/4', or a sympy expression)"
    )


def _is_numpy_float(value) -> bool:
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    return kind in ("f", "c")


def _checked_sympy(value: sympy.Basic, symbols: dict, where: str) -> sympy.Expr:
    if not isinstance(value, sympy.Expr):
        raise InexactValueError(f"{where}: {value!r} is not a sympy expression")
    if value.has(sympy.Float):
        raise InexactValueError(f"{where}: {value} contains a sympy Float; use Rational")
    if any(not isinstance(a, (sympy.Rational, sympy.Symbol)) for a in value.atoms()):
        bad = [a for a in value.atoms() if not isinstance(a, (sympy.Rational, sympy.Symbol))]
        raise InexactValueError(f"{where}: {value} contains {bad[0]}, which is not exact rational")
    replace = {}
    for s in value.free_symbols:
        if s.name not in symbols:
            declared = ", ".join(sorted(symbols)) or "none"
            raise ParameterError(
                f"{where}: {s.name!r} is not a declared parameter (declared: {declared})"
            )
        replace[s] = symbols[s.name]
    result = value.xreplace(replace) if replace else value
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InexactValueError(f"{where}: {value} is not finite")
    return result


def as_rational(value, *, where: str = "value") -> sympy.Rational:
    """:func:`as_exact` for a value that must be a plain number.

    >>> as_rational("-3/4")
    -3/4
    """
    result = as_exact(value, where=where)
    if not isinstance(result, sympy.Rational):
        raise ParameterError(f"{where}: {result} must be a number, not an expression")
    return result


def provably_nonnegative(expr: sympy.Expr, probabilities: frozenset = frozenset()) -> bool:
    """Whether ``expr >= 0`` holds for every value of its parameters.

    Decided exactly by sympy's assumptions, or -- for a polynomial that is
    multilinear in ``probability`` parameters only -- by its values at the
    vertices of the unit box, where a multilinear polynomial attains its
    extremes.  ``False`` means "not proved", not "negative".

    Examples
    --------
    >>> q = Parameter("q", "probability").symbol
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
    >>> q = Parameter("q", "probability").symbol
    >>> x = Parameter("x").symbol
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

    >>> x = Parameter("x").symbol
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
    >>> import sympy
    >>> exact_max([sympy.Rational(1, 3), sympy.Integer(-1)])
    1/3
    >>> x = Parameter("x", "real").symbol
    >>> exact_max([x, -x])
    Max(-x, x)
    >>> q = Parameter("q", "probability").symbol
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

    >>> q = Parameter("q", "probability").symbol
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
