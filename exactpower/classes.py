"""Finite classes of small Bayesian games, each game once up to symmetry (SPEC §5 ``exhaust``).

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
  SPEC §2, Remark).
- ``reward_sets="strict-ordinal"``: the free rewards of each player at each type
  profile (own-type: each type) are pairwise distinct -- with four values and 2×2
  actions, a permutation of them: the strict ordinal games.
- prior family ``"uniform"``; ``"independent:M"`` (each player's marginal from the
  grid ``k/M``, zeros allowed); ``"joint:M"`` (the joint prior from the grid);
  or a :class:`FixedPrior`.

Symmetry.  Relabelling actions within a player, types within a player (with the
prior) and players (those with the same numbers of types and actions, when the
class is symmetric under it; see :meth:`GameClass.player_permutations`) maps the
class to itself.  Iterating a class yields one game per orbit -- the one whose
encoding is lexicographically smallest (:mod:`exactpower.canonical`) -- with the
orbit's size, so that the raw count equals the sum of the orbit sizes
(:meth:`GameClass.count` checks it).  Candidates are generated in blocks -- the
leading free cells vary fastest, each work unit (:meth:`GameClass.units`) fixes a
range of the trailing ones, so that units hold similar numbers of canonical games
-- and a candidate is kept iff it is its own canonical form, decided for a whole
block at once by integer arithmetic (:class:`~exactpower.canonical.LinearKeys`).
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
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .canonical import LinearKeys, Relabelling, lex_min, relabellings
from .errors import GameStructureError, LimitError, ProbabilityError
from .game import BayesianGame
from .values import as_rational

__all__ = ["GameClass", "FixedPrior", "ClassGame", "ClassCount", "Unit", "MAX_GROUP"]

#: The largest symmetry group (per shape) a class may have.
MAX_GROUP = 20_000
#: Candidates enumerated as one table (the inner block of a scan).
INNER_MAX = 2**15
#: Candidates per work unit, roughly ...
UNIT_RAW = 2**18
#: ... but a space is split into at least this many units when it can be.
MIN_UNITS = 16
#: Elements of one key array in a scan (memory bound).
SCAN_ELEMENTS = 2**22
#: Relabellings (besides the identity) tried on every candidate before the others.
PREFILTER = 6

FORMS = ("general", "own-type")
CONSTRAINTS = ("free", "identical", "constant-sum")
REWARD_SETS = ("any", "strict-ordinal")
SYMMETRIES = ("actions", "types", "players")


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
        return cls(arr.shape, _reduced([int(v * den) for v in values]))


def _reduced(weights) -> tuple:
    g = math.gcd(*weights)
    return tuple(int(w) // g for w in weights)


class ClassCount(NamedTuple):
    """Raw number of games, number of symmetry classes, and the sum of the orbit sizes."""

    raw: int
    classes: int
    orbits: int


class Unit(NamedTuple):
    """A block of the canonical game stream: outer candidates ``start..stop`` of one space."""

    index: int
    space: int
    start: int
    stop: int


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
        return BayesianGame.from_arrays(self.rewards, prior=self.prior,
                                        denominator=self.denominator)


def _counts(value, n: int, what: str) -> tuple:
    def one(v):
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


def _prior_spec(prior):
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
        raise GameStructureError(f"class: prior {prior!r}: expected uniform, independent:M "
                                 f"or joint:M with M a positive integer")
    if isinstance(prior, Mapping):
        raise GameStructureError("class: a fixed prior is given as a nested list of "
                                 "probabilities (or a FixedPrior)")
    return FixedPrior.from_probabilities(prior)


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

    players: int
    types: object = 1
    actions: object = 2
    values: object = (-1, 0, 1)
    prior: object = "uniform"
    reward_form: str = "general"
    constraint: str = "free"
    constant: object = 0
    reward_sets: str = "any"
    symmetries: object = SYMMETRIES

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
            raise GameStructureError(f"class: constraint {constraint!r}: expected "
                                     f"{', '.join(CONSTRAINTS)} (constant-sum:C)")
        set_("constraint", constraint)
        set_("constant", as_rational(constant, where="class constant"))
        for name, allowed in (("reward_form", FORMS), ("reward_sets", REWARD_SETS)):
            if getattr(self, name) not in allowed:
                raise GameStructureError(f"class: {name.replace('_', ' ')} "
                                         f"{getattr(self, name)!r}: expected {', '.join(allowed)}")
        sym = (self.symmetries,) if isinstance(self.symmetries, str) else tuple(self.symmetries)
        if set(sym) - set(SYMMETRIES):
            raise GameStructureError(f"class: symmetries {sorted(set(sym) - set(SYMMETRIES))}: "
                                     f"expected a subset of {', '.join(SYMMETRIES)}")
        set_("symmetries", tuple(s for s in SYMMETRIES if s in sym))
        prior = _prior_spec(self.prior)
        set_("prior", prior)
        if isinstance(prior, FixedPrior):
            if any(len(t) != 1 for t in self.types) or \
                    tuple(t[0] for t in self.types) != tuple(prior.shape):
                raise GameStructureError(f"class: fixed prior of shape {prior.shape} needs "
                                         f"exactly those numbers of types")
        if self.reward_sets == "strict-ordinal":
            cells = max(math.prod(a) for a in itertools.product(*self.actions))
            if len(values) < cells:
                raise GameStructureError(f"class: strict-ordinal rewards need at least {cells} "
                                         f"values, got {len(values)}")

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
        return {"free": tuple(range(n)), "identical": (0,),
                "constant-sum": tuple(range(n - 1))}[self.constraint]

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
            if any(self.types[j] != self.types[pi[j]] or self.actions[j] != self.actions[pi[j]]
                   for j in range(n)):
                continue
            if not closed and pi[n - 1] != n - 1:
                continue
            out.append(pi)
        return tuple(out)

    def shapes(self) -> tuple:
        """``((shape, orbit size), ...)``: one shape ``(T_1..T_n, A_1..A_n)`` per orbit of
        player permutations, the smallest, in increasing order."""
        return _shapes(self)

    def relabellings(self, shape: tuple, target: tuple | None = None) -> list:
        """The class's relabellings of a game of ``shape`` (onto ``target``; default: any).

        With a :class:`FixedPrior`, only those that leave the prior unchanged."""
        kw = {"types": "types" in self.symmetries, "actions": "actions" in self.symmetries}
        targets = [target] if target is not None else sorted(
            {Relabelling(pi, (), ()).shape_image(shape) for pi in self.player_permutations()})
        out = [g for t in targets for g in relabellings(shape, self.player_permutations(),
                                                         target=t, **kw)]
        if isinstance(self.prior, FixedPrior):  # only those that fix the one prior
            weights = np.array(self.prior.weights).reshape(self.prior.shape)
            out = [g for g in out if tuple(shape[:self.players]) == self.prior.shape and
                   (g.apply(np.zeros((self.players, *shape)), weights)[1] == weights).all()]
        return out

    # -- enumeration -----------------------------------------------------------------
    def units(self) -> tuple:
        """The work units of the canonical game stream, in order (see :meth:`scan`)."""
        return _units(self)

    def scan(self, unit: Unit, limit: int | None = None):
        """The canonical games of one unit: a :class:`~exactpower.classes.Scan`."""
        return _spaces(self)[unit.space].scan(unit.start, unit.stop, limit)

    def __iter__(self) -> Iterator[ClassGame]:
        for unit in self.units():
            s = self.scan(unit)
            for k in range(len(s.orbit_sizes)):
                yield ClassGame(s.rewards[k], s.prior, self.denominator, int(s.orbit_sizes[k]))

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
                opts = (math.perm(len(self.alphabet), cells) if self.reward_sets == "strict-ordinal"
                        else len(self.alphabet) ** cells)
                for prior in _family(self, tshape):
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
        shape = tuple(prior.shape) + tuple(rewards.shape[1 + n:])
        target = min(Relabelling(pi, (), ()).shape_image(shape)
                     for pi in self.player_permutations())
        prior = np.array(_reduced(prior.ravel().tolist())).reshape(prior.shape)
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
    return sum(int((prior.sum(axis=tuple(k for k in range(n) if k != i)) > 0).sum())
               for i in cls.free_players)


def _encode(cls: GameClass, rewards: np.ndarray, prior: np.ndarray) -> np.ndarray:
    """The reward part of the encoding: free players' cells on the support, flat order."""
    n = cls.players
    support = (prior > 0).reshape((1, *prior.shape) + (1,) * n)
    mask = np.broadcast_to(support, rewards.shape).copy()
    mask[[i for i in range(n) if i not in cls.free_players]] = False
    return rewards[mask]


