"""The quotient algebra ``Q[x] / I`` (shape-form FGLM), Descartes exclusion and exact signs.

Oracles, independent of the code under test: sympy's Buchberger run directly in lex order
(the reduced lex basis is unique, so ``lex_basis`` must give the same ring elements in the
same order, by the shape-form fast path or sympy's FGLM), sympy's grevlex basis and
``reduced``; systems built from known rational solutions (the characteristic polynomial of
the multiplication by ``x_j`` is ``Π (t - p_j)``, and Descartes's rule is exact on
real-rooted polynomials, so ``outside_unit_cube`` must be exactly "some unknown takes no
value in ``(0, 1)``"); Sturm counts (``Poly.count_roots``); 80-digit values at ``CRootOf``.
"""

from __future__ import annotations

import itertools

import flint
import pytest
import sympy
from hypothesis import assume, event, given, settings
from hypothesis import strategies as st
from sympy.polys.groebnertools import groebner as sympy_groebner
from sympy.polys.orderings import grevlex, lex

from exactpower.equilibria.number_field import FieldRoot, descartes_excludes, to_fmpq, to_fmpq_poly
from exactpower.equilibria.polynomial_systems import (
    Basis,
    basis_shape,
    lex_basis,
    outside_unit_cube,
)
from exactpower.equilibria.shape_fglm import Quotient, normal_set

X, Y, Z = GENS = sympy.symbols("x y z")
T = sympy.Symbol("t")
HALF, THIRD = sympy.Rational(1, 2), sympy.Rational(1, 3)


def sympy_lex(equations: list, gens: list) -> list:
    """The reduced lex basis by sympy's Buchberger in lex order (no FGLM, no flint)."""
    ring = sympy.ring(gens, sympy.QQ, lex)[0]
    return sympy_groebner([ring(e) for e in equations if ring(e)], ring)  # without zeros


def grevlex_exprs(equations: list, gens: list) -> list:
    """sympy's reduced grevlex basis as expressions."""
    return list(sympy.groebner(equations, *gens, order="grevlex", domain=sympy.QQ).exprs)


def leading_grevlex(g, gens: list) -> tuple:
    """The grevlex leading monomial of an expression."""
    return max(sympy.Poly(g, *gens).monoms(), key=grevlex)


def standard_monomials(basis_exprs: list, gens: list) -> list:
    """Monomials divisible by no grevlex leading monomial, sorted by sympy's grevlex key."""
    leading = [leading_grevlex(g, gens) for g in basis_exprs]
    bound = [max(m[i] for m in leading if sum(m) == m[i]) for i in range(len(gens))]
    box = itertools.product(*(range(b) for b in bound))
    found = [m for m in box if not any(all(map(int.__ge__, m, lm)) for lm in leading)]
    return sorted(found, key=grevlex)


def check_lex_basis(equations: list, gens: list) -> Basis:
    """``lex_basis`` equals sympy's lex basis (same ring elements, same order, same types)."""
    basis, expected = lex_basis(equations, gens), sympy_lex(equations, gens)
    assert isinstance(basis, Basis)
    if len(expected) == 1 and expected[0].is_ground:
        assert basis.inconsistent and basis.exprs == [1]
        return basis
    assert basis.is_zero_dimensional is True and basis.polys == expected
    assert isinstance(basis.quotient, Quotient) and basis.quotient.n == len(gens)
    assert [(dict(p), p.LM) for p in basis.polys] == [(dict(p), p.LM) for p in expected]
    for p in basis.polys:
        assert p.ring.order == lex and list(p.ring.symbols) == list(gens) and p.LC == 1
        assert all(sympy.QQ.of_type(c) for c in p.values())
    return basis


def in_shape_form(polys: list, n: int) -> bool:
    """Whether a lex basis is ``x_j - g_j(u)`` (``j < n - 1``) and ``h(u)``, read directly."""
    units = [tuple(int(i == j) for i in range(n)) for j in range(n - 1)] + [None]
    return len(polys) == n and all(
        (unit is None or p.get(unit, 0) != 0) and not any(any(m[: n - 1]) for m in p if m != unit)
        for unit, p in zip(units, polys)
    )


