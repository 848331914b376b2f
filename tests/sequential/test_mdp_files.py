"""MDP files: POWERplay's Graphviz ``.gv`` (MDPs, joint MDPs, policies) and mdp-v1 JSON.

The POWERplay files in tests/data/powerplay are copied unchanged from its repository
(see the LICENSE.md there).  Their counts are checked against an independent regex count
of the raw text, and the gridworld against exactpower's own gridworld builder.
"""

from __future__ import annotations

import json
import random
import re
from fractions import Fraction
from importlib import resources
from pathlib import Path

import jsonschema
import pytest
import sympy

from exactpower.errors import FileFormatError, GameError, MDPError, ProbabilityError
from exactpower.exact import Parameter
from exactpower.io.dot import parse_dot
from exactpower.io.graphviz import joint_parts, load_gv, read_gv_joint, read_gv_mdp, read_gv_policy
from exactpower.io.mdp_json import (
    Gridworld,
    MDPDocument,
    dumps_mdp,
    load_mdp_file,
    loads_mdp,
    loads_rewards,
    mdp_to_data,
    rewards_to_data,
)
from exactpower.sequential.mdp import MDP, FiniteRewards, IidUniform
from tests.sequential.mdp_gen import random_mdp

DATA = Path(__file__).resolve().parents[1] / "data" / "powerplay"
PAPER = DATA / "mdp_from_paper.gv"
GRID = DATA / "3x3_gridworld.gv"
SELFLOOP = DATA / "gridworld_selfloop_3x3.gv"
STOCH4 = DATA / "stochastic_graph_4_states.gv"
JOINT = (
    DATA / "joint_1x3_gridworld_with_agent_H_forbidden_from_staying_when_agent_A_is_at_far_right.gv"
)
SIMULATED = DATA / (
    "stoch_1x3_gridworld_with_agent_A_moving_left_and_agent_H_forbidden_from_staying_"
    "when_agent_A_is_at_far_right_simulated.gv"
)
MOVE_LEFT = DATA / "joint_1x3_gridworld_agent_A_move_left.gv"
UNIFORM_3X3 = DATA / "joint_3x3_gridworld_agent_A_uniform_random.gv"


def raw_counts(path: Path) -> tuple[int, int]:
    """(states, actions) counted on the raw text, independently of the parser."""
    text = path.read_text(encoding="utf-8")
    edges = re.findall(r'^"([^"]*)" -> "([^"]*)"', text, re.M)
    if "weight" not in text:  # a graph MDP: nodes are states, edges actions
        declared = re.findall(r'^"([^"]*)";$', text, re.M)
        return len(declared), len(edges)
    states = re.findall(r'^"\[([^\]]*)\]";$', text, re.M)
    actions = [e for e in edges if e[0].count("]__[") == 0]
    return len(states), len(actions)


# -- POWERplay's files --------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", [PAPER, GRID, SELFLOOP, STOCH4, JOINT, SIMULATED], ids=lambda p: p.name[:30]
)
def test_powerplay_mdps_load_with_the_files_counts(path):
    mdp = read_gv_mdp(path)
    assert isinstance(mdp, MDP)
    states, actions = raw_counts(path)
    assert mdp.n_states == states
    assert sum(len(a) for a in mdp.actions) == actions
    for rows in mdp.transitions:
        for row in rows:
            assert all(isinstance(p, sympy.Rational) for _, p in row)
            assert sum(p for _, p in row) == 1


def test_the_hand_counts_of_the_powerplay_files():
    counts = {p.name: raw_counts(p) for p in (PAPER, GRID, STOCH4, JOINT, SIMULATED)}
    assert counts[PAPER.name] == (8, 15)
    assert counts[GRID.name] == (9, 33)
    assert counts[STOCH4.name] == (4, 9)
    assert counts[JOINT.name] == (9, 43)
    assert counts[SIMULATED.name] == (9, 18)


