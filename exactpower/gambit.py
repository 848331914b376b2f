"""Gambit interchange: ``.nfg`` (read and write) and ``.efg`` (write, and read back).

Pure text, both ways: this module does not import ``pygambit`` (a test-only
dependency) and never evaluates file text.  The files are read by Gambit
(tested with pygambit 16.7.0) and by Gambit's command-line tools; the readers
follow Gambit's own reader (``src/games/file.cc``) token by token.  Every
number is taken exactly: ``1/3`` is 1/3, ``0.1`` is 1/10, ``12e-1`` is 6/5.

* :func:`to_nfg` / :func:`from_nfg` -- Gambit's strategic-form format,
  version 1, in both of its forms: the *outcome* form (a list of outcomes,
  then one outcome number per strategy profile; what Gambit 16 writes, and
  the default) and the *payoff* form (the payoffs of every profile listed
  directly; ``form="payoff"``).  Profiles are listed with the first player's
  strategy changing fastest.  A game with one type per player is written as
  it is (strategies = actions); a Bayesian game with types is refused unless
  ``strategic_form=True``, which writes its induced strategic form (a
  strategy is a map type → action, the payoff its ex-ante expected reward) --
  that is a different game (its POWER is not the Bayesian game's), so it is
  never done silently.  Reading gives a game with one type ``"-"`` per player.
* :func:`to_efg` / :func:`from_efg` -- a Bayesian game as an extensive form
  (the tree is described below), and back.  :func:`from_efg` reads any tree
  *of Bayesian shape*: chance nodes only at the top (one or several levels,
  e.g. one chance move per player's type), then each player moving at most
  once on every path, with a player's information set determined by the
  chance outcome alone.  Other trees are refused with an
  :class:`UnsupportedTreeError` naming the first feature that is not
  supported (a chance node below a player's move, a player moving twice on a
  path, a player whose information depends on another player's move,
  information sets of one player with different actions).

Every malformed file raises a :class:`GambitFormatError` (a
:class:`~exactpower.FileFormatError`) whose message names the source, the
line and column, and the token: ``game.nfg: line 4 column 9: expected a
number (a payoff), got '}'``.  The limits of :mod:`exactpower.files` apply
(players, names, title, reward cells) and those of the expression grammar to
each number (``MAX_DIGITS`` digits, decimal exponent at most
``MAX_DECIMAL_EXPONENT``).

Names: Gambit makes labels nonempty and unique when it reads a file (an empty
label becomes ``"_1"``, repeated labels ``"x_1"``, ``"x_2"``); the readers here
do the same to players, strategies and actions, so names agree with pygambit's.
The action name ``"*"`` is refused (it is the wildcard of game-v1 files).

Reading an ``.efg`` file
------------------------
The chance part gives the type profile.  Walking down from the root through
chance nodes only, each *chance outcome* (the first non-chance node on a path)
has a probability (the product of the chance probabilities on its path,
which must sum to 1 at every chance node).  Below it, player ``i``'s nodes all
lie in one information set ``h``: ``i``'s type at that chance outcome is ``h``
(or, if ``i`` does not move there, an extra type ``"-"`` -- ``"(no move)"``
if ``"-"`` is taken -- in which ``i``'s action changes nothing).

* **Types** of player ``i``: its information sets, in the order of their
  numbers in the file, named by their labels when these are nonempty and
  unique (else by their numbers, ``"1"``, ``"2"``, ...); a player with a
  single type that always moves gets the conventional type ``"-"`` when its
  information set is unlabelled.  **Actions**: the action labels, which
  must be the same (in the same order) in all of the player's information
  sets; a player that never moves gets the single action ``"-"``.
* **Prior**: ``Ω(t)`` is the total probability of the chance outcomes whose
  information sets are ``t``.
* **Rewards**: ``r(t, a)`` is the payoff reached from a chance outcome when
  every player ``i`` takes ``a_i`` (outcomes are summed along the path, as in
  Gambit), averaged over the chance outcomes with type profile ``t`` with
  their probabilities.  So the game's ex-ante strategic form is the tree's.
  Type profiles of probability 0 keep the payoffs of their chance outcome
  when there is one (or several that agree); a terminal node reached with
  the null outcome only (``t "" 0``) there leaves the rewards *unset*.

The title is the file's (``""`` gives none; the default title that
:func:`to_efg` writes for an untitled game reads back as none).

Zero-probability type profiles and round trips
----------------------------------------------
``json → efg → json`` is exact (``dumps`` of the two games is equal), with
one documented exception: at a type profile of probability 0 where some
players' rewards are set and others' are not, the unset ones are written as
``0`` (Gambit has no "unset" payoff) and read back as set to 0.  Rewards at
probability-0 profiles change no expectation.  ``json → nfg → json`` is exact
for games with one type per player (their single type profile has
probability 1).

Writing an ``.efg`` file: the tree
----------------------------------
A Bayesian game becomes the standard extensive form of Harsanyi's construction:

1. **Chance** moves first, with one branch per type profile ``t`` (in
   :attr:`BayesianGame.type_profiles` order, i.e. lexicographic), taken with
   the exact prior probability ``Ω(t)`` written as a rational (``1/3``).
2. **Players move in order** ``1, ..., n``, each once.  Player ``i``'s
   information set is determined by its own type alone: infoset number ``k+1``
   of player ``i`` holds *every* node where ``i`` has type ``k``, whatever the
   other players' types and the earlier players' actions.  So nobody observes
   anything but their own type, and the tree has perfect recall (each player
   moves once).
3. **Terminal nodes** carry the outcome ``(r_1(t, a), ..., r_n(t, a))`` with
   exact rational payoffs.  Outcomes are shared by terminal nodes with equal
   payoff vectors; an outcome's label is its payoff vector, e.g. ``"(1, -1)"``,
   so labels are nonempty and unique (Gambit 16.7 requires this of outcomes it
   creates; in files it renames empty or repeated labels).

Type profiles of prior probability 0 are *kept*, as chance branches of
probability ``0``: Gambit accepts zero chance probabilities, and keeping them
makes every player's information sets (one per type) and the tree's shape the
same whatever the prior.  Rewards may be unset at such profiles
(:meth:`BayesianGame.reward` returns ``None``); an unset reward is written as
``0`` (a terminal node whose rewards are all unset gets the null outcome
``0``, whose payoffs Gambit takes to be 0).  Zero-probability branches do not
affect any expected value Gambit computes: an information set reached only
through them has reach probability 0 (Gambit's ``action_value`` is then
undefined), and elsewhere they carry belief 0.

Labels: the chance action for ``t`` is labelled with the type names joined by
commas (``"h,-"``), or, if two such labels coincide, prefixed by the profile's
position (``"3:a,b"``); an information set is labelled with its type name, an
action with its action name.  Double quotes and backslashes in names are
escaped with a backslash, as Gambit's own writer does (note: pygambit 16.7.0's
reader does not undo the backslash escape exactly, so a name containing a
backslash does not round-trip through pygambit; quotes do -- exactpower's own
readers undo both).

The file header is ``EFG 2 R``: the only revision of the ``.efg`` format, which
is what Gambit 16 reads and writes.

Symbolic games are refused: Gambit files hold numbers only.

The tree has ``|T| · (1 + A_1 + A_1·A_2 + ... + A_1···A_n)`` nodes after the
root, so export is meant for small and medium games.

Examples
--------
>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
...                               names=("row", "col"), actions=("HT", "HT"))
>>> back = from_nfg(to_nfg(mp))
>>> back.players[0], back.reward(1, (0, 0), (0, 1))
(Player(name='row', types=('-',), actions=('H', 'T')), 1)
>>> from_efg(to_efg(mp)).reward(0, (0, 0), (1, 1))
1
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Iterable, NamedTuple, NoReturn

import numpy as np
import sympy

from .errors import FileFormatError, GameStructureError, LimitError
from .expressions import MAX_DECIMAL_EXPONENT, MAX_DIGITS
from .file_reader import MAX_CELLS, MAX_NAME_LENGTH, MAX_PLAYERS, MAX_TITLE_LENGTH
from .game import BayesianGame, Player

__all__ = ["to_efg", "from_efg", "to_nfg", "from_nfg", "from_gambit",
           "GambitFormatError", "UnsupportedTreeError"]

#: The comment line :func:`to_efg` writes.
EXPORT_COMMENT = ("Exported by exactpower: chance draws the type profile from the prior; "
                  "each player then moves once, knowing only their own type.")

#: The title :func:`to_efg` writes for a game without one.
DEFAULT_EFG_TITLE = "exactpower Bayesian game"


class GambitFormatError(FileFormatError):
    """A Gambit ``.nfg`` / ``.efg`` file that cannot be read; names the line, column and token."""


class UnsupportedTreeError(GambitFormatError):
    """A well-formed ``.efg`` tree that is not of the Bayesian shape exactpower reads."""


# -- lexer -------------------------------------------------------------------------

class _Token(NamedTuple):
    kind: str  # "{", "}", ",", "number", "text", "symbol", "eof"
    text: str
    line: int
    column: int


_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_SYMBOL = re.compile(r'[^\s{}",]+')
_SPACE = re.compile(r"\s+")
_DELIMITERS = frozenset(' \t\r\n\f\v{},"')


def _describe(token: _Token) -> str:
    if token.kind == "eof":
        return "the end of the file"
    if token.kind == "text":
        shown = token.text if len(token.text) <= 40 else token.text[:37] + "..."
        return f"the text {shown!r}"
    return repr(token.text)


class _Lexer:
    """Gambit's tokens, with their line and column (both from 1)."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.tokens = list(self._scan(text))
        self.pos = 0

    def fail(self, token: _Token, message: str, error: type = GambitFormatError) -> NoReturn:
        raise error(f"{self.source}: line {token.line} column {token.column}: {message}")

    def _scan(self, text: str):
        i, line, line_start = 0, 1, 0
        n = len(text)
        while True:
            m = _SPACE.match(text, i)
            if m:
                chunk = m.group()
                newlines = chunk.count("\n")
                if newlines:
                    line += newlines
                    line_start = i + chunk.rfind("\n") + 1
                i = m.end()
            if i >= n:
                yield _Token("eof", "", line, i - line_start + 1)
                return
            column = i - line_start + 1
            c = text[i]
            if c in "{},":
                yield _Token(c, c, line, column)
                i += 1
            elif c == '"':
                chars = []
                j = i + 1
                start_line = line
                while True:
                    if j >= n:
                        raise GambitFormatError(
                            f"{self.source}: line {start_line} column {column}: text label "
                            f"not closed: the file ends inside it")
                    ch = text[j]
                    if ch == "\\" and j + 1 < n and text[j + 1] in '"\\':
                        chars.append(text[j + 1])
                        j += 2
                        continue
                    if ch == '"':
                        break
                    if ch == "\n":
                        line += 1
                        line_start = j + 1
                    chars.append(ch)
                    j += 1
                yield _Token("text", "".join(chars), start_line, column)
                i = j + 1
            elif c in "+-.0123456789":
                m = _NUMBER.match(text, i)
                end = m.end() if m else i
                if not m or (end < n and text[end] not in _DELIMITERS):
                    bad = _SYMBOL.match(text, i).group()
                    raise GambitFormatError(
                        f"{self.source}: line {line} column {column}: malformed number {bad!r}")
                yield _Token("number", m.group(), line, column)
                i = end
            else:
                m = _SYMBOL.match(text, i)
                yield _Token("symbol", m.group(), line, column)
                i = m.end()

    # -- access ------------------------------------------------------------------
    def peek(self) -> _Token:
        return self.tokens[self.pos]

    def next(self) -> _Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> _Token:
        token = self.next()
        if token.kind != kind:
            self.fail(token, f"expected {what}, got {_describe(token)}")
        return token

    def accept(self, kind: str) -> bool:
        if self.peek().kind == kind:
            self.next()
            return True
        return False

    def number(self, what: str) -> Fraction:
        return _exact(self, self.expect("number", f"a number ({what})"))

    def integer(self, what: str) -> int:
        token = self.expect("number", f"an integer ({what})")
        if not re.fullmatch(r"\+?\d+", token.text):
            self.fail(token, f"expected a nonnegative integer ({what}), got {token.text!r}")
        if len(token.text) > 12:
            self.fail(token, f"{what} {token.text} is too large", LimitError)
        return int(token.text)