def monomial(exponents: tuple) -> sympy.Expr:
    """``x^a y^b z^c`` for the exponents ``(a, b, c)`` (or a prefix)."""
    return sympy.Mul(*(g**e for g, e in zip(GENS, exponents)))


NONZERO = st.sampled_from([-3, -2, -1, 1, 2, 3])
# In [-3, 6], often in (0, 1).
RATIONALS = st.builds(sympy.Rational, st.integers(-3, 6), st.sampled_from([1, 2, 3]))


@st.composite
def multilinear(draw, n: int, max_terms: int = 3):
    """A sparse polynomial of degree at most 1 in each unknown, small integer coefficients."""
    monomials = list(itertools.product(range(2), repeat=n))
    chosen = draw(st.lists(st.sampled_from(monomials), min_size=1, max_size=max_terms))
    coefficients = draw(st.lists(NONZERO, min_size=len(chosen), max_size=len(chosen)))
    return sum((c * monomial(m) for c, m in zip(coefficients, chosen)), sympy.S.Zero)


@st.composite
def grid_systems(draw):
    """``(equations, gens, solutions)``: a grid ``Π_i (x_i - a_ik)`` of distinct rationals
    cut by a few multilinear equations; the solutions are the grid points where those
    vanish (the ideal is radical: a quotient of ``Q^grid``)."""
    n = draw(st.integers(1, 3))
    gens = list(GENS[:n])
    values = [draw(st.lists(RATIONALS, min_size=1, max_size=3, unique=True)) for _ in range(n)]
    extras = draw(st.lists(multilinear(n), max_size=2))
    equations = [sympy.Mul(*(g - a for a in vs)) for g, vs in zip(gens, values)] + extras
    points = itertools.product(*values)
    return equations, gens, [p for p in points if all(e.subs(zip(gens, p)) == 0 for e in extras)]


@st.composite
def quadratic_systems(draw):
    """``x_i² + (linear terms)`` for every unknown (zero-dimensional: the leading forms
    ``x_i²`` have no common zero but 0), plus up to one multilinear equation; solutions
    are usually irrational, in shape form or not."""
    n = draw(st.integers(1, 3))
    gens = list(GENS[:n])
    equations = []
    for g in gens:
        linear = draw(st.lists(st.integers(-3, 3), min_size=n + 1, max_size=n + 1))
        equations.append(g**2 + linear[0] + sum(c * h for c, h in zip(linear[1:], gens)))
    equations += draw(st.lists(multilinear(n), max_size=1))
    return equations, gens


@settings(max_examples=150, deadline=None)
@given(quadratic_systems(), st.data())
def test_lex_basis_equals_sympy_lex_buchberger(system, data):
    equations, gens = system
    gens = data.draw(st.permutations(gens))  # any order of the unknowns
    basis = check_lex_basis(equations, gens)
    if basis.inconsistent:
        return
    quotient = basis.quotient
    shape = quotient.shape_basis()
    event(f"{len(gens)} unknowns, {'shape' if shape else 'FGLM'}, degree {quotient.size}")
    # The fast path answers exactly when the unique lex basis is in shape form.
    assert (shape is not None) == in_shape_form(basis.polys, len(gens))
    assert (basis_shape(basis, gens) is not None) == (shape is not None)
    if shape is not None:
        assert all(isinstance(c, flint.fmpq) for p in shape for c in p.values())
        assert shape == [{m: to_fmpq(c) for m, c in p.items()} for p in basis.polys]


