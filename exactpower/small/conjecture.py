"""The article's open questions, probed exactly (``docs/conjectures.md``).

**Conjecture A** ("if all players have identical rewards, then the sum of POWER equals the
sum of best-case POWER for each player").  :func:`check_identical_rewards` runs over every
game of a :class:`~exactpower.small.classes.GameClass` with ``constraint="identical"`` and tests

    ``Σ_i POWER(i, σ) == Σ_i POWER⁺(i)``   (``POWER⁺ = best_case_power(game, i).value``)

under three readings of "at which σ":

- ``"every-equilibrium"`` (a): at every equilibrium :func:`exactpower.equilibria` finds (for
  two players: every extreme BNE);
- ``"welfare-maximising-equilibria"`` (b): at the found equilibria of largest welfare;
- ``"team-optimal"`` (c): at every pure profile of largest welfare (for identical rewards
  the team optimum over all mixed profiles is attained at a pure one: the welfare is
  multilinear in the strategies).

For each reading it reports whether it holds on the class, how many games and profiles
were checked, and the **smallest** counterexample.  "Smallest" is a total order, not an
accident of the iteration order: among all counterexamples found, the one with the least
key ``(players, Σ types, Σ actions, shape, max |reward|, Σ |reward|, encoding)`` where
the shape is ``(T_1..T_n, A_1..A_n)`` and the encoding is the class's canonical
encoding (prior weights then reward numerators, flat).  The class itself is iterated in
its deterministic order (shapes in increasing order, then work units); the key makes the
answer independent of that order.

**Question B** (common-payoff ↔ constant-sum).  :func:`interpolation` builds the family
``r^λ = (1−λ)·common + λ·constant_sum`` of two-player normal-form games with ``λ`` a
declared parameter ``Parameter("lam", "probability")``, and follows every equilibrium
*branch* exactly: each pure profile (a BNE exactly on the λ-set cut out by linear
inequalities) and the completely mixed profile of a 2×2 game (closed form in λ, a BNE
where its probabilities lie in [0, 1]).  On its region ΣPOWER of a branch is an exact
function of λ, returned as a ``sympy.Piecewise`` (``nan`` off the region).  At each
breakpoint -- where some player is indifferent, so the equilibrium set can change -- the
equilibria of the substituted rational game are computed directly by
:func:`exactpower.equilibria`.  Nothing here imports the proof module (the LaTeX
derivations of counterexamples are written by :mod:`exactpower.cli.conjecture`).
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import sympy

from ..bounds import best_case_power
from ..equilibria import equilibria
from ..errors import GameStructureError
from ..exact import Parameter, as_exact, exact_sum
from ..game import BayesianGame
from ..io import dumps
from ..power import power_sum
from ..profile import StrategyProfile
from ..regret import is_bayesian_nash
from ..utility import welfare
from .classes import GameClass
from .exhaust import named_game
from .runners import Progress
from .summary import describe

__all__ = [
    "READINGS",
    "check_identical_rewards",
    "check_game",
    "team_optimal_profiles",
    "game_key",
    "interpolation",
    "coordination_game",
    "matching_pennies",
    "LAMBDA",
]

#: The readings of Conjecture A, in report order.
READINGS = ("every-equilibrium", "welfare-maximising-equilibria", "team-optimal")
#: The parameter of Question B.
LAMBDA = Parameter("lam", "probability")


# -- Conjecture A ------------------------------------------------------------------------------


def pure_profiles(game: BayesianGame):
    """Every pure profile (each type of each player picks one action), in lexicographic order."""
    per_player = [
        list(itertools.product(range(len(p.actions)), repeat=len(p.types))) for p in game.players
    ]
    for combo in itertools.product(*per_player):
        weights = []
        for p, choice in zip(game.players, combo):
            w = np.zeros((len(p.types), len(p.actions)), dtype=object)
            for t, a in enumerate(choice):
                w[t, a] = 1
            weights.append(w)
        yield StrategyProfile.from_arrays(game, weights)


def team_optimal_profiles(game: BayesianGame) -> tuple:
    """``(W*, [σ ...])``: the largest welfare over pure profiles and the pure profiles attaining it."""
    best, out = None, []
    for s in pure_profiles(game):
        w = welfare(game, s)
        if best is None or w > best:
            best, out = w, [s]
        elif w == best:
            out.append(s)
    return best, out


def check_game(game: BayesianGame) -> dict:
    """Conjecture A's three readings on one rational game.

    Returns ``{"best_case_sum": Σ_i POWER⁺(i), reading: [(σ, ΣPOWER(σ)), ...] for the
    profiles of that reading}``; the conjecture holds for a reading iff every ΣPOWER
    equals ``best_case_sum``.

    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
    >>> r = check_game(g)
    >>> r["best_case_sum"], [v for _, v in r["every-equilibrium"]]
    (4, [4, 4/3, 2])
    >>> [v for _, v in r["welfare-maximising-equilibria"]], [v for _, v in r["team-optimal"]]
    ([4], [4])
    """
    bc = exact_sum(best_case_power(game, i).value for i in range(game.n_players))
    found_set = equilibria(game)
    found = [e.profile for e in found_set]
    sums = [power_sum(game, s) for s in found]
    welfares = [welfare(game, s) for s in found]
    top = max(welfares) if welfares else None
    _, team = team_optimal_profiles(game)
    return {
        "best_case_sum": bc,
        "complete": found_set.complete,
        "every-equilibrium": list(zip(found, sums)),
        "welfare-maximising-equilibria": [
            (s, v) for s, v, w in zip(found, sums, welfares) if w == top
        ],
        "team-optimal": [(s, power_sum(game, s)) for s in team],
    }


def game_key(rewards, prior) -> tuple:
    """The order of "smallest counterexample": fewest players, types, actions, then values."""
    rewards, prior = np.asarray(rewards), np.asarray(prior)
    n = rewards.shape[0]
    shape = tuple(int(k) for k in rewards.shape[1:])
    flat = [int(v) for v in rewards.ravel().tolist()]
    return (
        n,
        sum(shape[:n]),
        sum(shape[n:]),
        shape,
        max((abs(v) for v in flat), default=0),
        sum(abs(v) for v in flat),
        tuple(int(v) for v in prior.ravel().tolist()),
        tuple(flat),
    )


def check_identical_rewards(cls: GameClass, *, limit: int | None = None, progress=None) -> dict:
    """Check Conjecture A's readings on every game of an identical-rewards class.

    Returns ``{"class": ..., "games": games checked (one per symmetry orbit),
    "games_covered": Σ orbit sizes, "complete": the whole class was checked,
    "incomplete_equilibrium_lists": games whose equilibrium list is not provably complete
    (:attr:`EquilibriumSet.complete`), "readings": {reading: {"holds", "games_checked",
    "profiles_checked", "games_failing", "counterexample"}}}``; a counterexample is
    ``{"game": game-v1 dict, "profile": profile-v1 dict, "power_sum", "best_case_sum"}``
    (exact values as strings), the smallest by :func:`game_key`, at the first failing
    profile of that game in the finder's (or lexicographic) order.  ``limit``: check at
    most that many games.  ``progress``: a stream for the progress bar of ``exhaust``
    (:class:`~exactpower.small.runners.Progress`; drawn only on a terminal).

    >>> s = check_identical_rewards(GameClass(2, 1, 2, (0, 1, 2), constraint="identical"))
    >>> s["games"], [s["readings"][r]["holds"] for r in READINGS]
    (21, [False, True, True])
    >>> s["readings"]["every-equilibrium"]["counterexample"]["best_case_sum"]
    '2'
    """
    if not isinstance(cls, GameClass):
        raise TypeError("check_identical_rewards needs a GameClass")
    if cls.constraint != "identical":
        raise GameStructureError(
            f"conjecture identical-rewards: the class must have "
            f"constraint 'identical', not {cls.constraint!r}"
        )
    stats: dict = {
        r: {"games_checked": 0, "profiles_checked": 0, "games_failing": 0, "best": None}
        for r in READINGS
    }
    games = covered = incomplete = 0
    bar = Progress(cls.units().size, progress, goal=limit)
    for cg in _games(cls, bar):
        if limit is not None and games >= limit:
            break
        games += 1
        covered += cg.orbit_size
        game = named_game(cg.rewards, cg.prior, cg.denominator)
        result = check_game(game)
        bc = result["best_case_sum"]
        incomplete += not result["complete"]
        key = game_key(cg.rewards, cg.prior)
        for r in READINGS:
            _tally(stats[r], result[r], bc, key, game)
    readings = {r: _reading(stats[r]) for r in READINGS}
    bar.close()
    return {
        "class": describe(cls),
        "games": games,
        "games_covered": covered,
        "complete": limit is None or games < limit,
        "incomplete_equilibrium_lists": incomplete,
        "readings": readings,
    }


def _tally(st: dict, checked: list, bc, key, game) -> None:
    """Count one game's ``(profile, ΣPOWER)`` pairs of one reading into its statistics
    ``st``, keeping the smallest counterexample (by ``key``) in ``st["best"]``."""
    st["games_checked"] += 1
    st["profiles_checked"] += len(checked)
    bad = [(s, v) for s, v in checked if v != bc]
    if bad:
        st["games_failing"] += 1
        if st["best"] is None or key < st["best"][0]:
            st["best"] = (key, game, bad[0][0], bad[0][1], bc)


def _reading(st: dict) -> dict:
    """One reading's report from its statistics: the counts and the smallest counterexample."""
    ce = None
    if st["best"] is not None:
        _, game, s, v, bc = st["best"]
        ce = {
            "game": json.loads(dumps(game)),
            "profile": json.loads(dumps(s)),
            "power_sum": str(v),
            "best_case_sum": str(bc),
            "is_equilibrium": bool(is_bayesian_nash(game, s)),
            "welfare": str(welfare(game, s)),
        }
    return {
        "holds": st["best"] is None,
        "games_checked": st["games_checked"],
        "profiles_checked": st["profiles_checked"],
        "games_failing": st["games_failing"],
        "counterexample": ce,
    }


