"""Equilibria whose probabilities lie in one real number field ``Q(θ)``, with flint.

Every solution of a support's indifference system in shape form is ``x_j = g_j(θ)`` for a
real root ``θ`` of an irreducible ``m ∈ QQ[u]`` (:mod:`exactpower.equilibria.polynomial`),
so every probability of that equilibrium, every payoff ``F_i(t_i, a)`` against it and every
player's POWER is an element of ``Q(θ) ≅ QQ[u] / (m)``: a polynomial in ``u`` of degree
below ``deg m``.  Here they are computed as such, with flint's ``fmpq_poly`` (exact
rational coefficients, reduction modulo ``m``), instead of as sympy expressions in a
``CRootOf``: the payoff tables ``F_i`` by the same sum over cells as
:mod:`exactpower.contraction`, comparisons by :meth:`FieldRoot.sign`, and only the final
values are written as sympy expressions in ``θ`` (:meth:`FieldRoot.to_expr`).

:class:`FieldRoot` decides the sign of ``q(θ)`` exactly: zero iff ``m`` divides ``q`` (``m``
is the minimal polynomial of ``θ``); otherwise an isolating interval of ``θ`` is bisected
until ``q`` has one strict sign at both ends and no root between them (Descartes's rule of
signs on ``q`` with the interval mapped to ``(0, 1)``: :func:`descartes_excludes`), and
``q(θ)`` has that sign.  No float.

>>> import flint, sympy
>>> root = FieldRoot(flint.fmpq_poly([-2, 0, 1]), (1, 2), sympy.sqrt(2))  # θ = √2
>>> root.sign(flint.fmpq_poly([-3, 2])), root.sign(flint.fmpq_poly([-2, 0, 1]))  # 2θ - 3, θ² - 2
(-1, 0)
>>> root.to_expr(flint.fmpq_poly([1, 1]) ** 2)  # (1 + θ)² = 3 + 2θ
2*sqrt(2) + 3
"""

from __future__ import annotations

import functools
import itertools
import math
from dataclasses import dataclass

import flint
import numpy as np
import sympy
from sympy.polys.polyroots import preprocess_roots

from ..exact.algebraic import square_free_parts, square_root
from ..game import BayesianGame
from .real_roots import primitive_integers, real_root_intervals, sign_variations

__all__ = [
    "FieldRoot",
    "FieldPoint",
    "quadratic_roots",
    "field_roots",
    "real_root_form",
    "crootof_form",
    "to_fmpq",
    "to_fmpq_poly",
    "substitute",
    "payoff_tables",
]

#: Bisections of the isolating interval between two sign attempts.
_BISECTIONS = 8


def to_fmpq(value) -> flint.fmpq:
    """A sympy ``Rational`` or an element of ``sympy.QQ`` (any ground types) as ``fmpq``."""
    if isinstance(value, flint.fmpq):
        return value
    q = sympy.QQ.convert(value)
    return flint.fmpq(int(sympy.QQ.numer(q)), int(sympy.QQ.denom(q)))


def to_fmpq_poly(poly: sympy.Poly) -> flint.fmpq_poly:
    """A univariate sympy ``Poly`` over ``QQ`` as ``fmpq_poly`` (same coefficients)."""
    return flint.fmpq_poly([to_fmpq(c) for c in reversed(poly.all_coeffs())])


