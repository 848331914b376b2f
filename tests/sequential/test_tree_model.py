"""The game-tree model: construction, validation (one-line errors naming the node) and
behaviour profiles."""

from __future__ import annotations

import dataclasses
from fractions import Fraction

import pytest
import sympy

import exactpower.sequential.tree_build as tree_build
from exactpower import BayesianGame, Parameter, Player
from exactpower.errors import (
    GameError,
    InexactValueError,
    LimitError,
    ParameterError,
    ProbabilityError,
    ProfileError,
    TreeError,
)
from exactpower.sequential import (
    BehaviourProfile,
    ExtensiveGame,
    Infoset,
    Node,
    catalog,
    chance,
    decision,
    terminal,
)


def coin(p="1/2", q="1/2", **kw):
    return ExtensiveGame.build(
        ("A", "B"),
        chance(
            {
                "H": (p, decision("A", "a", {"l": terminal(1, -1), "r": terminal(-1, 1)})),
                "T": (q, decision("A", "a", {"l": terminal(-1, 1), "r": terminal(1, -1)})),
            }
        ),
        **kw,
    )


def one_line(excinfo) -> str:
    message = str(excinfo.value)
    assert "\n" not in message
    return message


# -- construction ---------------------------------------------------------------------------
def test_build_lays_out_nodes_in_prefix_order():
    g = coin()
    assert [n.kind for n in g.nodes] == [
        "chance",
        "decision",
        "terminal",
        "terminal",
        "decision",
        "terminal",
        "terminal",
    ]
    assert [n.path for n in g.nodes][:4] == ["root", "root/H", "root/H/l", "root/H/r"]
    assert g.nodes[0].children == (1, 4) and g.nodes[4].parent == 0
    assert [s.name for s in g.infosets] == ["chance:0", "a"]
    assert g.infosets[1].nodes == (1, 4) and g.infosets[1].player == 0
    assert g.infosets[0].probabilities == (sympy.Rational(1, 2), sympy.Rational(1, 2))
    assert all(isinstance(v, sympy.Rational) for v in g.infosets[0].probabilities)
    assert g.terminals() == (2, 3, 5, 6)
    assert g.infosets_of("A") == (1,) and g.infosets_of(1) == ()
    assert g.infoset_index("a") == 1 and g.player_index("B") == 1
    assert g.sequence(5, "A") == ((1, 0),) and g.sequence(5, "B") == ()
    assert not g.is_symbolic and g.n_players == 2
    assert isinstance(g.nodes[2].payoffs[0], sympy.Integer)


def test_games_are_frozen_and_equal_by_value():
    g = coin()
    with pytest.raises(dataclasses.FrozenInstanceError):
        g.title = "x"  # type: ignore[misc]
    assert g == coin() and hash(g) == hash(coin())


def test_named_chance_infosets_and_labels():
    g = ExtensiveGame.build(
        ("A",),
        chance({"x": ("1/3", terminal(0)), "y": ("2/3", terminal(1))}, label="deal"),
    )
    assert g.infosets[0].name == "chance:deal" and g.nodes[0].label == "deal"


@pytest.mark.parametrize(
    "make, error, fragment",
    [
        (lambda: coin("1/2", "1/3"), TreeError, "sum to 5/6, not 1"),
        (lambda: coin("3/2", "-1/2"), TreeError, "probability 3/2 of 'H' exceeds 1"),
        (lambda: coin("-1/2", "3/2"), TreeError, "probability -1/2 of 'H' is negative"),
        (lambda: coin(0.5, 0.5), InexactValueError, "node root: probability of 'H'"),
        (
            lambda: ExtensiveGame.build(("A",), decision("A", "a", {"l": terminal(1.0)})),
            InexactValueError,
            "node root/l: payoff of 'A'",
        ),
        (
            lambda: ExtensiveGame.build(("A", "B"), decision("A", "a", {"l": terminal(1)})),
            TreeError,
            "node root/l: 1 payoffs for 2 players",
        ),
        (
            lambda: ExtensiveGame.build(("A",), decision("Z", "a", {"l": terminal(1)})),
            TreeError,
            "node root: unknown player 'Z'",
        ),
        (
            lambda: ExtensiveGame.build(("A",), decision("A", "a", {"l": terminal("q")})),
            ParameterError,
            "node root/l: payoff of 'A': undeclared parameter 'q'",
        ),
    ],
)
def test_bad_values_name_the_node(make, error, fragment):
    with pytest.raises(error) as excinfo:
        make()
    assert fragment in one_line(excinfo)
    assert isinstance(excinfo.value, GameError)