@settings(max_examples=150, deadline=None)
@given(grid_systems())
def test_lex_basis_and_quotient_on_known_solutions(system):
    equations, gens, solutions = system
    n = len(gens)
    basis = check_lex_basis(equations, gens)
    if not solutions:
        assert basis.inconsistent
        assert outside_unit_cube(basis) is False  # nothing is claimed for no solution
        return
    quotient = basis.quotient
    assert quotient.size == len(solutions)
    for j in range(n):
        matrix = quotient.multiplication(j)
        assert isinstance(matrix, flint.fmpq_mat)
        expected = sympy.Poly(sympy.Mul(*(T - p[j] for p in solutions)), T, domain=sympy.QQ)
        assert matrix.charpoly() == to_fmpq_poly(expected)
    # Shape form along the last unknown iff it separates the (simple) solutions.
    separates = len({p[-1] for p in solutions}) == len(solutions)
    event(f"{n} unknowns, {len(solutions)} solutions, separated: {separates}")
    assert (quotient.shape_basis() is not None) == separates
    assert (basis_shape(basis, gens) is not None) == separates
    # Descartes is exact on real-rooted polynomials: outside_unit_cube is exactly "some
    # unknown takes no value in (0, 1)" here.
    expected_outside = any(all(not 0 < p[j] < 1 for p in solutions) for j in range(n))
    assert outside_unit_cube(basis) is expected_outside
    assert not (expected_outside and any(all(0 < v < 1 for v in p) for p in solutions))


@st.composite
def sparse_systems(draw):
    """Two or three sparse equations in ``x, y`` of degree at most 2 in each unknown: any
    dimension (zero-dimensional, curves, inconsistent)."""
    monomials = list(itertools.product(range(3), repeat=2))
    equations = []
    for _ in range(draw(st.integers(2, 3))):
        chosen = draw(st.lists(st.sampled_from(monomials), min_size=1, max_size=3, unique=True))
        coefficients = draw(st.lists(NONZERO, min_size=len(chosen), max_size=len(chosen)))
        equations.append(sum(c * monomial(m) for c, m in zip(coefficients, chosen)))
    return equations


@settings(max_examples=150, deadline=None)
@given(sparse_systems())
def test_lex_basis_on_sparse_systems_of_any_dimension(equations):
    gens = [X, Y]
    expected = sympy.groebner(equations, *gens, order="lex", domain=sympy.QQ)
    basis = lex_basis(equations, gens)
    if list(expected.exprs) == [1]:
        event("inconsistent")
        assert basis.inconsistent
    elif expected.is_zero_dimensional:
        event("zero-dimensional")
        check_lex_basis(equations, gens)
    else:
        event("positive-dimensional")
        assert basis.is_zero_dimensional is False and basis.quotient is None
        assert basis.exprs == grevlex_exprs(equations, gens)


HAND_SYSTEMS = [
    # Not in shape form: y does not separate the four solutions (±1, ±1).
    ([X**2 - 1, Y**2 - 1], [X, Y], False),
    ([X**2 - 1, Y**2 - Y, X * Y], [X, Y], False),  # (±1, 0): lex basis x² - 1, y
    ([X**2 - 1, Y**2 - 1, Z - X * Y], [X, Y, Z], False),
    ([X**2 - 2, Y**2 - 3], [X, Y], False),
    ([X**2, Y], [X, Y], False),  # a double point: 1, x in the normal set, x not a g(y)
    # In shape form.
    ([X - Y, Y**2 - 2], [X, Y], True),
    ([X**2 - 2, Y - X**3], [X, Y], True),  # y = 2x: x = y/2, y² = 8
    ([X * Y - 1, X + Y - 3, Z - X], [X, Y, Z], True),
    ([X - Y**2, Y**3], [X, Y], True),  # non-radical, still shape form: x - y², y³
    ([X**2 - 1, Y**2 - 1, Z - X - 2 * Y], [X, Y, Z], True),  # z = x + 2y separates
    ([X**2 - 1, Y**2 - 1, X * Y - 1], [X, Y], True),  # (1, 1), (-1, -1): x - y, y² - 1
    ([2 * X - 1], [X], True),
    ([X**3 - X], [X], True),
]


