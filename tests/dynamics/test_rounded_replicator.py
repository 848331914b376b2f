"""The rounded replicator (``trajectory(..., round_to=K)``, ``dynamics --round K``).

Each step is the exact replicator step from the previous rounded point, then a rounding to
the nearest point with denominator ``K`` (largest remainders, ties to the first action).
Checked against (1) an independent Fraction implementation written here from the
definitions, exactly, for 50 steps; (2) a float implementation of the same rounded dynamic,
to 1e-12, for 50 steps; (3) hand-worked steps; (4) a brute-force nearest grid point.
"""

from __future__ import annotations

import itertools
import json
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy

import exactpower as ep
from exactpower.dynamics.rules import round_row
from exactpower.dynamics.trajectory import trajectory
from exactpower.io import load_game_file
from tests.cases import EXAMPLES, one_line_error, run_cli

R = sympy.Rational
MP = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
CO = ep.BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]])
B23 = EXAMPLES / "dynamics" / "bayesian-2x3.json"


def mixed(game, p, q):
    return ep.StrategyProfile.from_dict(
        game, {"1": {"0": str(p), "1": str(1 - p)}, "2": {"0": str(q), "1": str(1 - q)}}
    )


def fractions_of(profile):
    return [[[Fraction(str(v)) for v in row] for row in s] for s in profile.strategies]


# -- (1) an independent exact implementation -------------------------------------------------


class Exact:
    """The rounded replicator on a two-player Bayesian game, in Fractions, from the rewards
    and the prior (``game.reward``, ``game.probability``) -- no exactpower dynamics code."""

    def __init__(self, game, eta: Fraction, k: int):
        self.eta, self.k = eta, k
        t1, t2 = game.type_shape
        a1, a2 = game.action_shape
        self.shape = (t1, t2, a1, a2)
        self.r = {
            (i, s, t, a, b): Fraction(str(game.reward(i, (s, t), (a, b))))
            for i in range(2)
            for s, t, a, b in itertools.product(range(t1), range(t2), range(a1), range(a2))
        }
        self.p = {
            (s, t): Fraction(str(game.probability((s, t))))
            for s, t in itertools.product(range(t1), range(t2))
        }
        support = [st for st, v in self.p.items() if v > 0]
        self.lo, self.span = [], []
        for i in range(2):
            cells = [v for (j, s, t, _, _), v in self.r.items() if j == i and (s, t) in support]
            self.lo.append(min(cells))
            self.span.append(max(cells) - min(cells))

    def utility(self, x, i, own, a):
        """``f_i(own, a, x_-i)``: the conditional expected reward of type ``own``."""
        t1, t2, a1, a2 = self.shape
        num = den = Fraction(0)
        for other in range(t2 if i == 0 else t1):
            s, t = (own, other) if i == 0 else (other, own)
            den += self.p[s, t]
            for b in range(a2 if i == 0 else a1):
                cell = (i, s, t, a, b) if i == 0 else (i, s, t, b, a)
                num += self.p[s, t] * x[1 - i][other][b] * self.r[cell]
        return num / den

    def nearest(self, row):
        k = self.k
        quotas = [k * v for v in row]
        base = [int(q) for q in quotas]  # floor: quotas are nonnegative
        order = sorted(range(len(row)), key=lambda a: (-(quotas[a] - base[a]), a))
        for a in order[: k - sum(base)]:
            base[a] += 1
        return [Fraction(n, k) for n in base]

    def step(self, x):
        out = [[list(row) for row in s] for s in x]
        for i in range(2):
            if self.span[i] == 0:
                continue
            for own, row in enumerate(x[i]):
                if sum(v for (s, t), v in self.p.items() if (s, t)[i] == own) == 0:
                    continue
                u = [
                    (self.utility(x, i, own, a) - self.lo[i]) / self.span[i]
                    for a in range(len(row))
                ]
                mean = sum(v * w for v, w in zip(row, u))
                out[i][own] = self.nearest(
                    [v * (1 + self.eta * (w - mean)) for v, w in zip(row, u)]
                )
        return out


GAMES = {
    "matching-pennies": (MP, lambda g: mixed(g, R(3, 4), R(1, 2))),
    "coordination": (CO, lambda g: mixed(g, R(1, 3), R(3, 4))),
    "bayesian-2x3": (load_game_file(str(B23)), ep.StrategyProfile.uniform),
}


