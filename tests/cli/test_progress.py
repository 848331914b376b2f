"""Progress bars (issue 10, item 10): ``exhaust``, ``conjecture`` and ``equilibria`` draw one
on stderr when it is a terminal, and print nothing extra otherwise; stdout (``--json``)
never holds any of it."""

from __future__ import annotations

import importlib
import io
import json

import pytest

from exactpower.cli import main
from exactpower.small.runners import Progress

from cases import EXAMPLES

THREE_PLAYERS = str(EXAMPLES / "irrational-three-player.json")


class Terminal(io.StringIO):
    """A fake terminal: a text stream whose ``isatty()`` is true."""

    def isatty(self) -> bool:
        return True


def _terminal(monkeypatch) -> Terminal:
    """Make ``sys.stderr`` a fake terminal (in the test itself: pytest's capture replaces
    ``sys.stderr`` again when the test starts, after the fixtures)."""
    stream = Terminal()
    monkeypatch.setattr("sys.stderr", stream)
    return stream


@pytest.fixture
def no_delay(monkeypatch):
    monkeypatch.setattr(importlib.import_module("exactpower.cli.equilibria"), "PROGRESS_DELAY", 0.0)


CONJECTURE = ["conjecture", "identical-rewards", "--values", "0,1", "--json"]
EXHAUST = ["exhaust", "--values", "-1,0,1", "--grid", "1", "--json"]
EQUILIBRIA = ["equilibria", THREE_PLAYERS, "--json"]


@pytest.mark.parametrize("argv", [CONJECTURE, EXHAUST, EQUILIBRIA])
def test_no_progress_when_stderr_is_not_a_terminal(argv, capsys, no_delay):
    main(argv)
    out, err = capsys.readouterr()
    assert err == ""
    json.loads(out)  # stdout is the JSON document alone


def test_conjecture_draws_the_exhaust_bar_on_a_terminal(monkeypatch, capsys):
    terminal = _terminal(monkeypatch)
    assert main(CONJECTURE) == 1  # the every-equilibrium reading fails on this class
    out = capsys.readouterr().out
    assert json.loads(out)["games"] == 6
    drawn = terminal.getvalue()
    assert drawn.startswith("\r[") and drawn.endswith("\n")
    assert "1/1 units" in drawn and "6 games" in drawn and "ETA" in drawn
    assert "\r" not in out


def test_conjecture_bar_measures_a_limit(monkeypatch, capsys):
    terminal = _terminal(monkeypatch)
    main(CONJECTURE + ["--limit", "3"])
    assert json.loads(capsys.readouterr().out)["games"] == 3
    assert "[" + "#" * 30 + "]" in terminal.getvalue()  # 3 of 3 games: full


def test_exhaust_draws_its_bar_on_a_terminal(monkeypatch, capsys):
    terminal = _terminal(monkeypatch)
    assert main(EXHAUST) == 0
    json.loads(capsys.readouterr().out)
    assert "units" in terminal.getvalue() and "games/s" in terminal.getvalue()


def test_equilibria_reports_support_profiles_on_a_terminal(monkeypatch, capsys, no_delay):
    terminal = _terminal(monkeypatch)
    assert main(EQUILIBRIA) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["method"] == "polynomial" and len(doc["equilibria"]) == 1
    drawn = terminal.getvalue()
    assert drawn.startswith("\r[") and drawn.endswith("\n")
    assert "support profiles" in drawn and "ETA" in drawn
    last = drawn.rstrip("\n").split("\r")[-1]
    done, total = last.split("] ")[1].split(" ")[0].split("/")
    assert done == total and int(total) > 1


def test_equilibria_is_quiet_on_a_terminal_during_the_delay(monkeypatch, capsys):
    terminal = _terminal(monkeypatch)
    # The default delay (1 s) is longer than this run: a quick run draws nothing.
    module = importlib.import_module("exactpower.cli.equilibria")
    assert module.PROGRESS_DELAY >= 1.0
    assert main(["equilibria", str(EXAMPLES / "matching-pennies.json")]) == 0
    assert terminal.getvalue() == ""


def test_progress_callback_and_counts():
    stream = Terminal()
    bar = Progress(0, stream, what="support profiles", games=None)
    for done in range(1, 5):
        bar(done, 4)
    bar.close()
    assert (
        stream.getvalue()
        .rstrip("\n")
        .split("\r")[-1]
        .startswith("[" + "#" * 30 + "] 4/4 support profiles  ETA")
    )
    quiet = io.StringIO()
    bar = Progress(4, quiet)
    bar.update(10)
    bar.close()
    assert quiet.getvalue() == ""
