r"""Gambit's tokens, and the text of numbers and labels both ways (shared by ``.nfg`` and ``.efg``).

The lexer follows Gambit's own reader (``src/games/file.cc``) token by token:
braces, commas, numbers, quoted text (with ``\"`` and ``\\`` escapes) and bare
symbols, each with its line and column (both from 1).  Every number is taken
exactly: ``1/3`` is 1/3, ``0.1`` is 1/10, ``12e-1`` is 6/5, within the limits of
the expression grammar (``MAX_DIGITS`` digits, decimal exponent at most
``MAX_DECIMAL_EXPONENT``).  Every malformed file raises a
:class:`GambitFormatError` whose message names the source, the line and column,
and the token.

Names: Gambit makes labels nonempty and unique when it reads a file (an empty
label becomes ``"_1"``, repeated labels ``"x_1"``, ``"x_2"``);
:func:`normalize_labels` does the same, so names agree with pygambit's.

>>> lexer = Lexer('NFG 1 R "a \\"b\\"" { 2 }', "x.nfg")
>>> [(t.kind, t.text) for t in lexer.tokens][:4]
[('symbol', 'NFG'), ('number', '1'), ('symbol', 'R'), ('text', 'a "b"')]
>>> normalize_labels(["", "x", "x", "y"])
['_1', 'x_1', 'x_2', 'y']
>>> quote('say "hi"'), number_text(sympy.Rational(-2, 6))
('"say \\"hi\\""', '-1/3')
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, NamedTuple, NoReturn

import sympy

from ..errors import FileFormatError, LimitError
from ..limits import (
    MAX_DECIMAL_EXPONENT,
    MAX_DIGITS,
    MAX_NAME_LENGTH,
    MAX_PLAYERS,
    MAX_TITLE_LENGTH,
)

__all__ = [
    "GambitFormatError",
    "Token",
    "Lexer",
    "describe",
    "exact_number",
    "normalize_labels",
    "check_name",
    "read_header",
    "decode",
    "quote",
    "number_text",
]


class GambitFormatError(FileFormatError):
    """A Gambit ``.nfg`` / ``.efg`` file that cannot be read; names the line, column and token."""


class Token(NamedTuple):
    """One token: its kind, text, line and column (both from 1)."""

    kind: str  # "{", "}", ",", "number", "text", "symbol", "eof"
    text: str
    line: int
    column: int


_NUMBER = re.compile(r"[+-]?(?:\d+/\d+|\d+\.?\d*(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)")
_SYMBOL = re.compile(r'[^\s{}",]+')
_SPACE = re.compile(r"\s+")
_DELIMITERS = frozenset(' \t\r\n\f\v{},"')


def describe(token: Token) -> str:
    if token.kind == "eof":
        return "the end of the file"
    if token.kind == "text":
        shown = token.text if len(token.text) <= 40 else token.text[:37] + "..."
        return f"the text {shown!r}"
    return repr(token.text)


class Lexer:
    """Gambit's tokens, with their line and column (both from 1)."""

    def __init__(self, text: str, source: str):
        self.source = source
        self.tokens = list(self._scan(text))
        self.pos = 0

    def fail(self, token: Token, message: str, error: type = GambitFormatError) -> NoReturn:
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
                yield Token("eof", "", line, i - line_start + 1)
                return
            column = i - line_start + 1
            c = text[i]
            if c in "{},":
                yield Token(c, c, line, column)
                i += 1
            elif c == '"':
                chars = []
                j = i + 1
                start_line = line
                while True:
                    if j >= n:
                        raise GambitFormatError(
                            f"{self.source}: line {start_line} column {column}: text label "
                            f"not closed: the file ends inside it"
                        )
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
                yield Token("text", "".join(chars), start_line, column)
                i = j + 1
            elif c in "+-.0123456789":
                m = _NUMBER.match(text, i)
                end = m.end() if m else i
                if not m or (end < n and text[end] not in _DELIMITERS):
                    sym = _SYMBOL.match(text, i)
                    assert sym is not None  # text[i] is a digit or a sign
                    bad = sym.group()
                    raise GambitFormatError(
                        f"{self.source}: line {line} column {column}: malformed number {bad!r}"
                    )
                yield Token("number", m.group(), line, column)
                i = end
            else:
                sym = _SYMBOL.match(text, i)
                assert sym is not None  # text[i] is neither a space nor a delimiter
                yield Token("symbol", sym.group(), line, column)
                i = sym.end()

    # -- access ------------------------------------------------------------------
    def peek(self) -> Token:
        return self.tokens[self.pos]

    def next(self) -> Token:
        token = self.tokens[self.pos]
        if token.kind != "eof":
            self.pos += 1
        return token

    def expect(self, kind: str, what: str) -> Token:
        token = self.next()
        if token.kind != kind:
            self.fail(token, f"expected {what}, got {describe(token)}")
        return token

    def accept(self, kind: str) -> bool:
        if self.peek().kind == kind:
            self.next()
            return True
        return False

    def number(self, what: str) -> Fraction:
        return exact_number(self, self.expect("number", f"a number ({what})"))

    def integer(self, what: str) -> int:
        token = self.expect("number", f"an integer ({what})")
        if not re.fullmatch(r"\+?\d+", token.text):
            self.fail(token, f"expected a nonnegative integer ({what}), got {token.text!r}")
        if len(token.text) > 12:
            self.fail(token, f"{what} {token.text} is too large", LimitError)
        return int(token.text)


