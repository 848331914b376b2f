"""Learning dynamics (exactpower.dynamics): hand-worked steps and an independent float model.

Matching pennies ``MP``: the row player gets ``[[1, -1], [-1, 1]]`` (wants to match), the
column player the negation.  The coordination game ``CO``: both get ``[[2, 0], [0, 1]]``.
Actions are ``"0"`` (H / A) and ``"1"`` (T / B).
"""

from __future__ import annotations

import numpy as np
import pytest
import sympy

import exactpower as ep
from exactpower.dynamics.rules import step
from exactpower.dynamics.trajectory import Trajectory, digits, trajectory
from exactpower.io import load_game_file
from tests.cases import EXAMPLES

R = sympy.Rational
MP = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
CO = ep.BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])


def pure(game, a, b):
    return ep.StrategyProfile.from_dict(game, {"1": str(a), "2": str(b)})


def mixed(game, p, q):
    """Row plays 0 with probability p, column with q."""
    return ep.StrategyProfile.from_dict(
        game, {"1": {"0": str(p), "1": str(1 - p)}, "2": {"0": str(q), "1": str(1 - q)}}
    )


def rows(profile):
    return [[list(row) for row in s] for s in profile.strategies]


def run(game, start, rule, n, eta=None):
    return trajectory(game, start, rule, n, step_size=eta)


# -- hand-worked steps -----------------------------------------------------------------------


def test_best_response_matching_pennies_cycles():
    # (H,H): row (matching) keeps H, column switches to T -> (H,T); then row -> T: (T,T);
    # column -> H: (T,H); row -> H: (H,H).  Every pure MP profile: ΣPOWER 2, NashConv 2.
    t = run(MP, pure(MP, 0, 0), "best-response", 4)
    got = [rows(s.profile) for s in t.steps]
    want = [pure(MP, *ab) for ab in [(0, 0), (0, 1), (1, 1), (1, 0), (0, 0)]]
    assert got == [rows(p) for p in want]
    assert all(s.power_sum == 2 and s.nash_conv == 2 and s.welfare == 0 for s in t.steps)
    assert all(type(s.power_sum) is sympy.Integer for s in t.steps)


def test_alternating_best_response_moves_one_player_per_step():
    # Step 1 the row player (already best at (H,H)), step 2 the column (-> T), step 3 the row
    # (-> T), step 4 the column (-> H).
    t = run(MP, pure(MP, 0, 0), "alternating-best-response", 4)
    want = [(0, 0), (0, 0), (0, 1), (1, 1), (1, 0)]
    assert [rows(s.profile) for s in t.steps] == [rows(pure(MP, *ab)) for ab in want]


def test_best_response_coordination():
    # (A,B): row vs B picks B (1 > 0), column vs A picks A (2 > 0): (B,A), then (A,B).
    # ΣPOWER at (A,B) = max(0,1) + max(2,0) = 3 = NashConv (welfare 0).
    t = run(CO, pure(CO, 0, 1), "best-response", 2)
    assert [rows(s.profile) for s in t.steps] == [
        rows(pure(CO, *ab)) for ab in [(0, 1), (1, 0), (0, 1)]
    ]
    assert [s.power_sum for s in t.steps] == [3, 3, 3]
    # Alternating: the row player moves to B -> (B,B), an equilibrium: ΣPOWER 2, NashConv 0.
    a = run(CO, pure(CO, 0, 1), "alternating-best-response", 2)
    assert rows(a.steps[1].profile) == rows(pure(CO, 1, 1)) == rows(a.steps[2].profile)
    assert (a.steps[1].power_sum, a.steps[1].nash_conv, a.steps[1].welfare) == (2, 0, 2)


def test_fictitious_play_matching_pennies():
    # x1 = (H, ½H+½T): ΣPOWER 0 + 1.  x2: row ties against ½:½ -> H, column -> T:
    # column (1/3, 2/3), ΣPOWER 1/3 + 1.  x3: row -> T, column -> T: row (3/4, 1/4),
    # column (1/4, 3/4), POWER 1/2 each.
    t = run(MP, pure(MP, 0, 0), "fictitious-play", 3)
    assert rows(t.steps[1].profile) == rows(mixed(MP, 1, R(1, 2)))
    assert rows(t.steps[2].profile) == rows(mixed(MP, 1, R(1, 3)))
    assert rows(t.steps[3].profile) == rows(mixed(MP, R(3, 4), R(1, 4)))
    assert [s.power_sum for s in t.steps] == [2, 1, R(4, 3), 1]
    assert t.steps[3].power == {"1": R(1, 2), "2": R(1, 2)}
    assert all(s.nash_conv == s.power_sum for s in t.steps)  # zero-sum: ΣPOWER = NashConv