@pytest.mark.parametrize("equations, gens, shape", HAND_SYSTEMS)
def test_lex_basis_hand_systems(equations, gens, shape):
    basis = check_lex_basis(equations, gens)
    assert (basis.quotient.shape_basis() is not None) is shape
    assert (basis_shape(basis, gens) is not None) is shape
    assert in_shape_form(basis.polys, len(gens)) is shape


@settings(max_examples=40, deadline=None)
@given(quadratic_systems(), st.data())
def test_lex_basis_accepts_exponent_dictionaries(system, data):
    equations, gens = system
    scales = data.draw(st.lists(st.integers(1, 4), min_size=len(equations)))
    dictionaries = [  # integer multiples of the equations
        {m: int(c) for m, c in sympy.Poly(e * s, *gens).as_dict().items()}
        for e, s in zip(equations, scales)
    ]
    from_dicts, from_exprs = lex_basis(dictionaries, gens), lex_basis(equations, gens)
    assert from_dicts == from_exprs and from_dicts.polys == from_exprs.polys
    assert from_dicts.is_zero_dimensional is from_exprs.is_zero_dimensional
    assert from_dicts.exprs == from_exprs.exprs == check_lex_basis(equations, gens).exprs


def test_lex_basis_dictionaries_with_zero_coefficients_and_positive_dimension():
    from_dicts = lex_basis([{(1, 1): 1, (0, 0): 0}], [X, Y])
    assert from_dicts.is_zero_dimensional is False
    assert from_dicts.exprs == grevlex_exprs([X * Y], [X, Y])
    assert lex_basis([{(1, 0): 1, (0, 0): -1}, {(1, 0): 1, (0, 0): -2}], [X, Y]).inconsistent


def test_normal_set_hand_examples():
    # grevlex leading monomials x², xy, y²: normal set 1 < y < x.
    assert normal_set([(2, 0), (1, 1), (0, 2)], 2) == [(0, 0), (0, 1), (1, 0)]
    assert normal_set([(2, 0), (0, 2)], 2) == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert normal_set([(1, 1)], 2) is None  # no pure power: infinitely many monomials
    assert normal_set([(3,)], 1) == [(0,), (1,), (2,)]
    assert normal_set([(1, 0, 0), (0, 1, 0), (0, 0, 1)], 3) == [(0, 0, 0)]


def flint_grevlex(equations: list, gens: list):
    """The reduced grevlex basis as an ``fmpz_mpoly_vec`` in ``n + 1`` unknowns (last unused),
    as ``Quotient.of`` expects, from sympy's grevlex basis (integer multiples)."""
    n = len(gens)
    context = flint.fmpz_mpoly_ctx.get(tuple(f"v{k}" for k in range(n + 1)), "degrevlex")
    polys = [sympy.Poly(g, *gens).clear_denoms()[1] for g in grevlex_exprs(equations, gens)]
    return flint.fmpz_mpoly_vec(
        [context.from_dict({m + (0,): int(c) for m, c in p.as_dict().items()}) for p in polys],
        context,
    )


@settings(max_examples=40, deadline=None)
@given(quadratic_systems(), st.data())
def test_quotient_coordinates_are_sympy_normal_forms(system, data):
    equations, gens = system
    n = len(gens)
    expected_basis = grevlex_exprs(equations, gens)
    assume(expected_basis != [1])
    quotient = Quotient.of(flint_grevlex(equations, gens), n)
    assert isinstance(quotient, Quotient)
    assert quotient.basis == standard_monomials(expected_basis, gens)
    assert quotient.basis == normal_set([leading_grevlex(g, gens) for g in expected_basis], n)
    monomials = data.draw(
        st.lists(st.tuples(*(st.integers(0, 3) for _ in range(n))), min_size=1, max_size=4)
    )
    for m in monomials + quotient.basis[:2]:
        row = quotient.coordinates(m)
        assert all(isinstance(c, flint.fmpq) for c in row) and len(row) == quotient.size
        _, remainder = sympy.reduced(monomial(m), expected_basis, *gens, order="grevlex")
        terms = sympy.Poly(remainder, *gens).as_dict() if remainder != 0 else {}
        assert set(terms) <= set(quotient.basis)
        got = {b: c for b, c in zip(quotient.basis, row) if c != 0}
        assert got == {b: to_fmpq(c) for b, c in terms.items() if c}
    # Multiplication matrices commute and act on coordinates: M_j NF(m) = NF(x_j m).
    matrices = [quotient.multiplication(j) for j in range(n)]
    for a, b in itertools.combinations(matrices, 2):
        assert a * b == b * a
    for j, m in itertools.product(range(n), monomials[:2]):
        shifted = m[:j] + (m[j] + 1,) + m[j + 1 :]
        column = matrices[j] * flint.fmpq_mat(quotient.size, 1, quotient.coordinates(m))
        assert [column[i, 0] for i in range(quotient.size)] == quotient.coordinates(shifted)


