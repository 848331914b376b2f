"""Game and profile files (SPEC §4, §7): exact reading, every construct, every bad input."""

from __future__ import annotations

import io
import json
import math
import pathlib
import time

import jsonschema
import numpy as np
import pytest
import sympy
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exactpower import (
    BayesianGame,
    ConstantSumError,
    CoverageError,
    ExpressionError,
    FileFormatError,
    GameError,
    GameStructureError,
    LimitError,
    ParameterError,
    Player,
    ProbabilityError,
    ProfileError,
    limits,
    power_sum,
)
from exactpower.exact import Parameter
from exactpower.io import (
    ProfileDocument,
    dump,
    dumps,
    load,
    load_game,
    load_profile,
    loads,
    loads_game,
    loads_profile,
    schema,
)
from exactpower.testing import bayesian_games, profiles

from cases import BAD, BAD_CASES, DATA, EXAMPLES

R = sympy.Rational


def game_doc(**changes) -> dict:
    """A small valid game document (two players, two types for ``row``), with changes."""
    doc = {
        "format": "exactpower/game-v1",
        "players": [
            {"name": "row", "types": ["h", "l"], "actions": ["U", "D"]},
            {"name": "col", "actions": ["L", "R"]},
        ],
        "rewards": [{"actions": ["*", "*"], "values": ["1", "-1"]}],
    }
    doc.update(changes)
    return doc


def load_doc(doc, source="doc.json"):
    return loads(json.dumps(doc), source=source)


def same_game(g: BayesianGame, h: BayesianGame) -> None:
    assert g.players == h.players
    assert g.parameters == h.parameters
    assert g.title == h.title
    assert list(g.prior.to_exprs().ravel()) == list(h.prior.to_exprs().ravel())
    assert g.rewards.shape == h.rewards.shape
    mask_g = np.zeros(g.rewards.shape, bool) if g.unset is None else g.unset
    mask_h = np.zeros(h.rewards.shape, bool) if h.unset is None else h.unset
    assert (mask_g == mask_h).all()
    for x, y, unset in zip(
        g.rewards.to_exprs().ravel(), h.rewards.to_exprs().ravel(), mask_g.ravel()
    ):
        assert unset or (x == y and type(x) is type(y)), (x, y)


# -- round trips -------------------------------------------------------------------


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bayesian_games(
        max_players=3,
        max_types=3,
        max_actions=3,
        max_cells=200,
        rewards=st.fractions(min_value=-5, max_value=5, max_denominator=7),
    )
)
def test_round_trip_random_games(game):
    text = dumps(game)
    back = loads(text)
    same_game(game, back)
    assert dumps(back) == text
    jsonschema.validate(json.loads(text), schema("game-v1"))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    bayesian_games(max_players=2, max_cells=100).flatmap(
        lambda g: profiles(g).map(lambda s: (g, s))
    )
)
def test_round_trip_profiles(pair):
    game, profile = pair
    text = dumps(profile)
    jsonschema.validate(json.loads(text), schema("profile-v1"))
    back = loads_profile(text, game)
    assert back.strategies == profile.strategies
    assert power_sum(game, back) == power_sum(game, profile)


def test_round_trip_symbolic_game():
    x, q = Parameter("x", "real"), Parameter("q", "probability")
    players = [Player("a", ("s", "t"), ("0", "1")), Player("b", ("-",), ("0", "1", "2"))]

    def rewards(t, a):
        k = int(a[0]) + 2 * int(a[1])
        return [
            sympy.Symbol("x", real=True) ** 2 / (k + 1) - k,
            R(k, 3) * (1 - sympy.Symbol("q", nonnegative=True)),
        ]

    game = BayesianGame.from_function(
        players,
        rewards,
        prior={("s", "-"): "q", ("t", "-"): "1 - q"},
        parameters=[x, q],
        title="symbolic ünïcode",
    )
    text = dumps(game)
    assert '"parameters": {"x": "real", "q": "probability"}' in text
    assert "x**2" in text
    same_game(game, loads(text))


