"""Multi-agent POWER (README.md, "The definitions in one paragraph").

``POWER(i, σ) = Σ_{t_i: Ω_i(t_i) > 0} Ω_i(t_i) · max_{a_i} f_i(t_i, a_i, σ_-i)``,
the expected best reward a player can reach against the others' strategies.
It does not depend on ``σ_i``.  Since ``Ω_i(t_i) · f_i = F_i`` and a type of
probability 0 has a zero row in ``F_i``, POWER is ``Σ_{t_i} max_a F_i(t_i, a)``
for a rational game: a maximum and a sum over integer numerators.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sympy

from .contraction import interim_numerators, interim_table
from .errors import GameStructureError
from .exact import ExactArray, exact_max, exact_sum, tidy
from .game import BayesianGame, Player
from .profile import StrategyProfile
from .utility import interim_rows

__all__ = ["power", "power_from_table", "power_sum", "single_agent_power"]


def power_from_table(game: BayesianGame, i: int, table: ExactArray) -> sympy.Expr:
    """POWER of player ``i`` from its table ``F_i``."""
    nums = table.numerators
    if nums is not None:  # a rational table
        best = sum(max(row) for row in nums.tolist())
        return sympy.Rational(best, table.denominator)
    rows = interim_rows(game, i, table)
    return tidy(
        exact_sum(
            game.marginal(i, k) * exact_max(row, game.probability_symbols)
            for k, row in enumerate(rows)
            if row is not None
        )
    )


def power(game: BayesianGame, profile: StrategyProfile, player) -> sympy.Expr:
    """``POWER(i, σ)`` of one player (by name or index), exactly.

    Examples
    --------
    Matching pennies, the column player mixing 1/4 : 3/4:

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> s = StrategyProfile.from_dict(g, {"1": "0", "2": {"0": "1/4", "1": "3/4"}})
    >>> power(g, s, "1"), power(g, s, "2")
    (1/2, 1)
    """
    i = game.player_index(player)
    profile.check_game(game)
    if not (game.is_symbolic or profile.is_symbolic):  # the fast path: no canonical table
        nums, den = interim_numerators(game, profile, i)
        return sympy.Rational(sum(max(row) for row in nums.tolist()), den)
    return power_from_table(game, i, interim_table(game, profile, i))


def power_sum(game: BayesianGame, profile: StrategyProfile) -> sympy.Expr:
    """``Σ_i POWER(i, σ)``.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> power_sum(g, StrategyProfile.uniform(g))
    0
    """
    return exact_sum(power(game, profile, i) for i in range(game.n_players))


def single_agent_power(rewards: Sequence, probabilities: Sequence | None = None) -> sympy.Expr:
    """``POWER_D = E_{r~D}[max_a r(a)]`` for a finite-support distribution ``D``.

    Computed as the POWER of the one-player Bayesian game whose type is the
    reward function.

    Parameters
    ----------
    rewards : sequence of reward functions
        Each a sequence of values (actions ``0, 1, ...``) or a mapping
        ``{action: value}``; all over the same actions.
    probabilities : sequence, optional
        ``D``'s probability of each reward function; omitted: uniform.

    Examples
    --------
    >>> single_agent_power([[1, 0], [0, 3]], ["1/3", "2/3"])
    7/3
    >>> single_agent_power([{"stay": 0, "go": "1/2"}])
    1/2
    """
    rewards = list(rewards)
    if not rewards:
        raise GameStructureError("single_agent_power: needs at least one reward function")
    first = rewards[0]
    actions = (
        tuple(first) if isinstance(first, Mapping) else tuple(str(k) for k in range(len(first)))
    )
    table = []
    for k, r in enumerate(rewards):
        row = [r[a] for a in actions] if isinstance(r, Mapping) else list(r)
        if len(row) != len(actions) or (isinstance(r, Mapping) and set(r) != set(actions)):
            raise GameStructureError(f"single_agent_power: reward function {k} has other actions")
        table.append(row)
    types = tuple(str(k) for k in range(len(rewards)))
    prior = None if probabilities is None else dict(zip(((t,) for t in types), probabilities))
    if probabilities is not None and len(probabilities) != len(rewards):
        raise GameStructureError(
            f"single_agent_power: {len(probabilities)} probabilities for {len(rewards)} rewards"
        )
    game = BayesianGame.from_function(
        [Player("agent", types, actions)],
        lambda t, a: [table[int(t[0])][actions.index(a[0])]],
        prior=prior,
    )
    return power(game, StrategyProfile.uniform(game), 0)
