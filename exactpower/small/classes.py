"""Finite classes of small Bayesian games, each game once up to symmetry (``docs/exhaust.md``).

A :class:`GameClass` fixes the number of players, the numbers of types and
actions of each player (or a few allowed numbers), a finite alphabet of reward
values, a prior family, the reward form and a constraint.  Its games are every
assignment of alphabet values to the *free* reward cells:

- reward form ``"general"``: ``r_i(t, a)`` for every type profile ``t`` in the
  prior's support; ``"own-type"`` (the article's form): ``r_i(t_i, a)`` for every
  type ``t_i`` of positive probability.  Cells of zero-probability type profiles
  are not part of the game (they are 0 in :attr:`ClassGame.rewards`).
- constraint ``"free"``: every player's rewards are free; ``"identical"``: player 1's
  rewards are free and every player gets them; ``"constant-sum"`` with constant ``c``:
  players ``1..n−1`` are free and the last player gets ``c − Σ others``, which need
  *not* lie in the alphabet.  With ``"own-type"`` and a constraint, the derived
  players must have own-type rewards too; the games where they would not are not
  in the class (on a product support this leaves only type-independent rewards,
  ``docs/exhaust.md``).
- ``reward_sets="strict-ordinal"``: the free rewards of each player at each type
  profile (own-type: each type) are pairwise distinct -- with four values and 2×2
  actions, a permutation of them: the strict ordinal games.
- prior family ``"uniform"``; ``"independent:M"`` (each player's marginal from the
  grid ``k/M``, zeros allowed); ``"joint:M"`` (the joint prior from the grid);
  or a :class:`FixedPrior` (:mod:`exactpower.small.priors`).

Symmetry.  Relabelling actions within a player, types within a player (with the
prior) and players (those with the same numbers of types and actions, when the
class is symmetric under it; see :meth:`GameClass.player_permutations`) maps the
class to itself.  Iterating a class yields one game per orbit -- the one whose
encoding is lexicographically smallest (:mod:`exactpower.small.canonical`) -- with the
orbit's size, so that the raw count equals the sum of the orbit sizes
(:meth:`GameClass.count` checks it).  Candidates are generated in blocks -- the
leading free cells vary fastest, each work unit (:meth:`GameClass.units`) fixes a
range of the trailing ones, so that units hold similar numbers of canonical games
-- and a candidate is kept iff it is its own canonical form, decided for a whole
block at once by integer arithmetic (:class:`~exactpower.small.canonical.LinearKeys`;
:mod:`exactpower.small.spaces`).
The order is deterministic.

>>> strict = GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal")
>>> strict.count()
ClassCount(raw=576, classes=78, orbits=576)
>>> GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal",
...           symmetries=("actions",)).count().classes
144
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np

from ..errors import GameStructureError
from ..exact import as_rational
from ..game import BayesianGame
from .canonical import Relabelling, lex_min, relabellings
from .priors import FixedPrior, prior_family, prior_spec, reduced
from .spaces import MAX_GROUP, Scan, Unit, Units, class_shapes, class_spaces, class_units

__all__ = ["GameClass", "FixedPrior", "ClassGame", "ClassCount", "Unit", "Scan", "MAX_GROUP"]

FORMS = ("general", "own-type")
CONSTRAINTS = ("free", "identical", "constant-sum")
REWARD_SETS = ("any", "strict-ordinal")
SYMMETRIES = ("actions", "types", "players")


class ClassCount(NamedTuple):
    """Raw number of games, number of symmetry classes, and the sum of the orbit sizes."""

    raw: int
    classes: int
    orbits: int


@dataclass(frozen=True, eq=False)
class ClassGame:
    """One game of a class (its canonical form) and the size of its orbit.

    ``rewards`` are integer numerators over ``denominator`` with shape
    ``(n, T_1..T_n, A_1..A_n)``; ``prior`` are integer weights (probability
    ``prior / prior.sum()``).
    """

    rewards: np.ndarray
    prior: np.ndarray
    denominator: int
    orbit_size: int

    @property
    def game(self) -> BayesianGame:
        """The game as a :class:`~exactpower.BayesianGame` (players ``"1"``, ``"2"``, ...)."""
        return BayesianGame.from_arrays(
            self.rewards, prior=self.prior, denominator=self.denominator
        )


def _counts(value, n: int, what: str) -> tuple:
    def one(v):
        opts: tuple[int, ...]
        if isinstance(v, (int, np.integer)) and not isinstance(v, bool):
            opts = (int(v),)
        elif isinstance(v, (range, Sequence)) and not isinstance(v, str):
            opts = tuple(sorted({int(k) for k in v}))
        else:
            raise GameStructureError(f"class: {what}: expected a count or counts, got {v!r}")
        if not opts or min(opts) < 1:
            raise GameStructureError(f"class: {what}: counts must be positive, got {v!r}")
        return opts

    if isinstance(value, Sequence) and not isinstance(value, (str, range)):
        if len(value) != n:
            raise GameStructureError(f"class: {what}: {len(value)} entries for {n} players")
        return tuple(one(v) for v in value)
    return (one(value),) * n


@dataclass(frozen=True)
class GameClass:
    """A finite class of Bayesian games; iterate it for one game per symmetry orbit.

    Parameters
    ----------
    players : int
    types, actions : int, or one entry per player; an entry is a count or a
        range / tuple of allowed counts (``range(1, 3)``: one or two types).
    values : the reward alphabet, exact values (``(-1, 0, 1)``, ``range(4)``).
    prior : ``"uniform"``, ``"independent:M"``, ``"joint:M"``, or a :class:`FixedPrior`.
    reward_form : ``"general"`` (``r_i(t, a)``) or ``"own-type"`` (``r_i(t_i, a)``).
    constraint : ``"free"``, ``"identical"`` or ``"constant-sum"`` (also ``"constant-sum:C"``).
    constant : the constant of a constant-sum class (default 0).
    reward_sets : ``"any"`` or ``"strict-ordinal"``.
    symmetries : which relabellings identify games: a subset of
        ``("actions", "types", "players")`` (default all).

    >>> c = GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum")
    >>> c.count(), c.player_permutations()
    (ClassCount(raw=81, classes=15, orbits=81), ((0, 1), (1, 0)))
    """

    # Fields given loosely (a count, a range, a spec string) hold their normal form after
    # __post_init__ (tuples of counts, a tuple of Rationals, a prior spec): typed Any.
    players: int
    types: Any = 1
    actions: Any = 2
    values: Any = (-1, 0, 1)
    prior: Any = "uniform"
    reward_form: str = "general"
    constraint: str = "free"
    constant: Any = 0
    reward_sets: str = "any"
    symmetries: Any = SYMMETRIES

    def __post_init__(self):
        n = self.players
        if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
            raise GameStructureError(f"class: players must be a positive integer, got {n!r}")
        set_ = functools.partial(object.__setattr__, self)
        set_("players", int(n))
        set_("types", _counts(self.types, n, "types"))
        set_("actions", _counts(self.actions, n, "actions"))
        if isinstance(self.values, (str, bytes)) or not hasattr(self.values, "__iter__"):
            raise GameStructureError(f"class: values must be a sequence, got {self.values!r}")
        values = sorted({as_rational(v, where="class values") for v in self.values})
        if not values:
            raise GameStructureError("class: the value alphabet is empty")
        set_("values", tuple(values))
        constraint, constant = self.constraint, self.constant
        if isinstance(constraint, str) and constraint.startswith("constant-sum:"):
            constraint, constant = "constant-sum", constraint.partition(":")[2]
        if constraint not in CONSTRAINTS:
            raise GameStructureError(
                f"class: constraint {constraint!r}: expected "
                f"{', '.join(CONSTRAINTS)} (constant-sum:C)"
            )
        set_("constraint", constraint)
        set_("constant", as_rational(constant, where="class constant"))
        for name, allowed in (("reward_form", FORMS), ("reward_sets", REWARD_SETS)):
            if getattr(self, name) not in allowed:
                raise GameStructureError(
                    f"class: {name.replace('_', ' ')} "
                    f"{getattr(self, name)!r}: expected {', '.join(allowed)}"
                )
        sym = (self.symmetries,) if isinstance(self.symmetries, str) else tuple(self.symmetries)
        if set(sym) - set(SYMMETRIES):
            raise GameStructureError(
                f"class: symmetries {sorted(set(sym) - set(SYMMETRIES))}: "
                f"expected a subset of {', '.join(SYMMETRIES)}"
            )
        set_("symmetries", tuple(s for s in SYMMETRIES if s in sym))
        prior = prior_spec(self.prior)
        set_("prior", prior)
        if isinstance(prior, FixedPrior) and (
            any(len(t) != 1 for t in self.types)
            or tuple(t[0] for t in self.types) != tuple(prior.shape)
        ):
            raise GameStructureError(
                f"class: fixed prior of shape {prior.shape} needs exactly those numbers of types"
            )
        if self.reward_sets == "strict-ordinal":
            cells = max(math.prod(a) for a in itertools.product(*self.actions))
            if len(values) < cells:
                raise GameStructureError(
                    f"class: strict-ordinal rewards need at least {cells} values, got {len(values)}"
                )

    # -- integers ------------------------------------------------------------------
    @functools.cached_property
    def denominator(self) -> int:
        """The common denominator of the alphabet and the constant."""
        return math.lcm(*(int(v.q) for v in (*self.values, self.constant)))

    @functools.cached_property
    def alphabet(self) -> tuple:
        """The alphabet as integer numerators over :attr:`denominator`."""
        return tuple(int(v * self.denominator) for v in self.values)

    @property
    def constant_numerator(self) -> int:
        return int(self.constant * self.denominator)

    @property
    def free_players(self) -> tuple:
        """The players whose rewards range over the alphabet."""
        n = self.players
        return {"free": tuple(range(n)), "identical": (0,), "constant-sum": tuple(range(n - 1))}[
            self.constraint
        ]

    # -- symmetry ------------------------------------------------------------------
    def player_permutations(self) -> tuple:
        """The player permutations that map the class to itself.

        Players must have the same allowed numbers of types and actions.  In a
        constant-sum class the last player's rewards ``c − Σ others`` are derived:
        moving it among the free players is a symmetry only if ``c − Σ others``
        always lies in the alphabet (for two players: the alphabet is symmetric
        about ``c/2``).  With ``symmetries`` lacking ``"players"``: the identity.
        """
        n = self.players
        if "players" not in self.symmetries or isinstance(self.prior, FixedPrior):
            return (tuple(range(n)),)
        closed = True
        if self.constraint == "constant-sum":
            sums = {sum(s) for s in itertools.product(self.alphabet, repeat=n - 1)}
            closed = {self.constant_numerator - s for s in sums} <= set(self.alphabet)
            closed = closed and (self.reward_sets == "any" or n == 2)
        out = []
        for pi in itertools.permutations(range(n)):
            if any(
                self.types[j] != self.types[pi[j]] or self.actions[j] != self.actions[pi[j]]
                for j in range(n)
            ):
                continue
            if not closed and pi[n - 1] != n - 1:
                continue
            out.append(pi)
        return tuple(out)

    def shapes(self) -> tuple:
        """``((shape, orbit size), ...)``: one shape ``(T_1..T_n, A_1..A_n)`` per orbit of
        player permutations, the smallest, in increasing order."""
        return class_shapes(self)

    def relabellings(self, shape: tuple, target: tuple | None = None) -> list:
        """The class's relabellings of a game of ``shape`` (onto ``target``; default: any).

        With a :class:`FixedPrior`, only those that leave the prior unchanged."""
        kw = {"types": "types" in self.symmetries, "actions": "actions" in self.symmetries}
        targets = (
            [target]
            if target is not None
            else sorted(
                {Relabelling(pi, (), ()).shape_image(shape) for pi in self.player_permutations()}
            )
        )
        out = [
            g
            for t in targets
            for g in relabellings(shape, self.player_permutations(), target=t, **kw)
        ]
        if isinstance(self.prior, FixedPrior):  # only those that fix the one prior
            weights = np.array(self.prior.weights).reshape(self.prior.shape)
            out = [
                g
                for g in out
                if tuple(shape[: self.players]) == self.prior.shape
                and (g.apply(np.zeros((self.players, *shape)), weights)[1] == weights).all()
            ]
        return out

    # -- enumeration -----------------------------------------------------------------
    def units(self) -> Units:
        """The work units of the canonical game stream, in order (see :meth:`scan`): a lazy
        :class:`~exactpower.small.spaces.Units` sequence."""
        return class_units(self)

    def scan(self, unit: Unit, limit: int | None = None):
        """The canonical games of one unit: a :class:`~exactpower.small.spaces.Scan`."""
        return class_spaces(self)[unit.space].scan(unit.start, unit.stop, limit)

    def __iter__(self) -> Iterator[ClassGame]:
        for unit in self.units():
            yield from self.games(unit)

    def games(self, unit: Unit) -> list:
        """The canonical games of one work unit, as :class:`ClassGame` objects."""
        s = self.scan(unit)
        return [
            ClassGame(s.rewards[k], s.prior, self.denominator, int(s.orbit_sizes[k]))
            for k in range(len(s.orbit_sizes))
        ]

    def count(self) -> ClassCount:
        """Raw games, symmetry classes and the sum of orbit sizes; raises if they disagree."""
        raw = classes = orbits = 0
        for unit in self.units():
            s = self.scan(unit)
            raw += s.raw
            classes += len(s.orbit_sizes)
            orbits += int(s.orbit_sizes.sum())
        if raw != orbits:
            raise AssertionError(f"class: raw count {raw} != sum of orbit sizes {orbits}")
        return ClassCount(raw, classes, orbits)

    def raw_count(self) -> int | None:
        """The raw number of games by a product formula over every shape and prior
        (independent of the symmetry reduction); ``None`` when derived players must
        satisfy the own-type form (then only enumeration counts them)."""
        if self.reward_form == "own-type" and self.constraint != "free" and self.players > 1:
            return None
        total = 0
        for tshape in itertools.product(*self.types):
            for ashape in itertools.product(*self.actions):
                cells = math.prod(ashape)
                opts = (
                    math.perm(len(self.alphabet), cells)
                    if self.reward_sets == "strict-ordinal"
                    else len(self.alphabet) ** cells
                )
                for prior in prior_family(self.prior, tshape):
                    total += opts ** _groups(self, prior)
        return total

    def canonical(self, rewards, prior) -> tuple:
        """The canonical form ``(rewards, prior)`` of a game of the class, by brute force.

        ``rewards`` (integer numerators over :attr:`denominator`) and ``prior``
        (integer weights) as in :class:`ClassGame`; cells off the prior's support
        are ignored and come back as 0.  This is the definition that the fast
        enumeration is tested against.
        """
        rewards, prior = np.asarray(rewards), np.asarray(prior)
        n = self.players
        shape = tuple(prior.shape) + tuple(rewards.shape[1 + n :])
        target = min(
            Relabelling(pi, (), ()).shape_image(shape) for pi in self.player_permutations()
        )
        prior = np.array(reduced(prior.ravel().tolist())).reshape(prior.shape)
        images = [g.apply(rewards, prior) for g in self.relabellings(shape, target)]
        priors = np.array([p.ravel() for _, p in images])
        best = priors[lex_min(priors)]
        images = [(r, p) for r, p in images if (p.ravel() == best).all()]
        keys = np.array([_encode(self, r, p) for r, p in images])
        r, p = images[lex_min(keys)]
        mask = np.broadcast_to((p > 0).reshape((1, *p.shape) + (1,) * n), r.shape)
        return np.where(mask, r, 0), p


def _groups(cls: GameClass, prior: np.ndarray) -> int:
    """The number of free reward tables (one per free player and type profile, or type)."""
    if cls.reward_form == "general":
        return len(cls.free_players) * int((prior > 0).sum())
    n = prior.ndim
    return sum(
        int((prior.sum(axis=tuple(k for k in range(n) if k != i)) > 0).sum())
        for i in cls.free_players
    )


def _encode(cls: GameClass, rewards: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """The reward part of the encoding: free players' cells on the support, flat order."""
    n = cls.players
    support = (prior > 0).reshape((1, *prior.shape) + (1,) * n)
    mask = np.broadcast_to(support, rewards.shape).copy()
    mask[[i for i in range(n) if i not in cls.free_players]] = False
    return rewards[mask]
