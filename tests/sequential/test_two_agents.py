"""Two agents in one MDP (issue 12): induced MDPs, H's POWER, reward correlation ρ."""

from __future__ import annotations

import random

import pytest
import sympy

from exactpower.errors import MDPError
from exactpower.sequential.mdp import MDP, FiniteRewards
from exactpower.sequential.mdp_power import mdp_power
from exactpower.sequential.two_agents import JointMDP, correlated_power, h_power

R = sympy.Rational
A_WORLD = MDP.graph({"x": ["x", "y"], "y": ["y", "x"]})


def _joint() -> JointMDP:
    return JointMDP.product(MDP.graph({"h": ["h"]}), A_WORLD)


def test_product_and_induced_mdp_by_hand():
    joint = JointMDP.product(MDP.graph({"p": ["p", "q"], "q": ["q"]}), A_WORLD)
    assert joint.states == ("p|x", "p|y", "q|x", "q|y")
    assert joint.h_actions[0] == ("p", "q") and joint.a_actions[0] == ("x", "y")
    # A: from x go to y half the time; at y stay
    h = joint.induced_for_h({"p|x": {"x": "1/2", "y": "1/2"}, "p|y": "y", "q|x": "y", "q|y": "y"})
    assert dict(h.transitions[0][1]) == {2: R(1, 2), 3: R(1, 2)}  # p|x, H moves to q
    assert dict(h.transitions[1][0]) == {1: 1}
    a = joint.induced_for_a("uniform")
    assert dict(a.transitions[0][1]) == {1: R(1, 2), 3: R(1, 2)}  # p|x, A moves to y


def test_fixed_policy_power_is_mdp_power_of_induced():
    joint = JointMDP.gridworld(1, 3)
    rng = random.Random(4)
    D = FiniteRewards(
        tuple((R(1, 3), [R(rng.randint(0, 9), 9) for _ in joint.states]) for _ in range(3))
    )
    stay = dict.fromkeys(joint.states, "stay")
    power = h_power(joint, stay, D, "3/5")
    table = D.table(joint.induced_for_h(stay))
    # by hand: with A staying, H's world is the 1x3 corridor, one copy per A cell
    corridor = MDP.gridworld(1, 3)
    for cell in corridor.states:
        names = [f"{h}|{cell}" for h in corridor.states]
        columns = [joint.states.index(n) for n in names]
        sub = FiniteRewards(
            tuple((p, [row[c] for c in columns]) for p, row in zip(D.probabilities, table))
        )
        expect = mdp_power(corridor, sub, "3/5")
        assert [power[n] for n in names] == [expect[c] for c in corridor.states]


def test_correlation_hand_worked():
    """H cannot move; its reward depends on where A is.  R_H pays 1 at x or at y (1/2
    each).  ρ = 1: A goes where H is paid: POWER 1.  ρ = −1: A avoids it: POWER 0.
    ρ = 0: A's reward is an independent copy: POWER 1/2."""
    joint = _joint()
    D = FiniteRewards(((R(1, 2), {"h|x": 1, "h|y": 0}), (R(1, 2), {"h|x": 0, "h|y": 1})))
    for gamma in ("1/2", "9/10"):
        assert correlated_power(joint, D, 1, gamma) == {"h|x": 1, "h|y": 1}
        assert correlated_power(joint, D, -1, gamma) == {"h|x": 0, "h|y": 0}
        half = correlated_power(joint, D, 0, gamma)
        assert half == {"h|x": R(1, 2), "h|y": R(1, 2)}
        assert all(isinstance(v, sympy.Rational) for v in half.values())


def test_correlation_orders_power_on_gridworld():
    joint = JointMDP.gridworld(1, 3)
    rng = random.Random(9)
    D = FiniteRewards(
        tuple((R(1, 4), [R(rng.randint(0, 5), 5) for _ in joint.states]) for _ in range(4))
    )
    same = correlated_power(joint, D, 1, "3/5")
    opposed = correlated_power(joint, D, -1, "3/5")
    assert all(same[s] >= opposed[s] for s in joint.states)
    assert any(same[s] > opposed[s] for s in joint.states)


@pytest.mark.parametrize(
    "call, where",
    [
        (lambda: _joint().induced_for_h({"h|x": "z", "h|y": "x"}), "no action 'z'"),
        (lambda: _joint().induced_for_h({"h|x": "x"}), "'h|y'"),
        (lambda: _joint().induced_for_h({"h|x": {"x": "1/2"}, "h|y": "x"}), "'h|x'"),
        (lambda: correlated_power(_joint(), FiniteRewards(((1, [0, 1]),)), "1/2", "1/2"), "rho"),
        (lambda: JointMDP.build(["s"], {"s": {"h": {"a": {"s": "1/2"}}}}), "'s'"),
        (lambda: JointMDP.build(["s"], {"s": {"h": {"a": {"t": 1}}}}), "'t'"),
    ],
)
def test_bad_input(call, where):
    with pytest.raises(ValueError) as err:
        call()
    assert where in str(err.value) and "\n" not in str(err.value)


def test_policy_error_is_mdp_error():
    with pytest.raises(MDPError):
        _joint().induced_for_a({"h|x": "q", "h|y": "h"})
