"""What every command reads: GAME by its extension (.json, .nfg, .efg), PROFILE as a file or
the word ``uniform``; and ``convert``, which refuses to overwrite without ``--force``."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import sympy

from exactpower import StrategyProfile, power
from exactpower.cli import main
from exactpower.errors import GameError
from exactpower.io import load_game, load_game_file, save_game_file

from cases import run_cli

EX = Path(__file__).resolve().parents[2] / "examples"


def run_json(capsys, *argv):
    code, out, err = run_cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


@pytest.fixture
def gambit_files(tmp_path, capsys):
    """matching pennies as .nfg and poker as .efg, written by ``exactpower convert``."""
    nfg, efg = tmp_path / "mp.nfg", tmp_path / "poker.efg"
    assert main(["convert", str(EX / "matching-pennies.json"), str(nfg)]) == 0
    assert main(["convert", str(EX / "poker.json"), str(efg)]) == 0
    capsys.readouterr()
    return {"matching-pennies": nfg, "poker": efg}


@pytest.mark.parametrize(
    "name, profile",
    [
        ("matching-pennies", "matching-pennies-pure"),
        ("poker", "poker-equilibrium"),
        ("poker", "poker-honest"),
    ],
)
def test_power_reads_gambit_files(capsys, gambit_files, name, profile):
    from_json = run_json(
        capsys, "power", str(EX / f"{name}.json"), "--profile", str(EX / f"{profile}.json")
    )
    from_gambit = run_json(
        capsys, "power", str(gambit_files[name]), "--profile", str(EX / f"{profile}.json")
    )
    assert from_gambit["power"] == from_json["power"]
    assert from_gambit == from_json


@pytest.mark.parametrize(
    "name, profile",
    [("matching-pennies", "matching-pennies-uniform"), ("poker", "poker-equilibrium")],
)
def test_verify_reads_gambit_files(capsys, gambit_files, name, profile):
    docs = [
        run_json(capsys, "verify", str(path), "--profile", str(EX / f"{profile}.json"))
        for path in (EX / f"{name}.json", gambit_files[name])
    ]
    assert docs[0]["results"][0]["power_sum"] == docs[1]["results"][0]["power_sum"]
    assert docs[1]["results"][0]["checked"] is True
    assert docs[0]["results"][0]["steps"] == docs[1]["results"][0]["steps"]


@pytest.mark.parametrize("name", ["matching-pennies", "poker"])
def test_equilibria_reads_gambit_files(capsys, gambit_files, name):
    docs = [
        run_json(capsys, "equilibria", str(path))
        for path in (EX / f"{name}.json", gambit_files[name])
    ]
    assert [e["power"] for e in docs[0]["equilibria"]] == [
        e["power"] for e in docs[1]["equilibria"]
    ]
    assert docs[1]["equilibria"], "every finite game has an equilibrium"


def test_latex_and_bounds_read_gambit_files(capsys, gambit_files):
    code, out, err = run_cli(
        capsys, "latex", str(gambit_files["poker"]), "--profile", str(EX / "poker-equilibrium.json")
    )
    assert code == 0 and out.startswith("\\documentclass"), err
    doc = run_json(capsys, "power-bounds", str(gambit_files["poker"]))
    assert doc["dealer"]["worst_case"] == "1/3"


@pytest.mark.parametrize(
    "command", [["power"], ["verify"], ["latex"], ["equilibria"], ["power-bounds"]]
)
def test_unknown_extension_is_one_line_naming_the_file(capsys, tmp_path, command):
    path = tmp_path / "game.txt"
    path.write_text((EX / "matching-pennies.json").read_text())
    argv = [*command, str(path)] + (
        [] if command[0] in ("equilibria", "power-bounds") else ["--profile", "uniform"]
    )
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    assert err.startswith("exactpower: error: ") and err.count("\n") == 1
    assert str(path) in err and "'.txt'" in err


def test_load_game_file_by_extension(tmp_path):
    game = load_game(EX / "poker.json")
    for ext in (".json", ".efg"):
        path = tmp_path / f"poker{ext}"
        save_game_file(game, path)
        assert load_game_file(path).players == game.players
    with pytest.raises(GameError, match=r"poker\.gbt"):
        load_game_file(tmp_path / "poker.gbt")


# -- --profile uniform -------------------------------------------------------------------


@pytest.mark.parametrize("name", ["matching-pennies", "poker", "odd-one-out", "bayesian-pennies"])
def test_power_profile_uniform(capsys, name):
    game = load_game(EX / f"{name}.json")
    uniform = StrategyProfile.uniform(game)
    doc = run_json(capsys, "power", str(EX / f"{name}.json"), "--profile", "uniform")
    assert doc["power"] == {p.name: str(power(game, uniform, p.name)) for p in game.players}
    code, out, _ = run_cli(capsys, "power", str(EX / f"{name}.json"), "--profile", "uniform")
    assert code == 0 and "profile: uniform" in out.splitlines()[0]


def test_uniform_is_the_uniform_file(capsys):
    by_word = run_json(capsys, "power", str(EX / "odd-one-out.json"), "--profile", "uniform")
    by_file = run_json(
        capsys,
        "power",
        str(EX / "odd-one-out.json"),
        "--profile",
        str(EX / "odd-one-out-uniform.json"),
    )
    assert by_word == by_file
    assert sympy.Rational(by_word["power"]["cat"]) == sympy.Rational(17, 16)


def test_verify_and_latex_profile_uniform(capsys):
    doc = run_json(capsys, "verify", str(EX / "matching-pennies.json"), "--profile", "uniform")
    result = doc["results"][0]
    assert result["checked"] is True and result["is_equilibrium"] is True
    assert result["profile"]["strategies"]["row"] == {"-": {"H": "1/2", "T": "1/2"}}
    doc = run_json(capsys, "latex", str(EX / "poker.json"), "--profile", "uniform")
    assert doc["checked"] is True and doc["latex"].startswith("\\documentclass")


# -- convert --force -----------------------------------------------------------------------


def test_convert_refuses_to_overwrite_without_force(capsys, tmp_path):
    out = tmp_path / "poker.efg"
    out.write_text("keep me")
    code, stdout, err = run_cli(capsys, "convert", str(EX / "poker.json"), str(out))
    assert code == 2 and stdout == ""
    assert err.startswith("exactpower: error: ") and err.count("\n") == 1
    assert str(out) in err and "--force" in err
    assert out.read_text() == "keep me"
    code, stdout, err = run_cli(capsys, "convert", str(EX / "poker.json"), str(out), "--force")
    assert code == 0, err
    assert out.read_text().startswith("EFG 2 R")
    assert load_game_file(out).players == load_game(EX / "poker.json").players


def test_save_game_file_without_overwrite_keeps_the_file(tmp_path):
    path = tmp_path / "g.json"
    path.write_text("x")
    with pytest.raises(GameError, match="exists"):
        save_game_file(load_game(EX / "poker.json"), path, overwrite=False)
    assert path.read_text() == "x"


def test_check_says_a_game_is_not_a_trace(capsys):
    code, out, err = run_cli(capsys, "check", str(EX / "poker.json"))
    assert code == 2 and out == ""
    assert "this is a game" in err and "not a trace" in err and err.count("\n") == 1
