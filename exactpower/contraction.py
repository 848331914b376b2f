"""The expectations behind every quantity, as exact tensor contractions.

For player ``i`` the central table is

    F_i(t_i, a_i) = Σ_{t_-i, a_-i} Ω(t) · Π_{j≠i} σ_j(t_j)(a_j) · r_i(t, (a_i, a_-i))
                  = Ω_i(t_i) · f_i(t_i, a_i, σ_-i),

the interim utility times the type's marginal probability -- no division, so
it is defined for every type, and it is 0 for a type of probability 0.

Rational games run the contraction on integer numerators: rewards, prior and
strategies are each one integer array over one denominator, and the sum of
products is an int64 ``einsum`` when a bound proves that no partial sum can
overflow, and an exact object-array (Python int) product otherwise.  The
reward array is permuted once per game and player and cached.  Symbolic games
run the same contraction over elements of sympy's polynomial ring (or its
fraction field, when a value has a parameter in a denominator) in the game's
parameters, never over ``Expr`` trees.
"""

from __future__ import annotations

import math
import weakref

import numpy as np
import sympy

from .game import BayesianGame
from .profile import StrategyProfile
from .tensor import ExactArray, fits_int64

__all__ = ["interim_table", "welfare_value"]

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(game: BayesianGame) -> dict:
    try:
        return _CACHE[game]
    except KeyError:
        _CACHE[game] = entry = {}
        return entry


# -- layout ----------------------------------------------------------------------

def _reward_perm(n: int, i: int) -> list:
    """Axes of ``rewards[i]`` reordered to (t_i, a_i, t_-i..., a_-i...)."""
    others = [j for j in range(n) if j != i]
    return [i, n + i] + others + [n + j for j in others]


def _weights(prior: np.ndarray, strategies: list, skip: int | None) -> np.ndarray:
    """``Ω(t) · Π_{j≠skip} σ_j(t_j)(a_j)`` with axes (t_1..t_n, a_j for j≠skip in order)."""
    n = prior.ndim
    w = prior
    for j, s in enumerate(strategies):
        if j == skip:
            continue
        shape = [1] * w.ndim + [s.shape[1]]
        shape[j] = s.shape[0]
        w = w[..., None] * s.reshape(shape)
    assert w.ndim == n + n - (skip is not None)
    return w


def _contract(r: np.ndarray, w: np.ndarray) -> np.ndarray:
    """``F[t, a] = Σ_k r[t, a, k] w[t, k]``."""
    if r.dtype == np.int64 and w.dtype == np.int64:
        return np.einsum("tak,tk->ta", r, w)
    return np.matmul(r, w[..., None])[..., 0]


# -- rational --------------------------------------------------------------------

def _rational_table(game: BayesianGame, profile: StrategyProfile, i: int) -> ExactArray:
    n = game.n_players
    prior, rewards = game.prior, game.rewards
    strategies = profile.arrays
    tshape, ashape = game.type_shape, game.action_shape
    k = math.prod(tshape) // tshape[i] * math.prod(ashape) // ashape[i]
    cache = _cache(game)
    if "max" not in cache:
        cache["max"] = (prior.max_abs_numerator(), max(rewards.max_abs_numerator(), 1))
    max_prior, max_reward = cache["max"]
    bound = k * max_prior * max_reward * math.prod(
        s.max_abs_numerator() for j, s in enumerate(strategies) if j != i)
    exact64 = fits_int64(bound) and rewards.numerators.dtype == np.int64
    key = ("perm", i, exact64)
    if key not in cache:
        r = rewards.numerators[i].transpose(_reward_perm(n, i))
        r = np.ascontiguousarray(r if exact64 else r.astype(object))
        cache[key] = r.reshape(tshape[i], ashape[i], k)
    dtype = np.int64 if exact64 else object
    w = _weights(prior.numerators.astype(dtype),
                 [s.numerators.astype(dtype) for s in strategies], i)
    w_axes = [i] + [j for j in range(n) if j != i] + list(range(n, 2 * n - 1))
    w = w.transpose(w_axes).reshape(tshape[i], k)
    table = _contract(cache[key], w)
    den = prior.denominator * rewards.denominator * math.prod(
        s.denominator for j, s in enumerate(strategies) if j != i)
    return ExactArray.from_integers(table.astype(object), den)


