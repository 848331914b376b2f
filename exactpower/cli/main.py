"""The command line: ``exactpower COMMAND ...`` (also ``python -m exactpower``).

Exit status: 0 success; 1 a check found a violation (commands that check);
2 bad input or usage, with one line on stderr,
``exactpower: error: <file>: <place>: <problem>`` -- never a traceback.
:func:`main` is the one place that turns an error into that line.

The commands are the modules of :data:`COMMANDS`, one per command, each with
``NAME``, ``HELP``, ``DESCRIPTION``, ``arguments(parser)`` and ``run(args) ->
int``; every command takes ``--json``.  The proof module is imported lazily,
inside the commands that use it.

>>> main(["power", "no-such-game.json", "--profile", "p.json"])
2
"""

from __future__ import annotations

import argparse
import sys

from .. import __version__
from ..errors import GameError
from . import (
    bounds,
    check,
    conjecture,
    convert,
    dynamics,
    equilibria,
    exhaust,
    gridworld,
    latex,
    mdp,
    power,
    shape,
    verify,
)
from .common import Parser, UsageError, one_line

__all__ = ["main", "build_parser", "COMMANDS"]

#: The commands, in the order ``exactpower --help`` lists them.
COMMANDS = (
    power,
    verify,
    check,
    shape,
    latex,
    equilibria,
    exhaust,
    convert,
    bounds,
    conjecture,
    dynamics,
    mdp,
    gridworld,
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command of :data:`COMMANDS`."""
    parser = Parser(
        prog="exactpower", description="Exact multi-agent POWER in finite Bayesian games."
    )
    parser.add_argument("--version", action="version", version=f"exactpower {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in COMMANDS:
        p = commands.add_parser(command.NAME, help=command.HELP, description=command.DESCRIPTION)
        command.arguments(p)
        p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
        p.set_defaults(func=command.run)
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit status (0, 1 or 2)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except SystemExit as e:  # --help, --version
        return e.code if isinstance(e.code, int) else 0
    except (UsageError, GameError) as e:
        message = str(e)
    except OSError as e:
        name = e.filename if e.filename is not None else "<file>"
        message = f"{name}: cannot read: {e.strerror or e}"
    except (RecursionError, MemoryError) as e:
        message = f"input too large or too deeply nested ({type(e).__name__})"
    sys.stderr.write(f"exactpower: error: {one_line(message)}\n")
    return 2
