"""Support profiles proved to hold no equilibrium (``equilibria.polynomial_region``).

Hand-worked systems for :func:`excluded`; the numpy-built support systems against an
independent sympy expansion of the payoffs; and the two games of Gambit's ``contrib/games``
that did not finish before (``2x2x2x2x2``: > 600 s, ``5x4x3``: > 300 s), whose equilibria
must include every one Gambit's ``enumpoly`` lists (its floats, copied below from
pygambit 16.7).
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

import numpy as np
import pytest
import sympy

from exactpower import BayesianGame, equilibria, is_bayesian_nash, nash_conv
from exactpower.equilibria.polynomial_region import excluded, support_system
from exactpower.equilibria.pure import PureSearch
from exactpower.io import from_nfg

pytestmark = pytest.mark.slow

CONTRIB = Path(__file__).resolve().parents[1] / "data" / "gambit-contrib"

R, x, y = sympy.ring("x y", sympy.QQ)
HALF, QUARTER = sympy.Rational(1, 2), sympy.Rational(1, 4)


@pytest.mark.parametrize(
    ("equations", "inequalities", "groups", "proved"),
    [
        ([x * y - 2], [], [[0], [1]], True),  # x y <= 1 on the unit box
        ([x * y - QUARTER], [], [[0], [1]], False),  # x = y = 1/2
        ([x * y - QUARTER], [x - sympy.Rational(1, 5)], [[0], [1]], True),  # needs x >= 1/4
        ([x * y - QUARTER], [sympy.Rational(1, 5) - x], [[0], [1]], False),
        ([x + y - sympy.Rational(3, 2)], [], [[0, 1]], True),  # one simplex: x + y <= 1
        ([x + y - sympy.Rational(3, 2)], [], [[0], [1]], False),  # two: x = y = 3/4
        ([x * y, x - y], [], [[0], [1]], False),  # the root (0, 0) is on the boundary
        ([x * y - QUARTER, x - y], [], [[0], [1]], False),  # isolated root inside
        ([x * y - QUARTER, x + y - HALF], [], [[0], [1]], True),  # x = y = 1/4: no, 1/16
        ([x**2 - QUARTER], [], [[0], [1]], False),  # not multilinear: never concluded
        ([R(1)], [], [[0], [1]], True),  # a nonzero constant
    ],
)
def test_excluded_hand_worked(equations, inequalities, groups, proved):
    assert excluded(equations, inequalities, groups, 2) is proved


def test_excluded_tangency_is_not_concluded():
    # x y = 1/4 and x + y = 1 - 2**-20 have no real common root (x + y >= 1 when x y = 1/4),
    # but the curves are within 2**-21 of touching at (1/2, 1/2): below the subdivision's
    # resolution nothing is concluded (the system is then solved exactly instead).
    eps = sympy.Rational(1, 2**20)
    assert excluded([x * y - QUARTER, x + y - 1 + eps], [], [[0], [1]], 2) is False
    # at a visible distance the same pair is proved to have no root
    assert excluded([x * y - QUARTER, x + y - sympy.Rational(3, 4)], [], [[0], [1]], 2) is True


def _expected(game, supports, agent):
    """F(agent, b) - F(agent, s_0) for every b, by sympy (an independent expansion)."""
    i, _k = agent
    payoff = np.asarray(game.rewards.numerators, dtype=object)[i].reshape(game.action_shape)
    symbols = {}
    sigma = []
    for j in range(game.n_players):
        s = supports[(j, 0)]
        probs = {a: sympy.Symbol(f"x{j}_{a}") for a in s[1:]}
        symbols.update({(j, a): v for a, v in probs.items()})
        row = [sympy.Integer(0)] * game.action_shape[j]
        for a, v in probs.items():
            row[a] = v
        row[s[0]] = 1 - sum(probs.values())
        sigma.append(row)
    values = []
    for b in range(game.action_shape[i]):
        total = sympy.Integer(0)
        for rest in itertools.product(*(range(n) for n in game.action_shape)):
            if rest[i] != b:
                continue
            weight = math.prod(
                (sigma[j][rest[j]] for j in range(game.n_players) if j != i), start=1
            )
            total += int(payoff[rest]) * weight
        values.append(sympy.expand(total))
    s0 = supports[agent][0]
    order = [symbols[(j, a)] for j in range(game.n_players) for a in supports[(j, 0)][1:]]
    return [
        sympy.Poly(values[b] - values[s0], *order) if order else values[b] - values[s0]
        for b in range(len(values))
        if b != s0
    ], order


def _as_terms(poly, order):
    if not order:
        return {0: int(poly)} if poly != 0 else {}
    return {sum(1 << j for j, e in enumerate(m) if e): int(c) for m, c in poly.terms() if c != 0}


def _same_up_to_positive_scale(a, b):
    a = {k: v for k, v in a.items() if v}
    b = {k: v for k, v in b.items() if v}
    if set(a) != set(b):
        return False
    if not a:
        return True
    k = next(iter(a))
    return all(a[m] * b[k] == b[m] * a[k] for m in a) and a[k] * b[k] > 0


def test_support_system_matches_sympy_expansion():
    rng = np.random.default_rng(7)
    rewards = rng.integers(-9, 10, size=(3, 1, 1, 1, 3, 2, 3))
    game = BayesianGame.from_arrays(rewards)
    search = PureSearch(game)
    checked = 0
    for combo in [([0, 1, 2], [0, 1], [1, 2]), ([2], [0, 1], [0, 2]), ([0, 2], [1], [0, 1, 2])]:
        supports = {(j, 0): list(s) for j, s in enumerate(combo)}
        eqs, ineqs, groups, n = support_system(search, supports)
        assert n == sum(len(s) - 1 for s in combo)
        assert groups == [
            list(range(sum(len(t) - 1 for t in combo[:j]), sum(len(t) - 1 for t in combo[: j + 1])))
            for j in range(3)
            if len(combo[j]) > 1
        ]
        eq_iter, ineq_iter = iter(eqs), iter(ineqs)
        for agent in search.agents:
            expected, order = _expected(game, supports, agent)
            others = [b for b in range(game.action_shape[agent[0]]) if b != supports[agent][0]]
            for b, poly in zip(others, expected):
                mine = next(eq_iter) if b in supports[agent] else next(ineq_iter)
                assert _same_up_to_positive_scale(mine, _as_terms(poly, order)), (combo, agent, b)
                checked += 1
    assert checked == 3 * (2 + 1 + 2)


def _close(found, gambit) -> bool:
    floats = [[float(v) for v in rows[0]] for rows in found.strategies]
    return all(abs(a - b) < 1e-6 for fr, gr in zip(floats, gambit) for a, b in zip(fr, gr))


#: pygambit 16.7 ``enumpoly_solve`` on the two games (floats).
ENUMPOLY = {
    "2x2x2x2x2.nfg": [
        [
            [0.1441117764471058, 0.8558882235528942],
            [0.25836758661186143, 0.7416324133881386],
            [1.0, 0.0],
            [1.0, 0.0],
            [0.0, 1.0],
        ],
        [
            [1.0, 0.0],
            [0.0, 1.0],
            [0.15284974093264247, 0.8471502590673575],
            [0.6990253411306042, 0.3009746588693958],
            [1.0, 0.0],
        ],
        [
            [1.0, 0.0],
            [0.0, 1.0],
            [0.0, 1.0],
            [0.11845647621896502, 0.881543523781035],
            [0.556390977443609, 0.443609022556391],
        ],
        [
            [0.0, 1.0],
            [0.0, 1.0],
            [1.0, 0.0],
            [0.7958656330749354, 0.2041343669250646],
            [0.5589430894308944, 0.44105691056910556],
        ],
    ],
    "5x4x3.nfg": [
        [
            [0.0, 0.0, 0.5868, 0.0, 0.4132],
            [0.0, 0.3842830693272989, 0.0, 0.6157169306727011],
            [0.0, 0.0, 1.0],
        ],
        [
            [1.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 0.3770661157024794, 0.6229338842975206, 0.0],
            [0.004839267196681646, 0.9951607328033184, 0.0],
        ],
        [
            [0.28029222556270156, 0.0, 0.5408386025315917, 0.0, 0.17886917190570678],
            [0.0, 0.5614755998909704, 0.0, 0.4385244001090296],
            [0.0, 0.7566454576258607, 0.24335454237413934],
        ],
    ],
}


@pytest.mark.parametrize(("name", "count"), [("2x2x2x2x2.nfg", 5), ("5x4x3.nfg", 3)])
def test_contrib_games_that_did_not_finish(name, count):
    game = from_nfg((CONTRIB / name).read_bytes(), source=name)
    result = equilibria(game)
    assert result.complete and not result.continua
    assert len(result) == count
    for e in result:
        assert is_bayesian_nash(game, e.profile)
        conv = nash_conv(game, e.profile)
        assert conv == 0 and isinstance(conv, sympy.Integer)
        assert all(
            isinstance(v, sympy.Expr) and not v.has(sympy.Float)
            for rows in e.profile.strategies
            for row in rows
            for v in row
        )
    for gambit in ENUMPOLY[name]:
        assert any(_close(e.profile, gambit) for e in result), gambit
    assert "by a proof that" in result.notes
