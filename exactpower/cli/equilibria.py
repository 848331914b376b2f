"""``exactpower equilibria GAME [--method M] [--max-support K] [--json]``.

The Bayesian Nash equilibria of a game (:func:`exactpower.equilibria`), each as
a profile-v1 object with every player's POWER there; says which method was
used and whether the list is provably complete.

JSON keys: ``method``, ``complete``, ``notes``, ``equilibria``: a list of
``{"profile": <profile-v1 object>, "power": {player: value}, "power_sum": value,
"component": int or null}``.  Values are strings (``"3/4"``; an irrational
equilibrium prints sympy's exact form, e.g. ``"17/24 - sqrt(265)/120"`` or
``"CRootOf(x**3 - x - 1, 0)"``, which is output only: the game-file grammar
has no roots).

Exit status 0; 2 for bad input or usage (one line on stderr).  On a terminal, the
polynomial method draws a progress bar (support profiles tried, ETA) on stderr; never
on stdout, and nothing when stderr is not a terminal.

>>> from exactpower.cli import main
>>> main(["equilibria", "no-such-game.json"])
2
"""

from __future__ import annotations

import json
import sys

from ..errors import GameError
from ..small.runners import Progress
from .common import add_game, read_game, symbolic_hint, write_json

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "equilibria_report"]

#: Seconds before the progress bar appears (a quick run prints none).
PROGRESS_DELAY = 1.0

NAME = "equilibria"
HELP = "every Bayesian Nash equilibrium found, exactly, with its POWER"
DESCRIPTION = (
    "The Bayesian Nash equilibria of a rational game, exactly, each as a profile-v1 "
    "object with every player's POWER; says which method was used and whether the "
    "list is provably complete.  Methods: pure (every pure BNE), two-player (every "
    "extreme BNE of a two-player game, grouped into components), polynomial "
    "(support enumeration with exact polynomial solving), auto (by the number of "
    "players)."
)


def equilibria_report(result) -> dict:
    """The JSON document of ``exactpower equilibria`` for an :class:`EquilibriumSet`.

    >>> from exactpower import BayesianGame, equilibria
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> doc = equilibria_report(equilibria(g))
    >>> doc["method"], doc["complete"], doc["equilibria"][0]["power"]
    ('two-player', True, {'1': '0', '2': '0'})
    """
    from ..io import dumps

    out = []
    for e in result:
        names = [p.name for p in e.profile.players]
        out.append(
            {
                "profile": json.loads(dumps(e.profile)),
                "power": {name: str(v) for name, v in zip(names, e.power)},
                "power_sum": str(e.power_sum),
                "component": e.component,
            }
        )
    return {
        "method": result.method,
        "complete": result.complete,
        "notes": result.notes,
        "equilibria": out,
    }


def _distribution(actions, row) -> str:
    support = [(a, v) for a, v in zip(actions, row) if v != 0]
    if len(support) == 1 and support[0][1] == 1:
        return support[0][0]
    return ", ".join(f"{a} {v}" for a, v in support)


def _text(game, result, name: str) -> str:
    title = f" {game.title!r}" if game.title else ""
    count = len(result)
    lines = [
        f"game{title}: {name} ({game.n_players} players)",
        f"method: {result.method}; {count} equilibri{'um' if count == 1 else 'a'}; "
        f"complete: {'yes' if result.complete else 'no'}",
        f"notes: {result.notes}",
        "",
    ]
    for n, e in enumerate(result, 1):
        head = f"equilibrium {n}"
        if e.component is not None:
            head += f" (component {e.component})"
        lines.append(head)
        for p, rows, value in zip(e.profile.players, e.profile.strategies, e.power):
            strategy = "; ".join(
                (f"{t}: " if len(p.types) > 1 or t != "-" else "") + _distribution(p.actions, row)
                for t, row in zip(p.types, rows)
            )
            lines.append(f"  {p.name}: {strategy}   POWER {value}")
        lines.append(f"  sum of POWER: {e.power_sum}")
        lines.append("")
    return "\n".join(lines)


def run(args) -> int:
    """Find and print the equilibria of GAME."""
    from ..equilibria import equilibria

    game = read_game(args.game, args.param)
    if game.is_symbolic:
        raise GameError(
            f"{args.game}: equilibria: computed for rational games only; {symbolic_hint(game)}"
        )
    bar = Progress(0, sys.stderr, what="support profiles", games=None, delay=PROGRESS_DELAY)
    try:
        result = equilibria(game, method=args.method, max_support=args.max_support, progress=bar)
    except GameError as exc:
        raise type(exc)(f"{args.game}: {exc}") from None
    finally:
        bar.close()
    if args.json:
        write_json(equilibria_report(result))
    else:
        sys.stdout.write(_text(game, result, args.game))
    return 0


def arguments(p) -> None:
    """GAME, ``--method``, ``--max-support``."""
    from ..equilibria import METHODS

    add_game(p)
    p.add_argument(
        "--method", choices=METHODS, default="auto", help="solution method (default: auto)"
    )
    p.add_argument(
        "--max-support",
        type=int,
        default=None,
        metavar="K",
        help="polynomial method: at most K actions mixed per player and type",
    )
