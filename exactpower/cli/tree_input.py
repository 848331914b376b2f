"""Game trees as a command's input: GAME (``.efg``, tree-v1 ``.json``) or ``--openspiel``.

The input of a command is a **game tree** when

* ``--openspiel NAME`` is given (an OpenSpiel game, read exactly by
  :func:`exactpower.sequential.openspiel.from_openspiel`; needs the ``openspiel`` extra;
  ``--openspiel-param KEY=VALUE`` passes parameters to ``pyspiel.load_game``), or
* GAME is a ``.json`` document whose ``format`` is ``exactpower/tree-v1``, or
* GAME is a Gambit ``.efg`` file that the one-shot reader (:func:`exactpower.io.from_efg`,
  which takes the Bayesian shape only: chance first, then each player once) does **not**
  read.  An ``.efg`` of Bayesian shape stays a one-shot game, so every command behaves on
  it exactly as before; any other ``.efg`` is read by :func:`exactpower.io.trees.read_tree`
  (whose error, naming the line or the node, is the one reported for a bad ``.efg``).

A tree's PROFILE is ``uniform`` or a behaviour-v1 document
(:func:`exactpower.io.tree_json.load_behaviour`).  Every failure is a one-line error
(exit 2): a :class:`~exactpower.GameError` or :class:`~exactpower.cli.common.UsageError`,
also for OpenSpiel's own errors (an unknown game, a bad parameter).

>>> from exactpower.cli.common import Parser
>>> p = Parser(prog="exactpower power")
>>> p.add_argument("game", nargs="?")  # doctest: +ELLIPSIS
_StoreAction(...)
>>> add_tree_options(p)
>>> args = p.parse_args(["no-such.nfg"])
>>> is_tree_input(args), openspiel_params(["players=3", "name=x"])
(False, {'players': 3, 'name': 'x'})
"""

from __future__ import annotations

import contextlib
import importlib
import os
import sys
import tempfile

from ..errors import GameError, GameStructureError
from .common import UNIFORM, UsageError, add_params, parse_key_values

__all__ = [
    "add_tree_game",
    "add_tree_options",
    "openspiel_params",
    "is_tree_input",
    "read_openspiel",
    "read_tree_input",
    "read_behaviour",
    "tree_name",
]


def add_tree_game(p) -> None:
    """The optional positional GAME (a one-shot game or a game tree), ``--param`` and the
    options of :func:`add_tree_options`."""
    p.add_argument(
        "game",
        nargs="?",
        metavar="GAME",
        help="game file: game-v1 .json, Gambit .nfg or .efg, or a game tree (.efg, tree-v1 .json)",
    )
    add_params(p)
    add_tree_options(p)


def add_tree_options(p) -> None:
    """``--openspiel NAME`` (instead of GAME) and the repeatable ``--openspiel-param``."""
    p.add_argument(
        "--openspiel",
        metavar="NAME",
        help="an OpenSpiel game (e.g. kuhn_poker; needs the openspiel extra) instead of GAME",
    )
    p.add_argument(
        "--openspiel-param",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help="a parameter of the OpenSpiel game (e.g. players=3); repeatable",
    )


def _param_value(text: str):
    """An integer, ``true``/``false``, or the text itself (OpenSpiel's parameter types)."""
    try:
        return int(text)
    except ValueError:
        pass
    return {"true": True, "false": False}.get(text.lower(), text)


def openspiel_params(items) -> dict:
    """``["players=3"]`` -> ``{"players": 3}`` (integers and booleans typed, else text).

    >>> openspiel_params(["betting=limit", "players = 2", "open=true"])
    {'betting': 'limit', 'players': 2, 'open': True}
    """
    pairs = parse_key_values(items, "--openspiel-param", "KEY=VALUE, e.g. players=3")
    return {key: _param_value(value) for key, value in pairs.items()}


def is_tree_input(args) -> bool:
    """Whether the command's input is a game tree (see the module docstring)."""
    if getattr(args, "openspiel", None) is not None:
        return True
    path = getattr(args, "game", None)
    if path is None or not os.path.isfile(path):
        return False
    from ..io import load_game_file
    from ..io.trees import is_tree_file

    if not is_tree_file(path):
        return False
    if not path.lower().endswith(".efg"):
        return True
    try:
        load_game_file(path)
    except GameError:
        return True  # not of the Bayesian shape: a tree (or a bad file, named by read_tree)
    return False


def read_openspiel(name: str, params=()):
    """The exact tree of the OpenSpiel game ``name``; OpenSpiel's errors made one line."""
    try:
        pyspiel = importlib.import_module("pyspiel")
    except ImportError:
        raise UsageError(
            "--openspiel needs the openspiel extra (pip install 'exactpower[openspiel]')"
        ) from None
    from ..sequential.openspiel import from_openspiel

    short = name.partition("(")[0].strip()
    if short not in pyspiel.registered_names():
        raise GameStructureError(
            f"openspiel:{name}: no OpenSpiel game is called {short!r} "
            f"(pyspiel.registered_names() lists them)"
        )
    try:
        with _quiet_stderr():  # OpenSpiel prints its errors on stderr itself
            return from_openspiel(name, openspiel_params(params) or None)
    except GameError as exc:
        raise type(exc)(f"openspiel:{name}: {exc}") from None
    except (RuntimeError, TypeError, ValueError) as exc:  # pyspiel.SpielError is a RuntimeError
        first = str(exc).removeprefix("OpenSpiel exception:").strip().split("\n")[0].strip()
        raise GameStructureError(f"openspiel:{name}: OpenSpiel cannot load it: {first}") from None


@contextlib.contextmanager
def _quiet_stderr():
    """Hold back what C++ code writes on file descriptor 2; pass it on unless it raised."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile() as held:
        os.dup2(held.fileno(), 2)
        failed = False
        try:
            yield
        except BaseException:
            failed = True
            raise
        finally:
            os.dup2(saved, 2)
            os.close(saved)
            if not failed:
                held.seek(0)
                sys.stderr.write(held.read().decode("utf-8", errors="replace"))


def tree_name(args) -> str:
    """How the input is named in output: ``openspiel:NAME`` or the GAME path."""
    name = getattr(args, "openspiel", None)
    return f"openspiel:{name}" if name is not None else args.game


def read_tree_input(args, command: str):
    """The :class:`~exactpower.sequential.ExtensiveGame` of GAME or ``--openspiel``."""
    name = getattr(args, "openspiel", None)
    path = getattr(args, "game", None)
    if name is not None and path is not None:
        raise UsageError(f"{command}: give GAME or --openspiel NAME, not both")
    if getattr(args, "openspiel_param", None) and name is None:
        raise UsageError(f"{command}: --openspiel-param needs --openspiel NAME")
    if getattr(args, "param", None):
        raise UsageError(f"{command}: {tree_name(args)}: --param is not supported for game trees")
    if name is not None:
        return read_openspiel(name, getattr(args, "openspiel_param", ()))
    if path is None:
        raise UsageError(f"{command}: give GAME or --openspiel NAME")
    from ..io.trees import read_tree

    return read_tree(path)


def read_behaviour(args, tree, command: str):
    """The behaviour profile of ``--profile``: ``uniform`` or a behaviour-v1 file."""
    from ..io.tree_json import load_behaviour
    from ..sequential import BehaviourProfile

    text = getattr(args, "profile", None)
    if text is None:
        raise UsageError(
            f"{command}: {tree_name(args)}: a profile is needed: give --profile PROFILE"
        )
    if text == UNIFORM:
        return BehaviourProfile.uniform(tree)
    return load_behaviour(text, tree)
