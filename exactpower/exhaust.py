"""Exhaustive checks of the power-scarcity theorem over a game class (SPEC §5 ``exhaust``).

For every game of a :class:`~exactpower.classes.GameClass` (one per symmetry
orbit) and every profile checked -- every profile whose mixed actions lie on the
grid ``k/m`` (all pure profiles among them), and every equilibrium found by
:func:`exactpower.equilibria` -- the checker verifies

- ``reg_i(t_i) ≥ 0`` for every player and type (step 2: a maximum dominates a mean);
- ``Σ_i E_{t_i} E_{a_i~σ_i} f_i = W(σ)`` (steps 3--4: total expectation, linearity),
  with ``W`` contracted directly from the rewards;
- for a constant-sum class ``W(σ) = c`` (steps 5--6);
- ``Σ_i POWER(i,σ) − bound = NashConv(σ)`` with ``bound = c`` or ``W(σ)``;
- equality ``Σ_i POWER(i,σ) = bound`` **iff** ``σ`` is a BNE, the BNE verdict taken
  from the definition (every action played by a type of positive probability is
  a best response), not from NashConv;
- every profile the equilibrium finder returns is a BNE.

The fast path (:func:`fast_check`) does this in exact integer arithmetic,
vectorised over a batch of games and all grid profiles at once: every quantity
is an integer numerator over the common denominator ``Σ_t w(t) · m^n · d``
(prior weights, strategy grid, value denominator), computed in ``int64`` when a
bound proves that no partial sum can overflow and in Python integers otherwise.
Any failure is re-traced by the proof module (``proofs.power_scarcity``) and
checked by its kernel (``proofs.check``) before it is reported, with the game
(game-v1 JSON), the profile and the trace; ``proofs`` is imported only then, inside
the function (like the command line, exactpower does not import it otherwise).
For two players the equilibria come from :func:`two_player_equilibria`, the
vertex enumeration of :mod:`exactpower.equilibria_two` vectorised over a batch.

>>> from exactpower.classes import GameClass
>>> s = exhaust(GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum"), grid=1)
>>> s["games"], s["classes_checked"], s["profiles_checked"], s["violations"]
(81, 15, 89, 0)
"""

from __future__ import annotations

import dataclasses
import functools
import itertools
import json
import math
import time
from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import sympy

from .classes import GameClass, Unit, _compositions
from .errors import GameError, GameStructureError
from .game import BayesianGame, Player
from .profile import StrategyProfile

__all__ = ["exhaust", "fast_check", "FastResult", "grid_strategies", "run_unit",
           "two_player_equilibria", "describe",
           "merge", "named_game", "FAILURES", "EQUILIBRIA_MODES", "MAX_COUNTEREXAMPLES"]

#: What each bit of :attr:`FastResult.failures` means.
FAILURES = {
    1: "max-dominates-mean: a negative interim regret",
    2: "total-expectation: Σ_i E[f_i] differs from the welfare",
    4: "constant-sum: the welfare differs from c",
    8: "identity: Σ POWER − bound differs from NashConv",
    16: "equality condition: Σ POWER = bound does not coincide with the BNE verdict",
    32: "equilibria: a profile returned by the equilibrium finder is not a BNE",
}
#: ``"auto"``: every equilibrium :func:`exactpower.equilibria` finds; ``"pure"``: its
#: pure equilibria; ``"none"``: the grid profiles only.
EQUILIBRIA_MODES = ("auto", "pure", "none")
#: At most this many counterexamples are reported in full (all are counted).
MAX_COUNTEREXAMPLES = 10
#: Games per batch of the vectorised check.
BATCH = 2048


# -- the fast exact check ------------------------------------------------------------------

def grid_strategies(types: int, actions: int, m: int) -> np.ndarray:
    """Every strategy of one player whose mixed actions lie on the grid ``k/m``.

    An integer array ``(K, types, actions)`` of numerators over ``m``, in
    lexicographic order; the pure strategies are those with entries 0 and ``m``.

    >>> grid_strategies(1, 2, 2)[:, 0].tolist()
    [[0, 2], [1, 1], [2, 0]]
    """
    rows = sorted(_compositions(m, actions))
    return np.array(list(itertools.product(rows, repeat=types)), dtype=np.int64).reshape(
        -1, types, actions)


class FastResult(NamedTuple):
    """Integer numerators over ``scale`` (``Σ_t w(t) · m^n``, per game row when paired).

    Arrays have the profile shape: ``(B, K_1..K_n)`` for a grid, ``(B,)`` paired.
    ``equilibrium`` is the BNE verdict from the definition; ``failures`` is a
    bit mask of :data:`FAILURES` (0: every check passed).
    """

    power_sum: np.ndarray
    welfare: np.ndarray
    bound: np.ndarray
    nash_conv: np.ndarray
    scale: object
    equilibrium: np.ndarray
    equality: np.ndarray
    failures: np.ndarray


