"""The proof module of exactpower: traced proofs of the power-scarcity theorem.

A builder (:func:`power_scarcity`) writes a proof as plain data, a
:class:`Trace` of :class:`Step` records; the kernel (:func:`check`)
re-derives every claim from the game and the profile and returns a
:class:`Verdict`.  ``exactpower`` never imports this package.  Stored traces of
either format are read by :func:`read_trace` (exact JSON, exact key sets, see
:mod:`proofs.reading`) and checked by :func:`check_trace`, which picks the
kernel (:func:`check` or :func:`check_shape`) by the trace's ``format``.

>>> from exactpower import BayesianGame, StrategyProfile
>>> from proofs import power_scarcity, check
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> trace = power_scarcity(mp, StrategyProfile.uniform(mp))
>>> check(trace).ok, trace.conclusion.statement, trace.equality.holds
(True, 'Σ_i POWER(i,σ) ≥ c', True)

:func:`power_scarcity`, :func:`check`, :func:`check_or_raise` and :func:`to_latex` take game
trees and discounted stochastic games too, by type (:mod:`proofs.dispatch`): the builder,
kernel and renderer of the game's kind.

>>> from exactpower import BehaviourProfile
>>> from exactpower.sequential import catalog
>>> kuhn = catalog.kuhn_poker()
>>> check(power_scarcity(kuhn, BehaviourProfile.uniform(kuhn))).status
'valid'
"""

from .dispatch import check, check_or_raise, power_scarcity, to_latex
from .kernel import (
    Conclusion,
    Deviation,
    Equality,
    ProofError,
    Slack,
    Step,
    Verdict,
    check_shape,
)
from .reading import check_trace, load_trace, read_trace
from .shape import ShapeTrace, shape_theorem
from .trace import Trace

__all__ = [
    "Conclusion",
    "Deviation",
    "Equality",
    "ProofError",
    "Slack",
    "Step",
    "Trace",
    "Verdict",
    "check",
    "check_or_raise",
    "power_scarcity",
    "to_latex",
]
__all__ += ["ShapeTrace", "check_shape", "shape_theorem"]
__all__ += ["check_trace", "load_trace", "read_trace"]
