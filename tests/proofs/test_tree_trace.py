"""The power-scarcity theorem and the general-sum identity on game trees (issue 11), traced
and kernel-checked: Kuhn poker (uniform, the equilibrium family, a symbolic calling
probability), random trees against the independent oracle of ``tests/naive_tree.py``, one
test per tamper kind, the JSON reader, the corpus, the command line and the LaTeX."""

from __future__ import annotations

import dataclasses
import json
import random
import sys
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings

from exactpower.cli import main
from exactpower.exact import Parameter
from exactpower.sequential import BehaviourProfile, ExtensiveGame, catalog, decision, terminal
from exactpower.sequential.testing import games_with_profiles, random_game, random_profile
from proofs import check_trace
from proofs.kernel import Deviation, same
from proofs.kernel.tree import check_tree
from proofs.tree_trace import TreeTrace, tree_power_scarcity
from tests import naive_tree

from cases import corpus_rejection

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "proofs" / "corpus"
sys.path.insert(0, str(CORPUS))
from tree_corpus import kuhn_family  # noqa: E402

R = sympy.Rational


@pytest.fixture(scope="module")
def kuhn():
    return catalog.kuhn_poker()


def _ok(trace):
    verdict = check_tree(trace)
    assert verdict.status == "valid", verdict.message
    return verdict


# -- Kuhn poker -------------------------------------------------------------------------------


def test_kuhn_uniform_has_positive_power_sum(kuhn):
    trace = tree_power_scarcity(kuhn, BehaviourProfile.uniform(kuhn))
    _ok(trace)
    c = trace.conclusion
    assert trace.theorem == "power-scarcity" and c.bound == 0
    # POWER(1) = 1/2, POWER(2) = 5/12 (by hand: e.g. player 2 calls with K, folds J, ...)
    assert trace.steps[0].premises["power"] == {"1": R(1, 2), "2": R(5, 12)}
    assert isinstance(c.power_sum, sympy.Rational) and c.power_sum == R(11, 12) > 0
    assert c.gap == c.power_sum and trace.equality.holds is False
    assert trace.equality.is_equilibrium is False
    # the information sets with positive slack are named, each with a witness
    positive = [r.infoset for r in trace.equality.slacks if r.zero is False]
    assert "1:K" not in positive and "1:J" in positive and len(positive) == 11
    assert all(r.deviation is not None for r in trace.equality.slacks if r.zero is False)
    # against the independent oracle (enumerates every pure strategy)
    profile = BehaviourProfile.uniform(kuhn)
    assert [naive_tree.power(kuhn, profile, i) for i in (0, 1)] == [R(1, 2), R(5, 12)]


@pytest.mark.parametrize("alpha", [R(0), R(1, 6), R(1, 3)])
def test_kuhn_equilibrium_family_gives_equality(kuhn, alpha):
    trace = tree_power_scarcity(kuhn, kuhn_family(kuhn, alpha))
    _ok(trace)
    assert trace.conclusion.power_sum == 0 and trace.conclusion.gap == 0
    assert trace.equality.holds is True and trace.equality.is_equilibrium is True
    assert all(r.zero is True for r in trace.equality.slacks)
    assert trace.steps[2].premises["expected"] == {"1": R(-1, 18), "2": R(1, 18)}


def test_kuhn_off_the_family_is_strict(kuhn):
    trace = tree_power_scarcity(kuhn, kuhn_family(kuhn, R(1, 6), R(1, 2)))
    _ok(trace)
    assert trace.equality.holds is False and trace.conclusion.power_sum > 0