def fast_check(rewards, prior, strategies: Sequence, denominator, constant=None, *,
               paired: bool = False) -> FastResult:
    """The theorem's steps and its equality condition for many games and profiles at once.

    Parameters
    ----------
    rewards : integer array ``(B, n, T_1..T_n, A_1..A_n)``
        Reward numerators (any common denominator ``d``: it cancels).
    prior : integer array ``(T_1..T_n)``
        Prior weights (probability ``prior / prior.sum()``).
    strategies : one integer array per player
        Grid: ``(K_j, T_j, A_j)`` numerators over the int ``denominator``; every
        combination is a profile.  ``paired``: ``(B, T_j, A_j)``, one profile per
        game row, over ``denominator`` of shape ``(B,)``.
    constant : int, optional
        ``c`` (numerator over ``d``) of a constant-sum class.

    Examples
    --------
    Matching pennies at its four pure profiles and the uniform one:

    >>> R = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]).reshape(1, 2, 1, 1, 2, 2)
    >>> S = grid_strategies(1, 2, 2)
    >>> res = fast_check(R, np.ones((1, 1), dtype=np.int64), [S, S], 2, 0)
    >>> res.power_sum[0].tolist(), res.equilibrium[0].tolist(), int(res.failures.max())
    ([[8, 4, 8], [4, 0, 4], [8, 4, 8]], [[False, False, False], [False, True, False], [False, False, False]], 0)
    """
    rewards, prior = np.asarray(rewards), np.asarray(prior)
    n = rewards.shape[1]
    if n > 7:
        raise GameStructureError("fast_check: at most 7 players")
    T, A, K = "abcdefg"[:n], "hijklmn"[:n], "opqrstu"[:n]
    m = np.asarray(denominator, dtype=object) if paired else int(denominator)
    m_top = int(np.max(m)) if paired else m
    r_top = max(int(np.abs(rewards).max()) if rewards.size else 0,
                abs(int(constant)) if constant is not None else 0, 1)
    dw = int(prior.sum())
    exact64 = (n + 3) * r_top * dw * m_top ** (n + 1) < 2**62
    dtype = np.int64 if exact64 else object
    R = rewards.astype(dtype)
    w = prior.astype(dtype)
    S = [np.asarray(s).astype(dtype) for s in strategies]
    if paired:
        m = np.asarray([int(v) for v in np.ravel(denominator)], dtype=dtype)
    subs = [("z" if paired else K[j]) + T[j] + A[j] for j in range(n)]
    full = "z" if paired else "z" + K
    others = lambda i: "" if paired else K[:i] + K[i + 1:]  # noqa: E731
    pos = [prior.sum(axis=tuple(k for k in range(n) if k != i)) > 0 for i in range(n)]
    power = mean_sum = conv = bad = 0
    bad_def = False
    for i in range(n):
        ops = [R[:, i], w] + [S[j] for j in range(n) if j != i]
        spec = ",".join(["z" + T + A, T] + [subs[j] for j in range(n) if j != i])
        F = np.einsum(f"{spec}->z{others(i)}{T[i]}{A[i]}", *ops, optimize=True)  # Ω_i(t_i) f_i
        best = F.max(axis=-1)
        own = subs[i]
        mean_t = np.einsum(f"{own},z{others(i)}{T[i]}{A[i]}->{full}{T[i]}", S[i], F,
                           optimize=True)
        best_full = best if paired else np.expand_dims(best, 1 + i)
        m_t = m.reshape(-1, 1) if paired else m
        regret = m_t * best_full - mean_t  # per type, times m
        conv = conv + regret.sum(axis=-1)
        bad = bad | np.where((regret < 0).any(axis=-1), 1, 0)
        mean_sum = mean_sum + mean_t.sum(axis=-1)
        pw = best.sum(axis=-1)
        power = power + (pw if paired else np.expand_dims(pw, 1 + i))
        played = ((S[i] > 0) & pos[i][:, None]).astype(np.int64)
        losing = (F < best[..., None]).astype(np.int64)
        bad_i = np.einsum(f"{own},z{others(i)}{T[i]}{A[i]}->{full}", played, losing,
                          optimize=True) > 0
        bad_def = bad_def | bad_i
    ops = [R.sum(axis=1), w] + S
    welfare = np.einsum(",".join(["z" + T + A, T] + subs) + "->" + full, *ops, optimize=True)
    scale = dw * m ** n
    power = m * power
    if constant is not None:
        bound = int(constant) * scale * np.ones_like(welfare)
        bad = bad | np.where(welfare != bound, 4, 0)
    else:
        bound = welfare
    bad = bad | np.where(mean_sum != welfare, 2, 0)
    bad = bad | np.where(power - bound != conv, 8, 0)
    equality = power == bound
    equilibrium = ~bad_def
    bad = bad | np.where(equality != equilibrium, 16, 0)
    return FastResult(power, welfare, bound, conv, scale, equilibrium, equality,
                      np.asarray(bad, dtype=np.int64))


