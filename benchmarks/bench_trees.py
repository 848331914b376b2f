"""Exact POWER on game trees against OpenSpiel's float best responses and against pygambit.

Usage::

    python benchmarks/bench_trees.py             # writes benchmarks/results/trees.md
    python benchmarks/bench_trees.py --quick     # Kuhn and small trees only (a smoke test)
    python benchmarks/bench_trees.py --no-write  # print only

**OpenSpiel** (leduc_poker; kuhn_poker with ``--quick``), at the uniform policy.  The tree
(:func:`exactpower.sequential.from_openspiel`), OpenSpiel's game object and every policy
object are built once, outside the timing.  Timed, for every player ``i``:

* **exact** -- :func:`exactpower.sequential.power` ``(game, uniform, i)``: the exact
  best-response value (``flint.fmpq`` inside, ``sympy.Rational`` out);
* **OpenSpiel Python** -- ``best_response.BestResponsePolicy(game, i, policy).value(root)``
  (``open_spiel.python.algorithms.best_response``, float);
* **OpenSpiel C++, fresh** -- ``pyspiel.TabularBestResponse(game, i, policy).value_from_state(root)``
  (the C++ class builds its tree of histories in the constructor, then computes);
* **OpenSpiel C++, reused** -- the ``TabularBestResponse`` objects built outside the
  timing; timed: ``set_policy(policy)`` and ``value_from_state(root)`` (the closest analogue of a
  tree built once).

**pygambit** (16.7), on random trees of a few hundred to a few thousand nodes
(:func:`exactpower.sequential.testing.random_game`; chance, imperfect information, 2-3
players) written as ``.efg``.  Both sides read the file and build the uniform profile
outside the timing.  Timed: exact POWER of every player, against pygambit computing the same
values exactly (``rational=True``): the best-response value by backward induction on
``MixedBehaviorProfile.action_value``, the player's information sets taken by own depth,
deepest first (sets at one depth cannot reach one another, so one profile update per depth),
then ``payoff(player)`` of the profile so changed.  Every value is checked equal (OpenSpiel's
within 1e-9).  Times are the best of ``--repeats`` runs; ratios are from the same run.
"""

from __future__ import annotations

import argparse
import datetime
import platform
import random
import sys
import time
from fractions import Fraction
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from exactpower.io.efg_tree_writer import tree_to_efg  # noqa: E402
from exactpower.sequential import BehaviourProfile, from_openspiel, power  # noqa: E402
from exactpower.sequential.testing import random_game  # noqa: E402

DEFAULT_OUTPUT = ROOT / "benchmarks" / "results" / "trees.md"
#: (label, smallest, largest node count) of the random trees for pygambit.
SIZES = (("few hundred", 200, 500), ("about a thousand", 800, 1500), ("few thousand", 2000, 3000))
TARGET_PYTHON, TARGET_CPP, TARGET_GAMBIT = 1.0, 3.0, 10.0


def best_of(repeats: int, fn) -> tuple:
    """``(best seconds, last result)`` of ``fn()`` run ``repeats`` times."""
    best, out = float("inf"), None
    for _ in range(repeats):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


# -- OpenSpiel --------------------------------------------------------------------------------


def openspiel_row(name: str, repeats: int) -> dict:
    """Times and values of one OpenSpiel game at the uniform policy."""
    import pyspiel
    from open_spiel.python import policy as os_policy
    from open_spiel.python.algorithms import best_response

    t = time.perf_counter()
    tree = from_openspiel(name)
    t_tree = time.perf_counter() - t
    uniform = BehaviourProfile.uniform(tree)
    game = pyspiel.load_game(name)
    n = game.num_players()
    py_policy = os_policy.UniformRandomPolicy(game)
    cpp_policy = pyspiel.UniformRandomPolicy(game)
    root = game.new_initial_state()

    t_exact, exact = best_of(repeats, lambda: [power(tree, uniform, i) for i in range(n)])
    t_py, py = best_of(
        repeats,
        lambda: [
            best_response.BestResponsePolicy(game, i, py_policy).value(root) for i in range(n)
        ],
    )
    t_cpp, cpp = best_of(
        repeats,
        lambda: [
            pyspiel.TabularBestResponse(game, i, cpp_policy).value_from_state(root)
            for i in range(n)
        ],
    )
    reused = [pyspiel.TabularBestResponse(game, i, cpp_policy) for i in range(n)]

    def again() -> list:
        out = []
        for br in reused:
            br.set_policy(cpp_policy)
            out.append(br.value_from_state(root))
        return out

    t_reuse, cpp_again = best_of(repeats, again)
    worst = max(abs(float(e) - f) for e, fs in zip(exact, zip(py, cpp, cpp_again)) for f in fs)
    return {
        "game": name,
        "nodes": len(tree.nodes),
        "infosets": sum(1 for s in tree.infosets if s.player is not None),
        "tree": t_tree,
        "exact": t_exact,
        "python": t_py,
        "cpp": t_cpp,
        "cpp_reused": t_reuse,
        "power": [str(v) for v in exact],
        "worst": worst,
        "ok": worst <= 1e-9,
    }


