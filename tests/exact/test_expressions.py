"""Tests of exactpower.expressions: the safe, exact parser of file values."""

from __future__ import annotations

import ast
import builtins
import contextlib
import inspect
import time
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pytest
import sympy
import sympy.parsing.sympy_parser
from hypothesis import given
from hypothesis import strategies as st

from exactpower.errors import (
    ExpressionError,
    GameError,
    InexactValueError,
    LimitError,
    ParameterError,
)
from exactpower.exact import expressions
from exactpower.exact.expressions import (
    MAX_DECIMAL_EXPONENT,
    MAX_DIGITS,
    MAX_EXPONENT,
    MAX_LENGTH,
    MAX_NESTING,
    MAX_RESULT_DIGITS,
    parse_expression,
    parse_number,
)

X = sympy.Symbol("x", real=True)
Q = sympy.Symbol("q", nonnegative=True)
PARAMS = {"x": X, "q": Q}


def assert_rational(value, expected) -> None:
    """``value`` is a sympy Rational (never a Float) equal to the Fraction ``expected``."""
    assert isinstance(value, sympy.Rational), type(value)
    assert not isinstance(value, sympy.Float)
    assert Fraction(int(value.p), int(value.q)) == Fraction(expected)


# -- numbers -----------------------------------------------------------------

NUMBERS = [
    ("0", 0),
    ("007", 7),
    ("3", 3),
    ("0.1", Fraction(1, 10)),
    ("0.25", Fraction(1, 4)),
    (".5", Fraction(1, 2)),
    ("5.", 5),
    ("1.0000000000000001", 1 + Fraction(1, 10**16)),
    ("1e-3", Fraction(1, 1000)),
    ("1E3", 1000),
    ("2.5E+2", 250),
    ("1.5e-3", Fraction(3, 2000)),
    ("1.e3", 1000),
    (".5e1", 5),
    ("0e50", 0),
    ("123456789012345678901234567890.5", Fraction(246913578024691357802469135781, 2)),
]


@pytest.mark.parametrize(("text", "expected"), NUMBERS)
def test_number_literals_are_exact(text, expected):
    assert_rational(parse_number(text), expected)
    assert_rational(parse_expression(text), expected)
    assert_rational(parse_number("-" + text), -Fraction(expected))
    assert_rational(parse_number("+" + text), expected)


def test_decimal_is_not_float():
    value = parse_number("0.1")
    assert value == sympy.Rational(1, 10)
    assert value != sympy.Float(0.1)
    assert parse_number("0.1") + parse_number("0.2") == parse_number("0.3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3/4", Fraction(3, 4)),
        ("-3/4", Fraction(-3, 4)),
        ("+6/8", Fraction(3, 4)),
        ("10/5", 2),
        (" 1 / 3 ", Fraction(1, 3)),
        ("- 3 / 4", Fraction(-3, 4)),
        ("0/7", 0),
    ],
)
def test_parse_number_fractions(text, expected):
    assert_rational(parse_number(text), expected)


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("x", 1),
        ("1+2", 2),
        ("3/4/5", 4),
        ("1.5/2", 4),
        ("3/0.5", 3),
        ("3/-4", 3),
        ("3/", 3),
        ("--3", 2),
        ("(3)", 1),
        ("3 4", 3),
        ("1e", 1),
        ("2*3", 2),
    ],
)
def test_parse_number_refuses_non_numbers(text, column):
    with pytest.raises(ExpressionError, match=f"^value: .* at column {column} in "):
        parse_number(text)


@pytest.mark.parametrize("text", ["", "   ", "+", "-"])
def test_empty_is_refused(text):
    with pytest.raises(ExpressionError):
        parse_number(text)
    with pytest.raises(ExpressionError):
        parse_expression(text)


# -- precedence and associativity --------------------------------------------

