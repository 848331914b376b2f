"""Small games, exhaustively: finite game classes up to symmetry, and checks over them.

- :mod:`exactpower.small.classes` -- :class:`GameClass`, a finite class of
  Bayesian games iterated one game per symmetry orbit (the prior families in
  :mod:`exactpower.small.priors`, the scan in :mod:`exactpower.small.spaces`);
- :mod:`exactpower.small.canonical` -- relabellings and canonical forms;
- :mod:`exactpower.small.check` -- the theorem's steps for a batch of games, in
  exact integer arithmetic;
- :mod:`exactpower.small.exhaust` -- :func:`~exactpower.small.exhaust.exhaust`,
  the check over a whole class, returning an :class:`ExhaustSummary` (its arguments and
  summary in :mod:`exactpower.small.summary`, the equilibria of a batch of games in
  :mod:`exactpower.small.batch_equilibria`);
- :mod:`exactpower.small.runners` -- where the work units run (this process,
  local processes, a Dask cluster);
- :mod:`exactpower.small.conjecture` -- the article's open questions.

The function ``exhaust`` is not re-exported here: ``exactpower.small.exhaust``
is the module (``from exactpower.small.exhaust import exhaust``).  See
``docs/exhaust.md`` and ``docs/conjectures.md``.

>>> GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum").count()
ClassCount(raw=81, classes=15, orbits=81)
"""

from .canonical import Relabelling
from .classes import ClassCount, ClassGame, FixedPrior, GameClass, Unit
from .exhaust import ExhaustSummary

__all__ = [
    "GameClass",
    "FixedPrior",
    "ClassGame",
    "ClassCount",
    "Unit",
    "Relabelling",
    "ExhaustSummary",
]
