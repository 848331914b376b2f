"""Shape-wide proofs: ``proofs.shape_theorem``, the shape kernel ``proofs.check_shape``,
``exactpower prove-shape`` and ``benchmarks/bench_shape.py``."""

from __future__ import annotations

import ast
import copy
import dataclasses
import importlib.util
import itertools
import json
import pathlib
import random
from fractions import Fraction

import pytest
import sympy

import exactpower as ep
import proofs
from exactpower import BayesianGame, Player, StrategyProfile
from proofs.kernel import SHAPE_NOTATION as NOTATION
from proofs.kernel import THEOREMS, check_shape, check_shape_or_raise
from proofs.kernel.ring import MAX_PLAYERS, MAX_SYMBOLS
from proofs.shape import ShapeTrace, normalise_shape, shape_theorem

from cases import run_cli

ROOT = pathlib.Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def t222():
    return shape_theorem(2, 2, 2)


@pytest.fixture(scope="module")
def g222():
    return shape_theorem(2, 2, 2, constant_sum=False)


# -- valid proofs ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "shape", [(1, 1, 1), (2, 1, 2), (2, 2, 2), (3, 2, 2), (3, [2, 1, 1], 2), (2, [1, 3], [3, 2])]
)
@pytest.mark.parametrize("constant_sum", [True, False])
def test_shapes_prove_and_check(shape, constant_sum):
    trace = shape_theorem(*shape, constant_sum=constant_sum)
    verdict = check_shape(trace)
    assert verdict.ok, verdict.message
    assert trace.theorem == ("power-scarcity" if constant_sum else "general-sum-identity")
    assert [s.rule for s in trace.steps] == list(THEOREMS[trace.theorem])
    assert "valid for every game of shape" in verdict.message
    again = ShapeTrace.from_json(trace.to_json())
    assert again == trace and check_shape(again).ok


def test_the_constant_sum_chain_ends_at_c(t222):
    assert [(s.rule, s.relation, s.terms) for s in t222.steps] == [
        ("power-definition", "=", 4),
        ("max-dominates-mean", "≥", 32),
        ("total-expectation", "=", 32),
        ("linearity", "=", 32),
        ("constant-sum", "=", 16),
        ("normalisation", "=", 1),
    ]
    assert t222.steps[-1].polynomial == (("1", "c"),)
    assert t222.counts == {
        "payoffs": 32,
        "prior": 4,
        "strategies": 8,
        "maxima": 4,
        "constant": 1,
        "total": 49,
    }
    assert len(t222.symbols) == 49 and t222.shape == "2x2x2"
    assert [h.name for h in t222.hypotheses][-1] == "constant-sum"
    assert t222.equality.rule == "sum-of-nonnegatives"


def test_general_sum_identity_2x2x2(g222):
    assert check_shape(g222).ok
    assert g222.theorem == "general-sum-identity" and "c" not in g222.symbols
    last = g222.steps[-1]
    assert (last.rule, last.lhs, last.relation, last.rhs) == (
        "slack-sum",
        "Σ_i POWER(i,σ)",
        "=",
        "W(σ) + NashConv(σ)",
    )
    assert {m for _, m in last.polynomial} == {"M_1[0]", "M_1[1]", "M_2[0]", "M_2[1]"}
    assert "constant-sum" not in [h.name for h in g222.hypotheses]


def test_shape_3x2x2_symbols_and_terms():
    trace = shape_theorem(3, 2, 2)
    assert trace.counts["total"] == 3 * 8 * 8 + 8 + 12 + 6 + 1
    assert check_shape(trace).ok
    assert trace.steps[2].terms == 3 * 8 * 8 and trace.steps[4].terms == 8 * 8


# -- corrupted traces are rejected --------------------------------------------------------------


def _data(trace):
    return json.loads(trace.to_json())


def _reject(data, fragment, *, step=None):
    verdict = check_shape(ShapeTrace.from_data(data))
    assert not verdict.ok
    assert fragment in verdict.message, verdict.message
    if step is not None:
        assert verdict.step == step, verdict.message
    return verdict


def _bump(term):
    return [str(Fraction(term[0]) + 1), term[1]]