# -- shapes, groups, priors ------------------------------------------------------------

@functools.lru_cache(maxsize=64)
def _shapes(cls: GameClass) -> tuple:
    perms = cls.player_permutations()
    seen, out = set(), []
    for tshape in itertools.product(*cls.types):
        for ashape in itertools.product(*cls.actions):
            shape = tshape + ashape
            orbit = {Relabelling(pi, (), ()).shape_image(shape) for pi in perms}
            if min(orbit) not in seen:
                seen.add(min(orbit))
                out.append((min(orbit), len(orbit)))
    return tuple(sorted(out))


@functools.lru_cache(maxsize=64)
def _group(cls: GameClass, shape: tuple) -> tuple:
    size = len([pi for pi in cls.player_permutations()
                if Relabelling(pi, (), ()).shape_image(shape) == shape])
    n = cls.players
    if "types" in cls.symmetries:
        size *= math.prod(math.factorial(k) for k in shape[:n])
    if "actions" in cls.symmetries:
        size *= math.prod(math.factorial(k) for k in shape[n:])
    if size > MAX_GROUP:
        raise LimitError(f"class: the symmetry group of shape {shape} has {size} elements, "
                         f"more than {MAX_GROUP}; use fewer symmetries")
    elements = cls.relabellings(shape, shape)
    gathers = [g.gathers(shape) for g in elements]
    return (tuple(elements), np.array([r for r, _ in gathers]),
            np.array([p for _, p in gathers]))