# -- extreme equilibria of two-player games, vectorised -------------------------------------------
#
# The method of exactpower.equilibria_two (complementary vertex pairs of the two best-response
# polyhedra, one simplex per type), run for a whole batch of games at once.  A vertex of player
# 1's polyhedron P = {(x, v) : x ∈ Π_k Δ(A_1), (Bᵀx)[l,b] ≤ v_l} has, for every opponent type l,
# some tight (l, b); subtracting two tight rows of one l gives an *indifference* hyperplane in x
# alone.  So the vertices of P are the points x at which the tight bounds x[k,a] = 0 and the
# indifferences between *maximising* (l,b), (l,b') span x-space: every vertex is the solution of
# one square system of such hyperplanes (a basis), and every basis solution that is feasible
# (x ≥ 0) and whose indifferences are between maximisers is a vertex.  All bases of all games are
# solved at once by Cramer's rule in exact integer arithmetic; vertices are deduplicated per game
# and paired by labels.  tests/test_exhaust.py holds this to exactpower.equilibria_two.

#: The vectorised search is used when each polyhedron has at most this many bases ...
MAX_BASES = 4096
#: ... and x-space has at most this dimension.
MAX_DIMENSION = 4


def _dets(m: np.ndarray) -> np.ndarray:
    """Determinants of a stack ``(..., N, N)`` of small integer matrices (Leibniz formula)."""
    n = m.shape[-1]
    if n == 0:
        return np.ones(m.shape[:-2], dtype=m.dtype)
    total = 0
    for perm in itertools.permutations(range(n)):
        sign = (-1) ** sum(1 for i in range(n) for j in range(i + 1, n) if perm[i] > perm[j])
        prod = m[..., 0, perm[0]]
        for i in range(1, n):
            prod = prod * m[..., i, perm[i]]
        total = total + sign * prod
    return total


def _hyperplanes(n_own: int, n_actions: int, n_opp: int, n_opp_actions: int) -> list:
    return ([("bound", k, a) for k in range(n_own) for a in range(n_actions)]
            + [("indifference", l, b, c) for l in range(n_opp)
               for b in range(n_opp_actions) for c in range(b + 1, n_opp_actions)])


def _vertex_search_size(K: int, A: int, L: int, Bn: int) -> tuple:
    planes = len(_hyperplanes(K, A, L, Bn))
    dim = K * (A - 1)
    return dim, math.comb(planes, dim)


def _vertices(payoff: np.ndarray, dtype) -> tuple:
    """Vertices of one player's best-response polyhedron for a batch of games.

    ``payoff[z, k, a, l, b]``: the *opponent's* ex-ante payoff weight when this
    player's type ``k`` plays ``a`` and the opponent's type ``l`` plays ``b``
    (positive types only).  Returns ``(game, x, den, labels)`` over the distinct
    vertices: ``x[e] / den[e]`` is the strategy (rows per type), ``labels`` a bit
    mask: bit ``k·A + a`` when ``x[k,a] = 0``, bit ``K·A + l·B + b`` when ``(l,b)``
    is a best response of the opponent's type ``l``.
    """
    Z, K, A, L, Bn = payoff.shape
    P = payoff.astype(dtype)
    planes = _hyperplanes(K, A, L, Bn)
    dim = K * (A - 1)
    coef = np.zeros((Z, len(planes), dim), dtype=dtype)
    rhs = np.zeros((Z, len(planes)), dtype=dtype)
    free = lambda k, a: k * (A - 1) + a - 1  # noqa: E731 - x[k, a] for a >= 1
    for h, plane in enumerate(planes):
        if plane[0] == "bound":
            _, k, a = plane
            if a == 0:  # x[k,0] = 1 − Σ_{a≥1} x[k,a] = 0
                for b in range(1, A):
                    coef[:, h, free(k, b)] = 1
                rhs[:, h] = 1
            else:
                coef[:, h, free(k, a)] = 1
        else:
            _, l, b, c = plane
            D = P[:, :, :, l, b] - P[:, :, :, l, c]  # (Z, K, A)
            for k in range(K):
                for a in range(1, A):
                    coef[:, h, free(k, a)] = D[:, k, a] - D[:, k, 0]
            rhs[:, h] = -D[:, :, 0].sum(axis=1)
    bases = list(itertools.combinations(range(len(planes)), dim))
    idx = np.array(bases, dtype=np.int64).reshape(len(bases), dim)
    M = coef[:, idx, :]  # (Z, NB, dim, dim)
    r = rhs[:, idx]  # (Z, NB, dim)
    det = _dets(M)
    nums = []
    for j in range(dim):
        Mj = M.copy()
        Mj[..., :, j] = r
        nums.append(_dets(Mj))
    sign = np.where(det < 0, -1, 1).astype(dtype)
    det = det * sign
    x = np.zeros((Z, len(bases), K, A), dtype=dtype)
    for k in range(K):
        for a in range(1, A):
            x[..., k, a] = nums[free(k, a)] * sign if dim else 0
        x[..., k, 0] = det - x[..., k, 1:].sum(axis=-1)
    U = np.einsum("zkalb,znka->znlb", P, x, optimize=True)
    at_max = U == U.max(axis=-1, keepdims=True)
    need = np.zeros((len(bases), L, Bn), dtype=bool)
    for n_, basis in enumerate(bases):
        for h in basis:
            if planes[h][0] == "indifference":
                _, l, b, c = planes[h]
                need[n_, l, b] = need[n_, l, c] = True
    ok = (det != 0) & (x >= 0).all(axis=(-2, -1)) & ~(need & ~at_max).any(axis=(-2, -1))
    game, base = np.nonzero(ok)
    x, det, at_max = x[game, base], det[game, base], at_max[game, base]
    g = np.gcd.reduce(np.concatenate([det[:, None], x.reshape(len(det), -1)], axis=1)
                      .astype(object if dtype is object else np.int64), axis=1)
    x = x // g[:, None, None]
    det = det // g
    rows = np.concatenate([game[:, None], det[:, None], x.reshape(len(det), -1)], axis=1)
    rows = _unique_rows(rows if dtype is object else rows.astype(np.int64), Z)
    game, det = rows[:, 0].astype(np.int64), rows[:, 1]
    x = rows[:, 2:].reshape(-1, K, A)
    U = np.einsum("zkalb,zka->zlb", P[game], x.astype(dtype), optimize=True)
    at_max = U == U.max(axis=-1, keepdims=True)
    bits = np.concatenate([(x == 0).reshape(len(x), -1), at_max.reshape(len(x), -1)], axis=1)
    labels = (bits.astype(np.int64) << np.arange(bits.shape[1], dtype=np.int64)).sum(axis=1)
    return game, x, det, labels


