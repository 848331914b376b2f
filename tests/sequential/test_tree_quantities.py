"""POWER, best responses, NashConv and welfare of game trees, against an independent
oracle (tests/naive_tree.py), the one-shot library on Bayesian games written as trees, and
hand-worked values (Kuhn poker)."""

from __future__ import annotations

import math
import random
from fractions import Fraction

import naive_tree
import pytest
import sympy
from hypothesis import HealthCheck, given, settings

import exactpower
from exactpower import Parameter
from exactpower.errors import ProfileError, TreeError
from exactpower.sequential import (
    BehaviourProfile,
    BestResponse,
    ExtensiveGame,
    best_response,
    catalog,
    chance,
    constant_sum,
    decision,
    expected_payoff,
    expected_payoffs,
    interim_power,
    is_nash,
    nash_conv,
    power,
    power_sum,
    reach_probabilities,
    regret,
    terminal,
    welfare,
)
from exactpower.sequential.testing import games_with_profiles, random_game, random_profile
from exactpower.testing import games_with_profiles as oneshot_games_with_profiles

from cases import kuhn_equilibrium

R = sympy.Rational


def rational(value, expected) -> None:
    assert isinstance(value, sympy.Rational), type(value)
    assert value == expected, (value, expected)


def pure_strategy_count(game) -> int:
    return max(
        math.prod(len(game.infosets[j].actions) for j in game.infosets_of(i))
        for i in range(game.n_players)
    )


# -- against the naive oracle -------------------------------------------------------------------
def check_against_oracle(game, profile) -> None:
    u = naive_tree.payoffs(game, profile)
    powers = [naive_tree.power(game, profile, i) for i in range(game.n_players)]
    for i in range(game.n_players):
        rational(power(game, profile, i), powers[i])
        rational(expected_payoff(game, profile, i), u[i])
    rational(welfare(game, profile), sum(u, Fraction(0)))
    rational(nash_conv(game, profile), sum(powers, Fraction(0)) - sum(u, Fraction(0)))
    rational(power_sum(game, profile), sum(powers, Fraction(0)))


def test_a_thousand_random_trees_against_the_oracle():
    rng = random.Random(20261130)
    done, shapes = 0, set()
    while done < 1000:
        game = random_game(rng, max_nodes=30, max_depth=5)
        if pure_strategy_count(game) > 600:  # keeps the oracle's enumeration fast
            continue
        profile = random_profile(rng, game, pure=rng.random() < 0.2)
        check_against_oracle(game, profile)
        imperfect = any(len(s.nodes) > 1 for s in game.infosets if s.player is not None)
        shapes.add((game.n_players, imperfect, any(s.player is None for s in game.infosets)))
        done += 1
    # 2 and 3 players, with and without imperfect information and chance, were all met
    assert {(n, imp, ch) for n in (2, 3) for imp in (True, False) for ch in (True, False)} <= shapes


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_with_profiles(max_nodes=20, max_depth=4))
def test_hypothesis_trees_against_the_oracle(pair):
    check_against_oracle(*pair)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(games_with_profiles(max_nodes=25, max_depth=5, constant_sum=2))
def test_power_scarcity_on_constant_sum_trees(pair):
    game, profile = pair
    witness = constant_sum(game)
    assert witness is not None and witness.constant == 2
    rational(welfare(game, profile), R(2))
    total = power_sum(game, profile)
    assert total >= 2
    assert (total == 2) == is_nash(game, profile) == (nash_conv(game, profile) == 0)


# -- a one-shot game written as a tree -------------------------------------------------------------
@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(oneshot_games_with_profiles(max_players=3, max_types=2, max_actions=3, max_cells=64))
def test_bayesian_game_as_a_tree_has_the_same_numbers(pair):
    game, profile = pair
    tree = ExtensiveGame.from_bayesian(game)
    b = BehaviourProfile.from_strategy(tree, profile)
    record = exactpower.report(game, profile)
    for i, p in enumerate(game.players):
        rational(power(tree, b, i), exactpower.power(game, profile, i))
        interim = exactpower.interim_utilities(game, profile, i)
        values = interim_power(tree, b, i)
        for t in game.support:
            expected = max(interim[p.types[t[i]]].values())
            rational(values[",".join(q.types[k] for q, k in zip(game.players, t))], expected)
    rational(welfare(tree, b), record.welfare)
    rational(nash_conv(tree, b), record.nash_conv)
    assert is_nash(tree, b) is exactpower.is_bayesian_nash(game, profile)
    one_shot = exactpower.constant_sum(game).constant
    tree_sum = constant_sum(tree)
    assert (tree_sum.constant if tree_sum else None) == one_shot


