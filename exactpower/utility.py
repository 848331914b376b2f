"""Interim expected utility and welfare (README.md, "The definitions in one paragraph").

``f_i(t_i, a_i, σ_-i) = E[r_i(t, (a_i, a_-i))]`` over ``t_-i ~ Ω(· | t_i)``
and ``a_j ~ σ_j(t_j)``; defined for types of positive probability.  It is
computed as ``F_i / Ω_i(t_i)`` from the table of
:func:`exactpower.contraction.interim_table`.
"""

from __future__ import annotations

import sympy

from .contraction import interim_table, welfare_value
from .errors import ZeroProbabilityError
from .exact import ExactArray
from .game import BayesianGame
from .profile import StrategyProfile

__all__ = ["interim_utility", "interim_utilities", "welfare", "interim_rows"]


def _divide(value: sympy.Expr, by: sympy.Expr) -> sympy.Expr:
    if isinstance(value, sympy.Rational) and isinstance(by, sympy.Rational):
        return value / by
    return sympy.cancel(value / by)


def interim_rows(game: BayesianGame, i: int, table: ExactArray) -> list:
    """``f_i(t_i, ·)`` per type as a list of value lists, ``None`` for a type of probability 0."""
    rows: list[list | None] = []
    for k in range(len(game.players[i].types)):
        omega = game.marginal(i, k)
        if omega == 0:
            rows.append(None)
            continue
        rows.append(
            [_divide(table.value((k, a)), omega) for a in range(len(game.players[i].actions))]
        )
    return rows


def interim_utilities(game: BayesianGame, profile: StrategyProfile, player) -> dict:
    """``{type: {action: f_i(t_i, a_i, σ_-i)}}`` for one player; ``None`` for a type of probability 0.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> s = StrategyProfile.from_dict(g, {"1": "0", "2": {"0": "1/4", "1": "3/4"}})
    >>> interim_utilities(g, s, "1")
    {'-': {'0': -1/2, '1': 1/2}}
    """
    i = game.player_index(player)
    p = game.players[i]
    rows = interim_rows(game, i, interim_table(game, profile, i))
    return {
        t: (None if row is None else dict(zip(p.actions, row))) for t, row in zip(p.types, rows)
    }


def interim_utility(
    game: BayesianGame, profile: StrategyProfile, player, type_, action
) -> sympy.Expr:
    """``f_i(t_i, a_i, σ_-i)``: the expected reward of one action of one type.

    Players, types and actions are given by name or index.  Raises
    :class:`~exactpower.errors.ZeroProbabilityError` for a type of prior
    probability 0, where the posterior (and so ``f_i``) is undefined.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> s = StrategyProfile.from_dict(g, {"1": "0", "2": {"0": "1/4", "1": "3/4"}})
    >>> interim_utility(g, s, "1", "-", "1")
    1/2
    """
    i = game.player_index(player)
    k = game.type_index(i, type_)
    a = game.action_index(i, action)
    omega = game.marginal(i, k)
    if omega == 0:
        raise ZeroProbabilityError(
            f"interim utility: type {game.players[i].types[k]!r} of player "
            f"{game.players[i].name!r} has prior probability 0"
        )
    return _divide(interim_table(game, profile, i).value((k, a)), omega)


def welfare(game: BayesianGame, profile: StrategyProfile) -> sympy.Expr:
    """``W(σ) = E_t E_{a~σ(t)} Σ_i r_i(t, a)``, the expected sum of rewards.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
    >>> welfare(g, StrategyProfile.uniform(g))
    9/2
    """
    return welfare_value(game, profile)