def _unique_rows(rows: np.ndarray, games: int) -> np.ndarray:
    """The distinct rows ``(game, den, x...)`` (nonnegative), sorted."""
    if not len(rows):
        return rows
    top = int(rows[:, 1:].max()) + 1
    if rows.dtype != object and games * top ** (rows.shape[1] - 1) < 2**62:
        key = rows[:, 0].copy()
        for c in range(1, rows.shape[1]):
            key = key * top + rows[:, c]
        _, first = np.unique(key, return_index=True)
        return rows[first]
    return np.unique(rows, axis=0)


def two_player_equilibria(rewards: np.ndarray, prior: np.ndarray) -> tuple | None:
    """Every extreme BNE of each two-player game of a batch, or ``None`` if too large.

    Returns ``(game, X, Y, m)``: equilibrium ``e`` of game ``game[e]`` has strategies
    ``X[e] / m[e]`` and ``Y[e] / m[e]`` (types of probability 0 play their first
    action, as in :mod:`exactpower.equilibria_two`).

    >>> R = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]).reshape(1, 2, 1, 1, 2, 2)
    >>> game, X, Y, m = two_player_equilibria(R, np.ones((1, 1), dtype=np.int64))
    >>> X.tolist(), Y.tolist(), m.tolist()
    ([[[2, 2]]], [[[2, 2]]], [4])
    """
    Z, _, T1, T2, A1, A2 = rewards.shape
    k1 = [k for k in range(T1) if prior[k, :].any()]
    k2 = [l for l in range(T2) if prior[:, l].any()]
    K, L = len(k1), len(k2)
    for dims in ((K, A1, L, A2), (L, A2, K, A1)):
        dim, bases = _vertex_search_size(*dims)
        if dim > MAX_DIMENSION or bases > MAX_BASES:
            return None
    w = prior[np.ix_(k1, k2)]
    r = rewards[:, :, k1][:, :, :, k2]  # (Z, 2, K, L, A1, A2)
    top = int(np.abs(r).max()) * int(w.max()) if r.size else 1
    dim = max(K * (A1 - 1), L * (A2 - 1))
    bound = math.factorial(dim) * (4 * top * max(K, L) + 2) ** (dim + 1) * max(A1, A2) * top
    dtype = np.int64 if bound < 2**60 else object
    pay1 = (w[None, :, :, None, None] * r[:, 0]).transpose(0, 1, 3, 2, 4)  # (Z, K, A1, L, A2)
    pay2 = (w[None, :, :, None, None] * r[:, 1]).transpose(0, 1, 3, 2, 4)
    gx, x, dx, lx = _vertices(pay2, dtype)  # player 1's polyhedron: player 2's payoffs
    gy, y, dy, ly = _vertices(pay1.transpose(0, 3, 4, 1, 2), dtype)
    own, opp = K * A1, L * A2
    ly = ((ly & ((1 << opp) - 1)) << own) | (ly >> opp)  # into player 1's label order
    full = (1 << (own + opp)) - 1
    pairs = []
    cy = np.searchsorted(gy, np.arange(Z + 1))
    cx = np.searchsorted(gx, np.arange(Z + 1))
    vx, vy = int(np.diff(cx).max(initial=0)), int(np.diff(cy).max(initial=0))
    if vx and vy:
        ix = cx[:-1, None] + np.arange(vx)[None, :]
        iy = cy[:-1, None] + np.arange(vy)[None, :]
        okx, oky = ix < cx[1:, None], iy < cy[1:, None]
        LX = np.where(okx, lx[np.minimum(ix, len(lx) - 1)], 0)
        LY = np.where(oky, ly[np.minimum(iy, len(ly) - 1)], 0)
        comp = ((LX[:, :, None] | LY[:, None, :]) == full) & okx[:, :, None] & oky[:, None, :]
        zs, i, j = np.nonzero(comp)
        pairs = (zs, ix[zs, i], iy[zs, j])
    if not len(pairs) or not len(pairs[0]):
        empty = np.zeros((0,), dtype=np.int64)
        return empty, np.zeros((0, T1, A1), dtype=np.int64), \
            np.zeros((0, T2, A2), dtype=np.int64), empty
    zs, i, j = pairs
    m = (dx[i] * dy[j]).astype(dtype)
    X = np.zeros((len(zs), T1, A1), dtype=dtype)
    Y = np.zeros((len(zs), T2, A2), dtype=dtype)
    X[:, :, 0] = m[:, None]
    Y[:, :, 0] = m[:, None]
    X[:, k1] = x[i].astype(dtype) * dy[j].astype(dtype)[:, None, None]
    Y[:, k2] = y[j].astype(dtype) * dx[i].astype(dtype)[:, None, None]
    return zs.astype(np.int64), X, Y, m