def _rational_welfare(game: BayesianGame, profile: StrategyProfile) -> sympy.Rational:
    prior, rewards = game.prior, game.rewards
    strategies = profile.arrays
    cache = _cache(game)
    if "total" not in cache:
        cache["total"] = rewards.numerators.astype(object).sum(axis=0)
    total = cache["total"]
    w = _weights(prior.numerators.astype(object), [s.numerators.astype(object) for s in strategies],
                 None)
    num = int(np.tensordot(w, total, axes=w.ndim))
    den = prior.denominator * rewards.denominator * math.prod(s.denominator for s in strategies)
    return sympy.Rational(num, den)


# -- symbolic --------------------------------------------------------------------

def _domain(game: BayesianGame, profile: StrategyProfile):
    """A polynomial ring over QQ in the parameters, or its fraction field if needed."""
    gens = [p.symbol for p in game.parameters] or [sympy.Dummy("unused")]
    values = list(game.prior.to_exprs().ravel()) + [
        v for rows in profile.strategies for row in rows for v in row]
    if game.rewards.symbolic:
        values += list(game.rewards.exprs.ravel())
    if all(v.is_polynomial(*gens) for v in values if not isinstance(v, sympy.Rational)):
        return sympy.ring(gens, sympy.QQ)[0]
    return sympy.field(gens, sympy.QQ)[0]


def _to_domain(array: ExactArray, dom) -> np.ndarray:
    out = np.empty(array.shape, dtype=object)
    out.ravel()[:] = [dom.from_expr(v) if not isinstance(v, sympy.Rational) else dom(v)
                      for v in array.to_exprs().ravel()]
    return out


def _symbolic_arrays(game, profile):
    dom = _domain(game, profile)
    prior = _to_domain(game.prior, dom)
    rewards = _to_domain(game.rewards, dom)
    strategies = [_to_domain(s, dom) for s in profile.arrays]
    return dom, prior, rewards, strategies


def _symbolic_table(game: BayesianGame, profile: StrategyProfile, i: int) -> ExactArray:
    n = game.n_players
    tshape, ashape = game.type_shape, game.action_shape
    k = math.prod(tshape) // tshape[i] * math.prod(ashape) // ashape[i]
    _dom, prior, rewards, strategies = _symbolic_arrays(game, profile)
    r = rewards[i].transpose(_reward_perm(n, i)).reshape(tshape[i], ashape[i], k)
    w = _weights(prior, strategies, i)
    w_axes = [i] + [j for j in range(n) if j != i] + list(range(n, 2 * n - 1))
    w = w.transpose(w_axes).reshape(tshape[i], k)
    table = _contract(r, w)
    values = np.empty(table.shape, dtype=object)
    values.ravel()[:] = [sympy.Integer(v) if isinstance(v, int) else v.as_expr()
                         for v in table.ravel()]
    return ExactArray.from_values(values)


def _symbolic_welfare(game: BayesianGame, profile: StrategyProfile) -> sympy.Expr:
    _dom, prior, rewards, strategies = _symbolic_arrays(game, profile)
    w = _weights(prior, strategies, None)
    total = rewards.sum(axis=0)
    value = np.tensordot(w, total, axes=w.ndim)
    value = value.item() if isinstance(value, np.ndarray) else value
    return sympy.Integer(value) if isinstance(value, int) else value.as_expr()


# -- entry points ------------------------------------------------------------------

def interim_table(game: BayesianGame, profile: StrategyProfile, i: int) -> ExactArray:
    """``F_i`` of shape ``(|T_i|, |A_i|)``: ``Ω_i(t_i) · f_i(t_i, a_i, σ_-i)``."""
    profile.check_game(game)
    if game.is_symbolic or profile.is_symbolic:
        return _symbolic_table(game, profile, i)
    return _rational_table(game, profile, i)


def welfare_value(game: BayesianGame, profile: StrategyProfile) -> sympy.Expr:
    """``W(σ) = E_t E_{a~σ(t)} Σ_i r_i(t, a)``, contracted directly (not from ``F``)."""
    profile.check_game(game)
    if game.is_symbolic or profile.is_symbolic:
        return _symbolic_welfare(game, profile)
    return _rational_welfare(game, profile)
