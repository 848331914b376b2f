"""Two agents in one MDP (POWERplay's multi-agent setting, SPEC §8), exactly.

A :class:`JointMDP` has joint states, actions of agent H and of agent A at every state,
and transitions ``T(s' | s, h, a)`` for every pair of actions (the agents move
simultaneously).  A stationary policy of one agent *induces* an MDP for the other:
``T_H(s' | s, h) = Σ_a π_A(a | s) T(s' | s, h, a)`` (:meth:`JointMDP.induced_for_h`).
Every joint state is a start state of an induced MDP (POWER is asked of every state).

- :func:`h_power`: agent A follows a fixed policy ``π_A``; H's POWER is the MDP POWER of
  the induced MDP (``mdp_power``).
- :func:`correlated_power`: POWERplay's sweep.  H follows a *seed* policy (default:
  uniform over H's actions); for every reward pair ``(R_H, R_A)``, A plays an optimal
  policy for ``R_A`` in the MDP H's seed policy induces for A (ties broken by the first
  optimal action, in A's action order); H's POWER is then taken in the MDP that this
  policy of A induces for H, averaged over the pairs.  Rewards are functions of the joint
  state.  For a finite D of ``R_H``, the correlation ρ is defined exactly as:

  - ρ = 1: ``R_A = R_H``;
  - ρ = −1: ``R_A = −R_H`` (for rewards uniform on [0, 1] this is POWERplay's
    ``1 − R_H`` up to a constant, which changes no optimal policy);
  - ρ = 0: ``R_A`` independent of ``R_H`` with the same distribution D (the pairs are
    ``D × D``).

>>> from exactpower.sequential.mdp import MDP, FiniteRewards
>>> joint = JointMDP.product(MDP.graph({"h": ["h"]}), MDP.graph({"x": ["x", "y"], "y": ["y", "x"]}))
>>> joint.states
('h|x', 'h|y')
>>> D = FiniteRewards(((1, {"h|x": 1, "h|y": 0}),))
>>> correlated_power(joint, D, 1, "1/2"), correlated_power(joint, D, -1, "1/2")
({'h|x': 1, 'h|y': 1}, {'h|x': 0, 'h|y': 0})
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import sympy

from ..errors import MDPError
from ..exact import as_exact
from .mdp import MDP, FiniteRewards, as_gamma
from .mdp_power import mdp_power
from .mdp_values import optimal_values

__all__ = ["JointMDP", "h_power", "correlated_power"]


@dataclass(frozen=True)
class JointMDP:
    """Joint states; ``h_actions[s]``, ``a_actions[s]``; ``transitions[s][h][a]`` =
    ``((s', probability), ...)`` (validated like an MDP's rows: every pair of actions
    present, probabilities in [0, 1] summing to 1, known next states)."""

    states: tuple[str, ...]
    h_actions: tuple[tuple[str, ...], ...]
    a_actions: tuple[tuple[str, ...], ...]
    transitions: tuple

    def __post_init__(self) -> None:
        table = {
            name: {
                f"{h}|{a}": {self.states[t]: p for t, p in self.transitions[s][i][j]}
                for i, h in enumerate(self.h_actions[s])
                for j, a in enumerate(self.a_actions[s])
            }
            for s, name in enumerate(self.states)
        }
        MDP.build(self.states, table, start=self.states)  # the checks of an MDP's rows

    @classmethod
    def build(cls, states, table: Mapping[str, Mapping[str, Mapping[str, Mapping]]]) -> JointMDP:
        """From ``{state: {h_action: {a_action: {next_state: probability}}}}``."""
        states = tuple(states)
        index = {n: i for i, n in enumerate(states)}
        h_actions, a_actions, rows = [], [], []
        for name in states:
            by_h = table.get(name) or {}
            hs = tuple(by_h)
            as_ = tuple(by_h[hs[0]]) if hs else ()
            for h in hs:
                if tuple(by_h[h]) != as_:
                    raise MDPError(
                        f"state {name!r}: H's action {h!r} has A-actions "
                        f"{tuple(by_h[h])}, others {as_}"
                    )
            h_actions.append(hs)
            a_actions.append(as_)
            rows.append(tuple(tuple(_row(name, h, a, by_h[h][a], index) for a in as_) for h in hs))
        return cls(states, tuple(h_actions), tuple(a_actions), tuple(rows))

    @classmethod
    def product(cls, h: MDP, a: MDP) -> JointMDP:
        """Two agents moving independently, each in its own MDP; joint states ``"sh|sa"``."""
        states = tuple(f"{x}|{y}" for x in h.states for y in a.states)
        rows = tuple(
            tuple(
                tuple(
                    tuple((u * a.n_states + v, p * q) for u, p in rh for v, q in ra)
                    for ra in a.transitions[j]
                )
                for rh in h.transitions[i]
            )
            for i in range(h.n_states)
            for j in range(a.n_states)
        )
        h_actions = tuple(h.actions[i] for i in range(h.n_states) for _ in range(a.n_states))
        a_actions = tuple(a.actions[j] for _ in range(h.n_states) for j in range(a.n_states))
        return cls(states, h_actions, a_actions, rows)

    @classmethod
    def gridworld(cls, rows: int, cols: int, walls=(), moves: str = "nsew+stay") -> JointMDP:
        """Both agents on the same gridworld, moving simultaneously (cells may be shared)."""
        grid = MDP.gridworld(rows, cols, walls=walls, moves=moves)
        return cls.product(grid, grid)

    def induced_for_h(self, policy_a: object) -> MDP:
        """The MDP of agent H when A follows ``policy_a`` (``"uniform"``, ``{state: action}`` or ``{state: {action: probability}}``)."""
        probs = _policy_table(self, policy_a, self.a_actions, "A")
        rows = tuple(
            tuple(_mix((row[j], q) for j, q in enumerate(probs[s])) for row in self.transitions[s])
            for s in range(len(self.states))
        )
        return MDP(self.states, self.h_actions, rows, start=tuple(range(len(self.states))))

    def induced_for_a(self, policy_h: object) -> MDP:
        """The MDP of agent A when H follows ``policy_h``."""
        probs = _policy_table(self, policy_h, self.h_actions, "H")
        rows = tuple(
            tuple(
                _mix((self.transitions[s][i][j], q) for i, q in enumerate(probs[s]))
                for j in range(len(self.a_actions[s]))
            )
            for s in range(len(self.states))
        )
        return MDP(self.states, self.a_actions, rows, start=tuple(range(len(self.states))))


def _row(state: str, h: str, a: str, nexts: Mapping, index: Mapping[str, int]) -> tuple:
    out = []
    for t, p in nexts.items():
        if t not in index:
            raise MDPError(f"state {state!r}, actions {h!r}/{a!r}: unknown next state {t!r}")
        value = as_exact(p, where=f"state {state!r}, actions {h!r}/{a!r}, next {t!r}")
        if value != 0:
            out.append((index[t], value))
    return tuple(out)


def _mix(parts) -> tuple:
    total: dict[int, sympy.Expr] = {}
    for row, q in parts:
        if q == 0:
            continue
        for t, p in row:
            total[t] = total.get(t, sympy.Integer(0)) + q * p
    return tuple((t, p) for t, p in total.items() if p != 0)


def _policy_table(joint: JointMDP, policy: object, actions: tuple, who: str) -> list[list]:
    """A policy as probabilities per state and action.  Accepted: ``"uniform"``,
    ``{state: action}`` or ``{state: {action: probability}}`` (every state)."""
    if isinstance(policy, str) and policy == "uniform":
        return [[sympy.Rational(1, len(acts))] * len(acts) for acts in actions]
    if not isinstance(policy, Mapping):
        raise MDPError(f"policy of {who}: expected 'uniform' or a mapping state -> action")
    for name in policy:
        if name not in joint.states:
            raise MDPError(f"policy of {who}: unknown state {name!r}")
    out = []
    for s, name in enumerate(joint.states):
        if name not in policy:
            raise MDPError(f"policy of {who}: no action for state {name!r}")
        choice = policy[name]
        dist = {choice: 1} if isinstance(choice, str) else dict(choice)
        for act in dist:
            if act not in actions[s]:
                raise MDPError(
                    f"policy of {who}: state {name!r} has no action {act!r} "
                    f"(actions: {', '.join(actions[s])})"
                )
        row = [
            as_exact(dist.get(act, 0), where=f"policy of {who}, state {name!r}, {act!r}")
            for act in actions[s]
        ]
        if any(not isinstance(x, sympy.Rational) or x < 0 for x in row) or sum(row) != 1:
            raise MDPError(f"policy of {who}: state {name!r}: probabilities are not a distribution")
        out.append(row)
    return out


def h_power(joint: JointMDP, policy_a: object, D: object, gamma: object) -> dict:
    """H's POWER per joint state when A follows the fixed ``policy_a``."""
    return mdp_power(joint.induced_for_h(policy_a), D, gamma)


def _pairs(D: FiniteRewards, rho: object, states: tuple) -> list[tuple]:
    r = as_exact(rho, where="rho")
    if r not in (-1, 0, 1):
        raise MDPError(f"rho: {r} is not -1, 0 or 1 (the correlations defined exactly)")
    names = [dict(zip(states, row)) for row in _rows(D, states)]
    if r == 1:
        return [(p, row, row) for p, row in zip(D.probabilities, names)]
    if r == -1:
        return [(p, row, {k: -v for k, v in row.items()}) for p, row in zip(D.probabilities, names)]
    return [
        (p * q, rh, ra)
        for p, rh in zip(D.probabilities, names)
        for q, ra in zip(D.probabilities, names)
    ]


def _rows(D: FiniteRewards, states: tuple) -> tuple:
    carrier = MDP.build(states, {s: {"-": {s: 1}} for s in states}, start=states)
    return D.table(carrier)


def correlated_power(
    joint: JointMDP, D: FiniteRewards, rho: object, gamma: object, h_seed: object = "uniform"
) -> dict[str, sympy.Rational]:
    """H's POWER per joint state when A plays optimally for a reward correlated with H's
    (ρ ∈ {−1, 0, 1}; see the module docstring), H's seed policy inducing A's MDP."""
    g = as_gamma(gamma)
    if not isinstance(g, sympy.Rational):
        raise MDPError(f"gamma: {g} is symbolic; correlated_power needs a number")
    a_mdp = joint.induced_for_a(h_seed)
    induced: dict[tuple, MDP] = {}
    totals = [sympy.Integer(0)] * len(joint.states)
    for p, r_h, r_a in _pairs(D, rho, joint.states):
        best = optimal_values(a_mdp, r_a, g)
        policy = _first_optimal(best)
        if policy not in induced:
            choice = {joint.states[s]: joint.a_actions[s][i] for s, i in enumerate(policy)}
            induced[policy] = joint.induced_for_h(choice)
        values = optimal_values(induced[policy], r_h, g).values
        for s, name in enumerate(joint.states):
            totals[s] += p * (values[s] - r_h[name])
    return {name: (1 - g) / g * t for name, t in zip(joint.states, totals)}


def _first_optimal(best) -> tuple[int, ...]:
    """For each state, the first action attaining the optimal value (canonical ties)."""
    out = []
    for s in range(best.mdp.n_states):
        q = [best.q_value(s, a) for a in range(len(best.mdp.actions[s]))]
        out.append(q.index(best.values[s]))
    return tuple(out)
