"""Benchmark: exactpower's equilibria of games of 3+ players against Gambit's ``enumpoly``.

Usage::

    python benchmarks/bench_equilibria_nplayer.py  # writes results/equilibria_nplayer.md
    python benchmarks/bench_equilibria_nplayer.py --no-write  # print only

Options: ``--timeout SECONDS`` (one run of either solver, default 120), ``--output PATH``,
``--only SUBSTRING`` (only the games whose name contains it), ``--repeat N`` (runs of each
solver, each in a fresh interpreter; the median time is reported; default 3), ``--no-write``.

Games: the 3+ player games of pygambit's catalog (``.efg`` ones only when exactpower reads
them), and the 3+ player strategic-form games of Gambit's repository, ``contrib/games``
(copied in ``tests/data/gambit-contrib``).  Both solvers run in a fresh interpreter
(``spawn``: the imports happen there, untimed, and no copy-on-write of a forked parent's
memory is timed) with a time limit (``tests/gambit_oracle.run_with_timeout``), ``--repeat``
times; times are the median wall-clock seconds of those runs, reading the game not
included.  Columns: ours (s) (``exactpower.equilibria``: the
equilibria and the POWER record of each; the first call in a fresh process, so it includes
one-time costs such as sympy's lazy imports), ours, 2nd call (s) (the same call again),
ours: solving only (s) (``polynomial_equilibria``, run next in the same child, so with
sympy's caches warm), enumpoly (s), the ratios ours / enumpoly at the first and the 2nd
call (both times measured in this run), the number of
equilibria each lists (ours: isolated points + one point per continuum found), and whether
every Gambit equilibrium is within 1e-6 of one of ours (``covers``).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

CONTRIB = ROOT / "tests" / "data" / "gambit-contrib"


def games() -> list:
    """``(label, loader)`` pairs: each loader gives ``(exactpower game, pygambit game)``."""
    import pygambit as gbt

    out = []
    for name in gbt.catalog.games()["Game"]:
        g = gbt.catalog.load(name)
        if len(g.players) >= 3:
            out.append((name, ("catalog", name)))
    out.extend(
        (f"contrib/games/{path.name}", ("file", str(path)))
        for path in sorted(CONTRIB.glob("*.nfg"))
    )
    return out


def load(source):
    import pygambit as gbt

    from exactpower import BayesianGame
    from exactpower.io import from_efg, from_nfg

    kind, name = source
    if kind == "file":
        return from_nfg(Path(name).read_bytes(), source=name), gbt.read_nfg(name)
    g = gbt.catalog.load(name)
    if g.is_tree:
        path = Path(os.path.dirname(gbt.__file__)) / "catalog_data" / f"{name}.efg"
        text = path.read_text(encoding="utf-8")
        return from_efg(text, source=name), g
    return BayesianGame.from_tables([a.tolist() for a in g.to_arrays()]), g


def ours(source):
    from exactpower import equilibria
    from exactpower.equilibria.polynomial import polynomial_equilibria

    game, _ = load(source)
    start = time.perf_counter()
    result = equilibria(game)
    elapsed = time.perf_counter() - start
    start = time.perf_counter()
    equilibria(game)
    again = time.perf_counter() - start
    start = time.perf_counter()
    polynomial_equilibria(game)
    solve = time.perf_counter() - start
    points = [[[float(v) for v in rows[0]] for rows in e.profile.strategies] for e in result]
    return elapsed, again, solve, points, result.complete


def theirs(source):
    import pygambit as gbt

    _, g = load(source)
    start = time.perf_counter()
    found = gbt.nash.enumpoly_solve(g).equilibria
    elapsed = time.perf_counter() - start
    return elapsed, [[[float(m[s]) for s in p.strategies] for p in g.players] for m in found]


def covers(mine, other) -> bool:
    def close(x, y):
        return all(abs(a - b) <= 1e-6 for rx, ry in zip(x, y) for a, b in zip(rx, ry))

    return all(any(close(m, t) for m in mine) for t in other)


def _seconds(t: float) -> str:
    """A time in seconds: three decimals, or three significant digits below 0.1 s."""
    return f"{t:.3f}" if t >= 0.1 else f"{t:.3g}"


def _ratio(mine, theirs) -> str:
    """``mine / theirs`` as ``2.6×``, or ``-`` when either time is missing."""
    return "-" if mine is None or theirs is None else f"{mine / theirs:.1f}×"


def _median_run(fn, source, args):
    """``fn(source)`` run ``args.repeat`` times, each in a fresh interpreter: its result with
    every time (the leading float entries) replaced by the median over the runs."""
    from gambit_oracle import run_with_timeout

    runs = [
        run_with_timeout(fn, source, seconds=args.timeout, start_method="spawn")
        for _ in range(max(1, args.repeat))
    ]
    out = list(runs[0])
    for k, value in enumerate(out):
        if isinstance(value, float):
            out[k] = statistics.median(run[k] for run in runs)
    return tuple(out)


def main(argv=None) -> int:

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--timeout", type=float, default=120)
    parser.add_argument(
        "--output", default=str(ROOT / "benchmarks" / "results" / "equilibria_nplayer.md")
    )
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--only", default=None, help="substring of the game names to run")
    args = parser.parse_args(argv)
    rows = [
        "| game | ours (s) | ours, 2nd call (s) | ours: solving only (s) | enumpoly (s) |"
        " ours / enumpoly, first call | 2nd call |"
        " equilibria ours / enumpoly | ours complete | ours ⊇ enumpoly |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for label, source in games():
        if args.only and args.only not in label:
            continue
        t_ours = t_again = t_theirs = None
        try:
            t_ours, t_again, t_solve, mine, complete = _median_run(ours, source, args)
            ours_cell, n_ours = _seconds(t_ours), str(len(mine))
            again_cell, solve_cell = _seconds(t_again), _seconds(t_solve)
        except TimeoutError:
            mine, complete, ours_cell, n_ours = None, "-", f"> {args.timeout:g}", "-"
            again_cell = solve_cell = "-"
        except RuntimeError as exc:
            mine, complete, ours_cell, n_ours = None, "-", "error", "-"
            again_cell = solve_cell = "-"
            print(label, str(exc).splitlines()[0], file=sys.stderr)
        try:
            t_theirs, other = _median_run(theirs, source, args)
            theirs_cell, n_theirs = _seconds(t_theirs), str(len(other))
        except (TimeoutError, RuntimeError):
            other, theirs_cell, n_theirs = None, f"> {args.timeout:g}", "-"
        cov = "-" if mine is None or other is None else ("yes" if covers(mine, other) else "no")
        row = (
            f"| {label} | {ours_cell} | {again_cell} | {solve_cell} | {theirs_cell} | "
            f"{_ratio(t_ours, t_theirs)} | {_ratio(t_again, t_theirs)} | "
            f"{n_ours} / {n_theirs} | "
            f"{'yes' if complete is True else 'no' if complete is False else '-'} | {cov} |"
        )
        print(row, flush=True)
        rows.append(row)
    if not args.no_write:
        text = (
            "# Equilibria of games of 3+ players: exactpower against Gambit's enumpoly\n\n"
            "Written by `python benchmarks/bench_equilibria_nplayer.py` (median of "
            f"{args.repeat} runs, each in a fresh interpreter, timeout {args.timeout:g} s; see "
            "the script's docstring).\n\n" + "\n".join(rows) + "\n"
        )
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
