"""The tokens of the expression grammar (:mod:`exactpower.exact.expressions`): numbers,
names and operators, scanned with every per-literal limit checked before the work it limits.
"""

from __future__ import annotations

import math
import string
from fractions import Fraction
from typing import NamedTuple, NoReturn

import sympy

from ..errors import ExpressionError, InexactValueError, LimitError
from ..limits import MAX_DECIMAL_EXPONENT, MAX_DIGITS, MAX_LENGTH

__all__ = [
    "Token",
    "quote",
    "fail",
    "digit_count",
    "result_size",
    "check_text",
    "scan_number",
    "tokenize",
]

_DIGITS = frozenset("0123456789")  # not str.isdigit: that accepts '²' and other scripts
_NAME_START = frozenset(string.ascii_letters + "_")
_NAME_CHARS = _NAME_START | _DIGITS
_SPACE = frozenset(" \t\r\n")
_OPERATORS = frozenset("+-*/^()")
_QUOTE_WIDTH = 60


class Token(NamedTuple):
    kind: str  # "number", "name", "op" or "end"
    text: str  # as written
    column: int  # 1-based
    number: Fraction = Fraction(0)  # a number's value (0 for other kinds)
    integer: bool = False  # a number written with digits only
    op: str = ""  # an operator, normalised: one of "+-*/^()" ("**" is "^"), or ","


def quote(text: str, column: int) -> str:
    """``repr`` of ``text``, cut to a window around ``column`` if it is long."""
    if len(text) <= _QUOTE_WIDTH:
        return repr(text)
    start = max(0, min(column - 1 - _QUOTE_WIDTH // 2, len(text) - _QUOTE_WIDTH))
    end = start + _QUOTE_WIDTH
    quoted = repr(text[start:end])
    dots_before, dots_after = "..." * (start > 0), "..." * (end < len(text))
    return f"{quoted[0]}{dots_before}{quoted[1:-1]}{dots_after}{quoted[-1]}"


def fail(
    where: str, text: str, column: int, message: str, error: type = ExpressionError
) -> NoReturn:
    raise error(f"{where}: {message} at column {column} in {quote(text, column)}")


def digit_count(n: int) -> int:
    """Decimal digits of ``|n|``, without converting it to text."""
    n = abs(n)
    digits = int(n.bit_length() * math.log10(2)) + 1
    if digits > 1 and n < 10 ** (digits - 1):
        digits -= 1
    return digits


def result_size(expr: sympy.Expr) -> int:
    """The largest digit count of a number in ``expr``, or exponent of a power in it."""
    size = 1
    for node in sympy.preorder_traversal(expr):
        if isinstance(node, sympy.Rational):
            size = max(size, digit_count(node.p), digit_count(node.q))
        elif isinstance(node, sympy.Pow) and node.exp.is_Integer:
            size = max(size, abs(int(node.exp)))
    return size


def check_text(text: object, where: str, max_length: int = MAX_LENGTH) -> str:
    if isinstance(text, float):
        raise InexactValueError(
            f"{where}: {text!r} is a float, which is not exact; write it "
            f"as text such as '1/10' or '0.1'"
        )
    if not isinstance(text, str):
        raise ExpressionError(f"{where}: expected text (str), got {type(text).__name__}")
    if len(text) > max_length:  # before any other work
        name = "MAX_LENGTH" if max_length == MAX_LENGTH else "max_length"
        raise LimitError(
            f"{where}: the expression has {len(text)} characters, "
            f"over the limit {name} = {max_length}"
        )
    return text


def scan_number(text: str, i: int, where: str) -> tuple[int, Token]:
    """Read the number literal starting at ``text[i]``; return where it ends and its token."""
    n = len(text)

    def digits_end(j: int) -> int:
        while j < n and text[j] in _DIGITS:
            j += 1
        return j

    start = i
    j = digits_end(i)
    whole, fraction, integer, exponent = text[i:j], "", True, 0
    if j < n and text[j] == ".":
        k = digits_end(j + 1)
        fraction, j, integer = text[j + 1 : k], k, False
    if j < n and text[j] in "eE":
        k = j + 1 + (j + 1 < n and text[j + 1] in "+-")
        m = digits_end(k)
        if m == k:
            fail(where, text, start + 1, f"malformed number {text[start:m]!r}")
        significant = text[k:m].lstrip("0")
        too_long = len(significant) > len(str(MAX_DECIMAL_EXPONENT))  # then int() is not needed
        if too_long or int(significant or "0") > MAX_DECIMAL_EXPONENT:
            fail(
                where,
                text,
                start + 1,
                f"decimal exponent of {text[start:m]!r} is over the limit "
                f"MAX_DECIMAL_EXPONENT = {MAX_DECIMAL_EXPONENT}",
                LimitError,
            )
        exponent = int(text[j + 1 : m])  # at most a few digits, checked above
        j, integer = m, False
    if len(whole) + len(fraction) > MAX_DIGITS:
        fail(
            where,
            text,
            start + 1,
            f"number literal has {len(whole) + len(fraction)} digits, over the limit "
            f"MAX_DIGITS = {MAX_DIGITS}",
            LimitError,
        )
    mantissa = int(whole + fraction or "0")
    scale = exponent - len(fraction)  # value = mantissa * 10**scale, |scale| <= 200
    value = Fraction(mantissa * 10**scale) if scale >= 0 else Fraction(mantissa, 10**-scale)
    return j, Token("number", text[start:j], start + 1, number=value, integer=integer)


def tokenize(text: str, where: str, commas: bool = False) -> list[Token]:
    tokens: list[Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch in _SPACE:
            i += 1
            continue
        if ch in _DIGITS or (ch == "." and i + 1 < n and text[i + 1] in _DIGITS):
            i, token = scan_number(text, i, where)
        elif ch in _NAME_START:
            start = i
            while i < n and text[i] in _NAME_CHARS:
                i += 1
            token = Token("name", text[start:i], start + 1)
        elif text.startswith("**", i):
            token, i = Token("op", "**", i + 1, op="^"), i + 2
        elif ch in _OPERATORS or (commas and ch == ","):
            token, i = Token("op", ch, i + 1, op=ch), i + 1
        else:
            code = "" if ch.isascii() and ch.isprintable() else f" (U+{ord(ch):04X})"
            fail(where, text, i + 1, f"unexpected character {ch!r}{code}")
        tokens.append(token)
    tokens.append(Token("end", "", n + 1))
    return tokens