def test_the_paper_mdp_is_the_graph_written_by_hand():
    expected = MDP.graph(
        {
            "★": ["∅", "ℓ_◁", "r_▷"],
            "∅": ["∅"],
            "ℓ_◁": ["ℓ_↖", "ℓ_↙"],
            "r_▷": ["r_↗", "r_↘"],
            "ℓ_↖": ["ℓ_↙"],
            "ℓ_↙": ["ℓ_↖", "ℓ_↙"],
            "r_↗": ["r_↗", "r_↘"],
            "r_↘": ["r_↘", "r_↗"],
        }
    )
    gv = load_gv(PAPER)
    assert gv.kind == "graph" and gv.title == "POWER paper MDP"
    assert gv.mdp.states == expected.states
    assert gv.mdp.actions == expected.actions
    assert gv.mdp.transitions == expected.transitions


def _renamed(mdp: MDP, state, action) -> set:
    return {
        (state(mdp.states[s]), action(a), frozenset((state(mdp.states[t]), p) for t, p in row))
        for s in range(mdp.n_states)
        for a, row in zip(mdp.actions[s], mdp.transitions[s])
    }


def test_the_3x3_gridworld_file_is_exactpowers_gridworld():
    cell = lambda name: name.strip("()").replace(" ", "")  # noqa: E731
    move = {"up": "n", "down": "s", "left": "w", "right": "e", "stay": "stay"}
    ours = MDP.gridworld(3, 3)
    theirs = read_gv_mdp(GRID)
    assert load_gv(GRID).kind == "stochastic"
    assert _renamed(theirs, cell, move.__getitem__) == _renamed(ours, str, str)
    # the self-loop graph file is the same MDP, its actions named by their targets
    graph = read_gv_mdp(SELFLOOP)
    as_target = {(s, frozenset(t)) for s, _, t in _renamed(graph, cell, str)}
    assert as_target == {(s, frozenset(t)) for s, _, t in _renamed(ours, str, str)}


def test_stochastic_probabilities_are_the_decimal_text_exactly():
    m = read_gv_mdp(STOCH4)
    assert m.states == ("1", "2", "3", "4")
    row = dict(m.transitions[1][m.action_index("2", "R")])
    assert row == {1: sympy.Rational(1, 5), 2: sympy.Rational(4, 5)}
    assert dict(m.transitions[3][m.action_index("4", "L")]) == {
        2: sympy.Rational(9, 10),
        3: sympy.Rational(1, 10),
    }
    assert isinstance(row[1], sympy.Rational)


def test_a_state_only_entered_from_outside_is_a_start_state():
    m = read_gv_mdp(SIMULATED)  # agent A only starts at the far right: nothing leads there
    assert {m.states[s] for s in m.start} == {"0_H x 2_A", "1_H x 2_A", "2_H x 2_A"}


def test_joint_mdp_and_agent_a_policy():
    joint = read_gv_joint(JOINT)
    assert load_gv(JOINT).kind == "joint"
    assert len(joint.states) == 9
    far_right = [s for s, n in enumerate(joint.states) if joint_parts(n)[1] == "(0, 2)"]
    assert len(far_right) == 3
    for s in far_right:  # H is forbidden from staying when A is at the far right
        assert "stay" not in joint.h_actions[s]
    assert sum(len(h) * len(a) for h, a in zip(joint.h_actions, joint.a_actions)) == 43
    policy = read_gv_policy(MOVE_LEFT, joint)
    assert len(policy) == 9
    for dist in policy.values():
        assert sorted(dist.values()) == [0] * (len(dist) - 1) + [1]
        assert all(isinstance(p, sympy.Rational) for p in dist.values())
    assert policy["(0, 1)_H^(0, 1)_A"] == {"left": 1, "right": 0, "stay": 0}
    h = joint.induced_for_h(policy)
    s = h.state_index("(0, 0)_H^(0, 1)_A")
    row = h.transitions[s][h.action_index(s, "right")]
    assert [(h.states[t], p) for t, p in row] == [("(0, 1)_H^(0, 0)_A", 1)]


def test_float_written_policies_are_snapped_to_the_simplest_fraction():
    gv = load_gv(UNIFORM_3X3)
    assert gv.kind == "policy" and len(gv.policy) == 81
    sizes = {}
    for dist in gv.policy.values():
        assert sum(dist.values()) == 1
        (value,) = set(dist.values())
        assert value == sympy.Rational(1, len(dist))
        sizes[len(dist)] = sizes.get(len(dist), 0) + 1
    assert sizes == {3: 36, 4: 36, 5: 9}
    assert len(gv.notes) == 36  # only the thirds were written inexactly (0.3333333333333333)
    assert "1/3" in gv.notes[0]


