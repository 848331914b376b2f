"""The polynomial method: games of three or more players, irrational equilibria.

Oracles: our own exact BNE check and NashConv (zero exactly), the defining
polynomial of each irrational probability, published games (Nau, Gomez
Canovas and Hansen 2004, from Gambit's catalog) with Gambit's ``enumpoly``
as a floating-point peer, and the pure method.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import (
    BayesianGame,
    Player,
    dumps,
    equilibria,
    interim_utilities,
    is_bayesian_nash,
    load,
    nash_conv,
    power,
    welfare,
)
from exactpower.equilibria.polynomial import MAX_SUPPORT_PROFILES
from exactpower.errors import LimitError
from exactpower.testing import bayesian_games

from optional import require

ROOT = Path(__file__).resolve().parents[2]


def assert_exact_equilibrium(game, profile):
    """A BNE by the definition, with NashConv exactly zero and rows summing to 1."""
    assert is_bayesian_nash(game, profile)
    conv = nash_conv(game, profile)
    assert conv == 0 and isinstance(conv, sympy.Integer), conv
    for rows in profile.strategies:
        for row in rows:
            assert sympy.expand(sum(row) - 1) == 0
            assert all(v.is_nonnegative for v in row)
            assert not any(v.has(sympy.Float) for v in row)


def test_irrational_three_player_example():
    game = load(ROOT / "examples" / "irrational-three-player.json")
    result = equilibria(game)
    assert result.method == "polynomial" and result.complete
    assert len(result) == 1  # the game's only equilibrium, fully mixed
    e = result[0]
    assert_exact_equilibrium(game, e.profile)
    ann_a = e.profile.probability(0, 0, 0)
    assert ann_a == sympy.Rational(17, 24) - sympy.sqrt(265) / 120
    # Each probability is irrational: its minimal polynomial is a quadratic.
    x = sympy.Symbol("x")
    for i in range(3):
        for v in e.profile.strategies[i][0]:
            assert sympy.degree(sympy.minimal_polynomial(v, x), x) == 2
    # Every action is indifferent (fully mixed), and POWER is exact.
    for i in range(game.n_players):
        values = list(interim_utilities(game, e.profile, i)["-"].values())
        assert sympy.expand(values[0] - values[1]) == 0
    assert e.power == tuple(power(game, e.profile, i) for i in range(3))
    assert e.power[0] == sympy.Rational(13, 8) - sympy.sqrt(265) / 40
    # The identity Σ POWER = W + NashConv, with NashConv 0.
    assert sympy.expand(e.power_sum - welfare(game, e.profile)) == 0


def test_irrational_example_is_checked_by_the_proof_module():
    proofs = pytest.importorskip("proofs")
    game = load(ROOT / "examples" / "irrational-three-player.json")
    trace = proofs.power_scarcity(game, equilibria(game)[0].profile)
    verdict = proofs.check(trace)
    assert verdict.ok, verdict.message
    assert trace.equality.holds is True and trace.conclusion.gap == 0


def _gambit():
    """pygambit with its catalog, or skip the calling test (fail under CI=true)."""
    require("pygambit.catalog")
    return require("pygambit")


def _enumpoly(name):
    gbt = _gambit()
    g = gbt.catalog.load(name)
    return [
        [[float(m[s]) for s in p.strategies] for p in g.players]
        for m in gbt.nash.enumpoly_solve(g).equilibria
    ]


def catalog_game(name):
    g = _gambit().catalog.load(name)
    return BayesianGame.from_tables([a.tolist() for a in g.to_arrays()])


def test_nau_2004_unique_irrational_equilibrium():
    # Nau, Gomez Canovas and Hansen (2004), §4: a 2x2x2 game whose unique Nash
    # equilibrium is in irrational strategies.
    name = "journals/ijgt/nau2004/sec4"
    game = catalog_game(name)
    result = equilibria(game)
    assert result.complete and len(result) == 1
    e = result[0]
    assert_exact_equilibrium(game, e.profile)
    assert e.profile.probability(0, 0, 0) == sympy.Rational(53, 46) - sympy.sqrt(601) / 46
    # Gambit's enumpoly (floating point) as a peer.
    from gambit_oracle import run_with_timeout

    theirs = run_with_timeout(_enumpoly, name, seconds=60)
    assert len(theirs) == 1
    ours = [[float(v) for v in rows[0]] for rows in e.profile.strategies]
    assert np.allclose(ours, theirs[0], atol=1e-9)


def test_nau_2004_continuum_is_reported_incomplete():
    # §5: a continuum of completely mixed equilibria -- a positive-dimensional system.
    game = catalog_game("journals/ijgt/nau2004/sec5")
    result = equilibria(game)
    assert not result.complete and "positive-dimensional" in result.notes
    for e in result:
        assert_exact_equilibrium(game, e.profile)


def test_cubic_irrational_equilibrium_four_players():
    # p = q = r = s = x with x^3 + x - 1 = 0: CRootOf, not a radical of degree 2.
    def rewards(_t, a):
        z = [int(x == "0") for x in a]
        return [
            (z[1] * z[2] * z[3] + z[1] - 1) if z[0] else 0,
            (z[0] - z[2]) if z[1] else 0,
            (z[0] - z[3]) if z[2] else 0,
            (z[0] - z[1]) if z[3] else 0,
        ]

    game = BayesianGame.from_function([Player(n, ("-",), ("0", "1")) for n in "ABCD"], rewards)
    result = equilibria(game)
    mixed = [e for e in result if e.profile.is_symbolic]
    assert len(mixed) == 1
    p = mixed[0].profile.probability(0, 0, 1)
    assert isinstance(p, sympy.CRootOf)
    x = sympy.Symbol("x")
    assert sympy.minimal_polynomial(1 - p, x) == x**3 + x - 1
    for e in result:
        assert_exact_equilibrium(game, e.profile)
    assert not result.complete  # the game is degenerate: continua elsewhere


def test_pure_only_with_max_support_one():
    game = load(ROOT / "examples" / "odd-one-out.json")
    result = equilibria(game, method="polynomial", max_support=1)
    assert not result.complete and "larger supports were not tried" in result.notes
    pure = equilibria(game, method="pure")
    assert [e.profile.strategies for e in result] == [e.profile.strategies for e in pure]


def test_support_limit():
    rewards = np.zeros((3, 1, 1, 1, 6, 6, 6), dtype=np.int64)
    for a in range(6):  # player i wants to match player i+1: no action dominated, no dummy
        rewards[0, 0, 0, 0, a, a, :] = rewards[1, 0, 0, 0, :, a, a] = 1
        rewards[2, 0, 0, 0, a, :, a] = 1
    game = BayesianGame.from_arrays(rewards)
    with pytest.raises(LimitError, match="MAX_SUPPORT_PROFILES"):
        equilibria(game)
    assert MAX_SUPPORT_PROFILES < 63**3


def test_matching_pennies_two_ways():
    mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    poly = equilibria(mp, method="polynomial")
    assert poly.complete
    assert [e.profile.strategies for e in poly] == [e.profile.strategies for e in equilibria(mp)]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bayesian_games(
        min_players=3,
        max_players=3,
        max_types=2,
        min_actions=2,
        max_actions=2,
        rewards=st.integers(-50, 50),
        prior="correlated",
        max_cells=64,
    )
)
def test_generated_three_player_games(game):
    result = equilibria(game, method="polynomial")
    for e in result:
        assert is_bayesian_nash(game, e.profile), dumps(game)
        assert nash_conv(game, e.profile) == 0, dumps(game)
    pure = [e.profile.strategies for e in equilibria(game, method="pure")]
    assert [e.profile.strategies for e in result][: len(pure)] == pure


def _real_solutions(eqs: list, gens: list) -> list:
    """The real points of :func:`shape_forms` of a zero-dimensional system (the roots of
    each ``h`` put into its ``x = g(θ)``), each checked to solve every equation exactly."""
    from exactpower.equilibria.polynomial_systems import lex_basis, shape_forms

    forms = shape_forms(eqs, gens, lex_basis(eqs, gens))
    assert forms is not None
    points = []
    for solved, h in forms:
        assert isinstance(h, sympy.Poly) and set(solved) == set(gens)
        for root in h.real_roots():
            point = tuple(sympy.expand(solved[g].as_expr().subs(h.gen, root)) for g in gens)
            assert all(sympy.simplify(e.subs(dict(zip(gens, point)))) == 0 for e in eqs)
            points.append(point)
    return points


def test_shape_forms_split_a_system_with_repeated_solutions():
    # coord333's fully mixed indifference system: zero-dimensional, but no shape form (its
    # solutions share coordinates and it has multiplicities); split along its eliminants.
    gens = list(sympy.symbols("x2 x3 y2 y3 z2 z3"))
    x2, x3, y2, y3, z2, z3 = gens
    x1, y1, z1 = 1 - x2 - x3, 1 - y2 - y3, 1 - z2 - z3
    eqs = [
        sympy.expand(e)
        for e in (
            y2 * z2 - y1 * z1,
            y3 * z3 - y1 * z1,
            x2 * z2 - x1 * z1,
            x3 * z3 - x1 * z1,
            x2 * y2 - x1 * y1,
            x3 * y3 - x1 * y1,
        )
    ]
    solutions = set(_real_solutions(eqs, gens))
    third, one, zero = sympy.Rational(1, 3), sympy.Integer(1), sympy.Integer(0)
    assert (third,) * 6 in solutions  # the uniform equilibrium
    assert (zero, zero, zero, one, one, zero) in solutions  # actions 1, 3, 2: all get 0
    assert len(solutions) == 10


_X, _Y, _Z = sympy.symbols("x y z")


@pytest.mark.parametrize(
    "eqs, gens, expected",
    [
        # Solutions sharing coordinates: split along linear factors of an eliminant.
        ([(_X - 1) * (_X - 2), (_Y - 1) * (_Y - 3)], [_X, _Y], 4),
        # Irreducible eliminants and no shape form: the linear-form tie z = x + 2y.
        ([_X**2 - 2, _Y**2 - 3], [_X, _Y], 4),
        # Both: a linear and a quadratic factor, then a quadratic in y.
        ([(_X - 1) * (_X**2 - 2), _Y**2 - 2], [_X, _Y], 6),
        # Three unknowns, z determined by the others: 4 points, two with the same z.
        ([(_X - 1) * (_X - 2), (_Y - 1) * (_Y - 2), _Z - _X * _Y], [_X, _Y, _Z], 4),
    ],
)
def test_shape_forms_cover_every_real_solution_exactly(eqs, gens, expected):
    # Oracle: the product of the unknowns' root sets (every system here is a grid, or a
    # grid with z a function of it), compared at 30 digits; each point checked exactly.
    eqs = [sympy.expand(e) for e in eqs]
    found = {tuple(str(v.evalf(30)) for v in point) for point in _real_solutions(eqs, gens)}
    roots = [sympy.Poly(e, g).real_roots() for e, g in zip(eqs[:2], gens[:2])]
    grid = {
        tuple(str(v.evalf(30)) for v in (a, b) + ((a * b,) if len(gens) == 3 else ()))
        for a in roots[0]
        for b in roots[1]
    }
    assert len(found) == expected and found == grid
