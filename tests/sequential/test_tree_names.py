"""Information-set names: up to ``MAX_INFOSET_NAME_LENGTH`` characters in tree-v1 files.

OpenSpiel names information sets by their information state strings (Leduc poker's reach about
110 characters), so a tree read from OpenSpiel must survive the round trip through tree-v1 that
``verify --trace-out`` makes; names beyond the limit are refused, naming the place.
"""

from __future__ import annotations

import pytest

from exactpower.errors import LimitError
from exactpower.io.tree_json import dumps_tree, loads_tree
from exactpower.limits import MAX_INFOSET_NAME_LENGTH, MAX_NAME_LENGTH
from exactpower.sequential import BehaviourProfile, ExtensiveGame, decision, power, terminal


def _game(name: str) -> ExtensiveGame:
    root = decision("A", name, {"l": terminal(1, -1), "r": terminal(0, 0)})
    return ExtensiveGame.build(players=("A", "B"), root=root)


def test_long_infoset_names_round_trip():
    name = "x" * MAX_INFOSET_NAME_LENGTH
    assert len(name) > MAX_NAME_LENGTH
    game = loads_tree(dumps_tree(_game(name)))
    assert game.infosets[game.infoset_index(name)].name == name
    assert power(game, BehaviourProfile.uniform(game), 0) == 1


def test_too_long_infoset_name_is_refused_naming_the_place():
    text = dumps_tree(_game("x" * 10)).replace("x" * 10, "x" * (MAX_INFOSET_NAME_LENGTH + 1))
    with pytest.raises(LimitError, match=r"root\.infoset: 1001 characters, over the limit"):
        loads_tree(text)


def test_leduc_from_openspiel_round_trips():
    from tests.optional import require

    require("pyspiel")
    from exactpower.sequential import from_openspiel, power_sum

    leduc = from_openspiel("leduc_poker")
    assert max(len(s.name) for s in leduc.infosets) > MAX_NAME_LENGTH
    again = loads_tree(dumps_tree(leduc))
    assert [s.name for s in again.infosets] == [s.name for s in leduc.infosets]
    uniform = BehaviourProfile.uniform
    assert power_sum(again, uniform(again)) == power_sum(leduc, uniform(leduc))