CORRUPTIONS = {
    "coefficient in step 3": (
        lambda d: d["steps"][2]["polynomial"].__setitem__(0, _bump(d["steps"][2]["polynomial"][0])),
        "has coefficient 1, trace says 2",
        3,
    ),
    "term dropped in step 4": (
        lambda d: d["steps"][3]["polynomial"].pop(),
        "polynomial of the right side",
        4,
    ),
    "term added in step 5": (
        lambda d: d["steps"][4]["polynomial"].append(["1", "w[0,0]"]),
        "monomial w[0,0] has coefficient 0, trace says 1",
        5,
    ),
    "changed term in step 6": (
        lambda d: d["steps"][5]["polynomial"].__setitem__(0, ["1", "w[0,0]*c"]),
        "polynomial of the right side",
        6,
    ),
    "changed F in step 1": (
        lambda d: d["steps"][0]["premises"]["maxima"][1]["F"][0].__setitem__(
            0, ["-1", d["steps"][0]["premises"]["maxima"][1]["F"][0][0][1]]
        ),
        "F_1(1,0)",
        1,
    ),
    "maximum over a subset": (
        lambda d: d["steps"][0]["premises"]["maxima"][0].__setitem__("over", [0]),
        "must be exactly A_i",
        1,
    ),
    "weights of another type": (
        lambda d: d["steps"][1]["premises"]["terms"][0].__setitem__(
            "weights", ["s_1[1][0]", "s_1[1][1]"]
        ),
        "must be exactly its strategy symbols",
        2,
    ),
    "weights missing one action": (
        lambda d: d["steps"][1]["premises"]["terms"][0].__setitem__("weights", ["s_1[0][0]"]),
        "must be exactly its strategy symbols",
        2,
    ),
    "wrong relation in step 2": (
        lambda d: d["steps"][1].__setitem__("relation", "="),
        "is not the rule's",
        2,
    ),
    "wrong relation in step 3": (
        lambda d: d["steps"][2].__setitem__("relation", "≥"),
        "is not the rule's",
        3,
    ),
    "wrong rule name": (
        lambda d: d["steps"][3].__setitem__("rule", "linearity-of-max"),
        "step 4 of power-scarcity is 'linearity'",
        4,
    ),
    "steps out of order": (
        lambda d: d["steps"].insert(2, d["steps"].pop(3)),
        "step 3 of power-scarcity is 'total-expectation'",
        3,
    ),
    "step missing": (lambda d: d["steps"].pop(4), "has 6 steps, trace has 5", None),
    "hypothesis missing": (
        lambda d: d["hypotheses"].pop(),
        "missing or changed: ['constant-sum']",
        None,
    ),
    "hypothesis weakened": (
        lambda d: d["hypotheses"][0].__setitem__("statement", "w[t] ≥ -1"),
        "missing or changed: ['prior-nonnegative']",
        None,
    ),
    "step cites no hypothesis": (
        lambda d: d["steps"][4].__setitem__("uses", []),
        "the rule needs exactly ['constant-sum']",
        5,
    ),
    "equality cites less": (
        lambda d: d["equality"].__setitem__("uses", ["strategy-nonnegative"]),
        "equality must be rule",
        None,
    ),
    "wrong slack": (
        lambda d: d["equality"]["premises"]["terms"][2]["slack"].pop(),
        "slack of player 2 type 0",
        None,
    ),
    "wrong gap": (
        lambda d: d["equality"]["premises"]["terms"][0]["parts"][1]["gap"].pop(0),
        "gap of player 1 type 0 action 1",
        None,
    ),
    "wrong weight in equality": (
        lambda d: d["equality"]["premises"]["terms"][0]["parts"][1].__setitem__(
            "weight", "s_1[0][0]"
        ),
        "weight of player 1",
        None,
    ),
    "wrong total": (lambda d: d["equality"]["premises"]["total"].pop(), "total slack", None),
    "wrong equality rule": (
        lambda d: d["equality"].__setitem__("rule", "max-dominates-mean"),
        "equality must be rule 'sum-of-nonnegatives'",
        None,
    ),
    "wrong conclusion": (
        lambda d: d.__setitem__("conclusion", "Σ_i POWER(i,σ) ≥ 2c"),
        "conclusion",
        None,
    ),
    "wrong theorem": (
        lambda d: d.__setitem__("theorem", "power-abundance"),
        "unknown theorem",
        None,
    ),
    "symbols changed": (lambda d: d["symbols"].reverse(), "symbols", None),
    "definition changed": (
        lambda d: d["definitions"].__setitem__("M_i[t_i]", "min F"),
        "definitions",
        None,
    ),
    "unknown symbol": (
        lambda d: d["steps"][2]["polynomial"].__setitem__(0, ["1", "z[0]"]),
        "'z[0]' is not a symbol of the shape",
        3,
    ),
    "monomial twice": (
        lambda d: d["steps"][2]["polynomial"].append(d["steps"][2]["polynomial"][0]),
        "written twice",
        3,
    ),
    "zero coefficient": (
        lambda d: d["steps"][2]["polynomial"].append(["0", "w[0,0]"]),
        "is not a nonzero rational",
        3,
    ),
    "float coefficient": (
        lambda d: d["steps"][2]["polynomial"].__setitem__(
            0, ["1.0", d["steps"][2]["polynomial"][0][1]]
        ),
        "is not a nonzero rational",
        3,
    ),
    "premises not a dict": (
        lambda d: d["steps"][1].__setitem__("premises", []),
        "premises must be exactly",
        2,
    ),
    "extra premise": (
        lambda d: d["steps"][2].__setitem__("premises", {"trust": "me"}),
        "premises must be exactly",
        3,
    ),
    "shape changed": (lambda d: d["shape"].__setitem__("actions", [2, 3]), "symbols", None),
    "shape too large": (
        lambda d: d["shape"].update(players=9, types=[3] * 9, actions=[3] * 9),
        f"over the limit of {MAX_SYMBOLS}",
        None,
    ),
    "shape malformed": (
        lambda d: d["shape"].__setitem__("types", [2]),
        "types: 1 entries for 2 players",
        None,
    ),
}


