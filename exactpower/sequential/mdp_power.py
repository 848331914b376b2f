"""Turner's POWER in an MDP (SPEC §8), exactly, for a rational or a symbolic discount.

``POWER_D(s, γ) = (1 − γ)/γ · E_{R~D}[V*_R(s, γ) − R(s)]``.

- D a :class:`~exactpower.sequential.mdp.FiniteRewards`, γ rational: the optimal values
  of every reward function, exactly
  (:func:`~exactpower.sequential.mdp_batch.batch_optimal_values`), averaged; a
  ``Rational`` per state.
- D finite, γ symbolic (a parameter name, a ``Parameter`` or a sympy symbol): POWER is a
  piecewise rational function of γ on (0, 1).  For each reward function, the γ-axis is
  cut where the optimal policy changes: a policy π optimal at a rational point stays
  optimal exactly where every Bellman advantage ``R(s) + γ Σ T V_π − V_π(s)`` (a rational
  function of γ) is ≤ 0, i.e. between consecutive real roots of the advantages'
  numerators (isolated exactly by sympy); uncovered parts of (0, 1) are filled the same
  way.  :func:`power_pieces` returns the pieces, :func:`mdp_power` a sympy ``Piecewise``
  per state, :func:`power_limits` the limits γ → 0 and γ → 1.
- D an :class:`~exactpower.sequential.mdp.IidUniform`: handed to
  :mod:`exactpower.sequential.uniform_power`.

>>> from exactpower.sequential.mdp import MDP, FiniteRewards
>>> m = MDP.graph({"s": ["a", "b"], "a": ["a"], "b": ["b"]})
>>> D = FiniteRewards((("1/2", {"s": 0, "a": 1, "b": 0}), ("1/2", {"s": 0, "a": 0, "b": 1})))
>>> mdp_power(m, D, "1/2")
{'s': 1, 'a': 1/2, 'b': 1/2}
>>> mdp_power(m, D, "g")["s"]
1
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import sympy

from ..errors import MDPError
from ..exact import same, to_fmpq, to_rational
from .mdp import MDP, FiniteRewards, IidUniform, as_gamma
from .mdp_batch import mean_advantages
from .mdp_values import FlintMDP, symbolic_policy_values

__all__ = ["PowerPiece", "mdp_power", "power_pieces", "power_limits", "value_pieces"]

_ZERO, _ONE = sympy.Integer(0), sympy.Integer(1)


@dataclass(frozen=True)
class PowerPiece:
    """POWER on ``lower ≤ γ ≤ upper``: one rational function of γ per state.

    ``lower``/``upper`` are exact real numbers (``Rational`` or ``CRootOf``) in [0, 1].
    """

    lower: sympy.Expr
    upper: sympy.Expr
    values: tuple[sympy.Expr, ...]


def mdp_power(mdp: MDP, D: object, gamma: object) -> dict[str, sympy.Expr]:
    """POWER per state: ``Rational`` for a rational γ, a ``Piecewise`` in γ otherwise."""
    g = as_gamma(gamma)
    if isinstance(D, IidUniform):
        from . import uniform_power  # the iid-uniform integrals live there

        return uniform_power.uniform_power(mdp, g)
    if not isinstance(D, FiniteRewards):
        raise MDPError(f"rewards: {type(D).__name__} is not FiniteRewards or IidUniform")
    if isinstance(g, sympy.Rational):
        return dict(zip(mdp.states, _rational_power(mdp, D, g)))
    pieces = power_pieces(mdp, D, g)
    return {name: _piecewise(pieces, s, g) for s, name in enumerate(mdp.states)}


def _rational_power(mdp: MDP, D: FiniteRewards, g: sympy.Rational) -> list:
    totals = mean_advantages(mdp, D, g)
    factor = to_fmpq((1 - g) / g)
    return [to_rational(factor * t) for t in totals]


def _piecewise(pieces: Sequence[PowerPiece], s: int, g: sympy.Symbol) -> sympy.Expr:
    if len(pieces) == 1:
        return pieces[0].values[s]
    args = [(piece.values[s], g <= piece.upper) for piece in pieces[:-1]]
    return sympy.Piecewise(*args, (pieces[-1].values[s], True))


# -- symbolic γ ------------------------------------------------------------------------------


def _symbol(gamma: object) -> sympy.Symbol:
    g = as_gamma(gamma)
    if isinstance(g, sympy.Rational):
        raise MDPError(f"gamma: {g} is a number; a symbol (a parameter name) is needed here")
    return g


def _between(a: sympy.Expr, b: sympy.Expr) -> sympy.Rational:
    """A rational number strictly between the exact reals ``a < b``."""
    if isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational):
        return (a + b) / 2
    digits = 20
    while True:
        x = sympy.Rational(((a + b) / 2).evalf(digits))
        if bool(a < x) and bool(x < b):
            return x
        digits *= 2


def _roots(polys: Sequence[sympy.Poly]) -> list:
    """The distinct real roots in (0, 1) of the polynomials, sorted (exact numbers)."""
    found: set = set()
    for poly in polys:
        if poly.is_zero or poly.degree() < 1:
            continue
        for root in poly.real_roots(multiple=True):
            if bool(root > 0) and bool(root < 1):
                found.add(root)
    return sorted(found, key=lambda r: _SortKey(r))


class _SortKey:
    """Orders exact real numbers by sympy's exact comparison."""

    def __init__(self, value: sympy.Expr) -> None:
        self.value = value

    def __lt__(self, other: _SortKey) -> bool:
        return bool(self.value < other.value)


