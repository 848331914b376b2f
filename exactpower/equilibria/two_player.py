"""Every extreme Bayesian Nash equilibrium of a two-player game, exactly.

The method is vertex enumeration of the two best-response polyhedra, paired
by complementary labels (Mangasarian 1964; von Stengel 2002, "Computing
equilibria for two-person games", §3; Avis, Rosenberg, Savani and von Stengel
2010, "Enumeration of Nash equilibria for two-player games", *Economic Theory*
42), carried over from one simplex per player to one simplex per *type*: the
Bayesian game is the bimatrix game between the players' types ("agents"),
whose strategies are products of simplices (the sequence form of the
Harsanyi tree, Koller, Megiddo and von Stengel 1996).  Nothing here touches
the induced strategic form, whose size is ``|A_i|^|T_i|``.

The polyhedra
-------------
Let ``k`` range over player 1's types of positive marginal probability and
``l`` over player 2's, and write the ex-ante payoffs as integer matrices

    A[(k,a),(l,b)] = Ω(k,l) r_1((k,l),(a,b)),   B[(k,a),(l,b)] = Ω(k,l) r_2((k,l),(a,b))

(numerators over one positive denominator, which changes no comparison).
Then ``(A y)[k,a] = Ω_1(k) f_1(k, a, y)`` and ``(Bᵀx)[l,b] = Ω_2(l) f_2(l, b, x)``.
Player 1's best-response polyhedron, over ``x`` (one distribution per type)
and one payoff level ``v_l`` per type of player 2, is

    P = {(x, v) : x ≥ 0, Σ_a x[k,a] = 1 for every k, (Bᵀx)[l,b] ≤ v_l for every (l,b)},

and ``Q`` over ``(y, u)`` likewise with ``A``.  A point's *labels* are the
``(k,a)`` with ``x[k,a] = 0`` or ``(A y)[k,a] = u_k``, and the ``(l,b)`` with
``y[l,b] = 0`` or ``(Bᵀx)[l,b] = v_l``.  ``(x, y)`` is a BNE iff some
``(x,v) ∈ P`` and ``(y,u) ∈ Q`` together have every label (complementarity).

The equilibrium set is the union of products ``F × G`` of faces of ``P`` and
``Q`` whose label sets cover all labels; their extreme points are pairs of
complementary vertices (a face on which some ``v_l`` is free cannot be part
of an equilibrium, since some ``y[l,b] > 0`` needs the label ``(l,b)`` from
``P``).  So the *extreme equilibria* are exactly the complementary vertex
pairs, and enumerating all vertices of ``P`` and ``Q`` finds all of them,
degenerate games included.

Vertices are enumerated by the double description method (Motzkin et al.
1953; Fukuda and Prodon 1996) on the homogenised cone, in exact integer
arithmetic, with the combinatorial adjacency test -- which stays correct in
degenerate polyhedra, where bases and vertices are not in bijection.

Components
----------
Two extreme equilibria ``(x,y)`` and ``(x,y')`` sharing ``x`` span a segment
of equilibria: every label is in ``L(x)`` or in both ``L(y)`` and ``L(y')``,
and a convex combination keeps the labels its ends share.  More generally a
complete bipartite set ``X × Y`` of extreme equilibria (a *clique* of
Avis et al.) spans the product of hulls ``conv X × conv Y`` of equilibria, and
the maximal cliques are the maximal Nash subsets ``F × G``.  Two maximal Nash
subsets meet iff they share an extreme equilibrium (faces meet in a face,
whose vertices are vertices of both).  Hence the *components* (connected
components of the equilibrium set) are the connected components of the
bipartite graph whose nodes are the vertices of ``P`` and ``Q`` and whose
edges are the extreme equilibria -- computed here by union-find.

Types of probability 0
----------------------
They do not enter ``A`` or ``B``, their strategies affect nobody, and any
strategy of theirs is optimal.  They are left out of the polyhedra and
reported playing their first action (one canonical representative instead of
a whole simplex of equivalent profiles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from ..game import BayesianGame

__all__ = ["TwoPlayerResult", "solve_two_player", "vertices", "agent_payoffs"]


@dataclass(frozen=True)
class TwoPlayerResult:
    """The raw result: extreme equilibria as integer weights, with components.

    ``pairs[e] = (i, j)`` pairs the ``i``-th vertex of ``P`` that is part of an
    equilibrium with the ``j``-th such vertex of ``Q``; ``components[e]``
    numbers its component.  ``x_weights[i]`` and ``y_weights[j]`` are integer
    arrays of shape ``(|T_i|, |A_i|)`` whose rows normalise to the strategies
    (types of probability 0: the first action); ``x_labels``/``y_labels`` their
    label bit masks.  ``n_vertices`` counts all vertices of ``P`` and ``Q``.
    """

    x_weights: tuple
    y_weights: tuple
    x_labels: tuple
    y_labels: tuple
    pairs: tuple
    components: tuple
    n_labels: int
    n_vertices: tuple


def agent_payoffs(game: BayesianGame):
    """Positive-probability types of both players and the integer matrices ``A``, ``B``.

    Returns ``(types1, types2, A, B)``; ``A`` and ``B`` are object arrays of
    Python ints of shape ``(len(types1), |A_1|, len(types2), |A_2|)``.
    """
    prior = np.asarray(game.prior.numerators, dtype=object)
    rewards = np.asarray(game.rewards.numerators, dtype=object)
    types1 = [k for k in range(prior.shape[0]) if any(prior[k, :])]
    types2 = [l for l in range(prior.shape[1]) if any(prior[:, l])]
    p = prior[np.ix_(types1, types2)]
    a = rewards[0][np.ix_(types1, types2)]  # (k, l, a, b)
    b = rewards[1][np.ix_(types1, types2)]
    weight = p[:, :, None, None]
    A = (weight * a).transpose(0, 2, 1, 3)
    B = (weight * b).transpose(0, 2, 1, 3)
    return types1, types2, A, B


# -- double description -----------------------------------------------------------------


def _normal(vec: list) -> tuple:
    g = 0
    for c in vec:
        if c:
            g = math.gcd(g, c)
            if g == 1:
                break
    return tuple(c // g for c in vec) if g > 1 else tuple(vec)


#: Bound on the boolean work array of one vectorised adjacency test (pairs × rays × words).
_CHUNK_CELLS = 1 << 22
_WORD = (1 << 64) - 1
#: Below this many (pair, ray) tests one step runs in plain Python.
_SMALL = 2000


def _words(masks: list, n_words: int) -> np.ndarray:
    """Python-int bit masks as an array of shape (len(masks), n_words) of uint64."""
    out = np.zeros((len(masks), n_words), dtype=np.uint64)
    for w in range(n_words):
        out[:, w] = [(m >> (64 * w)) & _WORD for m in masks]
    return out


def _popcount(words: np.ndarray) -> np.ndarray:
    """Set bits per row of a (k, n_words) uint64 array."""
    if hasattr(np, "bitwise_count"):  # numpy >= 2.0
        return np.bitwise_count(words).sum(axis=-1)
    as_bytes = np.ascontiguousarray(words).view(np.uint8).reshape(len(words), -1)
    return np.unpackbits(as_bytes, axis=1).sum(axis=1)


def _extreme_rays(rows: list, initial: list, order: list, dim: int) -> list:
    """Extreme rays ``(vector, zero mask)`` of ``{w : rows · w ≥ 0}`` (a pointed cone).

    ``initial`` is a list of ``(row index, ray)`` whose rows form a basis
    with those rays as the dual basis (row ``i`` is 1 on its own ray and 0 on
    the others); ``order`` lists the remaining row indices, added one by one.
    The zero mask of a ray has bit ``i`` set iff row ``i`` vanishes on it.

    Each step splits the rays by the sign of the new row and combines every
    *adjacent* pair (one on each side) into a ray on the new hyperplane.
    Adjacency is decided combinatorially: ``p`` and ``n`` are adjacent iff
    their common tight rows number at least ``dim - 2`` and no third ray is
    tight on all of them (Fukuda and Prodon 1996, Prop. 7; correct in
    degenerate cones).  The test runs on the bit masks as numpy uint64 words,
    vectorised over the candidate pairs; the ray coordinates stay Python ints.
    """
    n_words = (len(rows) + 63) // 64
    basis_mask = sum(1 << i for i, _ in initial)
    rays = [(tuple(r), basis_mask & ~(1 << i)) for i, r in initial]
    need = dim - 2  # adjacent rays share at least dim - 2 independent tight rows
    for index in order:
        h = rows[index]
        bit = 1 << index
        pos, neg, keep = [], [], []
        for vec, mask in rays:
            s = sum(c * w for c, w in zip(h, vec) if c)
            if s > 0:
                pos.append((vec, mask, s))
                keep.append((vec, mask))
            elif s < 0:
                neg.append((vec, mask, s))
            else:
                keep.append((vec, mask | bit))
        if pos and neg and len(pos) * len(neg) * len(rays) <= _SMALL:
            masks = [m for _, m in rays]  # few pairs: plain Python is faster than numpy
            for pv, pm, ps in pos:
                for nv, nm, ns in neg:
                    common = pm & nm
                    if (
                        common.bit_count() >= need
                        and sum(1 for m in masks if m & common == common) <= 2
                    ):
                        keep.append(
                            (_normal([ps * n - ns * p for p, n in zip(pv, nv)]), common | bit)
                        )
        elif pos and neg:
            every = _words([m for _, m in rays], n_words)
            neg_words = _words([m for _, m, _ in neg], n_words)
            pos_words = _words([m for _, m, _ in pos], n_words)
            step = max(1, _CHUNK_CELLS // (len(rays) * n_words))
            for (pv, _pm, ps), pw in zip(pos, pos_words):
                commons = neg_words & pw
                candidates = np.flatnonzero(_popcount(commons) >= need)
                for start in range(0, len(candidates), step):
                    chunk = candidates[start : start + step]
                    c = commons[chunk][:, None, :]
                    tight = ((every[None, :, :] & c) == c).all(axis=2).sum(axis=1)
                    for j in chunk[tight <= 2].tolist():  # only p and n themselves
                        nv, nm, ns = neg[j]
                        keep.append(
                            (_normal([ps * n - ns * p for p, n in zip(pv, nv)]), (_pm & nm) | bit)
                        )
        rays = keep
    return rays


def vertices(own_sizes: list, opp_sizes: list, payoff) -> list:
    """Vertices of ``{(x, v) : x ≥ 0, Σ_a x[k,a] = 1, Σ_{k,a} C[(l,b),(k,a)] x[k,a] ≤ v_l}``.

    ``own_sizes[k]`` is the number of actions of own type ``k``,
    ``opp_sizes[l]`` that of opponent type ``l``, and ``payoff[l][b][k][a]``
    the opponent's (integer) payoff ``C``.  Returns a list of
    ``(weights, denominator, own_mask, opp_mask)``: ``weights[k][a] /
    denominator`` is ``x``; bit ``(k,a)`` of ``own_mask`` is set iff
    ``x[k,a] = 0``; bit ``(l,b)`` of ``opp_mask`` iff ``(l,b)`` is a best
    response of type ``l`` (counted in flattened order).

    Matching pennies, the row player's side: the two pure strategies and the
    kink (1/2, 1/2) of the column player's best-response payoff.

    >>> [(w, d) for w, d, _, _ in vertices([2], [2], [[[[-1, 1]], [[1, -1]]]])]
    [([[0, 1]], 1), ([[1, 0]], 1), ([[1, 1]], 2)]
    """
    K = len(own_sizes)
    rows, label_of, col, initial = _polyhedron(own_sizes, opp_sizes, payoff)
    in_basis = {i for i, _ in initial}
    order = [i for i in range(len(rows)) if i not in in_basis]
    out = []
    for vec, mask in _extreme_rays(rows, initial, order, len(rows[0])):
        lam = vec[0]
        if lam <= 0:
            continue  # a direction of recession (some v_l → ∞), not a vertex
        weights = []
        for k in range(K):
            rest = [vec[col[(k, a)]] for a in range(1, own_sizes[k])]
            weights.append([lam - sum(rest)] + rest)
        own_mask = opp_mask = 0
        for i, lab in enumerate(label_of):
            if lab is not None and mask >> i & 1:
                if lab[0] == "own":
                    own_mask |= 1 << lab[1]
                else:
                    opp_mask |= 1 << lab[1]
        out.append((weights, lam, own_mask, opp_mask))
    return out


def _polyhedron(own_sizes: list, opp_sizes: list, payoff) -> tuple:
    """The homogenised cone of the polyhedron in ``(λ, x[k,a] for a ≥ 1, v_l)``.

    Returns ``(rows, label_of, col, initial)``: the rows ``h`` of ``h · w ≥ 0``,
    each row's label (``None``, ``("own", index)`` or ``("opp", index)``), the
    column of each free ``x[k,a]``, and an initial basis with its dual rays.
    """
    K, L = len(own_sizes), len(opp_sizes)
    free = [(k, a) for k in range(K) for a in range(1, own_sizes[k])]
    col = {ka: 1 + j for j, ka in enumerate(free)}
    dim = 1 + len(free) + L  # (λ, x[k,a] for a ≥ 1, v_l)
    rows: list = []
    label_of: list = []
    row = [0] * dim
    row[0] = 1
    rows.append(row)  # λ ≥ 0
    label_of.append(None)
    own_offset = 0
    own_row = {}
    for k in range(K):  # x[k,a] ≥ 0, with x[k,0] = λ - Σ_{a≥1} x[k,a]
        for a in range(own_sizes[k]):
            row = [0] * dim
            if a == 0:
                row[0] = 1
                for b in range(1, own_sizes[k]):
                    row[col[(k, b)]] = -1
            else:
                row[col[(k, a)]] = 1
            own_row[(k, a)] = len(rows)
            rows.append(row)
            label_of.append(("own", own_offset + a))
        own_offset += own_sizes[k]
    opp_offset = 0
    base_l = []
    for l in range(L):  # v_l - Σ C x ≥ 0
        for b in range(opp_sizes[l]):
            row = [0] * dim
            row[1 + len(free) + l] = 1
            for k in range(K):
                c0 = int(payoff[l][b][k][0])
                row[0] -= c0
                for a in range(1, own_sizes[k]):
                    row[col[(k, a)]] += c0 - int(payoff[l][b][k][a])
            if b == 0:
                base_l.append(len(rows))
            rows.append(row)
            label_of.append(("opp", opp_offset + b))
        opp_offset += opp_sizes[l]
    initial = _initial_basis(
        rows, [own_row[ka] for ka in free], [col[ka] for ka in free], base_l, dim
    )
    return rows, label_of, col, initial


def _initial_basis(rows: list, free_rows: list, free_cols: list, base_l: list, dim: int) -> list:
    """The basis λ ≥ 0, x[k,a] ≥ 0 (a ≥ 1) and (l, 0), with its dual rays.

    Its matrix is unit lower triangular, [[1,0,0],[0,I,0],[c,C,I]], with inverse
    [[1,0,0],[0,I,0],[-c,-C,I]].
    """
    vcol = dim - len(base_l)
    initial = []
    ray = [0] * dim
    ray[0] = 1
    for l, r in enumerate(base_l):
        ray[vcol + l] = -rows[r][0]
    initial.append((0, ray))
    for own, column in zip(free_rows, free_cols):
        ray = [0] * dim
        ray[column] = 1
        for l, r in enumerate(base_l):
            ray[vcol + l] = -rows[r][column]
        initial.append((own, ray))
    for l, r in enumerate(base_l):
        ray = [0] * dim
        ray[vcol + l] = 1
        initial.append((r, ray))
    return initial


class _UnionFind:
    """Union-find over hashable keys; a root is the smallest key of its set."""

    def __init__(self):
        self.parent = {}

    def find(self, a):
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _full_weights(vertex_weights, positive_types: list, n_types: int, n_actions: int):
    out = np.zeros((n_types, n_actions), dtype=object)
    out[:, 0] = 1  # types of probability 0: the first action
    for k, row in zip(positive_types, vertex_weights):
        out[k, :] = row
    return out


def solve_two_player(game: BayesianGame) -> TwoPlayerResult:
    """Every extreme BNE of a rational two-player game, with components.

    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> r = solve_two_player(g)
    >>> r.pairs, r.x_weights[0].tolist(), r.y_weights[0].tolist(), r.n_vertices
    (((0, 0),), [[1, 1]], [[1, 1]], (3, 3))
    """
    types1, types2, A, B = agent_payoffs(game)
    n1, n2 = game.action_shape
    K, L = len(types1), len(types2)
    M, N = K * n1, L * n2
    # Player 1's polyhedron uses B (rows (l,b), columns (k,a)); player 2's uses A.
    bt = [
        [[[B[k, a, l, b] for a in range(n1)] for k in range(K)] for b in range(n2)]
        for l in range(L)
    ]
    at = [
        [[[A[k, a, l, b] for b in range(n2)] for l in range(L)] for a in range(n1)]
        for k in range(K)
    ]
    vx = vertices([n1] * K, [n2] * L, bt)
    vy = vertices([n2] * L, [n1] * K, at)
    full = (1 << (M + N)) - 1
    lx = [own | opp << M for _, _, own, opp in vx]
    ly = [own << M | opp for _, _, own, opp in vy]
    # Complementary pairs: y must carry every label x lacks (vectorised over y).
    n_words = (M + N + 63) // 64
    ly_words = _words(ly, n_words)
    pairs: list = []
    for i, need in enumerate(_words([full & ~a for a in lx], n_words)):
        pairs.extend(
            (i, j) for j in np.flatnonzero(((ly_words & need) == need).all(axis=1)).tolist()
        )
    uf = _UnionFind()
    for i, j in pairs:
        uf.union(("x", i), ("y", j))
    numbering: dict = {}
    components = []
    for i, _j in pairs:
        root = uf.find(("x", i))
        components.append(numbering.setdefault(root, len(numbering)))

    # Deterministic order: by component, then lexicographically decreasing (x, y).
    def key(e):
        (i, j) = pairs[e]
        point = [Fraction(w, vx[i][1]) for row in vx[i][0] for w in row]
        point += [Fraction(w, vy[j][1]) for row in vy[j][0] for w in row]
        return [-v for v in point]

    first: dict = {}
    for e in sorted(range(len(pairs)), key=key):
        first.setdefault(components[e], len(first))
    components = [first[c] for c in components]
    order = sorted(range(len(pairs)), key=lambda e: (components[e], key(e)))
    # Keep only the vertices that are part of an equilibrium, renumbered in order.
    used_x = list(dict.fromkeys(pairs[e][0] for e in order))
    used_y = list(dict.fromkeys(pairs[e][1] for e in order))
    new_x = {i: k for k, i in enumerate(used_x)}
    new_y = {j: k for k, j in enumerate(used_y)}
    T1, T2 = game.type_shape
    return TwoPlayerResult(
        x_weights=tuple(_full_weights(vx[i][0], types1, T1, n1) for i in used_x),
        y_weights=tuple(_full_weights(vy[j][0], types2, T2, n2) for j in used_y),
        x_labels=tuple(lx[i] for i in used_x),
        y_labels=tuple(ly[j] for j in used_y),
        pairs=tuple((new_x[pairs[e][0]], new_y[pairs[e][1]]) for e in order),
        components=tuple(components[e] for e in order),
        n_labels=M + N,
        n_vertices=(len(vx), len(vy)),
    )
