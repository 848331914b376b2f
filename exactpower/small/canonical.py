"""Relabellings of a game and its canonical form under them (the symmetry of a game class).

A game is encoded by integer arrays: the rewards ``R`` of shape
``(n, T_1..T_n, A_1..A_n)`` and the prior's weights ``P`` of shape
``(T_1..T_n)``.  A :class:`Relabelling` renames actions within a player, types
within a player (carrying the prior along) and players::

    R'[π(i), t', a'] = R[i, t, a],   P'[t'] = P[t],
    with t'_{π(j)} = τ_j(t_j) and a'_{π(j)} = α_j(a_j).

Two games related by a relabelling are the same game under other names: every
quantity (POWER, regret, NashConv, being a BNE) is carried over.
The *canonical form* of a game is the lexicographically smallest encoding among
its images (prior first, then the reward cells in flat order); a game class
keeps a game iff it equals its canonical form.

Two ways compute it, and the tests hold them to each other:

- :func:`lex_min` -- by brute force over a list of relabellings (any game);
- :class:`LinearKeys` -- for a whole block of games at once.  When every reward
  cell is an affine function of a vector ``x`` of free values (a constant-sum
  game's last player is ``c − Σ others``), the encoding of the image of ``x``
  under relabelling ``g``, read as the base-``b`` number whose digits are the
  cells (most significant first), is an affine function of ``x`` too:
  ``key_g(x) = k_g + Σ_s C[g, s] x_s``.  So the keys of all images of a block of
  games are one integer matrix product, and "``x`` is canonical" is "``key_id``
  is the minimum over ``g``".  Keys are split into int64 words small enough that
  no partial sum can overflow; words compare lexicographically.

>>> import numpy as np

from ..exact import INT64_BOUND
>>> g = Relabelling((1, 0), ((0,), (0,)), ((1, 0), (0, 1)))
>>> R = np.arange(8).reshape(2, 1, 1, 2, 2)
>>> g.apply(R, np.ones((1, 1), dtype=np.int64))[0][:, 0, 0].tolist()
[[[6, 4], [7, 5]], [[2, 0], [3, 1]]]
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from ..exact import INT64_BOUND

__all__ = ["Relabelling", "relabellings", "lex_min", "LinearKeys"]


def _inverse(perm: Sequence[int]) -> list:
    inv = [0] * len(perm)
    for k, v in enumerate(perm):
        inv[v] = k
    return inv


@dataclass(frozen=True)
class Relabelling:
    """A renaming of players (``players[i] = π(i)``), of each player's types
    (``types[j][k] = τ_j(k)``) and actions (``actions[j][k] = α_j(k)``).

    >>> Relabelling((0, 1), ((1, 0), (0,)), ((0, 1), (0, 1))).is_identity
    False
    """

    players: tuple
    types: tuple
    actions: tuple

    @property
    def is_identity(self) -> bool:
        return all(
            tuple(p) == tuple(range(len(p))) for p in (self.players, *self.types, *self.actions)
        )

    def shape_image(self, shape: tuple) -> tuple:
        """The shape ``(T_1..T_n, A_1..A_n)`` of the image of a game of ``shape``."""
        n = len(self.players)
        out = [0] * (2 * n)
        for j, q in enumerate(self.players):
            out[q], out[n + q] = shape[j], shape[n + j]
        return tuple(out)

    def _move(self, x: np.ndarray, first: int) -> np.ndarray:
        """Relabel the type and action axes of ``x`` (types start at axis ``first``)."""
        n = len(self.players)
        for j in range(n):
            x = np.take(x, _inverse(self.types[j]), axis=first + j)
            if x.ndim > first + n:
                x = np.take(x, _inverse(self.actions[j]), axis=first + n + j)
        inv = _inverse(self.players)
        order = list(range(first)) + [first + inv[q] for q in range(n)]
        if x.ndim > first + n:
            order += [first + n + inv[q] for q in range(n)]
        return x.transpose(order)

    def apply(self, rewards: np.ndarray, prior: np.ndarray) -> tuple:
        """The image ``(R', P')`` of a game encoded by ``(R, P)``."""
        r = self._move(np.asarray(rewards), 1)
        r = np.take(r, _inverse(self.players), axis=0)
        return np.ascontiguousarray(r), np.ascontiguousarray(self._move(np.asarray(prior), 0))

    def gathers(self, shape: tuple) -> tuple:
        """Flat gather indices: ``R'.ravel() == R.ravel()[g_r]``, ``P'.ravel() == P.ravel()[g_p]``."""
        n = len(self.players)
        r_idx = np.arange(n * math.prod(shape)).reshape((n, *shape))
        p_idx = np.arange(math.prod(shape[:n])).reshape(shape[:n])
        r, p = self.apply(r_idx, p_idx)
        return r.ravel(), p.ravel()


def relabellings(
    shape: tuple,
    player_perms: Sequence[tuple],
    *,
    types: bool = True,
    actions: bool = True,
    target: tuple | None = None,
) -> list:
    """Every relabelling of a game of ``shape`` onto ``target`` (default: ``shape`` itself).

    ``player_perms`` are the allowed player permutations; only those mapping
    ``shape`` to ``target`` are used.  Types and actions are permuted within each
    player when ``types`` / ``actions``.  Deterministic order; when ``target`` is
    ``shape`` the identity comes first.

    >>> len(relabellings((1, 1, 2, 2), [(0, 1), (1, 0)]))
    8
    """
    n = len(shape) // 2
    target = shape if target is None else tuple(target)
    out: list = []
    for pi in player_perms:
        if Relabelling(tuple(pi), (), ()).shape_image(shape) != target:
            continue
        tperms = [
            list(itertools.permutations(range(shape[j]))) if types else [tuple(range(shape[j]))]
            for j in range(n)
        ]
        aperms = [
            list(itertools.permutations(range(shape[n + j])))
            if actions
            else [tuple(range(shape[n + j]))]
            for j in range(n)
        ]
        for ts in itertools.product(*tperms):
            out.extend(
                Relabelling(tuple(pi), tuple(ts), tuple(acts))
                for acts in itertools.product(*aperms)
            )
    return out


def lex_min(encodings: np.ndarray) -> int:
    """The index of the lexicographically smallest row of a 2-d integer array (first on ties).

    >>> lex_min(np.array([[1, 2], [0, 9], [0, 3]]))
    2
    """
    cand = np.arange(encodings.shape[0])
    for col in range(encodings.shape[1]):
        column = encodings[cand, col]
        cand = cand[column == column.min()]
        if len(cand) == 1:
            break
    return int(cand[0])


class LinearKeys:
    """Keys of the images of games whose encodings are affine in free values.

    Parameters
    ----------
    rows : int array, shape ``(cells, slots)``, and ``const`` : shape ``(cells,)``
        Cell ``c`` of a game holds ``const[c] + rows[c] @ x``.
    positions : sequence of int
        The cells of the encoding, most significant first.
    sources : int array, shape ``(G, len(positions))``
        ``sources[g, p]``: the cell of the original game that relabelling ``g``
        moves to position ``p`` (row ``0`` must be the identity).
    low, high : int
        Bounds on every cell value, so digits ``value − low`` lie in ``[0, base)``.
    max_abs : int
        A bound on ``|x_s|``.

    Examples
    --------
    Two free cells and the swap of the two: ``x = (2, 1)`` is not canonical.

    >>> keys = LinearKeys(np.eye(2, dtype=np.int64), np.zeros(2, dtype=np.int64), [0, 1],
    ...                   np.array([[0, 1], [1, 0]]), 0, 3, 3)
    >>> keys.scan(np.array([[2, 1], [1, 2], [1, 1]]))[0].tolist()
    [False, True, True]
    """

    def __init__(self, rows, const, positions, sources, low: int, high: int, max_abs: int):
        rows = np.asarray(rows, dtype=object)
        const = np.asarray(const, dtype=object)
        self.base = base = int(high) - int(low) + 1
        self.slots = rows.shape[1]
        self.group = sources.shape[0]
        digit = (
            max(
                [
                    abs(int(const[c]) - int(low)) + sum(abs(int(v)) for v in rows[c]) * max_abs
                    for c in range(rows.shape[0])
                ]
                or [1]
            )
            + 1
        )
        positions = list(positions)
        width = 1
        # every partial sum of a key word stays strictly below INT64_BOUND in absolute value
        while width < len(positions) and base ** (width + 1) * digit < INT64_BOUND:
            width += 1
        self.words = []  # (coef (G, slots) int64, const (G,) int64)
        for start in range(0, max(len(positions), 1), width):
            chunk = range(start, min(start + width, len(positions)))
            coef = np.zeros((self.group, self.slots), dtype=object)
            k0 = np.zeros(self.group, dtype=object)
            for p in chunk:
                weight = base ** (chunk.stop - 1 - p)
                src = sources[:, p]
                coef += weight * rows[src]
                k0 += weight * (const[src] - low)
            self.words.append((coef.astype(np.int64), k0.astype(np.int64)))

    def contributions(self, values: np.ndarray, slots) -> list:
        """Per word, the ``(G, N)`` key contribution of ``N`` partial assignments to ``slots``."""
        return [
            coef[:, slots] @ values.T.astype(np.int64)
            if len(slots)
            else np.zeros((self.group, values.shape[0]), dtype=np.int64)
            for coef, _ in self.words
        ]

    def combine(self, parts: Sequence[list], elements=None) -> list:
        """Per word, full keys ``(G, N1, N2, ...)`` from contributions of independent slot sets
        (only the relabellings ``elements``, when given; the identity must be first)."""
        out = []
        for w, (_, k0) in enumerate(self.words):
            k0 = k0 if elements is None else k0[elements]
            total = k0.reshape((len(k0),) + (1,) * len(parts))
            for d, part in enumerate(parts):
                p = part[w] if elements is None else part[w][elements]
                shape = [len(k0)] + [1] * len(parts)
                shape[1 + d] = p.shape[1]
                total = total + p.reshape(shape)
            out.append(total)
        return out

    def survivors(self, parts: Sequence[list], index: Sequence[np.ndarray]) -> tuple:
        """``(canonical, stabiliser)`` of the candidates ``(index[0][k], index[1][k], ...)``
        of :meth:`combine`'s grid, against every relabelling."""
        keys = []
        for w, (_, k0) in enumerate(self.words):
            total = k0[:, None]
            for part, idx in zip(parts, index):
                total = total + part[w][:, idx]
            keys.append(total)
        return self.verdict(keys)

    @staticmethod
    def verdict(keys: list) -> tuple:
        """``(canonical, stabiliser)`` arrays from per-word keys ``(G, ...)`` (row 0: identity)."""
        if len(keys) == 1:
            k = keys[0]
            canonical = k.min(axis=0) == k[0]
            return canonical, (k == k[0]).sum(axis=0)
        less = np.zeros(keys[0].shape, dtype=bool)
        equal = np.ones(keys[0].shape, dtype=bool)
        for k in keys:
            less |= equal & (k < k[0])
            equal &= k == k[0]
        return ~less.any(axis=0), equal.sum(axis=0)

    def scan(self, values: np.ndarray) -> tuple:
        """``(canonical, stabiliser)`` for each row of ``values`` (all slots given)."""
        part = self.contributions(values, list(range(self.slots)))
        return self.verdict(self.combine([part]))
