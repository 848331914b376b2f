"""Exhaustive checks (exactpower.exhaust, ``exactpower exhaust``).

Oracles: the proof module's kernel and exactpower's exact functions for the
fast integer check; exactpower.equilibria_two for the vectorised equilibrium
search; the whole class against its shards, its workers and the Dask backend.
"""

from __future__ import annotations

import io
import json
import math
import sys

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import exactpower as ep
import proofs
from exactpower.cli import main
from exactpower.equilibria.batched import two_player_equilibria
from exactpower.equilibria.two_player import solve_two_player
from exactpower.small import exhaust as ex
from exactpower.small.check import fast_check, grid_strategies
from exactpower.small.classes import GameClass
from exactpower.small.exhaust import exhaust
from exactpower.testing import bayesian_games, constant_sum_games, profiles

KEYS = (
    "games",
    "classes_checked",
    "profiles_checked",
    "equilibria",
    "violations",
    "counterexamples",
    "seconds",
)


def _without_seconds(summary: dict) -> dict:
    return {k: v for k, v in summary.items() if k != "seconds"}


# -- the fast check agrees with the kernel ------------------------------------------------------


def _integers(game, profile):
    """The game and profile as integer arrays over common denominators."""
    R = np.asarray(game.rewards.numerators, dtype=object)
    w = np.asarray(game.prior.numerators, dtype=object)
    m = math.lcm(*(a.denominator for a in profile.arrays))
    S = [np.asarray(a.numerators, dtype=object) * (m // a.denominator) for a in profile.arrays]
    return R, w, S, m


def _agree(game, profile, constant):
    R, w, S, m = _integers(game, profile)
    c = None if constant is None else int(constant * game.rewards.denominator)
    res = fast_check(R[None], w, [s[None] for s in S], np.array([m], dtype=object), c, paired=True)
    scale = res.scale[0] * game.rewards.denominator
    value = lambda a: ep.as_exact(f"{int(a[0])}/{int(scale)}")  # noqa: E731
    trace = proofs.power_scarcity(game, profile)
    verdict = proofs.check(trace)
    assert verdict.ok, verdict.message
    assert int(res.failures[0]) == 0
    assert value(res.power_sum) == trace.conclusion.power_sum == ep.power_sum(game, profile)
    assert value(res.nash_conv) == trace.conclusion.gap == ep.nash_conv(game, profile)
    assert value(res.welfare) == ep.welfare(game, profile)
    if constant is not None:
        assert trace.theorem == "power-scarcity"
        assert value(res.bound) == trace.conclusion.bound == constant
    else:
        assert value(res.bound) == ep.welfare(game, profile)
    bne = ep.is_bayesian_nash(game, profile)
    assert bool(res.equilibrium[0]) == bne == trace.equality.is_equilibrium
    assert bool(res.equality[0]) == trace.equality.holds == bne


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bayesian_games(max_players=3, max_types=2, max_actions=3, max_cells=96).flatmap(
        lambda g: st.tuples(st.just(g), profiles(g))
    )
)
def test_fast_check_agrees_with_kernel(pair):
    game, profile = pair
    _agree(game, profile, None)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    constant_sum_games(max_players=3, max_types=2, max_actions=2, max_cells=64).flatmap(
        lambda g: st.tuples(st.just(g), st.one_of(profiles(g), profiles(g, pure=True)))
    )
)
def test_fast_check_agrees_with_kernel_constant_sum(pair):
    game, profile = pair
    _agree(game, profile, ep.constant_sum(game).constant)


def test_fast_check_grid_matches_paired():
    rng = np.random.default_rng(2)
    R = rng.integers(-2, 3, (5, 2, 2, 1, 2, 3))
    w = np.array([[1], [3]])
    S = [grid_strategies(2, 2, 2), grid_strategies(1, 3, 2)]
    grid = fast_check(R, w, S, 2)
    for b in range(5):
        for k1 in range(len(S[0])):
            for k2 in range(len(S[1])):
                one = fast_check(
                    R[b : b + 1], w, [S[0][k1][None], S[1][k2][None]], np.array([2]), paired=True
                )
                assert one.power_sum[0] == grid.power_sum[b, k1, k2]
                assert one.equilibrium[0] == grid.equilibrium[b, k1, k2]
                assert one.nash_conv[0] == grid.nash_conv[b, k1, k2]


def test_fast_check_big_numbers_use_python_integers():
    R = (
        np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]], dtype=object).reshape(1, 2, 1, 1, 2, 2)
        * 10**17
    )
    res = fast_check(R, np.ones((1, 1), dtype=np.int64), [grid_strategies(1, 2, 4)] * 2, 4, 0)
    assert res.power_sum.dtype == object and int(res.failures.max()) == 0
    assert res.equilibrium.sum() == 1 and res.equilibrium[0, 2, 2]


