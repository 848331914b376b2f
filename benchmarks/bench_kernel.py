"""Worst cases of ``exactpower verify`` and ``exactpower check``, at the documented limits.

Each case writes a game (and, for ``check``, a trace) to a temporary folder and runs the
command line on it in a fresh subprocess with a hard timeout, recording the wall time, the
peak memory and the exit status. Every case must end -- with a verdict (exit 0 or 1) or a
one-line refusal (exit 2) -- within the budget of issue 8 (60 s on a 2-core machine). The
cases are the inputs that stressed the checker before (a quartic reward in a probability
parameter, many symbolic actions, 100-digit denominators, long ``Max`` chains, huge traces),
the largest games the limits let through (``exactpower.limits``: ``MAX_FILE_CELLS``,
``MAX_PROOF_WORK`` for rational games, ``MAX_SYMBOLIC_PROOF_WORK`` for symbolic ones -- many
actions, three players, 60-term polynomial rewards, a prior or a profile in a parameter),
games and traces just over them (refused at once), and a trace near ``MAX_TRACE_BYTES``.

    python benchmarks/bench_kernel.py            # every case; writes results/kernel.md
    python benchmarks/bench_kernel.py --quick    # the small cases only (a smoke test)
"""

from __future__ import annotations

import argparse
import datetime
import itertools
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from exactpower.limits import MAX_PROOF_WORK, MAX_SYMBOLIC_PROOF_WORK, MAX_TRACE_BYTES

HERE = Path(__file__).resolve().parent
DEFAULT_OUTPUT = HERE / "results" / "kernel.md"
#: Seconds a case may take (issue 8: every input up to the limits within 60 s).
BUDGET = 60.0
#: The subprocess is killed after this many seconds (then the case counts as a failure).
KILL = 150.0


def _players(n: int, actions: int, types: int = 1) -> list:
    out = []
    for i in range(n):
        p = {"name": f"p{i}", "actions": [f"a{k}" for k in range(actions)]}
        if types > 1:
            p["types"] = [f"t{k}" for k in range(types)]
        out.append(p)
    return out


def _game(players, rewards, parameters=None, title="bench", constant=None) -> dict:
    doc = {"format": "exactpower/game-v1", "title": title, "players": players, "rewards": rewards}
    if parameters:
        doc["parameters"] = parameters
    if constant is not None:
        doc["constant_sum"] = constant
    return doc


def wildcard_game(n: int, actions: int, types: int = 1) -> dict:
    """Every cell the same rewards through one ``*`` record: the most cells per byte."""
    values = ["1"] + ["-1" if i == 1 else "0" for i in range(1, n)]
    return _game(
        _players(n, actions, types), [{"actions": ["*"] * n, "values": values}], constant="0"
    )


def random_game(n: int, actions: int, seed: int = 1, symbolic: str | None = None) -> dict:
    """Constant-sum 0, one record per action profile; ``symbolic``: rewards ``k*x + m``."""
    rng = random.Random(seed)
    rewards = []
    for a in itertools.product(range(actions), repeat=n):
        head = [rng.randint(-9, 9) for _ in range(n - 1)]
        if symbolic:
            vals = [f"{v}*{symbolic} + {rng.randint(0, 3)}" for v in head]
        else:
            vals = [str(v) for v in head]
        vals.append(f"-({' + '.join(vals)})")
        rewards.append({"actions": [f"a{k}" for k in a], "values": vals})
    params = {symbolic: "real"} if symbolic else None
    return _game(_players(n, actions), rewards, params, constant="0")


def quartic_game() -> dict:
    """A quartic reward in a probability parameter (the issue's 150-second case)."""
    players = [{"name": "row", "actions": ["H", "T"]}, {"name": "col", "actions": ["H", "T"]}]
    rewards = [
        {
            "actions": ["H", "H"],
            "values": ["7*q^4 - 3*q^3 + q - 1/5", "-(7*q^4 - 3*q^3 + q - 1/5)"],
        },
        {"actions": ["H", "T"], "values": ["-q^2 + 2*q", "q^2 - 2*q"]},
        {"actions": ["T", "H"], "values": ["3*q^3 - q", "-(3*q^3 - q)"]},
        {"actions": ["T", "T"], "values": ["q^4", "-q^4"]},
    ]
    return _game(players, rewards, {"q": "probability"}, constant="0")


