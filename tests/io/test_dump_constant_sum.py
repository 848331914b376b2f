"""A game file's declared ``constant_sum`` round-trips through dump and load (issue 10, item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
import sympy

import exactpower as ep
from exactpower.errors import ConstantSumError

EX = Path(__file__).resolve().parents[2] / "examples"


@pytest.mark.parametrize(
    "name",
    ["poker", "matching-pennies", "odd-one-out", "scaled-pennies", "bayesian-pennies", "haggling"],
)
def test_the_declared_constant_is_kept(name, tmp_path):
    game = ep.load(EX / f"{name}.json")
    assert game.declared_constant_sum is not None
    assert isinstance(game.declared_constant_sum, sympy.Expr)
    text = ep.dumps(game)
    assert f'"constant_sum": "{game.declared_constant_sum}"' in text
    path = tmp_path / "g.json"
    ep.dump(game, path)
    back = ep.load(path)
    assert back.declared_constant_sum == game.declared_constant_sum
    assert ep.dumps(back) == text


def test_a_game_without_a_declaration_dumps_none():
    game = ep.load(EX / "coordination.json")
    assert game.declared_constant_sum is None and '"constant_sum"' not in ep.dumps(game)
    mp = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    assert mp.declared_constant_sum is None and '"constant_sum"' not in ep.dumps(mp)


def test_the_dumped_declaration_is_checked_again_on_reading():
    text = ep.dumps(ep.load(EX / "odd-one-out.json"))
    assert '"constant_sum": "3"' in text
    with pytest.raises(ConstantSumError, match="declared 4"):
        ep.loads(text.replace('"constant_sum": "3"', '"constant_sum": "4"'))
