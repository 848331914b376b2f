"""Question B by correlation: ΣPOWER at equilibria against reward correlation, over classes.

The article's spectrum runs from common payoff (maximal ΣPOWER) to constant sum (ΣPOWER = c);
:mod:`exactpower.dynamics.correlation` places each game on it by Pearson ρ and by the strategic
correlation ρ_S.  This module computes, for every game of a class, exactly:

- ``rho``, ``rho_s``: ρ and ρ_S (two players; three players: the mean over the three pairs);
- ``eq_min``, ``eq_max``: the least and largest ΣPOWER over the equilibria found (two players:
  every extreme BNE, a complete list; since ΣPOWER = W at a BNE and the welfare is bilinear,
  these are the minimum and maximum of ΣPOWER over *all* equilibria);
- ``best_case``: Σ best-case POWER, the common-payoff end of the article's spectrum.

Classes (:data:`CLASSES`): ``2x2-ordinal`` (every strict ordinal 2×2 game, 78 up to
symmetry), ``2x2-types`` (2 players, 2 types × 2 actions each, the article's reward form
``r_i(t_i, a)`` on values {−1, 0, 1}, uniform prior: 1,349,313 games up to symmetry, vectorised)
``3p-2x2x2`` (3 players, 2 actions, values {0, 1}: a seeded uniform sample of raw games,
the polynomial method) and ``3p-symmetric`` (every symmetric 3-player 2-action game with
values {0, 1}: ``r_i(a) = u(a_i, k)``, ``k`` the number of others playing ``a1``; 64 games,
36 up to relabelling the actions; the whole class; ``3p-symmetric-pm``: the same on
{−1, 0, 1}, 729 games, 378 up to relabelling).  :func:`study` returns the summary (``docs/conjectures.md``).
"""

from __future__ import annotations

import itertools
import time
from fractions import Fraction
from typing import Any

import numpy as np
import sympy

from ..bounds import best_case_power
from ..equilibria import equilibria
from ..equilibria.batched import two_player_equilibria
from ..errors import GameStructureError
from ..exact import exact_sum
from ..game import BayesianGame
from ..small.check import fast_check
from ..small.classes import GameClass
from ..small.exhaust import named_game
from .correlation import (
    batch_moments,
    reward_correlation,
    signed_correlation_squared,
    strategic_correlation,
)
from .question_b_summary import fold, fold_rows, summarize

__all__ = [
    "CLASSES",
    "study",
    "game_row",
    "ordinal_class",
    "typed_class",
    "three_player_class",
    "symmetric_rewards",
    "symmetric_orbits",
    "symmetric_class",
]

#: The classes of the study and their descriptions.
CLASSES = {
    "2x2-ordinal": "2 players, one type, 2 actions; strict ordinal rewards 1..4 (78 classes)",
    "2x2-types": "2 players, 2 types x 2 actions each, r_i(t_i, a) in {-1, 0, 1}, uniform prior",
    "3p-2x2x2": "3 players, one type, 2 actions each, rewards in {0, 1} (uniform raw sample)",
    "3p-symmetric": "3 players, 2 actions, symmetric: r_i = u(a_i, #others playing a1) in {0, 1}",
    "3p-symmetric-pm": "3 players, 2 actions, symmetric: r_i = u(a_i, #others playing a1) "
    "in {-1, 0, 1}",
}
#: The values of the symmetric three-player classes.
SYMMETRIC_VALUES = {"3p-symmetric": (0, 1), "3p-symmetric-pm": (-1, 0, 1)}
#: Default sample size of the three-player class.
THREE_PLAYER_SAMPLE = 400


def _pairs(n: int) -> list:
    return [(i, j) for i in range(n) for j in range(i + 1, n)]


def _mean_rho(game: BayesianGame, metric) -> sympy.Expr | None:
    values = [metric(game, i, j) for i, j in _pairs(game.n_players)]
    if any(v is None for v in values):
        return None
    return exact_sum(values) / len(values)


def game_row(game: BayesianGame) -> dict:
    """One game's exact record: ρ, ρ_S, ΣPOWER over its equilibria, Σ best-case POWER.

    >>> coordination = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> r = game_row(coordination)
    >>> r["rho"], r["rho_s"], r["eq_min"], r["eq_max"], r["best_case"], r["equilibria"]
    (1, 1, 4/3, 4, 4, 3)
    """
    found = equilibria(game)
    sums = [e.power_sum for e in found]
    n = game.n_players
    row = {
        "rho": _mean_rho(game, reward_correlation),
        "rho_s": _mean_rho(game, strategic_correlation),
        "eq_min": min(sums) if sums else None,
        "eq_max": max(sums) if sums else None,
        "best_case": exact_sum(best_case_power(game, i).value for i in range(n)),
        "equilibria": len(sums),
        "complete": bool(found.complete),
    }
    if n == 2:
        row["rho2"] = signed_correlation_squared(game)
        row["rho_s2"] = signed_correlation_squared(game, strategic=True)
    return row


