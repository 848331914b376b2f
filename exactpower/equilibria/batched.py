"""Every extreme BNE of many small two-player games at once: the two-player method, vectorised.

The method of :mod:`exactpower.equilibria.two_player` (complementary vertex
pairs of the two best-response polyhedra, one simplex per type), run for a
whole batch of games at once.  A vertex of player
1's polyhedron P = {(x, v) : x ∈ Π_k Δ(A_1), (Bᵀx)[l,b] ≤ v_l} has, for every opponent type l,
some tight (l, b); subtracting two tight rows of one l gives an *indifference* hyperplane in x
alone.  So the vertices of P are the points x at which the tight bounds x[k,a] = 0 and the
indifferences between *maximising* (l,b), (l,b') span x-space: every vertex is the solution of
one square system of such hyperplanes (a basis), and every basis solution that is feasible
(x ≥ 0) and whose indifferences are between maximisers is a vertex.  All bases of all games are
solved at once by Cramer's rule in exact integer arithmetic; vertices are deduplicated per game
and paired by labels.  ``tests/test_exhaust.py`` holds this to
:mod:`exactpower.equilibria.two_player`.

Used by :mod:`exactpower.small.exhaust` for the games of a class, a batch at a
time; games too large for it (more than ``max_bases`` bases or a dimension over
``max_dimension``) go to :func:`exactpower.equilibria` one by one.
"""

from __future__ import annotations

import itertools
import math
from typing import Any

import numpy as np

from ..exact import INT64_BOUND
from ..limits import MAX_BASES, MAX_DIMENSION

__all__ = ["two_player_equilibria", "MAX_BASES", "MAX_DIMENSION"]


def _dets(m: np.ndarray) -> np.ndarray:
    """Determinants of a stack ``(..., N, N)`` of small integer matrices (Leibniz formula)."""
    n = m.shape[-1]
    if n == 0:
        return np.ones(m.shape[:-2], dtype=m.dtype)
    total: Any = 0  # an array after the first term
    for perm in itertools.permutations(range(n)):
        sign = (-1) ** sum(1 for i in range(n) for j in range(i + 1, n) if perm[i] > perm[j])
        prod = m[..., 0, perm[0]]
        for i in range(1, n):
            prod = prod * m[..., i, perm[i]]
        total = total + sign * prod
    return total


def _hyperplanes(n_own: int, n_actions: int, n_opp: int, n_opp_actions: int) -> list:
    return [("bound", k, a) for k in range(n_own) for a in range(n_actions)] + [
        ("indifference", l, b, c)
        for l in range(n_opp)
        for b in range(n_opp_actions)
        for c in range(b + 1, n_opp_actions)
    ]


def _vertex_search_size(K: int, A: int, L: int, Bn: int) -> tuple:
    planes = len(_hyperplanes(K, A, L, Bn))
    dim = K * (A - 1)
    return dim, math.comb(planes, dim)


