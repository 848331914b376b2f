"""Benchmark: exactpower's two-player equilibrium solver against pygambit's.

Usage::

    python benchmarks/bench_equilibria.py            # every size; writes benchmarks/results/equilibria.md
    python benchmarks/bench_equilibria.py --quick    # small sizes only (a smoke test)

Options: ``--no-write`` (print only), ``--output PATH``, ``--seed N``,
``--games N`` (random games per size, default 5), ``--budget SECONDS`` (time
spent repeating one measurement, default 1), ``--timeout SECONDS`` (one
Gambit call, default 60).

Two families of random games, one row per size:

* **Bayesian**: 2 players, ``T`` types each (``T = 1..4``), 2 actions;
  correlated prior with integer weights in [1, 9]; rewards ``r_i(t, a)``
  integers in [0, 9].  The strategic form has ``2^T`` strategies per player.
* **normal form**: ``n × n`` bimatrix games (``n = 2..6``), payoffs integers
  in [0, 9].

Columns (median over the games of each game's median time, ``time.perf_counter``):

* **ours** -- ``exactpower.equilibria(game)`` (method ``two-player``): every
  extreme BNE with its components, profiles and exact POWER values;
* **core** -- :func:`exactpower.equilibria_two.solve_two_player` alone (vertex
  enumeration and pairing, without building profiles and POWER);
* **enummixed** -- ``pygambit.nash.enummixed_solve(rational=True)`` on the
  strategic form, given to Gambit as a table game (building it is not timed):
  every extreme equilibrium, the same task as ours;
* **lcp** -- ``pygambit.nash.lcp_solve(rational=True)`` on the ``.efg`` export
  (:func:`exactpower.gambit.to_efg`; reading it not timed): the sequence-form
  LCP, which returns *some* equilibria, not all -- a cheaper task.

Gambit runs in a forked child with a time limit (its solvers can run for very
long on strategic forms); a timed-out call shows ``> limit``.  Checks on every
game: each Gambit equilibrium passes exactpower's exact BNE check, and on
normal-form games enummixed's extreme equilibria equal ours exactly.  A
failed check makes the script exit with status 1.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import io
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

from exactpower import BayesianGame, StrategyProfile, equilibria, is_bayesian_nash  # noqa: E402
from exactpower.equilibria.two_player import solve_two_player  # noqa: E402
from exactpower.io import to_efg  # noqa: E402

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "equilibria.md"

#: (family, size) rows of the full run and of --quick.
FULL = [("bayesian", t) for t in (1, 2, 3, 4)] + [("normal", n) for n in (2, 3, 4, 5, 6)]
QUICK = [("bayesian", 1), ("bayesian", 2), ("normal", 2), ("normal", 3)]


def random_game(family: str, size: int, rng: np.random.Generator) -> BayesianGame:
    if family == "bayesian":
        rewards = rng.integers(0, 10, size=(2, size, size, 2, 2))
        prior = rng.integers(1, 10, size=(size, size))
        return BayesianGame.from_arrays(rewards, prior=prior)
    rewards = rng.integers(0, 10, size=(2, 1, 1, size, size))
    return BayesianGame.from_arrays(rewards)


def median_time(fn, *, budget: float, min_repeats: int = 3, max_repeats: int = 51) -> float:
    times = []
    start = time.perf_counter()
    while len(times) < min_repeats or (
        time.perf_counter() - start < budget and len(times) < max_repeats
    ):
        gc.collect()
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# -- Gambit, in the child process ------------------------------------------------------------


def _strategic_table(game: BayesianGame):
    import pygambit as gbt

    efg = gbt.read_efg(io.StringIO(to_efg(game)))
    return efg, gbt.Game.from_arrays(*efg.to_arrays())


def _behaviour_rows(game, efg, behavior):
    from gambit_oracle import infoset_map

    rows = [[None] * len(p.types) for p in game.players]
    for (i, k), infoset in infoset_map(efg, game).items():
        rows[i][k] = [Fraction(behavior[a]) for a in infoset.actions]
    return rows


def gambit_enummixed(game: BayesianGame, budget: float):
    """(median seconds, equilibria as behaviour rows, strategic equilibria)."""
    import pygambit as gbt

    efg, table = _strategic_table(game)
    seconds = median_time(
        lambda: gbt.nash.enummixed_solve(table, rational=True),
        budget=budget,
        min_repeats=1,
        max_repeats=21,
    )
    found = gbt.nash.enummixed_solve(table, rational=True).equilibria
    # The table game's strategies are the tree's, in the same order.
    tree_profiles = []
    for m in found:
        p = efg.mixed_strategy_profile(rational=True)
        for player_t, player_e in zip(table.players, efg.players):
            for s_t, s_e in zip(player_t.strategies, player_e.strategies):
                p[s_e] = m[s_t]
        tree_profiles.append(_behaviour_rows(game, efg, p.as_behavior()))
    strategic = [[[Fraction(m[s]) for s in pl.strategies] for pl in table.players] for m in found]
    return seconds, tree_profiles, strategic


def gambit_lcp(game: BayesianGame, budget: float):
    import pygambit as gbt

    efg = gbt.read_efg(io.StringIO(to_efg(game)))
    seconds = median_time(
        lambda: gbt.nash.lcp_solve(efg, rational=True), budget=budget, min_repeats=1, max_repeats=21
    )
    found = gbt.nash.lcp_solve(efg, rational=True).equilibria
    return seconds, [_behaviour_rows(game, efg, b) for b in found]


def to_profile(game, rows) -> StrategyProfile:
    strategies = []
    for i, p in enumerate(game.players):
        per_type = []
        for k in range(len(p.types)):
            row = rows[i][k] if game.marginal(i, k) != 0 else [1] + [0] * (len(p.actions) - 1)
            per_type.append(
                tuple(sympy.Rational(Fraction(v).numerator, Fraction(v).denominator) for v in row)
            )
        strategies.append(tuple(per_type))
    return StrategyProfile(game.players, tuple(strategies))


# -- one row -----------------------------------------------------------------------------------


def run_size(
    family: str, size: int, *, seed: int, games: int, budget: float, timeout: float, log=print
) -> dict:
    from gambit_oracle import run_with_timeout

    rng = np.random.default_rng([seed, 0 if family == "bayesian" else 1, size])
    ours, core, enum, lcp, counts, errors = [], [], [], [], [], []
    enum_timeouts = lcp_timeouts = duplicates = 0
    for g in range(games):
        game = random_game(family, size, rng)
        result = equilibria(game)
        counts.append(len(result))
        ours.append(median_time(lambda game=game: equilibria(game), budget=budget))
        core.append(median_time(lambda game=game: solve_two_player(game), budget=budget))
        try:
            seconds, tree_profiles, strategic = run_with_timeout(
                gambit_enummixed, game, budget, seconds=timeout
            )
            enum.append(seconds)
            errors.extend(
                f"game {g}: enummixed profile is not a BNE"
                for rows in tree_profiles
                if not is_bayesian_nash(game, to_profile(game, rows))
            )
            if family == "normal":
                mine = sorted(tuple(tuple(row[0]) for row in e.profile.strategies) for e in result)
                theirs = [
                    tuple(
                        tuple(sympy.Rational(v.numerator, v.denominator) for v in player)
                        for player in eq
                    )
                    for eq in strategic
                ]
                # In degenerate games enummixed may list an extreme equilibrium twice:
                # compare sets, and count the repeats.
                duplicates += len(theirs) - len(set(theirs))
                if mine != sorted(set(theirs)):
                    errors.append(f"game {g}: enummixed's extreme equilibria differ from ours")
        except TimeoutError:
            enum_timeouts += 1
        try:
            seconds, tree_profiles = run_with_timeout(gambit_lcp, game, budget, seconds=timeout)
            lcp.append(seconds)
            errors.extend(
                f"game {g}: lcp profile is not a BNE"
                for rows in tree_profiles
                if not is_bayesian_nash(game, to_profile(game, rows))
            )
        except TimeoutError:
            lcp_timeouts += 1
    row = {
        "family": family,
        "size": size,
        "games": games,
        "strategies": 2**size if family == "bayesian" else size,
        "equilibria": statistics.median(counts),
        "ours": statistics.median(ours),
        "core": statistics.median(core),
        "enummixed": statistics.median(enum) if enum else None,
        "enum_timeouts": enum_timeouts,
        "lcp": statistics.median(lcp) if lcp else None,
        "lcp_timeouts": lcp_timeouts,
        "timeout": timeout,
        "errors": errors,
        "duplicates": duplicates,
    }
    log(_progress(row))
    return row


# -- report --------------------------------------------------------------------------------------


def _ms(seconds, timeouts=0, limit=None) -> str:
    if seconds is None:
        return f"> {limit:g} s" if timeouts else "—"
    text = f"{seconds * 1e3:.3g}"
    return text + (f" ({timeouts} > {limit:g} s)" if timeouts else "")


def _ratio(theirs, ours, timeouts=0) -> str:
    if theirs is None:
        return "∞ (timed out)" if timeouts else "—"
    value = theirs / ours
    text = f"{value:.3g}"
    return text + ("+" if timeouts else "")


def _label(row) -> str:
    if row["family"] == "bayesian":
        return f"Bayesian, {row['size']} type{'s' if row['size'] > 1 else ''} × 2 actions"
    return f"normal form {row['size']}×{row['size']}"


def _progress(row) -> str:
    status = "FAILED: " + "; ".join(row["errors"]) if row["errors"] else "ok"
    return (
        f"{_label(row)}: ours {_ms(row['ours'])} ms, enummixed "
        f"{_ms(row['enummixed'], row['enum_timeouts'], row['timeout'])} ms, lcp "
        f"{_ms(row['lcp'], row['lcp_timeouts'], row['timeout'])} ms — {status}"
    )


def table(rows) -> str:
    lines = [
        "| game | strategies/player | extreme eq. (median) | ours ms | core ms | "
        "enummixed ms | lcp ms | enummixed/ours | lcp/ours |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines.extend(
        f"| {_label(r)} | {r['strategies']} | {r['equilibria']:g} | {_ms(r['ours'])} | "
        f"{_ms(r['core'])} | {_ms(r['enummixed'], r['enum_timeouts'], r['timeout'])} | "
        f"{_ms(r['lcp'], r['lcp_timeouts'], r['timeout'])} | "
        f"{_ratio(r['enummixed'], r['ours'], r['enum_timeouts'])} | "
        f"{_ratio(r['lcp'], r['ours'], r['lcp_timeouts'])} |"
        for r in rows
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
    versions = [
        f"python {platform.python_version()}",
        f"numpy {np.__version__}",
        f"sympy {sympy.__version__}",
    ]
    try:
        import flint

        versions.append(f"python-flint {flint.__version__}")
    except ImportError:
        pass
    import pygambit

    versions.append(f"pygambit {pygambit.__version__}")
    return f"nproc {nproc} ({cpu}), " + ", ".join(versions)


def verdict(rows) -> str:
    """The issue's two targets, stated against the measurements."""
    lines = []
    bayes = [r for r in rows if r["family"] == "bayesian" and r["size"] >= 3]
    if bayes:
        ok = all(r["enummixed"] is None or r["enummixed"] > r["ours"] for r in bayes)
        lines.append(
            f"- Faster than enummixed from 3 types per player on: "
            f"{'met' if ok else 'NOT met'} ("
            + ", ".join(
                f"{r['size']} types: {_ratio(r['enummixed'], r['ours'], r['enum_timeouts'])}×"
                for r in bayes
            )
            + ")."
        )
    normal = [r for r in rows if r["family"] == "normal"]
    if normal:
        worst = max((r["ours"] / r["enummixed"] for r in normal if r["enummixed"]), default=None)
        ok = worst is not None and worst <= 3
        lines.append(
            f"- Within 3× of enummixed on normal-form games up to "
            f"{max(r['size'] for r in normal)}×{max(r['size'] for r in normal)}: "
            f"{'met' if ok else 'NOT met'} (worst ours/enummixed = "
            f"{worst:.3g})."
            if worst is not None
            else "- normal form: no data."
        )
    return "\n".join(lines)


