"""One step of a learning rule, exactly, on a rational Bayesian game (per type).

Every rule reads the interim table ``F_i = Ω_i(t_i) · f_i(t_i, ·, σ_-i)`` of each player
(:func:`exactpower.contraction.interim_numerators`: integer numerators over one
denominator) and returns the next :class:`~exactpower.StrategyProfile`, built from integer
weights (:meth:`~exactpower.StrategyProfile.from_arrays`, which reduces every row).  A type
of prior probability 0 has no interim utility: every rule leaves its strategy as it is.

- ``"best-response"`` (simultaneous): every player, every type, plays the first action (in
  the game's order) that maximises ``f_i(t_i, ·, σ_-i)`` -- ties go to the first action.
- ``"alternating-best-response"``: the same for one player per step, players in turn (step
  ``k`` moves player ``(k − 1) mod n``); the others keep their strategies.
- ``"fictitious-play"``: the profile is the empirical average ``x^k`` of the play so far,
  the starting profile counting as the first observation (``x^0 = σ^0``).  At step ``k``
  each player best-responds per type (ties to the first action) to the others' average:
  ``b = BR(x^{k−1})`` and ``x^k = x^{k−1} + (b − x^{k−1}) / (k + 1)``.
- ``"replicator"`` (discrete time, rational step ``η`` with ``0 < η ≤ 1``): per type,
  ``x_a ← x_a · (1 + η (u_a − ū))`` where ``u_a = (f_i(t_i, a, σ_-i) − m_i) / R_i`` and
  ``ū = Σ_a x_a u_a``; ``m_i`` and ``R_i = M_i − m_i`` are the least reward and the range of
  player ``i``'s rewards on the prior's support.  The payoffs are *shifted and scaled* into
  ``[0, 1]`` (the shift ``m_i`` cancels in ``u_a − ū``; the scale makes the rule invariant
  under positive affine maps of the rewards), so ``|u_a − ū| ≤ 1`` and every factor is
  ``≥ 1 − η ≥ 0``: the new weights stay a probability distribution (``Σ_a x_a (u_a − ū) =
  0``).  A player whose rewards are constant (``R_i = 0``) does not move.
- the **rounded replicator** (``round_to=K``, a positive integer): the same step, after
  which every strategy the step updated is replaced by the point of the simplex with
  denominator ``K`` nearest to it (:func:`round_row`: largest remainders, ties to the first
  action).  A different dynamic, defined exactly: each step is exact given the previous
  rounded point, and denominators stay at most ``K`` (the plain replicator's triple in
  digits at each step).  An action whose weight rounds to 0 is extinct for good.

>>> from exactpower import BayesianGame, StrategyProfile
>>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> s = StrategyProfile.from_dict(g, {"1": "0", "2": "0"})
>>> step(g, s, "best-response", 1).to_dict()
{'1': {'-': {'0': 1}}, '2': {'-': {'1': 1}}}
>>> step(g, s, "fictitious-play", 1).to_dict()
{'1': {'-': {'0': 1}}, '2': {'-': {'0': 1/2, '1': 1/2}}}
>>> step(g, s, "replicator", 1, sympy.Rational(1, 2)).to_dict()
{'1': {'-': {'0': 1}}, '2': {'-': {'0': 1}}}
>>> m = StrategyProfile.from_dict(g, {"1": {"0": "3/4", "1": "1/4"}, "2": {"0": "1/2", "1": "1/2"}})
>>> step(g, m, "replicator", 1, sympy.Rational(1, 2)).to_dict()["2"]
{'-': {'0': 7/16, '1': 9/16}}
>>> step(g, m, "replicator", 1, sympy.Rational(1, 2), round_to=10).to_dict()["2"]
{'-': {'0': 2/5, '1': 3/5}}
"""

from __future__ import annotations

import math
import weakref
from fractions import Fraction

import numpy as np
import sympy

from ..contraction import interim_numerators
from ..errors import GameStructureError
from ..game import BayesianGame
from ..profile import StrategyProfile