def _exact(lexer: _Lexer, token: _Token) -> Fraction:
    """The exact value of a number token: ``-2``, ``1/3``, ``0.25``, ``.8``, ``12e-1``."""
    text = token.text
    if "/" in text:
        num, den = text.split("/")
        if max(len(num.lstrip("+-")), len(den)) > MAX_DIGITS:
            lexer.fail(token, f"number {text[:30]}... has more than MAX_DIGITS = {MAX_DIGITS} "
                       f"digits", LimitError)
        if int(den) == 0:
            lexer.fail(token, f"number {text!r} divides by zero")
        return Fraction(int(num), int(den))
    mantissa, _, exponent = text.lower().partition("e")
    digits = sum(ch.isdigit() for ch in mantissa)
    if digits > MAX_DIGITS:
        lexer.fail(token, f"number {text[:30]}... has more than MAX_DIGITS = {MAX_DIGITS} "
                   f"digits", LimitError)
    if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
        lexer.fail(token, f"number {text!r}: exponent over MAX_DECIMAL_EXPONENT = "
                   f"{MAX_DECIMAL_EXPONENT}", LimitError)
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex admits only numbers
        lexer.fail(token, f"malformed number {text!r}")


def _rational(q: Fraction) -> sympy.Rational:
    return sympy.Rational(q.numerator, q.denominator)


