"""An independent oracle for game trees, written from the definitions (SPEC §8).

It reads the tree's nodes and information sets and the profile's rows only -- none of
``exactpower.sequential``'s quantities -- and computes with ``fractions.Fraction``:

- ``u_i(σ)`` by enumerating every terminal path (product of the chance and behaviour
  probabilities on it);
- ``POWER(i, σ)`` as the maximum of ``u_i`` over **all** pure strategies of ``i`` (every
  assignment of an action to each of ``i``'s information sets), the others playing ``σ``;
- NashConv ``= Σ_i (POWER_i − u_i)`` and welfare ``= Σ_i u_i``.

Rational games and profiles only.
"""

from __future__ import annotations

import itertools
from fractions import Fraction


def fraction(value) -> Fraction:
    """A sympy Rational as a Fraction (refusing anything else)."""
    return Fraction(int(value.p), int(value.q))


def _paths(game, node: int, prob: Fraction, choose):
    """Yield ``(probability, payoffs)`` of every terminal below ``node``."""
    n = game.nodes[node]
    if n.kind == "terminal":
        yield prob, n.payoffs
        return
    info = game.infosets[n.infoset]
    for a, child in enumerate(n.children):
        p = choose(info, n.infoset, a)
        if p:
            yield from _paths(game, child, prob * p, choose)


def payoffs(game, profile, player=None, pure=None) -> list:
    """``[u_1, ..., u_n]`` as Fractions; with ``player`` and ``pure`` (``{infoset index:
    action index}``), that player plays the pure strategy instead of its rows."""

    def choose(info, k, a):
        if info.player is None:
            return fraction(info.probabilities[a])
        if info.player == player:
            return Fraction(int(pure[k] == a))
        return fraction(profile.probabilities[k][a])

    totals = [Fraction(0)] * len(game.players)
    for prob, pay in _paths(game, 0, Fraction(1), choose):
        for j, v in enumerate(pay):
            totals[j] += prob * fraction(v)
    return totals


def pure_strategies(game, player: int):
    """Every pure strategy of ``player`` as ``{infoset index: action index}``."""
    mine = [k for k, s in enumerate(game.infosets) if s.player == player]
    for choice in itertools.product(*(range(len(game.infosets[k].actions)) for k in mine)):
        yield dict(zip(mine, choice))


def power(game, profile, player: int) -> Fraction:
    """``max`` over all pure strategies of ``player`` of its expected payoff."""
    return max(payoffs(game, profile, player, s)[player] for s in pure_strategies(game, player))


def welfare(game, profile) -> Fraction:
    return sum(payoffs(game, profile), Fraction(0))


def nash_conv(game, profile) -> Fraction:
    u = payoffs(game, profile)
    return sum((power(game, profile, i) - u[i] for i in range(len(game.players))), Fraction(0))
