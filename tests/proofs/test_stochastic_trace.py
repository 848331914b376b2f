"""Stochastic-game traces: built, written, read back exactly and checked by the kernel.

- ≥ 300 random constant-sum games (2–3 players, 1–3 states, 1–2 actions, seeded): the kernel
  accepts the honest trace, ΣPOWER ≥ c/(1−γ), and equality holds exactly when the independent
  oracle (tests/naive_stochastic.py) says σ is a Nash equilibrium from μ;
- stationary equilibria built on purpose (transitions that do not depend on the actions, with
  a stage-game equilibrium at every state: exactpower's two-player equilibria, or pure
  equilibria found by enumeration): equality holds;
- the general-sum identity against the oracle; tamper tests (each kind rejected, with its
  message); malformed records rejected, a bug in a rule a kernel error; LaTeX compiles.
"""

from __future__ import annotations

import copy
import dataclasses
import json
import random
import sys
from fractions import Fraction
from pathlib import Path

import naive_stochastic as ns
import numpy as np
import pytest
import sympy

import exactpower as ep
import proofs.kernel.stochastic as kernel
from exactpower.sequential.stochastic import StationaryProfile, StochasticGame
from proofs import ProofError, check_trace, read_trace
from proofs.kernel import KernelError
from proofs.kernel.stochastic import check_stochastic, check_stochastic_or_raise
from proofs.stochastic_latex import stochastic_to_latex
from proofs.stochastic_trace import StochasticTrace, stochastic_power_scarcity

from cases import corpus_rejection

R = sympy.Rational
CORPUS = Path(__file__).resolve().parents[2] / "proofs" / "corpus"
sys.path.insert(0, str(CORPUS))
from stochastic_corpus import two_states as corpus_two_states  # noqa: E402


def _check_roundtrip(trace: StochasticTrace) -> None:
    text = trace.to_json()
    back = StochasticTrace.from_json(text)
    assert back.to_json() == text and back == trace
    assert check_stochastic(back).ok


# -- random constant-sum games ----------------------------------------------------------------


def test_the_theorem_on_random_constant_sum_games():
    rng = random.Random(2026)
    equal = 0
    for k in range(320):
        c = rng.choice(["0", "1", "-2", "3/2"])
        g = ns.random_game(rng, rng.choice([2, 3]), rng.randint(1, 3), 2, constant=c)
        p = ns.random_profile(rng, g)
        trace = stochastic_power_scarcity(g, p)
        verdict = check_stochastic(trace)
        assert verdict.ok, verdict.message
        bound = R(c) / (1 - g.gamma)
        assert trace.theorem == "power-scarcity" and trace.conclusion.bound == bound
        assert isinstance(trace.conclusion.power_sum, sympy.Rational)
        assert trace.conclusion.power_sum >= bound
        oracle = ns.nash_conv(g, ns.sigma_of(p))
        assert Fraction(int(trace.conclusion.gap.p), int(trace.conclusion.gap.q)) == oracle
        assert trace.equality.holds == trace.equality.is_equilibrium == (oracle == 0)
        assert (trace.conclusion.power_sum == bound) == (oracle == 0)
        equal += oracle == 0
        if k % 10 == 0:
            _check_roundtrip(trace)
    assert equal >= 20  # random profiles hit some equilibria (1-action players, pure cells)


def test_the_identity_on_random_general_sum_games():
    rng = random.Random(7)
    for _ in range(60):
        g = ns.random_game(rng, rng.choice([2, 3]), rng.randint(1, 3), 2)
        p = ns.random_profile(rng, g)
        trace = stochastic_power_scarcity(g, p)
        if trace.theorem != "general-sum-identity":
            continue
        assert check_stochastic(trace).ok
        sig = ns.sigma_of(p)
        welfare = sum((ns.value(g, sig, i) for i in range(g.n_players)), Fraction(0))
        assert trace.conclusion.bound == R(welfare.numerator, welfare.denominator)
        assert trace.conclusion.power_sum == trace.conclusion.bound + trace.conclusion.gap


# -- equilibria built on purpose ---------------------------------------------------------------


def _stage_tables(g: StochasticGame, s: int) -> list:
    shape = [len(a) for a in g.actions[s]]
    tables = []
    for i in range(g.n_players):
        arr = np.empty(shape, dtype=object)
        for k, joint in enumerate(g.joint_indices(s)):
            arr[joint] = g.rewards[s][k][i]
        tables.append(arr.tolist())
    return tables


