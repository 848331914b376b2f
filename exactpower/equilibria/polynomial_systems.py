"""Exact solving of polynomial systems over ``QQ``: lex Gröbner bases, shape form, real roots.

The algebra behind :mod:`exactpower.equilibria.polynomial` (whose docstring explains the
method): :func:`lex_basis` (grevlex, then FGLM to lex), :func:`shape_form` (the Shape Lemma
form ``x_j - g_j(u), h(u)``, trying each unknown, the radical, then linear forms),
:func:`shape_forms` (several shape forms covering the solutions, splitting the system along
the factors of an eliminant when it has no single one), :func:`solve_linear` (exact Gaussian elimination for linear systems), :func:`degree`, and
:class:`RealRoot`, a real root of an irreducible polynomial whose :meth:`RealRoot.sign`
decides the sign of ``q(θ)`` exactly.  No floating-point number is used.

>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> solved, h = shape_form([x - y, y**2 - 2], [x, y], lex_basis([x - y, y**2 - 2], [x, y]))
>>> h.as_expr(), solved[x].as_expr()
(y**2 - 2, y)
>>> root = RealRoot(h, sympy.sqrt(2), (1, 2))
>>> root.sign(sympy.Poly(y - sympy.Rational(3, 2), y)), root.sign(h)
(-1, 0)
"""

from __future__ import annotations

import sympy
from sympy.polys.matrices import DomainMatrix

__all__ = ["RealRoot", "shape_form", "shape_forms", "lex_basis", "solve_linear", "degree"]


class RealRoot:
    """A real root ``θ`` of an irreducible ``m ∈ QQ[u]``: its exact form and an isolating interval."""

    def __init__(self, m: sympy.Poly, value, interval):
        self.m, self.value = m, value
        self.low, self.high = (sympy.QQ.convert(v) for v in interval)

    def sign(self, q: sympy.Poly) -> int:
        """The sign of ``q(θ)``, exactly.

        Zero iff ``m`` divides ``q`` (``m`` is the minimal polynomial of ``θ``).
        Otherwise ``q(θ) ≠ 0``, and rational interval arithmetic (Horner) over
        the isolating interval, refined until the result excludes 0, gives the
        sign -- no floating point.
        """
        r = q.rem(self.m)
        if r.is_zero:
            return 0
        coeffs = [sympy.QQ.convert(c) for c in r.all_coeffs()]
        while True:
            lo = hi = coeffs[0]
            for c in coeffs[1:]:
                products = (lo * self.low, lo * self.high, hi * self.low, hi * self.high)
                lo, hi = min(products) + c, max(products) + c
            if lo > 0:
                return 1
            if hi < 0:
                return -1
            width = self.high - self.low
            self.low, self.high = (
                sympy.QQ.convert(v)
                for v in self.m.refine_root(self.low, self.high, eps=width / 1024)
            )


def _shape(equations: list, gens: list, u, basis=None):
    """``({x: g_x(u)}, h(u), h_u)`` if the lex basis with ``u`` last has shape form.

    Otherwise ``(None, None, h_u)``, with ``h_u`` the basis's univariate
    polynomial in ``u`` (the eliminant), or None.  ``u`` is one of ``gens`` or a
    new symbol already tied to them by an equation; ``basis``, if given, is
    the lex basis for the order with ``u`` last.
    """
    order = [g for g in gens if g != u] + [u]
    if basis is None:
        basis = lex_basis(equations, order)
    exprs = list(basis.exprs)
    last = exprs[-1] if exprs else None
    eliminant = last if last is not None and last.free_symbols <= {u} else None
    if eliminant is None or len(exprs) != len(order):
        return None, None, eliminant
    solved = {}
    for x, p in zip(order[:-1], exprs[:-1]):
        # Expect x - g(u): x to the first power with a constant coefficient, nothing else.
        c = sympy.Poly(p, *order).coeff_monomial(x)
        rest = sympy.expand(p - c * x)
        if c == 0 or not rest.free_symbols <= {u}:
            return None, None, eliminant
        solved[x] = sympy.Poly(-rest / c, u, domain=sympy.QQ)
    return solved, sympy.Poly(eliminant, u, domain=sympy.QQ), eliminant


def shape_form(equations: list, gens: list, basis):
    """A shape form of a zero-dimensional system, or None.

    ``basis`` is its lex basis for ``gens`` (last unknown last).  Tries each
    unknown as ``u``, then the radical (Seidenberg: add the square-free part
    of every unknown's eliminant), then linear forms.
    """
    eliminants = []
    for attempt in range(2):
        for u in reversed(gens):
            given = basis if attempt == 0 and u == gens[-1] else None
            solved, h, eliminant = _shape(equations, gens, u, given)
            if solved is not None:
                solved[u] = sympy.Poly(u, u, domain=sympy.QQ)
                return solved, h
            if attempt == 0 and eliminant is not None:
                eliminants.append(sympy.Poly(eliminant, u).sqf_part().as_expr())
        if attempt == 0:
            if len(eliminants) < len(gens):
                break
            equations = equations + eliminants
    z = sympy.Dummy("z")
    for coefficients in (
        [k + 1 for k in range(len(gens))],
        [(-1) ** k * (k + 2) for k in range(len(gens))],
    ):
        tie = z - sum(c * g for c, g in zip(coefficients, gens))
        solved, h, _ = _shape(equations + [tie], gens + [z], z)
        if solved is not None:
            return {x: solved[x] for x in gens}, h
    return None


