"""Exact values of a stationary profile in a discounted stochastic game, POWER and NashConv.

For a :class:`~exactpower.sequential.stochastic.StochasticGame` and a
:class:`~exactpower.sequential.stochastic.StationaryProfile` ``σ`` (rational data):

- :func:`state_values`: ``V_i^σ``, the solution of ``(I − γ P_σ) V = r_{i,σ}`` (python-flint
  ``fmpq_mat.solve``), one value per state; :func:`value` is ``μ·V_i^σ``;
- :func:`best_response`: the MDP that ``σ_-i`` induces for player ``i`` (rewards
  ``r_i(s, a_i, σ_-i)``, transitions ``T(s' | s, a_i, σ_-i)``) solved by exact policy
  iteration (an action changes only on a strict improvement, so it terminates); its optimal
  values ``W_i`` satisfy the Bellman optimality equations exactly, and
  ``POWER(i, σ) = max_{π_i} V_i^{π_i,σ_-i}(μ) = μ·W_i`` (:func:`power`);
- :func:`welfare` ``Σ_i V_i^σ(μ)``, :func:`nash_conv` ``Σ_i (POWER_i − V_i^σ(μ))``,
  :func:`is_nash` (Nash from ``μ``: NashConv is 0), :func:`constant_sum` (``c`` when
  ``Σ_i r_i(s, a) = c`` everywhere, else ``None``), :func:`occupancy` (the discounted
  state occupancy ``ρ = μ (I − γ P_σ)^{-1}``, summing to ``1/(1 − γ)``).

Values come out as sympy ``Rational``.

>>> from exactpower.sequential.stochastic import StochasticGame, StationaryProfile
>>> mp = StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")),
...     {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)},
...     gamma="1/2")
>>> pure = StationaryProfile.from_dict(mp, {"row": {"s": "H"}, "col": {"s": "H"}})
>>> value(mp, pure, "row"), power(mp, pure, "col"), nash_conv(mp, pure), constant_sum(mp)
(2, 2, 4, 0)
"""

from __future__ import annotations

from dataclasses import dataclass

import flint
import sympy

from ..exact import to_fmpq, to_rational
from .stochastic import StationaryProfile, StochasticGame

__all__ = [
    "StochasticBestResponse",
    "state_values",
    "value",
    "values",
    "best_response",
    "power",
    "power_sum",
    "welfare",
    "regret",
    "nash_conv",
    "is_nash",
    "constant_sum",
    "occupancy",
    "induced_mdp",
]

Q = flint.fmpq


def _sigma(profile: StationaryProfile) -> list:
    return [[[to_fmpq(p) for p in dist] for dist in own] for own in profile.probabilities]


def _joint_weight(sig: list, s: int, joint: tuple, skip: int | None = None) -> flint.fmpq:
    w = Q(1)
    for j, a in enumerate(joint):
        if j != skip:
            w *= sig[j][s][a]
    return w


def _policy_chain(game: StochasticGame, profile: StationaryProfile) -> tuple:
    """``(r, P)``: ``r[i][s] = E_{a~σ(s)} r_i(s,a)``, ``P[s] = {s': P_σ(s'|s)}`` (fmpq)."""
    sig = _sigma(profile)
    n = game.n_players
    r = [[Q(0)] * game.n_states for _ in range(n)]
    rows: list = []
    for s in range(game.n_states):
        row: dict = {}
        for k, joint in enumerate(game.joint_indices(s)):
            w = _joint_weight(sig, s, joint)
            if w == 0:
                continue
            for i in range(n):
                r[i][s] += w * to_fmpq(game.rewards[s][k][i])
            for t, p in game.transitions[s][k]:
                row[t] = row.get(t, Q(0)) + w * to_fmpq(p)
        rows.append(row)
    return r, rows


def _solve(rows: list, r: list, g: flint.fmpq) -> list:
    """The solution ``V`` of ``V = r + γ P V`` (``P`` as rows of dicts)."""
    n = len(rows)
    a = flint.fmpq_mat(n, n)
    b = flint.fmpq_mat(n, 1)
    for s in range(n):
        a[s, s] = 1
        b[s, 0] = r[s]
        for t, p in rows[s].items():
            a[s, t] -= g * p
    x = a.solve(b)
    return [x[s, 0] for s in range(n)]


def _dot(mu: tuple, v: list) -> flint.fmpq:
    return sum((to_fmpq(m) * x for m, x in zip(mu, v)), Q(0))


def state_values(game: StochasticGame, profile: StationaryProfile, player: int | str) -> tuple:
    """``V_i^σ(s)`` for every state, exactly (``Rational`` each)."""
    i = game.player_index(player)
    r, rows = _policy_chain(game, profile)
    return tuple(to_rational(x) for x in _solve(rows, r[i], to_fmpq(game.gamma)))


def values(game: StochasticGame, profile: StationaryProfile) -> tuple:
    """``V_i^σ(μ)`` for every player."""
    r, rows = _policy_chain(game, profile)
    g = to_fmpq(game.gamma)
    return tuple(to_rational(_dot(game.mu, _solve(rows, ri, g))) for ri in r)


def value(game: StochasticGame, profile: StationaryProfile, player: int | str) -> sympy.Rational:
    """``V_i^σ(μ)``: player ``i``'s expected discounted payoff from ``μ``."""
    return values(game, profile)[game.player_index(player)]


