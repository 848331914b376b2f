"""The theorem tables and records of stochastic-game traces (``exactpower/stochastic-trace-v1``).

A stochastic trace proves, for one discounted stochastic game (SPEC §8) with rational data
and one stationary profile σ, the power-scarcity theorem ``Σ_i POWER(i,σ) ≥ c/(1−γ)`` of a
constant-sum game, or the general-sum identity ``Σ_i POWER(i,σ) = W(σ) + NashConv(σ)``.

Notation of the claims (:data:`STOCHASTIC_NOTATION`): ``W_i`` is the optimal value of the MDP
``σ_-i`` induces for player ``i``, certified by the Bellman optimality equations; ``V_i^σ``
player ``i``'s value under σ (the solution of ``V = r_σ + γ P_σ V``); ``μ·X`` is
``Σ_s μ(s)·X(s)``; ``ρ_σ = μ (I − γ P_σ)^{-1}`` the discounted state occupancy;
``E_{a~σ(s)} X`` is ``Σ_a Π_j σ_j(s)(a_j)·X``; ``c`` the constant sum; ``W(σ) = Σ_i V_i^σ(μ)``.

The kernel (:mod:`proofs.kernel.stochastic`) checks a :class:`StochasticTraceRecord`; the
untrusted :class:`proofs.stochastic_trace.StochasticTrace` adds the JSON form.  Steps and
the conclusion are the records of game traces (:mod:`proofs.kernel.records`).

>>> STOCHASTIC_THEOREMS["power-scarcity"][-1], STOCHASTIC_NOTATION["normalisation"][2]
('normalisation', 'c/(1−γ)')
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING

import sympy

from exactpower.limits import MAX_RESULT_DIGITS

from .guard import Reject
from .records import Conclusion, Deviation, Step

if TYPE_CHECKING:
    from exactpower.sequential.stochastic import StationaryProfile, StochasticGame

__all__ = [
    "STOCHASTIC_EQUALITY_STATEMENTS",
    "STOCHASTIC_NOTATION",
    "STOCHASTIC_STATEMENTS",
    "STOCHASTIC_THEOREMS",
    "StochasticEquality",
    "StochasticSlack",
    "StochasticTraceRecord",
    "common_denominator",
    "digits",
    "show",
    "Conclusion",
    "Deviation",
    "Step",
]

#: ``theorem -> its rules, in order`` (step ``k`` uses rule ``k - 1``).
STOCHASTIC_THEOREMS: dict[str, tuple[str, ...]] = {
    "power-scarcity": (
        "power-definition",
        "max-dominates-mean",
        "occupancy-expectation",
        "linearity",
        "constant-sum",
        "normalisation",
    ),
    "general-sum-identity": (
        "power-definition",
        "max-dominates-mean",
        "occupancy-expectation",
        "linearity",
        "slack-sum",
    ),
}
#: ``theorem -> what the chain proves``.
STOCHASTIC_STATEMENTS: dict[str, str] = {
    "power-scarcity": "Σ_i POWER(i,σ) ≥ c/(1−γ)",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) + NashConv(σ) ≥ W(σ)",
}
#: ``theorem -> its equality statement``.
STOCHASTIC_EQUALITY_STATEMENTS: dict[str, str] = {
    "power-scarcity": "Σ_i POWER(i,σ) = c/(1−γ) iff σ is a Nash equilibrium from μ",
    "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) iff σ is a Nash equilibrium from μ",
}

_POWER_SUM = "Σ_i POWER(i,σ)"
_CERTIFIED = "Σ_i μ·W_i"
_VALUES = "Σ_i μ·V_i^σ"
_OCCUPANCY = "Σ_i Σ_s ρ_σ(s)·E_{a~σ(s)} r_i(s,a)"
_WELFARE = "Σ_s ρ_σ(s)·E_{a~σ(s)} Σ_i r_i(s,a)"
_MASS = "Σ_s ρ_σ(s)·c"
#: ``rule -> (lhs, relation, rhs)`` of a stochastic trace.
STOCHASTIC_NOTATION: dict[str, tuple[str, str, str]] = {
    "power-definition": (_POWER_SUM, "=", _CERTIFIED),
    "max-dominates-mean": (_CERTIFIED, "≥", _VALUES),
    "occupancy-expectation": (_VALUES, "=", _OCCUPANCY),
    "linearity": (_OCCUPANCY, "=", _WELFARE),
    "constant-sum": (_WELFARE, "=", _MASS),
    "normalisation": (_MASS, "=", "c/(1−γ)"),
    "slack-sum": (_POWER_SUM, "=", "W(σ) + NashConv(σ)"),
}


@dataclass(frozen=True)
class StochasticSlack:
    """One row of the slack table: ``player`` in a state ``state`` reached from μ.

    ``occupancy`` is ``ρ_σ(s) > 0``; ``regret`` the one-step regret
    ``d_i(s) = W_i(s) − Σ_a σ_i(s)(a)·Q_i(s,a) ≥ 0``; ``slack = ρ_σ(s)·d_i(s)``.  ``zero``
    says whether the slack is 0; when ``False``, ``deviation`` is a witness: an action
    played with positive probability and a ``better`` one attaining ``W_i(s)``, with their
    ``gain`` ``Q_i(s, better) − Q_i(s, action) > 0``.
    """

    player: str
    state: str
    occupancy: sympy.Expr
    regret: sympy.Expr
    slack: sympy.Expr
    zero: bool
    deviation: Deviation | None = None


@dataclass(frozen=True)
class StochasticEquality:
    """The equality condition: the slack table (one row per player and reached state),
    whether every slack is zero (``holds``) and whether σ is a Nash equilibrium from μ."""

    statement: str
    slacks: tuple[StochasticSlack, ...]
    holds: bool
    is_equilibrium: bool


@dataclass(frozen=True)
class StochasticTraceRecord:
    """The fields of a traced proof of ``theorem`` for one stochastic game and stationary
    profile (:class:`proofs.stochastic_trace.StochasticTrace` adds the JSON form)."""

    theorem: str
    game: StochasticGame
    profile: StationaryProfile
    steps: tuple[Step, ...]
    equality: StochasticEquality
    conclusion: Conclusion


# -- exact numbers in the kernel's messages and sums -------------------------------------------

#: Digits of a numerator or denominator the kernel prints in full (Python's ``str`` of an
#: int refuses more than 4300; a longer one is shown by its size).
SHOWN_DIGITS = 4000


def show(x: Fraction) -> str:
    """``x`` as ``p`` or ``p/q``; a number too long to print is shown by its size.

    >>> show(Fraction(-3, 4)), show(Fraction(1, 10**5000))
    ('-3/4', '(a rational with a 5001-digit denominator)')
    """
    for part, name in ((x.denominator, "denominator"), (x.numerator, "numerator")):
        if abs(part).bit_length() > SHOWN_DIGITS * 10 // 3:
            return f"(a rational with a {digits(part)}-digit {name})"
    return str(x.numerator) if x.denominator == 1 else f"{x.numerator}/{x.denominator}"


def digits(n: int) -> int:
    """The number of decimal digits of ``n ≠ 0``, without ``str`` (which refuses long ints)."""
    n, d = abs(n), int(abs(n).bit_length() * 0.30102999566398120)
    return d + 1 if n >= 10**d else d


def common_denominator(values: list[Fraction], what: str) -> None:
    """Refuse ``values`` whose common denominator has more than ``MAX_RESULT_DIGITS`` digits,
    before any sum over them: a sum of fractions with unrelated long denominators has a
    denominator as long as all of theirs together (minutes of gcds), while honest values
    (solutions of one linear system, a game's data) share one.

    >>> common_denominator([Fraction(1, 3), Fraction(2, 9)], "W")
    >>> common_denominator([Fraction(1, 10**4000), Fraction(1, 3)], "W")
    Traceback (most recent call last):
    ...
    proofs.kernel.guard.Reject: W: the common denominator has more than MAX_RESULT_DIGITS = 4000 digits
    """
    bound, d = 10**MAX_RESULT_DIGITS, 1
    for v in values:
        d = d // math.gcd(d, v.denominator) * v.denominator
        if d >= bound:
            raise Reject(
                f"{what}: the common denominator has more than MAX_RESULT_DIGITS = "
                f"{MAX_RESULT_DIGITS} digits"
            )
