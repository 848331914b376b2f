"""``exactpower mdp-power`` and ``exactpower gridworld`` (issue 12): JSON keys and exact
values checked against hand-worked POWER, bad input as one line and exit 2, the heat map."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import sympy

from exactpower.cli import main
from exactpower.io.graphviz import joint_parts
from exactpower.io.mdp_json import load_mdp, loads_mdp
from exactpower.sequential.mdp import MDP

from optional import require

DATA = Path(__file__).resolve().parents[1] / "data" / "powerplay"
JOINT = (
    DATA / "joint_1x3_gridworld_with_agent_H_forbidden_from_staying_when_agent_A_is_at_far_right.gv"
)
MOVE_LEFT = DATA / "joint_1x3_gridworld_agent_A_move_left.gv"
SIMULATED = DATA / (
    "stoch_1x3_gridworld_with_agent_A_moving_left_and_agent_H_forbidden_from_staying_"
    "when_agent_A_is_at_far_right_simulated.gv"
)


def absorbing(k: int) -> dict:
    """A state ``s`` choosing among k absorbing states: POWER(s) = k/(k+1), each 1/2."""
    leaves = [f"a{i}" for i in range(1, k + 1)]
    return {
        "format": "exactpower/mdp-v1",
        "states": ["s", *leaves],
        "transitions": {"s": {a: {a: 1} for a in leaves}, **{a: {"x": {a: 1}} for a in leaves}},
    }


def write(tmp_path: Path, doc: dict, name: str = "m.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def run_json(capsys, *argv) -> dict:
    assert main(["mdp-power", *map(str, argv), "--json"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    return json.loads(out)


def bad(capsys, *argv) -> str:
    assert main([*map(str, argv)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("exactpower: error: ") and err.count("\n") == 1
    assert "Traceback" not in err
    return err


@pytest.mark.parametrize("k", [1, 2, 3, 4])
@pytest.mark.parametrize("gamma", ["1/3", "3/5", "9/10"])
def test_k_absorbing_states_have_power_k_over_k_plus_1(capsys, tmp_path, k, gamma):
    doc = run_json(capsys, write(tmp_path, absorbing(k)), "--gamma", gamma)
    assert set(doc) == {"mdp", "states", "gamma", "rewards", "method", "power"}
    assert doc["method"] == "exact" and doc["rewards"] == "iid-uniform"
    assert doc["gamma"] == gamma and doc["states"] == k + 1
    assert doc["power"]["s"] == str(sympy.Rational(k, k + 1))
    assert all(doc["power"][f"a{i}"] == "1/2" for i in range(1, k + 1))
    assert list(doc["power"]) == ["s"] + [f"a{i}" for i in range(1, k + 1)]  # file order


def test_an_enclosure_is_labelled_and_contains_the_value(capsys, tmp_path):
    path = write(tmp_path, absorbing(3))
    doc = run_json(capsys, path, "--gamma", "1/3", "--time-limit", "0", "--width", "1/100")
    assert doc["method"] == "enclosure"
    lo, hi = (sympy.Rational(doc["power"]["s"][e]) for e in ("lo", "hi"))
    assert lo <= sympy.Rational(3, 4) <= hi and 0 < hi - lo <= sympy.Rational(1, 100)
    assert doc["power"]["a1"] == {"lo": "1/2", "hi": "1/2"}


def test_finite_rewards_file_and_symbolic_gamma(capsys, tmp_path):
    m = write(tmp_path, absorbing(2))
    r = write(
        tmp_path,
        {
            "format": "exactpower/rewards-v1",
            "distribution": [
                {"probability": "1/2", "rewards": {"s": 0, "a1": 1, "a2": 0}},
                {"probability": 0.5, "rewards": {"s": 0, "a1": 0, "a2": 1}},
            ],
        },
        "r.json",
    )
    # s always reaches the state rewarded 1: (1-γ)/γ · γ/(1-γ) = 1; a_i: E[R(a_i)] = 1/2
    doc = run_json(capsys, m, "--gamma", "2/3", "--rewards", r)
    assert doc["power"] == {"s": "1", "a1": "1/2", "a2": "1/2"}
    assert doc["method"] == "exact" and doc["rewards"] == "finite"
    doc = run_json(capsys, m, "--gamma", "g", "--rewards", r)
    assert doc["gamma"] == "g" and sympy.sympify(doc["power"]["s"]) == 1


def test_the_files_gamma_and_rewards_are_the_defaults(capsys, tmp_path):
    spec = absorbing(2)
    spec["gamma"] = "1/2"
    spec["rewards"] = {"distribution": [{"probability": 1, "rewards": {"s": 0, "a1": 1, "a2": 3}}]}
    doc = run_json(capsys, write(tmp_path, spec))
    # POWER(s) = (1-γ)/γ · (γ·3/(1-γ)) = 3; a1: R = 1; a2: 3
    assert doc["gamma"] == "1/2" and doc["power"] == {"s": "3", "a1": "1", "a2": "3"}
    doc = run_json(capsys, write(tmp_path, spec), "--rewards", "iid-uniform")
    assert doc["power"]["s"] == "2/3"


def test_powerplay_files_through_the_command_line(capsys):
    doc = run_json(capsys, DATA / "mdp_from_paper.gv", "--gamma", "3/5")
    assert list(doc["power"])[:2] == ["★", "∅"]
    assert doc["power"]["∅"] == "1/2" and doc["method"] == "exact"
    assert doc["power"]["r_↗"] == doc["power"]["r_↘"]  # symmetric states, exactly equal
    # POWERplay ships the same setting twice: a joint MDP with agent A's move-left policy,
    # and a hand-built single-agent ("simulated") MDP; H's POWER must agree exactly.
    joint = run_json(capsys, JOINT, "--gamma", "1/2", "--policy", MOVE_LEFT)["power"]
    simulated = run_json(capsys, SIMULATED, "--gamma", "1/2")["power"]
    assert len(joint) == len(simulated) == 9
    column = lambda cell: cell.strip("()").split(", ")[1]  # noqa: E731  "(0, 2)" -> "2"
    renamed = {
        f"{column(h)}_H x {column(a)}_A": v
        for (h, a), v in ((joint_parts(s), v) for s, v in joint.items())
    }
    assert renamed == simulated
    assert len(set(joint.values())) == 4  # not all equal: the test can tell states apart


def test_text_output(capsys, tmp_path):
    assert main(["mdp-power", str(write(tmp_path, absorbing(2))), "--gamma", "1/2"]) == 0
    out = capsys.readouterr().out
    assert "γ = 1/2" in out and "2/3" in out and "0.666667" in out


def test_gridworld_command_writes_an_mdp_v1_file(capsys, tmp_path):
    out = tmp_path / "g.json"
    argv = ["gridworld", "2x3", "--walls", "1,1", "--slip", "1/10", "-o", str(out), "--json"]
    assert main(argv) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary == {"output": str(out), "rows": 2, "cols": 3, "states": 5, "actions": 13}
    doc = load_mdp(out)
    assert doc.mdp == MDP.gridworld(2, 3, walls=[(1, 1)], slip="1/10")
    assert (doc.gridworld.rows, doc.gridworld.cols, doc.gridworld.walls) == (2, 3, ((1, 1),))
    err = bad(capsys, "gridworld", "2x3", "-o", out)
    assert "exists (give --force" in err
    assert main(["gridworld", "1x2", "-o", str(out), "--force", "--gamma", "3/5"]) == 0
    capsys.readouterr()
    assert loads_mdp(out.read_text()).gamma == sympy.Rational(3, 5)
    assert run_json(capsys, out)["power"] == {"0,0": "2/3", "0,1": "2/3"}


@pytest.mark.parametrize(
    "argv, message",
    [
        (["gridworld", "0x3", "-o", "x.json"], "size '0x3'"),
        (["gridworld", "3by3", "-o", "x.json"], "expected ROWSxCOLS"),
        (["gridworld", "2x2", "--walls", "5,5", "-o", "x.json"], "outside the 2x2 grid"),
        (["gridworld", "2x2", "--walls", "a", "-o", "x.json"], "'a' is not a cell"),
        (["gridworld", "2x2", "--slip", "2", "-o", "x.json"], "slip 2"),
        (["gridworld", "2x2", "--slip", "0.1f", "-o", "x.json"], "slip"),
    ],
)
def test_gridworld_bad_input(capsys, tmp_path, monkeypatch, argv, message):
    monkeypatch.chdir(tmp_path)
    assert message in bad(capsys, *argv)
    assert not (tmp_path / "x.json").exists()


def _bad_files(tmp_path: Path) -> list:
    rows = absorbing(2)
    rows["transitions"]["s"]["a1"] = {"a1": "1/2", "a2": "1/3"}
    unreachable = absorbing(2)
    unreachable["states"].append("z")
    unreachable["transitions"]["z"] = {"x": {"z": 1}}
    dangling = absorbing(2)
    dangling["states"].append("z")
    gv = tmp_path / "bad.gv"
    gv.write_text(
        'strict digraph { "[x]" -> "[go]__[x]";\n "[go]__[x]" -> "[y]__[go]__[x]" [weight=1]; }'
    )
    policy = tmp_path / "p.gv"
    policy.write_text(
        MOVE_LEFT.read_text(encoding="utf-8").replace(
            "[left]__[(0, 0)_H^(0, 1)_A]", "[jump]__[(0, 0)_H^(0, 1)_A]"
        )
    )
    ok = write(tmp_path, absorbing(2), "ok.json")
    return [
        ([ok, "--gamma", "1"], "gamma: 1 is not in (0, 1)"),
        ([ok, "--gamma", "0"], "gamma: 0 is not in (0, 1)"),
        ([ok, "--gamma", "-1/2"], "is not in (0, 1)"),
        ([ok], "no gamma in the file"),
        ([write(tmp_path, rows, "rows.json"), "--gamma", "1/2"], "sum to 5/6, not 1"),
        (
            [write(tmp_path, unreachable, "unreachable.json"), "--gamma", "1/2"],
            "state 'z' is unreachable",
        ),
        (
            [write(tmp_path, dangling, "dangling.json"), "--gamma", "1/2"],
            "state 'z' has no actions (dangling)",
        ),
        ([gv, "--gamma", "1/2"], "bad.gv: line 2 column 2: next state 'y'"),
        ([JOINT, "--gamma", "1/2", "--policy", policy], "unknown action 'jump'"),
        ([MOVE_LEFT, "--gamma", "1/2"], "policy file, not an MDP"),
        ([tmp_path / "m.txt", "--gamma", "1/2"], "cannot tell the MDP format"),
        ([tmp_path / "none.json", "--gamma", "1/2"], "cannot read"),
        ([ok, "--gamma", "g"], "symbolic"),
        (
            [ok, "--gamma", "1/2", "--rewards", gv],
            "bad.gv: line 1 column 1: malformed JSON",
        ),
        (
            [ok, "--gamma", "1/2", "--plot", tmp_path / "x.png"],
            "not a gridworld",
        ),
    ]


def test_bad_input_is_one_line_and_exit_2(capsys, tmp_path):
    (tmp_path / "m.txt").write_text("{}")
    for argv, message in _bad_files(tmp_path):
        err = bad(capsys, "mdp-power", *argv)
        assert message in err, (argv, err)


def test_no_traceback_from_a_subprocess(tmp_path):
    path = write(tmp_path, absorbing(2))
    done = subprocess.run(
        [sys.executable, "-m", "exactpower", "mdp-power", str(path), "--gamma", "3/2"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.count("\n") == 1 and "3/2 is not in (0, 1)" in done.stderr


def test_missing_matplotlib_names_the_plot_extra(capsys, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    out = tmp_path / "g.json"
    assert main(["gridworld", "1x2", "-o", str(out)]) == 0
    capsys.readouterr()
    err = bad(capsys, "mdp-power", out, "--gamma", "1/2", "--plot", tmp_path / "h.png")
    assert "plot extra" in err and not (tmp_path / "h.png").exists()
    # The input's own error comes first, with matplotlib or without (a fresh venv with the
    # test extra only reported the missing extra for an MDP that is not a gridworld).
    argv, message = _bad_files(tmp_path)[-1]
    assert "--plot" in map(str, argv) and message in bad(capsys, "mdp-power", *argv)


def test_the_heat_map_is_written(capsys, tmp_path):
    require("matplotlib")
    out = tmp_path / "g.json"
    assert main(["gridworld", "2x2", "--walls", "1,1", "-o", str(out)]) == 0
    png = tmp_path / "h.png"
    assert main(["mdp-power", str(out), "--gamma", "1/2", "--plot", str(png)]) == 0
    assert f"heat map written to {png}" in capsys.readouterr().out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gv = tmp_path / "gv.png"  # POWERplay's gridworld, cells named "(r, c)"
    assert (
        main(
            [
                "mdp-power",
                str(DATA / "3x3_gridworld.gv"),
                "--gamma",
                "1/2",
                "--rewards",
                str(write(tmp_path, _one_hot(), "r.json")),
                "--plot",
                str(gv),
            ]
        )
        == 0
    )
    assert gv.read_bytes()[:4] == b"\x89PNG"


def _one_hot() -> dict:
    cells = [f"({r}, {c})" for r in range(3) for c in range(3)]
    return {
        "format": "exactpower/rewards-v1",
        "distribution": [
            {"probability": "1/9", "rewards": {c: int(c == hot) for c in cells}} for hot in cells
        ],
    }