def _normalize(labels: list) -> list:
    """Gambit's label normalisation: empty and repeated labels get ``_1``, ``_2``, ... suffixes."""
    counts = Counter(labels)
    used = set(labels)
    visited: dict = defaultdict(int)
    out = list(labels)
    for k, label in enumerate(labels):
        if counts[label] == 1 and label != "":
            continue
        while True:
            visited[label] += 1
            candidate = f"{label}_{visited[label]}"
            if candidate not in used:
                break
        used.add(candidate)
        out[k] = candidate
    return out


def _check_name(lexer: _Lexer, token: _Token, name: str, what: str, star_ok: bool = True) -> str:
    if len(name) > MAX_NAME_LENGTH:
        lexer.fail(token, f"{what} name of {len(name)} characters, over the limit "
                   f"MAX_NAME_LENGTH = {MAX_NAME_LENGTH}", LimitError)
    if name == "*" and not star_ok:
        lexer.fail(token, f"{what} name '*' is reserved in exactpower (it is the wildcard of "
                   f"game files)")
    return name


def _header(lexer: _Lexer, magic: str, version: str):
    token = lexer.next()
    if token.kind != "symbol" or token.text != magic:
        lexer.fail(token, f"not a Gambit .{magic.lower()} file: expected {magic!r} at the "
                   f"start, got {_describe(token)}")
    token = lexer.next()
    if token.kind != "number" or token.text != version:
        lexer.fail(token, f"expected version {version} of the {magic} format, got "
                   f"{_describe(token)}")
    token = lexer.next()
    if token.kind != "symbol" or token.text not in ("R", "D"):
        lexer.fail(token, f"expected the data type 'R' (or 'D'), got {_describe(token)}")
    title_token = lexer.expect("text", "the game's title (a quoted text)")
    if len(title_token.text) > MAX_TITLE_LENGTH:
        lexer.fail(title_token, f"title of {len(title_token.text)} characters, over the limit "
                   f"MAX_TITLE_LENGTH = {MAX_TITLE_LENGTH}", LimitError)
    lexer.expect("{", "'{' before the players' names")
    players = []
    while lexer.peek().kind == "text":
        players.append(lexer.next())
    lexer.expect("}", "'}' after the players' names (each a quoted text)")
    if not players:
        lexer.fail(title_token, "the game has no players")
    if len(players) > MAX_PLAYERS:
        lexer.fail(players[MAX_PLAYERS], f"{len(players)} players, over the limit "
                   f"MAX_PLAYERS = {MAX_PLAYERS}", LimitError)
    names = _normalize([t.text for t in players])
    for token, name in zip(players, names):
        _check_name(lexer, token, name, "player")
    return title_token.text, names, players


def _decode(text, source: str) -> str:
    if isinstance(text, (bytes, bytearray)):
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(text).decode("latin-1")
    if not isinstance(text, str):
        raise TypeError(f"{source}: expected str or bytes, got {type(text).__name__}")
    return text


# -- .nfg --------------------------------------------------------------------------