def _pure_stage_equilibrium(g: StochasticGame, s: int):
    joints = g.joint_indices(s)
    reward = {joint: g.rewards[s][k] for k, joint in enumerate(joints)}
    for joint in joints:
        if all(
            reward[joint][i] >= reward[joint[:i] + (b,) + joint[i + 1 :]][i]
            for i in range(g.n_players)
            for b in range(len(g.actions[s][i]))
        ):
            return joint
    return None


def _equilibrium(g: StochasticGame, rng: random.Random):
    """A stationary equilibrium of a game with action-independent transitions: a stage
    equilibrium at every state (None when some state has none we can find)."""
    strategies: dict = {p: {} for p in g.players}
    for s, state in enumerate(g.states):
        if g.n_players == 2:
            found = ep.equilibria(ep.BayesianGame.from_tables(_stage_tables(g, s))).equilibria
            prof = rng.choice(found).profile
            for i, p in enumerate(g.players):
                acts = g.actions[s][i]
                strategies[p][state] = {a: prof.probability(i, 0, k) for k, a in enumerate(acts)}
            continue
        joint = _pure_stage_equilibrium(g, s)
        if joint is None:
            return None
        for i, p in enumerate(g.players):
            strategies[p][state] = g.actions[s][i][joint[i]]
    return StationaryProfile.from_dict(g, strategies)


def test_equality_exactly_at_stationary_equilibria():
    rng = random.Random(11)
    built = mixed = 0
    while built < 60:
        players = 2 if built % 2 else 3
        g = ns.random_game(rng, players, rng.randint(1, 3), 2, constant="1", exogenous=True)
        p = _equilibrium(g, rng)
        if p is None:
            continue
        trace = stochastic_power_scarcity(g, p)
        assert check_stochastic(trace).ok
        assert trace.equality.holds and trace.equality.is_equilibrium
        assert trace.conclusion.power_sum == trace.conclusion.bound == 1 / (1 - g.gamma)
        assert ns.nash_conv(g, ns.sigma_of(p)) == 0
        built += 1
        mixed += any(0 < w < 1 for own in p.probabilities for d in own for w in d)
    assert mixed >= 2


def test_one_state_game_with_its_mixed_equilibrium():
    g = StochasticGame.repeated(
        ("row", "col"),
        (("H", "T"), ("H", "T")),
        {("H", "H"): (3, -3), ("H", "T"): (-1, 1), ("T", "H"): (-2, 2), ("T", "T"): (1, -1)},
        gamma="3/4",
    )
    # row mixes to make col indifferent: 3p − 2(1 − p)... col's payoffs −3p + 2(1−p) = p − (1−p)
    eq = StationaryProfile.from_dict(
        g, {"row": {"s": {"H": "3/7", "T": "4/7"}}, "col": {"s": {"H": "2/7", "T": "5/7"}}}
    )
    trace = stochastic_power_scarcity(g, eq)
    assert check_stochastic(trace).ok and trace.equality.holds
    off = StationaryProfile.from_dict(
        g, {"row": {"s": "H"}, "col": {"s": {"H": "2/7", "T": "5/7"}}}
    )
    t2 = stochastic_power_scarcity(g, off)
    assert check_stochastic(t2).ok and not t2.equality.holds
    row = next(r for r in t2.equality.slacks if r.player == "col")
    assert row.deviation is not None and row.deviation.better == "T" and row.deviation.gain == 4


# -- tampering ---------------------------------------------------------------------------------


def _base(pure_b=False):
    """A two-state zero-sum game at the uniform profile (``pure_b``: B plays 'v' at 't', so
    the cell ('x', 'u') of 't' has weight 0 for every quantity but the constant sum)."""
    g = corpus_two_states()  # the corpus's two-state game (proofs/corpus/stochastic_corpus.py)
    p = StationaryProfile.uniform(g)
    if pure_b:
        p = StationaryProfile.from_dict(
            g,
            {
                "A": {"s": {"x": "1/2", "y": "1/2"}, "t": "x"},
                "B": {"s": {"u": "1/2", "v": "1/2"}, "t": "v"},
            },
        )
    return stochastic_power_scarcity(g, p).to_data()


def _set(*path, value):
    def edit(d):
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return edit


def _forge_general(d):
    d["theorem"] = "power-scarcity"


