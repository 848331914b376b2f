"""Sequential games (SPEC §8): game trees, MDPs and stochastic games, exactly.

>>> from exactpower.sequential import BehaviourProfile, catalog, power_sum, nash_conv
>>> g = catalog.kuhn_poker()
>>> s = BehaviourProfile.uniform(g)
>>> power_sum(g, s) == nash_conv(g, s)  # Kuhn poker is zero-sum: W = 0
True
"""

from . import catalog
from .behaviour import BehaviourProfile
from .mdp import MDP, FiniteRewards, IidUniform
from .mdp_power import mdp_power, power_limits, power_pieces
from .mdp_values import OptimalValues, optimal_values
from .mdp_visits import visit_distributions
from .openspiel import from_openspiel, policy_from_openspiel
from .quantities import (
    BestResponse,
    best_response,
    constant_sum,
    expected_payoff,
    expected_payoffs,
    interim_power,
    is_nash,
    nash_conv,
    power,
    power_sum,
    reach_probabilities,
    regret,
    welfare,
)
from .sequence_form import ZeroSumSolution, solve_zero_sum
from .stochastic import StationaryProfile, StochasticGame
from .tree import ExtensiveGame, Infoset, Node, TreeSpec, chance, decision, terminal
from .two_agents import JointMDP, correlated_power, h_power

# ``ExtensiveGame.from_openspiel("kuhn_poker")`` (issue 11): the model layer may not import the
# OpenSpiel adapter, so the classmethod is attached here, where both are in reach.
ExtensiveGame.from_openspiel = staticmethod(from_openspiel)  # type: ignore[attr-defined]

__all__ = [
    "ExtensiveGame",
    "Node",
    "Infoset",
    "TreeSpec",
    "chance",
    "decision",
    "terminal",
    "BehaviourProfile",
    "BestResponse",
    "best_response",
    "power",
    "power_sum",
    "expected_payoff",
    "expected_payoffs",
    "welfare",
    "reach_probabilities",
    "regret",
    "nash_conv",
    "is_nash",
    "interim_power",
    "constant_sum",
    "catalog",
    "from_openspiel",
    "policy_from_openspiel",
    "solve_zero_sum",
    "ZeroSumSolution",
    "MDP",
    "FiniteRewards",
    "IidUniform",
    "optimal_values",
    "OptimalValues",
    "mdp_power",
    "power_pieces",
    "power_limits",
    "visit_distributions",
    "JointMDP",
    "h_power",
    "correlated_power",
    "StochasticGame",
    "StationaryProfile",
]