def from_nfg(text, *, source: str = "<nfg>") -> BayesianGame:
    """Read a Gambit strategic-form ``.nfg`` file (outcome or payoff form) as a game.

    Each player gets the single type ``"-"``; strategies become actions.
    Payoffs are exact (``0.1`` is 1/10).  Empty or repeated names are made
    unique as Gambit does (``"_1"``, ``"x_1"``).

    Parameters
    ----------
    text : str or bytes
        The file's contents (bytes are decoded as UTF-8, else Latin-1).
    source : str
        Names the file in error messages.

    Raises
    ------
    GambitFormatError
        On any malformed input, naming the line, the column and the token.

    Examples
    --------
    The payoff form, with strategy counts instead of names:

    >>> g = from_nfg('NFG 1 R "PD" { "A" "B" } { 2 2 } 3 3 5 0 0 5 1 1')
    >>> g.players[1], g.reward(0, (0, 0), (1, 0)), g.reward(1, (0, 0), (1, 0))
    (Player(name='B', types=('-',), actions=('1', '2')), 5, 0)

    The outcome form:

    >>> g = from_nfg('''NFG 1 R "" { "r" "c" } { { "U" "D" } { "L" "R" } } ""
    ... { { "win" 1, -1 } { "lose" -1, 1 } }
    ... 1 2 2 1''')
    >>> g.title, [g.reward(0, (0, 0), a) for a in g.action_profiles]
    (None, [1, -1, -1, 1])
    >>> from_nfg('NFG 1 R "x" { "a" } { 2 } 1', source="x.nfg")
    Traceback (most recent call last):
    ...
    exactpower.gambit.GambitFormatError: x.nfg: line 1 column 28: expected a number (a payoff of player 'a' at profile 2), got the end of the file
    """
    lexer = _Lexer(_decode(text, source), source)
    title, names, player_tokens = _header(lexer, "NFG", "1")
    n = len(names)
    brace = lexer.expect("{", "'{' before the strategies")
    strategies = []
    if lexer.peek().kind == "{":
        for k in range(n):
            lexer.expect("{", f"'{{' before the strategies of player {names[k]!r}")
            labels = []
            while lexer.peek().kind == "text":
                labels.append(lexer.next())
            close = lexer.expect("}", f"'}}' after the strategies of player {names[k]!r} "
                                 f"(each a quoted text)")
            if not labels:
                lexer.fail(close, f"player {names[k]!r} has no strategies")
            normalized = _normalize([t.text for t in labels])
            for token, name in zip(labels, normalized):
                _check_name(lexer, token, name, "strategy", star_ok=False)
            strategies.append(tuple(normalized))
    else:
        for k in range(n):
            token = lexer.peek()
            count = lexer.integer(f"the number of strategies of player {names[k]!r}")
            if count < 1:
                lexer.fail(token, f"player {names[k]!r} has no strategies")
            if count > MAX_CELLS:
                lexer.fail(token, f"{count} strategies, over the limit MAX_CELLS = {MAX_CELLS}",
                           LimitError)
            strategies.append(tuple(str(s) for s in range(1, count + 1)))
    lexer.expect("}", f"'}}' after the strategies of the {n} players")
    shape = tuple(len(s) for s in strategies)
    cells = n * math.prod(shape)
    if cells > MAX_CELLS:
        lexer.fail(brace, f"{cells} payoffs (players x strategy profiles), over the limit "
                   f"MAX_CELLS = {MAX_CELLS}", LimitError)
    if lexer.peek().kind == "text":
        lexer.next()  # the comment
    profiles = math.prod(shape)
    cache: dict = {}

    def value(q: Fraction) -> sympy.Rational:
        hit = cache.get(q)
        if hit is None:
            hit = cache[q] = _rational(q)
        return hit

    payoffs = np.empty((n, profiles), dtype=object)
    token = lexer.peek()
    if token.kind == "{":
        lexer.next()
        outcomes = []
        while lexer.peek().kind == "{":
            lexer.next()
            lexer.expect("text", f"an outcome's label (a quoted text) for outcome "
                         f"{len(outcomes) + 1}")
            vector = []
            for k in range(n):
                vector.append(value(lexer.number(f"the payoff of player {names[k]!r} in "
                                                 f"outcome {len(outcomes) + 1}")))
                lexer.accept(",")
            lexer.expect("}", f"'}}' after the {n} payoffs of outcome {len(outcomes) + 1}")
            outcomes.append(vector)
        lexer.expect("}", "'}' after the list of outcomes")
        zero = [sympy.Integer(0)] * n
        for f in range(profiles):
            token = lexer.peek()
            index = lexer.integer(f"the outcome number of profile {f + 1}")
            if index > len(outcomes):
                lexer.fail(token, f"outcome {index} of profile {f + 1} is not defined (there "
                           f"are {len(outcomes)} outcomes)")
            payoffs[:, f] = outcomes[index - 1] if index else zero
    elif token.kind == "number":
        for f in range(profiles):
            for k in range(n):
                payoffs[k, f] = value(lexer.number(f"a payoff of player {names[k]!r} at "
                                                   f"profile {f + 1}"))
    else:
        lexer.fail(token, f"expected the payoffs (numbers) or the outcome list ('{{'), got "
                   f"{_describe(token)}")
    lexer.expect("eof", "the end of the file")
    rewards = np.empty((n,) + (1,) * n + shape, dtype=object)
    for k in range(n):
        rewards[(k,) + (0,) * n] = payoffs[k].reshape(shape, order="F")
    prior = np.empty((1,) * n, dtype=object)
    prior[(0,) * n] = sympy.Integer(1)
    players = [Player(name, ("-",), acts) for name, acts in zip(names, strategies)]
    return BayesianGame._build(players, prior, rewards, (), title or None)


def _number(value: Any) -> str:
    """Write an exact rational as Gambit number text: ``-2``, ``1/3``."""
    if value is None:
        return "0"
    q = sympy.Rational(value)
    if q.q == 1:
        return str(q.p)
    return f"{q.p}/{q.q}"


