"""Reading game-v1 documents: exact JSON, typed access with JSON paths, coverage.

The reading half of :mod:`exactpower.files` (which documents the formats and
the limits, and holds the public entry points).  Every failure raises a
:class:`~exactpower.GameError` whose message starts with
``<source>: <JSON path>: ``.

Public: :func:`read_json`, the exact JSON reader that game files and proof
traces share, its :class:`JSONNumber`, and :func:`json_type` / :func:`json_path`.
"""

from __future__ import annotations

import json
import math

import numpy as np
import sympy

from .constant_sum import constant_sum
from .errors import (ConstantSumError, CoverageError, FileFormatError, GameError,
                     GameStructureError, LimitError, ParameterError, ProbabilityError)
from .expressions import parse_number
from .game import BayesianGame, Player
from .values import DOMAINS, Parameter, as_exact, probability_symbols, provably_nonnegative

GAME_FORMAT = "exactpower/game-v1"
PROFILE_FORMAT = "exactpower/profile-v1"
MAX_FILE_BYTES = 20_000_000
MAX_PLAYERS = 15
MAX_PARAMETERS = 100
MAX_NAME_LENGTH = 100
MAX_TITLE_LENGTH = 1000
MAX_CELLS = 1_000_000
MAX_RECORDS = 1_000_000
WILDCARD = "*"


# -- JSON reading --------------------------------------------------------------------

class JSONNumber:
    """A JSON number literal, kept as written until it is converted exactly."""

    __slots__ = ("text",)

    def __init__(self, text: str):
        self.text = text

    def __repr__(self) -> str:
        return f"JSONNumber({self.text!r})"


class _Constant:
    """``NaN``, ``Infinity`` or ``-Infinity`` in the text: refused where it is used."""

    def __init__(self, text: str):
        self.text = text


class _Object(dict):
    """A JSON object that remembers the keys it saw twice."""

    duplicates: tuple = ()


def _object_pairs(pairs, seen: list) -> _Object:
    obj = _Object()
    dup = []
    for key, value in pairs:
        if key in obj:
            dup.append(key)
        obj[key] = value
    obj.duplicates = tuple(dup)
    if dup:
        seen.append(obj)
    return obj


def read_json(text, source: str = "<string>", *, max_bytes: int | None = None,
              limit_name: str = "MAX_FILE_BYTES"):
    """The tree of a JSON document, read exactly; duplicate keys refused everywhere.

    Objects become dicts, arrays lists, ``true``/``false``/``null`` bool/None, every
    number a :class:`JSONNumber` holding its text as written (never a float).  Over
    ``max_bytes`` (default ``MAX_FILE_BYTES``; bytes, or characters of a ``str``),
    checked first: :class:`~exactpower.LimitError` naming ``limit_name``.  Not UTF-8,
    not JSON, or a key twice in an object (named with its JSON path):
    :class:`~exactpower.FileFormatError`.

    >>> read_json('{"a": [0.99999999999999999, "x"]}')
    {'a': [JSONNumber('0.99999999999999999'), 'x']}
    """
    max_bytes = MAX_FILE_BYTES if max_bytes is None else max_bytes  # read now: tests patch it
    if isinstance(text, (bytes, bytearray)):
        if len(text) > max_bytes:
            raise LimitError(f"{source}: top level: {len(text)} bytes, over the limit "
                             f"{limit_name} = {max_bytes}")
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise FileFormatError(f"{source}: byte {e.start}: not UTF-8 text") from None
    if not isinstance(text, str):
        raise FileFormatError(f"{source}: top level: expected JSON text, got {type(text).__name__}")
    if len(text) > max_bytes:
        raise LimitError(f"{source}: top level: {len(text)} characters, over the limit "
                         f"{limit_name} = {max_bytes}")
    seen: list = []
    try:
        tree = json.loads(text, parse_float=JSONNumber, parse_int=JSONNumber,
                          parse_constant=_Constant,
                          object_pairs_hook=lambda pairs: _object_pairs(pairs, seen))
    except json.JSONDecodeError as e:
        raise FileFormatError(f"{source}: line {e.lineno} column {e.colno}: malformed JSON: "
                              f"{e.msg}") from None
    except RecursionError:
        raise LimitError(f"{source}: top level: JSON nested too deeply") from None
    stack = [(tree, "")] if seen else []  # paths are worked out for the message only
    while stack:  # iterative, in document order
        node, path = stack.pop()
        if getattr(node, "duplicates", ()):
            raise FileFormatError(f"{source}: {path or 'top level'}: duplicate key "
                                  f"{node.duplicates[0]!r}")
        if isinstance(node, (dict, list)):
            items = list(node.items() if isinstance(node, dict) else enumerate(node))
            stack.extend((v, json_path(path, k)) for k, v in reversed(items))
    return tree