# -- equilibria found by exactpower.equilibria -----------------------------------------------

def _finder(mode: str):
    """The equilibrium finder for ``mode``, or ``None`` (grid only / not available)."""
    if mode == "none":
        return None
    import importlib

    try:  # the submodule: the package itself exports a function of the same name
        module = importlib.import_module(__package__ + ".equilibria")
    except ImportError:
        return None
    return functools.partial(_found, module, mode)


def _found(module, mode: str, game: BayesianGame) -> tuple:
    """``(profiles, complete)``: each profile a list of per-player ``(T_j, A_j)`` rational rows."""
    if mode == "auto" and game.n_players == 2:
        try:
            from .equilibria_two import solve_two_player
        except ImportError:
            solve_two_player = None
        if solve_two_player is not None:
            r = solve_two_player(game)
            return [[_rows(r.x_weights[i]), _rows(r.y_weights[j])] for i, j in r.pairs], True
    found = module.equilibria(game, method="pure" if mode == "pure" else "auto")
    return [[[list(row) for row in rows] for rows in e.profile.strategies] for e in found], \
        found.complete


def _rows(weights) -> list:
    out = []
    for row in np.asarray(weights, dtype=object).tolist():
        total = sum(int(v) for v in row)
        out.append([sympy.Rational(int(v), total) for v in row])
    return out


def _integer_profile(rows_per_player) -> tuple | None:
    """``(numerator arrays, m)`` over one common denominator; ``None`` if not rational."""
    values = [v for rows in rows_per_player for row in rows for v in row]
    if not all(isinstance(v, sympy.Rational) for v in values):
        return None
    m = math.lcm(*(int(v.q) for v in values))
    return [np.array([[int(v * m) for v in row] for row in rows], dtype=object)
            for rows in rows_per_player], m


# -- one work unit -----------------------------------------------------------------------------

def _profile_weights(strategies, index) -> list:
    return [np.asarray(s[k]) for s, k in zip(strategies, index)]


def named_game(rewards, prior, denominator: int = 1) -> BayesianGame:
    """A class game as a :class:`~exactpower.BayesianGame` with readable, distinct names.

    Players ``"1", "2", ...``; types ``"-"`` (one type) or ``"t0", "t1", ...``; actions
    ``"a0", "a1", ...`` -- never equal to a type name, so a profile file of the game is
    unambiguous.

    >>> g = named_game(np.zeros((2, 1, 2, 2, 1), dtype=np.int64), np.ones((1, 2), dtype=np.int64))
    >>> [(p.name, p.types, p.actions) for p in g.players]
    [('1', ('-',), ('a0', 'a1')), ('2', ('t0', 't1'), ('a0',))]
    """
    game = BayesianGame.from_arrays(rewards, prior=prior, denominator=denominator)
    players = tuple(Player(p.name, ("-",) if len(p.types) == 1 else
                           tuple(f"t{k}" for k in range(len(p.types))),
                           tuple(f"a{k}" for k in range(len(p.actions))))
                    for p in game.players)
    return dataclasses.replace(game, players=players)


def _counterexample(cls: GameClass, rewards, prior, weights, failures: int, fast: dict) -> dict:
    """Re-trace a failed check with the proof module and its kernel (imported lazily)."""
    import proofs

    game = named_game(rewards, prior, cls.denominator)
    profile = StrategyProfile.from_arrays(game, [np.asarray(w, dtype=object) for w in weights])
    trace = proofs.power_scarcity(game, profile)
    verdict = proofs.check(trace)
    return _report([text for bit, text in FAILURES.items() if failures & bit],
                   game, profile, trace, verdict, fast)


