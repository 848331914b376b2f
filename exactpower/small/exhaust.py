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
import time

import numpy as np
import sympy

from ..errors import LimitError
from ..game import BayesianGame, Player
from ..limits import MAX_BASES, MAX_CLASS_GAMES, MAX_COUNTEREXAMPLES
from ..profile import StrategyProfile
from .batch_equilibria import equilibria_of, finder
from .check import FAILURES, fast_check, grid_strategies
from .classes import GameClass
from .runners import Progress, local, on_dask
from .spaces import Unit
from .summary import (
    EQUILIBRIA_MODES,
    SUMMARY_KEYS,
    ExhaustSummary,
    check_arguments,
    class_size,
    describe,
    merge,
    parse_shard,
    summarize,
    zero_counts,
)

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

#: Games per batch of the vectorised check.
BATCH = 2048


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
    out = _unit_counts(unit, scan)
    if not len(scan.orbit_sizes):
        return out
    n = cls.players
    tshape, ashape = scan.prior.shape, scan.rewards.shape[2 + n :]
    strategies = [grid_strategies(t, a, grid) for t, a in zip(tshape, ashape)]
    pure = functools.reduce(
        np.multiply.outer, [((s == 0) | (s == grid)).all(axis=(1, 2)) for s in strategies]
    )
    c = cls.constant_numerator if cls.constraint == "constant-sum" else None
    find = finder(equilibria)
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
        if find is None:
            continue
        games_of, S, dens, slow = equilibria_of(
            R, scan.prior, cls, find, equilibria, out, MAX_BASES
        )
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


def _unit_counts(unit: Unit, scan) -> dict:
    """A unit's result before any check: the games of its scan, every other count 0."""
    counts = zero_counts()
    counts.update(games=int(scan.orbit_sizes.sum()), classes=len(scan.orbit_sizes), raw=scan.raw)
    return {"unit": unit.index, **counts}


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


def _at(scale, k):
    return scale[k[0]] if isinstance(scale, np.ndarray) else scale


# -- the driver --------------------------------------------------------------------------------


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
    check_arguments(grid, equilibria, limit, workers)
    parts = parse_shard(shard)
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
    seconds = time.perf_counter() - start
    return summarize(cls, ordered, parts, limit, seconds, grid, equilibria)


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
