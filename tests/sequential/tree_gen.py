"""Seeded random game trees with perfect recall (chance, imperfect information, 1-3 players).

A decision node's information set is keyed by (player, the player's own sequence of
(information set, action) pairs, a random signal in {0, 1}): nodes with the same key
share the set, so every set has perfect recall by construction and imperfect information
wherever two nodes draw the same signal.  The number of actions is fixed per set.
Probabilities are positive rationals; payoffs small rationals; nonempty node labels unique.
"""

from __future__ import annotations

import random
from fractions import Fraction

from exactpower.sequential import ExtensiveGame, chance, decision, terminal


def _distribution(rng: random.Random, k: int) -> list:
    weights = [rng.randint(1, 4) for _ in range(k)]
    total = sum(weights)
    return [Fraction(w, total) for w in weights]


def random_tree(seed: int, max_depth: int = 5, players: int | None = None) -> ExtensiveGame:
    """A random finite tree with perfect recall; the same ``seed`` gives the same tree."""
    rng = random.Random(seed)
    n = players or rng.randint(1, 3)
    names = tuple(f"P{i}" for i in range(n))
    sets: dict = {}  # key -> (name, number of actions)
    constant = rng.random() < 0.3
    count = [0]

    def label() -> str:  # nonempty labels are unique (Gambit 16.7 requires it)
        count[0] += 1
        return rng.choice(("", f"n{count[0]}"))

    def payoffs():
        values = [Fraction(rng.randint(-6, 6), rng.choice((1, 1, 2, 3))) for _ in range(n)]
        if constant and n > 1:
            values[-1] = -sum(values[:-1])
        return terminal(*values, label=label())

    def node(depth: int, seqs: tuple):
        r = rng.random()
        if depth >= max_depth or (depth > 0 and r < 0.25):
            return payoffs()
        if r < 0.45:
            k = rng.randint(1, 3)
            probs = _distribution(rng, k)
            return chance(
                {f"c{j}": (probs[j], node(depth + 1, seqs)) for j in range(k)},
                label=label(),
            )
        i = rng.randrange(n)
        key = (i, seqs[i], rng.randrange(2))
        if key not in sets:
            sets[key] = (f"I{len(sets)}", rng.randint(1, 3))
        name, k = sets[key]
        children = {}
        for j in range(k):
            new = list(seqs)
            new[i] = seqs[i] + ((name, j),)
            children[f"a{j}"] = node(depth + 1, tuple(new))
        return decision(i, name, children)

    root = node(0, ((),) * n)
    return ExtensiveGame.build(players=names, root=root, title=f"random {seed}")


def random_profile_dict(game: ExtensiveGame, seed: int) -> dict:
    """A full-support behaviour profile ``{infoset: {action: probability}}``."""
    rng = random.Random(seed)
    out = {}
    for infoset in game.infosets:
        if infoset.player is None:
            continue
        probs = _distribution(rng, len(infoset.actions))
        out[infoset.name] = dict(zip(infoset.actions, probs))
    return out
