"""Reading game-v1 documents: parameters, players, the prior, reward records, coverage.

:func:`read_game` turns the tree of a game-v1 document (read by
:func:`~exactpower.io.json_reader.read_json`, its ``format`` checked) into a
:class:`~exactpower.BayesianGame`, through a :class:`~exactpower.io.json_reader.Reader`:
every failure is a :class:`~exactpower.GameError` naming the JSON path.  The format is
``docs/file-format.md``; the size limits (``MAX_PLAYERS``, ``MAX_FILE_CELLS``,
``MAX_RECORDS``, ...) are read from :mod:`exactpower.limits` when a document is read.

>>> from exactpower.io.json_reader import Reader, read_json
>>> tree = read_json('{"format": "exactpower/game-v1", "players": [{"name": "a", '
...                  '"actions": ["x", "y"]}], "rewards": [{"actions": ["*"], "values": [1]}]}')
>>> read_game(Reader("g.json"), tree).reward(0, (0,), (1,))
1
"""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import sympy

from .. import limits
from ..constant_sum import constant_sum
from ..errors import ConstantSumError, CoverageError, GameStructureError, LimitError, ParameterError
from ..exact import DOMAINS, Parameter, probability_symbols, same
from ..game import BayesianGame, Player
from .json_reader import WILDCARD, Reader, json_path, lookup

__all__ = ["read_game"]


_GAME_KEYS = ("format", "title", "parameters", "players", "prior", "rewards", "constant_sum")


def _read_parameters(r: Reader, node) -> tuple:
    obj = r.object(node, "parameters")
    if len(obj) > limits.MAX_PARAMETERS:
        r.fail(
            "parameters",
            f"{len(obj)} parameters, over the limit MAX_PARAMETERS = {limits.MAX_PARAMETERS}",
            LimitError,
        )
    out = []
    for name, domain in obj.items():
        path = json_path("parameters", name)
        r.string(domain, path)
        if len(name) > limits.MAX_NAME_LENGTH or not (name.isidentifier() and name.isascii()):
            r.fail(
                path,
                f"parameter name {name!r} is not an ASCII identifier of at most "
                f"{limits.MAX_NAME_LENGTH} characters",
                ParameterError,
            )
        if domain not in DOMAINS:
            r.fail(
                path,
                f"unknown domain {domain!r} (expected one of {', '.join(DOMAINS)})",
                ParameterError,
            )
        out.append(Parameter(name, domain))
    return tuple(out)


def _read_players(r: Reader, node) -> tuple:
    items = r.array(node, "players")
    if not items:
        r.fail("players", "a game needs at least one player", GameStructureError)
    if len(items) > limits.MAX_PLAYERS:
        r.fail(
            "players",
            f"{len(items)} players, over the limit MAX_PLAYERS = {limits.MAX_PLAYERS}",
            LimitError,
        )
    players: list = []
    seen: dict = {}
    for k, item in enumerate(items):
        path = f"players[{k}]"
        obj = r.object(item, path, required=("name", "actions"), optional=("types",))
        name = r.string(obj["name"], path + ".name")
        if not name:
            r.fail(path + ".name", "player name must not be empty", GameStructureError)
        if name in seen:
            r.fail(
                path + ".name",
                f"duplicate player name {name!r} (also players[{seen[name]}])",
                GameStructureError,
            )
        seen[name] = k
        types = r.names(obj["types"], path + ".types", "type", False) if "types" in obj else ("-",)
        actions = r.names(obj["actions"], path + ".actions", "action", False)
        players.append(Player(name, types, actions))
    cells = (
        len(players)
        * math.prod(len(p.types) for p in players)
        * math.prod(len(p.actions) for p in players)
    )
    if cells > limits.MAX_FILE_CELLS:
        r.fail(
            "players",
            f"{cells} reward cells (players x type profiles x action profiles), "
            f"over the limit MAX_FILE_CELLS = {limits.MAX_FILE_CELLS}",
            LimitError,
        )
    return tuple(players)


