"""Best-case and worst-case POWER (SPEC §2, the article's Case 1 and Case 2).

``POWER⁺(i) = max over σ_-i of POWER(i, σ)`` -- "everyone plays nice";
``POWER⁻(i) = min over σ_-i of POWER(i, σ)`` -- "everyone plays mean".

Both are computed exactly for rational games, and every reported number is
re-computed from a witness, never taken from the search that found it:

* **Best case** (:func:`best_case_power`).  ``POWER(i, σ)`` is convex in each
  opponent's strategy (a sum over own types of maxima of functions linear in
  ``σ_j``), so its maximum over the product of the opponents' strategy sets is
  attained at a vertex: a *pure* opponent profile, each opponent a map
  type → action.  A depth-first branch and bound over the opponents'
  (type → action) slots finds it; the bound of a partial assignment is
  ``Σ_{t_i} max_{a_i} Σ_{t_-i} Ω(t) · max_{a_-i consistent} r_i(t, a)``, exact
  once every slot is set.  Method ``"pure-opponents-branch-and-bound"``.
  Equivalently, ``POWER⁺(i)`` is the largest ex-ante expected reward of ``i``
  over all pure profiles of *all* players (``i`` best-responds type by type).
* **Worst case, two players** (:func:`worst_case_power`).  A linear program,
  solved by exactpower's own exact simplex (rational arithmetic with
  python-flint, Dantzig's rule falling back to Bland's rule, so it always
  terminates)::

      minimise Σ_{t_i} v[t_i]  subject to
          v[t_i] ≥ Σ_{t_j, a_j} Ω(t_i, t_j)·y[t_j, a_j]·r_i(t, (a_i, a_j))  for all t_i, a_i,
          Σ_{a_j} y[t_j, a_j] = 1 for all t_j,   y ≥ 0.

  Its dual is player ``i``'s *maxmin* problem -- a strategy ``σ_i`` that
  guarantees ``g(σ_i) = Σ_{t_j} min_{a_j} E[...]`` against every opponent --
  so ``POWER⁻(i)`` is the value of the zero-sum Bayesian game in which the
  opponent's reward is ``-r_i``.  Both programs are solved; the result is
  reported only after two independent exact checks: ``POWER(i, σ_j*)``
  computed by :func:`exactpower.power` at the minimiser (an upper bound) and
  the guarantee ``g(σ_i*)`` of the maxmin strategy (a lower bound) are equal.
  Method ``"exact-lp"``.
* **Worst case, three or more players.**  ``POWER`` is convex, not linear, in
  the opponents' joint strategy, and the minimum over *independent* mixed
  strategies is in general not a linear program.  Reported are

  - an upper bound, ``"pure-minimum"``: the exact minimum of ``POWER(i, ·)``
    over pure opponent profiles (a branch and bound as above), or, when
    smaller, ``POWER`` at the product of the marginals of the correlated LP's
    solution (``"correlated-lp-marginals"``), or, when smaller still, the end
    of a coordinate descent from both (``"lp-coordinate-descent"``: each
    opponent in turn switches to its exact best reply, a linear program,
    while the others stay fixed); the bound is ``POWER`` at the profile in
    ``attained_by``, re-computed;
  - a lower bound, ``"correlated-lp-bound"``: the same linear program with the
    opponents treated as one team that may correlate its actions on its whole
    type profile ``t_-i``; certified by player ``i``'s maxmin strategy against
    that team (``guarantee``), whose guarantee is re-computed exactly.

  When the two coincide the value is exact (``exact=True``).

Types of prior probability 0 are left out of every program (their actions
cannot change any expectation); in ``attained_by`` they play their first
action.  Symbolic games are refused: power bounds need a rational game.

Examples
--------
Matching pennies: the opponent can hand each player everything or nothing.

>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
...                               names=("row", "col"))
>>> best_case_power(mp, "row").value, worst_case_power(mp, "row").value
(1, 0)
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

import flint
import numpy as np
import sympy

from .errors import GameError, LimitError
from .game import BayesianGame
from .power import power
from .profile import StrategyProfile

__all__ = ["PowerBound", "best_case_power", "worst_case_power", "MAX_NODES", "MAX_LP_SIZE"]

#: Default limit on the nodes of one branch and bound.
MAX_NODES = 200_000

#: Default limit on the entries (rows x columns) of one linear program's tableau.
MAX_LP_SIZE = 4_000_000


# -- the record ------------------------------------------------------------------

class _FrozenDict(dict):
    """A dict that refuses to change (so a :class:`PowerBound` stays immutable)."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("PowerBound mappings are immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __hash__(self):
        return hash(tuple(sorted(self.items(), key=repr)))