def test_infoset_with_other_actions_or_players_is_refused():
    with pytest.raises(TreeError, match=r"node root/T: information set 'a' has another actions"):
        ExtensiveGame.build(
            ("A",),
            chance(
                {
                    "H": ("1/2", decision("A", "a", {"l": terminal(1), "r": terminal(0)})),
                    "T": ("1/2", decision("A", "a", {"l": terminal(1), "x": terminal(0)})),
                }
            ),
        )
    with pytest.raises(TreeError, match=r"node root/T: information set 'a' has another player"):
        ExtensiveGame.build(
            ("A", "B"),
            chance(
                {
                    "H": ("1/2", decision("A", "a", {"l": terminal(1, 0)})),
                    "T": ("1/2", decision("B", "a", {"l": terminal(1, 0)})),
                }
            ),
        )


def test_no_perfect_recall_is_refused_naming_the_node():
    # A forgets its own first move: both second-move nodes in one set.
    inner = {"x": terminal(1), "y": terminal(0)}
    with pytest.raises(TreeError) as excinfo:
        ExtensiveGame.build(
            ("A",),
            decision(
                "A", "first", {"l": decision("A", "b", inner), "r": decision("A", "b", inner)}
            ),
        )
    message = one_line(excinfo)
    assert "node root/r: no perfect recall" in message and "'b'" in message
    # Absent-mindedness: a set visited twice on one path.
    with pytest.raises(TreeError, match="no perfect recall"):
        ExtensiveGame.build(
            ("A",), decision("A", "a", {"l": decision("A", "a", {"l": terminal(0)})})
        )


def test_perfect_recall_allows_sets_across_chance_and_opponents():
    g = ExtensiveGame.build(
        ("A", "B"),
        decision(
            "A",
            "a",
            {
                "l": decision("B", "b", {"x": terminal(1, 0), "y": terminal(0, 1)}),
                "r": decision("B", "b", {"x": terminal(0, 0), "y": terminal(2, 1)}),
            },
        ),
    )
    assert g.infosets[1].nodes == (1, 4)


def test_symbolic_probabilities_must_provably_be_a_distribution():
    q = Parameter("q", "probability")
    g = coin("q", "1 - q", parameters=[q])
    assert g.is_symbolic and g.parameters == (q,)
    with pytest.raises(TreeError, match="sum to"):
        coin("q", "q", parameters=[q])
    with pytest.raises(TreeError, match="negative for some parameters"):
        coin("q - 1/2", "3/2 - q", parameters=[q])
    with pytest.raises(TreeError, match="negative"):
        coin("x", "1 - x", parameters=["x"])  # a real parameter may be negative


def test_the_node_limit(monkeypatch):
    monkeypatch.setattr(tree_build, "MAX_TREE_NODES", 5)
    with pytest.raises(LimitError, match="MAX_TREE_NODES = 5"):
        coin()


def test_direct_construction_is_validated():
    g = coin()
    nodes = list(g.nodes)
    nodes[2] = dataclasses.replace(nodes[2], parent=4)
    with pytest.raises(TreeError, match="node root/H/l: parent 4 does not come before it"):
        ExtensiveGame(g.players, tuple(nodes), g.infosets)
    nodes = list(g.nodes)
    nodes[5] = dataclasses.replace(nodes[5], parent=1)
    with pytest.raises(TreeError, match="node root/T/l: not among the children"):
        ExtensiveGame(g.players, tuple(nodes), g.infosets)
    swapped = list(g.nodes)
    swapped[0] = dataclasses.replace(swapped[0], children=(4, 1))
    with pytest.raises(TreeError, match=r"node root: children .* not in prefix order"):
        ExtensiveGame(g.players, tuple(swapped), g.infosets)
    with pytest.raises(TreeError, match="only chance information sets have probabilities"):
        sets = (g.infosets[0], dataclasses.replace(g.infosets[1], probabilities=(1, 0)))
        ExtensiveGame(g.players, g.nodes, sets)
    with pytest.raises(TreeError, match="not an exact sympy value"):
        bad = list(g.nodes)
        bad[2] = dataclasses.replace(bad[2], payoffs=(Fraction(1), sympy.Integer(-1)))
        ExtensiveGame(g.players, tuple(bad), g.infosets)
    with pytest.raises(TreeError, match="two information sets are named 'a'"):
        ExtensiveGame(g.players, g.nodes, (*g.infosets, g.infosets[1]))
    node = Node("", "terminal", (), None, (sympy.Integer(0),), None, "root")
    one = ExtensiveGame(("A",), (node,), ())
    assert one.terminals() == (0,)
    assert Infoset(0, "x", ("a",), (1,)).probabilities is None


def test_from_bayesian_lays_out_types_then_players():
    game = BayesianGame.from_function(
        [Player("d", ("K", "Q"), ("bet", "check")), Player("c", ("-",), ("call", "fold"))],
        lambda t, a: (1, -1) if t[0] == "K" else (-1, 1),
        prior={("K", "-"): "1/3", ("Q", "-"): "2/3"},
    )
    tree = ExtensiveGame.from_bayesian(game)
    root = tree.infosets[0]
    assert root.actions == ("K,-", "Q,-") and root.probabilities == (
        sympy.Rational(1, 3),
        sympy.Rational(2, 3),
    )
    assert [s.name for s in tree.infosets] == ["chance:0", "d:K", "c:-", "d:Q"]
    assert tree.infosets[2].nodes == (2, 5, 9, 12)
    assert len(tree.terminals()) == 8