CERT = ("steps", 0, "premises", "certificates")
TAMPERS = {
    "step value": (
        _set("steps", 2, "value", value="1"),
        "step 3 (occupancy-expectation): value of the right side is 0",
    ),
    "tampered policy value": (
        _set("steps", 1, "premises", "values", "A", "s", value="2"),
        "step 2 (max-dominates-mean): values of player 'A' at state 's': V = 2",
    ),
    "wrong Bellman action": (
        _set(*CERT, "A", "s", "action", value="y"),
        "Bellman certificate: W(s) = 15/7 but the claimed action 'y' gives 85/42",
    ),
    "non-optimal certificate": (
        lambda d: [
            _set(*CERT, "B", "s", "value", value="7/32")(d),
            _set(*CERT, "B", "s", "action", value="u")(d),
        ],
        "step 1 (power-definition): player 'B' state 's': Q of action",
    ),
    "Q not the kernel's": (
        _set(*CERT, "A", "t", "q", "x", value="3"),
        "Q of action 'x' is 18/7, trace says 3",
    ),
    "tampered reward": (
        _set("game", "states", 0, "cells", 2, "rewards", value=["5", "-5"]),
        "step 1 (power-definition): player 'A' state 's': Q of action 'y' is",
    ),
    "constant-sum claim false": (
        lambda d: (
            d.update(_base(pure_b=True))
            or _set("game", "states", 1, "cells", 0, "rewards", value=["4", "-3"])(d)
        ),
        "step 5 (constant-sum): rewards at state 't' joint action ['x', 'u'] sum to 1, "
        "not the constant 0",
    ),
    "occupancy": (
        _set("steps", 1, "premises", "occupancy", "s", value="1"),
        "occupancy at state 's': ρ = 1",
    ),
    "regret": (
        _set("steps", 1, "premises", "regrets", "A", "t", value="1"),
        "regret of player 'A' at state 't' is 0",
    ),
    "missing premise": (
        lambda d: d["steps"][1]["premises"].pop("total"),
        "premises: keys must be exactly",
    ),
    "equality flag": (
        _set("equality", "holds", value=True),
        "equality: equality holds: False, trace says True",
    ),
    "deviation gain": (
        _set("equality", "slacks", 0, "deviation", "gain", value="1"),
        "gain of 'x' over 'y'",
    ),
    "conclusion bound": (
        _set("conclusion", "bound", value="3"),
        "conclusion: bound is 0, trace says 3",
    ),
    "relation": (_set("steps", 1, "relation", value="="), "step 2 (max-dominates-mean): claim"),
    "gamma = 1": (_set("game", "gamma", value="1"), "trace: game: gamma: 1 is not in (0, 1)"),
    "float": (_set("game", "gamma", value=0.5), "float 0.5 is not exact JSON data"),
    "number as value": (_set("steps", 0, "value", value=3), "expected an exact value as a string"),
    "unknown key": (_set("steps", 0, "trust", value="me"), "a step has unknown key 'trust'"),
}


@pytest.mark.parametrize("name", sorted(TAMPERS))
def test_each_tamper_is_rejected(name):
    edit, expected = TAMPERS[name]
    d = copy.deepcopy(_base())
    edit(d)
    try:
        verdict = check_stochastic(StochasticTrace.from_data(d))
    except ProofError as exc:
        message = str(exc)
    else:
        assert verdict.status == "rejected", verdict.message
        message = verdict.message
    assert expected in message, message


def test_a_general_sum_trace_cannot_claim_the_constant_sum_theorem():
    rng = random.Random(4)
    g = ns.random_game(rng, 2, 2, 2)
    d = stochastic_power_scarcity(g, ns.random_profile(rng, g)).to_data()
    _forge_general(d)
    verdict = check_stochastic(StochasticTrace.from_data(d))
    assert not verdict.ok and "power-scarcity has 6 steps" in verdict.message


def test_every_value_changed_is_rejected():
    base = _base()
    places = []

    def walk(node, path):
        if isinstance(node, dict):
            for k, v in node.items():
                walk(v, path + (k,))
        elif isinstance(node, list):
            for k, v in enumerate(node):
                walk(v, path + (k,))
        elif isinstance(node, str) and path[0] in ("steps", "equality", "conclusion"):
            try:
                R(node)
            except (TypeError, ValueError, SyntaxError):
                return
            if node.lstrip("-").replace("/", "").isdigit():
                places.append(path)

    walk(base, ())
    assert len(places) > 40
    for path in places:
        d = copy.deepcopy(base)
        node = d
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = str(R(node[path[-1]]) + R(1, 7))
        assert not check_stochastic(StochasticTrace.from_data(d)).ok, path


