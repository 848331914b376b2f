"""Writing game-v1 and profile-v1 documents: canonical JSON that reads back exactly.

The writing half of :mod:`exactpower.io.json_files` (which documents both formats and
re-exports these names): :func:`to_data` is the JSON-ready dict of a game or a profile,
:func:`dumps` its canonical text (one line per player, prior entry and reward record), and
:func:`dump` writes that text to a path or an open file.  Every value is written as
``str()`` of its sympy value and checked to read back as the same value through the file
grammar; numbers with more than ``MAX_DIGITS`` digits are refused.

>>> from exactpower import BayesianGame
>>> to_data(BayesianGame.from_tables([[2]]))["rewards"]
[{'actions': ['0'], 'values': ['2']}]
"""

from __future__ import annotations

import json

import sympy

from .. import limits
from ..errors import GameError, GameStructureError, LimitError
from ..exact import parse_expression, same
from ..game import BayesianGame
from ..profile import StrategyProfile
from .json_reader import GAME_FORMAT, PROFILE_FORMAT

__all__ = ["to_data", "dumps", "dump"]


def _text(value, symbols: dict, where: str) -> str:
    """``str(value)``, checked to read back as the same value through the grammar."""
    text = str(value)
    if isinstance(value, sympy.Rational):
        if max(len(str(abs(value.p))), len(str(value.q))) > limits.MAX_DIGITS:
            raise LimitError(
                f"{where}: {text} has more than MAX_DIGITS = {limits.MAX_DIGITS} "
                f"digits, which game files do not allow"
            )
        return text
    try:
        back = parse_expression(text, symbols, where=where)
    except GameError:
        back = None
    if back is None or not same(back, value):
        raise GameStructureError(
            f"{where}: {text} cannot be written in the file grammar "
            f"(numbers, parameters, + - * /, integer powers)"
        )
    return text


def _game_dict(game: BayesianGame) -> dict:
    symbols = {p.name: p.symbol for p in game.parameters}
    cache: dict = {}

    def text(v, where):
        if v not in cache:
            cache[v] = _text(v, symbols, where)
        return cache[v]

    out: dict = {"format": GAME_FORMAT}
    if game.title is not None:
        out["title"] = game.title
    if game.parameters:
        out["parameters"] = {p.name: p.domain for p in game.parameters}
    out["players"] = [
        {
            "name": p.name,
            **({} if p.types == ("-",) else {"types": list(p.types)}),
            "actions": list(p.actions),
        }
        for p in game.players
    ]
    probs = [game.probability(t) for t in game.type_profiles]
    if any(v != probs[0] for v in probs):
        out["prior"] = {
            "joint": [
                [[p.types[k] for p, k in zip(game.players, t)], text(v, "prior")]
                for t, v in zip(game.type_profiles, probs)
                if v != 0
            ]
        }
    one_type = all(len(p.types) == 1 for p in game.players)
    exprs = game.rewards.to_exprs()
    records = []
    for t in game.type_profiles:
        tn = [p.types[k] for p, k in zip(game.players, t)]
        for a in game.action_profiles:
            an = [p.actions[k] for p, k in zip(game.players, a)]
            head = {} if one_type else {"types": tn}
            cell = [
                None if game.unset is not None and game.unset[(i,) + t + a] else exprs[(i,) + t + a]
                for i in range(game.n_players)
            ]
            where = f"rewards at types {tuple(tn)} and actions {tuple(an)}"
            if None not in cell:
                records.append({**head, "actions": an, "values": [text(v, where) for v in cell]})
                continue
            records.extend(
                {"player": game.players[i].name, **head, "actions": an, "value": text(v, where)}
                for i, v in enumerate(cell)
                if v is not None
            )
    out["rewards"] = records
    if game.declared_constant_sum is not None:
        out["constant_sum"] = text(game.declared_constant_sum, "constant_sum")
    return out


def _profile_dict(profile: StrategyProfile) -> dict:
    strategies = {}
    for p, rows in zip(profile.players, profile.strategies):
        entry = {}
        for t, row in zip(p.types, rows):
            if sum(1 for v in row if v != 0) == 1 and any(v == 1 for v in row):
                entry[t] = p.actions[[v == 1 for v in row].index(True)]
            else:
                entry[t] = {a: str(v) for a, v in zip(p.actions, row) if v != 0}
        strategies[p.name] = entry
    return {"format": PROFILE_FORMAT, "strategies": strategies}


def to_data(obj) -> dict:
    """The JSON-ready dict of a game (game-v1) or a profile (profile-v1) that :func:`dumps` writes.

    >>> from exactpower import BayesianGame
    >>> to_data(BayesianGame.from_tables([[1, "1/2"]]))["rewards"][1]
    {'actions': ['1'], 'values': ['1/2']}
    """
    if isinstance(obj, BayesianGame):
        return _game_dict(obj)
    if isinstance(obj, StrategyProfile):
        return _profile_dict(obj)
    raise TypeError(
        f"to_data: expected a BayesianGame or a StrategyProfile, got {type(obj).__name__}"
    )


def _render(doc: dict) -> str:
    """Canonical JSON text: one line per player, prior entry and reward record."""

    def enc(x):
        return json.dumps(x, ensure_ascii=False)

    parts = []
    for key, value in doc.items():
        if key in ("players", "rewards") and value:
            body = ",\n".join(f"    {enc(x)}" for x in value)
            parts.append(f"  {enc(key)}: [\n{body}\n  ]")
        elif key == "prior":
            body = ",\n".join(f"    {enc(x)}" for x in value["joint"])
            parts.append(f'  "prior": {{"joint": [\n{body}\n  ]}}')
        else:
            parts.append(f"  {enc(key)}: {enc(value)}")
    return "{\n" + ",\n".join(parts) + "\n}\n"


def dumps(obj) -> str:
    """Canonical JSON text of a game (game-v1) or a strategy profile (profile-v1).

    Values are written as strings (``str()`` of the sympy value), the prior as
    ``joint`` without its zero entries (omitted when uniform), and the rewards
    as one record per type profile and action profile; :func:`loads` reads it
    back as the same game.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[1, "1/2"]], names=("solo",))
    >>> print(dumps(g), end="")
    {
      "format": "exactpower/game-v1",
      "players": [
        {"name": "solo", "actions": ["0", "1"]}
      ],
      "rewards": [
        {"actions": ["0"], "values": ["1"]},
        {"actions": ["1"], "values": ["1/2"]}
      ]
    }
    >>> print(dumps(StrategyProfile.uniform(g)), end="")
    {
      "format": "exactpower/profile-v1",
      "strategies": {"solo": {"-": {"0": "1/2", "1": "1/2"}}}
    }
    """
    if isinstance(obj, (BayesianGame, StrategyProfile)):
        return _render(to_data(obj))
    raise TypeError(
        f"dumps: expected a BayesianGame or a StrategyProfile, got {type(obj).__name__}"
    )


def dump(obj, path_or_file=None) -> str:
    """Write :func:`dumps` of ``obj`` to a path or an open file (if given); return the text."""
    text = dumps(obj)
    if path_or_file is None:
        return text
    if hasattr(path_or_file, "write"):
        try:
            path_or_file.write(text)
        except TypeError:
            path_or_file.write(text.encode("utf-8"))
        return text
    with open(path_or_file, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
    return text