def _report(failures: list, game, profile, trace, verdict, fast) -> dict:
    """A counterexample record: the game, the profile, the kernel-checked trace."""
    from .files import dumps

    return {
        "failures": failures,
        "game": json.loads(dumps(game)),
        "profile": json.loads(dumps(profile)),
        "trace": json.loads(trace.to_json()),
        "kernel": {"valid": verdict.ok, "message": verdict.message},
        "traced": {"power_sum": str(trace.conclusion.power_sum),
                   "bound": str(trace.conclusion.bound),
                   "nash_conv": str(trace.conclusion.gap),
                   "equality": trace.equality.holds,
                   "is_equilibrium": trace.equality.is_equilibrium},
        "fast": fast,
    }


def _fraction(num, scale) -> str:
    return str(sympy.Rational(int(num), int(scale)))


def run_unit(cls: GameClass, unit: Unit, grid: int = 2, equilibria: str = "auto",
             limit: int | None = None) -> dict:
    """Check every canonical game of one work unit; a JSON-ready dict of counts.

    Deterministic: the same unit gives the same dict on any machine.
    """
    scan = cls.scan(unit, limit)
    out = {"unit": unit.index, "games": int(scan.orbit_sizes.sum()),
           "classes": len(scan.orbit_sizes), "raw": scan.raw, "profiles": 0, "equilibria": 0,
           "grid_equilibria": 0, "pure_equilibria": 0, "violations": 0, "incomplete": 0,
           "counterexamples": []}
    if not len(scan.orbit_sizes):
        return out
    n = cls.players
    tshape, ashape = scan.prior.shape, scan.rewards.shape[2 + n:]
    strategies = [grid_strategies(t, a, grid) for t, a in zip(tshape, ashape)]
    pure = functools.reduce(np.multiply.outer,
                            [((s == 0) | (s == grid)).all(axis=(1, 2)) for s in strategies])
    c = cls.constant_numerator if cls.constraint == "constant-sum" else None
    finder = _finder(equilibria)
    if finder is None and equilibria != "none":
        raise GameError("exhaust: exactpower.equilibria is not available; use equilibria='none'")
    examples = out["counterexamples"]

    def report(rewards, weights, bits, res, k):
        out["violations"] += 1
        if len(examples) < MAX_COUNTEREXAMPLES:
            fast = {"power_sum": _fraction(res.power_sum[k], _at(res.scale, k)),
                    "bound": _fraction(res.bound[k], _at(res.scale, k)),
                    "nash_conv": _fraction(res.nash_conv[k], _at(res.scale, k)),
                    "is_equilibrium": bool(res.equilibrium[k])}
            examples.append(_counterexample(cls, rewards, scan.prior, weights, bits, fast))

    for lo in range(0, len(scan.orbit_sizes), BATCH):
        R = scan.rewards[lo:lo + BATCH]
        res = fast_check(R, scan.prior, strategies, grid, c)
        out["profiles"] += int(res.failures.size)
        out["grid_equilibria"] += int(res.equilibrium.sum())
        out["pure_equilibria"] += int((res.equilibrium & pure).sum())
        for k in map(tuple, np.argwhere(res.failures != 0)):
            report(R[k[0]], _profile_weights(strategies, k[1:]), int(res.failures[k]), res, k)
        if finder is None:
            continue
        games_of, S, dens, slow = _equilibria_of(R, scan.prior, cls, finder, equilibria, out)
        out["equilibria"] += len(games_of) + len(slow)
        out["profiles"] += len(games_of) + len(slow)
        if len(games_of):
            res = fast_check(R[games_of], scan.prior, S, dens, c, paired=True)
            bits = res.failures | np.where(res.equilibrium, 0, 32)
            for k in np.nonzero(bits)[0]:
                report(R[games_of[k]], [s[k] for s in S], int(bits[k]), res, (k,))
        for b, p in slow:  # irrational equilibria: the proof module checks them directly
            example = _irrational(cls, R[b], scan.prior, p)
            if example is not None:
                out["violations"] += 1
                if len(examples) < MAX_COUNTEREXAMPLES:
                    examples.append(example)
    return out


def _irrational(cls: GameClass, rewards, prior, rows) -> dict | None:
    """Trace and kernel-check an equilibrium with algebraic probabilities; ``None`` if it
    holds (equality, a BNE, a valid trace), else the counterexample."""
    import proofs

    game = named_game(rewards, prior, cls.denominator)
    profile = StrategyProfile(game.players, tuple(tuple(tuple(r) for r in player)
                                                  for player in rows))
    trace = proofs.power_scarcity(game, profile)
    verdict = proofs.check(trace)
    if verdict.ok and trace.equality.holds is True and trace.equality.is_equilibrium is True:
        return None
    return _report([FAILURES[32] if trace.equality.is_equilibrium is not True else FAILURES[16]],
                   game, profile, trace, verdict, None)


