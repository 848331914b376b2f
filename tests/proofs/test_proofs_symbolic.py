"""Symbolic games: the inequality step by a checked case split, one certificate per action.

For a row (player, positive-probability type) whose interim values ``e_a`` or weights
``σ_a`` involve the parameters, step 2 (``max-dominates-mean``) carries ``cases``: case
``c`` assumes ``h_{c,b} = e_c − e_b ≥ 0`` for every ``b`` and proves the regret
``e_c − Σ_a σ_a e_a = Σ_a σ_a·h_{c,a} ≥ 0``.  The kernel re-derives everything.
"""

import copy
import dataclasses
import random
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import BayesianGame, Parameter, Player, StrategyProfile
from exactpower.io import json_files as files
from exactpower.testing import constant_sum_games, games_with_profiles, profiles
from proofs import Trace, check, power_scarcity

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SYMBOLIC = [
    ("scaled-pennies", "scaled-pennies-pure"),
    ("bayesian-pennies", "bayesian-pennies-profile"),
]


def example(game_name, profile_name):
    game = files.load_game(EXAMPLES / f"{game_name}.json")
    return power_scarcity(game, files.load_profile(EXAMPLES / f"{profile_name}.json", game))


def terms(trace):
    return trace.steps[1].premises["terms"]


def with_terms(trace, new_terms):
    steps = list(trace.steps)
    steps[1] = dataclasses.replace(steps[1], premises={**steps[1].premises, "terms": new_terms})
    return dataclasses.replace(trace, steps=tuple(steps))


def edited(trace, edit):
    """``trace`` with ``edit(terms)`` applied to a deep copy of step 2's terms."""
    new = copy.deepcopy(terms(trace))
    edit(new)
    return with_terms(trace, new)


def rejected(trace, *fragments):
    verdict = check(trace)
    assert not verdict.ok, "the kernel accepted a corrupted trace"
    assert verdict.step == 2 and verdict.rule == "max-dominates-mean", verdict
    for fragment in fragments:
        assert fragment in verdict.message, (fragment, verdict.message)
    return verdict


@pytest.fixture(scope="module", params=SYMBOLIC, ids=lambda p: p[0])
def symbolic(request):
    return example(*request.param)


@pytest.fixture(scope="module")
def bayesian():
    return example(*SYMBOLIC[1])


# -- the examples verify with cases ------------------------------------------------------------


def test_examples_have_one_case_per_action(symbolic):
    assert check(symbolic).ok
    assert check(Trace.from_json(symbolic.to_json())).ok
    for term in terms(symbolic):
        acts = list(term["strategy"])
        assert [c["attains"] for c in term["cases"]] == acts
        for case in term["cases"]:
            assert list(case["hypotheses"]) == acts and list(case["certificate"]) == acts
            assert case["certificate"] == term["strategy"]
            assert case["hypotheses"][case["attains"]] == 0


def test_scaled_pennies_cases():
    trace = example(*SYMBOLIC[0])
    x = trace.game.parameters[0].symbol
    row = terms(trace)[0]
    assert row["cases"] == [
        {
            "attains": "H",
            "max": x,
            "regret": 0,
            "hypotheses": {"H": 0, "T": 2 * x},
            "certificate": {"H": 1, "T": 0},
        },
        {
            "attains": "T",
            "max": -x,
            "regret": -2 * x,
            "hypotheses": {"H": -2 * x, "T": 0},
            "certificate": {"H": 1, "T": 0},
        },
    ]
    assert trace.equality.condition == "Eq(x, 0)"


def test_parameter_in_the_prior(bayesian):
    """Bayesian pennies: ``q`` is in the prior and in the column player's weights."""
    q = bayesian.game.parameters[0].symbol
    col = terms(bayesian)[2]
    assert col["strategy"] == {"L": q, "R": 1 - q}
    assert [c["certificate"] for c in col["cases"]] == [{"L": q, "R": 1 - q}] * 2
    assert sympy.expand(col["cases"][1]["regret"] - q * (q + 1)) == 0
    assert bayesian.equality.condition == "False"  # col needs q = 0, row l needs q = 1/2


