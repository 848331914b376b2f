"""Issue 8 (kernel items) and issue 9 item 4: the kernel refuses what it cannot check.

- removable singularities: a value whose denominator can vanish on the parameters' domain
  is refused (``(x − x**2)/(1 − x)`` is not ``x`` at ``x = 1``), in a claim and in the game;
- the equality condition is decided within a deterministic budget (a quartic reward in a
  probability parameter is checked in seconds; over budget: "not decided: …");
- a profile with a parameter gets its equality condition even when the game is rational;
- unknown keys of power-definition terms are refused, and containers of the wrong type;
- an exception inside a rule is a kernel error (``Verdict.status == "error"``), not a
  rejection.
"""

import dataclasses
import random
import signal
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import sympy

from exactpower import BayesianGame, Parameter, Player, StrategyProfile
from exactpower.io import json_files as files
from proofs import check, check_or_raise, power_scarcity
from proofs import kernel as kernel_module
from proofs.kernel.condition import UNDECIDED, equality_condition

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def example(game_name, profile_name):
    game = files.load_game(EXAMPLES / f"{game_name}.json")
    return power_scarcity(game, files.load_profile(EXAMPLES / f"{profile_name}.json", game))


def with_step(trace, k, **changes):
    steps = list(trace.steps)
    steps[k - 1] = dataclasses.replace(steps[k - 1], **changes)
    return dataclasses.replace(trace, steps=tuple(steps))


def with_term(trace, k, j, **changes):
    """Step ``k``'s ``j``-th term with keys changed (``None``: removed)."""
    premises = dict(trace.steps[k - 1].premises)
    terms = [dict(t) for t in premises["terms"]]
    for key, value in changes.items():
        if value is None:
            del terms[j][key]
        else:
            terms[j][key] = value
    premises["terms"] = terms
    return with_step(trace, k, premises=premises)


def rejected(trace, *fragments):
    verdict = check(trace)
    assert isinstance(verdict.ok, bool) and not verdict.ok
    assert verdict.status == "rejected", verdict
    for fragment in fragments:
        assert fragment in verdict.message, (fragment, verdict.message)
    return verdict


@contextmanager
def time_limit(seconds):
    """Fail (instead of hanging) when the block runs longer than ``seconds``."""

    def expire(signum, frame):
        raise TimeoutError(f"over {seconds} s")

    old = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


# -- item 4: removable singularities --------------------------------------------------------


@pytest.fixture(scope="module")
def scaled():
    return example("scaled-pennies", "scaled-pennies-pure")


def test_removable_singularity_in_a_claim_is_refused(scaled):
    x = scaled.game.parameters[0].symbol
    value = scaled.steps[0].value
    assert check(scaled).ok
    bad = with_step(scaled, 1, value=value + (x - x**2) / (1 - x) - x)
    assert kernel_module.same(bad.steps[0].value, value)  # equal as rational functions
    rejected(bad, "values: step 1 value", "is undefined where x - 1 = 0")
    # the same in a premise, a slack and the conclusion
    zero = (x - x**2) / (1 - x) - x
    rejected(
        with_term(scaled, 1, 0, max=scaled.steps[0].premises["terms"][0]["max"] + zero),
        "step 1, terms, max",
        "x - 1 = 0",
    )
    slacks = list(scaled.equality.slacks)
    slacks[0] = dataclasses.replace(slacks[0], slack=slacks[0].slack + zero)
    rejected(
        dataclasses.replace(
            scaled, equality=dataclasses.replace(scaled.equality, slacks=tuple(slacks))
        ),
        "slack of 'row'",
        "x - 1 = 0",
    )
    rejected(
        dataclasses.replace(
            scaled,
            conclusion=dataclasses.replace(scaled.conclusion, gap=scaled.conclusion.gap + zero),
        ),
        "conclusion",
        "x - 1 = 0",
    )


def test_a_denominator_that_cannot_vanish_is_allowed(scaled):
    x = scaled.game.parameters[0].symbol
    value = scaled.steps[0].value
    verdict = check(with_step(scaled, 1, value=sympy.expand(value * (x**2 + 1)) / (x**2 + 1)))
    assert verdict.ok and verdict.status == "valid", verdict


