"""Benchmark: games checked per second per worker by ``exactpower exhaust``.

Usage::

    python benchmarks/bench_exhaust.py            # both classes, 1 and 2 workers; writes
                                                  # benchmarks/results/exhaust.md
    python benchmarks/bench_exhaust.py --quick    # a prefix of each class (a smoke test)

Options: ``--no-write`` (print only), ``--output PATH``, ``--workers 1,2``.

Two classes (SPEC §5, issue "exhaustive small-game checks"):

* **2×2 general-sum** -- two players, one type each, two actions each, rewards in
  ``-3..3``: 5,764,801 raw games.
* **CI class** -- constant-sum, two actions each, one or two types each, rewards in
  ``-1,0,1``, general reward form, uniform prior: 43,059,924 raw games.

Each is run with every profile on the grid ``k/1`` (the pure profiles) and with
``k/2`` (the default), and with every extreme equilibrium found and checked
(``equilibria="auto"``: for two players the vectorised vertex enumeration of
:func:`exactpower.exhaust.two_player_equilibria`).  A "game" is one symmetry
class (``classes_checked``); the rate per worker is ``classes_checked / seconds /
workers``, wall-clock time including enumeration, canonicalisation and process
start-up.  The run fails (exit 1) if any violation is found.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from exactpower.small.classes import GameClass  # noqa: E402
from exactpower.small.exhaust import exhaust  # noqa: E402

CLASSES = {
    "2×2 general-sum, values -3..3": (
        GameClass(2, 1, 2, range(-3, 4)),
        "exactpower exhaust --players 2 --types 1 --actions 2 --values -3..3",
    ),
    "CI class: constant-sum, types 1..2, values -1,0,1": (
        GameClass(2, range(1, 3), 2, (-1, 0, 1), constraint="constant-sum"),
        "exactpower exhaust --players 2 --types 1..2 --actions 2 --values -1,0,1 "
        "--constraint constant-sum:0",
    ),
}
QUICK_LIMIT = 20000


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)  # pool workers, once they have exited
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def measure(cls, grid: int, workers: int, limit: int | None) -> dict:
    load = os.getloadavg()[0]
    cpu = _cpu()
    s = exhaust(cls, grid=grid, workers=workers, limit=limit)
    cpu = _cpu() - cpu
    rate = s["classes_checked"] / max(s["seconds"], 1e-9)
    return {
        "grid": grid,
        "workers": workers,
        "classes": s["classes_checked"],
        "raw": s["raw_games"],
        "profiles": s["profiles_checked"],
        "equilibria": s["equilibria"],
        "violations": s["violations"],
        "seconds": s["seconds"],
        "rate": rate,
        "per_worker": rate / workers,
        "cpu": cpu,
        "per_cpu": s["classes_checked"] / max(cpu, 1e-9),
        "load": load,
    }


def table(rows: list) -> list:
    out = [
        "| class | grid | workers | games (classes) | raw games | profiles | equilibria "
        "| wall s | games/s | games/s/worker | wall speed-up | CPU s | games/CPU-s "
        "| load before |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    base = {}
    for name, r in rows:
        key = (name, r["grid"])
        if r["workers"] == 1:
            base[key] = r["seconds"]
        speed = base.get(key, r["seconds"]) / max(r["seconds"], 1e-9)
        out.append(
            f"| {name} | k/{r['grid']} | {r['workers']} | {r['classes']:,} | "
            f"{r['raw']:,} | {r['profiles']:,} | {r['equilibria']:,} | "
            f"{r['seconds']:.1f} | {r['rate']:,.0f} | {r['per_worker']:,.0f} | "
            f"{speed:.2f}× | {r['cpu']:.1f} | {r['per_cpu']:,.0f} | {r['load']:.1f} |"
        )
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick",
        action="store_true",
        help=f"check only the first {QUICK_LIMIT} games of each class",
    )
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--output", default=str(ROOT / "benchmarks" / "results" / "exhaust.md"))
    parser.add_argument("--workers", default="1,2", help="worker counts (default 1,2)")
    args = parser.parse_args(argv)
    workers = [int(w) for w in args.workers.split(",")]
    limit = QUICK_LIMIT if args.quick else None
    rows, failed = [], False
    for name, (cls, _command) in CLASSES.items():
        for grid in (1, 2):
            for w in workers:
                r = measure(cls, grid, w, limit)
                failed |= r["violations"] > 0
                rows.append((name, r))
                print(
                    f"{name}: grid k/{grid}, {w} worker(s): {r['classes']:,} games in "
                    f"{r['seconds']:.1f} s = {r['per_worker']:,.0f} games/s/worker",
                    flush=True,
                )
    lines = [
        "# exhaust benchmark",
        "",
        f"Run {datetime.date.today().isoformat()} with `python benchmarks/bench_exhaust.py"
        f"{' --quick' if args.quick else ''}` on {platform.machine()}, "
        f"nproc {os.cpu_count()} (shared machine), Python {platform.python_version()}, "
        f"numpy {np.__version__}.",
        "",
        "A game is one symmetry class (a canonical representative); at every game the "
        "theorem is checked at every grid profile (`k/1`: the pure profiles) and at every "
        "extreme equilibrium, all found exactly. Wall-clock seconds include enumeration, "
        "symmetry reduction and process start-up. CPU seconds are those of this process "
        "and its worker processes; games per CPU-second is the per-worker rate that does "
        "not depend on what else the machine runs. `load before` is the 1-minute load "
        "average when the run started: on a machine whose cores are busy with other work "
        "the wall-clock speed-up from 1 to 2 workers is not measurable, the CPU cost is.",
        "",
    ]
    lines += table(rows)
    lines += ["", "Commands:", ""]
    lines += [
        f"- {name}: `{command} --grid M --workers N`" for name, (_, command) in CLASSES.items()
    ]
    lines += [
        "",
        "Target (issue): ≥ 2,000 2×2 games per second per worker with all equilibria "
        "found and the theorem checked at each and at all pure profiles.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        Path(args.output).write_text(text, encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