ARITHMETIC = [
    ("2-3-4", -5),
    ("2/3/4", Fraction(1, 6)),
    ("2^3^2", 512),
    ("2**3**2", 512),
    ("-2^2", -4),
    ("(-2)^2", 4),
    ("-2**2", -4),
    ("2^-1", Fraction(1, 2)),
    ("2^(-1)", Fraction(1, 2)),
    ("2^-2^2", Fraction(1, 16)),
    ("2^(3)^2", 512),
    ("(2^3)^2", 64),
    ("1+2*3", 7),
    ("(1+2)*3", 9),
    ("2*3^2", 18),
    ("1/2*4", 2),
    ("6/2/3", 1),
    ("1 - -1", 2),
    ("--1", 1),
    ("+-+1", -1),
    ("2*-3", -6),
    ("2^+2", 4),
    ("0^0", 1),
    ("x^0", 1),
    ("1/3 + 1/6", Fraction(1, 2)),
    ("x - x + 1/2", Fraction(1, 2)),
    (" \t1\n+\r2 ", 3),
    ("2^16", 65536),
    ("(-1)^-16", 1),
]


@pytest.mark.parametrize(("text", "expected"), ARITHMETIC)
def test_precedence_and_associativity(text, expected):
    assert_rational(parse_expression(text, PARAMS), expected)


def test_symbolic_results_are_canonical():
    assert parse_expression("x + x", PARAMS) == 2 * X
    assert parse_expression("-x^2", PARAMS) == -(X**2)
    assert parse_expression("(1 - x)^2 / 2", PARAMS) == (1 - X) ** 2 / 2
    assert parse_expression("q*x + (1-q)*0.5", PARAMS) == Q * X + (1 - Q) / 2
    assert parse_expression("x^-1", PARAMS) == 1 / X
    assert parse_expression("x/x", PARAMS) == 1
    assert parse_expression("x", PARAMS) is X
    assert str(parse_expression("1 - q", PARAMS)) == "1 - q"


def test_parameter_symbols_are_the_given_ones():
    result = parse_expression("x * q", PARAMS)
    assert result.free_symbols == {X, Q}
    assert X in result.free_symbols and sympy.Symbol("x") not in result.free_symbols


# -- power exponents ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x^2", X**2),
        ("x**2", X**2),
        ("x^-1", 1 / X),
        ("x^(-1)", 1 / X),
        ("x^((2))", X**2),
        ("x^-(2)", X**-2),
        ("x^2^2", X**4),
        ("x^(2^2)", X**4),
        ("(x^2)^3", X**6),
        ("x ^ 16", X**16),
        ("x^-16", X**-16),
        ("x^2/2", X**2 / 2),
    ],
)
def test_allowed_exponents(text, expected):
    assert parse_expression(text, PARAMS) == expected


@pytest.mark.parametrize(
    "text",
    [
        "x^x",
        "x^q",
        "x^0.5",
        "x^1.",
        "x^1e1",
        "x^(1/2)",
        "x^(1+1)",
        "x^2^-1",
        "x^",
        "x^()",
        "x^*2",
        "x***2",
        "2^(x)",
        "x^(2",
        "x^-x",
    ],
)
def test_refused_exponents(text):
    with pytest.raises(ExpressionError):
        parse_expression(text, PARAMS)


def test_exponent_message_explains():
    with pytest.raises(ExpressionError, match="integer literal, not 'q' at column 3"):
        parse_expression("x^q", PARAMS)
    with pytest.raises(ExpressionError, match=r"exponent 1/2 is not an integer"):
        parse_expression("x^2^-1", PARAMS)


# -- division by zero ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("1/0", 2),
        ("1/(x-x)", 2),
        ("x/(2-2)", 2),
        ("1 / 0.0", 3),
        ("1/(0*x)", 2),
        ("0^-1", 2),
        ("(x-x)^-2", 6),
        ("x^(0^-1)", 5),
        ("1/(1/2-0.5)", 2),
    ],
)
def test_division_by_zero(text, column):
    with pytest.raises(ExpressionError, match=f"^value: division by zero.* at column {column} in "):
        parse_expression(text, PARAMS)


def test_parse_number_division_by_zero():
    with pytest.raises(ExpressionError, match="division by zero"):
        parse_number("3/0")
    with pytest.raises(ExpressionError, match="division by zero"):
        parse_number("-3/000")


# -- parameters ---------------------------------------------------------------


def test_undeclared_parameter_names_it_and_the_declared_ones():
    with pytest.raises(ParameterError) as info:
        parse_expression("x + y", PARAMS, where="rewards[2]")
    message = str(info.value)
    assert message.startswith("rewards[2]: ")
    assert "'y'" in message and "declared: q, x" in message and "column 5" in message
    assert isinstance(info.value, ValueError) and isinstance(info.value, GameError)


