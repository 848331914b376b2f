"""Behaviour profiles of game trees: one exact distribution per information set.

A :class:`BehaviourProfile` gives every information set of every player of an
:class:`~exactpower.sequential.tree.ExtensiveGame` a distribution over its actions,
validated like :class:`~exactpower.profile.StrategyProfile`: exact values (floats
refused), each in [0, 1] and each row summing to 1 -- provably, for every value of the
parameters, when symbolic.  Strategy parameters that the game does not declare are given
in ``parameters``.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import flint
import sympy

from ..errors import ProfileError
from ..exact import Parameter, probability_symbols
from ..game_build import check_distribution
from ..profile_entries import action_distribution
from .tree import ExtensiveGame

__all__ = ["BehaviourProfile"]


def _parameters(game: ExtensiveGame, parameters: Iterable) -> tuple:
    out = tuple(p if isinstance(p, Parameter) else Parameter(p) for p in parameters)
    names = [p.name for p in (*game.parameters, *out)]
    if len(set(names)) != len(names):
        raise ProfileError(f"profile: parameter names clash: {names}")
    return out


@dataclass(frozen=True)
class BehaviourProfile:
    """Exact behaviour strategies: ``probabilities[k][a]`` is the probability of action ``a``
    at the information set ``k`` of ``game`` (``()`` for chance information sets).

    Build one with :meth:`from_dict`, :meth:`pure`, :meth:`uniform` or
    :meth:`from_strategy`.

    Examples
    --------
    >>> from exactpower.sequential import ExtensiveGame, decision, terminal
    >>> g = ExtensiveGame.build(("A", "B"), decision("A", "a", {
    ...     "l": decision("B", "b", {"x": terminal(1, 0), "y": terminal(0, 1)}),
    ...     "r": terminal(2, 2)}))
    >>> s = BehaviourProfile.from_dict(g, {"a": "l", "b": {"x": "1/3", "y": "2/3"}})
    >>> s.at("b")
    {'x': 1/3, 'y': 2/3}
    >>> BehaviourProfile.from_dict(g, {"a": "l"})
    Traceback (most recent call last):
    ...
    exactpower.errors.ProfileError: profile: no strategy for information set 'b' of player 'B'
    """

    game: ExtensiveGame
    probabilities: tuple
    parameters: tuple = ()

    def __post_init__(self) -> None:
        game = self.game
        object.__setattr__(self, "parameters", _parameters(game, self.parameters))
        if len(self.probabilities) != len(game.infosets):
            raise ProfileError(
                f"profile: {len(self.probabilities)} rows for {len(game.infosets)} information sets"
            )
        symbols = game.symbols | {p.symbol for p in self.parameters}
        probs = probability_symbols((*game.parameters, *self.parameters))
        for info, row in zip(game.infosets, self.probabilities):
            where = f"profile: information set {info.name!r}"
            if info.player is None:
                if tuple(row) != ():
                    raise ProfileError(f"{where} is chance's; its row must be empty")
                continue
            if len(row) != len(info.actions):
                raise ProfileError(f"{where}: {len(row)} values for {len(info.actions)} actions")
            for v in row:
                if not isinstance(v, sympy.Expr) or v.has(sympy.Float):
                    raise ProfileError(f"{where}: {v!r} is not an exact sympy value")
                if not v.free_symbols <= symbols:
                    raise ProfileError(f"{where}: {v} uses an undeclared parameter")
            check_distribution(row, probs, where, [f"action {a!r}" for a in info.actions])

    # -- construction ---------------------------------------------------------------------
    @classmethod
    def from_dict(
        cls, game: ExtensiveGame, strategies: Mapping, parameters: Iterable = ()
    ) -> BehaviourProfile:
        """From ``{infoset name: distribution}``: an action name (pure) or
        ``{action: probability}`` (actions left out have probability 0); every information
        set of every player must be given."""
        params = _parameters(game, parameters)
        if not isinstance(strategies, Mapping):
            raise ProfileError("profile: expected a mapping {information set: distribution}")
        names = _names(game)
        for name in strategies:
            if name not in names:
                raise ProfileError(f"profile: unknown information set {name!r}")
            if game.infosets[game.infoset_index(name)].player is None:
                raise ProfileError(f"profile: information set {name!r} belongs to chance")
        rows = []
        for info in game.infosets:
            if info.player is None:
                rows.append(())
            elif info.name not in strategies:
                raise ProfileError(
                    f"profile: no strategy for information set {info.name!r} "
                    f"of player {game.players[info.player]!r}"
                )
            else:
                rows.append(_row(info, strategies[info.name], (*game.parameters, *params)))
        return cls(game, tuple(rows), params)

    @classmethod
    def pure(cls, game: ExtensiveGame, actions: Mapping) -> BehaviourProfile:
        """The pure profile ``{infoset name: action}``."""
        return cls.from_dict(game, actions)

    @classmethod
    def uniform(cls, game: ExtensiveGame) -> BehaviourProfile:
        """Every information set mixes uniformly over its actions.

        >>> from exactpower.sequential import ExtensiveGame, decision, terminal
        >>> g = ExtensiveGame.build(("A",), decision("A", "a", {"l": terminal(0),
        ...                                                    "r": terminal(1)}))
        >>> BehaviourProfile.uniform(g).probabilities
        ((1/2, 1/2),)
        """
        return cls(
            game,
            tuple(
                () if s.player is None else (sympy.Rational(1, len(s.actions)),) * len(s.actions)
                for s in game.infosets
            ),
        )

    @classmethod
    def from_strategy(cls, game: ExtensiveGame, profile) -> BehaviourProfile:
        """The profile of a one-shot game on its tree (:meth:`ExtensiveGame.from_bayesian`):
        the information set ``"<player>:<type>"`` plays ``σ_player(type)``.

        >>> from exactpower import BayesianGame, StrategyProfile
        >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> s = StrategyProfile.from_dict(mp, {"1": "0", "2": {"0": "1/4", "1": "3/4"}})
        >>> BehaviourProfile.from_strategy(ExtensiveGame.from_bayesian(mp), s).at("2:-")
        {'0': 1/4, '1': 3/4}
        """
        given = {}
        for p, rows in zip(profile.players, profile.strategies):
            for t, row in zip(p.types, rows):
                given[f"{p.name}:{t}"] = dict(zip(p.actions, row))
        names = _names(game)
        strategies = {k: v for k, v in given.items() if k in names}
        return cls.from_dict(game, strategies)

    # -- access ---------------------------------------------------------------------------
    def at(self, infoset: str) -> dict:
        """``{action: probability}`` at the information set named ``infoset``."""
        k = self.game.infoset_index(infoset)
        info = self.game.infosets[k]
        if info.player is None:
            return dict(zip(info.actions, info.probabilities or ()))
        return dict(zip(info.actions, self.probabilities[k]))

    def to_dict(self) -> dict:
        """``{infoset name: {action: probability}}`` with the nonzero probabilities of the
        players' information sets (what :meth:`from_dict` reads back)."""
        return {
            s.name: {a: v for a, v in zip(s.actions, row) if v != 0}
            for s, row in zip(self.game.infosets, self.probabilities)
            if s.player is not None
        }

    @functools.cached_property
    def is_symbolic(self) -> bool:
        """Whether a probability is an expression in parameters."""
        return any(not isinstance(v, sympy.Rational) for row in self.probabilities for v in row)

    @functools.cached_property
    def fmpq_rows(self) -> tuple | None:
        """The rows as ``flint.fmpq`` (chance's empty); ``None`` for a symbolic profile."""
        if self.is_symbolic:
            return None
        return tuple(tuple(flint.fmpq(v.p, v.q) for v in row) for row in self.probabilities)

    def __repr__(self) -> str:
        return f"BehaviourProfile({self.to_dict()!r})"


def _names(game: ExtensiveGame) -> frozenset:
    return frozenset(s.name for s in game.infosets)


def _row(info, given, parameters: tuple) -> tuple:
    where = f"profile: information set {info.name!r}"
    return action_distribution(info.actions, given, parameters, where)
