"""``exactpower gridworld ROWSxCOLS [--walls r,c;…] [--slip P] [--moves nsew+stay|nsew] -o FILE [--force] [--json]``.

Write a gridworld MDP as an ``exactpower/mdp-v1`` file
(:meth:`exactpower.sequential.mdp.MDP.gridworld`): states ``"r,c"`` (row-major, walls
removed), moves ``n``/``s``/``e``/``w`` and ``stay`` (POWERplay's default), a move off
the grid or into a wall not an action of that cell; with ``--slip P`` an action reaches
its target with probability 1 − P and, with probability P, the target of an action drawn
uniformly from the cell's actions.  The file records the layout (``gridworld``) for
``exactpower mdp-power --plot``; ``--gamma G`` stores a discount too.  An existing FILE
is replaced only with ``--force``.  JSON: ``{"output", "rows", "cols", "states",
"actions"}``.  Exit 0, or 2 on bad input.

>>> from exactpower.cli import main
>>> main(["gridworld", "0x3", "-o", "never-written.json"])
2
"""

from __future__ import annotations

import os
import re
import sys

from .common import UsageError, write_json, write_text

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "parse_size", "parse_walls"]

NAME = "gridworld"
HELP = "write a gridworld MDP (exactpower/mdp-v1 JSON)"
DESCRIPTION = (
    "Write a ROWSxCOLS gridworld MDP as an exactpower/mdp-v1 file: states 'r,c', the moves "
    "n, s, e, w and stay, optional walls and slip probability.  Exit 0, or 2 on bad input."
)


def arguments(p) -> None:
    """ROWSxCOLS, ``--walls``, ``--slip``, ``--moves``, ``--gamma``, ``-o``, ``--force``."""
    p.add_argument("size", metavar="ROWSxCOLS", help="the grid's size, e.g. 3x3")
    p.add_argument(
        "--walls", default="", metavar="CELLS", help="wall cells 'r,c;r,c' (0-based), e.g. '1,1'"
    )
    p.add_argument(
        "--slip", default="0", metavar="P", help="slip probability in [0, 1] (default 0)"
    )
    p.add_argument(
        "--moves",
        default="nsew+stay",
        choices=("nsew+stay", "nsew"),
        help="the moves (default nsew+stay, as POWERplay)",
    )
    p.add_argument("--gamma", metavar="G", help="a discount in (0, 1) to store in the file")
    p.add_argument("-o", dest="output", required=True, metavar="FILE", help="the file to write")
    p.add_argument("--force", action="store_true", help="overwrite FILE if it exists")


def parse_size(text: str) -> tuple[int, int]:
    """``"3x4"`` -> ``(3, 4)``.

    >>> parse_size("3x4")
    (3, 4)
    """
    m = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if m is None or int(m.group(1)) < 1 or int(m.group(2)) < 1:
        raise UsageError(
            f"{NAME}: size {text!r}: expected ROWSxCOLS with positive numbers, e.g. 3x3"
        )
    return int(m.group(1)), int(m.group(2))


def parse_walls(text: str) -> tuple[tuple[int, int], ...]:
    """``"1,1;0,2"`` -> ``((1, 1), (0, 2))``.

    >>> parse_walls("1,1; 0,2"), parse_walls("")
    (((1, 1), (0, 2)), ())
    """
    out = []
    for item in (s.strip() for s in text.split(";")):
        if not item:
            continue
        m = re.fullmatch(r"(\d+)\s*,\s*(\d+)", item)
        if m is None:
            raise UsageError(f"{NAME}: --walls {text!r}: {item!r} is not a cell r,c")
        out.append((int(m.group(1)), int(m.group(2))))
    return tuple(out)


def run(args) -> int:
    """Build the gridworld and write it."""
    from ..io.mdp_json import Gridworld, dumps_mdp
    from ..sequential.mdp import MDP

    rows, cols = parse_size(args.size)
    walls = parse_walls(args.walls)
    mdp = MDP.gridworld(rows, cols, walls=walls, moves=args.moves, slip=args.slip)
    if os.path.exists(args.output) and not args.force:
        raise UsageError(f"{NAME}: {args.output} exists (give --force to replace it)")
    title = f"{rows}x{cols} gridworld" + (f", slip {args.slip}" if args.slip != "0" else "")
    text = dumps_mdp(
        mdp,
        gamma=args.gamma,
        title=title,
        gridworld=Gridworld(rows, cols, tuple(sorted(set(walls)))),
    )
    write_text(args.output, text)
    n_actions = sum(len(a) for a in mdp.actions)
    if args.json:
        write_json(
            {
                "output": args.output,
                "rows": rows,
                "cols": cols,
                "states": mdp.n_states,
                "actions": n_actions,
            }
        )
    else:
        sys.stdout.write(
            f"wrote {args.output}: {rows}x{cols} gridworld, {mdp.n_states} states, "
            f"{n_actions} actions\n"
        )
    return 0