def _freeze(mapping) -> Mapping:
    return _FrozenDict({k: _freeze(v) if isinstance(v, Mapping) else v
                        for k, v in mapping.items()})


def _thaw(mapping) -> dict:
    return {k: _thaw(v) if isinstance(v, Mapping) else v for k, v in mapping.items()}


@dataclass(frozen=True, eq=False)
class PowerBound:
    """Best-case or worst-case POWER of one player, with its witnesses.

    Attributes
    ----------
    player : str
        The player's name.
    case : str
        ``"best"`` (``POWER⁺``, a maximum over the opponents' strategies) or
        ``"worst"`` (``POWER⁻``, a minimum).
    value : sympy.Rational or None
        The exact value, or ``None`` when only bounds are known.
    lower, upper : sympy.Rational
        Proven bounds, ``lower ≤ true value ≤ upper``; equal when ``exact``.
    exact : bool
        ``lower == upper`` (then ``value`` is that number).
    method : str
        How the numbers were found (see the module docstring); for an
        inexact worst case, ``"<upper method> / <lower method>"``.
    attained_by : mapping
        The opponents' strategies ``{player: {type: {action: probability}}}``
        (nonzero probabilities only) at which ``POWER(i, ·)`` equals ``upper``.
        Empty for a one-player game.
    guarantee : mapping or None
        Worst case only: player ``i``'s strategy ``{type: {action:
        probability}}`` whose expected reward is at least ``lower`` against
        every opponent profile (against every *correlated* one for three or
        more players).  ``None`` for the best case.
    notes : str
        A sentence on what was computed and why it is exact (or not).

    Examples
    --------
    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], names=("a", "b"))
    >>> b = best_case_power(g, "a")
    >>> b.value, b.attained_by["b"], b.exact
    (2, {'-': {'0': 1}}, True)
    >>> w = worst_case_power(g, "a")
    >>> w.value, w.attained_by["b"]["-"], w.guarantee
    (2/3, {'0': 1/3, '1': 2/3}, {'-': {'0': 1/3, '1': 2/3}})
    """

    player: str
    case: str
    value: sympy.Rational | None
    lower: sympy.Rational
    upper: sympy.Rational
    exact: bool
    method: str
    attained_by: Mapping = field(default_factory=dict)
    guarantee: Mapping | None = None
    notes: str = ""

    def __post_init__(self):
        if self.case not in ("best", "worst"):
            raise ValueError(f"PowerBound: case must be 'best' or 'worst', not {self.case!r}")
        if self.exact != (self.lower == self.upper) or (
                self.value is not None) != self.exact or (
                self.exact and self.value != self.lower):
            raise ValueError("PowerBound: inconsistent value, bounds and exactness")
        object.__setattr__(self, "attained_by", _freeze(self.attained_by))
        if self.guarantee is not None:
            object.__setattr__(self, "guarantee", _freeze(self.guarantee))

    def profile(self, game: BayesianGame) -> StrategyProfile:
        """The full profile: the opponents as in ``attained_by``, player ``i`` best-responding.

        ``POWER(i, ·)`` does not depend on ``i``'s own strategy; this one
        plays, in each type of positive probability, the first action that
        maximises its interim utility (the first action in a type of
        probability 0).

        >>> from exactpower import BayesianGame, power
        >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> b = best_case_power(g, "1")
        >>> s = b.profile(g)
        >>> power(g, s, "1") == b.value, s.probability(0, 0, 0)
        (True, 1)
        """
        from .contraction import interim_table

        i = game.player_index(self.player)
        me = game.players[i]
        strategies = _thaw(self.attained_by)
        strategies[me.name] = {t: {me.actions[0]: 1} for t in me.types}
        table = interim_table(game, _profile(game, strategies), i)
        for k, t in enumerate(me.types):
            row = [table.value((k, a)) for a in range(len(me.actions))]
            strategies[me.name][t] = {me.actions[row.index(max(row))]: 1}
        return _profile(game, strategies)

    def to_dict(self) -> dict:
        """A JSON-ready dict; exact values as strings (``"1/3"``)."""
        def dist(d):
            return {a: str(p) for a, p in d.items()}

        return {
            "player": self.player, "case": self.case,
            "value": None if self.value is None else str(self.value),
            "lower": str(self.lower), "upper": str(self.upper), "exact": self.exact,
            "method": self.method,
            "attained_by": {p: {t: dist(d) for t, d in s.items()}
                            for p, s in self.attained_by.items()},
            "guarantee": None if self.guarantee is None else
            {t: dist(d) for t, d in self.guarantee.items()},
            "notes": self.notes,
        }

    def __repr__(self) -> str:
        shown = (f"value={self.value}" if self.exact
                 else f"lower={self.lower}, upper={self.upper}")
        return (f"PowerBound({self.case}-case POWER of {self.player!r}: {shown}, "
                f"method={self.method!r}, attained_by={_thaw(self.attained_by)!r})")