def _equilibria_of(R, prior, cls, finder, mode, out) -> tuple:
    """The equilibria of a batch of games: ``(game index, strategies, m, irrational)``."""
    n = cls.players
    if mode == "auto" and n == 2:
        found = two_player_equilibria(R, prior)
        if found is not None:
            games_of, X, Y, m = found
            return games_of, [X, Y], m, []
    rows, games_of, dens, slow = [[] for _ in range(n)], [], [], []
    for b in range(len(R)):
        game = BayesianGame.from_arrays(R[b], prior=prior, denominator=cls.denominator)
        profiles, complete = finder(game)
        out["incomplete"] += not complete
        for p in profiles:
            converted = _integer_profile(p)
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


def _at(scale, k):
    return scale[k[0]] if isinstance(scale, np.ndarray) else scale


# -- the driver --------------------------------------------------------------------------------

def merge(results: Sequence[dict]) -> dict:
    """Add up unit (or shard) results, keeping the counterexamples in order."""
    total = {"games": 0, "classes": 0, "raw": 0, "profiles": 0, "equilibria": 0,
             "grid_equilibria": 0, "pure_equilibria": 0, "violations": 0, "incomplete": 0,
             "counterexamples": []}
    for r in results:
        for key in total:
            if key == "counterexamples":
                room = MAX_COUNTEREXAMPLES - len(total[key])
                total[key].extend(r[key][:max(room, 0)])
            else:
                total[key] += r[key]
    return total


class _Progress:
    """A one-line ``\\r`` progress bar on a terminal; silent otherwise."""

    def __init__(self, total: int, stream):
        self.total, self.stream = total, stream
        self.on = stream is not None and hasattr(stream, "isatty") and stream.isatty()
        self.start = time.perf_counter()
        self.done = self.games = 0
        self.last = 0.0

    def update(self, result: dict) -> None:
        self.done += 1
        self.games += result["classes"]
        now = time.perf_counter()
        if not self.on or (now - self.last < 0.2 and self.done < self.total):
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        frac = self.done / max(self.total, 1)
        eta = elapsed * (1 - frac) / frac if frac else 0
        bar = "#" * int(30 * frac)
        self.stream.write(f"\r[{bar:<30}] {self.done}/{self.total} units  {self.games:,} games  "
                          f"{self.games / elapsed:,.0f} games/s  ETA {int(eta) // 60}:"
                          f"{int(eta) % 60:02d} ")
        self.stream.flush()

    def close(self) -> None:
        if self.on:
            self.stream.write("\n")
            self.stream.flush()


def _parse_shard(shard) -> tuple | None:
    if shard is None:
        return None
    if isinstance(shard, str):
        k, _, n = shard.partition("/")
        if not (k.isdigit() and n.isdigit()):
            raise GameStructureError(f"exhaust: shard {shard!r}: expected K/N, e.g. 1/4")
        shard = (int(k), int(n))
    k, n = shard
    if not 1 <= k <= n:
        raise GameStructureError(f"exhaust: shard {k}/{n}: need 1 <= K <= N")
    return k, n


def _windowed(units, submit, done, window: int):
    """Yield ``(unit index, result)`` as futures complete, keeping ``window`` in flight, so that
    a consumer that stops early (``limit``) leaves little work behind."""
    pending = list(units)[::-1]
    flying = {}
    while pending or flying:
        while pending and len(flying) < window:
            u = pending.pop()
            flying[submit(u)] = u.index
        finished = done(list(flying))
        for f in finished:
            yield flying.pop(f), f.result()


def _local(units, call, workers: int):
    if workers <= 1:
        for u in units:
            yield u.index, call(u)
        return
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

    with ProcessPoolExecutor(max_workers=workers) as pool:
        flying = []
        try:
            yield from _windowed(units, lambda u: _track(flying, pool.submit(call, u)),
                                 lambda fs: wait(fs, return_when=FIRST_COMPLETED).done,
                                 4 * workers)
        finally:
            for f in flying:
                f.cancel()


def _track(flying: list, future):
    flying.append(future)
    return future


def _dask(units, call, scheduler):
    try:
        from dask.distributed import Client, wait
    except ImportError:
        raise GameError("exhaust: --scheduler needs dask.distributed; install it with "
                        "pip install 'exactpower[dask]'") from None
    if isinstance(scheduler, Client):
        client, own = scheduler, False
    else:
        try:
            client, own = Client(scheduler, timeout="10s"), True
        except (OSError, TimeoutError) as exc:
            raise GameError(f"exhaust: cannot connect to the Dask scheduler {scheduler!r}: "
                            f"{exc}") from None
    flying = []
    try:
        window = 4 * max(1, len(client.scheduler_info().get("workers", {})))
        yield from _windowed(units, lambda u: _track(flying, client.submit(call, u, pure=False)),
                             lambda fs: wait(fs, return_when="FIRST_COMPLETED").done, window)
    finally:
        for f in flying:
            f.cancel()
        if own:
            client.close()


