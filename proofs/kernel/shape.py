"""The shape kernel: ``check_shape(trace)`` re-derives a shape-wide proof.

A shape-wide trace (:class:`proofs.shape.ShapeTrace`, built by
:func:`proofs.shape_theorem`) proves the power-scarcity theorem -- or the
general-sum identity -- for *every* game of one shape (players, types per
player, actions per player) at once: every payoff ``r_i[t][a]``, prior
probability ``w[t]`` and strategy probability ``s_i[t_i][a_i]`` is a symbol.
This module decides whether such a trace holds.  It does not import the
builder; it reads the trace's fields and recomputes every polynomial itself.

The algebra.  One polynomial ring over QQ (``sympy.polys.rings``, python-flint
coefficients when installed) whose generators are all the symbols of the shape
(:func:`symbol_names`): the prior ``w[t]``, the strategies ``s_i[t_i][a_i]``,
the payoffs ``r_i[t][a]``, the constant ``c`` (constant-sum theorem only) and
one opaque symbol ``M_i[t_i]`` per player and type for ``max_{a_i} F_i(t_i, a_i)``.
The interim table is written without division,
``F_i(t_i, a_i) = Σ_{t_-i} Σ_{a_-i} w[t]·Π_{j≠i} s_j[t_j][a_j]·r_i[t][a]``
(the marginal times the interim expected utility), and ``POWER(i, σ) = Σ_{t_i}
M_i[t_i]``.  A hypothesis that eliminates a symbol does so by substitution
(:data:`HYPOTHESES`): the constant sum ``r_n[t][a] = c − Σ_{i<n} r_i[t][a]``,
the prior's normalisation ``w[t_last] = 1 − Σ_{t≠t_last} w[t]`` and each
strategy's ``s_i[t_i][a_last] = 1 − Σ_{a≠a_last} s_i[t_i][a]``.  Each rule's
identity is decided by expanding both sides in the ring, after exactly the
eliminations the rule names (:data:`ELIMINATES`), and comparing: exact
arithmetic, a normal form, no ``simplify``.

The rules (one function each, :data:`RULES`):

1. ``power-definition``: each ``M_i[t_i]`` is the maximum over exactly
   ``A_i`` of the kernel's own ``F_i(t_i, ·)`` (cites the prior's
   nonnegativity: ``Ω_i·max f = max Ω_i·f``, and a type of probability 0 adds
   ``max 0 = 0``);
2. ``max-dominates-mean``: ``M_i[t_i] ≥ Σ_a s_i[t_i][a]·F_i(t_i, a)`` because
   the weights are exactly the strategy symbols of that player and type
   (nonnegative by hypothesis) and sum to 1 as a polynomial identity after the
   strategy normalisation;
3. ``total-expectation``, 4. ``linearity``: identities with no hypothesis;
5. ``constant-sum``: an identity after eliminating ``r_n``;
6. ``normalisation``: an identity after eliminating ``w[t_last]`` and every
   ``s_i[t_i][a_last]``;
5′. ``slack-sum`` (general-sum identity): ``Σ_i POWER = W + NashConv``.

The equality statement is the rule ``sum-of-nonnegatives``: step 2's left
minus right side is the sum of the per-(player, type) slacks
``M_i[t_i] − Σ_a s_i[t_i][a]·F_i(t_i, a)``, and each slack is
``Σ_a s_i[t_i][a]·(M_i[t_i] − F_i(t_i, a)) + M_i[t_i]·(1 − Σ_a s_i[t_i][a])``,
whose last factor is 0 by the normalisation: a sum of products of nonnegative
factors.  So the total is 0 iff every played action attains the maximum, i.e.
iff ``σ`` is a BNE.

>>> from proofs import shape_theorem
>>> check_shape(shape_theorem(2, 1, 2)).ok
True
"""

from __future__ import annotations

import functools
import itertools
import math
import operator
import re
from fractions import Fraction

import sympy
from sympy.polys.domains import QQ
from sympy.polys.orderings import lex
from sympy.polys.rings import PolyRing

from .kernel import Verdict, _Reject, rejection
from .trace import ProofError