def test_no_parameters_declared():
    with pytest.raises(ParameterError, match="no parameters are declared"):
        parse_expression("x")
    with pytest.raises(ParameterError, match="no parameters are declared"):
        parse_expression("x", {})


def test_names_are_case_sensitive_and_whole():
    with pytest.raises(ParameterError):
        parse_expression("X", PARAMS)
    with pytest.raises(ParameterError):
        parse_expression("xx", PARAMS)
    y1 = sympy.Symbol("y_1")
    assert parse_expression("2*y_1", {"y_1": y1}) == 2 * y1


def test_parameter_must_be_bound_to_a_symbol():
    with pytest.raises(ParameterError, match="not a sympy Symbol"):
        parse_expression("x", {"x": 0.5})


# -- refusing code ---------------------------------------------------------------

INJECTIONS = [
    "__import__('os').system('echo pwned')",
    "__import__",
    "lambda: 1",
    "[1]",
    "{1: 2}",
    "a.b",
    "x.__class__",
    "1 if 2 else 3",
    "x==1",
    "x<1",
    "'1'",
    '"1"',
    "1,2",
    "(1, 2)",
    "5%2",
    "a@b",
    "x//2",
    "1;2",
    "x = 1",
    "`1`",
    "1j",
    "0x10",
    "1_000",
    "${x}",
    "x!",
    "#1",
    "\\x",
    "\u0661",  # ARABIC-INDIC DIGIT ONE
    "\uff11",  # FULLWIDTH DIGIT ONE
    "x\u00b2",  # superscript two
    "1\u00a02",  # no-break space
    "\u2212" + "1",  # minus sign
    "sqrt(2)",
    "Rational(1, 3)",
    "pi",
    "oo",
    "E",
    "I",
    "exec",
    "eval('1')",
    "1 2",
    "x x",
    "2x",
    "()",
    "(",
    ")",
    "1+",
    "*1",
    "1**",
    "nan",
    "inf",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_not_in_the_grammar_is_refused(text):
    with pytest.raises((ExpressionError, ParameterError)) as info:
        parse_expression(text, PARAMS)
    assert str(info.value).startswith("value: ")


def test_code_in_text_never_runs(tmp_path):
    target = tmp_path / "pwned"
    payloads = [
        f"__import__('pathlib').Path({str(target)!r}).touch()",
        f"open({str(target)!r}, 'w').write('x')",
        "globals().__setitem__('PWNED', 1)",
        "setattr(__import__('builtins'), 'PWNED', 1)",
    ]
    for payload in payloads:
        compile(payload, "<payload>", "eval")  # it is valid Python: evaluated, it would act
        for function in (parse_expression, parse_number):
            with pytest.raises(GameError):
                function(payload)
    assert not target.exists()
    assert "PWNED" not in globals() and "PWNED" not in vars(expressions)
    assert not hasattr(builtins, "PWNED")


def test_parsing_uses_no_code_evaluation(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("code evaluation was called")

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "compile", forbidden)
    monkeypatch.setattr(sympy, "sympify", forbidden)
    monkeypatch.setattr(sympy, "S", forbidden)
    monkeypatch.setattr(sympy.parsing.sympy_parser, "parse_expr", forbidden)  # used by sympify(str)
    assert parse_expression("(1 - x)^2/2 + 0.1*q - 3/4 + x**-1", PARAMS) == (
        (1 - X) ** 2 / 2 + Q / 10 - sympy.Rational(3, 4) + 1 / X
    )
    assert_rational(parse_number("-2.5e-1"), Fraction(-1, 4))


def test_module_source_names_no_evaluator():
    tree = ast.parse(inspect.getsource(expressions))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    names |= {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    }
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    forbidden = {
        "eval",
        "exec",
        "compile",
        "sympify",
        "parse_expr",
        "S",
        "__import__",
        "getattr",
        "literal_eval",
        "lambdify",
        "parse_latex",
    }
    assert not names & forbidden
    assert not any(module and "parsing" in module for module in modules)


# -- input types ----------------------------------------------------------------


@pytest.mark.parametrize("function", [parse_expression, parse_number])
@pytest.mark.parametrize("value", [0.5, 0.1, float("nan"), np.float64(0.25)])
def test_float_input_is_inexact(function, value):
    with pytest.raises(InexactValueError, match="float"):
        function(value)
    with pytest.raises(TypeError):
        function(value)


@pytest.mark.parametrize("function", [parse_expression, parse_number])
@pytest.mark.parametrize("value", [1, None, b"1", Fraction(1, 2), Decimal("0.5"), ["1"], True])
def test_non_str_input_is_refused(function, value):
    with pytest.raises(ExpressionError, match=r"^here: expected text"):
        function(value, where="here")


# -- messages -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "column", "what"),
    [
        ("1+2)", 4, "unexpected ')'"),
        ("1 + 2 )", 7, "unexpected ')'"),
        ("(1+2", 5, "unexpected end of expression"),
        ("1 + ", 5, "unexpected end of expression"),
        ("x % 2", 3, "unexpected character '%'"),
        ("2 x", 3, "unexpected 'x'"),
        ("1 ++ * 2", 6, "unexpected '*'"),
        ("3.5e", 1, "malformed number '3.5e'"),
        ("x ^ q", 5, "exponent must be an integer literal"),
        ("1 + x\u00b2", 6, "U+00B2"),
    ],
)
def test_messages_give_place_column_and_text(text, column, what):
    with pytest.raises(GameError) as info:
        parse_expression(text, PARAMS, where="game.json: rewards[0].values[1]")
    message = str(info.value)
    assert message.startswith("game.json: rewards[0].values[1]: ")
    assert f"at column {column} in {text!r}" in message
    assert what in message