def test_from_bayesian_keeps_only_the_support():
    game = BayesianGame.from_function(
        [Player("a", ("x", "y"), ("0",))], lambda t, a: (1,), prior={("x",): 1}
    )
    assert ExtensiveGame.from_bayesian(game).infosets[0].actions == ("x",)


# -- behaviour profiles -----------------------------------------------------------------------
def test_profiles_from_dict_pure_uniform():
    g = catalog.matching_pennies()
    s = BehaviourProfile.from_dict(g, {"1": "H", "2": {"T": Fraction(3, 4), "H": "1/4"}})
    assert s.probabilities == ((1, 0), (sympy.Rational(1, 4), sympy.Rational(3, 4)))
    assert all(isinstance(v, sympy.Rational) for row in s.probabilities for v in row)
    assert s.at("2") == {"H": sympy.Rational(1, 4), "T": sympy.Rational(3, 4)}
    assert BehaviourProfile.from_dict(g, s.to_dict()) == s
    assert s.to_dict() == {
        "1": {"H": 1},
        "2": {"H": sympy.Rational(1, 4), "T": sympy.Rational(3, 4)},
    }
    assert BehaviourProfile.pure(g, {"1": "T", "2": "H"}).at("1") == {"H": 0, "T": 1}
    assert BehaviourProfile.uniform(g).at("1") == {
        "H": sympy.Rational(1, 2),
        "T": sympy.Rational(1, 2),
    }
    k = catalog.kuhn_poker()
    assert BehaviourProfile.uniform(k).at("chance:deal")["J,Q"] == sympy.Rational(1, 6)
    assert BehaviourProfile.uniform(k).probabilities[0] == ()


@pytest.mark.parametrize(
    "given, error, fragment",
    [
        ({"1": "H"}, ProfileError, "no strategy for information set '2' of player '2'"),
        ({"1": "H", "2": "X"}, ProfileError, "information set '2': unknown action 'X'"),
        ({"1": "H", "2": {"H": 0.5, "T": 0.5}}, InexactValueError, "information set '2'"),
        ({"1": "H", "2": {"H": "1/2"}}, ProbabilityError, "sum to 1/2, not 1"),
        (
            {"1": "H", "2": {"H": "-1/2", "T": "3/2"}},
            ProbabilityError,
            "-1/2 of action 'H' is negative",
        ),
        ({"1": "H", "2": "H", "3": "H"}, ProfileError, "unknown information set '3'"),
    ],
)
def test_bad_profiles(given, error, fragment):
    with pytest.raises(error) as excinfo:
        BehaviourProfile.from_dict(catalog.matching_pennies(), given)
    assert fragment in one_line(excinfo)


def test_chance_sets_are_not_the_profiles():
    g = catalog.kuhn_poker()
    with pytest.raises(ProfileError, match="belongs to chance"):
        BehaviourProfile.from_dict(g, {"chance:deal": "J,Q"})


def test_symbolic_profiles():
    g = catalog.matching_pennies()
    # "q" names a real parameter: q ≥ 0 is not provable.
    with pytest.raises(ProbabilityError, match="probability q of action 'H' is negative for some"):
        BehaviourProfile.from_dict(g, {"1": "H", "2": {"H": "q", "T": "1 - q"}}, ["q"])
    q = Parameter("q", "probability")
    ok = BehaviourProfile.from_dict(g, {"1": "H", "2": {"H": "q", "T": "1 - q"}}, [q])
    assert ok.is_symbolic and ok.parameters == (q,)
    assert ok.at("2")["H"] == q.symbol
    with pytest.raises(ProbabilityError, match="sum to"):
        BehaviourProfile.from_dict(g, {"1": "H", "2": {"H": "q", "T": "q"}}, [q])
    with pytest.raises(ProfileError, match="parameter names clash"):
        BehaviourProfile.from_dict(coin("q", "1-q", parameters=[q]), {"a": "l"}, [q])


def test_from_strategy_matches_by_player_and_type():
    from exactpower import StrategyProfile

    game = BayesianGame.from_function(
        [Player("d", ("K", "Q"), ("bet", "check")), Player("c", ("-",), ("call", "fold"))],
        lambda t, a: (1, -1),
    )
    s = StrategyProfile.from_dict(
        game, {"d": {"K": "bet", "Q": "check"}, "c": {"fold": "1/3", "call": "2/3"}}
    )
    b = BehaviourProfile.from_strategy(ExtensiveGame.from_bayesian(game), s)
    assert b.at("d:K") == {"bet": 1, "check": 0} and b.at("d:Q") == {"bet": 0, "check": 1}
    assert b.at("c:-") == {"call": sympy.Rational(2, 3), "fold": sympy.Rational(1, 3)}
