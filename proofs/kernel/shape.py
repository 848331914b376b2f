"""The shape kernel: ``check_shape(trace)`` re-derives a shape-wide proof.

A shape-wide trace (:class:`proofs.ShapeTrace`, built by
:func:`proofs.shape_theorem`) proves the power-scarcity theorem -- or the
general-sum identity -- for *every* game of one shape (players, types per
player, actions per player) at once: every payoff ``r_i[t][a]``, prior
probability ``w[t]`` and strategy probability ``s_i[t_i][a_i]`` is a symbol.
This module decides whether such a trace holds.  It does not import the
builder; it reads the trace's fields and recomputes every polynomial itself.

The algebra (:mod:`proofs.kernel.ring`).  One polynomial ring over QQ whose generators are
all the symbols of the shape: the prior ``w[t]``, the strategies ``s_i[t_i][a_i]``,
the payoffs ``r_i[t][a]``, the constant ``c`` (constant-sum theorem only) and
one opaque symbol ``M_i[t_i]`` per player and type for ``max_{a_i} F_i(t_i, a_i)``.
The interim table is written without division,
``F_i(t_i, a_i) = Σ_{t_-i} Σ_{a_-i} w[t]·Π_{j≠i} s_j[t_j][a_j]·r_i[t][a]``
(the marginal times the interim expected utility), and ``POWER(i, σ) = Σ_{t_i}
M_i[t_i]``.  A hypothesis that eliminates a symbol does so by substitution
(:data:`proofs.kernel.theorems.HYPOTHESES`): the constant sum ``r_n[t][a] = c − Σ_{i<n} r_i[t][a]``,
the prior's normalisation ``w[t_last] = 1 − Σ_{t≠t_last} w[t]`` and each
strategy's ``s_i[t_i][a_last] = 1 − Σ_{a≠a_last} s_i[t_i][a]``.  Each rule's
identity is decided by expanding both sides in the ring, after exactly the
eliminations the rule names (:data:`proofs.kernel.theorems.ELIMINATES`), and comparing: exact
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

The steps run through the rule loop shared with the game kernel
(:func:`proofs.kernel.loop.run_rules`); an explicit rejection is a ``"rejected"`` verdict,
any other exception inside a rule a kernel error (``"error"``).

>>> from proofs import shape_theorem
>>> check_shape(shape_theorem(2, 1, 2)).ok
True
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from .guard import Reject, Verdict, check_shape_types, raise_for
from .loop import Progress, check_claims, guarded, known_theorem, run_rules
from .records import ShapeEquality, ShapeStep, ShapeTraceRecord
from .ring import (
    MAX_SYMBOLS,
    Poly,
    ShapeRing,
    m_name,
    s_name,
    shape_problem,
    shape_text,
    symbol_counts,
    symbol_names,
)
from .theorems import (
    DEFINITIONS,
    ELIMINATES,
    EQUALITY_RULE,
    EQUALITY_STATEMENTS,
    EQUALITY_USES,
    HYPOTHESES,
    SHAPE_NOTATION,
    STATEMENTS,
    THEOREM_HYPOTHESES,
    USES,
)

__all__ = ["RULES", "check_shape", "check_shape_or_raise", "sum_of_nonnegatives"]


# -- checks shared by the rules -----------------------------------------------------------------


def _premises(record: ShapeStep | ShapeEquality, *keys: str) -> dict[str, Any]:
    prem = record.premises
    if not isinstance(prem, dict) or set(prem) != set(keys):
        shown = sorted(prem) if isinstance(prem, dict) else prem
        raise Reject(f"premises must be exactly {sorted(keys)}, trace has {shown!r}")
    return prem


def _rows(
    K: ShapeRing, records: object, keys: Sequence[str], what: str
) -> list[tuple[dict[str, Any], tuple[int, int]]]:
    """Pairs (record, (i, k)): one record per player and type, in order, with exactly ``keys``."""
    if not isinstance(records, (list, tuple)) or any(not isinstance(x, dict) for x in records):
        raise Reject(f"{what}: expected a list of records")
    want = [(i + 1, k) for i, k in K.rows()]
    got = [(x.get("player"), x.get("type")) for x in records]
    if got != want:
        raise Reject(f"{what}: (player, type) are {got}, expected {want}")
    for x in records:
        if set(x) != {"player", "type", *keys}:
            raise Reject(
                f"{what}: record keys are {sorted(x)}, expected {sorted({'player', 'type', *keys})}"
            )
    return list(zip(records, K.rows()))


def _name(got: object, want: str, what: str) -> None:
    if got != want:
        raise Reject(f"{what} is {got!r}, expected {want!r}")


# -- the rules: each checks its premises and side conditions, returns (lhs, rhs) ---------------


def power_definition(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    prem = _premises(step, "maxima")
    for row, (i, k) in _rows(K, prem["maxima"], ("max", "over", "F"), "maxima"):
        who = f"player {i + 1} type {k}"
        _name(row["max"], m_name(i, k), f"the maximum of {who}")
        if row["over"] != list(range(K.actions[i])):
            raise Reject(
                f"the maximum of {who} is over {row['over']!r}, "
                f"must be exactly A_i = {list(range(K.actions[i]))}"
            )
        if not isinstance(row["F"], (list, tuple)) or len(row["F"]) != K.actions[i]:
            raise Reject(f"F of {who}: expected one polynomial per action")
        for a, terms in enumerate(row["F"]):
            K.expect(terms, K.F(i, k, a), f"F_{i + 1}({k},{a})")
    return K.power_sum(), K.power_sum()


def max_dominates_mean(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    prem = _premises(step, "terms")
    for row, (i, k) in _rows(K, prem["terms"], ("max", "weights"), "terms"):
        who = f"player {i + 1} type {k}"
        _name(row["max"], m_name(i, k), f"the maximum of {who}")
        want = [s_name(i, k, a) for a in range(K.actions[i])]
        if row["weights"] != want:
            raise Reject(
                f"the weights of {who} are {row['weights']!r}, must be exactly its "
                f"strategy symbols {want} (nonnegative by hypothesis)"
            )
        total = K.sum(K.s(i, k, a, ("strategy-normalised",)) for a in range(K.actions[i]))
        if total != K.R.one:
            raise Reject(f"the weights of {who} sum to {total}, not 1")
    return K.power_sum(), K.mean_sum()


def total_expectation(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    _premises(step)
    return K.mean_sum(), K.expected()


def linearity(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    _premises(step)
    return K.expected(), K.welfare()


def constant_sum(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    _premises(step)
    elim = ELIMINATES["constant-sum"]
    return K.welfare(elim), K.mass(elim)


def normalisation(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    _premises(step)
    return K.mass(ELIMINATES["normalisation"]), K.gen["c"]


def slack_sum(step: ShapeStep, K: ShapeRing) -> tuple[Poly, Poly]:
    prem = _premises(step, "welfare", "nash_conv")
    K.expect(prem["welfare"], K.welfare(), "welfare W(σ)")
    K.expect(prem["nash_conv"], K.nash_conv(), "NashConv(σ)")
    return K.power_sum(), K.welfare() + K.nash_conv()


#: ``rule -> function(step, ring) -> (lhs, rhs)`` as polynomials; the rule loop looks each
#: rule up in this dict.
RULES: dict[str, Callable[[ShapeStep, ShapeRing], tuple[Poly, Poly]]] = {
    "power-definition": power_definition,
    "max-dominates-mean": max_dominates_mean,
    "total-expectation": total_expectation,
    "linearity": linearity,
    "constant-sum": constant_sum,
    "normalisation": normalisation,
    "slack-sum": slack_sum,
}


def sum_of_nonnegatives(eq: ShapeEquality, K: ShapeRing, gap: Poly) -> None:
    """The equality statement: ``gap`` (step 2's left minus right) is a sum of nonnegatives."""
    prem = _premises(eq, "total", "terms")
    slacks = []
    for row, (i, k) in _rows(K, prem["terms"], ("slack", "parts"), "terms"):
        who = f"player {i + 1} type {k}"
        own = K.slack(i, k)
        K.expect(row["slack"], own, f"slack of {who}")
        parts = row["parts"]
        if (
            not isinstance(parts, (list, tuple))
            or len(parts) != K.actions[i]
            or any(not isinstance(p, dict) or set(p) != {"action", "weight", "gap"} for p in parts)
        ):
            raise Reject(f"parts of {who}: expected one {{action, weight, gap}} per action")
        pieces = []
        for a, part in enumerate(parts):
            if part["action"] != a:
                raise Reject(f"parts of {who}: action {part['action']!r}, expected {a}")
            _name(part["weight"], s_name(i, k, a), f"weight of {who} action {a}")
            gap_a = K.M(i, k) - K.F(i, k, a)  # ≥ 0: M is the maximum over A_i ∋ a (step 1)
            K.expect(part["gap"], gap_a, f"gap of {who} action {a}")
            pieces.append(K.s(i, k, a, ()) * gap_a)
        weights = K.sum(K.s(i, k, a, ()) for a in range(K.actions[i]))
        if own != K.sum(pieces) + K.M(i, k) * (K.R.one - weights):
            raise Reject(f"slack of {who} is not Σ_a s·gap + M·(1 − Σ_a s)")
        normalised = K.sum(K.s(i, k, a, ("strategy-normalised",)) for a in range(K.actions[i]))
        if normalised != K.R.one:  # so M·(1 − Σ_a s) = 0
            raise Reject(f"the weights of {who} sum to {normalised}, not 1")
        slacks.append(own)
    total = K.sum(slacks)
    K.expect(prem["total"], total, "total slack")
    if gap != total:
        raise Reject("step 2's left minus right side is not the sum of the slacks")


# -- the whole trace ----------------------------------------------------------------------------


def _shape(trace: ShapeTraceRecord) -> ShapeRing:
    """The shape is one, within the limits, with exactly its symbols, definitions and the
    theorem's hypotheses; the kernel's ring for it."""
    theorem, n, types, actions = trace.theorem, trace.players, trace.types, trace.actions
    problem = shape_problem(n, types, actions)
    if problem:
        raise Reject(f"shape: {problem}")
    count = symbol_counts(n, types, actions, theorem == "power-scarcity")["total"]
    if count > MAX_SYMBOLS:
        raise Reject(f"shape: {count} symbols, over the limit of {MAX_SYMBOLS}")
    names = symbol_names(n, types, actions, theorem == "power-scarcity")
    if list(trace.symbols) != names:
        wrong = next(
            (f"{x!r} where {y!r} was expected" for x, y in zip(trace.symbols, names) if x != y),
            f"{len(trace.symbols)} symbols, expected {len(names)}",
        )
        raise Reject(f"symbols must be exactly the shape's, in order: {wrong}")
    if trace.definitions != DEFINITIONS:
        raise Reject(f"definitions must be exactly {DEFINITIONS}")
    want = [(h, *HYPOTHESES[h]) for h in THEOREM_HYPOTHESES[theorem]]
    got = [(h.name, h.statement, h.eliminates) for h in trace.hypotheses]
    if got != want:
        missing = [h[0] for h in want if h not in got]
        raise Reject(
            f"hypotheses must be exactly {[h[0] for h in want]} with their statements"
            + (
                f"; missing or changed: {missing}"
                if missing
                else f"; trace has {[h[0] for h in got]}"
            )
        )
    return ShapeRing(theorem, n, types, actions)


def _structure(trace: ShapeTraceRecord) -> ShapeRing:
    check_shape_types(trace)
    theorem = trace.theorem
    known_theorem(theorem)
    K = _shape(trace)
    check_claims(theorem, trace.steps, SHAPE_NOTATION)
    for step in trace.steps:
        if tuple(step.uses) != USES[step.rule]:
            raise Reject(
                f"cites hypotheses {list(step.uses)}, the rule needs exactly "
                f"{list(USES[step.rule])}",
                step.index,
                step.rule,
            )
    eq = trace.equality
    if (eq.rule, eq.statement, tuple(eq.uses)) != (
        EQUALITY_RULE,
        EQUALITY_STATEMENTS[theorem],
        EQUALITY_USES,
    ):
        raise Reject(
            f"equality must be rule {EQUALITY_RULE!r}, statement "
            f"{EQUALITY_STATEMENTS[theorem]!r}, citing {list(EQUALITY_USES)}"
        )
    if trace.conclusion != STATEMENTS[theorem]:
        raise Reject(f"conclusion {trace.conclusion!r} is not {STATEMENTS[theorem]!r}")
    return K


def check_shape(trace: ShapeTraceRecord) -> Verdict:
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

    def body(at: Progress) -> str:
        K = _structure(trace)
        gap = run_rules(trace.steps, RULES, K)
        at.part = EQUALITY_RULE
        sum_of_nonnegatives(trace.equality, K, gap)
        return (
            f"valid for every game of shape "
            f"{shape_text(trace.players, trace.types, trace.actions)}: "
            f"{STATEMENTS[trace.theorem]}; {EQUALITY_STATEMENTS[trace.theorem]}"
        )

    return guarded(body)


def check_shape_or_raise(trace: ShapeTraceRecord) -> Verdict:
    """:func:`check_shape`, raising :class:`proofs.ProofError` with the message when rejected
    (:class:`proofs.kernel.KernelError` on a kernel error)."""
    return raise_for(check_shape(trace))