@pytest.mark.parametrize("name", list(CORRUPTIONS))
def test_corrupted_shape_traces_are_rejected(t222, name):
    corrupt, fragment, step = CORRUPTIONS[name]
    data = _data(t222)
    corrupt(data)
    _reject(data, fragment, step=step)


def test_general_sum_corruptions(g222):
    data = _data(g222)
    data["steps"][4]["premises"]["nash_conv"].pop()
    _reject(data, "NashConv(σ)", step=5)
    data = _data(g222)
    data["theorem"] = "power-scarcity"  # the constant-sum theorem from a general-sum trace
    _reject(data, "symbols must be exactly")  # it has no c
    data = _data(g222)
    data["theorem"], data["symbols"] = "power-scarcity", data["symbols"] + ["c"]
    data["symbols"][-5:] = data["symbols"][-1:] + data["symbols"][-5:-1]
    _reject(data, "hypotheses must be exactly")
    data = _data(g222)
    data["hypotheses"].append(
        {
            "name": "constant-sum",
            "statement": "Σ_i r_i[t][a] = c for every t, a",
            "eliminates": "r_n[t][a] = c − Σ_{i<n} r_i[t][a]",
        }
    )
    _reject(data, "hypotheses must be exactly")


def test_every_single_coefficient_change_is_rejected(t222):
    """Change one coefficient anywhere a polynomial is written: always rejected."""
    places = []
    base = _data(t222)
    for k in range(len(base["steps"])):
        places.append(lambda d, k=k: d["steps"][k]["polynomial"])
    for r in range(len(base["steps"][0]["premises"]["maxima"])):
        places.append(lambda d, r=r: d["steps"][0]["premises"]["maxima"][r]["F"][1])
    places.append(lambda d: d["equality"]["premises"]["total"])
    for r in range(len(base["equality"]["premises"]["terms"])):
        places.append(lambda d, r=r: d["equality"]["premises"]["terms"][r]["slack"])
        places.append(lambda d, r=r: d["equality"]["premises"]["terms"][r]["parts"][0]["gap"])
    rng = random.Random(3)
    for place in places:
        data = copy.deepcopy(base)
        terms = place(data)
        j = rng.randrange(len(terms))
        terms[j] = _bump(terms[j]) if terms[j][0] != "-1" else ["-2", terms[j][1]]
        assert not check_shape(ShapeTrace.from_data(data)).ok


