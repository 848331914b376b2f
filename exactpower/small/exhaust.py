"""Exhaustive checks of the power-scarcity theorem over a game class (``docs/exhaust.md``).

For every game of a :class:`~exactpower.small.classes.GameClass` (one per symmetry
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
For two players the equilibria come from
:func:`exactpower.equilibria.batched.two_player_equilibria`, the vertex enumeration
of :mod:`exactpower.equilibria.two_player` vectorised over a batch.  The units run
where :mod:`exactpower.small.runners` puts them; the result is an
:class:`ExhaustSummary`.

>>> from exactpower.small.classes import GameClass
>>> s = exhaust(GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum"), grid=1)
>>> s["games"], s["classes_checked"], s["profiles_checked"], s["violations"]
(81, 15, 89, 0)
>>> s.games, type(s).__name__
(81, 'ExhaustSummary')
"""

from __future__ import annotations

import dataclasses
import functools
import json
import math
import time
from collections.abc import Sequence

import numpy as np
import sympy

from ..bounds import FrozenDict
from ..equilibria import equilibria as find_equilibria
from ..equilibria.batched import two_player_equilibria
from ..equilibria.two_player import solve_two_player
from ..errors import GameStructureError, LimitError
from ..game import BayesianGame, Player
from ..limits import MAX_BASES, MAX_CLASS_GAMES, MAX_COUNTEREXAMPLES
from ..profile import StrategyProfile
from .check import FAILURES, fast_check, grid_strategies
from .classes import GameClass
from .runners import Progress, local, on_dask
from .spaces import Unit, class_spaces

__all__ = [
    "exhaust",
    "ExhaustSummary",
    "run_unit",
    "describe",
    "merge",
    "named_game",
    "class_size",
    "EQUILIBRIA_MODES",
    "MAX_COUNTEREXAMPLES",
    "MAX_CLASS_GAMES",
    "SUMMARY_KEYS",
]

#: ``"auto"``: every equilibrium :func:`exactpower.equilibria` finds; ``"pure"``: its
#: pure equilibria; ``"none"``: the grid profiles only.
EQUILIBRIA_MODES = ("auto", "pure", "none")
#: Games per batch of the vectorised check.
BATCH = 2048
#: The summary's keys, in the order ``exactpower exhaust --json`` prints them.
SUMMARY_KEYS = (
    "games",
    "classes_checked",
    "profiles_checked",
    "equilibria",
    "violations",
    "counterexamples",
    "seconds",
    "raw_games",
    "orbit_check",
    "grid_equilibria",
    "pure_equilibria",
    "incomplete",
    "units",
    "shard",
    "grid",
    "equilibrium_search",
    "class",
)


# -- equilibria found by exactpower.equilibria -----------------------------------------------


def _finder(mode: str):
    """The equilibrium finder for ``mode``, or ``None`` (grid only)."""
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


def _integer_profile(rows_per_player) -> tuple | None:
    """``(numerator arrays, m)`` over one common denominator; ``None`` if not rational."""
    values = [v for rows in rows_per_player for row in rows for v in row]
    if not all(isinstance(v, sympy.Rational) for v in values):
        return None
    m = math.lcm(*(int(v.q) for v in values))
    return [
        np.array([[int(v * m) for v in row] for row in rows], dtype=object)
        for rows in rows_per_player
    ], m


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
    players = tuple(
        Player(
            p.name,
            ("-",) if len(p.types) == 1 else tuple(f"t{k}" for k in range(len(p.types))),
            tuple(f"a{k}" for k in range(len(p.actions))),
        )
        for p in game.players
    )
    return dataclasses.replace(game, players=players)


def _counterexample(cls: GameClass, rewards, prior, weights, failures: int, fast: dict) -> dict:
    """Re-trace a failed check with the proof module and its kernel (imported lazily)."""
    import proofs

    game = named_game(rewards, prior, cls.denominator)
    profile = StrategyProfile.from_arrays(game, [np.asarray(w, dtype=object) for w in weights])
    trace = proofs.power_scarcity(game, profile)
    verdict = proofs.check(trace)
    return _report(
        [text for bit, text in FAILURES.items() if failures & bit],
        game,
        profile,
        trace,
        verdict,
        fast,
    )


def _report(failures: list, game, profile, trace, verdict, fast) -> dict:
    """A counterexample record: the game, the profile, the kernel-checked trace."""
    from ..io import dumps

    return {
        "failures": failures,
        "game": json.loads(dumps(game)),
        "profile": json.loads(dumps(profile)),
        "trace": json.loads(trace.to_json()),
        "kernel": {"valid": verdict.ok, "message": verdict.message},
        "traced": {
            "power_sum": str(trace.conclusion.power_sum),
            "bound": str(trace.conclusion.bound),
            "nash_conv": str(trace.conclusion.gap),
            "equality": trace.equality.holds,
            "is_equilibrium": trace.equality.is_equilibrium,
        },
        "fast": fast,
    }


