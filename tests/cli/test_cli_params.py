"""``--param NAME=VALUE`` on every command that reads a GAME (issue 10, item 8)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cases import run_cli

ROOT = Path(__file__).resolve().parents[2]
PENNIES = str(ROOT / "examples" / "bayesian-pennies.json")
PENNIES_PROFILE = str(ROOT / "examples" / "bayesian-pennies-profile.json")
SCALED = str(ROOT / "examples" / "scaled-pennies.json")


def test_power_with_a_param_is_the_rational_game(capsys):
    code, out, err = run_cli(
        capsys, "power", PENNIES, "--profile", PENNIES_PROFILE, "--param", "q=1/4", "--json"
    )
    assert code == 0 and err == ""
    doc = json.loads(out)
    # row: type h (1/4) plays U, type l (3/4) mixes; col mixes; POWER is now a number
    assert doc["power"]["col"] == "5/8"  # (q + 1)/2 at q = 1/4
    assert doc["power"]["row"] == "1/2"  # Max(1 - 2q, 2q - 1) at q = 1/4
    assert doc["is_equilibrium"] in (True, False)
    code, out, _ = run_cli(capsys, "power", PENNIES, "--profile", PENNIES_PROFILE, "--json")
    assert json.loads(out)["is_equilibrium"] is None  # without --param: symbolic


def test_param_is_repeatable_and_read_exactly(capsys):
    code, out, err = run_cli(
        capsys, "power", SCALED, "--profile", "uniform", "--param", "x = 0.5", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["power"] == {"row": "0", "col": "0"}
    code, out, _ = run_cli(
        capsys,
        "power",
        SCALED,
        "--profile",
        str(ROOT / "examples" / "scaled-pennies-pure.json"),
        "--param",
        "x=-3/2",
        "--json",
    )
    assert json.loads(out)["power"] == {"row": "3/2", "col": "3/2"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--param", "q=2"], "--param: parameter 'q' (probability) must be in [0, 1], got 2"),
        (["--param", "z=1"], "--param: unknown parameter 'z' (declared: q)"),
        (["--param", "q"], "--param 'q': expected NAME=VALUE"),
        (["--param", "q=1/2", "--param", "q=1/3"], "--param q: given twice"),
        (["--param", "q=abc"], "--param: value of 'q'"),
    ],
)
def test_bad_params_are_one_line_errors(capsys, argv, message):
    code, out, err = run_cli(capsys, "power", PENNIES, "--profile", "uniform", *argv)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and message in err, err


def test_equilibria_on_a_symbolic_game_says_how_to_go_on(capsys):
    code, out, err = run_cli(capsys, "equilibria", PENNIES)
    assert code == 2 and err.count("\n") == 1
    assert "substitute numbers with --param NAME=VALUE, e.g. --param q=1/2" in err
    assert "parameters (q)" in err
    code, out, err = run_cli(capsys, "equilibria", PENNIES, "--param", "q=1/3", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["complete"] is True and doc["equilibria"]
    assert all(e["power_sum"] == "0" for e in doc["equilibria"])  # constant sum 0


def test_every_command_that_reads_a_game_takes_param(capsys, tmp_path):
    code, out, err = run_cli(capsys, "power-bounds", SCALED, "--param", "x=3", "--json")
    assert code == 0, err
    assert json.loads(out)["row"]["best_case"] == "3"
    code, _, err = run_cli(capsys, "power-bounds", SCALED)
    assert code == 2 and "--param NAME=VALUE" in err
    code, out, err = run_cli(
        capsys, "verify", PENNIES, "--profile", PENNIES_PROFILE, "--param", "q=1/2", "--json"
    )
    assert code == 0, err
    result = json.loads(out)["results"][0]
    assert result["checked"] is True and result["power_sum"] == "3/4"  # (q + 1)/2 + 0
    assert result["is_equilibrium"] is False  # a number now, not "depends on q"
    code, out, err = run_cli(
        capsys, "verify", PENNIES, "--equilibria", "--param", "q=1/3", "--json"
    )
    assert code == 0, err
    out_tex = tmp_path / "p.tex"
    code, out, err = run_cli(
        capsys,
        "latex",
        PENNIES,
        "--profile",
        PENNIES_PROFILE,
        "--param",
        "q=1/2",
        "-o",
        str(out_tex),
    )
    assert code == 0, err
    assert "\\documentclass" in out_tex.read_text()
    target = tmp_path / "sp.json"
    code, out, err = run_cli(capsys, "convert", SCALED, str(target), "--param", "x=7")
    assert code == 0, err
    text = target.read_text()
    assert '"parameters"' not in text and '"7"' in text and '"-7"' in text


def test_param_without_game_is_a_usage_error(capsys):
    code, _, err = run_cli(capsys, "verify", "--param", "q=1")
    assert code == 2 and "--param needs a GAME" in err
    code, _, err = run_cli(capsys, "latex", "--param", "q=1")
    assert code == 2 and "--param needs a GAME" in err
