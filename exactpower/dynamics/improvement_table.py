"""The exhaustive run behind docs/conjectures.md's improvement table, as one function.

``exactpower conjecture improvement-lowers-power --all-classes`` runs :func:`run_table`:
:func:`~exactpower.dynamics.improvement.check_class` on every class of :data:`ROWS` and
prints :func:`markdown` -- the table of the docs, row for row.  Each row names its class by
the command-line options of ``conjecture improvement-lowers-power`` (``options``, which is
what the table shows; ``tests/dynamics/test_improvement_table.py`` checks that the options
build the same :class:`~exactpower.small.classes.GameClass` as ``kwargs``).  The two
``--types 2`` classes are cut at their first 300 orbits (``limit``, stated in the options).

A cell is ``steps raising ΣPOWER / steps checked (games with a counterexample)``, or
``**holds**: 0 / steps checked`` when no step of the reading raises ΣPOWER.

>>> print(cell({"holds": False, "steps_failing": 1234, "steps_checked": 5678,
...             "games_failing": 9}))
1,234 / 5,678 (9)
>>> print(cell({"holds": True, "steps_failing": 0, "steps_checked": 50, "games_failing": 0}))
**holds**: 0 / 50
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from ..small.classes import GameClass
from .improvement import READINGS, check_class

__all__ = ["Row", "ROWS", "HEADER", "cell", "table_line", "markdown", "run_row", "run_table"]


@dataclass(frozen=True)
class Row:
    """One class of the table: its options (as typed), the class, grid, limit, and the folder
    under ``examples/counterexamples/`` that keeps its counterexamples (or ``None``)."""

    options: str
    kwargs: dict = field(hash=False)
    grid: int = 2
    limit: int | None = None
    folder: str | None = None

    def game_class(self) -> GameClass:
        """The :class:`GameClass` of the row (two players)."""
        return GameClass(2, **self.kwargs)


_MP = {"values": (-1, 0, 1)}
_CS = {"values": (-1, 0, 1), "constraint": "constant-sum"}
_ORD = {"values": (1, 2, 3, 4), "reward_sets": "strict-ordinal"}

#: The classes of the table, in its order.
ROWS = (
    Row(
        "--actions 1..2 --values 0,1",
        {"actions": range(1, 3), "values": (0, 1)},
        2,
        None,
        "improvement",
    ),
    Row("--values 0,1", {"values": (0, 1)}, 2, None, "improvement-2x2"),
    Row("--values 0,1 --grid 1", {"values": (0, 1)}, 1),
    Row("--values -1,0,1", _MP),
    Row("--values -1,0,1 --grid 1", _MP, 1),
    Row("--values 1..4 --reward-sets strict-ordinal", _ORD),
    Row("--values 1..4 --reward-sets strict-ordinal --grid 1", _ORD, 1),
    Row(
        "--types 2 --values -1,0,1 --reward-form own-type --limit 300",
        {"types": 2, "values": (-1, 0, 1), "reward_form": "own-type"},
        2,
        300,
    ),
    Row("--values -1,0,1 --constraint constant-sum", _CS),
    Row(
        "--actions 1..2 --values -1,0,1 --constraint constant-sum --grid 1",
        dict(_CS, actions=range(1, 3)),
        1,
        None,
        "improvement-constant-sum",
    ),
    Row(
        "--types 2 --values -1,0,1 --constraint constant-sum --limit 300",
        dict(_CS, types=2),
        2,
        300,
    ),
)

#: The table's head: the class, the games, one column per reading.
HEADER = (
    "| class | games (orbits / raw) | (a) unilateral switch | (a′) unilateral best response "
    "| (b) best response | (c) fictitious play | (d) NashConv decrease |\n"
    "|---|---|---|---|---|---|---|"
)


def cell(reading: dict) -> str:
    """One reading's cell (see the module docstring)."""
    checked = f"{reading['steps_checked']:,}"
    if reading["holds"]:
        return f"**holds**: 0 / {checked}"
    return f"{reading['steps_failing']:,} / {checked} ({reading['games_failing']:,})"


def table_line(row: Row, summary: dict) -> str:
    """The markdown line of ``row``, from its :func:`check_class` summary."""
    cells = [f"`{row.options}`", f"{summary['games']:,} / {summary['games_covered']:,}"]
    cells += [cell(summary["readings"][r]) for r in READINGS]
    return "| " + " | ".join(cells) + " |"


def markdown(results) -> str:
    """The table: :data:`HEADER` and one line per ``(row, summary)`` of ``results``."""
    return "\n".join([HEADER, *(table_line(row, s) for row, s in results)]) + "\n"


def run_row(row: Row) -> dict:
    """:func:`check_class` on the row's class, with its grid and limit (3 fictitious-play
    steps)."""
    return check_class(row.game_class(), grid=row.grid, fp_steps=3, limit=row.limit)


def run_table(rows=None, progress=None) -> list:
    """``[(row, summary, seconds)]`` for every row of ``rows`` (default :data:`ROWS`);
    ``progress`` (a text stream, optional) gets one line per finished row."""
    out = []
    for row in ROWS if rows is None else rows:
        start = time.monotonic()
        summary = run_row(row)
        seconds = time.monotonic() - start
        out.append((row, summary, seconds))
        if progress is not None:
            progress.write(f"{row.options}: {summary['games']} games, {seconds:.1f} s\n")
            progress.flush()
    return out