def test_quotient_docstring_example_and_non_shape():
    context = flint.fmpz_mpoly_ctx.get(("x", "y", "w"), "degrevlex")
    x, y, _ = context.gens()
    quotient = Quotient.of(flint.fmpz_mpoly_vec([x - y, y**2 - 2], context), 2)
    shape = quotient.shape_basis()
    assert shape == [{(1, 0): 1, (0, 1): -1}, {(0, 2): 1, (0, 0): -2}]
    assert all(isinstance(c, flint.fmpq) for p in shape for c in p.values())
    assert quotient.outside_unit_interval() is True  # x = y = ±√2
    square = Quotient.of(flint.fmpz_mpoly_vec([x**2 - 1, y**2 - 1], context), 2)
    assert square.basis == [(0, 0), (0, 1), (1, 0), (1, 1)] and square.shape_basis() is None
    assert square.outside_unit_interval() is True  # ±1 only
    assert Quotient.of(flint.fmpz_mpoly_vec([x * y - 1], context), 2) is None


def test_outside_unit_cube_hand_examples():
    cases = [
        ([X - THIRD], [X], False),
        ([X - 2], [X], True),
        ([X - 1], [X], True),  # the open cube
        ([X * (X - 1)], [X], True),
        ([(X - 2) * (X - THIRD)], [X], False),
        ([X - Y, 4 * Y**2 - 1], [X, Y], False),  # (1/2, 1/2)
        ([(X - 3) * (X - HALF), (Y - HALF) * (Y + 1)], [X, Y], False),  # (1/2, 1/2)
        ([X**2 + 1, Y - HALF], [X, Y], True),  # no real x
        ([X - 2 * Y, 9 * Y**2 - 1], [X, Y], False),  # (2/3, 1/3)
        # The last unknown's eliminant has the root 1/2, x = 2: only the matrix of x helps.
        ([X - 2, Y**2 - sympy.Rational(1, 4)], [X, Y], True),
        ([X - 2, 4 * Y**2 - 1, Z - HALF], [X, Y, Z], True),
        ([X - HALF, Y - HALF, Z**2 - 4], [X, Y, Z], True),  # eliminant excludes
        ([X - HALF, Y - HALF, Z - HALF], [X, Y, Z], False),
        ([X * Y - 1, X - Y], [X, Y], True),  # x = y = ±1
        ([X * Y - 1, X + Y - 3], [X, Y], False),  # (3 ± √5)/2 swapped: not proved, allowed
    ]
    for equations, gens, expected in cases:
        basis = lex_basis(equations, gens)
        assert basis.is_zero_dimensional
        assert outside_unit_cube(basis) is expected, equations


def test_outside_unit_cube_needs_the_multiplication_matrix():
    basis = lex_basis([X - 2, Y**2 - sympy.Rational(1, 4)], [X, Y])
    assert basis.exprs == [X - 2, Y**2 - sympy.Rational(1, 4)]
    eliminant = to_fmpq_poly(sympy.Poly(basis.exprs[-1], Y))
    assert descartes_excludes(eliminant) is False  # y = 1/2 is in (0, 1)
    assert outside_unit_cube(basis) is True
    assert outside_unit_cube(Basis(basis.terms, True, basis.gens)) is False  # no quotient
    # Not zero-dimensional, inconsistent: nothing is claimed.
    assert outside_unit_cube(lex_basis([X * Y - 3], [X, Y])) is False
    assert outside_unit_cube(lex_basis([X - 2, X - 3], [X, Y])) is False


