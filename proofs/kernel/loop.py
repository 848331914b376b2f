"""The rule loop shared by the two kernels, and the verdict around it.

Both kernels check a trace the same way: the theorem is known (:func:`known_theorem`),
its steps are its rules in order with each rule's claim (:func:`check_claims`), each step's
rule returns the kernel's own left and right side (:func:`run_rules`), and the whole check
runs inside :func:`guarded`, which turns an explicit rejection into a ``"rejected"``
verdict and any other exception into a kernel error (``"error"``: a bug in the kernel,
never a verdict on the trace).  What differs between the kernels -- values compared in the
normal form of :mod:`proofs.kernel.facts`, or polynomials in the ring of
:mod:`proofs.kernel.ring` -- is the *algebra* object handed to the rules and the loop: it
provides ``equal(a, b)``, ``written(step, rhs)`` (raise :class:`Reject` unless the step's
written right side is ``rhs``) and ``difference(lhs, rhs)`` (the message of a failed
identity).

>>> guarded(lambda at: "valid").status
'valid'
>>> def reject(at):
...     at.part = "conclusion"
...     raise Reject("no")
>>> guarded(reject).message
'conclusion: no'
>>> guarded(lambda at: 1 / 0).status
'error'
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, Protocol

from .guard import Reject, Verdict, kernel_error, rejection
from .theorems import THEOREMS

__all__ = ["Progress", "check_claims", "guarded", "known_theorem", "run_rules"]


class _Step(Protocol):
    """What the loop reads of a step (:class:`~proofs.kernel.records.Step` or
    :class:`~proofs.kernel.records.ShapeStep`)."""

    @property
    def index(self) -> int: ...
    @property
    def rule(self) -> str: ...
    @property
    def lhs(self) -> str: ...
    @property
    def relation(self) -> str: ...
    @property
    def rhs(self) -> str: ...


class Progress:
    """Which part of the trace a check is in (``None``: the steps), for the verdict."""

    def __init__(self) -> None:
        self.part: str | None = None


def guarded(body: Callable[[Progress], str]) -> Verdict:
    """Run ``body`` (its return value is the message of a valid verdict); never raises.

    An explicit :class:`Reject` is a rejection naming the step, the rule or the part; any
    other exception is a kernel error (:func:`proofs.kernel.guard.kernel_error`).
    """
    at = Progress()
    try:
        message = body(at)
    except Reject as exc:  # the trace is wrong or malformed: checked explicitly
        return rejection(exc, at.part)
    except Exception as exc:  # noqa: BLE001 -- anything else is a kernel bug, not a verdict
        return kernel_error(exc, at.part)
    return Verdict(True, message)


def known_theorem(theorem: str) -> tuple[str, ...]:
    """The rules of ``theorem`` (a string: the types are checked first)."""
    rules = THEOREMS.get(theorem)
    if rules is None:
        raise Reject(f"unknown theorem {theorem!r} (known: {', '.join(THEOREMS)})")
    return rules


def check_claims(
    theorem: str, steps: Sequence[_Step], claims: Mapping[str, tuple[str, ...]]
) -> None:
    """The steps are the theorem's rules in order, indexed 1..n, each claiming exactly its
    rule's ``(lhs, relation, rhs)`` of ``claims``."""
    rules = known_theorem(theorem)
    if len(steps) != len(rules):
        raise Reject(f"{theorem} has {len(rules)} steps, trace has {len(steps)}")
    for k, (step, rule) in enumerate(zip(steps, rules), 1):
        if step.index != k or step.rule != rule:
            raise Reject(
                f"step {k} of {theorem} is {rule!r}, trace has index "
                f"{step.index!r} and rule {step.rule!r}",
                k,
                step.rule,
            )
        if (step.lhs, step.relation, step.rhs) != claims[rule]:
            raise Reject(
                f"claim {step.lhs} {step.relation} {step.rhs} is not the rule's "
                f"{' '.join(claims[rule])}",
                k,
                rule,
            )


def run_rules(
    steps: Sequence[Any], rules: Mapping[str, Callable[..., tuple[Any, Any]]], algebra: Any
) -> Any:
    """Each step by its rule; returns the ``≥`` step's left minus right side (or ``None``).

    ``rules[step.rule](step, algebra)`` checks the step's premises and side conditions and
    returns the kernel's own ``(lhs, rhs)``; the step's written right side must be ``rhs``,
    and for ``=`` the two sides must be equal.  The left side of each rule is, by
    definition, the previous rule's right side (the tables of
    :mod:`proofs.kernel.theorems` chain), so the steps chain.  ``rules`` is looked up at
    each step (a test replaces a rule in :data:`proofs.kernel.RULES`).
    """
    gap = None
    for step in steps:
        try:
            lhs, rhs = rules[step.rule](step, algebra)
            algebra.written(step, rhs)
            if step.relation == "=" and not algebra.equal(lhs, rhs):
                raise Reject(algebra.difference(lhs, rhs))
            if step.relation == "≥":
                gap = lhs - rhs
        except Reject as exc:
            raise Reject(exc.args[0], step.index, step.rule) from None
    return gap