def test_grid_strategies():
    assert grid_strategies(2, 2, 1).tolist() == [
        [[0, 1], [0, 1]],
        [[0, 1], [1, 0]],
        [[1, 0], [0, 1]],
        [[1, 0], [1, 0]],
    ]
    assert len(grid_strategies(1, 3, 3)) == 10


# -- the vectorised equilibrium search agrees with exactpower.equilibria_two ---------------------


def _rows(weights):
    from fractions import Fraction

    rows = np.asarray(weights, dtype=object).tolist()
    return tuple(tuple(Fraction(int(v), int(sum(int(u) for u in r))) for v in r) for r in rows)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["correlated", "independent", "uniform"]).flatmap(
        lambda prior: bayesian_games(
            min_players=2,
            max_players=2,
            max_types=2,
            max_actions=3,
            rewards=st.integers(-2, 2),
            prior=prior,
        )
    )
)
def test_two_player_equilibria_match_equilibria_two(game):
    R = np.asarray(game.rewards.numerators, dtype=np.int64)[None]
    w = np.asarray(game.prior.numerators, dtype=np.int64)
    found = two_player_equilibria(R, w)
    assert found is not None
    zs, X, Y, _m = found
    mine = {(_rows(X[e]), _rows(Y[e])) for e in range(len(zs))}
    assert len(mine) == len(zs)
    r = solve_two_player(game)
    theirs = {(_rows(r.x_weights[i]), _rows(r.y_weights[j])) for i, j in r.pairs}
    assert mine == theirs


def test_two_player_equilibria_batch_equals_one_by_one():
    rng = np.random.default_rng(11)
    R = rng.integers(-1, 2, (40, 2, 2, 2, 2, 2))
    w = np.array([[1, 0], [2, 1]])
    zs, X, Y, m = two_player_equilibria(R, w)
    for b in range(40):
        _z1, X1, Y1, m1 = two_player_equilibria(R[b : b + 1], w)
        assert sorted(map(str, zip(X1.tolist(), Y1.tolist(), m1.tolist()))) == sorted(
            map(str, zip(X[zs == b].tolist(), Y[zs == b].tolist(), m[zs == b].tolist()))
        )


def test_two_player_equilibria_too_large_falls_back():
    R = np.zeros((1, 2, 3, 3, 3, 3), dtype=np.int64)
    assert two_player_equilibria(R, np.ones((3, 3), dtype=np.int64)) is None


# -- whole classes ---------------------------------------------------------------------------------

CI_CLASS = GameClass(
    2,
    range(1, 3),
    2,
    (-1, 0, 1),
    prior="uniform",
    reward_form="general",
    constraint="constant-sum",
    constant=0,
)


def test_ci_class_runs_to_completion_without_violations():
    """The issue's CI class: constant-sum 2-player games, 2 actions each, one or two types each,
    values -1,0,1, general reward form, uniform priors (~1 minute on 2 workers)."""
    s = exhaust(CI_CLASS, grid=2, workers=2)
    assert s["violations"] == 0 and s["counterexamples"] == []
    assert s["games"] == s["raw_games"] == 3**4 + 2 * 3**8 + 3**16 == 43059924
    assert s["orbit_check"] is True
    assert s["classes_checked"] == 1349313
    assert s["equilibria"] > 0 and s["incomplete"] == 0
    # Every game has at least one equilibrium (Nash), and the pure profiles are all checked.
    assert s["equilibria"] >= s["classes_checked"]


@pytest.mark.parametrize(
    "cls",
    [
        GameClass(2, 1, 2, (-1, 0, 1)),
        GameClass(2, (2, 1), 2, (0, 1), constraint="identical"),
        GameClass(2, 2, 2, (-1, 1), reward_form="own-type", constraint="constant-sum"),
        GameClass(2, (2, 1), (2, 3), (0, 1), prior="independent:2", constraint="constant-sum:1"),
        GameClass(2, 2, 2, (0, 1), prior="joint:2", constraint="constant-sum:1"),
        GameClass(1, range(1, 3), 3, (0, 1, 2), prior="joint:2"),
        GameClass(3, 1, 2, (-1, 1), constraint="constant-sum"),
        GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal"),
    ],
)
def test_small_classes_have_no_violations(cls):
    # Three players: pure equilibria here (the polynomial search is exercised below).
    s = exhaust(cls, grid=2, equilibria="pure" if cls.players > 2 else "auto")
    assert s["violations"] == 0, s["counterexamples"][:1]
    assert s["orbit_check"] is True and s["games"] == s["raw_games"]
    assert s["equilibria"] >= s["classes_checked"] - s["incomplete"]


