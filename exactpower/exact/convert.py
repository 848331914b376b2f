"""Converters between the three exact rational types exactpower meets.

sympy ``Rational`` is exactpower's value type; ``fractions.Fraction`` is what the
readers build while scanning text; python-flint's ``fmpq`` is what the exact simplex
(:mod:`exactpower.linalg`) computes with.  Each converter takes any of them (and
Python or numpy ints), refuses everything else -- floats above all -- with
:class:`~exactpower.errors.InexactValueError`, and is exact.

>>> from fractions import Fraction
>>> import flint
>>> to_rational(Fraction(2, 4)), to_fmpq(sympy.Rational(-1, 3)), to_fraction(flint.fmpq(3, 6))
(1/2, -1/3, Fraction(1, 2))
>>> to_rational(0.5)
Traceback (most recent call last):
...
exactpower.errors.InexactValueError: 0.5 of type float is not an exact rational number
"""

from __future__ import annotations

import numbers
from fractions import Fraction

import flint
import sympy

from ..errors import InexactValueError

__all__ = ["to_rational", "to_fmpq", "to_fraction"]


def _parts(value: object) -> tuple[int, int]:
    """``(numerator, denominator)`` of an exact rational, as Python ints."""
    if isinstance(value, sympy.Rational):
        return int(value.p), int(value.q)
    if isinstance(value, flint.fmpq):
        return int(value.p), int(value.q)
    if isinstance(value, Fraction):
        return value.numerator, value.denominator
    if isinstance(value, (numbers.Integral, flint.fmpz)) and not isinstance(value, bool):
        return int(value), 1
    raise InexactValueError(
        f"{value!r} of type {type(value).__name__} is not an exact rational number"
    )


def to_rational(value: object) -> sympy.Rational:
    """An exact rational (sympy, Fraction, fmpq/fmpz, int) as a sympy ``Rational``.

    >>> type(to_rational(3)).__name__
    'Integer'
    """
    if isinstance(value, sympy.Rational):
        return value
    return sympy.Rational(*_parts(value))


def to_fmpq(value: object) -> flint.fmpq:
    """An exact rational (sympy, Fraction, fmpq/fmpz, int) as a flint ``fmpq``.

    >>> import numpy as np
    >>> to_fmpq(np.int64(5)), to_fmpq(sympy.Rational(-2, 4))
    (5, -1/2)
    """
    if isinstance(value, flint.fmpq):
        return value
    return flint.fmpq(*_parts(value))


def to_fraction(value: object) -> Fraction:
    """An exact rational (sympy, Fraction, fmpq/fmpz, int) as a ``fractions.Fraction``.

    >>> to_fraction(sympy.Integer(-7))
    Fraction(-7, 1)
    """
    if isinstance(value, Fraction):
        return value
    return Fraction(*_parts(value))
