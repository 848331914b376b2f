"""``exactpower prove-shape SHAPE [--general-sum] [--json] [--trace-out FILE]``.

The power-scarcity theorem for every game of one shape at once, all data
symbolic (:func:`proofs.shape_theorem`, checked by
:func:`proofs.check_shape`).  ``SHAPE`` is ``NxTxA``: players x types x
actions, each of the last two either one count for every player or a
comma-separated list with one count per player (``3x2,1,1x2``).  With
``--general-sum`` the identity ``Σ_i POWER = W + NashConv`` is proved for
every game of the shape instead.

Exit 0 when the kernel checks the trace, 1 when it rejects it (its message on
stderr), 2 on a bad shape or one over the size limit (one line on stderr).
The proof module is imported lazily, inside the command.

>>> parse_shape("3x2,1,1x2")
(3, [2, 1, 1], 2)
>>> parse_shape("2x")
Traceback (most recent call last):
...
exactpower.errors.GameStructureError: prove-shape: shape '2x': expected NxTxA (players x types x actions, e.g. 2x2x2 or 3x2,1,1x2)
"""

from __future__ import annotations

import re
import sys
import time

from ..errors import GameError, GameStructureError, LimitError
from .common import write_json, write_text

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "parse_shape", "prove_shape_report"]

NAME = "prove-shape"
HELP = "prove the theorem for every game of a shape, all data symbolic"
DESCRIPTION = (
    "Prove the power-scarcity theorem (Σ_i POWER ≥ c, equality iff BNE) for every "
    "constant-sum game of a shape at once -- every payoff, prior and strategy "
    "probability a symbol -- and check the proof with the shape kernel.  SHAPE is "
    "NxTxA (players x types x actions), e.g. 2x2x2, with per-player lists such as "
    "3x2,1,1x2.  Exit 0 checked, 1 rejected, 2 bad or too large shape."
)

_COUNT = re.compile(r"[0-9]+")
_USAGE = "expected NxTxA (players x types x actions, e.g. 2x2x2 or 3x2,1,1x2)"


def _count(text: str, shape: str, what: str) -> int:
    if not _COUNT.fullmatch(text):
        raise GameStructureError(
            f"prove-shape: shape {shape!r}: {what} {text!r} is not a count; {_USAGE}"
        )
    if len(text) > 9:
        raise LimitError(f"prove-shape: shape {shape!r}: {what} {text} is too large")
    value = int(text)
    if value < 1:
        raise GameStructureError(
            f"prove-shape: shape {shape!r}: {what} must be at least 1, not {value}"
        )
    return value


def parse_shape(text: str):
    """``NxTxA`` as ``(players, types, actions)``: an int, or a list with one count per player.

    Raises :class:`exactpower.GameStructureError` (or ``LimitError`` for an
    absurdly long number) naming the shape and the problem.
    """
    parts = text.strip().split("x")
    if len(parts) != 3 or not all(parts):
        raise GameStructureError(f"prove-shape: shape {text!r}: {_USAGE}")
    players = _count(parts[0], text, "the number of players")
    out: list[int | list[int]] = []
    for part, what in zip(parts[1:], ("types", "actions")):
        counts = [_count(c, text, f"a number of {what}") for c in part.split(",")]
        if len(counts) != 1 and len(counts) != players:
            raise GameStructureError(
                f"prove-shape: shape {text!r}: {len(counts)} counts of {what} for {players} players"
            )
        out.append(counts[0] if len(counts) == 1 else counts)
    return players, out[0], out[1]


def prove_shape_report(trace, verdict, build: float, check: float) -> dict:
    """The JSON document of ``exactpower prove-shape``.

    Keys ``shape``, ``players``, ``types``, ``actions``, ``theorem``,
    ``statement``, ``equality_statement``, ``symbols`` (the total) and
    ``symbol_counts``, ``hypotheses``, ``steps`` [{``index``, ``rule``,
    ``relation``, ``rhs``, ``uses``, ``checked``, ``terms``}], ``equality``
    {``rule``, ``statement``, ``uses``, ``checked``, ``terms``}, ``checked``, ``message``,
    ``seconds`` (building and checking), ``build_seconds``, ``check_seconds``.
    A step's ``checked`` is ``true`` when the kernel accepted it, ``false`` for
    the step it rejected, ``null`` when it was not reached.
    """

    def state(index):  # index None: the equality record
        if verdict.ok:
            return True
        if verdict.step is not None:
            return (
                None
                if index is None
                else (True if index < verdict.step else (False if index == verdict.step else None))
            )
        if verdict.rule == trace.equality.rule:  # every step passed, the equality failed
            return index is not None
        return None  # rejected before the steps (structure)

    counts = trace.counts
    return {
        "shape": trace.shape,
        "players": trace.players,
        "types": list(trace.types),
        "actions": list(trace.actions),
        "theorem": trace.theorem,
        "statement": trace.conclusion,
        "equality_statement": trace.equality.statement,
        "symbols": counts["total"],
        "symbol_counts": counts,
        "hypotheses": [h.name for h in trace.hypotheses],
        "steps": [
            {
                "index": s.index,
                "rule": s.rule,
                "relation": s.relation,
                "rhs": s.rhs,
                "uses": list(s.uses),
                "checked": state(s.index),
                "terms": s.terms,
            }
            for s in trace.steps
        ],
        "equality": {
            "rule": trace.equality.rule,
            "statement": trace.equality.statement,
            "uses": list(trace.equality.uses),
            "checked": state(None),
            "terms": trace.equality.terms,
        },
        "checked": verdict.ok,
        "message": " ".join(verdict.message.split()),
        "seconds": round(build + check, 4),
        "build_seconds": round(build, 4),
        "check_seconds": round(check, 4),
    }