def occupancy(game: StochasticGame, profile: StationaryProfile) -> tuple:
    """``ρ(s)``: the discounted occupancy ``μ (I − γ P_σ)^{-1}`` (sums to ``1/(1 − γ)``)."""
    _, rows = _policy_chain(game, profile)
    n = game.n_states
    transposed: list = [{} for _ in range(n)]
    for s, row in enumerate(rows):
        for t, p in row.items():
            transposed[t][s] = p
    mu = [to_fmpq(m) for m in game.mu]
    return tuple(to_rational(x) for x in _solve(transposed, mu, to_fmpq(game.gamma)))


def induced_mdp(game: StochasticGame, profile: StationaryProfile, player: int | str) -> tuple:
    """``(R, T)`` of the MDP ``σ_-i`` induces for ``i``: ``R[s][a_i]`` and
    ``T[s][a_i] = {s': probability}`` (fmpq)."""
    i = game.player_index(player)
    sig = _sigma(profile)
    rew: list = []
    trans: list = []
    for s in range(game.n_states):
        m = len(game.actions[s][i])
        rs = [Q(0)] * m
        ts: list[dict[int, flint.fmpq]] = [{} for _ in range(m)]
        for k, joint in enumerate(game.joint_indices(s)):
            w = _joint_weight(sig, s, joint, skip=i)
            if w == 0:
                continue
            a = joint[i]
            rs[a] += w * to_fmpq(game.rewards[s][k][i])
            for t, p in game.transitions[s][k]:
                ts[a][t] = ts[a].get(t, Q(0)) + w * to_fmpq(p)
        rew.append(rs)
        trans.append(ts)
    return rew, trans


@dataclass(frozen=True)
class StochasticBestResponse:
    """Player ``player``'s optimal stationary reply to ``σ_-i``.

    ``value`` is ``POWER(i, σ) = μ·W``; ``values`` the optimal values ``W(s)`` per state;
    ``policy`` a maximising action per state; ``q`` ``{state: {action: Q(s, a)}}`` with
    ``Q(s, a) = r_i(s, a, σ_-i) + γ Σ_s' T(s'|s, a, σ_-i) W(s')`` (so ``W(s) = max_a Q``).
    """

    player: int
    value: sympy.Rational
    values: tuple
    policy: dict
    q: dict


def _q(rew: list, trans: list, g: flint.fmpq, v: list, s: int) -> list:
    return [
        rew[s][a] + g * sum((p * v[t] for t, p in trans[s][a].items()), Q(0))
        for a in range(len(rew[s]))
    ]


def _policy_iteration(rew: list, trans: list, g: flint.fmpq) -> tuple:
    n = len(rew)
    policy = [max(range(len(rew[s])), key=rew[s].__getitem__) for s in range(n)]
    while True:
        v = _solve(
            [trans[s][policy[s]] for s in range(n)], [rew[s][policy[s]] for s in range(n)], g
        )
        changed = False
        for s in range(n):
            q = _q(rew, trans, g, v, s)
            best = max(q)
            if q[policy[s]] < best:
                policy[s] = q.index(best)
                changed = True
        if not changed:
            return v, policy


def best_response(
    game: StochasticGame, profile: StationaryProfile, player: int | str
) -> StochasticBestResponse:
    """The optimal values of the MDP ``σ_-i`` induces for ``i``, by exact policy iteration."""
    i = game.player_index(player)
    rew, trans = induced_mdp(game, profile, i)
    g = to_fmpq(game.gamma)
    v, policy = _policy_iteration(rew, trans, g)
    q = {
        state: dict(zip(game.actions[s][i], (to_rational(x) for x in _q(rew, trans, g, v, s))))
        for s, state in enumerate(game.states)
    }
    return StochasticBestResponse(
        i,
        to_rational(_dot(game.mu, v)),
        tuple(to_rational(x) for x in v),
        {state: game.actions[s][i][policy[s]] for s, state in enumerate(game.states)},
        q,
    )


def power(game: StochasticGame, profile: StationaryProfile, player: int | str) -> sympy.Rational:
    """``POWER(i, σ) = max_{π_i} V_i^{π_i, σ_-i}(μ)``."""
    return best_response(game, profile, player).value


def power_sum(game: StochasticGame, profile: StationaryProfile) -> sympy.Rational:
    """``Σ_i POWER(i, σ)``."""
    return sum((power(game, profile, i) for i in range(game.n_players)), sympy.Integer(0))


def welfare(game: StochasticGame, profile: StationaryProfile) -> sympy.Rational:
    """``W(σ) = Σ_i V_i^σ(μ)``."""
    return sum(values(game, profile), sympy.Integer(0))


def regret(game: StochasticGame, profile: StationaryProfile, player: int | str) -> sympy.Rational:
    """``POWER(i, σ) − V_i^σ(μ)`` (≥ 0)."""
    return power(game, profile, player) - value(game, profile, player)


def nash_conv(game: StochasticGame, profile: StationaryProfile) -> sympy.Rational:
    """``Σ_i (POWER(i, σ) − V_i^σ(μ))``."""
    return power_sum(game, profile) - welfare(game, profile)


def is_nash(game: StochasticGame, profile: StationaryProfile) -> bool:
    """Whether ``σ`` is a Nash equilibrium from ``μ`` (no player gains by any deviation)."""
    return nash_conv(game, profile) == 0


def constant_sum(game: StochasticGame) -> sympy.Rational | None:
    """``c`` when ``Σ_i r_i(s, a) = c`` at every state and joint action, else ``None``."""
    sums = {sum(r, sympy.Integer(0)) for cells in game.rewards for r in cells}
    return next(iter(sums)) if len(sums) == 1 else None