def test_a_symbolic_one_shot_game_as_a_tree():
    q = Parameter("q", "probability")
    game = exactpower.BayesianGame.from_tables(
        [[["q", 0], [0, 1]], [[1, 0], [0, "1 - q"]]], parameters=[q]
    )
    profile = exactpower.StrategyProfile.uniform(game)
    tree = ExtensiveGame.from_bayesian(game)
    b = BehaviourProfile.from_strategy(tree, profile)
    for i in range(2):
        assert exactpower.exact.same(power(tree, b, i), exactpower.power(game, profile, i))
    assert exactpower.exact.same(nash_conv(tree, b), exactpower.nash_conv(game, profile))


# -- Kuhn poker, by hand ---------------------------------------------------------------------------
def test_kuhn_poker_at_the_uniform_profile():
    """By hand: at a deal with win sign w for player 1, u_1 = w + 1/8, so u_1 = 1/8.
    Player 1's best response by card (the other card uniform): J: bet, −1/2; Q: bet, 1/2;
    K: 3/2 (check and bet tie); POWER_1 = (−1/2 + 1/2 + 3/2)/3 = 1/2.  Player 2 by card:
    J −3/4, Q 1/4, K 7/4; POWER_2 = 5/12.  NashConv = 1/2 + 5/12 − 0 = 11/12."""
    g = catalog.kuhn_poker()
    s = BehaviourProfile.uniform(g)
    assert expected_payoffs(g, s) == (R(1, 8), R(-1, 8))
    rational(power(g, s, "1"), R(1, 2))
    rational(power(g, s, "2"), R(5, 12))
    rational(nash_conv(g, s), R(11, 12))
    rational(power_sum(g, s), R(11, 12))
    rational(welfare(g, s), R(0))
    rational(regret(g, s, "1"), R(3, 8))
    one = interim_power(g, s, "1")
    assert one == {"J,Q": R(-1, 2), "J,K": R(-1, 2), "Q,J": R(1, 2), "Q,K": R(1, 2),
                   "K,J": R(3, 2), "K,Q": R(3, 2)}  # fmt: skip
    two = interim_power(g, s, "2")
    assert two["Q,J"] == two["K,J"] == R(-3, 4) and two["J,K"] == R(7, 4) and two["J,Q"] == R(1, 4)
    br = best_response(g, s, "1")
    assert isinstance(br, BestResponse) and br.player == 0
    assert br.actions["1:J"] == "bet" and br.actions["1:Q"] == "bet"
    assert br.actions["1:K"] == "check"  # a tie: the first action
    assert br.actions["1:J:check,bet"] == "fold" and br.actions["1:K:check,bet"] == "call"
    assert br.infoset_values["1:K"] == {"check": R(1, 2), "bet": R(1, 2)}
    assert not is_nash(g, s) and constant_sum(g).constant == 0


@pytest.mark.parametrize("alpha", [R(0), R(1, 12), R(1, 6), R(1, 4), R(1, 3)])
def test_kuhn_poker_equilibrium_family(alpha):
    g = catalog.kuhn_poker()
    s = BehaviourProfile.from_dict(g, kuhn_equilibrium(alpha))
    rational(nash_conv(g, s), R(0))
    assert is_nash(g, s) is True
    rational(expected_payoff(g, s, "1"), R(-1, 18))
    rational(power(g, s, "1"), R(-1, 18))
    rational(power(g, s, "2"), R(1, 18))
    rational(power_sum(g, s), R(0))  # = c: the theorem's equality


def test_kuhn_poker_with_a_symbolic_calling_probability():
    q = Parameter("q", "probability")
    g = catalog.kuhn_poker()
    s = BehaviourProfile.from_dict(g, kuhn_equilibrium(R(1, 6), q.symbol), [q])
    conv = nash_conv(g, s)
    assert conv.has(sympy.Max)
    for value, zero in ((R(1, 3), True), (R(0), False), (R(1, 2), False), (R(1), False)):
        at = conv.subs(q.symbol, value)
        assert isinstance(at, sympy.Rational) and (at == 0) is zero and at >= 0
        numeric = BehaviourProfile.from_dict(g, kuhn_equilibrium(R(1, 6), value))
        assert at == nash_conv(g, numeric)
    verdict = is_nash(g, s)
    assert isinstance(verdict, sympy.Eq)
    rational(power(g, s, "2"), R(1, 18))  # POWER does not depend on one's own strategy


