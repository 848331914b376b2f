"""Safe, exact parsing of the values written as text in game files.

Text is read by a hand-written tokenizer and a recursive-descent parser; the
result is built with sympy constructors and sympy arithmetic.  Nothing in the
text is ever evaluated as code: no ``eval``, ``exec``, ``sympify`` or
``parse_expr``.  Every number is taken exactly (``0.1`` is ``1/10``).

Grammar (EBNF; whitespace is allowed between tokens)::

    expression  = term , { ( "+" | "-" ) , term } ;
    term        = unary , { ( "*" | "/" ) , unary } ;
    unary       = ( "+" | "-" ) , unary | power ;
    power       = primary , [ caret , exponent ] ;
    primary     = number | name | "(" , expression , ")" | max ;
    max         = "Max" , "(" , expression , { "," , expression } , ")" ;
                  (* only with allow_max=True; game files refuse it *)
                | sqrt | root ;   (* only with allow_algebraic=True: proof traces; see
                                     exactpower.exact.algebraic *)
    exponent    = ( "+" | "-" ) , exponent
                | exp_primary , [ caret , exponent ] ;
    exp_primary = digits | "(" , exponent , ")" ;
    caret       = "^" | "**" ;
    number      = ( digits , [ "." , [ digits ] ] | "." , digits ) ,
                  [ ( "e" | "E" ) , [ "+" | "-" ] , digits ] ;
    digits      = digit , { digit } ;                 (* ASCII 0-9 *)
    name        = ( letter | "_" ) , { letter | digit | "_" } ;  (* ASCII *)

So ``^`` is right-associative and binds tighter than a unary minus on its
left (``-x^2`` is ``-(x^2)``, ``2^3^2`` is ``2^9``), and an exponent is an
integer written with digits, possibly signed, parenthesised or itself a power
of such integers (``x^2``, ``x^-1``, ``x^(-1)``); a name, a decimal or a
fraction as exponent is refused.  A name must be a declared parameter.
Division by an expression that sympy evaluates to exactly 0, and 0 to a
negative power, are refused.  ``0^0`` is 1, as in sympy.

``max`` is a production only with ``allow_max=True`` (proof traces; never game
files).  Its value is built in linear time: nested ``Max`` flattened, numbers
folded into their maximum, repeats dropped, the rest an unevaluated
``sympy.Max`` (sympy's evaluation compares symbolic arguments pairwise, which
can take minutes).  Each ``+``/``-`` or ``*``/``/`` chain is one ``sympy.Add``
or ``sympy.Mul``: long chains cost linear-ish time, not quadratic.

Limits (defined in :mod:`exactpower.limits`; over them,
:class:`~exactpower.errors.LimitError`, raised before the costly work is done):

- ``MAX_LENGTH = 1000``: characters in one expression, whitespace included
  (a caller may pass its own ``max_length``, as proof traces do).
- ``MAX_NESTING = 32``: depth of parentheses, unary operators and powers.
- ``MAX_EXPONENT = 16``: absolute value of every number in an exponent and of
  the exponent itself.
- ``MAX_DIGITS = 100``: digits in the mantissa of one number literal.
- ``MAX_DECIMAL_EXPONENT = 100``: absolute value of ``e`` in ``1.5e-3``.
- ``MAX_RESULT_DIGITS = 4000``: digits of a numerator or denominator in the
  result, and exponent of a power in the result (``x**n`` counts as ``n``:
  substituting a number for ``x`` would give about that many digits).  It
  stops nested powers such as ``(((2^16)^16)^16)^16`` before they are
  computed; any single literal to the 16th power stays under it, and every
  result prints (Python refuses by default to print ints over 4300 digits).
"""

from __future__ import annotations

from collections.abc import Mapping
from fractions import Fraction
from typing import NoReturn

import sympy

from ..errors import ExpressionError, LimitError, ParameterError
from ..limits import (
    MAX_DECIMAL_EXPONENT,
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NESTING,
    MAX_RESULT_DIGITS,
)
from .algebraic import ALGEBRAIC, algebraic_primary
from .tokens import Token, check_text, fail, quote, result_size, tokenize

