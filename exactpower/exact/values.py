"""Exact values: the one place where numbers enter exactpower.

Every number a user hands to exactpower -- in Python or in a file -- goes
through :func:`as_exact`, which returns a sympy object: a ``Rational`` (an
``Integer`` included) or an expression in declared :class:`Parameter` symbols.
Floats are refused there, so none exist past it.  The decisions on such values
(:func:`~exactpower.exact.same`, :func:`~exactpower.exact.provably_nonnegative`,
...) are in :mod:`exactpower.exact.decide`.
"""

from __future__ import annotations

import decimal
import fractions
import numbers
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import sympy

from ..errors import InexactValueError, ParameterError
from .convert import to_rational
from .expressions import parse_expression

__all__ = [
    "DOMAINS",
    "Parameter",
    "as_exact",
    "as_rational",
    "probability_symbols",
    "PARAMETER_NAME",
    "RESERVED_NAMES",
]

#: Parameter domains and the sympy assumptions that encode them.  The upper
#: bound of ``probability`` is known to exactpower, not to sympy.
DOMAINS = {
    "real": {"real": True},
    "positive": {"positive": True},
    "nonnegative": {"nonnegative": True},
    "probability": {"nonnegative": True},
}

#: The grammar of parameter names: an ASCII letter, then letters and digits, optionally
#: followed by ``_`` and a subscript of letters and digits (``q``, ``x2``, ``lambda``,
#: ``p_high``, ``alpha_1``).  ``proofs.latex`` renders every such name injectively.
PARAMETER_NAME = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)?")

#: Names of the notation in printed values and conditions, refused as parameter names.
RESERVED_NAMES = frozenset({"Max", "Min", "Eq", "Ne", "True", "False"})


@dataclass(frozen=True)
class Parameter:
    """A named symbol in a symbolic game, with its domain.

    The name follows :data:`PARAMETER_NAME` (a letter, letters and digits, optionally
    ``_`` and a subscript) and is not in :data:`RESERVED_NAMES`.

    Examples
    --------
    >>> q = Parameter("q", "probability")
    >>> q.symbol, q.symbol.is_nonnegative
    (q, True)
    """

    name: str
    domain: str = "real"

    def __post_init__(self) -> None:
        if not isinstance(self.name, str) or not PARAMETER_NAME.fullmatch(self.name):
            raise ParameterError(
                f"parameter name {self.name!r} is not a letter followed by letters and "
                f"digits, optionally with one '_' and a subscript (e.g. q, x2, p_high)"
            )
        if self.name in RESERVED_NAMES:
            raise ParameterError(
                f"parameter name {self.name!r} is reserved (reserved: "
                f"{', '.join(sorted(RESERVED_NAMES))})"
            )
        if self.domain not in DOMAINS:
            raise ParameterError(
                f"parameter {self.name!r}: unknown domain {self.domain!r} "
                f"(expected one of {', '.join(DOMAINS)})"
            )

    @property
    def symbol(self) -> sympy.Symbol:
        """The sympy symbol, with the assumptions of the domain."""
        return sympy.Symbol(self.name, **DOMAINS[self.domain])


def probability_symbols(parameters: Iterable[Parameter]) -> frozenset[sympy.Symbol]:
    """The symbols of the parameters whose domain is ``probability``."""
    return frozenset(p.symbol for p in parameters if p.domain == "probability")


def _by_name(
    parameters: Iterable[Parameter] | Mapping[str, sympy.Symbol] | None,
) -> dict[str, sympy.Symbol]:
    if parameters is None:
        return {}
    if isinstance(parameters, Mapping):
        return dict(parameters)
    return {p.name: p.symbol for p in parameters}


