"""Our equilibria against Gambit's exact solvers, as a peer (not as ground truth).

* Every equilibrium Gambit finds -- ``lcp_solve`` on the ``.efg`` export
  (:func:`exactpower.gambit.to_efg`) and ``enummixed_solve`` on its strategic
  form, mapped back to behaviour strategies -- must first pass *our* exact BNE
  check, and then lie in one of our components (:func:`assert_covered`).
* Each of our equilibria must have Gambit regret exactly 0
  (``MixedBehaviorProfile.max_regret`` on the rational behaviour profile).

Gambit runs in a forked child with a time limit (``run_with_timeout``): a
call that times out is counted, not failed.  A disagreement fails with the
game's JSON in the message.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sympy.solvers.simplex import InfeasibleLPError, linprog

from exactpower import (
    BayesianGame,
    StrategyProfile,
    dumps,
    equilibria,
    interim_utilities,
    is_bayesian_nash,
)
from exactpower.io import to_efg
from exactpower.testing import bayesian_games

from optional import require

gbt = require("pygambit")
require("pygambit.catalog")

from gambit_oracle import (  # noqa: E402 - after require(): imports pygambit
    behavior_profile,
    infoset_map,
    load_efg,
    run_with_timeout,
)

#: Seconds one Gambit call may take before it is abandoned.
GAMBIT_SECONDS = 20
#: enummixed runs on the strategic form, of |A_i|^|T_i| strategies per player; above
#: this many it takes minutes (27 x 27 does not finish in 20 s), so it is not run.
ENUMMIXED_MAX_STRATEGIES = 12


# -- Gambit, in the child process ----------------------------------------------------------


def _rows(gambit_game, game, behavior) -> list:
    """``rows[i][k]``: the behaviour at player i's information set of type k, as Fractions."""
    out = [[None] * len(p.types) for p in game.players]
    for (i, k), infoset in infoset_map(gambit_game, game).items():
        out[i][k] = [Fraction(behavior[action]) for action in infoset.actions]
    return out


def gambit_lcp(game) -> list:
    g = load_efg(to_efg(game))
    return [_rows(g, game, b) for b in gbt.nash.lcp_solve(g, rational=True).equilibria]


def gambit_enummixed(game) -> list:
    g = load_efg(to_efg(game))
    return [
        _rows(g, game, m.as_behavior())
        for m in gbt.nash.enummixed_solve(g, rational=True).equilibria
    ]


def gambit_regrets(game, profiles) -> list:
    g = load_efg(to_efg(game))
    return [Fraction(behavior_profile(g, game, s).max_regret()) for s in profiles]


def gambit_catalog_enummixed(name) -> list:
    # The strategic form as a table game (enummixed refuses imperfect-recall trees).
    g = gbt.Game.from_arrays(*gbt.catalog.load(name).to_arrays())
    return [
        [[Fraction(m[s]) for s in p.strategies] for p in g.players]
        for m in gbt.nash.enummixed_solve(g, rational=True).equilibria
    ]


# -- membership in our components, exactly ---------------------------------------------------


def positive_types(game, i) -> list:
    return [k for k in range(len(game.players[i].types)) if game.marginal(i, k) != 0]


def point(game, profile, i) -> tuple:
    """Player i's strategy on its types of positive probability, flattened."""
    return tuple(
        profile.probability(i, k, a)
        for k in positive_types(game, i)
        for a in range(len(game.players[i].actions))
    )


def labels(game, profile, i) -> frozenset:
    """The labels of player i's strategy: its zero probabilities and the other's best responses."""
    j = 1 - i
    out = {
        (i, k, a)
        for k in positive_types(game, i)
        for a in range(len(game.players[i].actions))
        if profile.probability(i, k, a) == 0
    }
    rows = interim_utilities(game, profile, j)  # depends on player i's strategy only
    for k in positive_types(game, j):
        row = rows[game.players[j].types[k]]
        best = max(row.values())
        out |= {
            (j, k, b) for b, action in enumerate(game.players[j].actions) if row[action] == best
        }
    return frozenset(out)


def in_hull(x: tuple, vertices: list) -> bool:
    """Whether x is a convex combination of the vertices (an exact LP)."""
    n = len(vertices)
    a_eq = sympy.Matrix([[v[c] for v in vertices] for c in range(len(x))] + [[1] * n])
    b_eq = sympy.Matrix(list(x) + [1])
    try:
        # (sympy 1.14's linprog needs an inequality block: pass the trivial 0 <= 0.)
        linprog([0] * n, A=sympy.zeros(1, n), b=sympy.Matrix([0]), A_eq=a_eq, b_eq=b_eq)
    except InfeasibleLPError:
        return False
    return True


def assert_covered(game, result, profile, context: str) -> None:
    """``profile`` (a BNE) lies in a Nash subset spanned by our extreme equilibria.

    Sufficient condition, exact: with ``L(x)`` the labels of x, let ``Vx`` be our
    extreme x's whose labels contain ``L(x)``, ``Vy`` likewise.  If every pair in
    ``Vx × Vy`` is one of our extreme equilibria (so ``conv Vx × conv Vy``
    consists of equilibria of one component), ``x ∈ conv Vx`` and
    ``y ∈ conv Vy``, then ``(x, y)`` is in that product.
    """
    ours = [(point(game, e.profile, 0), point(game, e.profile, 1), e.component) for e in result]
    pairs = {(x, y): c for x, y, c in ours}
    x_labels = {x: labels(game, e.profile, 0) for (x, _, _), e in zip(ours, result)}
    y_labels = {y: labels(game, e.profile, 1) for (_, y, _), e in zip(ours, result)}
    lx, ly = labels(game, profile, 0), labels(game, profile, 1)
    vx = [x for x, lab in x_labels.items() if lab >= lx]
    vy = [y for y, lab in y_labels.items() if lab >= ly]
    message = f"{context}: {profile} is not in our equilibrium set\n{dumps(game)}"
    assert vx and vy, message
    assert all((x, y) in pairs for x in vx for y in vy), message
    assert len({pairs[(x, y)] for x in vx for y in vy}) == 1, message
    assert in_hull(point(game, profile, 0), vx), message
    assert in_hull(point(game, profile, 1), vy), message


