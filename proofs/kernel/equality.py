"""The game kernel's check of the equality record and of the conclusion.

Each ``zero`` flag of the slack table is decided by the kernel's own regret (a rational
regret must be decided; ``null`` is allowed only for a symbolic one), every ``false`` has a
valid witness (:func:`check_deviation`), ``holds`` and ``is_equilibrium`` are recomputed --
the latter from the BNE definition (:func:`best_responding`), not from the slacks -- and when
both are decided they agree.  The equality condition of a symbolic game is re-derived by
:func:`proofs.kernel.condition.equality_condition` and compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sympy

from .condition import condition_domains, equality_condition
from .facts import ZERO, Facts, expect_names, expect_same, number, same
from .guard import Reject
from .records import Deviation, TraceRecord
from .theorems import EQUALITY_STATEMENTS, STATEMENTS

__all__ = ["best_responding", "check_conclusion", "check_deviation", "check_equality"]


def _verdict(flags: Sequence[bool | None]) -> bool | None:
    return False if False in flags else (True if all(f is True for f in flags) else None)


def check_deviation(
    d: Deviation, row: dict[str, Any], acts: Sequence[str], who: str, proven: bool
) -> None:
    """``d.better`` attains the maximum and beats ``d.action``, which is played, by ``d.gain``.
    With a nonzero numeric regret (``proven``) the witness only has to be consistent; otherwise
    it is the proof: weight and gain positive numbers make ``Σ_a σ(a)(max − f(a)) > 0``."""
    if d.action not in acts or d.better not in acts:
        raise Reject(f"deviation of {who} names an action not in A_i: {d}")
    a, b = acts.index(d.action), acts.index(d.better)
    expect_same(
        d.gain, row["f"][b] - row["f"][a], f"gain of {d.better!r} over {d.action!r} for {who}"
    )
    weight, gain = row["sigma"][a], number(d.gain)
    if not same(row["f"][b], row["max"]):
        raise Reject(f"deviation of {who}: {d.better!r} does not attain the maximum")
    if proven and not same(weight, ZERO) and not same(d.gain, ZERO):
        return
    if not (isinstance(weight, sympy.Rational) and weight > 0 and gain is not None and gain > 0):
        raise Reject(
            f"deviation of {who}: {d.action!r} must be played with a positive weight "
            f"(has {weight}) and lose a positive number (loses {d.gain})"
        )


def best_responding(row: dict[str, Any]) -> bool | None:
    """The BNE definition for one type: does every action it plays attain the maximum?"""
    played = [
        (w, number(row["max"] - v)) for w, v in zip(row["sigma"], row["f"]) if not same(w, ZERO)
    ]
    losing = [loss is not None and loss > 0 for _, loss in played]
    if all(loss == 0 for _, loss in played):
        return True
    if all(losing) or any(x and isinstance(w, sympy.Rational) for (w, _), x in zip(played, losing)):
        return False  # a positive weight on a losing action (the weights sum to 1)
    return None


def check_equality(trace: TraceRecord, fx: Facts) -> None:
    """The equality record: the slack table, its witnesses, ``holds``, ``is_equilibrium``
    and the equality condition, each recomputed."""
    eq = trace.equality
    if eq.statement != EQUALITY_STATEMENTS[trace.theorem]:
        raise Reject(f"statement {eq.statement!r} is not {EQUALITY_STATEMENTS[trace.theorem]!r}")
    expect_names([(r.player, r.type) for r in eq.slacks], fx.keys(), "slack rows (player, type)")
    zeros, bne = [], []
    for r, (i, k) in zip(eq.slacks, fx.rows):
        row, who = fx.rows[(i, k)], fx.label(i, k)
        expect_same(r.slack, row["slack"], f"slack for {who}")
        reg = number(row["reg"])
        own = True if reg == 0 else (False if reg is not None else None)
        if r.zero is not own and not (own is None and r.zero is False):
            raise Reject(f"slack for {who} is zero: {own}, trace says {r.zero}")
        if (r.zero is False) != (r.deviation is not None):
            raise Reject(
                f"slack for {who}: a witness deviation is required exactly when "
                f"the slack is not zero"
            )
        if r.deviation is not None:
            check_deviation(r.deviation, row, fx.game.players[i].actions, who, own is False)
        zeros.append(r.zero)
        bne.append(best_responding(row))
    holds, is_bne = _verdict(zeros), _verdict(bne)
    if eq.holds is not holds:
        raise Reject(f"equality holds: {holds}, trace says {eq.holds}")
    if eq.is_equilibrium is not is_bne:
        raise Reject(f"σ is a BNE: {is_bne}, trace says {eq.is_equilibrium}")
    domains = condition_domains(fx.game, fx.profile)
    condition = equality_condition(
        [(r["omega"], r["f"], r["sigma"]) for r in fx.rows.values()], domains
    )
    if eq.condition != condition:
        raise Reject(
            f"equality condition on the parameters is {condition}, trace says {eq.condition}"
        )
    if None not in (holds, is_bne) and holds != is_bne:
        raise Reject(f"equality ({holds}) disagrees with BNE ({is_bne}): the theorem fails here")


def check_conclusion(trace: TraceRecord, fx: Facts) -> None:
    """The conclusion: statement, ``power_sum``, ``bound`` and ``gap``."""
    c = trace.conclusion
    if c.statement != STATEMENTS[trace.theorem]:
        raise Reject(f"statement {c.statement!r} is not {STATEMENTS[trace.theorem]!r}")
    expect_same(c.power_sum, fx.value1, "Σ_i POWER")
    expect_same(c.bound, fx.constant if trace.theorem == "power-scarcity" else fx.welfare, "bound")
    expect_same(c.gap, fx.gap, "gap (the sum of slacks)")
