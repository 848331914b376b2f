"""Question B by correlation (exactpower.dynamics.correlation, .question_b*, ``conjecture
question-b-correlation``, docs/conjectures.md).

ρ and ρ_S are checked on hand-worked games, against a float Pearson written here with numpy
(weighted by prior × uniform actions), and by the endpoint theorems as hypothesis properties;
the vectorised integer moments against the exact sympy ones; the command's JSON keys; and the
counterexample files with ``exactpower verify`` and from their claims.
"""

from __future__ import annotations

import itertools
import json

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import exactpower as ep
from exactpower.dynamics.correlation import (
    batch_moments,
    correlation_moments,
    reward_correlation,
    signed_correlation_squared,
    signed_square,
    strategic_correlation,
)
from exactpower.dynamics.question_b import (
    game_row,
    study,
    symmetric_orbits,
    symmetric_rewards,
)
from exactpower.dynamics.question_b_lambda import bayesian_pair, lambda_path, mix
from exactpower.game import Player
from tests.cases import EXAMPLES, one_line_error, run_cli

CE = EXAMPLES / "counterexamples" / "question-b"


def table_game(r1, r2):
    return ep.BayesianGame.from_tables([r1, r2])


# -- hand-worked values --------------------------------------------------------------------------


def test_common_payoff_is_one_and_zero_sum_is_minus_one():
    coordination = table_game([[2, 0], [0, 1]], [[2, 0], [0, 1]])
    pennies = table_game([[1, -1], [-1, 1]], [[-1, 1], [1, -1]])
    for game, expected in ((coordination, 1), (pennies, -1)):
        for value in (reward_correlation(game), strategic_correlation(game)):
            assert value == expected and isinstance(value, sympy.Integer)


def test_independent_rewards_have_correlation_zero():
    # r1 depends on a1 only, r2 on a2 only: independent under uniform actions
    game = table_game([[1, 1], [0, 0]], [[1, 0], [1, 0]])
    assert reward_correlation(game) == 0 and isinstance(reward_correlation(game), sympy.Integer)
    assert strategic_correlation(game) is None  # no interaction part at all


def test_asymmetric_hand_computation():
    # X = (1,0,0,0), Y = (1,1,0,0): Cov = 1/4 - 1/8 = 1/8, Var X = 3/16, Var Y = 1/4
    game = table_game([[1, 0], [0, 0]], [[1, 1], [0, 0]])
    assert correlation_moments(game) == (
        sympy.Rational(1, 8),
        sympy.Rational(3, 16),
        sympy.Rational(1, 4),
    )
    assert reward_correlation(game) == sympy.sqrt(3) / 3
    assert signed_correlation_squared(game) == sympy.Rational(1, 3)


def test_a_bayesian_hand_computation_with_a_skewed_prior():
    # player 1's type h has prior 1/4, l has 3/4; rewards 1 at (a,a) for h, ±1 at (b,b) for l
    players = [Player("1", ("h", "l"), ("a", "b")), Player("2", ("-",), ("a", "b"))]

    def rewards(t, a):
        if t[0] == "h":
            return (1, 1) if a == ("a", "a") else (0, 0)
        return (1, -1) if a == ("b", "b") else (0, 0)

    game = ep.BayesianGame.from_function(
        players, rewards, prior={("h", "-"): sympy.Rational(1, 4), ("l", "-"): sympy.Rational(3, 4)}
    )
    # E X = 1/4, E Y = -1/8, E XY = -1/8, Var X = 3/16, Var Y = 15/64: ρ² = 1/5, Cov < 0
    assert correlation_moments(game)[0] == sympy.Rational(-3, 32)
    assert signed_correlation_squared(game) == sympy.Rational(-1, 5)
    assert reward_correlation(game) == -sympy.sqrt(5) / 5


def test_the_prisoners_dilemma_is_anticorrelated_but_a_potential_game():
    pd = table_game([[3, 0], [5, 1]], [[3, 5], [0, 1]])
    assert reward_correlation(pd) == sympy.Rational(-41, 59)
    assert strategic_correlation(pd) == 1