def three_player_quadratic(seed: int = 7) -> dict:
    """A 3-player constant-sum game, quadratic in two parameters (the 600-second fuzz case)."""
    rng = random.Random(seed)
    rewards = []
    for a in itertools.product(range(2), repeat=3):
        v0 = f"{rng.randint(-3, 3)}*x^2 + {rng.randint(-3, 3)}*x*y + {rng.randint(-3, 3)}"
        v1 = f"{rng.randint(-3, 3)}*y^2 + {rng.randint(-3, 3)}*x"
        rewards.append({"actions": [f"a{k}" for k in a], "values": [v0, v1, f"-({v0}) - ({v1})"]})
    return _game(_players(3, 2), rewards, {"x": "real", "y": "probability"}, constant="0")


def bayesian_game(types: int, actions: int, seed: int = 5, symbolic_prior: bool = True) -> dict:
    """2 players with ``types`` types each, a reward record per type and action profile;
    with ``symbolic_prior`` each player's first type has probability ``q`` (``p``)."""
    rng = random.Random(seed)
    players = _players(2, actions, types)
    rewards = []
    for t in itertools.product(range(types), repeat=2):
        for a in itertools.product(range(actions), repeat=2):
            v = str(rng.randint(-9, 9))
            rewards.append(
                {
                    "types": [f"t{k}" for k in t],
                    "actions": [f"a{k}" for k in a],
                    "values": [v, f"-{v}" if v != "0" else "0"],
                }
            )
    doc = _game(players, rewards, constant="0")
    if symbolic_prior:
        doc["parameters"] = {"q": "probability", "p": "probability"}
        rest = types - 1
        doc["prior"] = {
            "independent": {
                name: {f"t{k}": (s if k == 0 else f"(1 - {s})/{rest}") for k in range(types)}
                for name, s in (("p0", "q"), ("p1", "p"))
            }
        }
    return doc


def dense_game(actions: int, parameters: int = 12, terms: int = 60, seed: int = 9) -> dict:
    """2 players × ``actions``, each reward a long polynomial (about 900 characters) in
    ``parameters`` real parameters: the most algebra per reward value."""
    rng = random.Random(seed)
    names = [f"x{k}" for k in range(parameters)]
    rewards = []
    for a in itertools.product(range(actions), repeat=2):
        monomials = []
        for _ in range(terms):
            u, v = rng.sample(names, 2)
            monomials.append(f"{rng.randint(1, 9)}*{u}*{v}^{rng.randint(1, 3)}")
        value = " + ".join(monomials)[:900].rsplit(" + ", 1)[0]
        rewards.append({"actions": [f"a{k}" for k in a], "values": [value, f"-({value})"]})
    return _game(_players(2, actions), rewards, dict.fromkeys(names, "real"), constant="0")


def symbolic_profile(actions: int) -> tuple:
    """A rational game and a profile whose row player mixes its first two actions with ``q``."""
    doc = random_game(2, actions, seed=4)
    doc["parameters"] = {"q": "probability"}
    profile = {
        "format": "exactpower/profile-v1",
        "strategies": {
            "p0": {"a0": "q", "a1": "1 - q"},
            "p1": {f"a{k}": f"1/{actions}" for k in range(actions)},
        },
    }
    return doc, profile


def shared_denominator(actions: int, seed: int = 6) -> dict:
    """2 players × ``actions``, the rewards of each row a random integer over one 800-digit
    denominator, written as a product of eight 100-digit literals (``MAX_DIGITS``,
    ``MAX_LENGTH``; a record per row: ``MAX_FILE_BYTES`` would not hold one per cell)."""
    rng = random.Random(seed)
    den = "(" + "*".join(str(rng.randrange(10**99, 10**100) | 1) for _ in range(8)) + ")"
    rewards = []
    for k in range(actions):
        v = f"{rng.randint(1, 10**6)}/{den}"
        rewards.append({"actions": [f"a{k}", "*"], "values": [v, f"-{v}"]})
    return _game(_players(2, actions), rewards, constant="0")


def big_denominators(actions: int = 64, digits: int = 100, seed: int = 3) -> dict:
    rng = random.Random(seed)
    rewards = []
    for a in itertools.product(range(actions), repeat=2):
        den = rng.randrange(10 ** (digits - 1), 10**digits)
        v = f"{rng.randint(1, 9)}/{den}"
        rewards.append({"actions": [f"a{k}" for k in a], "values": [v, f"-{v}"]})
    return _game(_players(2, actions), rewards, constant="0")