@settings(max_examples=40, deadline=None)
@given(quadratic_systems())
def test_outside_unit_cube_is_sound_on_irrational_solutions(system):
    equations, gens = system  # moved by x -> 4x - 2, so that solutions often are in (0, 1)^n
    equations = [e.subs({g: 4 * g - 2 for g in gens}, simultaneous=True) for e in equations]
    basis = lex_basis(equations, gens)
    forms = None if basis.inconsistent else basis_shape(basis, gens)
    assume(forms is not None)
    ((solved, h),) = forms  # the solutions are x_j = g_j(θ), h(θ) = 0: at 80 digits
    roots = [r.evalf(80) for r in h.real_roots()]
    points = [[solved[g].as_expr().subs(solved[g].gen, r) for g in gens] for r in roots]
    inside = any(all(1e-40 < v < 1 - 1e-40 for v in p) for p in points)
    event(f"a solution inside: {inside}")
    assert not (inside and outside_unit_cube(basis))


def open_unit_roots(coefficients: list) -> int:
    """Distinct real roots in ``(0, 1)`` (Sturm), of ``Σ c_k t^k``."""
    poly = sympy.Poly(list(reversed(coefficients)), T, domain=sympy.QQ)
    ends = sum(1 for v in (0, 1) if poly.eval(v) == 0)
    return poly.count_roots(0, 1) - ends


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(-6, 6), min_size=1, max_size=7).filter(any))
def test_descartes_excludes_is_sound(coefficients):
    answer = descartes_excludes(flint.fmpq_poly(coefficients))
    assert isinstance(answer, bool)
    if answer:
        assert open_unit_roots(coefficients) == 0


@settings(max_examples=80, deadline=None)
@given(st.lists(RATIONALS, min_size=1, max_size=5), NONZERO)
def test_descartes_excludes_is_exact_on_real_rooted_polynomials(roots, lead):
    poly = sympy.Poly(lead * sympy.Mul(*(T - r for r in roots)), T, domain=sympy.QQ)
    answer = descartes_excludes(to_fmpq_poly(poly))
    assert answer is (not any(0 < r < 1 for r in roots))
    assert answer is (open_unit_roots(list(reversed(poly.all_coeffs()))) == 0)


@pytest.mark.parametrize(
    "expr, expected",
    [
        (T**2 + 1, True),  # no real root
        (T**4 + T**2 + 3, True),
        # (1 + y)² p(1 / (1 + y)) = -2y² - 5y - 2 for p = (t + 1)(t - 2): one sign.
        ((T + 1) * (T - 2), True),
        (T * (T - 1), True),  # the ends are not in (0, 1)
        ((T - 1) ** 3 * T**2 * (T + 5), True),
        (sympy.S(7), True),
        (2 * T**2 - 9, True),  # ±3/√2
        ((T - HALF) ** 2, False),  # a double root in (0, 1)
        (T**2 * (3 * T - 1), False),
        (T**2 - T + sympy.Rational(26, 100), False),  # roots 1/2 ± i/10: not proved
    ],
)
def test_descartes_excludes_hand_examples(expr, expected):
    assert descartes_excludes(to_fmpq_poly(sympy.Poly(expr, T, domain=sympy.QQ))) is expected


def _expected_sign(q_coefficients: list, m: sympy.Poly, theta) -> int:
    q = sympy.Poly(list(reversed(q_coefficients)) or [0], T, domain=sympy.QQ)
    if q.rem(m).is_zero:
        return 0
    value = q.as_expr().subs(T, theta).evalf(80)
    assert abs(value) > sympy.Float("1e-50", 80)
    return 1 if value > 0 else -1


