"""Optimal values of an MDP, exactly: policy evaluation, policy iteration, Bellman certificates.

For a rational MDP, rational rewards ``R`` (one per state) and a rational discount γ in (0, 1):

- :func:`policy_values` evaluates a deterministic stationary policy exactly, by solving
  ``(I − γ P_π) V = R`` with python-flint (``fmpq_mat.solve``); a deterministic MDP is
  evaluated along its functional graph (a cycle in closed form, then the paths into it);
- :func:`optimal_values` runs policy iteration (an action is switched only on a strict
  improvement, so it terminates) and returns an :class:`OptimalValues`, whose
  :meth:`~OptimalValues.check` verifies ``V(s) = R(s) + γ max_a Σ_s' T(s'|s,a) V(s')``
  exactly at every state (the Bellman optimality equations have one solution for γ < 1,
  so a passing check proves the values optimal);
- :func:`symbolic_policy_values` gives ``V_π`` as rational functions of a symbolic γ
  (sympy ``DomainMatrix`` over ``QQ[γ]``, fraction-free).

Visit distributions (Turner et al.) are in :mod:`exactpower.sequential.mdp_visits`.

>>> from exactpower.sequential.mdp import MDP
>>> m = MDP.graph({"s": ["a", "b"], "a": ["a"], "b": ["b"]}, start=["s"])
>>> opt = optimal_values(m, {"s": 0, "a": 1, "b": 0}, "1/2")
>>> opt.values, opt.actions, opt.check()
((1, 2, 0), ('a', 'a', 'b'), True)
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import flint
import sympy
from sympy.polys.matrices import DomainMatrix

from ..errors import MDPError
from ..exact import as_exact, to_fmpq, to_rational
from .mdp import MDP, as_gamma

__all__ = [
    "OptimalValues",
    "optimal_values",
    "policy_values",
    "symbolic_policy_values",
    "reward_vector",
    "policy_indices",
    "FlintMDP",
]


def reward_vector(mdp: MDP, rewards: Mapping[str, object] | Sequence[object]) -> tuple:
    """Rewards as a tuple of ``Rational`` in state order (from a mapping or a sequence).

    >>> from exactpower.sequential.mdp import MDP
    >>> reward_vector(MDP.graph({"a": ["a"]}), {"a": "1/2"})
    (1/2,)
    """
    if isinstance(rewards, Mapping):
        for name in rewards:
            if name not in mdp.states:
                raise MDPError(f"rewards: unknown state {name!r}")
        missing = [n for n in mdp.states if n not in rewards]
        if missing:
            raise MDPError(f"rewards: no reward for state {missing[0]!r}")
        values = [rewards[n] for n in mdp.states]
    else:
        values = list(rewards)
        if len(values) != mdp.n_states:
            raise MDPError(f"rewards: {len(values)} values for {mdp.n_states} states")
    out = []
    for name, v in zip(mdp.states, values):
        r = as_exact(v, where=f"reward of state {name!r}")
        if not isinstance(r, sympy.Rational):
            raise MDPError(f"reward of state {name!r}: {r} is not a rational number")
        out.append(r)
    return tuple(out)


def policy_indices(mdp: MDP, policy: Mapping[str, str] | Sequence[int]) -> tuple[int, ...]:
    """A deterministic policy as action indices (from ``{state: action}`` or indices);
    an unknown action is an error naming the state and the action."""
    if isinstance(policy, Mapping):
        for name in policy:
            mdp.state_index(name)
        missing = [n for n in mdp.states if n not in policy]
        if missing:
            raise MDPError(f"policy: no action for state {missing[0]!r}")
        return tuple(mdp.action_index(s, policy[n]) for s, n in enumerate(mdp.states))
    out = tuple(policy)
    if len(out) != mdp.n_states:
        raise MDPError(f"policy: {len(out)} actions for {mdp.n_states} states")
    for s, a in enumerate(out):
        if not isinstance(a, int) or not 0 <= a < len(mdp.actions[s]):
            raise MDPError(f"policy: state {mdp.states[s]!r} has no action {a!r}")
    return out


class FlintMDP:
    """The transitions of a rational MDP as ``fmpq`` rows, for the exact inner loops."""

    def __init__(self, mdp: MDP) -> None:
        if mdp.is_symbolic:
            raise MDPError("MDP: symbolic transition probabilities; substitute numbers first")
        self.mdp = mdp
        self.n = mdp.n_states
        self.rows = [
            [[(t, to_fmpq(p)) for t, p in row] for row in acts] for acts in mdp.transitions
        ]
        self.deterministic = mdp.is_deterministic
        self.next = [[row[0][0] for row in acts] for acts in mdp.transitions]

    def evaluate(self, r: list, g: flint.fmpq, pol: Sequence[int]) -> list:
        """``V_π`` as a list of ``fmpq``."""
        if self.deterministic:
            return self._functional(r, g, [self.next[s][a] for s, a in enumerate(pol)])
        n = self.n
        a = flint.fmpq_mat(n, n)
        b = flint.fmpq_mat(n, 1)
        for s in range(n):
            a[s, s] = 1
            b[s, 0] = r[s]
            for t, p in self.rows[s][pol[s]]:
                a[s, t] -= g * p
        x = a.solve(b)
        return [x[s, 0] for s in range(n)]

    def _functional(self, r: list, g: flint.fmpq, nxt: list) -> list:
        """Values along a functional graph: each cycle in closed form, then its in-trees."""
        v: list = [None] * self.n
        for start in range(self.n):
            path: list[int] = []
            on_path: dict[int, int] = {}
            s = start
            while v[s] is None and s not in on_path:
                on_path[s] = len(path)
                path.append(s)
                s = nxt[s]
            if v[s] is None:  # closed a cycle: path[on_path[s]:]
                cycle = path[on_path[s] :]
                total, power = flint.fmpq(0), flint.fmpq(1)
                for c in cycle:
                    total += power * r[c]
                    power *= g
                v[cycle[0]] = total / (1 - power)
                for c in reversed(cycle[1:]):
                    v[c] = r[c] + g * v[nxt[c]]
                path = path[: on_path[s]]
            for c in reversed(path):
                v[c] = r[c] + g * v[nxt[c]]
        return v

    def q_values(self, r: list, g: flint.fmpq, v: list, s: int) -> list:
        """``R(s) + γ Σ T(s'|s,a) V(s')`` for every action ``a`` of ``s``."""
        if self.deterministic:
            return [r[s] + g * v[t] for t in self.next[s]]
        return [r[s] + g * sum((p * v[t] for t, p in row), flint.fmpq(0)) for row in self.rows[s]]

    def improve(self, r: list, g: flint.fmpq, v: list, pol: list) -> bool:
        """Switch each state to a strictly better action (the first best); whether any did."""
        changed = False
        for s in range(self.n):
            q = self.q_values(r, g, v, s)
            best = max(q)
            if q[pol[s]] < best:
                pol[s] = q.index(best)
                changed = True
        return changed

    def solve(self, r: list, g: flint.fmpq, pol: Sequence[int] | None = None) -> tuple:
        """Policy iteration from ``pol`` (default: the myopic policy); ``(V, π)``."""
        policy = list(pol) if pol is not None else self.myopic(r)
        while True:
            v = self.evaluate(r, g, policy)
            if not self.improve(r, g, v, policy):
                return v, policy

    def myopic(self, r: list) -> list:
        """The policy maximising the expected next reward."""
        g1 = flint.fmpq(1)
        return [
            max(range(len(q)), key=q.__getitem__)
            for q in (self.q_values([flint.fmpq(0)] * self.n, g1, r, s) for s in range(self.n))
        ]


def _gamma_fmpq(gamma: object) -> tuple:
    g = as_gamma(gamma)
    if not isinstance(g, sympy.Rational):
        raise MDPError(f"gamma: {g} is symbolic; use mdp_power for a symbolic discount")
    return g, to_fmpq(g)


def policy_values(mdp: MDP, rewards: object, gamma: object, policy: object) -> tuple:
    """The exact values ``V_π`` of a deterministic stationary policy (``Rational`` each).

    >>> from exactpower.sequential.mdp import MDP
    >>> m = MDP.graph({"a": ["b"], "b": ["a"]})
    >>> policy_values(m, [1, 0], "1/2", {"a": "b", "b": "a"})
    (4/3, 2/3)
    """
    flat = FlintMDP(mdp)
    _, g = _gamma_fmpq(gamma)
    r = [to_fmpq(x) for x in reward_vector(mdp, rewards)]  # type: ignore[arg-type]
    v = flat.evaluate(r, g, policy_indices(mdp, policy))  # type: ignore[arg-type]
    return tuple(to_rational(x) for x in v)


@dataclass(frozen=True)
class OptimalValues:
    """Optimal values with an optimal policy: a Bellman certificate.

    ``values[s]`` = V*(s) (``Rational``), ``policy[s]`` = index of an optimal action of
    ``s``; :meth:`check` verifies the Bellman optimality equations exactly.
    """

    mdp: MDP
    rewards: tuple
    gamma: sympy.Rational
    values: tuple
    policy: tuple[int, ...]

    @property
    def actions(self) -> tuple[str, ...]:
        """The policy as action names."""
        return tuple(self.mdp.actions[s][a] for s, a in enumerate(self.policy))

    def q_value(self, state: int, action: int) -> sympy.Rational:
        """``R(s) + γ Σ_s' T(s'|s,a) V(s')``, exactly, in sympy (independent of flint)."""
        row = self.mdp.transitions[state][action]
        total = sympy.Integer(0)
        for t, p in row:
            total += p * self.values[t]
        return self.rewards[state] + self.gamma * total

    def check(self) -> bool:
        """Whether ``V(s) = max_a q(s, a) = q(s, π(s))`` holds exactly at every state."""
        if not 0 < self.gamma < 1 or len(self.values) != self.mdp.n_states:
            return False
        for s in range(self.mdp.n_states):
            q = [self.q_value(s, a) for a in range(len(self.mdp.actions[s]))]
            if max(q) != self.values[s] or q[self.policy[s]] != self.values[s]:
                return False
        return True


def optimal_values(
    mdp: MDP, rewards: object, gamma: object, policy: object | None = None
) -> OptimalValues:
    """Optimal values and an optimal policy, by exact policy iteration.

    ``policy`` (optional) warm-starts the iteration.  Rational data only (symbolic
    transitions or discount are refused; see :func:`symbolic_policy_values` and
    :func:`exactpower.sequential.mdp_power.mdp_power` for a symbolic γ).
    """
    flat = FlintMDP(mdp)
    gamma_q, g = _gamma_fmpq(gamma)
    rv = reward_vector(mdp, rewards)  # type: ignore[arg-type]
    start = None if policy is None else policy_indices(mdp, policy)  # type: ignore[arg-type]
    v, pol = flat.solve([to_fmpq(x) for x in rv], g, start)
    return OptimalValues(mdp, rv, gamma_q, tuple(to_rational(x) for x in v), tuple(pol))


def symbolic_policy_values(
    mdp: MDP, rewards: Iterable[sympy.Rational], gamma: sympy.Symbol, policy: Sequence[int]
) -> tuple[tuple[sympy.Poly, ...], sympy.Poly]:
    """``V_π`` for a symbolic γ as ``(numerators, denominator)``: polynomials in γ over QQ
    with ``V_π(s) = numerators[s] / denominator``; the denominator has no root in [0, 1).
    """
    if mdp.is_symbolic:
        raise MDPError("MDP: symbolic transition probabilities; substitute numbers first")
    ring = sympy.QQ[gamma]
    n = mdp.n_states
    g = ring(gamma)
    rows = [[ring(0)] * n for _ in range(n)]
    for s in range(n):
        rows[s][s] = ring(1)
        for t, p in mdp.transitions[s][policy[s]]:
            rows[s][t] = rows[s][t] - g * ring(p)
    a = DomainMatrix(rows, (n, n), ring)
    b = DomainMatrix([[ring(x)] for x in rewards], (n, 1), ring)
    num, den = a.solve_den(b)
    nums = tuple(sympy.Poly(ring.to_sympy(num[s, 0].element), gamma, domain="QQ") for s in range(n))
    return nums, sympy.Poly(ring.to_sympy(den), gamma, domain="QQ")