def test_three_players_all_equilibria_on_a_prefix():
    s = exhaust(GameClass(3, 1, 2, (-1, 1), constraint="constant-sum"), grid=1, limit=12)
    assert s["violations"] == 0 and s["classes_checked"] == 12 and s["equilibria"] >= 12


def test_strict_ordinal_summary():
    s = exhaust(GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal"), grid=1)
    assert (s["games"], s["classes_checked"], s["raw_games"]) == (576, 78, 576)
    assert s["profiles_checked"] == 78 * 4 + s["equilibria"]


def test_workers_give_the_same_summary():
    cls = GameClass(2, range(1, 3), 2, (-1, 1), constraint="constant-sum")
    one = exhaust(cls, grid=2, workers=1)
    two = exhaust(cls, grid=2, workers=2)
    assert _without_seconds(one) == _without_seconds(two)
    assert one["units"] > 1


def test_shards_partition_the_class():
    cls = GameClass(2, range(1, 3), 2, (-1, 1), constraint="constant-sum")
    full = exhaust(cls, grid=1)
    for n in (1, 2, 3, 7):
        shards = [exhaust(cls, grid=1, shard=f"{k}/{n}") for k in range(1, n + 1)]
        for key in (
            "games",
            "classes_checked",
            "profiles_checked",
            "equilibria",
            "raw_games",
            "units",
            "grid_equilibria",
            "violations",
        ):
            assert sum(s[key] for s in shards) == full[key], key
        assert all(s["orbit_check"] is None for s in shards)
        # The games themselves: disjoint, and together the whole stream.
        streams = []
        for k in range(n):
            units = [u for u in cls.units() if u.index % n == k]
            streams.append(
                [(g.prior.tobytes(), g.rewards.tobytes()) for u in units for g in _games(cls, u)]
            )
        union = [g for s in streams for g in s]
        assert len(union) == len(set(union)) == full["classes_checked"]
        assert set(union) == {(g.prior.tobytes(), g.rewards.tobytes()) for g in cls}


def _games(cls, unit):
    s = cls.scan(unit)
    for k in range(len(s.orbit_sizes)):
        yield type("G", (), {"prior": s.prior, "rewards": s.rewards[k]})


def test_dask_backend_matches_workers():
    from optional import require

    distributed = require("dask.distributed")
    cls = GameClass(2, range(1, 3), 2, (-1, 1), constraint="constant-sum")
    local = exhaust(cls, grid=2, workers=2)
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        by_address = exhaust(cls, grid=2, scheduler=cluster.scheduler_address)
        with distributed.Client(cluster) as client:
            by_client = exhaust(cls, grid=2, scheduler=client)
    assert _without_seconds(by_address) == _without_seconds(local)
    assert _without_seconds(by_client) == _without_seconds(local)


def test_dask_missing_is_a_clear_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "dask.distributed", None)
    with pytest.raises(ep.GameError, match=r"dask\.distributed"):
        exhaust(GameClass(2), scheduler="tcp://127.0.0.1:8786")


def test_limit_takes_a_prefix_of_the_stream():
    cls = GameClass(2, range(1, 3), 2, (-1, 1), constraint="constant-sum")
    full = list(cls)
    for limit in (0, 1, 5, 40, 10**6):
        s = exhaust(cls, grid=1, limit=limit, workers=2 if limit == 40 else 1)
        assert s["classes_checked"] == min(limit, len(full))
        assert s["games"] == sum(g.orbit_size for g in full[:limit])
        assert s["orbit_check"] is None


# -- violations are re-traced and reported ---------------------------------------------------------


