"""Reading game-v1 documents: exact JSON, typed access with JSON paths, coverage.

The reading half of :mod:`exactpower.io.json_files` (which documents the formats
and holds the public entry points).  Every failure raises a
:class:`~exactpower.GameError` whose message starts with
``<source>: <JSON path>: ``.

- :func:`read_json`, the exact JSON reader that game files and proof traces share,
  its :class:`JSONNumber`, and :func:`json_type` / :func:`json_path`;
- :class:`Reader`, typed access to a parsed document, and :func:`lookup`, a name
  looked up with the error that names the place (the profile-v1 reader uses both);
- :func:`located`, an error with its source in front.

The game-v1 reader itself is :mod:`exactpower.io.game_reader`.  The size limits are
those of :mod:`exactpower.limits`, read from there when a document is read.

>>> read_json('{"a": [1, "x"]}')
{'a': [JSONNumber('1'), 'x']}
"""

from __future__ import annotations

import json
from typing import NoReturn

import sympy

from .. import limits
from ..errors import FileFormatError, GameError, GameStructureError, LimitError, ProbabilityError
from ..exact import (
    as_exact,
    exact_sum,
    parse_expression,
    parse_number,
    provably_nonnegative,
    same,
)

__all__ = [
    "GAME_FORMAT",
    "PROFILE_FORMAT",
    "WILDCARD",
    "JSONNumber",
    "read_json",
    "json_type",
    "json_path",
    "Reader",
    "lookup",
    "located",
]

GAME_FORMAT = "exactpower/game-v1"
PROFILE_FORMAT = "exactpower/profile-v1"
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


def read_json(
    text,
    source: str = "<string>",
    *,
    max_bytes: int | None = None,
    limit_name: str = "MAX_FILE_BYTES",
):
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
    max_bytes = limits.MAX_FILE_BYTES if max_bytes is None else max_bytes  # read now
    if isinstance(text, (bytes, bytearray)):
        if len(text) > max_bytes:
            raise LimitError(
                f"{source}: top level: {len(text)} bytes, over the limit {limit_name} = {max_bytes}"
            )
        try:
            text = bytes(text).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise FileFormatError(f"{source}: byte {e.start}: not UTF-8 text") from None
    if not isinstance(text, str):
        raise FileFormatError(f"{source}: top level: expected JSON text, got {type(text).__name__}")
    if len(text) > max_bytes:
        raise LimitError(
            f"{source}: top level: {len(text)} characters, over the limit "
            f"{limit_name} = {max_bytes}"
        )
    seen: list = []
    try:
        tree = json.loads(
            text,
            parse_float=JSONNumber,
            parse_int=JSONNumber,
            parse_constant=_Constant,
            object_pairs_hook=lambda pairs: _object_pairs(pairs, seen),
        )
    except json.JSONDecodeError as e:
        raise FileFormatError(
            f"{source}: line {e.lineno} column {e.colno}: malformed JSON: {e.msg}"
        ) from None
    except RecursionError:
        raise LimitError(f"{source}: top level: JSON nested too deeply") from None
    stack = [(tree, "")] if seen else []  # paths are worked out for the message only
    while stack:  # iterative, in document order
        node, path = stack.pop()
        if getattr(node, "duplicates", ()):
            raise FileFormatError(
                f"{source}: {path or 'top level'}: duplicate key {node.duplicates[0]!r}"
            )
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