def test_dataclass_corruptions(t222):
    step3 = t222.steps[2]
    bad = dataclasses.replace(
        t222,
        steps=t222.steps[:2]
        + (dataclasses.replace(step3, polynomial=step3.polynomial[1:]),)
        + t222.steps[3:],
    )
    assert not check_shape(bad).ok
    with pytest.raises(proofs.ProofError, match="step 3"):
        check_shape_or_raise(bad)
    assert check_shape_or_raise(t222).ok
    broken = check_shape(dataclasses.replace(t222, equality=None))
    assert (
        broken.status == "rejected"
        and "equality None is not of the expected type" in broken.message
    )
    assert not check_shape(dataclasses.replace(t222, players="2")).ok


def test_malformed_json():
    for text in ["[]", "{}", "not json", json.dumps({"format": "exactpower/trace-v1"})]:
        with pytest.raises(proofs.ProofError):
            ShapeTrace.from_json(text)


def test_notation_chains():
    for rules in THEOREMS.values():
        for prev, rule in itertools.pairwise(rules):
            if rule != "slack-sum":
                assert NOTATION[rule][0] == NOTATION[prev][2]


# -- the kernel is independent of the builders --------------------------------------------------


def _imports(path: pathlib.Path) -> set:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            names.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = ("proofs." if node.level else "") + (node.module or "")
            names.add(base)
            names.update(f"{base}.{a.name}".replace("proofs..", "proofs.") for a in node.names)
    return names


def test_shape_kernel_does_not_import_the_builders():
    """The imports are checked for the whole kernel in tests/test_kernel_layer.py; here, the
    shape kernel's normal form is the ring's (no expression-tree simplification)."""
    for name in ("shape.py", "ring.py"):
        path = ROOT / "proofs" / "kernel" / name
        names = _imports(path)
        for bad in ("proofs.shape", "proofs.builders"):
            assert not any(n == bad or n.startswith(bad + ".") for n in names), names
        text = path.read_text()
        assert "simplify" not in text.replace("no ``simplify``", "")
        assert "expand(" not in text


# -- numbers: the shape trace agrees with exactpower on concrete games --------------------------


def _evaluate(terms, values) -> Fraction:
    total = Fraction(0)
    for coef, mono in terms:
        term = Fraction(coef)
        if mono != "1":
            for factor in mono.split("*"):
                name, _, e = factor.partition("^")
                term *= values[name] ** (int(e) if e else 1)
        total += term
    return total


