"""One proof API for every kind of game: :func:`power_scarcity`, :func:`check`, :func:`to_latex`.

``proofs.power_scarcity``, ``proofs.check``, ``proofs.check_or_raise`` and ``proofs.to_latex``
are these functions.  Untrusted, like the builders: they only pick, by type, the builder, the
kernel or the renderer of the game's kind --

- a one-shot :class:`~exactpower.BayesianGame`: :func:`proofs.builders.power_scarcity`, the
  game kernel :func:`proofs.kernel.check`, :func:`proofs.latex.to_latex`;
- a game tree (:class:`~exactpower.sequential.ExtensiveGame`):
  :func:`proofs.tree_trace.tree_power_scarcity`, :func:`proofs.kernel.tree.check_tree`,
  :func:`proofs.tree_latex.tree_to_latex`;
- a discounted stochastic game (:class:`~exactpower.sequential.StochasticGame`):
  :func:`proofs.stochastic_trace.stochastic_power_scarcity`,
  :func:`proofs.kernel.stochastic.check_stochastic`,
  :func:`proofs.stochastic_latex.stochastic_to_latex`;

and a shape trace (:func:`proofs.shape_theorem`) goes to the shape kernel
:func:`proofs.kernel.check_shape`.  A trace is routed by its record type (the kernel's
records); anything else goes to the game kernel, which rejects it -- :func:`check` never
raises.  The kernel itself does not dispatch and imports none of this.

>>> import exactpower as ep
>>> from exactpower.sequential import catalog
>>> kuhn = catalog.kuhn_poker()
>>> trace = power_scarcity(kuhn, ep.BehaviourProfile.uniform(kuhn))
>>> type(trace).__name__, trace.theorem, check(trace).status
('TreeTrace', 'power-scarcity', 'valid')
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from exactpower.sequential.dispatch import kind_of

from .builders import power_scarcity as game_power_scarcity
from .kernel import Verdict, check_shape, check_shape_or_raise
from .kernel import check as check_game
from .kernel import check_or_raise as check_game_or_raise
from .kernel.records import ShapeTraceRecord
from .kernel.stochastic import check_stochastic, check_stochastic_or_raise
from .kernel.stochastic_records import StochasticTraceRecord
from .kernel.tree import check_tree, check_tree_or_raise
from .kernel.tree_records import TreeTraceRecord
from .latex import to_latex as game_to_latex
from .stochastic_latex import stochastic_to_latex
from .stochastic_trace import stochastic_power_scarcity
from .tree_latex import tree_to_latex
from .tree_trace import tree_power_scarcity

__all__ = ["power_scarcity", "check", "check_or_raise", "to_latex"]

_BUILDERS: dict[str, Callable[..., Any]] = {
    "bayesian": game_power_scarcity,
    "tree": tree_power_scarcity,
    "stochastic": stochastic_power_scarcity,
}


def power_scarcity(game, profile):
    """Trace ``Σ_i POWER(i, σ) ≥ c`` (a constant-sum game) or ``Σ_i POWER = W + NashConv``
    for a game and a profile of its kind, unchecked: pass the trace to :func:`check`.

    A :class:`~proofs.Trace` for a one-shot game, a :class:`~proofs.tree_trace.TreeTrace`
    for a game tree, a :class:`~proofs.stochastic_trace.StochasticTrace` for a stochastic
    game (there the bound is ``c/(1 − γ)``).  A profile of another kind is an
    :class:`~exactpower.errors.GameKindError`.

    >>> import exactpower as ep
    >>> pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")),
    ...     {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)},
    ...     gamma="1/2")
    >>> trace = power_scarcity(pd, ep.StationaryProfile.uniform(pd))
    >>> trace.theorem, str(trace.conclusion.power_sum), str(trace.conclusion.bound)
    ('general-sum-identity', '8', '6')
    >>> check(trace).status
    'valid'
    """
    return _BUILDERS[kind_of(game, profile, "power_scarcity")](game, profile)


def check(trace) -> Verdict:
    """The kernel's verdict on a trace of any kind (never raises): the tree kernel for a
    tree trace, the stochastic kernel for a stochastic-game trace, the shape kernel for a
    shape trace, the game kernel otherwise.

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> check(power_scarcity(g, ep.BehaviourProfile.uniform(g))).ok
    True
    >>> check("not a trace").status
    'rejected'
    """
    if isinstance(trace, TreeTraceRecord):
        return check_tree(trace)
    if isinstance(trace, StochasticTraceRecord):
        return check_stochastic(trace)
    if isinstance(trace, ShapeTraceRecord):
        return check_shape(trace)
    return check_game(trace)


def check_or_raise(trace) -> Verdict:
    """:func:`check`, raising :class:`~proofs.ProofError` with the message when the kernel
    rejects the trace (:class:`~proofs.kernel.KernelError` on an error inside the kernel)."""
    if isinstance(trace, TreeTraceRecord):
        return check_tree_or_raise(trace)
    if isinstance(trace, StochasticTraceRecord):
        return check_stochastic_or_raise(trace)
    if isinstance(trace, ShapeTraceRecord):
        return check_shape_or_raise(trace)
    return check_game_or_raise(trace)


def to_latex(trace, *, verdict=None) -> str:
    r"""A standalone LaTeX document of a kernel-checked trace of any game kind (the renderer
    of its kind; each checks the trace first unless given an ``ok`` ``verdict`` of
    :func:`check`, and raises :class:`~proofs.ProofError` on a rejection).

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> g = catalog.kuhn_poker()
    >>> doc = to_latex(power_scarcity(g, ep.BehaviourProfile.uniform(g)))
    >>> doc.startswith(r"\documentclass"), "game tree" in doc
    (True, True)
    """
    if isinstance(trace, TreeTraceRecord):
        return tree_to_latex(trace, verdict=verdict)  # type: ignore[arg-type]
    if isinstance(trace, StochasticTraceRecord):
        return stochastic_to_latex(trace, verdict=verdict)  # type: ignore[arg-type]
    return game_to_latex(trace, verdict=verdict)
