"""The proof module of exactpower: traced proofs of the power-scarcity theorem.

A builder (:func:`power_scarcity`) writes a proof as plain data, a
:class:`Trace` of :class:`Step` records; the kernel (:func:`check`)
re-derives every claim from the game and the profile and returns a
:class:`Verdict`.  ``exactpower`` never imports this package.

>>> from exactpower import BayesianGame, StrategyProfile
>>> from proofs import power_scarcity, check
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> trace = power_scarcity(mp, StrategyProfile.uniform(mp))
>>> check(trace).ok, trace.conclusion.statement, trace.equality.holds
(True, 'Σ_i POWER(i,σ) ≥ c', True)
"""

from .builders import power_scarcity
from .kernel import Verdict, check, check_or_raise
from .latex import to_latex
from .shape import ShapeTrace, check_shape, shape_theorem
from .trace import Conclusion, Deviation, Equality, ProofError, Slack, Step, Trace

__all__ = ["power_scarcity", "check", "check_or_raise", "Trace", "Step", "Verdict", "ProofError",
           "Slack", "Deviation", "Equality", "Conclusion", "to_latex"]
__all__ += ["shape_theorem", "check_shape", "ShapeTrace"]
