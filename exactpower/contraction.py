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

from .exact import ExactArray, fits_int64
from .game import BayesianGame
from .profile import StrategyProfile

__all__ = ["interim_numerators", "interim_table", "welfare_value"]

_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(game: BayesianGame) -> dict:
    try:
        return _CACHE[game]
    except KeyError:
        entry: dict = {}
        _CACHE[game] = entry
        return entry


# -- layout ----------------------------------------------------------------------


def _reward_perm(n: int, i: int) -> list:
    """Axes of ``rewards[i]`` reordered to (t_i, t_-i..., a_i, a_-i...)."""
    others = [j for j in range(n) if j != i]
    return [i] + others + [n + i] + [n + j for j in others]


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
#
# Strategy rows keep their own denominators D_j(t_j): one common denominator per
# player would be the lcm of all row sums, which for random weights has hundreds
# of bits and would push everything out of int64.  The contraction runs in two
# stages.  (1) The big one, over every reward cell, with small integers only:
#     G_i(t, a_i) = Σ_{a_-i} Π_{j≠i} S_j(t_j, a_j) · R_i(t, a)
# in int64 under a proven bound.  (2) The small one, over type profiles only:
#     F_i(t_i, a_i) · dΩ · dR · Π_j L_j = Σ_{t_-i} K(t) G_i(t, a_i),
#     K(t) = P(t) · Π_{j≠i} L_j / D_j(t_j),   L_j = lcm_t D_j(t),
# where K may be a big integer: it is cut into 30-bit limbs, one int64 einsum each.

_LIMB = 30


def _outer(factors: list) -> np.ndarray:
    """The outer product of the arrays in ``factors`` (shape: all their axes in order)."""
    out = np.ones((), dtype=factors[0].dtype if factors else object)
    for f in factors:
        out = np.multiply.outer(out, f)
    return out


def _max_abs(arr: np.ndarray) -> int:
    if arr.size <= 64:  # numpy's call overhead dominates on tiny arrays
        flat = arr.ravel().tolist()
        return max(max(flat), -min(flat)) if flat else 0
    return int(np.abs(arr).max())


def _opponent_weights(rows, players: list, dtype) -> np.ndarray:
    """``V[s, b] = Π_{j in players} S_j(s_j, b_j)``, type profiles × action profiles."""
    if not players:
        return np.ones((1, 1), dtype=dtype)
    v = _outer([rows[j][0].astype(dtype) for j in players])  # axes t_j1, a_j1, t_j2, a_j2, ...
    m = len(players)
    v = v.transpose(list(range(0, 2 * m, 2)) + list(range(1, 2 * m, 2)))
    n_s = math.prod(v.shape[:m])
    return v.reshape(n_s, -1)