def test_bad_players_are_refused():
    game = table_game([[1, 0], [0, 1]], [[1, 0], [0, 1]])
    with pytest.raises(ep.GameError, match="two different players"):
        reward_correlation(game, 0, 0)
    with pytest.raises(ep.GameError, match="out of range"):
        reward_correlation(game, 0, 2)


# -- against floats --------------------------------------------------------------------------------


def float_pearson(x: np.ndarray, y: np.ndarray, w: np.ndarray) -> float:
    mx, my = (w * x).sum(), (w * y).sum()
    cov = (w * (x - mx) * (y - my)).sum()
    return cov / np.sqrt((w * (x - mx) ** 2).sum() * (w * (y - my) ** 2).sum())


def float_centre(v: np.ndarray, a: int, b: int) -> np.ndarray:
    return (
        v
        - v.mean(axis=a, keepdims=True)
        - v.mean(axis=b, keepdims=True)
        + v.mean(axis=(a, b), keepdims=True)
    )


@pytest.mark.parametrize("seed", range(40))
def test_exact_rho_agrees_with_a_float_pearson(seed):
    rng = np.random.default_rng(seed)
    n = 2 + seed % 2
    tshape = tuple(int(k) for k in rng.integers(1, 3, n))
    ashape = tuple(int(k) for k in rng.integers(2, 4, n))
    R = rng.integers(-3, 4, size=(n, *tshape, *ashape))
    prior = rng.integers(1, 5, size=tshape)
    game = ep.BayesianGame.from_arrays(R, prior=prior)
    w = (prior / prior.sum()).reshape(tshape + (1,) * n) * np.ones(ashape) / np.prod(ashape)
    for i, j in ((0, 1), (n - 2, n - 1)):
        exact = reward_correlation(game, i, j)
        assert abs(float(exact) - float_pearson(R[i] * 1.0, R[j] * 1.0, w)) < 1e-12
        strategic = strategic_correlation(game, i, j)
        x, y = (float_centre(R[k] * 1.0, n + i, n + j) for k in (i, j))
        assert abs(float(strategic) - float_pearson(x, y, w)) < 1e-12
        squared = signed_correlation_squared(game, i, j)
        assert isinstance(squared, sympy.Rational) and squared == sympy.sign(exact) * exact**2


@pytest.mark.parametrize("seed", range(10))
def test_batch_moments_agree_with_the_exact_ones(seed):
    rng = np.random.default_rng(100 + seed)
    R = rng.integers(-2, 3, size=(5, 2, 2, 2, 2, 2))
    prior = rng.integers(0, 3, size=(2, 2))
    prior[0, 0] = 1
    for strategic in (False, True):
        moments = batch_moments(R, prior, 0, 1, strategic=strategic)
        for b in range(5):
            game = ep.BayesianGame.from_arrays(R[b], prior=prior)
            expected = signed_correlation_squared(game, strategic=strategic)
            got = signed_square(*(int(m[b]) for m in moments))
            assert got == expected


# -- the endpoint theorems, as properties ----------------------------------------------------------

shapes = st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(2, 3), st.integers(2, 3))


@st.composite
def reward_arrays(draw):
    t1, t2, a1, a2 = draw(shapes)
    cells = t1 * t2 * a1 * a2
    values = draw(st.lists(st.integers(-4, 4), min_size=cells, max_size=cells))
    prior = draw(st.lists(st.integers(1, 3), min_size=t1 * t2, max_size=t1 * t2))
    return np.array(values).reshape(t1, t2, a1, a2), np.array(prior).reshape(t1, t2)


