"""exactpower: exact multi-agent POWER in finite Bayesian games.

Every value is exact -- a sympy ``Rational`` or a sympy expression in declared
parameters -- and floats are refused at the door (:func:`as_exact`).

>>> from exactpower import BayesianGame, StrategyProfile, power, power_sum
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> sigma = StrategyProfile.from_dict(mp, {"1": "0", "2": "0"})
>>> power(mp, sigma, "1"), power(mp, sigma, "2"), power_sum(mp, sigma)
(1, 1, 2)

The same functions take game trees (:class:`ExtensiveGame` with a :class:`BehaviourProfile`)
and discounted stochastic games (:class:`StochasticGame` with a :class:`StationaryProfile`),
by the game's type (:mod:`exactpower.sequential.dispatch`); an MDP's POWER is
:func:`mdp_power`:

>>> tree = ExtensiveGame.from_bayesian(mp)
>>> power(tree, BehaviourProfile.from_strategy(tree, sigma), "1"), nash_conv(mp, sigma)
(1, 2)
"""

from .bounds import PowerBound, best_case_power, worst_case_power
from .constant_sum import ConstantSum
from .equilibria import Equilibrium, EquilibriumSet, equilibria
from .errors import (
    ConstantSumError,
    CoverageError,
    ExpressionError,
    FileFormatError,
    GameError,
    GameKindError,
    GameStructureError,
    InexactValueError,
    LimitError,
    ParameterError,
    ProbabilityError,
    ProfileError,
    UndecidedError,
    ZeroProbabilityError,
)
from .exact import Parameter, as_exact
from .exact.floats import rationalize
from .game import BayesianGame, Player, independent_prior
from .io import dump, dumps, load, load_profile, loads, loads_profile
from .power import single_agent_power
from .profile import StrategyProfile
from .regret import regrets
from .report import Report
from .sequential import (
    MDP,
    BehaviourProfile,
    ExtensiveGame,
    FiniteRewards,
    IidUniform,
    StationaryProfile,
    StochasticGame,
    mdp_power,
)
from .sequential.dispatch import (
    constant_sum,
    is_bayesian_nash,
    is_nash,
    nash_conv,
    power,
    power_sum,
    regret,
    report,
    welfare,
)
from .utility import interim_utilities, interim_utility

__version__ = "0.1.0"

__all__ = [
    "BayesianGame",
    "Player",
    "Parameter",
    "StrategyProfile",
    "independent_prior",
    "load",
    "loads",
    "load_profile",
    "loads_profile",
    "dump",
    "dumps",
    "as_exact",
    "rationalize",
    "interim_utility",
    "interim_utilities",
    "power",
    "power_sum",
    "welfare",
    "regret",
    "regrets",
    "nash_conv",
    "is_bayesian_nash",
    "is_nash",
    "constant_sum",
    "report",
    "Report",
    "equilibria",
    "EquilibriumSet",
    "Equilibrium",
    "ConstantSum",
    "single_agent_power",
    "best_case_power",
    "worst_case_power",
    "PowerBound",
    "ExtensiveGame",
    "BehaviourProfile",
    "StochasticGame",
    "StationaryProfile",
    "MDP",
    "FiniteRewards",
    "IidUniform",
    "mdp_power",
    "GameError",
    "GameKindError",
    "InexactValueError",
    "ExpressionError",
    "ParameterError",
    "ProbabilityError",
    "GameStructureError",
    "CoverageError",
    "ProfileError",
    "FileFormatError",
    "LimitError",
    "ZeroProbabilityError",
    "UndecidedError",
    "ConstantSumError",
]