def test_round_trip_keeps_cells_outside_the_support():
    arr = np.arange(2 * 2 * 1 * 2 * 2).reshape(2, 2, 1, 2, 2) - 5
    game = BayesianGame.from_arrays(arr, prior=np.array([[1], [0]]), denominator=3)
    back = loads(dumps(game))
    same_game(game, back)
    assert back.reward(1, (1, 0), (1, 1)) == R(arr[1, 1, 0, 1, 1], 3)


def test_round_trip_partly_unset_cells_outside_the_support():
    doc = game_doc(
        prior={"joint": [[["h", "-"], 1]]},
        rewards=[
            {"types": ["h", "-"], "actions": ["*", "*"], "values": [1, 2]},
            {"player": "col", "types": ["l", "*"], "actions": ["U", "*"], "value": "7"},
        ],
    )
    game = load_doc(doc)
    assert game.reward(1, (1, 0), (0, 1)) == 7 and game.reward(0, (1, 0), (0, 1)) is None
    text = dumps(game)
    assert '"player": "col"' in text
    same_game(game, loads(text))


def test_dump_to_path_and_file(tmp_path):
    game = loads_game((DATA / "pennies.json").read_text())
    path = tmp_path / "g.json"
    text = dump(game, path)
    assert path.read_text(encoding="utf-8") == text
    same_game(load(path), game)
    same_game(load(str(path)), game)
    buffer = io.StringIO()
    dump(game, buffer)
    assert buffer.getvalue() == text
    binary = io.BytesIO()
    dump(game, binary)
    same_game(load(io.BytesIO(binary.getvalue())), game)
    with open(path, encoding="utf-8") as f:
        same_game(load(f), game)


def test_dump_refuses_what_the_grammar_cannot_read():
    x = Parameter("x", "real")
    game = BayesianGame.from_function(
        [Player("a", ("-",), ("0",))],
        lambda t, a: [sympy.sqrt(sympy.Symbol("x", real=True))],
        parameters=[x],
    )
    with pytest.raises(GameStructureError, match="cannot be written"):
        dumps(game)
    with pytest.raises(TypeError):
        dumps({"format": "exactpower/game-v1"})


# -- every construct of §4 ---------------------------------------------------------


def test_spec_excerpt_with_full_coverage():
    game = load_game(DATA / "symbolic.json")
    assert game.title == "Bayesian matching pennies with a side bet"
    assert [p.name for p in game.parameters] == ["x", "q"]
    assert game.parameters[1].domain == "probability"
    assert game.players[1].types == ("-",)
    assert game.probability((0, 0)) == R(1, 3) and game.probability((1, 0)) == R(2, 3)
    x = game.parameters[0].symbol
    assert game.reward(0, (1, 0), (0, 1)) == x and game.reward(1, (1, 0), (1, 1)) == -x
    assert game.reward(0, (1, 0), (1, 0)) == 0


def test_prior_forms():
    uniform = load_doc(game_doc())
    assert uniform.probability((0, 0)) == R(1, 2)
    ind = load_doc(
        game_doc(
            players=[
                {"name": "row", "types": ["h", "l"], "actions": ["U"]},
                {"name": "col", "types": ["x", "y", "z"], "actions": ["L"]},
            ],
            prior={"independent": {"row": {"h": "1/4", "l": 0.75}}},
            rewards=[{"actions": ["*", "*"], "values": [0, 0]}],
        )
    )
    assert ind.probability((0, 2)) == R(1, 12) and ind.probability((1, 0)) == R(1, 4)
    # a type left out of a given player's marginal has probability 0
    zero = load_doc(game_doc(prior={"independent": {"row": {"l": 1}}}))
    assert zero.probability((0, 0)) == 0 and zero.support == ((1, 0),)
    joint = load_doc(game_doc(prior={"joint": [[["l", "-"], "1"]]}))
    assert joint.probability((0, 0)) == 0 and joint.probability((1, 0)) == 1


