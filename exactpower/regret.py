"""Interim regret, NashConv and the Bayesian Nash equilibrium test.

The definitions are those of README.md, "The definitions in one paragraph".

``reg_i(t_i) = max_a f_i(t_i, a, σ_-i) − E_{a~σ_i(t_i)} f_i(t_i, a, σ_-i) ≥ 0``;
``NashConv = Σ_i Σ_{t_i} Ω_i(t_i) reg_i(t_i)``.  A profile is a BNE when, for
every player and every type of positive probability, every action it plays
with positive probability maximises ``f_i``.
"""

from __future__ import annotations

import sympy

from .contraction import interim_table
from .errors import UndecidedError, ZeroProbabilityError
from .exact import exact_max, exact_sum, tidy
from .game import BayesianGame
from .profile import StrategyProfile
from .utility import interim_rows

__all__ = ["regret", "regrets", "nash_conv", "is_bayesian_nash", "best_responses"]


def _regret_row(game, profile, i, k, row) -> sympy.Expr:
    best = exact_max(row, game.probability_symbols)
    played = exact_sum(profile.probability(i, k, a) * value for a, value in enumerate(row))
    return tidy(best - played)


def regrets(game: BayesianGame, profile: StrategyProfile, player) -> dict:
    """``{type: reg_i(t_i)}`` for one player; ``None`` for a type of probability 0.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> regrets(g, StrategyProfile.from_dict(g, {"1": "0", "2": "0"}), "2")
    {'-': 2}
    """
    i = game.player_index(player)
    rows = interim_rows(game, i, interim_table(game, profile, i))
    return {
        t: (None if row is None else _regret_row(game, profile, i, k, row))
        for k, (t, row) in enumerate(zip(game.players[i].types, rows))
    }


def regret(game: BayesianGame, profile: StrategyProfile, player, type_) -> sympy.Expr:
    """``reg_i(t_i)``, what type ``t_i`` of player ``i`` loses against its best response.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> regret(g, StrategyProfile.from_dict(g, {"1": "0", "2": "0"}), "1", "-")
    0
    """
    i = game.player_index(player)
    k = game.type_index(i, type_)
    value = regrets(game, profile, i)[game.players[i].types[k]]
    if value is None:
        raise ZeroProbabilityError(
            f"regret: type {game.players[i].types[k]!r} of player {game.players[i].name!r} "
            f"has prior probability 0"
        )
    return value


def nash_conv(game: BayesianGame, profile: StrategyProfile) -> sympy.Expr:
    """``NashConv(σ) = Σ_i Σ_{t_i} Ω_i(t_i) reg_i(t_i)``; zero exactly at a BNE.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> nash_conv(g, StrategyProfile.from_dict(g, {"1": "0", "2": "0"}))
    2
    """
    return tidy(
        exact_sum(
            game.marginal(i, k) * value
            for i in range(game.n_players)
            for k, value in enumerate(regrets(game, profile, i).values())
            if value is not None
        )
    )


def best_responses(game: BayesianGame, profile: StrategyProfile, player) -> dict:
    """``{type: (actions maximising f_i)}`` for a rational game; ``None`` for probability 0."""
    i = game.player_index(player)
    rows = interim_rows(game, i, interim_table(game, profile, i))
    acts = game.players[i].actions
    out: dict[str, tuple | None] = {}
    for t, row in zip(game.players[i].types, rows):
        if row is None:
            out[t] = None
            continue
        best = exact_max(row, game.probability_symbols)
        out[t] = tuple(a for a, v in zip(acts, row) if v == best)
    return out


def is_bayesian_nash(game: BayesianGame, profile: StrategyProfile) -> bool:
    """Whether ``σ`` is a Bayesian Nash equilibrium.

    Checked from the definition: every action played with positive
    probability by a type of positive probability is a best response.  For a
    symbolic game whose verdict depends on the parameters this raises
    :class:`~exactpower.errors.UndecidedError` (the proof module states the
    condition).

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> is_bayesian_nash(g, StrategyProfile.uniform(g))
    True
    >>> is_bayesian_nash(g, StrategyProfile.from_dict(g, {"1": "0", "2": "0"}))
    False
    """
    if game.is_symbolic or profile.is_symbolic:
        conv = nash_conv(game, profile)
        if conv == 0:
            return True
        if conv.is_positive:
            return False
        raise UndecidedError(
            f"is_bayesian_nash: NashConv = {conv} is zero for some parameter values only; "
            f"use the proof module for the exact condition"
        )
    for i in range(game.n_players):
        for k, best in enumerate(best_responses(game, profile, i).values()):
            if best is None:
                continue
            for a, action in enumerate(game.players[i].actions):
                if profile.probability(i, k, a) > 0 and action not in best:
                    return False
    return True