def exact_number(lexer: Lexer, token: Token) -> Fraction:
    """The exact value of a number token: ``-2``, ``1/3``, ``0.25``, ``.8``, ``12e-1``."""
    text = token.text
    if "/" in text:
        num, den = text.split("/")
        if max(len(num.lstrip("+-")), len(den)) > MAX_DIGITS:
            lexer.fail(
                token,
                f"number {text[:30]}... has more than MAX_DIGITS = {MAX_DIGITS} digits",
                LimitError,
            )
        if int(den) == 0:
            lexer.fail(token, f"number {text!r} divides by zero")
        return Fraction(int(num), int(den))
    mantissa, _, exponent = text.lower().partition("e")
    digits = sum(ch.isdigit() for ch in mantissa)
    if digits > MAX_DIGITS:
        lexer.fail(
            token,
            f"number {text[:30]}... has more than MAX_DIGITS = {MAX_DIGITS} digits",
            LimitError,
        )
    if exponent and abs(int(exponent)) > MAX_DECIMAL_EXPONENT:
        lexer.fail(
            token,
            f"number {text!r}: exponent over MAX_DECIMAL_EXPONENT = {MAX_DECIMAL_EXPONENT}",
            LimitError,
        )
    try:
        return Fraction(Decimal(text))
    except (InvalidOperation, ValueError):  # pragma: no cover - the regex admits only numbers
        lexer.fail(token, f"malformed number {text!r}")


def normalize_labels(labels: list) -> list:
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


def check_name(lexer: Lexer, token: Token, name: str, what: str, star_ok: bool = True) -> str:
    if len(name) > MAX_NAME_LENGTH:
        lexer.fail(
            token,
            f"{what} name of {len(name)} characters, over the limit "
            f"MAX_NAME_LENGTH = {MAX_NAME_LENGTH}",
            LimitError,
        )
    if name == "*" and not star_ok:
        lexer.fail(
            token, f"{what} name '*' is reserved in exactpower (it is the wildcard of game files)"
        )
    return name


def read_header(lexer: Lexer, magic: str, version: str):
    token = lexer.next()
    if token.kind != "symbol" or token.text != magic:
        lexer.fail(
            token,
            f"not a Gambit .{magic.lower()} file: expected {magic!r} at the "
            f"start, got {describe(token)}",
        )
    token = lexer.next()
    if token.kind != "number" or token.text != version:
        lexer.fail(
            token, f"expected version {version} of the {magic} format, got {describe(token)}"
        )
    token = lexer.next()
    if token.kind != "symbol" or token.text not in ("R", "D"):
        lexer.fail(token, f"expected the data type 'R' (or 'D'), got {describe(token)}")
    title_token = lexer.expect("text", "the game's title (a quoted text)")
    if len(title_token.text) > MAX_TITLE_LENGTH:
        lexer.fail(
            title_token,
            f"title of {len(title_token.text)} characters, over the limit "
            f"MAX_TITLE_LENGTH = {MAX_TITLE_LENGTH}",
            LimitError,
        )
    lexer.expect("{", "'{' before the players' names")
    players = []
    while lexer.peek().kind == "text":
        players.append(lexer.next())
    lexer.expect("}", "'}' after the players' names (each a quoted text)")
    if not players:
        lexer.fail(title_token, "the game has no players")
    if len(players) > MAX_PLAYERS:
        lexer.fail(
            players[MAX_PLAYERS],
            f"{len(players)} players, over the limit MAX_PLAYERS = {MAX_PLAYERS}",
            LimitError,
        )
    names = normalize_labels([t.text for t in players])
    for token, name in zip(players, names):
        check_name(lexer, token, name, "player")
    return title_token.text, names, players


def decode(text, source: str) -> str:
    if isinstance(text, (bytes, bytearray)):
        try:
            return bytes(text).decode("utf-8")
        except UnicodeDecodeError:
            return bytes(text).decode("latin-1")
    if not isinstance(text, str):
        raise TypeError(f"{source}: expected str or bytes, got {type(text).__name__}")
    return text


def number_text(value: Any) -> str:
    """Write an exact rational as Gambit number text: ``-2``, ``1/3``."""
    if value is None:
        return "0"
    q = sympy.Rational(value)
    if q.q == 1:
        return str(q.p)
    return f"{q.p}/{q.q}"


def quote(text: str) -> str:
    """Return ``text`` as a double-quoted Gambit string literal."""
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'