def test_kuhn_symbolic_calling_probability(kuhn):
    c = Parameter("c", "probability")
    trace = tree_power_scarcity(kuhn, kuhn_family(kuhn, R(0), c.symbol, (c,)))
    _ok(trace)
    eq = trace.equality
    assert eq.condition == "Eq(c, 1/3)" and eq.holds is None
    undecided = {r.infoset for r in eq.slacks if r.zero is None}
    assert undecided == {"1:J", "1:K"}  # where the best action depends on c
    certs = trace.steps[0].premises["certificates"]["1"]
    assert certs["1:J"]["action"] is None and certs["1:Q"]["action"] == "check"
    # the condition agrees with rational instances on both sides of 1/3
    for value, holds in ((R(1, 3), True), (R(1, 4), False), (R(1, 2), False)):
        t = tree_power_scarcity(kuhn, kuhn_family(kuhn, R(0), value))
        assert _ok(t) and t.equality.holds is holds
        assert trace.conclusion.power_sum.subs(c.symbol, value) == t.conclusion.power_sum
    # a wrong condition is rejected
    bad = dataclasses.replace(trace, equality=dataclasses.replace(eq, condition="Eq(c, 1/2)"))
    assert "equality condition on the parameters is Eq(c, 1/3)" in check_tree(bad).message


def test_round_trip_is_exact(kuhn):
    c = Parameter("c", "probability")
    for profile in (BehaviourProfile.uniform(kuhn), kuhn_family(kuhn, R(0), c.symbol, (c,))):
        trace = tree_power_scarcity(kuhn, profile)
        back = TreeTrace.from_json(trace.to_json())
        assert back.game == kuhn and back.profile == profile
        if not profile.is_symbolic:  # a symbolic value may come back in another form
            assert back.to_json() == trace.to_json()
        assert same(back.conclusion.power_sum, trace.conclusion.power_sum)
        _ok(back)
        read, verdict = check_trace(trace.to_json())
        assert isinstance(read, TreeTrace) and verdict.ok


# -- random trees -------------------------------------------------------------------------------

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _oracle(game, profile):
    powers = [naive_tree.power(game, profile, i) for i in range(game.n_players)]
    return sum(powers), naive_tree.welfare(game, profile), naive_tree.nash_conv(game, profile)


@SETTINGS
@given(games_with_profiles(max_nodes=22, max_depth=4, constant_sum=0))
def test_random_constant_sum_trees(pair):
    game, profile = pair
    trace = tree_power_scarcity(game, profile)
    _ok(trace)
    assert trace.theorem == "power-scarcity"
    power_sum, welfare, conv = _oracle(game, profile)
    assert trace.conclusion.power_sum == power_sum >= 0 == welfare
    assert trace.conclusion.gap == conv
    assert trace.equality.holds is (conv == 0) is trace.equality.is_equilibrium


@SETTINGS
@given(games_with_profiles(max_nodes=22, max_depth=4))
def test_random_general_sum_identity(pair):
    game, profile = pair
    trace = tree_power_scarcity(game, profile)
    _ok(trace)
    power_sum, welfare, conv = _oracle(game, profile)
    assert trace.conclusion.power_sum == power_sum == welfare + conv
    if trace.theorem == "general-sum-identity":
        assert trace.conclusion.bound == welfare and trace.steps[-1].premises == {
            "welfare": welfare,
            "nash_conv": conv,
        }


# -- tampering: every kind is rejected -------------------------------------------------------


def _step(trace, k, **changes):
    steps = list(trace.steps)
    steps[k] = dataclasses.replace(steps[k], **changes)
    return dataclasses.replace(trace, steps=tuple(steps))


def _premise(trace, k, edit):
    prem = json.loads(json.dumps(trace.steps[k].premises, default=str))  # a deep copy
    edit(prem)
    from proofs.tree_trace import TREE_VALUE_KEYS

    def values(obj, is_value=False):
        if isinstance(obj, dict):
            return {a: values(v, is_value or a in TREE_VALUE_KEYS) for a, v in obj.items()}
        if isinstance(obj, list):
            return [values(v, is_value) for v in obj]
        return sympy.Rational(obj) if is_value and isinstance(obj, str) else obj

    return _step(trace, k, premises=values(prem))