__all__ = [
    "MAX_LENGTH",
    "MAX_NESTING",
    "MAX_EXPONENT",
    "MAX_DIGITS",
    "MAX_DECIMAL_EXPONENT",
    "MAX_RESULT_DIGITS",
    "parse_expression",
    "parse_number",
]


class _Parser:
    """Recursive descent over the tokens, one method per grammar rule.

    ``depth`` counts the parentheses, unary operators and carets around the
    rule being parsed; :meth:`deeper` enforces ``MAX_NESTING`` on it.
    """

    def __init__(
        self,
        text: str,
        parameters: Mapping[str, sympy.Symbol],
        where: str,
        allow_max: bool = False,
        allow_algebraic: bool = False,
    ) -> None:
        self.text, self.parameters, self.where = text, parameters, where
        self.allow_max, self.allow_algebraic = allow_max, allow_algebraic
        self.tokens = tokenize(text, where, commas=allow_max or allow_algebraic)
        self.pos = 0

    def fail(self, token: Token, message: str, error: type = ExpressionError) -> NoReturn:
        fail(self.where, self.text, token.column, message, error)

    def unexpected(self, token: Token, hint: str = "") -> NoReturn:
        what = "end of expression" if token.kind == "end" else repr(token.text)
        self.fail(token, f"unexpected {what}{hint}")

    def peek_op(self, ops: str) -> bool:
        token = self.tokens[self.pos]
        return token.kind == "op" and token.op in ops

    def take(self) -> Token:
        self.pos += 1
        return self.tokens[self.pos - 1]

    def deeper(self, token: Token, depth: int) -> int:
        if depth >= MAX_NESTING:
            self.fail(
                token, f"nesting is deeper than the limit MAX_NESTING = {MAX_NESTING}", LimitError
            )
        return depth + 1

    def close(self, hint: str = " (expected ')')") -> None:
        token = self.take()
        if not (token.kind == "op" and token.op == ")"):
            self.unexpected(token, hint)

    def parse(self) -> sympy.Expr:
        if self.tokens[0].kind == "end":
            raise ExpressionError(f"{self.where}: empty expression {self.text!r}")
        value = self.expression(0)
        if self.tokens[self.pos].kind != "end":
            self.unexpected(self.tokens[self.pos])
        if result_size(value) > MAX_RESULT_DIGITS:
            raise LimitError(
                f"{self.where}: the value of {quote(self.text, 1)} is over the limit "
                f"MAX_RESULT_DIGITS = {MAX_RESULT_DIGITS}"
            )
        return value

    def expression(self, depth: int) -> sympy.Expr:
        terms = [self.term(depth)]
        while self.peek_op("+-"):
            op = self.take()
            right = self.term(depth)
            terms.append(right if op.op == "+" else -right)
        return terms[0] if len(terms) == 1 else sympy.Add(*terms)  # one Add: linear, not quadratic

    def term(self, depth: int) -> sympy.Expr:
        factors = [self.unary(depth)]
        while self.peek_op("*/"):
            op = self.take()
            right = self.unary(depth)
            if op.op == "*":
                factors.append(right)
            elif right == 0:  # structural: sympy has already evaluated it to Integer(0)
                self.fail(op, "division by zero")
            else:
                factors.append(sympy.Pow(right, -1))
        return factors[0] if len(factors) == 1 else sympy.Mul(*factors)

    def unary(self, depth: int) -> sympy.Expr:
        if not self.peek_op("+-"):
            return self.power(depth)
        op = self.take()
        value = self.unary(self.deeper(op, depth))
        return -value if op.op == "-" else value

    def power(self, depth: int) -> sympy.Expr:
        base = self.primary(depth)
        if not self.peek_op("^"):
            return base
        op = self.take()
        exponent = self.exponent(self.deeper(op, depth))
        if exponent < 0 and base == 0:
            self.fail(op, "division by zero (0 to a negative power)")
        # Bound the result's size before sympy computes it (see MAX_RESULT_DIGITS).
        if result_size(base) * abs(exponent) > MAX_RESULT_DIGITS:
            self.fail(
                op,
                f"the power would be over the limit MAX_RESULT_DIGITS = {MAX_RESULT_DIGITS}",
                LimitError,
            )
        return base ** sympy.Integer(exponent)

    def primary(self, depth: int) -> sympy.Expr:
        token = self.take()
        if token.kind == "number":
            return sympy.Rational(token.number.numerator, token.number.denominator)
        if token.kind == "name":
            if self.allow_max and token.text == "Max" and self.peek_op("("):
                return self.maximum(self.deeper(self.take(), depth))
            if self.allow_algebraic and token.text in ALGEBRAIC and self.peek_op("("):
                return algebraic_primary(self, token, self.deeper(self.take(), depth))
            return self.parameter(token)
        if token.kind == "op" and token.op == "(":
            value = self.expression(self.deeper(token, depth))
            self.close()
            return value
        self.unexpected(token)

    def maximum(self, depth: int) -> sympy.Expr:
        """The arguments of ``Max(`` up to its ``)``; their maximum in linear time (module doc)."""
        args = [self.expression(depth)]
        while self.peek_op(","):
            self.take()
            args.append(self.expression(depth))
        self.close(" (expected ',' or ')')")
        flat = [a for arg in args for a in (arg.args if isinstance(arg, sympy.Max) else (arg,))]
        numbers = [a for a in flat if isinstance(a, sympy.Rational)]
        unique = list(
            dict.fromkeys(
                [a for a in flat if not isinstance(a, sympy.Rational)]
                + ([max(numbers)] if numbers else [])
            )
        )
        return unique[0] if len(unique) == 1 else sympy.Max(*unique, evaluate=False)

    def exponent(self, depth: int) -> int:
        """An exponent's value: an integer with ``|value| <= MAX_EXPONENT``."""
        hint = " (an exponent must be an integer literal)"
        token = self.take()
        if token.kind == "op" and token.op in "+-":
            signed = self.exponent(self.deeper(token, depth))
            return -signed if token.op == "-" else signed
        value: Fraction
        if token.kind == "op" and token.op == "(":
            value = Fraction(self.exponent(self.deeper(token, depth)))
            self.close(hint)
        elif token.kind == "number" and token.integer:
            value = token.number
        elif token.kind == "end":
            self.unexpected(token, hint)
        else:
            self.fail(token, f"an exponent must be an integer literal, not {token.text!r}")
        self.check_exponent(value, token)
        if self.peek_op("^"):  # an exponent that is itself a power: 2^3^2 = 2^9
            op = self.take()
            inner = self.exponent(self.deeper(op, depth))
            if value == 0 and inner < 0:
                self.fail(op, "division by zero (0 to a negative power)")
            value = value**inner  # both at most MAX_EXPONENT in size: cheap
            self.check_exponent(value, op)
        return int(value)

    def check_exponent(self, value: Fraction, token: Token) -> None:
        if value.denominator != 1:
            self.fail(token, f"exponent {value} is not an integer")
        if abs(value) > MAX_EXPONENT:
            self.fail(
                token,
                f"exponent {value} is over the limit MAX_EXPONENT = {MAX_EXPONENT}",
                LimitError,
            )

    def parameter(self, token: Token) -> sympy.Symbol:
        name = token.text
        if name not in self.parameters:
            declared = ", ".join(sorted(map(str, self.parameters)))
            self.fail(
                token,
                f"undeclared parameter {name!r} "
                f"({'declared: ' + declared if declared else 'no parameters are declared'})",
                ParameterError,
            )
        symbol = self.parameters[name]
        if not isinstance(symbol, sympy.Symbol):
            raise ParameterError(
                f"{self.where}: parameter {name!r} is bound to a "
                f"{type(symbol).__name__}, not a sympy Symbol"
            )
        return symbol


