"""Algebraic numbers in proof-trace values: ``sqrt(n)`` and ``CRootOf(p, k)``.

The polynomial method of :func:`exactpower.equilibria` gives irrational equilibria exact
algebraic probabilities, which sympy writes ``17/24 - sqrt(265)/120`` (degree 2) or
``1 - CRootOf(x**3 - 3*x**2 + 4*x - 1, 0)``.  With ``allow_algebraic=True`` (proof traces
only; game and profile files refuse it) :func:`exactpower.exact.parse_expression` reads
exactly these spellings back (``docs/proofs.md``, "Reading traces")::

    sqrt       = "sqrt" , "(" , expression , ")" ;     (* a nonnegative rational number *)
    root       = "CRootOf" , "(" , polynomial , "," , digits , ")" ;
    polynomial = expression ;  (* in one name, the root's own variable (never a parameter),
                                  integer coefficients, degree 1 .. MAX_ROOT_DEGREE *)

``sqrt(n)`` is the nonnegative square root; ``CRootOf(p, k)`` is sympy's ``k``-th root of
``p``: the real roots in increasing order come first (a complex root is refused), each
root counted once per irreducible factor.  The values are built by ``sympy.sqrt`` (through
:func:`square_root`, which survives a sympy 1.14 factor-cache error) and ``sympy.CRootOf``
from the parsed integers and polynomial (nothing is handed to sympy's parser), so ``str()``
of a value read from sympy's own text is that text again.

Limits (:mod:`exactpower.limits`): ``MAX_ROOT_DEGREE`` bounds the degree of a root's
polynomial, ``MAX_ROOT_DIGITS`` the digits of its coefficients and of the numerator and
denominator of a square root's argument -- checked before sympy factors or isolates.

>>> from exactpower.exact import parse_expression
>>> v = parse_expression("1 - CRootOf(x**3 - 3*x**2 + 4*x - 1, 0)", allow_algebraic=True)
>>> v, [type(a).__name__ for a in v.atoms(sympy.CRootOf)]
(1 - CRootOf(x**3 - 3*x**2 + 4*x - 1, 0), ['ComplexRootOf'])
>>> parse_expression("17/24 - sqrt(265)/120", allow_algebraic=True)
17/24 - sqrt(265)/120
>>> parse_expression("sqrt(x)", {"x": sympy.Symbol("x")}, allow_algebraic=True)
Traceback (most recent call last):
...
exactpower.errors.ExpressionError: value: sqrt needs a nonnegative rational number, got x at column 1 in 'sqrt(x)'
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

import flint
import sympy

from ..errors import ExpressionError, LimitError
from ..limits import MAX_ROOT_DEGREE, MAX_ROOT_DIGITS

__all__ = [
    "ALGEBRAIC",
    "MAX_ROOT_DEGREE",
    "MAX_ROOT_DIGITS",
    "algebraic_primary",
    "RootVariable",
    "square_root",
    "square_free_parts",
]

#: The function names of the extension.
ALGEBRAIC = ("sqrt", "CRootOf")


class RootVariable(Mapping[str, sympy.Symbol]):
    """The names visible inside a root's polynomial: its one variable, whatever its name
    (the first name used); the game's parameters are not visible there."""

    def __init__(self) -> None:
        self.name: str | None = None
        self.symbol: sympy.Symbol | None = None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.name in (None, name)

    def __getitem__(self, name: str) -> sympy.Symbol:
        if name not in self:
            raise KeyError(name)
        if self.symbol is None:
            self.name, self.symbol = name, sympy.Symbol(name)
        return self.symbol

    def __iter__(self) -> Iterator[str]:
        return iter(() if self.name is None else (self.name,))

    def __len__(self) -> int:
        return int(self.name is not None)


def _digits(n: int) -> int:
    return len(str(abs(n))) if abs(n) < 10**MAX_ROOT_DIGITS else MAX_ROOT_DIGITS + 1


def algebraic_primary(parser: Any, token: Any, depth: int) -> sympy.Expr:
    """``sqrt(...)`` or ``CRootOf(..., k)``, its ``(`` taken; ``parser`` is the expression
    parser (its ``expression``, ``take``, ``peek_op``, ``close`` and ``fail``)."""
    if token.text == "sqrt":
        value = parser.expression(depth)
        parser.close()
        return _square_root(parser, token, value)
    saved, variable = parser.parameters, RootVariable()
    parser.parameters = variable
    try:
        polynomial = parser.expression(depth)
    finally:
        parser.parameters = saved
    comma = parser.take()
    if not (comma.kind == "op" and comma.op == ","):
        parser.unexpected(comma, " (expected ',' and the index of the root)")
    index = parser.take()
    if index.kind != "number" or not index.integer:
        parser.fail(index, "the index of a root must be an integer literal")
    parser.close()
    return _root(parser, token, polynomial, variable.symbol, int(index.number))