def _vertices(payoff: np.ndarray, dtype) -> tuple:
    """Vertices of one player's best-response polyhedron for a batch of games.

    ``payoff[z, k, a, l, b]``: the *opponent's* ex-ante payoff weight when this
    player's type ``k`` plays ``a`` and the opponent's type ``l`` plays ``b``
    (positive types only).  Returns ``(game, x, den, labels)`` over the distinct
    vertices: ``x[e] / den[e]`` is the strategy (rows per type), ``labels`` a bit
    mask: bit ``k·A + a`` when ``x[k,a] = 0``, bit ``K·A + l·B + b`` when ``(l,b)``
    is a best response of the opponent's type ``l``.
    """
    Z, K, A, L, Bn = payoff.shape
    P = payoff.astype(dtype)
    planes = _hyperplanes(K, A, L, Bn)
    dim = K * (A - 1)
    coef = np.zeros((Z, len(planes), dim), dtype=dtype)
    rhs = np.zeros((Z, len(planes)), dtype=dtype)
    free = lambda k, a: k * (A - 1) + a - 1  # noqa: E731 - x[k, a] for a >= 1
    for h, plane in enumerate(planes):
        if plane[0] == "bound":
            _, k, a = plane
            if a == 0:  # x[k,0] = 1 − Σ_{a≥1} x[k,a] = 0
                for b in range(1, A):
                    coef[:, h, free(k, b)] = 1
                rhs[:, h] = 1
            else:
                coef[:, h, free(k, a)] = 1
        else:
            _, l, b, c = plane
            D = P[:, :, :, l, b] - P[:, :, :, l, c]  # (Z, K, A)
            for k in range(K):
                for a in range(1, A):
                    coef[:, h, free(k, a)] = D[:, k, a] - D[:, k, 0]
            rhs[:, h] = -D[:, :, 0].sum(axis=1)
    bases = list(itertools.combinations(range(len(planes)), dim))
    idx = np.array(bases, dtype=np.int64).reshape(len(bases), dim)
    M = coef[:, idx, :]  # (Z, NB, dim, dim)
    r = rhs[:, idx]  # (Z, NB, dim)
    det = _dets(M)
    nums = []
    for j in range(dim):
        Mj = M.copy()
        Mj[..., :, j] = r
        nums.append(_dets(Mj))
    sign = np.where(det < 0, -1, 1).astype(dtype)
    det = det * sign
    x = np.zeros((Z, len(bases), K, A), dtype=dtype)
    for k in range(K):
        for a in range(1, A):
            x[..., k, a] = nums[free(k, a)] * sign if dim else 0
        x[..., k, 0] = det - x[..., k, 1:].sum(axis=-1)
    U = np.einsum("zkalb,znka->znlb", P, x, optimize=True)
    at_max = U.max(axis=-1, keepdims=True) == U
    need = np.zeros((len(bases), L, Bn), dtype=bool)
    for n_, basis in enumerate(bases):
        for h in basis:
            if planes[h][0] == "indifference":
                _, l, b, c = planes[h]
                need[n_, l, b] = need[n_, l, c] = True
    ok = (det != 0) & (x >= 0).all(axis=(-2, -1)) & ~(need & ~at_max).any(axis=(-2, -1))
    game, base = np.nonzero(ok)
    x, det, at_max = x[game, base], det[game, base], at_max[game, base]
    g = np.gcd.reduce(
        np.concatenate([det[:, None], x.reshape(len(det), -1)], axis=1).astype(
            object if dtype is object else np.int64
        ),
        axis=1,
    )
    x = x // g[:, None, None]
    det = det // g
    rows = np.concatenate([game[:, None], det[:, None], x.reshape(len(det), -1)], axis=1)
    rows = _unique_rows(rows if dtype is object else rows.astype(np.int64), Z)
    game, det = rows[:, 0].astype(np.int64), rows[:, 1]
    x = rows[:, 2:].reshape(-1, K, A)
    U = np.einsum("zkalb,zka->zlb", P[game], x.astype(dtype), optimize=True)
    at_max = U.max(axis=-1, keepdims=True) == U
    bits = np.concatenate([(x == 0).reshape(len(x), -1), at_max.reshape(len(x), -1)], axis=1)
    labels = (bits.astype(np.int64) << np.arange(bits.shape[1], dtype=np.int64)).sum(axis=1)
    return game, x, det, labels


def _unique_rows(rows: np.ndarray, games: int) -> np.ndarray:
    """The distinct rows ``(game, den, x...)`` (nonnegative), sorted."""
    if not len(rows):
        return rows
    top = int(rows[:, 1:].max()) + 1
    if rows.dtype != object and games * top ** (rows.shape[1] - 1) < INT64_BOUND:
        key = rows[:, 0].copy()
        for c in range(1, rows.shape[1]):
            key = key * top + rows[:, c]
        _, first = np.unique(key, return_index=True)
        return rows[first]
    return np.unique(rows, axis=0)


