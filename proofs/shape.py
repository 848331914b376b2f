"""Shape-wide proofs: the power-scarcity theorem for every game of one shape at once.

:func:`shape_theorem` writes a :class:`ShapeTrace` in which every payoff
``r_i[t][a]``, prior probability ``w[t]`` and strategy probability
``s_i[t_i][a_i]`` is a symbol; :func:`proofs.kernel.check_shape` checks it
by polynomial identities (see that module for the algebra and the rules).  The
builder knows the normal forms in advance (each step's right side is a sum of
distinct monomials, one per cell) and writes them with plain dictionaries; the
kernel recomputes every one in a sympy polynomial ring.

Polynomials are written as lists of ``[coefficient, monomial]`` string pairs,
``monomial`` being ``"1"`` or symbol names joined by ``*`` (``name^k`` for a
power), one term per monomial: ``[["1", "M_1[0]"], ["-1", "w[0]*s_1[0][0]*r_1[0][0]"]]``.

>>> from proofs import shape_theorem, check_shape
>>> trace = shape_theorem(2, 2, 2)
>>> trace.shape, trace.counts["total"], [(s.rule, s.relation, s.terms) for s in trace.steps]
... # doctest: +NORMALIZE_WHITESPACE
('2x2x2', 49, [('power-definition', '=', 4), ('max-dominates-mean', '≥', 32),
 ('total-expectation', '=', 32), ('linearity', '=', 32), ('constant-sum', '=', 16),
 ('normalisation', '=', 1)])
>>> check_shape(trace).ok
True
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from exactpower.errors import GameStructureError, LimitError

from .kernel.records import ShapeEquality, ShapeHypothesis, ShapeStep, ShapeTraceRecord
from .kernel.ring import (
    MAX_PLAYERS,
    MAX_SYMBOLS,
    m_name,
    r_name,
    s_name,
    shape_problem,
    shape_text,
    symbol_counts,
    symbol_names,
    w_name,
)
from .kernel.shape import check_shape
from .kernel.theorems import (
    DEFINITIONS,
    EQUALITY_RULE,
    EQUALITY_STATEMENTS,
    EQUALITY_USES,
    HYPOTHESES,
    SHAPE_NOTATION,
    STATEMENTS,
    THEOREM_HYPOTHESES,
    THEOREMS,
    USES,
)
from .trace import render

__all__ = [
    "FORMAT",
    "ShapeEquality",
    "ShapeHypothesis",
    "ShapeStep",
    "ShapeTrace",
    "check_shape",
    "normalise_shape",
    "shape_theorem",
]

FORMAT = "exactpower/shape-trace-v1"


@dataclass(frozen=True)
class ShapeTrace(ShapeTraceRecord):
    """A proof of ``theorem`` for every game of one shape, the kernel's record
    (:class:`proofs.kernel.records.ShapeTraceRecord`) with its JSON form; check it with
    :func:`proofs.check_shape`.

    >>> trace = shape_theorem(1, 1, 1)
    >>> trace.steps[-1].polynomial, ShapeTrace.from_json(trace.to_json()) == trace
    ((('1', 'c'),), True)
    """

    @property
    def shape(self) -> str:
        """The shape as text: ``2x2x2``, or ``3x2,1,1x2`` with per-player lists."""
        return shape_text(self.players, self.types, self.actions)

    @property
    def counts(self) -> dict:
        """Symbols per kind: payoffs, prior, strategies, maxima, constant, total."""
        return symbol_counts(
            self.players, self.types, self.actions, self.theorem == "power-scarcity"
        )

    # -- JSON ------------------------------------------------------------------
    def to_data(self) -> dict:
        """The JSON-ready dict (``exactpower/shape-trace-v1``)."""
        return {
            "format": FORMAT,
            "theorem": self.theorem,
            "shape": {
                "players": self.players,
                "types": list(self.types),
                "actions": list(self.actions),
            },
            "symbols": list(self.symbols),
            "definitions": dict(self.definitions),
            "hypotheses": [
                {"name": h.name, "statement": h.statement, "eliminates": h.eliminates}
                for h in self.hypotheses
            ],
            "steps": [
                {
                    "index": s.index,
                    "rule": s.rule,
                    "lhs": s.lhs,
                    "relation": s.relation,
                    "rhs": s.rhs,
                    "uses": list(s.uses),
                    "polynomial": [list(t) for t in s.polynomial],
                    "premises": s.premises,
                }
                for s in self.steps
            ],
            "equality": {
                "rule": self.equality.rule,
                "statement": self.equality.statement,
                "uses": list(self.equality.uses),
                "premises": self.equality.premises,
            },
            "conclusion": self.conclusion,
        }

    def to_json(self) -> str:
        """The trace as JSON text."""
        return render(self.to_data(), "") + "\n"

    @classmethod
    def from_data(cls, data, *, source: str = "shape trace") -> ShapeTrace:
        """Read :meth:`to_data`'s dict back; raises :class:`ProofError` on malformed data."""
        from .reading import as_tree, shape_trace_from_tree

        return shape_trace_from_tree(as_tree(data, source), source)

    @classmethod
    def from_json(cls, text, *, source: str = "shape trace") -> ShapeTrace:
        """Read :meth:`to_json`'s text back, by :mod:`proofs.reading` (the exact JSON reader,
        duplicate keys refused, exact key sets); raises :class:`ProofError` on malformed text."""
        from .reading import read_tree, shape_trace_from_tree

        return shape_trace_from_tree(read_tree(text, source), source)