def _fraction(num, scale) -> str:
    return str(sympy.Rational(int(num), int(scale)))


def run_unit(
    cls: GameClass, unit: Unit, grid: int = 2, equilibria: str = "auto", limit: int | None = None
) -> dict:
    """Check every canonical game of one work unit; a JSON-ready dict of counts.

    Deterministic: the same unit gives the same dict on any machine.
    """
    scan = cls.scan(unit, limit)
    out = {
        "unit": unit.index,
        "games": int(scan.orbit_sizes.sum()),
        "classes": len(scan.orbit_sizes),
        "raw": scan.raw,
        "profiles": 0,
        "equilibria": 0,
        "grid_equilibria": 0,
        "pure_equilibria": 0,
        "violations": 0,
        "incomplete": 0,
        "counterexamples": [],
    }
    if not len(scan.orbit_sizes):
        return out
    n = cls.players
    tshape, ashape = scan.prior.shape, scan.rewards.shape[2 + n :]
    strategies = [grid_strategies(t, a, grid) for t, a in zip(tshape, ashape)]
    pure = functools.reduce(
        np.multiply.outer, [((s == 0) | (s == grid)).all(axis=(1, 2)) for s in strategies]
    )
    c = cls.constant_numerator if cls.constraint == "constant-sum" else None
    finder = _finder(equilibria)
    examples = out["counterexamples"]

    def report(rewards, weights, bits, res, k):
        out["violations"] += 1
        if len(examples) < MAX_COUNTEREXAMPLES:
            fast = {
                "power_sum": _fraction(res.power_sum[k], _at(res.scale, k)),
                "bound": _fraction(res.bound[k], _at(res.scale, k)),
                "nash_conv": _fraction(res.nash_conv[k], _at(res.scale, k)),
                "is_equilibrium": bool(res.equilibrium[k]),
            }
            examples.append(_counterexample(cls, rewards, scan.prior, weights, bits, fast))

    for lo in range(0, len(scan.orbit_sizes), BATCH):
        R = scan.rewards[lo : lo + BATCH]
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
            for j in np.nonzero(bits)[0]:
                report(R[games_of[j]], [s[j] for s in S], int(bits[j]), res, (j,))
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
    profile = StrategyProfile(
        game.players, tuple(tuple(tuple(r) for r in player) for player in rows)
    )
    trace = proofs.power_scarcity(game, profile)
    verdict = proofs.check(trace)
    if verdict.ok and trace.equality.holds is True and trace.equality.is_equilibrium is True:
        return None
    return _report(
        [FAILURES[32] if trace.equality.is_equilibrium is not True else FAILURES[16]],
        game,
        profile,
        trace,
        verdict,
        None,
    )


def _equilibria_of(R, prior, cls, finder, mode, out) -> tuple:
    """The equilibria of a batch of games: ``(game index, strategies, m, irrational)``."""
    n = cls.players
    if mode == "auto" and n == 2:
        found = two_player_equilibria(R, prior, max_bases=MAX_BASES)
        if found is not None:
            found_of, X, Y, m = found
            return found_of, [X, Y], m, []
    rows: list = [[] for _ in range(n)]
    games_of: list = []
    dens: list = []
    slow: list = []
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
    total: dict = {
        "games": 0,
        "classes": 0,
        "raw": 0,
        "profiles": 0,
        "equilibria": 0,
        "grid_equilibria": 0,
        "pure_equilibria": 0,
        "violations": 0,
        "incomplete": 0,
        "counterexamples": [],
    }
    for r in results:
        for key in total:
            if key == "counterexamples":
                room = MAX_COUNTEREXAMPLES - len(total[key])
                total[key].extend(r[key][: max(room, 0)])
            else:
                total[key] += r[key]
    return total


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


class ExhaustSummary(FrozenDict):
    """The result of :func:`exhaust`: a read-only dict with the keys :data:`SUMMARY_KEYS`, in
    that order (what ``exactpower exhaust --json`` prints), each also an attribute.

    >>> s = ExhaustSummary(dict.fromkeys(SUMMARY_KEYS, 0))
    >>> s.violations, s["violations"], list(s)[:2]
    (0, 0, ['games', 'classes_checked'])
    """

    __slots__ = ()

    def __getattr__(self, name: str):
        try:
            return self[name]
        except KeyError:
            raise AttributeError(f"ExhaustSummary has no entry {name!r}") from None


