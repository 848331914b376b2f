"""The constant-sum test: ``Σ_i r_i(t, a) = c`` on the prior's support.

The definitions are those of README.md, "The definitions in one paragraph".
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import sympy

from .exact import exact_sum, same
from .game import BayesianGame

__all__ = ["ConstantSum", "constant_sum"]


@dataclass(frozen=True)
class ConstantSum:
    """The verdict of :func:`constant_sum`.

    Attributes
    ----------
    constant : sympy value or None
        ``c`` when the game is constant-sum, else ``None``.
    witness : tuple or None
        When not constant-sum: two cells ``((types, actions, total), (types,
        actions, total))`` (names) whose reward sums differ.
    """

    constant: object
    witness: tuple | None = None

    def __bool__(self) -> bool:
        return self.constant is not None


def _cell(game, t, a, total) -> tuple:
    return (
        tuple(p.types[k] for p, k in zip(game.players, t)),
        tuple(p.actions[k] for p, k in zip(game.players, a)),
        total,
    )


def _rational(game: BayesianGame) -> ConstantSum:
    """The same test on integer numerators, vectorised over all cells."""
    n = game.n_players
    nums = game.rewards.numerators
    assert nums is not None  # called for a rational game
    totals = nums.astype(object).sum(axis=0)  # shape (*T, *A)
    support = game.support
    if not support:
        return ConstantSum(sympy.Integer(0))
    den = game.rewards.denominator
    first_t = support[0]
    c = totals[first_t].ravel()[0]
    for t in support:
        cells = totals[t]
        bad = np.argwhere(cells != c)
        if len(bad):
            a = tuple(int(k) for k in bad[0])
            a0 = (0,) * n
            return ConstantSum(
                None,
                (
                    _cell(game, first_t, a0, sympy.Rational(c, den)),
                    _cell(game, t, a, sympy.Rational(cells[a], den)),
                ),
            )
    return ConstantSum(sympy.Rational(c, den))


def constant_sum(game: BayesianGame) -> ConstantSum:
    """Whether the rewards sum to one constant on every cell of the prior's support.

    Only type profiles of positive prior probability count: the theorem takes
    expectations over ``Ω``.

    Examples
    --------
    >>> from exactpower import BayesianGame
    >>> constant_sum(BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]))
    ConstantSum(constant=0, witness=None)
    >>> constant_sum(BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])).witness
    ((('-', '-'), ('0', '0'), 6), (('-', '-'), ('0', '1'), 5))
    """
    if not game.rewards.symbolic:
        return _rational(game)
    first = None
    for t in game.support:
        for a in game.action_profiles:
            total = exact_sum(game.reward(i, t, a) for i in range(game.n_players))
            cell = _cell(game, t, a, total)
            if first is None:
                first = cell
            elif not same(total, first[2]):
                return ConstantSum(None, (first, cell))
    if first is None:
        return ConstantSum(sympy.Integer(0))
    c = first[2]
    return ConstantSum(c if isinstance(c, sympy.Rational) else sympy.cancel(c))