SNAP = """strict digraph {{ "[x]" -> "[a]__[x]" [weight="{0}"]; "[x]" -> "[b]__[x]" [weight="{1}"];
"[x]" -> "[c]__[x]" [weight="{2}"]; }}"""


def test_snapping_needs_a_float_written_row_that_then_sums_to_one():
    third = "0.3333333333333333"
    assert load_gv(SNAP.format(third, third, third)).policy["x"]["a"] == sympy.Rational(1, 3)
    with pytest.raises(ProbabilityError, match="sum to 99999/100000, not 1"):
        load_gv(SNAP.format("0.33333", "0.33333", "0.33334").replace("0.33334", "0.33333"))
    with pytest.raises(ProbabilityError, match="sum to 9/10, not 1"):
        load_gv(SNAP.format("0.3", "0.3", "0.3"))
    exact = load_gv(SNAP.format("0.1", "0.2", "0.7"))
    assert exact.policy["x"] == {"a": Fraction(1, 10), "b": Fraction(1, 5), "c": Fraction(7, 10)}
    assert exact.notes == ()


# -- bad .gv files: one line, naming line and column -----------------------------------------

OK = '"[x]" -> "[go]__[x]"; "[go]__[x]" -> "[x]__[go]__[x]" [weight=1];'
BAD_GV = [
    ("digraph { a -> b", "line 1 column 17: the file ends before the graph's closing '}'"),
    ('digraph { a -> "b', "line 1 column 16: string is never closed"),
    ("digraph {\n a -> b [weight=]\n}", "line 2 column 17: expected an attribute value"),
    ("graph { a -- b }", "must be a digraph"),
    ("digraph { a -- b }", "line 1 column 13: '--' in a digraph"),
    ("digraph { subgraph s { a } }", "line 1 column 11: subgraphs are not supported"),
    ("digraph { a -> <b> }", "HTML strings"),
    ("digraph { a:n -> b }", "ports"),
    ("digraph { a @ b }", "line 1 column 13: unexpected character '@'"),
    ("digraph { a -> b; b; c; c -> c }", "line 1 column 16: state 'b' has no outgoing edge"),
    ("digraph { a -> b; a -> b; b -> b }", "line 1 column 19: edge 'a' -> 'b' appears twice"),
    (
        'strict digraph { "[x]" -> "[go]__[x]"; "[go]__[x]" -> "[y]__[go]__[x]" [weight=1]; }',
        "next state 'y' of state 'x', action 'go' is not a state of the file (dangling)",
    ),
    (
        'strict digraph { "[x]" -> "[go]__[x]"; "[x]" -> "[no]__[x]"; '
        '"[go]__[x]" -> "[x]__[go]__[x]" [weight=1]; }',
        "state 'x', action 'no' has no next state (dangling action)",
    ),
    (
        "strict digraph {" + OK + ' "[y]"; }',
        "state 'y' has no actions (dangling)",
    ),
    (
        'strict digraph { "[x]" -> "[go]__[x]"; "[go]__[x]" -> "[x]__[go]__[x]" [weight="0.9"]; }',
        "line 1 column 40: state 'x', action 'go': probabilities sum to 9/10, not 1",
    ),
    (
        'strict digraph { "[x]" -> "[go]__[x]"; "[go]__[x]" -> "[x]__[go]__[x]" [weight="1.5"]; }',
        "weight 1.5 is not a probability",
    ),
    (
        'strict digraph { "[x]" -> "[go]__[x]";\n"[go]__[x]" -> "[x]__[go]__[x]" '
        "[weight=\"__import__('os')\"]; }",
        "line 2 column 1: weight",
    ),
    (
        "strict digraph {" + OK + ' "[go]__[x]" -> "[x]"; }',
        "is neither state -> action",
    ),
    ("strict digraph {" + OK + ' "x" -> "[x]" [weight=1]; }', "node 'x' is not '[state]'"),
]