# -- the builder -------------------------------------------------------------------------------


def _sizes(value, players: int, what: str) -> list:
    if type(value) is int:
        return [value] * players
    if isinstance(value, (list, tuple)):
        return list(value)
    raise GameStructureError(
        f"shape: {what} must be an integer or one integer per player, not {value!r}"
    )


def normalise_shape(players, types, actions, constant_sum: bool = True):
    """``(players, types, actions)`` with per-player lists; raises on a bad or too large shape.

    >>> normalise_shape(3, [2, 1, 1], 2)
    (3, [2, 1, 1], [2, 2, 2])
    >>> normalise_shape(9, 3, 3)
    Traceback (most recent call last):
    ...
    exactpower.errors.LimitError: shape 9x3x3: 3486804193 symbols, over the limit of 3000
    """
    if type(players) is not int or players < 1:
        raise GameStructureError(f"shape: players must be a positive integer, not {players!r}")
    if players > MAX_PLAYERS:
        raise LimitError(f"shape: {players} players, over the limit of {MAX_PLAYERS}")
    types, actions = _sizes(types, players, "types"), _sizes(actions, players, "actions")
    problem = shape_problem(players, types, actions)
    if problem:
        raise GameStructureError(f"shape: {problem}")
    total = symbol_counts(players, types, actions, constant_sum)["total"]
    if total > MAX_SYMBOLS:
        raise LimitError(
            f"shape {shape_text(players, types, actions)}: {total} symbols, "
            f"over the limit of {MAX_SYMBOLS}"
        )
    return players, types, actions


class _Polys:
    """Sparse polynomials with integer coefficients: ``{sorted index tuple: int}``."""

    def __init__(self, names):
        self.names = names
        self.index = {x: k for k, x in enumerate(names)}

    def mono(self, *names) -> tuple:
        return tuple(sorted(self.index[x] for x in names))

    def terms(self, poly: dict) -> list:
        out = []
        for m in sorted(poly):
            if poly[m]:
                factors = [
                    self.names[j] + ("" if e == 1 else f"^{e}")
                    for j, e in sorted((j, m.count(j)) for j in set(m))
                ]
                out.append([str(poly[m]), "*".join(factors) or "1"])
        return out

    @staticmethod
    def add(*polys, signs=None) -> dict:
        out: dict = {}
        for p, sign in zip(polys, signs or [1] * len(polys)):
            for m, v in p.items():
                out[m] = out.get(m, 0) + sign * v
        return {m: v for m, v in out.items() if v}


def _equality(theorem, P, rows, actions, polys) -> ShapeEquality:
    """The equality statement's premises: per (player, type) its slack and, per action, the
    weight and the gap ``M − F``."""
    M, F, slack, total = polys
    return ShapeEquality(
        EQUALITY_RULE,
        EQUALITY_STATEMENTS[theorem],
        EQUALITY_USES,
        {
            "total": P.terms(total),
            "terms": [
                {
                    "player": i + 1,
                    "type": k,
                    "slack": P.terms(slack[(i, k)]),
                    "parts": [
                        {
                            "action": a,
                            "weight": s_name(i, k, a),
                            "gap": P.terms(P.add(M[(i, k)], F[(i, k, a)], signs=(1, -1))),
                        }
                        for a in range(actions[i])
                    ],
                }
                for i, k in rows
            ],
        },
    )


