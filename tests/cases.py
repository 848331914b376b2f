"""Paths and shared cases of the test suite (imported by test modules in every folder)."""

from __future__ import annotations

from pathlib import Path

from exactpower import (
    ConstantSumError,
    CoverageError,
    ExpressionError,
    LimitError,
    ParameterError,
    ProbabilityError,
    ProfileError,
)
from exactpower.cli import main
from exactpower.errors import FileFormatError, GameStructureError

#: The repository's root, its examples and the tests' data.
ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA = Path(__file__).resolve().parent / "data"
BAD = DATA / "bad"
CORPUS = ROOT / "proofs" / "corpus"
BENCHMARKS = ROOT / "benchmarks"


#: Every bad fixture: the exception and the place its message must name.
#: ``profile_*`` files are profiles for ``pennies.json``; the others are games.
BAD_CASES = {
    "bad_domain.json": (ParameterError, "parameters.x"),
    "big_exponent.json": (LimitError, "rewards[5].value"),
    "constant_sum_mismatch.json": (ConstantSumError, "constant_sum"),
    "coverage_gap.json": (CoverageError, "rewards"),
    "coverage_overlap.json": (CoverageError, "rewards[5]"),
    "duplicate_action.json": (GameStructureError, "players[0].actions[1]"),
    "duplicate_key.json": (FileFormatError, "players[1]"),
    "duplicate_player.json": (GameStructureError, "players[1].name"),
    "joint_duplicate.json": (GameStructureError, "prior.joint[1]"),
    "malformed_json.json": (FileFormatError, "line 6 column 20"),
    "nan.json": (FileFormatError, "rewards[4].value"),
    "not_an_object.json": (FileFormatError, "top level"),
    "not_in_grammar.json": (ExpressionError, "rewards[5].value"),
    "probability_negative.json": (ProbabilityError, "prior.independent.row.h"),
    "probability_over_one.json": (ProbabilityError, "prior.joint[0][1]"),
    "probability_sum.json": (ProbabilityError, "prior.joint"),
    "runs_code.json": (ExpressionError, "rewards[5].value"),
    "star_name.json": (GameStructureError, "players[0].actions[1]"),
    "too_big.json": (LimitError, "title"),
    "undeclared_parameter.json": (ParameterError, "rewards[5].value"),
    "unknown_action.json": (GameStructureError, "rewards[2].actions[1]"),
    "unknown_key.json": (FileFormatError, "rewards[4].valu"),
    "unknown_player.json": (GameStructureError, "rewards[5].player"),
    "unknown_type.json": (GameStructureError, "rewards[1].types[0]"),
    "wrong_count.json": (GameStructureError, "rewards[2].values"),
    "wrong_format.json": (FileFormatError, "format"),
    "wrong_json_type.json": (FileFormatError, "players[1].actions[0]"),
    "profile_is_game.json": (FileFormatError, "format"),
    "profile_missing_type.json": (ProfileError, "strategies.row"),
    "profile_sum.json": (ProbabilityError, "strategies.col"),
    "profile_unknown_action.json": (ProfileError, "strategies.row.h"),
    "profile_unknown_player.json": (ProfileError, "strategies.dealer"),
}

#: (game, profile) pairs of the examples, every one traced and checked.
PAIRS = [
    ("poker", "poker-equilibrium"),
    ("poker", "poker-honest"),
    ("matching-pennies", "matching-pennies-pure"),
    ("matching-pennies", "matching-pennies-uniform"),
    ("odd-one-out", "odd-one-out-pure"),
    ("odd-one-out", "odd-one-out-uniform"),
    ("haggling", "haggling-profile"),
    ("coordination", "coordination-good"),
    ("coordination", "coordination-bad"),
    ("scaled-pennies", "scaled-pennies-pure"),
    ("bayesian-pennies", "bayesian-pennies-profile"),
]


def run_cli(capsys, *argv) -> tuple:
    """``(exit status, stdout, stderr)`` of ``exactpower ARGV`` run in this process."""
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def kuhn_equilibrium(alpha, q2_call=None) -> dict:
    """Kuhn poker's equilibria (:func:`exactpower.sequential.catalog.kuhn_poker`) as a
    behaviour-v1 mapping: player 1 bets a J with probability ``alpha`` (0 to 1/3), player 2
    calls a bet with a Q with probability ``q2_call`` (1/3, the equilibrium's, by default)."""
    from sympy import Rational as R

    third = R(1, 3)
    q2_call = third if q2_call is None else q2_call
    return {
        "1:J": {"bet": alpha, "check": 1 - alpha},
        "1:Q": "check",
        "1:K": {"bet": 3 * alpha, "check": 1 - 3 * alpha},
        "1:J:check,bet": "fold",
        "1:Q:check,bet": {"call": alpha + third, "fold": 1 - alpha - third},
        "1:K:check,bet": "call",
        "2:J:bet": "fold",
        "2:Q:bet": {"call": q2_call, "fold": 1 - q2_call},
        "2:K:bet": "call",
        "2:J:check": {"bet": third, "check": 1 - third},
        "2:Q:check": "check",
        "2:K:check": "bet",
    }


def two_states():
    """A stochastic game (γ = 1/2): from 'a' the row player may move to the absorbing 'b'
    (reward 2 there forever)."""
    from exactpower.sequential.stochastic import StochasticGame

    return StochasticGame.build(
        ["row", "col"],
        {
            "a": {
                "actions": {"row": ["stay", "go"], "col": ["c"]},
                "cells": {"stay,c": ((1, -1), {"a": 1}), "go,c": ((0, 0), {"b": 1})},
            },
            "b": {"actions": {"row": ["r"], "col": ["c"]}, "cells": {"r,c": ((2, -2), {"b": 1})}},
        },
        gamma="1/2",
    )


def corpus_rejection(path: Path) -> tuple:
    """``(expected, message)`` of a bad trace of the corpus: its ``expected_rejection`` and
    what :func:`proofs.check_trace` said, the reader's ``ProofError`` or the kernel's message
    (the verdict asserted to be a rejection, never a pass or an error of the checker)."""
    import json

    from proofs import ProofError, check_trace

    text = path.read_text(encoding="utf-8")
    expected = json.loads(text)["expected_rejection"]
    try:
        verdict = check_trace(text)[1]
    except ProofError as exc:
        return expected, str(exc)
    assert verdict.status == "rejected", verdict
    return expected, verdict.message


def one_line_error(err: str) -> None:
    """``err`` is one line, never a traceback (what the command line prints on bad input)."""
    assert err.endswith("\n") and len(err.splitlines()) == 1, err
    assert "Traceback" not in err
