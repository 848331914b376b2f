"""Dense arrays of exact values, in one of two domains.

A :class:`ExactArray` is either *rational* -- integer numerators over one
common denominator, in a numpy ``int64`` array when every numerator fits and
in an ``object`` array of Python ints otherwise -- or *symbolic*, an ``object``
array of sympy expressions.  Values are converted once, at construction; the
arrays are read-only.  This is the representation that lets POWER run as an
integer tensor contraction instead of a loop over Python rationals.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import sympy

__all__ = ["ExactArray", "INT64_BOUND", "fits_int64", "integer_array"]

#: Integers strictly below this in absolute value are stored as int64.
INT64_BOUND = 2**62


def fits_int64(bound: int) -> bool:
    """Whether integers of absolute value at most ``bound`` fit in int64."""
    return bound < 2**63


def integer_array(values) -> np.ndarray:
    """Python ints as a read-only int64 array if they fit, else an object array."""
    arr = np.asarray(values, dtype=object)
    flat = arr.ravel().tolist()
    top = max((abs(v) for v in flat), default=0)
    out = arr.astype(np.int64) if top < INT64_BOUND else arr
    out.flags.writeable = False
    return out


@dataclass(frozen=True, eq=False)
class ExactArray:
    """Exact values on a grid: ``numerators / denominator``, or sympy expressions."""

    numerators: np.ndarray | None
    denominator: int
    exprs: np.ndarray | None

    @property
    def symbolic(self) -> bool:
        return self.exprs is not None

    @property
    def shape(self) -> tuple:
        return (self.exprs if self.symbolic else self.numerators).shape

    @classmethod
    def from_integers(cls, numerators, denominator: int = 1) -> ExactArray:
        """From integer numerators (any integer array) and a positive denominator."""
        arr = np.asarray(numerators)
        if arr.dtype == object:
            arr = integer_array([int(v) for v in arr.ravel().tolist()]).reshape(arr.shape)
        else:
            arr = arr.astype(np.int64)
            arr.flags.writeable = False
        return cls(arr, int(denominator), None)

    @classmethod
    def from_values(cls, values: np.ndarray) -> ExactArray:
        """From an object array of sympy values; rational if every value is."""
        flat = values.ravel().tolist()
        if all(isinstance(v, sympy.Rational) for v in flat):
            den = math.lcm(*(int(v.q) for v in flat)) if flat else 1
            nums = [int(v.p) * (den // int(v.q)) for v in flat]
            return cls(integer_array(nums).reshape(values.shape), den, None)
        exprs = np.empty(values.shape, dtype=object)
        exprs.ravel()[:] = [v if isinstance(v, sympy.Basic) else sympy.Integer(v) for v in flat]
        exprs.flags.writeable = False
        return cls(None, 1, exprs)

    def value(self, index) -> sympy.Expr:
        """The exact value at a full index."""
        if self.symbolic:
            return self.exprs[index]
        return sympy.Rational(int(self.numerators[index]), self.denominator)

    def to_exprs(self) -> np.ndarray:
        """An object array of sympy values."""
        if self.symbolic:
            return self.exprs
        out = np.empty(self.shape, dtype=object)
        d = self.denominator
        out.ravel()[:] = [sympy.Rational(int(v), d) for v in self.numerators.ravel().tolist()]
        return out

    def max_abs_numerator(self) -> int:
        if self.numerators.size == 0:
            return 0
        return int(np.abs(self.numerators).max())
