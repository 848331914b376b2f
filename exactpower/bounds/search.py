"""The integer data of one player's bound, and the branch and bound over pure opponent profiles.

:class:`Setup` holds ``W[t, a] = Ω(t)·r_i(t, a)`` over one denominator;
:func:`branch_and_bound` finds the maximum (best case) or minimum (worst case,
three or more players) of ``POWER(i, ·)`` over the opponents' pure
type → action maps, as described in :mod:`exactpower.bounds`.

>>> from exactpower import BayesianGame
>>> g = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], names=("a", "b"))
>>> setup = Setup(g, "a", "example")
>>> value, assign, nodes, complete = branch_and_bound(setup, True, None, "example")
>>> setup.rational(value), [a.tolist() for a in assign], complete
(2, [[0]], True)
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import sympy

from ..errors import GameError
from ..exact import INT64_BOUND
from ..game import BayesianGame
from ..power import power
from ..profile import StrategyProfile

__all__ = [
    "Setup",
    "profile_from",
    "pure_strategies",
    "reduce_table",
    "bound_of",
    "branch_and_bound",
]


class Setup:
    """Integer data of one player's problem: ``W[t, a] = Ω(t)·r_i(t, a)`` over a denominator.

    Axes of ``W``: ``(t_1..t_n, a_i, a_j for j ≠ i in order)``.
    """

    def __init__(self, game: BayesianGame, player, who: str):
        if not isinstance(game, BayesianGame):
            raise GameError(f"{who}: expected a BayesianGame, got {type(game).__name__}")
        if game.is_symbolic:
            raise GameError(
                f"{who}: power bounds need a rational game; this game has "
                f"parameters ({', '.join(p.name for p in game.parameters)})"
            )
        self.game = game
        self.i = i = game.player_index(player)
        n = self.n = game.n_players
        self.others = [j for j in range(n) if j != i]
        prior_nums, reward_nums = game.prior.numerators, game.rewards.numerators
        assert prior_nums is not None and reward_nums is not None  # refused above if symbolic
        prior = np.asarray(prior_nums, dtype=object)
        rewards = np.asarray(reward_nums[i], dtype=object)
        self.denominator = game.prior.denominator * game.rewards.denominator
        w = prior.reshape(prior.shape + (1,) * n) * rewards
        w = np.moveaxis(w, [n + i] + [n + j for j in self.others], list(range(n, 2 * n)))
        top = max((abs(int(v)) for v in w.ravel().tolist()), default=0)
        if top * max(1, math.prod(game.type_shape)) < INT64_BOUND:
            w = w.astype(np.int64)
        self.W = w
        self.tshape, self.ashape = game.type_shape, game.action_shape
        self.marginals = [[game.marginal(j, k) for k in range(self.tshape[j])] for j in range(n)]

    def rational(self, integer) -> sympy.Rational:
        return sympy.Rational(int(integer), self.denominator)

    def power_of(self, strategies: dict) -> sympy.Rational:
        """POWER(i, ·) at the opponents' strategies ``{player: {type: {action: p}}}``."""
        game, me = self.game, self.game.players[self.i]
        full = dict(strategies)
        full[me.name] = {t: {me.actions[0]: sympy.Integer(1)} for t in me.types}
        return power(game, profile_from(game, full), self.i)


def profile_from(game: BayesianGame, strategies: Mapping) -> StrategyProfile:
    """A profile from ``{player: {type: {action: probability}}}`` (every player and type given).

    Built directly, not with :meth:`StrategyProfile.from_dict`, whose shorthand
    for one-type players cannot tell ``{type: action}`` from ``{action: p}``
    when a type and an action share a name.
    """
    rows = []
    for p in game.players:
        given = strategies[p.name]
        rows.append(
            tuple(tuple(sympy.Rational(given[t].get(a, 0)) for a in p.actions) for t in p.types)
        )
    return StrategyProfile.from_rows(game, tuple(rows))


def pure_strategies(setup: Setup, assign) -> dict:
    game = setup.game
    out = {}
    for j, choice in zip(setup.others, assign):
        p = game.players[j]
        out[p.name] = {
            t: {p.actions[max(int(a), 0)]: sympy.Integer(1)} for t, a in zip(p.types, choice)
        }
    return out


# -- branch and bound over pure opponent profiles -------------------------------------


def reduce_table(setup: Setup, assign, best: bool) -> np.ndarray:
    """``M[t, a_i]``: max (or min) of ``W`` over the opponents' actions allowed by ``assign``."""
    x = setup.W
    for slot in range(len(setup.others) - 1, -1, -1):
        j = setup.others[slot]
        choice = assign[slot]
        full = x.max(axis=-1) if best else x.min(axis=-1)
        if (choice < 0).all():
            x = full
            continue
        shape = [1] * x.ndim
        shape[j] = len(choice)
        idx = np.maximum(choice, 0).reshape(shape)
        picked = np.take_along_axis(x, np.broadcast_to(idx, x.shape[:-1] + (1,)), axis=-1)[..., 0]
        mask = (choice >= 0).reshape(shape[:-1])
        x = np.where(mask, picked, full)
    # x has axes (t_1..t_n, a_i)
    i = setup.i
    x = np.moveaxis(x, i, 0)
    return x.reshape(x.shape[0], -1, x.shape[-1]).sum(axis=1)


def bound_of(setup: Setup, assign, best: bool) -> int:
    table = reduce_table(setup, assign, best)
    return int(sum(int(max(row)) for row in table.tolist()))


def branch_and_bound(setup: Setup, best: bool, max_nodes: int | None, who: str):
    """Max (best) or min (worst) of POWER(i, s_-i) over pure opponent profiles.

    Returns ``(integer value, assignment, nodes, complete)``; ``complete`` is
    False when ``max_nodes`` stopped the search (the incumbent is then still
    a feasible value).
    """
    game = setup.game
    assign = [np.full(game.type_shape[j], -1, dtype=np.int64) for j in setup.others]
    slots = []
    for slot, j in enumerate(setup.others):
        for k in range(game.type_shape[j]):
            if setup.marginals[j][k] == 0:
                assign[slot][k] = 0  # irrelevant: every profile with this type has Ω = 0
            else:
                slots.append((setup.marginals[j][k], slot, k))
    slots.sort(key=lambda s: (-s[0], s[1], s[2]))
    order = [(slot, k) for _, slot, k in slots]
    state: dict = {"best": None, "assign": None, "nodes": 0, "complete": True}
    better = (lambda x, y: x > y) if best else (lambda x, y: x < y)

    def visit(depth: int, bound: int) -> None:
        state["nodes"] += 1
        if depth == len(order):
            if state["best"] is None or better(bound, state["best"]):
                state["best"] = bound
                state["assign"] = [a.copy() for a in assign]
            return
        slot, k = order[depth]
        j = setup.others[slot]
        children = []
        for a in range(game.action_shape[j]):
            assign[slot][k] = a
            children.append((bound_of(setup, assign, best), a))
        assign[slot][k] = -1
        children.sort(key=lambda c: (-c[0] if best else c[0], c[1]))
        for child_bound, a in children:
            incumbent = state["best"]
            if incumbent is not None and not better(child_bound, incumbent):
                break  # children are sorted: no later one can do better either
            if max_nodes is not None and state["nodes"] >= max_nodes and incumbent is not None:
                state["complete"] = False  # (the first dive always reaches a leaf)
                break
            assign[slot][k] = a
            visit(depth + 1, child_bound)
            assign[slot][k] = -1

    visit(0, bound_of(setup, assign, best))
    return state["best"], state["assign"], state["nodes"], state["complete"]
