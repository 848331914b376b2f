"""Gambit interchange: ``.nfg`` (read and write) and ``.efg`` (write, and read back).

Pure text, both ways: this package does not import ``pygambit`` (a test-only
dependency) and never evaluates file text.  The files are read by Gambit
(tested with pygambit 16.7.0) and by Gambit's command-line tools; the readers
follow Gambit's own reader (``src/games/file.cc``) token by token.  Every
number is taken exactly: ``1/3`` is 1/3, ``0.1`` is 1/10, ``12e-1`` is 6/5.
The modules:

* :mod:`exactpower.io.gambit_lexer` -- the tokens, exact numbers, names;
* :mod:`exactpower.io.nfg` -- :func:`to_nfg` / :func:`from_nfg`, Gambit's
  strategic-form format, version 1, in both of its forms (outcome and payoff);
* :mod:`exactpower.io.efg_tree` and :mod:`exactpower.io.efg` --
  :func:`to_efg` / :func:`from_efg`, a Bayesian game as an extensive form (the
  tree is described in :mod:`exactpower.io.efg`), and back;
* this module -- :func:`from_gambit`, either format by its first token.

Every malformed file raises a :class:`GambitFormatError` (a
:class:`~exactpower.FileFormatError`) whose message names the source, the
line and column, and the token: ``game.nfg: line 4 column 9: expected a
number (a payoff), got '}'``.  The file limits of :mod:`exactpower.limits` apply
(players, names, title, reward cells) and those of the expression grammar to
each number (``MAX_DIGITS`` digits, decimal exponent at most
``MAX_DECIMAL_EXPONENT``).

Names: Gambit makes labels nonempty and unique when it reads a file (an empty
label becomes ``"_1"``, repeated labels ``"x_1"``, ``"x_2"``); the readers here
do the same to players, strategies and actions, so names agree with pygambit's.
The action name ``"*"`` is refused (it is the wildcard of game-v1 files).

Symbolic games are refused: Gambit files hold numbers only.  See
``docs/gambit.md`` for the user's guide.

Examples
--------
>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
...                               names=("row", "col"), actions=("HT", "HT"))
>>> back = from_gambit(to_nfg(mp))
>>> back.players[0], back.reward(1, (0, 0), (0, 1))
(Player(name='row', types=('-',), actions=('H', 'T')), 1)
>>> from_gambit(to_efg(mp)).reward(0, (0, 0), (1, 1))
1
"""

from __future__ import annotations

from ..game import BayesianGame
from .efg import UnsupportedTreeError, from_efg, to_efg
from .gambit_lexer import GambitFormatError, Lexer, decode, describe
from .nfg import from_nfg, to_nfg

__all__ = [
    "to_efg",
    "from_efg",
    "to_nfg",
    "from_nfg",
    "from_gambit",
    "GambitFormatError",
    "UnsupportedTreeError",
]


def from_gambit(text, *, source: str = "<gambit>") -> BayesianGame:
    """Read ``.nfg`` or ``.efg`` text, chosen by its first token (``NFG`` or ``EFG``).

    >>> from_gambit('NFG 1 R "" { "solo" } { 2 } 0 1').reward(0, (0,), (1,))
    1
    """
    lexer = Lexer(decode(text, source), source)
    first = lexer.peek()
    if first.kind == "symbol" and first.text == "NFG":
        return from_nfg(text, source=source)
    if first.kind == "symbol" and first.text == "EFG":
        return from_efg(text, source=source)
    lexer.fail(
        first,
        f"not a Gambit game file: expected 'NFG' or 'EFG' at the start, got {describe(first)}",
    )