# -- pygambit ---------------------------------------------------------------------------------


def random_trees(lo: int, hi: int, count: int, seed: int) -> list:
    """``count`` random trees with ``lo..hi`` nodes (seeded; the first that fit)."""
    out = []
    while len(out) < count:
        game = random_game(random.Random(seed), max_nodes=hi, max_depth=16)
        seed += 1
        if lo <= len(game.nodes) <= hi:
            out.append(game)
    return out


def _own_depth(game, k: int) -> int:
    info = game.infosets[k]
    return len(game.sequence(info.nodes[0], info.player))


def _pg_infosets(game, pg) -> dict:
    """Our information set index -> pygambit's, walking both trees together."""
    out: dict = {}
    stack = [(0, pg.root)]
    while stack:
        k, pnode = stack.pop()
        node = game.nodes[k]
        if node.kind != "terminal":
            out.setdefault(node.infoset, pnode.infoset)
            stack.extend(zip(node.children, pnode.children))
    return out


def gambit_power(gbt, game, pg, infosets: dict, prof, i: int) -> Fraction:
    """Player ``i``'s best-response value from pygambit's exact action values."""
    prof = prof.copy()
    levels: dict = {}
    for k in game.infosets_of(i):
        levels.setdefault(_own_depth(game, k), []).append(infosets[k])
    for depth in sorted(levels, reverse=True):
        choices = []
        for infoset in levels[depth]:
            actions = list(infoset.actions)
            values = [prof.action_value(a) for a in actions]
            # None: reached with probability 0 (a chance move of 0), any action will do
            best = 0 if None in values else values.index(max(values))
            choices.append((actions, best))
        for actions, best in choices:
            for j, a in enumerate(actions):
                prof[a] = gbt.Rational(int(j == best))
    return Fraction(prof.payoff(list(pg.players)[i]))


def gambit_tree(gbt, game, repeats: int, path: Path) -> tuple:
    """``(exact seconds, pygambit seconds, equal)`` on one tree written to ``path``."""
    path.write_text(tree_to_efg(game), encoding="utf-8")
    pg = gbt.read_efg(str(path))
    infosets = _pg_infosets(game, pg)
    uniform = BehaviourProfile.uniform(game)
    prof = pg.mixed_behavior_profile(rational=True)  # uniform
    players = range(game.n_players)
    te, exact = best_of(repeats, lambda: [power(game, uniform, i) for i in players])
    tg, theirs = best_of(
        repeats, lambda: [gambit_power(gbt, game, pg, infosets, prof, i) for i in players]
    )
    return te, tg, [Fraction(int(v.p), int(v.q)) for v in exact] == theirs


def gambit_row(label: str, games: list, repeats: int, tmp: Path) -> dict:
    """Total times over ``games`` of exact POWER and of pygambit's, checked equal."""
    import pygambit as gbt

    runs = [gambit_tree(gbt, g, repeats, tmp / f"bench-tree-{n}.efg") for n, g in enumerate(games)]
    sizes = [len(g.nodes) for g in games]
    infos = [sum(1 for s in g.infosets if s.player is not None) for g in games]
    return {
        "label": label,
        "trees": len(games),
        "nodes": f"{min(sizes)}-{max(sizes)}",
        "infosets": f"{min(infos)}-{max(infos)}",
        "players": "/".join(str(k) for k in sorted({g.n_players for g in games})),
        "exact": sum(r[0] for r in runs),
        "gambit": sum(r[1] for r in runs),
        "ok": all(r[2] for r in runs),
    }


# -- report -----------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    if seconds < 0.001:
        return f"{seconds * 1e6:.0f} µs"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def _verdict(ok: bool) -> str:
    return "met" if ok else "**missed**"


