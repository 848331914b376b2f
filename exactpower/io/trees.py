"""Game trees read and written by their file's extension: Gambit ``.efg``, tree-v1 ``.json``.

The tree counterpart of :mod:`exactpower.io.formats` (which reads one-shot games and
is unchanged): :func:`read_tree` reads any ``.efg`` tree
(:func:`~exactpower.io.efg_game.read_efg_game`) or a tree-v1 ``.json`` document
(:func:`~exactpower.io.tree_json.load_tree`) as an
:class:`~exactpower.sequential.ExtensiveGame`; :func:`write_tree` writes one;
:func:`is_tree_file` says whether a file holds a tree (an ``.efg`` file, or a ``.json``
document whose ``format`` is tree-v1), so that a command can choose between the
one-shot and the sequential readers.

>>> import os, tempfile
>>> from exactpower.sequential import ExtensiveGame, decision, terminal
>>> g = ExtensiveGame.build(players=("A",), root=decision("A", "a", {"x": terminal(1)}))
>>> with tempfile.TemporaryDirectory() as tmp:
...     both = [os.path.join(tmp, name) for name in ("g.efg", "g.json")]
...     for path in both:
...         _ = write_tree(g, path)
...     [read_tree(path) == g and is_tree_file(path) for path in both]
[True, True]
"""

from __future__ import annotations

import os
import re

from ..errors import GameError
from ..sequential.tree import ExtensiveGame
from .efg_game import read_efg_game
from .efg_tree_writer import tree_to_efg
from .file_access import read_file_bytes, write_file_text
from .tree_json import TREE_FORMAT, dumps_tree, load_tree

__all__ = ["TREE_FORMATS", "read_tree", "write_tree", "is_tree_file"]

#: The file formats of game trees, by extension.
TREE_FORMATS = {".efg": "Gambit extensive form", ".json": "exactpower/tree-v1 JSON"}

_TREE_FORMAT_KEY = re.compile(r'"format"\s*:\s*"exactpower/tree-v1"')


def _extension(path: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext not in TREE_FORMATS:
        raise GameError(
            f"{path}: cannot tell the tree format from the extension {ext or '(none)'!r} "
            f"(expected .efg or .json)"
        )
    return ext


def read_tree(path) -> ExtensiveGame:
    """Read the game tree in ``path``: ``.efg`` (any Gambit tree) or tree-v1 ``.json``.

    Errors name the file and the place in it (line and column, a JSON path, or the
    node's path in the tree).
    """
    path = os.fsdecode(path)
    if _extension(path) == ".json":
        return load_tree(path)
    return read_efg_game(read_file_bytes(path)[0], source=path)


def write_tree(game: ExtensiveGame, path, *, overwrite: bool = True) -> str:
    """Write ``game`` to ``path`` in the format of its extension; return the text."""
    path = os.fsdecode(path)
    try:
        text = tree_to_efg(game) if _extension(path) == ".efg" else dumps_tree(game)
    except GameError as e:
        raise type(e)(f"{path}: {e}") from None
    write_file_text(path, text, overwrite=overwrite)
    return text


def is_tree_file(path) -> bool:
    """Whether ``path`` holds a game tree: an ``.efg`` file, or a ``.json`` file whose
    ``format`` is ``exactpower/tree-v1`` (looked for in its first 64 KiB, without reading
    the whole document).  Other files, and files that cannot be read, give ``False``.

    >>> is_tree_file("game.nfg")
    False
    """
    path = os.fsdecode(path)
    ext = os.path.splitext(path)[1].lower()
    if ext == ".efg":
        return True
    if ext != ".json":
        return False
    try:
        with open(path, "rb") as f:
            head = f.read(65536).decode("utf-8", errors="replace")
    except OSError:
        return False
    return bool(_TREE_FORMAT_KEY.search(head)) and TREE_FORMAT in head
