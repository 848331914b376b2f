"""Exact linear programs from sparse rows: a floating-point guess, an exact certificate.

:func:`solve_lp` solves ``min c·z`` s.t. ``A_ub z ≤ b_ub``, ``A_eq z = b_eq``, ``z_k ≥ 0``
for ``k ∉ free``, with the constraint rows given sparsely (``{column: value}``).  Small
programs go to the exact simplex (:func:`exactpower.linalg.simplex.simplex_min`).  Larger
ones, when SciPy is installed, are first solved in floating point (HiGHS, dual simplex);
the floating-point vertex only *suggests* a basis: ``m`` linearly independent columns of
``[A_ub I; A_eq 0]``, chosen greedily (free and positive variables first).  That basis is
then solved in exact rationals (python-flint, Dixon's p-adic solver) for the primal point
and the dual multipliers, and the answer is accepted only if it is exactly primal feasible
(``z ≥ 0`` where required, every inequality holds) and exactly dual feasible (every reduced
cost ``≥ 0``, ``= 0`` for free columns, every inequality multiplier ``≤ 0``) -- which, with
equal objectives (a basis gives them), proves optimality.  When the guess fails the check,
or SciPy is missing, the exact simplex decides (which may be refused as over
``MAX_LP_SIZE``).  Either way the returned value and point are exact.

>>> solve_lp([-1, -1], [{0: 1, 1: 2}, {0: 3, 1: 1}], [4, 6], [], [], [])
(-14/5, [8/5, 6/5])
"""

from __future__ import annotations

import flint
import numpy as np

from ..exact import to_fmpq
from ..limits import MAX_LP_SIZE
from .simplex import simplex_min

__all__ = ["solve_lp", "certify_basis", "SMALL_LP"]

#: tableau entries up to which :func:`solve_lp` uses the exact simplex directly.
SMALL_LP = 200_000

_ZERO = flint.fmpq(0)


def _dense(rows: list, n: int) -> list:
    out = []
    for row in rows:
        dense: list = [0] * n
        for j, v in row.items():
            dense[j] = to_fmpq(v)
        out.append(dense)
    return out


def solve_lp(c, a_ub, b_ub, a_eq, b_eq, free, max_size=MAX_LP_SIZE) -> tuple:
    """``min c·z`` s.t. ``a_ub z ≤ b_ub``, ``a_eq z = b_eq``, ``z_k ≥ 0`` (``k ∉ free``).

    ``a_ub`` and ``a_eq`` are lists of rows ``{column: value}`` (exact values).  Returns
    ``(value, z)`` in python-flint ``fmpq``, exactly as :func:`simplex_min` would (possibly
    another optimal vertex).  Raises what :func:`simplex_min` raises (``LPError`` when
    infeasible or unbounded, ``LimitError`` over ``max_size``) when it has to decide.
    """
    n, free = len(c), sorted(set(free))
    m = len(a_ub) + len(a_eq)
    if m * (n + len(free) + m + 1) > SMALL_LP:
        guess = _float_basis(c, a_ub, b_ub, a_eq, b_eq, free)
        if guess is not None:
            found = certify_basis(c, a_ub, b_ub, a_eq, b_eq, free, guess)
            if found is not None:
                return found
    return simplex_min(c, _dense(a_ub, n), b_ub, _dense(a_eq, n), b_eq, free, max_size)


def _float_matrix(rows: list, n: int) -> np.ndarray:
    out = np.zeros((len(rows), n))
    for r, row in enumerate(rows):
        for j, v in row.items():
            out[r, j] = float(to_fmpq(v))
    return out


def _float_basis(c, a_ub, b_ub, a_eq, b_eq, free) -> list | None:
    """Columns of a basis suggested by HiGHS (the logical of row ``r`` is column ``n + r``)."""
    try:
        from scipy.optimize import linprog  # type: ignore[import-untyped]
    except ImportError:
        return None
    n, m_ub = len(c), len(a_ub)
    ub, eq = _float_matrix(a_ub, n), _float_matrix(a_eq, n)
    bounds = [(None, None) if k in set(free) else (0, None) for k in range(n)]
    result = linprog(
        [float(to_fmpq(v)) for v in c],
        A_ub=ub if m_ub else None,
        b_ub=[float(to_fmpq(v)) for v in b_ub] if m_ub else None,
        A_eq=eq if len(a_eq) else None,
        b_eq=[float(to_fmpq(v)) for v in b_eq] if len(a_eq) else None,
        bounds=bounds,
        method="highs-ds",
    )
    if result.status != 0:
        return None
    m_eq = len(a_eq)
    values = np.concatenate(
        [np.asarray(result.x), _array(result.ineqlin.residual, m_ub), np.zeros(m_eq)]
    )
    reduced = np.concatenate(
        [
            np.asarray(result.lower.marginals),
            -_array(result.ineqlin.marginals, m_ub),
            np.abs(_array(result.eqlin.marginals, m_eq)),
        ]
    )
    full = np.hstack([np.vstack([ub, eq]), np.eye(m_ub + m_eq)])
    free_set = set(free)
    order = sorted(range(n + m_ub + m_eq), key=lambda j: _priority(j, free_set, values, reduced))
    return _independent(full, order)


def _array(values, size: int) -> np.ndarray:
    return np.asarray(values, dtype=float) if size else np.zeros(0)


