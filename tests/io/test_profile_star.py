"""``*`` in profile files as in game files, and the per-type form explained (issue 10, item 9)."""

from __future__ import annotations

import json

import pytest
import sympy

import exactpower as ep
from exactpower import BayesianGame, Player, StrategyProfile
from exactpower.errors import FileFormatError, GameError, ProfileError
from exactpower.io import loads_profile, schema

R = sympy.Rational


def three_types():
    return BayesianGame.from_function(
        [Player("row", ("h", "l", "m"), ("H", "T")), Player("col", ("-",), ("H", "T"))],
        lambda t, a: (1, -1) if a[0] == a[1] else (-1, 1),
        title="typed pennies",
    )


def read(strategies: dict, game=None):
    text = json.dumps({"format": "exactpower/profile-v1", "strategies": strategies})
    return loads_profile(text, game or three_types(), source="p.json")


def test_star_gives_every_type_the_same_distribution():
    s = read({"row": {"*": "H"}, "col": "T"})
    assert s.strategies[0] == ((1, 0), (1, 0), (1, 0))
    mixed = read({"row": {"*": {"H": "1/4", "T": "3/4"}}, "col": {"*": "H"}})
    assert mixed.strategies[0] == ((R(1, 4), R(3, 4)),) * 3
    assert mixed.strategies[1] == ((1, 0),)


@pytest.mark.parametrize("order", [("*", "l"), ("l", "*")])
def test_a_named_type_overrides_the_star_wherever_it_stands(order):
    given = {k: ("H" if k == "*" else {"T": 1}) for k in order}
    s = read({"row": given, "col": "H"})
    assert s.strategies[0] == ((1, 0), (0, 1), (1, 0))


def test_the_python_constructor_reads_star_alike():
    g = three_types()
    s = StrategyProfile.from_dict(g, {"row": {"*": "T", "m": "H"}, "col": "H"})
    assert s.strategies[0] == ((0, 1), (0, 1), (1, 0))
    assert s.to_dict() == read({"row": {"*": "T", "m": "H"}, "col": "H"}).to_dict()


def test_a_bare_action_for_a_player_with_several_types_is_explained():
    with pytest.raises(FileFormatError) as info:
        read({"row": "H", "col": "H"})
    message = str(info.value)
    assert message.startswith("p.json: strategies.row: player 'row' has 3 types (h, l, m), ")
    assert 'e.g. {"h": "H", "l": "H", "m": "H"}, or {"*": "H"} for every type' in message
    with pytest.raises(FileFormatError, match=r'or \{"\*": \{action: probability\}\}'):
        read({"row": {"H": "1/2", "T": "1/2"}, "col": "H"})
    with pytest.raises(ProfileError, match="player 'row' has 3 types"):
        StrategyProfile.from_dict(three_types(), {"row": "H", "col": "H"})
    with pytest.raises(ProfileError, match=r"e\.g\."):
        StrategyProfile.from_dict(three_types(), {"row": {"H": 1}, "col": "H"})


def test_other_errors_name_their_place():
    with pytest.raises(
        ProfileError,
        match=r"p\.json: strategies\.row\.x: player 'row' has no "
        r"type 'x' \(types: h, l, m\)",
    ):
        read({"row": {"*": "H", "x": "T"}, "col": "H"})
    with pytest.raises(GameError, match=r"strategies\.row\[\"\*\"\]: player 'row' has no action"):
        read({"row": {"*": "Q"}, "col": "H"})
    with pytest.raises(ProfileError, match="no strategy for type 'h'"):
        read({"row": {"l": "H", "m": "H"}, "col": "H"})


def test_star_for_a_single_type_player_and_a_literal_star_name():
    g = three_types()
    assert read({"row": {"*": "H"}, "col": {"*": "T"}}, g).strategies[1] == ((0, 1),)
    # a player whose action is named "*": a mapping with that key is its distribution
    odd = BayesianGame.from_function([Player("p", ("-",), ("*", "a"))], lambda t, a: (1,))
    s = read({"p": {"*": "1/2", "a": "1/2"}}, odd)
    assert s.strategies[0] == ((R(1, 2), R(1, 2)),)


def test_dumped_profiles_read_back_and_star_files_validate_against_the_schema():
    import jsonschema

    g = three_types()
    s = read({"row": {"*": "H", "l": "T"}, "col": "H"}, g)
    assert ep.loads_profile(ep.dumps(s), g).strategies == s.strategies
    doc = {"format": "exactpower/profile-v1", "strategies": {"row": {"*": "H"}, "col": "H"}}
    jsonschema.validate(doc, schema("profile-v1"), cls=jsonschema.Draft202012Validator)
