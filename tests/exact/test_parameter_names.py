"""Parameter names: a grammar checked where a Parameter is built, and an injective LaTeX
rendering (issue 8 item 10).

Before: ``Parameter`` took any identifier, ``sympy.latex`` printed both ``lamda`` and
``lambda`` as λ and ``x__2`` as x², and a parameter named ``_`` broke pdflatex.
"""

from __future__ import annotations

import re

import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

import proofs
from exactpower import BayesianGame, Parameter, StrategyProfile
from exactpower.errors import ParameterError
from exactpower.exact import PARAMETER_NAME, RESERVED_NAMES
from proofs.latex import GREEK_NAMES, latex_value, symbol_latex, to_latex

VALID = [
    "x",
    "q",
    "lam",
    "lambda",
    "lamda",
    "x2",
    "x_2",
    "xhat",
    "xbar",
    "p_high",
    "alpha_1",
    "Gamma",
    "Alpha",
    "omicron",
    "A1_b2",
    "x_alpha",
    "x_12",
    "varphi",
    "pi",
]
INVALID = [
    "",
    "_",
    "x__2",
    "x_",
    "_x",
    "__x",
    "2x",
    "x_1_2",
    "x y",
    "x-1",
    "é",
    "xé",
    "x.y",
    "x^2",
    "λ",
    " x",
    "x\n",
]


# -- the grammar -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", VALID)
def test_valid_names_are_accepted(name):
    p = Parameter(name, "real")
    assert p.name == name and isinstance(p.symbol, sympy.Symbol) and p.symbol.name == name


@pytest.mark.parametrize("name", INVALID)
def test_invalid_names_are_refused_naming_the_name(name):
    with pytest.raises(ParameterError) as info:
        Parameter(name, "real")
    message = str(info.value)
    assert repr(name) in message and "letter" in message and "\n" not in message


@pytest.mark.parametrize("name", sorted(RESERVED_NAMES))
def test_reserved_names_are_refused(name):
    with pytest.raises(ParameterError, match=re.escape(f"{name!r} is reserved")):
        Parameter(name)


def test_a_name_that_is_not_a_string_is_refused():
    with pytest.raises(ParameterError, match="is not a letter"):
        Parameter(3)  # type: ignore[arg-type]


def test_files_get_the_grammar_too(tmp_path):
    from exactpower.io import json_files as files

    doc = (
        '{"format": "exactpower/game-v1", "parameters": {"x__2": "real"}, '
        '"players": [{"name": "r", "actions": ["a"]}], '
        '"rewards": [{"actions": ["a"], "values": ["x__2"]}]}'
    )
    path = tmp_path / "g.json"
    path.write_text(doc, encoding="utf-8")
    with pytest.raises(ParameterError, match="'x__2'"):
        files.load_game(path)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab_1Zλ é-"), max_size=6))
def test_parameter_accepts_exactly_the_grammar(name):
    ok = PARAMETER_NAME.fullmatch(name) is not None and name not in RESERVED_NAMES
    if ok:
        assert Parameter(name).name == name
    else:
        with pytest.raises(ParameterError):
            Parameter(name)


# -- injective rendering -------------------------------------------------------------------------

_PART = re.compile(r"\\mathit\{([A-Za-z0-9]+)\}|\\([A-Za-z]+)|([A-Za-z]|[0-9]+)")
_GREEK_BACK = {v: k for k, v in GREEK_NAMES.items()}


def _read_part(text: str) -> tuple:
    """One rendered part read back to its name, and the rest of the text."""
    m = _PART.match(text)
    assert m is not None, text
    if m.group(1) is not None:
        assert m.group(1) not in GREEK_NAMES and len(m.group(1)) > 1 and not m.group(1).isdigit(), (
            text
        )
        return m.group(1), text[m.end() :]
    if m.group(2) is not None:
        return _GREEK_BACK["\\" + m.group(2)], text[m.end() :]
    return m.group(3), text[m.end() :]