def _games(cls: GameClass, bar: Progress):
    """The class's games in order, the bar moved on after each game checked."""
    for unit in cls.units():
        found = cls.games(unit)
        if not found:
            bar.update(0)
        for k, game in enumerate(found, 1):
            yield game
            bar.update(1, steps=int(k == len(found)))


# -- Question B --------------------------------------------------------------------------------


def coordination_game() -> list:
    """The 2×2 coordination game ``[[2,0],[0,1]]`` (both players), as two tables."""
    t = [[2, 0], [0, 1]]
    return [t, t]


def matching_pennies() -> list:
    """Matching pennies, a zero-sum game, as two tables."""
    t = [[1, -1], [-1, 1]]
    return [t, [[-v for v in row] for row in t]]


def _mixed_game(common, constant_sum, lam) -> BayesianGame:
    tables = [
        [
            [(1 - lam) * as_exact(c) + lam * as_exact(k) for c, k in zip(crow, krow)]
            for crow, krow in zip(ci, ki)
        ]
        for ci, ki in zip(common, constant_sum)
    ]
    params = (LAMBDA,) if isinstance(lam, sympy.Symbol) else ()
    return BayesianGame.from_tables(tables, parameters=params)


def _interval_set(conditions, lam) -> sympy.Set:
    region = sympy.Interval(0, 1)
    for cond in conditions:
        if cond is sympy.true:
            continue
        if cond is sympy.false:
            return sympy.EmptySet
        region = region.intersect(sympy.solveset(cond, lam, domain=sympy.S.Reals))
    return region


