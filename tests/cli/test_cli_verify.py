"""``exactpower verify`` and ``exactpower check`` (SPEC §5), the built-in example, and the
equality condition of symbolic games."""

from __future__ import annotations

import json
import pathlib

import pytest
import sympy

import proofs
from exactpower import BayesianGame, StrategyProfile, is_bayesian_nash
from exactpower.catalog import stripped_down_poker, stripped_down_poker_equilibrium
from exactpower.io import json_files as files
from proofs import ProofError, load_trace

from cases import BAD, BAD_CASES, DATA, PAIRS, one_line_error, run_cli

ROOT = pathlib.Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
CORPUS_BAD = sorted((ROOT / "proofs" / "corpus" / "bad").glob("*.json"))

#: Every example game with its profiles.
TOP_KEYS = ["theorem", "constant", "results"]
RESULT_KEYS = ["profile", "steps", "power_sum", "slack", "is_equilibrium", "equality", "checked"]


# Games whose interesting profiles are irrational (no profile file can hold them), and the
# game of docs/equilibria.md: they are verified at the equilibria exactpower finds.
EQUILIBRIUM_ONLY = {"irrational-three-player", "von-stengel"}


def test_von_stengel_is_verified_at_its_equilibria(capsys):
    code, out, err = run_cli(
        capsys, "verify", str(EXAMPLES / "von-stengel.json"), "--equilibria", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["constant"] is None and doc["complete"] is True
    assert [r["power_sum"] for r in doc["results"]] == ["6", "6", "20/3"]
    assert all(r["checked"] and r["equality"] for r in doc["results"])


def test_pairs_cover_every_example():
    names = {  # one-shot examples (game trees and their behaviour profiles are not paired)
        p.stem
        for p in EXAMPLES.glob("*.json")
        if "/tree-v1" not in (t := p.read_text()) and "/behaviour-v1" not in t
    }
    assert {n for pair in PAIRS for n in pair} | EQUILIBRIUM_ONLY == names


def test_verify_at_an_irrational_equilibrium(capsys):
    code, out, err = run_cli(
        capsys, "verify", str(EXAMPLES / "irrational-three-player.json"), "--equilibria", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["complete"] is True and len(doc["results"]) == 1
    result = doc["results"][0]
    assert result["checked"] and result["equality"] and result["is_equilibrium"]
    assert result["slack"] == "0"
    assert "sqrt(265)" in json.dumps(result["profile"])


@pytest.mark.parametrize("game_name", ["poker", "coordination", "matching-pennies", "haggling"])
def test_verify_every_equilibrium(capsys, game_name):
    code, out, err = run_cli(
        capsys, "verify", str(EXAMPLES / f"{game_name}.json"), "--equilibria", "--json"
    )
    assert code == 0, err
    doc = json.loads(out)
    assert doc["results"] and all(
        r["checked"] and r["equality"] and r["is_equilibrium"] for r in doc["results"]
    )
    if doc["constant"] is not None:
        assert all(r["power_sum"] == doc["constant"] for r in doc["results"])


def test_verify_equilibria_and_profile_exclusive(capsys):
    code, _out, err = run_cli(
        capsys,
        "verify",
        str(EXAMPLES / "poker.json"),
        "--equilibria",
        "--profile",
        str(EXAMPLES / "poker-equilibrium.json"),
    )
    assert code == 2 and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("game_name, profile_name", PAIRS)
def test_verify_every_example(capsys, game_name, profile_name):
    game_path, profile_path = EXAMPLES / f"{game_name}.json", EXAMPLES / f"{profile_name}.json"
    code, out, err = run_cli(
        capsys, "verify", str(game_path), "--profile", str(profile_path), "--json"
    )
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert list(doc) == TOP_KEYS
    game = files.load_game(game_path)
    symbolic = game.is_symbolic
    (result,) = doc["results"]
    assert list(result) == RESULT_KEYS + (["equality_condition"] if symbolic else [])
    assert result["checked"] is True
    assert doc["theorem"] in ("power-scarcity", "general-sum-identity")
    assert (doc["constant"] is None) == (doc["theorem"] == "general-sum-identity")
    assert result["profile"] == json.loads(files.dumps(files.load_profile(profile_path, game)))
    for step in result["steps"]:
        assert list(step) == ["rule", "relation", "value"]
        assert isinstance(step["value"], str)
    assert [s["relation"] for s in result["steps"]].count("≥") == 1
    # `equality` agrees with the power command's is_equilibrium where that is decided
    code, out, _ = run_cli(
        capsys, "power", str(game_path), "--profile", str(profile_path), "--json"
    )
    power = json.loads(out)
    assert code == 0
    if power["is_equilibrium"] is not None:
        assert result["equality"] is power["is_equilibrium"]
        assert result["is_equilibrium"] is power["is_equilibrium"]
    assert result["power_sum"] == str(sympy.sympify(power["power_sum"])) or symbolic
    # the text form
    code, out, err = run_cli(capsys, "verify", str(game_path), "--profile", str(profile_path))
    assert (code, err) == (0, "")
    assert "checked by the kernel: yes" in out and "slack table" in out
    for step in result["steps"]:
        assert step["rule"] in out
    assert ("equality condition" in out) == symbolic


def test_builtin_example(capsys):
    code, out, err = run_cli(capsys, "verify", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["theorem"] == "power-scarcity" and doc["constant"] == "0"
    (result,) = doc["results"]
    assert list(result) == RESULT_KEYS
    assert result["equality"] is True and result["is_equilibrium"] is True
    assert result["power_sum"] == "0" and result["slack"] == "0" and result["checked"] is True
    equilibrium = json.loads((EXAMPLES / "poker-equilibrium.json").read_text())
    assert result["profile"] == json.loads(
        files.dumps(files.loads_profile(json.dumps(equilibrium), stripped_down_poker()))
    )
    code, out, err = run_cli(capsys, "verify")
    assert (code, err) == (0, "")
    for needle in (
        "1.  power-definition",
        "6.  normalisation",
        "= 0",
        "slack table",
        "dealer  Q",
        "conclusion: Σ_i POWER(i,σ) = 0 ≥ c = 0",
        "checked by the kernel: yes",
    ):
        assert needle in out, needle


def test_catalog_equals_the_example_file():
    built, stored = stripped_down_poker(), files.load_game(EXAMPLES / "poker.json")
    assert built.players == stored.players and built.title == stored.title
    for t in stored.type_profiles:
        assert built.probability(t) == stored.probability(t)
        for a in stored.action_profiles:
            for i in range(stored.n_players):
                assert built.reward(i, t, a) == stored.reward(i, t, a), (i, t, a)
    sigma = files.load_profile(EXAMPLES / "poker-equilibrium.json", stored)
    assert files.dumps(stripped_down_poker_equilibrium(built)) == files.dumps(sigma)


def test_trace_out_then_check(capsys, tmp_path):
    trace = tmp_path / "trace.json"
    code, _, err = run_cli(
        capsys,
        "verify",
        str(EXAMPLES / "poker.json"),
        "--profile",
        str(EXAMPLES / "poker-honest.json"),
        "--trace-out",
        str(trace),
    )
    assert (code, err) == (0, "")
    assert json.loads(trace.read_text())["format"] == "exactpower/trace-v1"
    code, out, err = run_cli(capsys, "check", str(trace))
    assert (code, err) == (0, "") and out.startswith("valid")
    code, out, err = run_cli(capsys, "check", str(trace), "--json")
    assert code == 0 and json.loads(out)["valid"] is True
    # the built-in example and a symbolic one too
    for argv in (
        ["verify"],
        [
            "verify",
            str(EXAMPLES / "scaled-pennies.json"),
            "--profile",
            str(EXAMPLES / "scaled-pennies-pure.json"),
        ],
    ):
        assert run_cli(capsys, *argv, "--trace-out", str(trace))[0] == 0
        assert run_cli(capsys, "check", str(trace))[0] == 0


@pytest.mark.parametrize("path", CORPUS_BAD, ids=lambda p: p.stem)
def test_check_rejects_the_bad_corpus(capsys, path):
    """Every must-fail trace fails: exit 1 when the kernel rejects it, exit 2 when the reader
    already refuses it (``reading-*``: floats, duplicate or unknown keys, limits, names)."""
    expected = json.loads(path.read_text(encoding="utf-8"))["expected_rejection"]
    try:
        load_trace(path)
        want = 1
    except ProofError:
        want = 2
    assert (want == 2) == path.stem.startswith("reading-") or path.stem == "reading-reward-near-one"
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == want and out == ""
    one_line_error(err)
    assert expected.removeprefix("trace: ") in err  # the reader names the file, not "trace"
    if want == 1:
        code, out, err = run_cli(capsys, "check", str(path), "--json")
        assert code == 1 and json.loads(out)["valid"] is False and expected in err
        assert json.loads(out)["status"] == "rejected"


def test_check_reads_shape_traces(capsys, tmp_path):
    trace = tmp_path / "shape.json"
    assert run_cli(capsys, "prove-shape", "2x1x2", "--trace-out", str(trace))[0] == 0
    code, out, _ = run_cli(capsys, "check", str(trace), "--json")
    assert code == 0 and json.loads(out)["valid"] is True


def test_check_reports_a_kernel_bug_as_exit_3(capsys, tmp_path, monkeypatch):
    import proofs.kernel

    trace = tmp_path / "t.json"
    assert run_cli(capsys, "verify", "--trace-out", str(trace))[0] == 0

    def broken(step, facts):
        raise ZeroDivisionError("a bug")

    monkeypatch.setitem(proofs.kernel.RULES, "linearity", broken)
    code, out, err = run_cli(capsys, "check", str(trace))
    assert code == 3 and out == "" and "error inside the checker" in err and "a bug" in err
    one_line_error(err)


@pytest.mark.parametrize(
    "content",
    [
        None,
        b"",
        b"{",
        b"\xff\xfe\x00",
        b"[]",
        b'{"a": 1}',
        b'{"format": "exactpower/trace-v1"}',
        "game",
    ],
)
def test_check_unreadable_exit_2(capsys, tmp_path, content):
    path = tmp_path / "t.json"
    if content == "game":
        path = EXAMPLES / "poker.json"
    elif content is not None:
        path.write_bytes(content)
    code, out, err = run_cli(capsys, "check", str(path))
    assert code == 2 and out == ""
    one_line_error(err)
    assert str(path) in err


@pytest.mark.parametrize("name", sorted(n for n in BAD_CASES if not n.startswith("profile_")))
def test_verify_bad_game_exit_2(capsys, name):
    code, out, err = run_cli(
        capsys, "verify", str(BAD / name), "--profile", str(DATA / "pennies_profile.json")
    )
    assert code == 2 and out == ""
    one_line_error(err)


def test_verify_usage_errors(capsys):
    code, out, err = run_cli(capsys, "verify", str(EXAMPLES / "poker.json"))
    assert code == 2 and out == "" and "profile is needed" in err
    one_line_error(err)
    code, _, err = run_cli(capsys, "verify", "--profile", str(EXAMPLES / "poker-honest.json"))
    assert code == 2
    one_line_error(err)
    code, _, err = run_cli(
        capsys,
        "verify",
        str(EXAMPLES / "poker.json"),
        "--profile",
        str(EXAMPLES / "scaled-pennies-pure.json"),
    )
    assert code == 2
    one_line_error(err)
    code, out, err = run_cli(capsys, "verify", "--equilibria")  # the built-in example's equilibria
    assert code == 0 and "checked by the kernel: yes" in out, err


def test_verify_exit_1_when_the_kernel_rejects(capsys, monkeypatch):
    monkeypatch.setattr(proofs, "check", lambda trace: proofs.Verdict(False, "step 1 (x): no", 1))
    code, out, err = run_cli(capsys, "verify", "--json")
    assert code == 1 and json.loads(out)["results"][0]["checked"] is False
    one_line_error(err)
    assert "step 1 (x): no" in err


# -- the equality condition of symbolic games --------------------------------------------------


def test_scaled_pennies_condition(capsys):
    code, out, _ = run_cli(
        capsys,
        "verify",
        str(EXAMPLES / "scaled-pennies.json"),
        "--profile",
        str(EXAMPLES / "scaled-pennies-pure.json"),
        "--json",
    )
    assert code == 0
    assert json.loads(out)["results"][0]["equality_condition"] == "Eq(x, 0)"
    game = files.load_game(EXAMPLES / "scaled-pennies.json")
    trace = proofs.power_scarcity(game, StrategyProfile.uniform(game))
    assert trace.equality.condition == "True"
    rational = proofs.power_scarcity(
        stripped_down_poker(), StrategyProfile.uniform(stripped_down_poker())
    )
    assert rational.equality.condition is None


def substituted(game, profile, values: dict):
    """The rational game and profile at ``values`` ({symbol: Rational})."""
    names = [p.name for p in game.players]

    def at(e):
        return sympy.nsimplify(e.subs(values)) if isinstance(e, sympy.Basic) else e

    def rewards(t, a):
        ti = tuple(p.types.index(x) for p, x in zip(game.players, t))
        ai = tuple(p.actions.index(x) for p, x in zip(game.players, a))
        return [at(game.reward(i, ti, ai)) for i in range(len(names))]

    prior = {
        tuple(p.types[k] for p, k in zip(game.players, t)): at(game.probability(t))
        for t in game.type_profiles
    }
    g = BayesianGame.from_function(game.players, rewards, prior=prior)
    s = StrategyProfile.from_dict(
        g,
        {
            p.name: {
                t: {a: str(at(profile.probability(i, k, n))) for n, a in enumerate(p.actions)}
                for k, t in enumerate(p.types)
            }
            for i, p in enumerate(game.players)
        },
    )
    return g, s


BAYESIAN_PROFILES = [
    None,  # the example's profile file
    {"row": {"h": "U", "l": "U"}, "col": {"L": "q", "R": "1 - q"}},
    {"row": {"h": {"U": "1/2", "D": "1/2"}, "l": "D"}, "col": {"L": "1/2", "R": "1/2"}},
    {
        "row": {"h": {"U": "q", "D": "1 - q"}, "l": {"U": "1/2", "D": "1/2"}},
        "col": {"L": "1/2", "R": "1/2"},
    },
    {"row": {"h": "U", "l": "D"}, "col": "L"},
]


@pytest.mark.parametrize("strategies", BAYESIAN_PROFILES)
def test_bayesian_pennies_condition_agrees_with_is_bayesian_nash(strategies):
    game = files.load_game(EXAMPLES / "bayesian-pennies.json")
    profile = (
        files.load_profile(EXAMPLES / "bayesian-pennies-profile.json", game)
        if strategies is None
        else StrategyProfile.from_dict(game, strategies)
    )
    trace = proofs.power_scarcity(game, profile)
    assert proofs.check(trace).ok
    q = game.parameters[0].symbol
    condition = trace.equality.condition
    assert isinstance(condition, str)
    # read the condition back through sympy's own printer/parser (test code only)
    parsed = sympy.And(sympy.sympify(condition, locals={"q": q}))
    for value in (
        0,
        sympy.Rational(1, 4),
        sympy.Rational(1, 3),
        sympy.Rational(1, 2),
        sympy.Rational(2, 3),
        sympy.Rational(3, 4),
        1,
    ):
        g, s = substituted(game, profile, {q: value})
        assert bool(parsed.subs(q, value)) is is_bayesian_nash(g, s), (condition, value)


def test_bayesian_pennies_conditions_are_explicit():
    game = files.load_game(EXAMPLES / "bayesian-pennies.json")
    conditions = [
        proofs.power_scarcity(game, StrategyProfile.from_dict(game, s)).equality.condition
        for s in BAYESIAN_PROFILES[1:4]
    ]
    assert conditions == ["Eq(q, 1/2)", "Eq(q, 1)", "Eq(q, 0) | Eq(q, 1/2)"]


def test_verify_writes_only_traces_that_check_can_read(capsys, tmp_path, monkeypatch):
    """A trace over MAX_TRACE_BYTES is refused with one line, not written uncheckable."""
    from exactpower import limits

    trace = tmp_path / "t.json"
    monkeypatch.setattr(limits, "MAX_TRACE_BYTES", 2000)
    code, out, err = run_cli(capsys, "verify", "--trace-out", str(trace))
    assert code == 2 and not trace.exists() and "not written" not in out
    one_line_error(err)
    assert "MAX_TRACE_BYTES" in err and "not written" in err