def test_symbolic_independent_prior_round_trips():
    doc = game_doc(
        parameters={"q": "probability"},
        players=[
            {"name": "a", "types": ["s", "t"], "actions": ["x"]},
            {"name": "b", "types": ["s", "t"], "actions": ["x"]},
        ],
        prior={"independent": {"a": {"s": "q", "t": "1-q"}, "b": {"s": "q", "t": "1-q"}}},
        rewards=[{"actions": ["*", "*"], "values": ["q", 0]}],
    )
    game = load_doc(doc)
    q = game.parameters[0].symbol
    assert game.probability((0, 1)) == q * (1 - q)
    same_game(game, loads(dumps(game)))
    doc["prior"]["independent"]["b"] = {"s": "q^2", "t": "1 - q^2"}
    with pytest.raises(
        ProbabilityError,
        match=r"prior.independent.b.t: probability 1 - q\*\*2 is "
        r"not provably nonnegative",
    ):
        load_doc(doc)


def test_records_wildcards_and_single_player_values():
    game = load_doc(
        game_doc(
            rewards=[
                {"types": ["h", "*"], "actions": ["*", "*"], "values": ["1/2", "-1/2"]},
                {"player": "row", "types": ["l", "-"], "actions": ["U", "*"], "value": 3},
                {"player": "row", "types": ["l", "-"], "actions": ["D", "*"], "value": -3},
                {"player": "col", "types": ["l", "*"], "actions": ["*", "L"], "value": "2"},
                {"player": "col", "types": ["l", "*"], "actions": ["*", "R"], "value": "-2"},
            ]
        )
    )
    assert game.reward(0, (0, 0), (1, 1)) == R(1, 2)
    assert game.reward(0, (1, 0), (1, 0)) == -3 and game.reward(1, (1, 0), (0, 1)) == -2


def test_records_may_cover_cells_outside_the_support():
    game = load_doc(game_doc(prior={"joint": [[["h", "-"], 1]]}))  # rewards cover l too
    assert game.unset is None and game.reward(0, (1, 0), (0, 0)) == 1
    gap_outside = load_doc(
        game_doc(
            prior={"joint": [[["h", "-"], 1]]},
            rewards=[{"types": ["h", "*"], "actions": ["*", "*"], "values": [1, -1]}],
        )
    )
    assert gap_outside.reward(0, (1, 0), (0, 0)) is None
    with pytest.raises(CoverageError, match=r"rewards\[0\] and rewards\[1\] both set"):
        load_doc(
            game_doc(
                prior={"joint": [[["h", "-"], 1]]},
                rewards=[
                    {"actions": ["*", "*"], "values": [1, -1]},
                    {"types": ["l", "-"], "actions": ["U", "L"], "values": [1, -1]},
                ],
            )
        )


def test_constant_sum_checked():
    assert load_doc(game_doc(constant_sum="0")).n_players == 2
    with pytest.raises(
        ConstantSumError,
        match=r"doc\.json: constant_sum: declared 1, but the "
        r"rewards sum to 0",
    ):
        load_doc(game_doc(constant_sum=1))


def test_type_dependent_example():
    game = load_game(DATA / "type_dependent.json")
    assert game.support == ((0, 0), (1, 1))
    assert game.reward(0, (0, 0), (0, 0)) == 1 and game.reward(0, (1, 1), (0, 0)) == -1


# -- exact numbers -----------------------------------------------------------------


def test_decimals_are_exact():
    game = load_doc(game_doc(rewards=[{"actions": ["*", "*"], "values": ["0.1", "-0.1"]}]))
    game2 = loads(
        '{"format": "exactpower/game-v1", "players": [{"name": "a", "actions": ["x"]}],'
        ' "rewards": [{"actions": ["x"], "values": [0.1]}]}'
    )
    for v in (game.reward(0, (0, 0), (0, 0)), game2.reward(0, (0,), (0,))):
        assert v == R(1, 10) and isinstance(v, sympy.Rational)
    big = loads(
        '{"format": "exactpower/game-v1", "players": [{"name": "a", "actions": ["x"]}],'
        ' "rewards": [{"actions": ["x"], "values": [1.0000000000000001]}]}'
    )
    assert big.reward(0, (0,), (0,)) != 1
    assert big.reward(0, (0,), (0,)) == R(10**16 + 1, 10**16)
    exp = loads(
        '{"format": "exactpower/game-v1", "players": [{"name": "a", "actions": ["x"]}],'
        ' "rewards": [{"actions": ["x"], "values": [2.5E-3]}]}'
    )
    assert exp.reward(0, (0,), (0,)) == R(1, 400)
    integer = loads(
        '{"format": "exactpower/game-v1", "players": [{"name": "a", "actions": ["x"]}],'
        ' "rewards": [{"actions": ["x"], "values": [12345678901234567890123]}]}'
    )
    assert integer.reward(0, (0,), (0,)) == 12345678901234567890123