def test_parameter_in_a_denominator():
    """A posterior with the parameter in its denominator: rational-function hypotheses."""
    q = sympy.Symbol("q", nonnegative=True)
    game = BayesianGame.from_function(
        [Player("a", ("h", "l"), ("U", "D")), Player("b", ("x", "y"), ("L", "R"))],
        lambda t, a: (1, -1) if (a[0] == "U") == (t[1] == "x") else (-1, 1),
        prior={
            ("h", "x"): q / 2,
            ("h", "y"): sympy.Rational(1, 4) - q / 4,
            ("l", "x"): sympy.Rational(1, 4),
            ("l", "y"): sympy.Rational(1, 2) - q / 4,
        },
        parameters=[Parameter("q", "probability")],
    )
    q = game.parameters[0].symbol
    trace = power_scarcity(game, StrategyProfile.uniform(game))
    assert check(trace).ok and check(Trace.from_json(trace.to_json())).ok
    hyps = [h for t in terms(trace) for c in t.get("cases", []) for h in c["hypotheses"].values()]
    assert any(sympy.fraction(sympy.cancel(h))[1].has(q) for h in hyps)


# -- each certificate field is checked ---------------------------------------------------------


def test_wrong_hypothesis(bayesian):
    def edit(t):
        t[0]["cases"][0]["hypotheses"]["D"] = t[0]["cases"][0]["hypotheses"]["D"] / 2

    rejected(
        edited(bayesian, edit),
        "player 'row' type 'h', case 'U' attains the maximum: "
        "hypothesis e_U − e_D ≥ 0 is 4*q - 2, trace says 2*q - 1",
    )


def test_negative_coefficient(bayesian):
    def edit(t):
        t[1]["cases"][1]["certificate"]["U"] = -sympy.Rational(1, 4)

    rejected(
        edited(bayesian, edit),
        "player 'row' type 'l', case 'D' attains the maximum: "
        "coefficient -1/4 of hypothesis 'U' is not provably nonnegative",
    )


def test_coefficient_must_be_the_weight(bayesian):
    q = bayesian.game.parameters[0].symbol

    def swap(t):
        cert = t[1]["cases"][0]["certificate"]
        cert["U"], cert["D"] = cert["D"], cert["U"]

    rejected(
        edited(bayesian, swap),
        "case 'U' attains the maximum: coefficient of hypothesis "
        "'U' (the weight σ_i(t_i)('U')) is 1/4, trace says 3/4",
    )

    def unproved(t):  # 1 - 2q is not nonnegative on [0, 1]
        t[2]["cases"][0]["certificate"]["L"] = 1 - 2 * q

    rejected(
        edited(bayesian, unproved),
        "coefficient 1 - 2*q of hypothesis 'L' is not provably nonnegative",
    )


def test_missing_and_extra_cases(symbolic):
    rejected(edited(symbolic, lambda t: t[0]["cases"].pop()), "(one per action of A_i) are")
    rejected(
        edited(symbolic, lambda t: t[0]["cases"].append(t[0]["cases"][0])),
        "(one per action of A_i) are",
    )
    rejected(edited(symbolic, lambda t: t[0]["cases"].reverse()), "(one per action of A_i) are")
    rejected(edited(symbolic, lambda t: t[0].pop("cases")), "is symbolic: its cases must be")
    rejected(edited(symbolic, lambda t: t[0].__setitem__("cases", None)), "must be a list")
    rejected(edited(symbolic, lambda t: t[0]["cases"][1].__setitem__("note", 1)), "keys must be")
    rejected(
        edited(
            symbolic, lambda t: t[0]["cases"][1]["hypotheses"].pop(next(iter(t[0]["strategy"])))
        ),
        "actions of the hypotheses",
    )


def test_identity_must_hold(bayesian):
    def edit(t):
        t[2]["cases"][0]["regret"] = sympy.Integer(0)

    rejected(
        edited(bayesian, edit),
        "player 'col' type '-', case 'L' attains the maximum: "
        "certificate identity fails: regret 0 is not Σ_a σ_a·h_a",
    )


def test_numeric_rows_have_no_cases():
    trace = example("poker", "poker-honest")
    rejected(
        edited(trace, lambda t: t[0].__setitem__("cases", [])),
        "the term of player "
        "'dealer' type 'K' has unexpected premises ['cases'] (its row is numeric: no cases)",
    )


def case_sites(trace):
    """Every leaf, key and list position of every case of step 2."""
    for j, term in enumerate(terms(trace)):
        for c, case in enumerate(term.get("cases", [])):
            yield ("drop-case", j, c)
            for key, value in case.items():
                yield ("rename", j, c, key)
                if isinstance(value, dict):
                    for a in value:
                        yield ("leaf", j, c, key, a)
                        yield ("rename-inner", j, c, key, a)
                else:
                    yield ("leaf", j, c, key)


