"""Bayesian Nash equilibria, exactly: the facade over three methods.

:func:`equilibria` returns an :class:`EquilibriumSet`, a frozen record that
says which method produced it and whether the list is provably complete.
Each :class:`Equilibrium` carries its profile (exact values), every player's
POWER there, and -- for the two-player method -- the equilibrium component it
belongs to.

Methods (see ``docs/equilibria.md``):

``"pure"`` (:mod:`exactpower.equilibria.pure`)
    Every pure BNE, any number of players; complete for pure equilibria.
``"two-player"`` (:mod:`exactpower.equilibria.two_player`)
    Every extreme BNE of a two-player game, by vertex enumeration of the
    best-response polyhedra over the players' types, grouped into
    components; complete.
``"polynomial"`` (:mod:`exactpower.equilibria.polynomial`)
    Pure equilibria, then mixed equilibria support by support (per player
    and type, up to ``max_support`` actions) by exact polynomial system
    solving; irrational equilibria come out as exact algebraic numbers.
    Complete when every support was tried and every system was
    zero-dimensional and solved; ``notes`` says what was not.
``"auto"``
    ``"pure"`` for one player, ``"two-player"`` for two, ``"polynomial"``
    for more.

:mod:`exactpower.equilibria.batched` is the two-player method again,
vectorised over a batch of small games (for :mod:`exactpower.small.exhaust`).

The package and the function share a name: ``exactpower.equilibria`` (the
attribute of the ``exactpower`` package) is the function :func:`equilibria`,
re-bound by ``exactpower/__init__.py``; the package is
``sys.modules["exactpower.equilibria"]``, reached by ``from
exactpower.equilibria import ...`` and ``from exactpower.equilibria.pure import
...`` (not by ``import exactpower.equilibria.pure as m``).  See
``docs/design.md``.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..display import equilibria_html
from ..errors import GameStructureError
from ..exact import exact_sum
from ..game import BayesianGame
from ..power import power
from ..profile import StrategyProfile
from .continua import Continuum
from .polynomial import polynomial_equilibria
from .pure import dummy_agents, pure_equilibria
from .two_player import solve_two_player

__all__ = ["Continuum", "Equilibrium", "EquilibriumSet", "equilibria", "METHODS"]

#: The accepted values of ``method``.
METHODS = ("auto", "pure", "two-player", "polynomial")


@dataclass(frozen=True)
class Equilibrium:
    """One Bayesian Nash equilibrium.

    Attributes
    ----------
    profile : StrategyProfile
        Exact probabilities (rationals, or exact algebraic numbers).
    power : tuple
        ``POWER(i, σ)`` of every player, in player order.
    component : int or None
        The equilibrium component (two-player method): extreme equilibria
        with the same number are connected through equilibria.  ``None``
        when the method does not compute components.
    continuum : Continuum or None
        Polynomial method: the positive-dimensional set of equilibria this profile is a
        point of (its supports and defining system), ``None`` for an isolated one.
    """

    profile: StrategyProfile
    power: tuple
    component: int | None = None
    continuum: Continuum | None = None

    @property
    def power_sum(self) -> sympy.Expr:
        """``Σ_i POWER(i, σ)``."""
        return exact_sum(self.power)


@dataclass(frozen=True)
class EquilibriumSet:
    """The equilibria found, how, and whether the list is provably complete.

    Attributes
    ----------
    equilibria : tuple of Equilibrium
    method : str
        ``"pure"``, ``"two-player"`` or ``"polynomial"`` (what ``"auto"`` chose).
    complete : bool
        ``True`` when the list provably contains every equilibrium of the
        kind the method enumerates -- see ``notes`` for which kind.
    notes : str
        What was enumerated, what is covered, and any caveat.
    continua : tuple of Continuum
        Polynomial method: every positive-dimensional set of equilibria met, with its
        defining system and a point (also listed in ``equilibria``) when one was found.

    Examples
    --------
    >>> from exactpower import BayesianGame
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> result = equilibria(mp)
    >>> result.method, result.complete, len(result)
    ('two-player', True, 1)
    >>> result[0].profile.strategies, result[0].power
    ((((1/2, 1/2),), ((1/2, 1/2),)), (0, 0))
    """

    equilibria: tuple
    method: str
    complete: bool
    notes: str
    continua: tuple = ()

    def __len__(self) -> int:
        return len(self.equilibria)

    def __iter__(self):
        return iter(self.equilibria)

    def __getitem__(self, index) -> Equilibrium:
        return self.equilibria[index]

    def _repr_html_(self) -> str:
        """Jupyter's display: the table ``exactpower equilibria`` prints."""
        return equilibria_html(self)


def _record(
    game: BayesianGame, profile: StrategyProfile, component, continuum=None, field=None
) -> Equilibrium:
    """The equilibrium with every player's POWER: in the number field of ``field`` (a
    :class:`~exactpower.equilibria.number_field.FieldPoint`) when given, else by
    :func:`~exactpower.power.power`."""
    if field is not None:
        return Equilibrium(profile, field.power(), component, continuum)
    return Equilibrium(
        profile, tuple(power(game, profile, i) for i in range(game.n_players)), component, continuum
    )


def _zero_types(game: BayesianGame) -> list:
    return [
        f"{p.name}:{t}"
        for i, p in enumerate(game.players)
        for k, t in enumerate(p.types)
        if game.marginal(i, k) == 0
    ]


