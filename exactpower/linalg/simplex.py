"""An exact two-phase simplex method, and the min-max programs built on it.

Every entry is a python-flint ``fmpq`` (exact rationals).  :func:`simplex_min`
solves a general linear program with inequality and equality constraints and
free variables; Dantzig's rule switches for good to Bland's rule after a run of
degenerate pivots, so it always terminates.  :func:`minimax_lp` writes the
program "minimise a sum of maxima of linear functions over a product of
simplices" (and its mirror image, the maximin) once, for both sides of a
zero-sum game (:mod:`exactpower.bounds`).

>>> value, x = simplex_min([-1, -1], [[1, 2], [3, 1]], [4, 6], [], [], [])
>>> value, x
(-14/5, [8/5, 6/5])

Matching pennies as a min-max: the column player's best mix makes the row
player's best reply worth 0.

>>> import numpy as np
>>> C = np.array([[1, -1], [-1, 1]]).reshape(1, 2, 1, 2)
>>> minimax_lp(C)
(0, [[1/2, 1/2]])
"""

from __future__ import annotations

import flint
import numpy as np

from ..errors import LimitError
from ..exact import to_fmpq
from ..limits import MAX_LP_SIZE

__all__ = ["simplex_min", "minimax_lp", "LPError", "MAX_LP_SIZE"]

_ZERO = flint.fmpq(0)


class LPError(ArithmeticError):
    """An infeasible or unbounded program (never raised for the programs of exactpower.bounds)."""


def simplex_min(c, a_ub, b_ub, a_eq, b_eq, free, max_size=MAX_LP_SIZE):
    """``min c·x`` s.t. ``a_ub x ≤ b_ub``, ``a_eq x = b_eq``, ``x_k ≥ 0`` for ``k ∉ free``.

    Exact: every entry is a python-flint ``fmpq``.  Two phases; Dantzig's
    rule, switching for good to Bland's rule after a run of degenerate pivots
    (so it terminates).  Returns ``(value, x)``.

    Raises
    ------
    LimitError
        When the tableau would have more than ``max_size`` entries.
    LPError
        When the program is infeasible or unbounded.
    """
    n = len(c)
    free = sorted(set(free))
    m_ub = len(b_ub)
    n_struct = n + len(free)
    tableau, basis, first_art = _tableau(a_ub, b_ub, a_eq, b_eq, free, n_struct, max_size)
    tableau = _phase_one(tableau, basis, first_art)
    # phase 2
    cost = [to_fmpq(v) for v in c] + [-to_fmpq(c[k]) for k in free] + [_ZERO] * m_ub
    d = np.array(cost + [_ZERO], dtype=object)
    for r, b in enumerate(basis):
        if cost[b] != 0:
            d = d - cost[b] * tableau[r, :]
    tableau, d = _run(tableau, d, basis, first_art)
    x = [_ZERO] * n_struct
    for r, b in enumerate(basis):
        if b < n_struct:
            x[b] = tableau[r, -1]
    values = x[:n]
    for k, col in zip(free, range(n, n_struct)):
        values[k] = values[k] - x[col]
    return -d[-1], values


def _tableau(a_ub, b_ub, a_eq, b_eq, free: list, n_struct: int, max_size: int) -> tuple:
    """The phase-1 tableau ``(tableau, basis, first artificial column)``.

    Columns: structural, negative parts of free variables, slacks, artificials
    (one per row that has no slack of coefficient +1), then the right-hand side
    (made nonnegative).
    """
    m_ub, m_eq = len(b_ub), len(b_eq)
    m = m_ub + m_eq
    rows, needs_art = [], []
    for r in range(m):
        coeffs = list(a_ub[r]) if r < m_ub else list(a_eq[r - m_ub])
        rhs = to_fmpq(b_ub[r] if r < m_ub else b_eq[r - m_ub])
        row = [to_fmpq(v) for v in coeffs] + [-to_fmpq(coeffs[k]) for k in free]
        slack = [_ZERO] * m_ub
        if r < m_ub:
            slack[r] = flint.fmpq(1)
        sign = 1
        if rhs < 0:
            sign = -1
            row = [-v for v in row]
            slack = [-v for v in slack]
            rhs = -rhs
        rows.append((row, slack, rhs))
        needs_art.append(not (r < m_ub and sign == 1))
    arts = [r for r in range(m) if needs_art[r]]
    n_cols = n_struct + m_ub + len(arts)
    if m * (n_cols + 1) > max_size:
        raise LimitError(
            f"linear program with {m} constraints and {n_cols} columns exceeds "
            f"the limit MAX_LP_SIZE = {max_size} tableau entries"
        )
    tableau = np.empty((m, n_cols + 1), dtype=object)
    basis = [0] * m
    for r, (row, slack, rhs) in enumerate(rows):
        art = [_ZERO] * len(arts)
        if needs_art[r]:
            art[arts.index(r)] = flint.fmpq(1)
            basis[r] = n_struct + m_ub + arts.index(r)
        else:
            basis[r] = n_struct + r
        tableau[r, :] = row + slack + art + [rhs]
    return tableau, basis, n_struct + m_ub


