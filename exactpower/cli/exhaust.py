"""``exactpower exhaust``: the theorem checked on every game of a class (SPEC §5).

``exactpower exhaust --players N --types T --actions A --values V [--prior P]
[--reward-form F] [--constraint C] [--reward-sets S] [--symmetry S] [--grid M]
[--equilibria E] [--workers N] [--shard K/N] [--scheduler ADDRESS] [--limit N] [--json]``

Counts are ints or per-player lists (``1,2``); ``1..2`` allows one or two
(per player: ``1..2,1``).  Values are a list of exact values and integer
ranges (``-1,0,1``, ``0..3``, ``1/2,1``).  Exit 0 when no violation was found
(and, for a whole class, the raw count equals the sum of the orbit sizes), 1
otherwise, 2 on bad input (one line on stderr).  See :func:`exactpower.exhaust.exhaust`
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
import re
import sys

from .small.classes import GameClass
from .errors import GameStructureError
from .small.exhaust import EQUILIBRIA_MODES, exhaust

__all__ = ["add", "parse_counts", "parse_values"]


def parse_counts(text: str, what: str):
    """``"2"`` -> 2; ``"1,2"`` -> (1, 2) per player; ``"1..2"`` -> range(1, 3).

    >>> parse_counts("1..2,1", "types")
    (range(1, 3), 1)
    """
    def one(item: str):
        lo, sep, hi = item.partition("..")
        try:
            if sep:
                if int(lo) > int(hi):
                    raise ValueError
                return range(int(lo), int(hi) + 1)
            return int(item)
        except ValueError:
            raise GameStructureError(f"exhaust: --{what} {text!r}: expected counts like 2, "
                                     f"1,2 or 1..2") from None

    items = [one(s.strip()) for s in text.split(",")]
    return items[0] if len(items) == 1 else tuple(items)


def parse_values(text: str) -> tuple:
    """``"-1,0,1"``, ``"0..3"``, ``"1/2,1"`` -> the alphabet (strings and ints).

    >>> parse_values("0..2,5/2")
    (0, 1, 2, '5/2')
    """
    out = []
    for item in (s.strip() for s in text.split(",")):
        lo, sep, hi = item.partition("..")
        if sep:
            try:
                out.extend(range(int(lo), int(hi) + 1))
            except ValueError:
                raise GameStructureError(f"exhaust: --values {text!r}: a range is two integers "
                                         f"like 0..3") from None
        elif item:
            out.append(item)
        else:
            raise GameStructureError(f"exhaust: --values {text!r}: empty value")
    return tuple(out)


def class_from_args(args, *, constraint: str, reward_sets: str = "any") -> GameClass:
    """The game class named by :func:`add_class_options`' options, with a constraint."""
    return GameClass(
        players=args.players,
        types=parse_counts(args.types, "types"),
        actions=parse_counts(args.actions, "actions"),
        values=parse_values(args.values),
        prior=args.prior,
        reward_form=args.reward_form,
        constraint=constraint,
        reward_sets=reward_sets,
        symmetries=() if args.symmetry == "none" else tuple(
            s.strip() for s in args.symmetry.split(",")),
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
        + ("" if check is None else f"  (raw {summary['raw_games']}: "
           f"{'= sum of orbit sizes' if check else 'MISMATCH'})"),
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
        lines.append(f"counterexample {k}: {'; '.join(ce['failures'])}; kernel: "
                     f"{ce['kernel']['message']}")
        lines.append("  game: " + json.dumps(ce["game"]))
        lines.append("  profile: " + json.dumps(ce["profile"]))
    return "\n".join(lines) + "\n"


def _run(args) -> int:
    if args.workers < 1:
        raise GameStructureError(f"exhaust: --workers {args.workers}: must be at least 1")
    if args.limit is not None and args.limit < 0:
        raise GameStructureError(f"exhaust: --limit {args.limit}: must be nonnegative")
    if args.grid < 1:
        raise GameStructureError(f"exhaust: --grid {args.grid}: must be at least 1")
    cls = class_from_args(args, constraint=args.constraint, reward_sets=args.reward_sets)
    summary = exhaust(cls, grid=args.grid, equilibria=args.equilibria, workers=args.workers,
                      shard=_shard(args.shard), scheduler=args.scheduler, limit=args.limit,
                      progress=sys.stderr)
    if args.json:
        sys.stdout.write(json.dumps(summary, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text(summary))
    return 0 if summary["violations"] == 0 and summary["orbit_check"] is not False else 1


def add_class_options(p, *, values: str) -> None:
    """The options that describe a game class, shared by ``exhaust`` and ``conjecture``."""
    # Let "--values -1,0,1" (and "-1..1", "-1/2,1") read as a value, not an unknown option:
    # argparse only takes plain negative numbers such as "-1" for values by itself.
    p._negative_number_matcher = re.compile(r"^-\d[-\d,./]*$")
    p.add_argument("--players", type=int, default=2, metavar="N", help="players (default 2)")
    p.add_argument("--types", default="1", metavar="T",
                   help="types per player: 2, per player 1,2, or a range 1..2 (default 1)")
    p.add_argument("--actions", default="2", metavar="A",
                   help="actions per player, like --types (default 2)")
    p.add_argument("--values", default=values, metavar="V",
                   help=f"the reward alphabet: -1,0,1 or 0..3 or 1/2,1 (default {values})")
    p.add_argument("--prior", default="uniform", metavar="P",
                   help="uniform, independent:M or joint:M (grid k/M; default uniform)")
    p.add_argument("--reward-form", default="general", choices=("general", "own-type"),
                   help="r_i(t, a) or the article's r_i(t_i, a) (default general)")
    p.add_argument("--symmetry", default="actions,types,players", metavar="S",
                   help="relabellings that identify games: a subset of actions,types,players, "
                        "or none (default all)")


def add(commands) -> None:
    """Register ``exhaust`` on the ``commands`` subparsers of :func:`exactpower.cli.build_parser`."""
    p = commands.add_parser(
        "exhaust", help="check the theorem on every game of a small class",
        description="Check the power-scarcity theorem (or the general-sum identity) on every "
                    "game of a class, once per symmetry orbit: at every grid profile (pure "
                    "ones included) and every equilibrium found.  Exit 0 no violation, 1 a "
                    "violation (reported with the game and its kernel-checked trace), 2 bad "
                    "input.")
    add_class_options(p, values="-1,0,1")
    p.add_argument("--constraint", default="free", metavar="C",
                   help="free, identical or constant-sum:C (default free)")
    p.add_argument("--reward-sets", default="any", choices=("any", "strict-ordinal"),
                   help="strict-ordinal: each player's rewards distinct per type profile")
    p.add_argument("--grid", type=int, default=2, metavar="M",
                   help="check every profile with mixed actions k/M (1: pure only; default 2)")
    p.add_argument("--equilibria", default="auto", choices=EQUILIBRIA_MODES,
                   help="equilibria to check: all found (auto), pure only, or none")
    p.add_argument("--workers", type=int, default=1, metavar="N",
                   help="local worker processes (default 1)")
    p.add_argument("--shard", metavar="K/N", help="check only shard K of N of the class")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="run on a Dask cluster (needs dask.distributed)")
    p.add_argument("--limit", type=int, metavar="N", help="check at most N games")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_run)
