"""The kernel's arithmetic of algebraic numbers: ``sqrt(n)`` and ``CRootOf(p, k)``.

The probabilities of an irrational equilibrium are algebraic numbers ``α``, each written
with a polynomial that vanishes at it: ``x**q − b**p`` for a power ``α = b**(p/q)`` of a
rational ``b`` (``sqrt(n)``: ``x**2 − n``), and for ``α = CRootOf(p, k)`` the polynomial
``p`` it is a root of -- which is what a ``CRootOf`` *is* (sympy stores ``p`` and the
index).  A value of the kernel is then a rational function of the parameters, the maxima
and these numbers.

Zero test (:func:`is_zero`): write ``e = N / D`` (``as_numer_denom``), replace each ``α_i``
in ``N`` by a fresh variable ``x_i`` and reduce ``N`` modulo the polynomials ``m_i(x_i)``
(``sympy.reduced``).  They are univariate in distinct variables, with their leading terms
pure powers ``x_i**d_i``, so they form a Gröbner basis for any order: the remainder is
unique, and it differs from ``N`` by a combination ``Σ c_i·m_i`` that vanishes at the
``α_i``.  So a remainder 0 proves ``N = 0`` -- by polynomial arithmetic in ``QQ[x]``,
never by numerics, ``minimal_polynomial`` or ``nsimplify``.  A nonzero remainder means "not
proved 0" (it is 0 exactly when the ``α_i`` satisfy a relation the ``m_i`` do not imply,
e.g. a reducible ``m_i`` or dependent numbers; sympy writes ``sqrt(8)`` as ``2*sqrt(2)``,
and a ``CRootOf``'s polynomial is the irreducible factor of its root).  ``D`` must be free
of algebraic numbers: the builders write every value as a polynomial in them, and a
denominator that is an algebraic number could be 0 in disguise (``0/0`` would pass the
test), so such a value is not proved equal to anything.

>>> r = sympy.CRootOf(sympy.Symbol("x")**3 - 3*sympy.Symbol("x")**2 + 4*sympy.Symbol("x") - 1, 0)
>>> is_zero(-4*r - r**3 + 3*r**2 + 1), is_zero(r - 1), is_zero((sympy.sqrt(2) + 1)**2 - 3)
(True, False, False)
>>> reduce_numbers(r**3), reduce_numbers(sympy.sqrt(5)*(sympy.sqrt(5) + 2))
(-4*CRootOf(x**3 - 3*x**2 + 4*x - 1, 0) + 3*CRootOf(x**3 - 3*x**2 + 4*x - 1, 0)**2 + 1, 2*sqrt(5) + 5)
"""

from __future__ import annotations

from typing import Any

import sympy

__all__ = ["numbers", "has_numbers", "is_zero", "reduce_numbers"]


def numbers(e: sympy.Expr) -> set[sympy.Expr]:
    """The algebraic numbers of ``e``: powers of rationals with a non-integer rational
    exponent (``sqrt(265)``), and ``CRootOf`` objects."""
    powers = {
        a
        for a in e.atoms(sympy.Pow)
        if a.base.is_Rational and a.exp.is_Rational and not a.exp.is_Integer
    }
    roots: set[sympy.Expr] = e.atoms(sympy.CRootOf)
    return powers | roots


def has_numbers(*values: Any) -> bool:
    """Whether any of the values holds an algebraic number."""
    return any(
        isinstance(v, sympy.Expr) and v.has(sympy.Pow, sympy.CRootOf) and numbers(v) for v in values
    )


def _relation(alpha: Any, x: sympy.Symbol) -> sympy.Expr:
    """A polynomial in ``x`` that vanishes at ``x = alpha``."""
    if isinstance(alpha, sympy.CRootOf):
        gen = alpha.poly.gens[0]
        return alpha.expr.xreplace({gen: x})
    p, q = alpha.exp.p, alpha.exp.q  # alpha = b**(p/q): alpha**q = b**p
    return x**q - alpha.base**p


def _remainder(
    numerator: sympy.Expr, alphas: set[sympy.Expr]
) -> tuple[sympy.Expr, dict[sympy.Expr, sympy.Expr]]:
    """``(remainder, back)``: ``numerator`` reduced modulo the numbers' polynomials, as a
    polynomial expression in fresh variables, and the map of those variables back."""
    order = sorted(alphas, key=sympy.default_sort_key)
    xs = [sympy.Dummy(f"alpha{k}") for k in range(len(order))]
    poly = sympy.expand(numerator.xreplace(dict(zip(order, xs))))
    if poly == 0:
        return sympy.S.Zero, {}
    gens = xs + sorted(poly.free_symbols - set(xs), key=sympy.default_sort_key)
    relations = [_relation(a, x) for a, x in zip(order, xs)]
    _, rest = sympy.reduced(poly, relations, *gens, domain=sympy.QQ)
    return rest, dict(zip(xs, order))


def is_zero(e: sympy.Expr) -> bool:
    """Whether ``e`` is proved 0 by reduction modulo its numbers' polynomials (module doc);
    ``False`` is "not proved"."""
    numerator, denominator = e.as_numer_denom()
    if numbers(denominator):
        return False  # not decided (module doc): never 0/0
    alphas = numbers(numerator)
    if not alphas:
        return bool(sympy.expand(numerator) == 0)
    rest, _ = _remainder(numerator, alphas)
    return bool(rest == 0)


def reduce_numbers(e: sympy.Expr) -> sympy.Expr:
    """``e`` with its numerator reduced modulo its numbers' polynomials: the same value, in
    one form per value for a single number of irreducible polynomial (the kernel writes its
    own interim values so, and two equal values are then the same expression).  Unchanged
    when the denominator holds an algebraic number."""
    numerator, denominator = e.as_numer_denom()
    alphas = numbers(numerator)
    if not alphas or numbers(denominator):
        return e
    rest, back = _remainder(numerator, alphas)
    return sympy.expand(rest.xreplace(back)) / denominator
