"""A deliberately naive oracle: SPEC §2's definitions, cell by cell, in Fractions.

Independent of exactpower's contraction engine: posteriors are divided out
explicitly, opponents' action profiles are enumerated, nothing is cached.
"""

from __future__ import annotations

import itertools
from fractions import Fraction


def fr(v) -> Fraction:
    return Fraction(int(v.p), int(v.q))


def _data(game, profile):
    n = game.n_players
    prior = {t: fr(game.probability(t)) for t in game.type_profiles}
    sigma = [[[fr(v) for v in row] for row in rows] for rows in profile.strategies]
    return n, prior, sigma


def marginal(game, profile, i, k):
    _, prior, _ = _data(game, profile)
    return sum((p for t, p in prior.items() if t[i] == k), Fraction(0))


def interim(game, profile, i, k, a_i):
    """f_i(t_i, a_i, σ_-i) with the posterior Ω(t_-i | t_i) = Ω(t) / Ω_i(t_i)."""
    n, prior, sigma = _data(game, profile)
    m = marginal(game, profile, i, k)
    total = Fraction(0)
    for t, p in prior.items():
        if t[i] != k or p == 0:
            continue
        posterior = p / m
        others = [range(len(game.players[j].actions)) if j != i else [a_i] for j in range(n)]
        for a in itertools.product(*others):
            prob = posterior
            for j in range(n):
                if j != i:
                    prob *= sigma[j][t[j]][a[j]]
            total += prob * fr(game.reward(i, t, a))
    return total


def power(game, profile, i):
    total = Fraction(0)
    for k in range(len(game.players[i].types)):
        m = marginal(game, profile, i, k)
        if m > 0:
            total += m * max(
                interim(game, profile, i, k, a) for a in range(len(game.players[i].actions))
            )
    return total


def regret(game, profile, i, k):
    _, _, sigma = _data(game, profile)
    vals = [interim(game, profile, i, k, a) for a in range(len(game.players[i].actions))]
    return max(vals) - sum(s * v for s, v in zip(sigma[i][k], vals))


def welfare(game, profile):
    n, prior, sigma = _data(game, profile)
    total = Fraction(0)
    for t, p in prior.items():
        if p == 0:
            continue
        for a in game.action_profiles:
            prob = p
            for j in range(n):
                prob *= sigma[j][t[j]][a[j]]
            total += prob * sum(fr(game.reward(j, t, a)) for j in range(n))
    return total


def is_bne(game, profile):
    _, _, sigma = _data(game, profile)
    for i in range(game.n_players):
        for k in range(len(game.players[i].types)):
            if marginal(game, profile, i, k) == 0:
                continue
            vals = [interim(game, profile, i, k, a) for a in range(len(game.players[i].actions))]
            if any(s > 0 and v < max(vals) for s, v in zip(sigma[i][k], vals)):
                return False
    return True
