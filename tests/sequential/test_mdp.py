"""The MDP model (issue 12): builders, validation, exact values and their certificates,
visit distributions."""

from __future__ import annotations

import random
from fractions import Fraction

import pytest
import sympy

from exactpower.errors import GameError, MDPError, ProbabilityError
from exactpower.exact import Parameter
from exactpower.sequential.mdp import MDP, FiniteRewards, as_gamma
from exactpower.sequential.mdp_batch import batch_optimal_values, stays_everywhere
from exactpower.sequential.mdp_values import (
    OptimalValues,
    optimal_values,
    policy_values,
    symbolic_policy_values,
)
from exactpower.sequential.mdp_visits import all_visit_distributions, visit_distributions
from tests.sequential.mdp_gen import oracle_values, random_gamma, random_mdp, random_rewards

R = sympy.Rational


# -- builders -------------------------------------------------------------------------------


def test_gridworld_3x3_shape():
    g = MDP.gridworld(3, 3)
    assert g.states == tuple(f"{r},{c}" for r in range(3) for c in range(3))
    counts = {name: len(a) for name, a in zip(g.states, g.actions)}
    assert counts["0,0"] == counts["2,2"] == 3  # corner: two moves and stay
    assert counts["0,1"] == counts["1,0"] == 4  # edge
    assert counts["1,1"] == 5  # centre: four moves and stay
    assert g.actions[g.state_index("1,1")] == ("n", "s", "e", "w", "stay")
    assert g.is_deterministic and stays_everywhere(g)
    row = g.transitions[g.state_index("1,1")][0]  # n from the centre
    assert row == ((g.state_index("0,1"), 1),) and isinstance(row[0][1], sympy.Integer)


def test_gridworld_walls_and_moves():
    g = MDP.gridworld(2, 3, walls=["0,1"], moves="nsew")
    assert g.states == ("0,0", "0,2", "1,0", "1,1", "1,2")
    assert g.actions[g.state_index("0,0")] == ("s",)
    assert g.actions[g.state_index("1,1")] == ("e", "w")
    assert not stays_everywhere(g)
    with pytest.raises(MDPError, match="'0,2'"):  # cut off: no move out (and no stay)
        MDP.gridworld(2, 3, walls=[(0, 1), (1, 2)], moves="nsew")


def test_gridworld_slip_rows():
    g = MDP.gridworld(2, 2, slip="1/10")
    s = g.state_index("0,0")
    assert g.actions[s] == ("s", "e", "stay")
    south = dict(g.transitions[s][0])
    assert south == {
        g.state_index("1,0"): R(1 - Fraction(1, 10) + Fraction(1, 30)),
        g.state_index("0,1"): R(1, 30),
        s: R(1, 30),
    }
    for acts in g.transitions:
        for row in acts:
            assert sum(p for _, p in row) == 1


def test_graph_builder_and_indices():
    m = MDP.graph({"s": ["a", "b"], "a": ["a"], "b": ["b", "a"]})
    assert m.actions == (("a", "b"), ("a",), ("b", "a"))
    assert m.action_index("b", "a") == 1 and m.successors(0) == (1, 2)
    with pytest.raises(MDPError, match="unknown action 'c'"):
        m.action_index("s", "c")


def test_build_drops_exact_zeros_and_takes_parameters():
    q = Parameter("q", "probability")
    m = MDP.build(
        ["x", "y"],
        {"x": {"go": {"y": "q", "x": "1 - q"}}, "y": {"st": {"y": 1, "x": 0}}},
        parameters=[q],
    )
    assert m.is_symbolic and m.transitions[1] == (((1, 1),),)
    with pytest.raises(MDPError, match="symbolic"):
        optimal_values(m, [0, 1], "1/2")


# -- bad input: one line, naming the state --------------------------------------------------


