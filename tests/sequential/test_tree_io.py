"""Trees in and out: tree-v1 JSON, behaviour-v1, general ``.efg``; round trips and bad input."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import sympy
from hypothesis import given, settings
from tree_gen import random_profile_dict, random_tree

import exactpower as ep
from exactpower.errors import GameError
from exactpower.exact import Parameter
from exactpower.io.efg import to_efg
from exactpower.io.efg_game import read_efg_game
from exactpower.io.efg_tree_writer import tree_to_efg
from exactpower.io.gambit_lexer import GambitFormatError
from exactpower.io.tree_json import (
    behaviour_to_data,
    dumps_behaviour,
    dumps_tree,
    loads_behaviour,
    loads_tree,
    tree_to_data,
)
from exactpower.io.trees import is_tree_file, read_tree, write_tree
from exactpower.sequential import (
    BehaviourProfile,
    ExtensiveGame,
    chance,
    decision,
    expected_payoff,
    nash_conv,
    power,
    terminal,
    welfare,
)
from exactpower.sequential.testing import games_with_profiles as seq_games_with_profiles
from exactpower.testing import games_with_profiles

DOCS = Path(__file__).resolve().parents[2] / "docs" / "file-format.md"


def _schema(name: str) -> dict:
    text = resources.files("exactpower.io").joinpath(f"schemas/{name}.schema.json").read_text()
    return json.loads(text)


def _coin() -> ExtensiveGame:
    """A card game: chance deals H or T (1/3, 2/3); A sees it, B does not."""
    return ExtensiveGame.build(
        players=("A", "B"),
        root=chance(
            {
                "H": (
                    "1/3",
                    decision(
                        "A",
                        "a:H",
                        {
                            "up": decision("B", "b", {"x": terminal(2, -2), "y": terminal(0, 0)}),
                            "out": terminal(1, -1),
                        },
                    ),
                ),
                "T": (
                    "2/3",
                    decision(
                        "A",
                        "a:T",
                        {
                            "up": decision("B", "b", {"x": terminal(-2, 2), "y": terminal(0, 0)}),
                            "out": terminal(-1, 1),
                        },
                    ),
                ),
            },
            label="deal",
        ),
        title="coin",
    )


# -- round trips ---------------------------------------------------------------------------


@pytest.mark.parametrize("seed", range(150))
def test_random_trees_round_trip_through_json_and_efg(seed):
    game = random_tree(seed)
    assert loads_tree(dumps_tree(game)) == game
    assert read_efg_game(tree_to_efg(game)) == game
    jsonschema.validate(tree_to_data(game), _schema("tree-v1"))


@pytest.mark.parametrize("seed", range(40))
def test_behaviour_profiles_round_trip(seed):
    game = random_tree(seed)
    profile = BehaviourProfile.from_dict(game, random_profile_dict(game, seed))
    back = loads_behaviour(dumps_behaviour(profile), game)
    assert back == profile
    jsonschema.validate(behaviour_to_data(profile), _schema("behaviour-v1"))


def test_symbolic_tree_round_trips_through_json_and_is_refused_by_efg():
    game = ExtensiveGame.build(
        players=("A", "B"),
        root=chance(
            {
                "H": ("p", decision("A", "a", {"l": terminal("x", "-x"), "r": terminal(0, 0)})),
                "T": ("1 - p", terminal("x^2", 1)),
            }
        ),
        parameters=(Parameter("p", "probability"), "x"),
    )
    assert game.is_symbolic
    assert loads_tree(dumps_tree(game)) == game
    with pytest.raises(GameError, match="symbolic"):
        tree_to_efg(game)


def test_files_by_extension(tmp_path):
    game = _coin()
    for name in ("coin.efg", "coin.json"):
        write_tree(game, tmp_path / name)
        assert read_tree(tmp_path / name) == game
        assert is_tree_file(tmp_path / name)
    (tmp_path / "g.json").write_text('{"format": "exactpower/game-v1"}')
    assert not is_tree_file(tmp_path / "g.json")
    assert not is_tree_file(tmp_path / "g.nfg")
    with pytest.raises(GameError, match=r"g\.txt: cannot tell the tree format"):
        read_tree(tmp_path / "g.txt")


def test_repeated_node_labels_get_gambit_suffixes():
    game = ExtensiveGame.build(
        players=("A",),
        root=decision("A", "a", {"l": terminal(1, label="z"), "r": terminal(0, label="z")}),
    )
    text = tree_to_efg(game)
    assert 't "z_1"' in text and 't "z_2"' in text
    assert [n.label for n in read_efg_game(text).nodes] == ["", "z_1", "z_2"]


# -- reading Gambit's features ---------------------------------------------------------------

EFG = """EFG 2 R "outcomes inside" { "A" "B" } "a comment"
c "root" 1 "deal" { "H" 0.25 "T" 3/4 } 1 "entry" { 1/2, 0 }
p "h" 1 1 "" { "l" "r" } 0
t "" 2 "x" { 1, -1 }
t "" 0
p "t" 1 2 "" { "l" "r" } 0
p "" 2 1 "B's" { "u" "d" } 0
t "" 2
t "" 3 "y" { -1.5, 2 }
t "" 0
"""


def test_efg_outcomes_add_up_and_numbers_are_exact():
    game = read_efg_game(EFG, source="o.efg")
    payoffs = [n.payoffs for n in game.nodes if n.kind == "terminal"]
    half = sympy.Rational(1, 2)
    assert payoffs == [(half + 1, -1), (half, 0), (half + 1, -1), (-1, 2), (half, 0)]
    assert all(isinstance(v, sympy.Rational) for p in payoffs for v in p)
    assert game.infosets[0].probabilities == (sympy.Rational(1, 4), sympy.Rational(3, 4))
    assert [n.label for n in game.nodes[:3]] == ["root", "h", ""]
    # unlabelled player information sets get "<player>:<number>"; labelled ones keep it
    assert [i.name for i in game.infosets] == ["deal", "A:1", "A:2", "B's"]
    u = expected_payoff(game, BehaviourProfile.uniform(game), "A")
    # H: (3/2 + 1/2)/2 = 1; T: ((3/2 - 1)/2 + 1/2)/2 = 3/8; 1/4 + 3/4 * 3/8 = 17/32
    assert u == sympy.Rational(17, 32) and isinstance(u, sympy.Rational)


def test_efg_shared_chance_information_set_keeps_one_name():
    text = """EFG 2 R "" { "A" }