def _read_prior(r: Reader, node, players: tuple, probs: frozenset) -> np.ndarray:
    tshape = tuple(len(p.types) for p in players)
    out = np.empty(tshape, dtype=object)
    if node is None:
        out.ravel()[:] = [sympy.Rational(1, math.prod(tshape))] * out.size
        return out
    obj = r.object(node, "prior", optional=("independent", "joint"))
    if len(obj) != 1:
        r.fail("prior", "expected exactly one of 'independent' or 'joint'")
    names = [p.name for p in players]
    if "independent" in obj:
        given = r.object(obj["independent"], "prior.independent")
        factors = [[sympy.Rational(1, len(p.types))] * len(p.types) for p in players]
        for pname, marginal in given.items():
            path = json_path("prior.independent", pname)
            if pname not in names:
                r.fail(
                    path,
                    f"unknown player {pname!r} (players: {', '.join(names)})",
                    GameStructureError,
                )
            i = names.index(pname)
            items = []
            row = [sympy.Integer(0)] * len(players[i].types)
            for t, v in r.object(marginal, path).items():
                tpath = json_path(path, t)
                k = lookup(r, players[i].types, t, tpath, f"player {pname!r}", "type")
                row[k] = r.value(v, tpath)
                items.append((row[k], tpath))
            r.probabilities(items, path, probs)
            factors[i] = row
        for idx in np.ndindex(tshape):
            value = sympy.Integer(1)
            for f, k in zip(factors, idx):
                value *= f[k]
            out[idx] = value
        return out
    entries = r.array(obj["joint"], "prior.joint")
    if len(entries) > limits.MAX_RECORDS:
        r.fail(
            "prior.joint",
            f"{len(entries)} entries, over the limit MAX_RECORDS = {limits.MAX_RECORDS}",
            LimitError,
        )
    out.ravel()[:] = [sympy.Integer(0)] * out.size
    first: dict = {}
    items = []
    for e, entry in enumerate(entries):
        path = f"prior.joint[{e}]"
        pair = r.array(entry, path, 2, "items ([type profile, probability])")
        profile = r.array(pair[0], path + "[0]", len(players), "type names (one per player)")
        idx = tuple(
            lookup(
                r,
                p.types,
                r.string(t, f"{path}[0][{j}]"),
                f"{path}[0][{j}]",
                f"player {p.name!r}",
                "type",
            )
            for j, (p, t) in enumerate(zip(players, profile))
        )
        if idx in first:
            r.fail(
                path,
                f"type profile {tuple(profile)} is also given by prior.joint[{first[idx]}]",
                GameStructureError,
            )
        first[idx] = e
        out[idx] = r.value(pair[1], path + "[1]")
        items.append((out[idx], path + "[1]"))
    r.probabilities(items, "prior.joint", probs)
    return out


def _selector(r: Reader, node, path: str, players: tuple, attr: str, maps: list) -> list:
    """One index per player, ``None`` for the wildcard; ``maps[j]`` is {name: index}."""
    if not isinstance(node, list) or len(node) != len(players):
        r.array(node, path, len(players), f"{attr[:-1]} names (one per player)")
    out = []
    for j, name in enumerate(node):
        k = maps[j].get(name) if isinstance(name, str) else None
        if k is None:
            name = r.string(name, f"{path}[{j}]")
            if name != WILDCARD:
                lookup(
                    r,
                    getattr(players[j], attr),
                    name,
                    f"{path}[{j}]",
                    f"player {players[j].name!r}",
                    attr[:-1],
                )
        out.append(k)
    return out


def _cell(players, index) -> str:
    n = len(players)
    t = tuple(p.types[int(k)] for p, k in zip(players, index[1 : 1 + n]))
    a = tuple(p.actions[int(k)] for p, k in zip(players, index[1 + n :]))
    return f"player {players[int(index[0])].name!r} at types {t} and actions {a}"


