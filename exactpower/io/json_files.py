"""Game and profile files: ``exactpower/game-v1`` and ``exactpower/profile-v1``.

:func:`loads` / :func:`load` read a document (a game becomes a
:class:`~exactpower.BayesianGame`; a profile, which needs its game, becomes a
:class:`ProfileDocument` -- use :func:`load_profile` to get a
:class:`~exactpower.StrategyProfile` at once); :func:`dumps` / :func:`dump`
write a game or a profile as canonical JSON that reads back exactly.

JSON is read with every number kept as written and converted exactly
(``0.1`` is ``1/10``; ``1.0000000000000001`` is not 1); ``NaN`` and
``Infinity`` are refused, and so are duplicate keys.  Text values are parsed
by :mod:`exactpower.exact.expressions`, never evaluated.  Every error is a
:class:`~exactpower.GameError` whose message starts with the source (file
name) and the place in the document as a JSON path, e.g.
``poker.json: rewards[2].values[1]: ...`` (``line L column C`` for malformed
JSON, ``top level`` for the document itself).

Limits (over them, :class:`~exactpower.LimitError`, before the costly work):
``MAX_FILE_BYTES`` (size of one document: bytes, or characters for :func:`loads`
of a ``str``), ``MAX_PLAYERS``, ``MAX_PARAMETERS``, ``MAX_NAME_LENGTH``,
``MAX_TITLE_LENGTH``, ``MAX_FILE_CELLS`` (reward cells ``n · |T| · |A|``),
``MAX_RECORDS`` (reward records; entries of a joint prior), and the expression
limits for every value; all are defined, with their values, in
:mod:`exactpower.limits`.

The game-v1 reader is :mod:`exactpower.io.game_reader`, on the exact JSON reader of
:mod:`exactpower.io.json_reader`; the writer (:func:`to_data`, :func:`dumps`, :func:`dump`)
is :mod:`exactpower.io.json_writer`.  Documents embedded in others (a
proof trace embeds its game and profile) are read from the tree of
:func:`read_json` (the same exact JSON reader) by :func:`game_from_tree` and
:func:`profile_from_tree`; :func:`to_data` is the dict that :func:`dumps` writes.  Details and examples of both
formats: ``docs/file-format.md``.

Examples
--------
>>> game = loads('''{"format": "exactpower/game-v1", "title": "pennies",
...   "players": [{"name": "row", "actions": ["H", "T"]},
...               {"name": "col", "actions": ["H", "T"]}],
...   "rewards": [{"actions": ["H", "H"], "values": [1, -1]},
...               {"actions": ["T", "T"], "values": [1, -1]},
...               {"actions": ["H", "T"], "values": [-1, 1]},
...               {"actions": ["T", "H"], "values": ["-1", "1"]}]}''')
>>> game
<BayesianGame 'pennies': 2 players (1t2ax1t2a), rational>
>>> profile = loads_profile('{"format": "exactpower/profile-v1", '
...                         '"strategies": {"row": "H", "col": {"H": 0.25, "T": "3/4"}}}', game)
>>> profile.probability(1, 0, 0)
1/4
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from importlib import resources

import sympy

from .. import limits
from ..errors import FileFormatError, GameError, LimitError, ProfileError
from ..game import BayesianGame, Player
from ..profile import WILDCARD, StrategyProfile, is_per_type, per_type_hint, type_sources
from .game_reader import read_game
from .json_reader import (
    GAME_FORMAT,
    PROFILE_FORMAT,
    JSONNumber,
    Reader,
    json_path,
    json_type,
    located,
    lookup,
    read_json,
)
from .json_writer import dump, dumps, to_data

__all__ = [
    "GAME_FORMAT",
    "PROFILE_FORMAT",
    "ProfileDocument",
    "JSONNumber",
    "load",
    "loads",
    "load_game",
    "loads_game",
    "load_profile",
    "loads_profile",
    "dump",
    "dumps",
    "schema",
    "read_json",
    "game_from_tree",
    "profile_from_tree",
    "to_data",
]

# -- profile-v1 ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProfileDocument:
    """A profile-v1 document read without its game; :meth:`to_profile` binds it.

    ``strategies`` is the parsed JSON object (numbers as :class:`JSONNumber`).

    >>> doc = loads('{"format": "exactpower/profile-v1", "strategies": {"1": "0", "2": "1"}}')
    >>> from exactpower import BayesianGame
    >>> doc.to_profile(BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)).strategies
    (((1, 0),), ((0, 1),))
    """

    source: str
    strategies: dict
    title: str | None = None

    def to_profile(self, game: BayesianGame, *, algebraic: bool = False) -> StrategyProfile:
        """The :class:`~exactpower.StrategyProfile` of this document for ``game``
        (``algebraic``: values may hold ``sqrt(n)`` and ``CRootOf(p, k)``, as in proof
        traces of irrational equilibria; :mod:`exactpower.exact.algebraic`)."""
        try:
            return _bind_profile(self, game, algebraic)
        except GameError as e:
            raise located(e, self.source) from None


def _bind_profile(
    doc: ProfileDocument, game: BayesianGame, algebraic: bool = False
) -> StrategyProfile:
    r = Reader(doc.source, {p.name: p.symbol for p in game.parameters}, algebraic=algebraic)
    given = r.object(doc.strategies, "strategies")
    names = [p.name for p in game.players]
    for name in given:
        if name not in names:
            r.fail(
                json_path("strategies", name),
                f"unknown player {name!r} (players: {', '.join(names)})",
                ProfileError,
            )
    probs = game.probability_symbols
    out = []
    for p in game.players:
        path = json_path("strategies", p.name)
        if p.name not in given:
            r.fail("strategies", f"no strategy for player {p.name!r}", ProfileError)
        node = given[p.name]
        if len(p.types) == 1 and not is_per_type(node, p):
            node, direct = {p.types[0]: node}, True
        else:
            if isinstance(node, str) or (
                isinstance(node, dict)
                and node
                and not is_per_type(node, p)
                and all(k in p.actions for k in node)
            ):
                r.fail(path, per_type_hint(p, node))
            node, direct = r.object(node, path), False
        for t in node:
            if t != WILDCARD or t in p.actions:
                lookup(
                    r, p.types, t, json_path(path, t), f"player {p.name!r}", "type", ProfileError
                )
        rows = []
        for t, key in type_sources(node, p).items():
            if key is None:
                r.fail(path, f"no strategy for type {t!r} of player {p.name!r}", ProfileError)
            rows.append(
                _distribution(r, node[key], path if direct else json_path(path, key), p, probs)
            )
        out.append(tuple(rows))
    return StrategyProfile.from_rows(game, tuple(out))


def _distribution(r: Reader, node, path: str, p: Player, probs) -> tuple:
    if isinstance(node, str):
        k = lookup(r, p.actions, node, path, f"player {p.name!r}", "action", ProfileError)
        return tuple(sympy.Integer(int(j == k)) for j in range(len(p.actions)))
    if not isinstance(node, dict):
        r.fail(
            path,
            f"expected an action name or an object {{action: probability}}, got {json_type(node)}",
        )
    r.object(node, path)
    row = [sympy.Integer(0)] * len(p.actions)
    items = []
    for a, v in node.items():
        apath = json_path(path, a)
        k = lookup(r, p.actions, a, apath, f"player {p.name!r}", "action", ProfileError)
        row[k] = r.value(v, apath)
        items.append((row[k], apath))
    r.probabilities(items, path, probs)
    return tuple(row)


def _read_profile(r: Reader, root: dict) -> ProfileDocument:
    r.object(root, "", required=("format", "strategies"), optional=("title",))
    title = r.string(root["title"], "title", limits.MAX_TITLE_LENGTH) if "title" in root else None
    r.object(root["strategies"], "strategies")
    return ProfileDocument(r.source, root["strategies"], title)


# -- entry points --------------------------------------------------------------


def loads(text, *, source: str = "<string>"):
    """Read a game-v1 or profile-v1 document from JSON text (``str`` or ``bytes``).

    Returns a :class:`~exactpower.BayesianGame` for a game, a
    :class:`ProfileDocument` for a profile (bind it with
    :meth:`ProfileDocument.to_profile`, or use :func:`loads_profile`).
    ``source`` names the document in error messages.

    >>> loads('{"format": "exactpower/game-v1", "players": [{"name": "a", "actions": ["x"]}], '
    ...       '"rewards": [{"actions": ["*"], "values": [0.1]}]}').reward(0, (0,), (0,))
    1/10
    >>> loads('{"format": "exactpower/game-v2"}', source="g.json")
    Traceback (most recent call last):
    ...
    exactpower.errors.FileFormatError: g.json: format: unknown format 'exactpower/game-v2' (expected 'exactpower/game-v1' or 'exactpower/profile-v1')
    """
    root = read_json(text, source)
    r = Reader(source)
    r.object(root, "")
    if "format" not in root:
        r.fail("", f"missing key 'format' (expected {GAME_FORMAT!r} or {PROFILE_FORMAT!r})")
    fmt = root["format"]
    try:
        if fmt == GAME_FORMAT:
            return read_game(r, root)
        if fmt == PROFILE_FORMAT:
            return _read_profile(r, root)
    except GameError as e:
        raise located(e, source) from None
    if isinstance(fmt, str):
        r.fail("format", f"unknown format {fmt!r} (expected {GAME_FORMAT!r} or {PROFILE_FORMAT!r})")
    r.fail("format", f"expected a string, got {json_type(fmt)}")


def _from_tree(tree, kind: str, source: str):
    r = Reader(source)
    r.object(tree, "")
    if "format" not in tree:
        r.fail("", f"missing key 'format' (expected {kind!r})")
    if tree["format"] != kind:
        got = tree["format"]
        r.fail(
            "format",
            f"expected {kind!r}, got {repr(got) if isinstance(got, str) else json_type(got)}",
        )
    try:
        return read_game(r, tree) if kind == GAME_FORMAT else _read_profile(r, tree)
    except GameError as e:
        raise located(e, source) from None


def game_from_tree(tree, source: str = "<string>") -> BayesianGame:
    """The game of a game-v1 document already parsed by :func:`read_json`.

    For documents embedded in others (a proof trace embeds its game): the
    numbers of ``tree`` are :class:`JSONNumber` and read exactly; ``source``
    starts every error message (e.g. ``"trace.json: game"``).

    >>> tree = read_json('{"format": "exactpower/game-v1", "players": [{"name": "a", '
    ...                  '"actions": ["x"]}], "rewards": [{"actions": ["x"], "values": [0.1]}]}')
    >>> game_from_tree(tree).reward(0, (0,), (0,))
    1/10
    """
    return _from_tree(tree, GAME_FORMAT, source)


def profile_from_tree(
    tree, game: BayesianGame, source: str = "<string>", *, algebraic: bool = False
) -> StrategyProfile:
    """The profile of ``game`` in a profile-v1 document already parsed by :func:`read_json`.

    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[1, 0]])
    >>> tree = read_json('{"format": "exactpower/profile-v1", "strategies": {"1": '
    ...                  '{"0": 0.50000000000000001, "1": 0.5}}}')
    >>> profile_from_tree(tree, g, "p")
    Traceback (most recent call last):
    ...
    exactpower.errors.ProbabilityError: p: strategies["1"]: probabilities sum to 100000000000000001/100000000000000000, not 1
    """
    return _from_tree(tree, PROFILE_FORMAT, source).to_profile(game, algebraic=algebraic)


def _read_source(path_or_file) -> tuple:
    if hasattr(path_or_file, "read"):
        source = str(getattr(path_or_file, "name", "<file>"))
        data = path_or_file.read(limits.MAX_FILE_BYTES + 1)
        return data, source
    source = os.fspath(path_or_file)
    source = source if isinstance(source, str) else os.fsdecode(source)
    size = os.stat(source).st_size
    if size > limits.MAX_FILE_BYTES:
        raise LimitError(
            f"{source}: top level: {size} bytes, over the limit "
            f"MAX_FILE_BYTES = {limits.MAX_FILE_BYTES}"
        )
    with open(source, "rb") as f:
        return f.read(limits.MAX_FILE_BYTES + 1), source


def load(path_or_file):
    """Read a game-v1 or profile-v1 document from a path or an open file; see :func:`loads`."""
    data, source = _read_source(path_or_file)
    return loads(data, source=source)


def _expect(obj, kind: str, source: str):
    want = BayesianGame if kind == GAME_FORMAT else ProfileDocument
    if not isinstance(obj, want):
        other = PROFILE_FORMAT if kind == GAME_FORMAT else GAME_FORMAT
        raise FileFormatError(f"{source}: format: expected {kind!r}, got {other!r}")
    return obj


def loads_game(text, *, source: str = "<string>") -> BayesianGame:
    """:func:`loads` for a document that must be a game."""
    return _expect(loads(text, source=source), GAME_FORMAT, source)


def load_game(path_or_file) -> BayesianGame:
    """:func:`load` for a document that must be a game."""
    data, source = _read_source(path_or_file)
    return loads_game(data, source=source)


def loads_profile(text, game: BayesianGame, *, source: str = "<string>") -> StrategyProfile:
    """Read a profile-v1 document for ``game`` from JSON text."""
    return _expect(loads(text, source=source), PROFILE_FORMAT, source).to_profile(game)


def load_profile(path_or_file, game: BayesianGame) -> StrategyProfile:
    """Read a profile-v1 document for ``game`` from a path or an open file."""
    data, source = _read_source(path_or_file)
    return loads_profile(data, game, source=source)


def schema(name: str) -> dict:
    """The JSON Schema (draft 2020-12) of ``"game-v1"`` or ``"profile-v1"``.

    >>> schema("game-v1")["properties"]["format"]
    {'const': 'exactpower/game-v1'}
    """
    short = name.removeprefix("exactpower/")
    if short not in ("game-v1", "profile-v1"):
        raise ValueError(f"schema: unknown format {name!r} (expected 'game-v1' or 'profile-v1')")
    schemas = resources.files("exactpower.io").joinpath("schemas")
    text = schemas.joinpath(f"{short}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)
