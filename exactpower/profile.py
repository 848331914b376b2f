"""Strategy profiles: one exact mixed action per player and type.

The definitions are those of README.md, "The definitions in one paragraph".

A strategy ``σ_i : T_i → Δ(A_i)``; a :class:`StrategyProfile` holds one for
every player, with exact probabilities, validated against its game.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from .errors import ProfileError
from .exact import ExactArray, as_exact, common_denominator, integer_array
from .game import BayesianGame, check_distribution

__all__ = ["StrategyProfile", "is_per_type"]


@dataclass(frozen=True, eq=False)
class StrategyProfile:
    """Exact mixed strategies for every player and type of a game.

    Build one with :meth:`from_dict`, :meth:`pure`, :meth:`uniform` or
    :meth:`from_arrays`.

    Attributes
    ----------
    players : tuple of Player
        The players (with types and actions) of the game it was built for.
    strategies : tuple
        ``strategies[i][k][a]`` is the probability that player ``i`` of type
        ``k`` plays action ``a`` (indices).

    Examples
    --------
    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
    ...                              names=("row", "col"), actions=("HT", "HT"))
    >>> s = StrategyProfile.from_dict(g, {"row": "H", "col": {"H": "1/3", "T": "2/3"}})
    >>> s.probability(1, 0, 1)
    2/3
    """

    players: tuple
    strategies: tuple

    def __post_init__(self):
        # Every way of building a profile passes here: shapes always, and for
        # numbers the distribution laws (symbolic rows are checked against the
        # game's parameter domains by the named constructors).
        if len(self.strategies) != len(self.players):
            raise ProfileError(f"profile: {len(self.strategies)} strategies for "
                               f"{len(self.players)} players")
        for p, rows in zip(self.players, self.strategies):
            if len(rows) != len(p.types) or any(len(r) != len(p.actions) for r in rows):
                raise ProfileError(f"profile: strategy of {p.name!r} does not match its "
                                   f"{len(p.types)} types and {len(p.actions)} actions")
            for t, row in zip(p.types, rows):
                if any(not isinstance(v, sympy.Expr) for v in row):
                    raise ProfileError(f"profile: strategy of {p.name!r} type {t!r} holds "
                                       f"values that are not exact sympy values")
                if all(isinstance(v, sympy.Rational) for v in row) and (
                        any(v < 0 for v in row) or sum(row) != 1):
                    raise ProfileError(f"profile: strategy of {p.name!r} type {t!r} is not a "
                                       f"probability distribution: {', '.join(map(str, row))}")

    # -- construction -------------------------------------------------------------
    @classmethod
    def from_rows(cls, game: BayesianGame, strategies) -> StrategyProfile:
        """From exact rows: ``strategies[i][k]`` is the tuple of probabilities (exact sympy
        values, one per action) of player ``i`` of type ``k``.

        The constructor of readers that have made every value exact already (the
        profile-v1 reader, the bounds search).  Each row is checked to be a
        probability distribution for every value of the game's parameters.

        >>> from exactpower import BayesianGame
        >>> g = BayesianGame.from_tables([[1, 0]])
        >>> StrategyProfile.from_rows(g, (((sympy.Rational(1, 3), sympy.Rational(2, 3)),),))
        StrategyProfile({'1': {'-': {'0': 1/3, '1': 2/3}}})
        """
        for i, p in enumerate(game.players):
            for k, t in enumerate(p.types):
                check_distribution(
                    strategies[i][k], game.probability_symbols,
                    f"strategy of {p.name!r} type {t!r}",
                    [f"action {a!r}" for a in p.actions],
                )
        return cls(game.players, strategies)

    @classmethod
    def from_dict(cls, game: BayesianGame, strategies: Mapping) -> StrategyProfile:
        """From ``{player: {type: distribution}}``.

        A distribution is an action name (pure) or ``{action: probability}``
        (actions left out have probability 0).  A player with one type may
        give the distribution directly.  Every type of every player is given.
        """
        if not isinstance(strategies, Mapping):
            raise ProfileError("profile: expected a mapping {player: {type: distribution}}")
        names = [p.name for p in game.players]
        for name in strategies:
            if name not in names:
                raise ProfileError(f"profile: unknown player {name!r} (players: {', '.join(names)})")
        out = []
        for p in game.players:
            if p.name not in strategies:
                raise ProfileError(f"profile: no strategy for player {p.name!r}")
            given = strategies[p.name]
            if len(p.types) == 1 and _direct(given, p):
                given = {p.types[0]: given}
            if not isinstance(given, Mapping):
                raise ProfileError(f"profile: player {p.name!r}: expected {{type: distribution}}")
            for t in given:
                if t not in p.types:
                    raise ProfileError(
                        f"profile: player {p.name!r} has no type {t!r} (types: {', '.join(p.types)})"
                    )
            rows = []
            for t in p.types:
                if t not in given:
                    raise ProfileError(f"profile: no strategy for player {p.name!r} type {t!r}")
                rows.append(_distribution(game, p, t, given[t]))
            out.append(tuple(rows))
        return cls.from_rows(game, tuple(out))

    @classmethod
    def pure(cls, game: BayesianGame, actions: Mapping) -> StrategyProfile:
        """A pure profile from ``{player: {type: action}}`` (or ``{player: action}``).

        >>> from exactpower import BayesianGame
        >>> g = BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)
        >>> StrategyProfile.pure(g, {"1": "0", "2": "1"}).strategies
        (((1, 0),), ((0, 1),))
        """
        return cls.from_dict(game, actions)

    @classmethod
    def uniform(cls, game: BayesianGame) -> StrategyProfile:
        """Every type of every player mixes uniformly over its actions."""
        return cls(game.players, tuple(
            tuple(tuple(sympy.Rational(1, len(p.actions)) for _ in p.actions) for _ in p.types)
            for p in game.players
        ))

    @classmethod
    def from_arrays(cls, game: BayesianGame, weights: Sequence) -> StrategyProfile:
        """From one integer array of shape ``(T_i, A_i)`` per player; rows are normalised."""
        if len(weights) != game.n_players:
            raise ProfileError(f"profile: {len(weights)} arrays for {game.n_players} players")
        out = []
        for p, w in zip(game.players, weights):
            w = np.asarray(w)
            if w.shape != (len(p.types), len(p.actions)) or w.dtype.kind not in "iuO":
                raise ProfileError(
                    f"profile: player {p.name!r} needs integers of shape "
                    f"{(len(p.types), len(p.actions))}, got {w.dtype} {w.shape}"
                )
            rows = []
            for k, row in enumerate(w.tolist()):
                total = sum(row)
                if any(x < 0 for x in row) or total <= 0:
                    raise ProfileError(
                        f"profile: player {p.name!r} type {p.types[k]!r}: weights must be "
                        f"nonnegative and not all 0"
                    )
                rows.append(tuple(sympy.Rational(int(x), int(total)) for x in row))
            out.append(tuple(rows))
        return cls(game.players, tuple(out))

    # -- access -----------------------------------------------------------------
    def probability(self, player: int, type_index: int, action_index: int) -> sympy.Expr:
        """``σ_i(t_i)(a_i)`` for indices."""
        return self.strategies[player][type_index][action_index]

    def check_game(self, game: BayesianGame) -> None:
        """Raise :class:`ProfileError` unless the profile was built for ``game``'s players."""
        if self.players != game.players:
            raise ProfileError("profile: its players, types or actions differ from the game's")

    @functools.cached_property
    def arrays(self) -> tuple:
        """One :class:`~exactpower.exact.ExactArray` of shape ``(T_i, A_i)`` per player."""
        out = []
        for p, rows in zip(self.players, self.strategies):
            values = np.empty((len(rows), len(rows[0])), dtype=object)
            for k, row in enumerate(rows):
                values[k, :] = list(row)
            out.append(ExactArray.from_values(values, where=f"strategy of player {p.name!r}"))
        return tuple(out)

    @functools.cached_property
    def row_arrays(self) -> tuple:
        """Per player: integer numerators of shape ``(T_i, A_i)``, one denominator per row,
        and the largest absolute numerator.

        ``σ_i(t)(a) = numerators[t, a] / denominators[t]``, each row over the lcm of its
        own denominators -- so rows with unrelated denominators do not blow up one
        common denominator.  Rational profiles only.
        """
        out = []
        for i, rows in enumerate(self.strategies):
            cells = sum(len(row) for row in rows)
            where = f"strategy of player {self.players[i].name!r}"
            dens = [common_denominator((int(v.q) for v in row), cells, where=where)
                    for row in rows]
            nums = [[int(v.p) * (d // int(v.q)) for v in row] for row, d in zip(rows, dens)]
            top = max((abs(x) for row in nums for x in row), default=0)
            out.append((integer_array(nums), tuple(dens), top))
        return tuple(out)

    @functools.cached_property
    def is_symbolic(self) -> bool:
        return any(not isinstance(v, sympy.Rational)
                   for rows in self.strategies for row in rows for v in row)

    def to_dict(self) -> dict:
        """``{player: {type: {action: probability}}}`` with the nonzero probabilities."""
        return {
            p.name: {
                t: {a: v for a, v in zip(p.actions, row) if v != 0}
                for t, row in zip(p.types, rows)
            }
            for p, rows in zip(self.players, self.strategies)
        }

    def __repr__(self) -> str:
        return f"StrategyProfile({self.to_dict()!r})"


def is_per_type(given, player) -> bool:
    """Whether ``given``, one player's entry of a profile, is written per type.

    It is when it is a non-empty mapping whose keys are all type names of ``player``
    -- even when a type is also the name of an action (docs/design.md, "Profiles of
    single-type players").  For a single-type player, anything else is read as the
    distribution of its one type.  Used by :meth:`StrategyProfile.from_dict` and the
    profile-v1 reader.

    >>> from exactpower import Player
    >>> p = Player("p", ("0",), ("0", "1"))
    >>> is_per_type({"0": "1"}, p), is_per_type({"1": "1/2", "0": "1/2"}, p), is_per_type("0", p)
    (True, False, False)
    """
    return isinstance(given, Mapping) and bool(given) and set(given) <= set(player.types)


def _direct(given, player) -> bool:
    """Whether :meth:`StrategyProfile.from_dict` reads ``given`` as a distribution of a
    single-type player: an action name, or a mapping that is not per type."""
    if isinstance(given, str):
        return given in player.actions
    return isinstance(given, Mapping) and not is_per_type(given, player)


def _distribution(game: BayesianGame, player, type_name, given) -> tuple:
    where = f"strategy of {player.name!r} type {type_name!r}"
    if isinstance(given, str):
        if given not in player.actions:
            raise ProfileError(
                f"{where}: unknown action {given!r} (actions: {', '.join(player.actions)})"
            )
        return tuple(sympy.Integer(int(a == given)) for a in player.actions)
    if not isinstance(given, Mapping):
        raise ProfileError(f"{where}: expected an action name or {{action: probability}}")
    for a in given:
        if a not in player.actions:
            raise ProfileError(
                f"{where}: unknown action {a!r} (actions: {', '.join(player.actions)})"
            )
    return tuple(
        as_exact(given[a], game.parameters, where=f"{where}, action {a!r}")
        if a in given else sympy.Integer(0)
        for a in player.actions
    )
