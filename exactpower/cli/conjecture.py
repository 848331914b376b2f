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
from .common import add_class_options, class_from_args, write_json

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "write_counterexamples"]

NAME = "conjecture"
HELP = "check the article's Conjecture A on every game of a class"
DESCRIPTION = (
    "Conjecture A: with identical rewards, is ΣPOWER = Σ best-case POWER? Checked at "
    "every equilibrium found, at welfare-maximising equilibria and at team-optimal "
    "pure profiles, on every game of a class (one per symmetry orbit).  Exit 0 all "
    "readings hold, 1 a reading has a counterexample, 2 bad input."
)


def write_counterexamples(summary: dict, directory) -> dict:
    """Write each reading's counterexample as game JSON, profile JSON and LaTeX derivation.

    Returns ``{reading: {"game": path, "profile": path, "tex": path}}``.
    """
    import proofs

    from ..io import loads, loads_profile

    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for reading, res in summary["readings"].items():
        ce = res["counterexample"]
        if ce is None:
            continue
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
    c = summary["class"]
    lines = [
        f"class: {c['players']} players; types {c['types']}; actions {c['actions']}; "
        f"values {', '.join(c['values'])}; prior {c['prior']}; {c['reward_form']} rewards; "
        f"identical; {summary['games']} games up to symmetry "
        f"({summary['games_covered']} covered)"
    ]
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
    if args.question != "identical-rewards":  # pragma: no cover - argparse choices
        raise GameStructureError(f"conjecture: unknown question {args.question!r}")
    if args.limit is not None and args.limit < 0:
        raise GameStructureError(f"conjecture: --limit {args.limit}: must be nonnegative")
    summary = check_identical_rewards(
        class_from_args(args, constraint="identical"), limit=args.limit, progress=sys.stderr
    )
    paths = write_counterexamples(summary, args.output) if args.output else {}
    if args.json:
        write_json(dict(summary, written=paths))
    else:
        sys.stdout.write(_text(summary, paths))
    return 0 if all(r["holds"] for r in summary["readings"].values()) else 1


def arguments(p) -> None:
    """The question, the class options, ``--limit`` and ``-o``."""
    p.add_argument("question", choices=("identical-rewards",))
    add_class_options(p, values="0,1,2")
    p.add_argument("--limit", type=int, metavar="N", help="check at most N games")
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        help="write each counterexample's game, profile and LaTeX derivation here",
    )