def _random_game(rng, constant_sum: bool, zero_type: bool):
    """Random values for every symbol of the 2x2x2 shape and the concrete game they define."""
    tps = list(itertools.product(range(2), range(2)))
    weights = {t: Fraction(rng.randint(1, 9)) for t in tps}
    if zero_type:  # player 1's type 1 has probability 0
        weights[(1, 0)] = weights[(1, 1)] = Fraction(0)
    mass = sum(weights.values())
    values = {f"w[{t[0]},{t[1]}]": weights[t] / mass for t in tps}
    for i in range(2):
        for k in range(2):
            p = Fraction(rng.randint(0, 12), 12)
            values[f"s_{i + 1}[{k}][0]"], values[f"s_{i + 1}[{k}][1]"] = p, 1 - p
    c = Fraction(rng.randint(-20, 20), rng.randint(1, 5))
    if constant_sum:
        values["c"] = c
    for t in tps:
        for a in tps:
            r1 = Fraction(rng.randint(-30, 30), rng.randint(1, 7))
            r2 = c - r1 if constant_sum else Fraction(rng.randint(-30, 30), rng.randint(1, 7))
            values[f"r_1[{t[0]},{t[1]}][{a[0]},{a[1]}]"] = r1
            values[f"r_2[{t[0]},{t[1]}][{a[0]},{a[1]}]"] = r2
    q = lambda x: sympy.Rational(x.numerator, x.denominator)  # noqa: E731
    players = [Player("1", ("0", "1"), ("0", "1")), Player("2", ("0", "1"), ("0", "1"))]
    game = BayesianGame.from_function(
        players,
        lambda t, a: tuple(q(values[f"r_{i}[{t[0]},{t[1]}][{a[0]},{a[1]}]"]) for i in (1, 2)),
        prior={(str(t[0]), str(t[1])): q(weights[t] / mass) for t in tps if weights[t]},
    )
    profile = StrategyProfile.from_dict(
        game,
        {
            str(i + 1): {
                str(k): {str(a): q(values[f"s_{i + 1}[{k}][{a}]"]) for a in range(2)}
                for k in range(2)
            }
            for i in range(2)
        },
    )
    return values, game, profile


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("constant_sum", [True, False])
def test_spot_check_against_exactpower(t222, g222, seed, constant_sum):
    trace = t222 if constant_sum else g222
    rng = random.Random(seed)
    values, game, profile = _random_game(rng, constant_sum, zero_type=seed % 2 == 1)
    q = lambda x: sympy.Rational(x.numerator, x.denominator)  # noqa: E731
    for row in trace.steps[0].premises["maxima"]:
        values[row["max"]] = max(_evaluate(f, values) for f in row["F"])
    power = _evaluate(trace.steps[0].polynomial, values)
    assert q(power) == ep.power_sum(game, profile)
    welfare = ep.welfare(game, profile)
    for k in (2, 3):  # Σ_i E r_i and W
        assert q(_evaluate(trace.steps[k].polynomial, values)) == welfare
    slack = power - _evaluate(trace.steps[1].polynomial, values)
    assert q(slack) == ep.nash_conv(game, profile)
    assert q(_evaluate(trace.equality.premises["total"], values)) == ep.nash_conv(game, profile)
    if constant_sum:
        assert q(_evaluate(trace.steps[4].polynomial, values)) == q(values["c"]) == welfare
        assert _evaluate(trace.steps[5].polynomial, values) == values["c"]
        assert ep.constant_sum(game).constant == q(values["c"])
    else:
        prem = trace.steps[4].premises
        assert q(_evaluate(prem["welfare"], values)) == welfare
        assert q(_evaluate(prem["nash_conv"], values)) == ep.nash_conv(game, profile)
    for term in trace.equality.premises["terms"]:  # each slack is Ω_i(t_i)·reg_i(t_i) ≥ 0
        i, k = term["player"] - 1, term["type"]
        own = _evaluate(term["slack"], values)
        assert own >= 0
        marginal = game.marginal(i, k)
        expected = 0 if marginal == 0 else marginal * ep.regret(game, profile, str(i + 1), str(k))
        assert q(own) == expected


# -- shapes and limits ---------------------------------------------------------------------------


def test_normalise_shape_and_limits():
    assert normalise_shape(3, [2, 1, 1], 2) == (3, [2, 1, 1], [2, 2, 2])
    with pytest.raises(ep.GameStructureError, match="types: 1 entries for 2 players"):
        shape_theorem(2, [2], 2)
    with pytest.raises(ep.GameStructureError, match="positive integer"):
        shape_theorem(0, 2, 2)
    with pytest.raises(ep.GameStructureError):
        shape_theorem(2, 0, 2)
    with pytest.raises(ep.GameStructureError):
        shape_theorem(True, 2, 2)
    with pytest.raises(ep.LimitError, match=f"over the limit of {MAX_SYMBOLS}"):
        shape_theorem(2, 7, 7)
    with pytest.raises(ep.LimitError, match=f"over the limit of {MAX_PLAYERS}"):
        shape_theorem(MAX_PLAYERS + 1, 1, 1)
    with pytest.raises(ep.LimitError):
        shape_theorem(10**9, 1, 1)


# -- command line -------------------------------------------------------------------------------


def test_cli_prove_shape_text(capsys):
    code, out, err = run_cli(capsys, "prove-shape", "3x2,1,1x2")
    assert (code, err) == (0, "")
    assert "shape 3x2,1,1x2: 3 players, types [2, 1, 1], actions [2, 2, 2]" in out
    assert "symbols: 63" in out and "normalisation" in out and "sum-of-nonnegatives" in out
    assert "checked by the kernel: yes" in out