def _type_coefficients(prior: np.ndarray, rows, players: list) -> tuple:
    """``K(t) = P(t) · Π_j L_j / D_j(t_j)`` over the type axes of ``players`` (object ints)."""
    lcms = [math.lcm(*rows[j][1]) for j in players]
    scale = [np.array([lj // d for d in rows[j][1]], dtype=object) for lj, j in zip(lcms, players)]
    factor = _outer(scale) if scale else np.ones((), dtype=object)
    return prior.astype(object) * factor, math.prod(lcms)


def _combine(k: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``Σ_s k[t, s] g[t, s, a]`` exactly (int64 under a proven bound, else Python ints);
    ``k >= 0``."""
    if g.dtype != np.int64:
        return (k[:, :, None] * g.astype(object)).sum(axis=1)
    top_g, top_k, n_s = max(_max_abs(g), 1), _max_abs(k), k.shape[1]
    if fits_int64(top_k * top_g * n_s):
        return np.einsum("ts,tsa->ta", k.astype(np.int64), g)  # exact: bounded
    if not fits_int64((2**_LIMB) * top_g * n_s):
        return (k[:, :, None] * g.astype(object)).sum(axis=1)
    total = np.zeros((k.shape[0], g.shape[2]), dtype=object)
    mask, shift = 2**_LIMB - 1, 0
    while top_k >> shift:
        limb = ((k >> shift) & mask).astype(np.int64)  # object ints: exact shifts
        total = total + np.einsum("ts,tsa->ta", limb, g).astype(object) * (1 << shift)
        shift += _LIMB
    return total


def _type_scales(rows, players: list) -> tuple:
    """``(c, Π_j L_j)``: ``c(s) = Π_j L_j / D_j(s_j)`` over the type profiles ``s`` of
    ``players`` (C order), a 1-d object array of ints."""
    lcms = [math.lcm(*rows[j][1]) for j in players]
    scale = [np.array([lj // d for d in rows[j][1]], dtype=object) for lj, j in zip(lcms, players)]
    return _outer(scale).ravel() if scale else np.ones(1, dtype=object), math.prod(lcms)


def _combine_scaled(p: np.ndarray, c: np.ndarray, g: np.ndarray) -> np.ndarray:
    """``Σ_s p[t, s] c[s] g[t, s, a]`` exactly, for small ``p >= 0`` (int64) and ``c > 0``
    (object ints, perhaps big): the big factor ``c`` is cut into 30-bit limbs, one int64
    einsum for them all under a proven bound, joined once in Python integers."""
    top_p, n_s = _max_abs(p), p.shape[1]
    top_g = max(_max_abs(g), 1) if g.dtype == np.int64 else 0
    if not (top_g and fits_int64(top_p * top_g)):
        return _combine(p.astype(object) * c[None, :], g)
    top_c = max(c.tolist())
    if fits_int64(max(top_p, 1) * top_c * top_g * n_s):
        return np.einsum("ts,tsa->ta", p * c.astype(np.int64)[None, :], g)
    if not fits_int64((2**_LIMB) * top_p * top_g * n_s):
        return _combine(p.astype(object) * c[None, :], g)
    gp = g * p[:, :, None]  # exact: |p·g| fits (checked above)
    mask, n_limbs = 2**_LIMB - 1, -(-top_c.bit_length() // _LIMB)
    limbs = np.array(
        [[(x >> (_LIMB * k)) & mask for x in c.tolist()] for k in range(n_limbs)], dtype=np.int64
    )
    parts = np.einsum("ls,tsa->lta", limbs, gp).astype(object)  # exact: bounded
    total = parts[-1]
    for k in range(n_limbs - 2, -1, -1):
        total = (total << _LIMB) + parts[k]
    return total


def _rational_table(game: BayesianGame, profile: StrategyProfile, i: int) -> tuple:
    n = game.n_players
    prior, rewards = game.prior, game.rewards
    prior_nums, reward_nums = prior.numerators, rewards.numerators
    assert prior_nums is not None and reward_nums is not None  # a rational game
    rows = profile.row_arrays
    others = [j for j in range(n) if j != i]
    tshape, ashape = game.type_shape, game.action_shape
    n_s = math.prod(tshape) // tshape[i]
    n_b = math.prod(ashape) // ashape[i]
    cache = _cache(game)
    if "max_reward" not in cache:
        cache["max_reward"] = rewards.max_abs_numerator()
    bound = n_b * cache["max_reward"] * math.prod(rows[j][2] for j in others)
    exact64 = fits_int64(bound) and reward_nums.dtype == np.int64
    key = ("perm", i, exact64)
    if key not in cache:
        r = reward_nums[i].transpose(_reward_perm(n, i))
        r = np.ascontiguousarray(r if exact64 else r.astype(object))
        cache[key] = r.reshape(tshape[i], n_s, ashape[i], n_b)
    r = cache[key]
    v = _opponent_weights(rows, others, np.int64 if exact64 else object)
    g = np.einsum("tsab,sb->tsa", r, v) if exact64 else np.matmul(r, v[None, :, :, None])[..., 0]
    p = prior_nums.transpose([i] + others).reshape(tshape[i], n_s)
    c, lcm = _type_scales(rows, others)
    table = (
        _combine_scaled(p, c, g)
        if p.dtype == np.int64
        else _combine(p.astype(object) * c[None, :], g)
    )
    return table, prior.denominator * rewards.denominator * lcm


def _rational_welfare(game: BayesianGame, profile: StrategyProfile) -> sympy.Rational:
    prior, rewards = game.prior, game.rewards
    prior_nums, reward_nums = prior.numerators, rewards.numerators
    assert prior_nums is not None and reward_nums is not None  # a rational game
    rows = profile.row_arrays
    players = list(range(game.n_players))
    cache = _cache(game)
    if "total" not in cache:
        total = reward_nums.astype(object).sum(axis=0)
        top = _max_abs(total) if total.size else 0
        cache["total"] = total.astype(np.int64) if fits_int64(top) else total
    total = cache["total"]
    n_t = math.prod(game.type_shape)
    bound = math.prod(game.action_shape) * _max_abs(total) * math.prod(rows[j][2] for j in players)
    exact64 = fits_int64(bound) and total.dtype == np.int64
    v = _opponent_weights(rows, players, np.int64 if exact64 else object)
    t = total.reshape(n_t, -1)
    g = np.einsum("ta,ta->t", t, v) if exact64 else (t.astype(object) * v).sum(axis=1)
    k, lcm = _type_coefficients(prior_nums, rows, players)
    num = sum(int(x) * int(y) for x, y in zip(k.ravel().tolist(), g.tolist()))
    return sympy.Rational(num, prior.denominator * rewards.denominator * lcm)


# -- symbolic --------------------------------------------------------------------


def _domain(game: BayesianGame, profile: StrategyProfile):
    """A polynomial ring in the parameters, or its fraction field if needed, over QQ --
    or over the number field QQ<θ> generated by the algebraic numbers in a profile."""
    gens = [p.symbol for p in game.parameters] or [sympy.Dummy("unused")]
    values = list(game.prior.to_exprs().ravel()) + [
        v for rows in profile.strategies for row in rows for v in row
    ]
    exprs = game.rewards.exprs
    if exprs is not None:  # a symbolic game
        values += list(exprs.ravel())
    # Exact algebraic numbers (sqrt forms, CRootOf: irrational equilibria) are constants
    # of an algebraic number field QQ<θ>, where arithmetic is exact and reduced.
    numbers: set = set()
    for v in values:
        if not isinstance(v, sympy.Rational) and not v.free_symbols:
            roots = {
                a
                for a in v.atoms(sympy.Pow)
                if a.base.is_Rational and a.exp.is_Rational and not a.exp.is_Integer
            } | v.atoms(sympy.CRootOf)
            numbers |= roots or {v}
    ground = (
        sympy.QQ.algebraic_field(*sorted(numbers, key=sympy.default_sort_key))
        if numbers
        else sympy.QQ
    )
    if all(v.is_polynomial(*gens) for v in values if not isinstance(v, sympy.Rational)):
        return sympy.ring(gens, ground)[0]
    return sympy.field(gens, ground)[0]


def _to_domain(values: np.ndarray, dom) -> np.ndarray:
    """An object array of sympy values as elements of ``dom``."""
    out = np.empty(values.shape, dtype=object)
    out.ravel()[:] = [
        dom.from_expr(v) if not isinstance(v, sympy.Rational) else dom(v) for v in values.ravel()
    ]
    return out


def _strategy_values(rows) -> np.ndarray:
    """One player's strategy as an object array ``(T_i, A_i)`` of sympy values (taken
    as they are: no common denominator, which for many rows may be huge)."""
    out = np.empty((len(rows), len(rows[0])), dtype=object)
    for k, row in enumerate(rows):
        out[k, :] = list(row)
    return out


def _symbolic_arrays(game, profile):
    dom = _domain(game, profile)
    prior = _to_domain(game.prior.to_exprs(), dom)
    rewards = _to_domain(game.rewards.to_exprs(), dom)
    strategies = [_to_domain(_strategy_values(rows), dom) for rows in profile.strategies]
    return dom, prior, rewards, strategies


def _symbolic_table(game: BayesianGame, profile: StrategyProfile, i: int) -> ExactArray:
    n = game.n_players
    tshape, ashape = game.type_shape, game.action_shape
    k = math.prod(tshape) // tshape[i] * math.prod(ashape) // ashape[i]
    _dom, prior, rewards, strategies = _symbolic_arrays(game, profile)
    others = [j for j in range(n) if j != i]
    perm = [i, n + i] + others + [n + j for j in others]  # (t_i, a_i, t_-i..., a_-i...)
    r = rewards[i].transpose(perm).reshape(tshape[i], ashape[i], k)
    w = _weights(prior, strategies, i)
    w_axes = [i] + [j for j in range(n) if j != i] + list(range(n, 2 * n - 1))
    w = w.transpose(w_axes).reshape(tshape[i], k)
    table = _contract(r, w)
    values = np.empty(table.shape, dtype=object)
    values.ravel()[:] = [
        sympy.Integer(v) if isinstance(v, int) else v.as_expr() for v in table.ravel()
    ]
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
    return ExactArray.from_integers(*_rational_table(game, profile, i))


def interim_numerators(game: BayesianGame, profile: StrategyProfile, i: int) -> tuple:
    """``F_i`` of a rational game and profile as ``(numerators, denominator)``: an integer
    array (int64 or object) over a positive int, *not* reduced -- the fast path of POWER,
    which needs no canonical :class:`~exactpower.exact.ExactArray`.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> nums, den = interim_numerators(g, StrategyProfile.uniform(g), 0)
    >>> nums.tolist(), den
    ([[0, 0]], 2)
    """
    profile.check_game(game)
    if game.is_symbolic or profile.is_symbolic:
        raise TypeError("interim_numerators: the game or the profile is symbolic")
    return _rational_table(game, profile, i)


def welfare_value(game: BayesianGame, profile: StrategyProfile) -> sympy.Expr:
    """``W(σ) = E_t E_{a~σ(t)} Σ_i r_i(t, a)``, contracted directly (not from ``F``)."""
    profile.check_game(game)
    if game.is_symbolic or profile.is_symbolic:
        return _symbolic_welfare(game, profile)
    return _rational_welfare(game, profile)
