"""Conjecture A and Question B (exactpower.conjecture, exactpower conjecture)."""

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
import sympy

import exactpower as ep
from exactpower.cli import main
from exactpower.io import dumps
from exactpower.small.classes import GameClass
from exactpower.small.conjecture import (
    READINGS,
    branch_values,
    check_game,
    check_identical_rewards,
    coordination_game,
    game_key,
    interpolation,
    matching_pennies,
    substituted,
)
from exactpower.small.exhaust import named_game

# -- Conjecture A ---------------------------------------------------------------------------


def test_coordination_game_fails_at_its_worse_pure_equilibrium():
    g = ep.BayesianGame.from_tables(coordination_game())
    r = check_game(g)
    assert r["best_case_sum"] == 4
    worse = ep.StrategyProfile.pure(g, {"1": "1", "2": "1"})
    sums = {tuple(s.strategies): v for s, v in r["every-equilibrium"]}
    assert sums[tuple(worse.strategies)] == 2
    assert sorted(sums.values()) == [sympy.Rational(4, 3), 2, 4]
    assert [v for _, v in r["welfare-maximising-equilibria"]] == [4]
    assert [v for _, v in r["team-optimal"]] == [4]


def _as_rewards_key(game_json):
    g = ep.loads(json.dumps(game_json))
    return [[g.reward(0, (0, 0), (a, b)) for b in range(2)] for a in range(2)]


def test_smallest_counterexample_of_reading_a():
    cls = GameClass(2, 1, 2, (0, 1, 2), constraint="identical")
    s = check_identical_rewards(cls)
    a = s["readings"]["every-equilibrium"]
    assert not a["holds"] and a["games_failing"] == 9 and s["games"] == 21
    ce = a["counterexample"]
    # [[0,0],[0,1]] at its weak equilibrium (a0, a0): ΣPOWER 0 < 2.
    assert _as_rewards_key(ce["game"]) == [[0, 0], [0, 1]]
    assert ce["profile"]["strategies"] == {"1": {"-": "a0"}, "2": {"-": "a0"}}
    assert (ce["power_sum"], ce["best_case_sum"], ce["is_equilibrium"]) == ("0", "2", True)
    # It is the least failing game by the documented key, recomputed over the whole class.
    failing = {}
    for cg in cls:
        r = check_game(cg.game)
        if any(v != r["best_case_sum"] for _, v in r["every-equilibrium"]):
            failing[game_key(cg.rewards, cg.prior)] = cg
    assert len(failing) == 9
    least = failing[min(failing)]
    assert json.loads(dumps(named_game(least.rewards, least.prior))) == ce["game"]
    # The coordination game [[2,0],[0,1]] is in the class and fails too, but is larger.
    coord = cls.canonical(
        np.array([[[2, 0], [0, 1]]] * 2).reshape(2, 1, 1, 2, 2), np.ones((1, 1), dtype=np.int64)
    )
    assert game_key(*coord) in failing and game_key(*coord) > min(failing)


def _naive_power_sum(R, w, strategies):
    """Σ_i POWER(i, σ) from integer arrays by the definition, 2 players, in Fractions."""
    n = 2
    T = w.shape
    A = R.shape[1 + n :]
    total = Fraction(0)
    W = Fraction(int(w.sum()))
    for i in range(n):
        j = 1 - i
        for ti in range(T[i]):
            best = None
            for ai in range(A[i]):
                v = Fraction(0)
                for tj in range(T[j]):
                    t = (ti, tj) if i == 0 else (tj, ti)
                    for aj in range(A[j]):
                        a = (ai, aj) if i == 0 else (aj, ai)
                        v += Fraction(int(w[t])) / W * strategies[j][tj][aj] * int(R[(i, *t, *a)])
                best = v if best is None else max(best, v)
            total += best
    return total


def _naive_welfare(R, w, strategies):
    W = Fraction(int(w.sum()))
    T, A = w.shape, R.shape[3:]
    out = Fraction(0)
    for t in itertools.product(*map(range, T)):
        for a in itertools.product(*map(range, A)):
            p = Fraction(int(w[t])) / W * strategies[0][t[0]][a[0]] * strategies[1][t[1]][a[1]]
            out += p * (int(R[(0, *t, *a)]) + int(R[(1, *t, *a)]))
    return out


def _pure(T, A):
    for choice in itertools.product(range(A), repeat=T):
        yield [[Fraction(int(k == c)) for k in range(A)] for c in choice]