def exhaust(
    cls: GameClass,
    *,
    grid: int = 2,
    equilibria: str = "auto",
    workers: int = 1,
    shard=None,
    scheduler=None,
    limit: int | None = None,
    progress=None,
) -> dict:
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
        Check at most this many games (the first of the stream).  Without it, a class
        (or shard) of more than :data:`MAX_CLASS_GAMES` raw games is refused with a
        :class:`~exactpower.errors.LimitError` that gives its size, before any work.
    progress : file, optional
        Where to draw a progress bar (only if it is a terminal).

    Returns
    -------
    ExhaustSummary
        ``games`` (games covered: the sum of the orbit sizes of those checked),
        ``classes_checked``, ``profiles_checked``, ``equilibria``, ``violations``,
        ``counterexamples``, ``seconds``, and ``raw_games`` (class games
        enumerated), ``orbit_check`` (``raw_games == games``; ``None`` for a shard
        or a limited run), ``grid_equilibria``, ``pure_equilibria``,
        ``incomplete`` (games whose equilibrium list is not provably complete),
        ``units``, ``shard``, ``grid``, ``equilibrium_search``, ``class``.
    """
    start = time.perf_counter()
    _check_arguments(grid, equilibria, limit, workers)
    parts = _parse_shard(shard)
    if limit is None:
        _check_size(cls, parts)
    units = cls.units()  # lazy: a unit is made when it is run
    if parts is not None:
        units = units[parts[0] - 1 :: parts[1]]
    call = functools.partial(run_unit, cls, grid=grid, equilibria=equilibria, limit=limit)
    runner = (
        on_dask(units, call, scheduler) if scheduler is not None else local(units, call, workers)
    )
    bar = Progress(units.size, progress, goal=limit)
    try:
        ordered = _in_order(runner, units, bar, cls, grid, equilibria, limit)
    finally:
        close = getattr(runner, "close", None)
        if close:
            close()
        bar.close()
    total = merge(ordered)
    full = parts is None and limit is None
    return ExhaustSummary(
        {
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
    )


def class_size(cls: GameClass) -> int:
    """The raw games of a class: :meth:`GameClass.raw_count`, or (when only enumeration can
    count them) the candidates its scan enumerates, without enumerating anything.

    >>> class_size(GameClass(2, 2, 2, (-1, 0, 1)))
    1853020188851841
    """
    raw = cls.raw_count()
    if raw is not None:
        return raw
    return sum(s.n_outer * s.n_inner * s.factor for s in class_spaces(cls))


def _check_size(cls: GameClass, parts) -> None:
    """Refuse a run over :data:`MAX_CLASS_GAMES` raw games (a shard: the class's / N)."""
    size = class_size(cls)
    n = 1 if parts is None else parts[1]
    if -(-size // n) <= MAX_CLASS_GAMES:
        return
    share = -(-size // n)
    head = (
        f"the class has {size:,} games ({size:.2e})"
        if n == 1
        else f"shard {parts[0]}/{n} has about {share:,} games ({share:.2e}) of the class's {size:,}"
    )
    raise LimitError(
        f"exhaust: {head}, more than MAX_CLASS_GAMES = {MAX_CLASS_GAMES:,} that "
        f"one run checks without a limit; give --limit N, or --shard K/N with "
        f"N >= {-(-size // MAX_CLASS_GAMES):,}"
    )


def _check_arguments(grid, equilibria, limit, workers) -> None:
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 1:
        raise GameStructureError(f"exhaust: grid must be a positive integer, got {grid!r}")
    if equilibria not in EQUILIBRIA_MODES:
        raise GameStructureError(
            f"exhaust: equilibria {equilibria!r}: expected {', '.join(EQUILIBRIA_MODES)}"
        )
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int) or limit < 0):
        raise GameStructureError(f"exhaust: limit must be a nonnegative integer, got {limit!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise GameStructureError(f"exhaust: workers must be a positive integer, got {workers!r}")


def _in_order(runner, units, bar, cls, grid, equilibria, limit) -> list:
    """The units' results in unit order, up to ``limit`` games (the last unit re-run with the
    games that remain when it would go over)."""
    results, ordered, taken = {}, [], 0
    position, total = 0, units.size
    for index, result in runner:
        results[index] = result
        bar.update(result["classes"])
        while position < total and units[position].index in results:
            r = results.pop(units[position].index)
            if limit is not None and taken + r["classes"] >= limit:
                if taken + r["classes"] > limit:
                    r = run_unit(cls, units[position], grid, equilibria, limit - taken)
                ordered.append(r)
                taken = limit
                position = total
                break
            ordered.append(r)
            taken += r["classes"]
            position += 1
        if position >= total:
            break
    return ordered


def describe(cls: GameClass) -> dict:
    """The class as JSON-ready data (what ``exhaust`` reports under ``class``).

    >>> describe(GameClass(2, (1, 2), 2, range(2)))["types"]
    [[1], [2]]
    """
    prior = (
        cls.prior
        if isinstance(cls.prior, str)
        else {"fixed": [str(w) for w in cls.prior.weights], "shape": list(cls.prior.shape)}
    )
    return {
        "players": cls.players,
        "types": [list(t) for t in cls.types],
        "actions": [list(a) for a in cls.actions],
        "values": [str(v) for v in cls.values],
        "prior": prior,
        "reward_form": cls.reward_form,
        "constraint": cls.constraint,
        "constant": str(cls.constant) if cls.constraint == "constant-sum" else None,
        "reward_sets": cls.reward_sets,
        "symmetries": list(cls.symmetries),
    }
