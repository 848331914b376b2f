"""Factors and real roots of univariate rational polynomials with flint, exactly.

:func:`sorted_factors` gives the irreducible factors of a polynomial in the form and order of
sympy's ``Poly.factor_list`` (primitive integer polynomials with a positive leading
coefficient, sorted by length, multiplicity, then coefficients), so the equilibria built
from them come out in the same order.  :func:`real_root_intervals` isolates the real roots
of a square-free polynomial with no rational root (an irreducible one of degree 2 or more)
by bisection with Descartes's rule of signs (Vincent, Collins and Akritas): an interval whose
transformed polynomial has no sign variation holds no root, one with exactly one variation
holds exactly one.  No floating-point number is used.

>>> import flint
>>> h = flint.fmpq_poly([-1, 0, 2]) * flint.fmpq_poly([-1, 3]) ** 2  # (2x² - 1)(3x - 1)²
>>> [(str(f), k) for f, k in sorted_factors(h)]
[('3*x + (-1)', 2), ('2*x^2 + (-1)', 1)]
>>> [(str(a), str(b)) for a, b in real_root_intervals(flint.fmpq_poly([-1, 0, 2]))]
[('-2', '0'), ('0', '2')]
"""

from __future__ import annotations

import itertools

import flint

from ..limits import MAX_ROOT_BISECTIONS

__all__ = ["sorted_factors", "real_root_intervals", "sign_variations", "primitive_integers"]


def sorted_factors(h: flint.fmpq_poly) -> list:
    """The irreducible factors of a nonconstant ``h`` with their multiplicities, as
    ``Poly.factor_list`` gives them: ``(fmpq_poly, k)`` pairs, each factor primitive with
    integer coefficients and a positive leading coefficient, sorted by (number of
    coefficients, multiplicity, coefficients from the leading one)."""
    _content, factors = h.factor()
    out = []
    for f, k in factors:
        coeffs = primitive_integers(f)
        sign = 1 if coeffs[0] > 0 else -1
        out.append(([sign * c for c in coeffs], int(k)))
    out.sort(key=lambda pair: (len(pair[0]), pair[1], pair[0]))
    return [(flint.fmpq_poly(list(reversed(c))), k) for c, k in out]


def primitive_integers(m: flint.fmpq_poly) -> list:
    """The coefficients of ``m`` times the positive rational that makes them coprime
    integers, leading one first (its sign kept).

    >>> primitive_integers(flint.fmpq_poly([flint.fmpq(-1, 2), 0, flint.fmpq(3, 4)]))
    [3, 0, -2]
    """
    integers = m.numer()  # m times a positive integer: integer coefficients
    content = int(integers.content())
    return [int(c) // content for c in reversed(integers.coeffs())]


def sign_variations(m: flint.fmpq_poly, low: flint.fmpq, high: flint.fmpq) -> int:
    """The sign variations of ``(1 + y)^d m(low + (high - low) / (1 + y))`` (``d`` the degree
    of ``m``): an upper bound on the number of roots of ``m`` in ``(low, high)``, of the same
    parity, exact when 0 or 1."""
    q = m(flint.fmpq_poly([low, high - low]))
    transformed = flint.fmpq_poly(q.coeffs()[::-1])(flint.fmpq_poly([1, 1]))
    signs = [c > 0 for c in transformed.coeffs() if c != 0]
    return sum(a != b for a, b in itertools.pairwise(signs))


def real_root_intervals(m: flint.fmpq_poly) -> list | None:
    """Isolating intervals ``(low, high)`` (``fmpq``, open) of the real roots of ``m``, in
    increasing order; ``m`` must be square-free with no rational root (every bisection point
    is then not a root).  None if :data:`MAX_ROOT_BISECTIONS` were not enough."""
    coeffs = m.coeffs()
    lead = abs(coeffs[-1])
    bound = 1 + max(abs(c) for c in coeffs[:-1]) / lead  # Cauchy: |root| < bound
    width = flint.fmpq(1)
    while width < bound:
        width *= 2
    stack = [(-width, width)]
    found = []
    steps = 0
    while stack:
        low, high = stack.pop()
        count = sign_variations(m, low, high)
        if count == 1:
            found.append((low, high))
        elif count > 1:
            steps += 1
            if steps > MAX_ROOT_BISECTIONS:
                return None
            middle = (low + high) / 2
            stack.extend([(middle, high), (low, middle)])
    return sorted(found)
