"""The worst case as linear programs: the opponents as one team, and one opponent's best reply.

:class:`TeamLP` is the program of :mod:`exactpower.bounds` (exact for one
opponent, a lower bound for several) and its dual, both solved by
:func:`exactpower.linalg.simplex.minimax_lp`; :func:`coordinate_descent` improves an upper
bound by coordinate descent over the opponents' exact best replies.

>>> from exactpower import BayesianGame
>>> from exactpower.bounds.search import Setup
>>> g = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], names=("a", "b"))
>>> lp = TeamLP(Setup(g, "a", "example"))
>>> x = lp.dual()
>>> lp.guarantee(x), lp.own_strategy(x)
(2/3, {'-': {'0': 1/3, '1': 2/3}})
"""

from __future__ import annotations

import math

import flint
import numpy as np
import sympy

from ..exact import to_fmpq, to_rational
from ..linalg.simplex import minimax_lp
from .search import Setup

__all__ = ["TeamLP", "best_reply_lp", "coordinate_descent"]


class TeamLP:
    """The opponents as one team with type ``t_-i`` and action ``a_-i`` (exact for one opponent)."""

    def __init__(self, setup: Setup):
        self.setup = setup
        game, i = setup.game, setup.i
        n = setup.n
        w = np.moveaxis(setup.W, i, 0)  # (t_i, t_-i..., a_i, a_-i...)
        t_i, a_i = w.shape[0], w.shape[n]
        self.own_types = [k for k in range(t_i) if setup.marginals[i][k] != 0]
        other_tshape = w.shape[1:n]
        other_ashape = w.shape[n + 1 :]
        self.team_types = [
            tt
            for tt in np.ndindex(other_tshape)
            if any(game.probability(_insert(tt, i, k)) != 0 for k in range(t_i))
        ]
        self.team_actions = list(np.ndindex(other_ashape))
        self.a_i = a_i
        # C[t_i, a_i, k, b] for kept own types and team types
        w2 = w.reshape(t_i, -1, a_i, max(1, math.prod(other_ashape)))
        keep = [
            int(np.ravel_multi_index(tt, other_tshape)) if other_tshape else 0
            for tt in self.team_types
        ]
        self.C = w2[self.own_types][:, keep]  # (T_i', K, A_i, B)

    def primal(self):
        """min Σ v s.t. Σ_{k,b} C y - v ≤ 0, Σ_b y[k] = 1: returns y[k][b]."""
        return minimax_lp(self.C.transpose(0, 2, 1, 3))[1]

    def dual(self):
        """max Σ μ s.t. μ[k] - Σ x C ≤ 0, Σ_a x[t_i] = 1: returns x[t_i][a_i]."""
        return minimax_lp(self.C.transpose(1, 3, 0, 2), maximin=True)[1]

    def guarantee(self, x) -> sympy.Rational:
        """``Σ_k min_b Σ_{t_i, a_i} x[t_i][a_i] C[t_i, a_i, k, b]``, exactly (as a Rational)."""
        T, K, A, B = self.C.shape
        total = flint.fmpq(0)
        for k in range(K):
            best: flint.fmpq | None = None
            for b in range(B):
                s = flint.fmpq(0)
                for ti in range(T):
                    for a in range(A):
                        if x[ti][a] != 0:
                            s += x[ti][a] * int(self.C[ti, k, a, b])
                if best is None or s < best:
                    best = s
            total += best  # type: ignore[operator]  # B >= 1: set by the loop above
        return to_rational(total) / self.setup.denominator

    def own_strategy(self, x) -> dict:
        me = self.setup.game.players[self.setup.i]
        out = {}
        kept = dict(zip(self.own_types, x))
        for k, t in enumerate(me.types):
            if k in kept:
                out[t] = {a: to_rational(p) for a, p in zip(me.actions, kept[k]) if p != 0}
            else:
                out[t] = {me.actions[0]: sympy.Integer(1)}
        return out

    def marginal_strategies(self, y) -> dict:
        """Each opponent's strategy: the marginal of the team's distribution, per own type."""
        setup = self.setup
        game = setup.game
        out = {}
        for slot, j in enumerate(setup.others):
            p = game.players[j]
            rows = {}
            for kj, t in enumerate(p.types):
                found = None
                for k, tt in enumerate(self.team_types):
                    if tt[slot] == kj:
                        found = k
                        break
                if found is None:
                    rows[t] = {p.actions[0]: sympy.Integer(1)}
                    continue
                probs = [flint.fmpq(0)] * len(p.actions)
                for b, aa in enumerate(self.team_actions):
                    probs[aa[slot]] += y[found][b]
                rows[t] = {a: to_rational(q) for a, q in zip(p.actions, probs) if q != 0}
            out[p.name] = rows
        return out


def best_reply_lp(setup: Setup, strategies: dict, slot: int) -> dict:
    """The exact minimiser of POWER(i, ·) over one opponent's strategy, the others fixed.

    With the other opponents' strategies fixed, ``F_i`` is linear in opponent
    ``j``'s strategy, so this is the two-player program with the others'
    mixing folded into the coefficients.  Returns ``j``'s new strategy.
    """
    game, n, i = setup.game, setup.n, setup.i
    j = setup.others[slot]
    x = setup.W.astype(object)
    for s in range(len(setup.others) - 1, -1, -1):
        if s == slot:
            continue
        k = setup.others[s]
        p = game.players[k]
        sigma = np.empty((len(p.types), len(p.actions)), dtype=object)
        for kt, t in enumerate(p.types):
            for ka, a in enumerate(p.actions):
                sigma[kt, ka] = to_fmpq(strategies[p.name][t].get(a, 0))
        shape = [1] * x.ndim
        shape[k], shape[n + 1 + s] = len(p.types), len(p.actions)
        x = (x * sigma.reshape(shape)).sum(axis=n + 1 + s)
    x = np.moveaxis(x, [i, j], [0, 1])
    c = x.reshape(x.shape[0], x.shape[1], -1, x.shape[-2], x.shape[-1]).sum(axis=2)
    own = [k for k in range(c.shape[0]) if setup.marginals[i][k] != 0]
    y = minimax_lp(c[own].transpose(0, 2, 1, 3))[1]
    p = game.players[j]
    return {
        t: {a: to_rational(y[kt][ka]) for ka, a in enumerate(p.actions) if y[kt][ka] != 0}
        for kt, t in enumerate(p.types)
    }


def coordinate_descent(setup: Setup, strategies: dict, value, floor, max_rounds: int = 8):
    """Coordinate descent: each opponent in turn plays its exact best reply (an LP).

    Every step is exact and can only lower POWER; stops after a round without
    improvement, at ``floor`` (the proven lower bound) or after ``max_rounds``.
    Returns ``(strategies, value, number of programs solved)``.
    """
    solved = 0
    for _ in range(max_rounds):
        improved = False
        for slot, j in enumerate(setup.others):
            if value == floor:
                return strategies, value, solved
            trial = dict(strategies)
            trial[setup.game.players[j].name] = best_reply_lp(setup, strategies, slot)
            solved += 1
            trial_value = setup.power_of(trial)
            if trial_value < value:
                strategies, value, improved = trial, trial_value, True
        if not improved:
            break
    return strategies, value, solved


def _insert(tt, i, k):
    """``tt`` with ``k`` inserted at position ``i``."""
    return tuple(tt[:i]) + (k,) + tuple(tt[i:])
