"""Dense arrays of exact values: canonical at construction, equal by value.

An :class:`ExactArray` holds exact values on a grid in one of two domains:

- *rational*: integer numerators over one common denominator, reduced (the
  denominator is positive and the least one: the gcd of it and every numerator
  is 1), the numerators in a read-only numpy ``int64`` array when every one is
  below :data:`INT64_BOUND` in absolute value and in an ``object`` array of
  Python ints otherwise;
- *symbolic*: a read-only ``object`` array of sympy expressions, at least one
  of them not a ``Rational`` (an array of numbers only is always rational).

So, as with :class:`fractions.Fraction`, one value has one representation,
and arrays compare by value: two arrays are equal when they have the same
shape and the same values.  Symbolic values are compared as sympy compares
them (``==``, structurally: ``x*(x + 1)`` and ``x**2 + x`` differ), so a
rational array never equals a symbolic one.  Arrays are hashable, with a hash
consistent with ``==``, and immutable.

Building the common denominator of many fractions can be expensive: the lcm
of ``k`` unrelated ``d``-digit denominators has about ``k·d`` digits, and
scaling every numerator to it costs memory quadratic in the input.  So
:meth:`ExactArray.from_values` accumulates the lcm and stops with a
:class:`~exactpower.errors.LimitError` as soon as it passes the documented
limits (:data:`~exactpower.limits.MAX_DENOMINATOR_DIGITS`,
:data:`~exactpower.limits.MAX_SCALED_DIGITS`: cells times the digits of the common
denominator, about 80 MB of digits), before any numerator is scaled.

This is the representation that lets POWER run as an integer tensor
contraction instead of a loop over Python rationals.

>>> a = ExactArray.from_integers([[2, 4], [6, 0]], 8)
>>> a.numerators.tolist(), a.denominator
([[1, 2], [3, 0]], 4)
>>> a == ExactArray.from_values(np.array([[sympy.Rational(1, 4), sympy.Rational(1, 2)],
...                                       [sympy.Rational(3, 4), sympy.Integer(0)]]))
True
"""

from __future__ import annotations

import functools
import math
import operator
from collections.abc import Iterable
from typing import Any

import numpy as np
import sympy

from ..errors import GameStructureError, InexactValueError, LimitError
from ..limits import MAX_DENOMINATOR_DIGITS, MAX_SCALED_DIGITS

__all__ = [
    "INT64_BOUND",
    "INT64_MAX",
    "MAX_DENOMINATOR_DIGITS",
    "MAX_SCALED_DIGITS",
    "ExactArray",
    "common_denominator",
    "fits_int64",
    "integer_array",
]

#: Storage bound: an integer is *stored* as int64 when its absolute value is
#: below ``2**62``.  The bit of headroom makes the sum or difference of two
#: stored values exact in int64 too.
INT64_BOUND = 2**62

#: Overflow check: the largest int64.  A computation whose partial sums are
#: proven to stay within ``±INT64_MAX`` is exact in int64 (see :func:`fits_int64`).
INT64_MAX = 2**63 - 1


def fits_int64(bound: int) -> bool:
    """Whether a computation whose values are bounded by ``bound`` in absolute
    value is exact in int64 (``bound <= INT64_MAX``).

    >>> fits_int64(2**63 - 1), fits_int64(2**63)
    (True, False)
    """
    return bound <= INT64_MAX


def integer_array(values: Any) -> np.ndarray:
    """Python ints as a read-only int64 array if all are below :data:`INT64_BOUND`
    in absolute value, else as a read-only object array.

    >>> integer_array([1, -2]).dtype, integer_array([2**62]).dtype
    (dtype('int64'), dtype('O'))
    """
    arr = np.asarray(values, dtype=object)
    flat = arr.ravel().tolist()
    fits = not flat or (max(flat) < INT64_BOUND and min(flat) > -INT64_BOUND)
    out = arr.astype(np.int64) if fits else arr
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=64)
def _power_of_ten(digits: int) -> int:
    power: int = 10**digits
    return power