def _openspiel_line(r: dict) -> str:
    python, cpp = r["exact"] / r["python"], r["exact"] / r["cpp"]
    return (
        f"| {r['game']} | {r['nodes']:,} | {r['infosets']:,} | {_ms(r['exact'])} "
        f"| {_ms(r['python'])} | {_ms(r['cpp'])} | {_ms(r['cpp_reused'])} "
        f"| {python:.3f} ({_verdict(python <= TARGET_PYTHON)}) "
        f"| {cpp:.2f} ({_verdict(cpp <= TARGET_CPP)}) "
        f"| {r['exact'] / r['cpp_reused']:.2f} | {r['worst']:.1e} "
        f"| {', '.join(_short(v) for v in r['power'])} |"
    )


def report(os_rows: list, pg_rows: list, command: str) -> str:
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# Game trees: exact POWER against OpenSpiel and pygambit",
        "",
        f"{now}; python {platform.python_version()} on {platform.machine()}; "
        f"command: `{command}`. See the docstring of `benchmarks/bench_trees.py` for what "
        "is timed (the tree, the game objects and the profiles/policies are built outside "
        "the timing; best of the repeats; ratios from this one run).",
        "",
        "## OpenSpiel: POWER of every player at the uniform policy",
        "",
        f"Targets: exact ≤ OpenSpiel's Python best response (ratio ≤ {TARGET_PYTHON:g}), "
        f"exact ≤ {TARGET_CPP:g}× its C++ one (`pyspiel.TabularBestResponse`).",
        "",
        "| game | nodes | infosets | exact | Python BR | C++ BR (fresh) | C++ BR (reused) "
        "| exact / Python | exact / C++ fresh | exact / C++ reused | max abs diff | POWER (exact) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    lines += [_openspiel_line(r) for r in os_rows]
    lines += [
        "",
        "Building the exact tree from OpenSpiel (not timed above): "
        + "; ".join(f"{r['game']} {_ms(r['tree'])}" for r in os_rows)
        + ".",
        "",
        "## pygambit: the same exact values on random trees it reads",
        "",
        f"Target: exact ≥ {TARGET_GAMBIT:g}× faster than pygambit.  pygambit has no "
        "best-response function: its side is a backward induction over the player's "
        "information sets driven from Python, one profile update per own depth, each "
        "followed by pygambit's exact re-evaluation of the action values (times are totals "
        "over the trees of the row; every player of every tree).",
        "",
        "| trees | count | nodes | player infosets | players | exact (total) | pygambit (total) "
        "| speed-up | target | equal |",
        "|---|---:|---|---|---|---:|---:|---:|---|---|",
    ]
    for r in pg_rows:
        speed = r["gambit"] / r["exact"]
        lines.append(
            f"| {r['label']} | {r['trees']} | {r['nodes']} | {r['infosets']} | {r['players']} "
            f"| {_ms(r['exact'])} | {_ms(r['gambit'])} | {speed:.1f}× "
            f"| {_verdict(speed >= TARGET_GAMBIT)} | {'yes' if r['ok'] else 'NO'} |"
        )
    return "\n".join(lines) + "\n"


def _short(value: str) -> str:
    return (
        value if len(value) <= 24 else f"{float(Fraction(value)):.10f} (exact: {len(value)} chars)"
    )


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="Kuhn and small trees only")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument("--repeats", type=int, default=3, help="best of this many runs")
    parser.add_argument("--output", default=str(DEFAULT_OUTPUT))
    parser.add_argument(
        "--tmp", default=None, help="folder for the .efg files (default: a temp dir)"
    )
    args = parser.parse_args(argv)
    import tempfile

    repeats = 1 if args.quick else args.repeats
    os_rows = [
        openspiel_row(g, repeats)
        for g in (("kuhn_poker",) if args.quick else ("kuhn_poker", "leduc_poker"))
    ]
    sizes = SIZES[:1] if args.quick else SIZES
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.tmp or tmp)
        pg_rows = [
            gambit_row(
                label, random_trees(lo, hi, 2 if args.quick else 5, 1000 * (n + 1)), repeats, folder
            )
            for n, (label, lo, hi) in enumerate(sizes)
        ]
    command = "python benchmarks/bench_trees.py" + (" --quick" if args.quick else "")
    text = report(os_rows, pg_rows, command)
    sys.stdout.write(text)
    if not args.no_write:
        Path(args.output).write_text(text, encoding="utf-8")
    bad = [r for r in os_rows if not r["ok"]] + [r for r in pg_rows if not r["ok"]]
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