def shape_forms(equations: list, gens: list, basis, depth: int = 0):
    """Shape forms whose solutions together are those of a zero-dimensional system, or None.

    One :func:`shape_form` when it exists.  Otherwise the system is split along the
    irreducible factors ``m`` of an unknown ``u``'s eliminant (``V(I)`` is the disjoint union
    of the ``V(I + <m(u)>)``): a linear factor ``u - c`` is substituted, leaving fewer
    unknowns; a nonlinear one is added as an equation.  Repeated roots then do no harm.
    ``basis`` is the lex basis for ``gens``; ``depth`` bounds the splitting.
    """
    solved, h, _ = _shape(equations, gens, gens[-1], basis)
    if solved is not None:  # the given basis is in shape form already
        solved[gens[-1]] = sympy.Poly(gens[-1], gens[-1], domain=sympy.QQ)
        return [(solved, h)]
    split = depth <= len(gens) and _split_on(equations, gens, gens[-1], basis, depth)
    if isinstance(split, list):
        return split
    form = shape_form(equations, gens, basis)
    if form is not None:
        return [form]
    for u in reversed(gens[:-1]):
        split = depth <= len(gens) and _split_on(equations, gens, u, None, depth)
        if isinstance(split, list):
            return split
    return None


def _split_on(equations: list, gens: list, u, basis, depth: int):
    """:func:`_split` along ``u``'s eliminant (None if a part is unsolved); False when the
    eliminant is one irreducible factor of degree 2 or more (or missing): nothing to split."""
    if basis is None:
        basis = lex_basis(equations, [g for g in gens if g != u] + [u])
    last = basis.exprs[-1]
    if not last.free_symbols <= {u}:
        return False
    factors = [f for f, _ in sympy.Poly(last, u, domain=sympy.QQ).factor_list()[1]]
    if len(factors) > 1 or factors[0].degree() == 1:
        return _split(equations, gens, u, factors, depth)
    return False


def _split(equations: list, gens: list, u, factors: list, depth: int):
    """The shape forms of ``equations + [m(u)]`` for every irreducible factor ``m``."""
    forms = []
    for m in factors:
        if m.degree() > 1:
            found = _forms_of(equations + [m.as_expr()], gens, depth)
            if found is None:
                return None
            forms.extend(found)
            continue
        c = -m.nth(0) / m.nth(1)
        rest = [g for g in gens if g != u]
        reduced = [e for e in (sympy.expand(e.subs(u, c)) for e in equations) if e != 0]
        if not rest:
            if reduced:  # a nonzero constant: no solution
                continue
            z = sympy.Dummy("z")
            forms.append(
                ({u: sympy.Poly(c, z, domain=sympy.QQ)}, sympy.Poly(z, z, domain=sympy.QQ))
            )
            continue
        found = _forms_of(reduced, rest, depth) if reduced else None
        if found is None:
            return None
        for solved, h in found:
            forms.append(({**solved, u: sympy.Poly(c, h.gen, domain=sympy.QQ)}, h))
    return forms


def _forms_of(equations: list, gens: list, depth: int):
    """:func:`shape_forms` of a subsystem (``[]`` if inconsistent)."""
    basis = lex_basis(equations, gens)
    if basis.exprs == [1]:
        return []
    if not basis.is_zero_dimensional:
        return None
    return shape_forms(equations, gens, basis, depth + 1)


def solve_linear(eqs: list, n: int):
    """Solve linear ring elements exactly: None (inconsistent), "positive", or the values."""
    rows = []
    for e in eqs:
        row = [sympy.QQ(0)] * (n + 1)
        for monom, coeff in e.terms():
            if sum(monom) == 0:
                row[n] = -coeff
            else:
                row[monom.index(1)] = coeff
        rows.append(row)
    matrix = DomainMatrix(rows, (len(rows), n + 1), sympy.QQ)
    reduced, pivots = matrix.rref()
    if n in pivots:
        return None
    if len(pivots) < n:
        return "positive"
    values = reduced.to_list()
    return [values[j][n] for j in range(n)]


def degree(e) -> int:
    """The total degree of a ring element (0 for a constant, ring or not)."""
    return max((sum(m) for m in e.monoms()), default=0) if hasattr(e, "monoms") else 0


def lex_basis(exprs: list, gens: list):
    """The lex Gröbner basis of a system: grevlex first (much cheaper), then FGLM when the
    ideal is zero-dimensional (a grevlex basis is returned as is otherwise)."""
    basis = sympy.groebner(exprs, *gens, order="grevlex", domain=sympy.QQ)
    if basis.exprs == [1] or not basis.is_zero_dimensional:
        return basis
    return basis.fglm("lex")