def read_back(latex: str) -> str:
    """The inverse of :func:`symbol_latex`, written independently: a rendering that can be
    read back to its name is injective."""
    base, rest = _read_part(latex)
    if not rest:
        return base
    assert rest.startswith("_{") and rest.endswith("}"), latex
    sub, tail = _read_part(rest[2:-1])
    assert tail == "", latex
    return f"{base}_{sub}"


_GREEKISH = st.sampled_from(
    sorted(GREEK_NAMES) + ["lamda", "omicron", "Alpha", "alph", "x", "hat", "bar", "2", "12", "a1"]
)
names = st.one_of(
    st.from_regex(PARAMETER_NAME, fullmatch=True),
    st.builds(lambda b, s: f"{b}_{s}", _GREEKISH.filter(lambda n: not n[0].isdigit()), _GREEKISH),
    _GREEKISH.filter(lambda n: not n[0].isdigit()),
).filter(lambda n: n not in RESERVED_NAMES)


@settings(max_examples=500, deadline=None)
@given(names)
def test_every_name_reads_back_from_its_latex(name):
    rendered = symbol_latex(name)
    assert isinstance(rendered, str)
    assert read_back(rendered) == name


@settings(max_examples=500, deadline=None)
@given(names, names)
def test_distinct_names_render_differently(a, b):
    if a != b:
        assert symbol_latex(a) != symbol_latex(b)
        x, y = Parameter(a).symbol, Parameter(b).symbol
        assert latex_value(x) != latex_value(y)


def test_the_collisions_of_sympys_printer_are_gone():
    lam, lamda = Parameter("lambda").symbol, Parameter("lamda").symbol
    assert sympy.latex(lam) == sympy.latex(lamda)  # sympy's name mangling: both λ
    assert latex_value(lam) == r"\lambda" and latex_value(lamda) == r"\mathit{lamda}"
    x2, xhat = Parameter("x2").symbol, Parameter("xhat").symbol
    assert sympy.latex(x2) == "x_{2}" and sympy.latex(xhat) == r"\hat{x}"
    assert latex_value(x2) == r"\mathit{x2}" and latex_value(xhat) == r"\mathit{xhat}"
    assert latex_value(Parameter("x_2").symbol) == "x_{2}"


def test_values_render_with_the_mapping():
    lam, x2 = Parameter("lambda").symbol, Parameter("x2").symbol
    text = latex_value(lam**2 / 3 + sympy.Max(x2, 1))
    assert r"\lambda^{2}" in text and r"\mathit{x2}" in text and "x_{2}" not in text


# -- a document with tricky names --------------------------------------------------------------


def tricky_game() -> BayesianGame:
    params = [
        Parameter("lambda", "probability"),
        Parameter("lamda"),
        Parameter("x_2"),
        Parameter("x2"),
        Parameter("xhat"),
    ]
    rows = {("U", "L"): "lambda", ("U", "R"): "lamda", ("D", "L"): "x_2 + x2", ("D", "R"): "xhat"}
    from exactpower import Player

    return BayesianGame.from_function(
        [Player("row", ("-",), ("U", "D")), Player("col", ("-",), ("L", "R"))],
        lambda t, a: (rows[a], "-(" + rows[a] + ")"),
        parameters=params,
        title="names: lambda, lamda, x_2, x2, xhat",
    )


def test_a_document_with_tricky_names_shows_each_name_once_and_compiles(tmp_path):
    game = tricky_game()
    trace = proofs.power_scarcity(game, StrategyProfile.uniform(game))
    doc = to_latex(trace)
    params = doc.split("Parameters: ", 1)[1].split("\n", 1)[0]
    for shown in (
        r"$\lambda$",
        r"$\mathit{lamda}$",
        "$x_{2}$",
        r"$\mathit{x2}$",
        r"$\mathit{xhat}$",
    ):
        assert params.count(shown) == 1, (shown, params)
    assert r"\hat{x}" not in doc and "x^{2}" not in params
    from tex import compile_tex

    assert compile_tex(doc, tmp_path, overfull_ok=True).exists()