def _read_rewards(r: Reader, node, players: tuple, support: np.ndarray) -> np.ndarray:
    records = r.array(node, "rewards")
    if len(records) > limits.MAX_RECORDS:
        r.fail(
            "rewards",
            f"{len(records)} records, over the limit MAX_RECORDS = {limits.MAX_RECORDS}",
            LimitError,
        )
    n = len(players)
    shape = (n, *(len(p.types) for p in players), *(len(p.actions) for p in players))
    values = np.full(shape, None, dtype=object)
    owner = np.full(shape, -1, dtype=np.int32)
    holder = np.empty((), dtype=object)
    names = [p.name for p in players]
    tmaps = [{t: k for k, t in enumerate(p.types)} for p in players]
    amaps = [{a: k for k, a in enumerate(p.actions)} for p in players]
    for k, rec in enumerate(records):
        path = f"rewards[{k}]"
        obj = r.object(rec, path, optional=("player", "types", "actions", "values", "value"))
        if "values" in obj and ("player" in obj or "value" in obj):
            r.fail(path, "a record has either 'values' or 'player' and 'value', not both")
        for key in ("actions",) + (("values",) if "values" in obj else ("player", "value")):
            if key not in obj:
                r.fail(path, f"missing key {key!r}")
        sel = (
            _selector(r, obj["types"], path + ".types", players, "types", tmaps)
            if "types" in obj
            else [None] * n
        )
        sel += _selector(r, obj["actions"], path + ".actions", players, "actions", amaps)
        if "values" in obj:
            vals = r.array(obj["values"], path + ".values", n, "values (one per player)")
            targets = [(i, r.value(v, f"{path}.values[{i}]")) for i, v in enumerate(vals)]
        else:
            pname = r.string(obj["player"], path + ".player")
            if pname not in names:
                r.fail(
                    path + ".player",
                    f"unknown player {pname!r} (players: {', '.join(names)})",
                    GameStructureError,
                )
            targets = [(names.index(pname), r.value(obj["value"], path + ".value"))]
        if None not in sel:
            for i, v in targets:
                index = (i, *sel)
                if owner[index] >= 0:
                    _overlap(r, players, index, int(owner[index]), k)
                owner[index] = k
                values[index] = v
            continue
        slices = tuple(slice(None) if s is None else slice(s, s + 1) for s in sel)
        for i, v in targets:
            index = (slice(i, i + 1), *slices)
            view = owner[index]
            taken = np.flatnonzero(view >= 0)
            if taken.size:
                pos = np.unravel_index(taken[0], view.shape)
                full = tuple((s.start or 0) + int(q) for s, q in zip(index, pos))
                _overlap(r, players, full, int(owner[full]), k)
            view[...] = k
            holder[()] = v
            values[index] = holder
    gaps = (owner < 0) & support.reshape((1, *support.shape, *([1] * n)))
    if gaps.any():
        first = tuple(int(q) for q in np.argwhere(gaps)[0])
        r.fail("rewards", f"no record sets the reward of {_cell(players, first)}", CoverageError)
    return values


def _overlap(r: Reader, players, index, before: int, now: int):
    r.fail(
        f"rewards[{now}]",
        f"rewards[{before}] and rewards[{now}] both set the reward of {_cell(players, index)}",
        CoverageError,
    )


def _check_constant_sum(r: Reader, node, game: BayesianGame) -> sympy.Expr:
    """The declared constant, checked against the rewards."""
    declared = r.value(node, "constant_sum")
    verdict = constant_sum(game)
    if verdict.constant is None:
        assert verdict.witness is not None  # not constant-sum: two cells show it
        (t1, a1, s1), (t2, a2, s2) = verdict.witness
        r.fail(
            "constant_sum",
            f"declared {declared}, but the rewards sum to {s1} at types {t1} "
            f"and actions {a1}, and to {s2} at types {t2} and actions {a2}",
            ConstantSumError,
        )
    if not same(verdict.constant, declared):
        t = tuple(p.types[k] for p, k in zip(game.players, game.support[0]))
        a = tuple(p.actions[0] for p in game.players)
        r.fail(
            "constant_sum",
            f"declared {declared}, but the rewards sum to {verdict.constant} "
            f"(e.g. at types {t} and actions {a})",
            ConstantSumError,
        )
    return declared


def read_game(r: Reader, root: dict) -> BayesianGame:
    """The game of a game-v1 document ``root`` (its ``format`` already checked), read with
    ``r``; the checks of ``docs/file-format.md`` (keys, names, limits, the prior, coverage
    of the rewards, a declared ``constant_sum``) each fail naming their JSON path.  A
    declared constant is kept as the game's ``declared_constant_sum`` (written back by
    :func:`~exactpower.io.dumps`)."""
    r.object(root, "", required=("format", "players", "rewards"), optional=_GAME_KEYS)
    title = r.string(root["title"], "title", limits.MAX_TITLE_LENGTH) if "title" in root else None
    parameters = _read_parameters(r, root["parameters"]) if "parameters" in root else ()
    r.symbols = {p.name: p.symbol for p in parameters}
    players = _read_players(r, root["players"])
    prior = _read_prior(r, root.get("prior"), players, probability_symbols(parameters))
    support = np.array([v != 0 for v in prior.ravel().tolist()], dtype=bool).reshape(prior.shape)
    rewards = _read_rewards(r, root["rewards"], players, support)
    game = BayesianGame.from_values(players, prior, rewards, parameters, title)
    if "constant_sum" in root:
        declared = _check_constant_sum(r, root["constant_sum"], game)
        game = dataclasses.replace(game, declared_constant_sum=declared)
    return game