def two_player_equilibria(
    rewards: np.ndarray,
    prior: np.ndarray,
    *,
    max_bases: int = MAX_BASES,
    max_dimension: int = MAX_DIMENSION,
) -> tuple | None:
    """Every extreme BNE of each two-player game of a batch, or ``None`` if too large.

    Returns ``(game, X, Y, m)``: equilibrium ``e`` of game ``game[e]`` has strategies
    ``X[e] / m[e]`` and ``Y[e] / m[e]`` (types of probability 0 play their first
    action, as in :mod:`exactpower.equilibria.two_player`).

    >>> R = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]).reshape(1, 2, 1, 1, 2, 2)
    >>> game, X, Y, m = two_player_equilibria(R, np.ones((1, 1), dtype=np.int64))
    >>> X.tolist(), Y.tolist(), m.tolist()
    ([[[2, 2]]], [[[2, 2]]], [4])
    """
    Z, _, T1, T2, A1, A2 = rewards.shape
    k1 = [k for k in range(T1) if prior[k, :].any()]
    k2 = [l for l in range(T2) if prior[:, l].any()]
    K, L = len(k1), len(k2)
    for dims in ((K, A1, L, A2), (L, A2, K, A1)):
        dim, bases = _vertex_search_size(*dims)
        if dim > max_dimension or bases > max_bases:
            return None
    w = prior[np.ix_(k1, k2)]
    r = rewards[:, :, k1][:, :, :, k2]  # (Z, 2, K, L, A1, A2)
    top = int(np.abs(r).max()) * int(w.max()) if r.size else 1
    dim = max(K * (A1 - 1), L * (A2 - 1))
    bound = math.factorial(dim) * (4 * top * max(K, L) + 2) ** (dim + 1) * max(A1, A2) * top
    dtype = np.int64 if bound < 2**60 else object
    pay1 = (w[None, :, :, None, None] * r[:, 0]).transpose(0, 1, 3, 2, 4)  # (Z, K, A1, L, A2)
    pay2 = (w[None, :, :, None, None] * r[:, 1]).transpose(0, 1, 3, 2, 4)
    gx, x, dx, lx = _vertices(pay2, dtype)  # player 1's polyhedron: player 2's payoffs
    gy, y, dy, ly = _vertices(pay1.transpose(0, 3, 4, 1, 2), dtype)
    own, opp = K * A1, L * A2
    ly = ((ly & ((1 << opp) - 1)) << own) | (ly >> opp)  # into player 1's label order
    full = (1 << (own + opp)) - 1
    pairs: Any = []  # no pairs, or (games, x vertices, y vertices)
    cy = np.searchsorted(gy, np.arange(Z + 1))
    cx = np.searchsorted(gx, np.arange(Z + 1))
    vx, vy = int(np.diff(cx).max(initial=0)), int(np.diff(cy).max(initial=0))
    if vx and vy:
        ix = cx[:-1, None] + np.arange(vx)[None, :]
        iy = cy[:-1, None] + np.arange(vy)[None, :]
        okx, oky = ix < cx[1:, None], iy < cy[1:, None]
        LX = np.where(okx, lx[np.minimum(ix, len(lx) - 1)], 0)
        LY = np.where(oky, ly[np.minimum(iy, len(ly) - 1)], 0)
        comp = ((LX[:, :, None] | LY[:, None, :]) == full) & okx[:, :, None] & oky[:, None, :]
        zs, i, j = np.nonzero(comp)
        pairs = (zs, ix[zs, i], iy[zs, j])
    if not len(pairs) or not len(pairs[0]):
        empty = np.zeros((0,), dtype=np.int64)
        return (
            empty,
            np.zeros((0, T1, A1), dtype=np.int64),
            np.zeros((0, T2, A2), dtype=np.int64),
            empty,
        )
    zs, i, j = pairs
    m = (dx[i] * dy[j]).astype(dtype)
    X = np.zeros((len(zs), T1, A1), dtype=dtype)
    Y = np.zeros((len(zs), T2, A2), dtype=dtype)
    X[:, :, 0] = m[:, None]
    Y[:, :, 0] = m[:, None]
    X[:, k1] = x[i].astype(dtype) * dy[j].astype(dtype)[:, None, None]
    Y[:, k2] = y[j].astype(dtype) * dx[i].astype(dtype)[:, None, None]
    return zs.astype(np.int64), X, Y, m