__all__ = ["check_shape", "check_shape_or_raise", "symbol_names", "symbol_counts",
           "shape_problem", "shape_text", "FORMAT",
           "MAX_SYMBOLS", "MAX_PLAYERS", "HYPOTHESES", "THEOREM_HYPOTHESES", "THEOREMS",
           "NOTATION", "USES", "ELIMINATES", "DEFINITIONS", "STATEMENTS", "EQUALITY_RULE",
           "EQUALITY_USES", "EQUALITY_STATEMENTS", "RULES"]

FORMAT = "exactpower/shape-trace-v1"
#: At most this many symbols (payoffs, prior, strategies, maxima and ``c``) in one shape.
MAX_SYMBOLS = 3000
#: At most this many players.
MAX_PLAYERS = 16

#: ``name -> (statement, elimination or None)``.
HYPOTHESES = {
    "prior-nonnegative": ("w[t] ≥ 0 for every type profile t", None),
    "prior-normalised": ("Σ_t w[t] = 1", "w[t_last] = 1 − Σ_{t≠t_last} w[t]"),
    "strategy-nonnegative": ("s_i[t_i][a_i] ≥ 0 for every i, t_i, a_i", None),
    "strategy-normalised": ("Σ_{a_i} s_i[t_i][a_i] = 1 for every i, t_i",
                            "s_i[t_i][a_last] = 1 − Σ_{a≠a_last} s_i[t_i][a]"),
    "constant-sum": ("Σ_i r_i[t][a] = c for every t, a", "r_n[t][a] = c − Σ_{i<n} r_i[t][a]"),
}
_STANDING = ("prior-nonnegative", "prior-normalised", "strategy-nonnegative",
             "strategy-normalised")
THEOREM_HYPOTHESES = {"power-scarcity": _STANDING + ("constant-sum",),
                      "general-sum-identity": _STANDING}
THEOREMS = {
    "power-scarcity": ("power-definition", "max-dominates-mean", "total-expectation",
                       "linearity", "constant-sum", "normalisation"),
    "general-sum-identity": ("power-definition", "max-dominates-mean", "total-expectation",
                             "linearity", "slack-sum"),
}
_SUM_M = "Σ_i Σ_{t_i} M_i[t_i]"
_MEAN = "Σ_i Σ_{t_i} Σ_{a_i} s_i[t_i][a_i]·F_i(t_i,a_i)"
_EXPECTED = "Σ_i Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·r_i[t][a]"
_WELFARE = "Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·Σ_i r_i[t][a]"
_MASS = "Σ_t w[t] Σ_a Π_j s_j[t_j][a_j]·c"
#: ``rule -> (lhs, relation, rhs)``.
NOTATION = {
    "power-definition": ("Σ_i POWER(i,σ)", "=", _SUM_M),
    "max-dominates-mean": (_SUM_M, "≥", _MEAN),
    "total-expectation": (_MEAN, "=", _EXPECTED),
    "linearity": (_EXPECTED, "=", _WELFARE),
    "constant-sum": (_WELFARE, "=", _MASS),
    "normalisation": (_MASS, "=", "c"),
    "slack-sum": ("Σ_i POWER(i,σ)", "=", "W(σ) + NashConv(σ)"),
}
#: ``rule -> the hypotheses it cites``.
USES = {"power-definition": ("prior-nonnegative",),
        "max-dominates-mean": ("strategy-nonnegative", "strategy-normalised"),
        "total-expectation": (), "linearity": (), "constant-sum": ("constant-sum",),
        "normalisation": ("prior-normalised", "strategy-normalised"), "slack-sum": ()}
#: ``rule -> the cited hypotheses eliminated before its identity is expanded``.
ELIMINATES = {rule: () for rule in USES}
ELIMINATES.update({"constant-sum": ("constant-sum",),
                   "normalisation": ("prior-normalised", "strategy-normalised")})
DEFINITIONS = {
    "F_i(t_i,a_i)": "Σ_{t_-i} Σ_{a_-i} w[t]·Π_{j≠i} s_j[t_j][a_j]·r_i[t][a]",
    "M_i[t_i]": "max_{a_i ∈ A_i} F_i(t_i,a_i)",
    "POWER(i,σ)": "Σ_{t_i} M_i[t_i]",
    "W(σ)": _WELFARE,
    "NashConv(σ)": "Σ_i Σ_{t_i} (M_i[t_i] − Σ_{a_i} s_i[t_i][a_i]·F_i(t_i,a_i))",
}
STATEMENTS = {"power-scarcity": "Σ_i POWER(i,σ) ≥ c",
              "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) + NashConv(σ) ≥ W(σ)"}
