"""The checks and conversions behind :class:`~exactpower.game.BayesianGame`'s constructors.

Names (nonempty, distinct), indices given by name or number, the size limit
(:data:`~exactpower.limits.MAX_GAME_CELLS`), the prior of a mapping, the cells left unset,
the integer arrays of :meth:`~exactpower.game.BayesianGame.from_arrays`, and
:func:`check_distribution` -- the one test that values form a probability distribution,
used for priors and for the rows of strategy profiles.  Players are read by their
attributes (``name``, ``types``, ``actions``) only, so this module does not import
:mod:`exactpower.game`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np
import sympy

from .errors import CoverageError, GameStructureError, ProbabilityError
from .exact import as_exact, exact_sum, probability_symbols, provably_nonnegative, same
from .limits import MAX_GAME_CELLS

__all__ = [
    "check_names",
    "index_of",
    "names_at",
    "check_size",
    "prior_array",
    "unset_cells",
    "array_shapes",
    "array_weights",
    "check_distribution",
]


def check_names(names, what: str, where: str) -> tuple:
    """``names`` as a tuple of nonempty, distinct strings, at least one.

    >>> check_names(["a", "a"], "type", "player 'p'")
    Traceback (most recent call last):
    ...
    exactpower.errors.GameStructureError: player 'p': duplicate type name 'a'
    """
    names = tuple(names)
    if not names:
        raise GameStructureError(f"{where}: needs at least one {what}")
    for n in names:
        if not isinstance(n, str) or not n:
            raise GameStructureError(f"{where}: {what} name {n!r} must be a nonempty string")
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise GameStructureError(f"{where}: duplicate {what} name {dup[0]!r}")
    return names


def index_of(names: tuple, item, where: str, what: str) -> int:
    """The index of ``item`` in ``names``, given by index or by name.

    >>> index_of(("U", "D"), "D", "player 'row'", "action"), index_of(("U", "D"), 0, "", "")
    (1, 0)
    """
    if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
        if 0 <= item < len(names):
            return int(item)
        raise GameStructureError(f"{where}: {what} index {item} out of range")
    try:
        return names.index(item)
    except ValueError:
        raise GameStructureError(
            f"{where}: unknown {what} {item!r} ({what}s: {', '.join(names)})"
        ) from None


def names_at(players, index, attr: str) -> tuple:
    """The names (``attr``: ``"types"`` or ``"actions"``) of an index profile."""
    return tuple(getattr(p, attr)[k] for p, k in zip(players, index))


def check_size(tshape: tuple, ashape: tuple, where: str) -> None:
    """Refuse a game with more than :data:`~exactpower.limits.MAX_GAME_CELLS` reward cells
    per player."""
    cells = math.prod(tshape) * math.prod(ashape)
    if cells > MAX_GAME_CELLS:
        raise GameStructureError(
            f"{where}: {cells} reward cells per player exceed the limit of {MAX_GAME_CELLS}"
        )


def prior_array(players, prior, parameters) -> np.ndarray:
    """The prior as an object array of exact values: uniform when ``prior`` is ``None``,
    else from ``{type-name profile: probability}`` (profiles left out are 0)."""
    tshape = tuple(len(p.types) for p in players)
    out = np.empty(tshape, dtype=object)
    if prior is None:
        out.ravel()[:] = [sympy.Rational(1, math.prod(tshape))] * math.prod(tshape)
        return out
    if not isinstance(prior, Mapping):
        raise GameStructureError("prior: expected a mapping {type profile: probability}")
    out.ravel()[:] = [sympy.Integer(0)] * math.prod(tshape)
    for key, p in prior.items():
        key = (key,) if isinstance(key, str) else tuple(key)
        if len(key) != len(players):
            raise GameStructureError(f"prior: type profile {key!r} needs {len(players)} types")
        idx = tuple(
            index_of(pl.types, k, f"prior {key!r}: player {pl.name!r}", "type")
            for pl, k in zip(players, key)
        )
        out[idx] = as_exact(p, parameters, where=f"prior of {key!r}")
    return out


def unset_cells(players, prior_values: np.ndarray, reward_values: np.ndarray) -> tuple:
    """``(reward values, mask)``: the cells never set (``None``) hold 0 and are marked in the
    read-only mask (``None`` when every cell is set); a cell may be unset only at a type
    profile of prior probability 0."""
    unset_mask = np.vectorize(lambda v: v is None, otypes=[bool])(reward_values)
    if not unset_mask.any():
        return reward_values, None
    for index in zip(*np.nonzero(unset_mask)):
        t = tuple(int(k) for k in index[1 : 1 + len(players)])
        if prior_values[t] != 0:
            a = tuple(int(k) for k in index[1 + len(players) :])
            raise CoverageError(
                f"rewards: no reward for player {players[index[0]].name!r} at types "
                f"{names_at(players, t, 'types')} and actions {names_at(players, a, 'actions')}"
            )
    unset_mask.flags.writeable = False
    return np.where(unset_mask, sympy.Integer(0), reward_values), unset_mask


def array_shapes(arr: np.ndarray, denominator) -> tuple:
    """``(type shape, action shape)`` of the integer reward array of ``from_arrays``,
    checked with its denominator (a positive int) and the size limit."""
    if arr.dtype.kind not in "iuO":
        raise GameStructureError(f"from_arrays: rewards must be integers, not {arr.dtype}")
    if arr.ndim < 3 or arr.ndim % 2 == 0 or (arr.ndim - 1) // 2 != arr.shape[0]:
        raise GameStructureError(
            f"from_arrays: rewards of shape {arr.shape} is not (n, T_1..T_n, A_1..A_n)"
        )
    n = arr.shape[0]
    if (
        isinstance(denominator, bool)
        or not isinstance(denominator, (int, np.integer))
        or denominator <= 0
    ):
        raise GameStructureError(f"from_arrays: denominator {denominator!r} must be a positive int")
    tshape, ashape = arr.shape[1 : 1 + n], arr.shape[1 + n :]
    if math.prod(tshape) * math.prod(ashape) > MAX_GAME_CELLS:
        raise GameStructureError(f"from_arrays: more than {MAX_GAME_CELLS} reward cells per player")
    return tshape, ashape


def array_weights(prior, tshape: tuple) -> tuple:
    """``(weights, total)`` of the integer prior of ``from_arrays`` (uniform when ``None``):
    nonnegative integers of shape ``tshape``, not all 0; ``total`` an exact Python int."""
    if prior is None:
        weights = np.ones(tshape, dtype=np.int64)
    else:
        weights = np.asarray(prior)
        if weights.shape != tshape or weights.dtype.kind not in "iuO":
            raise GameStructureError(f"from_arrays: prior must be integers of shape {tshape}")
    total = sum(int(w) for w in weights.ravel().tolist())  # exact: no int64 overflow
    if (weights < 0).any() or total <= 0:
        raise ProbabilityError("from_arrays: prior weights must be nonnegative, not all 0")
    return weights, total


def check_distribution(values, parameters, where: str, labels) -> None:
    """Each value provably in [0, 1], and the values sum to exactly 1 (``parameters``:
    the game's, or the symbols of its ``probability`` parameters).

    >>> check_distribution([sympy.Rational(1, 2), sympy.Rational(1, 3)], (), "prior", "ab")
    Traceback (most recent call last):
    ...
    exactpower.errors.ProbabilityError: prior: probabilities sum to 5/6, not 1
    """
    probs = parameters if isinstance(parameters, frozenset) else probability_symbols(parameters)
    for v, label in zip(values, labels):
        if not provably_nonnegative(v, probs):
            raise ProbabilityError(
                f"{where}: probability {v} of {label} is negative"
                + ("" if isinstance(v, sympy.Rational) else " for some parameters")
            )
        # A symbolic v <= 1 follows from every value >= 0 and the sum being 1 (checked below).
        if isinstance(v, sympy.Rational) and v > 1:
            raise ProbabilityError(f"{where}: probability {v} of {label} exceeds 1")
    total = exact_sum(values)
    if not same(total, sympy.Integer(1)):
        raise ProbabilityError(f"{where}: probabilities sum to {total}, not 1")
