"""The proof module: traces of the examples check, and the traced equality
condition agrees with exactpower's BNE test and with brute force."""

import itertools
import json
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import exactpower as ep
import proofs
from exactpower import BayesianGame, Player, StrategyProfile, constant_sum
from exactpower.catalog import stripped_down_poker as poker
from exactpower.io import json_files as files
from exactpower.testing import constant_sum_games, games_with_profiles, profiles
from proofs import ProofError, Trace, check, check_or_raise, power_scarcity
from proofs.kernel import NOTATION, RELATIONS, THEOREMS, same
from proofs.trace import parse_value

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"

#: (game, profile) example pairs and the theorem their trace proves.
PAIRS = [
    ("poker", "poker-equilibrium", "power-scarcity", True),
    ("poker", "poker-honest", "power-scarcity", False),
    ("matching-pennies", "matching-pennies-pure", "power-scarcity", False),
    ("matching-pennies", "matching-pennies-uniform", "power-scarcity", True),
    ("odd-one-out", "odd-one-out-pure", "power-scarcity", False),
    ("odd-one-out", "odd-one-out-uniform", "power-scarcity", True),
    ("haggling", "haggling-profile", "power-scarcity", False),
    ("coordination", "coordination-good", "general-sum-identity", True),
    ("coordination", "coordination-bad", "general-sum-identity", True),
    ("scaled-pennies", "scaled-pennies-pure", "power-scarcity", None),
    ("bayesian-pennies", "bayesian-pennies-profile", "power-scarcity", None),
]


def example(game_name, profile_name):
    game = files.load_game(EXAMPLES / f"{game_name}.json")
    return game, files.load_profile(EXAMPLES / f"{profile_name}.json", game)


@st.composite
def constant_sum_pairs(draw):
    game = draw(constant_sum_games(max_players=3, max_cells=64))
    return game, draw(profiles(game, pure=draw(st.booleans()))), constant_sum(game).constant


# -- the examples ------------------------------------------------------------------------


@pytest.mark.parametrize("game_name, profile_name, theorem, holds", PAIRS)
def test_example_traces_check(game_name, profile_name, theorem, holds):
    game, profile = example(game_name, profile_name)
    trace = power_scarcity(game, profile)
    verdict = check(trace)
    assert verdict.ok, verdict.message
    assert verdict.step is None and verdict.rule is None
    assert trace.theorem == theorem
    assert [s.rule for s in trace.steps] == list(THEOREMS[theorem])
    assert trace.equality.holds is holds
    assert trace.equality.is_equilibrium is holds
    assert same(trace.conclusion.power_sum, ep.power_sum(game, profile))
    assert same(trace.conclusion.gap, ep.nash_conv(game, profile))
    if theorem == "power-scarcity":
        assert same(trace.conclusion.bound, ep.constant_sum(game).constant)
    else:
        assert same(trace.conclusion.bound, ep.welfare(game, profile))
    # JSON round trip: the same claims, and the kernel accepts the copy.
    back = Trace.from_json(trace.to_json())
    assert check(back).ok
    if not game.is_symbolic:
        assert back.to_json() == trace.to_json()
    assert Trace.from_json(back.to_json()).to_json() == back.to_json()  # stable after one trip
    for s1, s2 in zip(trace.steps, back.steps):
        assert same(s1.value, s2.value) and s1.rule == s2.rule


def test_poker_trace_values():
    # Stripped-down poker, the honest dealer against a caller who always calls (test_core).
    game, profile = example("poker", "poker-honest")
    trace = power_scarcity(game, profile)
    assert [s.value for s in trace.steps] == [sympy.Rational(1, 2), 0, 0, 0, 0, 0]
    assert [s.relation for s in trace.steps] == ["=", "≥", "=", "=", "=", "="]
    caller = trace.equality.slacks[-1]
    assert (caller.player, caller.slack, caller.zero) == ("caller", sympy.Rational(1, 2), False)
    assert (caller.deviation.action, caller.deviation.better) == ("call", "fold")
    assert trace.steps[4].premises["constant"] == 0
    assert trace.steps[4].premises["support"] == [["K", "-"], ["Q", "-"]]
    assert trace.steps[2].premises["marginals"]["dealer"] == {
        "K": sympy.Rational(1, 2),
        "Q": sympy.Rational(1, 2),
    }