def corrupt(trace, site):
    def edit(t):
        kind, j, c, *rest = site
        cases = t[j]["cases"]
        if kind == "drop-case":
            del cases[c]
        elif kind == "rename":
            cases[c] = {(k + "~" if k == rest[0] else k): v for k, v in cases[c].items()}
        elif kind == "rename-inner":
            key, a = rest
            cases[c][key] = {(k + "~" if k == a else k): v for k, v in cases[c][key].items()}
        else:
            node, last = (cases[c], rest[0]) if len(rest) == 1 else (cases[c][rest[0]], rest[1])
            old = node[last]
            node[last] = old + "~" if isinstance(old, str) else old + 1

    return edited(trace, edit)


def test_every_single_case_corruption_rejected(symbolic):
    places = list(case_sites(symbolic))
    assert len(places) > 30
    for place in places:
        verdict = check(corrupt(symbolic, place))
        assert not verdict.ok, place
        assert verdict.step == 2 and "max-dominates-mean" in verdict.message, (place, verdict)


def test_float_coefficient_rejected(bayesian):
    def edit(t):
        t[1]["cases"][0]["certificate"]["U"] = sympy.Float(0.25)

    assert not check(edited(bayesian, edit)).ok


# -- random symbolic games ------------------------------------------------------------------------

X = Parameter("x", "real")
Q = Parameter("q", "probability")


def names_rewards(game):
    """``game``'s rewards as a function of type and action names."""

    def reward(t, a):
        ti = tuple(p.types.index(n) for p, n in zip(game.players, t))
        ai = tuple(p.actions.index(n) for p, n in zip(game.players, a))
        return [game.reward(i, ti, ai) for i in range(game.n_players)]

    return reward


def prior_of(game):
    return {
        tuple(p.types[k] for p, k in zip(game.players, t)): game.probability(t)
        for t in game.support
    }


def scaled(game, scale, parameters):
    base = names_rewards(game)
    return BayesianGame.from_function(
        game.players,
        lambda t, a: [scale * r for r in base(t, a)],
        prior=prior_of(game),
        parameters=parameters,
    )


def mixed(game, other, weight, parameters):
    """Rewards ``weight·r + (1 − weight)·r'``; ``other(t, a)`` gives ``r'``."""
    base = names_rewards(game)
    return BayesianGame.from_function(
        game.players,
        lambda t, a: [weight * r + (1 - weight) * s for r, s in zip(base(t, a), other(t, a))],
        prior=prior_of(game),
        parameters=parameters,
    )


def profile_dict(game, profile, other=None, weight=None):
    """``profile`` (mixed with ``other`` by ``weight`` when given) as a from_dict mapping."""
    out = {}
    for i, p in enumerate(game.players):
        out[p.name] = {}
        for k, t in enumerate(p.types):
            out[p.name][t] = {}
            for n, a in enumerate(p.actions):
                w = profile.probability(i, k, n)
                if other is not None:
                    w = weight * w + (1 - weight) * other.probability(i, k, n)
                out[p.name][t][a] = w
    return out


def substituted(value, symbol, v):
    out = sympy.sympify(value).subs(symbol, v) if isinstance(value, sympy.Basic) else value
    return sympy.cancel(out) if isinstance(out, sympy.Basic) else out


def same_number(a, b):
    return sympy.cancel(a - b) == 0


def compare_at(sym_trace, num_trace, symbol, v):
    """The symbolic trace's values at ``symbol = v`` are the rational trace's."""
    for s, n in zip(sym_trace.steps[:4], num_trace.steps[:4]):
        assert same_number(substituted(s.value, symbol, v), n.value), (s.rule, s.value, n.value)
    for s, n in zip(sym_trace.equality.slacks, num_trace.equality.slacks):
        assert (s.player, s.type) == (n.player, n.type)
        assert same_number(substituted(s.slack, symbol, v), n.slack)
    c, d = sym_trace.conclusion, num_trace.conclusion
    assert same_number(substituted(c.power_sum, symbol, v), d.power_sum)
    assert same_number(substituted(c.gap, symbol, v), d.gap)
    # the case split at v: some case applies (coverage), and its regret is the row's
    for term, n in zip(terms(sym_trace), terms(num_trace)):
        if "cases" not in term:
            continue
        applies = [
            c
            for c in term["cases"]
            if all(substituted(h, symbol, v) >= 0 for h in c["hypotheses"].values())
        ]
        assert applies, term
        for case in applies:
            assert same_number(substituted(case["regret"], symbol, v), n["max"] - n["mean"])
            assert substituted(case["regret"], symbol, v) >= 0
    if sym_trace.equality.condition is not None:  # our own output, read back in the test only
        cond = sympy.S(sympy.sympify(sym_trace.equality.condition, locals={symbol.name: symbol}))
        assert bool(cond.subs(symbol, v)) == num_trace.equality.holds, (
            sym_trace.equality.condition,
            v,
        )


