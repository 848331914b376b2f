"""Exact solving of polynomial systems over ``QQ``: lex Gröbner bases and shape forms.

The algebra behind :mod:`exactpower.equilibria.polynomial` (whose docstring explains the
method): :func:`lex_basis` (grevlex by flint's Buchberger, then FGLM to lex), :func:`shape_form`
(the Shape Lemma form ``x_j - g_j(u), h(u)``, trying each unknown, the radical, then linear
forms), :func:`shape_forms` (several shape forms covering the solutions, splitting the
system along the factors of an eliminant when it has no single one), :func:`solve_linear`
(exact Gaussian elimination for linear systems) and :func:`degree`.  Signs at the real roots
of ``h`` are decided by :class:`~exactpower.equilibria.number_field.FieldRoot`.  No
floating-point number is used.

>>> import sympy
>>> x, y = sympy.symbols("x y")
>>> solved, h = shape_form([x - y, y**2 - 2], [x, y], lex_basis([x - y, y**2 - 2], [x, y]))
>>> h.as_expr(), solved[x].as_expr()
(y**2 - 2, y)
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, field

import flint
import sympy
from sympy.polys.fglmtools import matrix_fglm
from sympy.polys.matrices import DomainMatrix
from sympy.polys.orderings import grevlex, lex

from .number_field import descartes_excludes, to_fmpq
from .shape_fglm import Quotient

__all__ = [
    "Basis",
    "basis_shape",
    "flint_shape",
    "shape_form",
    "shape_forms",
    "lex_basis",
    "outside_unit_cube",
    "solve_linear",
    "degree",
]


def _shape(equations: list, gens: list, u, basis=None):
    """``({x: g_x(u)}, h(u), h_u)`` if the lex basis with ``u`` last has shape form.

    Otherwise ``(None, None, h_u)``, with ``h_u`` the basis's univariate
    polynomial in ``u`` (the eliminant, a ``Poly``), or None.  ``u`` is one of ``gens`` or a
    new symbol already tied to them by an equation; ``basis``, if given, is
    the lex basis for the order with ``u`` last.  Read off the basis's ring elements (no
    sympy expression is built).
    """
    order = [g for g in gens if g != u] + [u]
    if basis is None:
        basis = lex_basis([_reorder(e, gens, order) for e in equations], order)
    polys, k = basis.terms, len(order) - 1
    last = polys[-1] if polys else None
    eliminant = None
    if last is not None and all(not any(m[:k]) for m in last):
        eliminant = _univariate(last, k, u)
    if eliminant is None or len(polys) != len(order):
        return None, None, eliminant
    solved = {}
    for j, (x, p) in enumerate(zip(order[:-1], polys[:-1])):
        # Expect x - g(u): x to the first power with a constant coefficient, nothing else.
        x_monomial = tuple(int(i == j) for i in range(k + 1))
        c = p.get(x_monomial, 0)
        rest = {m: v for m, v in p.items() if m != x_monomial}
        if c == 0 or any(any(m[:k]) for m in rest):
            return None, None, eliminant
        solved[x] = _univariate({m: -v / c for m, v in rest.items()}, k, u)
    return solved, eliminant, eliminant


def _univariate(terms, k: int, u) -> sympy.Poly:
    """The ring element (or ``{monomial: coefficient}``) ``terms``, whose monomials use only
    unknown ``k``, as a ``Poly`` in ``u`` over ``QQ``."""
    return sympy.Poly.from_dict({(m[k],): v for m, v in terms.items()}, u, domain=sympy.QQ)


def shape_form(equations: list, gens: list, basis):
    """A shape form of a zero-dimensional system, or None.

    ``basis`` is its lex basis for ``gens`` (last unknown last).  Tries each
    unknown as ``u``, then the radical (Seidenberg: add the square-free part
    of every unknown's eliminant), then linear forms.
    """
    equations = [_as_terms(e, gens) for e in equations]
    eliminants = []
    for attempt in range(2):
        for u in reversed(gens):
            given = basis if attempt == 0 and u == gens[-1] else None
            solved, h, eliminant = _shape(equations, gens, u, given)
            if solved is not None:
                solved[u] = sympy.Poly(u, u, domain=sympy.QQ)
                return solved, h
            if attempt == 0 and eliminant is not None:
                eliminants.append(_in_unknown(eliminant.sqf_part(), gens.index(u), len(gens)))
        if attempt == 0:
            if len(eliminants) < len(gens):
                break
            equations = equations + eliminants
    z = sympy.Dummy("z")
    n, qq = len(gens), sympy.QQ
    for coefficients in (
        [k + 1 for k in range(n)],
        [(-1) ** k * (k + 2) for k in range(n)],
    ):
        # z - Σ c_k x_k, and the equations with z's exponent 0.
        tie = {(0,) * n + (1,): qq(1)}
        tie.update(
            {tuple(int(i == k) for i in range(n + 1)): qq(-c) for k, c in enumerate(coefficients)}
        )
        extended = [{m + (0,): c for m, c in e.items()} for e in equations]
        solved, h, _ = _shape(extended + [tie], gens + [z], z)
        if solved is not None:
            return {x: solved[x] for x in gens}, h
    return None


def shape_forms(equations: list, gens: list, basis, depth: int = 0):
    """Shape forms whose solutions together are those of a zero-dimensional system, or None.

    One :func:`shape_form` when it exists.  Otherwise the system is split along the
    irreducible factors ``m`` of an unknown ``u``'s eliminant (``V(I)`` is the disjoint union
    of the ``V(I + <m(u)>)``): a linear factor ``u - c`` is substituted, leaving fewer
    unknowns; a nonlinear one is added as an equation.  Repeated roots then do no harm.
    ``basis`` is the lex basis for ``gens``; ``depth`` bounds the splitting.  ``equations``
    are sympy expressions, ring elements over ``gens`` or ``{monomial: QQ}`` dictionaries;
    the splitting works on dictionaries (no sympy expression is built: the first general
    ``Add`` of a process imports ``sympy.tensor``, 0.03 s).
    """
    forms = basis_shape(basis, gens)
    if forms is not None:
        return forms
    equations = [_as_terms(e, gens) for e in equations]
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


def basis_shape(basis, gens: list):
    """``[(solved, h)]`` when the lex basis for ``gens`` is in shape form already, else
    None (no equation needed)."""
    solved, h, _ = _shape([], gens, gens[-1], basis)
    if solved is None:
        return None
    solved[gens[-1]] = sympy.Poly(gens[-1], gens[-1], domain=sympy.QQ)
    return [(solved, h)]


def outside_unit_cube(basis) -> bool:
    """Whether it is proved that no solution has every unknown in ``(0, 1)``: the
    eliminant (the lex basis's last polynomial, univariate in the last unknown) or the
    characteristic polynomial of some unknown's multiplication matrix has no root there
    (:func:`~exactpower.equilibria.number_field.descartes_excludes`).  False means "not
    proved".

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> outside_unit_cube(lex_basis([x - y, 2 * y**2 - 9], [x, y]))  # y = ±3/√2
    True
    >>> outside_unit_cube(lex_basis([x + y - 2, 4 * y**2 - 1], [x, y]))  # x = 3/2 or 5/2
    True
    >>> outside_unit_cube(lex_basis([x - y, 4 * y**2 - 1], [x, y]))  # y = 1/2
    False
    """
    if basis.inconsistent or not basis.is_zero_dimensional:
        return False
    last = basis.terms[-1]
    k = len(basis.gens) - 1
    if not any(any(m[:k]) for m in last) and descartes_excludes(_in_last(last, k)):
        return True
    return basis.quotient is not None and basis.quotient.outside_unit_interval()


def _split_on(equations: list, gens: list, u, basis, depth: int):
    """:func:`_split` along ``u``'s eliminant (None if a part is unsolved); False when the
    eliminant is one irreducible factor of degree 2 or more (or missing): nothing to split."""
    order = [g for g in gens if g != u] + [u]
    if basis is None:
        basis = lex_basis([_reorder(e, gens, order) for e in equations], order)
    last, k = basis.terms[-1], len(order) - 1
    if any(any(m[:k]) for m in last):
        return False
    factors = [f for f, _ in _univariate(last, k, u).factor_list()[1]]
    if len(factors) > 1 or factors[0].degree() == 1:
        return _split(equations, gens, u, factors, depth)
    return False


def _split(equations: list, gens: list, u, factors: list, depth: int):
    """The shape forms of ``equations + [m(u)]`` for every irreducible factor ``m``."""
    forms = []
    k = gens.index(u)
    for m in factors:
        if m.degree() > 1:
            found = _forms_of(equations + [_in_unknown(m, k, len(gens))], gens, depth)
            if found is None:
                return None
            forms.extend(found)
            continue
        c = -m.nth(0) / m.nth(1)
        rest = [g for g in gens if g != u]
        reduced = [e for e in (_substitute(e, k, sympy.QQ.convert(c)) for e in equations) if e]
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
    if basis.inconsistent:
        return []
    if not basis.is_zero_dimensional:
        return None
    return shape_forms(equations, gens, basis, depth + 1)


def _as_terms(equation, gens: list) -> dict:
    """``{monomial over gens: QQ}`` of an expression, a ring element or such a dictionary."""
    return equation if type(equation) is dict else _terms(equation, gens)


def _reorder(terms: dict, gens: list, order: list) -> dict:
    """A dictionary over ``gens`` with its exponents rearranged for the unknowns ``order``."""
    where = [gens.index(g) for g in order]
    return {tuple(m[i] for i in where): c for m, c in terms.items()}


def _in_unknown(poly: sympy.Poly, k: int, n: int) -> dict:
    """A univariate ``Poly`` as a dictionary over ``n`` unknowns, in unknown ``k``."""
    return {
        tuple(e if i == k else 0 for i in range(n)): sympy.QQ.convert(c) for (e,), c in poly.terms()
    }


def _substitute(terms: dict, k: int, c) -> dict:
    """A dictionary with unknown ``k`` replaced by the rational ``c`` (``QQ``) and removed
    from the monomials; zero terms dropped (``{}``: the zero polynomial)."""
    out: dict = {}
    for m, v in terms.items():
        key = m[:k] + m[k + 1 :]
        out[key] = out.get(key, 0) + v * c ** m[k]
    return {m: v for m, v in out.items() if v}


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


@dataclass(frozen=True)
class Basis:
    """A reduced Gröbner basis over ``QQ``: its polynomials as ``{monomial: QQ coefficient}``
    dictionaries (monic, over the unknowns ``gens`` in their order) in decreasing order of
    leading monomial (``[{0: 1}]`` for an inconsistent system), and whether its ideal is
    zero-dimensional (then the order is lex, else grevlex).  :attr:`polys` gives them as
    ring elements and :attr:`exprs` as sympy expressions (both built when first asked for:
    the solver reads the dictionaries)."""

    terms: list
    is_zero_dimensional: bool
    gens: tuple
    #: The :class:`~exactpower.equilibria.shape_fglm.Quotient` algebra (zero-dimensional
    #: ideals), or None.
    quotient: Quotient | None = field(default=None, compare=False, repr=False)
    #: The basis in shape form as ``{monomial: fmpq}`` dictionaries, when
    #: :meth:`~exactpower.equilibria.shape_fglm.Quotient.shape_basis` gave it, else None.
    shape: list | None = field(default=None, compare=False, repr=False)

    @property
    def inconsistent(self) -> bool:
        """Whether the basis is ``[1]``: the system has no solution."""
        return len(self.terms) == 1 and not any(any(m) for m in self.terms[0])

    @functools.cached_property
    def polys(self) -> list:
        """The polynomials as ring elements (lex ring if zero-dimensional, else grevlex)."""
        order = lex if self.is_zero_dimensional else grevlex
        ring = sympy.ring(self.gens, sympy.QQ, order)[0]
        return [ring.from_dict(t) for t in self.terms]

    @functools.cached_property
    def exprs(self) -> list:
        """The polynomials as sympy expressions."""
        return [p.as_expr() for p in self.polys]


def lex_basis(equations: list, gens: list) -> Basis:
    """The lex Gröbner basis of a system: grevlex first (much cheaper; flint's Buchberger
    on integer polynomials, then reduced), then, when the ideal is zero-dimensional, lex:
    in shape form by :class:`~exactpower.equilibria.shape_fglm.Quotient` when the last
    unknown separates the solutions, else by FGLM (sympy's ``matrix_fglm``).  A grevlex
    basis is returned as is otherwise.

    ``equations`` are sympy expressions, ring elements whose ring's unknowns are ``gens``,
    or ``{exponents: int or QQ}`` dictionaries.

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> lex_basis([x**2 + y**2 - 1, x - y], [x, y]).exprs
    [x - y, y**2 - 1/2]
    >>> lex_basis([x - 1, x - 2], [x, y]).exprs, lex_basis([x*y], [x, y]).is_zero_dimensional
    ([1], False)
    """
    n, unknowns = len(gens), tuple(gens)
    # One more unknown, last and unused, for the quotient's normal forms.
    context = flint.fmpz_mpoly_ctx.get(tuple(f"x{k}" for k in range(n + 1)), "degrevlex")
    polys = []
    for e in equations:
        if type(e) is dict and all(type(c) is int for c in e.values()):  # integers already
            if any(e.values()):
                polys.append(context.from_dict({m + (0,): c for m, c in e.items() if c}))
            continue
        terms = _as_terms(e, gens)
        terms = {m: c for m, c in terms.items() if c}
        if terms:
            scale = math.lcm(1, *(int(sympy.QQ.denom(c)) for c in terms.values()))
            polys.append(context.from_dict({m + (0,): int(c * scale) for m, c in terms.items()}))
    reduced = flint.fmpz_mpoly_vec(polys, context).buchberger_naive().autoreduction()
    reduced = flint.fmpz_mpoly_vec([g for g in reduced if not g.is_zero()], context)
    if any(not any(g.monoms()[0][:n]) for g in reduced):
        return Basis([{(0,) * n: sympy.QQ(1)}], False, unknowns)
    quotient = Quotient.of(reduced, n)
    if quotient is None:  # some unknown has no pure power among the leading monomials
        grevlex_terms = sorted(
            (_monic(g, n) for g in reduced), key=lambda t: grevlex(next(iter(t))), reverse=True
        )
        return Basis(grevlex_terms, False, unknowns)
    shape = quotient.shape_basis()
    qq = sympy.QQ
    if shape is None:
        ring = sympy.ring(unknowns, qq, grevlex)[0]
        grevlex_polys = [ring.from_dict(_monic(g, n)) for g in reduced]
        lex_polys = matrix_fglm(grevlex_polys, ring, lex)
        return Basis([dict(p) for p in lex_polys], True, unknowns, quotient)
    return Basis(
        [{m: qq(int(c.p), int(c.q)) for m, c in g.items()} for g in shape],
        True,
        unknowns,
        quotient,
        shape,
    )


def flint_shape(basis: Basis):
    """``(images, h)``: the shape form ``x_j = g_j(u)``, ``h(u) = 0`` of a basis that has
    :attr:`Basis.shape`, as ``fmpq_poly`` (``images[j] = g_j``, the last one ``u``), without
    sympy; None otherwise (:func:`basis_shape` then gives it as sympy ``Poly`` s).

    >>> import sympy
    >>> x, y = sympy.symbols("x y")
    >>> images, h = flint_shape(lex_basis([x - 2 * y, y**2 - 2], [x, y]))
    >>> [str(g) for g in images], str(h)
    (['2*x', 'x'], 'x^2 + (-2)')
    """
    if basis.shape is None:
        return None
    *lines, last = basis.shape
    u = len(basis.gens) - 1
    images = [-_in_last(line, u) for line in lines]  # x_j - g_j(u): minus its part in u
    images.append(flint.fmpq_poly([0, 1]))
    return images, _in_last(last, u)


def _in_last(terms: dict, k: int) -> flint.fmpq_poly:
    """The terms of ``terms`` in the last unknown ``k`` alone (no other unknown), as an
    ``fmpq_poly`` in it."""
    alone = {m[k]: c for m, c in terms.items() if not any(m[:k])}
    coefficients = [flint.fmpq(0)] * (1 + max(alone, default=0))
    for e, c in alone.items():
        coefficients[e] = to_fmpq(c)
    return flint.fmpq_poly(coefficients)


def _monic(g, n: int) -> dict:
    """An ``fmpz_mpoly`` (in ``n`` unknowns and an unused last one) divided by its leading
    coefficient, as ``{monomial: QQ}`` in decreasing order of its terms."""
    coeffs = g.coeffs()
    lead = int(coeffs[0])
    return {m[:n]: sympy.QQ(int(c), lead) for m, c in zip(g.monoms(), coeffs)}


def _terms(equation, gens: list) -> dict:
    """``{monomial: nonzero QQ coefficient}`` of an expression or ring element."""
    ring = getattr(equation, "ring", None)
    if ring is not None and list(ring.symbols) == list(gens):
        return {m: sympy.QQ.convert(c) for m, c in equation.items() if c}
    if ring is not None:
        equation = equation.as_expr()
    poly = sympy.Poly(equation, *gens, domain=sympy.QQ)
    return {m: c for m, c in poly.rep.to_dict().items() if c}