def _class_row(cg, denominator: int) -> dict:
    game = named_game(cg.rewards, cg.prior, denominator)
    row = game_row(game)
    row.update(games=1, raw=int(cg.orbit_size), rewards=_flat(cg.rewards), prior=_flat(cg.prior))
    return row


def _flat(array) -> str:
    return " ".join(str(int(v)) for v in np.asarray(array).ravel())


def ordinal_class(limit: int | None = None) -> list:
    """Every strict ordinal 2×2 game (up to relabelling actions and swapping players)."""
    cls = GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal")
    rows: list = []
    for cg in cls:
        if limit is not None and len(rows) >= limit:
            break
        rows.append(_class_row(cg, cls.denominator))
    return rows


def three_player_class(limit: int | None = None, seed: int = 0) -> list:
    """A uniform sample (with replacement, ``numpy`` generator ``seed``) of raw 3-player
    2×2×2 games with rewards in {0, 1}; each game by the polynomial method."""
    count = THREE_PLAYER_SAMPLE if limit is None else limit
    rng = np.random.default_rng(seed)
    rows: list = []
    prior = np.ones((1, 1, 1), dtype=np.int64)
    for _ in range(count):
        rewards = rng.integers(0, 2, size=(3, 1, 1, 1, 2, 2, 2))
        game = named_game(rewards, prior)
        row = game_row(game)
        row.update(games=1, raw=1, rewards=_flat(rewards), prior=_flat(prior))
        rows.append(row)
    return rows


def symmetric_rewards(u) -> np.ndarray:
    """The ``(3, 1, 1, 1, 2, 2, 2)`` rewards of the symmetric game ``r_i(a) = u[3·a_i + k]``,
    ``k`` the number of the *other* players playing action 1 (``u``: six integers).

    >>> r = symmetric_rewards((0, 0, 0, 0, 1, 1))  # a_i · [someone else plays 1]
    >>> r[0, 0, 0, 0].tolist(), r[1, 0, 0, 0].tolist()
    ([[[0, 0], [0, 0]], [[0, 1], [1, 1]]], [[[0, 0], [0, 1]], [[0, 0], [1, 1]]])
    """
    rewards = np.zeros((3, 1, 1, 1, 2, 2, 2), dtype=np.int64)
    for a in itertools.product((0, 1), repeat=3):
        for i in range(3):
            rewards[(i, 0, 0, 0) + a] = int(u[3 * a[i] + sum(a) - a[i]])
    return rewards


def symmetric_orbits(values=(0, 1)) -> list:
    """``(u, orbit size)`` of every symmetric game up to relabelling the two actions.

    Swapping the actions maps ``u(a, k)`` to ``u(1 − a, 2 − k)``: index ``3a + k`` to
    ``5 − 3a − k``, so the image of ``u`` is ``u`` reversed; the representative is the least
    of the two.  (Permuting the players is built into the form.)

    >>> orbits = symmetric_orbits()
    >>> len(orbits), sum(size for _, size in orbits)
    (36, 64)
    """
    out = []
    for u in itertools.product(values, repeat=6):
        image = u[::-1]
        if u <= image:
            out.append((u, 1 if u == image else 2))
    return out


def symmetric_class(limit: int | None = None, values=(0, 1)) -> list:
    """Every symmetric 3-player 2-action game with rewards in ``values``, one per orbit
    (:func:`symmetric_orbits`), by the polynomial method; ``raw`` is the orbit size."""
    rows: list = []
    prior = np.ones((1, 1, 1), dtype=np.int64)
    for u, size in symmetric_orbits(values):
        if limit is not None and len(rows) >= limit:
            break
        rewards = symmetric_rewards(u)
        row = game_row(named_game(rewards, prior))
        row.update(games=1, raw=size, rewards=_flat(rewards), prior=_flat(prior))
        row["u"] = " ".join(str(v) for v in u)
        rows.append(row)
    return rows


# -- the typed class, vectorised ----------------------------------------------------------------


def _signed_squares(cov, vi, vj) -> list:
    out: list = []
    for c, a, b in zip(cov.tolist(), vi.tolist(), vj.tolist()):
        if a == 0 or b == 0:
            out.append(None)
        else:
            out.append(((c > 0) - (c < 0)) * Fraction(c * c, a * b))
    return out


def _best_case(R: np.ndarray, prior: np.ndarray) -> list:
    """Σ best-case POWER of each two-player game of a batch (Fractions): for each player the
    largest POWER over the opponent's pure strategies (POWER is convex in them)."""
    total = Fraction(int(prior.sum()))
    w = prior.astype(object)
    out: Any = 0
    for i in range(2):
        Ri = R[:, i].astype(object)  # (B, T1, T2, A1, A2)
        if i == 1:  # view player 2 as the row player
            Ri, w_i = Ri.transpose(0, 2, 1, 4, 3), w.T
        else:
            w_i = w
        T2, A2 = Ri.shape[2], Ri.shape[4]
        best: Any = None
        for choice in np.ndindex(*(A2,) * T2):
            y = np.zeros((T2, A2), dtype=object)
            y[np.arange(T2), list(choice)] = 1
            f = np.einsum("zstab,st,tb->zsa", Ri, w_i, y)
            value = f.max(axis=2).sum(axis=1)
            best = value if best is None else np.maximum(best, value)
        out = out + best
    return [Fraction(int(v)) / total for v in out]