@pytest.mark.parametrize("text, message", BAD_GV)
def test_bad_gv_files_are_one_line_errors(text, message):
    with pytest.raises(GameError) as info:
        read_gv_mdp(text)
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_a_policy_naming_an_unknown_action_or_state():
    joint = read_gv_joint(JOINT)
    text = MOVE_LEFT.read_text(encoding="utf-8")
    with pytest.raises(MDPError, match="unknown action 'jump'"):
        read_gv_policy(
            text.replace("[left]__[(0, 0)_H^(0, 1)_A]", "[jump]__[(0, 0)_H^(0, 1)_A]"), joint
        )
    with pytest.raises(MDPError, match="not a state of the MDP"):
        read_gv_policy(text.replace("(0, 2)_H^(0, 2)_A", "(0, 9)_H^(0, 2)_A"), joint)
    with pytest.raises(MDPError, match="unknown action 'right'"):  # not a joint action
        read_gv_policy(MOVE_LEFT, read_gv_mdp(JOINT))
    with pytest.raises(FileFormatError, match="policy file, not an MDP"):
        read_gv_mdp(MOVE_LEFT)
    with pytest.raises(FileFormatError, match="not a policy"):
        read_gv_policy(STOCH4)


def test_the_dot_parser_keeps_names_and_skips_comments():
    g = parse_dot(
        '/* c */ digraph "t" {\n# x\n "a\\"b" -> c // d\n node [shape=box]; e [label="E"] }'
    )
    assert [n.name for n in g.nodes] == ['a"b', "c", "e"]
    assert g.nodes[2].attrs == (("label", "E"),)
    assert (g.edges[0].line, g.edges[0].column) == (3, 2)


# -- mdp-v1 -------------------------------------------------------------------------------


def _schema(name: str) -> dict:
    text = resources.files("exactpower.io").joinpath("schemas", name).read_text(encoding="utf-8")
    return json.loads(text)


def test_round_trips_of_random_mdps_and_their_rewards():
    rng = random.Random(12)
    mdp_schema, rewards_schema = _schema("mdp-v1.schema.json"), _schema("rewards-v1.schema.json")
    for _ in range(60):
        mdp = random_mdp(rng)
        support = [
            (
                Fraction(1, 2),
                {s: Fraction(rng.randint(-4, 4), rng.randint(1, 3)) for s in mdp.states},
            ),
            (Fraction(1, 2), [rng.randint(0, 3) for _ in mdp.states]),
        ]
        D = FiniteRewards(tuple(support))
        text = dumps_mdp(mdp, gamma="2/3", rewards=D, title="random")
        jsonschema.validate(json.loads(text), mdp_schema)
        doc = loads_mdp(text)
        assert doc.mdp == mdp and doc.gamma == sympy.Rational(2, 3) and doc.title == "random"
        assert doc.rewards.table(mdp) == D.table(mdp)
        jsonschema.validate(rewards_to_data(D, mdp), rewards_schema)
        back = loads_rewards(json.dumps(rewards_to_data(D, mdp)), mdp=mdp)
        assert back.table(mdp) == D.table(mdp)
        assert back.probabilities == D.probabilities


@pytest.mark.parametrize("path", [PAPER, GRID, STOCH4, JOINT, SIMULATED], ids=lambda p: p.name[:30])
def test_powerplay_mdps_round_trip_through_mdp_v1(path, tmp_path):
    mdp = read_gv_mdp(path)
    out = tmp_path / "m.json"
    out.write_text(dumps_mdp(mdp), encoding="utf-8")
    assert load_mdp_file(out).mdp == mdp
    assert load_mdp_file(path).mdp == mdp


def test_gridworld_symbolic_and_iid_documents_round_trip():
    grid = MDP.gridworld(2, 3, walls=["1,1"], slip="1/10")
    doc = MDPDocument(grid, sympy.Rational(3, 5), IidUniform(), "g", Gridworld(2, 3, ((1, 1),)))
    text = dumps_mdp(grid, gamma="3/5", rewards=IidUniform(), title="g", gridworld=doc.gridworld)
    assert loads_mdp(text) == doc
    sym = MDP.build(
        ["x", "y"],
        {"x": {"go": {"y": "p", "x": "1 - p"}}, "y": {"s": {"y": 1}}},
        parameters=[Parameter("p", "probability")],
        start=["x"],
    )
    text = dumps_mdp(sym, gamma="g")
    assert json.loads(text)["parameters"] == {"p": "probability"}
    back = loads_mdp(text)
    assert back.mdp == sym and back.gamma == sympy.Symbol("g", positive=True)
    assert back.mdp.is_symbolic