def test_fictitious_play_coordination():
    # From (A,B): b = (B,A), x1 = uniform, POWER 1 each (A gives 1, B gives 1/2).
    # x2: both best-respond A to uniform: (2·½ + 1)/3 = 2/3 on A; POWER 4/3 each.
    t = run(CO, pure(CO, 0, 1), "fictitious-play", 2)
    assert rows(t.steps[1].profile) == rows(mixed(CO, R(1, 2), R(1, 2)))
    assert rows(t.steps[2].profile) == rows(mixed(CO, R(2, 3), R(2, 3)))
    assert [s.power_sum for s in t.steps] == [3, 2, R(8, 3)]


def test_replicator_matching_pennies():
    # η = 1/2, payoffs scaled by the range 2: u = (f + 1)/2.  Row (3/4, 1/4) against the
    # uniform column: f_row = (0, 0), the row stays.  Column: f = (-1/2, 1/2), u = (1/4, 3/4),
    # ū = 1/2, factors 7/8, 9/8 -> (7/16, 9/16).  Step 2: row u = (7/16, 9/16),
    # ū = 15/32, factors 63/64, 67/64 -> (189/256, 67/256); column ū = 17/32, factors 55/64,
    # 71/64 -> (385/1024, 639/1024).
    t = run(MP, mixed(MP, R(3, 4), R(1, 2)), "replicator", 2, R(1, 2))
    assert rows(t.steps[1].profile) == rows(mixed(MP, R(3, 4), R(7, 16)))
    assert rows(t.steps[2].profile) == rows(mixed(MP, R(189, 256), R(385, 1024)))
    assert t.step_size == R(1, 2)


def test_replicator_coordination():
    # η = 1 from uniform: f = (1, 1/2), u = f/2 = (1/2, 1/4), ū = 3/8: factors 9/8, 7/8.
    # POWER at (9/16, 7/16) each: max(2·9/16, 7/16) = 9/8, so ΣPOWER 9/4.
    t = run(CO, ep.StrategyProfile.uniform(CO), "replicator", 1, R(1))
    assert rows(t.steps[1].profile) == rows(mixed(CO, R(9, 16), R(9, 16)))
    assert t.steps[1].power_sum == R(9, 4)


def test_pure_profiles_are_rest_points_of_the_replicator():
    t = run(CO, pure(CO, 0, 1), "replicator", 3, R(1, 10))
    assert all(rows(s.profile) == rows(pure(CO, 0, 1)) for s in t.steps)


def test_bad_requests():
    with pytest.raises(ep.GameError):
        trajectory(MP, pure(MP, 0, 0), "replicator", 2)  # no step size
    with pytest.raises(ep.GameError):
        trajectory(MP, pure(MP, 0, 0), "replicator", 2, step_size=R(3, 2))
    with pytest.raises(ep.GameError):
        trajectory(MP, pure(MP, 0, 0), "gradient", 2)
    with pytest.raises(ep.GameError):
        trajectory(MP, pure(MP, 0, 0), "best-response", 10**6)  # MAX_DYNAMICS_STEPS
    with pytest.raises(ep.GameError):
        step(MP, pure(MP, 0, 0), "fictitious-play", 0)


def test_size_guard_stops_with_a_reason():
    game = load_game_file(str(EXAMPLES / "dynamics" / "bayesian-2x3.json"))
    t = trajectory(game, ep.StrategyProfile.uniform(game), "replicator", 50, step_size=R(1, 10))
    assert isinstance(t, Trajectory) and 5 <= len(t.steps) - 1 < 50
    k = len(t.steps)
    assert t.stopped.startswith(f"step {k} would exceed 4000 digits")
    small = trajectory(
        game,
        ep.StrategyProfile.uniform(game),
        "replicator",
        50,
        step_size=R(1, 10),
        max_digits=40,
    )
    assert small.stopped.startswith(f"step {len(small.steps)} would exceed 40 digits")
    assert len(small.steps) < k
    big = trajectory(  # over the arrays' own limit: still a reason, not an error
        game,
        ep.StrategyProfile.uniform(game),
        "replicator",
        50,
        step_size=R(1, 10),
        max_digits=10**9,
    )
    assert big.stopped.startswith(f"step {len(big.steps)} would exceed 10000 digits")


def test_digits():
    for n in [1, 9, 10, 99, 100, 10**40 - 1, 10**40, 2**4000, -(10**4500)]:
        assert digits(n) == len(str(abs(n))) if abs(n) < 10**4000 else digits(n) > 4000
    assert digits(10**4500) == 4501