@pytest.mark.parametrize("k", [10, 1000, 10**6])
@pytest.mark.parametrize("name", sorted(GAMES))
def test_matches_an_independent_exact_implementation(name, k):
    game, start = GAMES[name]
    t = trajectory(game, start(game), "replicator", 50, step_size=R(1, 10), round_to=k)
    assert len(t.steps) == 51 and t.stopped is None and t.round_to == k
    model = Exact(game, Fraction(1, 10), k)
    x = fractions_of(t.steps[0].profile)
    for s in t.steps[1:]:
        x = model.step(x)
        assert fractions_of(s.profile) == x, s.step
        assert all(v.denominator <= k and k % v.denominator == 0 for p in x for r in p for v in r)
        assert isinstance(s.power_sum, sympy.Rational)
        assert s.power_sum == s.welfare + s.nash_conv


# -- (2) a float implementation of the same rounded dynamic -----------------------------------


def float_rounded(game, start, eta: float, k: int, steps: int):
    """The rounded replicator in numpy floats; the rounding decisions use a 1e-9 tolerance,
    so they agree with the exact ones unless an exact quota is that close to a tie."""
    rew = np.array(
        [
            [
                [
                    [
                        [float(game.reward(i, (s, t), (a, b))) for b in range(game.action_shape[1])]
                        for a in range(game.action_shape[0])
                    ]
                    for t in range(game.type_shape[1])
                ]
                for s in range(game.type_shape[0])
            ]
            for i in range(2)
        ]
    )
    prior = np.array(
        [
            [float(game.probability((s, t))) for t in range(game.type_shape[1])]
            for s in range(game.type_shape[0])
        ]
    )
    omega = [prior.sum(axis=1), prior.sum(axis=0)]
    sup = prior > 0
    lo = [rew[i][sup].min() for i in range(2)]
    span = [rew[i][sup].max() - lo[i] for i in range(2)]

    def nearest(row):
        q = k * row
        base = np.floor(q + 1e-9)
        rem = np.round(q - base, 9)
        order = sorted(range(len(row)), key=lambda a: (-rem[a], a))
        for a in order[: int(k - base.sum() + 0.5)]:
            base[a] += 1
        return base / k

    x = [np.array([[float(v) for v in row] for row in s]) for s in start.strategies]
    out = [x]
    for _ in range(steps):
        f = [
            np.einsum("st,stab,tb->sa", prior, rew[0], x[1]),
            np.einsum("st,stab,sa->tb", prior, rew[1], x[0]),
        ]
        new = [x[0].copy(), x[1].copy()]
        for i in range(2):
            for t in range(len(new[i])):
                if omega[i][t] > 0 and span[i] > 0:
                    u = (f[i][t] / omega[i][t] - lo[i]) / span[i]
                    new[i][t] = nearest(x[i][t] * (1 + eta * (u - x[i][t] @ u)))
        x = new
        out.append(x)
    return out


@pytest.mark.parametrize("name", sorted(GAMES))
def test_agrees_with_floats_for_50_steps(name):
    game, start = GAMES[name]
    t = trajectory(game, start(game), "replicator", 50, step_size=R(1, 10), round_to=10**6)
    xs = float_rounded(game, start(game), 0.1, 10**6, 50)
    assert len(t.steps) == 51
    moved = 0
    for s, x in zip(t.steps, xs):
        exact = [np.array([[float(v) for v in row] for row in p]) for p in s.profile.strategies]
        assert all(np.allclose(a, b, atol=1e-12, rtol=0) for a, b in zip(exact, x)), s.step
        moved += s.step > 0 and s.profile.to_dict() != t.steps[s.step - 1].profile.to_dict()
    assert moved >= 10  # the dynamic does move (not stuck on the grid from the start)


# -- (3) hand-worked steps, and the plain replicator's limit -----------------------------------


def test_hand_worked_matching_pennies():
    # η = 1/2, K = 10.  Step 1 (exact, tests/dynamics/test_rules.py): row (3/4, 1/4) stays,
    # column (7/16, 9/16).  Rounded: row quotas 7.5, 2.5 -> tie, the first action gets the
    # unit: (4/5, 1/5); column 4.375, 5.625 -> (2/5, 3/5).  Step 2 from ((4/5, 1/5), (2/5,
    # 3/5)): row u = (f + 1)/2 with f = (-1/5, 1/5): u = (2/5, 3/5), ū = 11/25, factors
    # 49/50, 53/50 -> (98/125, 27/125) -> quotas 7.84, 2.16 -> (4/5, 1/5); column
    # f = (-3/5, 3/5), u = (1/5, 4/5), ū = 14/25, factors 41/50, 56/50 -> (41/125, 84/125):
    # quotas 3.28, 6.72 -> (3/10, 7/10).
    t = trajectory(MP, mixed(MP, R(3, 4), R(1, 2)), "replicator", 2, step_size=R(1, 2), round_to=10)
    assert fractions_of(t.steps[1].profile) == fractions_of(mixed(MP, R(4, 5), R(2, 5)))
    assert fractions_of(t.steps[2].profile) == fractions_of(mixed(MP, R(4, 5), R(3, 10)))