p "" 1 1 "a" { "l" "r" } 0
c "" 1 "" { "x" 1/2 "y" 1/2 } 0
t "" 1 "" { 1 }
t "" 2 "" { 0 }
c "" 1 0
t "" 1
t "" 2
"""
    game = read_efg_game(text)
    chance_sets = [i for i in game.infosets if i.player is None]
    assert len(chance_sets) == 1 and len(chance_sets[0].nodes) == 2
    assert read_efg_game(tree_to_efg(game)) == game


# -- bad input ---------------------------------------------------------------------------------


def _one_line(error: BaseException) -> str:
    message = str(error)
    assert "\n" not in message and "Traceback" not in message
    return message


NO_RECALL = """EFG 2 R "forgetful" { "A" }
p "" 1 1 "first" { "l" "r" } 0
p "" 1 2 "second" { "x" "y" } 0
t "" 1 "" { 1 }
t "" 2 "" { 0 }
p "" 1 2 "second" { "x" "y" } 0
t "" 2
t "" 1
"""


def test_efg_without_perfect_recall_is_refused_naming_the_node():
    with pytest.raises(GameError) as info:
        read_efg_game(NO_RECALL, source="f.efg")
    message = _one_line(info.value)
    assert message.startswith("f.efg: ")
    assert "recall" in message and re.search(r"root/(l|r)", message)


def test_efg_infoset_with_differing_actions_is_refused_with_its_line():
    text = NO_RECALL.replace(
        'p "" 1 2 "second" { "x" "y" } 0\nt "" 2', 'p "" 1 2 "second" { "x" "z" } 0\nt "" 2'
    )
    with pytest.raises(GambitFormatError, match=r"f\.efg: line 6 column 8: information set 2"):
        read_efg_game(text, source="f.efg")


def test_efg_chance_probabilities_must_sum_to_one():
    text = 'EFG 2 R "" { "A" } c "" 1 "" { "x" 1/2 "y" 1/3 } 0 t "" 0 t "" 0'
    with pytest.raises(GambitFormatError, match="sum to 5/6, not 1"):
        read_efg_game(text, source="c.efg")


TREE = {
    "format": "exactpower/tree-v1",
    "title": "coin",
    "players": ["A", "B"],
    "root": {
        "label": "deal",
        "chance": {"H": "1/3", "T": "2/3"},
        "actions": {
            "H": {
                "player": "A",
                "infoset": "a",
                "actions": {"l": {"payoffs": [1, -1]}, "r": {"payoffs": ["0.5", "-1/2"]}},
            },
            "T": {"payoffs": [0, 0]},
        },
    },
}


def _bad(mutate) -> str:
    data = json.loads(json.dumps(TREE))
    mutate(data)
    with pytest.raises(GameError) as info:
        loads_tree(json.dumps(data), source="t.json")
    return _one_line(info.value)


def test_json_bad_inputs_name_the_place():
    assert loads_tree(json.dumps(TREE)).nodes[3].payoffs == (
        sympy.Rational(1, 2),
        -sympy.Rational(1, 2),
    )

    def probs(d):
        d["root"]["chance"]["T"] = "1/3"

    assert _bad(probs) == "t.json: root.chance: probabilities sum to 2/3, not 1"

    def negative(d):
        d["root"]["chance"] = {"H": "-1/3", "T": "4/3"}

    assert "t.json: root.chance.H: probability -1/3 is negative" in _bad(negative)

    def count(d):
        d["root"]["actions"]["T"]["payoffs"] = [0]

    assert _bad(count).startswith("t.json: root.actions.T.payoffs: expected 2 payoffs")

    def player(d):
        d["root"]["actions"]["H"]["player"] = "C"

    assert "root.actions.H.player: the game has no player 'C'" in _bad(player)

    def kind(d):
        d["root"]["actions"]["T"] = {"label": "x"}

    assert "root.actions.T: a node needs 'chance', 'player' or 'payoffs'" in _bad(kind)

    def mismatch(d):
        d["root"]["chance"] = {"T": "2/3", "H": "1/3"}

    assert "root.chance: the probabilities are for ['T', 'H']" in _bad(mismatch)

    def nan(d):
        d["root"]["actions"]["T"]["payoffs"] = ["0", "x"]

    assert "root.actions.T.payoffs[1]" in _bad(nan)

    def unknown(d):
        d["root"]["extra"] = 1

    assert "root.extra: unknown key 'extra'" in _bad(unknown)


def test_json_infoset_with_differing_actions_and_no_recall_name_the_node():
    def differing(d):
        d["root"]["actions"]["T"] = {
            "player": "A",
            "infoset": "a",
            "actions": {"l": {"payoffs": [1, -1]}, "x": {"payoffs": [0, 0]}},
        }

    message = _bad(differing)
    assert message.startswith("t.json: ") and "root/T" in message and "'a'" in message

    def forgetful(d):
        d["root"] = {
            "player": "A",
            "infoset": "first",
            "actions": {
                "l": {
                    "player": "A",
                    "infoset": "second",
                    "actions": {"x": {"payoffs": [1, 0]}, "y": {"payoffs": [0, 0]}},
                },
                "r": {
                    "player": "A",
                    "infoset": "second",
                    "actions": {"x": {"payoffs": [0, 0]}, "y": {"payoffs": [1, 0]}},
                },
            },
        }

    message = _bad(forgetful)
    assert "recall" in message and "root/" in message


def test_json_duplicate_keys_and_wrong_format():
    text = json.dumps(TREE).replace('"H": "1/3"', '"H": "1/3", "H": "1/3"', 1)
    with pytest.raises(GameError, match=r"t\.json: root\.chance: duplicate key 'H'"):
        loads_tree(text, source="t.json")
    with pytest.raises(GameError, match="format: expected 'exactpower/tree-v1'"):
        loads_tree('{"format": "exactpower/game-v1"}', source="t.json")


def test_floats_in_the_api_are_refused_naming_the_node():
    with pytest.raises(GameError) as info:
        ExtensiveGame.build(
            players=("A",), root=chance({"x": (0.5, terminal(1)), "y": ("1/2", terminal(0))})
        )
    assert "root" in _one_line(info.value)
    with pytest.raises(GameError) as info:
        ExtensiveGame.build(players=("A",), root=decision("A", "a", {"x": terminal(0.5)}))
    assert "root/x" in _one_line(info.value)


def test_behaviour_bad_inputs():
    game = loads_tree(json.dumps(TREE))
    good = '{"format": "exactpower/behaviour-v1", "behaviour": {"a": {"l": "1/4", "r": 0.75}}}'
    profile = loads_behaviour(good, game)
    assert profile.at("a") == {"l": sympy.Rational(1, 4), "r": sympy.Rational(3, 4)}
    assert power(game, profile, "A") == sympy.Rational(1, 3)
    for text, pattern in [
        (
            '{"format": "exactpower/behaviour-v1", "behaviour": {"b": "l"}}',
            r"p\.json: behaviour\.b: the game has no information set 'b'",
        ),
        (
            '{"format": "exactpower/behaviour-v1", "behaviour": {"a": "z"}}',
            r"p\.json: behaviour\.a: the information set has no action 'z'",
        ),
        (
            '{"format": "exactpower/behaviour-v1", "behaviour": {"a": {"l": "1/2"}}}',
            r"p\.json: behaviour\.a: probabilities sum to 1/2, not 1",
        ),
        ('{"format": "exactpower/behaviour-v1", "behaviour": {}}', r"p\.json: .*'a'"),
    ]:
        with pytest.raises(GameError, match=pattern) as info:
            loads_behaviour(text, game, source="p.json")
        _one_line(info.value)


# -- the documented example ---------------------------------------------------------------------


def _doc_examples() -> list:
    text = DOCS.read_text(encoding="utf-8")
    return re.findall(
        r"```json\n(\{\s*\"format\": \"exactpower/(?:tree|behaviour)-v1\".*?)```", text, re.S
    )


def test_the_documented_examples_read_and_validate():
    examples = _doc_examples()
    trees = [e for e in examples if "tree-v1" in e]
    profiles = [e for e in examples if "behaviour-v1" in e]
    assert trees and profiles
    game = loads_tree(trees[0], source="docs")
    jsonschema.validate(json.loads(trees[0]), _schema("tree-v1"))
    profile = loads_behaviour(profiles[0], game, source="docs")
    jsonschema.validate(json.loads(profiles[0]), _schema("behaviour-v1"))
    assert expected_payoff(game, profile, 0) == sympy.Rational(1, 3)  # as the docs say
    q = sympy.Symbol("q", nonnegative=True)
    value = power(game, profile, 0)
    for x in (sympy.Integer(0), sympy.Rational(1, 3), sympy.Integer(1)):  # the docs formula
        expected = (x + 1) / 2 + max(sympy.Rational(-1, 2), sympy.Rational(1, 2) - 3 * x / 2)
        assert value.subs(dict.fromkeys(value.free_symbols, x)) == expected
    assert q.name in {s.name for s in value.free_symbols}


# -- a Bayesian game exported by the one-shot writer, read back as a tree -----------------------


@settings(max_examples=60, deadline=None)
@given(games_with_profiles())
def test_bayesian_efg_read_as_a_tree_has_the_same_power(pair):
    """``to_efg`` (Harsanyi's tree) read by the general reader: POWER, payoffs as today."""
    bg, sigma = pair
    tree = read_efg_game(to_efg(bg))
    dist = {}
    for i, player in enumerate(bg.players):
        mine = tree.infosets_of(i)  # one per type, in the order of the types
        assert len(mine) == len(player.types)
        for t, k in enumerate(mine):
            row = sigma.strategies[i][t]
            dist[tree.infosets[k].name] = dict(zip(player.actions, row))
    profile = BehaviourProfile.from_dict(tree, dist)
    for i in range(bg.n_players):
        assert power(tree, profile, i) == ep.power(bg, sigma, i)
    assert welfare(tree, profile) == ep.welfare(bg, sigma)
    assert nash_conv(tree, profile) == ep.nash_conv(bg, sigma)


@settings(max_examples=80, deadline=None)
@given(seq_games_with_profiles())
def test_round_trips_of_the_model_strategies(pair):
    """The model's own hypothesis strategies: JSON and behaviour-v1 exactly; ``.efg`` exactly
    up to repeated node labels, which Gambit needs suffixed."""
    game, profile = pair
    assert loads_tree(dumps_tree(game)) == game
    assert loads_behaviour(dumps_behaviour(profile), game) == profile
    back = read_efg_game(tree_to_efg(game))
    labels = [n.label for n in game.nodes if n.label]
    if len(set(labels)) == len(labels):
        assert back == game
    assert back.infosets == game.infosets
    assert [(n.kind, n.children, n.payoffs) for n in back.nodes] == [
        (n.kind, n.children, n.payoffs) for n in game.nodes
    ]
