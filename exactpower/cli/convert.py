"""``exactpower convert IN OUT [--nfg-form outcome|payoff] [--strategic-form] [--force] [--json]``.

Also ``exactpower convert --openspiel NAME OUT`` (or ``-o OUT``, with IN too).

Convert a game between game-v1 JSON (``.json``), Gambit's strategic form
(``.nfg``) and Gambit's extensive form (``.efg``), by the files' extensions
(:func:`exactpower.io.load_game_file`, :func:`exactpower.io.save_game_file`;
see :mod:`exactpower.io.gambit` for what each direction keeps).  A Bayesian
game with types is written to ``.nfg`` only with ``--strategic-form`` (its
induced strategic form, a different game).  An existing OUT is overwritten
only with ``--force``.  ``--json`` prints ``{"input", "output", "players",
"title"}``.

Game trees (:mod:`exactpower.cli.tree_input`: a tree-v1 ``.json``, an ``.efg`` not of
Bayesian shape, or ``--openspiel NAME``) are converted between Gambit ``.efg`` and tree-v1
``.json`` (:func:`exactpower.io.trees.write_tree`); ``--json`` then prints ``{"input",
"output", "players", "title", "nodes", "infosets"}``.  An ``.efg`` of Bayesian shape is read
as a one-shot game, as before.

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
from .common import UsageError, add_params, with_params, write_json
from .tree_input import add_tree_options, is_tree_input, read_tree_input, tree_name

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run"]

NAME = "convert"
HELP = "convert a game between game-v1 JSON and Gambit .nfg / .efg"
DESCRIPTION = (
    "Convert a game between exactpower's game-v1 JSON (.json), Gambit's strategic "
    "form (.nfg) and Gambit's extensive form (.efg), chosen by the extensions.  "
    "Reading .efg needs a tree of Bayesian shape (chance moves first, then each "
    "player moving once, knowing only the chance outcome).  An existing output "
    "file is replaced only with --force.  Game trees (tree-v1 .json, any other .efg, "
    "--openspiel NAME) are converted between .efg and tree-v1 .json."
)


def arguments(p) -> None:
    """IN, OUT, ``--nfg-form``, ``--strategic-form``, ``--force``."""
    p.add_argument("input", nargs="?", metavar="IN", help="the game to read (.json, .nfg or .efg)")
    p.add_argument(
        "output", nargs="?", metavar="OUT", help="the file to write (.json, .nfg or .efg)"
    )
    p.add_argument("-o", dest="output_option", metavar="OUT", help="the file to write (as OUT)")
    add_tree_options(p)
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


def _files(args) -> tuple:
    """``(IN or None, OUT)`` from the positionals, ``-o`` and ``--openspiel``."""
    given = [a for a in (args.input, args.output) if a is not None]
    if args.output_option is not None:
        given.append(args.output_option)
    wanted = 1 if args.openspiel is not None else 2
    if len(given) != wanted:
        what = "--openspiel NAME OUT" if wanted == 1 else "IN OUT"
        raise UsageError(f"convert: expected {what} (OUT may be given as -o OUT)")
    return (None, given[0]) if wanted == 1 else (given[0], given[1])


def _check_output(source, output: str, force: bool) -> None:
    if source is not None and os.path.abspath(output) == os.path.abspath(source):
        raise GameError(f"{output}: the output would overwrite the input")
    if os.path.exists(output) and not force:
        raise GameError(f"{output}: the file exists; give --force to overwrite it")


def _run_tree(args, source) -> int:
    from ..io.trees import TREE_FORMATS, write_tree

    game = read_tree_input(args, "convert")
    ext = os.path.splitext(args.output)[1].lower()
    if ext not in TREE_FORMATS:
        raise GameError(
            f"{args.output}: a game tree is written to .efg (Gambit) or .json (tree-v1), "
            f"not {ext or 'a file without extension'!r}"
        )
    _check_output(source, args.output, args.force)
    write_tree(game, args.output, overwrite=args.force)
    name = tree_name(args)
    if args.json:
        write_json(
            {
                "input": name,
                "output": args.output,
                "players": list(game.players),
                "title": game.title,
                "nodes": len(game.nodes),
                "infosets": len(game.infosets),
            }
        )
    else:
        sys.stdout.write(
            f"{name} (game tree) -> {args.output} ({TREE_FORMATS[ext]}): {game.n_players} "
            f"players, {len(game.nodes)} nodes, {len(game.infosets)} information sets\n"
        )
    return 0


def run(args) -> int:
    """Read IN, write OUT; print what was converted."""
    from ..io import FORMATS, game_format, load_game_file, save_game_file

    args.input, args.output = _files(args)
    args.game = args.input  # the name tree_input reads
    if is_tree_input(args):
        return _run_tree(args, args.input)
    if args.openspiel_param:
        raise UsageError("convert: --openspiel-param needs --openspiel NAME")
    game = with_params(load_game_file(args.input, role="input"), args.param, args.input)
    out_format = game_format(args.output, "output")
    _check_output(args.input, args.output, args.force)
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