def test_fifty_steps_where_the_exact_replicator_stops_at_seven():
    game = load_game_file(str(B23))
    start = ep.StrategyProfile.uniform(game)
    plain = trajectory(game, start, "replicator", 50, step_size=R(1, 10))
    rounded = trajectory(game, start, "replicator", 50, step_size=R(1, 10), round_to=10**6)
    assert len(plain.steps) < 10 and "digits" in plain.stopped
    assert len(rounded.steps) == 51 and rounded.stopped is None
    # within 1/K per entry of the exact step, at the first step
    exact1 = fractions_of(plain.steps[1].profile)
    round1 = fractions_of(rounded.steps[1].profile)
    for p, q in zip(exact1, round1):
        for a, b in zip(p, q):
            assert max(abs(u - v) for u, v in zip(a, b)) < Fraction(1, 10**6)


# -- (4) round_row is a nearest grid point ------------------------------------------------------


def compositions(total, parts):
    if parts == 1:
        yield (total,)
        return
    for first in range(total + 1):
        for rest in compositions(total - first, parts - 1):
            yield (first, *rest)


def test_round_row_is_nearest_by_brute_force():
    rng = random.Random(3)
    for _ in range(300):
        n, k = rng.randint(2, 4), rng.randint(1, 7)
        row = [rng.randint(0, 9) for _ in range(n)]
        if sum(row) == 0:
            continue
        got = round_row(row, k)
        assert sum(got) == k and all(type(v) is int and v >= 0 for v in got)
        x = [Fraction(v, sum(row)) for v in row]
        for norm in (
            lambda d: sum(abs(v) for v in d),
            lambda d: sum(v * v for v in d),
            lambda d: max(abs(v) for v in d),
        ):
            best = min(
                norm([Fraction(c, k) - v for c, v in zip(cand, x)]) for cand in compositions(k, n)
            )
            assert norm([Fraction(c, k) - v for c, v in zip(got, x)]) == best, (row, k, got)


# -- the command line -------------------------------------------------------------------------


def test_cli_round(capsys):
    code, out, _ = run_cli(
        capsys,
        "dynamics",
        B23,
        "--rule",
        "replicator",
        "--steps",
        "50",
        "--round",
        "1000",
        "--json",
    )
    doc = json.loads(out)
    assert code == 0 and doc["round_to"] == 1000 and len(doc["steps"]) == 51
    assert doc["stopped"] is None
    code, out, _ = run_cli(
        capsys,
        "dynamics",
        B23,
        "--rule",
        "replicator",
        "--steps",
        "5",
        "--round",
        "100",
        "--tail",
        "2",
    )
    assert code == 0 and "rounded to denominator 100" in out
    assert [line.split()[0] for line in out.splitlines()[-2:]] == ["4", "5"]


def test_cli_time_limit(capsys):
    code, out, _ = run_cli(
        capsys,
        "dynamics",
        B23,
        "--rule",
        "best-response",
        "--steps",
        "100000",
        "--time-limit",
        "0.5",
        "--tail",
        "1",
    )
    assert code == 0 and "stopped: time limit of 0.5 s reached before step" in out


@pytest.mark.parametrize(
    "argv",
    [
        ["--rule", "fictitious-play", "--round", "10"],
        ["--rule", "replicator", "--round", "0"],
        ["--rule", "replicator", "--time-limit", "-1"],
        ["--rule", "replicator", "--tail", "-3"],
    ],
)
def test_cli_bad_rounding(capsys, argv):
    code, _, err = run_cli(capsys, "dynamics", B23, "--steps", "3", *argv)
    assert code == 2
    one_line_error(err)


def test_library_refuses_rounding_for_other_rules():
    with pytest.raises(ep.GameError):
        trajectory(MP, mixed(MP, R(1, 2), R(1, 2)), "fictitious-play", 2, round_to=10)
    with pytest.raises(ep.GameError):
        trajectory(MP, mixed(MP, R(1, 2), R(1, 2)), "replicator", 2, step_size=R(1, 2), round_to=0)
