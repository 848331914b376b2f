"""The number layer: exact values, their grammar, their decisions and exact arrays.

Everything exactpower computes with is exact, and this package is where exactness is
made and kept:

- :mod:`~exactpower.exact.values`: :func:`as_exact`, the only way in (floats refused),
  and :class:`Parameter`, a declared symbol with its domain;
- :mod:`~exactpower.exact.expressions`: the grammar of values written as text
  (:func:`parse_expression`, :func:`parse_number`), parsed without evaluating code;
- :mod:`~exactpower.exact.decide`: :func:`same`, :func:`exact_sum`, :func:`exact_max`,
  :func:`provably_nonnegative`, :func:`provably_nonzero`, :func:`denominator_factors`,
  :func:`tidy`;
- :mod:`~exactpower.exact.arrays`: :class:`ExactArray`, canonical at construction and
  equal by value;
- :mod:`~exactpower.exact.convert`: converters between sympy, ``Fraction`` and flint.

It imports nothing from the rest of exactpower but :mod:`exactpower.errors` and
:mod:`exactpower.limits` (``tests/test_layers.py`` keeps it so).

>>> from exactpower.exact import as_exact, same
>>> same(as_exact("0.5"), as_exact("1/2"))
True
"""

from .arrays import (
    INT64_BOUND,
    INT64_MAX,
    ExactArray,
    common_denominator,
    fits_int64,
    integer_array,
)
from .convert import to_fmpq, to_fraction, to_rational
from .decide import (
    denominator_factors,
    exact_max,
    exact_sum,
    provably_nonnegative,
    provably_nonzero,
    same,
    tidy,
)
from .expressions import parse_expression, parse_number
from .values import (
    DOMAINS,
    PARAMETER_NAME,
    RESERVED_NAMES,
    Parameter,
    as_exact,
    as_rational,
    probability_symbols,
)

__all__ = [
    "as_exact",
    "as_rational",
    "Parameter",
    "DOMAINS",
    "PARAMETER_NAME",
    "RESERVED_NAMES",
    "probability_symbols",
    "parse_expression",
    "parse_number",
    "same",
    "exact_sum",
    "exact_max",
    "provably_nonnegative",
    "provably_nonzero",
    "denominator_factors",
    "tidy",
    "ExactArray",
    "common_denominator",
    "integer_array",
    "fits_int64",
    "INT64_BOUND",
    "INT64_MAX",
    "to_rational",
    "to_fmpq",
    "to_fraction",
]
