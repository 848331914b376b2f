"""Hostile input to ``exactpower check`` on game-tree and stochastic-game traces.

The pattern of ``test_check_fuzz.py``: real traces -- Kuhn poker at the uniform profile,
Kuhn poker with a symbolic calling probability, small random trees (constant-sum and
general-sum), random stochastic games (constant-sum and general-sum) -- get one hostile
edit each: a value, payoff, probability or certificate action changed; records swapped,
duplicated or dropped; keys renamed, duplicated or added; floats, huge numbers, deep
expressions and ``Max`` chains; the embedded game or profile changed so that the claims no
longer match.  Whatever the edit:

* the exit status is 0, 1 or 2 (never 3, an error inside the checker), with one line on
  stderr when it is not 0, and never a traceback; every run ends within ``BUDGET`` seconds;
* exit 0 only for a trace whose claims are true on the game and profile embedded in the
  (edited) trace: POWER per player, ``u_i``, NashConv, the constant (or welfare), the
  equality verdicts, recomputed by the independent oracles ``tests/naive_tree.py`` (every
  pure strategy enumerated) and ``tests/naive_stochastic.py`` (every deterministic
  stationary policy, values by Gaussian elimination).  A symbolic trace is compared at
  sample points of its parameters' domains.

CI runs ``max_examples=150``; ``FUZZ_EXAMPLES=3000`` runs more locally.
"""

from __future__ import annotations

import json
import os
import random
import time
from fractions import Fraction
from types import SimpleNamespace

import naive_stochastic as ns
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower.cli import main
from exactpower.exact import Parameter
from exactpower.sequential import BehaviourProfile, catalog
from exactpower.sequential.testing import random_game, random_profile
from proofs import read_trace
from proofs.stochastic_trace import stochastic_power_scarcity
from proofs.tree_trace import tree_power_scarcity
from tests import naive_tree

#: Seconds one ``check`` may take on an edited trace.
BUDGET = 20.0
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "150"))
R = sympy.Rational


def _kuhn_symbolic():
    kuhn, c = catalog.kuhn_poker(), Parameter("c", "probability")
    rows = {s.name: "check" for s in kuhn.infosets if s.player is not None}
    rows["1:Q:check,bet"] = {"call": "1/3", "fold": "2/3"}
    rows.update({"1:K:check,bet": "call", "2:K:bet": "call", "2:K:check": "bet"})
    rows.update({"1:J:check,bet": "fold", "2:J:bet": "fold"})
    rows["2:J:check"] = {"bet": "1/3", "check": "2/3"}
    rows["2:Q:bet"] = {"call": c.symbol, "fold": 1 - c.symbol}
    return kuhn, BehaviourProfile.from_dict(kuhn, rows, parameters=(c,))


def _traces() -> dict:
    kuhn = catalog.kuhn_poker()
    out = {"kuhn-uniform": tree_power_scarcity(kuhn, BehaviourProfile.uniform(kuhn))}
    out["kuhn-symbolic"] = tree_power_scarcity(*_kuhn_symbolic())
    for seed in range(4):
        rng = random.Random(seed)
        g = random_game(rng, max_nodes=24, max_depth=5, constant_sum=0 if seed % 2 else None)
        out[f"tree-{seed}"] = tree_power_scarcity(g, random_profile(rng, g))
    for seed in range(4):
        rng = random.Random(100 + seed)
        g = ns.random_game(rng, 2, rng.randint(1, 3), 2, constant="1" if seed % 2 else None)
        out[f"stochastic-{seed}"] = stochastic_power_scarcity(g, ns.random_profile(rng, g))
    return {name: t.to_json() for name, t in out.items()}


TEXTS = _traces()