def as_exact(
    value: object,
    parameters: Iterable[Parameter] | Mapping[str, sympy.Symbol] | None = None,
    *,
    where: str = "value",
) -> sympy.Expr:
    """Convert a value to an exact sympy object, refusing anything inexact.

    Parameters
    ----------
    value : int, Fraction, Decimal, str, sympy.Expr
        ``int`` (not ``bool``), ``fractions.Fraction``, a finite ``Decimal``
        (taken exactly), text in exactpower's expression grammar, or a sympy
        expression whose free symbols are declared parameters (matched by
        name and replaced by the declared symbol).
    parameters : iterable of Parameter, or mapping name -> Symbol, optional
        The declared parameters.
    where : str
        Names the place of the value in error messages.

    Returns
    -------
    sympy.Expr
        A ``sympy.Rational`` for a number, else an expression.

    Raises
    ------
    InexactValueError
        For a float (Python, numpy or sympy) or an unsupported type.
    ParameterError
        For a symbol that is not a declared parameter.

    Examples
    --------
    >>> as_exact("0.1")
    1/10
    >>> as_exact(3), type(as_exact(3)).__name__
    (3, 'Integer')
    >>> as_exact("1 - q", [Parameter("q", "probability")])
    1 - q
    >>> as_exact(0.5)
    Traceback (most recent call last):
    ...
    exactpower.errors.InexactValueError: value: 0.5 is a float; exactpower takes exact values only (write "1/2" or Fraction(1, 2))
    """
    symbols = _by_name(parameters)
    if isinstance(value, bool):
        raise InexactValueError(f"{where}: {value!r} is a bool, not a number")
    if isinstance(value, (float, complex)) or _is_numpy_float(value):
        raise InexactValueError(
            f"{where}: {value!r} is a float; exactpower takes exact values only "
            f'(write "1/2" or Fraction(1, 2))'
        )
    if isinstance(value, numbers.Integral):
        return sympy.Integer(int(value))
    if isinstance(value, fractions.Fraction):
        return to_rational(value)
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise InexactValueError(f"{where}: {value!r} is not a finite number")
        return to_rational(fractions.Fraction(value))
    if isinstance(value, str):
        return parse_expression(value, symbols, where=where)
    if isinstance(value, sympy.Basic):
        return _checked_sympy(value, symbols, where)
    raise InexactValueError(
        f"{where}: {value!r} of type {type(value).__name__} is not an exact value "
        f"(use int, Fraction, Decimal, a string such as '3/4', or a sympy expression)"
    )


def _is_numpy_float(value: object) -> bool:
    kind = getattr(getattr(value, "dtype", None), "kind", None)
    return kind in ("f", "c")


def _checked_sympy(value: sympy.Basic, symbols: dict[str, sympy.Symbol], where: str) -> sympy.Expr:
    if not isinstance(value, sympy.Expr):
        raise InexactValueError(f"{where}: {value!r} is not a sympy expression")
    if value.has(sympy.Float):
        raise InexactValueError(f"{where}: {value} contains a sympy Float; use Rational")
    if any(not isinstance(a, (sympy.Rational, sympy.Symbol)) for a in value.atoms()):
        bad = [a for a in value.atoms() if not isinstance(a, (sympy.Rational, sympy.Symbol))]
        raise InexactValueError(f"{where}: {value} contains {bad[0]}, which is not exact rational")
    replace = {}
    for s in value.free_symbols:
        if s.name not in symbols:
            declared = ", ".join(sorted(symbols)) or "none"
            raise ParameterError(
                f"{where}: {s.name!r} is not a declared parameter (declared: {declared})"
            )
        replace[s] = symbols[s.name]
    result = value.xreplace(replace) if replace else value
    if result.has(sympy.zoo, sympy.nan, sympy.oo, -sympy.oo):
        raise InexactValueError(f"{where}: {value} is not finite")
    return result


def as_rational(value: object, *, where: str = "value") -> sympy.Rational:
    """:func:`as_exact` for a value that must be a plain number.

    >>> as_rational("-3/4")
    -3/4
    """
    result = as_exact(value, where=where)
    if not isinstance(result, sympy.Rational):
        raise ParameterError(f"{where}: {result} must be a number, not an expression")
    return result