@settings(max_examples=60, deadline=None)
@given(reward_arrays(), st.integers(-5, 5).filter(bool), st.integers(-5, 5))
def test_affine_images_have_correlation_sign_of_the_slope(data, a, b):
    r1, prior = data
    game = ep.BayesianGame.from_arrays(np.stack([r1, a * r1 + b]), prior=prior)
    rho = reward_correlation(game)
    if len(set(r1.ravel().tolist())) == 1:
        assert rho is None
    else:
        assert rho == (1 if a > 0 else -1) and isinstance(rho, sympy.Integer)


@settings(max_examples=60, deadline=None)
@given(reward_arrays(), st.integers(-4, 4))
def test_two_player_constant_sum_games_have_rho_minus_one(data, c):
    r1, prior = data
    game = ep.BayesianGame.from_arrays(np.stack([r1, c - r1]), prior=prior)
    assert ep.constant_sum(game).constant == c
    assert reward_correlation(game) in (None, -1)
    assert strategic_correlation(game) in (None, -1)


@settings(max_examples=40, deadline=None)
@given(reward_arrays(), st.data())
def test_strategic_correlation_ignores_the_others_actions_terms(data, draw):
    r1, prior = data
    r2 = np.array(draw.draw(st.lists(st.integers(-3, 3), min_size=r1.size, max_size=r1.size)))
    r2 = r2.reshape(r1.shape)
    h1 = np.array(draw.draw(st.lists(st.integers(-3, 3), min_size=r1.size, max_size=r1.size)))
    h1 = h1.reshape(r1.shape).sum(axis=2, keepdims=True)  # a function of (t, a_2) only
    scale = draw.draw(st.integers(1, 4))
    base = ep.BayesianGame.from_arrays(np.stack([r1, r2]), prior=prior)
    moved = ep.BayesianGame.from_arrays(np.stack([scale * r1 + h1 + 0 * r2, r2]), prior=prior)
    assert strategic_correlation(moved) == strategic_correlation(base)


# -- the study and the λ path ----------------------------------------------------------------------


def test_the_ordinal_class_and_its_proved_endpoints():
    s = study("2x2-ordinal")
    assert (s["games"], s["raw_games"], s["complete"]) == (78, 576, True)
    values = [g["value"] for g in s["groups"]["rho"]]
    assert values == [sympy.Rational(k, 5) for k in range(-5, 6)]
    assert sum(g["games"] for g in s["groups"]["rho"]) == 78
    checks = s["checks"]
    assert checks["rho=1 => eq_max=best_case"]["holds"]
    assert checks["rho=-1 => eq_min=eq_max"]["holds"]
    assert not checks["rho_s=1 => eq_max=best_case"]["holds"]
    row = next(r for r in s["rows"] if r["rho"] == -1)
    assert row["eq_min"] == row["eq_max"] == 5  # strict ordinal constant sum: c = 5


def test_game_row_of_the_coordination_game():
    r = game_row(table_game([[2, 0], [0, 1]], [[2, 0], [0, 1]]))
    assert (r["eq_min"], r["eq_max"], r["best_case"]) == (sympy.Rational(4, 3), 4, 4)
    assert isinstance(r["eq_min"], sympy.Rational)


def test_three_players_identical_rewards():
    r = np.zeros((2, 2, 2), dtype=np.int64)
    r[1, 1, 1] = 1
    r[0, 0, 0] = 1
    game = ep.BayesianGame.from_arrays(np.stack([r, r, r]).reshape(3, 1, 1, 1, 2, 2, 2))
    row = game_row(game)
    assert row["rho"] == 1 and row["rho_s"] == 1
    assert row["eq_max"] == row["best_case"] == 3


# -- the symmetric three-player classes ----------------------------------------------------------