def _priority(j: int, free: set, values: np.ndarray, reduced: np.ndarray) -> tuple:
    """Free columns, then positive ones (largest first), then by reduced cost (smallest)."""
    if j in free:
        return (0, 0.0)
    if values[j] > 1e-9:
        return (1, -values[j])
    return (2, abs(reduced[j]))


def _independent(full: np.ndarray, order: list, block: int = 128) -> list:
    """The first ``m`` columns in ``order`` that are linearly independent (floating point).

    Block Gram-Schmidt (twice, for stability): each block of candidates is projected off the
    chosen columns at once, then scanned one by one against the block's own choices.
    """
    m = full.shape[0]
    q = np.zeros((m, m), order="F")
    chosen: list = []
    for start in range(0, len(order), block):
        columns = order[start : start + block]
        candidates = full[:, columns]
        norms = np.linalg.norm(candidates, axis=0)
        k0 = len(chosen)
        for _ in range(2):
            candidates = candidates - q[:, :k0] @ (q[:, :k0].T @ candidates)
        for t, j in enumerate(columns):
            k = len(chosen)
            v = candidates[:, t]
            for _ in range(2):
                v = v - q[:, k0:k] @ (q[:, k0:k].T @ v)
            size = np.linalg.norm(v)
            if norms[t] > 0 and size > 1e-9 * norms[t]:
                q[:, k] = v / size
                chosen.append(j)
                if len(chosen) == m:
                    return chosen
    return chosen


def _matrix(rows: list) -> flint.fmpq_mat:
    return flint.fmpq_mat(rows) if rows else flint.fmpq_mat(0, 0)


def _solve(matrix: flint.fmpq_mat, rhs: list) -> flint.fmpq_mat:
    """``matrix⁻¹ rhs`` by Dixon's p-adic lifting (``ZeroDivisionError`` when singular)."""
    if not rhs:
        return flint.fmpq_mat(0, 1)
    column = _matrix([[v] for v in rhs])
    return matrix.solve(column, algorithm="dixon")  # type: ignore[call-arg]


def certify_basis(c, a_ub, b_ub, a_eq, b_eq, free, basis: list) -> tuple | None:
    """``(value, z)`` if ``basis`` is exactly an optimal basis, else None.

    ``basis`` lists ``m`` columns of ``[A_ub I 0; A_eq 0 I]``: column ``n + r`` is the logical
    variable of row ``r`` (inequalities first), the slack of an inequality (``≥ 0``) or, for
    an equality, a variable fixed at 0 (basic in a degenerate basis).  Rows whose logical is
    basic drop out (their multiplier is 0); the rest form a square system in the basic
    structural columns, solved exactly for the point and (transposed) for the multipliers.
    Then the point must satisfy every row exactly, and every reduced cost must have the
    right sign -- which with complementary slackness makes ``c·z = b·π``, checked too.
    """
    n, m_ub = len(c), len(a_ub)
    rows = [dict(r) for r in a_ub] + [dict(r) for r in a_eq]
    rhs = [to_fmpq(v) for v in list(b_ub) + list(b_eq)]
    basic_slack = {j - n for j in basis if j >= n}
    tight = [r for r in range(len(rows)) if r not in basic_slack]
    columns = sorted(j for j in basis if j < n)
    if len(columns) != len(tight):
        return None
    position = {j: k for k, j in enumerate(columns)}
    square = [[_ZERO] * len(columns) for _ in tight]
    for k, r in enumerate(tight):
        for j, v in rows[r].items():
            if j in position:
                square[k][position[j]] = to_fmpq(v)
    try:
        point = _solve(_matrix(square), [rhs[r] for r in tight])
        dual = _solve(_matrix(square).transpose(), [to_fmpq(c[j]) for j in columns])
    except ZeroDivisionError:
        return None
    z = [_ZERO] * n
    for k, j in enumerate(columns):
        z[j] = point[k, 0]
    pi = [_ZERO] * len(rows)
    for k, r in enumerate(tight):
        pi[r] = dual[k, 0]
    if not _feasible(rows, rhs, m_ub, z, set(free)):
        return None
    if not _dual_feasible(c, rows, m_ub, pi, set(free), set(columns)):
        return None
    value = sum((to_fmpq(c[j]) * z[j] for j in range(n)), _ZERO)
    if value != sum((p * b for p, b in zip(pi, rhs)), _ZERO):
        return None
    return value, z


def _feasible(rows: list, rhs: list, m_ub: int, z: list, free: set) -> bool:
    if any(z[j] < 0 for j in range(len(z)) if j not in free):
        return False
    for r, row in enumerate(rows):
        total = sum((to_fmpq(v) * z[j] for j, v in row.items()), _ZERO)
        if (total > rhs[r]) if r < m_ub else (total != rhs[r]):
            return False
    return True


def _dual_feasible(c, rows: list, m_ub: int, pi: list, free: set, basic: set) -> bool:
    if any(pi[r] > 0 for r in range(m_ub)):
        return False
    reduced = [to_fmpq(v) for v in c]
    for r, row in enumerate(rows):
        if pi[r] != 0:
            for j, v in row.items():
                reduced[j] -= pi[r] * to_fmpq(v)
    for j, d in enumerate(reduced):
        if j in basic:
            continue
        if d < 0 or (j in free and d != 0):
            return False
    return True
