"""exactpower: exact multi-agent POWER in finite Bayesian games.

Every value is exact -- a sympy ``Rational`` or a sympy expression in declared
parameters -- and floats are refused at the door (:func:`as_exact`).

>>> from exactpower import BayesianGame, StrategyProfile, power, power_sum
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> sigma = StrategyProfile.from_dict(mp, {"1": "0", "2": "0"})
>>> power(mp, sigma, "1"), power(mp, sigma, "2"), power_sum(mp, sigma)
(1, 1, 2)
"""

from .bounds import PowerBound, best_case_power, worst_case_power
from .constant_sum import ConstantSum, constant_sum
from .equilibria import Equilibrium, EquilibriumSet, equilibria
from .errors import (
    ConstantSumError,
    CoverageError,
    ExpressionError,
    FileFormatError,
    GameError,
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
from .power import power, power_sum, single_agent_power
from .profile import StrategyProfile
from .regret import is_bayesian_nash, nash_conv, regret, regrets
from .report import Report, report
from .utility import interim_utilities, interim_utility, welfare

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
    "GameError",
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
