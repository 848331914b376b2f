"""Visit distributions of an MDP (Turner et al.), exactly, and the non-dominated ones.

The visit distribution of a deterministic stationary policy π from state ``s`` is
``f^π_s = Σ_t γ^t P(s_t = · | s_0 = s, π)``, a vector over the states with total mass
``1/(1 − γ)``; ``V^π_R(s) = f^π_s · R``.  ``V*_R(s) = max_π f^π_s · R``, so only the
*non-dominated* ones matter: those strictly optimal for some reward vector ``R ∈ R^S``,
i.e. the vertices of the convex hull of all of them (found by exact LPs).

Enumeration: a deterministic MDP walks every simple path from ``s`` and closes it with
every edge back into it (each gives a path-then-cycle distribution); a stochastic MDP
enumerates the policies on the states reachable from ``s`` (at most
``MAX_VISIT_POLICIES`` of them), each evaluated by an exact linear solve.

>>> from exactpower.sequential.mdp import MDP
>>> m = MDP.graph({"s": ["a", "b"], "a": ["a"], "b": ["b"]})
>>> visit_distributions(m, "s", "1/2")
((1, 0, 1), (1, 1, 0))
"""

from __future__ import annotations

import random
from collections.abc import Sequence

import flint
import sympy

from ..errors import LimitError, MDPError
from ..exact import to_fmpq, to_rational
from ..limits import MAX_VISIT_POLICIES
from ..linalg.simplex import LPError, simplex_min
from .mdp import MDP, as_gamma
from .mdp_values import FlintMDP

__all__ = ["visit_distributions", "all_visit_distributions", "MAX_VISIT_POLICIES"]


def visit_distributions(mdp: MDP, state: str | int, gamma: object) -> tuple[tuple, ...]:
    """The non-dominated visit distributions from ``state`` (tuples of ``Rational`` in
    state order), sorted, each once.

    Raises
    ------
    LimitError
        When a stochastic MDP has more than ``MAX_VISIT_POLICIES`` policies on the
        states reachable from ``state`` (or a deterministic one that many paths).
    """
    found = all_visit_distributions(mdp, state, gamma)
    vertices = _vertices([list(map(to_fmpq, f)) for f in found])
    return tuple(sorted(found[k] for k in vertices))


def all_visit_distributions(mdp: MDP, state: str | int, gamma: object) -> tuple[tuple, ...]:
    """Every distinct visit distribution of a deterministic stationary policy from
    ``state`` (dominated ones included), as tuples of ``Rational``."""
    s = mdp.state_index(state) if isinstance(state, str) else state
    if not isinstance(s, int) or not 0 <= s < mdp.n_states:
        raise MDPError(f"visit distributions: unknown state {state!r}")
    g = as_gamma(gamma)
    if not isinstance(g, sympy.Rational):
        raise MDPError(f"gamma: {g} is symbolic; visit distributions need a number")
    flat = FlintMDP(mdp)
    gq = to_fmpq(g)
    vectors = _paths(flat, s, gq) if flat.deterministic else _policies(flat, s, gq)
    unique = {tuple(v): None for v in vectors}
    return tuple(tuple(to_rational(x) for x in v) for v in unique)


def _paths(flat: FlintMDP, s: int, g: flint.fmpq) -> list:
    """Path-then-cycle visit distributions of a deterministic MDP, by depth-first search."""
    out: list = []
    stack = [[s]]
    while stack:
        path = stack.pop()
        last = path[-1]
        for t in dict.fromkeys(flat.next[last]):
            if t in path:
                out.append(_closed(flat.n, path, path.index(t), g))
                if len(out) > MAX_VISIT_POLICIES:
                    raise LimitError(
                        f"visit distributions: more than MAX_VISIT_POLICIES = "
                        f"{MAX_VISIT_POLICIES} paths from state {flat.mdp.states[s]!r}"
                    )
            else:
                stack.append(path + [t])
    return out


def _closed(n: int, path: list, j: int, g: flint.fmpq) -> list:
    f = [flint.fmpq(0)] * n
    power = flint.fmpq(1)
    for i in range(j):
        f[path[i]] += power
        power *= g
    cycle = path[j:]
    scale = power / (1 - g ** len(cycle))
    for c in cycle:
        f[c] += scale
        scale *= g
    return f


def _reachable(flat: FlintMDP, s: int) -> list:
    seen, todo = {s}, [s]
    while todo:
        u = todo.pop()
        for t in flat.mdp.successors(u):
            if t not in seen:
                seen.add(t)
                todo.append(t)
    return sorted(seen)


def _policies(flat: FlintMDP, s: int, g: flint.fmpq) -> list:
    """Visit distributions of every policy on the states reachable from ``s``."""
    states = _reachable(flat, s)
    count = 1
    for u in states:
        count *= len(flat.mdp.actions[u])
    if count > MAX_VISIT_POLICIES:
        raise LimitError(
            f"visit distributions: {count} policies from state {flat.mdp.states[s]!r} exceed "
            f"MAX_VISIT_POLICIES = {MAX_VISIT_POLICIES}"
        )
    out = []
    for k in range(count):
        pol = [0] * flat.n
        for u in states:
            k, pol[u] = divmod(k, len(flat.mdp.actions[u]))
        out.append(_row_of_inverse(flat, s, g, pol))
    return out


def _row_of_inverse(flat: FlintMDP, s: int, g: flint.fmpq, pol: list) -> list:
    """``e_s (I − γ P_π)^{-1}``: solve the transposed system."""
    n = flat.n
    a = flint.fmpq_mat(n, n)
    b = flint.fmpq_mat(n, 1)
    b[s, 0] = 1
    for u in range(n):
        a[u, u] = 1
        for t, p in flat.rows[u][pol[u]]:
            a[t, u] -= g * p
    x = a.solve(b)
    return [x[u, 0] for u in range(n)]


def _vertices(points: Sequence[list]) -> list[int]:
    """Indices of the points that are vertices of their convex hull (exact)."""
    m = len(points)
    if m <= 1:
        return list(range(m))
    known = _argmax_vertices(points)
    out = []
    for k in range(m):
        if k in known:
            out.append(k)
            continue
        basis = [j for j in known if j != k]
        if basis and _in_hull(points[k], [points[j] for j in basis]):
            continue  # a convex combination of vertices: dominated
        if not _in_hull(points[k], [points[j] for j in range(m) if j != k]):
            out.append(k)
    return out


def _argmax_vertices(points: Sequence[list], rounds: int = 64) -> set[int]:
    """Points that are the unique maximiser of some (seeded random) linear function."""
    rng = random.Random(0)
    n = len(points[0])
    found: set[int] = set()
    for _ in range(rounds):
        r = [flint.fmpq(rng.randint(-1000, 1000), 1000) for _ in range(n)]
        scores = [sum((x * y for x, y in zip(p, r)), flint.fmpq(0)) for p in points]
        best = max(scores)
        winners = [k for k, v in enumerate(scores) if v == best]
        if len(winners) == 1:
            found.add(winners[0])
    return found


def _in_hull(p: list, others: list) -> bool:
    """Whether ``p`` is a convex combination of ``others`` (an exact feasibility LP)."""
    m, n = len(others), len(p)
    a_eq = [[others[j][i] for j in range(m)] for i in range(n)] + [[flint.fmpq(1)] * m]
    b_eq = list(p) + [flint.fmpq(1)]
    try:
        simplex_min([flint.fmpq(0)] * m, [], [], a_eq, b_eq, [])
    except LPError:
        return False
    return True