# -- shared set-up -------------------------------------------------------------------

class _Setup:
    """Integer data of one player's problem: ``W[t, a] = Ω(t)·r_i(t, a)`` over a denominator.

    Axes of ``W``: ``(t_1..t_n, a_i, a_j for j ≠ i in order)``.
    """

    def __init__(self, game: BayesianGame, player, who: str):
        if not isinstance(game, BayesianGame):
            raise GameError(f"{who}: expected a BayesianGame, got {type(game).__name__}")
        if game.is_symbolic:
            raise GameError(f"{who}: power bounds need a rational game; this game has "
                            f"parameters ({', '.join(p.name for p in game.parameters)})")
        self.game = game
        self.i = i = game.player_index(player)
        n = self.n = game.n_players
        self.others = [j for j in range(n) if j != i]
        prior = np.asarray(game.prior.numerators, dtype=object)
        rewards = np.asarray(game.rewards.numerators[i], dtype=object)
        self.denominator = game.prior.denominator * game.rewards.denominator
        w = prior.reshape(prior.shape + (1,) * n) * rewards
        w = np.moveaxis(w, [n + i] + [n + j for j in self.others], list(range(n, 2 * n)))
        top = max((abs(int(v)) for v in w.ravel().tolist()), default=0)
        if top * max(1, math.prod(game.type_shape)) < 2**62:
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
        return power(game, _profile(game, full), self.i)


def _profile(game: BayesianGame, strategies: Mapping) -> StrategyProfile:
    """A profile from ``{player: {type: {action: probability}}}`` (every player and type given).

    Built directly, not with :meth:`StrategyProfile.from_dict`, whose shorthand
    for one-type players cannot tell ``{type: action}`` from ``{action: p}``
    when a type and an action share a name.
    """
    rows = []
    for p in game.players:
        given = strategies[p.name]
        rows.append(tuple(tuple(sympy.Rational(given[t].get(a, 0)) for a in p.actions)
                          for t in p.types))
    return StrategyProfile._checked(game, tuple(rows))


def _pure_strategies(setup: _Setup, assign) -> dict:
    game = setup.game
    out = {}
    for j, choice in zip(setup.others, assign):
        p = game.players[j]
        out[p.name] = {t: {p.actions[max(int(a), 0)]: sympy.Integer(1)}
                       for t, a in zip(p.types, choice)}
    return out


# -- branch and bound over pure opponent profiles -------------------------------------

def _reduce(setup: _Setup, assign, best: bool) -> np.ndarray:
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


def _bound(setup: _Setup, assign, best: bool) -> int:
    table = _reduce(setup, assign, best)
    return int(sum(int(max(row)) for row in table.tolist()))


