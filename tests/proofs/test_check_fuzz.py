"""Hostile input to ``exactpower check``: it never says "valid" to a false trace.

Random edits of real traces -- numbers near float boundaries, tiny perturbations of claimed
values, huge denominators, duplicated and unknown keys, undeclared and capturing names,
nested ``Max`` -- are checked through the command line. Whatever the edit:

* the exit status is 0, 1 or 2 (never 3, an error inside the checker), with one line on
  stderr when it is not 0, and never a traceback;
* every run ends within a time budget;
* exit 0 only for a trace whose claims are true: the claims of an accepted trace are
  recomputed by ``tests/naive.py`` (the definitions, cell by cell, in Fractions -- no code
  shared with the kernel) and must all hold.
"""

from __future__ import annotations

import json
import time
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower.cli import main
from exactpower.io import json_files as files
from proofs import load_trace, power_scarcity

import naive

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
#: Seconds one ``check`` may take on an edited trace of an example.
BUDGET = 20.0
#: Rational examples: their accepted traces are compared with the naive oracle.
RATIONAL = [
    ("poker", "poker-honest"),
    ("matching-pennies", "matching-pennies-uniform"),
    ("haggling", "haggling-profile"),
    ("odd-one-out", "odd-one-out-pure"),
    ("coordination", "coordination-bad"),
]
SYMBOLIC = [("scaled-pennies", "scaled-pennies-pure")]


def _trace_text(game_name: str, profile_name: str) -> str:
    game = files.load_game(EXAMPLES / f"{game_name}.json")
    profile = files.load_profile(EXAMPLES / f"{profile_name}.json", game)
    return power_scarcity(game, profile).to_json()


TEXTS = {pair: _trace_text(*pair) for pair in RATIONAL + SYMBOLIC}

NUMBERS = [
    "0.99999999999999999",
    "1.0000000000000001",
    "0.30000000000000004",
    "1e-400",
    "4.9e-324",
    "1.7976931348623157e308",
    "-0.0",
    "9007199254740993",
    "0.50000000000000001",
]
STRINGS = [
    "Max(x, 1) + _max0_",
    "_max0_",
    "Max()",
    "Max(Max(Max(1)))",
    "1/0",
    "x^99",
    "y",
    "__import__('os')",
    "lamda",
    "",
    "1/" + "7" * 100,
    "1/3",
    "0",
    "-1",
    "Max(1, 2)" * 2,
    "(x - x^2)/(1 - x)",
]


def _sites(node, path=()):
    """Every (path, leaf or container) of a JSON tree, root excluded."""
    if isinstance(node, dict):
        for k, v in node.items():
            yield path + (k,), v
            yield from _sites(v, path + (k,))
    elif isinstance(node, list):
        for k, v in enumerate(node):
            yield path + (k,), v
            yield from _sites(v, path + (k,))


def _perturb(value: str) -> str:
    """A claimed exact value moved by 10^-17, written without floats."""
    return f"({value}) + 1/100000000000000000"


@st.composite
def edited_traces(draw):
    """``(pair, text)``: a real trace with one hostile edit."""
    pair = draw(st.sampled_from(RATIONAL + SYMBOLIC), label="example")
    tree = json.loads(TEXTS[pair])
    sites = list(_sites(tree))
    path, old = draw(st.sampled_from(sites), label="site")
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    kind = draw(
        st.sampled_from(["number", "string", "perturb", "unknown-key", "duplicate-key", "json"]),
        label="kind",
    )
    marker = None
    if kind == "number":
        marker = draw(st.sampled_from(NUMBERS))
        parent[path[-1]] = "@@NUMBER@@"
    elif kind == "string":
        parent[path[-1]] = draw(st.sampled_from(STRINGS))
    elif kind == "perturb" and isinstance(old, str):
        parent[path[-1]] = _perturb(old)
    elif kind == "unknown-key" and isinstance(old, dict):
        old["trust_me"] = draw(st.sampled_from(["1", True, {"valid": True}]))
    elif kind == "json":
        parent[path[-1]] = draw(st.sampled_from([True, None, {}, [], {"power": "0"}, 0, 1]))
    text = json.dumps(tree, ensure_ascii=False)
    if marker is not None:
        text = text.replace('"@@NUMBER@@"', marker)
    if kind == "duplicate-key" and isinstance(path[-1], str):
        key = json.dumps(path[-1])
        text = text.replace(f"{key}: ", f"{key}: {json.dumps(old)}, {key}: ", 1)
    return pair, text


