"""``exactpower exhaust``: the theorem checked on every game of a class.

``exactpower exhaust --players N --types T --actions A --values V [--prior P]
[--reward-form F] [--constraint C] [--reward-sets S] [--symmetry S] [--grid M]
[--equilibria E] [--workers N] [--shard K/N] [--scheduler ADDRESS] [--limit N] [--json]``

Counts are ints or per-player lists (``1,2``); ``1..2`` allows one or two
(per player: ``1..2,1``).  Values are a list of exact values and integer
ranges (``-1,0,1``, ``0..3``, ``1/2,1``).  Exit 0 when no violation was found
(and, for a whole class, the raw count equals the sum of the orbit sizes), 1
otherwise, 2 on bad input (one line on stderr).  See :func:`exactpower.small.exhaust.exhaust`
for the JSON summary and ``docs/exhaust.md`` for the classes.

>>> from exactpower.cli import main
>>> main(["exhaust", "--players", "2", "--values", "-1,0,1", "--constraint",
...       "constant-sum:0", "--grid", "1", "--equilibria", "none", "--json"])  # doctest: +ELLIPSIS
{
  "games": 81,
  "classes_checked": 15,
...
0
"""

from __future__ import annotations

import json
import sys

from ..errors import GameStructureError
from ..small.exhaust import EQUILIBRIA_MODES, exhaust
from .common import add_class_options, class_from_args, write_json

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run"]

NAME = "exhaust"
HELP = "check the theorem on every game of a small class"
DESCRIPTION = (
    "Check the power-scarcity theorem (or the general-sum identity) on every game of "
    "a class, once per symmetry orbit: at every grid profile (pure ones included) and "
    "every equilibrium found.  Exit 0 no violation, 1 a violation (reported with the "
    "game and its kernel-checked trace), 2 bad input."
)


def _shard(text: str | None):
    if text is None:
        return None
    k, sep, n = text.partition("/")
    if not sep or not k.isdigit() or not n.isdigit() or not 1 <= int(k) <= int(n):
        raise GameStructureError(f"exhaust: --shard {text!r}: expected K/N with 1 <= K <= N")
    return int(k), int(n)


def _text(summary: dict) -> str:
    c = summary["class"]
    check = summary["orbit_check"]
    lines = [
        f"class: {c['players']} players; types {c['types']}; actions {c['actions']}; "
        f"values {', '.join(c['values'])}; prior {c['prior']}; {c['reward_form']} rewards; "
        f"{c['constraint']}" + (f" {c['constant']}" if c["constant"] is not None else ""),
        f"  games covered         {summary['games']}"
        + (
            ""
            if check is None
            else f"  (raw {summary['raw_games']}: "
            f"{'= sum of orbit sizes' if check else 'MISMATCH'})"
        ),
        f"  classes checked       {summary['classes_checked']}",
        f"  profiles checked      {summary['profiles_checked']}",
        f"  equilibria            {summary['equilibria']}  (search: "
        f"{summary['equilibrium_search']}; BNE on the grid: {summary['grid_equilibria']})",
        f"  violations            {summary['violations']}",
        f"  seconds               {summary['seconds']}",
    ]
    if summary["shard"]:
        lines.insert(1, f"  shard                 {summary['shard']}")
    for k, ce in enumerate(summary["counterexamples"], 1):
        lines.append(
            f"counterexample {k}: {'; '.join(ce['failures'])}; kernel: {ce['kernel']['message']}"
        )
        lines.append("  game: " + json.dumps(ce["game"]))
        lines.append("  profile: " + json.dumps(ce["profile"]))
    return "\n".join(lines) + "\n"


def run(args) -> int:
    """Check the class; print the summary."""
    if args.workers < 1:
        raise GameStructureError(f"exhaust: --workers {args.workers}: must be at least 1")
    if args.limit is not None and args.limit < 0:
        raise GameStructureError(f"exhaust: --limit {args.limit}: must be nonnegative")
    if args.grid < 1:
        raise GameStructureError(f"exhaust: --grid {args.grid}: must be at least 1")
    cls = class_from_args(args, constraint=args.constraint, reward_sets=args.reward_sets)
    summary = exhaust(
        cls,
        grid=args.grid,
        equilibria=args.equilibria,
        workers=args.workers,
        shard=_shard(args.shard),
        scheduler=args.scheduler,
        limit=args.limit,
        progress=sys.stderr,
    )
    if args.json:
        write_json(summary)
    else:
        sys.stdout.write(_text(summary))
    return 0 if summary["violations"] == 0 and summary["orbit_check"] is not False else 1


def arguments(p) -> None:
    """The class options, and how to check it."""
    add_class_options(p, values="-1,0,1")
    p.add_argument(
        "--constraint",
        default="free",
        metavar="C",
        help="free, identical or constant-sum:C (default free)",
    )
    p.add_argument(
        "--reward-sets",
        default="any",
        choices=("any", "strict-ordinal"),
        help="strict-ordinal: each player's rewards distinct per type profile",
    )
    p.add_argument(
        "--grid",
        type=int,
        default=2,
        metavar="M",
        help="check every profile with mixed actions k/M (1: pure only; default 2)",
    )
    p.add_argument(
        "--equilibria",
        default="auto",
        choices=EQUILIBRIA_MODES,
        help="equilibria to check: all found (auto), pure only, or none",
    )
    p.add_argument(
        "--workers", type=int, default=1, metavar="N", help="local worker processes (default 1)"
    )
    p.add_argument("--shard", metavar="K/N", help="check only shard K of N of the class")
    p.add_argument(
        "--scheduler", metavar="ADDRESS", help="run on a Dask cluster (needs dask.distributed)"
    )
    p.add_argument("--limit", type=int, metavar="N", help="check at most N games")