def test_long_text_is_quoted_around_the_error():
    text = "1+" * 200 + "%" + "+1" * 200
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    message = str(info.value)
    assert "at column 401" in message and "%" in message
    assert len(message) < 120
    assert "...'" in message and "'..." in message


# -- limits ---------------------------------------------------------------------


def _limit_error(text, name, value, params=PARAMS):
    with pytest.raises(LimitError) as info:
        parse_expression(text, params)
    assert name in str(info.value) and str(value) in str(info.value)
    assert isinstance(info.value, ValueError) and isinstance(info.value, GameError)


def test_max_length():
    under = "1" + "+1" * ((MAX_LENGTH - 1) // 2)
    assert len(under) == MAX_LENGTH - 1
    assert_rational(parse_expression(under + " "), (MAX_LENGTH + 1) // 2)
    _limit_error(under + "  ", "MAX_LENGTH", MAX_LENGTH)
    with pytest.raises(LimitError, match="MAX_LENGTH"):
        parse_number("1" * (MAX_LENGTH + 1))


def test_length_is_checked_before_tokenizing(monkeypatch):
    def boom(*args):
        raise AssertionError("tokenized")

    monkeypatch.setattr(expressions, "tokenize", boom)
    start = time.perf_counter()
    with pytest.raises(LimitError):
        parse_expression("(" * 10**7)
    with pytest.raises(LimitError):
        parse_number("9" * 10**7)
    assert time.perf_counter() - start < 1


@pytest.mark.parametrize(
    "make",
    [
        lambda n: "(" * n + "x" + ")" * n,
        lambda n: "-" * n + "x",
        lambda n: "x" + "^1" * n,
        lambda n: "x^" + "(" * (n - 1) + "1" + ")" * (n - 1),
        lambda n: "-(" * (n // 2) + ("x" if n % 2 == 0 else "x^1") + ")" * (n // 2),
    ],
)
def test_max_nesting(make):
    assert parse_expression(make(MAX_NESTING), PARAMS).free_symbols == {X}
    _limit_error(make(MAX_NESTING + 1), "MAX_NESTING", MAX_NESTING)


def test_long_flat_expressions_are_not_nesting():
    text = "x" + "*x" * 300 + "+1" * 100
    assert parse_expression(text, PARAMS) == X**301 + 100


@pytest.mark.parametrize("sign", ["", "-"])
def test_max_exponent(sign):
    assert parse_expression(f"x^{sign}{MAX_EXPONENT}", PARAMS) == X ** int(f"{sign}{MAX_EXPONENT}")
    exponent = int(f"{sign}{MAX_EXPONENT}")
    assert_rational(parse_expression(f"2^({sign}{MAX_EXPONENT})"), Fraction(2) ** exponent)
    _limit_error(f"x^{sign}{MAX_EXPONENT + 1}", "MAX_EXPONENT", MAX_EXPONENT)
    _limit_error(f"x^({sign}{10**99})", "MAX_EXPONENT", MAX_EXPONENT)


def test_exponent_powers_are_bounded():
    assert parse_expression("x^2^2^2", PARAMS) == X**16
    _limit_error("x^2^2^2^2", "MAX_EXPONENT", MAX_EXPONENT)  # 2^16 as an exponent
    _limit_error("x^(20^0)", "MAX_EXPONENT", MAX_EXPONENT)


def test_max_digits():
    assert_rational(parse_number("9" * MAX_DIGITS), 10**MAX_DIGITS - 1)
    tiny = Fraction(1, 10 ** (MAX_DIGITS - 1))
    assert_rational(parse_number("1." + "0" * (MAX_DIGITS - 2) + "1"), 1 + tiny)
    fives = "5" * MAX_DIGITS
    assert_rational(parse_number("." + fives), Fraction(int(fives), 10**MAX_DIGITS))
    for text in [
        "9" * (MAX_DIGITS + 1),
        "1." + "0" * MAX_DIGITS,
        "0" * (MAX_DIGITS + 1),
        "1+" + "9" * (MAX_DIGITS + 1),
    ]:
        _limit_error(text, "MAX_DIGITS", MAX_DIGITS)
        with pytest.raises(LimitError):
            parse_number(text)


def test_max_decimal_exponent():
    e = MAX_DECIMAL_EXPONENT
    assert_rational(parse_number(f"1e{e}"), 10**e)
    assert_rational(parse_number(f"1e-{e}"), Fraction(1, 10**e))
    assert_rational(parse_number(f"1e+000{e}"), 10**e)
    for text in [f"1e{e + 1}", f"1e-{e + 1}", "1e" + "9" * 50, "2.5E+00000000000101"]:
        _limit_error(text, "MAX_DECIMAL_EXPONENT", e)


@pytest.mark.parametrize(
    "literal",
    [
        "9" * MAX_DIGITS + f"e{MAX_DECIMAL_EXPONENT}",
        "." + "9" * MAX_DIGITS + f"e-{MAX_DECIMAL_EXPONENT}",
    ],
)
@pytest.mark.parametrize("sign", ["", "-"])
def test_largest_literal_to_largest_exponent_passes(literal, sign):
    value = parse_number(literal)
    assert_rational(
        parse_expression(f"({literal})^{sign}{MAX_EXPONENT}"),
        Fraction(int(value.p), int(value.q)) ** int(f"{sign}{MAX_EXPONENT}"),
    )


def test_max_result_digits_stops_nested_powers_early():
    assert parse_expression("(x^16)^16", PARAMS) == X**256
    assert_rational(parse_expression("((2^16)^16)^16"), 2**4096)
    start = time.perf_counter()
    _limit_error("(((2^16)^16)^16)^16", "MAX_RESULT_DIGITS", MAX_RESULT_DIGITS)
    _limit_error("((x^16)^16)^16", "MAX_RESULT_DIGITS", MAX_RESULT_DIGITS)
    _limit_error(
        "((((((((9e99)^16)^16)^16)^16)^16)^16)^16)^16", "MAX_RESULT_DIGITS", MAX_RESULT_DIGITS
    )
    _limit_error(
        "((((((((2*x)^16)^16)^16)^16)^16)^16)^16)^16", "MAX_RESULT_DIGITS", MAX_RESULT_DIGITS
    )
    assert time.perf_counter() - start < 1


def test_max_result_digits_checks_products():
    count = MAX_RESULT_DIGITS // 100  # each factor 9e99 has 100 digits
    assert_rational(parse_expression("*".join(["9e99"] * count)), (9 * 10**99) ** count)
    _limit_error("*".join(["9e99"] * (count + 1)), "MAX_RESULT_DIGITS", MAX_RESULT_DIGITS)
    # each power is small; their product (x+1)**4096 is not
    _limit_error("*".join(["((x+1)^16)^16"] * 16), "MAX_RESULT_DIGITS", MAX_RESULT_DIGITS)
    assert parse_expression("*".join(["((x+1)^16)^16"] * 15), PARAMS) == (X + 1) ** 3840


def test_worst_case_input_is_fast():
    texts = [
        "*".join(["9" * 90 + "e99"] * 10)[:MAX_LENGTH],
        "(" + "(9e99)^16*" * 90 + "1)",
        "x" + "*x" * 499,
        "(x+1)^16*" * 110 + "1",
    ]
    start = time.perf_counter()
    for text in texts:
        with contextlib.suppress(LimitError, ExpressionError):
            parse_expression(text[:MAX_LENGTH], PARAMS)
    assert time.perf_counter() - start < 5


# -- properties -------------------------------------------------------------------

# A tree is ("num", text, Fraction) | ("neg", tree) | ("bin", op, tree, tree) | ("pow", tree, int)
# | ("x",) for the symbol.
_integers = st.integers(0, 60).map(lambda n: ("num", str(n), Fraction(n)))
_decimals = st.decimals(
    min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False
).map(lambda d: ("num", format(d, "f"), Fraction(d)))
_leaves = st.one_of(_integers, _decimals)


def _extend(children, operators="+-*/"):
    return st.one_of(
        st.tuples(st.just("bin"), st.sampled_from(operators), children, children),
        st.tuples(st.just("neg"), children),
        st.tuples(st.just("pow"), children, st.integers(-3 if "/" in operators else 0, 3)),
    )


rational_trees = st.recursive(_leaves, _extend, max_leaves=10)
polynomial_trees = st.recursive(
    st.one_of(_leaves, st.just(("x",))), lambda c: _extend(c, "+-*"), max_leaves=10
)


def evaluate(tree, x=None) -> Fraction:
    kind = tree[0]
    if kind == "num":
        return tree[2]
    if kind == "x":
        return x
    if kind == "neg":
        return -evaluate(tree[1], x)
    if kind == "pow":
        return evaluate(tree[1], x) ** tree[2]  # 0 ** negative raises ZeroDivisionError
    a, b = evaluate(tree[2], x), evaluate(tree[3], x)
    return {"+": a + b, "-": a - b, "*": a * b}[tree[1]] if tree[1] != "/" else a / b


def render_full(tree, space=" ") -> str:
    """Every operation in parentheses."""
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "x":
        return "x"
    if kind == "neg":
        return f"(-{render_full(tree[1], space)})"
    if kind == "pow":
        return f"({render_full(tree[1], space)}{space}^{space}({tree[2]}))"
    return f"({render_full(tree[2], space)}{space}{tree[1]}{space}{render_full(tree[3], space)})"


def render_min(tree) -> tuple[str, int]:
    """Fewest parentheses under the grammar's precedence: returns (text, precedence)."""
    kind = tree[0]
    if kind in ("num", "x"):
        return (tree[1] if kind == "num" else "x"), 5

    def wrap(sub, at_least):
        text, prec = render_min(sub)
        return text if prec >= at_least else f"({text})"

    if kind == "neg":
        return "-" + wrap(tree[1], 3), 3
    if kind == "pow":
        return f"{wrap(tree[1], 5)}^{tree[2]}", 4  # "x^-2" is allowed
    op = tree[1]
    if op in "+-":
        return f"{wrap(tree[2], 1)}{op}{wrap(tree[3], 2)}", 1
    return f"{wrap(tree[2], 2)}{op}{wrap(tree[3], 3)}", 2


@given(rational_trees)
def test_rational_trees_match_fractions(tree):
    texts = [render_full(tree), render_full(tree, ""), render_min(tree)[0]]
    try:
        expected = evaluate(tree)
    except ZeroDivisionError:
        for text in texts:
            with pytest.raises(ExpressionError, match="division by zero"):
                parse_expression(text)
        return
    for text in texts:
        assert_rational(parse_expression(text), expected)


@given(polynomial_trees, st.fractions(min_value=-5, max_value=5, max_denominator=7))
def test_polynomial_trees_match_fractions(tree, x):
    result = parse_expression(render_min(tree)[0], {"x": X})
    value = result.subs(X, sympy.Rational(x.numerator, x.denominator))
    assert_rational(value, evaluate(tree, x))


@given(st.fractions(max_denominator=10**30).filter(lambda f: abs(f.numerator) < 10**60))
def test_fraction_strings_round_trip(fraction):
    assert_rational(parse_number(str(fraction)), fraction)
    assert_rational(parse_expression(str(fraction)), fraction)


@given(st.integers(-(10**40), 10**40), st.integers(-45, 45))
def test_decimal_strings_round_trip(mantissa, exponent):
    number = Decimal(f"{mantissa}E{exponent}")  # exact: no context rounding from a string
    for text in {str(number), format(number, "f"), format(number, "e"), format(number, "E")}:
        assert_rational(parse_number(text), Fraction(number))
