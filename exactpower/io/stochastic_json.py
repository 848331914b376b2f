"""Stochastic games ``exactpower/stochastic-v1`` and stationary profiles ``exactpower/stationary-v1``.

A stochastic-v1 document::

    {"format": "exactpower/stochastic-v1", "title": "...",
     "players": ["A", "B"], "gamma": "1/2", "initial": {"s": "1"},
     "states": [{"name": "s", "actions": {"A": ["H", "T"], "B": ["H", "T"]},
                 "cells": [{"actions": ["H", "H"], "rewards": ["1", "-1"], "next": {"s": "1"}},
                           ...]}]}

``title`` is optional; ``initial`` (μ; states left out have 0) is optional, all mass on the
first state by default.  Every joint action of a state is one cell, exactly once.  Exact
values are **strings** (``"1/2"``, ``"-3"``, ``"0.25"`` taken exactly); a JSON number where a
value is expected is refused, as are duplicate and unknown keys.  A stationary-v1 document
gives a distribution per player and state::

    {"format": "exactpower/stationary-v1",
     "strategies": {"A": {"s": "H"}, "B": {"s": {"H": "1/2", "T": "1/2"}}}}

Every failure is a :class:`~exactpower.GameError` naming the source and the JSON path.  The
JSON Schemas are ``exactpower/io/schemas/stochastic-v1.schema.json`` and
``stationary-v1.schema.json``.

>>> from exactpower.sequential.stochastic import StochasticGame
>>> g = StochasticGame.repeated(("A", "B"), (("x",), ("y", "z")),
...     {("x", "y"): (1, -1), ("x", "z"): ("1/2", "-1/2")}, gamma="2/3")
>>> loads_stochastic(dumps_stochastic(g)) == g
True
>>> loads_stochastic('{"format": "exactpower/stochastic-v1", "players": ["A"], "gamma": 0.9, "states": []}')
Traceback (most recent call last):
...
exactpower.errors.FileFormatError: <string>: gamma: expected an exact value as a string, got the number 0.9
"""

from __future__ import annotations

import json

from .. import limits
from ..errors import GameError, LimitError, MDPError
from ..sequential.stochastic import StationaryProfile, StochasticGame
from .file_access import read_file_bytes
from .json_reader import Reader, json_path, json_type, located, read_json

__all__ = [
    "STOCHASTIC_FORMAT",
    "STATIONARY_FORMAT",
    "stochastic_from_json",
    "stochastic_to_data",
    "loads_stochastic",
    "load_stochastic",
    "dumps_stochastic",
    "stationary_from_json",
    "stationary_to_data",
    "loads_stationary",
    "load_stationary",
    "dumps_stationary",
    "file_format",
]

STOCHASTIC_FORMAT = "exactpower/stochastic-v1"
STATIONARY_FORMAT = "exactpower/stationary-v1"


def _value(r: Reader, node, path: str):
    if not isinstance(node, str):
        r.fail(path, f"expected an exact value as a string, got {json_type(node)}")
    return r.value(node, path)


def _format(r: Reader, root, kind: str, required: tuple, optional: tuple) -> dict:
    r.object(root, "")
    if root.get("format") != kind:
        fmt = root.get("format")
        got = repr(fmt) if isinstance(fmt, str) else json_type(fmt)
        r.fail("format", f"expected {kind!r}, got {got}")
    return r.object(root, "", required=required, optional=optional)


def _cells(r: Reader, node, path: str, players: tuple, acts: dict, states: tuple) -> dict:
    cells = {}
    for k, cell in enumerate(r.array(node, path)):
        where = json_path(path, k)
        r.object(cell, where, required=("actions", "rewards", "next"))
        items = r.array(cell["actions"], json_path(where, "actions"), len(players), "actions")
        joint = tuple(
            r.string(a, json_path(json_path(where, "actions"), j)) for j, a in enumerate(items)
        )
        rew = r.array(cell["rewards"], json_path(where, "rewards"), len(players), "rewards")
        rewards = tuple(
            _value(r, v, json_path(json_path(where, "rewards"), j)) for j, v in enumerate(rew)
        )
        nxt = r.object(cell["next"], json_path(where, "next"))
        for t in nxt:
            if t not in states:
                r.fail(json_path(where, "next"), f"unknown next state {t!r}", MDPError)
        probs = {t: _value(r, p, json_path(json_path(where, "next"), t)) for t, p in nxt.items()}
        if joint in cells:
            r.fail(where, f"joint action {list(joint)} given twice", MDPError)
        cells[joint] = (rewards, probs)
    return cells


