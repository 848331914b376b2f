"""The 3×3 gridworld of POWERplay (four moves and stay, γ = 3/5) under iid uniform rewards:
exact values, symmetric states exactly equal (computed independently, not copied by the
symmetry detection), POWERplay's published estimates and a 200,000-sample Monte Carlo.

Slow: about two minutes of integration (marked ``slow``).
"""

from __future__ import annotations

import pytest
import sympy

from exactpower.exact import to_rational
from exactpower.sequential.mdp import MDP
from exactpower.sequential.uniform_power import (
    expected_max,
    reduce_forms,
    reward_forms,
    uniform_power_result,
)
from tests.sequential.test_uniform_power import monte_carlo

pytestmark = pytest.mark.slow

R = sympy.Rational
CORNER = R(2064178433087, 2563476562500)
EDGE = R(685456447117, 820312500000)
CENTRE = R(70687189, 82031250)


def test_3x3_gridworld_exact():
    grid = MDP.gridworld(3, 3)
    result = uniform_power_result(grid, "3/5", time_limit=None)
    assert result.method == "exact"
    assert all(isinstance(v, sympy.Rational) for v in result.values)
    power = result.as_dict()
    assert [power[s] for s in ("0,0", "0,1", "1,1")] == [CORNER, EDGE, CENTRE]
    for s, published in (("0,0", 0.805), ("0,1", 0.835), ("1,1", 0.862)):
        assert abs(float(power[s]) - published) < 0.0011  # POWERplay's three decimals
    mean, se = monte_carlo(grid, 0.6, 200_000, seed=2)
    for i, name in enumerate(grid.states):
        assert abs(float(power[name]) - mean[i]) < 4 * se[i], name


def test_3x3_opposite_corner_computed_independently():
    grid = MDP.gridworld(3, 3)
    g = R(3, 5)
    s = grid.state_index("2,2")
    offset, forms = reduce_forms(reward_forms(grid, s, g))
    value = (1 - g) / g * (to_rational(offset) + expected_max(forms))
    assert value == CORNER
