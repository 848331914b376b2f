"""The docs show what the tool prints (issue 10, item 11): the console transcripts of
docs/equilibria.md and docs/power-bounds.md are run and compared whole, and the games they
name are shipped in examples/."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from exactpower.cli import main

ROOT = Path(__file__).resolve().parents[2]
DOCS = ("equilibria.md", "power-bounds.md")


def transcripts(name: str) -> list:
    text = (ROOT / "docs" / name).read_text(encoding="utf-8")
    return re.findall(r"```console\n\$ (.*?)\n(.*?)```", text, re.S)


@pytest.mark.parametrize("name", DOCS)
def test_console_transcripts_are_the_real_output(name, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    blocks = transcripts(name)
    assert blocks, name
    for command, expected in blocks:
        argv = shlex.split(command)
        assert argv[0] == "exactpower"
        for arg in argv[1:]:
            if arg.endswith(".json"):
                assert (ROOT / arg).is_file(), f"{name}: {arg} is not shipped"
        assert main(argv[1:]) == 0
        assert capsys.readouterr().out.rstrip() == expected.rstrip(), command
        assert "..." not in expected, f"{name}: abridged output must say so"


def test_the_stale_notes_are_gone():
    proofs = (ROOT / "docs" / "proofs.md").read_text(encoding="utf-8")
    conjectures = (ROOT / "docs" / "conjectures.md").read_text(encoding="utf-8")
    assert "## Not yet" not in proofs
    assert "not made" not in conjectures
    assert (ROOT / "docs" / "question-b.png").is_file()  # the plot conjectures.md shows