__all__ = [
    "RULES",
    "step",
    "best_response_step",
    "fictitious_play_step",
    "replicator_step",
    "first_best",
    "check_step_size",
    "check_rounding",
    "round_row",
    "positive_types",
]

#: The rules, by name.
RULES = ("best-response", "alternating-best-response", "fictitious-play", "replicator")

#: Per game: which types have positive probability, and the reward ranges (computed once).
_CACHE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _cache(game: BayesianGame) -> dict:
    return _CACHE.setdefault(game, {})


def check_rational(game: BayesianGame, profile: StrategyProfile) -> None:
    """Refuse a symbolic game or profile: the rules need numbers."""
    profile.check_game(game)
    if game.is_symbolic or profile.is_symbolic:
        raise GameStructureError(
            "dynamics: the game or the profile has parameters; substitute numbers first"
        )


def check_step_size(eta) -> sympy.Rational:
    """``η`` as a sympy Rational in ``(0, 1]``, else :class:`GameStructureError`.

    >>> check_step_size(sympy.Rational(1, 10))
    1/10
    """
    if not isinstance(eta, sympy.Rational) or not 0 < eta <= 1:
        raise GameStructureError(
            f"dynamics: the replicator step must be a rational number in (0, 1], got {eta}"
        )
    return eta


def check_rounding(k) -> int | None:
    """``None`` or a positive ``int`` (the rounded replicator's denominator), else
    :class:`GameStructureError`.

    >>> check_rounding(1000), check_rounding(None)
    (1000, None)
    """
    if k is not None and (type(k) is not int or k < 1):
        raise GameStructureError(f"dynamics: rounding denominator {k!r}: expected an integer >= 1")
    return k


