"""Turner's POWER for a finite reward distribution (issue 12): hand-worked values, ≥ 500
random MDPs against an independent policy enumeration, symbolic γ, limits."""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import pytest
import sympy

from exactpower.errors import MDPError
from exactpower.sequential.mdp import MDP, FiniteRewards
from exactpower.sequential.mdp_power import (
    PowerPiece,
    mdp_power,
    power_limits,
    power_pieces,
    value_pieces,
)
from tests.sequential.mdp_gen import oracle_power, random_gamma, random_mdp, random_rewards

R = sympy.Rational
G = sympy.Symbol("g", positive=True)


def _fraction(x: sympy.Rational) -> Fraction:
    assert isinstance(x, sympy.Rational), type(x)
    return Fraction(int(x.p), int(x.q))


def _random_support(rng: random.Random, n: int) -> list[tuple[Fraction, list[Fraction]]]:
    k = rng.randint(1, 3)
    weights = [rng.randint(1, 4) for _ in range(k)]
    return [(Fraction(w, sum(weights)), random_rewards(rng, n)) for w in weights]


def test_power_of_choice_among_absorbing_states():
    """s chooses among k absorbing states; rewards iid uniform on {0, 1} per state (2^(k+1)
    reward functions): POWER(s) = P(some absorbing state pays) = 1 − 2^-k, for every γ;
    an absorbing state's POWER is its mean reward, 1/2."""
    for k in (1, 2, 3):
        targets = [f"t{i}" for i in range(k)]
        m = MDP.graph({"s": targets, **{t: [t] for t in targets}})
        support = [
            (R(1, 2 ** (k + 1)), list(bits)) for bits in itertools.product((0, 1), repeat=k + 1)
        ]
        D = FiniteRewards(support)
        for gamma in ("1/10", "3/5", "99/100"):
            power = mdp_power(m, D, gamma)
            assert power["s"] == 1 - R(1, 2**k) and isinstance(power["s"], sympy.Rational)
            assert all(power[t] == R(1, 2) for t in targets)
        symbolic = mdp_power(m, D, "g")
        assert symbolic["s"] == 1 - R(1, 2**k) and symbolic["t0"] == R(1, 2)


def test_chain_power_is_discounted_mean():
    """x → y → z (absorbing), one policy: POWER(x) = (1 − γ) E[R(y)] + γ E[R(z)]."""
    m = MDP.graph({"x": ["y"], "y": ["z"], "z": ["z"]})
    D = FiniteRewards(((R(1, 3), [0, 3, 0]), (R(2, 3), [5, 0, R(3, 2)])))
    power = mdp_power(m, D, "g")
    assert sympy.simplify(power["x"] - ((1 - G) * 1 + G * 1)) == 0
    assert mdp_power(m, D, "1/4") == {"x": R(1), "y": R(1), "z": R(1)}
    assert power_limits(m, D, "g") == {"x": (1, 1), "y": (1, 1), "z": (1, 1)}


def test_five_hundred_random_mdps_against_policy_enumeration():
    rng = random.Random(2024)
    deterministic = 0
    for _ in range(500):
        m = random_mdp(rng)
        support = _random_support(rng, m.n_states)
        gamma = random_gamma(rng)
        power = mdp_power(m, FiniteRewards(support), gamma)
        assert list(power) == list(m.states)
        got = [_fraction(power[s]) for s in m.states]
        assert got == oracle_power(m, support, gamma)
        deterministic += m.is_deterministic
    assert deterministic > 100  # the integer fast path was exercised too


@pytest.mark.parametrize("seed", range(6))
def test_symbolic_gamma_equals_rational_at_five_points(seed):
    rng = random.Random(100 + seed)
    m = random_mdp(rng)
    support = _random_support(rng, m.n_states)
    D = FiniteRewards(support)
    power = mdp_power(m, D, "g")
    pieces = power_pieces(m, D, "g")
    assert isinstance(pieces[0], PowerPiece) and pieces[0].lower == 0 and pieces[-1].upper == 1
    points = [R(1, 97), R(1, 5), R(1, 2), R(3, 5), R(41, 43)]
    for c in points:
        exact = mdp_power(m, D, c)
        for s in m.states:
            value = power[s].subs(G, c)
            assert isinstance(value, sympy.Rational) and value == exact[s], (s, c)
    # and at a rational point inside every piece
    for piece in pieces:
        if piece.lower.is_Rational and piece.upper.is_Rational:
            c = (piece.lower + piece.upper) / 2
            exact = mdp_power(m, D, c)
            assert [v.subs(G, c) for v in piece.values] == [exact[s] for s in m.states]


def test_breakpoint_found_exactly():
    """s → b (reward 1/3 forever) or s → x → y (reward 1 forever): switch at γ = 1/3;
    POWER(s) = 1/3 below, γ above."""
    m = MDP.graph({"s": ["x", "b"], "x": ["y"], "y": ["y"], "b": ["b"]})
    D = FiniteRewards(((1, {"s": 0, "x": 0, "y": 1, "b": "1/3"}),))
    pieces = power_pieces(m, D, "g")
    assert [(p.lower, p.upper) for p in pieces] == [(0, R(1, 3)), (R(1, 3), 1)]
    assert pieces[0].values[0] == R(1, 3) and pieces[1].values[0] == G
    assert power_limits(m, D, "g")["s"] == (R(1, 3), 1)


def test_irrational_breakpoint():
    """s → b (reward 1/2 forever) or s → x → y → z (reward 1 forever): γ/2/(1 − γ)
    against γ³/(1 − γ), equal at γ = √2/2, an irrational breakpoint."""
    m = MDP.graph({"s": ["x", "b"], "x": ["y"], "y": ["z"], "z": ["z"], "b": ["b"]})
    D = FiniteRewards(((1, {"s": 0, "x": 0, "y": 0, "z": 1, "b": "1/2"}),))
    pieces = value_pieces(m, D.table(m)[0], "g")
    cut = pieces[0][1]
    assert sympy.simplify(cut - sympy.sqrt(2) / 2) == 0
    power = mdp_power(m, D, "g")["s"]
    for c in (R(7, 10), R(71, 100)):  # √2/2 ≈ 0.7071
        assert power.subs(G, c) == mdp_power(m, D, c)["s"]


def test_symbolic_gamma_needs_symbol_and_finite_support():
    m = MDP.graph({"a": ["a"]})
    with pytest.raises(MDPError, match="gamma"):
        power_pieces(m, FiniteRewards(((1, [1]),)), "1/2")
    with pytest.raises(MDPError, match="not FiniteRewards"):
        mdp_power(m, [(1, [1])], "1/2")
    with pytest.raises(MDPError, match="unknown state 'b'"):
        mdp_power(m, FiniteRewards(((1, {"a": 1, "b": 1}),)), "1/2")
    two = MDP.graph({"a": ["b"], "b": ["a"]})
    with pytest.raises(MDPError, match="no reward for state 'b'"):
        mdp_power(two, FiniteRewards(((1, {"a": 1}),)), "1/2")
