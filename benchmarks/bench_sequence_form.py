"""Exact equilibria of two-player zero-sum trees by the sequence-form LP: Kuhn and Leduc poker.

For each game: the tree's size, the sequences of each player, the size of each of the two
linear programs (rows = inequalities + equalities, columns = structural variables), the path
:func:`exactpower.linalg.certified.solve_lp` takes (the exact simplex for small programs; for
large ones a floating-point HiGHS vertex whose basis is then solved and certified exactly),
and the wall time of each stage: building the sequence form, :func:`solve_zero_sum` (both
programs, the behaviour profile and its exact NashConv check), and one more exact NashConv of
the result; then the exact value.  Leduc's programs are also sized against the dense exact
simplex (``MAX_LP_SIZE``), which refuses them.

    python benchmarks/bench_sequence_form.py           # Kuhn and Leduc; writes results/sequence_form.md
    python benchmarks/bench_sequence_form.py --quick   # Kuhn from the catalog only (a smoke test)
"""

from __future__ import annotations

import argparse
import datetime
import platform
import sys
import time
from pathlib import Path

from exactpower.limits import MAX_LP_SIZE
from exactpower.linalg.certified import SMALL_LP
from exactpower.sequential import catalog, nash_conv
from exactpower.sequential.sequence_form import sequence_form, solve_zero_sum

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "sequence_form.md"


def _openspiel(name: str):
    from exactpower.sequential.openspiel import from_openspiel

    return from_openspiel(name)


def _games(quick: bool) -> list:
    games = [("Kuhn poker (catalog)", catalog.kuhn_poker)]
    if not quick:
        games.append(("kuhn_poker (OpenSpiel)", lambda: _openspiel("kuhn_poker")))
        games.append(("leduc_poker (OpenSpiel)", lambda: _openspiel("leduc_poker")))
    return games


def _program(sf, player: int) -> tuple:
    """``(inequalities, equalities, columns)`` of the program whose variables are ``player``'s."""
    own, opp = sf.sizes[player], sf.sizes[1 - player]
    return opp, len(sf.constraints[player]), own + len(sf.constraints[1 - player])


def _path(rows_ub: int, rows_eq: int, columns: int, free: int) -> str:
    m = rows_ub + rows_eq
    dense = m * (columns + free + rows_ub + rows_eq + 1)
    if dense <= SMALL_LP:
        return f"exact simplex ({dense:,} tableau entries)"
    over = " (over MAX_LP_SIZE for the dense simplex)" if dense > MAX_LP_SIZE else ""
    return f"float guess + exact certificate ({dense:,} dense tableau entries{over})"


def run_game(label: str, make) -> dict:
    """Every figure of one row of the table."""
    t = time.perf_counter()
    game = make()
    t_load = time.perf_counter() - t
    t = time.perf_counter()
    sf = sequence_form(game)
    t_form = time.perf_counter() - t
    t = time.perf_counter()
    solution = solve_zero_sum(game)
    t_solve = time.perf_counter() - t
    t = time.perf_counter()
    check = nash_conv(game, solution.profile)
    t_check = time.perf_counter() - t
    programs = [_program(sf, p) for p in (1, 0)]
    return {
        "game": label,
        "nodes": len(game.nodes),
        "sequences": "{} / {}".format(*sf.sizes),
        "programs": " and ".join(f"({u} + {e}) × {c}" for u, e, c in programs),
        "path": _path(*programs[0], len(sf.constraints[0])),
        "load": t_load,
        "form": t_form,
        "solve": t_solve,
        "check": t_check,
        "nash_conv": check,
        "value": solution.value,
    }


def table(rows: list) -> str:
    lines = [
        "| game | nodes | sequences (1 / 2) | LP rows × columns (y-side and x-side) | LP path | "
        "load | sequence form | solve_zero_sum | NashConv again | NashConv | value (player 1) |",
        "|---|---:|---|---|---|---:|---:|---:|---:|---|---|",
    ]
    for r in rows:
        value = f"{r['value']} ≈ {float(r['value']):.10f}"
        lines.append(
            f"| {r['game']} | {r['nodes']:,} | {r['sequences']} | {r['programs']} | {r['path']} "
            f"| {r['load']:.2f} s | {r['form']:.2f} s | {r['solve']:.2f} s | {r['check']:.2f} s "
            f"| {r['nash_conv']} | {value} |"
        )
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="Kuhn poker from the catalog only")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args(argv)
    rows = [run_game(label, make) for label, make in _games(args.quick)]
    import numpy
    import sympy

    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    header = (
        f"# Sequence-form LP: exact zero-sum equilibria\n\n{stamp}; "
        f"python {platform.python_version()}, numpy {numpy.__version__}, sympy {sympy.__version__}; "
        f"command: `python benchmarks/bench_sequence_form.py{' --quick' if args.quick else ''}`\n\n"
        "LP rows are (inequalities + equalities). `solve_zero_sum` solves both players' programs "
        "exactly, converts the realization plans to behaviour strategies and checks NashConv = 0 "
        'exactly; "NashConv again" is one more exact NashConv of the returned profile.\n'
    )
    text = header + "\n" + table(rows) + "\n"
    print(text)
    if not args.no_write:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
