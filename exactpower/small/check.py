"""The power-scarcity theorem's steps, checked exactly for many games and profiles at once.

:func:`fast_check` verifies, in exact integer arithmetic vectorised over a batch
of games and all grid profiles (or one profile per game), that interim regrets
are nonnegative, that ``Σ_i E[f_i]`` is the welfare, that the welfare is ``c`` in
a constant-sum class, that ``Σ_i POWER(i,σ) − bound = NashConv(σ)``, and that
equality holds iff ``σ`` is a BNE by the definition.  Every quantity is an
integer numerator over ``Σ_t w(t) · m^n · d``, in ``int64`` when a bound proves
that no partial sum can overflow, in Python integers otherwise.  Used by
:mod:`exactpower.small.exhaust`; see ``docs/exhaust.md``.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, NamedTuple

import numpy as np

from ..errors import GameStructureError
from ..exact import INT64_BOUND
from .priors import compositions

__all__ = ["fast_check", "FastResult", "grid_strategies", "FAILURES"]

#: What each bit of :attr:`FastResult.failures` means.
FAILURES = {
    1: "max-dominates-mean: a negative interim regret",
    2: "total-expectation: Σ_i E[f_i] differs from the welfare",
    4: "constant-sum: the welfare differs from c",
    8: "identity: Σ POWER − bound differs from NashConv",
    16: "equality condition: Σ POWER = bound does not coincide with the BNE verdict",
    32: "equilibria: a profile returned by the equilibrium finder is not a BNE",
}


def grid_strategies(types: int, actions: int, m: int) -> np.ndarray:
    """Every strategy of one player whose mixed actions lie on the grid ``k/m``.

    An integer array ``(K, types, actions)`` of numerators over ``m``, in
    lexicographic order; the pure strategies are those with entries 0 and ``m``.

    >>> grid_strategies(1, 2, 2)[:, 0].tolist()
    [[0, 2], [1, 1], [2, 0]]
    """
    rows = sorted(compositions(m, actions))
    return np.array(list(itertools.product(rows, repeat=types)), dtype=np.int64).reshape(
        -1, types, actions
    )


class FastResult(NamedTuple):
    """Integer numerators over ``scale`` (``Σ_t w(t) · m^n``, per game row when paired).

    Arrays have the profile shape: ``(B, K_1..K_n)`` for a grid, ``(B,)`` paired.
    ``equilibrium`` is the BNE verdict from the definition; ``failures`` is a
    bit mask of :data:`FAILURES` (0: every check passed).
    """

    power_sum: np.ndarray
    welfare: np.ndarray
    bound: np.ndarray
    nash_conv: np.ndarray
    scale: object
    equilibrium: np.ndarray
    equality: np.ndarray
    failures: np.ndarray


def fast_check(
    rewards, prior, strategies: Sequence, denominator, constant=None, *, paired: bool = False
) -> FastResult:
    """The theorem's steps and its equality condition for many games and profiles at once.

    Parameters
    ----------
    rewards : integer array ``(B, n, T_1..T_n, A_1..A_n)``
        Reward numerators (any common denominator ``d``: it cancels).
    prior : integer array ``(T_1..T_n)``
        Prior weights (probability ``prior / prior.sum()``).
    strategies : one integer array per player
        Grid: ``(K_j, T_j, A_j)`` numerators over the int ``denominator``; every
        combination is a profile.  ``paired``: ``(B, T_j, A_j)``, one profile per
        game row, over ``denominator`` of shape ``(B,)``.
    constant : int, optional
        ``c`` (numerator over ``d``) of a constant-sum class.

    Examples
    --------
    Matching pennies at its four pure profiles and the uniform one:

    >>> R = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]).reshape(1, 2, 1, 1, 2, 2)
    >>> S = grid_strategies(1, 2, 2)
    >>> res = fast_check(R, np.ones((1, 1), dtype=np.int64), [S, S], 2, 0)
    >>> res.power_sum[0].tolist(), res.equilibrium[0].tolist(), int(res.failures.max())
    ([[8, 4, 8], [4, 0, 4], [8, 4, 8]], [[False, False, False], [False, True, False], [False, False, False]], 0)
    """
    rewards, prior = np.asarray(rewards), np.asarray(prior)
    n = rewards.shape[1]
    if n > 7:
        raise GameStructureError("fast_check: at most 7 players")
    m: Any = np.asarray(denominator, dtype=object) if paired else int(denominator)
    dw = int(prior.sum())
    dtype: Any = _dtype(rewards, dw, int(np.max(m)) if paired else m, constant)
    R = rewards.astype(dtype)
    w = prior.astype(dtype)
    S = [np.asarray(s).astype(dtype) for s in strategies]
    if paired:
        m = np.asarray([int(v) for v in np.ravel(denominator)], dtype=dtype)
    axes = _Axes.of(n, paired)
    pos = [prior.sum(axis=tuple(k for k in range(n) if k != i)) > 0 for i in range(n)]
    # Running sums over the players, arrays after the first (Any: int, then an array).
    power: Any = 0
    mean_sum: Any = 0
    conv: Any = 0
    bad: Any = 0
    bad_def: Any = False
    for i in range(n):
        pw, mean_t, regret, bad_i = _player_terms(axes, i, R, w, S, m, pos[i])
        conv = conv + regret.sum(axis=-1)
        bad = bad | np.where((regret < 0).any(axis=-1), 1, 0)
        mean_sum = mean_sum + mean_t.sum(axis=-1)
        power = power + pw
        bad_def = bad_def | bad_i
    ops = [R.sum(axis=1), w] + S
    welfare = np.einsum(
        ",".join(["z" + axes.T + axes.A, axes.T] + list(axes.subs)) + "->" + axes.full,
        *ops,
        optimize=True,
    )
    return _verdicts(m * power, welfare, mean_sum, conv, dw * m**n, constant, bad, ~bad_def)


def _verdicts(power, welfare, mean_sum, conv, scale, constant, bad, equilibrium) -> FastResult:
    """The checks of the welfare (steps 3--6), the identity and the equality condition, added
    to the failure bits ``bad`` of the regrets; ``equilibrium`` is the definition's verdict."""
    if constant is not None:
        bound = int(constant) * scale * np.ones_like(welfare)
        bad = bad | np.where(welfare != bound, 4, 0)
    else:
        bound = welfare
    bad = bad | np.where(mean_sum != welfare, 2, 0)
    bad = bad | np.where(power - bound != conv, 8, 0)
    equality = power == bound
    bad = bad | np.where(equality != equilibrium, 16, 0)
    return FastResult(
        power, welfare, bound, conv, scale, equilibrium, equality, np.asarray(bad, dtype=np.int64)
    )


