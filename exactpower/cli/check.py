"""``exactpower check TRACE [--json]``.

Re-check a stored trace with the kernel: exit 0 valid, 1 rejected (the
kernel's message on stderr), 2 unreadable (a game file given for a trace is
named as such).  The proof module is imported inside the command.

>>> from exactpower.cli import main
>>> main(["check", "no-such-trace.json"])
2
"""

from __future__ import annotations

import sys

from ..errors import GameError
from .common import one_line, write_json

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run"]

NAME = "check"
HELP = "re-check a stored trace with the proof kernel"
DESCRIPTION = ("Re-check a stored trace (exactpower/trace-v1 JSON) with the proof kernel: "
               "exit 0 valid, 1 rejected (the kernel's message on stderr), 2 unreadable.")


def arguments(p) -> None:
    """TRACE."""
    p.add_argument("trace", metavar="TRACE", help="trace file (exactpower/trace-v1 JSON)")


def _read(path: str):
    from proofs import Trace

    try:
        with open(path, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GameError(f"{path}: not a trace: not UTF-8 text") from None
    try:
        return Trace.from_json(text)
    except GameError as exc:
        raise GameError(f"{path}: {exc}") from None
    except Exception as exc:  # anything else unreadable: exit 2, never a traceback
        raise GameError(f"{path}: not a trace ({type(exc).__name__}: {exc})") from None


def run(args) -> int:
    """Check TRACE; print the verdict."""
    from proofs import check

    trace = _read(args.trace)
    verdict = check(trace)
    message = one_line(verdict.message)
    if args.json:
        write_json({"valid": verdict.ok, "theorem": trace.theorem, "message": message,
                    "step": verdict.step, "rule": verdict.rule})
    elif verdict.ok:
        sys.stdout.write(message + "\n")
    if not verdict.ok:
        sys.stderr.write(f"exactpower: check: {args.trace}: rejected: {message}\n")
        return 1
    return 0