def stochastic_from_json(root, source: str = "<string>") -> StochasticGame:
    """The game of a stochastic-v1 document already parsed by :func:`read_json`."""
    r = Reader(source)
    try:
        keys = ("format", "players", "gamma", "states")
        _format(r, root, STOCHASTIC_FORMAT, keys, ("title", "initial"))
        title = r.string(root["title"], "title", limits.MAX_TITLE_LENGTH) if "title" in root else ""
        players = r.names(root["players"], "players", "player", False)
        if len(players) > limits.MAX_PLAYERS:
            r.fail("players", f"{len(players)} players, over MAX_PLAYERS = {limits.MAX_PLAYERS}")
        gamma = _value(r, root["gamma"], "gamma")
        items = r.array(root["states"], "states")
        if len(items) > limits.MAX_STOCHASTIC_STATES:
            r.fail("states", f"{len(items)} states, over MAX_STOCHASTIC_STATES", LimitError)
        names = []
        for k, st in enumerate(items):
            r.object(st, f"states[{k}]", required=("name", "actions", "cells"))
            names.append(r.string(st["name"], f"states[{k}].name"))
        spec = {}
        for k, st in enumerate(items):
            path = f"states[{k}]"
            own = r.object(st["actions"], json_path(path, "actions"))
            acts = {
                p: r.names(a, json_path(json_path(path, "actions"), p), "action")
                for p, a in own.items()
            }
            cells = _cells(r, st["cells"], json_path(path, "cells"), players, acts, tuple(names))
            if names[k] in spec:
                r.fail(json_path(path, "name"), f"duplicate state name {names[k]!r}", MDPError)
            spec[names[k]] = {"actions": acts, "cells": cells}
        mu = None
        if "initial" in root:
            init = r.object(root["initial"], "initial")
            mu = {s: _value(r, p, json_path("initial", s)) for s, p in init.items()}
        return StochasticGame.build(players, spec, gamma, mu, title)
    except GameError as e:
        raise located(e, source) from None


def loads_stochastic(text, *, source: str = "<string>") -> StochasticGame:
    """Read a stochastic-v1 document from JSON text (``str`` or ``bytes``)."""
    return stochastic_from_json(read_json(text, source), source)


def load_stochastic(path) -> StochasticGame:
    """Read a stochastic-v1 document from a file."""
    data, source = read_file_bytes(path, document=True)
    return loads_stochastic(data, source=source)


def file_format(path) -> str | None:
    """The ``format`` of the JSON document in ``path`` (``None`` if it is not a JSON object
    with a string ``format``); for dispatching on the file's kind."""
    try:
        data, source = read_file_bytes(path, document=True)
        root = read_json(data, source)
    except (OSError, GameError):
        return None
    fmt = root.get("format") if isinstance(root, dict) else None
    return fmt if isinstance(fmt, str) else None


def stochastic_to_data(game: StochasticGame) -> dict:
    """The stochastic-v1 document of ``game`` as a dict (values as exact strings)."""
    data: dict = {"format": STOCHASTIC_FORMAT}
    if game.title:
        data["title"] = game.title
    data["players"] = list(game.players)
    data["gamma"] = str(game.gamma)
    data["initial"] = {s: str(m) for s, m in zip(game.states, game.mu) if m != 0}
    states = []
    for s, name in enumerate(game.states):
        cells = [
            {
                "actions": list(joint),
                "rewards": [str(x) for x in game.rewards[s][k]],
                "next": {game.states[t]: str(p) for t, p in game.transitions[s][k]},
            }
            for k, joint in enumerate(game.joint(s))
        ]
        acts = {p: list(game.actions[s][i]) for i, p in enumerate(game.players)}
        states.append({"name": name, "actions": acts, "cells": cells})
    data["states"] = states
    return data


def dumps_stochastic(game: StochasticGame, *, indent: int | None = 1) -> str:
    """The stochastic-v1 text of ``game``; :func:`loads_stochastic` reads it back equal."""
    return json.dumps(stochastic_to_data(game), indent=indent, ensure_ascii=False) + "\n"


def stationary_from_json(root, game: StochasticGame, source: str = "<string>") -> StationaryProfile:
    """The stationary profile of ``game`` in a stationary-v1 document parsed by ``read_json``."""
    r = Reader(source)
    try:
        _format(r, root, STATIONARY_FORMAT, ("format", "strategies"), ("title",))
        if "title" in root:
            r.string(root["title"], "title", limits.MAX_TITLE_LENGTH)
        given = r.object(root["strategies"], "strategies")
        out: dict = {}
        for player, own in given.items():
            path = json_path("strategies", player)
            per = r.object(own, path)
            out[player] = {}
            for state, dist in per.items():
                where = json_path(path, state)
                if isinstance(dist, str):
                    out[player][state] = dist
                    continue
                r.object(dist, where)
                out[player][state] = {a: _value(r, p, json_path(where, a)) for a, p in dist.items()}
        return StationaryProfile.from_dict(game, out)
    except GameError as e:
        raise located(e, source) from None


def loads_stationary(text, game: StochasticGame, *, source: str = "<string>") -> StationaryProfile:
    """Read a stationary-v1 document for ``game`` from JSON text."""
    return stationary_from_json(read_json(text, source), game, source)


def load_stationary(path, game: StochasticGame) -> StationaryProfile:
    """Read a stationary-v1 document for ``game`` from a file."""
    data, source = read_file_bytes(path, document=True)
    return loads_stationary(data, game, source=source)


def stationary_to_data(profile: StationaryProfile) -> dict:
    """The stationary-v1 document of ``profile`` (a pure choice written as the action)."""
    out: dict = {}
    for player, per in profile.to_dict().items():
        out[player] = {
            state: next(iter(dist))
            if list(dist.values()) == [1]
            else {a: str(p) for a, p in dist.items()}
            for state, dist in per.items()
        }
    return {"format": STATIONARY_FORMAT, "strategies": out}


def dumps_stationary(profile: StationaryProfile, *, indent: int | None = 1) -> str:
    """The stationary-v1 text of ``profile``; :func:`loads_stationary` reads it back equal."""
    return json.dumps(stationary_to_data(profile), indent=indent, ensure_ascii=False) + "\n"