# -- an independent float model ----------------------------------------------------------------


class Floats:
    """Two-player Bayesian game in numpy floats: R (2, T1, T2, A1, A2), prior P (T1, T2)."""

    def __init__(self, game):
        n = game.n_players
        assert n == 2
        t1, t2 = game.type_shape
        a1, a2 = game.action_shape
        self.R = np.array(
            [
                [
                    [
                        [
                            [float(game.reward(i, (s, t), (a, b))) for b in range(a2)]
                            for a in range(a1)
                        ]
                        for t in range(t2)
                    ]
                    for s in range(t1)
                ]
                for i in range(2)
            ]
        )
        self.P = np.array([[float(game.probability((s, t))) for t in range(t2)] for s in range(t1)])
        self.omega = [self.P.sum(axis=1), self.P.sum(axis=0)]
        sup = self.P > 0
        self.lo = [self.R[i][sup].min() for i in range(2)]
        self.rng = [self.R[i][sup].max() - self.lo[i] for i in range(2)]

    def tables(self, x):
        f0 = np.einsum("st,stab,tb->sa", self.P, self.R[0], x[1])
        f1 = np.einsum("st,stab,sa->tb", self.P, self.R[1], x[0])
        return [f0, f1]

    def numbers(self, x):
        F = self.tables(x)
        powers = [F[i].max(axis=1).sum() for i in range(2)]
        played = [(F[i] * x[i]).sum() for i in range(2)]
        w = np.einsum("st,stab,sa,tb->", self.P, self.R[0] + self.R[1], x[0], x[1])
        return powers, sum(powers), w, sum(powers) - sum(played)

    def br(self, x, players=(0, 1)):
        F = self.tables(x)
        out = [x[0].copy(), x[1].copy()]
        for i in players:
            for k, row in enumerate(F[i]):
                if self.omega[i][k] > 0:
                    a = int(np.flatnonzero(row >= row.max() - 1e-9)[0])  # first best
                    out[i][k] = np.eye(len(row))[a]
        return out

    def step(self, x, rule, k, eta):
        if rule == "best-response":
            return self.br(x)
        if rule == "alternating-best-response":
            return self.br(x, [(k - 1) % 2])
        if rule == "fictitious-play":
            b = self.br(x)
            return [(k * x[i] + b[i]) / (k + 1) for i in range(2)]
        F = self.tables(x)
        out = []
        for i in range(2):
            new = x[i].copy()
            for t in range(len(new)):
                if self.omega[i][t] > 0 and self.rng[i] > 0:
                    u = (F[i][t] / self.omega[i][t] - self.lo[i]) / self.rng[i]
                    new[t] = x[i][t] * (1 + eta * (u - x[i][t] @ u))
            out.append(new)
        return out


def floats_of(profile):
    return [np.array([[float(v) for v in row] for row in s]) for s in profile.strategies]


GAMES = {
    "matching-pennies": (MP, lambda g: pure(g, 0, 0)),
    "coordination": (CO, lambda g: mixed(g, R(1, 3), R(3, 4))),
    "bayesian-2x3": (
        load_game_file(str(EXAMPLES / "dynamics" / "bayesian-2x3.json")),
        ep.StrategyProfile.uniform,
    ),
}


@pytest.mark.parametrize(
    "rule", ["best-response", "alternating-best-response", "fictitious-play", "replicator"]
)
@pytest.mark.parametrize("name", sorted(GAMES))
def test_agrees_with_floats(name, rule):
    game, start = GAMES[name]
    eta = R(1, 10)
    t = trajectory(game, start(game), rule, 50, step_size=eta)
    if rule != "replicator":
        assert len(t.steps) == 51 and t.stopped is None
    else:  # exact digits triple per step: the size guard ends it (docs/conjectures.md)
        assert len(t.steps) >= 7 and (t.stopped is None or "digits" in t.stopped)
    model = Floats(game)
    x = floats_of(t.steps[0].profile)
    for k, s in enumerate(t.steps):
        if k:
            x = model.step(x, rule, k, 0.1)
        assert all(np.allclose(a, b, atol=1e-12, rtol=0) for a, b in zip(x, floats_of(s.profile)))
        powers, total, w, conv = model.numbers(x)
        assert abs(float(s.power_sum) - total) < 1e-12
        assert abs(float(s.welfare) - w) < 1e-12
        assert abs(float(s.nash_conv) - conv) < 1e-12
        assert all(abs(float(v) - p) < 1e-12 for v, p in zip(s.power.values(), powers))
        assert all(isinstance(v, sympy.Rational) for v in (s.power_sum, s.welfare, s.nash_conv))
