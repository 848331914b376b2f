"""Discounted stochastic games (SPEC §8): the model and stationary profiles, validated.

A :class:`StochasticGame` has a public state; in state ``s`` every player ``i`` picks an
action of ``A_i(s)`` at once, the joint action ``a`` pays ``r_i(s, a)`` to each player and
moves to ``s'`` with probability ``T(s' | s, a)``; payoffs are discounted by ``γ`` in (0, 1)
and the start state is drawn from ``μ``.  Joint actions of a state are indexed in
:func:`itertools.product` order of the players' action lists (:meth:`StochasticGame.joint`).
A :class:`StationaryProfile` gives each player a distribution over its actions per state.

This first version takes rational data only (transition probabilities, rewards, ``γ``,
``μ`` and the profile's weights); floats are refused, symbolic values are refused with a
clear error.  Every bad input is a one-line :class:`~exactpower.errors.MDPError`,
:class:`~exactpower.errors.ProbabilityError` or :class:`~exactpower.errors.ProfileError`
naming the state (and the joint action or player).

>>> g = StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")),
...     {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)},
...     gamma="1/2")
>>> g.states, g.joint(0)[1], g.rewards[0][1]
(('s',), ('H', 'T'), (-1, 1))
>>> StationaryProfile.uniform(g).at("row", "s")
{'H': 1/2, 'T': 1/2}
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import sympy
from sympy import Rational

from .. import limits
from ..errors import MDPError, ProbabilityError, ProfileError
from ..exact import as_exact

__all__ = ["StochasticGame", "StationaryProfile", "Cell"]

#: One cell of a state: ``(rewards per player, ((next state index, probability), ...))``.
Cell = tuple[tuple[Rational, ...], tuple[tuple[int, Rational], ...]]


def _rational(value: object, where: str) -> Rational:
    """An exact rational (floats refused; symbolic values refused in this version)."""
    v = as_exact(value, where=where)
    if not isinstance(v, sympy.Rational):
        raise MDPError(
            f"{where}: {v} is not a rational number (stochastic games take rational data)"
        )
    return v


def _names(names: Sequence[object], what: str, where: str) -> None:
    if not names:
        raise MDPError(f"{where}: needs at least one {what}")
    seen = set()
    for name in names:
        if not isinstance(name, str) or not name:
            raise MDPError(f"{where}: {what} name {name!r} must be a nonempty string")
        if name in seen:
            raise MDPError(f"{where}: duplicate {what} name {name!r}")
        seen.add(name)


@dataclass(frozen=True)
class StochasticGame:
    """A finite discounted stochastic game with rational data.

    Parameters
    ----------
    players, states : tuple of str
        Unique names.
    actions : tuple
        ``actions[s][i]``: the action names of player ``i`` in state ``s`` (at least one).
    transitions : tuple
        ``transitions[s][k] = ((s', p), ...)`` for the ``k``-th joint action of ``s``:
        next-state indices (each once) with positive probabilities summing to 1.
    rewards : tuple
        ``rewards[s][k]``: one rational reward per player.
    gamma : Rational
        The discount, in (0, 1).
    mu : tuple of Rational
        The initial distribution, one probability per state.
    title : str
    """

    players: tuple[str, ...]
    states: tuple[str, ...]
    actions: tuple[tuple[tuple[str, ...], ...], ...]
    transitions: tuple[tuple[tuple[tuple[int, Rational], ...], ...], ...]
    rewards: tuple[tuple[tuple[Rational, ...], ...], ...]
    gamma: Rational
    mu: tuple[Rational, ...]
    title: str = ""

    def __post_init__(self) -> None:
        _names(self.players, "player", "stochastic game")
        _names(self.states, "state", "stochastic game")
        if len(self.states) > limits.MAX_STOCHASTIC_STATES:
            raise MDPError(
                f"stochastic game: {len(self.states)} states, over the limit "
                f"MAX_STOCHASTIC_STATES = {limits.MAX_STOCHASTIC_STATES}"
            )
        n = len(self.states)
        if not (len(self.actions) == len(self.transitions) == len(self.rewards) == n):
            raise MDPError(
                "stochastic game: states, actions, transitions and rewards differ in length"
            )
        cells = 0
        for s in range(n):
            cells += self._check_state(s)
            if cells > limits.MAX_STOCHASTIC_CELLS:
                raise MDPError(
                    f"stochastic game: more than MAX_STOCHASTIC_CELLS = "
                    f"{limits.MAX_STOCHASTIC_CELLS} (state, joint action) cells"
                )
        if not isinstance(self.gamma, sympy.Rational) or not 0 < self.gamma < 1:
            raise MDPError(f"gamma: {self.gamma} is not in (0, 1)")
        _distribution(self.mu, n, "initial distribution μ", self.states)

    def _check_state(self, s: int) -> int:
        name, acts = self.states[s], self.actions[s]
        where = f"state {name!r}"
        if len(acts) != len(self.players):
            raise MDPError(
                f"{where}: actions for {len(acts)} players, the game has {len(self.players)}"
            )
        for i, own in enumerate(acts):
            _names(own, "action", f"{where}, player {self.players[i]!r}")
        count = math.prod(len(own) for own in acts)
        if len(self.transitions[s]) != count or len(self.rewards[s]) != count:
            raise MDPError(f"{where}: {count} joint actions, but transitions or rewards differ")
        for k, joint in enumerate(self.joint(s)):
            at = f"{where}, joint action {list(joint)}"
            rewards = self.rewards[s][k]
            if len(rewards) != len(self.players) or not all(
                isinstance(r, sympy.Rational) for r in rewards
            ):
                raise MDPError(f"{at}: rewards must be one rational per player")
            row = self.transitions[s][k]
            targets = [t for t, _ in row]
            if len(set(targets)) != len(targets) or not all(
                isinstance(t, int) and 0 <= t < len(self.states) for t in targets
            ):
                raise MDPError(f"{at}: next states must be distinct state indices")
            _distribution([p for _, p in row], None, f"{at}: transition", None)
        return count

    # -- reading ---------------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        """The number of players."""
        return len(self.players)

    @property
    def n_states(self) -> int:
        """The number of states."""
        return len(self.states)

    def joint(self, state: int) -> tuple[tuple[str, ...], ...]:
        """The joint actions of ``state`` (labels), in product order."""
        return tuple(itertools.product(*self.actions[state]))

    def joint_indices(self, state: int) -> tuple[tuple[int, ...], ...]:
        """The joint actions of ``state`` as action indices, in product order."""
        return tuple(itertools.product(*(range(len(a)) for a in self.actions[state])))

    def player_index(self, player: int | str) -> int:
        """A player's index, from its index or name (an error naming it if unknown)."""
        if isinstance(player, int) and not isinstance(player, bool):
            if 0 <= player < len(self.players):
                return player
        elif player in self.players:
            return self.players.index(player)
        raise MDPError(
            f"stochastic game: unknown player {player!r} (players: {', '.join(self.players)})"
        )

    def state_index(self, state: int | str) -> int:
        """A state's index, from its index or name."""
        if isinstance(state, int) and not isinstance(state, bool) and 0 <= state < self.n_states:
            return state
        if state in self.states:
            return self.states.index(state)
        raise MDPError(f"stochastic game: unknown state {state!r}")

    # -- building --------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        players: Iterable[str],
        states: Mapping[str, Mapping[str, Any]],
        gamma: object,
        mu: Mapping[str, object] | None = None,
        title: str = "",
    ) -> StochasticGame:
        """Build from ``{state: {"actions": {player: [action, ...]}, "cells": {joint: cell}}}``.

        ``joint`` is a tuple of action names (one per player, in player order) or the names
        joined by commas; ``cell`` is ``(rewards, {next_state: probability})``.  Every joint
        action of every state is given exactly once.  ``mu`` (default: all mass on the
        first state) gives the initial distribution (states left out have 0).

        >>> g = StochasticGame.build(["A"], {"s": {"actions": {"A": ["stay"]},
        ...     "cells": {"stay": ((1,), {"s": 1})}}}, gamma="1/2")
        >>> g.rewards, g.mu
        ((((1,),),), (1,))
        """
        players = tuple(players)
        _names(players, "player", "stochastic game")
        names = tuple(states)
        _names(names, "state", "stochastic game")
        index = {name: k for k, name in enumerate(names)}
        acts, trans, rews = [], [], []
        for name in names:
            a, t, r = _build_state(name, states[name], players, index)
            acts.append(a)
            trans.append(t)
            rews.append(r)
        dist = {names[0]: 1} if mu is None else dict(mu)
        for key in dist:
            if key not in index:
                raise MDPError(f"initial distribution μ: unknown state {key!r}")
        m = tuple(_rational(dist.get(s, 0), f"initial distribution μ at {s!r}") for s in names)
        g = _rational(gamma, "gamma")
        return cls(players, names, tuple(acts), tuple(trans), tuple(rews), g, m, title)

    @classmethod
    def repeated(
        cls,
        players: Sequence[str],
        actions: Sequence[Sequence[str]],
        rewards: Mapping[Any, Sequence[object]],
        gamma: object,
        title: str = "",
    ) -> StochasticGame:
        """The one-state game that repeats a matrix game (state ``"s"``) forever."""
        acts = {p: list(a) for p, a in zip(players, actions)}
        cells = {k: (v, {"s": 1}) for k, v in rewards.items()}
        return cls.build(players, {"s": {"actions": acts, "cells": cells}}, gamma, title=title)


def _distribution(
    values: Sequence[Any], length: int | None, what: str, names: Sequence[str] | None
) -> None:
    """Rational probabilities in [0, 1] summing to 1 (one per name, if given)."""
    if length is not None and len(values) != length:
        raise ProbabilityError(f"{what}: {len(values)} probabilities for {length} states")
    for k, p in enumerate(values):
        place = f" at {names[k]!r}" if names else ""
        if not isinstance(p, sympy.Rational):
            raise ProbabilityError(f"{what}{place}: {p!r} is not a rational number")
        if not 0 <= p <= 1:
            raise ProbabilityError(f"{what}{place}: probability {p} is not in [0, 1]")
    total = sum(values, sympy.Integer(0))
    if total != 1:
        raise ProbabilityError(f"{what}: probabilities sum to {total}, not 1")


def _joint_key(key: Any, n: int, where: str) -> tuple[str, ...]:
    joint = tuple(key.split(",")) if isinstance(key, str) else tuple(key)
    if len(joint) != n:
        raise MDPError(f"{where}: joint action {key!r} must name one action per player ({n})")
    return joint


def _build_state(name: str, spec: Any, players: tuple, index: Mapping[str, int]) -> tuple:
    where = f"state {name!r}"
    if not isinstance(spec, Mapping) or set(spec) != {"actions", "cells"}:
        raise MDPError(f"{where}: expected {{'actions': ..., 'cells': ...}}")
    own = spec["actions"]
    if not isinstance(own, Mapping) or set(own) != set(players):
        raise MDPError(f"{where}: actions must be given for exactly the players {list(players)}")
    acts = tuple(tuple(own[p]) for p in players)
    for p, a in zip(players, acts):
        _names(a, "action", f"{where}, player {p!r}")
    given: dict[tuple[str, ...], Any] = {}
    for key, cell in spec["cells"].items():
        joint = _joint_key(key, len(players), where)
        if joint in given:
            raise MDPError(f"{where}: joint action {list(joint)} given twice")
        given[joint] = cell
    trans, rews = [], []
    for joint in itertools.product(*acts):
        at = f"{where}, joint action {list(joint)}"
        if joint not in given:
            raise MDPError(f"{at}: no rewards and transitions given")
        cell = given.pop(joint)
        if not (isinstance(cell, (tuple, list)) and len(cell) == 2):
            raise MDPError(f"{at}: a cell is (rewards, {{next_state: probability}})")
        rewards, nxt = cell
        if len(rewards) != len(players):
            raise MDPError(f"{at}: {len(rewards)} rewards for {len(players)} players")
        rews.append(tuple(_rational(r, f"{at}: reward of {p!r}") for p, r in zip(players, rewards)))
        row = []
        for t, prob in dict(nxt).items():
            if t not in index:
                raise MDPError(f"{at}: unknown next state {t!r}")
            p = _rational(prob, f"{at}: probability of {t!r}")
            if p != 0:
                row.append((index[t], p))
        trans.append(tuple(row))
    if given:
        raise MDPError(f"{where}: joint action {list(next(iter(given)))} is not one of the actions")
    return acts, tuple(trans), tuple(rews)


@dataclass(frozen=True)
class StationaryProfile:
    """A stationary profile: ``probabilities[i][s][a]`` for player ``i`` in state ``s``.

    >>> g = StochasticGame.repeated(("A", "B"), (("x", "y"), ("z",)),
    ...     {("x", "z"): (1, 0), ("y", "z"): (0, 1)}, gamma="1/3")
    >>> StationaryProfile.from_dict(g, {"A": {"s": {"x": "1/4", "y": "3/4"}}, "B": {"s": "z"}}).to_dict()
    {'A': {'s': {'x': 1/4, 'y': 3/4}}, 'B': {'s': {'z': 1}}}
    """

    game: StochasticGame
    probabilities: tuple[tuple[tuple[Rational, ...], ...], ...]

    def __post_init__(self) -> None:
        g = self.game
        if not isinstance(g, StochasticGame):
            raise ProfileError("stationary profile: game must be a StochasticGame")
        if len(self.probabilities) != g.n_players:
            raise ProfileError(
                f"stationary profile: {len(self.probabilities)} players, game has {g.n_players}"
            )
        for i, player in enumerate(g.players):
            if len(self.probabilities[i]) != g.n_states:
                raise ProfileError(
                    f"stationary profile: player {player!r}: one distribution per state"
                )
            for s, state in enumerate(g.states):
                dist = self.probabilities[i][s]
                if len(dist) != len(g.actions[s][i]):
                    raise ProfileError(
                        f"stationary profile: player {player!r} state {state!r}: "
                        f"{len(dist)} weights for {len(g.actions[s][i])} actions"
                    )
                try:
                    _distribution(dist, None, f"player {player!r} state {state!r}", g.actions[s][i])
                except ProbabilityError as e:
                    raise ProfileError(f"stationary profile: {e}") from None

    @classmethod
    def uniform(cls, game: StochasticGame) -> StationaryProfile:
        """Every player uniform over its actions in every state."""
        return cls(
            game,
            tuple(
                tuple(
                    (sympy.Rational(1, len(game.actions[s][i])),) * len(game.actions[s][i])
                    for s in range(game.n_states)
                )
                for i in range(game.n_players)
            ),
        )

    @classmethod
    def from_dict(
        cls, game: StochasticGame, strategies: Mapping[str, Mapping[str, Any]]
    ) -> StationaryProfile:
        """From ``{player: {state: action or {action: probability}}}`` (every player and state
        given; actions left out of a distribution have 0)."""
        extra = [p for p in strategies if p not in game.players]
        if extra:
            raise ProfileError(f"stationary profile: unknown player {extra[0]!r}")
        out = []
        for i, player in enumerate(game.players):
            own = strategies.get(player)
            if not isinstance(own, Mapping):
                raise ProfileError(f"stationary profile: no strategy for player {player!r}")
            unknown = [s for s in own if s not in game.states]
            if unknown:
                raise ProfileError(
                    f"stationary profile: player {player!r}: unknown state {unknown[0]!r}"
                )
            out.append(
                tuple(_weights(game, i, s, own.get(game.states[s])) for s in range(game.n_states))
            )
        return cls(game, tuple(out))

    def at(self, player: int | str, state: int | str) -> dict[str, Rational]:
        """``{action: probability}`` of ``player`` in ``state``."""
        i, s = self.game.player_index(player), self.game.state_index(state)
        return dict(zip(self.game.actions[s][i], self.probabilities[i][s]))

    def to_dict(self) -> dict[str, dict[str, dict[str, Rational]]]:
        """``{player: {state: {action: probability}}}`` (actions of weight 0 left out)."""
        g = self.game
        return {
            p: {
                state: {a: w for a, w in self.at(i, s).items() if w != 0}
                for s, state in enumerate(g.states)
            }
            for i, p in enumerate(g.players)
        }


def _weights(game: StochasticGame, i: int, s: int, given: object) -> tuple[Rational, ...]:
    player, state, actions = game.players[i], game.states[s], game.actions[s][i]
    where = f"stationary profile: player {player!r} state {state!r}"
    if given is None:
        raise ProfileError(f"{where}: no distribution given")
    if isinstance(given, str):
        given = {given: 1}
    if not isinstance(given, Mapping):
        raise ProfileError(f"{where}: expected an action or {{action: probability}}")
    for a in given:
        if a not in actions:
            raise ProfileError(f"{where}: unknown action {a!r} (actions: {', '.join(actions)})")
    try:
        return tuple(_rational(given.get(a, 0), f"{where}, action {a!r}") for a in actions)
    except MDPError as e:
        raise ProfileError(str(e)) from None
