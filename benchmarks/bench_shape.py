"""Benchmark of shape-wide proofs: ``proofs.shape_theorem`` + ``proofs.check_shape``.

For each shape (players x types x actions) it times building the shape trace
(every payoff, prior and strategy probability a symbol) and checking it with
the shape kernel, each shape in a fresh subprocess (so the peak memory column
is that shape's own), and prints a markdown table of how time and size grow with
the shape; the table is written to ``benchmarks/results/shape.md``.

    python benchmarks/bench_shape.py            # the full table
    python benchmarks/bench_shape.py --quick    # a smoke test: four small shapes

Targets (issue 3): 2x2x2 in under 2 s and 3x2x2 in under 20 s, building plus checking.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "shape.md"
#: ``(shape, constant_sum)``
SHAPES = [
    ("1x1x1", True),
    ("2x1x2", True),
    ("2x2x2", True),
    ("2x2x2", False),
    ("3x2,1,1x2", True),
    ("2x2x3", True),
    ("3x2x2", True),
    ("3x2x2", False),
    ("2x3x3", True),
    ("2x4x4", True),
    ("3x2x3", True),
    ("4x2x2", True),
    ("2x5x5", True),
    ("3x3x3", True),
    ("2x6x6", True),
]
QUICK_SHAPES = [("1x1x1", True), ("2x1x2", True), ("2x2x2", True), ("2x2x2", False)]
TARGETS = {"2x2x2": 2.0, "3x2x2": 20.0}


def parse(shape: str):
    players, types, actions = shape.split("x")
    types = [int(x) for x in types.split(",")]
    actions = [int(x) for x in actions.split(",")]
    return (
        int(players),
        (types[0] if len(types) == 1 else types),
        (actions[0] if len(actions) == 1 else actions),
    )


def measure(shape: str, constant_sum: bool) -> dict:
    """Build and check one shape in this process; repeat small ones, report the median."""
    sys.path.insert(0, str(HERE.parent))
    from proofs.kernel import check_shape
    from proofs.shape import shape_theorem

    builds, checks, ok = [], [], True
    while True:
        t0 = time.perf_counter()
        trace = shape_theorem(*parse(shape), constant_sum=constant_sum)
        t1 = time.perf_counter()
        verdict = check_shape(trace)
        t2 = time.perf_counter()
        builds.append(t1 - t0)
        checks.append(t2 - t1)
        ok = ok and verdict.ok
        if len(builds) >= 3 or t2 - t0 > 0.5:
            break
    monomials = sum(s.terms for s in trace.steps) + _premise_terms(trace)
    return {
        "shape": trace.shape,
        "theorem": trace.theorem,
        "symbols": trace.counts["total"],
        "monomials": monomials,
        "largest": max(s.terms for s in trace.steps),
        "build": statistics.median(builds),
        "check": statistics.median(checks),
        "ok": ok,
        "message": verdict.message,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def _premise_terms(trace) -> int:
    """Monomials written in the premises and the equality record."""

    def walk(obj, key=None):
        if isinstance(obj, dict):
            return sum(walk(v, k) for k, v in obj.items())
        if key in ("F", "slack", "gap", "total", "welfare", "nash_conv"):
            if key == "F":
                return sum(len(p) for p in obj)
            return len(obj)
        if isinstance(obj, (list, tuple)):
            return sum(walk(v, key) for v in obj)
        return 0

    return walk([s.premises for s in trace.steps]) + walk(trace.equality.premises)


def run_one(shape: str, constant_sum: bool) -> dict:
    """:func:`measure` in a fresh interpreter."""
    cmd = [sys.executable, str(Path(__file__).resolve()), "--one", shape]
    if not constant_sum:
        cmd.append("--general-sum")
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        return {
            "shape": shape,
            "theorem": "power-scarcity" if constant_sum else "general-sum-identity",
            "error": done.stderr.strip().splitlines()[-1:],
        }
    return json.loads(done.stdout)


def versions() -> str:
    try:
        nproc = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        nproc = os.cpu_count()
    out = [f"nproc {nproc}", f"python {platform.python_version()}"]
    import sympy

    out.append(f"sympy {sympy.__version__}")
    try:
        import flint

        out.append(f"python-flint {flint.__version__}")
    except ImportError:  # pragma: no cover
        out.append("python-flint not installed")
    return ", ".join(out)


def _s(x: float) -> str:
    return f"{x:.3f}" if x < 10 else f"{x:.1f}"


def table(rows) -> str:
    lines = [
        "| shape | theorem | symbols | monomials | largest step | build s | check s "
        "| total s | peak MB | checked |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in rows:
        if "error" in r:
            lines.append(
                f"| {r['shape']} | {r['theorem']} | | | | | | | | error: {' '.join(r['error'])} |"
            )
            continue
        lines.append(
            f"| {r['shape']} | {r['theorem']} | {r['symbols']:,} | {r['monomials']:,} "
            f"| {r['largest']:,} | {_s(r['build'])} | {_s(r['check'])} "
            f"| {_s(r['build'] + r['check'])} | {r['peak_mb']:.0f} "
            f"| {'yes' if r['ok'] else 'NO'} |"
        )
    return "\n".join(lines)


def report(rows, command: str) -> str:
    date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    notes = [
        "",
        "Columns: `symbols` = payoffs + prior + strategies + maxima (+ `c`); "
        "`monomials` = every monomial written in the trace (step polynomials, the "
        "interim tables `F` of step 1, the slacks and gaps of the equality record); "
        "`largest step` = the most monomials in one step's right side; `build` = "
        "`proofs.shape_theorem`, `check` = `proofs.check_shape` (median of 3 runs when "
        "one run takes under 0.5 s); `peak MB` = the subprocess's maximum resident set "
        "(Python and sympy included, about 60 MB at rest).",
        "",
    ]
    for shape, limit in TARGETS.items():
        hits = [
            r
            for r in rows
            if r.get("shape") == shape and r.get("theorem") == "power-scarcity" and "error" not in r
        ]
        for r in hits:
            total = r["build"] + r["check"]
            notes.append(
                f"- target {shape} under {limit:g} s: "
                f"{'met' if total < limit and r['ok'] else 'MISSED'} ({_s(total)} s)"
            )
    failed = [r for r in rows if "error" in r or not r.get("ok")]
    notes.extend(f"- **FAILED** {r['shape']} ({r['theorem']})" for r in failed)
    return (
        "\n".join(
            [
                "# Shape-wide proof benchmark",
                "",
                f"{date}; {versions()}; command: `{command}`",
                "",
                table(rows),
            ]
            + notes
        )
        + "\n"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--quick", action="store_true", help="four small shapes only (a smoke test)"
    )
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--one", metavar="SHAPE", help=argparse.SUPPRESS)
    parser.add_argument("--general-sum", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.one, not args.general_sum)))
        return 0
    given = sys.argv[1:] if argv is None else argv
    command = "python benchmarks/bench_shape.py" + "".join(" " + a for a in given)
    print(f"shape benchmark: {versions()}")
    rows = []
    for shape, constant_sum in QUICK_SHAPES if args.quick else SHAPES:
        row = run_one(shape, constant_sum)
        rows.append(row)
        if "error" in row:
            print(f"  {shape:<10} {row['theorem']:<21} ERROR {' '.join(row['error'])}")
        else:
            print(
                f"  {row['shape']:<10} {row['theorem']:<21} {row['symbols']:>5} symbols "
                f"{row['monomials']:>7} monomials  build {_s(row['build'])} s  check "
                f"{_s(row['check'])} s  peak {row['peak_mb']:.0f} MB  "
                f"{'checked' if row['ok'] else 'REJECTED'}",
                flush=True,
            )
    text = report(rows, command)
    print()
    print(text)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text)
        print(f"written to {args.output}")
    return 1 if any("error" in r or not r["ok"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