@pytest.mark.parametrize(
    "build, kind, where",
    [
        (lambda: MDP.build(["a"], {"a": {"x": {"a": "1/2"}}}), ProbabilityError, "'a', action 'x'"),
        (lambda: MDP.build(["a"], {"a": {"x": {"a": "3/2", "b": 1}}}), MDPError, "'b'"),
        (lambda: MDP.build(["a", "b"], {"a": {"x": {"b": 1}}, "b": {}}), MDPError, "'b' has no"),
        (
            lambda: MDP.build(["a", "b"], {"a": {"x": {"a": 1}}, "b": {"y": {"a": 1}}}),
            MDPError,
            "'b' is unreachable",
        ),
        (lambda: MDP.build(["a"], {"a": {"x": {"a": "-1"}}}), ProbabilityError, "'a'"),
        (lambda: MDP.build(["a", "a"], {}), MDPError, "'a' appears twice"),
        (lambda: MDP.build(["a"], {"a": {"x": {"a": 1}}, "z": {}}), MDPError, "'z'"),
        (lambda: MDP.build(["a"], {"a": {"x": {"a": 1}}}, start=["q"]), MDPError, "'q'"),
        (lambda: MDP.graph({"a": ["b"], "b": ["b"], "c": ["c"]}), MDPError, "'c' is unreachable"),
        (lambda: as_gamma(1), MDPError, "gamma"),
        (lambda: as_gamma("0"), MDPError, "gamma"),
        (lambda: as_gamma("-1/2"), MDPError, "gamma"),
        (lambda: as_gamma("3/2"), MDPError, "gamma"),
        (lambda: optimal_values(MDP.graph({"a": ["a"]}), [0], "5/4"), MDPError, "gamma"),
        (
            lambda: policy_values(MDP.graph({"a": ["a"]}), [0], "1/2", {"a": "b"}),
            MDPError,
            "unknown action 'b'",
        ),
        (lambda: optimal_values(MDP.graph({"a": ["a"]}), {"b": 1}, "1/2"), MDPError, "'b'"),
        (lambda: FiniteRewards((("1/2", {"a": 1}),)), ProbabilityError, "sum to 1/2"),
    ],
)
def test_bad_input_is_one_line_naming_the_place(build, kind, where):
    with pytest.raises(kind) as err:
        build()
    assert isinstance(err.value, GameError) and isinstance(err.value, ValueError)
    text = str(err.value)
    assert where in text and "\n" not in text


def test_start_states_and_float_refused():
    m = MDP.build(["a", "b"], {"a": {"x": {"a": 1}}, "b": {"y": {"a": 1}}}, start=["b"])
    assert m.start == (1,)
    with pytest.raises(TypeError, match="float"):
        MDP.build(["a"], {"a": {"x": {"a": 1.0}}})
    with pytest.raises(TypeError, match="float"):
        as_gamma(0.5)


# -- exact values -----------------------------------------------------------------------------


def test_hand_worked_values():
    m = MDP.graph({"s": ["a", "b"], "a": ["a"], "b": ["b"]})
    opt = optimal_values(m, {"s": 0, "a": 1, "b": 2}, "1/3")
    assert opt.values == (R(1), R(3, 2), R(3)) and opt.actions == ("b", "a", "b")
    assert all(isinstance(v, sympy.Rational) for v in opt.values) and opt.check()
    chain = MDP.graph({"x": ["y"], "y": ["z"], "z": ["z"]})
    # V(x) = 1 + γ·2 + γ²·3/(1 − γ) at γ = 1/2
    assert optimal_values(chain, [1, 2, 3], "1/2").values[0] == R(1) + 1 + R(3, 2)


def test_certificate_rejects_tampering():
    m = MDP.gridworld(2, 2)
    opt = optimal_values(m, [0, 1, 0, 2], "3/5")
    assert opt.check()
    values = list(opt.values)
    values[0] += R(1, 10**9)
    assert not OptimalValues(m, opt.rewards, opt.gamma, tuple(values), opt.policy).check()
    bad = list(opt.policy)
    bad[3] = m.action_index(3, "n")  # leaving the best cell is not optimal
    assert not OptimalValues(m, opt.rewards, opt.gamma, opt.values, tuple(bad)).check()


