"""Reading one player's entry of a profile written by name (``{type: distribution}``).

An entry is either per type (its keys are type names, or the wildcard ``"*"`` for every type
not named) or, for a player with a single type, the distribution of that type directly: an
action name or ``{action: probability}``.  Used by
:meth:`StrategyProfile.from_dict <exactpower.profile.StrategyProfile.from_dict>` and by the
profile-v1 reader (:mod:`exactpower.io.json_files`); the rules are those of docs/design.md,
"Profiles of single-type players".
"""

from __future__ import annotations

import json
from collections.abc import Mapping

import sympy

from .errors import ProfileError
from .exact import as_exact

__all__ = [
    "WILDCARD",
    "is_per_type",
    "type_sources",
    "per_type_hint",
    "direct",
    "distribution",
    "action_distribution",
]

#: In a profile, the type key that stands for every type not named (as ``*`` in game files).
WILDCARD = "*"


def is_per_type(given, player) -> bool:
    """Whether ``given``, one player's entry of a profile, is written per type.

    It is when it is a non-empty mapping whose keys are all type names of ``player``
    or the wildcard ``"*"`` (every type not named; read as an action name instead when
    ``"*"`` is one) -- even when a type is also the name of an action (docs/design.md,
    "Profiles of single-type players").  For a single-type player, anything else is
    read as the distribution of its one type.  Used by :meth:`StrategyProfile.from_dict`
    and the profile-v1 reader.

    >>> from exactpower import Player
    >>> p = Player("p", ("0",), ("0", "1"))
    >>> is_per_type({"0": "1"}, p), is_per_type({"1": "1/2", "0": "1/2"}, p), is_per_type("0", p)
    (True, False, False)
    >>> is_per_type({"*": "1"}, p)
    True
    """
    keys = set(player.types) | ({WILDCARD} - set(player.actions))
    return isinstance(given, Mapping) and bool(given) and set(given) <= keys


def type_sources(given: Mapping, player) -> dict:
    """``{type: the key of given that gives its distribution, or None}`` for a per-type
    entry (:func:`is_per_type`): the type's own name if given, else the wildcard ``"*"``
    if given -- a type named explicitly overrides ``"*"``, wherever it stands.

    >>> from exactpower import Player
    >>> type_sources({"*": "U", "l": "D"}, Player("row", ("h", "l"), ("U", "D")))
    {'h': '*', 'l': 'l'}
    """
    star = WILDCARD if WILDCARD in given and WILDCARD not in player.types else None
    return {t: t if t in given else star for t in player.types}


def per_type_hint(player, given) -> str:
    """The error for an entry that is not per type (:func:`is_per_type`) although it must
    be: for a bare action or distribution of a player with several types, the per-type
    form with an example; else the first key that is not a type of ``player``."""
    keys = list(given) if isinstance(given, Mapping) else []
    unknown = [k for k in keys if k not in player.types and k != WILDCARD]
    if keys and not all(k in player.actions for k in keys) and unknown:
        return (
            f"player {player.name!r} has no type {unknown[0]!r} (types: {', '.join(player.types)})"
        )
    if isinstance(given, Mapping) and not keys:
        return f"no strategy for player {player.name!r} (an empty object)"
    if not isinstance(given, (str, Mapping)):
        return (
            f"player {player.name!r}: expected {{type: distribution}}, got {type(given).__name__}"
        )
    shown = json.dumps(given) if isinstance(given, str) else "{action: probability}"
    example = ", ".join(f"{json.dumps(t)}: {shown}" for t in player.types[:3])
    more = ", ..." if len(player.types) > 3 else ""
    return (
        f"player {player.name!r} has {len(player.types)} types "
        f"({', '.join(player.types)}), so its strategy is given per type, e.g. "
        f'{{{example}{more}}}, or {{"*": {shown}}} for every type'
    )


def direct(given, player) -> bool:
    """Whether :meth:`StrategyProfile.from_dict` reads ``given`` as a distribution of a
    single-type player: an action name, or a mapping that is not per type."""
    if isinstance(given, str):
        return given in player.actions
    return isinstance(given, Mapping) and not is_per_type(given, player)


def distribution(parameters, player, type_name, given) -> tuple:
    """One row of :meth:`StrategyProfile.from_dict`: ``given`` (an action name, or
    ``{action: probability}`` with the actions left out at 0) as exact values, one per
    action of ``player``; ``parameters`` are the game's.

    >>> from exactpower import Player
    >>> distribution((), Player("p", ("-",), ("U", "D")), "-", {"D": "1/3"})
    (0, 1/3)
    """
    where = f"strategy of {player.name!r} type {type_name!r}"
    return action_distribution(player.actions, given, parameters, where)


def action_distribution(actions: tuple, given, parameters, where: str) -> tuple:
    """``given`` -- an action name, or ``{action: probability}`` with the actions left out
    at 0 -- as exact values, one per name of ``actions``; errors name ``where``.  One row
    of a strategy profile here, and of a behaviour profile of a game tree.

    >>> action_distribution(("U", "D"), "D", (), "row"), action_distribution(("U", "D"), {"U": "1/4"}, (), "row")
    ((0, 1), (1/4, 0))
    """
    if isinstance(given, str):
        if given not in actions:
            raise ProfileError(f"{where}: unknown action {given!r} (actions: {', '.join(actions)})")
        return tuple(sympy.Integer(int(a == given)) for a in actions)
    if not isinstance(given, Mapping):
        raise ProfileError(f"{where}: expected an action name or {{action: probability}}")
    for a in given:
        if a not in actions:
            raise ProfileError(f"{where}: unknown action {a!r} (actions: {', '.join(actions)})")
    return tuple(
        as_exact(given[a], parameters, where=f"{where}, action {a!r}")
        if a in given
        else sympy.Integer(0)
        for a in actions
    )