def _side(work: int, players: int = 2, types: int = 1) -> int:
    """The largest number of actions per player whose proof size (``proof_size``:
    ``n·Π|T_i|·Π|A_i| + Σ_i |T_i|·|A_i|²``) is at most ``work``."""
    k = 1
    while (players * types**players * (k + 1) ** players + players * types * (k + 1) ** 2) <= work:
        k += 1
    return k


RATIONAL = _side(MAX_PROOF_WORK)  # 2 players × 353 actions
#: symbolic games: the size is the work times the terms of one summand Ω·Πσ·r (2 for k·x + m)
SYMBOLIC = _side(MAX_SYMBOLIC_PROOF_WORK // 2)  # 2 players × 22 actions
DENSE = _side(MAX_SYMBOLIC_PROOF_WORK // 60)  # rewards of at most 60 terms
PRIOR_TYPES = 4

#: name -> (what, builder of the game document -- or of (game, profile) --, --profile argument)
CASES = {
    "quartic-probability": ("2 players, a quartic reward in q ∈ [0, 1]", quartic_game, "uniform"),
    "three-player-quadratic": (
        "3 players × 2 actions, quadratic in x and y",
        three_player_quadratic,
        "uniform",
    ),
    "symbolic-8x8": (
        "2 players × 8 actions, rewards k·x + m",
        lambda: random_game(2, 8, symbolic="x"),
        "uniform",
    ),
    "symbolic-20x20": (
        "2 players × 20 actions, rewards k·x + m (188 s + 70 s before)",
        lambda: random_game(2, 20, symbolic="x"),
        "uniform",
    ),
    "symbolic-2p-limit": (
        f"2 players × {SYMBOLIC} actions, rewards k·x + m (at the symbolic limit)",
        lambda: random_game(2, SYMBOLIC, symbolic="x"),
        "uniform",
    ),
    "symbolic-3p-limit": (
        f"3 players × {_side(MAX_SYMBOLIC_PROOF_WORK // 2, 3)} actions, rewards k·x + m",
        lambda: random_game(3, _side(MAX_SYMBOLIC_PROOF_WORK // 2, 3), symbolic="x"),
        "uniform",
    ),
    "symbolic-dense-limit": (
        f"2 players × {DENSE} actions, each reward a ~900-character "
        f"polynomial (≤ 60 terms) in 12 parameters",
        lambda: dense_game(DENSE),
        "uniform",
    ),
    "symbolic-prior-limit": (
        f"2 players × {_side(MAX_SYMBOLIC_PROOF_WORK // 4, 2, PRIOR_TYPES)} "
        f"actions × {PRIOR_TYPES} types, prior in q and p",
        lambda: bayesian_game(PRIOR_TYPES, _side(MAX_SYMBOLIC_PROOF_WORK // 4, 2, PRIOR_TYPES)),
        "uniform",
    ),
    "symbolic-prior-types": (
        "2 players × 2 actions × 10 types, prior in q and p",
        lambda: bayesian_game(10, 2),
        "uniform",
    ),
    "symbolic-profile-limit": (
        f"2 players × {SYMBOLIC} actions, integer rewards, the row player mixes with q",
        lambda: symbolic_profile(SYMBOLIC),
        None,
    ),
    "rational-2p-limit": (
        f"2 players × {RATIONAL} actions, random integers (a record per cell)",
        lambda: random_game(2, RATIONAL),
        "uniform",
    ),
    "rational-2p-limit-long-numbers": (
        f"2 players × {RATIONAL} actions, integers over one 800-digit denominator",
        lambda: shared_denominator(RATIONAL),
        "uniform",
    ),
    "wildcard-2p-limit": (
        f"2 players × {RATIONAL} actions, one `*` record",
        lambda: wildcard_game(2, RATIONAL),
        "uniform",
    ),
    "wildcard-3p-limit": (
        f"3 players × {_side(MAX_PROOF_WORK, 3)} actions, one `*` record",
        lambda: wildcard_game(3, _side(MAX_PROOF_WORK, 3)),
        "uniform",
    ),
    "wildcard-15p-2": (
        "15 players × 2 actions (32,768 cells × 15 players)",
        lambda: wildcard_game(15, 2),
        "uniform",
    ),
    "bayesian-rational-limit": (
        f"2 players × {_side(MAX_PROOF_WORK, 2, 22)} actions × 22 types, one `*` record",
        lambda: wildcard_game(2, _side(MAX_PROOF_WORK, 2, 22), types=22),
        "uniform",
    ),
    "over-limit-2p-400": (
        "2 players × 400 actions, one `*` record (over MAX_PROOF_WORK)",
        lambda: wildcard_game(2, 400),
        "uniform",
    ),
    "over-limit-symbolic": (
        f"2 players × {SYMBOLIC + 10} actions, rewards k·x + m (over MAX_SYMBOLIC_PROOF_WORK)",
        lambda: random_game(2, SYMBOLIC + 10, symbolic="x"),
        "uniform",
    ),
    "over-file-limit-1000x1000": (
        "2 players × 1000 actions, one `*` record (over MAX_FILE_CELLS)",
        lambda: wildcard_game(2, 1000),
        "uniform",
    ),
    "denominators-100-digits": (
        "2 players × 64 actions, 100-digit denominators",
        big_denominators,
        "uniform",
    ),
}
QUICK = ["quartic-probability", "symbolic-8x8", "over-limit-2p-400"]


def run(argv: list, timeout: float = KILL) -> dict:
    """One command line in a subprocess: seconds, exit status, last stderr line, peak MB."""
    code = (
        "import resource, sys; from exactpower.cli import main; rc = main(sys.argv[1:]); "
        "sys.stderr.write('@@peak %d\\n' % resource.getrusage(resource.RUSAGE_SELF).ru_maxrss); "
        "sys.exit(rc)"
    )
    start = time.perf_counter()
    try:
        done = subprocess.run(
            [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {
            "seconds": time.perf_counter() - start,
            "exit": "killed",
            "peak_mb": None,
            "message": f"killed after {timeout:.0f} s",
        }
    seconds = time.perf_counter() - start
    lines = [x for x in done.stderr.splitlines() if x.strip()]
    peak = [int(x.split()[1]) for x in lines if x.startswith("@@peak")]
    lines = [x for x in lines if not x.startswith("@@peak")]
    message = lines[-1] if lines else (done.stdout.splitlines() or [""])[-1]
    return {
        "seconds": seconds,
        "exit": done.returncode,
        "peak_mb": peak[0] / 1024 if peak else None,
        "message": message[:160],
    }


def measure(name: str, folder: Path) -> dict:
    what, build, profile = CASES[name]
    game = folder / f"{name}.json"
    trace = folder / f"{name}.trace.json"
    doc = build()
    if profile is None:  # the builder gave (game, profile)
        doc, profile_doc = doc
        profile = str(folder / f"{name}.profile.json")
        Path(profile).write_text(json.dumps(profile_doc), encoding="utf-8")
    game.write_text(json.dumps(doc), encoding="utf-8")
    verify = run(["verify", str(game), "--profile", profile, "--trace-out", str(trace)])
    check = run(["check", str(trace)]) if trace.exists() else None
    return {
        "case": name,
        "what": what,
        "bytes": game.stat().st_size,
        "verify": verify,
        "check": check,
    }


def trace_cases(folder: Path) -> list:
    """``check`` on traces built to stress the reader: size and value limits."""
    rows = []
    huge = folder / "huge.trace.json"
    chain = "+".join(["Max(1, 2)"] * 20_000)
    huge.write_text(
        json.dumps(
            {
                "format": "exactpower/trace-v1",
                "theorem": "power-scarcity",
                "steps": [{"value": chain}] * 50,
            }
        ),
        encoding="utf-8",
    )
    rows.append(
        {
            "case": "trace-8MB-max-chains",
            "what": "a 9 MB trace of `Max(1, 2)+…` values",
            "bytes": huge.stat().st_size,
            "verify": None,
            "check": run(["check", str(huge)]),
        }
    )
    for name, what, doc in (
        (
            "trace-over-proof-limit",
            "a small trace whose game declares 2 × 707 actions by "
            "one `*` record (999,698 cells, over MAX_PROOF_WORK)",
            wildcard_game(2, 707),
        ),
        (
            "trace-over-symbolic-limit",
            f"a small trace whose game is 2 × {SYMBOLIC + 10} "
            f"actions, rewards k·x + m (over MAX_SYMBOLIC_PROOF_WORK)",
            random_game(2, SYMBOLIC + 10, symbolic="x"),
        ),
    ):
        path = folder / f"{name}.json"
        path.write_text(json.dumps(_swapped_trace(doc)), encoding="utf-8")
        rows.append(
            {
                "case": name,
                "what": what,
                "bytes": path.stat().st_size,
                "verify": None,
                "check": run(["check", str(path)]),
            }
        )
    largest = folder / "largest.trace.json"  # the largest rational trace under MAX_TRACE_BYTES
    run(
        [
            "verify",
            str(_write(folder / "largest.json", random_game(2, 330))),
            "--profile",
            "uniform",
            "--trace-out",
            str(largest),
        ]
    )
    rows.append(
        {
            "case": "trace-largest-rational",
            "what": "the trace of 2 × 330 random integers "
            f"(under MAX_TRACE_BYTES = {MAX_TRACE_BYTES:,})",
            "bytes": largest.stat().st_size if largest.exists() else 0,
            "verify": None,
            "check": run(["check", str(largest)]),
        }
    )
    return rows


def _write(path: Path, doc: dict) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _swapped_trace(game: dict) -> dict:
    """The trace of a 2 × 2 game with ``game`` (2 players) and its uniform profile put in its
    place: small, but its game is over a proof limit (the kernel must refuse it at once)."""
    from exactpower import BayesianGame, StrategyProfile
    from proofs import power_scarcity

    small = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    data = power_scarcity(small, StrategyProfile.uniform(small)).to_data()
    data["game"] = game
    data["profile"] = {
        "format": "exactpower/profile-v1",
        "strategies": {
            p["name"]: {a: f"1/{len(p['actions'])}" for a in p["actions"]} for p in game["players"]
        },
    }
    return data


def _cell(r) -> str:
    if r is None:
        return "—"
    return f"{r['seconds']:.2f} s, exit {r['exit']}"


def table(rows: list) -> str:
    out = [
        "| case | input | bytes | verify | check | peak MB | within 60 s | outcome |",
        "|---|---|---:|---|---|---:|---|---|",
    ]
    for row in rows:
        times = [r["seconds"] for r in (row["verify"], row["check"]) if r is not None]
        peaks = [r["peak_mb"] for r in (row["verify"], row["check"]) if r and r["peak_mb"]]
        ok = all(t <= BUDGET for t in times) and all(
            r["exit"] in (0, 1, 2) for r in (row["verify"], row["check"]) if r is not None
        )
        last = row["check"] or row["verify"]
        out.append(
            f"| {row['case']} | {row['what']} | {row['bytes']:,} | {_cell(row['verify'])} "
            f"| {_cell(row['check'])} | {max(peaks) if peaks else 0:.0f} "
            f"| {'yes' if ok else '**NO**'} | {last['message'].replace('|', '/')} |"
        )
    return "\n".join(out)


def machine() -> str:
    import numpy
    import sympy

    return (
        f"nproc {os.cpu_count()}, python {platform.python_version()}, numpy "
        f"{numpy.__version__}, sympy {sympy.__version__}"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the small cases only")
    parser.add_argument("--no-write", action="store_true", help="do not write the results file")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument("--case", action="append", help="run only these cases (repeatable)")
    args = parser.parse_args(argv)
    names = args.case or (QUICK if args.quick else list(CASES))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for name in names:
            rows.append(measure(name, folder))
            print(table(rows[-1:]).splitlines()[-1], flush=True)
        if not args.quick and not args.case:
            rows.extend(trace_cases(folder))
    text = table(rows)
    print(text)
    worst = sorted(
        (
            (r[k]["seconds"], r["case"], k)
            for r in rows
            for k in ("verify", "check")
            if r[k] is not None
        ),
        reverse=True,
    )[:5]
    summary = "Slowest: " + "; ".join(f"{case} ({k}) {t:.1f} s" for t, case, k in worst) + "."
    print(summary)
    if not args.no_write:
        date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
        Path(args.output).write_text(
            f"# Worst cases of verify and check\n\n{date}; {machine()}; command: "
            f"`python benchmarks/bench_kernel.py`\n\n{text}\n\n{summary}\n\n"
            "Each command runs in a fresh subprocess (start-up included). `verify` reads the "
            "game, builds the trace, has the kernel check it and writes it; `check` reads the "
            "written trace back and checks it. Exit 2 is a one-line refusal at a documented "
            "limit (`exactpower/limits.py`); the budget is 60 s per command (issue 8).\n",
            encoding="utf-8",
        )
    failed = [r for r in rows if "**NO**" in table([r])]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