def _equilibrium_sums(R: np.ndarray, prior: np.ndarray) -> tuple:
    """``(eq_min, eq_max, count)`` per game of a batch: ΣPOWER over every extreme BNE."""
    found = two_player_equilibria(R, prior)
    if found is None:  # pragma: no cover - 2×2 with two types is far below the limits
        raise GameStructureError("question B: the batch is too large for vertex enumeration")
    zs, X, Y, m = found
    res = fast_check(R[zs], prior, [X, Y], m, None, paired=True)
    scale = np.broadcast_to(np.asarray(res.scale, dtype=object), zs.shape)
    lo: dict = {}
    hi: dict = {}
    count: dict = {}
    for z, num, den in zip(zs.tolist(), res.power_sum.tolist(), scale.tolist()):
        v = Fraction(int(num), int(den))
        lo[z] = v if z not in lo else min(lo[z], v)
        hi[z] = v if z not in hi else max(hi[z], v)
        count[z] = count.get(z, 0) + 1
    B = R.shape[0]
    return [lo[z] for z in range(B)], [hi[z] for z in range(B)], [count[z] for z in range(B)]


def _typed_unit(cls: GameClass, unit, table: dict) -> tuple:
    """Fold one work unit's games into ``table`` (:func:`~.question_b_summary.fold`)."""
    scan = cls.scan(unit)
    R, prior, orbits = scan.rewards, scan.prior, scan.orbit_sizes
    if not len(orbits):
        return 0, 0
    rho2 = _signed_squares(*batch_moments(R, prior, 0, 1))
    rho_s2 = _signed_squares(*batch_moments(R, prior, 0, 1, strategic=True))
    lo, hi, _count = _equilibrium_sums(R, prior)
    best = _best_case(R, prior)
    prior_text = _flat(prior)
    for b in range(len(orbits)):
        fold(
            table,
            (rho2[b], rho_s2[b]),
            (lo[b], hi[b], best[b]),
            int(orbits[b]),
            lambda b=b: {"rewards": _flat(R[b]), "prior": prior_text},
        )
    return len(orbits), int(orbits.sum())


def typed_class(limit: int | None = None) -> tuple:
    """The 2-type class: every canonical game, or the games of the first work units up to
    ``limit`` games.  Returns ``(table, games, raw, complete)``; the table's cells are keyed
    by ``(sign·ρ², sign·ρ_S²)`` (Fractions, ``None`` when undefined)."""
    cls = typed_game_class()
    table: dict = {}
    games = raw = 0
    complete = True
    for unit in cls.units():
        if limit is not None and games >= limit:
            complete = False
            break
        g, r = _typed_unit(cls, unit, table)
        games, raw = games + g, raw + r
    return table, games, raw, complete


def typed_game_class() -> GameClass:
    """The class ``2x2-types``: 2 players, 2 types × 2 actions, own-type rewards in {−1,0,1}."""
    return GameClass(2, 2, 2, (-1, 0, 1), reward_form="own-type")


def study(name: str, limit: int | None = None) -> dict:
    """Run one class of the study: the summary of :func:`~.question_b_summary.summarize`
    (with ``rows``: the per-game records of the small classes).

    >>> s = study("2x2-ordinal", limit=5)
    >>> s["games"], s["class"]
    (5, '2x2-ordinal')
    """
    start = time.perf_counter()
    rows: list = []
    if name == "2x2-ordinal":
        rows = ordinal_class(limit)
        games, raw, complete = len(rows), sum(r["raw"] for r in rows), limit is None
        table = fold_rows(rows, ("rho2", "rho_s2"))
    elif name == "2x2-types":
        table, games, raw, complete = typed_class(limit)
    elif name == "3p-2x2x2":
        rows = three_player_class(limit)
        games, raw, complete = len(rows), len(rows), False
        table = fold_rows(rows, ("rho", "rho_s"))
    elif name in SYMMETRIC_VALUES:
        rows = symmetric_class(limit, SYMMETRIC_VALUES[name])
        games, raw, complete = len(rows), sum(r["raw"] for r in rows), limit is None
        table = fold_rows(rows, ("rho", "rho_s"))
    else:
        raise GameStructureError(
            f"question B: unknown class {name!r} (classes: {', '.join(CLASSES)})"
        )
    seconds = time.perf_counter() - start
    return summarize(name, CLASSES[name], table, rows, (games, raw, complete), seconds)