def _branch_and_bound(setup: _Setup, best: bool, max_nodes: int | None, who: str):
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
    state = {"best": None, "assign": None, "nodes": 0, "complete": True}
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
            children.append((_bound(setup, assign, best), a))
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

    visit(0, _bound(setup, assign, best))
    return state["best"], state["assign"], state["nodes"], state["complete"]


# -- best case -------------------------------------------------------------------------

def _no_opponents(setup: _Setup, case: str) -> PowerBound:
    name = setup.game.players[setup.i].name
    value = setup.power_of({})
    return PowerBound(name, case, value, value, value, True, "no-opponents", {},
                      None if case == "best" else _own_best(setup),
                      "one-player game: there are no opponents, so POWER⁺ = POWER⁻ = POWER")


def _own_best(setup: _Setup) -> dict:
    """In a one-player game, the guarantee is simply a best response in each type."""
    game, me = setup.game, setup.game.players[setup.i]
    table = _reduce(setup, [], True)
    out = {}
    for k, t in enumerate(me.types):
        row = [int(v) for v in table[k].tolist()]
        out[t] = {me.actions[row.index(max(row))]: sympy.Integer(1)}
    del game
    return out


def best_case_power(game: BayesianGame, player, *, max_nodes: int | None = MAX_NODES) -> PowerBound:
    """``POWER⁺(i) = max over σ_-i of POWER(i, σ)``, exactly (the article's Case 1).

    Pure opponent profiles attain the maximum (POWER is convex in each
    opponent's strategy); a branch and bound over the opponents' type → action
    maps finds one.  The value is re-computed with :func:`exactpower.power`
    at the reported profile.

    Parameters
    ----------
    game : BayesianGame
        A rational game.
    player : str or int
    max_nodes : int or None
        Limit on the search nodes; over it, :class:`~exactpower.LimitError`.
        ``None``: no limit.

    Returns
    -------
    PowerBound
        ``exact`` is always True; ``attained_by`` is a pure opponent profile.

    Examples
    --------
    Stripped-down poker: the caller's POWER is largest, 1/2, when the dealer
    bets exactly with the queen (and the caller then calls).

    >>> from exactpower.catalog import stripped_down_poker
    >>> b = best_case_power(stripped_down_poker(), "caller")
    >>> b.value, dict(b.attained_by["dealer"])
    (1/2, {'K': {'check': 1}, 'Q': {'bet': 1}})
    """
    setup = _Setup(game, player, "best_case_power")
    if not setup.others:
        return _no_opponents(setup, "best")
    value, assign, nodes, complete = _branch_and_bound(setup, True, max_nodes, "best_case_power")
    name = game.players[setup.i].name
    if not complete:
        raise LimitError(f"best_case_power: player {name!r}: the search over pure opponent "
                         f"profiles needs more than max_nodes = {max_nodes} nodes")
    strategies = _pure_strategies(setup, assign)
    exact_value = setup.rational(value)
    check = setup.power_of(strategies)
    if check != exact_value:  # pragma: no cover - an internal inconsistency
        raise AssertionError(f"best_case_power: search value {exact_value} != POWER {check}")
    total = math.prod(game.action_shape[j] ** sum(1 for m in setup.marginals[j] if m != 0)
                      for j in setup.others)
    return PowerBound(name, "best", exact_value, exact_value, exact_value, True,
                      "pure-opponents-branch-and-bound", strategies, None,
                      f"maximum over the {total} pure opponent profiles (pure profiles attain "
                      f"it: POWER is convex in each opponent's strategy); {nodes} search nodes")


# -- exact simplex ---------------------------------------------------------------------

_ZERO = flint.fmpq(0)


def _q(value) -> flint.fmpq:
    """An fmpq from an int, Fraction, sympy Rational or fmpq."""
    if isinstance(value, flint.fmpq):
        return value
    if isinstance(value, (int, np.integer)):
        return flint.fmpq(int(value))
    if isinstance(value, Fraction):
        return flint.fmpq(value.numerator, value.denominator)
    q = sympy.Rational(value)
    return flint.fmpq(int(q.p), int(q.q))


class _LPError(ArithmeticError):
    """An infeasible or unbounded program: never raised for the programs of this module."""