def _doc(**changes) -> str:
    base = {
        "format": "exactpower/mdp-v1",
        "states": ["s", "a"],
        "transitions": {"s": {"go": {"a": 1}}, "a": {"stay": {"a": 1}}},
    }
    base.update(changes)
    return json.dumps(base)


BAD_JSON = [
    ('{"format": "exactpower/mdp-v1", "format": "x"}', "duplicate key 'format'"),
    (_doc(format="exactpower/game-v1"), "format: expected 'exactpower/mdp-v1'"),
    (_doc(gamma="1"), "gamma: 1 is not in (0, 1)"),
    (_doc(gamma="-1/2"), "gamma: -1/2 is not in (0, 1)"),
    (
        _doc(transitions={"s": {"go": {"a": "1/2", "s": "1/3"}}, "a": {"stay": {"a": 1}}}),
        "state 's', action 'go': transition probabilities sum to 5/6, not 1",
    ),
    (_doc(states=["s", "a", "b"]), "state 'b' has no actions (dangling)"),
    (
        _doc(
            states=["s", "a", "b"],
            transitions={"s": {"go": {"a": 1}}, "a": {"stay": {"a": 1}}, "b": {"x": {"b": 1}}},
        ),
        "state 'b' is unreachable",
    ),
    (_doc(transitions={"s": {"go": {"z": 1}}, "a": {"stay": {"a": 1}}}), "unknown next state 'z'"),
    (_doc(transitions={"q": {}}), "transitions.q: 'q' is not one of the states"),
    (_doc(transitions={"s": {"go": {"a": 1.5}}, "a": {"stay": {"a": 1}}}), "probability 3/2"),
    (_doc(rewards="uniform"), "rewards: expected 'iid-uniform'"),
    (
        _doc(rewards={"distribution": [{"probability": 1, "rewards": {"s": 1}}]}),
        "no reward for state 'a'",
    ),
    (_doc(gridworld={"rows": 1, "cols": 2}), "gridworld: the states are not the cells"),
    (_doc(extra=1), "unknown key 'extra'"),
]


@pytest.mark.parametrize("text, message", BAD_JSON)
def test_bad_mdp_v1_documents_are_one_line_errors(text, message):
    with pytest.raises(GameError) as info:
        loads_mdp(text, source="m.json")
    assert str(info.value).startswith("m.json: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unreachable_states_may_be_declared_start_states():
    text = _doc(
        states=["s", "a", "b"],
        start=["s", "b"],
        transitions={"s": {"go": {"a": 1}}, "a": {"stay": {"a": 1}}, "b": {"x": {"b": 1}}},
    )
    doc = loads_mdp(text)
    assert doc.mdp.start == (0, 2)
    assert mdp_to_data(doc.mdp)["start"] == ["s", "b"]


def test_bad_rewards_documents():
    mdp = loads_mdp(_doc()).mdp
    ok = {
        "format": "exactpower/rewards-v1",
        "distribution": [{"probability": "1", "rewards": {"s": 0, "a": "1/2"}}],
    }
    assert loads_rewards(json.dumps(ok), mdp=mdp).table(mdp) == ((0, sympy.Rational(1, 2)),)
    bad = dict(ok, distribution=[{"probability": "1/2", "rewards": {"s": 0, "a": 1}}])
    with pytest.raises(GameError, match=r"r\.json: distribution: probabilities sum to 1/2, not 1"):
        loads_rewards(json.dumps(bad), source="r.json", mdp=mdp)
    unknown = dict(ok, distribution=[{"probability": 1, "rewards": {"s": 0, "a": 1, "q": 1}}])
    with pytest.raises(GameError, match="unknown state 'q'"):
        loads_rewards(json.dumps(unknown), mdp=mdp)
