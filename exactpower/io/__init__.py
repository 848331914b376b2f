"""Reading and writing games: the Gambit formats ``.nfg`` and ``.efg``.

:mod:`exactpower.io.gambit` is the front (:func:`from_gambit` picks the format
by the first token); :mod:`exactpower.io.gambit_lexer` holds the tokens, exact
numbers and names both formats share, :mod:`exactpower.io.nfg` the strategic
form, :mod:`exactpower.io.efg_tree` and :mod:`exactpower.io.efg` the extensive
form.  The game-v1 JSON reader is :mod:`exactpower.files`; :mod:`exactpower.io.load`
reads and writes any of the three by the file's extension (:func:`load_game_file`).

>>> from exactpower.io import from_nfg
>>> from_nfg('NFG 1 R "" { "solo" } { 2 } 0 1').players[0].actions
('1', '2')
"""

from .gambit import (
                     GambitFormatError,
                     UnsupportedTreeError,
                     from_efg,
                     from_gambit,
                     from_nfg,
                     to_efg,
                     to_nfg,
)

from .load import FORMATS, game_format, load_game_file, save_game_file

__all__ = ["to_efg", "from_efg", "to_nfg", "from_nfg", "from_gambit",
           "GambitFormatError", "UnsupportedTreeError",
           "load_game_file", "save_game_file", "game_format", "FORMATS"]
