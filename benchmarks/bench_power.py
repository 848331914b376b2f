"""Benchmark: exact POWER against a float64 contraction and against Gambit.

Usage::

    python benchmarks/bench_power.py            # every size; writes benchmarks/results/power.md
    python benchmarks/bench_power.py --quick    # small sizes only (a smoke test)

Options: ``--no-write`` (print only), ``--output PATH``, ``--seed N``,
``--budget SECONDS`` (time spent repeating one measurement, default 2),
``--weights random|equal-sum`` (strategy weights; see :func:`random_instance`).

For each game shape (players x types x actions, every player alike) it builds
a random rational game with :meth:`exactpower.BayesianGame.from_arrays`
(rewards uniform integers in [-1000, 1000] over the denominator 7, prior
weights uniform integers in [0, 9], strategy weights uniform integers in
[0, 9] per type, a row of zeros replaced by a pure action) and times, as
medians over repeats with ``time.perf_counter``:

* **exact** -- ``exactpower.power(game, profile, i)`` for every player ``i``,
  warm (the game object is built once; the first call may fill caches), and
  the first, **cold**, call on a fresh game object in its own column;
* **fresh** -- a new profile every repeat: ``StrategyProfile.from_arrays`` of the
  integer weights plus the POWER of every player (what dynamics, grids and
  exhaustive checks pay per profile); its ratio to float64 is the issue's target
  (at most 1.5 at 10⁶ cells);
* **float64** -- the same POWER by the obvious numpy contraction:
  ``np.einsum(..., optimize=True)`` of prior, the opponents' strategies and
  the player's rewards into ``F_i(t_i, a_i)``, then the maximum over the own
  action and the sum over the own type;
* **gambit** -- pygambit on the ``.efg`` export (:func:`exactpower.gambit.to_efg`;
  writing and reading the file is not timed): making the rational behaviour
  profile and computing ``Σ_h P(reach h) · max_a action_value(a)`` for every
  player (see ``tests/gambit_oracle.py``), for trees of at most
  ``GAMBIT_MAX_TERMINALS`` terminal nodes (bigger ones print "—").

Every size checks that exact equals Gambit exactly and that float64 is close
to exact; a mismatch makes the script exit with status 1.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib.util
import os
import platform
import statistics
import sys
import time
from fractions import Fraction
from pathlib import Path

import numpy as np
import sympy

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from exactpower import BayesianGame, StrategyProfile, power  # noqa: E402
from exactpower.io import to_efg  # noqa: E402

#: Gambit is run on trees with at most this many terminal nodes.
GAMBIT_MAX_TERMINALS = 200_000

#: (players, types per player, actions per player)
SHAPES = [
    (2, 2, 2),
    (2, 4, 4),
    (2, 8, 8),
    (2, 16, 16),
    (2, 32, 32),
    (3, 2, 2),
    (3, 4, 4),
    (3, 6, 6),
    (3, 10, 10),
    (4, 2, 2),
    (4, 4, 4),
    (4, 6, 6),
]
QUICK_SHAPES = [(2, 2, 2), (2, 4, 4), (3, 2, 2), (4, 2, 2)]

DENOMINATOR = 7
DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "power.md"


# -- data -----------------------------------------------------------------------------


def random_instance(
    n: int, types: int, actions: int, rng: np.random.Generator, weights_kind: str = "random"
):
    """Integer rewards, prior weights and strategy weights for one shape.

    ``weights_kind`` ``"random"``: strategy weights uniform in [0, 9], so each
    row has its own sum and the exact strategies have large common
    denominators; ``"equal-sum"``: every row is a multinomial draw summing to
    8, so every probability is a multiple of 1/8.
    """
    tshape, ashape = (types,) * n, (actions,) * n
    rewards = rng.integers(-1000, 1001, size=(n, *tshape, *ashape), dtype=np.int64)
    prior = rng.integers(0, 10, size=tshape, dtype=np.int64)
    if prior.sum() == 0:
        prior.flat[0] = 1
    weights = []
    for _ in range(n):
        if weights_kind == "equal-sum":
            weights.append(
                rng.multinomial(8, np.full(actions, 1 / actions), size=types).astype(np.int64)
            )
            continue
        w = rng.integers(0, 10, size=(types, actions), dtype=np.int64)
        for row in w:
            if row.sum() == 0:
                row[rng.integers(actions)] = 1
        weights.append(w)
    return rewards, prior, weights


def build(rewards, prior, weights):
    game = BayesianGame.from_arrays(rewards, prior=prior, denominator=DENOMINATOR)
    return game, StrategyProfile.from_arrays(game, weights)


# -- the three computations -------------------------------------------------------------


def exact_powers(game, profile) -> list:
    return [power(game, profile, i) for i in range(game.n_players)]


def float_setup(rewards, prior, weights):
    """Float64 operands and one einsum subscript string per player."""
    n = rewards.shape[0]
    r = rewards.astype(np.float64) / DENOMINATOR
    p = prior.astype(np.float64) / prior.sum()
    s = [w.astype(np.float64) / w.sum(axis=1, keepdims=True) for w in weights]
    letters = "abcdefghijklmnopqrstuvwxyz"
    t, a = letters[:n], letters[n : 2 * n]
    plans = []
    for i in range(n):
        others = [j for j in range(n) if j != i]
        spec = ",".join([t] + [t[j] + a[j] for j in others] + [t + a]) + "->" + t[i] + a[i]
        plans.append((spec, [p] + [s[j] for j in others] + [r[i]]))
    return plans


def float_powers(plans) -> list:
    out = []
    for spec, operands in plans:
        table = np.einsum(spec, *operands, optimize=True)  # F_i(t_i, a_i)
        out.append(float(table.max(axis=1).sum()))
    return out


def gambit_setup(game):
    """The pygambit game and its information-set map (not timed)."""
    import gambit_oracle

    gambit_game = gambit_oracle.load_efg(to_efg(game))
    return gambit_game, gambit_oracle.infoset_map(gambit_game, game)


def gambit_powers(gambit_game, infosets, game, profile) -> list:
    import gambit_oracle

    behavior = gambit_oracle.behavior_profile(gambit_game, game, profile, infosets)
    return gambit_oracle.power_from_behavior(gambit_game, game, behavior)


# -- timing ---------------------------------------------------------------------------------


def median_time(fn, *, budget: float, min_repeats: int = 3, max_repeats: int = 101):
    """Median wall time of ``fn()`` in seconds, and its last result."""
    times = []
    start = time.perf_counter()
    result = None
    while len(times) < max_repeats:
        t0 = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t0)
        if len(times) >= min_repeats and time.perf_counter() - start >= budget:
            break
    return statistics.median(times), result


def fraction(value) -> Fraction:
    return Fraction(int(value.p), int(value.q))


def run_shape(n, types, actions, *, seed, budget, weights_kind="random", log=print):
    rng = np.random.default_rng([seed, n, types, actions])
    rewards, prior, weights = random_instance(n, types, actions, rng, weights_kind)
    cells = types**n * actions**n
    row = {"shape": f"{n} × ({types} types, {actions} actions)", "cells": cells}

    row.update(
        cold=None,
        exact=None,
        fresh=None,
        float=None,
        gambit=None,
        float_ok=None,
        gambit_ok=None,
        errors=[],
    )

    # exact, cold: a fresh game and profile, first call; then warm calls
    exact_q = None
    try:
        game, profile = build(rewards, prior, weights)
        gc.collect()
        t0 = time.perf_counter()
        cold = exact_powers(game, profile)
        row["cold"] = time.perf_counter() - t0
        row["exact"], exact = median_time(lambda: exact_powers(game, profile), budget=budget)
        if exact != cold:
            raise AssertionError(f"warm POWER {exact} differs from cold {cold}")
        row["fresh"], fresh = median_time(
            lambda: exact_powers(game, StrategyProfile.from_arrays(game, weights)), budget=budget
        )
        if fresh != exact:
            raise AssertionError(f"POWER {fresh} of a fresh profile differs from {exact}")
        for value in exact:
            if not isinstance(value, sympy.Rational):
                raise TypeError(f"POWER {value!r} is not a sympy Rational")
        exact_q = [fraction(v) for v in exact]
    except Exception as error:  # noqa: BLE001 - report, keep benchmarking the other columns
        row["errors"].append(f"exact: {type(error).__name__}: {error}")
        game = BayesianGame.from_arrays(rewards, prior=prior, denominator=DENOMINATOR)
        profile = StrategyProfile.from_arrays(game, weights)

    # float64
    plans = float_setup(rewards, prior, weights)
    row["float"], approx = median_time(lambda: float_powers(plans), budget=budget)
    if exact_q is not None:
        scale = max(1.0, max(abs(float(q)) for q in exact_q))
        row["float_ok"] = all(abs(float(q) - x) <= 1e-9 * scale for q, x in zip(exact_q, approx))

    # gambit
    if cells <= GAMBIT_MAX_TERMINALS and importlib.util.find_spec("pygambit") is not None:
        try:
            gambit_game, infosets = gambit_setup(game)
            row["gambit"], by_gambit = median_time(
                lambda: gambit_powers(gambit_game, infosets, game, profile),
                budget=budget,
                min_repeats=3,
                max_repeats=21,
            )
            if exact_q is not None:
                row["gambit_ok"] = by_gambit == exact_q
        except Exception as error:  # noqa: BLE001 - the peer's failure is a row of the table
            row["errors"].append(f"gambit: {type(error).__name__}: {error}")
    row["power"] = exact_q
    log(_progress(row))
    return row


# -- output ---------------------------------------------------------------------------------


def _ms(seconds, error=False):
    if seconds is None:
        return "error" if error else "—"
    ms = seconds * 1000
    return f"{ms:.3g}" if ms < 100 else f"{ms:.0f}"


def _ratio(x, y):
    if x is None or y is None or y == 0:
        return "—"
    r = x / y
    return f"{r:.2g}" if r < 10 else f"{r:.0f}"


def _check_text(ok, yes, no):
    return "—" if ok is None else (yes if ok else no)


def _progress(row):
    line = (
        f"  {row['shape']:<32} {row['cells']:>9} cells: exact {_ms(row['exact'])} ms "
        f"(cold {_ms(row['cold'])}, fresh profile {_ms(row['fresh'])}), "
        f"float64 {_ms(row['float'])} ms, gambit {_ms(row['gambit'])} ms"
        f" [exact=gambit: {_check_text(row['gambit_ok'], 'yes', 'NO')}; "
        f"float64 close: {_check_text(row['float_ok'], 'yes', 'NO')}]"
    )
    return "\n".join([line] + [f"    ERROR {e}" for e in row["errors"]])


def failed(row) -> bool:
    return bool(row["errors"]) or row["gambit_ok"] is False or row["float_ok"] is False


def table(rows) -> str:
    lines = [
        "| shape (players × (types, actions)) | cells/player | exact ms (warm) | exact cold ms "
        "| fresh profile ms | float64 ms | gambit ms | exact/float64 | fresh/float64 "
        "| gambit/exact |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        exact_error = any(e.startswith("exact") for e in r["errors"])
        gambit_error = any(e.startswith("gambit") for e in r["errors"])
        lines.append(
            f"| {r['shape']} | {r['cells']:,} | {_ms(r['exact'], exact_error)} "
            f"| {_ms(r['cold'], exact_error)} | {_ms(r['fresh'], exact_error)} | {_ms(r['float'])} "
            f"| {_ms(r['gambit'], gambit_error)} | {_ratio(r['exact'], r['float'])} "
            f"| {_ratio(r['fresh'], r['float'])} | {_ratio(r['gambit'], r['exact'])} |"
        )
    return "\n".join(lines)


def machine() -> str:
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:
        nproc = os.cpu_count()
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = [f"python {platform.python_version()}", f"numpy {np.__version__}"]
    for name in ("sympy", "flint", "pygambit"):
        try:
            module = __import__(name)
            versions.append(f"{'python-flint' if name == 'flint' else name} {module.__version__}")
        except Exception:  # noqa: BLE001  # pragma: no cover - an optional package, any failure
            pass
    return f"nproc {nproc} ({cpu}), " + ", ".join(versions)


def report(rows, command: str, weights_kind: str = "random") -> str:
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    notes = [
        "",
        "Columns: `exact` = `exactpower.power` for every player, median of warm calls on one game "
        "object; `exact cold` = the first such call on a freshly built game and profile; "
        "`fresh profile` = `StrategyProfile.from_arrays` of the integer weights plus POWER of "
        "every player, a new profile each repeat (the target: at most 1.5 × float64 at 10⁶ "
        "cells); "
        "`float64` = `np.einsum(..., optimize=True)` of prior × opponents' strategies × rewards, "
        "max over own action, sum over own type, every player; `gambit` = pygambit 16.7: building "
        "the rational behaviour profile and Σ_h P(reach h)·max_a action_value(a) for every player, "
        f"on the `.efg` export (reading the file not timed; trees over {GAMBIT_MAX_TERMINALS:,} "
        "terminal nodes skipped, —). Ratios use the warm exact time. "
        f"Rewards: integers in [-1000, 1000] over {DENOMINATOR}; prior weights: integers in [0, 9]; "
        + (
            "strategy weights: integers in [0, 9] (each type's row normalised by its own sum)."
            if weights_kind == "random"
            else "strategy weights: each row a multinomial draw summing to 8 (probabilities in 1/8 steps)."
        ),
        "",
        "Checks on every row: exact = Gambit exactly (where Gambit ran), |exact − float64| ≤ 1e-9·scale.",
    ]
    for r in rows:
        if failed(r):
            problems = list(r["errors"])
            if r["gambit_ok"] is False:
                problems.append("exact POWER differs from Gambit's")
            if r["float_ok"] is False:
                problems.append("float64 POWER not close to exact")
            notes.append(
                f"- **FAILED** {r['shape']}: " + "; ".join(p.replace("|", "/") for p in problems)
            )
    return (
        "\n".join(
            ["# POWER benchmark", "", f"{date}; {machine()}; command: `{command}`", "", table(rows)]
            + notes
        )
        + "\n"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument(
        "--budget",
        type=float,
        default=None,
        help="seconds spent repeating one measurement (default 2, 0.05 with --quick)",
    )
    parser.add_argument(
        "--weights",
        choices=("random", "equal-sum"),
        default="random",
        help="strategy weights: uniform integers in [0, 9] per cell (default), "
        "or rows that all sum to 8",
    )
    args = parser.parse_args(argv)
    budget = args.budget if args.budget is not None else (0.05 if args.quick else 2.0)
    shapes = QUICK_SHAPES if args.quick else SHAPES
    command = "python benchmarks/bench_power.py" + (
        ""
        if argv is None and len(sys.argv) < 2
        else " " + " ".join(sys.argv[1:] if argv is None else argv)
    )
    print(f"POWER benchmark: {machine()}")
    rows = [
        run_shape(n, t, a, seed=args.seed, budget=budget, weights_kind=args.weights)
        for n, t, a in shapes
    ]
    text = report(rows, command, args.weights)
    print()
    print(text)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        print(f"written to {args.output}")
    return 1 if any(failed(r) for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
