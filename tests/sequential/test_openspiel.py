"""OpenSpiel games and policies, exactly: our values within 1e-9 of OpenSpiel's floats.

For each game, at the uniform policy and at the average policy of 100 CFR iterations
(converted by ``policy_from_openspiel``): exact NashConv against
``exploitability.nash_conv``, POWER of every player against the value of
``best_response.BestResponsePolicy``, expected payoffs against
``expected_game_score.policy_value``.
"""

from __future__ import annotations

import functools
import math
import random
from fractions import Fraction

import pytest
import sympy

from exactpower.errors import GameError, LimitError
from exactpower.sequential import BehaviourProfile, expected_payoff, nash_conv, power
from exactpower.sequential.openspiel import (
    OpenSpielError,
    from_openspiel,
    policy_from_openspiel,
    simplest_within,
)

from optional import require

pyspiel = require("pyspiel")
from open_spiel.python import policy as os_policy  # noqa: E402
from open_spiel.python.algorithms import (  # noqa: E402
    best_response,
    cfr,
    expected_game_score,
    exploitability,
)

GAMES = {
    "kuhn_poker": 58,
    "leduc_poker": 9457,
    "kuhn_poker(players=3)": 617,
    "liars_dice(numdice=1,dice_sides=3)": 1147,
    "first_sealed_auction(max_value=3)": 117,
    "tiny_hanabi": 55,
}


@functools.cache
def _tree(name: str):
    return from_openspiel(name)


@functools.cache
def _cfr_policy(name: str):
    game = pyspiel.load_game(name)
    if name == "leduc_poker":  # the C++ solver, for time; the same algorithm
        solver = pyspiel.CFRSolver(game)
        for _ in range(100):
            solver.evaluate_and_update_policy()
        cpp = solver.average_policy()
        return os_policy.tabular_policy_from_callable(game, cpp.action_probabilities)
    solver = cfr.CFRSolver(game)
    for _ in range(100):
        solver.evaluate_and_update_policy()
    return solver.average_policy()


def _close(exact, value: float) -> None:
    assert isinstance(exact, sympy.Rational)
    assert abs(float(exact) - value) <= 1e-9, (exact, value)


@pytest.mark.parametrize("name", sorted(GAMES))
def test_tree_size_and_shape(name):
    tree = _tree(name)
    assert len(tree.nodes) == GAMES[name]
    game = pyspiel.load_game(name)
    assert tree.n_players == game.num_players()
    for node in tree.nodes:
        if node.kind == "terminal":
            assert all(isinstance(v, sympy.Rational) for v in node.payoffs)
    for info in tree.infosets:
        if info.player is None:
            assert sum(info.probabilities) == 1
            assert all(isinstance(p, sympy.Rational) for p in info.probabilities)


@pytest.mark.parametrize("kind", ["uniform", "cfr"])
@pytest.mark.parametrize("name", sorted(GAMES))
def test_values_against_openspiel(name, kind):
    game = pyspiel.load_game(name)
    tree = _tree(name)
    pol = os_policy.TabularPolicy(game) if kind == "uniform" else _cfr_policy(name)
    profile = policy_from_openspiel(tree, pol)
    if kind == "uniform":
        assert profile == BehaviourProfile.uniform(tree)
    _close(nash_conv(tree, profile), exploitability.nash_conv(game, pol))
    values = expected_game_score.policy_value(game.new_initial_state(), [pol] * game.num_players())
    for i in range(game.num_players()):
        _close(expected_payoff(tree, profile, i), float(values[i]))
        br = best_response.BestResponsePolicy(game, i, pol)
        _close(power(tree, profile, i), br.value(game.new_initial_state()))


def test_kuhn_poker_uniform_exactly():
    tree = _tree("kuhn_poker")
    profile = BehaviourProfile.uniform(tree)
    assert [power(tree, profile, i) for i in range(2)] == [
        sympy.Rational(1, 2),
        sympy.Rational(5, 12),
    ]
    assert nash_conv(tree, profile) == sympy.Rational(11, 12)
    assert tree.infosets[tree.infoset_index("0pb")].player == 0  # OpenSpiel's policy keys