def test_cli_prove_shape_json(capsys, tmp_path):
    out_file = tmp_path / "shape.json"
    code, out, err = run_cli(capsys, "prove-shape", "2x2x2", "--json", "--trace-out", str(out_file))
    assert (code, err) == (0, "")
    doc = json.loads(out)
    for key in ("shape", "theorem", "steps", "checked", "seconds"):
        assert key in doc
    assert doc["shape"] == "2x2x2" and doc["theorem"] == "power-scarcity"
    assert doc["checked"] is True and doc["symbols"] == 49
    assert [(s["rule"], s["relation"], s["checked"], s["terms"]) for s in doc["steps"]] == [
        ("power-definition", "=", True, 4),
        ("max-dominates-mean", "≥", True, 32),
        ("total-expectation", "=", True, 32),
        ("linearity", "=", True, 32),
        ("constant-sum", "=", True, 16),
        ("normalisation", "=", True, 1),
    ]
    assert isinstance(doc["seconds"], float) and doc["equality"]["checked"] is True
    stored = ShapeTrace.from_json(out_file.read_text())
    assert check_shape(stored).ok


def test_cli_prove_shape_general_sum(capsys):
    code, out, err = run_cli(capsys, "prove-shape", "2x2x2", "--general-sum", "--json")
    assert (code, err) == (0, "")
    doc = json.loads(out)
    assert doc["theorem"] == "general-sum-identity" and doc["steps"][-1]["rule"] == "slack-sum"
    assert doc["checked"] is True


@pytest.mark.parametrize(
    "shape, fragment",
    [
        ("2x", "expected NxTxA"),
        ("0x2x2", "at least 1"),
        ("2x2,2,2x2", "3 counts of types for 2"),
        ("2x2x2x2", "expected NxTxA"),
        ("2xax2", "is not a count"),
        ("2x2x-1", "is not a count"),
        ("x2x2", "expected NxTxA"),
        ("2x2x", "expected NxTxA"),
        ("2x0x2", "at least 1"),
        ("2x2x2,2,2", "3 counts of actions"),
        ("9x3x3", f"over the limit of {MAX_SYMBOLS}"),
        ("2x7x7", "4964 symbols, over the limit"),
        ("40x1x1", "over the limit of 16"),
        ("2x123456789012x2", "too large"),
    ],
)
def test_cli_bad_shapes(capsys, shape, fragment):
    code, out, err = run_cli(capsys, "prove-shape", shape)
    assert code == 2 and out == ""
    assert err.startswith("exactpower: error: prove-shape: shape ") and fragment in err, err
    assert len(err.splitlines()) == 1 and "Traceback" not in err


def test_cli_rejected_trace_exits_1(capsys, monkeypatch):
    import proofs.shape

    real = proofs.shape.shape_theorem

    def forged(*args, **kwargs):
        trace = real(*args, **kwargs)
        step = trace.steps[4]
        step = dataclasses.replace(step, polynomial=step.polynomial[1:])
        return dataclasses.replace(trace, steps=trace.steps[:4] + (step,) + trace.steps[5:])

    monkeypatch.setattr(proofs.shape, "shape_theorem", forged)
    code, out, err = run_cli(capsys, "prove-shape", "2x2x2", "--json")
    assert code == 1
    doc = json.loads(out)
    assert doc["checked"] is False
    assert [s["checked"] for s in doc["steps"]] == [True, True, True, True, False, None]
    assert doc["equality"]["checked"] is None
    assert err.startswith("exactpower: prove-shape: rejected by the kernel: step 5")
    code, out, err = run_cli(capsys, "prove-shape", "2x2x2")
    assert code == 1 and "checked by the kernel: no" in out and "REJECTED" in out


# -- the benchmark script ------------------------------------------------------------------------


def test_bench_shape_quick(tmp_path, capsys):
    spec = importlib.util.spec_from_file_location(
        "bench_shape", ROOT / "benchmarks" / "bench_shape.py"
    )
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    output = tmp_path / "shape.md"
    assert bench.main(["--quick", "--output", str(output)]) == 0
    text = output.read_text()
    assert text.startswith("# Shape-wide proof benchmark")
    assert "nproc" in text and "python-flint" in text and "--quick" in text
    assert "| 2x2x2 | power-scarcity | 49 |" in text and "target 2x2x2 under 2 s: met" in text
