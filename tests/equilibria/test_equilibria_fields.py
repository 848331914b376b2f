"""Irrational equilibria computed in their number field (flint), and flint's Gröbner bases.

Oracles: the general POWER of :mod:`exactpower.power` (sympy expressions over sympy's
algebraic number field, :mod:`exactpower.contraction`), sympy's own lex Gröbner basis
(``sympy.groebner``), ``sympy.expand`` of ``Σ c_k θ^k``, and 60-digit evaluation of
algebraic numbers for signs.
"""

from __future__ import annotations

import sys
from pathlib import Path

import flint
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from exactpower import equilibria, is_bayesian_nash, load, power
from exactpower.equilibria.number_field import FieldPoint, FieldRoot, to_fmpq_poly
from exactpower.equilibria.polynomial import polynomial_equilibria
from exactpower.equilibria.polynomial_systems import lex_basis
from exactpower.io import from_nfg

ROOT = Path(__file__).resolve().parents[2]
CONTRIB = ROOT / "tests" / "data" / "gambit-contrib"


def _games():
    g3 = from_nfg((CONTRIB / "g3.nfg").read_bytes(), source="g3.nfg")
    return {
        "irrational-three-player": load(ROOT / "examples" / "irrational-three-player.json"),
        "g3": g3,
    }


@pytest.mark.parametrize("name", ["irrational-three-player", "g3"])
def test_number_field_power_equals_the_sympy_power(name):
    game = _games()[name]
    result = equilibria(game)
    fields = polynomial_equilibria(game).fields
    assert len(fields) == len(result)
    irrational = 0
    for e, field in zip(result, fields):
        assert is_bayesian_nash(game, e.profile)
        values = [v for r in e.profile.strategies for v in r[0]]
        rational = all(isinstance(v, sympy.Rational) for v in values)
        pure = all(v in (0, 1) for v in values)
        assert (field is None) == pure  # every mixed equilibrium has its field (QQ or more)
        irrational += not rational
        if field is not None:
            assert (field.root.m.degree() == 1) == rational
        # The oracle: sympy's algebraic-field contraction (power() on a symbolic profile).
        expected = tuple(power(game, e.profile, i) for i in range(game.n_players))
        assert e.power == expected  # the same value, written the same way
        assert all(isinstance(v, sympy.Expr) and not v.has(sympy.Float) for v in e.power)
        if not rational:
            assert isinstance(field, FieldPoint) and field.root.m.degree() >= 2
            assert any(not v.is_Rational for v in e.power)
    assert irrational == (1 if name == "irrational-three-player" else 3)


def test_irrational_power_does_not_go_through_the_symbolic_contraction(monkeypatch):
    # The POWER record of g3's degree-9 equilibrium took 4 s as a sympy contraction over
    # QQ<CRootOf>; it is now computed in Q(θ) with flint.
    def refuse(*args):
        raise AssertionError("symbolic contraction used")

    monkeypatch.setattr(sys.modules["exactpower.power"], "interim_table", refuse)
    result = equilibria(_games()["g3"])
    assert len(result) == 5 and result.complete
    crootof = [e for e in result if any(v.has(sympy.CRootOf) for v in e.power)]
    assert len(crootof) == 1


def test_g3_degree_nine_power_numerically():
    # Independent of both exact paths: 50 digits of the profile, POWER by the definition.
    game = _games()["g3"]
    (e,) = [e for e in equilibria(game) if any(v.has(sympy.CRootOf) for v in e.power)]
    x = [[sympy.N(v, 50) for v in rows[0]] for rows in e.profile.strategies]
    rewards = game.rewards.to_exprs()
    for i in range(game.n_players):
        best = None
        for a in range(game.action_shape[i]):
            total = 0
            for cell in __import__("itertools").product(*(range(k) for k in game.action_shape)):
                if cell[i] != a:
                    continue
                w = 1
                for j, b in enumerate(cell):
                    if j != i:
                        w *= x[j][b]
                total += w * rewards[(i, 0, 0, 0, 0) + cell]
            best = total if best is None else max(best, total)
        assert abs(sympy.N(e.power[i], 50) - best) < sympy.Float("1e-40", 50)