def test_cpp_policies_convert_too():
    game = pyspiel.load_game("kuhn_poker")
    solver = pyspiel.CFRSolver(game)
    for _ in range(20):
        solver.evaluate_and_update_policy()
    cpp = solver.average_policy()
    tree = _tree("kuhn_poker")
    profile = policy_from_openspiel(tree, cpp, game=game)
    _close(nash_conv(tree, profile), pyspiel.nash_conv(game, cpp))


def test_policy_conversion_uses_max_denominator_and_tolerance():
    game = pyspiel.load_game("kuhn_poker")
    tree = _tree("kuhn_poker")
    pol = os_policy.TabularPolicy(game)
    pol.action_probability_array[:] = [1 / 3, 2 / 3]
    profile = policy_from_openspiel(tree, pol)
    assert profile.at("0") == {"Pass": sympy.Rational(1, 3), "Bet": sympy.Rational(2, 3)}
    pol.action_probability_array[:] = [0.3141592653589793, 1 - 0.3141592653589793]
    coarse = policy_from_openspiel(tree, pol, max_denominator=100)
    assert coarse.at("0") == {"Pass": sympy.Rational(11, 35), "Bet": sympy.Rational(24, 35)}
    pol.action_probability_array[:] = [0.5, 0.4]
    with pytest.raises(GameError, match=r"0: the probabilities sum to 0\.9"):
        policy_from_openspiel(tree, pol)


# -- conversion of floats ---------------------------------------------------------------------


def test_simplest_within_is_the_smallest_denominator():
    rng = random.Random(5)
    tol = Fraction(1, 10**6)
    for _ in range(300):
        x = rng.choice([rng.random(), rng.randint(1, 50) / rng.randint(1, 60), -rng.random() * 3])
        q = simplest_within(x, tol)
        assert abs(q - Fraction(x)) <= tol
        for d in range(1, q.denominator):  # no smaller denominator fits
            n = round(Fraction(x) * d)
            assert abs(Fraction(n, d) - Fraction(x)) > tol


class _State:
    """A one-move chance game whose probabilities OpenSpiel could store."""

    def __init__(self, probs, done=False):
        self.probs, self.done = probs, done

    def is_terminal(self):
        return self.done

    def is_chance_node(self):
        return not self.done

    def is_simultaneous_node(self):
        return False

    def chance_outcomes(self):
        return list(enumerate(self.probs))

    def action_to_string(self, player, action):
        return f"x{action}"

    def child(self, action):
        return _State(self.probs, True)

    def returns(self):
        return [0.0]


class _Game:
    def __init__(self, probs):
        self.probs = probs

    def get_type(self):
        class Kind:
            short_name = "fake"
            dynamics = pyspiel.GameType.Dynamics.SEQUENTIAL
            chance_mode = pyspiel.GameType.ChanceMode.EXPLICIT_STOCHASTIC
            provides_information_state_string = True

        return Kind

    def new_initial_state(self):
        return _State(self.probs)

    def num_players(self):
        return 1


def test_chance_floats_without_a_simple_fraction_are_refused():
    x = math.pi / 10
    assert simplest_within(x).denominator >= 10**6
    with pytest.raises(
        OpenSpielError, match=r"root: chance 'x0': no fraction with a denominator below 1000000"
    ):
        from_openspiel(_Game([x, 1 - x]))
    tree = from_openspiel(_Game([0.1, 0.9]))
    assert tree.infosets[0].probabilities == (sympy.Rational(1, 10), sympy.Rational(9, 10))
    with pytest.raises(GameError, match="sum to 9/10, not 1"):
        from_openspiel(_Game([0.1, 0.8]))


@pytest.mark.parametrize(
    "name, message",
    [
        ("goofspiel", "simultaneous"),
        ("mfg_crowd_modelling", "mean_field"),
        ("pig", "information_state_string"),
    ],
)
def test_unsupported_games_are_refused(name, message):
    with pytest.raises(OpenSpielError, match=message) as info:
        from_openspiel(name)
    assert "\n" not in str(info.value)


def test_too_many_nodes_is_a_limit():
    with pytest.raises(LimitError, match="max_nodes = 1000"):
        from_openspiel("leduc_poker", max_nodes=1000)