NUMBERS = ["0.99999999999999999", "1.0000000000000001", "1e-400", "-0.0", "9007199254740993"]
STRINGS = [
    "0",
    "1",
    "-1",
    "1/3",
    "1/2",
    "2",
    "c",
    "1 - c",
    "c^2",
    "y",
    "_max0_",
    "Max(c, 1 - c)",
    "Max(1, 2)",
    "Max(" * 40 + "1" + ")" * 40,
    "Max(1, 2)+" * 300 + "0",
    "(" * 40 + "1" + ")" * 40,
    "1/" + "7" * 100,
    "7" * 100 + "/" + "3" * 99,
    "(1/" + "7" * 99 + ")^16",
    "1/(c - 1/2)",
    "(c - c^2)/(1 - c)",
    "(c + 1)^16",
    "1/((c + 1)^16 + 1)",
    "sqrt(2)",
    "__import__('os')",
    "",
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


def _strings(tree) -> list:
    """Every string of the trace, keys included: replacing a certificate's action by
    another information set's action, a state by another state, and so on."""
    out = {v for _, v in _sites(tree) if isinstance(v, str) and len(v) < 60}
    out |= {p[-1] for p, _ in _sites(tree) if isinstance(p[-1], str) and len(p[-1]) < 60}
    return sorted(out)


def _container_edit(draw, old) -> None:
    """Swap, duplicate or drop an item of a list; rename, drop or add a key of a dict."""
    if isinstance(old, list) and old:
        op = draw(st.sampled_from(["swap", "duplicate", "drop", "reverse"]), label="list-op")
        i = draw(st.integers(0, len(old) - 1), label="item")
        j = draw(st.integers(0, len(old) - 1), label="other")
        if op == "swap":
            old[i], old[j] = old[j], old[i]
        elif op == "duplicate":
            old.insert(j, json.loads(json.dumps(old[i])))
        elif op == "drop":
            del old[i]
        else:
            old.reverse()
    elif isinstance(old, dict) and old:
        keys = list(old)
        op = draw(st.sampled_from(["rename", "drop", "add", "swap-values"]), label="dict-op")
        k = draw(st.sampled_from(keys), label="key")
        other = draw(st.sampled_from(keys), label="other-key")
        if op == "rename" and other not in (k,):
            old[other + "'"] = old.pop(k)
        elif op == "drop":
            del old[k]
        elif op == "add":
            old["trust_me"] = draw(st.sampled_from(["1", True, {"valid": True}]))
        else:
            old[k], old[other] = old[other], old[k]


@st.composite
def edited_traces(draw):
    """``(name, text)``: a real tree or stochastic trace with one hostile edit."""
    name = draw(st.sampled_from(sorted(TEXTS)), label="trace")
    tree = json.loads(TEXTS[name])
    if name.startswith("stochastic") or name == "kuhn-uniform":
        region = draw(st.sampled_from(["any", "game", "profile", "claims"]), label="region")
    else:
        region = draw(st.sampled_from(["any", "game", "claims"]), label="region")
    sites = [
        (p, v)
        for p, v in _sites(tree)
        if region == "any"
        or (region == "claims" and p[0] in ("steps", "equality", "conclusion"))
        or p[0] == region
    ]
    path, old = draw(st.sampled_from(sites), label="site")
    parent = tree
    for key in path[:-1]:
        parent = parent[key]
    kinds = ["value", "string", "perturb", "number", "json", "container", "duplicate-key"]
    kind = draw(st.sampled_from(kinds), label="kind")
    marker = None
    if kind == "value":
        parent[path[-1]] = draw(st.sampled_from(STRINGS), label="value")
    elif kind == "string":
        parent[path[-1]] = draw(st.sampled_from(_strings(tree)), label="string")
    elif kind == "perturb" and isinstance(old, str):
        delta = draw(st.sampled_from(["1/100000000000000000", "1", "-1/3", "c/7"]))
        parent[path[-1]] = f"({old}) + {delta}"
    elif kind == "number":
        marker = draw(st.sampled_from(NUMBERS), label="number")
        parent[path[-1]] = "@@NUMBER@@"
    elif kind == "json":
        parent[path[-1]] = draw(st.sampled_from([True, False, None, {}, [], 0, 1, "null"]))
    elif kind == "container":
        _container_edit(draw, old)
    text = json.dumps(tree, ensure_ascii=False)
    if marker is not None:
        text = text.replace('"@@NUMBER@@"', marker)
    if kind == "duplicate-key" and isinstance(path[-1], str):
        key = json.dumps(path[-1], ensure_ascii=False)
        text = text.replace(f"{key}: ", f"{key}: {json.dumps(old)}, {key}: ", 1)
    return name, text


# -- the oracles --------------------------------------------------------------------------------


def _fr(v) -> Fraction:
    assert isinstance(v, sympy.Rational), v
    return Fraction(int(v.p), int(v.q))


def _samples(params) -> list:
    """Points of the parameters' domains: ``{symbol: Rational}``."""
    choices = {
        "probability": [R(0), R(1, 3), R(1, 2), R(1)],
        "positive": [R(1, 2), R(3)],
        "nonnegative": [R(0), R(2)],
    }
    symbols = [(p.symbol, choices.get(p.domain, [R(-2), R(0), R(5, 2)])) for p in params]
    points = [{}]
    for s, values in symbols:
        points = [{**pt, s: v} for pt in points for v in values]
    return points[:16]


def _at(value, point) -> Fraction:
    return _fr(sympy.sympify(value).subs(point) if point else value)


def _tree_at(game, profile, point):
    """The game and profile with the parameters at ``point`` (plain records for the oracle)."""

    def sub(v):
        return v.subs(point) if point else v

    nodes = [
        SimpleNamespace(
            kind=n.kind,
            infoset=n.infoset,
            children=n.children,
            payoffs=None if n.payoffs is None else [sub(v) for v in n.payoffs],
        )
        for n in game.nodes
    ]
    sets = [
        SimpleNamespace(
            player=s.player,
            actions=s.actions,
            probabilities=None if s.probabilities is None else [sub(v) for v in s.probabilities],
        )
        for s in game.infosets
    ]
    g = SimpleNamespace(nodes=nodes, infosets=sets, players=game.players)
    rows = [[sub(v) for v in row] for row in profile.probabilities]
    return g, SimpleNamespace(probabilities=rows)


def assert_tree_claims_true(trace) -> None:
    """Every claim of an accepted tree trace, at every sample point, against the oracle."""
    game, profile, names = trace.game, trace.profile, trace.game.players
    for point in _samples((*game.parameters, *profile.parameters)):
        g, p = _tree_at(game, profile, point)
        powers = [naive_tree.power(g, p, i) for i in range(len(names))]
        u = naive_tree.payoffs(g, p)
        conv = sum(powers, Fraction(0)) - sum(u, Fraction(0))
        c, steps = trace.conclusion, trace.steps
        assert _at(c.power_sum, point) == sum(powers), point
        assert _at(c.gap, point) == conv, point
        assert [_at(steps[0].premises["power"][n], point) for n in names] == powers
        assert [_at(steps[2].premises["expected"][n], point) for n in names] == u
        assert _at(steps[1].value, point) == sum(u)
        if trace.theorem == "power-scarcity":
            sums = {sum(map(_fr, n.payoffs), Fraction(0)) for n in g.nodes if n.payoffs}
            assert sums == {_at(c.bound, point)}
        else:
            assert _at(c.bound, point) == sum(u)
        for flag in (trace.equality.holds, trace.equality.is_equilibrium):
            assert flag is None or flag is (conv == 0)


def assert_stochastic_claims_true(trace) -> None:
    """Every claim of an accepted stochastic trace against ``naive_stochastic``."""
    game = trace.game
    sigma = ns.sigma_of(trace.profile)
    n = game.n_players
    powers = [ns.power(game, sigma, i) for i in range(n)]
    values = [ns.value(game, sigma, i) for i in range(n)]
    conv = ns.nash_conv(game, sigma)
    c, steps = trace.conclusion, trace.steps
    assert _fr(c.power_sum) == sum(powers) and _fr(c.gap) == conv
    assert [_fr(steps[0].premises["power"][p]) for p in game.players] == powers
    assert [_fr(steps[2].premises["expected_rewards"][p]) for p in game.players] == values
    assert _fr(steps[1].value) == sum(values)
    if trace.theorem == "power-scarcity":
        sums = {sum(map(ns.fr, cell), Fraction(0)) for state in game.rewards for cell in state}
        (constant,) = sums
        assert _fr(c.bound) == constant / (1 - ns.fr(game.gamma))
    else:
        assert _fr(c.bound) == sum(values)
    assert trace.equality.holds is (conv == 0)
    assert trace.equality.is_equilibrium is (conv == 0)


def assert_claims_true(text: str) -> None:
    trace = read_trace(text)
    if trace.to_data()["format"] == "exactpower/stochastic-trace-v1":
        assert_stochastic_claims_true(trace)
    else:
        assert_tree_claims_true(trace)


def run_check(capsys, tmp_path, text: str):
    path = tmp_path / "t.json"
    path.write_text(text, encoding="utf-8")
    start = time.perf_counter()
    code = main(["check", str(path)])
    seconds = time.perf_counter() - start
    out, err = capsys.readouterr()
    return code, out, err, seconds


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(edited=edited_traces())
def test_check_never_accepts_a_false_sequential_trace(capsys, tmp_path, edited):
    _, text = edited
    code, out, err, seconds = run_check(capsys, tmp_path, text)
    assert seconds < BUDGET, f"check took {seconds:.1f} s"
    assert code in (0, 1, 2), err
    assert "Traceback" not in err and "Traceback" not in out
    if code != 0:
        assert err.count("\n") == 1 and err.startswith("exactpower: "), err
        return
    assert_claims_true(text)


@pytest.mark.parametrize("name", sorted(TEXTS))
def test_unedited_sequential_traces_are_valid_and_true(capsys, tmp_path, name):
    code, _, err, _ = run_check(capsys, tmp_path, TEXTS[name])
    assert code == 0, err
    assert_claims_true(TEXTS[name])
