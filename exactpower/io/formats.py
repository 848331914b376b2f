"""Games read and written by their file's extension: game-v1 ``.json``, Gambit ``.nfg``, ``.efg``.

Every command of the command line that takes a GAME reads it with
:func:`load_game_file`; ``exactpower convert`` writes with
:func:`save_game_file`.  An extension outside :data:`FORMATS` is a
:class:`~exactpower.errors.GameError` naming the file.

>>> import os, tempfile
>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "mp.nfg")
...     _ = save_game_file(mp, path)
...     dumps(load_game_file(path)) == dumps(mp)
True
>>> load_game_file("game.txt")
Traceback (most recent call last):
...
exactpower.errors.GameError: game.txt: cannot tell the game format from the extension '.txt' (expected .json, .nfg or .efg)
"""

from __future__ import annotations

import os

from ..errors import GameError
from .file_access import read_file_bytes, write_file_text
from .gambit import from_efg, from_nfg, to_efg, to_nfg
from .json_files import dumps, load_game

__all__ = ["FORMATS", "game_format", "load_game_file", "save_game_file"]

#: The file formats of games, by extension.
FORMATS = {
    ".json": "game-v1 JSON",
    ".nfg": "Gambit strategic form",
    ".efg": "Gambit extensive form",
}


def game_format(path, role: str = "game") -> str:
    """The extension of ``path`` (``".json"``, ``".nfg"`` or ``".efg"``), lower case.

    Raises :class:`~exactpower.errors.GameError` naming the file for any other
    extension; ``role`` words the message (``"input"``, ``"output"``).

    >>> game_format("Poker.EFG")
    '.efg'
    """
    path = os.fsdecode(path)
    ext = os.path.splitext(path)[1].lower()
    if ext not in FORMATS:
        raise GameError(
            f"{path}: cannot tell the {role} format from the extension "
            f"{ext or '(none)'!r} (expected .json, .nfg or .efg)"
        )
    return ext


def load_game_file(path, *, role: str = "game"):
    """Read the game in ``path``, in the format its extension names.

    ``.json``: :func:`exactpower.io.load_game` (game-v1); ``.nfg`` and ``.efg``:
    :func:`exactpower.io.from_nfg` / :func:`~exactpower.io.from_efg`.  The
    file's size is checked against ``MAX_FILE_BYTES`` before it is read.
    Errors name the file (and the place in it).
    """
    path = os.fsdecode(path)
    ext = game_format(path, role)
    if ext == ".json":
        return load_game(path)
    data = read_file_bytes(path)[0]
    return (from_nfg if ext == ".nfg" else from_efg)(data, source=path)


def _render(game, path: str, ext: str, nfg_form: str, strategic_form: bool) -> str:
    try:
        if ext == ".json":
            return dumps(game)
        if ext == ".nfg":
            return to_nfg(game, form=nfg_form, strategic_form=strategic_form)
        return to_efg(game)
    except GameError as e:
        raise type(e)(f"{path}: {e}") from None


def save_game_file(
    game, path, *, nfg_form: str = "outcome", strategic_form: bool = False, overwrite: bool = True
) -> str:
    """Write ``game`` to ``path`` in the format of its extension; return the text written.

    ``nfg_form`` and ``strategic_form`` are passed to :func:`exactpower.io.to_nfg`.
    With ``overwrite=False`` an existing file is an error and is left as it is.
    """
    path = os.fsdecode(path)
    text = _render(game, path, game_format(path, "output"), nfg_form, strategic_form)
    write_file_text(path, text, overwrite=overwrite)
    return text