def test_removable_singularity_in_a_probability_parameter():
    bayes = example("bayesian-pennies", "bayesian-pennies-profile")
    q = bayes.game.parameters[0].symbol
    value = bayes.steps[0].value
    rejected(with_step(bayes, 1, value=value + (q - q**2) / (1 - q) - q), "q - 1 = 0")
    # 2 − q has no zero on [0, 1]
    assert check(with_step(bayes, 1, value=sympy.expand(value * (2 - q)) / (2 - q))).ok


def test_removable_singularity_in_the_game_is_refused():
    x = Parameter("x", "real")
    s = x.symbol
    game = BayesianGame.from_function(
        [Player("row", ("-",), ("H", "T")), Player("col", ("-",), ("H", "T"))],
        lambda t, a: (
            ((s - s**2) / (1 - s), -(s - s**2) / (1 - s))
            if a == ("H", "H")
            else ((1, -1) if a[0] == a[1] else (-1, 1))
        ),
        parameters=[x],
    )
    trace = power_scarcity(game, StrategyProfile.uniform(game))
    rejected(
        trace,
        "values: the reward of 'row' at types ['-', '-'] actions ['H', 'H']: ",
        "is undefined where x - 1 = 0",
    )


def test_a_marginal_in_a_denominator_is_allowed():
    """A posterior divides by a marginal: ``(x − y)/(x + y)`` is undefined at ``x = y = 0``,
    where the type has probability 0; the kernel's own values have that denominator, so a
    claim may have it too -- and another vanishing one is still refused."""
    px, py = Parameter("x", "probability"), Parameter("y", "probability")
    x, y = px.symbol, py.symbol
    game = BayesianGame.from_function(
        [Player("a", ("h", "l"), ("U", "D")), Player("b", ("x", "y"), ("L", "R"))],
        lambda t, a: (1, -1) if (a[0] == "U") == (t[1] == "x") else (-1, 1),
        prior={
            ("h", "x"): x / 2,
            ("h", "y"): y / 2,
            ("l", "x"): (1 - x) / 2,
            ("l", "y"): (1 - y) / 2,
        },
        parameters=[px, py],
    )
    trace = power_scarcity(game, StrategyProfile.uniform(game))
    assert check(trace).ok, check(trace).message
    interim = trace.steps[0].premises["terms"][0]["interim"]
    assert sympy.fraction(sympy.cancel(interim["U"]))[1] in (x + y, -x - y)
    value = trace.steps[0].value
    assert check(with_step(trace, 1, value=sympy.expand(value * (x + y)) / (x + y))).ok
    rejected(
        with_step(trace, 1, value=sympy.expand(value * (x - y)) / (x - y)),
        "is undefined where x - y = 0",
    )


# -- item 6: a budget for the equality condition ---------------------------------------------


def test_quartic_reward_is_checked_in_seconds():
    game = files.load_game(ROOT / "tests" / "data" / "quartic-pennies.json")
    profile = StrategyProfile.from_dict(
        game, {"row": {"U": "1/3", "D": "2/3"}, "col": {"L": "1/2", "R": "1/2"}}
    )
    start = time.perf_counter()
    with time_limit(60):
        trace = power_scarcity(game, profile)
        verdict = check(trace)
    assert time.perf_counter() - start < 30
    assert verdict.ok, verdict.message
    # row is indifferent exactly at the root of the quartic in [0, 1] (≈ 0.9592)
    cond = trace.equality.condition
    assert cond == "Eq(q, CRootOf(147*q**4 - 189*q**3 + 42*q**2 + 7*q - 3, 1))"
    root = sympy.CRootOf(
        147 * sympy.Symbol("q") ** 4
        - 189 * sympy.Symbol("q") ** 3
        + 42 * sympy.Symbol("q") ** 2
        + 7 * sympy.Symbol("q")
        - 3,
        1,
    )
    assert abs(float(root) - 0.95922) < 1e-4
    bad = dataclasses.replace(
        trace, equality=dataclasses.replace(trace.equality, condition="False")
    )
    rejected(bad, "equality condition on the parameters is Eq(q, CRootOf(")


