"""The one explicit door for floats: :func:`rationalize`.

Everywhere else exactpower refuses floats (:func:`~exactpower.exact.as_exact`): a float
is a binary fraction that rarely is the number its writer meant (``0.1`` is
``3602879701896397/36028797018963968``).  A user who has floats -- say, an equilibrium
computed by nashpy -- says explicitly how to read them: :func:`rationalize` returns the
fraction with the smallest denominator that the float cannot tell apart from itself
(it rounds to the same float), found with :meth:`fractions.Fraction.limit_denominator`;
when that fraction needs a denominator above ``max_denominator``, the closest fraction
with a denominator at most ``max_denominator`` instead.

>>> rationalize(1 / 3), rationalize(0.1), rationalize(0.30000000000000004)
(Fraction(1, 3), Fraction(1, 10), Fraction(3, 10))
>>> rationalize(0.333333), rationalize(0.333333, max_denominator=100)
(Fraction(333333, 1000000), Fraction(1, 3))
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from fractions import Fraction

import sympy

from ..errors import InexactValueError, ProfileError
from .convert import to_rational

__all__ = ["rationalize", "rationalized_distribution", "DEFAULT_MAX_DENOMINATOR"]

#: The default ``max_denominator`` of :func:`rationalize`.
DEFAULT_MAX_DENOMINATOR = 10**6


def _float_type(x: object, where: str) -> type | None:
    """The float type of ``x`` (``float`` or a numpy floating type); ``None`` for an int."""
    if isinstance(x, bool):
        raise InexactValueError(f"{where}: {x!r} is a bool, not a number")
    if isinstance(x, numbers.Integral):
        return None
    if isinstance(x, float):
        return float
    if type(x).__module__ == "numpy" and isinstance(x, numbers.Real):
        return type(x)
    raise InexactValueError(
        f"{where}: rationalize takes a float (or an int), got {type(x).__name__}"
    )


def rationalize(
    x: object, max_denominator: int = DEFAULT_MAX_DENOMINATOR, *, where: str = "value"
) -> Fraction:
    """A float read as the simplest fraction it stands for, explicitly.

    Parameters
    ----------
    x : float, numpy floating or int
        ``nan`` and infinities are refused (:class:`~exactpower.InexactValueError`).
    max_denominator : int
        The largest denominator allowed (a positive int; default ``10**6``).
    where : str
        Names the value in error messages.

    Returns
    -------
    fractions.Fraction
        The fraction with the smallest denominator that rounds to ``x`` as a float, if
        that denominator is at most ``max_denominator``; otherwise the fraction closest
        to ``x`` with a denominator at most ``max_denominator``
        (``Fraction(x).limit_denominator(max_denominator)``).

    >>> rationalize(2.5), rationalize(-0.75), rationalize(3)
    (Fraction(5, 2), Fraction(-3, 4), Fraction(3, 1))
    >>> rationalize(float("nan"))
    Traceback (most recent call last):
    ...
    exactpower.errors.InexactValueError: value: nan is not a finite number
    """
    if (
        isinstance(max_denominator, bool)
        or not isinstance(max_denominator, numbers.Integral)
        or max_denominator < 1
    ):
        raise ValueError(
            f"rationalize: max_denominator must be a positive int, got {max_denominator!r}"
        )
    kind = _float_type(x, where)
    if kind is None:
        return Fraction(int(x))
    if not math.isfinite(float(x)):
        raise InexactValueError(f"{where}: {float(x)!r} is not a finite number")
    exact = Fraction(float(x))

    def same_float(f: Fraction) -> bool:  # rounds to x in x's own precision
        return bool(kind(float(f)) == x)

    lo, hi = 1, min(int(max_denominator), exact.denominator)
    if not same_float(exact.limit_denominator(hi)):
        return exact.limit_denominator(int(max_denominator))
    # The closest fraction with denominator <= q comes nearer as q grows: the smallest q at
    # which it rounds to ``x`` gives the simplest fraction that does.
    while lo < hi:
        mid = (lo + hi) // 2
        if same_float(exact.limit_denominator(mid)):
            hi = mid
        else:
            lo = mid + 1
    return exact.limit_denominator(lo)


def rationalized_distribution(
    row: Iterable[object], max_denominator: int = DEFAULT_MAX_DENOMINATOR, *, where: str = "row"
) -> tuple[sympy.Rational, ...]:
    """Floats read by :func:`rationalize`, as sympy ``Rational``s that must form a
    probability distribution exactly (nonnegative, sum exactly 1): nothing is renormalised;
    a row that does not sum to 1 after rationalizing is refused
    (:class:`~exactpower.ProfileError`), with its sum.

    >>> rationalized_distribution([0.25, 0.75])
    (1/4, 3/4)
    >>> rationalized_distribution([0.333, 0.666], where="σ")
    Traceback (most recent call last):
    ...
    exactpower.errors.ProfileError: σ: the rationalized row 333/1000, 333/500 sums to 999/1000, not 1
    """
    values = tuple(to_rational(rationalize(x, max_denominator, where=where)) for x in row)
    total = sum(values, sympy.Integer(0))
    if any(v < 0 for v in values):
        raise ProfileError(
            f"{where}: the rationalized row {', '.join(map(str, values))} "
            f"has a negative probability"
        )
    if total != 1:
        raise ProfileError(
            f"{where}: the rationalized row {', '.join(map(str, values))} sums to {total}, not 1"
        )
    return values