_YES = {True: "yes", False: "REJECTED", None: "-"}


def _text(report: dict) -> str:
    c = report["symbol_counts"]
    kind = "constant-sum game" if report["theorem"] == "power-scarcity" else "game"
    lines = [
        f"shape {report['shape']}: {report['players']} players, types "
        f"{report['types']}, actions {report['actions']}",
        f"theorem {report['theorem']}, for every {kind} of this shape and every profile σ:",
        f"  {report['statement']};  {report['equality_statement']}",
        f"symbols: {report['symbols']} (payoffs {c['payoffs']}, prior {c['prior']}, "
        f"strategies {c['strategies']}, maxima {c['maxima']}, constant {c['constant']})",
        "hypotheses: " + ", ".join(report["hypotheses"]),
        "",
        "steps  (terms = monomials of the right side's normal form)",
    ]
    rows = [["#", "rule", "relation and right side", "uses", "terms", "checked"]]
    rows += [
        [
            f"{s['index']}.",
            s["rule"],
            f"{s['relation']} {s['rhs']}",
            ", ".join(s["uses"]) or "-",
            str(s["terms"]),
            _YES[s["checked"]],
        ]
        for s in report["steps"]
    ]
    eq = report["equality"]
    rows.append(
        [
            "eq.",
            eq["rule"],
            eq["statement"],
            ", ".join(eq["uses"]),
            str(eq["terms"]),
            _YES[eq["checked"]],
        ]
    )
    widths = [max(len(r[k]) for r in rows) for k in range(len(rows[0]))]
    for r in rows:
        cells = [x.rjust(w) if k == 4 else x.ljust(w) for k, (x, w) in enumerate(zip(r, widths))]
        lines.append("  " + "  ".join(cells).rstrip())
    lines += [
        "",
        f"checked by the kernel: {'yes' if report['checked'] else 'no'}  "
        f"(build {report['build_seconds']:.3f} s, check {report['check_seconds']:.3f} s, "
        f"total {report['seconds']:.3f} s)",
    ]
    return "\n".join(lines) + "\n"


def run(args) -> int:
    """Build, check and print the shape trace."""
    from proofs.kernel import check_shape
    from proofs.shape import shape_theorem

    players, types, actions = parse_shape(args.shape)
    start = time.perf_counter()
    try:
        trace = shape_theorem(players, types, actions, constant_sum=not args.general_sum)
    except GameError as exc:  # "shape ...: problem" -> name the shape as given
        problem = str(exc).split(": ", 1)[-1]
        raise type(exc)(f"prove-shape: shape {args.shape!r}: {problem}") from None
    built = time.perf_counter()
    verdict = check_shape(trace)
    done = time.perf_counter()
    if args.trace_out:
        write_text(args.trace_out, trace.to_json())
    report = prove_shape_report(trace, verdict, built - start, done - built)
    if args.json:
        write_json(report)
    else:
        sys.stdout.write(_text(report))
    if not verdict.ok:
        sys.stderr.write(
            f"exactpower: prove-shape: rejected by the kernel: "
            f"{' '.join(verdict.message.split())}\n"
        )
        return 1
    return 0


def arguments(p) -> None:
    """SHAPE, ``--general-sum``, ``--trace-out``."""
    p.add_argument("shape", metavar="SHAPE", help="NxTxA, e.g. 2x2x2 or 3x2,1,1x2")
    p.add_argument(
        "--general-sum",
        action="store_true",
        help="prove the general-sum identity Σ POWER = W + NashConv instead",
    )
    p.add_argument("--trace-out", metavar="FILE", help="write the shape trace as JSON to FILE")