class FieldRoot:
    """A real root ``θ`` of an irreducible ``m`` (``fmpq_poly``): an isolating interval
    ``[low, high]`` with rational ends (``low == high`` for a rational root) and the exact
    sympy form ``value`` of ``θ`` (a rational, a ``sqrt`` form or a ``CRootOf``; or a
    function giving it, called when first needed)."""

    def __init__(self, m: flint.fmpq_poly, interval, value, quadratic: tuple | None = None):
        self.m, self._value = m, value
        self.low, self.high = (to_fmpq(v) for v in interval)
        self._quadratic: tuple | None = quadratic
        self._low_sign = _sign(m(self.low))

    @property
    def value(self) -> sympy.Expr:
        """The exact form of ``θ`` (``value`` may be given as a function computing it: it is
        called once, when first needed)."""
        if callable(self._value):
            self._value = self._value()
        return self._value

    def sign(self, q: flint.fmpq_poly) -> int:
        """The sign of ``q(θ)``, exactly."""
        r = q % self.m
        if r == 0:
            return 0
        if self.low == self.high:
            return _sign(r(self.low))
        while True:
            # No root of r in [low, high] (none at the ends, none between by Descartes's
            # rule on the interval mapped to (0, 1)): r(θ) has the sign of r(low).  As the
            # interval shrinks, this holds once the disc on it misses r's roots; r(θ) != 0.
            a, b = _sign(r(self.low)), _sign(r(self.high))
            if a and a == b and sign_variations(r, self.low, self.high) == 0:
                return a
            self._bisect()

    def _bisect(self) -> None:
        """Halve the interval :data:`_BISECTIONS` times (``m`` changes sign at the simple
        root ``θ`` only, and an irreducible ``m`` of degree 2 or more has no rational root,
        so ``m`` is never 0 at a midpoint)."""
        for _ in range(_BISECTIONS):
            mid = (self.low + self.high) / 2
            if _sign(self.m(mid)) == self._low_sign:
                self.low = mid
            else:
                self.high = mid

    def to_expr(self, q: flint.fmpq_poly) -> sympy.Expr:
        """``q(θ)`` (``q`` reduced modulo ``m``) as an expanded sympy expression in ``θ``:
        ``Σ c_k θ^k`` for an atom ``θ`` (a ``CRootOf``), ``a + b √d`` for a quadratic one
        (the form ``sympy.expand`` gives, computed in ``QQ[s] / (s² - d)``)."""
        coeffs = (q % self.m).coeffs()
        if len(coeffs) <= 1:
            return _rational(coeffs[0]) if coeffs else sympy.S.Zero
        if self._quadratic:
            return _surd_form(self._quadratic, coeffs)
        if self.value.is_Atom or isinstance(self.value, sympy.CRootOf):
            return _power_form(self.value, [_rational(c) for c in coeffs])
        if self._quadratic is None:
            self._quadratic = _quadratic(self.value)
        if self._quadratic:
            return _surd_form(self._quadratic, coeffs)
        terms = (_rational(c) * self.value**k for k, c in enumerate(coeffs) if c != 0)
        return sympy.expand(sympy.Add(*terms))


def _power_form(value: sympy.Expr, coeffs: list) -> sympy.Expr:
    """``Σ c_k value^k`` as ``sympy.Add`` would write it (the constant first, the other terms
    in ``Basic.compare`` order), built without ``Add``'s general simplification."""
    const = coeffs[0]
    terms = [
        _term(c, value if k == 1 else sympy.Pow(value, k, evaluate=False))
        for k, c in enumerate(coeffs)
        if k > 0 and c != 0
    ]
    if not terms or (len(terms) == 1 and const == 0):
        return terms[0] if terms else const
    terms.sort(key=functools.cmp_to_key(sympy.Basic.compare))
    return sympy.Add(*([const] if const != 0 else []), *terms, evaluate=False)


def real_root_form(poly: sympy.Poly, k: int) -> sympy.Expr:
    """``poly.real_roots()[k]`` for an irreducible ``poly`` over ``QQ``, without building
    ``poly`` as an expression (whose first ``Add`` imports ``sympy.tensor``) when it has
    degree 3 or more and 3 terms or more: then the root is ``c · CRootOf(p, k)`` for the
    integer polynomial ``p`` in ``x`` and the scale ``c`` that sympy's root finders use.

    >>> x = sympy.Symbol("u")
    >>> poly = sympy.Poly.from_list([1, 0, -3, 1], x, domain="QQ")
    >>> real_root_form(poly, 0) == poly.real_roots()[0]
    True
    """
    if poly.degree() < 3 or len(poly.terms()) < 3:
        return poly.real_roots()[k]
    coeff, primitive = preprocess_roots(poly)
    p = sympy.Poly.from_list(primitive.all_coeffs(), sympy.Symbol("x"), domain="ZZ")
    return coeff * sympy.CRootOf(p, k)


