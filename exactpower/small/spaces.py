"""The canonical games of a class, space by space (the scan behind ``GameClass``).

A *space* is one canonical shape ``(T_1..T_n, A_1..A_n)`` with one canonical
prior.  Its games are the assignments of values to its free *slots*; every
reward cell is an affine function of the slots (a derived player's cells are
``c − Σ others`` or a copy of player 1's), so the keys of all images of a block
of games under the symmetry group are one integer matrix product
(:class:`~exactpower.small.canonical.LinearKeys`), and a candidate is kept iff
it is its own canonical form.  The work units (:func:`class_units`) split
each space into ranges of its trailing (least significant) slots.

>>> from exactpower.small.classes import GameClass
>>> c = GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum")
>>> [shape for shape, _ in class_shapes(c)], len(class_units(c))
([(1, 1, 2, 2)], 1)
>>> s = c.scan(class_units(c)[0])
>>> len(s.orbit_sizes), int(s.orbit_sizes.sum()), s.raw
(15, 81, 81)
"""

from __future__ import annotations

import bisect
import functools
import itertools
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from ..errors import LimitError
from ..limits import MAX_GROUP
from .canonical import LinearKeys, Relabelling, lex_min
from .priors import FixedPrior, prior_family

if TYPE_CHECKING:
    from .classes import GameClass

__all__ = [
    "Scan",
    "Unit",
    "Units",
    "Space",
    "class_shapes",
    "class_group",
    "class_priors",
    "class_spaces",
    "class_units",
    "MAX_GROUP",
]

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


class Unit(NamedTuple):
    """A block of the canonical game stream: outer candidates ``start..stop`` of one space."""

    index: int  # type: ignore[assignment]  # shadows tuple.index; the field name is the API
    space: int
    start: int
    stop: int


# -- shapes, groups, priors ------------------------------------------------------------


@functools.lru_cache(maxsize=64)
def class_shapes(cls: GameClass) -> tuple:
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
def class_group(cls: GameClass, shape: tuple) -> tuple:
    size = len(
        [
            pi
            for pi in cls.player_permutations()
            if Relabelling(pi, (), ()).shape_image(shape) == shape
        ]
    )
    n = cls.players
    if "types" in cls.symmetries:
        size *= math.prod(math.factorial(k) for k in shape[:n])
    if "actions" in cls.symmetries:
        size *= math.prod(math.factorial(k) for k in shape[n:])
    if size > MAX_GROUP:
        raise LimitError(
            f"class: the symmetry group of shape {shape} has {size} elements, "
            f"more than {MAX_GROUP}; use fewer symmetries"
        )
    elements = cls.relabellings(shape, shape)
    gathers = [g.gathers(shape) for g in elements]
    return (tuple(elements), np.array([r for r, _ in gathers]), np.array([p for _, p in gathers]))


@functools.lru_cache(maxsize=64)
def class_priors(cls: GameClass, shape: tuple) -> tuple:
    """``((prior, orbit size, stabiliser indices), ...)`` for the canonical priors of ``shape``."""
    _elements, _rg, pg = class_group(cls, shape)
    n = cls.players
    found: dict = {}
    for w in prior_family(cls.prior, shape[:n]):
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
            raise AssertionError(
                f"class: prior orbit {orbit} x stabiliser {len(stab)} != group {len(pg)}"
            )
        prior = flat.reshape(shape[:n])
        prior.flags.writeable = False  # shared by every game of the space
        out.append((prior, orbit, stab))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def class_spaces(cls: GameClass) -> tuple:
    out = []
    for shape, shape_orbit in class_shapes(cls):
        for prior, prior_orbit, stab in class_priors(cls, shape):
            out.append(Space(cls, shape, prior, shape_orbit * prior_orbit, stab))
    return tuple(out)