def exhaust(cls: GameClass, *, grid: int = 2, equilibria: str = "auto", workers: int = 1,
            shard=None, scheduler=None, limit: int | None = None, progress=None) -> dict:
    """Check the theorem on every game of a class; the JSON summary of ``exactpower exhaust``.

    Parameters
    ----------
    cls : GameClass
    grid : int
        Mixed actions ``k/grid`` (``1``: pure profiles only).
    equilibria : ``"auto"``, ``"pure"`` or ``"none"`` (see :data:`EQUILIBRIA_MODES`).
    workers : int
        Local processes (``concurrent.futures``); results do not depend on it.
    shard : ``"K/N"`` or ``(K, N)``
        Check only work units ``K-1, K-1+N, ...`` of the canonical game stream.
    scheduler : str or ``dask.distributed.Client``
        Run the units on a Dask cluster instead of local processes.
    limit : int
        Check at most this many games (the first of the stream).
    progress : file, optional
        Where to draw a progress bar (only if it is a terminal).

    Returns
    -------
    dict
        ``games`` (games covered: the sum of the orbit sizes of those checked),
        ``classes_checked``, ``profiles_checked``, ``equilibria``, ``violations``,
        ``counterexamples``, ``seconds``, and ``raw_games`` (class games
        enumerated), ``orbit_check`` (``raw_games == games``; ``None`` for a shard
        or a limited run), ``grid_equilibria``, ``pure_equilibria``,
        ``incomplete`` (games whose equilibrium list is not provably complete),
        ``units``, ``shard``, ``grid``, ``equilibrium_search``, ``class``.
    """
    start = time.perf_counter()
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 1:
        raise GameStructureError(f"exhaust: grid must be a positive integer, got {grid!r}")
    if equilibria not in EQUILIBRIA_MODES:
        raise GameStructureError(f"exhaust: equilibria {equilibria!r}: expected "
                                 f"{', '.join(EQUILIBRIA_MODES)}")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise GameStructureError(f"exhaust: limit must be a nonnegative integer, got {limit!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise GameStructureError(f"exhaust: workers must be a positive integer, got {workers!r}")
    parts = _parse_shard(shard)
    if equilibria != "none" and _finder(equilibria) is None:
        equilibria = "none"
    units = cls.units()
    if parts is not None:
        units = tuple(u for u in units if u.index % parts[1] == parts[0] - 1)
    call = functools.partial(run_unit, cls, grid=grid, equilibria=equilibria, limit=limit)
    runner = _dask(units, call, scheduler) if scheduler is not None else \
        _local(units, call, workers)
    bar = _Progress(len(units), progress)
    results, ordered, taken = {}, [], 0
    position = 0
    try:
        for index, result in runner:
            results[index] = result
            bar.update(result)
            while position < len(units) and units[position].index in results:
                r = results.pop(units[position].index)
                if limit is not None and taken + r["classes"] >= limit:
                    if taken + r["classes"] > limit:
                        r = run_unit(cls, units[position], grid, equilibria, limit - taken)
                    ordered.append(r)
                    taken = limit
                    position = len(units)
                    break
                ordered.append(r)
                taken += r["classes"]
                position += 1
            if position >= len(units):
                break
    finally:
        close = getattr(runner, "close", None)
        if close:
            close()
        bar.close()
    total = merge(ordered)
    full = parts is None and limit is None
    return {
        "games": total["games"],
        "classes_checked": total["classes"],
        "profiles_checked": total["profiles"],
        "equilibria": total["equilibria"],
        "violations": total["violations"],
        "counterexamples": total["counterexamples"],
        "seconds": round(time.perf_counter() - start, 3),
        "raw_games": total["raw"],
        "orbit_check": (total["raw"] == total["games"]) if full else None,
        "grid_equilibria": total["grid_equilibria"],
        "pure_equilibria": total["pure_equilibria"],
        "incomplete": total["incomplete"],
        "units": len(ordered),
        "shard": None if parts is None else f"{parts[0]}/{parts[1]}",
        "grid": grid,
        "equilibrium_search": equilibria,
        "class": describe(cls),
    }


def describe(cls: GameClass) -> dict:
    """The class as JSON-ready data (what ``exhaust`` reports under ``class``).

    >>> describe(GameClass(2, (1, 2), 2, range(2)))["types"]
    [[1], [2]]
    """
    prior = cls.prior if isinstance(cls.prior, str) else {
        "fixed": [str(w) for w in cls.prior.weights], "shape": list(cls.prior.shape)}
    return {"players": cls.players, "types": [list(t) for t in cls.types],
            "actions": [list(a) for a in cls.actions], "values": [str(v) for v in cls.values],
            "prior": prior, "reward_form": cls.reward_form, "constraint": cls.constraint,
            "constant": str(cls.constant) if cls.constraint == "constant-sum" else None,
            "reward_sets": cls.reward_sets, "symmetries": list(cls.symmetries)}

