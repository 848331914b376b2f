"""Benchmark: exact per-state POWER for a finite reward distribution against numpy float64.

Usage::

    python benchmarks/bench_mdp_power.py            # writes benchmarks/results/mdp_power.md
    python benchmarks/bench_mdp_power.py --no-write # print only

The instance (issue 12): a 7×7 gridworld (four moves and stay, no walls), γ = 3/5, and a
finite D of 1,000 reward functions drawn with ``random.Random(seed)``, each state's reward
an integer in [0, 1000] over 1000, each function with probability 1/1000.  Timed, as
medians over repeats with ``time.perf_counter``:

* **exact** -- ``mdp_power(mdp, D, "3/5")``: every state's POWER as a ``sympy.Rational``
  (``D`` built once beforehand; its construction is timed on its own row);
* **exact, general method** -- the same expectation by exact policy iteration per reward
  function (``fmpq_mat`` solves, warm-started from the previous function's policy), the
  method used for MDPs that are not deterministic with a stay action everywhere;
* **float64 VI from 0** -- (the float array of rewards made beforehand) numpy value iteration ``V ← R + γ max_a V(next)`` vectorised over
  the 1,000 functions, from ``V = 0`` until the largest change is below 1e-12 (the usual
  method, POWERplay's), then ``(1 − γ)/γ · mean(V − R)``;
* **float64 VI from R/(1 − γ)** -- the same from the value of staying forever, the start the
  exact method uses (fewer rounds: the strictest float comparison).

The floats must agree with the exact values to 1e-9 (else exit status 1).
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import sympy

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from exactpower.exact import to_fmpq  # noqa: E402
from exactpower.sequential.mdp import MDP, FiniteRewards  # noqa: E402
from exactpower.sequential.mdp_power import mdp_power  # noqa: E402
from exactpower.sequential.mdp_values import FlintMDP  # noqa: E402

GAMMA = sympy.Rational(3, 5)


def instance(seed: int, size: int = 7, functions: int = 1000) -> tuple:
    mdp = MDP.gridworld(size, size)
    rng = random.Random(seed)
    rows = [
        tuple(sympy.Rational(rng.randint(0, 1000), 1000) for _ in mdp.states)
        for _ in range(functions)
    ]
    return mdp, rows


def timed(fn, budget: float, minimum: int = 3) -> tuple[float, object]:
    times, out, start = [], None, time.perf_counter()
    while len(times) < minimum or time.perf_counter() - start < budget:
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), out


def successor_table(mdp: MDP) -> np.ndarray:
    width = max(len(a) for a in mdp.actions)
    return np.array(
        [
            [r[0][0] for r in acts] + [s] * (width - len(acts))
            for s, acts in enumerate(mdp.transitions)
        ]
    )


def float_power(r: np.ndarray, nxt: np.ndarray, start_from_stay: bool) -> tuple[np.ndarray, int]:
    """POWER per state by float64 value iteration (``r``: functions × states)."""
    g = float(GAMMA)
    v = r / (1 - g) if start_from_stay else np.zeros_like(r)
    rounds = 0
    while True:
        rounds += 1
        new = r + g * v[:, nxt].max(axis=2)
        change = np.max(np.abs(new - v))
        v = new
        if change < 1e-12:
            return (1 - g) / g * (v - r).mean(axis=0), rounds


def general_power(mdp: MDP, rows: list) -> list:
    flat, g = FlintMDP(mdp), to_fmpq(GAMMA)
    totals, policy = [to_fmpq(0)] * mdp.n_states, None
    for row in rows:
        r = [to_fmpq(x) for x in row]
        v, policy = flat.solve(r, g, policy)
        totals = [t + (a - b) for t, a, b in zip(totals, v, r)]
    factor = to_fmpq((1 - GAMMA) / GAMMA) / len(rows)
    return [sympy.Rational(int((factor * t).p), int((factor * t).q)) for t in totals]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seed", type=int, default=12)
    ap.add_argument("--budget", type=float, default=2.0)
    ap.add_argument("--no-write", action="store_true")
    ap.add_argument("--output", default=str(ROOT / "benchmarks/results/mdp_power.md"))
    args = ap.parse_args(argv)
    mdp, rows = instance(args.seed)
    p = sympy.Rational(1, len(rows))
    t_build, D = timed(lambda: FiniteRewards(tuple((p, row) for row in rows)), args.budget)
    t_exact, exact = timed(lambda: mdp_power(mdp, D, GAMMA), args.budget)
    t_general, general = timed(lambda: general_power(mdp, rows), 0.0, minimum=1)
    r, nxt = np.array([[float(x) for x in row] for row in rows]), successor_table(mdp)
    t_zero, (f_zero, n_zero) = timed(lambda: float_power(r, nxt, False), args.budget)
    t_stay, (f_stay, n_stay) = timed(lambda: float_power(r, nxt, True), args.budget)
    values = [exact[s] for s in mdp.states]
    ok = general == values and all(isinstance(v, sympy.Rational) for v in values)
    error = max(max(abs(float(v) - f) for v, f in zip(values, fl)) for fl in (f_zero, f_stay))
    ok = ok and error < 1e-9
    lines = [
        "# Exact MDP POWER against numpy float64 value iteration",
        "",
        f"7×7 gridworld (moves n/s/e/w and stay), γ = 3/5, finite D of {len(rows)} reward "
        f"functions (rewards k/1000, seed {args.seed}); medians, `benchmarks/bench_mdp_power.py`, "
        f"{datetime.date.today()}, Python {platform.python_version()}, {platform.machine()}.",
        "",
        "| computation | time (ms) | ratio to float64 VI from 0 | ratio to float64 VI from R/(1−γ) |",
        "|---|---|---|---|",
    ]
    for name, t in [
        ("exact `mdp_power` (integer value iteration, proven exact)", t_exact),
        ("exact, general method (policy iteration, fmpq_mat)", t_general),
        (f"float64 VI from 0 ({n_zero} rounds to 1e-12)", t_zero),
        (f"float64 VI from R/(1−γ) ({n_stay} rounds to 1e-12)", t_stay),
        ("building `FiniteRewards` (input, not in the ratios)", t_build),
    ]:
        lines.append(f"| {name} | {t * 1000:.1f} | {t / t_zero:.2f} | {t / t_stay:.2f} |")
    lines += [
        "",
        f"Exact equals the general exact method: {general == values}; largest float64 error: "
        f"{error:.1e}.  POWER of the centre cell: {exact['3,3']} ≈ {float(exact['3,3']):.6f}.",
    ]
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.no_write:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