@functools.lru_cache(maxsize=16)
def class_units(cls: GameClass) -> Units:
    """The work units of the class, in order: a lazy :class:`Units` sequence."""
    layout = []
    first = 0
    for space in class_spaces(cls):
        step = max(1, min(UNIT_RAW // space.n_inner, -(-space.n_outer // MIN_UNITS)))
        layout.append((first, step, space.n_outer))
        first += -(-space.n_outer // step)
    return Units(tuple(layout), range(first))


class Units(Sequence):
    """The work units of a class (or every ``N``-th of them: a shard), made on demand.

    A class of 10^15 games has billions of units; none is made before it is used.
    ``layout`` holds per space ``(index of its first unit, candidates per unit, outer
    candidates)``; ``indices`` the unit indices of this sequence (a ``range``).
    ``size`` is the number of units (``len()`` too, when it fits an index).

    >>> from exactpower.small.classes import GameClass
    >>> units = class_units(GameClass(3, 1, 2, (0, 1)))
    >>> units.size, units[0], units[-1]
    (64, Unit(index=0, space=0, start=0, stop=8), Unit(index=63, space=0, start=504, stop=512))
    >>> shard = units[1::2]  # what --shard 2/2 runs
    >>> shard.size, shard[0]
    (32, Unit(index=1, space=0, start=8, stop=16))
    >>> class_units(GameClass(2, 2, 2, (-1, 0, 1))).size  # 1.85e15 games; no unit is built
    7241782987
    """

    def __init__(self, layout: tuple, indices: range):
        self.layout, self.indices = layout, indices

    @property
    def size(self) -> int:
        r = self.indices
        return max(0, (r.stop - r.start + r.step - 1) // r.step) if r.step > 0 else len(r)

    def __len__(self) -> int:
        return self.size

    def __getitem__(self, position):
        if isinstance(position, slice):
            return Units(self.layout, self.indices[position])
        return self._unit(self.indices[position])

    def __iter__(self):
        return map(self._unit, iter(self.indices))

    def _unit(self, index: int) -> Unit:
        space = bisect.bisect_right([first for first, _, _ in self.layout], index) - 1
        first, step, n_outer = self.layout[space]
        start = (index - first) * step
        return Unit(index, space, start, min(start + step, n_outer))

    def __repr__(self) -> str:
        return f"<Units: {self.size} work units>"


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


class Space:
    """The games of one (canonical) shape and prior: free slots, cells, keys."""

    def __init__(self, cls: GameClass, shape, prior, factor: int, stab: tuple):
        n = cls.players
        self.cls, self.shape, self.prior, self.factor = cls, shape, prior, factor
        self.full = (n, *shape)
        tshape = shape[:n]
        support = [t for t in np.ndindex(tshape) if prior[t] > 0]
        parts, options, slot_of = self._slots(support)
        cells = [(i, t, a) for i in range(n) for t in support for a in np.ndindex(shape[n:])]
        self.rows, self.const = self._cells(cells, slot_of)
        self._constraints(cells, support)
        self.cell_flat = np.array(
            [np.ravel_multi_index((i, *t, *a), self.full) for i, t, a in cells], dtype=np.int64
        )
        self.stab = stab
        self._keys(cells)
        self._inner(parts, options)

    def _slots(self, support: list) -> tuple:
        """``(parts, options, slot_of)``: the free slots grouped into parts (one slot each, or
        one permutation group each for strict-ordinal rewards) and each part's value rows."""
        cls, n = self.cls, self.cls.players
        tshape, ashape = self.shape[:n], self.shape[n:]
        positive = [
            [k for k in range(tshape[i]) if any(t[i] == k for t in support)] for i in range(n)
        ]
        own = cls.reward_form == "own-type"
        slot_of: dict = {}
        parts: list = []
        for i in cls.free_players:
            for key in [(k,) for k in positive[i]] if own else support:
                group = []
                for a in np.ndindex(ashape):
                    slot_of[(i, key, a)] = len(slot_of)
                    group.append(slot_of[(i, key, a)])
                parts.extend(
                    [group] if cls.reward_sets == "strict-ordinal" else [[s] for s in group]
                )
        alphabet = np.array(cls.alphabet, dtype=np.int64)
        if cls.reward_sets == "strict-ordinal":
            options = [
                np.array(
                    list(itertools.permutations(cls.alphabet, len(p))), dtype=np.int64
                ).reshape(-1, len(p))
                for p in parts
            ]
        else:
            options = [alphabet.reshape(-1, 1) for _ in parts]
        return parts, options, slot_of

    def _cells(self, cells: list, slot_of: dict) -> tuple:
        """``(rows, const)``: cell ``(i, t, a)`` on the support holds ``const + rows @ x``."""
        cls, n = self.cls, self.cls.players
        own = cls.reward_form == "own-type"
        free = cls.free_players
        index = {c: k for k, c in enumerate(cells)}
        rows = np.zeros((len(cells), len(slot_of)), dtype=np.int64)
        const = np.zeros(len(cells), dtype=np.int64)
        for k, (i, t, a) in enumerate(cells):
            if i in free:
                rows[k, slot_of[(i, (t[i],) if own else t, a)]] = 1
            elif cls.constraint == "identical":
                rows[k] = rows[index[(0, t, a)]]
            else:  # constant-sum: c − Σ others
                const[k] = cls.constant_numerator
                for j in range(n - 1):
                    rows[k] -= rows[index[(j, t, a)]]
        return rows, const

    def _constraints(self, cells: list, support: list) -> None:
        """Derived players in own-type form must not depend on the others' types: the rows
        ``cons_rows @ x + cons_const == 0`` of a valid candidate."""
        cls = self.cls
        index = {c: k for k, c in enumerate(cells)}
        cons = []
        if cls.reward_form == "own-type":
            for k, (i, t, a) in enumerate(cells):
                if i not in cls.free_players:
                    first = index[(i, next(s for s in support if s[i] == t[i]), a)]
                    if first != k:
                        cons.append(
                            (self.rows[k] - self.rows[first], self.const[k] - self.const[first])
                        )
        self.cons_rows = np.zeros((len(cons), self.rows.shape[1]), dtype=np.int64)
        for k, (r, _) in enumerate(cons):
            self.cons_rows[k] = r
        self.cons_const = np.array([c for _, c in cons], dtype=np.int64)

    def _keys(self, cells: list) -> None:
        """Keys over the free players' cells for the stabiliser of the prior, and the
        prefilter: the identity and the relabellings that change the fewest labels."""
        cls, n, stab = self.cls, self.cls.players, self.stab
        free = cls.free_players
        elements, rg, _pg = class_group(cls, self.shape)
        flat_to_cell = {int(f): k for k, f in enumerate(self.cell_flat)}
        positions = [k for k, (i, _t, _a) in enumerate(cells) if i in free]
        sources = np.array(
            [[flat_to_cell[int(rg[g][self.cell_flat[p]])] for p in positions] for g in stab],
            dtype=np.int64,
        ).reshape(len(stab), len(positions))
        lo, hi = min(cls.alphabet), max(cls.alphabet)
        if cls.constraint == "constant-sum":
            c_num = cls.constant_numerator
            lo, hi = min(lo, c_num - (n - 1) * hi), max(hi, c_num - (n - 1) * lo)
        top = max(abs(v) for v in cls.alphabet)
        self.keys = LinearKeys(self.rows, self.const, range(len(positions)), sources, lo, hi, top)
        moved = [
            sum(
                tuple(p) != tuple(range(len(p)))
                for p in (elements[g].players, *elements[g].types, *elements[g].actions)
            )
            for g in stab
        ]
        self.pre = [0] + sorted(range(1, len(stab)), key=lambda k: (moved[k], k))[:PREFILTER]

    def _inner(self, parts: list, options: list) -> None:
        """Inner block: the longest prefix of parts with at most INNER_MAX candidates (the most
        significant cells, so that every unit -- a range of the trailing cells -- holds a
        similar share of the canonical games)."""
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
                oi, ii, stab = oi[: limit - kept], ii[: limit - kept], stab[: limit - kept]
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
        return Scan(
            rewards,
            self.prior,
            orbit_sizes.astype(np.int64),
            raw * self.factor,
            (np.concatenate(upto) if upto else np.zeros(0, dtype=np.int64)) * self.factor,
        )


def _product(parts: list) -> np.ndarray:
    """Every combination of the parts' option rows, first part most significant."""
    if not parts:
        return np.zeros((1, 0), dtype=np.int64)
    grids = np.meshgrid(*[np.arange(len(p)) for p in parts], indexing="ij")
    return np.concatenate([p[g.ravel()] for p, g in zip(parts, grids)], axis=1)
