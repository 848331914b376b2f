"""Every example through `exactpower power --json`, against values worked by hand,
and the README's console transcript against the command's real output."""

import json
import re
import shlex
from pathlib import Path

import pytest

from exactpower.cli import main

ROOT = Path(__file__).resolve().parents[2]
EX = ROOT / "examples"

# (game, profile): {player: POWER}, power_sum, welfare, nash_conv, is_equilibrium, constant_sum
CASES = {
    ("matching-pennies", "matching-pennies-uniform"): (
        {"row": "0", "col": "0"},
        "0",
        "0",
        "0",
        True,
        "0",
    ),
    ("matching-pennies", "matching-pennies-pure"): (
        {"row": "1", "col": "1"},
        "2",
        "0",
        "2",
        False,
        "0",
    ),
    # Reiley, Urbancic and Walker (2008): the game's value to the dealer is 1/3.
    ("poker", "poker-equilibrium"): ({"dealer": "1/3", "caller": "-1/3"}, "0", "0", "0", True, "0"),
    # Honest dealer: K bets (2), Q checks (-1) -> 1/2; the caller folds: 1/2*(-1) + 1/2*(+1) = 0.
    ("poker", "poker-honest"): ({"dealer": "1/2", "caller": "0"}, "1/2", "0", "1/2", False, "0"),
    # Worked in the note of issue 2: seller good 2/3 * 27/16 + bad 1/3 * 1; buyer 1/2 * 0 + 1/2 * 5/6.
    ("haggling", "haggling-profile"): (
        {"seller": "35/24", "buyer": "5/12"},
        "15/8",
        "0",
        "15/8",
        False,
        "0",
    ),
    # Uniform play: ann and bob 31/32 each, cat 1/4 * 5/4 + 3/4 * 1 = 17/16; the sum is c = 3.
    ("odd-one-out", "odd-one-out-uniform"): (
        {"ann": "31/32", "bob": "31/32", "cat": "17/16"},
        "3",
        "3",
        "0",
        True,
        "3",
    ),
    ("odd-one-out", "odd-one-out-pure"): (
        {"ann": "13/8", "bob": "13/8", "cat": "9/4"},
        "11/2",
        "3",
        "5/2",
        False,
        "3",
    ),
    ("scaled-pennies", "scaled-pennies-pure"): (
        {"row": "Max(-x, x)", "col": "Max(-x, x)"},
        "2*Max(-x, x)",
        "0",
        "2*Max(-x, x)",
        None,
        "0",
    ),
    ("bayesian-pennies", "bayesian-pennies-profile"): (
        {"row": "Max(1 - 2*q, 2*q - 1)", "col": "(q + 1)/2"},
        "(q + 1)/2 + Max(1 - 2*q, 2*q - 1)",
        "0",
        "(q + 1)/2 + Max(1 - 2*q, 2*q - 1)",
        None,
        "0",
    ),
    ("coordination", "coordination-good"): ({"alice": "2", "bert": "2"}, "4", "4", "0", True, None),
    ("coordination", "coordination-bad"): ({"alice": "1", "bert": "1"}, "2", "2", "0", True, None),
}


def run_json(capsys, *args):
    code = main([*args, "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    return json.loads(out.out)


@pytest.mark.parametrize("game,profile", sorted(CASES))
def test_example(capsys, game, profile):
    power, total, welfare, conv, bne, const = CASES[game, profile]
    got = run_json(
        capsys, "power", str(EX / f"{game}.json"), "--profile", str(EX / f"{profile}.json")
    )
    assert got["power"] == power
    assert got["power_sum"] == total
    assert got["welfare"] == welfare
    assert got["nash_conv"] == conv
    assert got["is_equilibrium"] is bne
    assert got["constant_sum"] == const


def test_every_example_has_a_case():
    games = {p.stem for p in EX.glob("*.json") if '"exactpower/game-v1"' in p.read_text()}
    # irrational-three-player's only equilibrium is irrational: tests/test_cli_verify.py
    # checks it with `verify --equilibria`; von-stengel is the game of docs/equilibria.md,
    # whose transcript tests/core/test_docs_match.py checks.
    assert games == {g for g, _ in CASES} | {"irrational-three-player", "von-stengel"}


def test_poker_interim_values(capsys):
    got = run_json(
        capsys, "power", str(EX / "poker.json"), "--profile", str(EX / "poker-equilibrium.json")
    )
    assert got["interim"]["dealer"]["K"] == {"bet": "5/3", "check": "1"}
    assert got["interim"]["caller"]["-"] == {"call": "-1/3", "fold": "-1/3"}
    assert got["regret"]["dealer"] == {"K": "0", "Q": "0"}


def test_zero_probability_type_is_null(capsys):
    got = run_json(
        capsys, "power", str(EX / "haggling.json"), "--profile", str(EX / "haggling-profile.json")
    )
    assert got["interim"]["seller"]["lemon"] == {"high": None, "low": None}
    assert got["regret"]["seller"]["lemon"] is None


def test_readme_transcript(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    text = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```console\n\$ (.*?)\n(.*?)```", text, re.S)
    assert blocks
    for command, expected in blocks:
        argv = shlex.split(command)
        assert argv[0] == "exactpower"
        assert main(argv[1:]) == 0
        assert capsys.readouterr().out.rstrip() == expected.rstrip()


def test_readme_starts_with_two_commands():
    lines = (ROOT / "README.md").read_text().splitlines()
    fence = lines.index("```sh")
    install, tests = lines[fence + 1], lines[fence + 2]
    assert "pip install" in install and "exactpower " in install
    ci = (ROOT / ".ci" / "run").read_text()
    assert tests in ci.splitlines(), "CI must run exactly the README's test command"
