"""``exactpower dynamics``: JSON keys and values, text, bad input (exit 2, one line), --plot."""

from __future__ import annotations

import json

import pytest
import sympy

from tests.cases import EXAMPLES, one_line_error, run_cli
from tests.optional import require

MP = EXAMPLES / "matching-pennies.json"
MP_PURE = EXAMPLES / "matching-pennies-pure.json"
B23 = EXAMPLES / "dynamics" / "bayesian-2x3.json"


def test_json_keys_and_values(capsys):
    code, out, err = run_cli(
        capsys,
        "dynamics",
        MP,
        "--rule",
        "fictitious-play",
        "--steps",
        "3",
        "--profile",
        MP_PURE,
        "--json",
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    assert {"rule", "steps"} <= set(doc) and doc["rule"] == "fictitious-play"
    assert [s["step"] for s in doc["steps"]] == [0, 1, 2, 3]
    for s in doc["steps"]:
        assert set(s) == {"step", "profile", "power", "power_sum", "welfare", "nash_conv"}
        assert s["profile"]["format"] == "exactpower/profile-v1"
        assert all(isinstance(v, str) for v in s["power"].values())
        # ΣPOWER = welfare + NashConv, exactly, and equals the sum of the POWERs
        total = sympy.Rational(s["power_sum"])
        assert total == sympy.Rational(s["welfare"]) + sympy.Rational(s["nash_conv"])
        assert total == sum(sympy.Rational(v) for v in s["power"].values())
    assert doc["stopped"] is None


def test_replicator_json_says_why_it_stopped(capsys):
    code, out, _ = run_cli(
        capsys,
        "dynamics",
        B23,
        "--rule",
        "replicator",
        "--steps",
        "40",
        "--step",
        "1/10",
        "--json",
    )
    doc = json.loads(out)
    assert code == 0 and doc["step_size"] == "1/10"
    assert len(doc["steps"]) < 41 and "would exceed 4000 digits" in doc["stopped"]


def test_text_table(capsys):
    code, out, _ = run_cli(
        capsys, "dynamics", MP, "--rule", "best-response", "--steps", "2", "--profile", MP_PURE
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[1] == "rule: best-response"
    assert lines[2].split() == ["step", "ΣPOWER", "welfare", "NashConv", "POWER(row)", "POWER(col)"]
    assert lines[3].split() == ["0", "2", "0", "2", "1", "1"]
    assert len(lines) == 6


@pytest.mark.parametrize(
    "argv",
    [
        ["--rule", "replicator", "--steps", "3", "--step", "2"],
        ["--rule", "replicator", "--steps", "3", "--step", "0"],
        ["--rule", "replicator", "--steps", "3", "--step", "0.1e"],
        ["--rule", "replicator", "--steps", "3", "--step", "x"],
        ["--rule", "gradient", "--steps", "3"],
        ["--rule", "best-response", "--steps", "-1"],
        ["--rule", "best-response", "--steps", "200000"],
        ["--rule", "best-response"],
        ["--rule", "best-response", "--steps", "2", "--profile", "no-such-profile.json"],
    ],
)
def test_bad_input_is_one_line_exit_2(capsys, argv):
    code, out, err = run_cli(capsys, "dynamics", MP, *argv)
    assert code == 2 and out == ""
    one_line_error(err)


def test_bad_game_file(capsys):
    code, _, err = run_cli(
        capsys, "dynamics", "no-such.json", "--rule", "best-response", "--steps", "1"
    )
    assert code == 2 and "no-such.json" in err
    one_line_error(err)


def test_plot(capsys, tmp_path):
    require("matplotlib")
    png = tmp_path / "fp.png"
    code, _, _ = run_cli(
        capsys,
        "dynamics",
        MP,
        "--rule",
        "fictitious-play",
        "--steps",
        "20",
        "--profile",
        MP_PURE,
        "--plot",
        png,
    )
    assert code == 0 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
