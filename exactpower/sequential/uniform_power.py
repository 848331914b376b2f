"""Turner's POWER under iid uniform [0, 1] rewards, exactly (or a certified enclosure).

**The reduction.**  ``V*_R(s) = max_f f · R`` over the visit distributions ``f`` of the
deterministic stationary policies from ``s`` (:func:`~.mdp_visits.visit_distributions`
gives the non-dominated ones), and every ``f`` has ``f(s) ≥ 1``, so with ``g = f − e_s ≥ 0``::

    POWER(s) = (1 − γ)/γ · E[V*_R(s) − R(s)] = (1 − γ)/γ · E[max_k g_k · R],

``R`` uniform on the cube ``[0, 1]^n``: the expectation of a maximum of finitely many
linear forms.

**Pruning (Ville's theorem).**  A form ``g_a`` is never the strict maximum on the cube iff
no ``R ≥ 0`` has ``(g_a − g_j) · R > 0`` for every ``j`` (the forms are homogeneous, so the
cube may be replaced by the orthant), iff (Ville) ``g_a ≤ Σ_j λ_j g_j`` componentwise for
some convex weights ``λ``: an exact LP certificate, after which ``g_a`` is dropped.  In a
deterministic MDP where every state can stay, this removes every policy that ends in a
cycle of length ≥ 2: if the cycle's best state is ``c_j``, the policy that follows the
same path to ``c_j`` and stays there collects the same rewards up to ``c_j`` and then
``r(c_j)/(1 − γ) ≥ Σ_i γ^i r(c_{j+i})`` (every reward on the cycle is at most ``r(c_j)``),
so it is at least as good for every ``R ≥ 0``; optimal trajectories are a simple path
``s = s_0, …, s_k`` and then staying at ``s_k``.  Coordinates on which all forms agree
(``c``) are taken out as ``c/2``.

**Exact integration.**  ``E[max_k g_k·R] = Σ_k ∫_{C_k} g_k · R dR`` over the cells
``C_k = {R ∈ [0,1]^n : g_j·R ≤ g_k·R ∀j}``, each an exact polytope integral
(:mod:`.polytope_integral`).  The volumes of the cells are integrated alongside and must
add up to exactly 1 (a certificate that no piece was lost; if not, the pieces are
recomputed with exact LPs).  Equivalent states under an automorphism of the MDP (checked
exactly on the transitions; the dihedral symmetries of a gridworld) are computed once.

>>> from exactpower.sequential.mdp import MDP
>>> m = MDP.graph({"s": ["a", "b", "c"], "a": ["a"], "b": ["b"], "c": ["c"]})
>>> uniform_power(m, "1/2")["s"], uniform_power(m, "1/2")["a"]
(3/4, 1/2)
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass

import flint
import sympy

from ..errors import MDPError
from ..exact import as_exact, to_fmpq, to_rational
from ..linalg.simplex import LPError, simplex_min
from .mdp import MDP, as_gamma
from .mdp_visits import visit_distributions
from .polytope_integral import IntegrationTimeout, integrate
from .uniform_enclosure import expected_max_bounds

__all__ = [
    "UniformPower",
    "uniform_power",
    "uniform_power_result",
    "expected_max",
    "reward_forms",
    "reduce_forms",
    "state_orbits",
]

Q = flint.fmpq


@dataclass(frozen=True)
class UniformPower:
    """POWER per state under iid uniform [0, 1] rewards.

    ``method`` is ``"exact"`` (``values[i]`` a ``Rational``) or ``"enclosure"``
    (``values[i]`` a pair ``(lo, hi)`` of ``Rational``, ``lo = hi`` for the states solved
    exactly).
    """

    states: tuple[str, ...]
    gamma: sympy.Rational
    method: str
    values: tuple

    def as_dict(self) -> dict[str, object]:
        """``{state: value}`` (a ``Rational`` or a ``(lo, hi)`` pair)."""
        return dict(zip(self.states, self.values))

    @property
    def width(self) -> sympy.Rational:
        """The largest ``hi − lo`` (0 when exact)."""
        if self.method == "exact":
            return sympy.Rational(0)
        return max((hi - lo for lo, hi in self.values), default=sympy.Rational(0))


def _q(x: object) -> flint.fmpq:
    """An exact value as ``fmpq`` (``fmpq`` kept; floats refused)."""
    return x if isinstance(x, flint.fmpq) else to_fmpq(as_exact(x, where="form coefficient"))


def _gamma(gamma: object) -> sympy.Rational:
    g = as_gamma(gamma)
    if not isinstance(g, sympy.Rational):
        raise MDPError(f"gamma: {g} is symbolic; iid-uniform POWER needs a number")
    return g


def uniform_power(mdp: MDP, gamma: object) -> dict[str, sympy.Rational]:
    """The exact POWER of every state under iid uniform [0, 1] rewards (no time limit).

    >>> from exactpower.sequential.mdp import MDP
    >>> uniform_power(MDP.gridworld(1, 2), "3/5")
    {'0,0': 2/3, '0,1': 2/3}
    """
    result = uniform_power_result(mdp, gamma, time_limit=None)
    return dict(zip(result.states, result.values))


def uniform_power_result(
    mdp: MDP, gamma: object, *, time_limit: float | None = 300.0, width: object = "1/10000"
) -> UniformPower:
    """POWER per state: exact where the integration finishes within ``time_limit`` seconds
    per state (``None``: no limit), else a certified enclosure of width ≤ ``width``."""
    g = _gamma(gamma)
    w = as_exact(width, where="enclosure width")
    scale = (1 - g) / g
    orbit = state_orbits(mdp)
    exact: dict[int, sympy.Rational] = {}
    bounds: dict[int, tuple] = {}
    for s in range(mdp.n_states):
        rep = orbit[s]
        if rep != s:
            continue
        offset, forms = reduce_forms(reward_forms(mdp, s, g))
        deadline = None if time_limit is None else time.monotonic() + time_limit
        try:
            exact[s] = scale * (to_rational(offset) + expected_max(forms, deadline))
        except IntegrationTimeout:
            lo, hi = expected_max_bounds(forms, to_fmpq(w / scale))
            bounds[s] = (scale * to_rational(offset + lo), scale * to_rational(offset + hi))
    if not bounds:
        values: tuple = tuple(exact[orbit[s]] for s in range(mdp.n_states))
        return UniformPower(mdp.states, g, "exact", values)
    pairs = tuple(
        bounds[orbit[s]] if orbit[s] in bounds else (exact[orbit[s]],) * 2
        for s in range(mdp.n_states)
    )
    return UniformPower(mdp.states, g, "enclosure", pairs)


def reward_forms(mdp: MDP, state: int, gamma: sympy.Rational) -> list[tuple]:
    """The forms ``g_k = f_k − e_s`` (``fmpq``) of the non-dominated visit distributions."""
    out = []
    for f in visit_distributions(mdp, state, gamma):
        v = [to_fmpq(x) for x in f]
        v[state] -= 1
        out.append(tuple(v))
    return out


def reduce_forms(forms: Sequence[Sequence[object]]) -> tuple[flint.fmpq, list[tuple]]:
    """``(offset, forms')`` with ``E[max g·R] = offset + E[max g'·R']``: coordinates on
    which all forms agree are taken out (``c/2`` each), forms deduplicated, and those never
    strictly maximal on the cube dropped by an exact Ville certificate.

    >>> reduce_forms([(1, 2, 0), (1, 0, 2), (1, 1, 1), (1, 0, 0)])
    (1/2, [(2, 0), (0, 2)])
    """
    rows = [tuple(_q(x) for x in f) for f in forms]
    if not rows:
        raise ValueError("reduce_forms: no forms")
    n = len(rows[0])
    keep = [i for i in range(n) if len({r[i] for r in rows}) > 1]
    offset = sum((rows[0][i] for i in range(n) if i not in keep), Q(0)) / 2
    unique = list(dict.fromkeys(tuple(r[i] for i in keep) for r in rows))
    k = 0
    while k < len(unique):
        others = unique[:k] + unique[k + 1 :]
        if others and _dominated(unique[k], others):
            unique = others
        else:
            k += 1
    return offset, unique


def _dominated(a: tuple, others: list) -> bool:
    """Whether ``a ≤ Σ λ_j others_j`` componentwise for convex weights ``λ`` (exact LP)."""
    if any(all(x <= y for x, y in zip(a, b)) for b in others):
        return True
    m = len(others)
    a_ub = [[-b[i] for b in others] for i in range(len(a))]
    b_ub = [-x for x in a]
    try:
        simplex_min([Q(0)] * m, a_ub, b_ub, [[Q(1)] * m], [Q(1)], [])
    except LPError:
        return False
    return True


def expected_max(
    forms: Sequence[Sequence[object]], deadline: float | None = None
) -> sympy.Rational:
    """``E[max_k a_k · R]`` exactly, ``R`` uniform on ``[0, 1]^n`` (``deadline``: a
    ``time.monotonic()`` instant, past which :class:`IntegrationTimeout` is raised).

    >>> expected_max([(1, 0, 0), (0, 1, 0), (0, 0, 1)])
    3/4
    >>> expected_max([(2, 1), (1, 2)])
    5/3
    """
    rows = [tuple(_q(x) for x in f) for f in forms]
    rows = list(dict.fromkeys(rows))
    n = len(rows[0])
    if len(rows) == 1 or n == 0:
        return to_rational(sum(rows[0], Q(0)) / 2)
    ctx = flint.fmpq_mpoly_ctx.get(("x", n), "lex")
    for exact_lp in (False, True):
        total, volume = _cells(rows, ctx, deadline, exact_lp)
        if volume == 1:
            return to_rational(total)
    raise ArithmeticError(f"expected_max: the cells' volumes add up to {volume}, not 1")


def _cells(rows: list, ctx: flint.fmpq_mpoly_ctx, deadline: float | None, exact_lp: bool):
    n = len(rows[0])
    gens = ctx.gens()
    one = ctx.from_dict({}) + 1
    cube = []
    for i in range(n):
        unit = tuple(Q(1) if j == i else Q(0) for j in range(n))
        cube.append((unit, Q(1)))
        cube.append((tuple(-x for x in unit), Q(0)))
    total, volume = Q(0), Q(0)
    for k, a in enumerate(rows):
        walls = [(tuple(x - y for x, y in zip(b, a)), Q(0)) for j, b in enumerate(rows) if j != k]
        form = sum((c * x for c, x in zip(a, gens) if c != 0), ctx.from_dict({}))
        value, vol = integrate([form, one], walls + cube, ctx, deadline, exact_lp)
        total += value
        volume += vol
    return total, volume


def state_orbits(mdp: MDP) -> list[int]:
    """For each state, the least index of a state mapped to it by an automorphism of the
    MDP (states equal under relabelling have equal POWER under iid rewards).  Candidates
    are the dihedral symmetries of ``"r,c"`` state names, each checked exactly.

    >>> from exactpower.sequential.mdp import MDP
    >>> state_orbits(MDP.gridworld(2, 3))
    [0, 1, 0, 0, 1, 0]
    """
    orbit = list(range(mdp.n_states))
    for perm in _grid_candidates(mdp):
        if _is_automorphism(mdp, perm):
            for s, t in enumerate(perm):
                lo = min(orbit[s], orbit[t])
                orbit[s] = orbit[t] = lo
    changed = True
    while changed:
        changed = False
        for s in range(mdp.n_states):
            if orbit[orbit[s]] != orbit[s]:
                orbit[s] = orbit[orbit[s]]
                changed = True
    return orbit


def _grid_candidates(mdp: MDP) -> list[list[int]]:
    cells = []
    for name in mdp.states:
        parts = name.split(",")
        if len(parts) != 2 or not all(p.isdigit() for p in parts):
            return []
        cells.append((int(parts[0]), int(parts[1])))
    rows = max(r for r, _ in cells) + 1
    cols = max(c for _, c in cells) + 1
    maps = [
        lambda r, c: (r, cols - 1 - c),
        lambda r, c: (rows - 1 - r, c),
        lambda r, c: (rows - 1 - r, cols - 1 - c),
    ]
    if rows == cols:
        maps += [lambda r, c: (c, r), lambda r, c: (cols - 1 - c, rows - 1 - r)]
    index = {cell: i for i, cell in enumerate(cells)}
    out = []
    for f in maps:
        images = [index.get(f(r, c)) for r, c in cells]
        if None not in images:
            out.append([i for i in images if i is not None])
    return out


def _is_automorphism(mdp: MDP, perm: list[int]) -> bool:
    def moves(s: int, relabel: bool) -> set:
        return {
            frozenset(((perm[t] if relabel else t), p) for t, p in row)
            for row in mdp.transitions[s]
        }

    return all(moves(s, True) == moves(perm[s], False) for s in range(mdp.n_states))