def _independent_symmetric_games(values):
    """Every symmetric 3-player 2-action game, enumerated from player 1's 2×2×2 table: keep
    the tables with ``t(a1, a2, a3) = t(a1, a3, a2)``; player i gets ``t(a_i, a_j, a_k)``."""
    games = set()
    cells = list(itertools.product((0, 1), repeat=3))
    for entries in itertools.product(values, repeat=8):
        t = dict(zip(cells, entries))
        if any(t[a, b, c] != t[a, c, b] for a, b, c in cells):
            continue
        r = np.zeros((3, 2, 2, 2), dtype=np.int64)
        for a in cells:
            r[0][a] = t[a[0], a[1], a[2]]
            r[1][a] = t[a[1], a[0], a[2]]
            r[2][a] = t[a[2], a[0], a[1]]
        games.add(r.tobytes())
    return games


@pytest.mark.parametrize(("values", "raw", "orbits"), [((0, 1), 64, 36), ((-1, 0, 1), 729, 378)])
def test_symmetric_class_counts_against_an_independent_enumeration(values, raw, orbits):
    games = _independent_symmetric_games(values)
    assert len(games) == raw
    # up to relabelling the actions of every player at once (flip all three action axes)
    flipped = {
        np.frombuffer(g, dtype=np.int64).reshape(3, 2, 2, 2)[:, ::-1, ::-1, ::-1].tobytes()
        for g in games
    }
    assert flipped == games
    canonical = {
        min(g, np.frombuffer(g, dtype=np.int64).reshape(3, 2, 2, 2)[:, ::-1, ::-1, ::-1].tobytes())
        for g in games
    }
    assert len(canonical) == orbits
    listed = symmetric_orbits(values)
    assert (len(listed), sum(size for _, size in listed)) == (orbits, raw)
    mine = {
        symmetric_rewards(v).reshape(3, 2, 2, 2).tobytes() for u, _ in listed for v in (u, u[::-1])
    }
    assert mine == games


def _symmetric_game(u):
    return ep.BayesianGame.from_arrays(symmetric_rewards(u))


def _pure_power_sum(game, actions):
    profile = ep.StrategyProfile.pure(game, dict(zip(("1", "2", "3"), actions)))
    assert ep.is_nash(game, profile)
    return ep.power_sum(game, profile)


def test_symmetric_hand_worked_join_if_someone_else_does():
    # u(1, k) = [k >= 1], u(0, k) = 0: r_i = a_i · [another plays 1].  Over the 8 profiles
    # r_1 = (0,0,0,0,0,1,1,1), r_2 = (0,0,0,1,0,0,1,1): Cov = 2/8 − 9/64 = 7/64,
    # Var = 3/8 − 9/64 = 15/64, so ρ = 7/15 for every pair; the interaction parts of r_1 and
    # r_2 in (a_1, a_2) are both (1/4)(2a_1 − 1)(2a_2 − 1) at a_3 = 0 and 0 at a_3 = 1: ρ_S = 1.
    game = _symmetric_game((0, 0, 0, 0, 1, 1))
    for i, j in ((0, 1), (0, 2), (1, 2)):
        assert reward_correlation(game, i, j) == sympy.Rational(7, 15)
        assert strategic_correlation(game, i, j) == 1
    actions = game.players[0].actions
    # (a1, a1, a1): everyone gets 1, POWER 1 each; (a0, a0, a0): deviating still pays 0
    assert _pure_power_sum(game, [actions[1]] * 3) == 3
    assert _pure_power_sum(game, [actions[0]] * 3) == 0
    row = game_row(game)
    assert row["rho"] == sympy.Rational(7, 15) and isinstance(row["rho"], sympy.Rational)
    assert (row["eq_min"], row["eq_max"], row["best_case"]) == (0, 3, 3)


def test_symmetric_hand_worked_volunteer_alone():
    # u(1, 0) = 1, else 0: paid only for playing a1 alone.  r_1 = 1 only at (1,0,0), r_2 only
    # at (0,1,0): Cov = −1/64, Var = 7/64, ρ = −1/7; a potential game (ρ_S = 1), yet at the
    # pure equilibrium (a1, a0, a0) ΣPOWER = 1 + 0 + 0, far below Σ best-case POWER 3.
    game = _symmetric_game((0, 0, 0, 1, 0, 0))
    assert reward_correlation(game) == sympy.Rational(-1, 7)
    assert strategic_correlation(game) == 1
    a0, a1 = game.players[0].actions
    assert _pure_power_sum(game, (a1, a0, a0)) == 1
    row = game_row(game)
    assert (row["eq_max"], row["best_case"]) == (1, 3)
    assert isinstance(row["eq_max"], sympy.Integer)