def test_malformed_records_are_rejected_not_errors():
    trace = StochasticTrace.from_data(_base())
    step = trace.steps[0]
    for bad in (
        dataclasses.replace(trace, theorem=["x"]),
        dataclasses.replace(
            trace, steps=(dataclasses.replace(step, premises=[]),) + trace.steps[1:]
        ),
        dataclasses.replace(
            trace, steps=(dataclasses.replace(step, value=sympy.Symbol("x")),) + trace.steps[1:]
        ),
        dataclasses.replace(trace, equality=None),
        dataclasses.replace(
            trace,
            profile=StationaryProfile.uniform(
                StochasticGame.repeated(("A",), (("x",),), {("x",): (0,)}, gamma="1/2")
            ),
        ),
    ):
        verdict = check_stochastic(bad)
        assert verdict.status == "rejected", verdict.message


def test_a_bug_in_a_rule_is_a_kernel_error(monkeypatch):
    trace = StochasticTrace.from_data(_base())
    monkeypatch.setitem(kernel.STOCHASTIC_RULES, "linearity", lambda step, fx: 1 / 0)
    verdict = check_stochastic(trace)
    assert verdict.status == "error" and "ZeroDivisionError" in verdict.message
    with pytest.raises(KernelError):
        check_stochastic_or_raise(trace)


# -- reading, dispatch, the command line, LaTeX -------------------------------------------------


def test_read_trace_dispatches_on_the_format():
    text = StochasticTrace.from_data(_base()).to_json()
    assert isinstance(read_trace(text), StochasticTrace)
    assert check_trace(text)[1].ok
    dup = text.replace(
        '"theorem": "power-scarcity",', '"theorem": "power-scarcity", "theorem": "x",', 1
    )
    with pytest.raises(ProofError, match="duplicate key 'theorem'"):
        read_trace(dup)


def test_the_command_line(tmp_path, capsys):
    from exactpower.cli import main
    from exactpower.io.stochastic_json import dumps_stochastic

    trace = StochasticTrace.from_data(_base())
    game, out = tmp_path / "g.json", tmp_path / "t.json"
    game.write_text(dumps_stochastic(trace.game))
    assert (
        main(["verify", str(game), "--profile", "uniform", "--trace-out", str(out), "--json"]) == 0
    )
    doc = json.loads(capsys.readouterr().out)
    assert doc["theorem"] == "power-scarcity" and doc["results"][0]["power_sum"] == "1137/224"
    assert main(["check", str(out)]) == 0
    d = json.loads(out.read_text())
    d["steps"][0]["value"] = "1"
    out.write_text(json.dumps(d))
    assert main(["check", str(out)]) == 1
    bad = json.loads(game.read_text())
    bad["gamma"] = "1"
    game.write_text(json.dumps(bad))
    assert main(["verify", str(game), "--profile", "uniform"]) == 2
    assert "gamma: 1 is not in (0, 1)" in capsys.readouterr().err


@pytest.mark.tex
def test_latex_compiles(tmp_path):
    from tex import compile_tex

    rng = random.Random(9)
    g = ns.random_game(rng, 3, 2, 2, constant="0")
    for p in (ns.random_profile(rng, g), StationaryProfile.uniform(g)):
        compile_tex(stochastic_to_latex(stochastic_power_scarcity(g, p)), tmp_path)


def test_a_forged_constant_sum_chain_is_rejected():
    import sys

    sys.path.insert(0, str(CORPUS))
    from stochastic_corpus import _forge_constant_sum, good_traces

    d = good_traces()["two-states-general-sum"].to_data()
    _forge_constant_sum(d)
    verdict = check_stochastic(StochasticTrace.from_data(d))
    assert verdict.step == 5 and "sum to 1, not the constant 0" in verdict.message


@pytest.mark.parametrize(
    "path", sorted((CORPUS / "stochastic-good").glob("*.json")), ids=lambda p: p.stem
)
def test_corpus_good(path):
    trace, verdict = check_trace(path.read_text(encoding="utf-8"))
    assert isinstance(trace, StochasticTrace) and verdict.ok, verdict.message


@pytest.mark.parametrize(
    "path", sorted((CORPUS / "stochastic-bad").glob("*.json")), ids=lambda p: p.stem
)
def test_corpus_bad(path):
    expected, message = corpus_rejection(path)
    assert expected in message, (expected, message)


def test_the_corpus_has_every_tamper_kind():
    names = {p.stem for p in (CORPUS / "stochastic-bad").glob("*.json")}
    assert {
        "tampered-step-value",
        "wrong-bellman-action",
        "non-optimal-certificate",
        "constant-sum-claim-false",
        "tampered-reward",
        "gamma-one",
        "float-gamma",
    } <= names


def test_latex_needs_an_accepted_trace():
    d = _base()
    d["steps"][0]["value"] = "1"
    with pytest.raises(ProofError, match="the kernel rejects"):
        stochastic_to_latex(StochasticTrace.from_data(d))
