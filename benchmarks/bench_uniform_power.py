"""Benchmark: Turner's POWER under iid uniform [0, 1] rewards, exact (or a certified
enclosure) against the float Monte Carlo that reaches the same accuracy.

Usage::

    python benchmarks/bench_uniform_power.py            # writes benchmarks/results/uniform_power.md
    python benchmarks/bench_uniform_power.py --quick    # small cases only
    python benchmarks/bench_uniform_power.py --no-write # print only

Cases (γ = 3/5): Turner's example MDP (POWERplay's ``mdp_from_paper.gv``, 8 states), the
2×2 and 3×3 gridworlds (four moves and stay), and a certified enclosure (width 1e-4) of a
state choosing among three absorbing states or staying.  Timed with ``time.perf_counter``:

* **exact** -- ``uniform_power_result(mdp, "3/5", time_limit=None)``, every state;
* **enclosure** -- ``uniform_power_result(mdp, "3/5", time_limit=0, width=…)``;
* **Monte Carlo** -- numpy value iteration vectorised over samples (float64, to 1e-12),
  its per-sample rate measured on 200,000 samples.  A Monte Carlo estimate has no
  guaranteed error; the table gives the samples ``N = (2σ/ε)²`` whose ±2 standard-error
  interval has half-width ε, and their time at the measured rate, for ε = the enclosure's
  half-width, 1e-4 and 1e-6 (an exact value has error 0: every ε is "the same accuracy"
  only in the limit).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import re
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from exactpower.sequential.mdp import MDP  # noqa: E402
from exactpower.sequential.uniform_power import uniform_power_result  # noqa: E402

GV = ROOT / "tests" / "data" / "powerplay" / "mdp_from_paper.gv"
GAMMA = 0.6


def turner() -> MDP:
    text = GV.read_text(encoding="utf-8")
    nodes = re.findall(r'^"([^"]+)";$', text, re.M)
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in re.findall(r'^"([^"]+)" -> "([^"]+)";$', text, re.M):
        succ[a].append(b)
    names = {n: f"s{i}" for i, n in enumerate(nodes)}
    return MDP.graph({names[a]: [names[b] for b in bs] for a, bs in succ.items()})


def absorbing() -> MDP:
    return MDP.graph({"s": ["a", "b", "c", "s"], "a": ["a"], "b": ["b"], "c": ["c"]})


def monte_carlo(mdp: MDP, samples: int, seed: int = 0) -> tuple:
    """``(seconds, per-state σ)`` of one vectorised float run."""
    succ = [sorted({t for row in mdp.transitions[s] for t, _ in row}) for s in range(mdp.n_states)]
    start = time.perf_counter()
    rng = np.random.default_rng(seed)
    rewards = rng.random((samples, mdp.n_states))
    values = rewards / (1 - GAMMA)
    for _ in range(int(np.ceil(np.log(1e-12) / np.log(GAMMA)))):
        values = rewards + GAMMA * np.stack([values[:, s].max(axis=1) for s in succ], axis=1)
    power = (values - rewards) * (1 - GAMMA) / GAMMA
    sigma = power.std(axis=0, ddof=1)
    return time.perf_counter() - start, sigma


def row(name: str, mdp: MDP, method: str, width: str) -> str:
    start = time.perf_counter()
    if method == "exact":
        result = uniform_power_result(mdp, "3/5", time_limit=None)
    else:
        result = uniform_power_result(mdp, "3/5", time_limit=0, width=width)
    seconds = time.perf_counter() - start
    mc_seconds, sigma = monte_carlo(mdp, 200_000)
    rate = mc_seconds / 200_000
    s = float(sigma.max())
    eps = [1e-4, 1e-6]
    if result.method == "enclosure":
        eps.insert(0, float(result.width) / 2)
    cells = [f"{(2 * s / e) ** 2 * rate:.3g} s (N = {(2 * s / e) ** 2:.2g})" for e in eps]
    values = result.values
    if result.method == "exact":
        shown = ", ".join(f"{float(v):.6f}" for v in dict.fromkeys(values))
        acc = "0 (exact)"
    else:
        shown = ", ".join(f"[{float(lo):.6f}, {float(hi):.6f}]" for lo, hi in dict.fromkeys(values))
        acc = f"width {float(result.width):.2g}"
    return (
        f"| {name} | {result.method} | {seconds:.2f} s | {acc} | {shown} | "
        + " | ".join(cells if len(cells) == 3 else ["–"] + cells)
        + " |"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small cases only")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--output", default=str(ROOT / "benchmarks" / "results" / "uniform_power.md")
    )
    args = parser.parse_args(argv)
    cases = [
        ("choice of 3 absorbing or stay", absorbing(), "enclosure", "1/10000"),
        ("choice of 3 absorbing or stay", absorbing(), "exact", ""),
        ("Turner's MDP (8 states)", turner(), "exact", ""),
        ("2×2 gridworld", MDP.gridworld(2, 2), "exact", ""),
    ]
    if not args.quick:
        cases.append(("3×3 gridworld", MDP.gridworld(3, 3), "exact", ""))
    head = (
        "| case | method | time | accuracy | distinct values | MC for ε = enclosure half-width"
        " | MC for ε = 1e-4 | MC for ε = 1e-6 |\n|---|---|---|---|---|---|---|---|"
    )
    lines = [head] + [row(*case) for case in cases]
    stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    text = (
        "# iid-uniform POWER: exact / certified enclosure vs float Monte Carlo\n\n"
        f"γ = 3/5. Run {stamp} on {platform.python_implementation()} "
        f"{platform.python_version()}, {platform.machine()} "
        "(`python benchmarks/bench_uniform_power.py`). MC times are the measured per-sample "
        "rate of a 200,000-sample run times N = (2σ/ε)², the samples whose ±2 s.e. interval "
        "has half-width ε (σ: the largest per-state standard deviation). Wall times; load "
        f"average {os.getloadavg()[0]:.1f} at the end of the run (a shared machine).\n\n"
        + "\n".join(lines)
        + "\n"
    )
    print(text)
    if not args.no_write:
        Path(args.output).write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