def parse_expression(
    text: str,
    parameters: Mapping[str, sympy.Symbol] | None = None,
    *,
    where: str = "value",
    allow_max: bool = False,
    max_length: int = MAX_LENGTH,
    allow_algebraic: bool = False,
) -> sympy.Expr:
    """Parse an expression over declared parameters into an exact sympy value.

    Parameters
    ----------
    text : str
        The expression, in the grammar of this module's docstring.
    parameters : Mapping[str, sympy.Symbol], optional
        The declared parameters: each name that may appear, and its symbol.
    where : str, keyword-only
        The place of the value (file, record, field), put first in error messages.
    allow_max : bool, keyword-only
        Accept ``Max(e_1, ..., e_k)`` (proof traces only; game files refuse it).
    max_length : int, keyword-only
        The most characters ``text`` may have, checked first (default ``MAX_LENGTH``).
    allow_algebraic : bool, keyword-only
        Accept ``sqrt(n)`` and ``CRootOf(p, k)`` (proof traces only; see
        :mod:`exactpower.exact.algebraic`).

    Returns
    -------
    sympy.Expr
        The value in sympy's automatic canonical form; a ``sympy.Rational``
        (``sympy.Integer`` included) when no parameter remains.

    Raises
    ------
    InexactValueError
        If ``text`` is a float.
    ExpressionError
        If ``text`` is not a str or not in the grammar, or divides by zero.
    ParameterError
        If a name is not a declared parameter.
    LimitError
        If the text is over one of the module's limits.

    Examples
    --------
    >>> parse_expression("1/3 + 0.5")
    5/6
    >>> import sympy
    >>> x = sympy.Symbol("x", real=True)
    >>> parse_expression("(1 - x)^2 / 2", {"x": x})
    (1 - x)**2/2
    >>> parse_expression("-x**2 + x + x", {"x": x})
    -x**2 + 2*x
    >>> parse_expression("1 + y", {"x": x}, where="rewards[3]")
    Traceback (most recent call last):
    ...
    exactpower.errors.ParameterError: rewards[3]: undeclared parameter 'y' (declared: x) at column 5 in '1 + y'
    >>> parse_expression("Max(x, 1/2, Max(1, -x)) + 1", {"x": x}, allow_max=True)
    Max(1, -x, x) + 1
    """
    text = check_text(text, where, max_length)
    return _Parser(
        text, {} if parameters is None else parameters, where, allow_max, allow_algebraic
    ).parse()