def _quote(text: str) -> str:
    """Return ``text`` as a double-quoted Gambit string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def _strategic_form(game: BayesianGame):
    """The induced strategic form: strategy labels per player and payoff arrays (numerators)."""
    labels, choices = [], []
    for p in game.players:
        combos = list(itertools.product(range(len(p.actions)), repeat=len(p.types)))
        choices.append(np.array(combos, dtype=np.int64).reshape(len(combos), len(p.types)))
        labels.append(tuple("/".join(p.actions[a] for a in combo) for combo in combos))
    shape = tuple(len(s) for s in labels)
    cells = game.n_players * math.prod(shape)
    if cells > MAX_CELLS:
        raise LimitError(f"the induced strategic form has {cells} payoffs (players x strategy "
                         f"profiles), over the limit MAX_CELLS = {MAX_CELLS}")
    prior = game.prior.numerators
    rewards = game.rewards.numerators
    totals = np.zeros((game.n_players,) + shape, dtype=object)
    for t in game.support:
        weight = int(prior[t])
        grid = np.ix_(*[c[:, k] for c, k in zip(choices, t)])
        for i in range(game.n_players):
            totals[i] += weight * rewards[(i, *t)].astype(object)[grid]
    denominator = game.prior.denominator * game.rewards.denominator
    return labels, totals, denominator


def to_nfg(game: BayesianGame, *, form: str = "outcome", strategic_form: bool = False,
           title: str | None = None) -> str:
    """Write a rational game as Gambit ``.nfg`` text (version 1).

    Parameters
    ----------
    game : BayesianGame
        A rational game.  With one type per player, strategies are its
        actions.  A game with types needs ``strategic_form=True``.
    form : {"outcome", "payoff"}
        ``"outcome"`` (the default, what Gambit 16 writes): a list of outcomes,
        one per distinct payoff vector, labelled with the vector (``"(1, -1)"``),
        then one outcome number per profile.  ``"payoff"``: every profile's
        payoffs, one profile per line.  Profiles are listed with the first
        player's strategy changing fastest.
    strategic_form : bool
        For a Bayesian game with types: write the induced strategic form (a
        strategy is a map type → action, labelled with the actions of the
        types joined by ``/`` in type order, e.g. ``"bet/check"``; its payoff is
        the ex-ante expected reward).  A different game: reading the file back
        gives that strategic form, not the Bayesian game.
    title : str, optional
        Default: the game's title, or ``""``.

    Raises
    ------
    GameStructureError
        For a symbolic game, or a game with types without ``strategic_form``.

    Examples
    --------
    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[3, 0], [5, 1]], [[3, 5], [0, 1]]], names=("r", "c"))
    >>> print(to_nfg(g, form="payoff", title="PD"), end="")
    NFG 1 R "PD" { "r" "c" }
    { { "0" "1" } { "0" "1" } }
    ""
    <BLANKLINE>
    3 3
    5 0
    0 5
    1 1
    >>> print(to_nfg(g), end="")
    NFG 1 R "" { "r" "c" }
    <BLANKLINE>
    { { "0" "1" }
    { "0" "1" }
    }
    ""
    <BLANKLINE>
    {
    { "(3, 3)" 3, 3 }
    { "(5, 0)" 5, 0 }
    { "(0, 5)" 0, 5 }
    { "(1, 1)" 1, 1 }
    }
    1 2 3 4
    """
    if form not in ("outcome", "payoff"):
        raise ValueError(f"to_nfg: form must be 'outcome' or 'payoff', not {form!r}")
    if getattr(game, "is_symbolic", False):
        raise GameStructureError(
            "cannot export a symbolic game to Gambit: Gambit files hold numbers only")
    with_types = [p.name for p in game.players if len(p.types) > 1]
    if with_types and not strategic_form:
        raise GameStructureError(
            f"cannot write a Bayesian game with types (player {with_types[0]!r} has "
            f"{len(game.players[game.player_index(with_types[0])].types)}) as a strategic-form "
            f".nfg: write an .efg (chance picks the types), or ask for the induced strategic "
            f"form (to_nfg(..., strategic_form=True); convert --strategic-form)")
    if title is None:
        title = game.title or ""
    if with_types:
        labels, totals, denominator = _strategic_form(game)
        shape = tuple(len(s) for s in labels)

        def payoff(i, s):
            return sympy.Rational(int(totals[(i, *s)]), denominator)
    else:
        labels = [p.actions for p in game.players]
        shape = game.action_shape
        origin = (0,) * game.n_players

        def payoff(i, s):
            return game.reward(i, origin, s)

    n = game.n_players
    out = [f"NFG 1 R {_quote(title)} {{ " + " ".join(_quote(p.name) for p in game.players)
           + " }"]
    nested = "{ " + " ".join("{ " + " ".join(_quote(s) for s in ss) + " }" for ss in labels) + " }"
    profiles = [tuple(reversed(s)) for s in itertools.product(*(range(k) for k in reversed(shape)))]
    if form == "payoff":
        out += [nested, '""', ""]
        for s in profiles:
            out.append(" ".join(_number(payoff(i, s)) for i in range(n)))
    else:
        out += ["", "{ " + "\n".join("{ " + " ".join(_quote(s) for s in ss) + " }"
                                     for ss in labels) + "\n}", '""', "", "{"]
        numbers: dict = {}
        indices = []
        for s in profiles:
            vector = tuple(_number(payoff(i, s)) for i in range(n))
            if vector not in numbers:
                numbers[vector] = len(numbers) + 1
                out.append(f'{{ {_quote("(" + ", ".join(vector) + ")")} ' + ", ".join(vector)
                           + " }")
            indices.append(str(numbers[vector]))
        out += ["}", " ".join(indices)]
    out.append("")
    return "\n".join(out)


# -- .efg --------------------------------------------------------------------------

class _Node:
    __slots__ = ("kind", "token", "player", "infoset", "outcome", "children")

    def __init__(self, kind, token, player, infoset, outcome):
        self.kind, self.token, self.player = kind, token, player
        self.infoset, self.outcome = infoset, outcome
        self.children = []


class _Infoset(NamedTuple):
    label: str
    actions: tuple
    probs: tuple | None
    token: _Token


#: The most nodes an .efg file may have.
MAX_NODES = 1_000_000


def _parse_efg(lexer: _Lexer, names: list):
    n = len(names)
    infosets: dict = {}
    outcomes: dict = {0: None}
    root = None
    stack: list = []  # [node, children still to read]
    count = 0
    while True:
        token = lexer.next()
        if token.kind == "eof":
            if root is None or stack:
                lexer.fail(token, "the file ends before the tree is complete"
                           if root is not None else "the file has no tree (no nodes)")
            break
        if root is not None and not stack:
            lexer.fail(token, f"expected the end of the file (the tree is complete), got "
                       f"{_describe(token)}")
        if token.kind != "symbol" or token.text not in ("c", "p", "t"):
            lexer.fail(token, f"expected a node ('c', 'p' or 't'), got {_describe(token)}")
        count += 1
        if count > MAX_NODES:
            lexer.fail(token, f"more than MAX_NODES = {MAX_NODES} nodes", LimitError)
        kind = token.text
        lexer.expect("text", "the node's label (a quoted text)")
        player = infoset = None
        if kind == "p":
            ptoken = lexer.peek()
            player = lexer.integer("a player number")
            if not 1 <= player <= n:
                lexer.fail(ptoken, f"player {player} does not exist (players 1 to {n})")
        elif kind == "c":
            player = 0
        if kind != "t":
            itoken = lexer.peek()
            number = lexer.integer("an information set number")
            infoset = (player, number)
            if lexer.peek().kind == "text":
                label = lexer.next().text
                lexer.expect("{", "'{' before the actions")
                actions, probs = [], []
                while lexer.peek().kind != "}":
                    actions.append(lexer.expect("text", "an action's label (a quoted text)"))
                    if kind == "c":
                        ptok = lexer.peek()
                        q = lexer.number("the action's probability")
                        if q < 0 or q > 1:
                            lexer.fail(ptok, f"chance probability {ptok.text} is not in [0, 1]")
                        probs.append(q)
                close = lexer.expect("}", "'}' after the actions")
                if not actions:
                    lexer.fail(close, "a move with no actions")
                if kind == "c" and sum(probs) != 1:
                    lexer.fail(close, f"chance probabilities sum to {sum(probs)}, not 1")
                labels = tuple(_normalize([a.text for a in actions]))
                data = _Infoset(label, labels, tuple(probs) if kind == "c" else None, itoken)
                if infoset in infosets:
                    old = infosets[infoset]
                    if (old.label, old.actions, old.probs) != (data.label, data.actions,
                                                                data.probs):
                        who = "chance" if kind == "c" else f"player {player}"
                        lexer.fail(itoken, f"information set {number} of {who} does not match "
                                   f"its definition at line {old.token.line}")
                else:
                    infosets[infoset] = data
            elif infoset not in infosets:
                lexer.fail(itoken, f"information set {number} is used before it is defined "
                           f"(its label and actions)")
        otoken = lexer.peek()
        outcome = lexer.integer("an outcome number")
        if lexer.peek().kind == "text":
            if outcome == 0:
                lexer.fail(otoken, "the null outcome 0 cannot have a label or payoffs")
            label = lexer.next().text
            lexer.expect("{", "'{' before the outcome's payoffs")
            payoffs = []
            for k in range(n):
                payoffs.append(lexer.number(f"the payoff of player {names[k]!r}"))
                lexer.accept(",")
            lexer.expect("}", f"'}}' after the {n} payoffs of the outcome")
            if outcome in outcomes:
                if outcomes[outcome][:2] != (label, tuple(payoffs)):
                    lexer.fail(otoken, f"outcome {outcome} does not match its definition at "
                               f"line {outcomes[outcome][2].line}")
            else:
                outcomes[outcome] = (label, tuple(payoffs), otoken)
        elif outcome not in outcomes:
            lexer.fail(otoken, f"outcome {outcome} is used before it is defined (its label "
                       f"and payoffs)")
        node = _Node(kind, token, player, infoset, outcome)
        if root is None:
            root = node
        else:
            parent = stack[-1]
            parent[0].children.append(node)
            parent[1] -= 1
            if parent[1] == 0:
                stack.pop()
        if kind != "t":
            stack.append([node, len(infosets[infoset].actions)])
    return root, infosets, {k: v[1] for k, v in outcomes.items() if v is not None}


def _unsupported(lexer: _Lexer, node: _Node, message: str) -> NoReturn:
    lexer.fail(node.token, f"unsupported tree: {message}; exactpower reads trees of "
               f"Bayesian shape only (chance moves at the top, then each player moving at "
               f"most once on every path, knowing only the chance outcome)",
               UnsupportedTreeError)


def from_efg(text, *, source: str = "<efg>") -> BayesianGame:
    """Read a Gambit ``.efg`` file of Bayesian shape back as a :class:`BayesianGame`.

    The shape is the one :func:`to_efg` writes, and more generally: chance
    nodes only at the top, then every player moving at most once on every
    path, with each player's information set determined by the chance
    outcome.  Types, prior and rewards are reconstructed as described in the
    module docstring.  Other trees raise :class:`UnsupportedTreeError`.

    Parameters
    ----------
    text : str or bytes
    source : str
        Names the file in error messages.

    Examples
    --------
    >>> from exactpower.catalog import stripped_down_poker
    >>> from exactpower import dumps
    >>> poker = stripped_down_poker()
    >>> dumps(from_efg(to_efg(poker))) == dumps(poker)
    True
    >>> from_efg('''EFG 2 R "signal" { "S" "R" } ""
    ... p "" 1 1 "" { "a" "b" } 0
    ... p "" 2 1 "" { "x" "y" } 0
    ... t "" 0
    ... t "" 0
    ... p "" 2 2 "" { "x" "y" } 0
    ... t "" 0
    ... t "" 0''', source="s.efg")
    Traceback (most recent call last):
    ...
    exactpower.gambit.UnsupportedTreeError: s.efg: line 6 column 1: unsupported tree: player 'R' is in information sets 1 (line 3) and 2 (line 6) under one chance outcome, so it observes another player's move; exactpower reads trees of Bayesian shape only (chance moves at the top, then each player moving at most once on every path, knowing only the chance outcome)
    """
    lexer = _Lexer(_decode(text, source), source)
    title, names, _ = _header(lexer, "EFG", "2")
    comment = lexer.next().text if lexer.peek().kind == "text" else None
    root, infosets, outcomes = _parse_efg(lexer, names)
    n = len(names)
    zero = (Fraction(0),) * n

    def add(base, outcome):
        if not outcome:
            return base
        payoffs = outcomes[outcome]
        return payoffs if base is None else tuple(x + y for x, y in zip(base, payoffs))

    # 1. the chance part: chance outcomes with their probabilities
    leaves = []
    stack = [(root, Fraction(1), None)]
    while stack:
        node, p, base = stack.pop()
        if node.kind == "c":
            base = add(base, node.outcome)  # (a chance outcome's own node: added by evaluate)
            probs = infosets[node.infoset].probs
            for child, q in reversed(list(zip(node.children, probs))):
                stack.append((child, p * q, base))
        else:
            leaves.append((node, p, base))

    # 2. below each chance outcome: each player at most once per path, one infoset per player
    player_infosets: list = [dict() for _ in range(n)]  # number -> first node
    leaf_types = []
    for leaf, _, _ in leaves:
        seen: dict = {}
        walk = [(leaf, ())]
        while walk:
            node, movers = walk.pop()
            if node.kind == "c":
                _unsupported(lexer, node, "a chance node below a player's move")
            if node.kind == "p":
                i = node.player - 1
                if i in movers:
                    _unsupported(lexer, node, f"player {names[i]!r} moves twice on one path")
                number = node.infoset[1]
                if i in seen and seen[i][0] != number:
                    first = seen[i][1]
                    _unsupported(lexer, node, f"player {names[i]!r} is in information sets "
                                 f"{seen[i][0]} (line {first.token.line}) and {number} (line "
                                 f"{node.token.line}) under one chance outcome, so it observes "
                                 f"another player's move")
                seen.setdefault(i, (number, node))
                player_infosets[i].setdefault(number, node)
                walk.extend((child, movers + (i,)) for child in reversed(node.children))
        leaf_types.append(tuple(seen[i][0] if i in seen else None for i in range(n)))

    # 3. players: types (information sets) and actions
    players, type_index, action_counts = [], [], []
    for i in range(n):
        numbers = sorted(player_infosets[i])
        moves_always = all(t[i] is not None for t in leaf_types)
        if numbers:
            first = infosets[(i + 1, numbers[0])]
            for number in numbers[1:]:
                other = infosets[(i + 1, number)]
                if other.actions != first.actions:
                    _unsupported(lexer, player_infosets[i][number],
                                 f"player {names[i]!r} has actions {list(first.actions)} in "
                                 f"information set {numbers[0]} (line {first.token.line}) but "
                                 f"{list(other.actions)} in information set {number} (line "
                                 f"{other.token.line}); a Bayesian game needs the same actions "
                                 f"in every type")
            for a in first.actions:
                _check_name(lexer, first.token, a, "action", star_ok=False)
            actions = first.actions
            labels = [infosets[(i + 1, k)].label for k in numbers]
            if len(numbers) == 1 and moves_always:
                type_names = [labels[0] or "-"]
            elif (all(labels) and len(set(labels)) == len(labels)
                  and all(lab != "*" and len(lab) <= MAX_NAME_LENGTH for lab in labels)):
                type_names = labels
            else:
                type_names = [str(k) for k in numbers]
            if type_names == ["*"] or len(type_names[0]) > MAX_NAME_LENGTH:
                type_names = [str(numbers[0])]
        else:
            actions, type_names = ("-",), []
        index = {k: pos for pos, k in enumerate(numbers)}
        if not moves_always:
            extra = next(name for name in ("-", "(no move)", "(no move)_1", "(no move)_2")
                         if name not in type_names)
            index[None] = len(type_names)
            type_names = type_names + [extra]
        players.append(Player(names[i], tuple(type_names), tuple(actions)))
        type_index.append(index)
        action_counts.append(len(actions))

    tshape = tuple(len(p.types) for p in players)
    ashape = tuple(action_counts)
    if n * math.prod(tshape) * math.prod(ashape) > MAX_CELLS or \
            n * len(leaves) * math.prod(ashape) > MAX_CELLS:
        lexer.fail(root.token, f"the game would have more than MAX_CELLS = {MAX_CELLS} reward "
                   f"cells", LimitError)

    # 4. rewards of each chance outcome, as arrays over action profiles
    def evaluate(node, base):
        """(values of shape (n, d_1..d_n), set-mask of shape (d_1..d_n)); d_j is 1 or A_j."""
        base = add(base, node.outcome)
        if node.kind == "t":
            values = np.empty((n,) + (1,) * n, dtype=object)
            values.ravel()[:] = list(base or zero)
            return values, np.full((1,) * n, base is not None)
        i = node.player - 1
        parts = [evaluate(child, base) for child in node.children]
        shape = [max(v.shape[1 + j] for v, _ in parts) for j in range(n)]
        shape[i] = 1
        values = np.concatenate([np.broadcast_to(v, (n, *shape)) for v, _ in parts], axis=1 + i)
        mask = np.concatenate([np.broadcast_to(m, tuple(shape)) for _, m in parts], axis=i)
        return values, mask

    prior = defaultdict(Fraction)
    sums: dict = {}
    zero_prob: dict = defaultdict(list)
    for (leaf, p, base), types in zip(leaves, leaf_types):
        t = tuple(type_index[i][types[i]] for i in range(n))
        values, mask = evaluate(leaf, base)
        values = np.broadcast_to(values, (n,) + ashape)
        mask = np.broadcast_to(mask, ashape)
        prior[t] += p
        if p:
            sums[t] = sums[t] + p * values if t in sums else p * values
        else:
            zero_prob[t].append((values, mask))

    prior_values = np.empty(tshape, dtype=object)
    prior_values.ravel()[:] = [sympy.Integer(0)] * math.prod(tshape)
    rewards = np.full((n,) + tshape + ashape, None, dtype=object)
    for t, p in prior.items():
        prior_values[t] = _rational(p)
        if p:
            rewards[(slice(None), *t)] = np.vectorize(lambda q: _rational(q / p),
                                                      otypes=[object])(sums[t])
            continue
        found = zero_prob[t]
        if all(np.array_equal(v, found[0][0]) and np.array_equal(m, found[0][1])
               for v, m in found):
            values, mask = found[0]
            cells = np.vectorize(_rational, otypes=[object])(values)
            rewards[(slice(None), *t)] = np.where(mask, cells, None)
    if title == DEFAULT_EFG_TITLE and comment == EXPORT_COMMENT:
        title = ""
    return BayesianGame._build(players, prior_values, rewards, (), title or None)


def from_gambit(text, *, source: str = "<gambit>") -> BayesianGame:
    """Read ``.nfg`` or ``.efg`` text, chosen by its first token (``NFG`` or ``EFG``).

    >>> from_gambit('NFG 1 R "" { "solo" } { 2 } 0 1').reward(0, (0,), (1,))
    1
    """
    lexer = _Lexer(_decode(text, source), source)
    first = lexer.peek()
    if first.kind == "symbol" and first.text == "NFG":
        return from_nfg(text, source=source)
    if first.kind == "symbol" and first.text == "EFG":
        return from_efg(text, source=source)
    lexer.fail(first, f"not a Gambit game file: expected 'NFG' or 'EFG' at the start, got "
               f"{_describe(first)}")


# -- writing .efg ----------------------------------------------------------------------

def _chance_labels(game) -> list[str]:
    """One label per type profile, unique."""
    labels = [
        ",".join(player.types[k] for player, k in zip(game.players, t))
        for t in game.type_profiles
    ]
    if len(set(labels)) != len(labels):
        labels = [f"{index}:{label}" for index, label in enumerate(labels)]
    return labels


def to_efg(game, *, title: str | None = None) -> str:
    """Write a rational Bayesian game as Gambit ``.efg`` text.

    Chance picks the type profile with its exact prior probability; then the
    players move in order, each with one information set per own type; the
    terminal nodes carry the exact rewards.  See the module docstring for the
    details (zero-probability type profiles, labels, outcome sharing).

    Parameters
    ----------
    game : BayesianGame
        A game whose values are rational numbers.
    title : str, optional
        The game's title in the file; default the game's own ``title`` if it
        has one, else ``"exactpower Bayesian game"``.

    Returns
    -------
    str
        The ``.efg`` text, ending with a newline.

    Raises
    ------
    GameStructureError
        If the game is symbolic (Gambit files hold numbers only).

    Examples
    --------
    Matching pennies in which the row player has two types, ``"0"`` and
    ``"1"``, with probabilities 1/3 and 2/3 (rewards do not depend on them):

    >>> import numpy as np
    >>> from exactpower import BayesianGame
    >>> mp = np.array([[1, -1], [-1, 1]])
    >>> rewards = np.zeros((2, 2, 1, 2, 2), dtype=np.int64)
    >>> rewards[0, :, 0] = mp
    >>> rewards[1, :, 0] = -mp
    >>> game = BayesianGame.from_arrays(rewards, prior=np.array([[1], [2]]))
    >>> text = to_efg(game, title="Bayesian matching pennies")
    >>> print("\\n".join(text.splitlines()[:8]))  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    EFG 2 R "Bayesian matching pennies" { "1" "2" }
    "Exported by exactpower: chance draws the type profile from the prior; ..."
    <BLANKLINE>
    c "" 1 "" { "0,0" 1/3 "1,0" 2/3 } 0
    p "" 1 1 "0" { "0" "1" } 0
    p "" 2 1 "0" { "0" "1" } 0
    t "" 1 "(1, -1)" { 1, -1 }
    t "" 2 "(-1, 1)" { -1, 1 }
    """
    if getattr(game, "is_symbolic", False):
        raise GameStructureError(
            "cannot export a symbolic game to Gambit: Gambit files hold numbers only"
        )
    players = game.players
    n = len(players)
    if title is None:
        title = getattr(game, "title", None) or DEFAULT_EFG_TITLE

    out: list[str] = []
    out.append(
        f"EFG 2 R {_quote(title)} {{ "
        + " ".join(_quote(p.name) for p in players)
        + " }"
    )
    out.append(
        _quote(EXPORT_COMMENT)
    )
    out.append("")

    type_profiles = list(game.type_profiles)
    chance_labels = _chance_labels(game)
    out.append(
        'c "" 1 "" { '
        + " ".join(
            f"{_quote(label)} {_number(game.probability(t))}"
            for label, t in zip(chance_labels, type_profiles)
        )
        + " } 0"
    )

    # Per player: the text of the node line for each own type (infoset k+1).
    player_lines: list[list[str]] = []
    for i, player in enumerate(players):
        actions = "{ " + " ".join(_quote(a) for a in player.actions) + " }"
        player_lines.append(
            [
                f'p "" {i + 1} {k + 1} {_quote(type_name)} {actions} 0'
                for k, type_name in enumerate(player.types)
            ]
        )
    action_counts = [len(p.actions) for p in players]

    outcomes: dict[tuple[str, ...], int] = {}

    def terminal(t: tuple[int, ...], a: tuple[int, ...]) -> str:
        values = [game.reward(i, t, a) for i in range(n)]
        if all(v is None for v in values):
            return 't "" 0'
        payoffs = tuple(_number(v) for v in values)
        number = outcomes.get(payoffs)
        if number is None:
            number = outcomes[payoffs] = len(outcomes) + 1
        label = _quote("(" + ", ".join(payoffs) + ")")
        return f't "" {number} {label} {{ ' + ", ".join(payoffs) + " }"

    def subtree(t: tuple[int, ...], prefix: tuple[int, ...]) -> Iterable[str]:
        i = len(prefix)
        if i == n:
            yield terminal(t, prefix)
            return
        yield player_lines[i][t[i]]
        for ai in range(action_counts[i]):
            yield from subtree(t, prefix + (ai,))

    for t in type_profiles:
        out.extend(subtree(tuple(t), ()))
    out.append("")
    return "\n".join(out)
