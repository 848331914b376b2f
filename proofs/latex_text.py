"""How text, names and exact values are written in LaTeX, for :mod:`proofs.latex`.

Untrusted like every renderer: it only writes what the kernel has checked. Text is escaped
character by character (:func:`escape`); a parameter's name is rendered by
:func:`symbol_latex`, injective on the names the parameter grammar allows
(``exactpower.exact.PARAMETER_NAME``), never by sympy's own name mangling; an equality
condition is read back from its text without ``eval`` (:func:`parse_condition`).
"""

from __future__ import annotations

import unicodedata

import sympy

from exactpower.exact import PARAMETER_NAME, tidy

from .trace import parse_value

__all__ = [
    "escape",
    "symbol_latex",
    "latex_value",
    "math_value",
    "text_name",
    "name_tuple",
    "parse_condition",
    "GREEK_NAMES",
]

_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    '"': r"{\ttfamily\char34}",
    "`": r"\textasciigrave{}",
}
_ACCENTS = {
    "\u0300": "`",
    "\u0301": "'",
    "\u0302": "^",
    "\u0303": "~",
    "\u0304": "=",
    "\u0306": "u",
    "\u0307": ".",
    "\u0308": '"',
    "\u030a": "r",
    "\u030b": "H",
    "\u030c": "v",
    "\u0327": "c",
}
_LETTERS = {
    "ß": r"\ss{}",
    "æ": r"\ae{}",
    "Æ": r"\AE{}",
    "œ": r"\oe{}",
    "Œ": r"\OE{}",
    "ø": r"\o{}",
    "Ø": r"\O{}",
    "ł": r"\l{}",
    "Ł": r"\L{}",
    "ı": r"\i{}",
    "–": "--",
    "—": "---",
    "‘": "`",
    "’": "'",
    "“": "``",
    "”": "''",
    "…": r"\dots{}",
    "\u00a0": "~",
    "·": r"\textperiodcentered{}",
    "§": r"\S{}",
    "¶": r"\P{}",
    "©": r"\copyright{}",
    "£": r"\pounds{}",
    "†": r"\dag{}",
    "‡": r"\ddag{}",
}
_GREEK = (
    "alpha beta gamma delta epsilon zeta eta theta iota kappa lamda mu nu xi omicron pi "
    "rho sigma tau upsilon phi chi psi omega"
).split()
#: Greek letters (by their Unicode names) in math mode.
_GREEK_SMALL = {g: "o" if g == "omicron" else "\\" + g.replace("lamda", "lambda") for g in _GREEK}
_GREEK_CAPITAL = {
    g: "\\" + g.replace("lamda", "lambda").capitalize()
    for g in "gamma delta theta lamda xi pi sigma upsilon phi psi omega".split()
}
_GREEK_CAPITAL.update(
    {
        g: "\\mathrm{" + latin + "}"
        for g, latin in zip(
            "alpha beta epsilon zeta eta iota kappa mu nu omicron rho tau chi".split(),
            "ABEZHIKMNOPTX",
        )
    }
)


def _char(ch: str) -> str:
    if ch in _SPECIAL:
        return _SPECIAL[ch]
    if " " <= ch <= "~":
        return ch
    if ch in "\t\n\r\f\v":
        return " "
    if ch in _LETTERS:
        return _LETTERS[ch]
    name = unicodedata.name(ch, "")
    if name.startswith("GREEK SMALL LETTER ") and name[19:].lower() in _GREEK_SMALL:
        return "\\ensuremath{" + _GREEK_SMALL[name[19:].lower()] + "}"
    if name.startswith("GREEK CAPITAL LETTER ") and name[21:].lower() in _GREEK_CAPITAL:
        return "\\ensuremath{" + _GREEK_CAPITAL[name[21:].lower()] + "}"
    decomposed = unicodedata.normalize("NFD", ch)
    base, marks = decomposed[0], decomposed[1:]
    if marks and " " <= base <= "~" and all(m in _ACCENTS for m in marks):
        out = _char(base) if base not in "ij" else "\\" + base  # dotless i / j under accents
        for m in marks:
            out = "\\" + _ACCENTS[m] + "{" + out + "}"
        return out
    return rf"\texttt{{[U+{ord(ch):04X}]}}"


def escape(text: str) -> str:
    r"""``text`` as LaTeX text-mode source that prints it literally.

    The ten special characters ``\ { } $ & # ^ _ % ~`` and the characters
    that misprint in LaTeX's default OT1 font encoding (``<``, ``>``, ``|``,
    ``"``, the backquote, and the ligatures ``--`` and ``''``) are written as
    commands; accented Latin letters with LaTeX accents; Greek letters in math
    mode; tabs and newlines as a space; any other character outside printable
    ASCII as its code point ``[U+XXXX]`` (in typewriter type).  The result is
    safe in text mode and inside ``\text{...}``, and pdflatex prints it
    without errors.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> print(escape("a_b&c%#$"))
    a\_b\&c\%\#\$
    >>> print(escape("\\{x}^~"))
    \textbackslash{}\{x\}\textasciicircum{}\textasciitilde{}
    >>> print(escape("café σ"))
    caf\'{e} \ensuremath{\sigma}
    """
    text = str(text)
    out = []
    for k, ch in enumerate(text):
        out.append(_char(ch))
        if ch in "-'" and text[k + 1 : k + 2] == ch:  # no ligature: -- is not a dash
            out.append("{}")
    return "".join(out)


