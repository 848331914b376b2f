"""Strategy profiles: one exact mixed action per player and type.

The definitions are those of README.md, "The definitions in one paragraph".

A strategy ``σ_i : T_i → Δ(A_i)``; a :class:`StrategyProfile` holds one for
every player, with exact probabilities, validated against its game.
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import sympy

from .display import profile_html
from .errors import ProfileError
from .exact import (
    INT64_BOUND,
    ExactArray,
    common_denominator,
    integer_array,
    probability_symbols,
)
from .exact.floats import DEFAULT_MAX_DENOMINATOR, rationalized_distribution
from .game import BayesianGame
from .game_build import check_distribution
from .profile_entries import (
    WILDCARD,
    direct,
    distribution,
    is_per_type,
    per_type_hint,
    type_sources,
)
from .substitution import substitute_values, substitution

__all__ = ["StrategyProfile", "is_per_type", "type_sources", "per_type_hint", "WILDCARD"]


class _Strategies:
    """The ``strategies`` field of :class:`StrategyProfile`, stored in the instance.

    A profile built by :meth:`StrategyProfile.from_arrays` holds its integer rows only
    (``_integer_rows``: per player, reduced numerators and one denominator per row);
    its sympy rows are made on first access, so that a profile used only for POWER or
    regret never makes a sympy object per entry.
    """

    def __get__(self, profile, owner=None):
        if profile is None:  # no class-level default: the field stays required
            raise AttributeError("strategies")
        state = profile.__dict__
        if "_strategies" not in state:
            state["_strategies"] = _sympy_rows(state["_integer_rows"])
        return state["_strategies"]

    def __set__(self, profile, value) -> None:
        profile.__dict__["_strategies"] = value


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
    strategies: tuple = _Strategies()  # type: ignore[assignment]  # built lazily, see _Strategies

    def __post_init__(self):
        # Every way of building a profile passes here: shapes always, and for
        # numbers the distribution laws (symbolic rows are checked against the
        # game's parameter domains by the named constructors).
        if len(self.strategies) != len(self.players):
            raise ProfileError(
                f"profile: {len(self.strategies)} strategies for {len(self.players)} players"
            )
        for p, rows in zip(self.players, self.strategies):
            if len(rows) != len(p.types) or any(len(r) != len(p.actions) for r in rows):
                raise ProfileError(
                    f"profile: strategy of {p.name!r} does not match its "
                    f"{len(p.types)} types and {len(p.actions)} actions"
                )
            for t, row in zip(p.types, rows):
                if any(not isinstance(v, sympy.Expr) for v in row):
                    raise ProfileError(
                        f"profile: strategy of {p.name!r} type {t!r} holds "
                        f"values that are not exact sympy values"
                    )
                if all(isinstance(v, sympy.Rational) for v in row) and (
                    any(v < 0 for v in row) or sum(row) != 1
                ):
                    raise ProfileError(
                        f"profile: strategy of {p.name!r} type {t!r} is not a "
                        f"probability distribution: {', '.join(map(str, row))}"
                    )

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
                    strategies[i][k],
                    game.probability_symbols,
                    f"strategy of {p.name!r} type {t!r}",
                    [f"action {a!r}" for a in p.actions],
                )
        return cls(game.players, strategies)

    @classmethod
    def from_dict(cls, game: BayesianGame, strategies: Mapping) -> StrategyProfile:
        """From ``{player: {type: distribution}}``.

        A distribution is an action name (pure) or ``{action: probability}``
        (actions left out have probability 0).  A player with one type may
        give the distribution directly.  Every type of every player is given;
        the type ``"*"`` stands for every type not named (:func:`type_sources`).

        >>> from exactpower import BayesianGame, Player
        >>> g = BayesianGame.from_function(
        ...     [Player("row", ("h", "l", "m"), ("U", "D")), Player("col", ("-",), ("L",))],
        ...     lambda t, a: (1, 0))
        >>> StrategyProfile.from_dict(g, {"row": {"*": "U", "l": "D"}, "col": "L"}).strategies[0]
        ((1, 0), (0, 1), (1, 0))
        >>> StrategyProfile.from_dict(g, {"row": "U", "col": "L"})
        Traceback (most recent call last):
        ...
        exactpower.errors.ProfileError: profile: player 'row' has 3 types (h, l, m), so its strategy is given per type, e.g. {"h": "U", "l": "U", "m": "U"}, or {"*": "U"} for every type
        """
        if not isinstance(strategies, Mapping):
            raise ProfileError("profile: expected a mapping {player: {type: distribution}}")
        names = [p.name for p in game.players]
        for name in strategies:
            if name not in names:
                raise ProfileError(
                    f"profile: unknown player {name!r} (players: {', '.join(names)})"
                )
        out = []
        for p in game.players:
            if p.name not in strategies:
                raise ProfileError(f"profile: no strategy for player {p.name!r}")
            given = strategies[p.name]
            if len(p.types) == 1 and direct(given, p):
                given = {p.types[0]: given}
            if not is_per_type(given, p):
                raise ProfileError(f"profile: {per_type_hint(p, given)}")
            rows = []
            for t, key in type_sources(given, p).items():
                if key is None:
                    raise ProfileError(f"profile: no strategy for player {p.name!r} type {t!r}")
                rows.append(distribution(game.parameters, p, t, given[key]))
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
        return cls(
            game.players,
            tuple(
                tuple(tuple(sympy.Rational(1, len(p.actions)) for _ in p.actions) for _ in p.types)
                for p in game.players
            ),
        )

    @classmethod
    def from_float_arrays(
        cls, game: BayesianGame, arrays: Sequence, *, max_denominator: int = DEFAULT_MAX_DENOMINATOR
    ) -> StrategyProfile:
        """From float arrays (as nashpy returns), read explicitly by :func:`~exactpower.rationalize`.

        ``arrays[i]`` has shape ``(T_i, A_i)``, or ``(A_i,)`` for a player with one type.
        Every entry becomes :func:`~exactpower.rationalize` ``(x, max_denominator)``; each
        row must then be a probability distribution exactly (nonnegative, sum exactly 1),
        else it is refused, naming the row and its sum -- nothing is renormalised.

        >>> from exactpower import BayesianGame
        >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> StrategyProfile.from_float_arrays(g, [[1 / 3, 2 / 3], [0.5, 0.5]]).strategies
        (((1/3, 2/3),), ((1/2, 1/2),))
        >>> StrategyProfile.from_float_arrays(g, [[0.3, 0.6], [0.5, 0.5]])
        Traceback (most recent call last):
        ...
        exactpower.errors.ProfileError: profile: player '1' type '-': the rationalized row 3/10, 3/5 sums to 9/10, not 1
        """
        if len(arrays) != game.n_players:
            raise ProfileError(f"profile: {len(arrays)} arrays for {game.n_players} players")
        out = []
        for p, w in zip(game.players, arrays):
            w = np.asarray(w)
            shape = (len(p.types), len(p.actions))
            if w.shape == shape[1:] and shape[0] == 1:
                w = w.reshape(shape)
            if w.shape != shape:
                raise ProfileError(
                    f"profile: player {p.name!r} needs an array of shape {shape}, got {w.shape}"
                )
            out.append(
                tuple(
                    rationalized_distribution(
                        row, max_denominator, where=f"profile: player {p.name!r} type {t!r}"
                    )
                    for t, row in zip(p.types, w.tolist())
                )
            )
        return cls(game.players, tuple(out))

    @classmethod
    def from_arrays(cls, game: BayesianGame, weights: Sequence) -> StrategyProfile:
        """From one integer array of shape ``(T_i, A_i)`` per player; rows are normalised.

        Validated exactly (integers, nonnegative, no row of zeros), without a sympy
        object per entry: :attr:`strategies` is made on first access, while POWER and
        the other contractions read the integer rows directly.

        >>> from exactpower import BayesianGame
        >>> g = BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)
        >>> s = StrategyProfile.from_arrays(g, [np.array([[2, 2]]), np.array([[0, 3]])])
        >>> s.strategies, type(s.strategies[0][0][0]).__name__
        ((((1/2, 1/2),), ((0, 1),)), 'Half')
        """
        if len(weights) != game.n_players:
            raise ProfileError(f"profile: {len(weights)} arrays for {game.n_players} players")
        rows = tuple(_integer_rows(p, w) for p, w in zip(game.players, weights))
        profile = cls.__new__(cls)
        object.__setattr__(profile, "players", game.players)
        profile.__dict__["_integer_rows"] = rows
        return profile

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
        lazy = self.__dict__.get("_integer_rows")
        if lazy is not None:
            return tuple(_row_arrays(p, nums, dens) for p, (nums, dens) in zip(self.players, lazy))
        out = []
        for i, rows in enumerate(self.strategies):
            cells = sum(len(row) for row in rows)
            where = f"strategy of player {self.players[i].name!r}"
            dens = [common_denominator((int(v.q) for v in row), cells, where=where) for row in rows]
            nums = [[int(v.p) * (d // int(v.q)) for v in row] for row, d in zip(rows, dens)]
            top = max((abs(x) for row in nums for x in row), default=0)
            out.append((integer_array(nums), tuple(dens), top))
        return tuple(out)

    @functools.cached_property
    def is_symbolic(self) -> bool:
        if "_integer_rows" in self.__dict__:  # built from integers: rational
            return False
        return any(
            not isinstance(v, sympy.Rational)
            for rows in self.strategies
            for row in rows
            for v in row
        )

    def to_dict(self) -> dict:
        """``{player: {type: {action: probability}}}`` with the nonzero probabilities."""
        return {
            p.name: {
                t: {a: v for a, v in zip(p.actions, row) if v != 0} for t, row in zip(p.types, rows)
            }
            for p, rows in zip(self.players, self.strategies)
        }

    def subs(self, values: Mapping, game: BayesianGame) -> StrategyProfile:
        """The profile with values for parameters of ``game`` (the game it was built for),
        checked as :meth:`BayesianGame.subs <exactpower.BayesianGame.subs>` checks them; it
        is a profile of ``game.subs(values)``.

        >>> from exactpower import BayesianGame, Parameter
        >>> q = Parameter("q", "probability")
        >>> g = BayesianGame.from_tables([[1, 0]], parameters=[q])
        >>> s = StrategyProfile.from_dict(g, {"1": {"0": "q", "1": "1 - q"}})
        >>> s.subs({"q": "1/4"}, g).strategies
        (((1/4, 3/4),),)
        """
        self.check_game(game)
        mapping, remaining = substitution(game.parameters, values)
        probs = probability_symbols(remaining)
        out = []
        for p, rows in zip(self.players, self.strategies):
            new = substitute_values(np.array(rows, dtype=object), mapping)
            for t, row in zip(p.types, new.tolist()):
                check_distribution(
                    row,
                    probs,
                    f"strategy of {p.name!r} type {t!r}",
                    [f"action {a!r}" for a in p.actions],
                )
            out.append(tuple(tuple(row) for row in new.tolist()))
        return StrategyProfile(self.players, tuple(out))

    #: Jupyter's display: one table of ``σ_i(t_i)(a)`` per player (:mod:`exactpower.display`).
    _repr_html_ = profile_html

    def __repr__(self) -> str:
        return f"StrategyProfile({self.to_dict()!r})"


def _integer_rows(player, weights) -> tuple:
    """One player's weights as ``(numerators, denominators)``: each row divided by the gcd
    of its entries, so that ``σ(t)(a) = numerators[t, a] / denominators[t]`` in lowest
    terms per row; int64 (read-only) when the row sums fit, else Python ints."""
    w = np.asarray(weights)
    shape = (len(player.types), len(player.actions))
    if w.shape != shape or w.dtype.kind not in "iuO":
        raise ProfileError(
            f"profile: player {player.name!r} needs integers of shape "
            f"{shape}, got {w.dtype} {w.shape}"
        )
    if (
        w.dtype.kind == "O"
        or w.size == 0
        or not (int(w.min()) > -INT64_BOUND and int(w.max()) * shape[1] < INT64_BOUND)
    ):
        w = np.array(
            [[_integer(x, player) for x in row] for row in w.tolist()], dtype=object
        ).reshape(shape)
    else:
        w = w.astype(np.int64)
    totals = w.sum(axis=1)
    for k in range(shape[0]):
        if totals[k] <= 0 or (w[k] < 0).any():
            raise ProfileError(
                f"profile: player {player.name!r} type {player.types[k]!r}: "
                f"weights must be nonnegative and not all 0"
            )
    if w.dtype == np.int64:
        g = np.gcd.reduce(w, axis=1)
    else:
        g = np.array([math.gcd(*row) for row in w.tolist()], dtype=object)
    nums = w // g[:, None]
    nums.flags.writeable = False
    return nums, tuple(int(d) for d in (totals // g).tolist())


def _integer(x, player) -> int:
    """An entry of an object weight array as an int (not a bool, not a float)."""
    if isinstance(x, (bool, np.bool_)):
        raise ProfileError(f"profile: player {player.name!r}: weight {x!r} is a bool, not an int")
    try:
        return operator.index(x)
    except TypeError:
        raise ProfileError(
            f"profile: player {player.name!r}: weight {x!r} of type "
            f"{type(x).__name__} is not an int"
        ) from None


def _sympy_rows(integer_rows) -> tuple:
    """The sympy rows of integer rows (see :func:`_integer_rows`)."""
    return tuple(
        tuple(tuple(sympy.Rational(int(x), d) for x in row) for row, d in zip(nums.tolist(), dens))
        for nums, dens in integer_rows
    )


def _row_arrays(player, nums, dens) -> tuple:
    """:attr:`StrategyProfile.row_arrays` of one player from its integer rows."""
    common_denominator((max(dens),), nums.size, where=f"strategy of player {player.name!r}")
    top = int(np.abs(nums).max()) if nums.size else 0
    if nums.dtype != np.int64:
        return integer_array(nums), dens, top
    view = nums.view()  # read-only even when unpickled
    view.flags.writeable = False
    return view, dens, top