NON_SQUARES = [d for d in range(2, 60) if sympy.sqrt(d).is_irrational]


@settings(max_examples=60, deadline=None)
@given(
    d=st.sampled_from(NON_SQUARES),
    p=st.integers(-40, 40),
    q=st.integers(1, 12),
    coeffs=st.lists(st.integers(-30, 30), min_size=1, max_size=5),
)
def test_field_root_sign_and_form_on_quadratics(d, p, q, coeffs):
    u = sympy.Symbol("u")
    a = sympy.Rational(p, q)
    m = sympy.Poly(u**2 - 2 * a * u + a**2 - d, u, domain=sympy.QQ)  # roots a ± √d
    for k, (interval, _n) in enumerate(m.intervals()):
        theta = m.real_roots()[k]
        assert sympy.expand(theta - (a + (2 * k - 1) * sympy.sqrt(d))) == 0
        root = FieldRoot(to_fmpq_poly(m), interval, theta)
        poly = flint.fmpq_poly(coeffs)
        value = sympy.expand(sum(c * theta**j for j, c in enumerate(coeffs)))
        assert root.to_expr(poly) == value
        expected = 0 if value == 0 else (1 if sympy.N(value, 60) > 0 else -1)
        assert root.sign(poly) == expected


@settings(max_examples=30, deadline=None)
@given(coeffs=st.lists(st.integers(-9, 9), min_size=1, max_size=4), index=st.integers(0, 0))
def test_field_root_sign_and_form_on_a_cubic(coeffs, index):
    u = sympy.Symbol("u")
    m = sympy.Poly(u**3 - u - 1, u, domain=sympy.QQ)  # one real root, the plastic number
    theta = m.real_roots()[index]
    root = FieldRoot(to_fmpq_poly(m), m.intervals()[index][0], theta)
    q = flint.fmpq_poly(coeffs)
    reduced = sympy.Poly(sum(c * u**k for k, c in enumerate(coeffs)), u).rem(m)
    value = sympy.expand(reduced.as_expr().subs(u, theta))
    assert root.to_expr(q) == value
    expected = 0 if reduced.is_zero else (1 if sympy.N(value, 60) > 0 else -1)
    assert root.sign(q) == expected


def _systems():
    x, y, z, w = sympy.symbols("x y z w")
    return [
        ([x**2 + y**2 - 1, x - y], [x, y]),
        ([x * y - 1, x + y - 3, z - x * y], [x, y, z]),
        ([x * y * z - 1, x + y + z - 3, x * y + y * z + x * z - 3], [x, y, z]),
        ([x * y - sympy.Rational(1, 4), y * z - 2 * x, z * w - y, w + x - 1], [x, y, z, w]),
        ([x - 1, x - 2], [x, y]),
    ]


@pytest.mark.parametrize("eqs, gens", _systems())
def test_lex_basis_equals_sympy_groebner(eqs, gens):
    basis = lex_basis(eqs, gens)
    expected = sympy.groebner(eqs, *gens, order="lex", domain=sympy.QQ)
    assert basis.exprs == list(expected.exprs)
    if basis.exprs != [1]:
        assert basis.is_zero_dimensional == expected.is_zero_dimensional
    assert all(isinstance(e, sympy.Expr) for e in basis.exprs)


def test_lex_basis_positive_dimensional():
    x, y, z = sympy.symbols("x y z")
    basis = lex_basis([x * y - z, x - y], [x, y, z])
    assert basis.is_zero_dimensional is False
    assert sympy.groebner([x * y - z, x - y], x, y, z, order="grevlex").exprs == basis.exprs