def _compositions(total: int, parts: int):
    for cut in itertools.combinations(range(total + parts - 1), parts - 1):
        edges = (-1, *cut, total + parts - 1)
        yield tuple(edges[k + 1] - edges[k] - 1 for k in range(parts))


def _family(cls: GameClass, tshape: tuple) -> list:
    """Every prior of the family on ``tshape``, as reduced integer weight arrays."""
    spec = cls.prior
    if isinstance(spec, FixedPrior):
        return [np.array(spec.weights, dtype=np.int64).reshape(spec.shape)]
    if spec == "uniform":
        return [np.ones(tshape, dtype=np.int64)]
    kind, grid = spec.split(":")
    m = int(grid)
    out = []
    if kind == "joint":
        for w in _compositions(m, math.prod(tshape)):
            out.append(np.array(_reduced(w), dtype=np.int64).reshape(tshape))
    else:
        for margs in itertools.product(*(list(_compositions(m, k)) for k in tshape)):
            w = functools.reduce(np.multiply.outer, [np.array(x, dtype=np.int64) for x in margs])
            out.append(np.array(_reduced(np.asarray(w).ravel().tolist()),
                                dtype=np.int64).reshape(tshape))
    return out


@functools.lru_cache(maxsize=64)
def _priors(cls: GameClass, shape: tuple) -> tuple:
    """``((prior, orbit size, stabiliser indices), ...)`` for the canonical priors of ``shape``."""
    _elements, _rg, pg = _group(cls, shape)
    n = cls.players
    found = {}
    for w in _family(cls, shape[:n]):
        flat = w.ravel()
        if isinstance(cls.prior, FixedPrior):
            key = tuple(flat.tolist())  # the one prior of the class is its own canon
        else:
            images = flat[pg]
            key = tuple(images[lex_min(images)].tolist())
        found[key] = found.get(key, 0) + 1
    out = []
    for key, orbit in sorted(found.items()):
        flat = np.array(key, dtype=np.int64)
        stab = tuple(int(g) for g in np.nonzero((flat[pg] == flat).all(axis=1))[0])
        if orbit * len(stab) != len(pg) and not isinstance(cls.prior, FixedPrior):
            raise AssertionError(f"class: prior orbit {orbit} x stabiliser {len(stab)} "
                                 f"!= group {len(pg)}")
        prior = flat.reshape(shape[:n])
        prior.flags.writeable = False  # shared by every game of the space
        out.append((prior, orbit, stab))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _spaces(cls: GameClass) -> tuple:
    out = []
    for shape, shape_orbit in _shapes(cls):
        for prior, prior_orbit, stab in _priors(cls, shape):
            out.append(_Space(cls, shape, prior, shape_orbit * prior_orbit, stab))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def _units(cls: GameClass) -> tuple:
    units = []
    for k, space in enumerate(_spaces(cls)):
        step = max(1, min(UNIT_RAW // space.n_inner, -(-space.n_outer // MIN_UNITS)))
        for start in range(0, space.n_outer, step):
            units.append(Unit(len(units), k, start, min(start + step, space.n_outer)))
    return tuple(units)


# -- one shape and prior: the affine model of the cells, and the scan ----------------------

class Scan(NamedTuple):
    """The canonical games of one unit.

    ``rewards`` ``(B, n, T.., A..)`` numerators; ``orbit_sizes`` ``(B,)``; ``raw``
    the class games the unit stands for; ``raw_upto[k]`` those up to game ``k``.
    """

    rewards: np.ndarray
    prior: np.ndarray
    orbit_sizes: np.ndarray
    raw: int
    raw_upto: np.ndarray


class _Space:
    """The games of one (canonical) shape and prior: free slots, cells, keys."""

    def __init__(self, cls: GameClass, shape, prior, factor: int, stab: tuple):
        n = cls.players
        self.cls, self.shape, self.prior, self.factor = cls, shape, prior, factor
        tshape, ashape = shape[:n], shape[n:]
        self.full = (n, *shape)
        support = [t for t in np.ndindex(tshape) if prior[t] > 0]
        positive = [[k for k in range(tshape[i]) if any(t[i] == k for t in support)]
                    for i in range(n)]
        actions = list(np.ndindex(ashape))
        own = cls.reward_form == "own-type"
        free = cls.free_players
        # Slots, grouped into parts (one slot each, or one permutation group each).
        slot_of, parts = {}, []
        for i in free:
            for key in ([(k,) for k in positive[i]] if own else support):
                group = []
                for a in actions:
                    slot_of[(i, key, a)] = len(slot_of)
                    group.append(slot_of[(i, key, a)])
                parts.extend([group] if cls.reward_sets == "strict-ordinal"
                             else [[s] for s in group])
        S = len(slot_of)
        alphabet = np.array(cls.alphabet, dtype=np.int64)
        if cls.reward_sets == "strict-ordinal":
            options = [np.array(list(itertools.permutations(cls.alphabet, len(p))),
                                dtype=np.int64).reshape(-1, len(p)) for p in parts]
        else:
            options = [alphabet.reshape(-1, 1) for _ in parts]
        # Cells: (i, t, a) on the support, affine in the slots.
        cells = [(i, t, a) for i in range(n) for t in support for a in actions]
        index = {c: k for k, c in enumerate(cells)}
        rows = np.zeros((len(cells), S), dtype=np.int64)
        const = np.zeros(len(cells), dtype=np.int64)
        c_num = cls.constant_numerator
        for k, (i, t, a) in enumerate(cells):
            if i in free:
                rows[k, slot_of[(i, (t[i],) if own else t, a)]] = 1
            elif cls.constraint == "identical":
                rows[k] = rows[index[(0, t, a)]]
            else:  # constant-sum: c − Σ others
                const[k] = c_num
                for j in range(n - 1):
                    rows[k] -= rows[index[(j, t, a)]]
        # Derived players in own-type form must not depend on the others' types.
        cons = []
        if own:
            for k, (i, t, a) in enumerate(cells):
                if i not in free:
                    first = index[(i, next(s for s in support if s[i] == t[i]), a)]
                    if first != k:
                        cons.append((rows[k] - rows[first], const[k] - const[first]))
        self.cons_rows = np.zeros((len(cons), S), dtype=np.int64)
        for k, (r, _) in enumerate(cons):
            self.cons_rows[k] = r
        self.cons_const = np.array([c for _, c in cons], dtype=np.int64)
        self.rows, self.const = rows, const
        self.cell_flat = np.array([np.ravel_multi_index((i, *t, *a), self.full)
                                   for i, t, a in cells], dtype=np.int64)
        # Keys over the free players' cells, for the stabiliser of the prior.
        _elements, rg, _pg = _group(cls, shape)
        self.stab = stab
        flat_to_cell = {int(f): k for k, f in enumerate(self.cell_flat)}
        positions = [k for k, (i, _t, _a) in enumerate(cells) if i in free]
        sources = np.array([[flat_to_cell[int(rg[g][self.cell_flat[p]])] for p in positions]
                            for g in stab], dtype=np.int64).reshape(len(stab), len(positions))
        lo, hi = min(cls.alphabet), max(cls.alphabet)
        if cls.constraint == "constant-sum":
            lo, hi = min(lo, c_num - (n - 1) * hi), max(hi, c_num - (n - 1) * lo)
        top = max(abs(v) for v in cls.alphabet)
        self.keys = LinearKeys(rows, const, range(len(positions)), sources, lo, hi, top)
        # The prefilter: the identity and the relabellings that change the fewest labels.
        elements = _group(cls, shape)[0]
        moved = [sum(tuple(p) != tuple(range(len(p)))
                     for p in (elements[g].players, *elements[g].types, *elements[g].actions))
                 for g in stab]
        self.pre = [0] + sorted(range(1, len(stab)), key=lambda k: (moved[k], k))[:PREFILTER]
        # Inner block: the longest prefix of parts with at most INNER_MAX candidates (the most
        # significant cells, so that every unit -- a range of the trailing cells -- holds a
        # similar share of the canonical games).
        split = 0
        size = 1
        while split < len(parts) and (size * len(options[split]) <= INNER_MAX or split == 0):
            size *= len(options[split])
            split += 1
        self.inner_parts, self.outer_parts = options[:split], options[split:]
        self.inner_slots = [s for p in parts[:split] for s in p]
        self.outer_slots = [s for p in parts[split:] for s in p]
        self.n_outer = math.prod(len(o) for o in self.outer_parts)
        self.n_inner = math.prod(len(o) for o in self.inner_parts)
        self.x_inner = _product(self.inner_parts)
        self.c_inner = self.keys.contributions(self.x_inner, self.inner_slots)
        self.v_inner = self.x_inner @ self.cons_rows[:, self.inner_slots].T

    def outer(self, idx: np.ndarray) -> np.ndarray:
        """Free values of the outer slots for outer candidate numbers ``idx``."""
        cols = []
        for opts in reversed(self.outer_parts):
            cols.append(opts[idx % len(opts)])
            idx = idx // len(opts)
        cols.reverse()
        return np.concatenate(cols, axis=1) if cols else np.zeros((len(idx), 0), dtype=np.int64)

    def scan(self, start: int, stop: int, limit: int | None) -> Scan:
        group = len(self.stab)
        step = max(1, SCAN_ELEMENTS // (len(self.pre) * self.n_inner))
        xs, orbits, upto = [], [], []
        raw = kept = 0
        for lo in range(start, stop, step):
            x_out = self.outer(np.arange(lo, min(lo + step, stop)))
            c_out = self.keys.contributions(x_out, self.outer_slots)
            # A few relabellings reject most candidates; the survivors meet them all.
            canonical, _ = self.keys.verdict(self.keys.combine([c_out, self.c_inner], self.pre))
            valid = np.ones(canonical.shape, dtype=bool)
            if len(self.cons_const):
                v_out = x_out @ self.cons_rows[:, self.outer_slots].T
                total = v_out[:, None, :] + self.v_inner[None, :, :] + self.cons_const
                valid = (total == 0).all(axis=2)
            count = np.cumsum(valid.ravel()).reshape(valid.shape) + raw
            oi, ii = np.nonzero(canonical & valid)
            canonical, stab = self.keys.survivors([c_out, self.c_inner], [oi, ii])
            oi, ii, stab = oi[canonical], ii[canonical], stab[canonical]
            if limit is not None and kept + len(oi) > limit:
                oi, ii, stab = oi[:limit - kept], ii[:limit - kept], stab[:limit - kept]
            xs.append(np.concatenate([self.x_inner[ii], x_out[oi]], axis=1))
            orbits.append(self.factor * group // stab)
            upto.append(count[oi, ii])
            kept += len(oi)
            raw += int(valid.sum())
            if limit is not None and kept >= limit:
                raw = int(upto[-1][-1]) if len(upto[-1]) else raw
                break
        x = np.concatenate(xs) if xs else np.zeros((0, self.keys.slots), dtype=np.int64)
        values = x @ self.rows.T + self.const
        rewards = np.zeros((len(x), math.prod(self.full)), dtype=np.int64)
        rewards[:, self.cell_flat] = values
        orbit_sizes = np.concatenate(orbits) if orbits else np.zeros(0, dtype=np.int64)
        rewards = rewards.reshape((len(x), *self.full))
        rewards.flags.writeable = False
        return Scan(rewards, self.prior,
                    orbit_sizes.astype(np.int64), raw * self.factor,
                    (np.concatenate(upto) if upto else np.zeros(0, dtype=np.int64)) * self.factor)


def _product(parts: list) -> np.ndarray:
    """Every combination of the parts' option rows, first part most significant."""
    if not parts:
        return np.zeros((1, 0), dtype=np.int64)
    grids = np.meshgrid(*[np.arange(len(p)) for p in parts], indexing="ij")
    return np.concatenate([p[g.ravel()] for p, g in zip(parts, grids)], axis=1)
