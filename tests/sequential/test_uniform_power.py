"""Turner's POWER under iid uniform [0, 1] rewards (issue 12): the k/(k+1) and 1/2 laws,
closed forms, exact against enclosure, and Turner's example MDP against Monte Carlo.

The 3×3 gridworld (minutes) is in ``test_uniform_power_slow.py``.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import flint
import numpy as np
import pytest
import sympy

from exactpower.errors import LimitError, MDPError
from exactpower.sequential.mdp import MDP
from exactpower.sequential.uniform_enclosure import expected_max_bounds
from exactpower.sequential.uniform_power import (
    UniformPower,
    expected_max,
    reduce_forms,
    state_orbits,
    uniform_power,
    uniform_power_result,
)
from tests.sequential.mdp_gen import random_mdp

R = sympy.Rational
DATA = Path(__file__).resolve().parents[1] / "data" / "powerplay"
GAMMAS = (R(1, 10), R(1, 2), R(3, 5), R(9, 10))


def _absorbing(k: int, stay: bool = False) -> MDP:
    leaves = [f"t{i}" for i in range(k)]
    table = {"s": leaves + (["s"] if stay else [])}
    table.update({t: [t] for t in leaves})
    return MDP.graph(table)


@pytest.mark.parametrize("k", [1, 2, 3, 4])
@pytest.mark.parametrize("gamma", GAMMAS)
def test_choice_among_k_absorbing_states(k, gamma):
    power = uniform_power(_absorbing(k), gamma)
    assert power["s"] == R(k, k + 1)
    assert isinstance(power["s"], sympy.Rational)
    for i in range(k):
        assert power[f"t{i}"] == R(1, 2)
        assert isinstance(power[f"t{i}"], sympy.Rational)


@pytest.mark.parametrize("gamma", GAMMAS)
def test_staying_is_one_more_absorbing_choice(gamma):
    # s may also stay: the future is max of k + 1 iid rewards (its own included)
    assert uniform_power(_absorbing(3, stay=True), gamma)["s"] == R(4, 5)


def test_expected_max_closed_forms():
    rng = random.Random(5)
    for _ in range(20):
        a, b = sorted((R(rng.randint(1, 9), rng.randint(1, 5)) for _ in range(2)), reverse=True)
        # E[max(a x, b y)] = a/2 + b^2/(6a) for a ≥ b > 0
        got = expected_max([(a, 0), (0, b)])
        assert got == a / 2 + b**2 / (6 * a)
        assert isinstance(got, sympy.Rational)
    for k in range(1, 6):  # max of k iid uniforms
        assert expected_max([tuple(int(i == j) for j in range(k)) for i in range(k)]) == R(k, k + 1)
    # max(2x + y, x + 2y) = 3(x + y)/2 + |x − y|/2 and E|x − y| = 1/3
    assert expected_max([(2, 1), (1, 2)]) == R(5, 3)


def test_reduction_keeps_the_expectation_and_exact_lies_in_enclosure():
    rng = random.Random(11)
    for _ in range(15):
        n, k = rng.randint(1, 3), rng.randint(1, 4)
        forms = [tuple(R(rng.randint(0, 6), rng.randint(1, 3)) for _ in range(n)) for _ in range(k)]
        exact = expected_max(forms)
        offset, reduced = reduce_forms(forms)
        assert exact == sympy.Rational(int(offset.p), int(offset.q)) + (
            expected_max(reduced) if reduced and reduced[0] else 0
        )
        lo, hi = expected_max_bounds(forms, "1/50")
        assert isinstance(lo, flint.fmpq) and isinstance(hi, flint.fmpq)
        assert hi - lo <= flint.fmpq(1, 50)
        assert lo <= flint.fmpq(int(exact.p), int(exact.q)) <= hi


def test_exact_inside_enclosure_on_random_mdps():
    rng = random.Random(3)
    checked = 0
    while checked < 6:
        mdp = random_mdp(rng)
        if mdp.n_states > 4:
            continue
        exact = uniform_power_result(mdp, "1/2", time_limit=None)
        assert exact.method == "exact" and exact.width == 0
        boxed = uniform_power_result(mdp, "1/2", time_limit=0, width="1/20")
        assert isinstance(boxed, UniformPower) and boxed.method == "enclosure"
        assert boxed.width <= R(1, 20)
        for value, (lo, hi) in zip(exact.values, boxed.values):
            assert isinstance(value, sympy.Rational) and isinstance(lo, sympy.Rational)
            assert lo <= value <= hi
        checked += 1


def test_enclosure_refuses_when_the_box_budget_is_spent():
    with pytest.raises(LimitError, match="MAX_ENCLOSURE_BOXES"):
        expected_max_bounds([(1, 0, 0), (0, 1, 0), (0, 0, 1)], "1/1000000", max_boxes=50)


def test_bad_gamma():
    with pytest.raises(MDPError, match="gamma"):
        uniform_power(_absorbing(2), "g")
    with pytest.raises(MDPError, match="gamma"):
        uniform_power(_absorbing(2), 1)


def test_gridworld_orbits_and_2x2_value():
    assert state_orbits(MDP.gridworld(3, 3)) == [0, 1, 0, 1, 4, 1, 0, 1, 0]
    power = uniform_power(MDP.gridworld(2, 2), "3/5")
    assert set(power.values()) == {R(97, 125)}
    mean, se = monte_carlo(MDP.gridworld(2, 2), 0.6, 200_000, seed=7)
    assert abs(float(R(97, 125)) - mean[0]) < 4 * se[0]


# -- Monte Carlo (float, numpy-vectorised value iteration) ---------------------------------


def monte_carlo(mdp: MDP, gamma: float, samples: int, seed: int) -> tuple:
    """Per-state mean and standard error of (1−γ)/γ (V*_R(s) − R(s)), R iid uniform."""
    assert mdp.is_deterministic
    succ = [sorted({t for row in mdp.transitions[s] for t, _ in row}) for s in range(mdp.n_states)]
    rng = np.random.default_rng(seed)
    rewards = rng.random((samples, mdp.n_states))
    values = rewards / (1 - gamma)
    for _ in range(int(np.ceil(np.log(1e-12) / np.log(gamma)))):
        best = np.stack([values[:, s].max(axis=1) for s in succ], axis=1)
        values = rewards + gamma * best
    power = (values - rewards) * (1 - gamma) / gamma
    return power.mean(axis=0), power.std(axis=0, ddof=1) / np.sqrt(samples)


def read_gv(path: Path) -> MDP:
    """The edges ``"a" -> "b";`` of a POWERplay graph MDP (enough for these test files)."""
    text = path.read_text(encoding="utf-8")
    nodes = re.findall(r'^"([^"]+)";$', text, re.M)
    succ: dict[str, list[str]] = {n: [] for n in nodes}
    for a, b in re.findall(r'^"([^"]+)" -> "([^"]+)";$', text, re.M):
        succ[a].append(b)
    names = {n: f"s{i}" for i, n in enumerate(nodes)}  # MDP state names must be identifiers
    return MDP.graph({names[a]: [names[b] for b in bs] for a, bs in succ.items()})


def test_turner_mdp_exact_and_monte_carlo():
    mdp = read_gv(DATA / "mdp_from_paper.gv")
    assert mdp.n_states == 8
    power = uniform_power(mdp, "3/5")
    assert all(isinstance(v, sympy.Rational) for v in power.values())
    # ★ = s0, ∅ = s1 (absorbing), ℓ_◁ = s2, r_▷ = s3, ℓ_↖ = s4, ℓ_↙ = s5, r_↗ = s6, r_↘ = s7
    assert power["s1"] == R(1, 2)
    assert power["s3"] == power["s6"] == power["s7"] == R(2, 3)
    assert power["s0"] == R(59816148639409, 80263249920000)
    mean, se = monte_carlo(mdp, 0.6, 200_000, seed=1)
    for i, name in enumerate(mdp.states):
        assert abs(float(power[name]) - mean[i]) < 4 * se[i] + 1e-12, name


def test_mdp_power_dispatches_iid_uniform():
    from exactpower.sequential.mdp import IidUniform
    from exactpower.sequential.mdp_power import mdp_power

    power = mdp_power(_absorbing(3), IidUniform(), "1/3")
    assert power == {"s": R(3, 4), "t0": R(1, 2), "t1": R(1, 2), "t2": R(1, 2)}
    assert all(isinstance(v, sympy.Rational) for v in power.values())