# -- smaller games ------------------------------------------------------------------------------
def test_matching_pennies_best_response_and_ties():
    g = catalog.matching_pennies()
    s = BehaviourProfile.uniform(g)
    br = best_response(g, s, "2")
    assert br.actions == {"2": "H"} and br.value == 0
    assert br.infoset_values == {"2": {"H": 0, "T": 0}}
    pure = BehaviourProfile.pure(g, {"1": "H", "2": "H"})
    rational(power(g, pure, "2"), R(1))
    rational(nash_conv(g, pure), R(2))
    assert is_nash(g, pure) is False
    reach = reach_probabilities(g, s)
    assert sum(reach[k] for k in g.terminals()) == 1 and reach[0] == 1
    assert all(isinstance(v, sympy.Rational) for v in reach)


def test_beer_quiche_values():
    g = catalog.beer_quiche()
    s = BehaviourProfile.from_dict(
        g,
        {"sender:weak": "beer", "sender:strong": "beer",
         "receiver:beer": "walk", "receiver:quiche": "duel"},
    )  # fmt: skip
    # The pooling-on-beer equilibrium: the weak sender gets 2 (beer, no duel) > 1 (quiche, duel).
    assert is_nash(g, s) is True
    rational(expected_payoff(g, s, "sender"), R(1, 10) * 2 + R(9, 10) * 3)
    rational(expected_payoff(g, s, "receiver"), R(9, 10))
    assert constant_sum(g) is None
    assert interim_power(g, s, "sender") == {"weak": 2, "strong": 3}
    assert interim_power(g, s, "receiver") == {"weak": R(9, 10), "strong": R(9, 10)}


def test_symbolic_payoffs_give_a_max():
    x = Parameter("x")
    g = ExtensiveGame.build(
        ("A", "B"),
        decision("A", "a", {"l": terminal("x", 0), "r": terminal(0, 0)}),
        parameters=[x],
    )
    s = BehaviourProfile.pure(g, {"a": "r"})
    assert power(g, s, "A") == sympy.Max(0, x.symbol)
    assert best_response(g, s, "A").actions == {"a": "l"}  # the first not provably dominated
    assert is_nash(g, s) == sympy.Eq(sympy.Max(0, x.symbol), 0)
    p = Parameter("p", "positive")
    h = ExtensiveGame.build(
        ("A",), decision("A", "a", {"l": terminal("p"), "r": terminal(0)}), parameters=[p]
    )
    br = best_response(h, BehaviourProfile.pure(h, {"a": "r"}), "A")
    assert br.value == p.symbol and br.actions == {"a": "l"}


def test_zero_probability_branches_do_not_count_for_constant_sum():
    g = ExtensiveGame.build(
        ("A", "B"),
        chance({"x": (1, terminal(1, -1)), "y": (0, terminal(5, 5))}),
    )
    assert constant_sum(g).constant == 0
    assert interim_power(g, BehaviourProfile.uniform(g), "A") == {"x": 1, "y": None}


def test_profile_of_another_game_and_root_not_chance():
    g, h = catalog.matching_pennies(), catalog.kuhn_poker()
    with pytest.raises(ProfileError, match="another game tree"):
        power(g, BehaviourProfile.uniform(h), 0)
    with pytest.raises(TreeError, match="not a chance node"):
        interim_power(g, BehaviourProfile.uniform(g), 0)
    with pytest.raises(TreeError, match="unknown player 'Z'"):
        power(g, BehaviourProfile.uniform(g), "Z")


def test_symbolic_chance_and_constant_sum():
    q, x = Parameter("q", "probability"), Parameter("x")
    g = ExtensiveGame.build(
        ("A", "B"),
        chance(
            {
                "H": ("q", decision("A", "a", {"l": terminal("x", "-x"), "r": terminal(0, 0)})),
                "T": ("1 - q", terminal("1 + x", "-1 - x")),
            }
        ),
        parameters=[q, x],
    )
    assert constant_sum(g).constant == 0
    s = BehaviourProfile.pure(g, {"a": "r"})
    assert power(g, s, "A").has(sympy.Max)
    for qv, xv in ((R(1, 3), R(2)), (R(1, 2), R(-1)), (R(0), R(5))):
        at = power(g, s, "A").subs({q.symbol: qv, x.symbol: xv})
        rational(at, qv * max(0, xv) + (1 - qv) * (1 + xv))
    rational(
        sympy.expand(welfare(g, s)), R(0)
    )  # constant-sum: W = 0 for every value of the parameters
    h = ExtensiveGame.build(
        ("A", "B"),
        chance({"H": ("q", terminal("x", 0)), "T": ("1 - q", terminal(0, 0))}),
        parameters=[q, x],
    )
    assert constant_sum(h) is None