def test_pure_quartic_row_condition():
    q = sympy.Symbol("q", nonnegative=True)
    quartic = 7 * q**4 - 9 * q**3 + 2 * q**2 + q / 3 - sympy.Rational(1, 7)
    with time_limit(30):
        text = equality_condition(
            [(sympy.Integer(1), [quartic, sympy.Integer(0)], [sympy.Integer(1), sympy.Integer(0)])],
            {q: "probability"},
        )
    assert text == "(q <= 1) & (CRootOf(147*q**4 - 189*q**3 + 42*q**2 + 7*q - 3, 1) <= q)"


def test_over_budget_is_not_decided():
    q = sympy.Symbol("q", nonnegative=True)
    high = q**60 - q**3 + sympy.Rational(1, 5)
    rows = [(sympy.Integer(1), [high, sympy.Integer(0)], [sympy.Integer(1), sympy.Integer(0)])]
    with time_limit(30):
        text = equality_condition(rows, {q: "probability"})
    assert text.startswith(UNDECIDED) and "q**60" in text
    x, y = sympy.Symbol("x", real=True), sympy.Symbol("y", real=True)
    many = [
        (sympy.Integer(1), [x * k + y, y * k - x, sympy.Integer(k)], [sympy.Rational(1, 3)] * 3)
        for k in range(1, 5)
    ]
    with time_limit(30):
        text = equality_condition(many, {x: "real", y: "real"})
    assert text.startswith(UNDECIDED)


def _holds(rows, s, v) -> bool:
    """The definition, at a rational point: every played action attains the maximum."""
    for omega, f, sigma in rows:
        at = [sympy.cancel(e.subs(s, v)) for e in f]
        if omega.subs(s, v) != 0 and any(
            sympy.cancel(w.subs(s, v)) != 0 and a < max(at) for w, a in zip(sigma, at)
        ):
            return False
    return True


@pytest.mark.parametrize("domain", ["probability", "real", "nonnegative", "positive"])
def test_univariate_condition_agrees_with_the_definition(domain):
    """At rational points (the conditions are exact, so are the points)."""
    s = Parameter("s", domain).symbol
    rng = random.Random(domain)
    grid = [sympy.Rational(k, 8) for k in range(-24, 25)]
    lo = {"probability": 0, "real": -4, "nonnegative": 0, "positive": sympy.Rational(1, 8)}
    points = [v for v in grid if v >= lo[domain] and (domain != "probability" or v <= 1)]

    def poly(d):
        return sum(
            sympy.Rational(rng.randint(-3, 3), rng.randint(1, 2)) * s**k for k in range(d + 1)
        )

    for _ in range(25):
        rows = [
            (
                sympy.Integer(1),
                [poly(rng.randint(0, 3)) for _ in range(2)],
                rng.choice([[sympy.Integer(1), sympy.Integer(0)], [sympy.Rational(1, 2)] * 2]),
            )
        ]
        rows.append(
            (
                sympy.Integer(1),
                [(s - sympy.Rational(1, 2)) * (s - 2), sympy.Integer(0)],
                [sympy.Integer(1), sympy.Integer(0)],
            )
        )
        text = equality_condition(rows, {s: domain})
        assert not text.startswith(UNDECIDED)
        cond = {"True": sympy.true, "False": sympy.false}.get(text)
        if cond is None:
            cond = sympy.sympify(text, locals={"s": s})  # our own output, in the test only
        for v in points:
            assert bool(cond.subs(s, v)) == _holds(rows, s, v), (rows, text, v)


# -- item 8: a parameter in the profile only -------------------------------------------------


