"""Files on disk for the readers and writers of :mod:`exactpower.io`.

:func:`read_file_bytes` is where the readers of ``.efg``, ``.nfg``, tree-v1, stochastic-v1
and mdp-v1 files open a file: the size is compared with ``MAX_FILE_BYTES`` (read from
:mod:`exactpower.limits` at the call) before anything is read.  :func:`write_file_text` is
where the writers of games and game trees write one, with one-line errors.

>>> import os, tempfile
>>> with tempfile.TemporaryDirectory() as tmp:
...     path = os.path.join(tmp, "g.json")
...     with open(path, "w") as f:
...         _ = f.write("{}")
...     data, source = read_file_bytes(path)
...     data, source == path
(b'{}', True)
"""

from __future__ import annotations

import os

from .. import limits
from ..errors import GameError, LimitError

__all__ = ["read_file_bytes", "write_file_text"]


def read_file_bytes(path, *, document: bool = False) -> tuple[bytes, str]:
    """``(data, source)``: the bytes of the file ``path`` and its name as text.

    A file over ``MAX_FILE_BYTES`` is a :class:`~exactpower.LimitError` naming it, raised
    before it is read; with ``document`` (a JSON document) the error names the place
    ``top level``, as the JSON readers' errors do.

    """
    source = os.fsdecode(path)
    size = os.stat(source).st_size
    if size > limits.MAX_FILE_BYTES:
        over = f"top level: {size} bytes, over" if document else f"{size} bytes, over the limit"
        raise LimitError(f"{source}: {over} MAX_FILE_BYTES = {limits.MAX_FILE_BYTES}")
    with open(source, "rb") as f:
        return f.read(), source


def write_file_text(path: str, text: str, *, overwrite: bool = True) -> None:
    """Write ``text`` (UTF-8, ``\\n`` line ends) to the file ``path``.

    With ``overwrite=False`` an existing file is left as it is and is a
    :class:`~exactpower.GameError`; so is any other error of the system (one line naming
    the path)."""
    try:
        with open(path, "w" if overwrite else "x", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except FileExistsError:
        raise GameError(f"{path}: the file exists (not overwritten)") from None
    except OSError as e:
        raise GameError(f"{path}: cannot write: {e.strerror or e}") from None
