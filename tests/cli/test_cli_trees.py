"""Game trees on the command line: ``power``, ``equilibria`` and ``convert`` on ``.efg``,
tree-v1 ``.json`` and ``--openspiel``; bad trees as one-line errors (exit 2).

Known values: Kuhn poker at the uniform profile has POWER 1/2 for player 1 and 5/12 for
player 2 (NashConv 11/12, the game being zero-sum); its value is -1/18 for player 1.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import pytest
import sympy

from exactpower.cli import main
from exactpower.cli.tree_input import is_tree_input
from exactpower.io.tree_json import loads_behaviour
from exactpower.io.trees import read_tree
from exactpower.sequential import catalog, nash_conv, power

from cases import one_line_error, run_cli
from optional import require

EX = Path(__file__).resolve().parents[2] / "examples"
KUHN_EFG, KUHN_JSON = EX / "kuhn.efg", EX / "kuhn.json"
KUHN_EQ = EX / "kuhn-equilibrium.json"
R = sympy.Rational


def run_json(capsys, *argv):
    code, out, err = run_cli(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def exact(text: str) -> sympy.Rational:
    value = sympy.Rational(text)
    assert isinstance(value, sympy.Rational)
    return value


# -- the shipped examples -------------------------------------------------------------------


def test_examples_are_kuhn_poker():
    kuhn = catalog.kuhn_poker()
    assert read_tree(KUHN_EFG) == kuhn
    assert read_tree(KUHN_JSON) == kuhn
    profile = loads_behaviour(KUHN_EQ.read_text(encoding="utf-8"), kuhn)
    assert nash_conv(kuhn, profile) == 0
    assert power(kuhn, profile, 0) == R(-1, 18)


def test_a_bayesian_efg_stays_one_shot(tmp_path, capsys):
    efg = tmp_path / "poker.efg"
    assert main(["convert", str(EX / "poker.json"), str(efg)]) == 0
    capsys.readouterr()
    assert not is_tree_input(argparse.Namespace(game=str(efg), openspiel=None))
    assert is_tree_input(argparse.Namespace(game=str(KUHN_EFG), openspiel=None))
    assert is_tree_input(argparse.Namespace(game=str(KUHN_JSON), openspiel=None))
    assert not is_tree_input(argparse.Namespace(game=str(EX / "poker.json"), openspiel=None))
    doc = run_json(capsys, "power", efg, "--profile", EX / "poker-equilibrium.json")
    assert "interim" in doc and "interim_power" not in doc  # the one-shot report


# -- power ----------------------------------------------------------------------------------


@pytest.mark.parametrize("game", [KUHN_EFG, KUHN_JSON])
def test_power_kuhn_uniform(capsys, game):
    doc = run_json(capsys, "power", game, "--profile", "uniform")
    assert doc["players"] == ["1", "2"]
    assert {p: exact(v) for p, v in doc["power"].items()} == {"1": R(1, 2), "2": R(5, 12)}
    assert exact(doc["power_sum"]) == R(11, 12)
    assert exact(doc["welfare"]) == 0
    assert exact(doc["nash_conv"]) == R(11, 12)
    assert doc["is_equilibrium"] is False
    assert doc["constant_sum"] == "0"
    # u_1 = 1/8 at the uniform profile; regret = POWER - u
    assert {p: exact(v) for p, v in doc["expected_payoff"].items()} == {"1": R(1, 8), "2": R(-1, 8)}
    assert {p: exact(v) for p, v in doc["regret"].items()} == {"1": R(3, 8), "2": R(13, 24)}
    # interim POWER by deal: averaging over the deals (1/6 each) gives POWER
    interim = doc["interim_power"]
    assert list(interim["1"]) == ["J,Q", "J,K", "Q,J", "Q,K", "K,J", "K,Q"]
    for p, total in (("1", R(1, 2)), ("2", R(5, 12))):
        assert sum(exact(v) for v in interim[p].values()) / 6 == total
    assert exact(interim["1"]["K,J"]) == R(3, 2)


def test_power_kuhn_equilibrium_text(capsys):
    code, out, err = run_cli(capsys, "power", KUHN_EFG, "--profile", KUHN_EQ)
    assert code == 0, err
    assert out.startswith("game tree 'Kuhn poker': ")
    assert "NashConv          0" in out and "Nash equilibrium  yes" in out


def test_power_tree_without_profile(capsys):
    code, _out, err = run_cli(capsys, "power", KUHN_EFG)
    assert code == 2 and "--profile" in err
    one_line_error(err)


# -- equilibria -----------------------------------------------------------------------------


def test_equilibria_kuhn_efg(capsys, tmp_path):
    doc = run_json(capsys, "equilibria", KUHN_EFG)
    assert doc["method"] == "sequence-form" and doc["complete"] is False
    assert exact(doc["value"]) == R(-1, 18)
    (e,) = doc["equilibria"]
    assert e["nash_conv"] == "0" and e["component"] is None
    assert {p: exact(v) for p, v in e["power"].items()} == {"1": R(-1, 18), "2": R(1, 18)}
    assert exact(e["power_sum"]) == 0
    # the profile it prints is read back and checked independently by ``power``
    prof = tmp_path / "eq.json"
    prof.write_text(json.dumps(e["profile"]), encoding="utf-8")
    back = run_json(capsys, "power", KUHN_EFG, "--profile", prof)
    assert back["nash_conv"] == "0" and back["is_equilibrium"] is True
    code, out, _ = run_cli(capsys, "equilibria", KUHN_JSON)
    assert code == 0 and "-1/18" in out


def test_equilibria_refuses_other_trees(capsys, tmp_path):
    three = tmp_path / "three.json"
    three.write_text(
        json.dumps(
            {
                "format": "exactpower/tree-v1",
                "players": ["A", "B", "C"],
                "root": {"player": "A", "infoset": "a", "actions": {"x": {"payoffs": [1, 0, 0]}}},
            }
        ),
        encoding="utf-8",
    )
    code, _out, err = run_cli(capsys, "equilibria", three)
    assert code == 2 and "two-player" in err and "3 players" in err
    one_line_error(err)
    general = tmp_path / "general.json"
    general.write_text(
        json.dumps(
            {
                "format": "exactpower/tree-v1",
                "players": ["A", "B"],
                "root": {
                    "player": "A",
                    "infoset": "a",
                    "actions": {"x": {"payoffs": [1, 1]}, "y": {"payoffs": [0, 0]}},
                },
            }
        ),
        encoding="utf-8",
    )
    code, _out, err = run_cli(capsys, "equilibria", general)
    assert code == 2 and "constant-sum" in err and str(general) in err
    one_line_error(err)


# -- convert --------------------------------------------------------------------------------


def test_convert_round_trip(capsys, tmp_path):
    efg, back, again = tmp_path / "k.efg", tmp_path / "k.json", tmp_path / "k2.efg"
    assert run_cli(capsys, "convert", KUHN_JSON, efg)[0] == 0
    assert efg.read_text(encoding="utf-8") == KUHN_EFG.read_text(encoding="utf-8")
    doc = run_json(capsys, "convert", efg, back)
    assert doc["players"] == ["1", "2"] and doc["nodes"] == 55 and doc["infosets"] == 13
    assert run_cli(capsys, "convert", back, "-o", again)[0] == 0
    assert read_tree(back) == read_tree(again) == catalog.kuhn_poker()
    # --force is respected as for one-shot games
    code, _out, err = run_cli(capsys, "convert", KUHN_JSON, efg)
    assert code == 2 and "--force" in err
    assert run_cli(capsys, "convert", KUHN_JSON, efg, "--force")[0] == 0
    code, _out, err = run_cli(capsys, "convert", KUHN_JSON, tmp_path / "k.nfg")
    assert code == 2 and ".efg" in err
    one_line_error(err)


# -- OpenSpiel ------------------------------------------------------------------------------


def test_openspiel_kuhn(capsys, tmp_path):
    require("pyspiel")
    doc = run_json(capsys, "power", "--openspiel", "kuhn_poker", "--profile", "uniform")
    assert {p: exact(v) for p, v in doc["power"].items()} == {"P0": R(1, 2), "P1": R(5, 12)}
    assert exact(doc["nash_conv"]) == R(11, 12)
    out = tmp_path / "kuhn.efg"
    assert run_cli(capsys, "convert", "--openspiel", "kuhn_poker", "-o", out)[0] == 0
    assert exact(run_json(capsys, "equilibria", out)["value"]) == R(-1, 18)
    doc = run_json(
        capsys,
        "power",
        "--openspiel",
        "kuhn_poker",
        "--openspiel-param",
        "players=3",
        "--profile",
        "uniform",
    )
    assert doc["players"] == ["P0", "P1", "P2"]


# -- bad input ------------------------------------------------------------------------------


def _tree(root, players=("A", "B")) -> str:
    return json.dumps({"format": "exactpower/tree-v1", "players": list(players), "root": root})


def _leaf(a, b):
    return {"payoffs": [a, b]}


def _node(player: str, infoset: str, **actions) -> dict:
    return {"player": player, "infoset": infoset, "actions": actions}


BAD_TREES = {
    # A forgets its own first move: both of its second-move nodes share one information set
    "no-perfect-recall": (
        _tree(
            _node(
                "A",
                "a1",
                l=_node("A", "a2", u=_leaf(1, 0), d=_leaf(0, 1)),
                r=_node("A", "a2", u=_leaf(0, 1), d=_leaf(1, 0)),
            )
        ),
        "perfect recall",
    ),
    "probabilities": (
        _tree(
            {"chance": {"x": "1/2", "y": "1/3"}, "actions": {"x": _leaf(1, 0), "y": _leaf(0, 1)}}
        ),
        "sum",
    ),
    "different-actions": (
        _tree(
            _node(
                "A",
                "a",
                l=_node("B", "b", u=_leaf(1, 0), d=_leaf(0, 1)),
                r=_node("B", "b", u=_leaf(0, 1), x=_leaf(1, 0)),
            )
        ),
        "action",
    ),
}

BAD_EFG = {
    # the same three faults written as Gambit files
    "no-perfect-recall": (
        'EFG 2 R "" { "A" "B" }\n'
        'p "" 1 1 "a1" { "l" "r" } 0\n'
        'p "" 1 2 "a2" { "u" "d" } 0\n'
        't "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n'
        'p "" 1 2 "a2" { "u" "d" } 0\n'
        't "" 3 "" { 0, 1 }\nt "" 4 "" { 1, 0 }\n',
        "perfect recall",
    ),
    "probabilities": (
        'EFG 2 R "" { "A" "B" }\n'
        'c "" 1 "" { "x" 1/2 "y" 1/3 } 0\n'
        'p "" 1 1 "a" { "u" "d" } 0\nt "" 1 "" { 1, 0 }\nt "" 2 "" { 0, 1 }\n'
        't "" 3 "" { 0, 1 }\n',
        "sum",
    ),
}


@pytest.mark.parametrize("name", sorted(BAD_TREES))
@pytest.mark.parametrize("command", ["power", "equilibria", "convert"])
def test_bad_tree_json(capsys, tmp_path, name, command):
    text, needle = BAD_TREES[name]
    path = tmp_path / f"{name}.json"
    path.write_text(text, encoding="utf-8")
    argv = {
        "power": ("power", path, "--profile", "uniform"),
        "equilibria": ("equilibria", path),
        "convert": ("convert", path, tmp_path / "out.efg"),
    }[command]
    code, out, err = run_cli(capsys, *argv)
    assert code == 2 and out == ""
    one_line_error(err)
    assert err.startswith(f"exactpower: error: {path}: ") and needle in err.lower(), err
    assert "root" in err  # names the node (its path in the tree)


@pytest.mark.parametrize("name", sorted(BAD_EFG))
def test_bad_tree_efg(capsys, tmp_path, name):
    text, needle = BAD_EFG[name]
    path = tmp_path / f"{name}.efg"
    path.write_text(text, encoding="utf-8")
    code, out, err = run_cli(capsys, "power", path, "--profile", "uniform")
    assert code == 2 and out == ""
    one_line_error(err)
    assert str(path) in err and needle in err.lower(), err


def test_bad_behaviour_profile(capsys, tmp_path):
    prof = tmp_path / "p.json"
    prof.write_text(
        json.dumps(
            {
                "format": "exactpower/behaviour-v1",
                "behaviour": {"1:J": {"check": "1/2", "bet": "1/3"}},
            }
        ),
        encoding="utf-8",
    )
    code, _out, err = run_cli(capsys, "power", KUHN_EFG, "--profile", prof)
    assert code == 2 and str(prof) in err
    one_line_error(err)


def test_unknown_openspiel_game(capsys):
    require("pyspiel")
    code, out, err = run_cli(capsys, "power", "--openspiel", "no_such_game", "--profile", "uniform")
    assert code == 2 and out == ""
    one_line_error(err)
    assert "no_such_game" in err
    code, _out, err = run_cli(
        capsys,
        "power",
        "--openspiel",
        "kuhn_poker",
        "--openspiel-param",
        "players=x",
        "--profile",
        "uniform",
    )
    assert code == 2 and "kuhn_poker" in err
    one_line_error(err)


@pytest.mark.parametrize(
    "argv, needle",
    [
        (("power", KUHN_EFG, "--openspiel", "kuhn_poker", "--profile", "uniform"), "not both"),
        (("power", KUHN_EFG, "--param", "x=1", "--profile", "uniform"), "--param"),
        (("equilibria", KUHN_EFG, "--method", "pure"), "--method"),
        (("equilibria",), "GAME"),
        (("convert", KUHN_JSON), "IN OUT"),
    ],
)
def test_tree_usage_errors(capsys, argv, needle):
    code, _out, err = run_cli(capsys, *argv)
    assert code == 2 and needle in err
    one_line_error(err)


def test_power_symbolic_untitled_tree(capsys, tmp_path):
    """A tree with a parameter: POWER is a Max, the verdict null; the header says "game tree"."""
    leaf = {"payoffs": [0, 0]}
    path = tmp_path / "sym.json"
    path.write_text(
        json.dumps(
            {
                "format": "exactpower/tree-v1",
                "players": ["A", "B"],
                "parameters": {"x": "real"},
                "root": {
                    "chance": {"h": "1/2", "t": "1/2"},
                    "actions": {
                        "h": {
                            "player": "A",
                            "infoset": "a",
                            "actions": {"l": {"payoffs": ["x", "-x"]}, "r": leaf},
                        },
                        "t": {
                            "player": "A",
                            "infoset": "a",
                            "actions": {"l": {"payoffs": [1, -1]}, "r": leaf},
                        },
                    },
                },
            }
        ),
        encoding="utf-8",
    )
    doc = run_json(capsys, "power", path, "--profile", "uniform")
    x = sympy.Symbol("x", real=True)
    # A plays l or r knowing nothing: l is worth (x + 1)/2, r is worth 0
    assert (
        sympy.simplify(
            sympy.sympify(doc["power"]["A"], locals={"x": x}) - sympy.Max(0, (x + 1) / 2)
        )
        == 0
    )
    assert doc["is_equilibrium"] is None and doc["constant_sum"] == "0"
    code, out, _ = run_cli(capsys, "power", path, "--profile", "uniform")
    assert code == 0 and out.startswith(f"game tree: {path} (2 players, symbolic)")