def test_symmetric_class_whole_and_its_proved_facts():
    s = study("3p-symmetric")
    assert (s["games"], s["raw_games"], s["complete"]) == (36, 64, True)
    # proved: in a symmetric 2-action game the interaction parts of r_i and r_j coincide
    assert {r["rho_s"] for r in s["rows"]} <= {1, None}
    # proved: mean pairwise ρ ≥ −1/(n − 1) when the variances are equal
    assert all(r["rho"] is None or r["rho"] >= sympy.Rational(-1, 2) for r in s["rows"])
    assert s["checks"]["rho=1 => eq_max=best_case"]["holds"]
    assert s["checks"]["rho_s=1 => eq_max=best_case"]["failing"] == 4


def test_cli_symmetric_class_json_keys(capsys):
    for name, raw in (("3p-symmetric", 64), ("3p-symmetric-pm", 729)):
        code, out, _ = run_cli(
            capsys, "conjecture", "question-b-correlation", "--class", name, "--limit", "3",
            "--json",
        )  # fmt: skip
        doc = json.loads(out)
        assert {"class", "games", "raw_games", "complete", "groups", "checks", "monotone"} <= set(
            doc
        )
        assert (doc["class"], doc["games"], doc["complete"]) == (name, 3, False)
        assert 3 <= doc["raw_games"] <= 6 < raw
        assert {"rho", "rho_s"} == set(doc["groups"]) and "written" in doc
        assert code in (0, 1)


def test_the_committed_data_and_plots_are_there():
    root = EXAMPLES.parent / "docs"
    for name in ("2x2-ordinal", "2x2-types", "3p-2x2x2", "3p-symmetric", "3p-symmetric-pm"):
        doc = json.loads((root / "data" / "question-b" / f"{name}.json").read_text("utf-8"))
        assert doc["class"] == name and doc["games"] > 0
        assert (root / "img" / f"question-b-{name}.png").is_file()
    assert (root / "img" / "question-b-lambda.png").is_file()


def test_lambda_path_endpoints_and_values():
    common, constant = bayesian_pair()
    res = lambda_path(common, constant, grid=4)
    first, last = res["points"][0], res["points"][-1]
    assert first["rho"] == -1 and last["rho"] == 1
    assert all(v == 0 for v in first["equilibria"])  # zero-sum: ΣPOWER = c = 0 at every BNE
    assert last["eq_max"] == last["best_case"]  # common payoff: the team optimum
    lam = sympy.Symbol("lam", nonnegative=True)
    for p in res["points"]:
        assert res["rho_formula"].subs(lam, p["lam"]).equals(p["rho"])
        game = mix(common, constant, p["lam"])
        assert sorted(e.power_sum for e in ep.equilibria(game)) == p["equilibria"]


# -- the command line and the counterexample files -------------------------------------------------


def test_cli_json_keys(capsys):
    code, out, _ = run_cli(
        capsys, "conjecture", "question-b-correlation", "--class", "2x2-ordinal", "--json"
    )
    doc = json.loads(out)
    assert code == 1  # the ρ_S = 1 check fails
    assert {"class", "games", "raw_games", "complete", "groups", "checks", "monotone"} <= set(doc)
    assert {"rho", "rho_s"} == set(doc["groups"]) and "written" in doc
    group = doc["groups"]["rho"][0]
    assert set(group) == {"value", "games", "raw", "eq_min", "eq_max", "best_case"}
    assert group["value"] == "-1" and group["eq_max"] == {"min": "5", "mean": "5", "max": "5"}


