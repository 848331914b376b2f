"""Reading and writing games and profiles: JSON (game-v1, profile-v1), Gambit .nfg and .efg.

- JSON (``docs/file-format.md``): :mod:`exactpower.io.json_files` holds the entry points
  (:func:`loads`, :func:`load`, :func:`load_game`, :func:`load_profile`, :func:`dumps`,
  :func:`dump`, :func:`schema`) and the profile-v1 reader;
  :mod:`exactpower.io.json_reader` the exact JSON reader (:func:`read_json`, numbers kept
  as written) and typed access with JSON paths; :mod:`exactpower.io.game_reader` the
  game-v1 reader.  The JSON Schemas ship in ``exactpower/io/schemas/``.
- Gambit (``docs/gambit.md``): :mod:`exactpower.io.gambit` is the front
  (:func:`from_gambit` picks the format by the first token);
  :mod:`exactpower.io.gambit_lexer` holds the tokens, exact numbers and names both
  formats share, :mod:`exactpower.io.nfg` the strategic form, :mod:`exactpower.io.efg_tree`
  and :mod:`exactpower.io.efg` the extensive form.
- :mod:`exactpower.io.formats` reads and writes any of the three by the file's extension
  (:func:`load_game_file`, :func:`save_game_file`).
- Sequential games (``docs/file-format.md``, SPEC §8): :mod:`exactpower.io.trees` reads and
  writes game trees (tree-v1 JSON, any Gambit ``.efg``: :func:`read_tree`, :func:`write_tree`);
  :mod:`exactpower.io.mdp_json` MDPs (mdp-v1, and POWERplay's ``.gv`` through
  :mod:`exactpower.io.graphviz`: :func:`load_mdp_file`); :mod:`exactpower.io.stochastic_json`
  stochastic games and stationary profiles (stochastic-v1, stationary-v1).

>>> from exactpower.io import from_nfg
>>> from_nfg('NFG 1 R "" { "solo" } { 2 } 0 1').players[0].actions
('1', '2')
"""

from .formats import FORMATS, game_format, load_game_file, save_game_file
from .gambit import (
    GambitFormatError,
    UnsupportedTreeError,
    from_efg,
    from_gambit,
    from_nfg,
    to_efg,
    to_nfg,
)
from .graphviz import read_gv_joint, read_gv_mdp, read_gv_policy
from .json_files import (
    GAME_FORMAT,
    PROFILE_FORMAT,
    JSONNumber,
    ProfileDocument,
    dump,
    dumps,
    game_from_tree,
    load,
    load_game,
    load_profile,
    loads,
    loads_game,
    loads_profile,
    profile_from_tree,
    read_json,
    schema,
    to_data,
)
from .mdp_json import dumps_mdp, load_mdp, load_mdp_file, loads_mdp
from .stochastic_json import (
    dumps_stationary,
    dumps_stochastic,
    load_stationary,
    load_stochastic,
    loads_stationary,
    loads_stochastic,
)
from .trees import is_tree_file, read_tree, write_tree

__all__ = [
    "read_tree",
    "write_tree",
    "is_tree_file",
    "load_mdp_file",
    "load_mdp",
    "loads_mdp",
    "dumps_mdp",
    "read_gv_mdp",
    "read_gv_joint",
    "read_gv_policy",
    "load_stochastic",
    "loads_stochastic",
    "dumps_stochastic",
    "load_stationary",
    "loads_stationary",
    "dumps_stationary",
    "to_efg",
    "from_efg",
    "to_nfg",
    "from_nfg",
    "from_gambit",
    "GambitFormatError",
    "UnsupportedTreeError",
    "load_game_file",
    "save_game_file",
    "game_format",
    "FORMATS",
    "GAME_FORMAT",
    "PROFILE_FORMAT",
    "JSONNumber",
    "ProfileDocument",
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
