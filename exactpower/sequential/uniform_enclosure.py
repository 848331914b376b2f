"""A certified enclosure of ``E[max_k a_k · R]``, ``R`` uniform on ``[0, 1]^n``.

Adaptive subdivision of the cube into boxes.  On a box ``B`` with centre ``c`` and
half-widths ``h``, write ``F(R) = max_k a_k · R`` and keep only the forms that can be the
maximum somewhere on ``B`` (``A``: those whose maximum over ``B`` reaches the largest minimum
over ``B`` of any form).  Then, with ``d = R − c`` and ``k0`` a maximiser at ``c``:

- ``max_{k∈A} L_k ≥ max(L_{k0}, L_j)`` for each ``j``, and
  ``max_{k∈A} L_k ≤ L_{k0} + Σ_{j∈A, j≠k0} (L_j − L_{k0})_+``, so with
  ``p_j = E_B[(L_j − L_{k0})_+]``: ``L_{k0}(c) + max_j p_j ≤ E_B[F] ≤ L_{k0}(c) + Σ_j p_j``;
- each ``p_j`` is the integral of the positive part of an affine function over a box,
  exact by the box-spline formula (:func:`_positive_part`).

The bounds coincide when ``|A| ≤ 2``; only boxes near the points where three forms tie keep
a gap.  The box with the largest (gap × volume) is split in half along the coordinate with
the largest ``max_{k∈A} |a_ki − a_{k0,i}| h_i`` until the
total gap is at most the requested width or the box budget is spent.  Every number is an exact
``fmpq``, so ``[lo, hi]`` is a proof, not an estimate.

>>> lo, hi = expected_max_bounds([(1, 0), (0, 1)], "1/100")
>>> lo <= flint.fmpq(2, 3) <= hi and hi - lo <= flint.fmpq(1, 100)
True
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

import flint

from ..errors import LimitError
from ..exact import as_exact, to_fmpq
from ..limits import MAX_ENCLOSURE_BOXES

__all__ = ["expected_max_bounds", "MAX_ENCLOSURE_BOXES"]

Q = flint.fmpq

#: nonzero coordinates up to which a positive part is integrated exactly (2^m terms).
EXACT_PART_DIMENSION = 10


def expected_max_bounds(
    forms: Sequence[Sequence[object]], width: object, max_boxes: int = MAX_ENCLOSURE_BOXES
) -> tuple[flint.fmpq, flint.fmpq]:
    """Exact ``(lo, hi)`` with ``lo ≤ E[max_k a_k · R] ≤ hi`` and ``hi − lo ≤ width``.

    Raises
    ------
    LimitError
        When ``max_boxes`` boxes do not reach the width (the message gives the width
        reached).
    """
    w = _q(width)
    if w <= 0:
        raise ValueError(f"enclosure width: {width} is not positive")
    a = [tuple(_q(x) for x in f) for f in forms]
    if not a:
        raise ValueError("expected_max_bounds: no forms")
    n = len(a[0])
    half = Q(1, 2)
    heap: list = []
    lo_total, hi_total = Q(0), Q(0)
    box = ((half,) * n, (half,) * n)
    count = 0
    todo = [box]
    while True:
        for b in todo:
            lo, hi, split = _bounds(a, b)
            vol = _volume(b[1])
            lo_total += vol * lo
            hi_total += vol * hi
            gap = vol * (hi - lo)
            if gap > 0:
                count += 1
                heapq.heappush(heap, (-gap, count, b, vol * lo, vol * hi, split))
        if hi_total - lo_total <= w:
            return lo_total, hi_total
        if count > max_boxes or not heap:
            raise LimitError(
                f"enclosure: {max_boxes} boxes reached width {float(hi_total - lo_total):.3g}"
                f" > {float(w):.3g} (MAX_ENCLOSURE_BOXES)"
            )
        _, _, b, blo, bhi, split = heapq.heappop(heap)
        lo_total -= blo
        hi_total -= bhi
        todo = _halves(b, split)


def _q(x: object) -> flint.fmpq:
    return x if isinstance(x, flint.fmpq) else to_fmpq(as_exact(x, where="form coefficient"))


def _volume(halves: tuple) -> flint.fmpq:
    v = Q(1)
    for h in halves:
        v *= 2 * h
    return v


def _halves(box: tuple, i: int) -> list:
    centre, halves = box
    h = halves[i] / 2
    out = []
    for sign in (-1, 1):
        c = list(centre)
        c[i] = centre[i] + sign * h
        hs = list(halves)
        hs[i] = h
        out.append((tuple(c), tuple(hs)))
    return out


def _bounds(a: list, box: tuple) -> tuple:
    """``(lower, upper, split coordinate)`` of ``E_B[max_k a_k·R]`` on one box."""
    centre, halves = box
    at_c = [sum((x * y for x, y in zip(f, centre)), Q(0)) for f in a]
    spread = [sum((abs(x) * h for x, h in zip(f, halves)), Q(0)) for f in a]
    floor = max(v - s for v, s in zip(at_c, spread))
    active = [k for k in range(len(a)) if at_c[k] + spread[k] >= floor]
    best = max(active, key=lambda k: at_c[k])
    value = at_c[best]
    if len(active) == 1:
        return value, value, 0
    parts = []
    for k in active:
        if k != best:
            d = [x - y for x, y in zip(a[k], a[best])]
            parts.append(_positive_part(at_c[k] - value, d, halves))
    lower = value + max(lo for lo, _ in parts)
    upper = value + sum((hi for _, hi in parts), Q(0))
    terms = [max(abs(a[k][i] - a[best][i]) for k in active) * h for i, h in enumerate(halves)]
    split = max(range(len(terms)), key=lambda i: terms[i])
    return lower, upper, split


def _positive_part(e: flint.fmpq, d: list, halves: tuple) -> tuple:
    """Bounds ``(lo, hi)`` on ``E_B[(e + d·(R − c))_+]`` (``c`` the centre of ``B``): exact
    (``lo = hi``) by the box-spline formula when at most ``EXACT_PART_DIMENSION``
    coordinates of ``d`` are nonzero, else Jensen below and ``+ Σ|d_i| h_i / 2`` above.

    With ``y_i = R_i − c_i + h_i ∈ [0, w_i]`` (``w = 2h``) and ``t = e − d·h``,
    ``∫ (t + d·y)_+ dy`` integrates one coordinate at a time by
    ``∫_0^w (t + d y)_+^k dy = ((t + d w)_+^{k+1} − t_+^{k+1}) / ((k + 1) d)``, so
    ``∫_B (·)_+ = Σ_{S ⊆ I} (−1)^{|I∖S|} (t + Σ_{i∈S} d_i w_i)_+^{m+1} / ((m+1)! Π_I d_i)``
    over the ``m`` coordinates ``I`` with ``d_i ≠ 0``.
    """
    jensen = max(e, Q(0))
    nz = [i for i, x in enumerate(d) if x != 0]
    if len(nz) > EXACT_PART_DIMENSION:
        return jensen, jensen + sum((abs(d[i]) * halves[i] for i in nz), Q(0)) / 2
    m = len(nz)
    if m == 0:
        return jensen, jensen
    t = e - sum((d[i] * halves[i] for i in nz), Q(0))
    steps = [d[i] * 2 * halves[i] for i in nz]
    total = Q(0)
    for mask in range(1 << m):
        x = t + sum((steps[j] for j in range(m) if mask >> j & 1), Q(0))
        if x > 0:
            sign = -1 if (m - bin(mask).count("1")) % 2 else 1
            total += sign * x ** (m + 1)
    denom = Q(1)
    for j, step in enumerate(steps):
        denom *= (j + 1) * step
    value = total / (denom * (m + 1))
    return value, value
