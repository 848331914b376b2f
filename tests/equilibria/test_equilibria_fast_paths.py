"""Fast paths of the n-player solver that must give the very expressions the slow ones gave.

Oracles: sympy's ``Poly.real_roots`` (the exact forms of quadratic and higher roots),
``sympy.Add`` with evaluation (the canonical sum), :meth:`PureSearch.weakly_dominated` one
action at a time, and a fresh Python process for the one-time import of ``sympy.tensor``
(``Add``'s general simplification imports it on first use; 0.02-0.04 s).
"""

from __future__ import annotations

import random
import subprocess
import sys
from pathlib import Path

import flint
import numpy as np
import pytest
import sympy

from exactpower import BayesianGame
from exactpower.equilibria.number_field import (
    FieldRoot,
    crootof_form,
    quadratic_roots,
    real_root_form,
    to_fmpq_poly,
)
from exactpower.equilibria.pure import PureSearch

ROOT = Path(__file__).resolve().parents[2]
U = sympy.Symbol("u")


def _irreducible(coeffs: list, degree: int):
    m = sympy.Poly.from_list(coeffs, U, domain="QQ")
    factors = m.factor_list()[1]
    if len(factors) != 1 or factors[0][1] != 1 or factors[0][0].degree() != degree:
        return None
    return m


def _quadratics(count: int, seed: int) -> list:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        big = rng.choice([10, 1000, 10**12, 10**25])
        c = [sympy.Rational(rng.randint(-big, big), rng.randint(1, big)) for _ in range(3)]
        if rng.random() < 0.3:  # a large prime squared in the discriminant, or a rescaling
            p = rng.choice([3, 32771, 1000003, 2**31 - 1])
            c = [c[0] * p * p, c[1] * p, c[2]]
        if rng.random() < 0.2:
            c[1] = sympy.S.Zero
        m = _irreducible(c, 2) if c[0] != 0 else None
        if m is not None:
            out.append(m)
    return out


@pytest.mark.parametrize("m", _quadratics(300, 7), ids=lambda m: str(m.all_coeffs()[:1]))
def test_quadratic_roots_are_sympys_real_roots(m):
    mine = quadratic_roots(to_fmpq_poly(m), m)
    theirs = m.real_roots()
    assert [sympy.srepr(r.to_expr(flint.fmpq_poly([0, 1]))) for r in mine] == [
        sympy.srepr(v) for v in theirs
    ]
    for root, value in zip(mine, theirs):
        assert isinstance(root.low, flint.fmpq) and root.low < root.high
        low, high = (sympy.Rational(int(v.p), int(v.q)) for v in (root.low, root.high))
        assert low <= value <= high  # the isolating interval holds the root (exactly)
        q = flint.fmpq_poly([3, -2, 5])  # 3 - 2θ + 5θ²: same value, same form
        expected = sympy.expand(3 - 2 * value + 5 * value**2)
        assert sympy.srepr(root.to_expr(q)) == sympy.srepr(expected)


def test_quadratic_roots_of_a_quadratic_without_real_roots():
    m = sympy.Poly.from_list([1, 0, 2], U, domain="QQ")
    assert quadratic_roots(to_fmpq_poly(m), m) == []


def _higher(count: int, seed: int) -> list:
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        d = rng.randint(3, 6)
        c = [sympy.Rational(rng.randint(-30, 30), rng.randint(1, 4)) for _ in range(d + 1)]
        if rng.random() < 0.3:  # coefficients sympy rescales (x = 2y) before isolating
            c = [c[i] * 2 ** (d - i) * (4 if i == 0 else 1) for i in range(d + 1)]
        m = _irreducible(c, d) if c[0] != 0 else None
        if m is not None:
            out.append(m)
    return out


@pytest.mark.parametrize("m", _higher(60, 11), ids=lambda m: str(m.degree()))
def test_real_root_form_is_sympys_real_root(m):
    theirs = m.real_roots()
    mine = [real_root_form(m, k) for k in range(len(theirs))]
    assert [sympy.srepr(v) for v in mine] == [sympy.srepr(v) for v in theirs]


def _wide(count: int, seed: int) -> list:
    """Irreducible polynomials of degree 3 to 9 with small and large integer coefficients,
    either sign of the leading one, and leading coefficients above and below the constant."""
    rng = random.Random(seed)
    out = []
    while len(out) < count:
        d = rng.randint(3, 9)
        big = rng.choice([5, 1000, 10**20])
        c = [rng.randint(-big, big) if rng.random() < 0.8 else 0 for _ in range(d + 1)]
        if rng.random() < 0.3:  # 3^d q(x / 3): sympy rescales it (x = 3y) before isolating
            c = [c[i] * 3**i for i in range(d + 1)]
        if rng.random() < 0.3:
            c[0] *= rng.choice([1, 7, 10**6])
        m = _irreducible(c, d) if c[0] != 0 and c[-1] != 0 else None
        if m is not None:
            out.append(m)
    return out


