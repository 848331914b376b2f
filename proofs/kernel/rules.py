"""The game kernel: ``check(trace)`` re-derives every claim of a game trace.

No number in a trace is trusted: :class:`proofs.kernel.facts.Facts` computes, from the
game's primitives and the profile only, every quantity the steps are made of; one function
per rule (:data:`RULES`) compares the trace's claims with them, checks the rule's side
conditions and returns the kernel's own left and right side, and the shared rule loop
(:func:`proofs.kernel.loop.run_rules`) requires the written right side and, for ``=``, the
identity.  Every rejection names the step, the rule and the data; malformed data is refused
by explicit checks (:mod:`proofs.kernel.guard`), and any other exception is reported as a
kernel error (``Verdict.status == "error"``).

A trace whose game and profile are over the proof-size limit
(:func:`proofs.kernel.facts.proof_size`: ``MAX_PROOF_WORK``, ``MAX_SYMBOLIC_PROOF_WORK``) is
rejected before anything is computed.  Values whose denominator can vanish on the
parameters' domain are refused before any comparison
(:func:`proofs.kernel.guard.check_defined`).  Signs of symbolic weights are
decided by :func:`exactpower.values.provably_nonnegative`.  A slack is
``Ω_i(t_i)·(Max(e) − Σ_a σ_a e_a)`` with ``e_a = f_i(t_i, a)``; it is ``≥ 0`` because
``Ω_i(t_i)`` is provably ``≥ 0`` and the regret is: a number, checked directly, or for a
symbolic row by a checked case split (:func:`check_cases`), one polynomial certificate per
action.  The equality record is checked by :mod:`proofs.kernel.equality`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import sympy

from exactpower.exact.decide import provably_nonnegative

from .equality import check_conclusion, check_equality
from .facts import ZERO, Facts, expect_names, expect_same, premises, proof_size, same
from .guard import Reject, Verdict, check_defined, check_keys, check_types, raise_for
from .loop import Progress, check_claims, guarded, run_rules
from .records import Step, TraceRecord
from .theorems import EQUALITY_STATEMENTS, NOTATION, RELATIONS, STATEMENTS

__all__ = [
    "CASE_KEYS",
    "DEFINITION_KEYS",
    "RULES",
    "TERM_KEYS",
    "check",
    "check_cases",
    "check_or_raise",
]

#: ``rule -> (lhs, relation, rhs)`` of a game trace.
_CLAIMS = {rule: (lhs, RELATIONS[rule], rhs) for rule, (lhs, rhs) in NOTATION.items()}


# -- the rules: each checks its premises and side conditions, returns (lhs, rhs) -------------

#: The premises of a term of ``power-definition``.
DEFINITION_KEYS = frozenset({"player", "type", "marginal", "over", "interim", "max"})


def power_definition(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "terms", "power")
    for term, (i, k) in fx.terms(prem["terms"], lambda i, k: DEFINITION_KEYS):
        row, acts, who = fx.rows[(i, k)], fx.game.players[i].actions, fx.label(i, k)
        expect_same(term.get("marginal"), row["omega"], f"marginal Ω_i(t_i) of {who}")
        expect_names(term.get("over"), acts, f"actions of the maximum for {who} (must be A_i)")
        expect_names(term.get("interim"), acts, f"actions of the interim utilities of {who}", dict)
        for a, own in zip(acts, row["f"]):
            expect_same(term["interim"][a], own, f"f_i for {who} action {a!r}")
        expect_same(term.get("max"), row["max"], f"maximum for {who}")
    expect_names(
        prem["power"], [p.name for p in fx.game.players], "players of the POWER entries", dict
    )
    for i, p in enumerate(fx.game.players):
        expect_same(prem["power"][p.name], fx.power[i], f"POWER of player {p.name!r}")
    return fx.value1, fx.value1


#: The premises of a term of ``max-dominates-mean`` (plus ``cases`` for a symbolic row: one
#: whose interim values or weights are not all numbers), and the keys of a case.
TERM_KEYS = frozenset(
    {"player", "type", "marginal", "strategy", "mean", "max", "slack", "best_responses"}
)
CASE_KEYS = frozenset({"attains", "max", "regret", "hypotheses", "certificate"})


def check_cases(
    cases: object, row: dict[str, Any], acts: Sequence[str], who: str, fx: Facts
) -> None:
    """The case split of a symbolic row of ``max-dominates-mean``: it proves ``max − mean ≥ 0``.

    Case ``c``, "``a_c`` attains the maximum", assumes ``h_{c,b} = e_c − e_b ≥ 0`` for every
    ``b`` (so ``Max(e) = e_c``); its certificate is ``e_c − Σ_a σ_a e_a = Σ_a σ_a·h_{c,a}`` with
    every ``σ_a ≥ 0``, so the regret is ``≥ 0`` in the case.  There is exactly one case per action
    of ``A_i``, in order: some action always attains the maximum, so the cases cover.
    """
    if not isinstance(cases, list) or any(not isinstance(c, dict) for c in cases):
        raise Reject(f"the row of {who} is symbolic: its cases must be a list of records")
    expect_names([c.get("attains") for c in cases], acts, f"cases of {who} (one per action of A_i)")
    for c, case, e_c in zip(acts, cases, row["f"]):
        at = f"{who}, case {c!r} attains the maximum"
        check_keys(case, CASE_KEYS, at)
        expect_same(case["max"], e_c, f"{at}: the maximum e_{c}")
        hyp, cert = case["hypotheses"], case["certificate"]
        expect_names(hyp, acts, f"{at}: actions of the hypotheses", dict)
        expect_names(cert, acts, f"{at}: actions of the certificate", dict)
        for a, e_a, w in zip(acts, row["f"], row["sigma"]):
            expect_same(hyp[a], e_c - e_a, f"{at}: hypothesis e_{c} − e_{a} ≥ 0")
            if not isinstance(cert[a], sympy.Expr) or not fx.nonnegative(cert[a]):
                raise Reject(
                    f"{at}: coefficient {cert[a]} of hypothesis {a!r} is not provably nonnegative"
                )
            expect_same(
                cert[a], w, f"{at}: coefficient of hypothesis {a!r} (the weight σ_i(t_i)({a!r}))"
            )
        total = sum((cert[a] * hyp[a] for a in acts), ZERO)
        if not same(case["regret"], total):
            raise Reject(
                f"{at}: certificate identity fails: regret {case['regret']} is not "
                f"Σ_a σ_a·h_a = {total}"
            )
        expect_same(case["regret"], e_c - row["mean"], f"{at}: regret e_{c} − Σ_a σ_a e_a")


def max_dominates_mean(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "terms", "total")

    def keys(i: int, k: int) -> frozenset[str]:
        return TERM_KEYS | ({"cases"} if fx.symbolic(i, k) else set())

    for term, (i, k) in fx.terms(prem["terms"], keys):
        row, acts, who = fx.rows[(i, k)], fx.game.players[i].actions, fx.label(i, k)
        symbolic = fx.symbolic(i, k)
        expect_same(term.get("marginal"), row["omega"], f"marginal Ω_i(t_i) of {who}")
        if not provably_nonnegative(row["omega"], fx.probs):
            raise Reject(f"marginal {row['omega']} of {who} is not provably nonnegative")
        expect_names(term.get("strategy"), acts, f"actions of the weights σ_i(t_i) of {who}", dict)
        for a, own in zip(acts, row["sigma"]):
            expect_same(term["strategy"][a], own, f"weight σ_i(t_i)({a!r}) of {who}")
        fx.distribution(row["sigma"], f"weights σ_i(t_i) of {who}")
        expect_same(term.get("max"), row["max"], f"maximum for {who}")
        expect_same(term.get("mean"), row["mean"], f"mean E_σ f_i for {who}")
        expect_same(term.get("slack"), row["slack"], f"slack for {who}")
        if symbolic:
            check_cases(term.get("cases"), row, acts, who, fx)
        elif row["reg"] < 0:
            raise Reject(f"slack for {who} is negative: regret {row['reg']}")
        best = (
            [a for a, v in zip(acts, row["f"]) if v == row["max"]]
            if all(isinstance(v, sympy.Rational) for v in row["f"])
            else None
        )
        if term.get("best_responses", "missing") != best:
            raise Reject(
                f"best responses of {who} are {best}, "
                f"trace says {term.get('best_responses', 'nothing')}"
            )
    expect_same(prem["total"], fx.gap, "total slack")
    if not same(fx.value1 - fx.value2, fx.gap):
        raise Reject(f"left minus right is {fx.value1 - fx.value2}, not the total slack {fx.gap}")
    return fx.value1, fx.value2


def total_expectation(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "marginals", "expected_rewards")
    names = [p.name for p in fx.game.players]
    expect_names(prem["marginals"], names, "players of the marginals", dict)
    expect_names(prem["expected_rewards"], names, "players of the expected rewards", dict)
    for i, p in enumerate(fx.game.players):
        expect_names(
            prem["marginals"][p.name], p.types, f"types of the marginals of {p.name!r}", dict
        )
        for k, t in enumerate(p.types):
            expect_same(
                prem["marginals"][p.name][t], fx.marg[i][k], f"marginal Ω_i of {fx.label(i, k)}"
            )
        expect_same(
            prem["expected_rewards"][p.name], fx.expected[i], f"E_t E_a r_i of player {p.name!r}"
        )
        interim = sum((r["omega"] * r["mean"] for (j, _), r in fx.rows.items() if j == i), ZERO)
        if not same(interim, fx.expected[i]):
            raise Reject(f"total expectation fails for {p.name!r}: {interim} != {fx.expected[i]}")
    return fx.value2, fx.expected_sum


def linearity(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    premises(step)
    return fx.expected_sum, fx.welfare


def constant_sum(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "constant", "support")
    c, players = prem["constant"], fx.game.players
    if not isinstance(c, sympy.Expr):
        raise Reject(f"constant {c!r} is not an exact value")
    support = [[p.types[k] for p, k in zip(players, t)] for t in fx.support]
    expect_names(prem["support"], support, "support cells (type profiles with Ω(t) ≠ 0)")
    for t, names in zip(fx.support, support):
        for a in fx.game.action_profiles:
            total = sum((fx.game.reward(i, t, a) for i in range(len(players))), ZERO)
            if not same(total, c):
                acts = [p.actions[k] for p, k in zip(players, a)]
                raise Reject(
                    f"rewards at types {names} actions {acts} sum to {total}, not the constant {c}"
                )
    fx.constant = c
    return fx.welfare, fx.mass * c


def normalisation(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    premises(step)
    fx.distribution([fx.game.probability(t) for t in fx.game.type_profiles], "prior Ω")
    for i, p in enumerate(fx.game.players):
        for k in range(len(p.types)):
            fx.distribution(
                [fx.profile.probability(i, k, a) for a in range(len(p.actions))],
                f"weights σ_i(t_i) of {fx.label(i, k)}",
            )
    return fx.mass * fx.constant, fx.constant


def slack_sum(step: Step, fx: Facts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "welfare", "nash_conv")
    expect_same(prem["welfare"], fx.welfare, "welfare W(σ)")
    expect_same(prem["nash_conv"], fx.gap, "NashConv (the sum of slacks)")
    return fx.value1, fx.welfare + fx.gap


#: ``rule -> function(step, facts) -> the kernel's (lhs, rhs)``; the rule loop looks each rule
#: up in this dict (:data:`proofs.kernel.RULES` is the same dict).
RULES: dict[str, Callable[[Step, Facts], tuple[sympy.Expr, sympy.Expr]]] = {
    "power-definition": power_definition,
    "max-dominates-mean": max_dominates_mean,
    "total-expectation": total_expectation,
    "linearity": linearity,
    "constant-sum": constant_sum,
    "normalisation": normalisation,
    "slack-sum": slack_sum,
}


# -- the whole trace ------------------------------------------------------------------------


def _structure(trace: TraceRecord) -> None:
    check_types(trace)
    if trace.profile.players != trace.game.players:
        raise Reject("the profile's players, types or actions differ from the game's")
    work, name, limit = proof_size(trace.game, trace.profile)
    if work > limit:
        raise Reject(
            f"the proof's size {work} is over the limit {name} = {limit}: not "
            f"checked (size: n·Π|T_i|·Π|A_i| + Σ_i |T_i|·|A_i|², times the terms of a "
            f"summand when symbolic)"
        )
    check_claims(trace.theorem, trace.steps, _CLAIMS)


def check(trace: TraceRecord) -> Verdict:
    """The kernel's verdict on a trace; never raises.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> from proofs import power_scarcity
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> check(power_scarcity(mp, StrategyProfile.uniform(mp))).ok
    True
    """

    def body(at: Progress) -> str:
        _structure(trace)
        fx = Facts(trace.game, trace.profile)
        at.part = "values"
        check_defined(trace, fx)
        at.part = None
        run_rules(trace.steps, RULES, fx)
        at.part = "equality"
        check_equality(trace, fx)
        at.part = "conclusion"
        check_conclusion(trace, fx)
        return f"valid: {STATEMENTS[trace.theorem]}; {EQUALITY_STATEMENTS[trace.theorem]}"

    return guarded(body)


def check_or_raise(trace: TraceRecord) -> Verdict:
    """:func:`check`, raising :class:`proofs.ProofError` with the message when rejected
    (:class:`proofs.kernel.KernelError` on a kernel error).

    >>> import dataclasses
    >>> from exactpower import BayesianGame, StrategyProfile
    >>> from proofs import power_scarcity
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> trace = power_scarcity(mp, StrategyProfile.uniform(mp))
    >>> check_or_raise(dataclasses.replace(trace, theorem="power-abundance"))
    Traceback (most recent call last):
    ...
    proofs.kernel.guard.ProofError: trace: unknown theorem 'power-abundance' (known: power-scarcity, general-sum-identity)
    """
    return raise_for(check(trace))
