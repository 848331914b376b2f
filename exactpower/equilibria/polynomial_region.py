"""Proving that a support's indifference system has no solution where it could be an equilibrium.

The equilibria with given supports (see :mod:`exactpower.equilibria.polynomial`) are the
solutions ``x`` of the indifference equations ``e(x) = 0`` that lie in the *region* ``R`` --
every unknown ``x_j >= 0`` and, for every mixing agent, the unknowns of its support summing
to at most 1 (its first support action keeps the rest) -- and meet the best-response
conditions ``d(x) <= 0`` (no action off a support does better).  Nash indifference
polynomials are *multilinear*: each unknown has degree at most 1 in every monomial (the
payoff of an agent is linear in every other agent's mixed action, and one agent's
unknowns never multiply).  A multilinear polynomial takes its extreme values over a box at
the box's vertices, so its range over a box is exactly ``[min, max]`` of its ``2**k`` vertex
values.

:func:`excluded` covers the unit box by boxes with dyadic corners (bisecting the widest
side): a box is discarded when it misses ``R`` (the lower corner of some agent already
sums past 1), when some equation has one strict sign at all its vertices, when some
best-response difference is positive at all of them, or when some combination ``g = C f``
of the equations does (``C`` the inverse of their Jacobian at the box's centre: any real
matrix keeps every common zero, ``g`` is multilinear too, and near a root ``g ≈ x - x*``
discards boxes the equations one by one cannot).  When every box is discarded, no
equilibrium has these supports -- a proof, not a heuristic, so the support is skipped
without solving its system (the Gröbner basis is the costly step).  Otherwise (a solution
in ``R``, one on its boundary or within about ``2**-MIN_WIDTH_BITS`` of it, or the budget
:data:`MAX_REGION_BOXES` spent) nothing is concluded and the system is solved as before.
:func:`support_system` builds the polynomials from the integer payoff arrays with numpy
(no sympy), so that a support proved empty costs no polynomial arithmetic.

Vertex values are computed in float64 with a rigorous bound on the rounding error: the
coefficients are scaled to integers below ``2**53`` (exact in binary64) and the corners are
dyadic rationals (exact).  They are computed unknown by unknown (``c_0 + c_1 x_i`` becomes
its values at the two ends of the side), ``2 k`` roundings per term over ``k`` unknowns,
and every term is at most ``|c|`` in size (``0 <= x <= 1``), so the computed value is within
``(2 k + 4) · 2**-52 · Σ|c|`` of the exact one (Higham, *Accuracy and Stability of Numerical
Algorithms*, §3.1); the combinations ``g`` get the same bound propagated through ``|C|``.  A
sign is trusted only beyond the bound.

>>> import sympy
>>> R, x, y = sympy.ring("x y", sympy.QQ)
>>> excluded([x * y - 2], [], [[0], [1]], 2)  # x y = 2 has no solution with x, y <= 1
True
>>> excluded([x * y - sympy.Rational(1, 4)], [], [[0], [1]], 2)  # x = y = 1/2 solves it
False
>>> excluded([x * y - sympy.Rational(1, 4)], [x - y - sympy.Rational(1, 2)], [[0], [1]], 2)
False
>>> excluded([x * y - sympy.Rational(1, 4)], [y - x], [[0], [1]], 2)  # needs y <= x
False
>>> excluded([x + y - sympy.Rational(3, 2)], [], [[0, 1]], 2)  # x + y <= 1 on one simplex
True
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import numpy as np
import sympy

from ..limits import MAX_REGION_BOXES, MAX_VERTEX_PARAMETERS
from .pure import select_block

__all__ = [
    "excluded",
    "support_system",
    "linear_solution",
    "MAX_REGION_BOXES",
    "QUICK_WIDTH_BITS",
]

#: Boxes narrower than ``2**-MIN_WIDTH_BITS`` are not split further (nothing is concluded).
MIN_WIDTH_BITS = 10
#: The first, quick attempt of a support with a nonlinear system stops at this width (every
#: proof of the contrib games that succeeds does so with boxes of width ``2**-4`` or wider;
#: a failed attempt is one with a solution, or near one, in the region, and the system is
#: then solved; a continuum found there gets the full attempt before it is reported).
QUICK_WIDTH_BITS = 4
#: Up to this many unknowns, boxes are split across every side at once (fewer rounds of
#: numpy calls, each on more boxes: on the contrib games 6 beat 3 -- 8x2x2 0.34 s -> 0.24 s
#: -- and 8 made 5x4x3 slower).
SPLIT_ALL = 6
#: Floats (box x polynomial x vertex) evaluated at once.
_CHUNK = 4_000_000


def _terms(element):
    """``{monomial bits: integer coefficient}`` of a multilinear ring element scaled to
    integers (bit ``i``: ``x_i`` divides it), or None (not multilinear, or a coefficient
    too large for float64)."""
    if not hasattr(element, "terms"):
        return {0: int(sympy.sign(sympy.QQ.convert(element)))}
    terms = element.terms()
    scale = 1
    for _m, c in terms:
        scale = sympy.ilcm(scale, int(sympy.QQ.denom(c)))
    out = {}
    for m, c in terms:
        if any(e > 1 for e in m):
            return None
        v = int(sympy.QQ.numer(c)) * (scale // int(sympy.QQ.denom(c)))
        if abs(v) >= 2**53:
            return None
        out[sum(1 << i for i, e in enumerate(m) if e)] = v
    return out


@dataclass(frozen=True)
class _Block:
    """Polynomials (``rows`` of the list) in the same unknowns ``used``: dense coefficients
    ``(r, 2**k)`` over those unknowns, and for every vertex of the full box the index of
    its vertex in theirs (``gather``)."""

    rows: np.ndarray
    used: list
    coeffs: np.ndarray
    gather: np.ndarray


def _blocks(polys: list, n: int) -> list:
    """The polynomials (``_terms``) grouped by the unknowns they use."""
    by_used: dict = {}
    for row, terms in enumerate(polys):
        mask = 0
        for bits in terms:
            mask |= bits
        by_used.setdefault(mask, []).append(row)
    out = []
    for mask, rows in by_used.items():
        used = [i for i in range(n) if mask >> i & 1]
        coeffs = np.zeros((len(rows), 2 ** len(used)))
        for r, row in enumerate(rows):
            for bits, c in polys[row].items():
                coeffs[r, sum(1 << j for j, i in enumerate(used) if bits >> i & 1)] = c
        gather = np.array(
            [sum(1 << j for j, i in enumerate(used) if v >> i & 1) for v in range(2**n)]
        )
        out.append(_Block(np.array(rows), used, coeffs, gather))
    return out


def _vertex_values(lo, hi, coeffs):
    """``(values, errors)``: every polynomial (rows of ``coeffs``) at every vertex (bit ``i``
    of the index: ``x_i`` at the box's upper side) of every box, ``(B, P, V)``; the exact
    values are within ``errors`` ``(P,)`` of them.

    Variable by variable, ``c_0 + c_1 x_i`` becomes the two values at ``lo_i`` and ``hi_i``:
    ``2 n`` roundings per term, and every term is at most ``|c|`` (``0 <= x <= 1``)."""
    n, p = lo.shape[1], coeffs.shape[0]
    values = np.broadcast_to(coeffs, (len(lo),) + coeffs.shape)
    for i in range(n):
        shape = (len(lo), p, 2 ** (n - 1 - i), 2, 2**i)
        v = values.reshape(shape)
        out = np.empty(shape)
        np.multiply(v[:, :, :, 1], lo[:, i, None, None, None], out=out[:, :, :, 0])
        np.multiply(v[:, :, :, 1], hi[:, i, None, None, None], out=out[:, :, :, 1])
        out += v[:, :, :, :1]
        values = out.reshape(len(lo), p, 2**n)
    errors = (2 * n + 4) * 2.0**-52 * np.abs(coeffs).sum(axis=1) + 1e-300
    return values, errors


def _survivors(lo, hi, signs, blocks: list, n_eqs: int, groups) -> np.ndarray:
    """The boxes not yet discarded (a boolean mask); the blocks' rows: the equations, then
    the inequalities."""
    keep = np.ones(len(lo), dtype=bool)
    for group in groups:
        keep &= lo[:, group].sum(axis=1) <= 1  # dyadic corners: the sum is exact
    n_rows = sum(len(b.rows) for b in blocks)
    low, high = np.empty((len(lo), n_rows)), np.empty((len(lo), n_rows))
    errors = np.empty(n_rows)
    found = []
    for block in blocks:
        values, error = _vertex_values(lo[:, block.used], hi[:, block.used], block.coeffs)
        low[:, block.rows] = values.min(axis=2) - error
        high[:, block.rows] = values.max(axis=2) + error
        errors[block.rows] = error
        found.append(values)
    keep &= (low[:, n_eqs:] <= 0).all(axis=1)
    keep &= ((low[:, :n_eqs] <= 0) & (high[:, :n_eqs] >= 0)).all(axis=1)
    if n_eqs == lo.shape[1] and keep.any():
        full = np.empty((int(keep.sum()), n_eqs, signs.shape[0]))
        for block, values in zip(blocks, found):
            eq = block.rows < n_eqs
            if eq.any():
                full[:, block.rows[eq]] = values[keep][:, eq][:, :, block.gather]
        jac = full @ signs / (signs.shape[0] / 2) / (hi[keep] - lo[keep])[:, None, :]
        keep[np.flatnonzero(keep)] = ~_preconditioned(jac, full, errors[:n_eqs, None])
    return keep


def _preconditioned(jac, values, errors) -> np.ndarray:
    """Boxes where some combination ``g = C f`` of the equations, ``C`` the inverse of their
    Jacobian ``jac`` at the box's centre (any real ``C`` will do: a common zero of ``f`` is
    a zero of ``g``), has one strict sign at every vertex.  ``g`` is multilinear too, so
    that proves that the box holds no common zero; near a root ``g ≈ x - x*`` discards far
    more boxes than the equations one by one.  ``values``: ``(B, m, V)``, exact within
    ``errors`` ``(m, 1)``.

    Of a multilinear ``f`` the derivative at the centre is the mean difference across a
    side, which is how ``jac`` is computed from the vertex values."""
    ok = np.isfinite(jac).all(axis=(1, 2)) & (np.abs(np.linalg.det(jac)) > 1e-300)
    out = np.zeros(len(jac), dtype=bool)
    if not ok.any():
        return out
    inverse = np.zeros_like(jac)
    inverse[ok] = np.linalg.inv(jac[ok])
    inverse[~np.isfinite(inverse)] = 0
    g = inverse @ values
    slack = errors + (values.shape[1] + 4) * 2.0**-52 * np.abs(values)
    bound = (np.abs(inverse) @ slack) * (1 + 2.0**-40) + 1e-300
    low, high = (g - bound).min(axis=2), (g + bound).max(axis=2)
    return ok & ((low > 0) | (high < 0)).any(axis=1)


def support_system(search, supports: dict):
    """The indifference equations and best-response differences of a support profile as
    ``_terms`` dictionaries, computed from the integer payoff arrays without building
    polynomials, with the groups and the number of unknowns: ``(equations, inequalities,
    groups, n)``, or None when a value could exceed ``2**53``.

    ``search`` is a :class:`~exactpower.equilibria.pure.PureSearch`; the unknowns are the
    probabilities of every support action but the first of every agent with two or more
    (scaled by positive constants, which keeps every sign).
    """
    unknown: dict = {}
    for agent in search.agents:
        for a in supports[agent][1:]:
            unknown[(agent, a)] = len(unknown)
    groups = [
        [unknown[(agent, a)] for a in supports[agent][1:]]
        for agent in search.agents
        if len(supports[agent]) > 1
    ]
    equations: list = []
    inequalities: list = []
    for agent in search.agents:
        values = _payoffs(search, supports, agent, unknown)
        if values is None:
            return None
        s = supports[agent]
        for b in range(len(values)):
            if b == s[0]:
                continue
            diff = values[b] - values[s[0]]
            terms = {int(k): int(diff[k]) for k in np.flatnonzero(diff)}
            (equations if b in s else inequalities).append(terms or {0: 0})
    return equations, inequalities, groups, len(unknown)


def _payoffs(search, supports: dict, agent, unknown: dict):
    """``F(agent, b)`` for every action ``b``, as dense integer vectors over the monomials
    of the unknowns (``(A, 2**n)``), or None if a value could reach ``2**53``."""
    i, _k = agent
    out = np.zeros((search.ashape[i], 2 ** len(unknown)), dtype=np.int64)
    terms = search.terms[agent]  # arrays with the agent's own action axis first
    actions = list(range(search.ashape[i]))
    for t, w in terms:
        index = [supports.get((j, t[j]), [0]) for j in range(search.n) if j != i]
        block = select_block(w, [actions] + index)
        if (
            block.dtype == object
            or 2 * len(terms) * block.size * int(np.abs(block).max(initial=0)) >= 2**53
        ):
            return None
        bits = np.zeros(1, dtype=np.int64)
        axis = 0
        for j in range(search.n):
            if j == i:
                continue
            axis += 1
            s, other = index[axis - 1], (j, t[j])
            if len(s) > 1:
                # sigma(s_0) = 1 - (sum of the unknowns), sigma(b) = x_b: the slot of x_b
                # gets F(b) - F(s_0), the constant slot F(s_0).
                lead = (slice(None),) * axis
                block[lead + (slice(1, None),)] -= block[lead + (slice(0, 1),)]
            value = np.array([0] + [1 << unknown[(other, a)] for a in s[1:]], dtype=np.int64)
            bits = (bits[:, None] + value[None, :]).reshape(-1)
        # Distinct slots give distinct monomials (every unknown is one bit), so ``bits`` has
        # no repeated index and a plain indexed addition is exact.
        out[:, bits] += block.reshape(block.shape[0], -1)
    return out


def linear_solution(system):
    """The indifference system of a support profile whose equations are linear, solved by
    flint's exact ``rref`` on its integer system ``system`` (from :func:`support_system`,
    no ring elements):
    the values of the unknowns (``fmpq``, in the order of :func:`support_system`), None when it is
    inconsistent, or ``"other"`` (no equation, a nonlinear one, values too large for that
    system, or a continuum: the caller solves it otherwise)."""
    if system is None or not system[0]:
        return "other"
    n = system[3]
    rows = []
    for terms in system[0]:
        row = [0] * (n + 1)
        for bits, c in terms.items():
            if bits == 0:
                row[n] = -c
            elif bits & (bits - 1):
                return "other"
            else:
                row[bits.bit_length() - 1] = c
        rows.append(row)
    reduced, rank = flint.fmpq_mat(rows).rref()
    if any(all(reduced[r, j] == 0 for j in range(n)) for r in range(rank)):
        return None  # a row 0 = 1
    if rank < n:
        return "other"
    return [reduced[j, n] for j in range(n)]


def excluded(
    equations: list, inequalities: list, groups: list, n: int, width_bits: int = MIN_WIDTH_BITS
) -> bool:
    """Whether it is proved that no ``x`` in the region has every equation ``= 0`` and every
    inequality ``<= 0``.

    ``equations`` and ``inequalities`` are multilinear ring elements in ``n`` unknowns (or
    rational constants); ``groups`` lists the unknowns of each mixing agent (each group sums
    to at most 1; every unknown is at least 0).  False means "not proved" (a solution may
    exist, or the search gave up), never "a solution exists".  The search gives up, at the
    latest, when every box is narrower than ``2**-width_bits``.
    """
    if n == 0 or n > MAX_VERTEX_PARAMETERS:
        return False
    polys = [e if type(e) is dict else _terms(e) for e in list(equations) + list(inequalities)]
    if any(t is None for t in polys):
        return False
    blocks = _blocks(polys, n)
    signs = np.array([[2 * ((v >> i) & 1) - 1 for i in range(n)] for v in range(2**n)], float)
    lo, hi = np.zeros((1, n)), np.ones((1, n))
    seen, step = 0, max(1, _CHUNK // (len(polys) * 2**n))
    while len(lo):
        seen += len(lo)
        if seen > MAX_REGION_BOXES or (hi - lo).max() < 2.0**-width_bits:
            return False
        keep = np.concatenate(
            [
                _survivors(
                    lo[s : s + step], hi[s : s + step], signs, blocks, len(equations), groups
                )
                for s in range(0, len(lo), step)
            ]
        )
        lo, hi = _bisect(lo[keep], hi[keep])
    return True


def _bisect(lo, hi) -> tuple:
    """Every box split in two across its widest side; with at most :data:`SPLIT_ALL`
    unknowns, in ``2**n`` across every side (fewer rounds, each of more boxes)."""
    if lo.shape[1] <= SPLIT_ALL:
        for side in range(lo.shape[1]):
            lo, hi = _halve(lo, hi, np.full(len(lo), side))
        return lo, hi
    return _halve(lo, hi, np.argmax(hi - lo, axis=1))


def _halve(lo, hi, side) -> tuple:
    """Every box split in two across ``side``."""
    rows = np.arange(len(lo))
    mid = (lo[rows, side] + hi[rows, side]) / 2
    upper_lo, lower_hi = lo.copy(), hi.copy()
    upper_lo[rows, side] = mid
    lower_hi[rows, side] = mid
    return np.concatenate([lo, upper_lo]), np.concatenate([lower_hi, hi])
