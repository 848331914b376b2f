"""Reading proof traces (issue 8, items 1, 2, 3, 5, 7a, 9): one exact JSON reader end to end,
duplicate keys refused, no name capture by ``Max``, limits before the work they limit, exact
key sets in every record, and one reader for both trace formats.

Each test names the item it covers; each failed on the reader before issue 8 (which used
``json.loads``, re-serialised the embedded game with ``json.dumps``, cut ``Max(...)`` out of a
value into placeholder names, and ignored unknown keys below the top level).
"""

from __future__ import annotations

import ast
import json
import time
from pathlib import Path

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import proofs
from exactpower import BayesianGame, GameError, LimitError, ParameterError, StrategyProfile
from exactpower.errors import FileFormatError
from exactpower.exact import parse_expression
from exactpower.io import json_files as files
from exactpower.io.json_reader import JSONNumber, read_json
from proofs import ProofError, ShapeTrace, Trace, check, check_shape, power_scarcity, reading
from proofs.reading import MAX_TRACE_BYTES, check_trace, load_trace, read_trace
from proofs.trace import MAX_VALUE_LENGTH, parse_value

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"


def example(game_name, profile_name):
    game = files.load_game(EXAMPLES / f"{game_name}.json")
    return power_scarcity(game, files.load_profile(EXAMPLES / f"{profile_name}.json", game))


@pytest.fixture(scope="module")
def pennies():
    return example("matching-pennies", "matching-pennies-pure").to_json()


@pytest.fixture(scope="module")
def poker():
    return example("poker", "poker-honest").to_json()


@pytest.fixture(scope="module")
def scaled():
    return example("scaled-pennies", "scaled-pennies-pure").to_json()


def refused(text, *fragments):
    with pytest.raises(ProofError) as info:
        Trace.from_json(text)
    for fragment in fragments:
        assert fragment in str(info.value), (fragment, str(info.value))
    return str(info.value)


def edited(text, edit):
    data = json.loads(text)
    edit(data)
    return json.dumps(data, ensure_ascii=False)


# -- item 1: numbers are read exactly, end to end ------------------------------------------


def test_game_rewards_near_one_are_read_exactly(pennies):
    text = pennies.replace('"values": ["1", "-1"]', '"values": [0.99999999999999999, -1]', 1)
    assert text != pennies
    trace = Trace.from_json(text)
    reward = trace.game.reward(0, (0, 0), (0, 0))
    assert isinstance(reward, sympy.Rational) and reward == 1 - sympy.Rational(1, 10**17)
    verdict = check(trace)
    assert not verdict.ok  # the game is not constant-sum: the trace's claim is false
    assert "constant" in verdict.message or "trace says" in verdict.message, verdict.message


def test_prior_that_does_not_sum_to_one_is_refused(poker):
    prior = '"prior": {"joint": [[["K", "-"], 0.50000000000000001], [["Q", "-"], 0.5]]}, '
    text = poker.replace('"players": [', prior + '"players": [', 1)
    refused(
        text,
        "trace: game: prior.joint: probabilities sum to "
        "100000000000000001/100000000000000000, not 1",
    )


def test_profile_numbers_are_read_exactly(pennies):
    data = json.loads(pennies)
    data["profile"]["strategies"]["row"] = {"-": {"H": "PLACEHOLDER", "T": 0.5}}
    text = json.dumps(data).replace('"PLACEHOLDER"', "0.50000000000000001")
    refused(text, "trace: profile: strategies.row", "not 1")


def test_json_number_where_a_value_is_expected_is_refused(pennies):
    text = edited(pennies, lambda d: d["steps"][5].__setitem__("value", 0))
    refused(
        text, "trace: steps[5].value: expected an exact value as a string, got 0 (a JSON number"
    )
    text = pennies.replace('"gap": "', '"gap": 0.99999999999999999, "x": "', 1)
    refused(text, "unknown key 'x'")  # the record's keys are checked before its values


def test_integers_must_be_integer_literals(pennies):
    for bad, shown in ((1.0, "the number 1.0"), ("1", "a string"), (True, "true")):
        text = edited(pennies, lambda d, b=bad: d["steps"][0].__setitem__("index", b))
        refused(text, "trace: steps[0].index: expected an integer", shown)
    refused(pennies.replace('"index": 1', '"index": 1' + "0" * 30, 1), "at most 18 digits")


def test_flags_must_be_booleans_or_null(pennies):
    text = edited(pennies, lambda d: d["equality"].__setitem__("holds", "false"))
    refused(text, "trace: equality.holds: expected true, false or null, got a string")


