"""``exactpower convert IN OUT [--nfg-form outcome|payoff] [--strategic-form] [--force] [--json]``.

Convert a game between game-v1 JSON (``.json``), Gambit's strategic form
(``.nfg``) and Gambit's extensive form (``.efg``), by the files' extensions
(:func:`exactpower.io.load_game_file`, :func:`exactpower.io.save_game_file`;
see :mod:`exactpower.io.gambit` for what each direction keeps).  A Bayesian
game with types is written to ``.nfg`` only with ``--strategic-form`` (its
induced strategic form, a different game).  An existing OUT is overwritten
only with ``--force``.  ``--json`` prints ``{"input", "output", "players",
"title"}``.

Exit status 0; 2 for bad input or usage, with one line on stderr naming the
file and the place (line and column for Gambit files).

>>> from exactpower.cli import main
>>> main(["convert", "no-such-game.json", "out.nfg"])
2
"""

from __future__ import annotations

import os
import sys

from ..errors import GameError
from .common import add_params, with_params, write_json

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run"]

NAME = "convert"
HELP = "convert a game between game-v1 JSON and Gambit .nfg / .efg"
DESCRIPTION = (
    "Convert a game between exactpower's game-v1 JSON (.json), Gambit's strategic "
    "form (.nfg) and Gambit's extensive form (.efg), chosen by the extensions.  "
    "Reading .efg needs a tree of Bayesian shape (chance moves first, then each "
    "player moving once, knowing only the chance outcome).  An existing output "
    "file is replaced only with --force."
)


def arguments(p) -> None:
    """IN, OUT, ``--nfg-form``, ``--strategic-form``, ``--force``."""
    p.add_argument("input", metavar="IN", help="the game to read (.json, .nfg or .efg)")
    p.add_argument("output", metavar="OUT", help="the file to write (.json, .nfg or .efg)")
    p.add_argument(
        "--nfg-form",
        choices=("outcome", "payoff"),
        default="outcome",
        help="form of an .nfg output: a list of outcomes (default, as Gambit "
        "writes) or the payoffs listed directly",
    )
    p.add_argument(
        "--strategic-form",
        action="store_true",
        help="write a Bayesian game with types to .nfg as its induced strategic "
        "form (strategies = maps type -> action; a different game)",
    )
    p.add_argument("--force", action="store_true", help="overwrite OUT if it exists")
    add_params(p)


def run(args) -> int:
    """Read IN, write OUT; print what was converted."""
    from ..io import FORMATS, game_format, load_game_file, save_game_file

    game = with_params(load_game_file(args.input, role="input"), args.param, args.input)
    out_format = game_format(args.output, "output")
    if os.path.abspath(args.output) == os.path.abspath(args.input):
        raise GameError(f"{args.output}: the output would overwrite the input")
    if os.path.exists(args.output) and not args.force:
        raise GameError(f"{args.output}: the file exists; give --force to overwrite it")
    save_game_file(
        game,
        args.output,
        nfg_form=args.nfg_form,
        strategic_form=args.strategic_form,
        overwrite=args.force,
    )
    if args.json:
        write_json(
            {
                "input": args.input,
                "output": args.output,
                "players": [p.name for p in game.players],
                "title": game.title,
            }
        )
    else:
        kinds = "x".join(f"{len(p.types)}t{len(p.actions)}a" for p in game.players)
        sys.stdout.write(
            f"{args.input} ({FORMATS[game_format(args.input)]}) -> "
            f"{args.output} ({FORMATS[out_format]}): "
            f"{game.n_players} players ({kinds})\n"
        )
    return 0
