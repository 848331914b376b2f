"""The trusted kernel of ``proofs``: the only code that decides whether a trace holds.

- :func:`check` (:mod:`proofs.kernel.rules`, the game kernel) re-derives every claim of a
  game trace from the game and the profile; :func:`check_shape`
  (:mod:`proofs.kernel.shape`, the shape kernel) every polynomial of a shape trace.
- :mod:`proofs.kernel.theorems`: the theorem tables, written once; :mod:`~proofs.kernel.loop`:
  the rule loop both kernels share and the verdict around it; :mod:`~proofs.kernel.guard`:
  :class:`Verdict`, the errors, type and definedness checks; :mod:`~proofs.kernel.facts`:
  what the game kernel computes and its normal form; :mod:`~proofs.kernel.equality`: the
  game kernel's equality record and conclusion; :mod:`~proofs.kernel.condition`: the
  equality condition of a symbolic game; :mod:`~proofs.kernel.ring`: the shape kernel's
  polynomial ring; :mod:`~proofs.kernel.records`: the records a trace is made of.

The kernel imports nothing from the builders, the serialisers, the renderer or exactpower's
engine (``tests/test_kernel_layer.py`` parses its imports); the untrusted modules of
``proofs`` import their tables and records from here.

>>> from proofs import shape_theorem
>>> sorted(RULES) == sorted(SHAPE_RULES), check_shape(shape_theorem(1, 1, 2)).status
(True, 'valid')
"""

from .condition import condition_domains, equality_condition
from .facts import same
from .guard import KernelError, ProofError, Verdict
from .records import (
    Conclusion,
    Deviation,
    Equality,
    ShapeEquality,
    ShapeHypothesis,
    ShapeStep,
    ShapeTraceRecord,
    Slack,
    Step,
    TraceRecord,
)
from .rules import RULES, check, check_or_raise
from .shape import RULES as SHAPE_RULES
from .shape import check_shape, check_shape_or_raise
from .theorems import (
    EQUALITY_STATEMENTS,
    NOTATION,
    RELATIONS,
    SHAPE_NOTATION,
    STATEMENTS,
    THEOREMS,
)

__all__ = [
    "EQUALITY_STATEMENTS",
    "NOTATION",
    "RELATIONS",
    "RULES",
    "SHAPE_NOTATION",
    "SHAPE_RULES",
    "STATEMENTS",
    "THEOREMS",
    "Conclusion",
    "Deviation",
    "Equality",
    "KernelError",
    "ProofError",
    "ShapeEquality",
    "ShapeHypothesis",
    "ShapeStep",
    "ShapeTraceRecord",
    "Slack",
    "Step",
    "TraceRecord",
    "Verdict",
    "check",
    "check_or_raise",
    "check_shape",
    "check_shape_or_raise",
    "condition_domains",
    "equality_condition",
    "same",
]
