"""Finite Bayesian games with exact data (README.md, "The definitions in one paragraph").

A :class:`BayesianGame` has players with finite types and actions, a common
prior over type profiles (independent or correlated, zeros allowed), and
rewards ``r_i(t, a)`` for every type profile ``t`` and action profile ``a``
-- the general (Harsanyi) form; the article's ``r_i(t_i, a)`` is the special
case that ignores the others' types.  Games are immutable and are built with
the named constructors :meth:`BayesianGame.from_function`,
:meth:`BayesianGame.from_tables` and :meth:`BayesianGame.from_arrays` (and, for
readers that have already made every value exact, :meth:`BayesianGame.from_values`).
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import sympy

from .display import game_html
from .errors import GameStructureError
from .exact import ExactArray, Parameter, as_exact, exact_sum, probability_symbols
from .game_build import (
    array_shapes,
    array_weights,
    check_distribution,
    check_names,
    check_size,
    index_of,
    names_at,
    prior_array,
    unset_cells,
)
from .limits import MAX_GAME_CELLS
from .substitution import substitute_game

__all__ = ["MAX_GAME_CELLS", "BayesianGame", "Player", "independent_prior", "check_distribution"]


@dataclass(frozen=True)
class Player:
    """A player: a name, its types and its actions.

    A player with a single type conventionally has the type ``"-"``.

    >>> Player("row", ("h", "l"), ("U", "D"))
    Player(name='row', types=('h', 'l'), actions=('U', 'D'))
    """

    name: str
    types: tuple = ("-",)
    actions: tuple = ()

    def __post_init__(self):
        check_names([self.name], "player", "player")
        object.__setattr__(self, "types", check_names(self.types, "type", f"player {self.name!r}"))
        object.__setattr__(
            self, "actions", check_names(self.actions, "action", f"player {self.name!r}")
        )


def independent_prior(players: Sequence[Player], marginals: Mapping) -> dict:
    """The joint prior of independent types, as {type-name profile: probability}.

    Players left out of ``marginals`` are uniform over their types.

    >>> ps = [Player("a", ("x", "y"), ("0",)), Player("b", ("-",), ("0",))]
    >>> independent_prior(ps, {"a": {"x": "1/3", "y": "2/3"}})
    {('x', '-'): 1/3, ('y', '-'): 2/3}
    """
    unknown = set(marginals) - {p.name for p in players}
    if unknown:
        raise GameStructureError(f"prior: unknown player {sorted(unknown)[0]!r}")
    factors = []
    for p in players:
        given = marginals.get(p.name)
        if given is None:
            factors.append({t: sympy.Rational(1, len(p.types)) for t in p.types})
            continue
        bad = set(given) - set(p.types)
        if bad:
            raise GameStructureError(f"prior: player {p.name!r} has no type {sorted(bad)[0]!r}")
        factors.append(
            {t: as_exact(given.get(t, 0), where=f"prior of {p.name!r} type {t!r}") for t in p.types}
        )
    return {
        t: functools.reduce(
            lambda x, y: x * y, (f[k] for f, k in zip(factors, t)), sympy.Integer(1)
        )
        for t in itertools.product(*(p.types for p in players))
    }


@dataclass(frozen=True, eq=False)
class BayesianGame:
    """A finite Bayesian game with exact prior and rewards.

    Build one with :meth:`from_function`, :meth:`from_tables` or
    :meth:`from_arrays` (or load a file with :func:`exactpower.load`).

    Attributes
    ----------
    players : tuple of Player
    parameters : tuple of Parameter
        The declared symbols; empty for a rational game.
    prior : ExactArray
        Shape ``(|T_1|, ..., |T_n|)``.
    rewards : ExactArray
        Shape ``(n, |T_1|, ..., |T_n|, |A_1|, ..., |A_n|)``; cells of type
        profiles outside the prior's support that were never set hold 0 and
        are marked in ``unset``.
    title : str or None
    declared_constant_sum : sympy value or None
        The ``constant_sum`` a game file declared (checked when read); written back
        by :func:`exactpower.dump`.

    Examples
    --------
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
    ...                               names=("row", "col"))
    >>> mp.n_players, mp.players[0].actions, mp.reward(0, (0, 0), (0, 1))
    (2, ('0', '1'), -1)
    """

    players: tuple
    parameters: tuple
    prior: ExactArray
    rewards: ExactArray
    title: str | None = None
    unset: np.ndarray | None = field(default=None, repr=False)
    declared_constant_sum: sympy.Expr | None = field(default=None, repr=False)

    # -- shape -----------------------------------------------------------------
    @property
    def n_players(self) -> int:
        return len(self.players)

    @property
    def type_shape(self) -> tuple:
        return tuple(len(p.types) for p in self.players)

    @property
    def action_shape(self) -> tuple:
        return tuple(len(p.actions) for p in self.players)

    @property
    def type_profiles(self) -> tuple:
        """Every type-index profile, in lexicographic order."""
        return tuple(itertools.product(*(range(k) for k in self.type_shape)))

    @property
    def action_profiles(self) -> tuple:
        """Every action-index profile, in lexicographic order."""
        return tuple(itertools.product(*(range(k) for k in self.action_shape)))

    @functools.cached_property
    def support(self) -> tuple:
        """Type-index profiles whose prior probability is not identically 0."""
        return tuple(t for t in self.type_profiles if self.probability(t) != 0)

    @property
    def is_symbolic(self) -> bool:
        return self.prior.symbolic or self.rewards.symbolic

    @functools.cached_property
    def probability_symbols(self) -> frozenset:
        return probability_symbols(self.parameters)

    # -- lookups -----------------------------------------------------------------
    def player_index(self, player) -> int:
        """The index of a player given by index or name."""
        if isinstance(player, (int, np.integer)) and not isinstance(player, bool):
            if 0 <= player < self.n_players:
                return int(player)
            raise GameStructureError(f"player index {player} out of range 0..{self.n_players - 1}")
        for i, p in enumerate(self.players):
            if p.name == player:
                return i
        raise GameStructureError(
            f"unknown player {player!r} (players: {', '.join(p.name for p in self.players)})"
        )

    def type_index(self, player: int, type_) -> int:
        return index_of(
            self.players[player].types, type_, f"player {self.players[player].name!r}", "type"
        )

    def action_index(self, player: int, action) -> int:
        return index_of(
            self.players[player].actions, action, f"player {self.players[player].name!r}", "action"
        )

    def probability(self, t: tuple) -> sympy.Expr:
        """The prior probability of a type-index profile."""
        return self.prior.value(tuple(t))

    def marginal(self, player: int, type_index: int) -> sympy.Expr:
        """``Ω_i(t_i)``, the marginal probability of one type of one player."""
        return exact_sum(self.probability(t) for t in self.type_profiles if t[player] == type_index)

    def reward(self, player: int, t: tuple, a: tuple):
        """``r_i(t, a)`` for index profiles; ``None`` for a cell that was never set."""
        index = (player, *t, *a)
        if self.unset is not None and self.unset[index]:
            return None
        return self.rewards.value(index)

    # -- construction ------------------------------------------------------------
    @classmethod
    def from_values(
        cls,
        players: Sequence[Player],
        prior_values: np.ndarray,
        reward_values: np.ndarray,
        parameters: Iterable[Parameter] = (),
        title: str | None = None,
    ) -> BayesianGame:
        """A game from values that are already exact: the constructor of the file readers.

        Parameters
        ----------
        players : sequence of Player
        prior_values : object array, shape ``(|T_1|, ..., |T_n|)``
            The prior, exact sympy values (e.g. from :func:`~exactpower.exact.as_exact`).
        reward_values : object array, shape ``(n, |T_1|, ..., |T_n|, |A_1|, ..., |A_n|)``
            The rewards, exact sympy values; ``None`` for a cell never set, which is
            allowed only at type profiles of prior probability 0.
        parameters : iterable of Parameter
            The parameters the values may contain.
        title : str, optional

        Everything is validated as by the other constructors: names, the size
        (:data:`~exactpower.limits.MAX_GAME_CELLS`), the prior as a probability
        distribution on the parameters' domains, coverage of the support; values are
        stored canonically (:class:`~exactpower.exact.ExactArray`).

        >>> solo, prior = [Player("solo", ("-",), ("a", "b"))], np.array([sympy.Integer(1)])
        >>> rewards = np.array([[[sympy.Rational(1, 2), sympy.Integer(3)]]], dtype=object)
        >>> BayesianGame.from_values(solo, prior, rewards).reward(0, (0,), (1,))
        3
        >>> rewards[0, 0, 1] = None
        >>> BayesianGame.from_values(solo, prior, rewards)
        Traceback (most recent call last):
        ...
        exactpower.errors.CoverageError: rewards: no reward for player 'solo' at types ('-',) and actions ('b',)
        """
        players = tuple(players)
        if not players:
            raise GameStructureError("a game needs at least one player")
        check_names([p.name for p in players], "player", "game")
        parameters = tuple(parameters)
        check_names([p.name for p in parameters] or ["-"], "parameter", "parameters")
        tshape = tuple(len(p.types) for p in players)
        check_size(tshape, tuple(len(p.actions) for p in players), "game")
        check_distribution(
            prior_values.ravel().tolist(),
            probability_symbols(parameters),
            "prior",
            [names_at(players, t, "types") for t in np.ndindex(tshape)],
        )
        prior = ExactArray.from_values(prior_values, where="prior")
        reward_values, unset_mask = unset_cells(players, prior_values, reward_values)
        rewards = ExactArray.from_values(reward_values, where="rewards")
        return cls(players, parameters, prior, rewards, title, unset_mask)

    @classmethod
    def from_function(
        cls,
        players: Sequence[Player],
        rewards: Callable,
        *,
        prior=None,
        parameters: Iterable[Parameter] = (),
        title: str | None = None,
    ):
        """A game whose rewards are given by a function of names.

        Parameters
        ----------
        players : sequence of Player
        rewards : callable
            ``rewards(types, actions)`` with tuples of type and action *names*,
            returning one exact value per player.  It is called for every
            type profile in the prior's support and every action profile.
        prior : mapping, optional
            ``{type-name profile: probability}``; profiles left out have
            probability 0.  Omitted: uniform.  See :func:`independent_prior`.
        parameters : iterable of Parameter
        title : str, optional

        Examples
        --------
        Stripped-down poker: the dealer's card is K or Q, equally likely.

        >>> poker = BayesianGame.from_function(
        ...     [Player("dealer", ("K", "Q"), ("bet", "check")),
        ...      Player("caller", ("-",), ("call", "fold"))],
        ...     lambda t, a: {("bet", "call"): (2, -2), ("bet", "fold"): (1, -1)}.get(
        ...         a, (1, -1)) if t[0] == "K" else {("bet", "call"): (-2, 2),
        ...         ("bet", "fold"): (1, -1)}.get(a, (-1, 1)))
        >>> poker.reward(0, (1, 0), (0, 0))
        -2
        """
        players = tuple(players)
        parameters = tuple(parameters)
        tshape = tuple(len(p.types) for p in players)
        ashape = tuple(len(p.actions) for p in players)
        prior_values = prior_array(players, prior, parameters)
        values = np.full((len(players), *tshape, *ashape), None, dtype=object)
        for t in np.ndindex(tshape):
            if prior_values[t] == 0:
                continue
            tn = names_at(players, t, "types")
            for a in np.ndindex(ashape):
                an = names_at(players, a, "actions")
                vec = rewards(tn, an)
                if len(vec) != len(players):
                    raise GameStructureError(
                        f"rewards{(tn, an)}: {len(vec)} values for {len(players)} players"
                    )
                for i, v in enumerate(vec):
                    values[(i,) + t + a] = as_exact(
                        v, parameters, where=f"reward of {players[i].name!r} at {tn}, {an}"
                    )
        return cls.from_values(players, prior_values, values, parameters, title)

    @classmethod
    def from_tables(
        cls,
        tables: Sequence,
        *,
        names: Sequence[str] | None = None,
        actions: Sequence[Sequence[str]] | None = None,
        parameters: Iterable[Parameter] = (),
        title: str | None = None,
    ):
        """A normal-form game (one type per player) from one payoff table per player.

        ``tables[i]`` is an ``n``-dimensional nested list indexed by the action
        profile.  Actions default to ``"0", "1", ...``; names to ``"1", "2", ...``.

        >>> g = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
        >>> [p.name for p in g.players], g.reward(1, (0, 0), (0, 1))
        (['1', '2'], 5)
        """
        arrays = [np.array(t, dtype=object) for t in tables]
        n = len(arrays)
        shapes = {a.shape for a in arrays}
        if len(shapes) != 1 or len(arrays[0].shape) != n:
            raise GameStructureError(
                f"tables: expected {n} tables of dimension {n}, got shapes "
                f"{[a.shape for a in arrays]}"
            )
        ashape = arrays[0].shape
        names = tuple(names) if names is not None else tuple(str(i + 1) for i in range(n))
        if actions is None:
            actions = [tuple(str(k) for k in range(m)) for m in ashape]
        if len(names) != n or len(actions) != n:
            raise GameStructureError(f"tables: need {n} player names and action lists")
        players = tuple(Player(nm, ("-",), tuple(acts)) for nm, acts in zip(names, actions))
        for p, m in zip(players, ashape):
            if len(p.actions) != m:
                raise GameStructureError(
                    f"tables: player {p.name!r} has {len(p.actions)} action names for {m} rows"
                )
        index = {pn: {an: k for k, an in enumerate(p.actions)} for pn, p in zip(names, players)}

        def rewards(_t, a):
            pos = tuple(index[p.name][x] for p, x in zip(players, a))
            return [arr[pos] for arr in arrays]

        return cls.from_function(players, rewards, parameters=parameters, title=title)

    @classmethod
    def from_arrays(
        cls,
        rewards,
        *,
        prior=None,
        denominator: int = 1,
        names: Sequence[str] | None = None,
        title: str | None = None,
    ):
        """A rational game from integer arrays -- the fast constructor for large games.

        Parameters
        ----------
        rewards : integer array, shape ``(n, T_1, ..., T_n, A_1, ..., A_n)``
            Reward numerators; the reward is ``rewards / denominator``.
        prior : integer array, shape ``(T_1, ..., T_n)``, optional
            Nonnegative weights, normalised by their sum.  Omitted: uniform.
        denominator : int
            A positive integer.
        names : sequence of str, optional
            Player names; types and actions are named ``"0", "1", ...``.

        Examples
        --------
        >>> import numpy as np
        >>> g = BayesianGame.from_arrays(np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        ...                              .reshape(2, 1, 1, 2, 2), denominator=2)
        >>> g.reward(0, (0, 0), (0, 0)), g.probability((0, 0))
        (1/2, 1)
        """
        arr = np.asarray(rewards)
        tshape, ashape = array_shapes(arr, denominator)
        n = arr.shape[0]
        names = tuple(names) if names is not None else tuple(str(i + 1) for i in range(n))
        players = tuple(
            Player(nm, tuple(str(k) for k in range(tk)), tuple(str(k) for k in range(ak)))
            for nm, tk, ak in zip(names, tshape, ashape)
        )
        weights, total = array_weights(prior, tshape)
        prior_arr = ExactArray.from_integers(weights, total)  # reduced there
        reward_arr = ExactArray.from_integers(arr, int(denominator))
        return cls(players, (), prior_arr, reward_arr, title, None)

    #: ``game.subs({name: value})``: the game with values for parameters (see
    #: :func:`exactpower.substitution.substitute_game`); Jupyter shows :func:`game_html`.
    subs, _repr_html_ = substitute_game, game_html

    def __repr__(self) -> str:
        shape = "x".join(f"{len(p.types)}t{len(p.actions)}a" for p in self.players)
        kind = "symbolic" if self.is_symbolic else "rational"
        title = f" {self.title!r}" if self.title else ""
        return f"<BayesianGame{title}: {self.n_players} players ({shape}), {kind}>"