def test_probabilities_summing_to_almost_one_refused():
    text = (DATA / "bad" / "probability_sum.json").read_text()
    with pytest.raises(ProbabilityError, match="sum to 10000000000000001/10000000000000000"):
        loads(text)


# -- bad input: fixtures -----------------------------------------------------------


def test_every_bad_fixture_is_listed():
    assert sorted(p.name for p in BAD.glob("*.json")) == sorted(BAD_CASES)


@pytest.mark.parametrize("name", sorted(BAD_CASES))
def test_bad_fixture(name):
    error, place = BAD_CASES[name]
    path = BAD / name
    with pytest.raises(error) as info:
        if name.startswith("profile_"):
            load_profile(path, load_game(DATA / "pennies.json"))
        else:
            load(path)
    message = str(info.value)
    assert message.startswith(f"{path}: {place}: "), message
    assert "\n" not in message
    assert isinstance(info.value, GameError)


def test_code_in_a_value_is_not_run(tmp_path):
    target = tmp_path / "pwned"
    for text in (
        f"__import__('os').system('touch {target}')",
        f"open('{target}', 'w')",
        "().__class__.__bases__[0]",
        "exec('1')",
        "1 if x else 2",
    ):
        with pytest.raises(GameError):
            load_doc(game_doc(rewards=[{"actions": ["*", "*"], "values": [text, 0]}]))
    assert not target.exists()
    with pytest.raises(ExpressionError):
        load(BAD / "runs_code.json")
    assert not pathlib.Path("/tmp/pwned_exactpower").exists()


# -- bad input: inline -------------------------------------------------------------


@pytest.mark.parametrize(
    "doc, error, place",
    [
        ({"players": []}, FileFormatError, "top level"),
        (game_doc(format=1), FileFormatError, "format"),
        (game_doc(extra=1), FileFormatError, "extra"),
        (game_doc(title=3), FileFormatError, "title"),
        (game_doc(parameters={"x y": "real"}), ParameterError, 'parameters["x y"]'),
        (game_doc(parameters={"x": 1}), FileFormatError, "parameters.x"),
        (game_doc(players={}), FileFormatError, "players"),
        (game_doc(players=[]), GameStructureError, "players"),
        (game_doc(players=[{"name": "", "actions": ["a"]}]), GameStructureError, "players[0].name"),
        (
            game_doc(players=[{"name": "a", "actions": []}]),
            GameStructureError,
            "players[0].actions",
        ),
        (game_doc(players=[{"name": "a"}]), FileFormatError, "players[0]"),
        (
            game_doc(players=[{"name": "a", "types": ["t", ""], "actions": ["x"]}]),
            GameStructureError,
            "players[0].types[1]",
        ),
        (game_doc(prior=[]), FileFormatError, "prior"),
        (game_doc(prior={}), FileFormatError, "prior"),
        (game_doc(prior={"independent": {}, "joint": []}), FileFormatError, "prior"),
        (
            game_doc(prior={"independent": {"nobody": {}}}),
            GameStructureError,
            "prior.independent.nobody",
        ),
        (
            game_doc(prior={"independent": {"row": {"x": 1}}}),
            GameStructureError,
            "prior.independent.row.x",
        ),
        (
            game_doc(prior={"independent": {"row": {"h": "1/2", "l": "1/3"}}}),
            ProbabilityError,
            "prior.independent.row",
        ),
        (game_doc(prior={"joint": [[["h"], 1]]}), GameStructureError, "prior.joint[0][0]"),
        (game_doc(prior={"joint": [["h", "-", 1]]}), GameStructureError, "prior.joint[0]"),
        (game_doc(prior={"joint": [[["h", "-"], True]]}), FileFormatError, "prior.joint[0][1]"),
        (game_doc(prior={"joint": [[["h", "-"], None]]}), FileFormatError, "prior.joint[0][1]"),
        (game_doc(prior={"joint": []}), ProbabilityError, "prior.joint"),
        (game_doc(rewards={}), FileFormatError, "rewards"),
        (game_doc(rewards=[[]]), FileFormatError, "rewards[0]"),
        (game_doc(rewards=[{"actions": ["*", "*"]}]), FileFormatError, "rewards[0]"),
        (game_doc(rewards=[{"values": [1, 1]}]), FileFormatError, "rewards[0]"),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "player": "row"}]),
            FileFormatError,
            "rewards[0]",
        ),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "values": [1, 1], "value": 1}]),
            FileFormatError,
            "rewards[0]",
        ),
        (
            game_doc(rewards=[{"actions": ["*"], "values": [1, 1]}]),
            GameStructureError,
            "rewards[0].actions",
        ),
        (
            game_doc(rewards=[{"actions": "*", "values": [1, 1]}]),
            FileFormatError,
            "rewards[0].actions",
        ),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "values": [1, [1]]}]),
            FileFormatError,
            "rewards[0].values[1]",
        ),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "values": [1, ""]}]),
            ExpressionError,
            "rewards[0].values[1]",
        ),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "values": [1, "2^0.5"]}]),
            ExpressionError,
            "rewards[0].values[1]",
        ),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "values": [1, "1" * 101]}]),
            LimitError,
            "rewards[0].values[1]",
        ),
        (
            game_doc(rewards=[{"actions": ["*", "*"], "values": [1, "1/0"]}]),
            ExpressionError,
            "rewards[0].values[1]",
        ),
        (
            game_doc(
                parameters={"q": "probability"},
                prior={"joint": [[["h", "-"], "q"], [["l", "-"], "1/2"]]},
            ),
            ProbabilityError,
            "prior.joint",
        ),
        (
            game_doc(
                parameters={"x": "real"},
                prior={"joint": [[["h", "-"], "x"], [["l", "-"], "1 - x"]]},
            ),
            ProbabilityError,
            "prior.joint[0][1]",
        ),
        (game_doc(constant_sum="x"), ParameterError, "constant_sum"),
    ],
)
def test_bad_document(doc, error, place):
    with pytest.raises(error) as info:
        load_doc(doc)
    assert str(info.value).startswith(f"doc.json: {place}: "), str(info.value)


