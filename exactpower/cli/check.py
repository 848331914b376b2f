"""``exactpower check TRACE [--json]``.

Re-check a stored trace -- a game trace (``exactpower/trace-v1``) or a shape
trace written by ``prove-shape`` -- with the kernel: exit 0 valid, 1 rejected
(the kernel's message on stderr), 2 unreadable (the reader's message names the
place; a game file given for a trace is named as such), 3 an error inside the
checker itself (a bug, reported as such, never counted as a rejection).  The proof module is imported inside the command.

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
DESCRIPTION = (
    "Re-check a stored trace (a game trace or a shape trace) with the proof "
    "kernel: exit 0 valid, 1 rejected (the kernel's message on stderr), "
    "2 unreadable, 3 an error inside the checker (a bug)."
)


def arguments(p) -> None:
    """TRACE."""
    p.add_argument(
        "trace",
        metavar="TRACE",
        help="trace file (exactpower/trace-v1, exactpower/shape-trace-v1 or "
        "exactpower/tree-trace-v1 JSON, exactpower/stochastic-trace-v1)",
    )


def run(args) -> int:
    """Check TRACE (a game trace or a shape trace); print the verdict."""
    from proofs import load_trace
    from proofs.kernel import check, check_shape
    from proofs.kernel.tree import check_tree
    from proofs.shape import ShapeTrace
    from proofs.tree_trace import TreeTrace

    try:
        trace = load_trace(args.trace)
    except OSError as exc:
        raise GameError(f"{args.trace}: cannot read the file ({exc.strerror or exc})") from None
    if isinstance(trace, TreeTrace):  # a game tree's trace (exactpower/tree-trace-v1)
        verdict = check_tree(trace)
    elif type(trace).__name__ == "StochasticTrace":  # exactpower/stochastic-trace-v1
        from proofs.kernel.stochastic import check_stochastic

        verdict = check_stochastic(trace)
    else:
        verdict = check_shape(trace) if isinstance(trace, ShapeTrace) else check(trace)
    message = one_line(verdict.message)
    status = verdict.status
    if args.json:
        write_json(
            {
                "valid": verdict.ok,
                "status": status,
                "theorem": trace.theorem,
                "message": message,
                "step": verdict.step,
                "rule": verdict.rule,
            }
        )
    elif verdict.ok:
        sys.stdout.write(message + "\n")
    if status == "error":
        sys.stderr.write(
            f"exactpower: check: {args.trace}: error inside the checker (a bug, "
            f"not a verdict on the trace): {message}\n"
        )
        return 3
    if not verdict.ok:
        sys.stderr.write(f"exactpower: check: {args.trace}: rejected: {message}\n")
        return 1
    return 0