def crootof_form(m: flint.fmpq_poly, k: int) -> sympy.Expr | None:
    """:func:`real_root_form` of an irreducible ``m`` of degree 3 or more, built directly as
    sympy's ``CRootOf`` object when sympy would neither rescale nor renormalise ``m``; else
    None (then :func:`real_root_form` builds it).

    That is so when ``m``'s primitive integer form ``p`` has 3 terms or more, a positive
    leading coefficient and a leading coefficient at least the constant one in absolute
    value: ``preprocess_roots`` then returns ``(1, p)`` (its rescaling
    ``_integer_basis`` starts only when the leading coefficient is the smaller), and
    ``CRootOf(p, k)``, ``p`` being irreducible, primitive with a positive leading
    coefficient, is its own only factor: the object ``CRootOf._new(p, k)``, without the
    factorization, root isolation and second preprocessing that ``CRootOf`` would do first.
    The isolating intervals are left for sympy to compute when a numeric value is asked for.

    >>> m = flint.fmpq_poly([1, -3, 0, 1])  # x³ - 3x + 1
    >>> crootof_form(m, 1) == sympy.CRootOf(sympy.Poly([1, 0, -3, 1], sympy.Symbol("x")), 1)
    True
    >>> crootof_form(flint.fmpq_poly([8, 0, 0, 1]), 0) is None  # 2 terms: a radical
    True
    """
    coeffs = primitive_integers(m)
    terms = [c for c in coeffs if c]
    if len(coeffs) < 4 or len(terms) < 3 or coeffs[0] < 0 or coeffs[0] < abs(terms[-1]):
        return None
    poly = sympy.PurePoly.from_list(coeffs, sympy.Symbol("x"), domain=sympy.ZZ)
    return sympy.CRootOf._new(poly, k)


def _surd_form(quadratic: tuple, coeffs: list) -> sympy.Expr:
    """``α + β √d`` for ``Σ c_k θ^k``, built in sympy's canonical form (rational first) without
    ``Add``'s general simplification (whose first use imports ``sympy.tensor``)."""
    surd, image, modulus = quadratic
    a_b = (flint.fmpq_poly(coeffs)(image) % modulus).coeffs() + [flint.fmpq(0)] * 2
    alpha, beta = _rational(a_b[0]), _rational(a_b[1])
    if beta == 0:
        return alpha
    term = _term(beta, surd)
    return term if alpha == 0 else sympy.Add(alpha, term, evaluate=False)


def _term(c: sympy.Rational, atom: sympy.Expr) -> sympy.Expr:
    """``c * atom`` for a nonzero rational ``c`` and a ``CRootOf``, a power of one or a
    square root of a square-free integer: the product sympy writes (``Mul(c, atom)``, or
    ``atom`` for ``c = 1``), built without ``Mul``'s general simplification."""
    return atom if c == 1 else sympy.Mul(c, atom, evaluate=False)


def quadratic_roots(m: flint.fmpq_poly, poly: sympy.Poly) -> list:
    """The real roots of an irreducible quadratic ``m`` (``poly`` is the same polynomial as a
    sympy ``Poly`` over ``QQ``) as :class:`FieldRoot` s in increasing order, each with an
    isolating interval from ``isqrt(D)`` and its form ``α + β √n`` given directly: the
    surd ``√n`` is the one ``Poly.real_roots`` writes (its ``D`` is that of ``poly``
    preprocessed as sympy's root finders do, ``sympy.sqrt`` pulls square factors out), so
    the values are the same expressions, without root finding or ``Add``'s general
    simplification (whose first use imports ``sympy.tensor``).

    >>> u = sympy.Symbol("u")
    >>> m = flint.fmpq_poly([-2, -2, 3]) / 7
    >>> poly = sympy.Poly.from_list([sympy.Rational(k, 7) for k in (3, -2, -2)], u, domain="QQ")
    >>> [r.to_expr(flint.fmpq_poly([0, 1])) for r in quadratic_roots(m, poly)]
    [1/3 - sqrt(7)/3, 1/3 + sqrt(7)/3]
    """
    return _surd_field_roots(m, _quadratic_parts(poly))