def round_row(row: list, k: int) -> list:
    """The point of the simplex with denominator ``k`` nearest to the strategy ``row``
    (nonnegative integer weights, not all 0), as integer weights summing to ``k``.

    Largest remainders (Hamilton's method): each action gets ``⌊k x_a⌋``, and the units left
    go to the largest remainders ``k x_a − ⌊k x_a⌋``, ties to the first action.  This is a
    nearest point in the ℓ1, ℓ2 and ℓ∞ distances; the rule makes it unique and the same in
    any implementation.

    >>> round_row([1, 1, 1], 10), round_row([2, 1], 10), round_row([0, 7], 4)
    ([4, 3, 3], [7, 3], [0, 4])
    """
    s = sum(row)
    floors = [k * x // s for x in row]
    remainders = [k * x % s for x in row]
    left = k - sum(floors)
    order = sorted(range(len(row)), key=lambda a: (-remainders[a], a))
    for a in order[:left]:
        floors[a] += 1
    return floors


def _rows(profile: StrategyProfile, i: int) -> list:
    """Player ``i``'s strategy as integer weights, one list per type."""
    return profile.row_arrays[i][0].tolist()


def _build(game: BayesianGame, weights: list) -> StrategyProfile:
    return StrategyProfile.from_arrays(game, [np.array(w, dtype=object) for w in weights])


def positive_types(game: BayesianGame, i: int) -> list:
    """Per type of player ``i``: has it positive prior probability (cached per game)?"""
    return _positive(game, i)


def _positive(game: BayesianGame, i: int) -> list:
    cache = _cache(game)
    if ("positive", i) not in cache:
        types = range(len(game.players[i].types))
        cache["positive", i] = [game.marginal(i, k) != 0 for k in types]
    return cache["positive", i]


def first_best(row) -> int:
    """The index of the first largest entry of ``row``.

    >>> first_best([1, 3, 3, 2])
    1
    """
    best = max(row)
    return next(a for a, v in enumerate(row) if v == best)


def _unit(n: int, a: int) -> list:
    return [int(b == a) for b in range(n)]


def best_response_step(game: BayesianGame, profile: StrategyProfile, players=None):
    """Every player of ``players`` (default all) switches every type of positive probability
    to its first best response against ``profile``; computed from the same profile for all."""
    check_rational(game, profile)
    movers = range(game.n_players) if players is None else players
    weights = [_rows(profile, i) for i in range(game.n_players)]
    for i in movers:
        table = interim_numerators(game, profile, i)[0].tolist()
        n = len(game.players[i].actions)
        for k, ok in enumerate(_positive(game, i)):
            if ok:
                weights[i][k] = _unit(n, first_best(table[k]))
    return _build(game, weights)


def fictitious_play_step(game: BayesianGame, average: StrategyProfile, k: int):
    """Step ``k ≥ 1`` of fictitious play from the average ``x^{k−1}``: ``x^k``."""
    if k < 1:
        raise GameStructureError(f"dynamics: fictitious play step {k}: steps count from 1")
    check_rational(game, average)
    weights = []
    for i in range(game.n_players):
        table = interim_numerators(game, average, i)[0].tolist()
        rows = _rows(average, i)
        for t, ok in enumerate(_positive(game, i)):
            if ok:
                s, b = sum(rows[t]), first_best(table[t])
                rows[t] = [k * x + s * int(a == b) for a, x in enumerate(rows[t])]
        weights.append(rows)
    return _build(game, weights)


def _ranges(game: BayesianGame) -> list:
    """``R_i`` per player (Fraction): the range of ``r_i`` on the prior's support."""
    cache = _cache(game)
    if "ranges" in cache:
        return cache["ranges"]
    nums = game.rewards.numerators
    assert nums is not None  # a rational game (check_rational)
    den = game.rewards.denominator
    out = []
    for i in range(game.n_players):
        cells = [int(x) for t in game.support for x in np.ravel(nums[i][t]).tolist()]
        out.append(Fraction(max(cells) - min(cells), den))
    cache["ranges"] = out
    return out


def _replicator_row(row: list, table_row: list, c: Fraction) -> list:
    """``x_a (1 + c (N_a − N̄))`` as integer weights, ``N̄ = Σ x_b N_b`` (``x = row/Σrow``)."""
    s = sum(row)
    total = sum(x * v for x, v in zip(row, table_row))
    p, q = c.numerator, c.denominator
    new = [x * (q * s + p * (s * v - total)) for x, v in zip(row, table_row)]
    g = math.gcd(*new)
    return [x // g for x in new]


def replicator_step(
    game: BayesianGame, profile: StrategyProfile, eta, round_to: int | None = None
) -> StrategyProfile:
    """One discrete replicator step with step ``η``; with ``round_to=K``, one step of the
    rounded replicator (see the module docstring)."""
    check_rational(game, profile)
    eta = check_step_size(eta)
    round_to = check_rounding(round_to)
    ranges = _ranges(game)
    weights = []
    for i in range(game.n_players):
        rows = _rows(profile, i)
        if ranges[i] == 0:
            weights.append(rows)
            continue
        nums, den = interim_numerators(game, profile, i)
        table = nums.tolist()
        for t, ok in enumerate(_positive(game, i)):
            if ok:
                omega = game.marginal(i, t)
                c = Fraction(int(eta.p), int(eta.q)) / (
                    den * Fraction(int(omega.p), int(omega.q)) * ranges[i]
                )
                rows[t] = _replicator_row(rows[t], table[t], c)
                if round_to is not None:
                    rows[t] = round_row(rows[t], round_to)
        weights.append(rows)
    return _build(game, weights)


def step(game: BayesianGame, profile: StrategyProfile, rule: str, k: int, eta=None, round_to=None):
    """Step ``k ≥ 1`` of ``rule`` from ``profile`` (the state after step ``k − 1``).

    ``eta`` is the replicator's step (a sympy Rational in ``(0, 1]``) and ``round_to`` its
    rounding denominator (``None``: exact, unrounded); both are ignored by the other rules.
    """
    if rule == "best-response":
        return best_response_step(game, profile)
    if rule == "alternating-best-response":
        return best_response_step(game, profile, [(k - 1) % game.n_players])
    if rule == "fictitious-play":
        return fictitious_play_step(game, profile, k)
    if rule == "replicator":
        return replicator_step(game, profile, eta, round_to)
    raise GameStructureError(f"dynamics: unknown rule {rule!r}; expected one of {RULES}")
