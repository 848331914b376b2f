"""Exact integrals of polynomials over a polytope, one coordinate at a time.

A polytope ``P = {x : a_i · x ≤ b_i}`` (bounded) and polynomials ``p`` with rational
coefficients: ``∫_P p dx`` is computed exactly by iterated integration.  To integrate out a
coordinate ``v``, the constraints with a positive coefficient of ``v`` are upper bounds
``x_v ≤ u_i(x')`` and those with a negative one lower bounds ``x_v ≥ l_j(x')``; the region
splits (up to a null set) into the pieces where ``u_i`` is the least upper bound and ``l_j``
the greatest lower bound, and on such a piece ``∫ p dx_v = P(u_i) − P(l_j)`` with ``P`` an
antiderivative in ``x_v``.  Each piece is again a polytope in one coordinate fewer, given by
``u_i ≤ u_k``, ``l_k ≤ l_j``, ``l_j ≤ u_i`` and the constraints free of ``x_v``.  Ties
``u_i = u_k`` are null sets once the constraints are normalised and deduplicated, so the
pieces meet only in null sets and the sum is exact.

Pieces with no interior are dropped by a feasibility test (a linear program): with SciPy a
float one, otherwise an exact one.  A float test can only err by dropping a piece, which
loses volume; :func:`integrate` therefore integrates the constant 1 alongside, and callers
check that the volumes add up exactly (see :mod:`.uniform_power`).  All the arithmetic
is in python-flint ``fmpq`` / ``fmpq_mpoly``.

>>> import flint
>>> ctx = flint.fmpq_mpoly_ctx.get(("x", 2), "lex")
>>> x, y = ctx.gens()
>>> triangle = [((-1, 1), 0), ((1, 0), 1), ((0, -1), 0)]   # 0 ≤ y ≤ x ≤ 1
>>> integrate([x, ctx.from_dict({}) + 1], triangle, ctx)
[1/3, 1/2]
"""

from __future__ import annotations

import time
from collections.abc import Sequence

import flint

from ..linalg.simplex import LPError, simplex_min

__all__ = ["integrate", "IntegrationTimeout", "has_interior"]

Q = flint.fmpq


class IntegrationTimeout(Exception):
    """Raised when :func:`integrate` passes its deadline."""


def _fmpq(x: object) -> flint.fmpq:
    return x if isinstance(x, flint.fmpq) else Q(x)  # type: ignore[call-overload]


def integrate(
    polys: Sequence[flint.fmpq_mpoly],
    constraints: Sequence[tuple[Sequence[object], object]],
    ctx: flint.fmpq_mpoly_ctx,
    deadline: float | None = None,
    exact_lp: bool = False,
) -> list[flint.fmpq]:
    """``[∫_P p dx for p in polys]`` over ``P = {x : a·x ≤ b for (a, b) in constraints}``.

    ``P`` must be bounded (every coordinate bounded above and below by the constraints).
    ``deadline`` is a ``time.monotonic()`` instant after which :class:`IntegrationTimeout`
    is raised; ``exact_lp`` forces the exact feasibility test.
    """
    n = ctx.nvars()
    alive = list(range(n))
    cons = _normalise([(tuple(_fmpq(c) for c in a), _fmpq(b)) for a, b in constraints], alive)
    if cons is None:
        return [Q(0)] * len(polys)
    state = _State(ctx, deadline, exact_lp)
    out = state.run(list(polys), cons, alive, False)
    return [_constant(p) for p in out]


def _constant(p: object) -> flint.fmpq:
    if isinstance(p, flint.fmpq_mpoly):
        if not p.is_constant():
            raise ValueError("integrate: the integral still has free coordinates")
        return p.coefficient(0) if p.coeffs() else Q(0)
    return _fmpq(p)


def _normalise(cons: list, alive: list[int]) -> list | None:
    """Scale each constraint by its first nonzero coefficient's absolute value, keep the
    tightest of parallel ones; ``None`` when a constraint ``0 ≤ b`` is violated."""
    best: dict[tuple, tuple] = {}
    for a, b in cons:
        lead = next((abs(a[v]) for v in alive if a[v] != 0), None)
        if lead is None:
            if b < 0:
                return None
            continue
        row = tuple(c / lead for c in a)
        bb = b / lead
        key = tuple((c.p, c.q) for c in row)  # hashing fmpz pairs is fast
        if key not in best or bb < best[key][1]:
            best[key] = (row, bb)
    return list(best.values())


class _State:
    def __init__(self, ctx: flint.fmpq_mpoly_ctx, deadline: float | None, exact: bool) -> None:
        self.ctx = ctx
        self.gens = ctx.gens()
        self.deadline = deadline
        self.exact = exact

    def run(self, polys: list, cons: list, alive: list[int], inside: bool) -> list:
        """``inside``: the region is known to have interior (then a single upper and a
        single lower bound need no test: the one piece is the region's projection)."""
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise IntegrationTimeout("integrate: time limit reached")
        if not alive:
            return polys
        v = min(alive, key=lambda w: _branching(cons, w))
        rest = [w for w in alive if w != v]
        upper = [_bound(a, b, v) for a, b in cons if a[v] > 0]
        lower = [_bound(a, b, v) for a, b in cons if a[v] < 0]
        other = [(a, b) for a, b in cons if a[v] == 0]
        anti = [p.integral(v) for p in polys]
        total: list = [Q(0)] * len(polys)
        for i, u in enumerate(upper):
            cu = other + [_le(u, w) for k, w in enumerate(upper) if k != i]
            known = inside and len(upper) == 1
            if not known and not has_interior(cu, rest, self.exact):
                continue
            for j, low in enumerate(lower):
                piece = _normalise(
                    cu + [_le(w, low) for k, w in enumerate(lower) if k != j] + [_le(low, u)],
                    rest,
                )
                if piece is None:
                    continue
                sure = known and len(lower) == 1
                if not sure and not has_interior(piece, rest, self.exact):
                    continue
                parts = [self._difference(p, v, u, low) for p in anti]
                for k, value in enumerate(self.run(parts, piece, rest, True)):
                    total[k] = total[k] + value
        return total

    def _difference(self, p: flint.fmpq_mpoly, v: int, u: tuple, low: tuple) -> object:
        args = list(self.gens)
        args[v] = self._affine(u)
        top = p.compose(*args)
        args[v] = self._affine(low)
        return top - p.compose(*args)

    def _affine(self, bound: tuple) -> flint.fmpq_mpoly:
        coeffs, const = bound
        out = self.ctx.from_dict({}) + const
        for w, c in enumerate(coeffs):
            if c != 0:
                out += c * self.gens[w]
        return out