def report(rows, command: str, games: int) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    return "\n".join(
        [
            "# Equilibrium benchmark: exactpower two-player vs pygambit",
            "",
            f"{now}; {machine()}; command: `{command}`",
            "",
            table(rows),
            "",
            f"Each row: the median over {games} random games of each game's median time. "
            "`ours` = `exactpower.equilibria(game)` (every extreme BNE, components, profiles, exact "
            "POWER); `core` = `solve_two_player` alone; `enummixed` = pygambit "
            "`enummixed_solve(rational=True)` on the strategic form as a table game (every extreme "
            "equilibrium: the same task); `lcp` = pygambit `lcp_solve(rational=True)` on the `.efg` "
            "(some equilibria, not all: a cheaper task). Ratios are Gambit time / ours; above 1 "
            "means exactpower is faster. Bayesian games: 2 players, T types each, 2 actions, "
            "correlated prior weights in [1, 9], rewards in [0, 9]; normal form: payoffs in [0, 9].",
            "",
            "Checks on every game: every Gambit equilibrium passes exactpower's exact BNE check; on "
            "normal-form games enummixed's extreme equilibria equal ours exactly, as sets "
            f"(enummixed listed {sum(r['duplicates'] for r in rows)} extreme equilibria twice in "
            "degenerate games; exactpower lists each once)."
            + (
                " All passed."
                if not any(r["errors"] for r in rows)
                else " FAILURES: " + "; ".join(e for r in rows for e in r["errors"])
            ),
            "",
            "Targets (issue 4):",
            verdict(rows),
            "",
        ]
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument("--seed", type=int, default=20240601)
    parser.add_argument("--games", type=int, default=None, help="random games per size")
    parser.add_argument(
        "--budget", type=float, default=None, help="seconds spent repeating one measurement"
    )
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds per Gambit call")
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL
    games = args.games if args.games is not None else (2 if args.quick else 5)
    budget = args.budget if args.budget is not None else (0.0 if args.quick else 1.0)
    rows = [
        run_size(family, size, seed=args.seed, games=games, budget=budget, timeout=args.timeout)
        for family, size in sizes
    ]
    command = "python benchmarks/bench_equilibria.py" + (
        " " + " ".join(argv if argv is not None else sys.argv[1:])
        if (argv if argv is not None else sys.argv[1:])
        else ""
    )
    text = report(rows, command, games)
    print()
    print(text)
    if not args.no_write:
        args.output.parent.mkdir(parents=True, exist_ok=True)
        args.output.write_text(text, encoding="utf-8")
    return 1 if any(r["errors"] for r in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