def _simplex_min(c, a_ub, b_ub, a_eq, b_eq, free, max_size=MAX_LP_SIZE):
    """``min c·x`` s.t. ``a_ub x ≤ b_ub``, ``a_eq x = b_eq``, ``x_k ≥ 0`` for ``k ∉ free``.

    Exact: every entry is a python-flint ``fmpq``.  Two phases; Dantzig's
    rule, switching for good to Bland's rule after a run of degenerate pivots
    (so it terminates).  Returns ``(value, x)``.
    """
    n = len(c)
    free = sorted(set(free))
    m_ub, m_eq = len(b_ub), len(b_eq)
    m = m_ub + m_eq
    n_struct = n + len(free)
    # columns: structural, negative parts of free variables, slacks, artificials
    needs_art = []
    rows = []
    for r in range(m):
        coeffs = list(a_ub[r]) if r < m_ub else list(a_eq[r - m_ub])
        rhs = _q(b_ub[r] if r < m_ub else b_eq[r - m_ub])
        row = [_q(v) for v in coeffs] + [-_q(coeffs[k]) for k in free]
        slack = [_ZERO] * m_ub
        if r < m_ub:
            slack[r] = flint.fmpq(1)
        sign = 1
        if rhs < 0:
            sign = -1
            row = [-v for v in row]
            slack = [-v for v in slack]
            rhs = -rhs
        rows.append((row, slack, rhs))
        needs_art.append(not (r < m_ub and sign == 1))
    arts = [r for r in range(m) if needs_art[r]]
    n_cols = n_struct + m_ub + len(arts)
    if m * (n_cols + 1) > max_size:
        raise LimitError(f"linear program with {m} constraints and {n_cols} columns exceeds "
                         f"the limit MAX_LP_SIZE = {max_size} tableau entries")
    tableau = np.empty((m, n_cols + 1), dtype=object)
    basis = [0] * m
    for r, (row, slack, rhs) in enumerate(rows):
        art = [_ZERO] * len(arts)
        if needs_art[r]:
            art[arts.index(r)] = flint.fmpq(1)
            basis[r] = n_struct + m_ub + arts.index(r)
        else:
            basis[r] = n_struct + r
        tableau[r, :] = row + slack + art + [rhs]
    first_art = n_struct + m_ub

    def run(t, d, basis, allowed):
        degenerate = 0
        bland = False
        while True:
            candidates = [j for j in range(allowed) if d[j] < 0]
            if not candidates:
                return t, d
            if bland:
                j = candidates[0]
            else:
                j = min(candidates, key=lambda k: (d[k], k))
            column = t[:, j]
            best_r, best_ratio = None, None
            for r in range(t.shape[0]):
                if column[r] > 0:
                    ratio = t[r, -1] / column[r]
                    if (best_r is None or ratio < best_ratio
                            or (ratio == best_ratio and basis[r] < basis[best_r])):
                        best_r, best_ratio = r, ratio
            if best_r is None:
                raise _LPError("unbounded")
            if best_ratio == 0:
                degenerate += 1
                if degenerate > 50:
                    bland = True
            else:
                degenerate = 0
            t, d = _pivot(t, d, best_r, j)
            basis[best_r] = j

    # phase 1: minimise the sum of the artificials
    d = np.array([_ZERO] * (n_cols + 1), dtype=object)
    for k in range(len(arts)):
        d[first_art + k] = flint.fmpq(1)
    for r in range(m):
        if basis[r] >= first_art:
            d = d - tableau[r, :]
    if arts:
        tableau, d = run(tableau, d, basis, first_art)
        if -d[-1] != 0:
            raise _LPError("infeasible")
        # drive the artificials out of the basis (they are all at level 0)
        r = 0
        while r < tableau.shape[0]:
            if basis[r] >= first_art:
                pivots = [j for j in range(first_art) if tableau[r, j] != 0]
                if pivots:
                    tableau, d = _pivot(tableau, d, r, pivots[0])
                    basis[r] = pivots[0]
                else:  # a redundant equality
                    tableau = np.delete(tableau, r, axis=0)
                    del basis[r]
                    continue
            r += 1
    tableau = np.concatenate([tableau[:, :first_art], tableau[:, -1:]], axis=1)
    # phase 2
    cost = [_q(v) for v in c] + [-_q(c[k]) for k in free] + [_ZERO] * m_ub
    d = np.array(cost + [_ZERO], dtype=object)
    for r, b in enumerate(basis):
        if cost[b] != 0:
            d = d - cost[b] * tableau[r, :]
    tableau, d = run(tableau, d, basis, first_art)
    x = [_ZERO] * n_struct
    for r, b in enumerate(basis):
        if b < n_struct:
            x[b] = tableau[r, -1]
    values = x[:n]
    for k, col in zip(free, range(n, n_struct)):
        values[k] = values[k] - x[col]
    return -d[-1], values