def _branching(cons: list, v: int) -> tuple[int, int]:
    up = sum(1 for a, _ in cons if a[v] > 0)
    down = sum(1 for a, _ in cons if a[v] < 0)
    return (up * down, v)


def _bound(a: tuple, b: flint.fmpq, v: int) -> tuple:
    """``x_v = const + coeffs · x`` from ``a · x = b`` (coefficient of ``v`` zeroed)."""
    coeffs = tuple(Q(0) if w == v else -c / a[v] for w, c in enumerate(a))
    return coeffs, b / a[v]


def _le(f: tuple, g: tuple) -> tuple:
    """The constraint ``f ≤ g`` between two affine bounds, as ``(a, b)`` with ``a·x ≤ b``."""
    return tuple(x - y for x, y in zip(f[0], g[0])), g[1] - f[1]


def has_interior(cons: Sequence[tuple], alive: Sequence[int], exact: bool = False) -> bool:
    """Whether ``{x : a·x ≤ b}`` (in the coordinates ``alive``) has a point with every
    constraint strict: the maximum slack ``s`` of ``a·x + s ≤ b``, ``s ≤ 1`` is positive.

    Uses SciPy's HiGHS (float, tolerance 1e-12) when importable and ``exact`` is false,
    else the exact simplex of :mod:`exactpower.linalg.simplex`.

    >>> has_interior([((1,), 1), ((-1,), 0)], [0], exact=True)
    True
    >>> has_interior([((1,), 0), ((-1,), 0)], [0], exact=True)
    False
    """
    if not cons:
        return True
    if not exact:
        try:
            import numpy as np
            from scipy.optimize import linprog  # type: ignore[import-untyped]
        except ImportError:
            exact = True
    if exact:
        rows = [[_fmpq(a[v]) for v in alive] + [Q(1)] for a, _ in cons]
        rows.append([Q(0)] * len(alive) + [Q(1)])
        rhs = [_fmpq(b) for _, b in cons] + [Q(1)]
        n = len(alive)
        try:
            value, _ = simplex_min([Q(0)] * n + [Q(-1)], rows, rhs, [], [], list(range(n + 1)))
        except LPError:
            return False
        return bool(-value > 0)
    a_ub = np.array([[float(a[v]) for v in alive] + [1.0] for a, _ in cons])
    b_ub = np.array([float(b) for _, b in cons])
    verdict = _quick_verdict(a_ub[:, :-1], b_ub)
    if verdict is not None:
        return verdict
    c = np.zeros(len(alive) + 1)
    c[-1] = -1.0
    bounds = [(None, None)] * len(alive) + [(None, 1.0)]
    res = linprog(c, A_ub=a_ub, b_ub=b_ub, bounds=bounds, method="highs")
    return bool(res.status == 0 and -res.fun > 1e-12)


def _quick_verdict(a: object, b: object, rounds: int = 6, samples: int = 512) -> bool | None:
    """Float bound propagation, then random points of the propagated box: ``False`` when
    ``{x : a x ≤ b}`` is clearly empty, ``True`` when a sampled point satisfies every
    constraint strictly (by 1e-9), ``None`` when undecided.  A heuristic filter only: a
    wrong "empty" loses volume, which the callers' volume check detects."""
    import numpy as np

    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    m, n = a.shape
    lo = np.full(n, -np.inf)
    hi = np.full(n, np.inf)
    pos, neg = a > 0, a < 0
    for _ in range(rounds):
        with np.errstate(invalid="ignore", over="ignore"):
            low_part = np.where(pos, a * lo, np.where(neg, a * hi, 0.0))
        finite = np.isfinite(low_part)
        count_inf = (~finite).sum(axis=1)
        row_min = np.where(finite, low_part, 0.0).sum(axis=1)
        if np.any((count_inf == 0) & (row_min > b + 1e-9)):
            return False
        for i in range(n):
            rest_ok = (count_inf - (~finite[:, i])) == 0
            rest = row_min - np.where(finite[:, i], low_part[:, i], 0.0)
            with np.errstate(divide="ignore", invalid="ignore"):
                bound = (b - rest) / a[:, i]
            up = rest_ok & pos[:, i]
            down = rest_ok & neg[:, i]
            if up.any():
                hi[i] = min(hi[i], bound[up].min())
            if down.any():
                lo[i] = max(lo[i], bound[down].max())
        if np.any(lo > hi + 1e-9):
            return False
    if not (np.all(np.isfinite(lo)) and np.all(np.isfinite(hi))):
        return None
    rng = np.random.default_rng(m * 1_000_003 + n)
    points = lo + (hi - lo) * rng.random((samples, n))
    slack = b[None, :] - points @ a.T
    if np.any(slack.min(axis=1) > 1e-9):
        return True
    return None