def _surd_field_roots(m: flint.fmpq_poly, parts: list) -> list:
    """:class:`FieldRoot` s of a quadratic ``m`` from its :func:`_quadratic_parts`."""
    return [FieldRoot(m, ends, lambda q=q: _surd_form(q, [0, 1]), q) for ends, q in parts]


def field_roots(m: flint.fmpq_poly, make_poly) -> list:
    """The real roots of an irreducible ``m`` as :class:`FieldRoot` s in increasing order,
    with isolating intervals from :func:`~exactpower.equilibria.real_roots.real_root_intervals`
    (flint); their exact forms (rational, ``α + β √n`` as :func:`quadratic_roots` writes it,
    ``CRootOf`` as :func:`real_root_form`) are built from ``make_poly()`` (``m`` as a sympy
    ``Poly`` over ``QQ``, the factor ``Poly.factor_list`` gives) only when first needed.

    >>> u = sympy.Symbol("u")
    >>> m = flint.fmpq_poly([-2, -2, 3])
    >>> make = lambda: sympy.Poly.from_list([3, -2, -2], u, domain="QQ")
    >>> [r.to_expr(flint.fmpq_poly([0, 1])) for r in field_roots(m, make)]
    [1/3 - sqrt(7)/3, 1/3 + sqrt(7)/3]
    """
    if m.degree() == 1:
        c = -m.coeffs()[0] / m.coeffs()[1]
        return [FieldRoot(m, (c, c), _rational(c))]
    if m.degree() == 2:
        small = _small_quadratic_parts(m)
        if small is None:  # sympy's sqrt decides the surd
            return quadratic_roots(m, make_poly())
        return _surd_field_roots(m, small)
    intervals = real_root_intervals(m)
    if intervals is None:
        intervals = [interval for interval, _n in make_poly().intervals()]
    return [
        FieldRoot(m, interval, functools.partial(_root_form, m, k, make_poly))
        for k, interval in enumerate(intervals)
    ]


def _root_form(m: flint.fmpq_poly, k: int, make_poly) -> sympy.Expr:
    """The ``k``-th real root of an irreducible ``m`` of degree 3 or more, as sympy writes
    it: :func:`crootof_form`, else :func:`real_root_form` of ``make_poly()``."""
    form = crootof_form(m, k)
    return real_root_form(make_poly(), k) if form is None else form


def _small_quadratic_parts(m: flint.fmpq_poly) -> list | None:
    """:func:`_quadratic_parts` of an irreducible quadratic ``m`` without sympy, when the
    discriminant ``D`` of its primitive integer form is below ``2**96`` and no prime from
    ``2**15`` up divides it twice; None otherwise (sympy's ``sqrt`` then decides the surd).

    The form ``α + β √n`` of a root is unique once ``n`` is square-free, so it does not
    depend on how the polynomial is scaled.  Sympy's ``sqrt`` of an integer extracts the
    square factors of the primes it finds by trial division up to ``2**15``; whether it
    finds a larger prime that divides the number twice depends on its factor cache (on what
    the process factored before).  So when every prime dividing ``D`` twice is below
    ``2**15`` -- always so below ``2**30`` -- sympy's surd, for ``D`` and for
    ``D / d²`` (the discriminant after the rescaling ``x = d y`` of its root finders), is
    ``√n`` for the square-free part ``n`` of ``D``, taken here from flint's factorization.
    That takes about 0.1 ms for the discriminants of the contrib games (60 to 75 bits), and
    3 ms at worst below ``2**96`` (two primes of 48 bits); sympy's ``sqrt`` and root
    preprocessing take about 1 ms."""
    a, b, c = primitive_integers(m)
    disc = b * b - 4 * a * c
    if disc <= 0:
        return []
    if disc >= 2**96:
        return None
    k, n, large_square = square_free_parts(disc)
    if large_square or n == 1:  # sympy may keep prime² under its root; or m is reducible
        return None
    surd = sympy.Pow(sympy.Integer(n), sympy.S.Half, evaluate=False)
    return _surd_roots(a, b, disc, flint.fmpq(1), flint.fmpq(k), surd)


