"""The command line (SPEC §5): ``exactpower power``, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
import sympy

from exactpower import (
    interim_utilities,
    is_bayesian_nash,
    nash_conv,
    power,
    power_sum,
    regrets,
    welfare,
)
from exactpower.cli import main
from exactpower.io import load_game, load_profile

from cases import BAD, BAD_CASES, DATA

ROOT = pathlib.Path(__file__).resolve().parents[2]
KEYS = [
    "players",
    "power",
    "power_sum",
    "welfare",
    "interim",
    "regret",
    "nash_conv",
    "is_equilibrium",
    "constant_sum",
]
PAIRS = [
    ("pennies.json", "pennies_profile.json"),
    ("symbolic.json", "symbolic_profile.json"),
    ("type_dependent.json", "type_dependent_profile.json"),
]


def run_json(capsys, game, profile):
    assert main(["power", str(game), "--profile", str(profile), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def s(value):
    return None if value is None else str(value)


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_power_json_matches_the_api(capsys, game_name, profile_name):
    game = load_game(DATA / game_name)
    profile = load_profile(DATA / profile_name, game)
    out = run_json(capsys, DATA / game_name, DATA / profile_name)
    assert list(out) == KEYS
    assert out["players"] == [p.name for p in game.players]
    for p in game.players:
        assert out["power"][p.name] == str(power(game, profile, p.name))
        assert out["regret"][p.name] == {t: s(v) for t, v in regrets(game, profile, p.name).items()}
        table = interim_utilities(game, profile, p.name)
        assert out["interim"][p.name] == {
            t: (dict.fromkeys(p.actions) if row is None else {a: str(v) for a, v in row.items()})
            for t, row in table.items()
        }
    assert out["power_sum"] == str(power_sum(game, profile))
    assert out["welfare"] == str(welfare(game, profile))
    assert out["nash_conv"] == str(nash_conv(game, profile))
    assert out["constant_sum"] == "0"
    if game.is_symbolic:
        assert out["is_equilibrium"] is None
    else:
        assert out["is_equilibrium"] is is_bayesian_nash(game, profile)


def test_power_values(capsys):
    out = run_json(capsys, DATA / "pennies.json", DATA / "pennies_profile.json")
    # row: type h is indifferent against col's 1/2-1/2; type l (2/3) gets 1/2 whatever it does.
    # col: L gets 1/3 * (-1) + 2/3 * (-1/2), R gets 1/3 * 1 + 2/3 * (-1/2).
    assert out["power"] == {"row": "1/3", "col": "0"}
    assert out["power_sum"] == "1/3" and out["welfare"] == "0" and out["nash_conv"] == "1/3"
    assert out["is_equilibrium"] is False
    assert out["interim"]["col"]["-"] == {"L": "-2/3", "R": "0"}
    assert out["interim"]["row"]["h"] == {"U": "0", "D": "0"}
    assert out["regret"] == {"row": {"h": "0", "l": "0"}, "col": {"-": "1/3"}}


def test_zero_probability_type_and_not_constant_sum(tmp_path, capsys):
    game = tmp_path / "g.json"
    game.write_text(
        json.dumps(
            {
                "format": "exactpower/game-v1",
                "players": [
                    {"name": "a", "types": ["x", "never"], "actions": ["0", "1"]},
                    {"name": "b", "actions": ["0"]},
                ],
                "prior": {"joint": [[["x", "-"], 1]]},
                "rewards": [
                    {"types": ["x", "-"], "actions": ["0", "*"], "values": [1, 1]},
                    {"types": ["x", "-"], "actions": ["1", "*"], "values": [3, 0]},
                ],
            }
        )
    )
    profile = tmp_path / "p.json"
    profile.write_text(
        '{"format": "exactpower/profile-v1", '
        '"strategies": {"a": {"x": "1", "never": "0"}, "b": "0"}}'
    )
    # a's type x plays its best action 1 (3 > 1); type "never" has probability 0
    out = run_json(capsys, game, profile)
    assert out["interim"]["a"]["never"] == {"0": None, "1": None}
    assert out["regret"]["a"] == {"x": "0", "never": None}
    assert out["constant_sum"] is None and out["is_equilibrium"] is True
    assert main(["power", str(game), "--profile", str(profile)]) == 0
    text = capsys.readouterr().out
    assert "not constant-sum" in text and "BNE           yes" in text


def test_power_text(capsys):
    assert (
        main(["power", str(DATA / "pennies.json"), "--profile", str(DATA / "pennies_profile.json")])
        == 0
    )
    out, err = capsys.readouterr()
    assert err == ""
    for needle in (
        "POWER row",
        "POWER col",
        "sum of POWER  1/3",
        "welfare",
        "NashConv",
        "BNE           no",
        "constant sum  0",
        "0*",
    ):
        assert needle in out, needle
    assert (
        main(
            ["power", str(DATA / "symbolic.json"), "--profile", str(DATA / "symbolic_profile.json")]
        )
        == 0
    )
    assert "undecided" in capsys.readouterr().out


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_input_exit_2_one_line(capsys, name):
    path = BAD / name
    if name.startswith("profile_"):
        argv = ["power", str(DATA / "pennies.json"), "--profile", str(path)]
    else:
        argv = ["power", str(path), "--profile", str(DATA / "pennies_profile.json")]
    assert main(argv) == 2
    out, err = capsys.readouterr()
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith(f"exactpower: error: {path}: {BAD_CASES[name][1]}: "), lines[0]


@pytest.mark.parametrize(
    "argv, needle",
    [
        ([], "COMMAND"),
        (["nonsense"], "invalid choice"),
        (["power"], "GAME"),
        (["power", "g.json"], "--profile"),
        (["power", "g.json", "--profile", "p.json", "--bogus"], "--bogus"),
    ],
)
def test_usage_errors(capsys, argv, needle):
    assert main(argv) == 2
    _out, err = capsys.readouterr()
    assert len(err.splitlines()) == 1 and err.startswith("exactpower: error: ") and needle in err


def test_missing_file(capsys, tmp_path):
    missing = tmp_path / "missing.json"
    assert main(["power", str(missing), "--profile", str(DATA / "pennies_profile.json")]) == 2
    err = capsys.readouterr().err
    assert err == f"exactpower: error: {missing}: cannot read: No such file or directory\n"
    assert main(["power", str(DATA / "pennies.json"), "--profile", str(tmp_path)]) == 2
    assert len(capsys.readouterr().err.splitlines()) == 1


def test_help_and_version(capsys):
    assert main(["--help"]) == 0
    assert "power" in capsys.readouterr().out
    assert main(["power", "--help"]) == 0
    assert "--profile" in capsys.readouterr().out
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("exactpower ")


def test_examples_run(capsys):
    """Every example game with a profile of the same stem prefix runs."""
    examples = ROOT / "examples"
    ran = 0
    for game_path in sorted(examples.glob("*.json")):
        if (
            "profile" in game_path.name
            or json.loads(game_path.read_text())["format"] != "exactpower/game-v1"
        ):
            continue
        for prof in sorted(examples.glob(game_path.stem + "-*.json")):
            if json.loads(prof.read_text())["format"] != "exactpower/profile-v1":
                continue
            assert main(["power", str(game_path), "--profile", str(prof), "--json"]) == 0
            assert list(json.loads(capsys.readouterr().out)) == KEYS
            ran += 1
    if not ran:
        pytest.skip("no example game with a profile yet")


# -- as a subprocess -----------------------------------------------------------------


def run(*args, cwd=ROOT):
    env = dict(os.environ, PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run(
        [sys.executable, "-m", "exactpower", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        timeout=120,
    )


def test_subprocess_success():
    result = run(
        "power",
        "tests/data/type_dependent.json",
        "--profile",
        "tests/data/type_dependent_profile.json",
        "--json",
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["constant_sum"] == "0" and out["power_sum"] == "3/2"
    assert out["welfare"] == "0" and out["nash_conv"] == "3/2"
    assert sympy.Rational(out["power_sum"]) - sympy.Rational(out["welfare"]) == sympy.Rational(
        out["nash_conv"]
    )


@pytest.mark.parametrize(
    "args",
    [
        ("power", "tests/data/bad/runs_code.json", "--profile", "tests/data/pennies_profile.json"),
        (
            "power",
            "tests/data/bad/malformed_json.json",
            "--profile",
            "tests/data/pennies_profile.json",
        ),
        ("power", "tests/data/pennies.json", "--profile", "tests/data/bad/profile_sum.json"),
        ("power", "no/such/file.json", "--profile", "tests/data/pennies_profile.json"),
        ("power",),
        (),
    ],
)
def test_subprocess_errors(args):
    result = run(*args)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert len(result.stderr.splitlines()) == 1, result.stderr
    assert result.stderr.startswith("exactpower: error: ")
    assert result.stdout == ""
    assert not pathlib.Path("/tmp/pwned_exactpower").exists()