def _first_nonbest(trace):
    """``(player, infoset, action)`` of an action that is not a best one, if any."""
    for player, sets in trace.steps[0].premises["certificates"].items():
        for name, cert in sets.items():
            best = cert["values"][cert["action"]]
            for a, v in cert["values"].items():
                if v < best:
                    return player, name, a
    return None


def _tampers(trace):
    out = {
        "value": _step(trace, 0, value=trace.steps[0].value + 1),
        "power": _premise(trace, 0, lambda p: p["power"].update({"p0": "99"})),
        "slack": _premise(
            trace, 1, lambda p: p["terms"][0].update(slack="-1") if p["terms"] else p.clear()
        ),
        "total": _premise(trace, 1, lambda p: p.update(total="99")),
        "reach": _premise(trace, 2, lambda p: p["reach"].update({next(iter(p["reach"])): "2"})),
        "expected": _premise(trace, 2, lambda p: p["expected"].update({"p0": "99"})),
        "relation": _step(trace, 1, relation="="),
        "gap": dataclasses.replace(
            trace, conclusion=dataclasses.replace(trace.conclusion, gap=trace.conclusion.gap + 1)
        ),
        "holds": dataclasses.replace(
            trace, equality=dataclasses.replace(trace.equality, holds=not trace.equality.holds)
        ),
    }
    hit = _first_nonbest(trace)
    if hit is not None:
        player, name, action = hit
        out["certificate"] = _premise(
            trace,
            0,
            lambda p: p["certificates"][player][name].update(action=action),
        )
    return out


@SETTINGS
@given(games_with_profiles(max_nodes=22, max_depth=4, constant_sum=0))
def test_every_tamper_kind_is_rejected(pair):
    game, profile = pair
    trace = tree_power_scarcity(game, profile)
    for kind, bad in _tampers(trace).items():
        verdict = check_tree(bad)
        assert verdict.status == "rejected", (kind, verdict.message)


def test_tampered_leaf_payoff_is_rejected():
    rng = random.Random(7)
    for _ in range(20):
        game = random_game(rng, max_nodes=20, constant_sum=0)
        trace = tree_power_scarcity(game, random_profile(rng, game))
        z = game.terminals()[0]
        node = game.nodes[z]
        pay = (node.payoffs[0] + 1, *node.payoffs[1:])
        nodes = tuple(
            dataclasses.replace(n, payoffs=pay) if k == z else n for k, n in enumerate(game.nodes)
        )
        tampered = dataclasses.replace(game, nodes=nodes)
        bad = dataclasses.replace(
            trace, game=tampered, profile=dataclasses.replace(trace.profile, game=tampered)
        )
        assert check_tree(bad).status == "rejected"


def test_a_non_optimal_certificate_is_rejected():
    g = catalog.matching_pennies()
    trace = tree_power_scarcity(g, BehaviourProfile.pure(g, {"1": "H", "2": "H"}))
    bad = _premise(trace, 0, lambda p: p["certificates"]["2"]["2"].update(action="H"))
    assert "'H' is not a best action" in check_tree(bad).message


def test_malformed_records_are_rejected_not_errors(kuhn):
    trace = tree_power_scarcity(kuhn, BehaviourProfile.uniform(kuhn))
    row = trace.equality.slacks[0]
    for bad in (
        dataclasses.replace(trace, theorem=["x"]),
        dataclasses.replace(trace, game=None),
        _step(trace, 0, premises=[]),
        _step(trace, 0, premises={"certificates": None, "power": {}}),
        _premise(trace, 1, lambda p: p["terms"].append("x")),
        dataclasses.replace(
            trace,
            equality=dataclasses.replace(
                trace.equality,
                slacks=(dataclasses.replace(row, deviation=Deviation("x", "y", R(1))),)
                + trace.equality.slacks[1:],
            ),
        ),
        dataclasses.replace(trace, steps=trace.steps[:-1]),
    ):
        verdict = check_tree(bad)
        assert verdict.status == "rejected", verdict.message