def _quadratic_parts(poly: sympy.Poly) -> list:
    """``(isolating interval, (√n, α + β s, s² - n))`` for each real root ``α + β √n`` of an
    irreducible quadratic ``poly``, in increasing order (see :func:`quadratic_roots`)."""
    coeff, primitive = preprocess_roots(poly)
    a, b, c = (int(v) for v in primitive.all_coeffs())
    disc = b * b - 4 * a * c
    if disc <= 0:
        return []
    k, surd = square_root(sympy.Integer(disc)).as_coeff_Mul()  # √disc = k √n
    return _surd_roots(a, b, disc, to_fmpq(coeff), to_fmpq(k), surd)


def _surd_roots(a: int, b: int, disc: int, scale, k, surd) -> list:
    """``(isolating interval, (√n, α + β s, s² - n))`` for the real roots
    ``scale · (-b ± k √n) / 2a`` of ``a x² + b x + c`` (discriminant ``disc = k² n > 0``, in
    the variable scaled by ``scale``), in increasing order; ``surd`` is ``√n``."""
    s, n = math.isqrt(disc), int(surd.base)
    out = []
    for sign in (-1, 1) if a * scale > 0 else (1, -1):
        ends = sorted(scale * flint.fmpq(-b + sign * e, 2 * a) for e in (s, s + 1))
        alpha = scale * flint.fmpq(-b, 2 * a)
        beta = scale * sign * k / (2 * a)
        out.append((ends, (surd, flint.fmpq_poly([alpha, beta]), flint.fmpq_poly([-n, 0, 1]))))
    return out


def _rational(c: flint.fmpq) -> sympy.Rational:
    return sympy.Rational(int(c.p), int(c.q))


def _quadratic(value) -> tuple:
    """``(√d, α + β s, s² - d)`` when ``value`` is ``α + β √d`` with rational ``α``, ``β``,
    ``d`` (one square root in it), else ``()``."""
    surds = [a for a in value.atoms(sympy.Pow) if a.exp == sympy.S.Half and a.base.is_Rational]
    if len(surds) != 1 or value.free_symbols:
        return ()
    surd = surds[0]
    poly = sympy.Poly(value, surd)
    if poly.degree() != 1 or not all(c.is_Rational for c in poly.all_coeffs()):
        return ()
    beta, alpha = (to_fmpq(c) for c in poly.all_coeffs())
    d = to_fmpq(surd.base)
    return surd, flint.fmpq_poly([alpha, beta]), flint.fmpq_poly([-d, 0, 1])


def descartes_excludes(poly: flint.fmpq_poly) -> bool:
    """Whether ``poly`` provably has no root in ``(0, 1)``: ``(1 + y)^D poly(1 / (1 + y))``,
    whose positive roots are the images of those roots, has no sign variation (Descartes's
    rule of signs, :func:`~exactpower.equilibria.real_roots.sign_variations`).  False means
    "not proved" (always for the zero polynomial).

    >>> descartes_excludes(flint.fmpq_poly([-9, 0, 2]))  # ±3/√2
    True
    >>> descartes_excludes(flint.fmpq_poly([-1, 4]))  # 1/4
    False
    """
    return not poly.is_zero() and sign_variations(poly, flint.fmpq(0), flint.fmpq(1)) == 0


def _sign(x: flint.fmpq) -> int:
    return (x > 0) - (x < 0)


def substitute(element, images: list, m: flint.fmpq_poly) -> flint.fmpq_poly:
    """A polynomial ring element (or a rational constant) with its ring's ``k``-th
    generator replaced by ``images[k]``, modulo ``m``."""
    if not hasattr(element, "terms"):
        return flint.fmpq_poly([to_fmpq(element)])
    total = flint.fmpq_poly(0)
    for monom, coeff in element.terms():
        term = flint.fmpq_poly([to_fmpq(coeff)])
        for image, e in zip(images, monom):
            if e:
                term = term * image**e % m
        total += term
    return total % m


