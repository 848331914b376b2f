"""Random small MDPs and an independent optimal-value oracle (policy enumeration, Fractions).

The oracle shares no code with exactpower: it enumerates every deterministic stationary
policy, evaluates each by Gaussian elimination over ``fractions.Fraction``, and takes the
maximum per state (an optimal stationary policy is optimal from every state at once).
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from exactpower.sequential.mdp import MDP


def random_mdp(rng: random.Random) -> MDP:
    """2–5 states, 1–3 actions; a third are deterministic with a 'stay' at every state."""
    n = rng.randint(2, 5)
    names = [f"s{i}" for i in range(n)]
    deterministic = rng.random() < 1 / 3
    table = {}
    for i, name in enumerate(names):
        if deterministic:  # stay, then the next state (so all are reachable), then random
            targets = [i, (i + 1) % n, rng.randrange(n)][: rng.randint(2, 3)]
            table[name] = {f"a{a}": {names[t]: 1} for a, t in enumerate(targets)}
            continue
        acts = {}
        for a in range(rng.randint(1, 3)):
            support = rng.sample(range(n), rng.randint(1, min(3, n)))
            if a == 0 and (i + 1) % n not in support:
                support.append((i + 1) % n)
            weights = [rng.randint(1, 5) for _ in support]
            total = sum(weights)
            acts[f"a{a}"] = {names[t]: Fraction(w, total) for t, w in zip(support, weights)}
        table[name] = acts
    return MDP.build(names, table)


def random_rewards(rng: random.Random, n: int) -> list[Fraction]:
    return [Fraction(rng.randint(-8, 8), rng.randint(1, 4)) for _ in range(n)]


def random_gamma(rng: random.Random) -> Fraction:
    q = rng.randint(2, 12)
    return Fraction(rng.randint(1, q - 1), q)


def _solve(a: list[list[Fraction]], b: list[Fraction]) -> list[Fraction]:
    """Gaussian elimination with pivoting on the first nonzero entry."""
    n = len(b)
    m = [row[:] + [b[i]] for i, row in enumerate(a)]
    for col in range(n):
        piv = next(r for r in range(col, n) if m[r][col] != 0)
        m[col], m[piv] = m[piv], m[col]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col] / m[col][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [m[i][n] / m[i][i] for i in range(n)]


def transitions_of(mdp: MDP) -> list[list[dict[int, Fraction]]]:
    """The MDP's transitions as Fractions, read from its public fields."""
    return [
        [{t: Fraction(int(p.p), int(p.q)) for t, p in row} for row in acts]
        for acts in mdp.transitions
    ]


def policy_value(trans, rewards, gamma, policy) -> list[Fraction]:
    n = len(rewards)
    a = [[Fraction(int(i == j)) for j in range(n)] for i in range(n)]
    for s in range(n):
        for t, p in trans[s][policy[s]].items():
            a[s][t] -= gamma * p
    return _solve(a, list(rewards))


def oracle_values(mdp: MDP, rewards, gamma) -> list[Fraction]:
    """``V*`` by enumerating every deterministic stationary policy."""
    trans = transitions_of(mdp)
    best: list[Fraction] | None = None
    for policy in itertools.product(*(range(len(a)) for a in trans)):
        v = policy_value(trans, rewards, gamma, policy)
        best = v if best is None else [max(x, y) for x, y in zip(best, v)]
    assert best is not None
    return best


def oracle_power(mdp: MDP, support, gamma) -> list[Fraction]:
    """POWER per state for ``[(probability, rewards), ...]`` (Fractions)."""
    n = mdp.n_states
    total = [Fraction(0)] * n
    for p, rewards in support:
        v = oracle_values(mdp, rewards, gamma)
        for s in range(n):
            total[s] += p * (v[s] - rewards[s])
    return [(1 - gamma) / gamma * t for t in total]