class Reader:
    """Typed access to a parsed document; every failure names the source and the path.

    ``symbols`` maps the declared parameters' names to their symbols (for values
    written as text); parsed values are cached by their text.

    >>> r = Reader("g.json")
    >>> r.value(read_json('"1/3"'), "prior"), r.where("")
    (1/3, 'g.json: top level')
    >>> r.string(read_json("3"), "players[0].name")
    Traceback (most recent call last):
    ...
    exactpower.errors.FileFormatError: g.json: players[0].name: expected a string, got the number 3
    """

    def __init__(self, source: str, symbols: dict | None = None, *, algebraic: bool = False):
        self.source = source
        self.symbols = symbols or {}
        self.cache: dict = {}
        self.algebraic = algebraic  # sqrt(n), CRootOf(p, k): the profile of a proof trace

    def where(self, path: str) -> str:
        return f"{self.source}: {path or 'top level'}"

    def fail(self, path: str, message: str, error: type = FileFormatError) -> NoReturn:
        raise error(f"{self.where(path)}: {message}")

    def object(self, node, path: str, required=(), optional=()) -> dict:
        if not isinstance(node, dict):
            self.fail(path, f"expected an object, got {json_type(node)}")
        duplicates = getattr(node, "duplicates", ())  # a JSONObject's repeated keys
        if duplicates:
            self.fail(path, f"duplicate key {duplicates[0]!r}")
        if required or optional:
            unknown = [k for k in node if k not in required and k not in optional]
            if unknown:
                allowed = ", ".join(repr(k) for k in (*required, *optional))
                self.fail(
                    json_path(path, unknown[0]), f"unknown key {unknown[0]!r} (allowed: {allowed})"
                )
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

    def string(self, node, path: str, limit: int | None = None) -> str:
        """A string of at most ``limit`` characters (default ``MAX_NAME_LENGTH``)."""
        limit = limits.MAX_NAME_LENGTH if limit is None else limit
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
                self.fail(
                    json_path(path, k),
                    f"{what} name '*' is reserved (it is the wildcard)",
                    GameStructureError,
                )
            if name in seen:
                self.fail(
                    json_path(path, k),
                    f"duplicate {what} name {name!r} (also at {json_path(path, seen[name])})",
                    GameStructureError,
                )
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
            elif self.algebraic:
                hit = parse_expression(
                    node, self.symbols, where=self.where(path), allow_algebraic=True
                )
            else:
                hit = as_exact(node, self.symbols, where=self.where(path))
            self.cache[key] = hit
        return hit

    def probabilities(self, items: list, path: str, probs: frozenset) -> None:
        """Each ``(value, path)`` provably in [0, 1]; together they sum to exactly 1."""
        for v, vpath in items:
            exact = isinstance(v, sympy.Rational)
            if not provably_nonnegative(v, probs):
                self.fail(
                    vpath,
                    f"probability {v} is negative"
                    if exact
                    else f"probability {v} is not provably nonnegative for every value of "
                    f"the parameters",
                    ProbabilityError,
                )
            if exact and v > 1:  # a symbolic v <= 1 follows from v >= 0 and the sum being 1
                self.fail(vpath, f"probability {v} is greater than 1", ProbabilityError)
        total = exact_sum(v for v, _ in items)
        if not same(total, sympy.Integer(1)):
            self.fail(path, f"probabilities sum to {total}, not 1", ProbabilityError)


def lookup(
    r: Reader,
    names: tuple,
    name: str,
    path: str,
    owner: str,
    what: str,
    error: type = GameStructureError,
) -> int:
    """The index of ``name`` in ``names``; else an ``error`` at ``path`` saying that
    ``owner`` has no ``what`` of that name, and listing ``names``.

    >>> lookup(Reader("g.json"), ("H", "T"), "X", "strategies.row", "player 'row'", "action")
    Traceback (most recent call last):
    ...
    exactpower.errors.GameStructureError: g.json: strategies.row: player 'row' has no action 'X' (actions: H, T)
    """
    try:
        return names.index(name)
    except ValueError:
        r.fail(path, f"{owner} has no {what} {name!r} ({what}s: {', '.join(names)})", error)


def located(error: GameError, source: str) -> GameError:
    """``error`` with the source in front of its message, if it is not there already.

    >>> located(GameError("players: empty"), "g.json")
    GameError('g.json: players: empty')
    """
    message = str(error.args[0]) if error.args else str(error)
    if message.startswith(f"{source}: "):
        return error
    return type(error)(f"{source}: {message}")