def payoff_tables(game: BayesianGame, rows: tuple, m: flint.fmpq_poly) -> tuple:
    """``F_i(t_i, a) · dΩ · dR`` for every player ``i`` (lists of lists of ``fmpq_poly``
    modulo ``m``), at the profile whose probabilities are ``rows[j][t_j][a]``: the sum over
    type profiles ``t`` and action profiles of ``Ω(t) r_i(t, a) Π_{j≠i} σ_j(t_j)(a_j)`` on
    integer numerators, skipping zero probabilities (the scale ``dΩ · dR`` is the product
    of the prior's and the rewards' denominators).

    The products ``Π_{j≠i} σ_j(t_j)(a_j)`` are built one player at a time, each prefix once;
    at a rational root (``m`` of degree 1) they are ``fmpq`` numbers, not polynomials.

    >>> from exactpower import BayesianGame
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> u, half = flint.fmpq_poly([0, 1]), flint.fmpq(1, 2)
    >>> m = flint.fmpq_poly([-half, 1])  # θ = 1/2
    >>> payoff_tables(mp, (((u, 1 - u),), ((u, 1 - u),)), m)[0]
    [[0, 0]]
    >>> payoff_tables(mp, (((u, 1 - u),), ((1 - u, u),)), flint.fmpq_poly([-3, 0, 1]))[1]
    [[(-2)*x + 1, 2*x + (-1)]]
    """
    n = game.n_players
    prior = game.prior.numerators
    rewards = game.rewards.numerators
    assert prior is not None and rewards is not None  # a rational game
    rational = m.degree() == 1
    if rational:  # every value is a number: evaluate at the root
        theta = -m.coeffs()[0] / m.coeffs()[1]
        rows = tuple(tuple(tuple(v(theta) for v in row) for row in pr) for pr in rows)
    # For every player j and type k: the actions of positive probability with theirs.
    support = [[[(a, v) for a, v in enumerate(row) if v != 0] for row in pr] for pr in rows]
    prior_list = prior.tolist()
    tables = []
    for i in range(n):
        # r_i with player i's action axis last: one lookup gives the row over i's actions.
        own_last = np.moveaxis(rewards[i], n + i, -1).tolist()
        zero = flint.fmpq(0) if rational else flint.fmpq_poly(0)
        table: list = [[zero] * game.action_shape[i] for _ in range(game.type_shape[i])]
        for t in itertools.product(*(range(k) for k in game.type_shape)):
            p = _at(prior_list, t)
            if p == 0:
                continue
            r_t = _at(own_last, t)
            weights: list = [((), p)]
            for j in range(n):
                if j != i:
                    weights = [
                        (rest + (a,), w * v if rational else w * v % m)
                        for rest, w in weights
                        for a, v in support[j][t[j]]
                    ]
            row = table[t[i]]
            for rest, w in weights:
                for a, r in enumerate(_at(r_t, rest)):
                    if r:
                        row[a] = row[a] + r * w
        if rational:
            tables.append([[flint.fmpq_poly([v]) for v in row] for row in table])
        else:
            tables.append([[v % m for v in row] for row in table])
    return tuple(tables)


def _at(nested, index):
    for k in index:
        nested = nested[k]
    return nested


@dataclass(frozen=True)
class FieldPoint:
    """An equilibrium in ``Q(θ)``: its root, its probabilities ``rows[i][t_i][a]`` and the
    payoff tables (``fmpq_poly`` modulo ``m``) of :func:`payoff_tables` there.

    :meth:`power` gives every player's POWER, ``Σ_{t_i} max_a F_i(t_i, a)`` over the scale.
    """

    root: FieldRoot
    rows: tuple
    tables: tuple
    scale: int

    def power(self) -> tuple:
        """``POWER(i, σ)`` of every player, as sympy expressions in ``θ``."""
        out = []
        for table in self.tables:
            total = flint.fmpq_poly(0)
            for row in table:
                best = row[0]
                for v in row[1:]:
                    if self.root.sign(v - best) > 0:
                        best = v
                total += best
            out.append(self.root.to_expr(total / self.scale))
        return tuple(out)