def test_python_built_game_matches_file():
    game, profile = example("poker", "poker-equilibrium")
    built = poker()
    s = StrategyProfile.from_dict(
        built,
        {
            "dealer": {"K": "bet", "Q": {"bet": "1/3", "check": "2/3"}},
            "caller": {"call": "2/3", "fold": "1/3"},
        },
    )
    a, b = power_scarcity(game, profile), power_scarcity(built, s)
    assert check(b).ok and b.equality.holds
    assert [x.value for x in a.steps] == [x.value for x in b.steps]


def test_symbolic_scaled_pennies():
    game, profile = example("scaled-pennies", "scaled-pennies-pure")
    trace = power_scarcity(game, profile)
    x = game.parameters[0].symbol
    assert trace.steps[0].value == 2 * sympy.Max(x, -x)
    assert [r.zero for r in trace.equality.slacks] == [None, None]  # zero iff x = 0: later part
    uniform = power_scarcity(game, StrategyProfile.uniform(game))
    assert check(uniform).ok and uniform.equality.holds is True


def test_zero_probability_types_are_left_out():
    game = BayesianGame.from_function(
        [Player("a", ("x", "y"), ("0", "1")), Player("b", ("-",), ("0",))],
        lambda t, a: (1 if a[0] == "1" else 0, 0),
        prior={("x", "-"): 1},
    )
    trace = power_scarcity(game, StrategyProfile.uniform(game))
    assert check(trace).ok and trace.theorem == "general-sum-identity"
    assert [(r.player, r.type) for r in trace.equality.slacks] == [("a", "x"), ("b", "-")]
    assert trace.steps[2].premises["marginals"]["a"] == {"x": 1, "y": 0}


# -- the equality condition against exactpower and brute force -----------------------------


@settings(max_examples=40, deadline=None)
@given(games_with_profiles(min_players=1, max_players=3, max_types=2, max_actions=3, max_cells=64))
def test_equality_agrees_with_is_bayesian_nash(pair):
    game, profile = pair
    trace = power_scarcity(game, profile)
    verdict = check(trace)
    assert verdict.ok, verdict.message
    bne = ep.is_bayesian_nash(game, profile)
    assert trace.equality.is_equilibrium is bne and trace.equality.holds is bne
    assert trace.conclusion.power_sum == ep.power_sum(game, profile)
    assert trace.conclusion.gap == ep.nash_conv(game, profile)
    assert (trace.theorem == "power-scarcity") == (ep.constant_sum(game).constant is not None)


@settings(max_examples=40, deadline=None)
@given(constant_sum_pairs())
def test_constant_sum_traces(data):
    game, profile, c = data
    trace = power_scarcity(game, profile)
    verdict = check(trace)
    assert verdict.ok, verdict.message
    assert trace.theorem == "power-scarcity" and trace.conclusion.bound == c
    assert trace.conclusion.power_sum >= c
    assert trace.equality.holds is ep.is_bayesian_nash(game, profile)
    assert trace.equality.holds is (trace.conclusion.power_sum == c)


@settings(max_examples=15, deadline=None)
@given(constant_sum_pairs())
def test_pure_equilibria_found_by_brute_force(data):
    """Every pure profile of a small constant-sum game: equality exactly at the pure BNE."""
    game = data[0]
    choices = [list(itertools.product(p.actions, repeat=len(p.types))) for p in game.players]
    for combo in itertools.islice(itertools.product(*choices), 32):
        profile = StrategyProfile.pure(
            game, {p.name: dict(zip(p.types, acts)) for p, acts in zip(game.players, combo)}
        )
        trace = power_scarcity(game, profile)
        assert check(trace).ok
        assert trace.equality.holds is ep.is_bayesian_nash(game, profile)


# -- API -------------------------------------------------------------------------------------


def test_check_or_raise():
    trace = power_scarcity(poker(), StrategyProfile.uniform(poker()))
    assert check_or_raise(trace).ok
    bad = Trace(
        trace.theorem, trace.game, trace.profile, trace.steps[:-1], trace.equality, trace.conclusion
    )
    with pytest.raises(ProofError, match="power-scarcity has 6 steps, trace has 5"):
        check_or_raise(bad)
    assert issubclass(ProofError, ep.GameError) and issubclass(ProofError, ValueError)


def test_exports():
    assert set(proofs.__all__) >= {
        "power_scarcity",
        "check",
        "Trace",
        "Step",
        "Verdict",
        "ProofError",
    }
    assert "to_latex" in proofs.__all__