def test_trace_readers_use_the_exact_json_reader():
    """No stdlib JSON parsing on the reading path: only exactpower's read_json."""
    for name in ("trace.py", "shape.py", "reading.py"):
        tree = ast.parse((ROOT / "proofs" / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
                assert not (
                    node.value.id == "json"
                    and node.attr in ("loads", "load", "JSONDecoder", "decoder")
                ), (name, node.attr)
            if isinstance(node, ast.ImportFrom) and node.module == "json":
                pytest.fail(f"{name} imports from json: {[a.name for a in node.names]}")


def test_both_readers_call_read_json(monkeypatch, pennies):
    calls = []

    def spy(text, source, **kwargs):
        calls.append(source)
        return read_json(text, source, **kwargs)

    real_loads = json.loads

    def exact_only(*args, **kwargs):  # read_json itself calls json.loads with exact hooks
        if "parse_float" not in kwargs:
            pytest.fail("json.loads was called without exactpower's exact number hooks")
        return real_loads(*args, **kwargs)

    monkeypatch.setattr(reading, "read_json", spy)
    monkeypatch.setattr(json, "loads", exact_only)
    assert check(Trace.from_json(pennies)).ok
    shape = proofs.shape_theorem(1, 1, 2)
    assert ShapeTrace.from_json(shape.to_json()) == shape
    assert calls == ["trace", "shape trace"]


# -- item 2: duplicate keys ------------------------------------------------------------------


def test_two_game_keys_are_refused(pennies, poker):
    other = json.dumps(json.loads(poker)["game"])
    text = pennies.replace('"game": {', f'"game": {other},\n "game": {{', 1)
    refused(text, "trace: top level: duplicate key 'game'")


@pytest.mark.parametrize(
    "old,new,place",
    [
        ('"rule": "linearity"', '"rule": "linearity", "rule": "linearity"', "steps[3]"),
        ('"bound": "0"', '"bound": "0", "bound": "1"', "conclusion"),
        ('"H": "1"', '"H": "1", "H": "0"', None),
    ],
)
def test_duplicate_keys_anywhere_are_refused(pennies, old, new, place):
    assert old in pennies, old
    message = refused(pennies.replace(old, new, 1), "duplicate key")
    if place:
        assert f"trace: {place}: duplicate key" in message


def test_duplicate_keys_in_a_shape_trace_are_refused():
    text = (
        proofs.shape_theorem(1, 1, 2)
        .to_json()
        .replace('"theorem": ', '"theorem": "x", "theorem": ', 1)
    )
    with pytest.raises(ProofError, match="shape trace: top level: duplicate key 'theorem'"):
        ShapeTrace.from_json(text)


# -- item 3: no name capture -----------------------------------------------------------------


def test_max_placeholder_name_is_an_undeclared_name(scaled):
    with pytest.raises(ParameterError, match="undeclared parameter '_max0_'"):
        parse_value(
            "Max(x, 1) + _max0_",
            [files.loads(json.dumps(json.loads(scaled)["game"])).parameters[0]],
        )
    text = edited(scaled, lambda d: d["steps"][0].__setitem__("value", "Max(x, 1) + _max0_"))
    refused(text, "trace: steps[0].value: undeclared parameter '_max0_'")


def test_max_is_part_of_the_grammar_only_when_allowed():
    x = sympy.Symbol("x", real=True)
    assert parse_expression(
        "Max(x, 1/2, Max(1, -x)) * 2", {"x": x}, allow_max=True
    ) == 2 * sympy.Max(x, 1, -x)
    with pytest.raises(ParameterError, match="undeclared parameter 'Max'"):
        parse_expression("Max(x)", {"x": x})  # game files refuse it
    with pytest.raises(GameError, match="unexpected character ','"):
        parse_expression("Max(x, 1)", {"x": x})
    for bad in ("Max()", "Max(1,)", "Max(1", "Max 1", "max(1, 2)", "Max(1, 2)(3)"):
        with pytest.raises(GameError):
            parse_value(bad)
    assert parse_value("Max(3, 1/2)") == 3 and isinstance(parse_value("Max(3, 1/2)"), sympy.Integer)


# -- item 7a: limits before the work --------------------------------------------------------


def test_long_max_chain_is_refused_fast(scaled):
    chain = "Max(1, 2)+" * 16_000 + "0"  # 160 KB
    start = time.perf_counter()
    with pytest.raises(LimitError, match="MAX_VALUE_LENGTH"):
        parse_value(chain)
    text = edited(scaled, lambda d: d["steps"][0].__setitem__("value", chain))
    refused(
        text,
        "trace: steps[0].value: the value has 160001 characters, over the limit MAX_VALUE_LENGTH",
    )
    assert time.perf_counter() - start < 1.0


def test_values_under_the_limit_parse_in_linear_time():
    x = sympy.Symbol("x", real=True)
    terms = [f"{k}*x*Max(x, x^2 - {k})" for k in range(1, 3500)]
    text = " + ".join(terms)
    assert len(text) < MAX_VALUE_LENGTH
    start = time.perf_counter()
    value = parse_expression(text, {"x": x}, allow_max=True, max_length=MAX_VALUE_LENGTH)
    assert time.perf_counter() - start < 5.0
    assert isinstance(value, sympy.Add) and len(value.args) == len(terms)


def test_whole_trace_size_is_checked_before_parsing():
    start = time.perf_counter()
    with pytest.raises(ProofError, match="over the limit MAX_TRACE_BYTES"):
        read_trace("[" * (MAX_TRACE_BYTES + 1))
    with pytest.raises(ProofError, match="over the limit MAX_TRACE_BYTES"):
        Trace.from_json(b" " * (MAX_TRACE_BYTES + 1))
    assert time.perf_counter() - start < 1.0


def test_deep_nesting_is_refused(pennies):
    deep = '{"terms": ' + "[" * 40 + '"x"' + "]" * 40 + "}"
    text = pennies.replace('"premises": {}', f'"premises": {deep}', 1)
    refused(text, "nested deeper than MAX_PREMISE_DEPTH")
    refused("[" * 100_000 + "]" * 100_000, "trace: top level")


# -- item 5: exact key sets -----------------------------------------------------------------

RECORDS = {
    "top level": lambda d: d,
    "steps[1]": lambda d: d["steps"][1],
    "equality": lambda d: d["equality"],
    "equality.slacks[0]": lambda d: d["equality"]["slacks"][0],
    "conclusion": lambda d: d["conclusion"],
}


@pytest.mark.parametrize("place", RECORDS)
def test_unknown_keys_are_refused(poker, place):
    text = edited(poker, lambda d: RECORDS[place](d).__setitem__("trust", "me"))
    refused(text, f"trace: {place}: ", "has unknown key 'trust'")


@pytest.mark.parametrize("place", RECORDS)
def test_missing_keys_are_refused(poker, place):
    data = json.loads(poker)
    key = next(k for k in RECORDS[place](data) if k != "format")
    text = edited(poker, lambda d: RECORDS[place](d).pop(key))
    refused(text, f"trace: {place}: ", f"has no key {key!r}")


def test_deviation_keys_are_exact(poker):
    data = json.loads(poker)
    k = next(k for k, r in enumerate(data["equality"]["slacks"]) if r["deviation"])
    text = edited(poker, lambda d: d["equality"]["slacks"][k]["deviation"].update(why="x"))
    refused(text, f"trace: equality.slacks[{k}].deviation: a deviation has unknown key 'why'")


def test_annotations_only_at_top_level(poker):
    assert check(
        Trace.from_json(edited(poker, lambda d: d.update(comment="c", expected_rejection="e")))
    ).ok
    refused(edited(poker, lambda d: d.update(comment=1)), "trace: comment: expected a string")
    text = edited(poker, lambda d: d["steps"][0].__setitem__("comment", "c"))
    refused(text, "trace: steps[0]: a step has unknown key 'comment'")


@pytest.mark.parametrize("place", ["top level", "shape", "hypotheses[0]", "steps[0]", "equality"])
def test_shape_trace_keys_are_exact(place):
    data = proofs.shape_theorem(2, 1, 2).to_data()
    get = {
        "top level": lambda d: d,
        "shape": lambda d: d["shape"],
        "hypotheses[0]": lambda d: d["hypotheses"][0],
        "steps[0]": lambda d: d["steps"][0],
        "equality": lambda d: d["equality"],
    }[place]
    get(data)["trust"] = "me"
    where = place.replace("[", ".").replace("]", ".")
    with pytest.raises(ProofError, match=rf"shape trace: {where}: .* has unknown key 'trust'"):
        ShapeTrace.from_json(json.dumps(data))
    del get(data)["trust"]
    key = next(k for k in get(data) if k != "format")
    del get(data)[key]
    with pytest.raises(ProofError, match=f"has no key '{key}'"):
        ShapeTrace.from_data(data)


def test_from_data_refuses_floats(poker):
    data = Trace.from_json(poker).to_data()
    data["steps"][0]["index"] = 1.0
    with pytest.raises(ProofError, match=r"trace: steps\[0\].index: float 1.0 is not exact"):
        Trace.from_data(data)


# -- item 9: one reader for both formats -----------------------------------------------------


def test_read_trace_dispatches_on_the_format(pennies, tmp_path):
    shape = proofs.shape_theorem(2, 1, 2, constant_sum=False)
    assert read_trace(shape.to_json()) == shape
    assert isinstance(read_trace(pennies), Trace)
    trace, verdict = check_trace(shape.to_json())
    assert verdict.ok and "valid for every game of shape 2x1x2" in verdict.message
    assert check_shape(trace).ok
    trace, verdict = check_trace(pennies.encode("utf-8"))
    assert isinstance(trace, Trace) and verdict.ok
    path = tmp_path / "shape.json"
    path.write_text(shape.to_json(), encoding="utf-8")
    assert load_trace(path) == shape
    broken = json.loads(shape.to_json())
    broken["steps"][2]["polynomial"][0][0] = "2"
    trace, verdict = check_trace(json.dumps(broken))
    assert not verdict.ok and verdict.step == 3


def test_a_game_is_not_a_trace():
    text = (EXAMPLES / "poker.json").read_text(encoding="utf-8")
    for read in (read_trace, Trace.from_json, ShapeTrace.from_json):
        with pytest.raises(ProofError, match=r"format: this is a game .*, not a trace"):
            read(text)
    profile = (EXAMPLES / "poker-honest.json").read_text(encoding="utf-8")
    with pytest.raises(ProofError, match="this is a profile"):
        read_trace(profile)
    with pytest.raises(ProofError, match="format must be 'exactpower/trace-v1', not the number 1"):
        read_trace('{"format": 1}')


# -- the exact JSON reader itself ------------------------------------------------------------


def test_read_json_is_exact_and_refuses_duplicates():
    tree = read_json('{"a": [1e400, -0.0, 12345678901234567890123]}')
    assert [type(v) for v in tree["a"]] == [JSONNumber] * 3
    assert [v.text for v in tree["a"]] == ["1e400", "-0.0", "12345678901234567890123"]
    with pytest.raises(FileFormatError, match=r"s: a\[1\].b: duplicate key 'c'"):
        read_json('{"a": [{}, {"b": {"c": 1, "c": 1}}]}', "s")
    game = files.game_from_tree(read_json((EXAMPLES / "poker.json").read_text()), "g")
    assert files.dumps(game) == files.dumps(files.load_game(EXAMPLES / "poker.json"))
    mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    assert files.to_data(mp) == json.loads(files.dumps(mp))
    profile = StrategyProfile.uniform(mp)
    back = files.profile_from_tree(read_json(files.dumps(profile)), mp)
    assert back.strategies == profile.strategies
    assert all(
        isinstance(v, sympy.Rational) for rows in back.strategies for row in rows for v in row
    )


# -- hostile input: only ProofError, never another exception ----------------------------------


def _sites(node, path=()):
    yield path
    if isinstance(node, (dict, list)):
        items = node.items() if isinstance(node, dict) else enumerate(node)
    else:
        items = ()
    for k, v in items:
        yield from _sites(v, (*path, k))


LEAVES = st.one_of(
    st.sampled_from(
        ["0.99999999999999999", "1e400", "-0.0", "NaN", "12345678901234567890", "1.5", "2"]
    ).map(lambda t: ("number", t)),
    st.sampled_from(
        [
            "Max(x, 1) + _max0_",
            "Max()",
            "Max(1, 2)" * 3,
            "1/0",
            "x^99",
            "y",
            "__import__('os')",
            "1/3",
            "Max(Max(Max(1)))",
            "",
        ]
    ).map(lambda t: ("string", t)),
    st.sampled_from([True, False, None, {}, [], {"trust": "me"}]).map(lambda v: ("json", v)),
)


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_hostile_edits_give_proof_errors_only(scaled, data):
    tree = json.loads(scaled)
    sites = list(_sites(tree))
    path = data.draw(st.sampled_from(sites[1:]), label="path")
    kind, leaf = data.draw(LEAVES, label="leaf")
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = "@@LEAF@@" if kind == "number" else leaf
    text = json.dumps(tree)
    if kind == "number":
        text = text.replace('"@@LEAF@@"', leaf)
    duplicate = data.draw(st.booleans(), label="duplicate key")
    if duplicate:
        text = text.replace('"theorem": ', '"theorem": "x", "theorem": ', 1)
    start = time.perf_counter()
    try:
        trace = Trace.from_json(text)
    except ProofError:
        pass
    else:
        assert not duplicate
        check(trace)  # never raises
    assert time.perf_counter() - start < 20