def _zero_note(game: BayesianGame) -> str:
    zero = _zero_types(game)
    note = ""
    if zero:
        note = (
            f" Types of prior probability 0 ({', '.join(zero)}) are unconstrained: they "
            f"are shown playing their first action, and any other strategy of theirs "
            f"gives an equilibrium too."
        )
    if game.n_players < 3:
        return note
    dummies = [f"{game.players[i].name}:{game.players[i].types[k]}" for i, k in dummy_agents(game)]
    if dummies:
        note += (
            f" Dummy types ({', '.join(dummies)}: every action gives every player the "
            f"same rewards) were dropped before solving: they are shown playing their "
            f"first action, and any other strategy of theirs gives an equilibrium too."
        )
    return note


def _pure(game: BayesianGame) -> EquilibriumSet:
    found = pure_equilibria(game)
    one = game.n_players == 1
    records = tuple(
        _record(game, StrategyProfile.from_arrays(game, ws), 0 if one else None) for ws in found
    )
    if one:
        notes = (
            f"Every pure BNE ({len(records)}), by constraint propagation over "
            f"(player, type) assignments. With one player the equilibria are the "
            f"product over types of the simplices on the best actions: a single convex "
            f"component (0) whose extreme points are these, so the list is complete "
            f"for all equilibria."
        )
    else:
        notes = (
            f"Every pure BNE ({len(records)}), by backtracking over (player, type) "
            f"assignments with iterated elimination of actions dominated against every "
            f"completion. Complete for pure equilibria; mixed equilibria are not "
            f"searched."
        )
    return EquilibriumSet(records, "pure", True, notes + _zero_note(game))


def _two_player(game: BayesianGame) -> EquilibriumSet:
    result = solve_two_player(game)
    records = []
    for (i, j), component in zip(result.pairs, result.components):
        profile = StrategyProfile.from_arrays(game, [result.x_weights[i], result.y_weights[j]])
        records.append(_record(game, profile, component))
    n_components = len(set(result.components))
    notes = (
        f"Every extreme BNE ({len(records)}, in {n_components} "
        f"component{'s' if n_components != 1 else ''}), by exact vertex enumeration of "
        f"both players' best-response polyhedra over their types (one simplex per type; "
        f"{result.n_vertices[0]} and {result.n_vertices[1]} vertices) and complementary "
        f"pairing. Complete: every BNE is a convex combination of extreme equilibria of "
        f"one component (within a complete bipartite set of them)."
    )
    return EquilibriumSet(tuple(records), "two-player", True, notes + _zero_note(game))


def _polynomial(game: BayesianGame, max_support, progress=None) -> EquilibriumSet:
    result = polynomial_equilibria(game, max_support=max_support, progress=progress)
    of = {id(c.point): c for c in result.continua if c.point is not None}
    records = tuple(
        _record(game, profile, None, of.get(id(profile)), field)
        for profile, field in zip(result.profiles, result.fields)
    )
    return EquilibriumSet(
        records, "polynomial", result.complete, result.notes + _zero_note(game), result.continua
    )


def equilibria(
    game: BayesianGame, *, method: str = "auto", max_support: int | None = None, progress=None
) -> EquilibriumSet:
    """The Bayesian Nash equilibria of a rational game, exactly.

    Parameters
    ----------
    game : BayesianGame
        A rational game (symbolic games are refused).
    method : {"auto", "pure", "two-player", "polynomial"}
        See the module docstring; ``"auto"`` picks by the number of players.
    max_support : int, optional
        For ``"polynomial"`` only: the largest number of actions one type of
        one player may mix over (default: all of them).
    progress : callable, optional
        For ``"polynomial"`` only: called as ``progress(done, total)`` after each
        support profile (``exactpower equilibria`` draws a bar on a terminal).

    Returns
    -------
    EquilibriumSet

    Examples
    --------
    Stripped-down poker: the dealer always bets a K and bluffs a Q 1/3 of the
    time, the caller calls 2/3 of the time; the POWER sum is the constant 0.

    >>> from exactpower.catalog import stripped_down_poker
    >>> result = equilibria(stripped_down_poker())
    >>> [e.profile.to_dict() for e in result]
    [{'dealer': {'K': {'bet': 1}, 'Q': {'bet': 1/3, 'check': 2/3}}, 'caller': {'-': {'call': 2/3, 'fold': 1/3}}}]
    >>> result[0].power_sum
    0
    """
    if method not in METHODS:
        raise GameStructureError(
            f"equilibria: unknown method {method!r} (methods: {', '.join(METHODS)})"
        )
    if not isinstance(game, BayesianGame):
        raise TypeError("equilibria needs a BayesianGame")
    if game.is_symbolic:
        raise GameStructureError(
            "equilibria: the game has parameters; equilibria are computed for rational games "
            "only (substitute numbers for the parameters: game.subs({name: value}))"
        )
    if max_support is not None and (
        isinstance(max_support, bool) or not isinstance(max_support, int) or max_support < 1
    ):
        raise GameStructureError(
            f"equilibria: max_support must be a positive int, got {max_support!r}"
        )
    n = game.n_players
    if method == "auto":
        method = "pure" if n == 1 else "two-player" if n == 2 else "polynomial"
    if method == "pure":
        return _pure(game)
    if method == "two-player":
        if n != 2:
            raise GameStructureError(
                f"equilibria: method 'two-player' needs 2 players, the game has {n}"
            )
        return _two_player(game)
    return _polynomial(game, max_support, progress)
