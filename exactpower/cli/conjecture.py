"""``exactpower conjecture``: the article's Conjecture A checked on a class (docs/conjectures.md).

``exactpower conjecture identical-rewards [--players N] [--types T] [--actions A]
[--values V] [--prior P] [--reward-form F] [--symmetry S] [--limit N] [-o DIR] [--json]``

Checks Conjecture A (identical rewards ⇒ ΣPOWER = Σ best-case POWER) on every game of the
class ``constraint=identical`` under three readings (every equilibrium found,
welfare-maximising equilibria, team-optimal pure profiles; see
:mod:`exactpower.small.conjecture`).  For each reading it prints the counts when it holds and
the smallest counterexample (game-v1 JSON) when it does not; with ``-o DIR`` it writes
``DIR/counterexample-<reading>.json`` (the game), ``...-profile.json`` (the profile) and
``.tex`` (the derivation of ``proofs.to_latex(proofs.power_scarcity(game, profile))``,
the proof module imported here, lazily).  Exit 0 every reading holds, 1 some reading has
a counterexample, 2 bad input.

>>> from exactpower.cli import main
>>> main(["conjecture", "identical-rewards", "--values", "0,1"])  # doctest: +ELLIPSIS
class: 2 players; types [[1], [1]]; actions [[2], [2]]; values 0, 1; ...
every-equilibrium: FAILS (... of 6 games); smallest counterexample: ΣPOWER = 0, Σ best-case POWER = 2
  game: {...}
  profile: {"format": "exactpower/profile-v1", "strategies": {"1": {"-": "a0"}, "2": {"-": "a0"}}}
welfare-maximising-equilibria: holds on 6 games (... profiles)
team-optimal: holds on 6 games (... profiles)
1
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..errors import GameStructureError
from ..small.conjecture import READINGS, check_identical_rewards
from .common import add_class_options, class_from_args, write_json, write_text

__all__ = [
    "NAME",
    "HELP",
    "DESCRIPTION",
    "QUESTIONS",
    "arguments",
    "run",
    "run_improvement",
    "run_improvement_table",
    "run_question_b",
    "write_counterexamples",
    "write_improvement_counterexamples",
]

NAME = "conjecture"
HELP = "check the article's Conjecture A, or whether improvement lowers ΣPOWER, on a class"
DESCRIPTION = (
    "identical-rewards (Conjecture A): with identical rewards, is ΣPOWER = Σ best-case "
    "POWER? Checked at every equilibrium found, at welfare-maximising equilibria and at "
    "team-optimal pure profiles.  improvement-lowers-power: does ΣPOWER never increase "
    "along an improvement step (unilateral switch, unilateral best response, best-response "
    "step, fictitious-play step, NashConv decrease)?  On every game of a class (one per "
    "symmetry orbit).  question-b-correlation: ΣPOWER at equilibria against the reward "
    "correlation (Pearson ρ, strategic ρ_S) over a class (--class), or along the "
    "λ-interpolation of a Bayesian pair.  Exit 0 all readings hold, 1 a reading has a "
    "counterexample, 2 bad input."
)
#: The questions, in the order of ``docs/conjectures.md``.
QUESTIONS = ("identical-rewards", "improvement-lowers-power", "question-b-correlation")


def _counterexamples(summary: dict, directory):
    """``(folder, reading, counterexample)`` for each reading of ``summary`` that has one;
    the folder ``directory`` is made first."""
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    for reading, res in summary["readings"].items():
        if res["counterexample"] is not None:
            yield out, reading, res["counterexample"]


def write_counterexamples(summary: dict, directory) -> dict:
    """Write each reading's counterexample as game JSON, profile JSON and LaTeX derivation.

    Returns ``{reading: {"game": path, "profile": path, "tex": path}}``.
    """
    import proofs

    from ..io import loads, loads_profile

    paths = {}
    for out, reading, ce in _counterexamples(summary, directory):
        game_text = json.dumps(ce["game"], indent=2, ensure_ascii=False) + "\n"
        profile_text = json.dumps(ce["profile"], indent=2, ensure_ascii=False) + "\n"
        game = loads(game_text)
        profile = loads_profile(profile_text, game)
        trace = proofs.power_scarcity(game, profile)
        tex = proofs.to_latex(trace, verdict=proofs.check(trace))
        base = out / f"counterexample-{reading}"
        files = {
            "game": base.with_suffix(".json"),
            "profile": out / f"counterexample-{reading}-profile.json",
            "tex": base.with_suffix(".tex"),
        }
        files["game"].write_text(game_text, encoding="utf-8")
        files["profile"].write_text(profile_text, encoding="utf-8")
        files["tex"].write_text(tex, encoding="utf-8")
        paths[reading] = {k: str(v) for k, v in files.items()}
    return paths


def _text(summary: dict, paths: dict) -> str:
    lines = [_class_line(summary, "identical")]
    if summary["incomplete_equilibrium_lists"]:
        lines.append(
            f"  note: {summary['incomplete_equilibrium_lists']} games have an equilibrium "
            f"list that is not provably complete (readings a and b use the ones found)"
        )
    for reading in READINGS:
        r = summary["readings"][reading]
        ce = r["counterexample"]
        if ce is None:
            lines.append(
                f"{reading}: holds on {r['games_checked']} games ({r['profiles_checked']} profiles)"
            )
            continue
        lines.append(
            f"{reading}: FAILS ({r['games_failing']} of {r['games_checked']} games); "
            f"smallest counterexample: ΣPOWER = {ce['power_sum']}, "
            f"Σ best-case POWER = {ce['best_case_sum']}"
        )
        lines.append("  game: " + json.dumps(ce["game"], ensure_ascii=False))
        lines.append("  profile: " + json.dumps(ce["profile"], ensure_ascii=False))
        if reading in paths:
            lines.append(f"  written: {paths[reading]['game']}, {paths[reading]['tex']}")
    return "\n".join(lines) + "\n"


def run(args) -> int:
    """Check the conjecture on the class; print and write the counterexamples."""
    if args.question not in QUESTIONS:  # pragma: no cover - argparse choices
        raise GameStructureError(f"conjecture: unknown question {args.question!r}")
    if args.limit is not None and args.limit < 0:
        raise GameStructureError(f"conjecture: --limit {args.limit}: must be nonnegative")
    if args.question == "improvement-lowers-power":
        return run_improvement(args)
    if args.question == "question-b-correlation":
        return run_question_b(args)
    if args.constraint not in (None, "identical") or args.reward_sets != "any":
        raise GameStructureError(
            "conjecture identical-rewards: --constraint and --reward-sets are fixed "
            "(identical rewards, any values)"
        )
    summary = check_identical_rewards(
        class_from_args(args, constraint="identical"), limit=args.limit, progress=sys.stderr
    )
    return _report(args, summary, write_counterexamples, _text)


def _report(args, summary: dict, write, text) -> int:
    """Write the counterexamples (``-o DIR``: ``write(summary, DIR)``), print the summary
    (JSON, or ``text(summary, paths)``); exit 0 when every reading holds, else 1."""
    paths = write(summary, args.output) if args.output else {}
    if args.json:
        write_json(dict(summary, written=paths))
    else:
        sys.stdout.write(text(summary, paths))
    return 0 if all(r["holds"] for r in summary["readings"].values()) else 1


def _class_line(summary: dict, constraint: str) -> str:
    """The first line of the text: the class, its constraint and its size."""
    c = summary["class"]
    return (
        f"class: {c['players']} players; types {c['types']}; actions {c['actions']}; "
        f"values {', '.join(c['values'])}; prior {c['prior']}; {c['reward_form']} rewards; "
        f"{constraint}; {summary['games']} games up to symmetry "
        f"({summary['games_covered']} covered)"
    )


def arguments(p) -> None:
    """The question, the class options, ``--limit`` and ``-o``."""
    p.add_argument("question", choices=QUESTIONS)
    add_class_options(p, values="0,1,2")
    p.add_argument(
        "--constraint",
        metavar="C",
        help="improvement-lowers-power: free (default), constant-sum or constant-sum:C, "
        "identical (identical-rewards: always identical)",
    )
    p.add_argument(
        "--reward-sets",
        default="any",
        choices=("any", "strict-ordinal"),
        help="improvement-lowers-power: strict-ordinal = distinct rewards per player and "
        "type profile (default any)",
    )
    p.add_argument(
        "--grid",
        type=int,
        default=2,
        metavar="M",
        help="improvement-lowers-power: starting profiles mix with probabilities k/M "
        "(default 2; 1 = pure profiles)",
    )
    p.add_argument(
        "--fp-steps",
        type=int,
        default=3,
        metavar="K",
        help="improvement-lowers-power: fictitious-play steps from each start (default 3)",
    )
    p.add_argument("--limit", type=int, metavar="N", help="check at most N games")
    p.add_argument(
        "--all-classes",
        action="store_true",
        help="improvement-lowers-power: run every class of the table of docs/conjectures.md "
        "(the class options are fixed) and print the table; -o DIR writes the counterexample "
        "folders, --data FILE the summary (JSON)",
    )
    question_b_arguments(p)
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="write each counterexample's game, profile and LaTeX derivation here",
    )


# -- improvement-lowers-power ---------------------------------------------------------------


def write_improvement_counterexamples(summary: dict, directory) -> dict:
    """Write each reading's counterexample: ``DIR/improvement-<reading>.json`` (the game) and
    ``...-before.json``, ``...-after.json`` (the two profiles), which ``exactpower verify
    GAME --profile P`` re-checks.  Returns ``{reading: {"game", "before", "after"}}``."""
    from ..io import dumps, loads, loads_profile

    paths = {}
    for out, reading, ce in _counterexamples(summary, directory):
        game = loads(json.dumps(ce["game"]))
        texts = {"game": dumps(game)}
        for k in ("before", "after"):
            texts[k] = dumps(loads_profile(json.dumps(ce[k]), game))
        files = {k: out / f"improvement-{reading}{s}.json" for k, s in _SUFFIXES.items()}
        for k, path in files.items():
            path.write_text(texts[k] + "\n", encoding="utf-8")
        paths[reading] = {k: str(v) for k, v in files.items()}
    return paths


_SUFFIXES = {"game": "", "before": "-before", "after": "-after"}


def _improvement_text(summary: dict, paths: dict) -> str:
    lines = [
        _class_line(summary, summary["class"]["constraint"])
        + f"; starts on the grid k/{summary['grid']}"
    ]
    for reading, r in summary["readings"].items():
        ce = r["counterexample"]
        counts = f"{r['steps_checked']} steps on {summary['games']} games"
        if ce is None:
            lines.append(f"{reading}: holds ({counts})")
            continue
        lines.append(
            f"{reading}: FAILS ({r['steps_failing']} of {counts} raise ΣPOWER, in "
            f"{r['games_failing']} games); smallest: ΣPOWER {ce['power_sum_before']} -> "
            f"{ce['power_sum_after']}"
        )
        lines += [f"  {k}: " + json.dumps(ce[k], ensure_ascii=False) for k in _SUFFIXES]
        if reading in paths:
            lines.append(f"  written: {', '.join(paths[reading].values())}")
    return "\n".join(lines) + "\n"


def run_improvement(args) -> int:
    """``conjecture improvement-lowers-power``: every reading on the class."""
    from ..dynamics.improvement import check_class

    if args.grid < 1 or args.fp_steps < 0:
        raise GameStructureError(
            f"conjecture: --grid {args.grid} / --fp-steps {args.fp_steps}: "
            f"need a positive grid and nonnegative steps"
        )
    if args.all_classes:
        return run_improvement_table(args)
    cls = class_from_args(args, constraint=args.constraint or "free", reward_sets=args.reward_sets)
    summary = check_class(cls, grid=args.grid, fp_steps=args.fp_steps, limit=args.limit)
    return _report(args, summary, write_improvement_counterexamples, _improvement_text)


def run_improvement_table(args) -> int:
    """``improvement-lowers-power --all-classes``: the docs' table, every class
    (:mod:`exactpower.dynamics.improvement_table`); the options of one class are refused."""
    from ..dynamics import improvement_table as it
    from ..small.classes import GameClass

    fixed = class_from_args(args, constraint=args.constraint or "free")
    if (
        fixed != GameClass(2, values=(0, 1, 2))
        or args.reward_sets != "any"
        or (args.grid, args.fp_steps, args.limit) != (2, 3, None)
    ):
        raise GameStructureError(
            "conjecture: --all-classes runs the fixed classes of the table; drop the class "
            "options, --grid, --fp-steps and --limit"
        )
    results = it.run_table(progress=sys.stderr)
    written = {}
    for row, summary, _ in results:
        if args.output and row.folder:
            folder = Path(args.output) / row.folder
            written[row.folder] = write_improvement_counterexamples(summary, folder)
    doc = {
        "table": it.markdown([(r, s) for r, s, _ in results]),
        "rows": [
            dict(s, options=r.options, seconds=round(t, 1), folder=r.folder) for r, s, t in results
        ],
        "seconds": round(sum(t for _, _, t in results), 1),
    }
    if args.data:
        write_text(args.data, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
    if args.json:
        write_json(dict(doc, written=written))
    else:
        sys.stdout.write(doc["table"])
        sys.stderr.write(f"total: {doc['seconds']} s\n")
    return 0 if all(all(r["holds"] for r in s["readings"].values()) for _, s, _ in results) else 1


# -- question-b-correlation -----------------------------------------------------------------

#: The classes of ``question-b-correlation`` (``bayesian-lambda``: the λ path of a pair).
STUDY_CLASSES = (
    "2x2-ordinal",
    "2x2-types",
    "3p-2x2x2",
    "3p-symmetric",
    "3p-symmetric-pm",
    "bayesian-lambda",
)


def question_b_arguments(p) -> None:
    """``--class``, ``--plot``, ``--data``, ``--lambda-grid`` of ``question-b-correlation``."""
    p.add_argument(
        "--class",
        dest="study_class",
        choices=STUDY_CLASSES,
        default="2x2-ordinal",
        help="question-b-correlation: the class of games (default 2x2-ordinal), or "
        "bayesian-lambda (the interpolation of a Bayesian pair)",
    )
    p.add_argument("--plot", metavar="FILE", help="question-b-correlation: draw a PNG here")
    p.add_argument(
        "--data",
        metavar="FILE",
        help="question-b-correlation: write the exact data (JSON); "
        "improvement-lowers-power --all-classes: the summary of every class",
    )
    p.add_argument(
        "--lambda-grid",
        type=int,
        default=24,
        metavar="M",
        help="question-b-correlation, bayesian-lambda: λ = k/M (default 24)",
    )


def _question_b_text(s: dict) -> str:
    lines = [
        f"class {s['class']}: {s['description']}; {s['games']:,} games up to symmetry "
        f"({s['raw_games']:,} raw){'' if s['complete'] else ' -- not the whole class'}; "
        f"{s['seconds']} s"
    ]
    for metric in ("rho", "rho_s"):
        lines.append(f"{metric}: value, games, mean ΣPOWER worst eq., best eq., Σ best-case")
        lines += [
            f"  {g['value']}  {g['games']}  {g['eq_min']['mean']}  {g['eq_max']['mean']}  "
            f"{g['best_case']['mean']}"
            for g in s["groups"][metric]
        ]
        for field, m in s["monotone"][metric].items():
            lines.append(f"  mean {field} non-decreasing in {metric}: {m['non_decreasing']}")
    for check, r in s["checks"].items():
        verdict = "holds" if r["holds"] else f"FAILS ({r['failing']} games)"
        lines.append(f"{check}: {verdict} on {r['games']} games")
        if r["counterexample"] is not None:
            lines.append(f"  smallest: rewards {r['counterexample']['rewards']}")
    return "\n".join(lines) + "\n"


def _lambda_text(res: dict) -> str:
    lines = [f"rho(lam) = {res['rho_formula']}", f"rho_s(lam) = {res['rho_s_formula']}"]
    for p in res["points"]:
        sums = ", ".join(str(v) for v in p["equilibria"])
        lines.append(
            f"lam {p['lam']}: ΣPOWER at extreme equilibria [{sums}]; Σ best-case {p['best_case']}"
        )
    for field, drops in res["monotone"].items():
        lines.append(f"{field} non-decreasing in lam: {not drops}")
    return "\n".join(lines) + "\n"


def run_question_b(args) -> int:
    """``conjecture question-b-correlation``: one class of the study, or the λ path."""
    from ..dynamics import question_b_summary as qs
    from ..dynamics.question_b import study
    from ..dynamics.question_b_lambda import lambda_path, write_lambda_counterexample

    if args.study_class == "bayesian-lambda":
        if args.lambda_grid < 1:
            raise GameStructureError(f"conjecture: --lambda-grid {args.lambda_grid}: must be >= 1")
        res = lambda_path(grid=args.lambda_grid)
        paths = write_lambda_counterexample(res, args.output) if args.output else {}
        if args.plot:
            from ..dynamics.question_b_plot import plot_lambda

            plot_lambda(res, args.plot)
        doc = qs.to_json(res)
        if args.data:
            write_text(args.data, json.dumps(doc, indent=1, ensure_ascii=False) + "\n")
        if args.json:
            write_json(dict(doc, written=paths))
        else:
            sys.stdout.write(_lambda_text(res))
        return 1 if any(res["monotone"].values()) else 0
    summary = study(args.study_class, limit=args.limit)
    paths = qs.write_counterexamples(summary, args.output) if args.output else {}
    if args.plot:
        from ..dynamics.question_b_plot import plot_class

        plot_class(summary, args.plot)
    if args.data:
        qs.write_data(summary, args.data)
    doc = qs.to_json({k: v for k, v in summary.items() if k != "rows"})
    if args.json:
        write_json(dict(doc, written=paths))
    else:
        sys.stdout.write(_question_b_text(doc))
    return 0 if all(r["holds"] for r in summary["checks"].values()) else 1
