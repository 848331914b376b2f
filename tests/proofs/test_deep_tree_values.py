"""A deep tree multiplies probabilities along its paths: values with thousands of digits.

Python refuses to print an integer of more than 4,300 digits; ``verify`` once died there with
a traceback. Now a value up to ``MAX_VALUE_LENGTH`` characters is written, and anything the
trace cannot carry is one line and exit 2.
"""

from __future__ import annotations

import json

import sympy

from exactpower.limits import MAX_VALUE_LENGTH
from proofs.trace import value_text
from tests.cases import one_line_error, run_cli


def _deep_tree(depth: int, digits: int) -> dict:
    small = f"1/{10**digits}"
    large = f"{10**digits - 1}/{10**digits}"
    node: dict = {
        "player": "A",
        "infoset": "a",
        "actions": {"l": {"payoffs": ["1", "-1"]}, "r": {"payoffs": ["0", "0"]}},
    }
    for _ in range(depth):
        node = {
            "chance": {"x": large, "y": small},
            "actions": {"x": node, "y": {"payoffs": ["0", "0"]}},
        }
    return {"format": "exactpower/tree-v1", "players": ["A", "B"], "root": node}


def test_verify_of_a_deep_tree_is_one_line_not_a_traceback(capsys, tmp_path):
    game = tmp_path / "deep.json"
    game.write_text(json.dumps(_deep_tree(60, 90)))  # reach: 5,400-digit denominators
    code, _, err = run_cli(
        capsys, "verify", game, "--profile", "uniform", "--trace-out", tmp_path / "t.json"
    )
    assert code == 2
    one_line_error(err)
    assert "digits" in err and not (tmp_path / "t.json").exists()


def test_value_text_prints_past_pythons_digit_limit_up_to_the_trace_limit():
    big = sympy.Rational(10**6000 + 1, 3)
    text = value_text(big)
    assert len(text) == 6001 + 2 and text.endswith("/3")
    numerator, denominator = text.split("/")
    assert numerator == "1" + "0" * 5999 + "1" and denominator == "3"


def test_value_text_refuses_before_printing_beyond_the_limit():
    import pytest

    from exactpower.errors import LimitError

    with pytest.raises(LimitError, match="MAX_VALUE_LENGTH"):
        value_text(sympy.Integer(7) ** (3 * MAX_VALUE_LENGTH))