def test_readings_b_and_c_match_brute_force():
    cls = GameClass(2, (1, 2), 2, (0, 1), constraint="identical", prior="independent:2")
    s = check_identical_rewards(cls)
    b_fail = c_fail = b_profiles = c_profiles = games = 0
    for cg in cls:
        games += 1
        R, w = cg.rewards, cg.prior
        T, A = w.shape, R.shape[3:]
        pures = [(s1, s2) for s1 in _pure(T[0], A[0]) for s2 in _pure(T[1], A[1])]
        # Σ best-case POWER: each player's POWER maximised over pure opponent profiles.
        bc = Fraction(0)
        for i in range(2):
            bc += max(
                _naive_power_sum(R * (np.arange(2) == i).reshape(2, 1, 1, 1, 1), w, prof)
                for prof in pures
            )
        welf = [_naive_welfare(R, w, prof) for prof in pures]
        team = [p for p, v in zip(pures, welf) if v == max(welf)]
        c_profiles += len(team)
        c_fail += any(_naive_power_sum(R, w, p) != bc for p in team)
        eqs = [
            [[[Fraction(str(x)) for x in row] for row in player] for player in e.profile.strategies]
            for e in ep.equilibria(cg.game)
        ]
        ew = [_naive_welfare(R, w, e) for e in eqs]
        top = [e for e, v in zip(eqs, ew) if v == max(ew)]
        b_profiles += len(top)
        b_fail += any(_naive_power_sum(R, w, e) != bc for e in top)
    rb, rc = s["readings"]["welfare-maximising-equilibria"], s["readings"]["team-optimal"]
    assert s["games"] == games == 53
    assert (rb["holds"], rb["games_failing"], rb["profiles_checked"]) == (
        b_fail == 0,
        b_fail,
        b_profiles,
    )
    assert (rc["holds"], rc["games_failing"], rc["profiles_checked"]) == (
        c_fail == 0,
        c_fail,
        c_profiles,
    )
    assert rb["holds"] and rc["holds"]


def test_private_types_keep_b_and_c():
    s = check_identical_rewards(
        GameClass(2, 2, 2, (0, 1), constraint="identical", reward_form="general"), limit=150
    )
    assert s["games"] == 150
    assert [s["readings"][r]["holds"] for r in READINGS] == [False, True, True]


def test_class_must_be_identical():
    with pytest.raises(ep.GameStructureError):
        check_identical_rewards(GameClass(2, 1, 2, (0, 1)))


# -- command line ---------------------------------------------------------------------------


def test_cli_writes_counterexample_and_derivation(tmp_path, capsys):
    assert (
        main(["conjecture", "identical-rewards", "--values", "0,1", "-o", str(tmp_path), "--json"])
        == 1
    )
    out = json.loads(capsys.readouterr().out)
    assert [out["readings"][r]["holds"] for r in READINGS] == [False, True, True]
    written = out["written"]
    assert set(written) == {"every-equilibrium"}
    game = ep.load(written["every-equilibrium"]["game"])
    profile = ep.load_profile(written["every-equilibrium"]["profile"], game)
    assert ep.power_sum(game, profile) == 0
    tex = (tmp_path / "counterexample-every-equilibrium.tex").read_text()
    assert "\\begin{document}" in tex


def test_cli_exit_codes(capsys):
    assert main(["conjecture", "identical-rewards", "--values", "0", "--json"]) == 0
    assert main(["conjecture", "identical-rewards", "--values", "0,x"]) == 2
    assert main(["conjecture", "identical-rewards", "--limit", "-1"]) == 2
    assert main(["conjecture", "nope"]) == 2
    capsys.readouterr()


# -- Question B -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def family():
    return interpolation()


@pytest.mark.parametrize("lam", ["0", "1/2", "1"])
def test_question_b_matches_the_substituted_game(family, lam):
    g = substituted(coordination_game(), matching_pennies(), lam)
    direct = sorted(e.power_sum for e in ep.equilibria(g))
    assert branch_values(family, lam) == direct
    x = sympy.Rational(lam)
    for b in family["branches"]:
        if x in b["region"]:
            prof = ep.StrategyProfile.from_dict(
                g,
                {
                    p: {a: v.subs(family["lam"], x) for a, v in d.items()}
                    for p, d in b["profile"].items()
                },
            )
            assert ep.is_bayesian_nash(g, prof)
            assert ep.power_sum(g, prof) == b["power_sum"].subs(family["lam"], x)
            assert b["piecewise"].subs(family["lam"], x) == b["power_sum"].subs(family["lam"], x)


def test_question_b_exact_values(family):
    assert branch_values(family, 0) == [sympy.Rational(4, 3), 2, 4]
    assert branch_values(family, "1/2") == [sympy.Rational(6, 7), 2]
    assert branch_values(family, 1) == [0]
    assert [bp["lam"] for bp in family["breakpoints"]] == [
        0,
        sympy.Rational(1, 3),
        sympy.Rational(3, 7),
        sympy.Rational(1, 2),
        1,
    ]


def test_question_b_on_a_grid_between_breakpoints(family):
    cuts = {bp["lam"] for bp in family["breakpoints"]}
    for k in range(1, 12):
        x = sympy.Rational(k, 12)
        if x in cuts:
            continue
        g = substituted(coordination_game(), matching_pennies(), x)
        assert branch_values(family, x) == sorted(e.power_sum for e in ep.equilibria(g)), x


def test_gap_at_an_equilibrium_is_its_welfare_shortfall():
    # At a BNE of an identical-rewards game, ΣPOWER − Σ best-case POWER = W(σ) − W*
    # (docs/conjectures.md): reading (a) fails exactly at the equilibria that are not team optimal.
    from exactpower.small.conjecture import team_optimal_profiles

    for cg in GameClass(2, (1, 2), 2, (0, 1, 2), constraint="identical"):
        g = cg.game
        r = check_game(g)
        top, _ = team_optimal_profiles(g)
        for s, v in r["every-equilibrium"]:
            assert v - r["best_case_sum"] == ep.welfare(g, s) - top