@pytest.mark.parametrize("m", _higher(60, 11) + _wide(120, 13), ids=lambda m: str(m.degree()))
def test_crootof_form_is_sympys_crootof(m):
    """The direct ``CRootOf`` object is the very one sympy builds (same ``srepr``, hash and
    value) whenever it is given; when it is not (None), the slow path builds the root."""
    theirs = m.real_roots()
    fm = to_fmpq_poly(m)
    for k, value in enumerate(theirs):
        mine = crootof_form(fm, k)
        if mine is None:
            continue
        assert isinstance(mine, sympy.CRootOf)
        assert sympy.srepr(mine) == sympy.srepr(value) and hash(mine) == hash(value)
        assert mine == value and mine.evalf(30) == value.evalf(30)


def test_crootof_form_gives_way_where_sympy_rescales_or_renormalises():
    x3 = flint.fmpq_poly([1, -3, 0, 1])  # x³ - 3x + 1: built directly
    assert crootof_form(x3, 0) is not None
    assert crootof_form(-x3, 0) is None  # negative leading coefficient
    assert crootof_form(flint.fmpq_poly([1024, 512, 0, 0, 0, 1]), 0) is None  # x = 4y
    assert crootof_form(flint.fmpq_poly([2, 0, 0, 1]), 0) is None  # two terms: a radical
    assert crootof_form(flint.fmpq_poly([1, -3, 0, 1]) / 7, 2) == crootof_form(x3, 2)


def test_field_values_in_a_crootof_are_sympys_canonical_sums():
    rng = random.Random(5)
    x = sympy.Symbol("x")
    theta = sympy.CRootOf(sympy.Poly([1, 0, -3, 1], x), 1)
    m = flint.fmpq_poly([1, -3, 0, 1])
    root = FieldRoot(m, (0, 1), theta)
    for _ in range(200):
        coeffs = [
            sympy.Rational(rng.randint(-9, 9), rng.randint(1, 5)) if rng.random() < 0.7 else 0
            for _ in range(3)
        ]
        q = flint.fmpq_poly([flint.fmpq(int(c.p), int(c.q)) for c in map(sympy.Rational, coeffs)])
        expected = sympy.Add(*(c * theta**k for k, c in enumerate(coeffs) if c != 0))
        got = root.to_expr(q)
        assert sympy.srepr(got) == sympy.srepr(expected) and hash(got) == hash(expected)


@pytest.mark.parametrize("seed", range(20))
def test_weakly_dominated_actions_match_the_one_action_test(seed):
    rng = np.random.default_rng(seed)
    shape = (3, 2, 3)
    tables = [rng.integers(-2, 3, size=shape).tolist() for _ in range(3)]
    search = PureSearch(BayesianGame.from_tables(tables))
    supports = {(0, 0): [0, 2], (1, 0): [0, 1], (2, 0): [1, 2]}
    for agent in search.agents:
        got = search.weakly_dominated_actions(agent, supports)
        assert got == [search.weakly_dominated(agent, a, supports) for a in range(len(got))]
        assert all(type(v) is bool for v in got)


@pytest.mark.parametrize(
    "name, irrational",
    [("3x3x3.nfg", True), ("2x2x2x2x2.nfg", True), ("g3.nfg", True), ("coord333.nfg", False)],
)
def test_equilibria_do_not_import_sympy_tensor(name, irrational):
    """Writing a ``sqrt`` or ``CRootOf`` form, or splitting a system with no shape form
    (coord333), must not pay for ``sympy.tensor`` (0.02-0.04 s on the first call, more than
    the solving of these games)."""
    code = (
        "import sys\nfrom pathlib import Path\nfrom exactpower import equilibria\n"
        "from exactpower.io import from_nfg\n"
        f"p = Path({str(ROOT / 'tests' / 'data' / 'gambit-contrib' / name)!r})\n"
        "g = from_nfg(p.read_bytes(), source=str(p))\nassert 'sympy.tensor.tensor' not in sys.modules\n"
        "r = equilibria(g)\n"
        f"assert {irrational} == any(not v.is_Rational for e in r for rows in "
        "e.profile.strategies for row in rows for v in row)\n"
        "print('sympy.tensor.tensor' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "False"