def to_profile(game, rows, context: str) -> StrategyProfile:
    """Gambit's behaviour as our profile; types of probability 0 play their first action."""
    strategies = []
    for i, p in enumerate(game.players):
        per_type = []
        for k in range(len(p.types)):
            if game.marginal(i, k) == 0:
                per_type.append(tuple(sympy.Integer(int(a == 0)) for a in range(len(p.actions))))
                continue
            row = rows[i][k]
            assert all(v >= 0 for v in row) and sum(row) == 1, (
                f"{context}: Gambit returned {row} for {p.name}:{p.types[k]}, not a "
                f"distribution\n{dumps(game)}"
            )
            per_type.append(tuple(sympy.Rational(v.numerator, v.denominator) for v in row))
        strategies.append(tuple(per_type))
    return StrategyProfile(game.players, tuple(strategies))


def check_against_gambit(game) -> dict:
    """Run both Gambit solvers and the regret check; return what timed out."""
    result = equilibria(game)
    timed_out = {}
    solvers = [("lcp", gambit_lcp)]
    if max(a**t for a, t in zip(game.action_shape, game.type_shape)) <= ENUMMIXED_MAX_STRATEGIES:
        solvers.append(("enummixed", gambit_enummixed))
    for name, solver in solvers:
        try:
            found = run_with_timeout(solver, game, seconds=GAMBIT_SECONDS)
        except TimeoutError:
            timed_out[name] = True
            continue
        for rows in found:
            profile = to_profile(game, rows, name)
            assert is_bayesian_nash(game, profile), (
                f"Gambit {name} returned {profile}, which is not a BNE\n{dumps(game)}"
            )
            assert_covered(game, result, profile, f"Gambit {name}")
    regrets = run_with_timeout(
        gambit_regrets, game, [e.profile for e in result], seconds=GAMBIT_SECONDS
    )
    for e, r in zip(result, regrets):
        assert r == 0, f"Gambit regret {r} at our {e.profile}\n{dumps(game)}"
    return timed_out


# -- hand-made and catalog games -------------------------------------------------------------


@pytest.mark.parametrize("b0", [(3, 2), (3, 3)])
def test_von_stengel_against_gambit(b0):
    game = BayesianGame.from_tables([[[3, 3], [2, 5], [0, 6]], [list(b0), [2, 6], [3, 1]]])
    assert check_against_gambit(game) == {}
    # On a normal-form game, enummixed's extreme equilibria are ours, exactly.
    ours = sorted(tuple(sum(e.profile.strategies, ())) for e in equilibria(game))
    theirs = run_with_timeout(gambit_enummixed, game, seconds=GAMBIT_SECONDS)
    assert sorted({tuple(tuple(r[0]) for r in rows) for rows in theirs}) == [
        tuple(tuple(Fraction(int(v.p), int(v.q)) for v in row) for row in e) for e in ours
    ]


def test_poker_against_gambit():
    from exactpower.catalog import stripped_down_poker

    assert check_against_gambit(stripped_down_poker()) == {}


TWO_PLAYER_CATALOG = [
    name for name in gbt.catalog.games().Game if len(gbt.catalog.load(name).players) == 2
]


@pytest.mark.parametrize("name", TWO_PLAYER_CATALOG)
def test_gambit_catalog_two_player(name):
    """Two-player catalog games, as normal-form games (their strategic forms): our
    extreme equilibria are exactly enummixed's."""
    g = gbt.catalog.load(name)
    game = BayesianGame.from_tables([a.tolist() for a in g.to_arrays()])
    ours = sorted(tuple(row for s in e.profile.strategies for row in s) for e in equilibria(game))
    try:
        theirs = run_with_timeout(gambit_catalog_enummixed, name, seconds=GAMBIT_SECONDS)
    except TimeoutError:
        pytest.skip("enummixed did not finish in time")
    theirs = {
        tuple(tuple(sympy.Rational(v.numerator, v.denominator) for v in p) for p in rows)
        for rows in theirs
    }
    # (Sets: in degenerate games enummixed may list an extreme equilibrium twice.)
    assert len(set(ours)) == len(ours) and ours == sorted(theirs), name


# -- generated games ---------------------------------------------------------------------------


def two_player_games(rewards):
    return bayesian_games(
        min_players=2,
        max_players=2,
        min_types=1,
        max_types=3,
        min_actions=2,
        max_actions=3,
        rewards=rewards,
        prior="correlated",
        max_cells=324,
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_player_games(st.integers(-1, 1)))
def test_generated_against_gambit_signed(game):
    check_against_gambit(game)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(two_player_games(st.integers(0, 2)))
def test_generated_against_gambit_nonnegative(game):
    check_against_gambit(game)
