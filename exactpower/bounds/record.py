"""The record of a POWER bound: :class:`PowerBound`, and the immutable mapping it holds.

:func:`~exactpower.bounds.best_case_power` and :func:`~exactpower.bounds.worst_case_power`
return a :class:`PowerBound` (the value or proven bounds, the witnesses, how they were
found); its mappings are :class:`FrozenDict`, so the record stays immutable.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import sympy

from ..display import bound_html
from ..game import BayesianGame
from ..profile import StrategyProfile
from .search import profile_from

__all__ = ["FrozenDict", "PowerBound"]


class FrozenDict(dict):
    """A dict that refuses to change (so a :class:`PowerBound` stays immutable).

    Also the base of :class:`exactpower.small.exhaust.ExhaustSummary`.

    >>> d = FrozenDict({"a": 1})
    >>> d["a"], d == {"a": 1}
    (1, True)
    >>> d["b"] = 2
    Traceback (most recent call last):
    ...
    TypeError: FrozenDict mappings are immutable
    """

    __slots__ = ()

    def _refuse(self, *args, **kwargs):
        raise TypeError(f"{type(self).__name__} mappings are immutable")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __hash__(self):  # type: ignore[override]  # dict is unhashable; this mapping is frozen
        return hash(tuple(sorted(self.items(), key=repr)))

    def __reduce__(self):
        return type(self), (dict(self),)


def _freeze(mapping) -> Mapping:
    return FrozenDict({k: _freeze(v) if isinstance(v, Mapping) else v for k, v in mapping.items()})


def _thaw(mapping) -> dict:
    return {k: _thaw(v) if isinstance(v, Mapping) else v for k, v in mapping.items()}


@dataclass(frozen=True, eq=False)
class PowerBound:
    """Best-case or worst-case POWER of one player, with its witnesses.

    Attributes
    ----------
    player : str
        The player's name.
    case : str
        ``"best"`` (``POWER⁺``, a maximum over the opponents' strategies) or
        ``"worst"`` (``POWER⁻``, a minimum).
    value : sympy.Rational or None
        The exact value, or ``None`` when only bounds are known.
    lower, upper : sympy.Rational
        Proven bounds, ``lower ≤ true value ≤ upper``; equal when ``exact``.
    exact : bool
        ``lower == upper`` (then ``value`` is that number).
    method : str
        How the numbers were found (see the module docstring); for an
        inexact worst case, ``"<upper method> / <lower method>"``.
    attained_by : mapping
        The opponents' strategies ``{player: {type: {action: probability}}}``
        (nonzero probabilities only) at which ``POWER(i, ·)`` equals ``upper``.
        Empty for a one-player game.
    guarantee : mapping or None
        Worst case only: player ``i``'s strategy ``{type: {action:
        probability}}`` whose expected reward is at least ``lower`` against
        every opponent profile (against every *correlated* one for three or
        more players).  ``None`` for the best case.
    notes : str
        A sentence on what was computed and why it is exact (or not).

    Examples
    --------
    >>> from exactpower import BayesianGame, best_case_power, worst_case_power
    >>> g = BayesianGame.from_tables([[[2, 0], [0, 1]], [[2, 0], [0, 1]]], names=("a", "b"))
    >>> b = best_case_power(g, "a")
    >>> b.value, b.attained_by["b"], b.exact
    (2, {'-': {'0': 1}}, True)
    >>> w = worst_case_power(g, "a")
    >>> w.value, w.attained_by["b"]["-"], w.guarantee
    (2/3, {'0': 1/3, '1': 2/3}, {'-': {'0': 1/3, '1': 2/3}})
    """

    player: str
    case: str
    value: sympy.Rational | None
    lower: sympy.Rational
    upper: sympy.Rational
    exact: bool
    method: str
    attained_by: Mapping = field(default_factory=dict)
    guarantee: Mapping | None = None
    notes: str = ""

    def __post_init__(self):
        if self.case not in ("best", "worst"):
            raise ValueError(f"PowerBound: case must be 'best' or 'worst', not {self.case!r}")
        if (
            self.exact != (self.lower == self.upper)
            or (self.value is not None) != self.exact
            or (self.exact and self.value != self.lower)
        ):
            raise ValueError("PowerBound: inconsistent value, bounds and exactness")
        object.__setattr__(self, "attained_by", _freeze(self.attained_by))
        if self.guarantee is not None:
            object.__setattr__(self, "guarantee", _freeze(self.guarantee))

    def profile(self, game: BayesianGame) -> StrategyProfile:
        """The full profile: the opponents as in ``attained_by``, player ``i`` best-responding.

        ``POWER(i, ·)`` does not depend on ``i``'s own strategy; this one
        plays, in each type of positive probability, the first action that
        maximises its interim utility (the first action in a type of
        probability 0).

        >>> from exactpower import BayesianGame, best_case_power, power
        >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> b = best_case_power(g, "1")
        >>> s = b.profile(g)
        >>> power(g, s, "1") == b.value, s.probability(0, 0, 0)
        (True, 1)
        """
        from ..contraction import interim_table

        i = game.player_index(self.player)
        me = game.players[i]
        strategies = _thaw(self.attained_by)
        strategies[me.name] = {t: {me.actions[0]: 1} for t in me.types}
        table = interim_table(game, profile_from(game, strategies), i)
        for k, t in enumerate(me.types):
            row = [table.value((k, a)) for a in range(len(me.actions))]
            strategies[me.name][t] = {me.actions[row.index(max(row))]: 1}
        return profile_from(game, strategies)

    def to_dict(self) -> dict:
        """A JSON-ready dict; exact values as strings (``"1/3"``)."""

        def dist(d):
            return {a: str(p) for a, p in d.items()}

        return {
            "player": self.player,
            "case": self.case,
            "value": None if self.value is None else str(self.value),
            "lower": str(self.lower),
            "upper": str(self.upper),
            "exact": self.exact,
            "method": self.method,
            "attained_by": {
                p: {t: dist(d) for t, d in s.items()} for p, s in self.attained_by.items()
            },
            "guarantee": None
            if self.guarantee is None
            else {t: dist(d) for t, d in self.guarantee.items()},
            "notes": self.notes,
        }

    def _repr_html_(self) -> str:
        """Jupyter's display: the record as a table of its fields."""
        return bound_html(self)

    def __repr__(self) -> str:
        shown = f"value={self.value}" if self.exact else f"lower={self.lower}, upper={self.upper}"
        return (
            f"PowerBound({self.case}-case POWER of {self.player!r}: {shown}, "
            f"method={self.method!r}, attained_by={_thaw(self.attained_by)!r})"
        )