EQUALITY_RULE = "sum-of-nonnegatives"
EQUALITY_USES = ("strategy-nonnegative", "strategy-normalised")
EQUALITY_STATEMENTS = {"power-scarcity": "Σ_i POWER(i,σ) = c iff σ is a BNE",
                       "general-sum-identity": "Σ_i POWER(i,σ) = W(σ) iff σ is a BNE"}


# -- the shape and its symbols ----------------------------------------------------------------

def shape_problem(players, types, actions) -> str | None:
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


def shape_text(players: int, types, actions) -> str:
    """The shape written ``NxTxA``, with per-player lists where the counts differ.

    >>> shape_text(2, [2, 2], [3, 3]), shape_text(3, [2, 1, 1], [2, 2, 2])
    ('2x2x3', '3x2,1,1x2')
    """
    def part(sizes):
        return str(sizes[0]) if len(set(sizes)) == 1 else ",".join(map(str, sizes))

    return f"{players}x{part(list(types))}x{part(list(actions))}"


def symbol_counts(players: int, types, actions, constant_sum: bool = True) -> dict:
    """How many symbols of each kind a (valid) shape has; computed without enumerating.

    >>> symbol_counts(2, [2, 2], [2, 2])
    {'payoffs': 32, 'prior': 4, 'strategies': 8, 'maxima': 4, 'constant': 1, 'total': 49}
    """
    profiles = math.prod(types)
    out = {"payoffs": players * profiles * math.prod(actions), "prior": profiles,
           "strategies": sum(t * a for t, a in zip(types, actions)), "maxima": sum(types),
           "constant": 1 if constant_sum else 0}
    out["total"] = sum(out.values())
    return out


def _ix(seq) -> str:
    return ",".join(map(str, seq))


def r_name(i, t, a) -> str:
    return f"r_{i + 1}[{_ix(t)}][{_ix(a)}]"


def w_name(t) -> str:
    return f"w[{_ix(t)}]"


def s_name(i, k, a) -> str:
    return f"s_{i + 1}[{k}][{a}]"


def m_name(i, k) -> str:
    return f"M_{i + 1}[{k}]"


def symbol_names(players: int, types, actions, constant_sum: bool = True) -> list:
    """The symbols of a shape, in the ring's order: ``w``, ``s``, ``r``, ``c``, ``M``.

    Players are numbered from 1, types and actions from 0.

    >>> symbol_names(1, [1], [2])
    ['w[0]', 's_1[0][0]', 's_1[0][1]', 'r_1[0][0]', 'r_1[0][1]', 'c', 'M_1[0]']
    """
    tps = list(itertools.product(*(range(k) for k in types)))
    aps = list(itertools.product(*(range(k) for k in actions)))
    names = [w_name(t) for t in tps]
    names += [s_name(i, k, a) for i in range(players) for k in range(types[i])
              for a in range(actions[i])]
    names += [r_name(i, t, a) for i in range(players) for t in tps for a in aps]
    names += ["c"] if constant_sum else []
    names += [m_name(i, k) for i in range(players) for k in range(types[i])]
    return names