def _advantages(
    mdp: MDP, rewards: Sequence, g: sympy.Symbol, pol: Sequence[int]
) -> tuple[list, list, sympy.Poly]:
    """Numerators of the advantages of every action (over the common denominator)."""
    nums, den = symbolic_policy_values(mdp, rewards, g, pol)
    gpoly = sympy.Poly(g, g, domain="QQ")
    out = []
    for s, acts in enumerate(mdp.transitions):
        for row in acts:
            total = sympy.Poly(0, g, domain="QQ")
            for t, p in row:
                total += nums[t] * sympy.Rational(p)
            out.append(den * rewards[s] + gpoly * total - nums[s])
    return out, list(nums), den


def _optimal_run(polys: list, den: sympy.Poly, c: sympy.Rational, lo, hi) -> tuple:
    """The interval around ``c`` (clamped to [lo, hi]) where every advantage is ≤ 0."""
    cuts = [_ZERO, *_roots(polys + [den]), _ONE]
    sign = 1 if den.eval(c) > 0 else -1

    def ok(i: int) -> bool:  # cell (cuts[i], cuts[i+1])
        x = _between(cuts[i], cuts[i + 1])
        return all(sign * p.eval(x) <= 0 for p in polys)

    cells = len(cuts) - 1
    inside = [i for i in range(cells) if bool(cuts[i] <= c) and bool(c <= cuts[i + 1])]
    good = [i for i in inside if ok(i)]
    if not good:
        return c, c
    left, right = min(good), max(good)
    while left > 0 and bool(cuts[left] > lo) and ok(left - 1):
        left -= 1
    while right < cells - 1 and bool(cuts[right + 1] < hi) and ok(right + 1):
        right += 1
    low, high = cuts[left], cuts[right + 1]
    return (low if bool(low > lo) else lo), (high if bool(high < hi) else hi)


def value_pieces(mdp: MDP, rewards: Sequence, gamma: object) -> list[tuple]:
    """Optimal values of one reward function as a function of a symbolic γ.

    Returns ``[(lower, upper, policy, values), ...]`` covering [0, 1]: on
    ``lower ≤ γ ≤ upper`` the policy (action indices) is optimal and ``values[s]`` is
    ``V*(s)`` as a rational function of γ.
    """
    g = _symbol(gamma)
    rows = [sympy.Rational(x) for x in rewards]
    flat = FlintMDP(mdp)
    r = [to_fmpq(x) for x in rows]
    gaps, pieces = [(_ZERO, _ONE)], []
    while gaps:
        lo, hi = gaps.pop()
        c = _between(lo, hi)
        _, pol = flat.solve(r, to_fmpq(c))
        polys, nums, den = _advantages(mdp, rows, g, pol)
        low, high = _optimal_run(polys, den, c, lo, hi)
        d = den.as_expr()
        values = tuple(sympy.cancel(n.as_expr() / d) for n in nums)
        if low != high:
            pieces.append((low, high, tuple(pol), values))
        if bool(low > lo):
            gaps.append((lo, low))
        if bool(high < hi):
            gaps.append((high, hi))
    pieces.sort(key=lambda piece: _SortKey(piece[0]))
    return pieces


def power_pieces(mdp: MDP, D: FiniteRewards, gamma: object) -> tuple[PowerPiece, ...]:
    """POWER per state for a symbolic γ, as pieces covering [0, 1] (sorted, adjacent
    pieces with the same functions merged)."""
    g = _symbol(gamma)
    table = D.table(mdp)
    per_reward = [value_pieces(mdp, row, g) for row in table]
    cuts = [_ZERO, *_merge_cuts(per_reward), _ONE]
    factor = (1 - g) / g
    out: list[PowerPiece] = []
    for i in range(len(cuts) - 1):
        x = _between(cuts[i], cuts[i + 1])
        totals = [_ZERO] * mdp.n_states
        for p, row, pieces in zip(D.probabilities, table, per_reward):
            values = next(v for lo, hi, _, v in pieces if bool(lo <= x) and bool(x <= hi))
            for s in range(mdp.n_states):
                totals[s] += p * (values[s] - row[s])
        exprs = tuple(sympy.factor(sympy.cancel(factor * t)) for t in totals)
        if out and all(same(a, b) for a, b in zip(out[-1].values, exprs)):
            out[-1] = PowerPiece(out[-1].lower, cuts[i + 1], out[-1].values)
        else:
            out.append(PowerPiece(cuts[i], cuts[i + 1], exprs))
    return tuple(out)


def _merge_cuts(per_reward: list) -> list:
    found = {edge for pieces in per_reward for lo, hi, _, _ in pieces for edge in (lo, hi)}
    found -= {_ZERO, _ONE}
    return sorted(found, key=_SortKey)


def power_limits(
    mdp: MDP, D: FiniteRewards, gamma: object = "gamma"
) -> dict[str, tuple[sympy.Expr, sympy.Expr]]:
    """``{state: (lim_{γ→0+} POWER, lim_{γ→1−} POWER)}``, exactly.

    >>> from exactpower.sequential.mdp import MDP, FiniteRewards
    >>> m = MDP.graph({"s": ["a", "s"], "a": ["a"]})
    >>> power_limits(m, FiniteRewards(((1, {"s": 0, "a": 1}),)))
    {'s': (1, 1), 'a': (1, 1)}
    """
    g = _symbol(gamma)
    pieces = power_pieces(mdp, D, g)
    first, last = pieces[0].values, pieces[-1].values
    return {
        name: (sympy.limit(first[s], g, 0, "+"), sympy.limit(last[s], g, 1, "-"))
        for s, name in enumerate(mdp.states)
    }