def _pivot(t, d, r, j):
    row = t[r, :] / t[r, j]
    column = t[:, j].copy()
    column[r] = _ZERO
    t = t - np.outer(column, row)
    t[r, :] = row
    d = d - d[j] * row
    return t, d


# -- worst case ----------------------------------------------------------------------

class _TeamLP:
    """The opponents as one team with type ``t_-i`` and action ``a_-i`` (exact for one opponent)."""

    def __init__(self, setup: _Setup):
        self.setup = setup
        game, i = setup.game, setup.i
        n = setup.n
        w = np.moveaxis(setup.W, i, 0)  # (t_i, t_-i..., a_i, a_-i...)
        t_i, a_i = w.shape[0], w.shape[n]
        self.own_types = [k for k in range(t_i) if setup.marginals[i][k] != 0]
        other_tshape = w.shape[1:n]
        other_ashape = w.shape[n + 1:]
        self.team_types = [tt for tt in np.ndindex(other_tshape)
                           if any(game.probability(_insert(tt, i, k)) != 0 for k in range(t_i))]
        self.team_actions = list(np.ndindex(other_ashape))
        self.a_i = a_i
        # C[t_i, a_i, k, b] for kept own types and team types
        w2 = w.reshape(t_i, -1, a_i, max(1, math.prod(other_ashape)))
        keep = [int(np.ravel_multi_index(tt, other_tshape)) if other_tshape else 0
                for tt in self.team_types]
        self.C = w2[self.own_types][:, keep]  # (T_i', K, A_i, B)

    def primal(self):
        """min Σ v s.t. Σ_{k,b} C y - v ≤ 0, Σ_b y[k] = 1: returns y[k][b]."""
        T, K, A, B = self.C.shape
        n_y = K * B
        c = [0] * n_y + [1] * T
        a_ub, b_ub = [], []
        for ti in range(T):
            for ai in range(A):
                row = [int(v) for v in self.C[ti, :, ai, :].ravel().tolist()] + [0] * T
                row[n_y + ti] = -1
                a_ub.append(row)
                b_ub.append(0)
        a_eq, b_eq = [], []
        for k in range(K):
            row = [0] * (n_y + T)
            for b in range(B):
                row[k * B + b] = 1
            a_eq.append(row)
            b_eq.append(1)
        _, x = _simplex_min(c, a_ub, b_ub, a_eq, b_eq, free=range(n_y, n_y + T))
        return [[x[k * B + b] for b in range(B)] for k in range(K)]

    def dual(self):
        """max Σ μ s.t. μ[k] - Σ x C ≤ 0, Σ_a x[t_i] = 1: returns x[t_i][a_i]."""
        T, K, A, B = self.C.shape
        n_x = T * A
        c = [0] * n_x + [-1] * K
        a_ub, b_ub = [], []
        for k in range(K):
            for b in range(B):
                row = [-int(v) for v in self.C[:, k, :, b].ravel().tolist()] + [0] * K
                row[n_x + k] = 1
                a_ub.append(row)
                b_ub.append(0)
        a_eq, b_eq = [], []
        for ti in range(T):
            row = [0] * (n_x + K)
            for a in range(A):
                row[ti * A + a] = 1
            a_eq.append(row)
            b_eq.append(1)
        _, x = _simplex_min(c, a_ub, b_ub, a_eq, b_eq, free=range(n_x, n_x + K))
        return [[x[ti * A + a] for a in range(A)] for ti in range(T)]

    def guarantee(self, x) -> sympy.Rational:
        """``Σ_k min_b Σ_{t_i, a_i} x[t_i][a_i] C[t_i, a_i, k, b]``, exactly (as a Rational)."""
        T, K, A, B = self.C.shape
        total = flint.fmpq(0)
        for k in range(K):
            best = None
            for b in range(B):
                s = flint.fmpq(0)
                for ti in range(T):
                    for a in range(A):
                        if x[ti][a] != 0:
                            s += x[ti][a] * int(self.C[ti, k, a, b])
                if best is None or s < best:
                    best = s
            total += best
        return sympy.Rational(int(total.p), int(total.q) * self.setup.denominator)

    def own_strategy(self, x) -> dict:
        me = self.setup.game.players[self.setup.i]
        out = {}
        kept = dict(zip(self.own_types, x))
        for k, t in enumerate(me.types):
            if k in kept:
                out[t] = {a: _rat(p) for a, p in zip(me.actions, kept[k]) if p != 0}
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
                rows[t] = {a: _rat(q) for a, q in zip(p.actions, probs) if q != 0}
            out[p.name] = rows
        return out