def common_denominator(denominators: Iterable[int], cells: int, *, where: str = "values") -> int:
    """The lcm of positive ints, refused as soon as it passes the limits.

    The lcm is accumulated one distinct denominator at a time and compared with
    ``10**D``, ``D = min(MAX_DENOMINATOR_DIGITS, MAX_SCALED_DIGITS // cells)``,
    after every step: a :class:`~exactpower.errors.LimitError` is raised before
    the lcm (or anything scaled to it) grows past that size.

    Parameters
    ----------
    denominators : iterable of int
        Positive integers.
    cells : int
        The number of values that will be scaled to the result.
    where : str
        Names the values in the error message.

    >>> common_denominator([4, 6, 1], 3)
    12
    >>> common_denominator([10**60 + 1, 10**60 + 3], 10**7)
    Traceback (most recent call last):
    ...
    exactpower.errors.LimitError: values: the common denominator of 10000000 values has more than 20 digits (limits: MAX_DENOMINATOR_DIGITS = 10000 digits, MAX_SCALED_DIGITS = 200000000 cells × digits)
    """
    digits = min(MAX_DENOMINATOR_DIGITS, MAX_SCALED_DIGITS // max(cells, 1))
    bound = _power_of_ten(digits)
    den = 1
    for q in set(denominators):
        den = den // math.gcd(den, q) * q
        if den >= bound:
            raise LimitError(
                f"{where}: the common denominator of {cells} values has more than {digits} "
                f"digits (limits: MAX_DENOMINATOR_DIGITS = {MAX_DENOMINATOR_DIGITS} digits, "
                f"MAX_SCALED_DIGITS = {MAX_SCALED_DIGITS} cells × digits)"
            )
    return den


def _check_denominator(denominator: Any) -> int:
    """A positive int (``int``, numpy or sympy integer; not ``bool``), else an error."""
    if type(denominator) is int and denominator > 0:
        return denominator
    if isinstance(denominator, (bool, np.bool_)):
        raise InexactValueError(f"denominator {denominator!r} is a bool, not a positive int")
    try:
        den = operator.index(denominator)
    except TypeError:
        raise InexactValueError(
            f"denominator {denominator!r} of type {type(denominator).__name__} is not an int"
        ) from None
    if den <= 0:
        raise GameStructureError(f"denominator {den} must be a positive int")
    return den


def _integer(v: Any) -> int:
    if isinstance(v, (bool, np.bool_)):
        raise InexactValueError(f"numerator {v!r} is a bool, not an int")
    try:
        return operator.index(v)
    except TypeError:
        raise InexactValueError(
            f"numerator {v!r} of type {type(v).__name__} is not an int"
        ) from None


def _all_ints(flat: list[Any]) -> bool:
    return set(map(type, flat)) <= {int}


#: Integer arrays up to this size are reduced as lists of Python ints (numpy's call
#: overhead dominates); object arrays always are.
_SMALL = 64


def _reduce_list(arr: np.ndarray, den: int) -> tuple[np.ndarray, int]:
    """Canonical ``(numerators, denominator)`` of an integer or object array, computed on
    a list of Python ints; the numerators are a new array."""
    flat = arr.ravel().tolist()
    if arr.dtype.kind == "O" and not _all_ints(flat):
        flat = [_integer(v) for v in flat]
    g = math.gcd(den, *flat)
    if g > 1:
        flat = [v // g for v in flat]
        den //= g
    fits = not flat or (max(flat) < INT64_BOUND and min(flat) > -INT64_BOUND)
    if fits and g == 1 and arr.dtype == np.int64:
        return arr.copy(), den  # a copy: never freeze or share the caller's array
    return np.array(flat, dtype=np.int64 if fits else object).reshape(arr.shape), den


def _reduce_int64(arr: np.ndarray, den: int) -> tuple[np.ndarray, int]:
    """:func:`_reduce_list` for a large int64 array whose values are all in storage range,
    with numpy; the numerators are a new array."""
    g = 1
    if den > 1:
        flat = arr.ravel()
        g = math.gcd(den, *flat[:8].tolist())  # usually 1 already: skip the full reduce
        if g > 1 and flat.size > 8:
            g = math.gcd(g, int(np.gcd.reduce(flat[8:])))
    return (arr // g if g > 1 else arr.copy()), den // g


def _reduced(numerators: Any, den: int) -> tuple[np.ndarray, int]:
    """Canonical ``(numerators, denominator)`` of integer numerators over ``den > 0``."""
    arr = np.asarray(numerators)
    kind = arr.dtype.kind
    if kind not in "iuO":
        raise InexactValueError(f"numerators of dtype {arr.dtype} are not integers")
    if kind == "O" or arr.size <= _SMALL:
        return _reduce_list(arr, den)
    if kind == "u" and arr.dtype.itemsize >= 8:
        return _reduce_list(arr.astype(object), den)  # values up to 2**64: keep exact
    arr = arr.astype(np.int64, copy=False)
    if arr.max() >= INT64_BOUND or arr.min() <= -INT64_BOUND:
        return _reduce_list(arr, den)
    return _reduce_int64(arr, den)


def _entry(v: object) -> sympy.Expr:
    """One value for :meth:`ExactArray.from_values`: a sympy expression (ints are wrapped)."""
    if isinstance(v, sympy.Basic):
        if isinstance(v, sympy.Number) and not isinstance(v, sympy.Rational):
            raise InexactValueError(f"value {v!r} is not exact")
        return v
    return sympy.Integer(_integer(v))


def _restore(data: np.ndarray, denominator: int | None) -> ExactArray:
    """Unpickle (the data were canonical when pickled)."""
    data = data.copy()
    data.flags.writeable = False
    return ExactArray._make(data, denominator)


class ExactArray:
    """Exact values on a grid: reduced ``numerators / denominator``, or sympy expressions.

    Build one with :meth:`from_integers` (also spelled ``ExactArray(numerators,
    denominator)``) or :meth:`from_values`.

    Attributes
    ----------
    numerators : numpy.ndarray or None
        Rational arrays: the reduced numerators (read-only; int64 or object
        ints, see the module docstring).  ``None`` for a symbolic array.
    denominator : int
        Rational arrays: the least common denominator, positive.  ``1`` for a
        symbolic array.
    exprs : numpy.ndarray or None
        Symbolic arrays: the values (read-only object array).  ``None`` for a
        rational array.

    Examples
    --------
    >>> ExactArray([3, -6], 9)
    ExactArray([1, -2], denominator=3)
    >>> ExactArray([3, -6], 9) == ExactArray([1, -2], 3), len({ExactArray([1], 2), ExactArray([2], 4)})
    (True, 1)
    >>> ExactArray([1], 0)
    Traceback (most recent call last):
    ...
    exactpower.errors.GameStructureError: denominator 0 must be a positive int
    """

    __slots__ = ("__weakref__", "_data", "_denominator", "_hash")
    _data: np.ndarray
    _denominator: int | None  # None: symbolic
    _hash: int | None  # computed on first use

    def __init__(self, numerators: Any, denominator: Any = 1) -> None:
        other = ExactArray.from_integers(numerators, denominator)
        object.__setattr__(self, "_data", other._data)
        object.__setattr__(self, "_denominator", other._denominator)
        object.__setattr__(self, "_hash", None)

    @classmethod
    def _make(cls, data: np.ndarray, denominator: int | None) -> ExactArray:
        """An array from data already in canonical form (``None``: symbolic)."""
        self = object.__new__(cls)
        object.__setattr__(self, "_data", data)
        object.__setattr__(self, "_denominator", denominator)
        object.__setattr__(self, "_hash", None)
        return self

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"ExactArray is immutable (cannot set {name!r})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"ExactArray is immutable (cannot delete {name!r})")

    def __reduce__(self) -> tuple[Any, tuple[np.ndarray, int | None]]:
        return _restore, (self._data, self._denominator)

    # -- the one representation, read through the historical attribute names --------------
    @property
    def symbolic(self) -> bool:
        """Whether the values are sympy expressions (not all rational)."""
        return self._denominator is None

    @property
    def numerators(self) -> np.ndarray | None:
        return None if self._denominator is None else self._data

    @property
    def denominator(self) -> int:
        return 1 if self._denominator is None else self._denominator

    @property
    def exprs(self) -> np.ndarray | None:
        return self._data if self._denominator is None else None

    @property
    def shape(self) -> tuple[int, ...]:
        return self._data.shape

    # -- construction ----------------------------------------------------------------
    @classmethod
    def from_integers(cls, numerators: Any, denominator: Any = 1) -> ExactArray:
        """From integer numerators and a positive int denominator, reduced.

        Parameters
        ----------
        numerators : array_like of int
            An integer numpy array, or nested sequences / an object array of
            ints (numpy and sympy integers included; not ``bool``).
        denominator : int
            A positive integer (not ``bool``, not a float).

        Raises
        ------
        InexactValueError
            For a value or denominator that is not an integer (a float, a bool).
        GameStructureError
            For a denominator that is 0 or negative.

        Examples
        --------
        >>> a = ExactArray.from_integers(np.array([4, -2, 0]), 6)
        >>> a.numerators.tolist(), a.denominator, a.numerators.dtype
        ([2, -1, 0], 3, dtype('int64'))
        >>> ExactArray.from_integers([1], 0.5)
        Traceback (most recent call last):
        ...
        exactpower.errors.InexactValueError: denominator 0.5 of type float is not an int
        """
        data, den = _reduced(numerators, _check_denominator(denominator))
        data.flags.writeable = False
        return cls._make(data, den)

    @classmethod
    def from_values(cls, values: Any, *, where: str = "values") -> ExactArray:
        """From exact values (sympy objects or ints); rational if every value is.

        The common denominator is accumulated by :func:`common_denominator`,
        which raises :class:`~exactpower.errors.LimitError` (naming ``where``)
        before it grows past the limits.

        >>> x = sympy.Symbol("x")
        >>> ExactArray.from_values(np.array([sympy.Rational(1, 2), 3], dtype=object))
        ExactArray([1, 6], denominator=2)
        >>> ExactArray.from_values(np.array([x, 1], dtype=object)).symbolic
        True
        """
        values = np.asarray(values, dtype=object)
        flat = [_entry(v) for v in values.ravel().tolist()]
        if all(isinstance(v, sympy.Rational) for v in flat):
            den = common_denominator((int(v.q) for v in flat), len(flat), where=where)
            if den == 1:
                nums = [int(v.p) for v in flat]
            else:
                nums = [int(v.p) * (den // int(v.q)) for v in flat]
            data = np.asarray(integer_array(nums)).reshape(values.shape)
            data.flags.writeable = False
            return cls._make(data, den)
        exprs = np.empty(values.shape, dtype=object)
        exprs.ravel()[:] = flat
        exprs.flags.writeable = False
        return cls._make(exprs, None)

    # -- values ----------------------------------------------------------------------
    def value(self, index: Any) -> sympy.Expr:
        """The exact value at a full index."""
        if self._denominator is None:
            return self._data[index]
        return sympy.Rational(int(self._data[index]), self._denominator)

    def to_exprs(self) -> np.ndarray:
        """An object array of sympy values (read-only for a symbolic array)."""
        if self._denominator is None:
            return self._data
        out = np.empty(self.shape, dtype=object)
        d = self._denominator
        out.ravel()[:] = [sympy.Rational(v, d) for v in self._data.ravel().tolist()]
        return out

    def max_abs_numerator(self) -> int:
        """The largest absolute numerator (0 for an empty array); rational arrays only."""
        if self._denominator is None:
            raise TypeError("max_abs_numerator: the array is symbolic")
        if self._data.size == 0:
            return 0
        if self._data.dtype == np.int64:
            return int(np.abs(self._data).max())
        top: int = max(abs(v) for v in self._data.ravel().tolist())  # Python ints
        return top

    # -- comparison ------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExactArray):
            return NotImplemented
        if self is other:
            return True
        if self._denominator != other._denominator or self.shape != other.shape:
            return False
        if self._denominator is not None:
            return bool(np.array_equal(self._data, other._data))
        return all(
            a == b for a, b in zip(self._data.ravel().tolist(), other._data.ravel().tolist())
        )

    def __hash__(self) -> int:
        h = self._hash
        if h is None:
            key = (self.shape, self._denominator, tuple(self._data.ravel().tolist()))
            h = hash(key)
            object.__setattr__(self, "_hash", h)
        return h

    def __repr__(self) -> str:
        if self._data.size > 100:
            kind = "symbolic" if self.symbolic else f"rational over {self._denominator}"
            return f"<ExactArray of shape {self.shape}, {kind}>"
        if self._denominator is None:
            return f"ExactArray.from_values({self._data.tolist()!r})"
        return f"ExactArray({self._data.tolist()!r}, denominator={self._denominator})"