@pytest.mark.parametrize(
    "text, error, place",
    [
        ("", FileFormatError, "line 1 column 1"),
        (
            '{"format": "exactpower/game-v1", "players": [Infinity], "rewards": []}',
            FileFormatError,
            "players[0]",
        ),
        (
            '{"format": "exactpower/game-v1", "players": [{"name": "a", "actions": ["x"]}], '
            '"rewards": [{"actions": ["x"], "values": [-Infinity]}]}',
            FileFormatError,
            "rewards[0].values[0]",
        ),
        (
            '{"format": "exactpower/game-v1", "format": "exactpower/game-v1"}',
            FileFormatError,
            "top level",
        ),
        ("[" * 100_000 + "]" * 100_000, (LimitError, FileFormatError), "top level"),
        (b'{"format": "\xff"}', FileFormatError, "byte 12"),
        ('{"title": "x"}', FileFormatError, "top level"),
    ],
)
def test_bad_text(text, error, place):
    with pytest.raises(error) as info:
        loads(text, source="t.json")
    assert str(info.value).startswith(f"t.json: {place}"), str(info.value)


def test_limits(monkeypatch):
    text = (DATA / "pennies.json").read_text()
    monkeypatch.setattr(limits, "MAX_FILE_BYTES", 100)
    with pytest.raises(LimitError, match=r"t\.json: top level: .* over the limit MAX_FILE_BYTES"):
        loads(text, source="t.json")
    with pytest.raises(LimitError, match="MAX_FILE_BYTES"):
        load(DATA / "pennies.json")
    with pytest.raises(LimitError, match="MAX_FILE_BYTES"):
        load(io.BytesIO(text.encode()))
    monkeypatch.undo()
    many = [{"name": f"p{i}", "actions": ["a"]} for i in range(limits.MAX_PLAYERS + 1)]
    with pytest.raises(LimitError, match=r"doc\.json: players: 16 players"):
        load_doc(game_doc(players=many))
    wide = [
        {"name": "a", "actions": [str(k) for k in range(1001)]},
        {"name": "b", "actions": [str(k) for k in range(1001)]},
    ]
    with pytest.raises(LimitError, match=r"doc\.json: players: 2004002 reward cells"):
        load_doc(game_doc(players=wide))
    with pytest.raises(LimitError, match=r"doc.json: players\[0\].name: 101 characters"):
        load_doc(game_doc(players=[{"name": "n" * 101, "actions": ["a"]}]))
    monkeypatch.setattr(limits, "MAX_RECORDS", 1)
    with pytest.raises(LimitError, match=r"doc\.json: rewards: 2 records"):
        load_doc(game_doc(rewards=[{"actions": ["*", "*"], "values": [1, 1]}] * 2))


