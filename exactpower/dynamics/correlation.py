"""How aligned are two players' rewards?  Exact correlation metrics (``docs/conjectures.md``).

The article ends on a spectrum "with [aligned rewards (common payoff), maximal sum power] on
one end and [anti-aligned rewards (constant-sum), constant sum power] on the other ... possibly
characterized by a correlation metric between reward functions".  Two metrics, both exact:

**Pearson ρ** (:func:`reward_correlation`).  Draw the type profile from the prior,
``t ~ Ω``, and every player's action uniformly and independently, ``a ~ U(A)``; then
``X = r_i(t, a)`` and ``Y = r_j(t, a)`` are two random variables and

    ``ρ_ij = Cov(X, Y) / sqrt(Var X · Var Y)``.

All moments are rational, so ``ρ²`` is rational and ``ρ = sign(Cov) · sqrt(ρ²)`` is an exact
surd (:func:`signed_correlation_squared` gives ``sign(Cov) · ρ²``, a rational).  ``ρ`` is
undefined (``None``) when a reward is constant on the prior's support.  Endpoints (proved, and
tested): identical rewards give ``ρ = 1``; ``r_j = α·r_i + β`` gives ``ρ = sign(α)``; so a
two-player constant-sum game (``r_2 = c − r_1``) has ``ρ = −1``.  The converse also holds:
``|ρ| = 1`` iff ``r_j`` is an affine image of ``r_i`` on the support (equality in
Cauchy–Schwarz).

**Strategic correlation ρ_S** (:func:`strategic_correlation`), the better-founded one.  Adding
to ``r_i`` any function ``h_i(t, a_{-i})`` of the type profile and the *others'* actions, or
scaling ``r_i`` by a positive constant, changes no best response, no regret and no NashConv
(the interim utility of every action of ``t_i`` moves by the same amount).  Pearson ρ sees
such terms; ρ_S removes them.  For the pair ``(i, j)`` let ``P`` be the projection (in
``L²(Ω × U(A))``) onto the functions orthogonal to every function of ``(t, a_{-i})`` and
every function of ``(t, a_{-j})``: the *double centring* in ``a_i`` and ``a_j``,

    ``P r = r − E_{a_i} r − E_{a_j} r + E_{a_i, a_j} r``   (per ``t`` and ``a_{-ij}``),

the part of ``r`` in which ``a_i`` and ``a_j`` interact.  Then ``ρ_S = corr(P r_i, P r_j)``.
It is invariant under the maps above (for both players), and for two players

- ``ρ_S = 1`` iff ``r_1/α − r_2`` is separable, ``f(t, a_1) + g(t, a_2)``, for some ``α > 0``:
  the game is strategically equivalent to a common-payoff game (a weighted potential game);
- ``ρ_S = −1`` iff ``r_1/α + r_2`` is separable: strategically equivalent to a zero-sum
  game (``r_1 + h_1(t, a_2) = −α (r_2 + h_2(t, a_1))``).

So ρ_S places a game on the common-payoff ↔ constant-sum axis *up to strategic equivalence*,
which is what equilibria see; Pearson ρ places the reward functions themselves, which is what
POWER (not invariant under ``h_i``: it moves ``POWER(i)`` by ``E[h_i]``) sees.  Both are
computed; ``docs/conjectures.md`` reports how ΣPOWER at equilibria relates to each.

:func:`batch_moments` is the integer, vectorised form of both for a batch of class games
(``exactpower.small``), used by :mod:`exactpower.dynamics.question_b`.

The prisoner's dilemma: its rewards are anti-correlated, yet it is a potential game.

>>> from exactpower import BayesianGame
>>> pd = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]])
>>> reward_correlation(pd), strategic_correlation(pd)
(-41/59, 1)
"""

from __future__ import annotations

import math

import numpy as np
import sympy

from ..errors import GameStructureError
from ..exact import exact_sum
from ..game import BayesianGame

__all__ = [
    "reward_correlation",
    "signed_correlation_squared",
    "strategic_correlation",
    "interaction_part",
    "correlation_moments",
    "batch_moments",
    "signed_square",
    "rho_from_signed_square",
]


