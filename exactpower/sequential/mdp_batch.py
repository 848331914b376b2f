"""Optimal values of one MDP for many reward functions at once, exactly.

Two exact methods, chosen by the structure of the MDP:

- **Deterministic MDPs in which every state can stay** (a self-loop action everywhere, as
  in POWERplay's gridworlds): exact value iteration in scaled integers, vectorised over
  the reward functions with numpy, started from the value of staying forever,
  ``V_0 = R/(1 − γ)``.  It reaches ``V*`` after finitely many rounds and stops at an exact
  fixed point.  Proof: ``V_n = T^n V_0`` is the best value of "n moves, then stay", so
  ``V_n ≤ V*``.  From every state some optimal trajectory is a simple path followed by
  staying forever: a trajectory that ends in a cycle is no better than walking along the
  cycle to its best state and staying there.  So ``V_n ≥ V*`` once n ≥ |S| − 1, hence
  ``V_n = V*``.  A round with ``V_{n+1} = V_n`` is a fixed point of the Bellman operator,
  which has only one fixed point for γ < 1.  With ``γ = p/q`` and a common reward
  denominator ``d``, ``Z_n = d (q − p) q^n V_n`` is an integer vector:
  ``Z_0 = q r``, ``Z_{n+1} = (q − p) q^{n+1} r + p max_a Z_n(next)``.  Arithmetic is
  int64 while a bound computed on Python integers allows it, then Python integers.
- **Every other MDP**: exact policy iteration per reward function (``fmpq_mat`` solves),
  warm-started from the previous reward function's optimal policy.

>>> from exactpower.sequential.mdp import MDP
>>> import sympy
>>> m = MDP.graph({"s": ["a", "s"], "a": ["a"]})
>>> values = batch_optimal_values(m, [(0, 1), (1, 0)], sympy.Rational(1, 2))
>>> values
[[1, 2], [2, 0]]
"""

from __future__ import annotations

from collections.abc import Sequence
from math import lcm

import flint
import numpy as np
import sympy

from ..exact import to_fmpq
from .mdp import MDP, FiniteRewards, scaled_integers
from .mdp_values import FlintMDP

__all__ = ["batch_optimal_values", "mean_advantages", "stays_everywhere"]

_INT64_SAFE = 2**62


def stays_everywhere(mdp: MDP) -> bool:
    """Whether ``mdp`` is deterministic and every state has an action to itself."""
    if not mdp.is_deterministic:
        return False
    return all(any(row[0][0] == s for row in acts) for s, acts in enumerate(mdp.transitions))


def batch_optimal_values(
    mdp: MDP, rewards: Sequence[Sequence[sympy.Rational]], gamma: sympy.Rational
) -> list[list[flint.fmpq]]:
    """``V*_R`` (a list of ``fmpq`` per state) for every reward row ``R``, exactly."""
    if stays_everywhere(mdp) and rewards:
        return _integer_value_iteration(mdp, rewards, gamma)
    flat = FlintMDP(mdp)
    g = to_fmpq(gamma)
    out, policy = [], None
    for row in rewards:
        v, policy = flat.solve([to_fmpq(x) for x in row], g, policy)
        out.append(v)
    return out


def _successor_table(mdp: MDP) -> np.ndarray:
    """``next[s, a]``, padded with each state's own index (staying is always possible)."""
    width = max(len(a) for a in mdp.actions)
    table = np.empty((mdp.n_states, width), dtype=np.int64)
    for s, acts in enumerate(mdp.transitions):
        nexts = [row[0][0] for row in acts]
        table[s] = nexts + [s] * (width - len(nexts))
    return table


def _integer_value_iteration(
    mdp: MDP, rewards: Sequence[Sequence[sympy.Rational]], gamma: sympy.Rational
) -> list[list[flint.fmpq]]:
    z, denominator = _scaled_optimal_values(mdp, *scaled_integers(rewards), gamma)
    return [[flint.fmpq(int(x), denominator) for x in row] for row in z.tolist()]


def _scaled_optimal_values(mdp: MDP, r: np.ndarray, d: int, gamma: sympy.Rational) -> tuple:
    """``(Z, D)``: ``V* = Z / D`` row by row for the rewards ``r / d`` (integer arrays)."""
    p, q = int(gamma.p), int(gamma.q)
    rmax = int(np.abs(r).max())
    nxt = _successor_table(mdp)
    wide = rmax * q * (q + p) >= _INT64_SAFE
    r = r.astype(object if wide else np.int64)
    z = r * q  # Z_0
    final, exponent = z.copy(), np.zeros(len(z), dtype=np.int64)
    active = np.arange(len(z))
    bound, coef, n = rmax * q, q, 0  # |Z_n| <= bound; coef = q^(n+1)
    while len(active):
        if n > mdp.n_states:  # pragma: no cover - impossible by the proof in the docstring
            raise ArithmeticError("exact value iteration did not reach a fixed point")
        bound = rmax * (q - p) * coef + p * bound
        if not wide and bound * (q + p) >= _INT64_SAFE:
            wide = True
            r, z, final = r.astype(object), z.astype(object), final.astype(object)
        new = r[active] * ((q - p) * coef) + p * z[:, nxt].max(axis=2)
        done = (new == z * q).all(axis=1)  # a row at its fixed point: V_{n+1} = V_n
        final[active[done]], exponent[active[done]] = new[done], n
        active, z = active[~done], new[~done]
        coef *= q
        n += 1
    # every row over the last denominator: Z_n at a fixed point scales by q per round
    scale = np.array([q ** (n - 1 - int(e)) for e in exponent], dtype=final.dtype)
    return final * scale[:, None], d * (q - p) * coef // q


def mean_advantages(mdp: MDP, D: FiniteRewards, gamma: sympy.Rational) -> list[flint.fmpq]:
    """``E_{R~D}[V*_R(s) − R(s)]`` per state, exactly (the expectation in POWER)."""
    probabilities = D.probabilities  # Rational each
    if not stays_everywhere(mdp):
        table = D.table(mdp)
        values = batch_optimal_values(mdp, table, gamma)
        totals = [flint.fmpq(0)] * mdp.n_states
        for p, row, v in zip(probabilities, table, values):
            pq = to_fmpq(p)
            for s in range(mdp.n_states):
                totals[s] += pq * (v[s] - to_fmpq(row[s]))
        return totals
    r, d = D.integer_table(mdp)
    z, den = _scaled_optimal_values(mdp, r, d, gamma)
    e = lcm(*{p.q for p in probabilities})
    weights = [p.p * (e // p.q) for p in probabilities]
    sums, means = _weighted_sum(weights, z), _weighted_sum(weights, r)
    return [flint.fmpq(v, e * den) - flint.fmpq(m, e * d) for v, m in zip(sums, means)]


def _weighted_sum(weights: list[int], rows: np.ndarray) -> list[int]:
    """``Σ_k weights[k] rows[k]`` exactly: int64 when a bound allows, else Python integers."""
    big = max(map(abs, weights)) * int(np.abs(rows).max()) * len(weights)
    if rows.dtype != object and big < _INT64_SAFE:
        return [int(x) for x in np.array(weights, dtype=np.int64) @ rows]
    return [int(x) for x in np.array(weights, dtype=object) @ rows.astype(object)]