def test_a_removable_singularity_is_refused():
    x = Parameter("x", "probability")
    g = ExtensiveGame.build(
        ("A", "B"),
        decision("A", "a", {"l": terminal("(x - x**2)/(1 - x)", 0), "r": terminal(0, 0)}),
        parameters=(x,),
    )
    verdict = check_tree(tree_power_scarcity(g, BehaviourProfile.uniform(g)))
    assert verdict.status == "rejected" and "undefined where x - 1 = 0" in verdict.message


def test_the_kernel_does_not_import_quantities():
    text = (ROOT / "proofs" / "kernel" / "tree.py").read_text(encoding="utf-8")
    text += (ROOT / "proofs" / "kernel" / "tree_records.py").read_text(encoding="utf-8")
    assert "quantities" not in text.replace("never ``exactpower.sequential.quantities``", "")


# -- the corpus, the reader, the command line, LaTeX ------------------------------------------


@pytest.mark.parametrize(
    "path", sorted((CORPUS / "tree-good").glob("*.json")), ids=lambda p: p.stem
)
def test_corpus_good(path):
    trace, verdict = check_trace(path.read_text(encoding="utf-8"))
    assert isinstance(trace, TreeTrace) and verdict.ok, verdict.message


@pytest.mark.parametrize("path", sorted((CORPUS / "tree-bad").glob("*.json")), ids=lambda p: p.stem)
def test_corpus_bad(path):
    expected, message = corpus_rejection(path)
    assert expected in message, (expected, message)


def test_corpus_has_every_tamper_kind():
    names = {p.stem for p in (CORPUS / "tree-bad").glob("*.json")}
    for kind in (
        "claim",
        "certificate-not-optimal",
        "certificate-wrong-action",
        "reach-wrong",
        "constant-sum",
        "leaf-payoff",
        "duplicate-key",
        "unknown-key",
        "float",
    ):
        assert any(kind in n for n in names), kind


def test_cli_verify_check_and_latex(tmp_path, capsys, kuhn):
    from exactpower.io.trees import write_tree

    tree = tmp_path / "kuhn.json"
    write_tree(kuhn, tree)
    out = tmp_path / "trace.json"
    assert main(["verify", str(tree), "--profile", "uniform", "--trace-out", str(out)]) == 0
    assert "checked by the kernel: yes" in capsys.readouterr().out
    assert main(["check", str(out)]) == 0
    assert capsys.readouterr().out.startswith("valid: ")
    assert main(["verify", str(tree), "--profile", "uniform", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["theorem"] == "power-scarcity" and doc["results"][0]["power_sum"] == "11/12"
    bad = CORPUS / "tree-bad" / "tree-reach-wrong.json"
    assert main(["check", str(bad)]) == 1
    assert main(["verify", str(tree), "--profile", "uniform", "--param", "x=1"]) == 2
    assert main(["latex", str(tree), "--profile", "uniform", "-o", str(tmp_path / "k.tex")]) == 0
    assert "reach-expectation" in (tmp_path / "k.tex").read_text(encoding="utf-8")


@pytest.mark.tex
def test_kuhn_latex_compiles(tmp_path, kuhn):
    from proofs.tree_latex import tree_to_latex
    from tests.tex import compile_tex

    c = Parameter("c", "probability")
    for name, profile in (
        ("uniform", BehaviourProfile.uniform(kuhn)),
        ("symbolic", kuhn_family(kuhn, R(0), c.symbol, (c,))),
    ):
        source = tree_to_latex(tree_power_scarcity(kuhn, profile))
        assert source == tree_to_latex(tree_power_scarcity(kuhn, profile))  # deterministic
        compile_tex(source, tmp_path, name, overfull_ok=True)