@st.composite
def irreducible(draw):
    """An irreducible ``m`` over ``QQ`` of degree 1 to 5 with a real root: a factor of a
    random integer polynomial."""
    coefficients = draw(st.lists(st.integers(-7, 7), min_size=3, max_size=6))
    assume(coefficients[-1] != 0)
    poly = sympy.Poly(list(reversed(coefficients)), T, domain=sympy.QQ)
    factors = [f for f, _ in poly.factor_list()[1] if f.count_roots() > 0]
    assume(factors)
    return draw(st.sampled_from(factors))


def widened(intervals: list, k: int) -> tuple:
    """Root ``k``'s isolating interval widened halfway to its neighbours' (still isolating)."""
    low, high = intervals[k]
    low = (intervals[k - 1][1] + low) / 2 if k > 0 else low - 5
    high = (intervals[k + 1][0] + high) / 2 if k + 1 < len(intervals) else high + 5
    return low, high


@settings(max_examples=60, deadline=None)
@given(irreducible(), st.lists(st.integers(-9, 9), max_size=7), st.booleans(), st.data())
def test_field_root_sign_equals_the_numerical_sign(m, q, wide, data):
    intervals = [interval for interval, _ in m.intervals()]
    k = data.draw(st.integers(0, len(intervals) - 1))
    theta = sympy.CRootOf(m.as_expr(), k) if m.degree() > 1 else -m.nth(0) / m.nth(1)
    interval = widened(intervals, k) if wide else intervals[k]
    root = FieldRoot(to_fmpq_poly(m), interval, theta)
    sign = root.sign(flint.fmpq_poly(q))
    assert type(sign) is int and sign == _expected_sign(q, m, theta)
    assert interval[0] <= root.low <= root.high <= interval[1]


@settings(max_examples=30, deadline=None)
@given(irreducible().filter(lambda m: m.degree() > 1), st.integers(20, 40), st.data())
def test_field_root_sign_near_the_root(m, digits, data):
    # q = t - c with c within 10^-digits of θ: many bisections before Descartes concludes.
    intervals = [interval for interval, _ in m.intervals()]
    k = data.draw(st.integers(0, len(intervals) - 1))
    theta = sympy.CRootOf(m.as_expr(), k)
    low, high = m.refine_root(*intervals[k], eps=sympy.Rational(1, 10**digits))
    c = data.draw(st.sampled_from([low, high, (low + high) / 2]))
    root = FieldRoot(to_fmpq_poly(m), intervals[k], theta)
    q = flint.fmpq_poly([-flint.fmpq(int(c.p), int(c.q)), 1])
    expected = 1 if (theta - c).evalf(digits + 40) > 0 else -1
    assert (root.sign(q), root.sign(q * q), root.sign(-(q**3))) == (expected, 1, -expected)


def test_field_root_sign_rational_and_hand_examples():
    root = FieldRoot(flint.fmpq_poly([-1, 3]), (THIRD, THIRD), THIRD)
    assert [root.sign(flint.fmpq_poly(c)) for c in ([-1, 3], [0, 1], [1, -4])] == [0, 1, -1]
    # A linear m with a proper interval (as Poly.intervals gives it).
    root = FieldRoot(flint.fmpq_poly([-1, 2]), (0, 1), HALF)
    assert [root.sign(flint.fmpq_poly(c)) for c in ([-1, 2], [-1, 3], [-2, 3])] == [0, 1, -1]
    # θ = √2 in a wide interval; 1.4142 < √2 < 1.4143.
    root = FieldRoot(flint.fmpq_poly([-2, 0, 1]), (0, 100), sympy.sqrt(2))
    assert root.sign(flint.fmpq_poly([-14142, 10000])) == 1
    assert root.sign(flint.fmpq_poly([-14143, 10000])) == -1
    assert root.sign(flint.fmpq_poly([-2, 0, 1]) * flint.fmpq_poly([5, 1])) == 0
    assert root.sign(flint.fmpq_poly([-3, 0, 0, 1])) == -1  # 2√2 < 3