GAME_OPTIONS = {
    "min_players": 1,
    "max_players": 2,
    "max_types": 2,
    "max_actions": 3,
    "max_cells": 18,
}
values = st.fractions(min_value=-3, max_value=3, max_denominator=4)
SETTINGS = settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def rational_pairs():
    return st.one_of(
        games_with_profiles(**GAME_OPTIONS),
        constant_sum_games(**{**GAME_OPTIONS, "min_players": 2}).flatmap(
            lambda g: profiles(g).map(lambda s: (g, s))
        ),
    )


@SETTINGS
@given(rational_pairs(), values.filter(lambda v: v != 0))
def test_scaled_games(pair, v):
    game, profile = pair
    sym = scaled(game, X.symbol, [X])
    trace = power_scarcity(sym, StrategyProfile.from_dict(sym, profile_dict(game, profile)))
    assert check(trace).ok, check(trace).message
    assert check(Trace.from_json(trace.to_json())).ok
    num = scaled(game, sympy.Rational(v.numerator, v.denominator), [])
    compare_at(
        trace,
        power_scarcity(num, StrategyProfile.from_dict(num, profile_dict(game, profile))),
        X.symbol,
        sympy.Rational(v.numerator, v.denominator),
    )


@settings(SETTINGS, max_examples=8)
@given(
    rational_pairs(),
    st.data(),
    st.fractions(min_value=0, max_value=1, max_denominator=5).filter(lambda v: 0 < v < 1),
)
def test_mixed_games(pair, data, v):
    """Rewards ``q·r + (1 − q)·r'`` and weights ``q·σ + (1 − q)·σ'``."""
    game, profile = pair
    other = (
        profile
        if data.draw(st.booleans(), label="same profile")
        else data.draw(profiles(game), label="other profile")
    )
    table = {}

    def second(t, a):
        if (t, a) not in table:
            table[(t, a)] = [data.draw(st.integers(-2, 2)) for _ in game.players]
        return table[(t, a)]

    q, vq = Q.symbol, sympy.Rational(v.numerator, v.denominator)
    sym = mixed(game, second, q, [Q])
    sym_profile = StrategyProfile.from_dict(sym, profile_dict(game, profile, other, q))
    trace = power_scarcity(sym, sym_profile)
    assert check(trace).ok, check(trace).message
    assert check(Trace.from_json(trace.to_json())).ok
    num = mixed(game, second, vq, [])
    num_profile = StrategyProfile.from_dict(num, profile_dict(game, profile, other, vq))
    compare_at(trace, power_scarcity(num, num_profile), q, vq)


def test_corpus_has_the_case_rejections():
    bad = {p.stem for p in (ROOT / "proofs" / "corpus" / "bad").glob("*.json")}
    assert {
        "max-dominates-mean-case-wrong-hypothesis",
        "max-dominates-mean-case-negative-coefficient",
        "max-dominates-mean-case-missing",
        "max-dominates-mean-case-identity-fails",
    } <= bad


def test_random_case_corruptions_on_a_mixed_game():
    """A fixed mixed game with symbolic weights: a sample of single corruptions."""
    rng = random.Random(3)
    game = BayesianGame.from_tables([[[1, -1], [0, 2]], [[-1, 1], [0, -2]]])
    q = Q.symbol
    sym = mixed(game, lambda t, a: [2, -2] if a == ("0", "1") else [0, 0], q, [Q])
    trace = power_scarcity(
        sym,
        StrategyProfile.from_dict(
            sym, {"1": {"0": q, "1": 1 - q}, "2": {"0": Fraction(1, 3), "1": Fraction(2, 3)}}
        ),
    )
    assert check(trace).ok
    places = list(case_sites(trace))
    for place in rng.sample(places, min(20, len(places))):
        assert not check(corrupt(trace, place)).ok, place