def test_load_missing_file_is_oserror(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(tmp_path / "none.json")


# -- profiles ----------------------------------------------------------------------


def test_profile_document_and_binding():
    game = load_game(DATA / "pennies.json")
    doc = load(DATA / "pennies_profile.json")
    assert isinstance(doc, ProfileDocument) and doc.source.endswith("pennies_profile.json")
    profile = doc.to_profile(game)
    assert profile.strategies[0][1] == (R(1, 4), R(3, 4))
    assert profile.strategies[0][1][1] == R(3, 4) and isinstance(
        profile.strategies[0][1][1], sympy.Rational
    )
    assert load_profile(DATA / "pennies_profile.json", game).strategies == profile.strategies
    with pytest.raises(FileFormatError, match="format: expected 'exactpower/game-v1'"):
        load_game(DATA / "pennies_profile.json")


def test_profile_forms_and_errors():
    game = load_game(DATA / "symbolic.json")
    profile = load_profile(DATA / "symbolic_profile.json", game)
    q = game.parameters[1].symbol
    assert profile.strategies[1][0] == (q, 1 - q)
    text = '{"format": "exactpower/profile-v1", "strategies": %s}'
    single = loads_profile(text % '{"row": {"h": "D", "l": "U"}, "col": {"-": "R"}}', game)
    assert single.strategies[1][0] == (0, 1)
    for strategies, error, place in [
        ('{"row": {"h": "D", "l": "U"}}', ProfileError, "strategies"),
        ('{"row": "D", "col": "R"}', FileFormatError, "strategies.row"),
        (
            '{"row": {"h": "D", "l": "U"}, "col": {"L": "2", "R": "-1"}}',
            ProbabilityError,
            "strategies.col.L",
        ),
        (
            '{"row": {"h": "D", "l": "U"}, "col": {"L": "x", "R": "1 - x"}}',
            ProbabilityError,
            "strategies.col.L",
        ),
        (
            '{"row": {"h": "D", "l": "U"}, "col": {"L": "y", "R": "1 - y"}}',
            ParameterError,
            "strategies.col.L",
        ),
        ('{"row": {"h": "D", "l": 1}, "col": "L"}', FileFormatError, "strategies.row.l"),
        ('{"row": {"h": "D", "l": "U", "l": "D"}, "col": "L"}', FileFormatError, "strategies.row"),
    ]:
        with pytest.raises(error) as info:
            loads_profile(text % strategies, game, source="p.json")
        assert str(info.value).startswith(f"p.json: {place}: "), str(info.value)
    with pytest.raises(FileFormatError, match=r"p\.json: game: unknown key 'game'"):
        loads('{"format": "exactpower/profile-v1", "strategies": {}, "game": 1}', source="p.json")


# -- schemas -----------------------------------------------------------------------


def _good_files():
    return sorted(DATA.glob("*.json")) + sorted(EXAMPLES.glob("*.json"))


@pytest.mark.parametrize("path", _good_files(), ids=lambda p: p.name)
def test_good_files_validate_against_the_schema(path):
    doc = json.loads(path.read_text(encoding="utf-8"))
    name = doc["format"].removeprefix("exactpower/")
    if name in ("tree-v1", "behaviour-v1"):  # game trees (read by tests/cli/test_cli_trees.py)
        folder = pathlib.Path(__file__).resolve().parents[2] / "exactpower" / "io" / "schemas"
        tree_schema = json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8"))
        jsonschema.validate(doc, tree_schema, cls=jsonschema.Draft202012Validator)
        return
    jsonschema.Draft202012Validator.check_schema(schema(name))
    jsonschema.validate(doc, schema(name), cls=jsonschema.Draft202012Validator)
    loaded = load(path)
    assert isinstance(loaded, (BayesianGame, ProfileDocument))


@pytest.mark.parametrize(
    "name",
    [
        "unknown_key.json",
        "wrong_json_type.json",
        "wrong_format.json",
        "star_name.json",
        "not_an_object.json",
        "too_big.json",
        "duplicate_action.json",
    ],
)
def test_bad_documents_fail_the_schema_too(name):
    doc = json.loads((BAD / name).read_text(encoding="utf-8"))
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(doc, schema("game-v1"), cls=jsonschema.Draft202012Validator)


def test_bad_profile_fails_the_schema():
    bad = {"format": "exactpower/profile-v1", "strategies": {"row": {"h": {"U": True}}}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, schema("profile-v1"), cls=jsonschema.Draft202012Validator)
    with pytest.raises(ValueError):
        schema("game-v9")


def test_schema_names():
    assert schema("exactpower/profile-v1") == schema("profile-v1")
    assert schema("game-v1")["$schema"].endswith("2020-12/schema")


# -- speed -------------------------------------------------------------------------


def test_large_game_loads_fast():
    tn, an = (
        [f"t{k}" for k in range(10)],
        [[f"a{k}" for k in range(25)], [f"b{k}" for k in range(20)]],
    )
    records = [
        f'{{"types": ["{t1}", "{t2}"], "actions": ["{a1}", "{a2}"], "values": ["{(i % 7) - 3}/{1 + i % 4}", {i % 11}]}}'
        for i, (t1, t2, a1, a2) in enumerate(
            (t1, t2, a1, a2) for t1 in tn for t2 in tn for a1 in an[0] for a2 in an[1]
        )
    ]
    # %-formatting: the JSON text is full of braces that str.format would need doubled.
    text = (
        '{"format": "exactpower/game-v1", "players": [{"name": "p", "types": %s, "actions": %s},'  # noqa: UP031
        ' {"name": "q", "types": %s, "actions": %s}], "rewards": [%s]}'
        % (json.dumps(tn), json.dumps(an[0]), json.dumps(tn), json.dumps(an[1]), ",".join(records))
    )
    start = time.perf_counter()
    game = loads(text)
    elapsed = time.perf_counter() - start
    assert 2 * math.prod(game.type_shape) * math.prod(game.action_shape) == 100_000
    assert game.reward(1, (9, 9), (24, 19)) == (len(records) - 1) % 11
    assert elapsed < 10, elapsed  # about a second on a laptop; generous for CI
    wild = loads(
        '{"format": "exactpower/game-v1", "players": [{"name": "p", "types": %s, '  # noqa: UP031
        '"actions": %s}, {"name": "q", "types": %s, "actions": %s}], "rewards": '
        '[{"actions": ["*", "*"], "values": [1, -1]}]}'
        % (json.dumps(tn), json.dumps(an[0]), json.dumps(tn), json.dumps(an[1]))
    )
    assert wild.reward(0, (3, 4), (5, 6)) == 1


def test_profile_round_trip_when_type_and_action_names_collide():
    # from_arrays names types and actions "0", "1", ...: {"0": "1"} is type 0 playing
    # action 1 (the per-type form), never "action 0 with probability 1".
    import numpy as np

    from exactpower import BayesianGame, StrategyProfile
    from exactpower.io import dumps, loads_profile

    game = BayesianGame.from_arrays(np.zeros((2, 1, 2, 2, 2), dtype=np.int64))
    profile = StrategyProfile.from_dict(
        game, {"1": "1", "2": {"0": "0", "1": {"0": "1/3", "1": "2/3"}}}
    )
    assert profile.strategies[0] == ((0, 1),)
    assert loads_profile(dumps(profile), game).strategies == profile.strategies
    assert loads_profile(
        '{"format": "exactpower/profile-v1", "strategies": '
        '{"1": {"0": "1"}, "2": {"0": "0", "1": "1"}}}',
        game,
    ).strategies[0] == ((0, 1),)