def test_symbolic_profile_of_a_rational_game_gets_its_condition():
    q = Parameter("q", "probability")
    pennies = files.load_game(EXAMPLES / "matching-pennies.json")
    game = BayesianGame.from_function(
        pennies.players,
        lambda t, a: [
            pennies.reward(i, (0, 0), tuple(p.actions.index(x) for p, x in zip(pennies.players, a)))
            for i in range(2)
        ],
        parameters=[q],
    )
    assert not game.is_symbolic
    s = q.symbol
    profile = StrategyProfile.from_dict(
        game, {"row": {"H": s, "T": 1 - s}, "col": {"H": "1/2", "T": "1/2"}}
    )
    trace = power_scarcity(game, profile)
    assert trace.equality.condition == "Eq(q, 1/2)"
    verdict = check(trace)
    assert verdict.ok, verdict.message
    rejected(
        dataclasses.replace(trace, equality=dataclasses.replace(trace.equality, condition=None)),
        "equality condition on the parameters is Eq(q, 1/2)",
    )


# -- item 5: exact keys ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def poker():
    return example("poker", "poker-honest")


def test_unknown_key_in_a_power_definition_term(poker):
    rejected(
        with_term(poker, 1, 0, note=sympy.Integer(1)),
        "step 1 (power-definition): the term of player 'dealer' type 'K' has unexpected "
        "premises ['note']",
    )


def test_missing_key_in_a_power_definition_term(poker):
    rejected(with_term(poker, 1, 0, max=None), "step 1 (power-definition): maximum for player")


def test_containers_of_the_wrong_type(poker):
    term = poker.steps[0].premises["terms"][0]
    as_dict = {a: sympy.Integer(0) for a in term["over"]}  # list(dict) gives the right names
    rejected(with_term(poker, 1, 0, over=as_dict), "must be a list")
    rejected(with_term(poker, 1, 0, interim=list(term["interim"])), "must be a dict")
    rejected(with_term(poker, 2, 0, strategy="junk"), "must be a dict")
    premises = dict(poker.steps[0].premises, power=list(poker.steps[0].premises["power"]))
    rejected(with_step(poker, 1, premises=premises), "POWER entries must be a dict")
    premises = dict(poker.steps[2].premises, marginals=["dealer", "caller"])
    rejected(with_step(poker, 3, premises=premises), "must be a dict")


def test_records_of_the_wrong_type(poker):
    rejected(with_step(poker, 1, index="1"), "step 1: index '1' is not of the expected type")
    rejected(with_step(poker, 1, value=1), "step 1: value 1 is not of the expected type")
    rows = list(poker.equality.slacks)
    rows[0] = dataclasses.replace(rows[0], deviation=True)
    rejected(
        dataclasses.replace(
            poker, equality=dataclasses.replace(poker.equality, slacks=tuple(rows))
        ),
        "deviation True",
    )
    rejected(
        dataclasses.replace(poker, steps=list(poker.steps[:5]) + [None]), "step 6 must be a Step"
    )
    rejected(dataclasses.replace(poker, game=None), "trace: game None")


# -- issue 9, item 4: a bug in the kernel is an error, not a rejection -----------------------


def test_an_exception_in_a_rule_is_a_kernel_error(poker, monkeypatch):
    def broken(step, fx):
        return 1 // 0

    monkeypatch.setitem(kernel_module.RULES, "linearity", broken)
    verdict = check(poker)
    assert not verdict.ok and verdict.status == "error"
    assert verdict.message.startswith("kernel error while checking the trace: ZeroDivisionError")
    with pytest.raises(kernel_module.KernelError, match="ZeroDivisionError"):
        check_or_raise(poker)


def test_malformed_data_is_a_rejection_not_an_error(poker):
    """Every single-field change of a trace is rejected, never a kernel error."""
    junk = ["junk", None, 7, [], {}, sympy.Integer(5)]
    for k, step in enumerate(poker.steps, 1):
        for key in step.premises:
            for value in junk:
                premises = dict(step.premises, **{key: value})
                verdict = check(with_step(poker, k, premises=premises))
                assert verdict.status == "rejected", (k, key, value, verdict)
        for j, term in enumerate(step.premises.get("terms", [])):
            for key in term:
                for value in junk:
                    verdict = check(with_term(poker, k, j, **{key: value}))
                    assert verdict.status == "rejected", (k, j, key, value, verdict)
