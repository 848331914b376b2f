"""The equilibria an exhaustive check adds to the grid profiles, for a batch of class games.

:func:`equilibria_of` gives, for a batch of reward arrays, every equilibrium the finder of
the chosen mode returns (:data:`~exactpower.small.summary.EQUILIBRIA_MODES`): for two players
and ``"auto"`` the vectorised vertex enumeration of
:func:`exactpower.equilibria.batched.two_player_equilibria`, else game by game by
:func:`exactpower.equilibria` (through :func:`finder`).  Rational equilibria come back as
integer numerators over one denominator per profile, ready for
:func:`exactpower.small.check.fast_check` (``paired``); the others (algebraic probabilities)
apart, for the proof module.

>>> half, one, zero = sympy.Rational(1, 2), sympy.Integer(1), sympy.Integer(0)
>>> arrays, m = integer_profile([[[half, half]], [[one, zero]]])
>>> [a.tolist() for a in arrays], m
([[[1, 1]], [[2, 0]]], 2)
"""

from __future__ import annotations

import functools
import math

import numpy as np
import sympy

from ..equilibria import equilibria as find_equilibria
from ..equilibria.batched import two_player_equilibria
from ..equilibria.two_player import solve_two_player
from ..game import BayesianGame
from .classes import GameClass

__all__ = ["finder", "equilibria_of", "integer_profile"]


def finder(mode: str):
    """The equilibrium finder for ``mode``, or ``None`` (grid only).

    >>> finder("none") is None, callable(finder("pure"))
    (True, True)
    """
    if mode == "none":
        return None
    return functools.partial(_found, mode)


def _found(mode: str, game: BayesianGame) -> tuple:
    """``(profiles, complete)``: each profile a list of per-player ``(T_j, A_j)`` rational rows."""
    if mode == "auto" and game.n_players == 2:
        r = solve_two_player(game)
        return [[_rows(r.x_weights[i]), _rows(r.y_weights[j])] for i, j in r.pairs], True
    found = find_equilibria(game, method="pure" if mode == "pure" else "auto")
    return [
        [[list(row) for row in rows] for rows in e.profile.strategies] for e in found
    ], found.complete


def _rows(weights) -> list:
    out = []
    for row in np.asarray(weights, dtype=object).tolist():
        total = sum(int(v) for v in row)
        out.append([sympy.Rational(int(v), total) for v in row])
    return out


def integer_profile(rows_per_player) -> tuple | None:
    """``(numerator arrays, m)`` over one common denominator; ``None`` if not rational."""
    values = [v for rows in rows_per_player for row in rows for v in row]
    if not all(isinstance(v, sympy.Rational) for v in values):
        return None
    m = math.lcm(*(int(v.q) for v in values))
    return [
        np.array([[int(v * m) for v in row] for row in rows], dtype=object)
        for rows in rows_per_player
    ], m


def equilibria_of(R, prior, cls: GameClass, find, mode: str, out: dict, max_bases: int) -> tuple:
    """The equilibria of a batch of games: ``(game index, strategies, m, irrational)``.

    ``find`` is :func:`finder` of ``mode``; ``out["incomplete"]`` counts the games whose
    equilibrium list is not provably complete; ``max_bases`` bounds the vectorised
    two-player enumeration (beyond it: game by game).
    """
    n = cls.players
    if mode == "auto" and n == 2:
        found = two_player_equilibria(R, prior, max_bases=max_bases)
        if found is not None:
            found_of, X, Y, m = found
            return found_of, [X, Y], m, []
    rows: list = [[] for _ in range(n)]
    games_of: list = []
    dens: list = []
    slow: list = []
    for b in range(len(R)):
        game = BayesianGame.from_arrays(R[b], prior=prior, denominator=cls.denominator)
        profiles, complete = find(game)
        out["incomplete"] += not complete
        for p in profiles:
            converted = integer_profile(p)
            if converted is None:
                slow.append((b, p))
                continue
            arrays, m = converted
            for j in range(n):
                rows[j].append(arrays[j])
            games_of.append(b)
            dens.append(m)
    S = [np.array(r, dtype=object) for r in rows]
    if games_of and max(dens) < 2**31:
        S = [s.astype(np.int64) for s in S]
    return np.array(games_of, dtype=np.int64), S, np.array(dens, dtype=object), slow