def _fr(v) -> Fraction:
    return Fraction(int(v.p), int(v.q))


def assert_claims_true(trace) -> None:
    """Every claim of an accepted rational trace, recomputed by the naive oracle."""
    game, profile, n = trace.game, trace.profile, trace.game.n_players
    powers = [naive.power(game, profile, i) for i in range(n)]
    nash_conv = sum(
        (
            naive.marginal(game, profile, i, k) * naive.regret(game, profile, i, k)
            for i in range(n)
            for k in range(len(game.players[i].types))
            if naive.marginal(game, profile, i, k) > 0
        ),
        Fraction(0),
    )
    welfare = naive.welfare(game, profile)
    c = trace.conclusion
    assert _fr(c.power_sum) == sum(powers) and _fr(c.gap) == nash_conv
    if trace.theorem == "power-scarcity":
        support = [t for t in game.type_profiles if game.probability(t) != 0]
        sums = {
            sum(_fr(game.reward(i, t, a)) for i in range(n))
            for t in support
            for a in game.action_profiles
        }
        assert sums == {_fr(c.bound)}
    else:
        assert _fr(c.bound) == welfare
    assert sum(powers) == welfare + nash_conv
    assert trace.equality.holds is (nash_conv == 0)
    assert trace.equality.is_equilibrium is naive.is_bne(game, profile)
    assert _fr(trace.steps[0].value) == sum(powers)
    assert _fr(trace.steps[1].value) == welfare


def run_check(capsys, tmp_path, text: str):
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    code = main(["check", str(path)])
    seconds = time.perf_counter() - start
    out, err = capsys.readouterr()
    return path, code, out, err, seconds


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edited=edited_traces())
def test_check_never_accepts_a_false_trace(capsys, tmp_path, edited):
    pair, text = edited
    path, code, out, err, seconds = run_check(capsys, tmp_path, text)
    assert seconds < BUDGET, f"check took {seconds:.1f} s"
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "Traceback" not in out
    if code != 0:
        assert err.count("\n") == 1 and err.startswith("exactpower: "), err
        return
    if pair in RATIONAL:
        assert_claims_true(load_trace(path))


@pytest.mark.parametrize("pair", RATIONAL + SYMBOLIC, ids=lambda p: p[1])
def test_unedited_traces_are_valid(capsys, tmp_path, pair):
    path, code, _, err, _ = run_check(capsys, tmp_path, TEXTS[pair])
    assert code == 0, err
    if pair in RATIONAL:
        assert_claims_true(load_trace(path))


@pytest.mark.parametrize("pair", RATIONAL, ids=lambda p: p[1])
def test_every_perturbed_value_is_rejected(capsys, tmp_path, pair):
    """Moving any one claimed value of a trace by 10^-17 makes ``check`` fail."""
    tree = json.loads(TEXTS[pair])
    claims = [
        (path, v)
        for path, v in _sites(tree)
        if path[0] in ("steps", "equality", "conclusion") and isinstance(v, str) and _is_value(v)
    ]
    assert len(claims) > 5
    for path, value in claims[:40]:
        edited = json.loads(TEXTS[pair])
        node = edited
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = _perturb(value)
        _, code, _, err, _ = run_check(capsys, tmp_path, json.dumps(edited))
        assert code in (1, 2), f"{path}: {err}"


def _is_value(text: str) -> bool:
    try:
        Fraction(text)
    except (ValueError, ZeroDivisionError):
        return False
    return True