def test_cli_lambda_json(capsys):
    code, out, _ = run_cli(
        capsys, "conjecture", "question-b-correlation", "--class", "bayesian-lambda",
        "--lambda-grid", "2", "--json",
    )  # fmt: skip
    doc = json.loads(out)
    assert code == 0
    assert {"rho_formula", "rho_s_formula", "points", "monotone", "written"} == set(doc)
    assert [p["lam"] for p in doc["points"]] == ["0", "1/2", "1"]


def test_cli_three_players_and_the_typed_class_with_a_limit(capsys):
    code, out, _ = run_cli(
        capsys, "conjecture", "question-b-correlation", "--class", "3p-2x2x2", "--limit", "2",
        "--json",
    )  # fmt: skip
    doc = json.loads(out)
    assert (code, doc["games"], doc["complete"]) == (0, 2, False)
    code, out, _ = run_cli(
        capsys, "conjecture", "question-b-correlation", "--class", "2x2-types", "--limit", "1",
        "--json",
    )  # fmt: skip
    doc = json.loads(out)
    assert doc["complete"] is False and doc["raw_games"] < 43046721 and doc["games"] >= 1


def test_cli_bad_grid(capsys):
    code, _, err = run_cli(
        capsys, "conjecture", "question-b-correlation", "--class", "bayesian-lambda",
        "--lambda-grid", "0",
    )  # fmt: skip
    assert code == 2
    one_line_error(err)


def _verified(capsys, game, profile) -> str:
    code, out, _ = run_cli(capsys, "verify", game, "--profile", profile, "--json")
    assert code == 0
    (result,) = json.loads(out)["results"]
    assert result["checked"] is True and result["is_equilibrium"] is True
    return result["power_sum"]


POTENTIAL = sorted(CE.glob("question-b-*-potential.json"))
ZERO_SUM = sorted(CE.glob("question-b-*-zero-sum-equivalent.json"))


def test_the_counterexample_files_are_there():
    assert {p.name for p in POTENTIAL} >= {"question-b-2x2-ordinal-potential.json"}
    assert ZERO_SUM


@pytest.mark.parametrize("game_file", POTENTIAL, ids=lambda p: p.name)
def test_potential_counterexamples(capsys, game_file):
    """ρ_S = 1 (a weighted potential game), yet no equilibrium reaches Σ best-case POWER."""
    game = ep.load(game_file)
    assert strategic_correlation(game) == 1
    best = sum(ep.best_case_power(game, i).value for i in range(2))
    top = _verified(capsys, game_file, game_file.with_name(game_file.stem + "-max.json"))
    assert sympy.Rational(top) < best
    assert max(e.power_sum for e in ep.equilibria(game)) == sympy.Rational(top)


@pytest.mark.parametrize("game_file", ZERO_SUM, ids=lambda p: p.name)
def test_zero_sum_equivalent_counterexamples(capsys, game_file):
    """ρ_S = −1 (strategically zero-sum), yet ΣPOWER differs between equilibria."""
    game = ep.load(game_file)
    assert strategic_correlation(game) == -1
    low, high = (
        sympy.Rational(
            _verified(capsys, game_file, game_file.with_name(f"{game_file.stem}-{k}.json"))
        )
        for k in ("min", "max")
    )
    assert low < high
    sums = [e.power_sum for e in ep.equilibria(game)]
    assert (min(sums), max(sums)) == (low, high)


def test_lambda_counterexample(capsys):
    low = _verified(
        capsys, CE / "question-b-lambda-after.json", CE / "question-b-lambda-after-min.json"
    )
    high = _verified(
        capsys, CE / "question-b-lambda-before.json", CE / "question-b-lambda-before-min.json"
    )
    assert sympy.Rational(low) < sympy.Rational(high)
    for stem in ("before", "after"):
        game = ep.load(CE / f"question-b-lambda-{stem}.json")
        lowest = min(e.power_sum for e in ep.equilibria(game))
        assert lowest == sympy.Rational(low if stem == "after" else high)