def test_random_mdps_against_policy_enumeration():
    rng = random.Random(12)
    for _ in range(150):
        m = random_mdp(rng)
        r = random_rewards(rng, m.n_states)
        g = random_gamma(rng)
        opt = optimal_values(m, r, g)
        assert [Fraction(int(v.p), int(v.q)) for v in opt.values] == oracle_values(m, r, g)
        assert all(isinstance(v, sympy.Rational) for v in opt.values) and opt.check()
        assert policy_values(m, r, g, opt.policy) == opt.values


def test_batch_integer_iteration_matches_policy_iteration():
    rng = random.Random(5)
    for rows, cols, walls in [(3, 3, ()), (4, 5, [(1, 1), (2, 3)]), (1, 6, ())]:
        m = MDP.gridworld(rows, cols, walls=walls)
        table = [
            [R(rng.randint(-50, 50), rng.choice([1, 7, 1000])) for _ in m.states] for _ in range(40)
        ]
        for gamma in (R(3, 5), R(99, 100), R(1, 7)):
            batch = batch_optimal_values(m, table, gamma)
            for row, v in zip(table, batch):
                assert (
                    tuple(R(int(x.p), int(x.q)) for x in v) == optimal_values(m, row, gamma).values
                )


def test_batch_wide_integers():
    """Huge reward denominators force Python integers: still exact."""
    m = MDP.gridworld(2, 3)
    table = [[R(k + 1, 10**30 + k) for k in range(6)], [R(-(10**40), 3)] * 3 + [R(1)] * 3]
    batch = batch_optimal_values(m, table, R(997, 1000))
    for row, v in zip(table, batch):
        assert (
            tuple(R(int(x.p), int(x.q)) for x in v) == optimal_values(m, row, R(997, 1000)).values
        )


def test_symbolic_policy_values_substitute():
    m = MDP.gridworld(2, 2, slip="1/5")
    g = sympy.Symbol("g", positive=True)
    pol = optimal_values(m, [1, 0, 0, 2], "1/2").policy
    nums, den = symbolic_policy_values(m, [R(1), R(0), R(0), R(2)], g, pol)
    for c in (R(1, 3), R(1, 2), R(9, 10)):
        exact = policy_values(m, [1, 0, 0, 2], c, pol)
        assert tuple(n.eval(c) / den.eval(c) for n in nums) == exact


# -- visit distributions ----------------------------------------------------------------------


def test_visit_distributions_hand_worked():
    k = 4
    m = MDP.graph({"s": [f"t{i}" for i in range(k)], **{f"t{i}": [f"t{i}"] for i in range(k)}})
    fs = visit_distributions(m, "s", "1/3")
    assert len(fs) == k and all(sum(f) == R(3, 2) for f in fs)
    assert all(isinstance(x, sympy.Rational) for f in fs for x in f)
    assert visit_distributions(m, "t0", "1/3") == ((0, R(3, 2), 0, 0, 0),)


def test_visit_distributions_drop_dominated_mixtures():
    m = MDP.build(
        ["s", "x", "y"],
        {
            "s": {"a": {"x": 1}, "b": {"y": 1}, "c": {"x": "1/2", "y": "1/2"}},
            "x": {"st": {"x": 1}},
            "y": {"st": {"y": 1}},
        },
    )
    assert len(all_visit_distributions(m, "s", "1/2")) == 3
    assert visit_distributions(m, "s", "1/2") == ((1, 0, 1), (1, 1, 0))


@pytest.mark.parametrize(
    "build", [lambda: MDP.gridworld(3, 3), lambda: MDP.gridworld(2, 2, slip="1/4")]
)
def test_visit_distributions_give_optimal_values(build):
    """max_f f·R over the non-dominated visit distributions is V*(s), for random R."""
    m = build()
    rng = random.Random(3)
    g = R(3, 5)
    fs = {s: visit_distributions(m, s, g) for s in m.states[:3]}
    for f in fs.values():
        assert all(sum(v) == 1 / (1 - g) for v in f)
    for _ in range(30):
        r = [R(rng.randint(-9, 9), rng.randint(1, 5)) for _ in m.states]
        opt = optimal_values(m, r, g)
        for s, f in fs.items():
            best = max(sum((a * b for a, b in zip(v, r)), R(0)) for v in f)
            assert best == opt.values[m.state_index(s)]