def _best_reply_lp(setup: _Setup, strategies: dict, slot: int) -> dict:
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
                sigma[kt, ka] = _q(strategies[p.name][t].get(a, 0))
        shape = [1] * x.ndim
        shape[k], shape[n + 1 + s] = len(p.types), len(p.actions)
        x = (x * sigma.reshape(shape)).sum(axis=n + 1 + s)
    x = np.moveaxis(x, [i, j], [0, 1])
    c = x.reshape(x.shape[0], x.shape[1], -1, x.shape[-2], x.shape[-1]).sum(axis=2)
    own = [k for k in range(c.shape[0]) if setup.marginals[i][k] != 0]
    tj, ai, aj = c.shape[1], c.shape[2], c.shape[3]
    n_y = tj * aj
    a_ub, b_ub = [], []
    for row_t, ti in enumerate(own):
        for a in range(ai):
            row = list(c[ti, :, a, :].ravel()) + [0] * len(own)
            row[n_y + row_t] = -1
            a_ub.append(row)
            b_ub.append(0)
    a_eq = [[1 if k // aj == t else 0 for k in range(n_y)] + [0] * len(own) for t in range(tj)]
    _, y = _simplex_min([0] * n_y + [1] * len(own), a_ub, b_ub, a_eq, [1] * tj,
                        free=range(n_y, n_y + len(own)))
    p = game.players[j]
    return {t: {a: _rat(y[kt * aj + ka]) for ka, a in enumerate(p.actions)
                if y[kt * aj + ka] != 0} for kt, t in enumerate(p.types)}


def _descend(setup: _Setup, strategies: dict, value, floor, max_rounds: int = 8):
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
            trial[setup.game.players[j].name] = _best_reply_lp(setup, strategies, slot)
            solved += 1
            trial_value = setup.power_of(trial)
            if trial_value < value:
                strategies, value, improved = trial, trial_value, True
        if not improved:
            break
    return strategies, value, solved


def _insert(tt, i, k):
    return tuple(tt[:i]) + (k,) + tuple(tt[i:])


def _rat(q) -> sympy.Rational:
    return sympy.Rational(int(q.p), int(q.q))


def worst_case_power(game: BayesianGame, player, *, max_nodes: int | None = MAX_NODES,
                     descend: bool = True) -> PowerBound:
    """``POWER⁻(i) = min over σ_-i of POWER(i, σ)`` (the article's Case 2).

    Two players: exact, by a linear program and its dual, both re-checked
    exactly (``method="exact-lp"``).  Three or more players: proven bounds --
    ``upper`` from the minimum over pure opponent profiles (``"pure-minimum"``)
    or the correlated LP's marginals, ``lower`` from the correlated-opponents
    LP (``"correlated-lp-bound"``); exact when they meet.  One player: POWER.

    Parameters
    ----------
    game : BayesianGame
        A rational game.
    player : str or int
    max_nodes : int or None
        Limit on the nodes of the pure-minimum search (three or more
        players); over it the search stops and the best profile found so far
        gives the upper bound (said in ``notes``).
    descend : bool
        Three or more players: improve the upper bound by coordinate descent
        from the pure minimum and from the correlated LP's marginals -- each
        opponent in turn switches to its exact best reply (a linear program),
        and ``POWER`` is re-computed at every step.

    Examples
    --------
    Stripped-down poker: the dealer is guaranteed 1/3, the caller -1/3 (the
    value of the game); the minimisers are the equilibrium strategies.

    >>> from exactpower.catalog import stripped_down_poker
    >>> poker = stripped_down_poker()
    >>> w = worst_case_power(poker, "dealer")
    >>> w.value, dict(w.attained_by["caller"]["-"]), w.method
    (1/3, {'call': 2/3, 'fold': 1/3}, 'exact-lp')
    >>> c = worst_case_power(poker, "caller")
    >>> c.value, dict(c.attained_by["dealer"]["Q"])
    (-1/3, {'bet': 1/3, 'check': 2/3})
    """
    setup = _Setup(game, player, "worst_case_power")
    name = game.players[setup.i].name
    if not setup.others:
        return _no_opponents(setup, "worst")
    lp = _TeamLP(setup)
    y = lp.primal()
    x = lp.dual()
    guarantee = lp.own_strategy(x)
    lower = lp.guarantee(x)
    candidate = lp.marginal_strategies(y)
    candidate_value = setup.power_of(candidate)
    if len(setup.others) == 1:
        if candidate_value != lower:  # pragma: no cover - LP duality makes them equal
            raise AssertionError(f"worst_case_power: minimiser gives {candidate_value}, "
                                 f"maxmin guarantee {lower}")
        return PowerBound(name, "worst", lower, lower, lower, True, "exact-lp", candidate,
                          guarantee,
                          "linear program over the opponent's mixed strategy, and its dual "
                          "(the player's maxmin strategy); POWER at the minimiser equals the "
                          "guarantee of the maxmin strategy, so both are optimal")
    value, assign, nodes, complete = _branch_and_bound(setup, False, max_nodes,
                                                       "worst_case_power")
    pure = _pure_strategies(setup, assign)
    pure_value = setup.rational(value)
    if setup.power_of(pure) != pure_value:  # pragma: no cover
        raise AssertionError("worst_case_power: pure-minimum search disagrees with POWER")
    if candidate_value < pure_value:
        upper, upper_method, attained = candidate_value, "correlated-lp-marginals", candidate
    else:
        upper, upper_method, attained = pure_value, "pure-minimum", pure
    descent, solved = "", 0
    if upper > lower and descend:
        for start, start_value in ((pure, pure_value), (candidate, candidate_value)):
            found, found_value, k = _descend(setup, start, start_value, lower)
            solved += k
            if found_value < upper:
                upper, upper_method, attained = found_value, "lp-coordinate-descent", found
        descent = (f"; coordinate descent from both (each opponent in turn plays its exact "
                   f"best reply, an LP; {solved} programs)")
    search = (f"minimum over pure opponent profiles ({nodes} search nodes)" if complete else
              f"best pure opponent profile found in {nodes} search nodes (search stopped at "
              f"max_nodes; not necessarily the pure minimum)")
    notes = (f"{len(setup.others)} opponents: upper bound = POWER at {upper_method} "
             f"[{search}: {pure_value}; POWER at the product of the correlated LP's marginals: "
             f"{candidate_value}{descent}]; lower bound = correlated-opponents LP (the opponents "
             f"as one team correlating on their joint type), certified by the guarantee of the "
             f"player's maxmin strategy")
    if lower == upper:
        return PowerBound(name, "worst", lower, lower, upper, True,
                          f"{upper_method} = correlated-lp-bound", attained, guarantee,
                          notes + "; the bounds meet, so the value is exact")
    return PowerBound(name, "worst", None, lower, upper, False,
                      f"{upper_method} / correlated-lp-bound", attained, guarantee, notes)