def _square_root(parser: Any, token: Any, value: sympy.Expr) -> sympy.Expr:
    if not (isinstance(value, sympy.Rational) and value >= 0):
        parser.fail(token, f"sqrt needs a nonnegative rational number, got {value}")
    if max(_digits(value.p), _digits(value.q)) > MAX_ROOT_DIGITS:
        parser.fail(
            token,
            f"sqrt of a number of more than MAX_ROOT_DIGITS = {MAX_ROOT_DIGITS} digits",
            LimitError,
        )
    return square_root(value)


def square_root(value: sympy.Rational) -> sympy.Expr:
    """``sympy.sqrt(value)`` of a nonnegative rational.  Sympy 1.14's factor cache can make
    it raise (after ``sqrt(7 · 32771²)``, ``sqrt(32771² · 1000033 · 1000037)`` raises "... is
    not a prime factor of ..."); the value is then the form sympy writes in a fresh
    process, ``k/q · √m`` for ``value = p/q`` and ``p q = k² m`` with ``m`` square-free.

    >>> square_root(sympy.Rational(2, 3)), square_root(sympy.Rational(9, 4))
    (sqrt(6)/3, 3/2)
    """
    try:
        return sympy.sqrt(value)
    except ValueError:
        k, m, _large = square_free_parts(int(value.p) * int(value.q))
        scale = sympy.Rational(k, int(value.q))
        return (
            scale if m == 1 else scale * sympy.Pow(sympy.Integer(m), sympy.S.Half, evaluate=False)
        )


def square_free_parts(n: int) -> tuple[int, int, bool]:
    """``(k, m, large)`` with ``n = k² m`` for a positive integer ``n``, ``m`` square-free
    (from flint's factorization), and ``large`` whether a prime from ``2**15`` up divides
    ``n`` twice.  flint may list a prime more than once (``32771² · 1000033 · 1000037``
    gives ``32771`` twice, each with exponent 1), so the exponents are summed per prime.

    >>> square_free_parts(1000033 * 1000037 * 32771**2)
    (32771, 1000070001221, True)
    >>> square_free_parts(12)
    (2, 3, False)
    """
    exponents: dict[int, int] = {}
    for factor, count in flint.fmpz(n).factor():
        exponents[int(factor)] = exponents.get(int(factor), 0) + int(count)
    k = m = 1
    for p, e in exponents.items():
        k *= p ** (e // 2)
        m *= p ** (e % 2)
    return k, m, any(e >= 2 and p >= 2**15 for p, e in exponents.items())


def _root(
    parser: Any, token: Any, expr: sympy.Expr, x: sympy.Symbol | None, index: int
) -> sympy.Expr:
    """``CRootOf(expr, index)`` after checking the polynomial, its limits and the index."""
    if x is None or not expr.is_polynomial(x):
        parser.fail(token, f"CRootOf needs a polynomial in one variable, got {expr}")
    poly = sympy.Poly(expr, x)
    if poly.domain != sympy.ZZ:
        parser.fail(token, f"CRootOf needs integer coefficients, got {expr}")
    degree = poly.degree()
    if not 1 <= degree <= MAX_ROOT_DEGREE:
        parser.fail(
            token,
            f"CRootOf needs a polynomial of degree 1 to MAX_ROOT_DEGREE = "
            f"{MAX_ROOT_DEGREE}, got degree {degree}",
            LimitError if degree > MAX_ROOT_DEGREE else ExpressionError,
        )
    if max(_digits(int(c)) for c in poly.coeffs()) > MAX_ROOT_DIGITS:
        parser.fail(
            token,
            f"a coefficient of the polynomial has more than MAX_ROOT_DIGITS = "
            f"{MAX_ROOT_DIGITS} digits",
            LimitError,
        )
    if not 0 <= index < degree:
        parser.fail(token, f"CRootOf index {index} is not in 0..{degree - 1}")
    root = sympy.CRootOf(poly, index)
    if root.is_real is not True:
        parser.fail(token, f"CRootOf({expr}, {index}) is not a real number")
    return root