class _Shape:
    """The kernel's own algebra for one shape: the ring, the symbols, the definitions."""

    def __init__(self, theorem: str, n: int, types, actions):
        self.n, self.types, self.actions = n, tuple(types), tuple(actions)
        self.cs = theorem == "power-scarcity"
        self.T = list(itertools.product(*(range(k) for k in types)))
        self.A = list(itertools.product(*(range(k) for k in actions)))
        self.names = symbol_names(n, types, actions, self.cs)
        self.R = PolyRing([sympy.Symbol(x) for x in self.names], QQ, lex)
        self.gen = dict(zip(self.names, self.R.gens))
        self.index = {x: k for k, x in enumerate(self.names)}
        self._memo, self._monos = {}, {}

    def memo(self, key, compute):
        """``compute()``, once per key (each definition is expanded once per elimination set)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def rows(self):
        return [(i, k) for i in range(self.n) for k in range(self.types[i])]

    # the symbols, after the eliminations in ``elim``
    def r(self, i, t, a, elim):
        if "constant-sum" in elim and i == self.n - 1:
            return self.gen["c"] - self.sum(self.r(j, t, a, elim) for j in range(i))
        return self.gen[r_name(i, t, a)]

    def w(self, t, elim):
        if "prior-normalised" in elim and t == self.T[-1]:
            return self.R.one - self.sum(self.gen[w_name(u)] for u in self.T[:-1])
        return self.gen[w_name(t)]

    def s(self, i, k, a, elim):
        last = self.actions[i] - 1
        if "strategy-normalised" in elim and a == last:
            return self.R.one - self.sum(self.gen[s_name(i, k, b)] for b in range(last))
        return self.gen[s_name(i, k, a)]

    def M(self, i, k):
        return self.gen[m_name(i, k)]

    def sum(self, polys):
        acc = {}
        for p in polys:
            for m, v in p.items():
                acc[m] = acc.get(m, 0) + v
        out, monos = self.R.zero, self._monos
        out.update((monos.setdefault(m, m), v) for m, v in acc.items() if v)  # shared tuples
        return out

    @staticmethod
    def prod(factors):
        return functools.reduce(operator.mul, factors)

    # the definitions (DEFINITIONS and NOTATION), after the eliminations in ``elim``
    def F(self, i, k, ai, elim=()):
        return self.memo(("F", i, k, ai, frozenset(elim)), lambda: self.sum(
            self.prod([self.w(t, elim)]
                      + [self.s(j, t[j], a[j], elim) for j in range(self.n) if j != i]
                      + [self.r(i, t, a, elim)])
            for t in self.T if t[i] == k for a in self.A if a[i] == ai))

    def power_sum(self):
        return self.memo("power", lambda: self.sum(self.M(i, k) for i, k in self.rows()))

    def mean(self, i, k):
        return self.memo(("mean", i, k), lambda: self.sum(
            self.s(i, k, a, ()) * self.F(i, k, a) for a in range(self.actions[i])))

    def mean_sum(self):
        return self.memo("means", lambda: self.sum(self.mean(i, k) for i, k in self.rows()))

    def _mix(self, t, a, elim):
        mix = lambda: self.prod([self.s(j, t[j], a[j], elim) for j in range(self.n)])  # noqa: E731
        return mix() if elim else self.memo(("mix", t, a), mix)

    def expected(self):
        return self.memo("expected", lambda: self.sum(
            self.w(t, ()) * self.sum(self._mix(t, a, ()) * self.r(i, t, a, ()) for a in self.A)
            for i in range(self.n) for t in self.T))

    def welfare(self, elim=()):
        return self.memo(("welfare", frozenset(elim)), lambda: self.sum(
            self.w(t, elim) * self.sum(
                self._mix(t, a, elim) * self.sum(self.r(i, t, a, elim) for i in range(self.n))
                for a in self.A)
            for t in self.T))

    def mass(self, elim=()):
        c = self.gen["c"]
        return self.memo(("mass", frozenset(elim)), lambda: self.sum(
            self.w(t, elim) * self.sum(self._mix(t, a, elim) * c for a in self.A)
            for t in self.T))

    def slack(self, i, k):
        return self.M(i, k) - self.mean(i, k)

    def nash_conv(self):
        return self.memo("nash_conv", lambda: self.sum(self.slack(i, k) for i, k in self.rows()))

    # polynomials written in a trace
    def text(self, monom) -> str:
        out = [self.names[j] + ("" if e == 1 else f"^{e}") for j, e in enumerate(monom) if e]
        return "*".join(out) or "1"

    def parse(self, terms, what: str):
        """A polynomial written as ``[[coefficient, monomial], ...]``; one term per monomial."""
        if not isinstance(terms, (list, tuple)):
            raise _Reject(f"{what}: expected a list of [coefficient, monomial] terms")
        out, zero = self.R.zero, [0] * len(self.names)
        for term in terms:
            if (not isinstance(term, (list, tuple)) or len(term) != 2
                    or not all(isinstance(x, str) for x in term)):
                raise _Reject(f"{what}: a term must be [coefficient, monomial] strings: {term!r}")
            coef, mono = term
            if not _COEF.fullmatch(coef) or Fraction(coef) == 0:
                raise _Reject(f"{what}: coefficient {coef!r} is not a nonzero rational")
            exps = list(zero)
            if mono != "1":
                for factor in mono.split("*"):
                    name, caret, e = factor.partition("^")
                    if name not in self.index or (caret and not _EXP.fullmatch(e)):
                        raise _Reject(f"{what}: {factor!r} is not a symbol of the shape "
                                      f"(or a symbol^k)")
                    exps[self.index[name]] += int(e) if caret else 1
            key = tuple(exps)
            if key in out:
                raise _Reject(f"{what}: monomial {mono!r} written twice")
            f = Fraction(coef)
            out[self._monos.setdefault(key, key)] = QQ(f.numerator, f.denominator)
        return out


_COEF = re.compile(r"-?[0-9]{1,60}(/[1-9][0-9]{0,59})?")
_EXP = re.compile(r"[1-9][0-9]{0,2}")


# -- checks shared by the rules -----------------------------------------------------------------

def _same(K, claimed, own, what: str) -> None:
    """``claimed`` (trace terms) is the polynomial ``own``, term by term."""
    got = K.parse(claimed, what)
    if got != own:
        diff = got - own
        m = min(diff.keys())
        raise _Reject(f"{what}: monomial {K.text(m)} has coefficient {own.get(m, 0)}, "
                      f"trace says {got.get(m, 0)} ({len(own)} terms, trace has {len(got)})")


def _premises(record, *keys) -> dict:
    prem = record.premises
    if not isinstance(prem, dict) or set(prem) != set(keys):
        shown = sorted(prem) if isinstance(prem, dict) else prem
        raise _Reject(f"premises must be exactly {sorted(keys)}, trace has {shown!r}")
    return prem


def _rows(K, records, keys, what: str) -> list:
    """Pairs (record, (i, k)): one record per player and type, in order, with exactly ``keys``."""
    if not isinstance(records, (list, tuple)) or any(not isinstance(x, dict) for x in records):
        raise _Reject(f"{what}: expected a list of records")
    want = [(i + 1, k) for i, k in K.rows()]
    got = [(x.get("player"), x.get("type")) for x in records]
    if got != want:
        raise _Reject(f"{what}: (player, type) are {got}, expected {want}")
    for x in records:
        if set(x) != {"player", "type", *keys}:
            raise _Reject(f"{what}: record keys are {sorted(x)}, expected "
                          f"{sorted({'player', 'type', *keys})}")
    return list(zip(records, K.rows()))


def _name(got, want: str, what: str) -> None:
    if got != want:
        raise _Reject(f"{what} is {got!r}, expected {want!r}")


# -- the rules: each checks its premises and side conditions, returns (lhs, rhs) ---------------

def power_definition(step, K):
    prem = _premises(step, "maxima")
    for row, (i, k) in _rows(K, prem["maxima"], ("max", "over", "F"), "maxima"):
        who = f"player {i + 1} type {k}"
        _name(row["max"], m_name(i, k), f"the maximum of {who}")
        if row["over"] != list(range(K.actions[i])):
            raise _Reject(f"the maximum of {who} is over {row['over']!r}, "
                          f"must be exactly A_i = {list(range(K.actions[i]))}")
        if not isinstance(row["F"], (list, tuple)) or len(row["F"]) != K.actions[i]:
            raise _Reject(f"F of {who}: expected one polynomial per action")
        for a, terms in enumerate(row["F"]):
            _same(K, terms, K.F(i, k, a), f"F_{i + 1}({k},{a})")
    return K.power_sum(), K.power_sum()


def max_dominates_mean(step, K):
    prem = _premises(step, "terms")
    for row, (i, k) in _rows(K, prem["terms"], ("max", "weights"), "terms"):
        who = f"player {i + 1} type {k}"
        _name(row["max"], m_name(i, k), f"the maximum of {who}")
        want = [s_name(i, k, a) for a in range(K.actions[i])]
        if row["weights"] != want:
            raise _Reject(f"the weights of {who} are {row['weights']!r}, must be exactly its "
                          f"strategy symbols {want} (nonnegative by hypothesis)")
        total = K.sum(K.s(i, k, a, ("strategy-normalised",)) for a in range(K.actions[i]))
        if total != K.R.one:
            raise _Reject(f"the weights of {who} sum to {total}, not 1")
    return K.power_sum(), K.mean_sum()


def total_expectation(step, K):
    _premises(step)
    return K.mean_sum(), K.expected()


def linearity(step, K):
    _premises(step)
    return K.expected(), K.welfare()


def constant_sum(step, K):
    _premises(step)
    elim = ELIMINATES["constant-sum"]
    return K.welfare(elim), K.mass(elim)


def normalisation(step, K):
    _premises(step)
    return K.mass(ELIMINATES["normalisation"]), K.gen["c"]


def slack_sum(step, K):
    prem = _premises(step, "welfare", "nash_conv")
    _same(K, prem["welfare"], K.welfare(), "welfare W(σ)")
    _same(K, prem["nash_conv"], K.nash_conv(), "NashConv(σ)")
    return K.power_sum(), K.welfare() + K.nash_conv()


#: ``rule -> function(step, shape) -> (lhs, rhs)`` as polynomials.
RULES = {"power-definition": power_definition, "max-dominates-mean": max_dominates_mean,
         "total-expectation": total_expectation, "linearity": linearity,
         "constant-sum": constant_sum, "normalisation": normalisation, "slack-sum": slack_sum}


def sum_of_nonnegatives(eq, K, gap):
    """The equality statement: ``gap`` (step 2's left minus right) is a sum of nonnegatives."""
    prem = _premises(eq, "total", "terms")
    slacks = []
    for row, (i, k) in _rows(K, prem["terms"], ("slack", "parts"), "terms"):
        who = f"player {i + 1} type {k}"
        own = K.slack(i, k)
        _same(K, row["slack"], own, f"slack of {who}")
        parts = row["parts"]
        if not isinstance(parts, (list, tuple)) or len(parts) != K.actions[i] or any(
                not isinstance(p, dict) or set(p) != {"action", "weight", "gap"} for p in parts):
            raise _Reject(f"parts of {who}: expected one {{action, weight, gap}} per action")
        pieces = []
        for a, part in enumerate(parts):
            if part["action"] != a:
                raise _Reject(f"parts of {who}: action {part['action']!r}, expected {a}")
            _name(part["weight"], s_name(i, k, a), f"weight of {who} action {a}")
            gap_a = K.M(i, k) - K.F(i, k, a)  # ≥ 0: M is the maximum over A_i ∋ a (step 1)
            _same(K, part["gap"], gap_a, f"gap of {who} action {a}")
            pieces.append(K.s(i, k, a, ()) * gap_a)
        weights = K.sum(K.s(i, k, a, ()) for a in range(K.actions[i]))
        if own != K.sum(pieces) + K.M(i, k) * (K.R.one - weights):
            raise _Reject(f"slack of {who} is not Σ_a s·gap + M·(1 − Σ_a s)")
        normalised = K.sum(K.s(i, k, a, ("strategy-normalised",)) for a in range(K.actions[i]))
        if normalised != K.R.one:  # so M·(1 − Σ_a s) = 0
            raise _Reject(f"the weights of {who} sum to {normalised}, not 1")
        slacks.append(own)
    total = K.sum(slacks)
    _same(K, prem["total"], total, "total slack")
    if gap != total:
        raise _Reject("step 2's left minus right side is not the sum of the slacks")


# -- the whole trace ----------------------------------------------------------------------------

def _structure(trace):
    theorem = trace.theorem
    if theorem not in THEOREMS:
        raise _Reject(f"unknown theorem {theorem!r} (known: {', '.join(THEOREMS)})")
    n, types, actions = trace.players, list(trace.types), list(trace.actions)
    problem = shape_problem(n, types, actions)
    if problem:
        raise _Reject(f"shape: {problem}")
    count = symbol_counts(n, types, actions, theorem == "power-scarcity")["total"]
    if count > MAX_SYMBOLS:
        raise _Reject(f"shape: {count} symbols, over the limit of {MAX_SYMBOLS}")
    names = symbol_names(n, types, actions, theorem == "power-scarcity")
    if list(trace.symbols) != names:
        wrong = next((f"{x!r} where {y!r} was expected" for x, y in zip(trace.symbols, names)
                      if x != y), f"{len(trace.symbols)} symbols, expected {len(names)}")
        raise _Reject(f"symbols must be exactly the shape's, in order: {wrong}")
    if dict(trace.definitions) != DEFINITIONS:
        raise _Reject(f"definitions must be exactly {DEFINITIONS}")
    want = [(h, *HYPOTHESES[h]) for h in THEOREM_HYPOTHESES[theorem]]
    got = [(h.name, h.statement, h.eliminates) for h in trace.hypotheses]
    if got != want:
        missing = [h[0] for h in want if h not in got]
        raise _Reject(f"hypotheses must be exactly {[h[0] for h in want]} with their statements"
                      + (f"; missing or changed: {missing}" if missing else f"; trace has "
                         f"{[h[0] for h in got]}"))
    rules = THEOREMS[theorem]
    if len(trace.steps) != len(rules):
        raise _Reject(f"{theorem} has {len(rules)} steps, trace has {len(trace.steps)}")
    for k, (step, rule) in enumerate(zip(trace.steps, rules), 1):
        if step.index != k or step.rule != rule:
            raise _Reject(f"step {k} of {theorem} is {rule!r}, trace has index {step.index!r} "
                          f"and rule {step.rule!r}", k, step.rule)
        if (step.lhs, step.relation, step.rhs) != NOTATION[rule]:
            raise _Reject(f"claim {step.lhs} {step.relation} {step.rhs} is not the rule's "
                          f"{' '.join(NOTATION[rule])}", k, rule)
        if tuple(step.uses) != USES[rule]:
            raise _Reject(f"cites hypotheses {list(step.uses)}, the rule needs exactly "
                          f"{list(USES[rule])}", k, rule)
    eq = trace.equality
    if (eq.rule, eq.statement, tuple(eq.uses)) != (EQUALITY_RULE, EQUALITY_STATEMENTS[theorem],
                                                   EQUALITY_USES):
        raise _Reject(f"equality must be rule {EQUALITY_RULE!r}, statement "
                      f"{EQUALITY_STATEMENTS[theorem]!r}, citing {list(EQUALITY_USES)}")
    if trace.conclusion != STATEMENTS[theorem]:
        raise _Reject(f"conclusion {trace.conclusion!r} is not {STATEMENTS[theorem]!r}")
    return _Shape(theorem, n, types, actions)


def _steps(trace, K):
    gap = None
    for step in trace.steps:
        try:
            lhs, rhs = RULES[step.rule](step, K)
            if step.relation == "=" and lhs != rhs:
                diff = lhs - rhs
                raise _Reject(f"the identity fails: left minus right has {len(diff)} terms, "
                              f"e.g. {diff[min(diff.keys())]}·{K.text(min(diff.keys()))}")
            if step.relation == "≥":
                gap = lhs - rhs
            _same(K, step.polynomial, rhs, "polynomial of the right side")
        except _Reject as exc:
            raise _Reject(exc.args[0], step.index, step.rule) from None
        except Exception as exc:  # malformed premises: reject, never crash
            raise _Reject(f"malformed ({type(exc).__name__}: {exc})", step.index,
                          step.rule) from None
    return gap


def check_shape(trace) -> Verdict:
    """The shape kernel's verdict on a shape-wide trace; never raises.

    >>> import dataclasses
    >>> from proofs import shape_theorem
    >>> trace = shape_theorem(2, 2, 2)
    >>> check_shape(trace).ok
    True
    >>> bad = dataclasses.replace(trace, steps=trace.steps[:4] + trace.steps[5:])
    >>> check_shape(bad).message
    'trace: power-scarcity has 6 steps, trace has 5'
    """
    part = None
    try:
        K = _structure(trace)
        gap = _steps(trace, K)
        part = EQUALITY_RULE
        sum_of_nonnegatives(trace.equality, K, gap)
    except Exception as exc:  # a malformed trace is rejected, never crashes the kernel
        return rejection(exc, part)
    return Verdict(True, f"valid for every game of shape "
                         f"{shape_text(trace.players, trace.types, trace.actions)}: "
                         f"{STATEMENTS[trace.theorem]}; {EQUALITY_STATEMENTS[trace.theorem]}")


def check_shape_or_raise(trace) -> Verdict:
    """:func:`check_shape`, raising :class:`proofs.ProofError` with the message when rejected."""
    verdict = check_shape(trace)
    if not verdict.ok:
        raise ProofError(verdict.message)
    return verdict
