"""Continua of equilibria of games of three or more players: the record that describes one.

When the indifference system of a support profile (see
:mod:`exactpower.equilibria.polynomial`) has a positive-dimensional solution set, its
equilibria form a semi-algebraic set: the real solutions of the polynomial equations with
every support probability positive and no action outside a support doing better.  A
:class:`Continuum` gives that set exactly -- the support profile and the defining system as
text -- and an exact point of it (a genuine equilibrium), found by fixing unknowns to
rationals and solving again.
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from ..game import BayesianGame

__all__ = ["CANDIDATES", "Continuum", "describe_support", "describe_system"]

#: Rationals tried for an unknown when a point of a continuum is sought: small denominators
#: first (the Farey fractions in (0, 1) up to denominator 12).
CANDIDATES = sorted(
    {sympy.Rational(a, b) for b in range(2, 13) for a in range(1, b)}, key=lambda q: (q.q, q.p)
)


@dataclass(frozen=True)
class Continuum:
    """A positive-dimensional set of equilibria with given supports.

    Attributes
    ----------
    kind : str
        ``"positive-dimensional"``.
    support : tuple
        ``(player, type, actions)`` of every agent that mixes (the others play the one
        action shown in ``point``).
    system : tuple of str
        The equations ``... = 0`` in the unknowns ``p_i_k_a`` (the probability of action
        ``a`` of player ``i``'s type ``k``; the support's first action gets the rest),
        then the conditions ``p > 0`` on the supports and ``F(b) <= F(s)`` off them.
    point : StrategyProfile
        An exact equilibrium in the set.
    """

    kind: str
    support: tuple
    system: tuple
    point: object


def describe_support(game: BayesianGame, supports: dict) -> tuple:
    """``(player, type, actions)`` names of every agent with more than one action."""
    return tuple(
        (
            game.players[i].name,
            game.players[i].types[k],
            tuple(game.players[i].actions[a] for a in s),
        )
        for (i, k), s in sorted(supports.items())
        if len(s) > 1
    )


def describe_system(equations: list, positive: list, best: list) -> tuple:
    """The defining system as text: equations, positivity, best-response inequalities."""
    return (
        tuple(f"{e.as_expr()} = 0" for e in equations)
        + tuple(f"{p.as_expr() if hasattr(p, 'as_expr') else p} > 0" for p in positive)
        + tuple(f"{d.as_expr() if hasattr(d, 'as_expr') else d} <= 0" for d in best)
    )
