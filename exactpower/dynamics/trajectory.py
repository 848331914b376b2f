"""A learning rule followed exactly: :func:`trajectory` returns a frozen :class:`Trajectory`.

Each :class:`Step` holds the profile and, computed by the library's own functions
(:func:`exactpower.power`, :func:`exactpower.welfare`, :func:`exactpower.nash_conv`), every
player's POWER, ΣPOWER, the welfare and NashConv -- all exact (sympy Rationals).  Step 0 is
the starting profile; step ``k`` is the state after ``k`` steps of the rule
(:mod:`exactpower.dynamics.rules`).

Denominators grow (the replicator roughly triples their digits at each step).  Each new
profile is measured before its numbers are computed, and the numbers after: if a
denominator of a strategy, or a numerator or denominator of POWER, ΣPOWER, the welfare or
NashConv, would have more than ``max_digits`` decimal digits (default
``MAX_DYNAMICS_DIGITS`` = 4000, which keeps every value printable: Python's ``str`` of an
int stops at 4300 digits) the trajectory ends before that step, and
:attr:`Trajectory.stopped` says ``"step k would exceed N digits (...)"``.
``time_limit`` (seconds, optional) ends it the same way when the clock runs out.

>>> from exactpower import BayesianGame, StrategyProfile
>>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> s = StrategyProfile.from_dict(g, {"1": "0", "2": "0"})
>>> t = trajectory(g, s, "fictitious-play", 2)
>>> [(x.step, x.power_sum, x.nash_conv) for x in t.steps]
[(0, 2, 2), (1, 1, 1), (2, 4/3, 4/3)]
>>> t.stopped is None, type(t.steps[2].power_sum).__name__
(True, 'Rational')
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import sympy

from ..errors import GameStructureError, LimitError
from ..game import BayesianGame
from ..io import dumps
from ..limits import MAX_DENOMINATOR_DIGITS, MAX_DYNAMICS_DIGITS, MAX_DYNAMICS_STEPS
from ..power import power
from ..profile import StrategyProfile
from ..regret import nash_conv
from ..utility import welfare
from .rules import RULES, check_rational, check_rounding, check_step_size, step

__all__ = [
    "Step",
    "Trajectory",
    "trajectory",
    "measure",
    "profile_digits",
    "digits",
    "step_digits",
    "MAX_DYNAMICS_DIGITS",
    "MAX_DYNAMICS_STEPS",
]

#: The keys of one step of :meth:`Trajectory.to_data`.
STEP_KEYS = ("step", "profile", "power", "power_sum", "welfare", "nash_conv")


@dataclass(frozen=True)
class Step:
    """One state of a trajectory and its numbers (exact)."""

    step: int
    profile: StrategyProfile
    power: dict
    power_sum: sympy.Rational
    welfare: sympy.Rational
    nash_conv: sympy.Rational

    def to_data(self) -> dict:
        """``{step, profile (profile-v1), power {player: str}, power_sum, welfare, nash_conv}``."""
        return {
            "step": self.step,
            "profile": json.loads(dumps(self.profile)),
            "power": {k: str(v) for k, v in self.power.items()},
            "power_sum": str(self.power_sum),
            "welfare": str(self.welfare),
            "nash_conv": str(self.nash_conv),
        }


@dataclass(frozen=True)
class Trajectory:
    """The states of one run of a rule; ``stopped`` says why it ended early (else ``None``)."""

    rule: str
    step_size: sympy.Rational | None
    steps: tuple
    stopped: str | None
    #: the rounded replicator's denominator ``K`` (``None``: no rounding)
    round_to: int | None = None

    def to_data(self) -> dict:
        """The ``dynamics --json`` document: ``rule``, ``step_size``, ``round_to``, ``steps``,
        ``stopped``."""
        return {
            "rule": self.rule,
            "step_size": None if self.step_size is None else str(self.step_size),
            "round_to": self.round_to,
            "steps": [s.to_data() for s in self.steps],
            "stopped": self.stopped,
        }


def measure(game: BayesianGame, profile: StrategyProfile, k: int) -> Step:
    """The :class:`Step` number ``k`` at ``profile``."""
    powers = {p.name: power(game, profile, i) for i, p in enumerate(game.players)}
    return Step(
        step=k,
        profile=profile,
        power=powers,
        power_sum=sum(powers.values(), sympy.Integer(0)),
        welfare=welfare(game, profile),
        nash_conv=nash_conv(game, profile),
    )


def digits(n: int) -> int:
    """Decimal digits of ``|n|`` (``0`` has one), from its bit length -- no ``str`` of a
    long int, which Python refuses beyond 4 300 digits.

    >>> digits(0), digits(9), digits(10), digits(-10**5000)
    (1, 1, 2, 5001)
    """
    n = abs(n)
    if n < 10:
        return 1
    k = (n.bit_length() - 1) * 30102999566 // 10**11  # ≤ floor(log10 n) ≤ k + 1
    return k + 1 + (n >= 10 ** (k + 1))


def profile_digits(profile: StrategyProfile) -> int:
    """The most decimal digits of a denominator of a strategy of ``profile``
    (``MAX_DENOMINATOR_DIGITS + 1`` when the array layer refuses it as too long).

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[1, 0, 0]])
    >>> profile_digits(StrategyProfile.from_dict(g, {"1": {"0": "1/128", "1": "127/128"}}))
    3
    """
    try:
        rows = profile.row_arrays
    except LimitError:  # over MAX_DENOMINATOR_DIGITS: the arrays refuse to hold it
        return MAX_DENOMINATOR_DIGITS + 1
    return digits(max(max(dens) for _, dens, _ in rows))


def step_digits(state: Step) -> int:
    """The most digits of a numerator or denominator of the numbers of ``state``."""
    values = [state.power_sum, state.welfare, state.nash_conv, *state.power.values()]
    return max(max(digits(int(v.p)), digits(int(v.q))) for v in values)


def _check_request(rule: str, steps: int, step_size, round_to) -> None:
    if rule not in RULES:
        raise GameStructureError(
            f"dynamics: unknown rule {rule!r}; expected one of {', '.join(RULES)}"
        )
    if not isinstance(steps, int) or steps < 0:
        raise GameStructureError(f"dynamics: steps {steps!r}: expected a nonnegative integer")
    if steps > MAX_DYNAMICS_STEPS:
        raise LimitError(
            f"dynamics: {steps} steps: over the limit MAX_DYNAMICS_STEPS = {MAX_DYNAMICS_STEPS}"
        )
    if rule == "replicator":
        check_step_size(step_size)
    elif round_to is not None:
        raise GameStructureError(f"dynamics: rounding is for the replicator, not {rule!r}")
    check_rounding(round_to)


def _next(game, profile, rule, k, eta, limit: int, round_to=None) -> tuple:
    """``(Step k, None)``, or ``(None, why)`` when it would exceed ``limit`` digits."""
    candidate = step(game, profile, rule, k, eta, round_to)
    size = profile_digits(candidate)
    if size <= limit:
        try:
            state = measure(game, candidate, k)
        except LimitError:  # an exact array of its numbers would be too long
            size = MAX_DENOMINATOR_DIGITS + 1
        else:
            size = max(size, step_digits(state))
    if size <= limit:
        return state, None
    has = f"more than {MAX_DENOMINATOR_DIGITS}" if size > MAX_DENOMINATOR_DIGITS else size
    return None, (
        f"step {k} would exceed {limit} digits (a denominator of its profile or a number "
        f"of it has {has}; MAX_DYNAMICS_DIGITS)"
    )


def trajectory(
    game: BayesianGame,
    profile: StrategyProfile,
    rule: str,
    steps: int,
    *,
    step_size=None,
    round_to: int | None = None,
    max_digits: int = MAX_DYNAMICS_DIGITS,
    time_limit: float | None = None,
) -> Trajectory:
    """Follow ``rule`` for ``steps`` steps from ``profile``; every state measured exactly.

    ``rule`` is one of :data:`~exactpower.dynamics.rules.RULES`; ``step_size`` is the
    replicator's ``η`` (a sympy Rational in ``(0, 1]``, required for it, ignored by the
    others); ``round_to=K`` makes it the rounded replicator (each step's strategies
    rounded to the nearest point with denominator ``K``,
    :func:`~exactpower.dynamics.rules.round_row`; replicator only).  The trajectory ends early, with :attr:`Trajectory.stopped` saying why, when a
    profile's denominators or numbers would exceed ``max_digits`` digits (at most
    ``MAX_DENOMINATOR_DIGITS``, where the exact arrays refuse; over the default 4000, a
    value may be too long for Python's ``str`` of an int) or ``time_limit`` seconds have
    passed.
    """
    _check_request(rule, steps, step_size, round_to)
    check_rational(game, profile)
    eta = step_size if rule == "replicator" else None
    start = time.monotonic()
    states = [measure(game, profile, 0)]
    stopped = None
    limit = min(max_digits, MAX_DENOMINATOR_DIGITS)  # beyond it the arrays refuse anyway
    for k in range(1, steps + 1):
        if time_limit is not None and time.monotonic() - start > time_limit:
            stopped = f"time limit of {time_limit} s reached before step {k}"
            break
        state, stopped = _next(game, states[-1].profile, rule, k, eta, limit, round_to)
        if state is None:
            break
        states.append(state)
    return Trajectory(
        rule=rule, step_size=eta, steps=tuple(states), stopped=stopped, round_to=round_to
    )
