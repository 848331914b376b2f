"""The records the kernels read: plain frozen dataclasses, no behaviour.

A game trace is a :class:`TraceRecord` of :class:`Step` records with an :class:`Equality`
(its :class:`Slack` rows, each with an optional :class:`Deviation`) and a
:class:`Conclusion`; a shape trace is a :class:`ShapeTraceRecord` of
:class:`ShapeHypothesis`, :class:`ShapeStep` and :class:`ShapeEquality` records.  The
untrusted modules extend the two trace records with their JSON form
(:class:`proofs.Trace`, :class:`proofs.ShapeTrace`); the kernels accept any instance of the
records and check the type of every field they read (:mod:`proofs.kernel.guard`).

>>> import sympy
>>> Step(6, "normalisation", "E_t E_{a~σ(t)} c", "=", "c", sympy.Integer(0), {}).rule
'normalisation'
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import sympy

if TYPE_CHECKING:
    from exactpower.game import BayesianGame
    from exactpower.profile import StrategyProfile

__all__ = [
    "Conclusion",
    "Deviation",
    "Equality",
    "ShapeEquality",
    "ShapeHypothesis",
    "ShapeStep",
    "ShapeTraceRecord",
    "Slack",
    "Step",
    "TraceRecord",
]


@dataclass(frozen=True)
class Step:
    """One step of a derivation: ``lhs relation rhs``, by ``rule``, with premises.

    ``value`` is the exact value of ``rhs``; ``premises`` is a dict of plain
    data (names, lists, exact values) that the rule's side conditions are
    checked on.
    """

    index: int
    rule: str
    lhs: str
    relation: str
    rhs: str
    value: sympy.Expr
    premises: dict[str, Any]


@dataclass(frozen=True)
class Deviation:
    """A witness that a slack is not 0: ``action`` is played with positive
    probability and ``better`` earns ``gain > 0`` more (and attains the maximum)."""

    action: str
    better: str
    gain: sympy.Expr


@dataclass(frozen=True)
class Slack:
    """One row of the slack table: ``Ω_i(t_i)·reg_i(t_i)`` for one positive-probability type.

    ``zero`` is ``True``, ``False`` (then ``deviation`` is its witness) or
    ``None`` when it depends on the parameters of a symbolic game.
    """

    player: str
    type: str
    slack: sympy.Expr
    zero: bool | None
    deviation: Deviation | None = None


@dataclass(frozen=True)
class Equality:
    """The equality condition: the slack table and the verdict "equality iff BNE".

    ``holds`` says whether the theorem's inequality is an equality here,
    ``is_equilibrium`` whether ``σ`` is a BNE (``None``: depends on parameters).
    ``condition`` (symbolic games only, else ``None``) is the condition on the
    parameters under which every slack is zero, as text (``"Eq(x, 0)"``); see
    :mod:`proofs.kernel.condition`.
    """

    statement: str
    slacks: tuple[Slack, ...]
    holds: bool | None
    is_equilibrium: bool | None
    condition: str | None = None


@dataclass(frozen=True)
class Conclusion:
    """What the chain proves: ``power_sum`` (``Σ_i POWER``) ≥ ``bound`` (``c`` or
    ``W``), the difference being ``gap`` (the sum of slacks, NashConv)."""

    statement: str
    power_sum: sympy.Expr
    bound: sympy.Expr
    gap: sympy.Expr


@dataclass(frozen=True)
class TraceRecord:
    """The fields of a traced proof of ``theorem`` for one game and profile
    (:class:`proofs.Trace` adds the JSON form)."""

    theorem: str
    game: BayesianGame
    profile: StrategyProfile
    steps: tuple[Step, ...]
    equality: Equality
    conclusion: Conclusion


@dataclass(frozen=True)
class ShapeHypothesis:
    """A hypothesis of a shape theorem: its name, statement and elimination (or None)."""

    name: str
    statement: str
    eliminates: str | None


@dataclass(frozen=True)
class ShapeStep:
    """One step ``lhs relation rhs`` by ``rule``, citing the hypotheses ``uses``.

    ``polynomial`` is the right side's normal form (after the rule's
    eliminations), as ``(coefficient, monomial)`` string pairs; ``premises``
    is plain data (names, polynomials).
    """

    index: int
    rule: str
    lhs: str
    relation: str
    rhs: str
    uses: tuple[str, ...]
    polynomial: tuple[tuple[str, str], ...]
    premises: dict[str, Any]

    @property
    def terms(self) -> int:
        """The number of monomials of the right side's normal form."""
        return len(self.polynomial)


@dataclass(frozen=True)
class ShapeEquality:
    """The equality statement, proved by the rule ``sum-of-nonnegatives``."""

    rule: str
    statement: str
    uses: tuple[str, ...]
    premises: dict[str, Any]

    @property
    def terms(self) -> int:
        """The number of monomials of the total slack."""
        return len(self.premises.get("total", ()))


@dataclass(frozen=True)
class ShapeTraceRecord:
    """The fields of a proof of ``theorem`` for every game of one shape
    (:class:`proofs.ShapeTrace` adds the JSON form)."""

    theorem: str
    players: int
    types: tuple[int, ...]
    actions: tuple[int, ...]
    symbols: tuple[str, ...]
    definitions: dict[str, str]
    hypotheses: tuple[ShapeHypothesis, ...]
    steps: tuple[ShapeStep, ...]
    equality: ShapeEquality
    conclusion: str