def _pair(game: BayesianGame, i: int, j: int) -> tuple:
    if not isinstance(game, BayesianGame):
        raise TypeError("reward correlation needs a BayesianGame")
    n = game.n_players
    for k in (i, j):
        if isinstance(k, bool) or not isinstance(k, int) or not 0 <= k < n:
            raise GameStructureError(f"correlation: player index {k!r} out of range 0..{n - 1}")
    if i == j:
        raise GameStructureError(f"correlation: needs two different players, got {i} and {j}")
    return i, j


def interaction_part(values: np.ndarray, axes: tuple) -> np.ndarray:
    """Double-centre an object array of exact values along two action axes.

    ``P r = r − mean_{axis a} r − mean_{axis b} r + mean_{a, b} r`` (exact, sympy values).

    >>> r = np.array([[3, 0], [5, 1]], dtype=object)
    >>> [[str(v) for v in row] for row in interaction_part(r, (0, 1))]
    [['-1/4', '1/4'], ['1/4', '-1/4']]
    """
    a, b = axes
    ka, kb = values.shape[a], values.shape[b]
    va = values.sum(axis=a, keepdims=True) * sympy.Rational(1, ka)
    vb = values.sum(axis=b, keepdims=True) * sympy.Rational(1, kb)
    vab = values.sum(axis=(a, b), keepdims=True) * sympy.Rational(1, ka * kb)
    out = values - va - vb + vab
    return np.vectorize(sympy.expand, otypes=[object])(out)


def correlation_moments(game: BayesianGame, i: int = 0, j: int = 1, *, strategic=False) -> tuple:
    """``(Cov, Var_i, Var_j)`` of ``r_i``, ``r_j`` (or of their interaction parts) under
    ``t ~ Ω`` and uniform independent actions; exact sympy values.

    >>> from exactpower import BayesianGame
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> correlation_moments(mp)
    (-1, 1, 1)
    """
    i, j = _pair(game, i, j)
    n = game.n_players
    rewards = game.rewards.to_exprs()
    ri, rj = rewards[i], rewards[j]
    if strategic:
        axes = (n + i, n + j)
        ri, rj = interaction_part(ri, axes), interaction_part(rj, axes)
    weight = sympy.Rational(1, math.prod(game.action_shape))
    total: dict = {"x": [], "y": [], "xx": [], "yy": [], "xy": []}
    for t in game.support:
        p = game.probability(t) * weight
        for a in game.action_profiles:
            x, y = ri[tuple(t) + tuple(a)], rj[tuple(t) + tuple(a)]
            for key, v in (("x", x), ("y", y), ("xx", x * x), ("yy", y * y), ("xy", x * y)):
                total[key].append(p * v)
    m = {k: exact_sum(v) for k, v in total.items()}
    cov = sympy.expand(m["xy"] - m["x"] * m["y"])
    return cov, sympy.expand(m["xx"] - m["x"] ** 2), sympy.expand(m["yy"] - m["y"] ** 2)


def _rho(cov, vi, vj):
    if vi == 0 or vj == 0:
        return None
    if cov.free_symbols or vi.free_symbols or vj.free_symbols:
        return cov / sympy.sqrt(vi * vj)
    return rho_from_signed_square(sympy.sign(cov) * cov**2 / (vi * vj))


def reward_correlation(game: BayesianGame, i: int = 0, j: int = 1):
    """Pearson ρ between players ``i`` and ``j``'s rewards, exactly (``None`` if undefined).

    Types are drawn from the prior, actions uniformly; for a rational game the result is a
    rational or a quadratic surd (``ρ²`` is rational); for a game with parameters an
    expression in them.

    >>> from exactpower import BayesianGame
    >>> coordination = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> reward_correlation(coordination), reward_correlation(mp)
    (1, -1)
    >>> reward_correlation(BayesianGame.from_tables([[[1, 0], [0, 0]], [[1, 1], [0, 0]]]))
    sqrt(3)/3
    """
    return _rho(*correlation_moments(game, i, j))


