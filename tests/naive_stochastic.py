"""An independent oracle for discounted stochastic games, and random games for the tests.

Nothing of exactpower's quantities is used: values by Gaussian elimination over
:class:`fractions.Fraction`, POWER by enumerating every deterministic stationary policy of the
player (an optimal stationary deterministic policy exists in a finite discounted MDP), each
evaluated exactly; NashConv from those.  The model's fields are read as plain data.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

from exactpower.sequential.stochastic import StationaryProfile, StochasticGame

GAMMAS = ("1/2", "1/3", "2/3", "3/4", "9/10", "1/10")


def fr(x) -> Fraction:
    return Fraction(int(x.p), int(x.q))


def solve(a: list, b: list) -> list:
    """``x`` with ``a x = b`` (a square, nonsingular), by Gauss–Jordan elimination."""
    n = len(a)
    m = [row[:] + [b[k]] for k, row in enumerate(a)]
    for col in range(n):
        piv = next(r for r in range(col, n) if m[r][col] != 0)
        m[col], m[piv] = m[piv], m[col]
        inv = 1 / m[col][col]
        m[col] = [x * inv for x in m[col]]
        for r in range(n):
            if r != col and m[r][col] != 0:
                f = m[r][col]
                m[r] = [x - f * y for x, y in zip(m[r], m[col])]
    return [m[r][n] for r in range(n)]


def _weights(game: StochasticGame, sigma: list, s: int) -> list:
    """``(joint index k, probability)`` of each joint action of ``s`` under ``sigma``."""
    out = []
    for k, joint in enumerate(itertools.product(*(range(len(a)) for a in game.actions[s]))):
        w = Fraction(1)
        for i, a in enumerate(joint):
            w *= sigma[i][s][a]
        out.append((k, w))
    return out


def state_values(game: StochasticGame, sigma: list) -> list:
    """``V[i][s]`` under the profile ``sigma[i][s][a]`` (Fractions)."""
    n, g = game.n_states, fr(game.gamma)
    a = [[Fraction(int(r == c)) for c in range(n)] for r in range(n)]
    rs = [[Fraction(0)] * n for _ in game.players]
    for s in range(n):
        for k, w in _weights(game, sigma, s):
            for t, p in game.transitions[s][k]:
                a[s][t] -= g * w * fr(p)
            for i in range(game.n_players):
                rs[i][s] += w * fr(game.rewards[s][k][i])
    return [solve(a, r) for r in rs]


def sigma_of(profile: StationaryProfile) -> list:
    return [[[fr(p) for p in dist] for dist in own] for own in profile.probabilities]


def value(game: StochasticGame, sigma: list, i: int) -> Fraction:
    v = state_values(game, sigma)[i]
    return sum((fr(m) * x for m, x in zip(game.mu, v)), Fraction(0))


def power(game: StochasticGame, sigma: list, i: int) -> Fraction:
    """max over every deterministic stationary policy of ``i`` of ``V_i(μ)``."""
    best = None
    for choice in itertools.product(
        *(range(len(game.actions[s][i])) for s in range(game.n_states))
    ):
        dev = [own[:] for own in sigma]
        dev[i] = [
            [Fraction(int(a == choice[s])) for a in range(len(game.actions[s][i]))]
            for s in range(game.n_states)
        ]
        v = value(game, dev, i)
        best = v if best is None or v > best else best
    assert best is not None
    return best


def nash_conv(game: StochasticGame, sigma: list) -> Fraction:
    return sum(
        (power(game, sigma, i) - value(game, sigma, i) for i in range(game.n_players)), Fraction(0)
    )


# -- random games ------------------------------------------------------------------------------


def _fraction_text(rng: random.Random) -> str:
    return rng.choice(["0", "1", "-1", "2", "-2", "1/2", "-3/2", "3", "1/3"])


def _row(rng: random.Random, states: list) -> dict:
    if rng.random() < 0.3:
        return {rng.choice(states): 1}
    chosen = rng.sample(states, rng.randint(1, len(states)))
    weights = [rng.randint(1, 3) for _ in chosen]
    total = sum(weights)
    return {t: f"{w}/{total}" for t, w in zip(chosen, weights)}


def random_game(
    rng: random.Random,
    players: int,
    states: int,
    actions: int,
    *,
    constant: str | None = None,
    exogenous: bool = False,
) -> StochasticGame:
    """A random game; ``constant``: every cell's rewards sum to it; ``exogenous``: the
    transitions of a state do not depend on the joint action."""
    names = [f"P{k}" for k in range(players)]
    snames = [f"s{k}" for k in range(states)]
    spec = {}
    for s in snames:
        acts = {p: [f"a{j}" for j in range(rng.randint(1, actions))] for p in names}
        row = _row(rng, snames)
        cells = {}
        for joint in itertools.product(*(acts[p] for p in names)):
            rew = [Fraction(_fraction_text(rng)) for _ in names]
            if constant is not None:
                rew[-1] = Fraction(constant) - sum(rew[:-1], Fraction(0))
            cells[joint] = ([str(x) for x in rew], row if exogenous else _row(rng, snames))
        spec[s] = {"actions": acts, "cells": cells}
    mu = _row(rng, snames)
    return StochasticGame.build(names, spec, rng.choice(GAMMAS), mu)


def random_profile(rng: random.Random, game: StochasticGame) -> StationaryProfile:
    strategies: dict = {}
    for i, p in enumerate(game.players):
        strategies[p] = {}
        for s, state in enumerate(game.states):
            acts = game.actions[s][i]
            if rng.random() < 0.5:
                strategies[p][state] = rng.choice(acts)
            else:
                w = [rng.randint(0, 3) for _ in acts]
                if sum(w) == 0:
                    w[0] = 1
                strategies[p][state] = {a: f"{x}/{sum(w)}" for a, x in zip(acts, w)}
    return StationaryProfile.from_dict(game, strategies)
