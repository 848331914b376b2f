"""The shape kernel's algebra: the symbols of a shape and its polynomial ring.

One polynomial ring over QQ (``sympy.polys.rings``, python-flint coefficients when
installed) whose generators are all the symbols of the shape (:func:`symbol_names`): the
prior ``w[t]``, the strategies ``s_i[t_i][a_i]``, the payoffs ``r_i[t][a]``, the constant
``c`` (constant-sum theorem only) and one opaque symbol ``M_i[t_i]`` per player and type for
``max_{a_i} F_i(t_i, a_i)``.  :class:`ShapeRing` expands each definition of
:data:`proofs.kernel.theorems.DEFINITIONS` in it, after the eliminations a rule names, and
reads the polynomials a trace writes (:meth:`ShapeRing.parse`); it is also the algebra of
the rule loop (:func:`proofs.kernel.loop.run_rules`).

>>> K = ShapeRing("power-scarcity", 1, [1], [2])
>>> len(K.names), K.text(next(iter(K.F(0, 0, 1)))), K.equal(K.power_sum(), K.M(0, 0))
(7, 'w[0]*r_1[0][1]', True)
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from collections.abc import Callable, Collection, Iterable, Sequence
from fractions import Fraction
from typing import Any

import sympy
from sympy.polys.domains import QQ
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyRing

from exactpower.limits import MAX_SHAPE_PLAYERS as MAX_PLAYERS
from exactpower.limits import MAX_SHAPE_SYMBOLS as MAX_SYMBOLS

from .guard import Reject
from .records import ShapeStep

#: An element of the shape's polynomial ring (sympy's ``PolyElement``: a dict from monomials,
#: tuples of exponents, to coefficients; sympy ships no type information, hence ``Any``).
Poly = Any
#: The hypotheses whose eliminations apply (names of :data:`proofs.kernel.theorems.HYPOTHESES`).
Elim = Collection[str]

__all__ = [
    "MAX_PLAYERS",
    "MAX_SYMBOLS",
    "ShapeRing",
    "m_name",
    "r_name",
    "s_name",
    "shape_problem",
    "shape_text",
    "symbol_counts",
    "symbol_names",
    "w_name",
]


def shape_problem(players: object, types: object, actions: object) -> str | None:
    """What is wrong with a shape (``players`` an int, ``types``/``actions`` int lists), or None.

    >>> shape_problem(2, [2, 2], [2, 2]) is None, shape_problem(2, [2], [2, 2])
    (True, 'types: 1 entries for 2 players')
    """
    if type(players) is not int or not 1 <= players <= MAX_PLAYERS:
        return f"players must be an integer from 1 to {MAX_PLAYERS}, not {players!r}"
    for what, sizes in (("types", types), ("actions", actions)):
        if not isinstance(sizes, (list, tuple)):
            return f"{what}: expected one count per player, got {sizes!r}"
        if len(sizes) != players:
            return f"{what}: {len(sizes)} entries for {players} players"
        if any(type(k) is not int or k < 1 for k in sizes):
            return f"{what}: every count must be a positive integer, got {list(sizes)}"
    return None


def shape_text(players: int, types: Iterable[int], actions: Iterable[int]) -> str:
    """The shape written ``NxTxA``, with per-player lists where the counts differ.

    >>> shape_text(2, [2, 2], [3, 3]), shape_text(3, [2, 1, 1], [2, 2, 2])
    ('2x2x3', '3x2,1,1x2')
    """

    def part(sizes: list[int]) -> str:
        return str(sizes[0]) if len(set(sizes)) == 1 else ",".join(map(str, sizes))

    return f"{players}x{part(list(types))}x{part(list(actions))}"


def symbol_counts(
    players: int, types: Sequence[int], actions: Sequence[int], constant_sum: bool = True
) -> dict[str, int]:
    """How many symbols of each kind a (valid) shape has; computed without enumerating.

    >>> symbol_counts(2, [2, 2], [2, 2])
    {'payoffs': 32, 'prior': 4, 'strategies': 8, 'maxima': 4, 'constant': 1, 'total': 49}
    """
    profiles = math.prod(types)
    out = {
        "payoffs": players * profiles * math.prod(actions),
        "prior": profiles,
        "strategies": sum(t * a for t, a in zip(types, actions)),
        "maxima": sum(types),
        "constant": 1 if constant_sum else 0,
    }
    out["total"] = sum(out.values())
    return out


def _ix(seq: Iterable[int]) -> str:
    return ",".join(map(str, seq))


def r_name(i: int, t: Iterable[int], a: Iterable[int]) -> str:
    return f"r_{i + 1}[{_ix(t)}][{_ix(a)}]"


def w_name(t: Iterable[int]) -> str:
    return f"w[{_ix(t)}]"


def s_name(i: int, k: int, a: int) -> str:
    return f"s_{i + 1}[{k}][{a}]"


def m_name(i: int, k: int) -> str:
    return f"M_{i + 1}[{k}]"


def symbol_names(
    players: int, types: Sequence[int], actions: Sequence[int], constant_sum: bool = True
) -> list[str]:
    """The symbols of a shape, in the ring's order: ``w``, ``s``, ``r``, ``c``, ``M``.

    Players are numbered from 1, types and actions from 0.

    >>> symbol_names(1, [1], [2])
    ['w[0]', 's_1[0][0]', 's_1[0][1]', 'r_1[0][0]', 'r_1[0][1]', 'c', 'M_1[0]']
    """
    tps = list(itertools.product(*(range(k) for k in types)))
    aps = list(itertools.product(*(range(k) for k in actions)))
    names = [w_name(t) for t in tps]
    names += [
        s_name(i, k, a) for i in range(players) for k in range(types[i]) for a in range(actions[i])
    ]
    names += [r_name(i, t, a) for i in range(players) for t in tps for a in aps]
    names += ["c"] if constant_sum else []
    names += [m_name(i, k) for i in range(players) for k in range(types[i])]
    return names


class ShapeRing:
    """The kernel's own algebra for one shape: the ring, the symbols, the definitions."""

    def __init__(self, theorem: str, n: int, types: Sequence[int], actions: Sequence[int]) -> None:
        self.n, self.types, self.actions = n, tuple(types), tuple(actions)
        self.cs = theorem == "power-scarcity"
        self.T = list(itertools.product(*(range(k) for k in types)))
        self.A = list(itertools.product(*(range(k) for k in actions)))
        self.names = symbol_names(n, types, actions, self.cs)
        self.R = PolyRing([sympy.Symbol(x) for x in self.names], QQ, lex)
        self.gen = dict(zip(self.names, self.R.gens))
        self.index = {x: k for k, x in enumerate(self.names)}
        self._memo: dict[object, Poly] = {}
        self._monos: dict[tuple[int, ...], tuple[int, ...]] = {}

    def memo(self, key: object, compute: Callable[[], Poly]) -> Poly:
        """``compute()``, once per key (each definition is expanded once per elimination set)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def rows(self) -> list[tuple[int, int]]:
        return [(i, k) for i in range(self.n) for k in range(self.types[i])]

    # the symbols, after the eliminations in ``elim``
    def r(self, i: int, t: tuple[int, ...], a: tuple[int, ...], elim: Elim) -> Poly:
        if "constant-sum" in elim and i == self.n - 1:
            return self.gen["c"] - self.sum(self.r(j, t, a, elim) for j in range(i))
        return self.gen[r_name(i, t, a)]

    def w(self, t: tuple[int, ...], elim: Elim) -> Poly:
        if "prior-normalised" in elim and t == self.T[-1]:
            return self.R.one - self.sum(self.gen[w_name(u)] for u in self.T[:-1])
        return self.gen[w_name(t)]

    def s(self, i: int, k: int, a: int, elim: Elim) -> Poly:
        last = self.actions[i] - 1
        if "strategy-normalised" in elim and a == last:
            return self.R.one - self.sum(self.gen[s_name(i, k, b)] for b in range(last))
        return self.gen[s_name(i, k, a)]

    def M(self, i: int, k: int) -> Poly:
        return self.gen[m_name(i, k)]

    def sum(self, polys: Iterable[Poly]) -> Poly:
        acc: dict[tuple[int, ...], Any] = {}
        for p in polys:
            for m, v in p.items():
                acc[m] = acc.get(m, 0) + v
        out, monos = self.R.zero, self._monos
        out.update((monos.setdefault(m, m), v) for m, v in acc.items() if v)  # shared tuples
        return out

    @staticmethod
    def prod(factors: Iterable[Poly]) -> Poly:
        return functools.reduce(operator.mul, factors)

    # the definitions (DEFINITIONS and NOTATION), after the eliminations in ``elim``
    def F(self, i: int, k: int, ai: int, elim: Elim = ()) -> Poly:
        return self.memo(
            ("F", i, k, ai, frozenset(elim)),
            lambda: self.sum(
                self.prod(
                    [self.w(t, elim)]
                    + [self.s(j, t[j], a[j], elim) for j in range(self.n) if j != i]
                    + [self.r(i, t, a, elim)]
                )
                for t in self.T
                if t[i] == k
                for a in self.A
                if a[i] == ai
            ),
        )

    def power_sum(self) -> Poly:
        return self.memo("power", lambda: self.sum(self.M(i, k) for i, k in self.rows()))

    def mean(self, i: int, k: int) -> Poly:
        return self.memo(
            ("mean", i, k),
            lambda: self.sum(self.s(i, k, a, ()) * self.F(i, k, a) for a in range(self.actions[i])),
        )

    def mean_sum(self) -> Poly:
        return self.memo("means", lambda: self.sum(self.mean(i, k) for i, k in self.rows()))

    def _mix(self, t: tuple[int, ...], a: tuple[int, ...], elim: Elim) -> Poly:
        def mix() -> Poly:
            return self.prod([self.s(j, t[j], a[j], elim) for j in range(self.n)])

        return mix() if elim else self.memo(("mix", t, a), mix)

    def expected(self) -> Poly:
        return self.memo(
            "expected",
            lambda: self.sum(
                self.w(t, ()) * self.sum(self._mix(t, a, ()) * self.r(i, t, a, ()) for a in self.A)
                for i in range(self.n)
                for t in self.T
            ),
        )

    def welfare(self, elim: Elim = ()) -> Poly:
        return self.memo(
            ("welfare", frozenset(elim)),
            lambda: self.sum(
                self.w(t, elim)
                * self.sum(
                    self._mix(t, a, elim) * self.sum(self.r(i, t, a, elim) for i in range(self.n))
                    for a in self.A
                )
                for t in self.T
            ),
        )

    def mass(self, elim: Elim = ()) -> Poly:
        c = self.gen["c"]
        return self.memo(
            ("mass", frozenset(elim)),
            lambda: self.sum(
                self.w(t, elim) * self.sum(self._mix(t, a, elim) * c for a in self.A)
                for t in self.T
            ),
        )

    def slack(self, i: int, k: int) -> Poly:
        return self.M(i, k) - self.mean(i, k)

    def nash_conv(self) -> Poly:
        return self.memo("nash_conv", lambda: self.sum(self.slack(i, k) for i, k in self.rows()))

    # the algebra of the rule loop
    @staticmethod
    def equal(a: Poly, b: Poly) -> bool:
        return bool(a == b)

    def written(self, step: ShapeStep, rhs: Poly) -> None:
        self.expect(step.polynomial, rhs, "polynomial of the right side")

    def difference(self, lhs: Poly, rhs: Poly) -> str:
        diff = lhs - rhs
        m = min(diff.keys())
        return (
            f"the identity fails: left minus right has {len(diff)} terms, "
            f"e.g. {diff[m]}·{self.text(m)}"
        )

    def expect(self, claimed: object, own: Poly, what: str) -> None:
        """``claimed`` (trace terms) is the polynomial ``own``, term by term."""
        got = self.parse(claimed, what)
        if got != own:
            m = min((got - own).keys())
            raise Reject(
                f"{what}: monomial {self.text(m)} has coefficient {own.get(m, 0)}, "
                f"trace says {got.get(m, 0)} ({len(own)} terms, trace has {len(got)})"
            )

    # polynomials written in a trace
    def text(self, monom: Iterable[int]) -> str:
        out = [self.names[j] + ("" if e == 1 else f"^{e}") for j, e in enumerate(monom) if e]
        return "*".join(out) or "1"

    def parse(self, terms: object, what: str) -> Poly:
        """A polynomial written as ``[[coefficient, monomial], ...]``; one term per monomial."""
        if not isinstance(terms, (list, tuple)):
            raise Reject(f"{what}: expected a list of [coefficient, monomial] terms")
        out, zero = self.R.zero, [0] * len(self.names)
        for term in terms:
            if (
                not isinstance(term, (list, tuple))
                or len(term) != 2
                or not all(isinstance(x, str) for x in term)
            ):
                raise Reject(f"{what}: a term must be [coefficient, monomial] strings: {term!r}")
            coef, mono = term
            if not _COEF.fullmatch(coef) or Fraction(coef) == 0:
                raise Reject(f"{what}: coefficient {coef!r} is not a nonzero rational")
            exps = list(zero)
            if mono != "1":
                for factor in mono.split("*"):
                    name, caret, e = factor.partition("^")
                    if name not in self.index or (caret and not _EXP.fullmatch(e)):
                        raise Reject(
                            f"{what}: {factor!r} is not a symbol of the shape (or a symbol^k)"
                        )
                    exps[self.index[name]] += int(e) if caret else 1
            key = tuple(exps)
            if key in out:
                raise Reject(f"{what}: monomial {mono!r} written twice")
            f = Fraction(coef)
            out[self._monos.setdefault(key, key)] = QQ(f.numerator, f.denominator)
        return out


_COEF = re.compile(r"-?[0-9]{1,60}(/[1-9][0-9]{0,59})?")
_EXP = re.compile(r"[1-9][0-9]{0,2}")
