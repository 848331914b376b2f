"""The indifference system of one support profile, for
:mod:`exactpower.equilibria.polynomial`: its unknowns (the probabilities of every support
action but the first of every mixing agent), the ring of polynomials in them (built only
when needed), the payoffs ``F(agent, a)`` as ring elements and the profile's rows at a
solution.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import flint
import sympy

from ..game import BayesianGame
from .pure import PureSearch

__all__ = ["Support"]


class Support:
    """The indifference system and best-response checks of one support profile."""

    def __init__(self, search: PureSearch, game: BayesianGame, supports: dict):
        self.game, self.supports = game, supports
        mixing = [agent for agent in search.agents if len(supports[agent]) > 1]
        self.symbols = {}
        for i, k in mixing:
            for a in supports[(i, k)][1:]:
                self.symbols[(i, k, a)] = sympy.Symbol(f"p_{i}_{k}_{a}")
        self.gens = list(self.symbols.values())
        self.search = search
        self.mixing = mixing

    @functools.cached_property
    def ring(self) -> Any:
        """The polynomial ring over ``QQ`` in :attr:`gens` (None without unknowns), built
        when first needed: a system solved from its integer equations never needs it."""
        return sympy.ring(self.gens, sympy.QQ)[0] if self.gens else None

    def sigma(self, j: int, t: int, a: int):
        """The probability of action ``a`` of agent ``(j, t)`` as a ring element."""
        s = self.supports[(j, t)]
        if a not in s:
            return 0
        if len(s) == 1:
            return self.ring.one if self.ring else 1
        unknown = self.by_symbol
        if a == s[0]:
            return self.ring.one - sum(unknown[self.symbols[(j, t, b)]] for b in s[1:])
        return unknown[self.symbols[(j, t, a)]]

    @functools.cached_property
    def by_symbol(self) -> dict:
        """``{symbol: ring generator}``."""
        return dict(zip(self.gens, self.ring.gens))

    @functools.cached_property
    def values(self) -> dict:
        """``{agent: [F(agent, a) for every action a]}`` as ring elements (built when first
        needed: a linear system solved at once never needs them)."""
        search, game, supports, sigma = self.search, self.game, self.supports, self.sigma
        one = self.ring.one if self.ring else 1
        n = game.n_players
        values = {}
        for agent in search.agents:
            i, _k = agent
            totals = [0] * game.action_shape[i]
            for t, w in search.terms[agent]:  # w: the agent's own action axis first
                others = [j for j in range(n) if j != i]
                for rest in itertools.product(*(supports[(j, t[j])] for j in others)):
                    weight = one
                    for j, a_j in zip(others, rest):
                        weight = weight * sigma(j, t[j], a_j)
                    for a in range(game.action_shape[i]):
                        r = int(w[(a,) + rest])
                        if r:
                            totals[a] = totals[a] + r * weight
            values[agent] = totals
        return values

    def equations(self) -> list:
        eqs: list = []
        for agent in self.mixing:
            s = self.supports[agent]
            f = self.values[agent]
            eqs.extend(f[a] - f[s[0]] for a in s[1:])
        return eqs

    def conditions(self) -> tuple:
        """``(positive, best)``: the support probabilities (``> 0``) and the payoff
        differences ``F(b) - F(s_0)`` of the actions off the supports (``<= 0``)."""
        positive = [self.sigma(i, k, a) for i, k in self.mixing for a in self.supports[(i, k)]]
        best = [
            self.values[agent][b] - self.values[agent][s[0]]
            for agent, s in ((a, self.supports[a]) for a in self.values)
            for b in range(len(self.values[agent]))
            if b not in s
        ]
        return positive, best

    def rows(self, images: list) -> tuple:
        """The profile's probabilities ``rows[i][t_i][a]`` as ``fmpq_poly`` (first support
        action: 1 minus the others; agents left out play their first action)."""
        index = {x: k for k, x in enumerate(self.gens)}
        zero, one = flint.fmpq_poly(0), flint.fmpq_poly(1)
        out = []
        for i, p in enumerate(self.game.players):
            player_rows = []
            for k in range(len(p.types)):
                s = self.supports.get((i, k), [0])
                row = [zero] * len(p.actions)
                if len(s) == 1:
                    row[s[0]] = one
                else:
                    for a in s[1:]:
                        row[a] = images[index[self.symbols[(i, k, a)]]]
                    row[s[0]] = one - sum(row[a] for a in s[1:])
                player_rows.append(tuple(row))
            out.append(tuple(player_rows))
        return tuple(out)