def test_notation_chains():
    """The rules' notations chain: each rule's lhs is the previous rule's rhs."""
    for theorem, rules in THEOREMS.items():
        for before, after in itertools.pairwise(rules):
            if after != "slack-sum":  # restates the chain's start: Σ POWER = W + NashConv
                assert NOTATION[after][0] == NOTATION[before][1], (theorem, after)
        assert NOTATION[rules[0]][0] == "Σ_i POWER(i,σ)"
        assert [RELATIONS[r] for r in rules].count("≥") == 1


def test_kernel_does_not_use_the_engine():
    """No use of exactpower's engine in the kernel's source text (its imports are checked by
    tests/test_kernel_layer.py)."""
    for path in sorted((ROOT / "proofs" / "kernel").glob("*.py")):
        text = path.read_text(encoding="utf-8")
        for name in (
            "interim_table",
            "power(",
            "regret(",
            "simplify(",
            "sympify",
            "eval(",
            "exec(",
        ):
            assert name not in text, (path.name, name)


def test_library_code_never_evaluates_text():
    for path in (ROOT / "proofs").glob("*.py"):
        # sympy's parse_expr, not exactpower's safe parse_expression
        text = path.read_text(encoding="utf-8").replace("parse_expression", "")
        for name in ("eval(", "exec(", "sympify", "parse_expr", "simplify("):
            assert name not in text, (path.name, name)


# -- JSON -------------------------------------------------------------------------------------


def test_parse_value():
    x = ep.Parameter("x")
    X = x.symbol
    assert parse_value("x*Max(-x, x/3)/2 + 1", [x]) == X * sympy.Max(-X, X / 3) / 2 + 1
    assert parse_value("Max(Max(1, x), -x)", [x]) == sympy.Max(1, X, -X)
    assert parse_value("3/4") == sympy.Rational(3, 4)
    for bad in ("Max(1,", "Max()", "Max(1, y)", "__import__('os')", "1.5e", 3):
        with pytest.raises(ep.GameError):
            parse_value(bad, [x])


def test_from_json_errors():
    good = json.loads(power_scarcity(poker(), StrategyProfile.uniform(poker())).to_json())
    with pytest.raises(ProofError, match="malformed JSON"):
        Trace.from_json("{")
    with pytest.raises(ProofError, match="format"):
        Trace.from_json(json.dumps({**good, "format": "exactpower/trace-v0"}))
    with pytest.raises(ProofError, match="unknown key 'extra'"):
        Trace.from_json(json.dumps({**good, "extra": 1}))
    with pytest.raises(ProofError, match="has no key 'steps'"):
        Trace.from_json(json.dumps({k: v for k, v in good.items() if k != "steps"}))
    with pytest.raises(ProofError, match=r"expected an exact value as a string, got 0\.5"):
        bad = json.loads(json.dumps(good))
        bad["steps"][0]["value"] = 0.5
        Trace.from_json(json.dumps(bad))
    # an annotation key is ignored
    assert check(Trace.from_json(json.dumps({**good, "expected_rejection": "x"}))).ok


def test_docs_examples_run(monkeypatch):
    import doctest

    monkeypatch.chdir(ROOT)
    result = doctest.testfile(
        str(ROOT / "docs" / "proofs.md"),
        module_relative=False,
        optionflags=doctest.NORMALIZE_WHITESPACE,
    )
    assert result.failed == 0 and result.attempted >= 3


def test_numeric_regret_with_symbolic_weights():
    """The regret is 1 whatever q is: the slack is decided, with a witness of weight q."""
    x, q = ep.Parameter("x"), ep.Parameter("q", "probability")
    game = BayesianGame.from_function(
        [Player("a", ("-",), ("U", "D", "M")), Player("b", ("-",), ("0",))],
        lambda t, a: ({"U": "x", "D": "x", "M": "x + 1"}[a[0]], 0),
        parameters=[x, q],
    )
    profile = StrategyProfile.from_dict(game, {"a": {"U": "q", "D": "1 - q"}, "b": "0"})
    trace = power_scarcity(game, profile)
    assert check(trace).ok, check(trace).message
    row = trace.equality.slacks[0]
    assert row.slack == 1 and row.zero is False
    assert (row.deviation.action, row.deviation.better, row.deviation.gain) == ("U", "M", 1)
    assert trace.equality.holds is False and trace.equality.is_equilibrium is False
    assert check(Trace.from_json(trace.to_json())).ok