def parse_number(text: str, *, where: str = "value") -> sympy.Rational:
    """Parse a number literal, with an optional sign, exactly.

    Accepted: an integer (``"3"``), a decimal (``"0.1"``, ``".5"``, ``"5."``),
    a decimal exponent (``"1e-3"``, ``"2.5E+2"``) or a fraction of two
    integers (``"3/4"``), each with an optional leading ``+`` or ``-``.

    Parameters
    ----------
    text : str
        The number.
    where : str, keyword-only
        The place of the value, put first in error messages.

    Returns
    -------
    sympy.Rational
        The exact value (``sympy.Integer`` for an integer value).

    Raises
    ------
    InexactValueError
        If ``text`` is a float.
    ExpressionError
        If ``text`` is not a str or not a number literal, or is ``a/0``.
    LimitError
        If the text is over one of the module's limits.

    Examples
    --------
    >>> parse_number("0.1")
    1/10
    >>> parse_number("-3/4")
    -3/4
    >>> parse_number("2.5E+2")
    250
    """
    text = check_text(text, where)
    tokens = tokenize(text, where)
    if tokens[0].kind == "end":
        raise ExpressionError(f"{where}: empty number {text!r}")
    negative = tokens[0].kind == "op" and tokens[0].op == "-"
    if tokens[0].kind == "op" and tokens[0].op in "+-":
        tokens = tokens[1:]
    # Match the tokens' shape: "i" integer, "d" other number, "?" name, "$" end, operators as is.
    shape = "".join(
        {"number": "di"[t.integer], "op": t.op, "end": "$"}.get(t.kind, "?") for t in tokens
    )
    if shape in ("i$", "d$"):
        value = tokens[0].number
    elif shape == "i/i$":
        if tokens[2].number == 0:
            fail(where, text, tokens[1].column, "division by zero")
        value = tokens[0].number / tokens[2].number
    else:
        target = "d$" if shape.startswith("d") else "i/i$"
        bad = tokens[next(k for k, (got, wanted) in enumerate(zip(shape, target)) if got != wanted)]
        what = "end of text" if bad.kind == "end" else repr(bad.text)
        fail(
            where,
            text,
            bad.column,
            f"unexpected {what} in a number (expected an integer, a decimal or a fraction a/b)",
        )
    return sympy.Rational(-value.numerator if negative else value.numerator, value.denominator)