def shape_theorem(players, types, actions, *, constant_sum: bool = True) -> ShapeTrace:
    """Prove the power-scarcity theorem for every game of a shape, all data symbolic.

    Parameters
    ----------
    players : int
        The number of players (at most :data:`proofs.kernel.ring.MAX_PLAYERS`).
    types, actions : int or list of int
        The number of types and of actions, the same for every player or one per player.
    constant_sum : bool
        ``True``: ``Σ_i POWER(i,σ) ≥ c`` with equality iff ``σ`` is a BNE, for every
        constant-sum game of the shape.  ``False``: the general-sum identity
        ``Σ_i POWER(i,σ) = W(σ) + NashConv(σ)`` for every game of the shape.

    Returns
    -------
    ShapeTrace
        Unchecked: pass it to :func:`proofs.check_shape`.

    Raises
    ------
    exactpower.GameStructureError
        A shape that is not one (no players, a count below 1, a list of the wrong length).
    exactpower.LimitError
        More than :data:`proofs.kernel.ring.MAX_SYMBOLS` symbols.

    Examples
    --------
    >>> trace = shape_theorem(3, [2, 1, 1], 2)
    >>> trace.shape, trace.counts["payoffs"], trace.steps[4].polynomial[0]
    ('3x2,1,1x2', 48, ('1', 'w[0,0,0]*s_1[0][0]*s_2[0][0]*s_3[0][0]*c'))
    >>> shape_theorem(2, 2, 2, constant_sum=False).steps[-1].rule
    'slack-sum'
    """
    n, types, actions = normalise_shape(players, types, actions, constant_sum)
    theorem = "power-scarcity" if constant_sum else "general-sum-identity"
    names = symbol_names(n, types, actions, constant_sum)
    P = _Polys(names)
    rows = [(i, k) for i in range(n) for k in range(types[i])]
    F, means, mass = _cells(P, n, types, actions, rows, constant_sum)
    M = {row: {P.mono(m_name(*row)): 1} for row in rows}
    slack = {row: P.add(M[row], means[row], signs=(1, -1)) for row in rows}
    total = P.add(*slack.values())
    steps = _steps(theorem, P, rows, actions, (M, F, means, mass, total))
    equality = _equality(theorem, P, rows, actions, (M, F, slack, total))
    hypotheses = tuple(ShapeHypothesis(h, *HYPOTHESES[h]) for h in THEOREM_HYPOTHESES[theorem])
    return ShapeTrace(
        theorem,
        n,
        tuple(types),
        tuple(actions),
        tuple(names),
        dict(DEFINITIONS),
        hypotheses,
        steps,
        equality,
        STATEMENTS[theorem],
    )


def _cells(P: _Polys, n: int, types, actions, rows: list, constant_sum: bool) -> tuple:
    """One monomial per cell: ``F[(i, k, a)]`` (the interim utility of action ``a`` of type
    ``k`` of player ``i``), ``means[(i, k)]`` (``Σ_a s_i[k][a]·F_i(k, a)``) and ``mass``
    (``Σ_t Σ_a w[t]·Π s·c``, empty when not constant-sum)."""
    F: dict = {(i, k, a): {} for i, k in rows for a in range(actions[i])}
    means: dict = {row: {} for row in rows}
    mass: dict = {}
    for t in itertools.product(*(range(k) for k in types)):
        for a in itertools.product(*(range(k) for k in actions)):
            s = [s_name(j, t[j], a[j]) for j in range(n)]
            for i in range(n):
                F[(i, t[i], a[i])][P.mono(w_name(t), *s[:i], *s[i + 1 :], r_name(i, t, a))] = 1
                means[(i, t[i])][P.mono(w_name(t), *s, r_name(i, t, a))] = 1
            if constant_sum:
                mass[P.mono(w_name(t), *s, "c")] = 1
    return F, means, mass


def _steps(theorem: str, P: _Polys, rows: list, actions, polys) -> tuple:
    """The steps of ``theorem``: each rule with its right side's polynomial and premises."""
    M, F, means, mass, total = polys
    terms = P.terms
    power = P.add(*M.values())
    mean = P.add(*means.values())
    premises = [
        {
            "maxima": [
                {
                    "player": i + 1,
                    "type": k,
                    "max": m_name(i, k),
                    "over": list(range(actions[i])),
                    "F": [terms(F[(i, k, a)]) for a in range(actions[i])],
                }
                for i, k in rows
            ]
        },
        {
            "terms": [
                {
                    "player": i + 1,
                    "type": k,
                    "max": m_name(i, k),
                    "weights": [s_name(i, k, a) for a in range(actions[i])],
                }
                for i, k in rows
            ]
        },
        {},
        {},
    ]
    values = [power, mean, mean, mean]
    if theorem == "power-scarcity":
        premises += [{}, {}]
        values += [mass, {P.mono("c"): 1}]
    else:
        premises.append({"welfare": terms(mean), "nash_conv": terms(total)})
        values.append(power)  # W + NashConv = Σ M
    return tuple(
        ShapeStep(k, rule, *SHAPE_NOTATION[rule], USES[rule], tuple(map(tuple, terms(poly))), prem)
        for k, (rule, poly, prem) in enumerate(zip(THEOREMS[theorem], values, premises), 1)
    )
