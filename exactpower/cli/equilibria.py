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

A game tree (``--openspiel NAME``, a tree-v1 ``.json``, or an ``.efg`` not of Bayesian
shape: :mod:`exactpower.cli.tree_input`) is solved when it has two players and is
constant-sum: the sequence-form linear program, exactly
(:func:`exactpower.sequential.solve_zero_sum`), gives the game's value and one equilibrium
in behaviour strategies, whose NashConv is verified to be exactly 0.  The JSON document has
the keys above (``method`` ``"sequence-form"``, ``complete`` false: one equilibrium, not
every one; ``component`` null; ``profile`` a behaviour-v1 object) plus ``value`` (player 1's
equilibrium payoff) and, per equilibrium, ``nash_conv`` (``"0"``).  Other trees get a
one-line error saying what is supported.

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
from .common import UsageError, read_game, symbolic_hint, write_json
from .tree_input import add_tree_game, is_tree_input, read_tree_input, tree_name

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "equilibria_report", "tree_report"]

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
    "players).  A two-player constant-sum game tree (.efg, tree-v1 .json, --openspiel) "
    "is solved by the sequence-form linear program: its value and one equilibrium."
)

#: What ``equilibria`` solves among game trees (the end of its error for other trees).
TREE_SUPPORT = (
    "equilibria of game trees are computed for two-player zero-sum or constant-sum trees "
    "with rational payoffs (the sequence-form linear program)"
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


def tree_report(game, solution) -> dict:
    """The JSON document of ``exactpower equilibria`` for a solved two-player tree.

    >>> from exactpower.sequential import catalog, solve_zero_sum
    >>> g = catalog.kuhn_poker()
    >>> doc = tree_report(g, solve_zero_sum(g))
    >>> doc["value"], doc["equilibria"][0]["power"], doc["equilibria"][0]["nash_conv"]
    ('-1/18', {'1': '-1/18', '2': '1/18'}, '0')
    """
    from ..io.tree_json import behaviour_to_data
    from ..sequential import nash_conv, power, power_sum

    profile = solution.profile
    names = game.players
    sizes = solution.sequence_form.sizes
    equilibrium = {
        "profile": behaviour_to_data(profile),
        "power": {n: str(power(game, profile, i)) for i, n in enumerate(names)},
        "power_sum": str(power_sum(game, profile)),
        "nash_conv": str(nash_conv(game, profile)),
        "component": None,
    }
    return {
        "method": "sequence-form",
        "complete": False,
        "notes": f"one equilibrium of the sequence-form linear program ({sizes[0]} x {sizes[1]} "
        f"sequences), solved exactly; NashConv verified to be 0; the value is {names[0]}'s "
        f"payoff at every equilibrium",
        "value": str(solution.value),
        "equilibria": [equilibrium],
    }


def _tree_text(doc: dict, name: str) -> str:
    e = doc["equilibria"][0]
    lines = [
        f"game tree: {name}",
        f"method: {doc['method']}; value (payoff of the first player): {doc['value']}",
        f"notes: {doc['notes']}",
        "",
        "equilibrium (behaviour strategies)",
    ]
    for infoset, choice in e["profile"]["behaviour"].items():
        shown = (
            choice if isinstance(choice, str) else ", ".join(f"{a} {p}" for a, p in choice.items())
        )
        lines.append(f"  {infoset}: {shown}")
    lines += [f"  POWER {n}: {v}" for n, v in e["power"].items()]
    lines += [f"  sum of POWER: {e['power_sum']}", f"  NashConv: {e['nash_conv']}", ""]
    return "\n".join(lines)


def _run_tree(args) -> int:
    from ..sequential import solve_zero_sum

    game = read_tree_input(args, "equilibria")
    where = tree_name(args)
    if args.method != "auto" or args.max_support is not None:
        raise UsageError(f"equilibria: {where}: --method and --max-support are for one-shot games")
    if game.n_players != 2:
        raise GameError(f"{where}: {TREE_SUPPORT}; this one has {game.n_players} players")
    try:
        solution = solve_zero_sum(game)
    except GameError as exc:
        raise type(exc)(f"{where}: {TREE_SUPPORT}; {exc}") from None
    doc = tree_report(game, solution)
    if args.json:
        write_json(doc)
    else:
        sys.stdout.write(_tree_text(doc, where))
    return 0


def run(args) -> int:
    """Find and print the equilibria of GAME."""
    from ..equilibria import equilibria

    if is_tree_input(args):
        return _run_tree(args)
    if args.openspiel_param:
        raise UsageError("equilibria: --openspiel-param needs --openspiel NAME")
    if args.game is None:
        raise UsageError("equilibria: give GAME or --openspiel NAME (see 'exactpower --help')")
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

    add_tree_game(p)
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
