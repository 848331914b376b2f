"""The prior families of a game class, as integer weight arrays.

A class's prior is ``"uniform"``; ``"independent:M"`` (each player's marginal
from the grid ``k/M``, zeros allowed); ``"joint:M"`` (the joint prior from the
grid); or one :class:`FixedPrior`.  :func:`prior_family` lists every prior of a
family on a shape of types, each reduced (weights with gcd 1).

>>> [w.tolist() for w in prior_family("independent:1", (2, 1))]
[[[0], [1]], [[1], [0]]]
>>> list(compositions(2, 2))
[(0, 2), (1, 1), (2, 0)]
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from ..errors import GameStructureError, ProbabilityError
from ..exact import as_rational

__all__ = ["FixedPrior", "prior_spec", "prior_family", "compositions", "reduced"]


@dataclass(frozen=True)
class FixedPrior:
    """One prior for every game of a class: integer weights of shape ``(T_1..T_n)``.

    >>> FixedPrior.from_probabilities([["1/2", "1/4"], [0, "1/4"]])
    FixedPrior(shape=(2, 2), weights=(2, 1, 0, 1))
    """

    shape: tuple
    weights: tuple

    @classmethod
    def from_probabilities(cls, probabilities) -> FixedPrior:
        """From a nested list (or array) of exact probabilities summing to 1."""
        arr = np.array(probabilities, dtype=object)
        values = [as_rational(v, where="fixed prior") for v in arr.ravel().tolist()]
        if any(v < 0 for v in values) or sum(values) != 1:
            raise ProbabilityError("fixed prior: probabilities must be >= 0 and sum to 1")
        den = math.lcm(*(int(v.q) for v in values))
        return cls(arr.shape, reduced([int(v * den) for v in values]))


def reduced(weights) -> tuple:
    """Integer weights divided by their gcd."""
    g = math.gcd(*weights)
    return tuple(int(w) // g for w in weights)


def compositions(total: int, parts: int):
    """Every tuple of ``parts`` nonnegative integers summing to ``total``, in lex order."""
    for cut in itertools.combinations(range(total + parts - 1), parts - 1):
        edges = (-1, *cut, total + parts - 1)
        yield tuple(edges[k + 1] - edges[k] - 1 for k in range(parts))


def prior_spec(prior):
    """The canonical form of a class's ``prior`` argument: a string or a :class:`FixedPrior`."""
    if isinstance(prior, FixedPrior):
        return prior
    if isinstance(prior, tuple) and len(prior) == 2 and isinstance(prior[0], str):
        prior = f"{prior[0]}:{prior[1]}"
    if isinstance(prior, str):
        kind, _, grid = prior.partition(":")
        if kind == "uniform" and not grid:
            return "uniform"
        if kind in ("independent", "joint") and grid.isdigit() and int(grid) >= 1:
            return f"{kind}:{int(grid)}"
        raise GameStructureError(
            f"class: prior {prior!r}: expected uniform, independent:M "
            f"or joint:M with M a positive integer"
        )
    if isinstance(prior, Mapping):
        raise GameStructureError(
            "class: a fixed prior is given as a nested list of probabilities (or a FixedPrior)"
        )
    return FixedPrior.from_probabilities(prior)


def prior_family(spec, tshape: tuple) -> list:
    """Every prior of the family ``spec`` on ``tshape``, as reduced integer weight arrays."""
    if isinstance(spec, FixedPrior):
        return [np.array(spec.weights, dtype=np.int64).reshape(spec.shape)]
    if spec == "uniform":
        return [np.ones(tshape, dtype=np.int64)]
    kind, grid = spec.split(":")
    m = int(grid)
    out: list = []
    if kind == "joint":
        out.extend(
            np.array(reduced(w), dtype=np.int64).reshape(tshape)
            for w in compositions(m, math.prod(tshape))
        )
    else:
        for margs in itertools.product(*(list(compositions(m, k)) for k in tshape)):
            w = functools.reduce(np.multiply.outer, [np.array(x, dtype=np.int64) for x in margs])
            out.append(
                np.array(reduced(np.asarray(w).ravel().tolist()), dtype=np.int64).reshape(tshape)
            )
    return out