def json_type(node) -> str:
    """A node of :func:`read_json`'s tree described for a message: ``'the number 0.5'``."""
    if isinstance(node, dict):
        return "an object"
    if isinstance(node, list):
        return "an array"
    if isinstance(node, str):
        return "a string"
    if isinstance(node, bool):
        return f"{str(node).lower()}"
    if isinstance(node, JSONNumber):
        return f"the number {node.text}"
    if isinstance(node, _Constant):
        return f"{node.text} (not a number exactpower accepts)"
    return "null"


def json_path(path: str, key) -> str:
    """``path`` extended by an object key or an array index: ``steps[2].premises``."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    if key.isidentifier() and key.isascii():
        return f"{path}.{key}" if path else key
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"



class _Reader:
    """Typed access to a parsed document; every failure names the source and the path."""

    def __init__(self, source: str, symbols: dict | None = None):
        self.source = source
        self.symbols = symbols or {}
        self.cache: dict = {}

    def where(self, path: str) -> str:
        return f"{self.source}: {path or 'top level'}"

    def fail(self, path: str, message: str, error: type = FileFormatError):
        raise error(f"{self.where(path)}: {message}")

    def object(self, node, path: str, required=(), optional=()) -> dict:
        if not isinstance(node, dict):
            self.fail(path, f"expected an object, got {json_type(node)}")
        if getattr(node, "duplicates", ()):
            self.fail(path, f"duplicate key {node.duplicates[0]!r}")
        if required or optional:
            unknown = [k for k in node if k not in required and k not in optional]
            if unknown:
                allowed = ", ".join(repr(k) for k in (*required, *optional))
                self.fail(json_path(path, unknown[0]),
                          f"unknown key {unknown[0]!r} (allowed: {allowed})")
            for k in required:
                if k not in node:
                    self.fail(path, f"missing key {k!r}")
        return node

    def array(self, node, path: str, length: int | None = None, what: str = "entries") -> list:
        if not isinstance(node, list):
            self.fail(path, f"expected an array, got {json_type(node)}")
        if length is not None and len(node) != length:
            self.fail(path, f"expected {length} {what}, got {len(node)}", GameStructureError)
        return node

    def string(self, node, path: str, limit: int = MAX_NAME_LENGTH) -> str:
        if not isinstance(node, str):
            self.fail(path, f"expected a string, got {json_type(node)}")
        if len(node) > limit:
            self.fail(path, f"{len(node)} characters, over the limit of {limit}", LimitError)
        return node

    def names(self, node, path: str, what: str, wildcard_ok: bool = True) -> tuple:
        items = self.array(node, path)
        if not items:
            self.fail(path, f"needs at least one {what}", GameStructureError)
        seen: dict = {}
        for k, item in enumerate(items):
            name = self.string(item, json_path(path, k))
            if not name:
                self.fail(json_path(path, k), f"{what} name must not be empty", GameStructureError)
            if name == WILDCARD and not wildcard_ok:
                self.fail(json_path(path, k), f"{what} name '*' is reserved (it is the wildcard)",
                          GameStructureError)
            if name in seen:
                self.fail(json_path(path, k), f"duplicate {what} name {name!r} (also at "
                          f"{json_path(path, seen[name])})", GameStructureError)
            seen[name] = k
        return tuple(items)

    def value(self, node, path: str) -> sympy.Expr:
        if isinstance(node, JSONNumber):
            key = ("n", node.text)
        elif isinstance(node, str):
            key = ("s", node)
        else:
            self.fail(path, f"expected a value (a number or a string), got {json_type(node)}")
        hit = self.cache.get(key)
        if hit is None:
            if key[0] == "n":
                hit = parse_number(node.text, where=self.where(path))
            else:
                hit = as_exact(node, self.symbols, where=self.where(path))
            self.cache[key] = hit
        return hit

    def probabilities(self, items: list, path: str, probs: frozenset) -> None:
        """Each ``(value, path)`` provably in [0, 1]; together they sum to exactly 1."""
        total = sympy.Integer(0)
        for v, vpath in items:
            exact = isinstance(v, sympy.Rational)
            if not provably_nonnegative(v, probs):
                self.fail(vpath, f"probability {v} is negative" if exact else
                          f"probability {v} is not provably nonnegative for every value of "
                          f"the parameters", ProbabilityError)
            if exact and v > 1:  # a symbolic v <= 1 follows from v >= 0 and the sum being 1
                self.fail(vpath, f"probability {v} is greater than 1", ProbabilityError)
            total += v
        ok = total == 1 if isinstance(total, sympy.Rational) else sympy.cancel(total - 1) == 0
        if not ok:
            self.fail(path, f"probabilities sum to {total}, not 1", ProbabilityError)


def _lookup(r: _Reader, names: tuple, name: str, path: str, owner: str, what: str,
            error: type = GameStructureError) -> int:
    try:
        return names.index(name)
    except ValueError:
        r.fail(path, f"{owner} has no {what} {name!r} ({what}s: {', '.join(names)})", error)


# -- game-v1 -------------------------------------------------------------------------

_GAME_KEYS = ("format", "title", "parameters", "players", "prior", "rewards", "constant_sum")


def _read_parameters(r: _Reader, node) -> tuple:
    obj = r.object(node, "parameters")
    if len(obj) > MAX_PARAMETERS:
        r.fail("parameters", f"{len(obj)} parameters, over the limit MAX_PARAMETERS = "
               f"{MAX_PARAMETERS}", LimitError)
    out = []
    for name, domain in obj.items():
        path = json_path("parameters", name)
        r.string(domain, path)
        if len(name) > MAX_NAME_LENGTH or not (name.isidentifier() and name.isascii()):
            r.fail(path, f"parameter name {name!r} is not an ASCII identifier of at most "
                   f"{MAX_NAME_LENGTH} characters", ParameterError)
        if domain not in DOMAINS:
            r.fail(path, f"unknown domain {domain!r} (expected one of {', '.join(DOMAINS)})",
                   ParameterError)
        out.append(Parameter(name, domain))
    return tuple(out)


def _read_players(r: _Reader, node) -> tuple:
    items = r.array(node, "players")
    if not items:
        r.fail("players", "a game needs at least one player", GameStructureError)
    if len(items) > MAX_PLAYERS:
        r.fail("players", f"{len(items)} players, over the limit MAX_PLAYERS = {MAX_PLAYERS}",
               LimitError)
    players, seen = [], {}
    for k, item in enumerate(items):
        path = f"players[{k}]"
        obj = r.object(item, path, required=("name", "actions"), optional=("types",))
        name = r.string(obj["name"], path + ".name")
        if not name:
            r.fail(path + ".name", "player name must not be empty", GameStructureError)
        if name in seen:
            r.fail(path + ".name", f"duplicate player name {name!r} (also players[{seen[name]}])",
                   GameStructureError)
        seen[name] = k
        types = r.names(obj["types"], path + ".types", "type", False) if "types" in obj else ("-",)
        actions = r.names(obj["actions"], path + ".actions", "action", False)
        players.append(Player(name, types, actions))
    cells = len(players) * math.prod(len(p.types) for p in players) * math.prod(
        len(p.actions) for p in players)
    if cells > MAX_CELLS:
        r.fail("players", f"{cells} reward cells (players x type profiles x action profiles), "
               f"over the limit MAX_CELLS = {MAX_CELLS}", LimitError)
    return tuple(players)


def _read_prior(r: _Reader, node, players: tuple, probs: frozenset) -> np.ndarray:
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
                r.fail(path, f"unknown player {pname!r} (players: {', '.join(names)})",
                       GameStructureError)
            i = names.index(pname)
            items = []
            row = [sympy.Integer(0)] * len(players[i].types)
            for t, v in r.object(marginal, path).items():
                tpath = json_path(path, t)
                k = _lookup(r, players[i].types, t, tpath, f"player {pname!r}", "type")
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
    if len(entries) > MAX_RECORDS:
        r.fail("prior.joint", f"{len(entries)} entries, over the limit MAX_RECORDS = "
               f"{MAX_RECORDS}", LimitError)
    out.ravel()[:] = [sympy.Integer(0)] * out.size
    first: dict = {}
    items = []
    for e, entry in enumerate(entries):
        path = f"prior.joint[{e}]"
        pair = r.array(entry, path, 2, "items ([type profile, probability])")
        profile = r.array(pair[0], path + "[0]", len(players), "type names (one per player)")
        idx = tuple(_lookup(r, p.types, r.string(t, f"{path}[0][{j}]"), f"{path}[0][{j}]",
                            f"player {p.name!r}", "type")
                    for j, (p, t) in enumerate(zip(players, profile)))
        if idx in first:
            r.fail(path, f"type profile {tuple(profile)} is also given by prior.joint[{first[idx]}]",
                   GameStructureError)
        first[idx] = e
        out[idx] = r.value(pair[1], path + "[1]")
        items.append((out[idx], path + "[1]"))
    r.probabilities(items, "prior.joint", probs)
    return out


def _selector(r: _Reader, node, path: str, players: tuple, attr: str, maps: list) -> list:
    """One index per player, ``None`` for the wildcard; ``maps[j]`` is {name: index}."""
    if not isinstance(node, list) or len(node) != len(players):
        r.array(node, path, len(players), f"{attr[:-1]} names (one per player)")
    out = []
    for j, name in enumerate(node):
        k = maps[j].get(name) if isinstance(name, str) else None
        if k is None:
            name = r.string(name, f"{path}[{j}]")
            if name != WILDCARD:
                _lookup(r, getattr(players[j], attr), name, f"{path}[{j}]",
                        f"player {players[j].name!r}", attr[:-1])
        out.append(k)
    return out


def _cell(players, index) -> str:
    n = len(players)
    t = tuple(p.types[int(k)] for p, k in zip(players, index[1:1 + n]))
    a = tuple(p.actions[int(k)] for p, k in zip(players, index[1 + n:]))
    return f"player {players[int(index[0])].name!r} at types {t} and actions {a}"


def _read_rewards(r: _Reader, node, players: tuple, support: np.ndarray) -> np.ndarray:
    records = r.array(node, "rewards")
    if len(records) > MAX_RECORDS:
        r.fail("rewards", f"{len(records)} records, over the limit MAX_RECORDS = {MAX_RECORDS}",
               LimitError)
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
        for key in (("actions",) + (("values",) if "values" in obj else ("player", "value"))):
            if key not in obj:
                r.fail(path, f"missing key {key!r}")
        sel = (_selector(r, obj["types"], path + ".types", players, "types", tmaps)
               if "types" in obj else [None] * n)
        sel += _selector(r, obj["actions"], path + ".actions", players, "actions", amaps)
        if "values" in obj:
            vals = r.array(obj["values"], path + ".values", n, "values (one per player)")
            targets = [(i, r.value(v, f"{path}.values[{i}]")) for i, v in enumerate(vals)]
        else:
            pname = r.string(obj["player"], path + ".player")
            if pname not in names:
                r.fail(path + ".player", f"unknown player {pname!r} (players: {', '.join(names)})",
                       GameStructureError)
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


def _overlap(r: _Reader, players, index, before: int, now: int):
    r.fail(f"rewards[{now}]", f"rewards[{before}] and rewards[{now}] both set the reward of "
           f"{_cell(players, index)}", CoverageError)


def _same(x, y) -> bool:
    if isinstance(x, sympy.Rational) and isinstance(y, sympy.Rational):
        return x == y
    return sympy.cancel(x - y) == 0


def _check_constant_sum(r: _Reader, node, game: BayesianGame) -> None:
    declared = r.value(node, "constant_sum")
    verdict = constant_sum(game)
    if verdict.constant is None:
        (t1, a1, s1), (t2, a2, s2) = verdict.witness
        r.fail("constant_sum", f"declared {declared}, but the rewards sum to {s1} at types {t1} "
               f"and actions {a1}, and to {s2} at types {t2} and actions {a2}", ConstantSumError)
    if not _same(verdict.constant, declared):
        t = tuple(p.types[k] for p, k in zip(game.players, game.support[0]))
        a = tuple(p.actions[0] for p in game.players)
        r.fail("constant_sum", f"declared {declared}, but the rewards sum to {verdict.constant} "
               f"(e.g. at types {t} and actions {a})", ConstantSumError)


def _read_game(r: _Reader, root: dict) -> BayesianGame:
    r.object(root, "", required=("format", "players", "rewards"), optional=_GAME_KEYS)
    title = r.string(root["title"], "title", MAX_TITLE_LENGTH) if "title" in root else None
    parameters = _read_parameters(r, root["parameters"]) if "parameters" in root else ()
    r.symbols = {p.name: p.symbol for p in parameters}
    players = _read_players(r, root["players"])
    prior = _read_prior(r, root.get("prior"), players, probability_symbols(parameters))
    support = np.array([v != 0 for v in prior.ravel().tolist()], dtype=bool).reshape(prior.shape)
    rewards = _read_rewards(r, root["rewards"], players, support)
    game = BayesianGame._build(players, prior, rewards, parameters, title)
    if "constant_sum" in root:
        _check_constant_sum(r, root["constant_sum"], game)
    return game


def _located(error: GameError, source: str) -> GameError:
    """``error`` with the source in front of its message, if it is not there already."""
    message = str(error.args[0]) if error.args else str(error)
    if message.startswith(f"{source}: "):
        return error
    return type(error)(f"{source}: {message}")