def strategic_correlation(game: BayesianGame, i: int = 0, j: int = 1):
    """ρ_S: the correlation of the parts of ``r_i`` and ``r_j`` in which ``a_i`` and ``a_j``
    interact (module docstring); ``None`` if either part is 0.

    >>> from exactpower import BayesianGame
    >>> separable = BayesianGame.from_tables([[[1, 0], [1, 0]], [[1, 1], [0, 0]]])
    >>> strategic_correlation(separable) is None, reward_correlation(separable)
    (True, 0)
    """
    return _rho(*correlation_moments(game, i, j, strategic=True))


def signed_correlation_squared(game: BayesianGame, i: int = 0, j: int = 1, *, strategic=False):
    """``sign(Cov) · ρ²`` -- a rational for a rational game (``None`` if ρ is undefined).

    >>> from exactpower import BayesianGame
    >>> signed_correlation_squared(BayesianGame.from_tables([[[1, 0], [0, 0]], [[1, 1], [0, 0]]]))
    1/3
    """
    cov, vi, vj = correlation_moments(game, i, j, strategic=strategic)
    if vi == 0 or vj == 0:
        return None
    return sympy.sign(cov) * cov**2 / (vi * vj)


# -- a batch of integer games (the classes of exactpower.small) -------------------------------


def batch_moments(rewards: np.ndarray, prior: np.ndarray, i: int, j: int, strategic=False):
    """Integer moments of a batch: ``(cov, var_i, var_j)`` arrays, each ``N²·(moment)`` for one
    common positive ``N`` (so their ratios are exact).

    ``rewards`` ``(B, n, T_1..T_n, A_1..A_n)`` integers; ``prior`` integer weights.
    Computed in Python integers (object arrays): no overflow.

    >>> R = np.array([[1, -1], [-1, 1], [-1, 1], [1, -1]]).reshape(1, 2, 1, 1, 2, 2)
    >>> [m.tolist() for m in batch_moments(R, np.ones((1, 1), dtype=np.int64), 0, 1)]
    [[-16], [16], [16]]
    """
    R = np.asarray(rewards).astype(object)
    n = R.shape[1]
    x, y = R[:, i], R[:, j]
    if strategic:
        axes = (1 + n + i, 1 + n + j)
        x, y = _interaction_integers(x, axes), _interaction_integers(y, axes)
    w = np.asarray(prior).astype(object).reshape((1, *np.asarray(prior).shape) + (1,) * n)
    cells = math.prod(x.shape[1 + n :])
    N = int(np.asarray(prior).sum()) * cells
    axes_all = tuple(range(1, x.ndim))

    def s(v):
        return (w * v).sum(axis=axes_all)

    sx, sy = s(x), s(y)
    return N * s(x * y) - sx * sy, N * s(x * x) - sx * sx, N * s(y * y) - sy * sy


def _interaction_integers(v: np.ndarray, axes: tuple) -> np.ndarray:
    """``ka·kb`` times the double centring of ``v`` along ``axes`` (integers)."""
    a, b = axes
    ka, kb = v.shape[a], v.shape[b]
    return (
        ka * kb * v
        - kb * v.sum(axis=a, keepdims=True)
        - ka * v.sum(axis=b, keepdims=True)
        + v.sum(axis=(a, b), keepdims=True)
    )


def signed_square(cov: int, vi: int, vj: int) -> sympy.Rational | None:
    """``sign(cov)·cov²/(vi·vj)`` as a Rational from integer moments (``None`` if undefined).

    >>> signed_square(-1, 2, 2), signed_square(3, 0, 5)
    (-1/4, None)
    """
    if vi == 0 or vj == 0:
        return None
    sign = (cov > 0) - (cov < 0)
    return sign * sympy.Rational(int(cov) ** 2, int(vi) * int(vj))


def rho_from_signed_square(value) -> sympy.Expr | None:
    """``ρ = sign · sqrt(|value|)`` from ``sign(Cov)·ρ²`` (exact; ``None`` stays ``None``).

    >>> rho_from_signed_square(sympy.Rational(-1, 3)), rho_from_signed_square(sympy.Integer(1))
    (-sqrt(3)/3, 1)
    """
    if value is None:
        return None
    value = sympy.Rational(value)
    return sympy.sign(value) * sympy.sqrt(abs(value))
