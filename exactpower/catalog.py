"""Built-in example games (the same data as the files in ``examples/``).

``exactpower verify`` with no GAME runs on :func:`stripped_down_poker` at
:func:`stripped_down_poker_equilibrium`.

>>> from exactpower import is_bayesian_nash, power_sum
>>> game = stripped_down_poker()
>>> sigma = stripped_down_poker_equilibrium(game)
>>> is_bayesian_nash(game, sigma), power_sum(game, sigma)
(True, 0)
"""

from __future__ import annotations

from .game import BayesianGame, Player
from .profile import StrategyProfile

__all__ = ["stripped_down_poker", "stripped_down_poker_equilibrium"]

POKER_TITLE = "Stripped-down poker (Reiley, Urbancic and Walker 2008) as a Bayesian game"


def _poker_rewards(types, actions):
    card, (dealer, caller) = types[0], actions
    sign = 1 if card == "K" else -1
    if dealer == "check":
        return (sign, -sign)
    if caller == "fold":
        return (1, -1)
    return (2 * sign, -2 * sign)


def stripped_down_poker() -> BayesianGame:
    """Stripped-down poker (Reiley, Urbancic and Walker 2008) as a Bayesian game.

    The dealer draws K or Q (probability 1/2 each) and bets or checks; after a
    bet the caller calls or folds.  A check shows the card for 1; a fold loses 1;
    a call shows the card for 2.  Zero-sum.  Same game as ``examples/poker.json``.

    >>> stripped_down_poker().reward(0, (1, 0), (0, 0))  # Q, bet, call
    -2
    """
    return BayesianGame.from_function(
        [
            Player("dealer", ("K", "Q"), ("bet", "check")),
            Player("caller", ("-",), ("call", "fold")),
        ],
        _poker_rewards,
        prior={("K", "-"): "1/2", ("Q", "-"): "1/2"},
        title=POKER_TITLE,
    )


def stripped_down_poker_equilibrium(game: BayesianGame) -> StrategyProfile:
    """The equilibrium of stripped-down poker: always bet a K, bluff a Q 1/3 of the time;
    call 2/3 of the time (``examples/poker-equilibrium.json``).

    >>> stripped_down_poker_equilibrium(stripped_down_poker()).probability(1, 0, 0)
    2/3
    """
    return StrategyProfile.from_dict(
        game,
        {
            "dealer": {"K": "bet", "Q": {"bet": "1/3", "check": "2/3"}},
            "caller": {"call": "2/3", "fold": "1/3"},
        },
    )