# -- parameter names ---------------------------------------------------------------------

#: Parameter names spelled as a Greek letter (canonical spelling only) and their LaTeX.
GREEK_NAMES = {
    g: "\\" + g
    for g in (
        "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma "
        "tau upsilon phi chi psi omega varepsilon vartheta varpi varrho varsigma varphi "
        "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"
    ).split()
}


def _name_part(part: str) -> str:
    if part in GREEK_NAMES:
        return GREEK_NAMES[part]
    if len(part) == 1 or part.isdigit():
        return part
    return r"\mathit{" + part + "}"


def symbol_latex(name: str) -> str:
    r"""The LaTeX (math mode) of a parameter name, injective on the names' grammar.

    A name of :data:`exactpower.values.PARAMETER_NAME` is a base, optionally ``_`` and a
    subscript.  Each part renders as: a Greek letter's name in its canonical spelling
    (:data:`GREEK_NAMES`) as that letter; one letter, or digits, as themselves; any other
    part as ``\mathit{part}``; the subscript in ``_{...}``.  So the source can be read back
    to the name, and two names never render alike (``lamda``, sympy's spelling, stays
    ``\mathit{lamda}``; sympy's own name mangling -- ``xhat`` as an accent, ``x2`` as a
    subscript -- is never used).  Any other name (not a parameter's) renders in
    typewriter type, escaped.

    >>> print(*(symbol_latex(n) for n in ("q", "lambda", "lamda", "x2", "x_2", "xhat", "p_high")))
    q \lambda \mathit{lamda} \mathit{x2} x_{2} \mathit{xhat} p_{\mathit{high}}
    """
    if not PARAMETER_NAME.fullmatch(name):
        return r"\texttt{" + escape(name) + "}"
    base, _, sub = name.partition("_")
    return _name_part(base) + ("_{" + _name_part(sub) + "}" if sub else "")


def latex_value(value) -> str:
    """``sympy.latex`` of a value (or condition) with every symbol through
    :func:`symbol_latex`."""
    names = {s: symbol_latex(s.name) for s in getattr(value, "free_symbols", ())}
    return sympy.latex(value, symbol_names=names)


# -- small pieces ------------------------------------------------------------------------


def math_value(value) -> str:
    """An exact value in math mode (without the dollars); a symbolic one in the canonical
    form of :func:`exactpower.values.tidy`, so that a trace read back from JSON renders the
    same."""
    if isinstance(value, sympy.Expr) and not isinstance(value, sympy.Rational):
        value = tidy(value)
    return latex_value(value)


def text_name(name: str) -> str:
    """A name inside math mode (upright, in the surrounding text's size, never bold)."""
    return r"\textnormal{" + escape(name) + "}"


def name_tuple(names) -> str:
    return "(" + ", ".join(escape(n) for n in names) + ")"


# -- the condition's text, read back without eval -------------------------------------------

_RELATIONALS = (("Eq(", sympy.Eq), ("Ne(", sympy.Ne))
_INFIX = ((">=", sympy.Ge), ("<=", sympy.Le), (">", sympy.Gt), ("<", sympy.Lt))


def _top_split(text: str, sep: str) -> list:
    out, depth, last = [], 0, 0
    for j, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and text.startswith(sep, j):
            out.append(text[last:j])
            last = j + len(sep)
    out.append(text[last:])
    return out


def _wrapped(text: str) -> bool:
    if not (text.startswith("(") and text.endswith(")")):
        return False
    depth = 0
    for j, ch in enumerate(text):
        depth += {"(": 1, ")": -1}.get(ch, 0)
        if depth == 0 and j < len(text) - 1:
            return False
    return True


def parse_condition(text: str, parameters):
    """A Boolean condition's ``str`` read back: ``| & ~``, ``Eq/Ne``, ``>= <= > <``.

    The arithmetic is read by :func:`proofs.trace.parse_value` (exactpower's
    grammar); nothing is evaluated.
    """
    text = text.strip()
    parts = _top_split(text, " | ")
    if len(parts) > 1:
        return sympy.Or(*(parse_condition(p, parameters) for p in parts))
    parts = _top_split(text, " & ")
    if len(parts) > 1:
        return sympy.And(*(parse_condition(p, parameters) for p in parts))
    if text.startswith("~"):
        return sympy.Not(parse_condition(text[1:], parameters))
    if text in ("True", "False"):
        return sympy.true if text == "True" else sympy.false
    if _wrapped(text):
        return parse_condition(text[1:-1], parameters)
    for head, rel in _RELATIONALS:
        if text.startswith(head) and _wrapped(text[len(head) - 1 :]):
            args = _top_split(text[len(head) : -1], ", ")
            if len(args) != 2:
                raise ValueError(f"{head[:-1]} needs two arguments")
            return rel(
                *(parse_value(a, parameters, where="condition") for a in args), evaluate=False
            )
    for op, rel in _INFIX:
        sides = _top_split(text, f" {op} ")
        if len(sides) == 2:
            return rel(
                *(parse_value(a, parameters, where="condition") for a in sides), evaluate=False
            )
    raise ValueError(f"cannot read the condition {text!r}")