def interpolation(common=None, constant_sum=None) -> dict:
    """ΣPOWER at every equilibrium branch of ``r^λ = (1−λ)·common + λ·constant_sum``, exactly.

    ``common`` and ``constant_sum`` are pairs of 2×2 tables (default: the coordination game
    ``[[2,0],[0,1]]`` and matching pennies).  Returns ``{"game": the symbolic λ-game,
    "branches": [...], "breakpoints": [...]}``.  A branch is ``{"kind": "pure" | "mixed",
    "profile": {player: {action: probability in λ}}, "region": the λ-set (a sympy Set)
    where it is a BNE, "power_sum": ΣPOWER there (expression in λ), "piecewise":
    sympy.Piecewise((ΣPOWER, λ in region), (nan, True))}``.  ``breakpoints`` lists each
    rational λ in [0, 1] where a branch starts or ends or a player is indifferent against a
    pure action, with the extreme equilibria of the substituted game (:func:`equilibria`)
    and their ΣPOWER.

    >>> res = interpolation()
    >>> [(b["kind"], b["region"], b["power_sum"]) for b in res["branches"][:2]]
    [('pure', Interval(0, 1/2), 4 - 4*lam), ('pure', Interval(0, 1/3), 2 - 2*lam)]
    >>> res["branches"][2]["region"]
    Union(Interval(0, 1/3), Interval(1/2, 1))
    >>> [(bp["lam"], [v for _, v in bp["equilibria"]]) for bp in res["breakpoints"]]
    [(0, [4, 4/3, 2]), (1/3, [8/3, 4/5, 4/3]), (3/7, [16/7]), (1/2, [2, 6/7]), (1, [0])]
    """
    common = coordination_game() if common is None else common
    constant_sum = matching_pennies() if constant_sum is None else constant_sum
    lam = LAMBDA.symbol
    game = _mixed_game(common, constant_sum, lam)
    if game.n_players != 2 or game.action_shape != (2, 2) or game.type_shape != (1, 1):
        raise GameStructureError("interpolation: two 2×2 tables per game are supported")
    r = [
        [[sympy.expand(game.reward(i, (0, 0), (a, b))) for b in range(2)] for a in range(2)]
        for i in range(2)
    ]
    names = [p.name for p in game.players]
    acts = [p.actions for p in game.players]
    branches = []
    cuts = {sympy.Integer(0), sympy.Integer(1)}
    for a, b in itertools.product(range(2), range(2)):
        conds = [r[0][a][b] >= r[0][1 - a][b], r[1][a][b] >= r[1][a][1 - b]]
        for lhs_rhs in ((r[0][a][b], r[0][1 - a][b]), (r[1][a][b], r[1][a][1 - b])):
            cuts |= set(_roots(lhs_rhs[0] - lhs_rhs[1], lam))
        region = _interval_set([sympy.simplify(c) for c in conds], lam)
        if region is sympy.EmptySet:
            continue
        value = sympy.expand(r[0][a][b] + r[1][a][b])  # a BNE: POWER_i = own reward
        profile = {
            names[0]: {acts[0][a]: sympy.Integer(1)},
            names[1]: {acts[1][b]: sympy.Integer(1)},
        }
        branches.append(_branch("pure", profile, region, value, lam))
    # Completely mixed: p = P(row plays action 0) makes the column player indifferent, etc.
    d2 = sympy.expand(r[1][0][0] - r[1][1][0] - r[1][0][1] + r[1][1][1])
    d1 = sympy.expand(r[0][0][0] - r[0][0][1] - r[0][1][0] + r[0][1][1])
    cuts |= set(_roots(d1, lam)) | set(_roots(d2, lam))
    if d1 != 0 and d2 != 0:
        p = sympy.factor((r[1][1][1] - r[1][1][0]) / d2)
        q = sympy.factor((r[0][1][1] - r[0][0][1]) / d1)
        conds = [sympy.Ne(d1, 0), sympy.Ne(d2, 0), p >= 0, p <= 1, q >= 0, q <= 1]
        for e in (p, 1 - p, q, 1 - q):
            cuts |= set(_roots(sympy.numer(sympy.together(e)), lam))
        region = _interval_set(conds, lam)
        if region is not sympy.EmptySet:
            u1 = q * r[0][0][0] + (1 - q) * r[0][0][1]
            u2 = p * r[1][0][0] + (1 - p) * r[1][1][0]
            value = sympy.factor(sympy.simplify(u1 + u2))
            profile = {
                names[0]: {acts[0][0]: p, acts[0][1]: sympy.factor(1 - p)},
                names[1]: {acts[1][0]: q, acts[1][1]: sympy.factor(1 - q)},
            }
            branches.append(_branch("mixed", profile, region, value, lam))
    breakpoints = []
    for c in sorted(x for x in cuts if x.is_rational and 0 <= x <= 1):
        g = substituted(common, constant_sum, c)
        breakpoints.append(
            {"lam": c, "equilibria": [(e.profile.to_dict(), e.power_sum) for e in equilibria(g)]}
        )
    return {"game": game, "lam": lam, "branches": branches, "breakpoints": breakpoints}


def substituted(common, constant_sum, value) -> BayesianGame:
    """The rational game ``r^λ`` at ``λ = value`` (built directly, not by substitution)."""
    return _mixed_game(common, constant_sum, sympy.Rational(value))


def _roots(expr, lam) -> list:
    expr = sympy.expand(expr)
    if expr == 0 or not expr.has(lam):
        return []
    return [x for x in sympy.solve(expr, lam) if x.is_real]


def _branch(kind, profile, region, value, lam) -> dict:
    return {
        "kind": kind,
        "profile": profile,
        "region": region,
        "power_sum": value,
        "piecewise": sympy.Piecewise((value, region.as_relational(lam)), (sympy.nan, True)),
    }


def branch_values(result: dict, value) -> list:
    """ΣPOWER of every branch whose region contains ``λ = value``, sorted."""
    lam = result["lam"]
    v = sympy.Rational(value)
    return sorted(b["power_sum"].subs(lam, v) for b in result["branches"] if v in b["region"])