def _dtype(rewards: np.ndarray, dw: int, m_top: int, constant) -> Any:
    """``np.int64`` when a bound proves that no partial sum can overflow, else ``object``
    (Python integers): ``dw`` is the prior's total weight, ``m_top`` the largest strategy
    denominator."""
    n = rewards.shape[1]
    r_top = max(
        int(np.abs(rewards).max()) if rewards.size else 0,
        abs(int(constant)) if constant is not None else 0,
        1,
    )
    exact64 = (n + 3) * r_top * dw * m_top ** (n + 1) < INT64_BOUND
    return np.int64 if exact64 else object


class _Axes(NamedTuple):
    """The einsum letters: games ``z``, types ``T``, actions ``A``, grid profiles ``K``."""

    T: str
    A: str
    K: str
    subs: tuple
    full: str
    paired: bool

    @classmethod
    def of(cls, n: int, paired: bool) -> _Axes:
        T, A, K = "abcdefg"[:n], "hijklmn"[:n], "opqrstu"[:n]
        subs = tuple(("z" if paired else K[j]) + T[j] + A[j] for j in range(n))
        return cls(T, A, K, subs, "z" if paired else "z" + K, paired)

    def others(self, i: int) -> str:
        return "" if self.paired else self.K[:i] + self.K[i + 1 :]


def _player_terms(axes: _Axes, i: int, R, w, S: list, m, positive) -> tuple:
    """Player ``i``'s POWER, mean interim utilities, regrets (times ``m``) and the
    definition's verdict "some played action of a positive type is not a best response"."""
    n, T, A = len(S), axes.T, axes.A
    ops = [R[:, i], w] + [S[j] for j in range(n) if j != i]
    spec = ",".join(["z" + T + A, T] + [axes.subs[j] for j in range(n) if j != i])
    out = f"z{axes.others(i)}{T[i]}{A[i]}"
    F = np.einsum(f"{spec}->{out}", *ops, optimize=True)  # Ω_i(t_i) f_i
    best = F.max(axis=-1)
    own = axes.subs[i]
    mean_t = np.einsum(f"{own},{out}->{axes.full}{T[i]}", S[i], F, optimize=True)
    best_full = best if axes.paired else np.expand_dims(best, 1 + i)
    m_t = m.reshape(-1, 1) if axes.paired else m
    regret = m_t * best_full - mean_t  # per type, times m
    pw = best.sum(axis=-1)
    pw = pw if axes.paired else np.expand_dims(pw, 1 + i)
    played = ((S[i] > 0) & positive[:, None]).astype(np.int64)
    losing = (best[..., None] > F).astype(np.int64)
    bad = np.einsum(f"{own},{out}->{axes.full}", played, losing, optimize=True) > 0
    return pw, mean_t, regret, bad