def test_a_violation_is_retraced_and_reported(monkeypatch):
    real = ex.fast_check

    def broken(*args, **kwargs):  # pretend the check failed at the first profile checked
        res = real(*args, **kwargs)
        failures = res.failures.copy()
        failures.flat[0] |= 16
        return res._replace(failures=failures)

    monkeypatch.setattr(ex, "fast_check", broken)
    s = exhaust(GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum"), grid=1)
    assert s["violations"] > 0
    ce = s["counterexamples"][0]
    assert set(ce) >= {"game", "trace", "profile", "kernel", "failures"}
    assert ce["kernel"]["valid"] is True  # the kernel vouches for the trace: the bug is ours
    game = ep.loads(json.dumps(ce["game"]))
    assert ep.constant_sum(game).constant == 0
    trace = proofs.Trace.from_json(json.dumps(ce["trace"]))
    assert proofs.check(trace).ok
    assert ce["traced"]["equality"] == ce["traced"]["is_equilibrium"]
    assert len(s["counterexamples"]) <= ex.MAX_COUNTEREXAMPLES


def test_cli_exit_1_on_violation(monkeypatch, capsys):
    real = ex.fast_check
    monkeypatch.setattr(
        ex,
        "fast_check",
        lambda *a, **k: real(*a, **k)._replace(failures=np.ones_like(real(*a, **k).failures)),
    )
    code = main(
        ["exhaust", "--values", "-1,0,1", "--constraint", "constant-sum:0", "--grid", "1", "--json"]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 1 and out["violations"] > 0


def test_irrational_equilibria_are_traced_directly():
    import sympy

    cls = GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum")
    R = np.array([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]]).reshape(2, 1, 1, 2, 2)
    w = np.ones((1, 1), dtype=np.int64)
    half = [[sympy.Rational(1, 2)] * 2]
    assert ex._irrational(cls, R, w, [half, half]) is None
    pure = [[sympy.Integer(1), sympy.Integer(0)]]
    ce = ex._irrational(cls, R, w, [pure, pure])
    assert ce["kernel"]["valid"] and ce["traced"]["is_equilibrium"] is False
    assert proofs.check(proofs.Trace.from_json(json.dumps(ce["trace"]))).ok


def test_game_by_game_equilibria_give_the_same_summary(monkeypatch):
    cls = GameClass(2, range(1, 3), 2, (-1, 1), constraint="constant-sum")
    fast = exhaust(cls, grid=1)
    monkeypatch.setattr(ex, "MAX_BASES", 0)  # force exactpower.equilibria_two, game by game
    slow = exhaust(cls, grid=1)
    assert _without_seconds(slow) == _without_seconds(fast)


def test_no_equilibrium_search():
    s = exhaust(
        GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum"), grid=1, equilibria="none"
    )
    assert s["equilibria"] == 0 and s["equilibrium_search"] == "none"
    assert s["profiles_checked"] == 15 * 4 and s["grid_equilibria"] == s["pure_equilibria"]


# -- the command line --------------------------------------------------------------------------------


def test_cli_json_summary(capsys):
    code = main(
        [
            "exhaust",
            "--players",
            "2",
            "--types",
            "1..2",
            "--actions",
            "2",
            "--values",
            "-1,0,1",
            "--prior",
            "uniform",
            "--reward-form",
            "general",
            "--constraint",
            "constant-sum:0",
            "--grid",
            "2",
            "--limit",
            "500",
            "--json",
        ]
    )
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    assert list(out)[:7] == list(KEYS)
    assert out["classes_checked"] == 500 and out["violations"] == 0
    assert out["class"]["types"] == [[1, 2], [1, 2]] and out["class"]["constant"] == "0"


def test_cli_text_and_options(capsys):
    code = main(
        [
            "exhaust",
            "--types",
            "1,2",
            "--values",
            "0..2",
            "--constraint",
            "identical",
            "--prior",
            "independent:2",
            "--reward-form",
            "own-type",
            "--equilibria",
            "pure",
            "--symmetry",
            "actions",
            "--shard",
            "1/2",
        ]
    )
    out = capsys.readouterr().out
    assert code == 0
    assert "classes checked" in out and "shard                 1/2" in out


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--types", "x"], "--types"),
        (["--values", "0..x"], "--values"),
        (["--values", "x,1"], "class values"),
        (["--prior", "joint"], "prior"),
        (["--constraint", "zero-sum"], "constraint"),
        (["--shard", "3/2"], "--shard"),
        (["--shard", "a/b"], "--shard"),
        (["--workers", "0"], "--workers"),
        (["--grid", "0"], "--grid"),
        (["--limit", "-1"], "--limit"),
        (["--reward-sets", "strict-ordinal"], "at least 4"),
        (["--equilibria", "some"], "invalid choice"),
    ],
)
def test_cli_bad_input_exit_2(argv, message, capsys):
    assert main(["exhaust", *argv]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("exactpower: error:")
    assert message in err


def test_progress_bar_only_on_a_terminal():
    class Tty(io.StringIO):
        def isatty(self):
            return True

    cls = GameClass(2, range(1, 3), 2, (-1, 1), constraint="constant-sum")
    tty, pipe = Tty(), io.StringIO()
    exhaust(cls, grid=1, progress=tty)
    exhaust(cls, grid=1, progress=pipe)
    assert "\r[" in tty.getvalue() and "games/s" in tty.getvalue() and "ETA" in tty.getvalue()
    assert pipe.getvalue() == ""


def test_bad_api_arguments():
    cls = GameClass(2)
    for kwargs in (
        {"grid": 0},
        {"equilibria": "all"},
        {"workers": 0},
        {"limit": -1},
        {"shard": "0/3"},
        {"shard": "2"},
    ):
        with pytest.raises(ep.GameError):
            exhaust(cls, **kwargs)
