"""Random game trees and behaviour profiles: hypothesis strategies and a seeded generator.

Trees have chance nodes (rational probabilities, zeros allowed), imperfect information
and perfect recall by construction: a new decision node of player ``i`` either opens a new
information set or joins one of ``i``'s sets reached by the same own sequence of ``i``
(the only sets perfect recall allows), with the same number of actions.  Payoffs are small
rationals; ``constant_sum=c`` makes every terminal's payoffs sum to ``c``.

For tests::

    from hypothesis import given
    from exactpower.sequential.testing import games_with_profiles

    @given(games_with_profiles(max_players=3))
    def test_identity(pair): ...

Requires ``hypothesis`` (a test dependency) for the strategies; :func:`random_game` and
:func:`random_profile` need only :mod:`random`.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from fractions import Fraction

from .behaviour import BehaviourProfile
from .tree import ExtensiveGame, TreeSpec, chance, decision, terminal

__all__ = [
    "extensive_games",
    "behaviour_profiles",
    "games_with_profiles",
    "random_game",
    "random_profile",
]

Pick = Callable[[int, int], int]  # pick(low, high): an int in [low, high]


class _Generator:
    """One random tree, drawn with ``pick``."""

    def __init__(self, pick: Pick, players: int, max_nodes: int, max_depth: int, constant):
        self.pick, self.players = pick, players
        self.max_nodes, self.max_depth, self.constant = max_nodes, max_depth, constant
        self.count = 1  # nodes laid out so far, each internal node reserving its children
        self.registry: dict[tuple, list] = {}  # (player, own sequence) -> [(name, actions)]

    def payoffs(self) -> tuple:
        den = self.pick(1, 2)
        values = [Fraction(self.pick(-3, 3), den) for _ in range(self.players)]
        if self.constant is not None:
            values[-1] = Fraction(self.constant) - sum(values[:-1], Fraction(0))
        return tuple(values)

    def node(self, depth: int, seqs: tuple) -> TreeSpec:
        room = self.max_nodes - self.count
        if depth >= self.max_depth or room < 3 or (depth and self.pick(0, 3) == 0):
            return terminal(*self.payoffs())
        if self.pick(0, 3) == 0:
            k = self.pick(1, 3)
            self.count += k
            weights = [self.pick(0, 3) for _ in range(k)]
            if not any(weights):
                weights[0] = 1
            total = sum(weights)
            return chance(
                {
                    f"c{a}": (Fraction(w, total), self.node(depth + 1, seqs))
                    for a, w in enumerate(weights)
                }
            )
        return self.decision(depth, seqs)

    def decision(self, depth: int, seqs: tuple) -> TreeSpec:
        player = self.pick(0, self.players - 1)
        options = self.registry.setdefault((player, seqs[player]), [])
        if options and self.pick(0, 1):
            name, k = options[self.pick(0, len(options) - 1)]
        else:
            name, k = f"I{self.count}", self.pick(1, 3) if self.pick(0, 5) == 0 else self.pick(2, 3)
            options.append((name, k))
        self.count += k
        children = {}
        for a in range(k):
            own = (*seqs[player], (name, a))
            children[f"a{a}"] = self.node(depth + 1, (*seqs[:player], own, *seqs[player + 1 :]))
        return decision(player, name, children)

    def game(self) -> ExtensiveGame:
        root = self.node(0, ((),) * self.players)
        return ExtensiveGame.build(tuple(f"p{i}" for i in range(self.players)), root)


def _game(pick: Pick, min_players: int, max_players: int, max_nodes: int, max_depth: int, constant):
    players = pick(min_players, max_players)
    return _Generator(pick, players, max_nodes, max_depth, constant).game()


def _profile(pick: Pick, game: ExtensiveGame, pure: bool, max_weight: int) -> BehaviourProfile:
    rows: list = []
    for s in game.infosets:
        if s.player is None:
            rows.append(())
        elif pure:
            rows.append(s.actions[pick(0, len(s.actions) - 1)])
        else:
            w = [pick(0, max_weight) for _ in s.actions]
            if not any(w):
                w[pick(0, len(w) - 1)] = 1
            rows.append({a: Fraction(x, sum(w)) for a, x in zip(s.actions, w)})
    return BehaviourProfile.from_dict(
        game, {s.name: r for s, r in zip(game.infosets, rows) if s.player is not None}
    )


def random_game(
    rng: random.Random,
    *,
    min_players: int = 2,
    max_players: int = 3,
    max_nodes: int = 40,
    max_depth: int = 6,
    constant_sum=None,
) -> ExtensiveGame:
    """A random tree from a seeded ``random.Random`` (see the module docstring).

    >>> g = random_game(random.Random(1), max_nodes=30)
    >>> 2 <= g.n_players <= 3 and len(g.nodes) <= 30
    True
    """
    return _game(rng.randint, min_players, max_players, max_nodes, max_depth, constant_sum)


def random_profile(
    rng: random.Random, game: ExtensiveGame, *, pure: bool = False, max_weight: int = 4
) -> BehaviourProfile:
    """A random rational behaviour profile of ``game`` (weights ``0..max_weight`` per
    action, normalised)."""
    return _profile(rng.randint, game, pure, max_weight)


def extensive_games(
    *,
    min_players: int = 2,
    max_players: int = 3,
    max_nodes: int = 40,
    max_depth: int = 6,
    constant_sum=None,
):
    """Hypothesis strategy: random game trees (chance, imperfect information, perfect
    recall, rational data)."""
    from hypothesis import strategies as st

    if not 1 <= min_players <= max_players or max_nodes < 1 or max_depth < 0:
        raise ValueError("extensive_games: bad bounds")

    @st.composite
    def games(draw):
        def pick(lo: int, hi: int) -> int:
            return draw(st.integers(lo, hi))

        return _game(pick, min_players, max_players, max_nodes, max_depth, constant_sum)

    return games()


def behaviour_profiles(game: ExtensiveGame, *, pure: bool = False, max_weight: int = 4):
    """Hypothesis strategy: rational behaviour profiles of ``game``."""
    from hypothesis import strategies as st

    @st.composite
    def profiles(draw):
        return _profile(lambda lo, hi: draw(st.integers(lo, hi)), game, pure, max_weight)

    return profiles()


def games_with_profiles(*, pure: bool = False, max_weight: int = 4, **game_options):
    """Hypothesis strategy: ``(game, profile)`` pairs."""
    return extensive_games(**game_options).flatmap(
        lambda g: behaviour_profiles(g, pure=pure, max_weight=max_weight).map(lambda s: (g, s))
    )
