"""Proof-size limits and the symbolic fast path (issue 8: every check and verify within 60 s).

- ``MAX_PROOF_WORK`` (rational) and ``MAX_SYMBOLIC_PROOF_WORK`` (symbolic) are checked before
  any work: the builder raises ``LimitError`` naming the limit (``verify`` exits 2 with one
  line), the kernel rejects the trace with a message naming it -- both in about a second,
  even for a 10⁶-cell game declared by one ``*`` record.
- ``canonical_max`` builds every maximum unevaluated (sympy's ``Max`` evaluation compares its
  arguments pairwise: a 2 × 20-action symbolic game took 188 s to build and 70 s to check);
  the symbolic 20-action game now builds and checks in seconds, and the kernel's normal form
  stays sound: it never sees an equality that is false.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import random
import time

import pytest
import sympy

from exactpower import StrategyProfile, limits
from exactpower.cli import main
from exactpower.errors import LimitError
from exactpower.exact.decide import (
    canonical,
    canonical_max,
    rational_value,
    same,
    term_bound,
    tidy,
)
from exactpower.io import json_files as files
from proofs import check, power_scarcity
from proofs.kernel.facts import proof_size
from proofs.kernel.facts import same as kernel_same

X = sympy.Symbol("x", real=True)
Q = sympy.Symbol("q", nonnegative=True)


def wildcard_doc(n: int, actions: int) -> dict:
    """Every cell the same rewards, declared by one ``*`` record."""
    return {
        "format": "exactpower/game-v1",
        "title": "wildcard",
        "players": [
            {"name": f"p{i}", "actions": [f"a{k}" for k in range(actions)]} for i in range(n)
        ],
        "rewards": [
            {"actions": ["*"] * n, "values": ["1"] + ["-1" if i == 1 else "0" for i in range(1, n)]}
        ],
        "constant_sum": "0",
    }


def symbolic_doc(actions: int, seed: int = 1) -> dict:
    """2 players × ``actions``, constant-sum, rewards ``k*x + m`` (the issue's slow case)."""
    rng = random.Random(seed)
    rewards = []
    for a in itertools.product(range(actions), repeat=2):
        v = f"{rng.randint(-9, 9)}*x + {rng.randint(0, 3)}"
        rewards.append({"actions": [f"a{k}" for k in a], "values": [v, f"-({v})"]})
    return {
        "format": "exactpower/game-v1",
        "title": "symbolic",
        "parameters": {"x": "real"},
        "players": [
            {"name": f"p{i}", "actions": [f"a{k}" for k in range(actions)]} for i in range(2)
        ],
        "rewards": rewards,
        "constant_sum": "0",
    }


def game_of(doc):
    return files.loads_game(json.dumps(doc))


@pytest.fixture(scope="module")
def huge_game():
    """2 players × 707 actions: 999,698 reward cells, under MAX_FILE_CELLS."""
    return game_of(wildcard_doc(2, 707))


@pytest.fixture(scope="module")
def small_trace():
    game = game_of(wildcard_doc(2, 2))
    return power_scarcity(game, StrategyProfile.uniform(game))


# -- the size measure ------------------------------------------------------------------------


def test_proof_size_counts_reward_values_and_case_hypotheses(huge_game):
    work, name, limit = proof_size(huge_game, StrategyProfile.uniform(huge_game))
    assert (work, name, limit) == (2 * 707**2 + 2 * 707**2, "MAX_PROOF_WORK", limits.MAX_PROOF_WORK)
    assert isinstance(work, int) and work > limits.MAX_PROOF_WORK


def test_symbolic_size_is_work_times_the_terms_of_a_summand():
    game = game_of(symbolic_doc(3))
    size, name, limit = proof_size(game, StrategyProfile.uniform(game))
    assert name == "MAX_SYMBOLIC_PROOF_WORK" and limit == limits.MAX_SYMBOLIC_PROOF_WORK
    assert size == (2 * 9 + 2 * 9) * 2  # rewards k*x + m: two terms
    assert limits.MAX_SYMBOLIC_PROOF_WORK < limits.MAX_PROOF_WORK


def test_term_bound_bounds_the_expanded_terms():
    y = sympy.Symbol("y")
    for e in [(X + y + 1) ** 5, (X + 1) * (y - 2) + X / (y + 3), (X**2 + y) ** 3 * (X - y)]:
        assert len(sympy.Add.make_args(sympy.expand(e))) <= term_bound(e)
    assert term_bound((X + y) ** 16) == 17 and term_bound(sympy.Integer(7)) == 1


# -- refused before the work ---------------------------------------------------------------------


def test_builder_refuses_a_million_cell_game_before_the_work(huge_game):
    start = time.perf_counter()
    with pytest.raises(LimitError, match=r"over the limit MAX_PROOF_WORK = 500000"):
        power_scarcity(huge_game, StrategyProfile.uniform(huge_game))
    assert time.perf_counter() - start < 5


def test_kernel_rejects_a_trace_over_the_limit_before_the_work(huge_game, small_trace):
    big = dataclasses.replace(
        small_trace, game=huge_game, profile=StrategyProfile.uniform(huge_game)
    )
    start = time.perf_counter()
    verdict = check(big)
    assert time.perf_counter() - start < 5
    assert verdict.status == "rejected" and not verdict.ok
    assert "over the limit MAX_PROOF_WORK = 500000" in verdict.message
    assert check(small_trace).ok  # the same trace on its own game is valid


def test_symbolic_limit_builder_and_kernel(small_trace):
    game = game_of(symbolic_doc(32))  # 4·32² = 4096 > 4000 before the terms are counted
    profile = StrategyProfile.uniform(game)
    start = time.perf_counter()
    with pytest.raises(LimitError, match="MAX_SYMBOLIC_PROOF_WORK = 4000"):
        power_scarcity(game, profile)
    verdict = check(dataclasses.replace(small_trace, game=game, profile=profile))
    assert verdict.status == "rejected" and "MAX_SYMBOLIC_PROOF_WORK = 4000" in verdict.message
    assert time.perf_counter() - start < 5


def test_verify_exits_2_with_one_line_over_the_limit(tmp_path, capsys):
    path = tmp_path / "wide.json"
    path.write_text(json.dumps(wildcard_doc(2, 400)), encoding="utf-8")
    assert main(["verify", str(path), "--profile", "uniform"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "MAX_PROOF_WORK" in err and "Traceback" not in err


# -- the symbolic fast path --------------------------------------------------------------------


def test_symbolic_20_action_game_builds_and_checks():
    game = game_of(symbolic_doc(20))
    profile = StrategyProfile.uniform(game)
    start = time.perf_counter()
    trace = power_scarcity(game, profile)
    verdict = check(trace)
    assert verdict.ok, verdict.message
    assert time.perf_counter() - start < 60  # was 188 s + 70 s
    power = trace.steps[0].premises["terms"][0]["max"]
    assert isinstance(power, sympy.Max) and len(power.args) <= 20
    assert check(type(trace).from_json(trace.to_json())).ok  # and read back from its JSON


def test_canonical_max_is_order_free_flat_and_folded():
    a = canonical_max([X, sympy.Integer(1), -X, sympy.Integer(3)])
    b = canonical_max([sympy.Max(sympy.Integer(3), -X, evaluate=False), X])
    assert a == b and isinstance(a, sympy.Max)
    assert set(a.args) == {X, -X, sympy.Integer(3)}
    assert canonical_max([X + 1, X + 3, X]) == X + 3  # differ by numbers: the largest
    assert canonical_max([Q / 2 + 1, -Q]) == Q / 2 + 1  # q ≥ 0 by its assumptions
    assert canonical_max([sympy.Rational(1, 2), sympy.Integer(-1)]) == sympy.Rational(1, 2)
    assert type(canonical_max([X, X])) is sympy.Symbol
    with pytest.raises(ValueError):
        canonical_max([])


def test_canonical_rewrites_nested_and_uncancelled_maxima():
    written = 2 * sympy.Max(X * (X + 1) / X, sympy.Max(0, -X, evaluate=False), evaluate=False)
    assert canonical(written) == 2 * canonical_max([X + 1, sympy.Integer(0), -X])


@pytest.mark.parametrize("decide", [same, kernel_same])
def test_normal_form_never_sees_a_false_equality(decide):
    m = canonical_max([X, -X])
    assert decide(m, sympy.Max(-X, X, evaluate=False))
    assert decide(m * (X + 1), m * X + m)
    assert not decide(m, X) and not decide(m, -X)
    assert not decide(canonical_max([X, sympy.Integer(1)]), canonical_max([X, sympy.Integer(2)]))
    assert not decide(m + 1, m)
    y = sympy.Symbol("y", real=True)
    assert not decide(canonical_max([X, y]), canonical_max([X, -y]))


def test_rational_value_is_exact():
    m = canonical_max([X, -X])
    assert rational_value(m - sympy.Max(-X, X, evaluate=False) + X / X) == 1
    assert rational_value((2 * X + 2) / (X + 1)) == 2
    assert rational_value(m) is None and rational_value(X / (X + 1)) is None
    assert rational_value((X**2 - 1) / (X - 1) - X) == 1
    assert type(rational_value(sympy.Integer(3) / 4)) is sympy.Rational


def test_tidy_keeps_maxima_unevaluated():
    m = canonical_max([Q, 1 - Q])
    assert tidy(Q * m + (1 - Q) * m) == m
    assert tidy(2 * m - m + 1) == m + 1