def _phase_one(tableau, basis: list, first_art: int):
    """Minimise the sum of the artificials, drive them out of the basis, drop their columns.

    Updates ``basis`` in place (redundant equalities lose their row).
    """
    m, width = tableau.shape
    d = np.array([_ZERO] * width, dtype=object)
    for k in range(first_art, width - 1):
        d[k] = flint.fmpq(1)
    for r in range(m):
        if basis[r] >= first_art:
            d = d - tableau[r, :]
    if width - 1 > first_art:
        tableau, d = _run(tableau, d, basis, first_art)
        if -d[-1] != 0:
            raise LPError("infeasible")
        # drive the artificials out of the basis (they are all at level 0)
        r = 0
        while r < tableau.shape[0]:
            if basis[r] >= first_art:
                pivots = [j for j in range(first_art) if tableau[r, j] != 0]
                if pivots:
                    tableau, d = _pivot(tableau, d, r, pivots[0])
                    basis[r] = pivots[0]
                else:  # a redundant equality
                    tableau = np.delete(tableau, r, axis=0)
                    del basis[r]
                    continue
            r += 1
    return np.concatenate([tableau[:, :first_art], tableau[:, -1:]], axis=1)


def _run(t, d, basis: list, allowed: int):
    """Pivot until no column ``< allowed`` has a negative reduced cost; updates ``basis``."""
    degenerate = 0
    bland = False
    while True:
        candidates = [j for j in range(allowed) if d[j] < 0]
        if not candidates:
            return t, d
        j = candidates[0] if bland else min(candidates, key=lambda k: (d[k], k))
        column = t[:, j]
        best_r, best_ratio = None, None
        for r in range(t.shape[0]):
            if column[r] > 0:
                ratio = t[r, -1] / column[r]
                if (
                    best_r is None
                    or ratio < best_ratio
                    or (ratio == best_ratio and basis[r] < basis[best_r])
                ):
                    best_r, best_ratio = r, ratio
        if best_r is None:
            raise LPError("unbounded")
        if best_ratio == 0:
            degenerate += 1
            if degenerate > 50:
                bland = True
        else:
            degenerate = 0
        t, d = _pivot(t, d, best_r, j)
        basis[best_r] = j


def _pivot(t, d, r, j):
    row = t[r, :] / t[r, j]
    column = t[:, j].copy()
    column[r] = _ZERO
    t = t - np.outer(column, row)
    t[r, :] = row
    d = d - d[j] * row
    return t, d


def minimax_lp(coefficients, *, maximin: bool = False) -> tuple:
    """``min_z Σ_g max_r L[g, r](z)`` (or ``max_z Σ_g min_r L[g, r](z)``), exactly.

    ``L[g, r](z) = Σ_{k, b} D[g, r, k, b] · z[k][b]``, where ``D`` is
    ``coefficients`` (integers, Fractions or fmpq) and ``z`` ranges over the
    product of simplices: ``z[k] ≥ 0``, ``Σ_b z[k][b] = 1`` for every ``k``.
    Written as the linear program in ``(z, w)``, with one free variable ``w_g``
    per group: ``min Σ_g w_g`` s.t. ``L[g, r](z) ≤ w_g`` (the maximin:
    ``max Σ_g w_g`` s.t. ``w_g ≤ L[g, r](z)``, solved as the minimum of
    ``-Σ_g w_g``).  The two are the two sides of a zero-sum game's linear
    program and its dual.  Returns ``(value, z)``, ``z[k][b]`` fmpq.

    >>> import numpy as np
    >>> D = np.array([[2, 0], [0, 1]]).reshape(1, 2, 1, 2)
    >>> minimax_lp(D), minimax_lp(D, maximin=True)
    ((2/3, [[1/3, 2/3]]), (2/3, [[1/3, 2/3]]))
    """
    G, R, K, B = coefficients.shape
    sign = -1 if maximin else 1
    n_z = K * B
    a_ub, b_ub = [], []
    for g in range(G):
        for r in range(R):
            row = [sign * to_fmpq(v) for v in coefficients[g, r].ravel().tolist()] + [0] * G
            row[n_z + g] = -sign
            a_ub.append(row)
            b_ub.append(0)
    a_eq = []
    for k in range(K):
        row = [0] * (n_z + G)
        for b in range(B):
            row[k * B + b] = 1
        a_eq.append(row)
    value, x = simplex_min(
        [0] * n_z + [sign] * G, a_ub, b_ub, a_eq, [1] * K, free=range(n_z, n_z + G)
    )
    return sign * value, [[x[k * B + b] for b in range(B)] for k in range(K)]
