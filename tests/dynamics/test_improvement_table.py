"""``conjecture improvement-lowers-power --all-classes``: the table of docs/conjectures.md is
what the command prints.  The fast rows are rerun here and compared with the docs line for
line; every row's options build the class it runs; the command is run on a few rows."""

from __future__ import annotations

import json
import shlex

import pytest

from exactpower.cli.common import class_from_args
from exactpower.cli.main import build_parser
from exactpower.dynamics import improvement_table as it
from tests.cases import EXAMPLES, one_line_error, run_cli

DOCS = EXAMPLES.parent / "docs" / "conjectures.md"
#: Rows that take about a second or less (the others take up to a minute).
FAST = [0, 1, 2, 5, 6, 8, 9]


def docs_table() -> list:
    """The lines of the improvement table in the docs (header included)."""
    text = DOCS.read_text(encoding="utf-8")
    section = text.split("## Does improvement lower POWER?")[1]
    start = section.index(it.HEADER)
    lines = section[start:].splitlines()
    end = next(k for k, line in enumerate(lines) if not line.startswith("|"))
    return lines[:end]


def test_docs_table_has_every_row_in_order():
    lines = docs_table()
    assert "\n".join(lines[:2]) == it.HEADER
    assert len(lines) == 2 + len(it.ROWS)
    for row, line in zip(it.ROWS, lines[2:]):
        assert line.startswith(f"| `{row.options}` | ")


@pytest.mark.parametrize("index", FAST)
def test_fast_rows_match_the_docs(index):
    row = it.ROWS[index]
    summary = it.run_row(row)
    assert summary["complete"] is (row.limit is None)
    line = it.table_line(row, summary)
    assert line == docs_table()[2 + index]
    # the cells are the summary's counts (a wrong join would show here)
    for reading in summary["readings"].values():
        assert isinstance(reading["steps_checked"], int)
        assert f"/ {reading['steps_checked']:,}" in line


@pytest.mark.parametrize("row", it.ROWS, ids=[r.options for r in it.ROWS])
def test_row_options_build_the_row_class(row):
    args = build_parser().parse_args(
        ["conjecture", "improvement-lowers-power", *shlex.split(row.options)]
    )
    cls = class_from_args(args, constraint=args.constraint or "free", reward_sets=args.reward_sets)
    assert cls == row.game_class()
    assert (args.grid, args.limit, args.fp_steps) == (row.grid, row.limit, 3)


def test_all_classes_command(capsys, monkeypatch, tmp_path):
    # The command on the three rows that keep counterexample files (each well under 1 s).
    indices = [k for k, r in enumerate(it.ROWS) if r.folder]
    rows = tuple(it.ROWS[k] for k in indices)
    monkeypatch.setattr(it, "ROWS", rows)
    data = tmp_path / "summary.json"
    code, out, err = run_cli(
        capsys,
        "conjecture",
        "improvement-lowers-power",
        "--all-classes",
        "-o",
        tmp_path,
        "--data",
        data,
    )
    assert code == 1  # readings fail
    assert out.splitlines() == docs_table()[:2] + [docs_table()[2 + k] for k in indices]
    assert "total:" in err
    doc = json.loads(data.read_text(encoding="utf-8"))
    assert doc["table"] == out and [r["options"] for r in doc["rows"]] == [r.options for r in rows]
    for row in rows:  # the counterexample files are the committed ones
        written = sorted(p.name for p in (tmp_path / row.folder).iterdir())
        committed = EXAMPLES / "counterexamples" / row.folder
        assert written == sorted(p.name for p in committed.glob("improvement-*.json"))
        for name in written:
            assert (tmp_path / row.folder / name).read_text() == (committed / name).read_text()


@pytest.mark.parametrize("extra", [["--values", "0,1"], ["--grid", "1"], ["--limit", "5"]])
def test_all_classes_refuses_class_options(capsys, extra):
    code, _, err = run_cli(
        capsys, "conjecture", "improvement-lowers-power", "--all-classes", *extra
    )
    assert code == 2
    one_line_error(err)
