"""The trusted kernel: ``check(trace)`` re-derives every claim of a trace.

No number in a trace is trusted.  From the game's primitives only
(``game.probability``, ``game.reward``, players, types, actions) and the
profile's probabilities, the kernel computes by plain sums the tables
``F_i(t_i, a_i) = Σ_{t_-i, a_-i} Ω(t)·Π_{j≠i} σ_j(t_j)(a_j)·r_i(t, a)``, the
marginals, ``f_i = F_i / Ω_i``, the slacks and each step's right side; one
function per rule then compares the trace's claims with them and checks the
rule's side conditions.  Every rejection names the step, the rule and the data;
malformed data is refused by explicit checks, and any other exception is reported
as a kernel error (``Verdict.status == "error"``, :mod:`proofs.kernel_guard`).

Normal form: two values are equal when they are equal rationals, or when
``a − b`` is the zero rational function over QQ -- decided as: the numerator of
``(a − b).as_numer_denom()`` expands to 0 -- after the arguments of every ``Max`` are
put in ``cancel`` form (``Max`` atoms are compared structurally, as generators).
Nothing is ``simplify``-ed.  An identity of rational functions says nothing where a
denominator vanishes, so before any comparison the kernel refuses
(:func:`proofs.kernel_guard.check_defined`) a game, profile or claim with a denominator
factor that can vanish on the parameters' domain -- except, in a claim, a factor of a
denominator of the kernel's own interim values ``f_i = F_i/Ω_i``, i.e. of a marginal
``Ω_i(t_i)``, where the type has probability 0 and its terms ``Ω_i(t_i)·X`` count 0.
Signs of symbolic weights are decided by :func:`exactpower.values.provably_nonnegative`.
A slack is ``Ω_i(t_i)·(Max(e) − Σ_a σ_a e_a)`` with ``e_a = f_i(t_i, a)``; it is ``≥ 0``
because ``Ω_i(t_i)`` is provably ``≥ 0`` and the regret is: a number, checked directly,
or for a symbolic row by a checked case split (:func:`_cases`), one polynomial
certificate per action."""

from __future__ import annotations

import functools
import math

import sympy

from exactpower.values import denominator_factors, provably_nonnegative

from .condition import condition_domains, equality_condition
from .kernel_guard import (KernelError, Verdict, check_defined, check_keys, check_types,
                           kernel_error, rejection)
from .kernel_guard import Reject as _Reject
from .trace import (EQUALITY_STATEMENTS, NOTATION, RELATIONS, STATEMENTS, THEOREMS, ProofError,
                    Trace)

__all__ = ["RULES", "KernelError", "Verdict", "check", "check_or_raise", "same"]
ZERO = sympy.S.Zero


@functools.lru_cache(maxsize=4096)
def _canon(e):
    if not e.has(sympy.Max):
        return e
    return e.replace(lambda x: isinstance(x, sympy.Max),
                     lambda x: sympy.Max(*(sympy.cancel(a) for a in x.args)))


def same(a, b) -> bool:
    """Whether two exact values are equal in the kernel's normal form.

    >>> x = sympy.Symbol("x", real=True)
    >>> same(x * (1 - x), x - x**2), same(sympy.Max(x, 2*x/2), x), same(x, 0)
    (True, True, False)
    """
    if not all(isinstance(e, sympy.Expr) and not e.has(sympy.Float) for e in (a, b)):
        return False
    if a == b or (isinstance(a, sympy.Rational) and isinstance(b, sympy.Rational)):
        return a == b  # structurally identical, or two numbers
    numerator, _ = (_canon(a) - _canon(b)).as_numer_denom()
    return sympy.expand(numerator) == 0  # cancel(a − b) == 0, without the gcd work


def _number(e):
    """``e`` as a Rational if its normal form is one, else ``None``."""
    e = e if isinstance(e, sympy.Rational) else sympy.cancel(_canon(e))
    return e if isinstance(e, sympy.Rational) else None


def _eq(claimed, own, what: str) -> None:
    if not same(claimed, own):
        raise _Reject(f"{what} is {own}, trace says {claimed}")


def _names(got, want, what: str, kind=list) -> None:
    """``got`` is a ``kind`` (``list`` or ``dict``) whose items (keys) are ``want``, in order."""
    if not isinstance(got, kind):
        raise _Reject(f"{what} must be a {kind.__name__}, trace has {got!r}")
    if list(got) != list(want):
        raise _Reject(f"{what} are {list(got)}, expected {list(want)}")


def _premises(step, *keys) -> dict:
    if not isinstance(step.premises, dict) or set(step.premises) != set(keys):
        raise _Reject(f"premises must be exactly {sorted(keys)}, trace has {step.premises!r}")
    return step.premises


def _verdict(flags) -> bool | None:
    return False if False in flags else (True if all(f is True for f in flags) else None)


class _Facts:
    """What the kernel computes itself, once per check, from the game and profile."""

    def __init__(self, game, profile):
        n, players = game.n_players, game.players
        self.game, self.profile, self.probs = game, profile, game.probability_symbols
        self.support = [t for t in game.type_profiles if not same(game.probability(t), ZERO)]
        self.marg = [[ZERO] * len(p.types) for p in players]
        for t in game.type_profiles:
            for i in range(n):
                self.marg[i][t[i]] += game.probability(t)
        F = [[[ZERO] * len(p.actions) for _ in p.types] for p in players]
        self.expected, self.welfare, self.mass = [ZERO] * n, ZERO, ZERO
        for t in self.support:
            for a in game.action_profiles:
                s = [profile.probability(j, t[j], a[j]) for j in range(n)]
                r = [game.reward(i, t, a) for i in range(n)]
                full = game.probability(t) * math.prod(s)
                for i in range(n):
                    F[i][t[i]][a[i]] += game.probability(t) * math.prod(s[:i] + s[i + 1:]) * r[i]
                    self.expected[i] += full * r[i]
                self.welfare += full * sum(r, ZERO)
                self.mass += full
        self.rows, self.power = {}, [ZERO] * n
        for i, p in enumerate(players):
            for k, om in enumerate(self.marg[i]):
                if same(om, ZERO):
                    continue
                f = [v / om if isinstance(v / om, sympy.Rational) else sympy.cancel(v / om)
                     for v in F[i][k]]
                m = max(f) if all(isinstance(v, sympy.Rational) for v in f) else sympy.Max(*f)
                sigma = [profile.probability(i, k, a) for a in range(len(p.actions))]
                mean = sum((w * v for w, v in zip(sigma, f)), ZERO)
                self.rows[(i, k)] = dict(omega=om, f=f, max=m, sigma=sigma, mean=mean,
                                         reg=m - mean, slack=om * (m - mean))
                self.power[i] += om * m
        #: the irreducible denominator factors of the kernel's own interim values: factors of
        #: marginals (where one vanishes, that type has probability 0)
        self.poles = {f for r in self.rows.values() for v in r["f"] for f in denominator_factors(v)}
        self.gap = sum((r["slack"] for r in self.rows.values()), ZERO)
        self.value1 = sum(self.power, ZERO)
        self.value2 = sum((r["omega"] * r["mean"] for r in self.rows.values()), ZERO)
        self.constant = None

    def label(self, i, k) -> str:
        return f"player {self.game.players[i].name!r} type {self.game.players[i].types[k]!r}"

    def keys(self) -> list:
        return [(self.game.players[i].name, self.game.players[i].types[k]) for i, k in self.rows]

    def terms(self, terms, keys) -> list:
        """Pairs (term, (i, k)); the terms must be one per positive-probability type, each
        with no key outside ``keys(i, k)`` (a missing one is read as ``None``: rejected by
        the check of its value)."""
        if not isinstance(terms, list) or any(not isinstance(x, dict) for x in terms):
            raise _Reject("terms must be a list of records")
        _names([(x.get("player"), x.get("type")) for x in terms], self.keys(),
               "terms (player, type), one per positive-probability type,")
        for x, (i, k) in zip(terms, self.rows):
            extra = set(x) - keys(i, k)
            if extra:
                raise _Reject(f"the term of {self.label(i, k)} has unexpected premises "
                              f"{sorted(extra)}"
                              + (" (its row is numeric: no cases)" if "cases" in extra else ""))
        return list(zip(terms, self.rows))

    def symbolic(self, i, k) -> bool:
        """Whether the row's interim values or weights are not all numbers (then its term of
        ``max-dominates-mean`` carries ``cases``)."""
        return not all(isinstance(v, sympy.Rational)
                       for v in self.rows[(i, k)]["f"] + self.rows[(i, k)]["sigma"])

    def nonnegative(self, v) -> bool:
        return v >= 0 if isinstance(v, sympy.Rational) else provably_nonnegative(v, self.probs)

    def distribution(self, values, what: str) -> None:
        for v in values:
            if not self.nonnegative(v):
                raise _Reject(f"{what}: weight {v} is not provably nonnegative")
        if not same(sum(values, ZERO), sympy.S.One):
            raise _Reject(f"{what}: weights sum to {sum(values, ZERO)}, not 1")


# -- the rules: each checks its premises and side conditions, returns its right side --------

#: The premises of a term of ``power-definition``.
DEFINITION_KEYS = frozenset({"player", "type", "marginal", "over", "interim", "max"})


def power_definition(step, fx: _Facts):
    prem = _premises(step, "terms", "power")
    for term, (i, k) in fx.terms(prem["terms"], lambda i, k: DEFINITION_KEYS):
        row, acts, who = fx.rows[(i, k)], fx.game.players[i].actions, fx.label(i, k)
        _eq(term.get("marginal"), row["omega"], f"marginal Ω_i(t_i) of {who}")
        _names(term.get("over"), acts, f"actions of the maximum for {who} (must be A_i)")
        _names(term.get("interim"), acts, f"actions of the interim utilities of {who}", dict)
        for a, own in zip(acts, row["f"]):
            _eq(term["interim"][a], own, f"f_i for {who} action {a!r}")
        _eq(term.get("max"), row["max"], f"maximum for {who}")
    _names(prem["power"], [p.name for p in fx.game.players], "players of the POWER entries",
           dict)
    for i, p in enumerate(fx.game.players):
        _eq(prem["power"][p.name], fx.power[i], f"POWER of player {p.name!r}")
    return fx.value1


#: The premises of a term of ``max-dominates-mean`` (plus ``cases`` for a symbolic row: one
#: whose interim values or weights are not all numbers), and the keys of a case.
TERM_KEYS = frozenset({"player", "type", "marginal", "strategy", "mean", "max", "slack",
                       "best_responses"})
CASE_KEYS = frozenset({"attains", "max", "regret", "hypotheses", "certificate"})


def _cases(cases, row, acts, who, fx: _Facts) -> None:
    """The case split of a symbolic row of ``max-dominates-mean``: it proves ``max − mean ≥ 0``.

    Case ``c``, "``a_c`` attains the maximum", assumes ``h_{c,b} = e_c − e_b ≥ 0`` for every
    ``b`` (so ``Max(e) = e_c``); its certificate is ``e_c − Σ_a σ_a e_a = Σ_a σ_a·h_{c,a}`` with
    every ``σ_a ≥ 0``, so the regret is ``≥ 0`` in the case.  There is exactly one case per action
    of ``A_i``, in order: some action always attains the maximum, so the cases cover.
    """
    if not isinstance(cases, list) or any(not isinstance(c, dict) for c in cases):
        raise _Reject(f"the row of {who} is symbolic: its cases must be a list of records")
    _names([c.get("attains") for c in cases], acts, f"cases of {who} (one per action of A_i)")
    for c, case, e_c in zip(acts, cases, row["f"]):
        at = f"{who}, case {c!r} attains the maximum"
        check_keys(case, CASE_KEYS, at)
        _eq(case["max"], e_c, f"{at}: the maximum e_{c}")
        hyp, cert = case["hypotheses"], case["certificate"]
        _names(hyp, acts, f"{at}: actions of the hypotheses", dict)
        _names(cert, acts, f"{at}: actions of the certificate", dict)
        for a, e_a, w in zip(acts, row["f"], row["sigma"]):
            _eq(hyp[a], e_c - e_a, f"{at}: hypothesis e_{c} − e_{a} ≥ 0")
            if not isinstance(cert[a], sympy.Expr) or not fx.nonnegative(cert[a]):
                raise _Reject(f"{at}: coefficient {cert[a]} of hypothesis {a!r} is not provably "
                              f"nonnegative")
            _eq(cert[a], w, f"{at}: coefficient of hypothesis {a!r} (the weight σ_i(t_i)({a!r}))")
        total = sum((cert[a] * hyp[a] for a in acts), ZERO)
        if not same(case["regret"], total):
            raise _Reject(f"{at}: certificate identity fails: regret {case['regret']} is not "
                          f"Σ_a σ_a·h_a = {total}")
        _eq(case["regret"], e_c - row["mean"], f"{at}: regret e_{c} − Σ_a σ_a e_a")


def max_dominates_mean(step, fx: _Facts):
    prem = _premises(step, "terms", "total")

    def keys(i, k):
        return TERM_KEYS | ({"cases"} if fx.symbolic(i, k) else set())
    for term, (i, k) in fx.terms(prem["terms"], keys):
        row, acts, who = fx.rows[(i, k)], fx.game.players[i].actions, fx.label(i, k)
        symbolic = fx.symbolic(i, k)
        _eq(term.get("marginal"), row["omega"], f"marginal Ω_i(t_i) of {who}")
        if not provably_nonnegative(row["omega"], fx.probs):
            raise _Reject(f"marginal {row['omega']} of {who} is not provably nonnegative")
        _names(term.get("strategy"), acts, f"actions of the weights σ_i(t_i) of {who}", dict)
        for a, own in zip(acts, row["sigma"]):
            _eq(term["strategy"][a], own, f"weight σ_i(t_i)({a!r}) of {who}")
        fx.distribution(row["sigma"], f"weights σ_i(t_i) of {who}")
        _eq(term.get("max"), row["max"], f"maximum for {who}")
        _eq(term.get("mean"), row["mean"], f"mean E_σ f_i for {who}")
        _eq(term.get("slack"), row["slack"], f"slack for {who}")
        if symbolic:
            _cases(term.get("cases"), row, acts, who, fx)
        elif row["reg"] < 0:
            raise _Reject(f"slack for {who} is negative: regret {row['reg']}")
        best = ([a for a, v in zip(acts, row["f"]) if v == row["max"]]
                if all(isinstance(v, sympy.Rational) for v in row["f"]) else None)
        if term.get("best_responses", "missing") != best:
            raise _Reject(f"best responses of {who} are {best}, "
                          f"trace says {term.get('best_responses', 'nothing')}")
    _eq(prem["total"], fx.gap, "total slack")
    return fx.value2


def total_expectation(step, fx: _Facts):
    prem = _premises(step, "marginals", "expected_rewards")
    names = [p.name for p in fx.game.players]
    _names(prem["marginals"], names, "players of the marginals", dict)
    _names(prem["expected_rewards"], names, "players of the expected rewards", dict)
    for i, p in enumerate(fx.game.players):
        _names(prem["marginals"][p.name], p.types, f"types of the marginals of {p.name!r}", dict)
        for k, t in enumerate(p.types):
            _eq(prem["marginals"][p.name][t], fx.marg[i][k], f"marginal Ω_i of {fx.label(i, k)}")
        _eq(prem["expected_rewards"][p.name], fx.expected[i], f"E_t E_a r_i of player {p.name!r}")
        interim = sum((r["omega"] * r["mean"] for (j, _), r in fx.rows.items() if j == i), ZERO)
        if not same(interim, fx.expected[i]):
            raise _Reject(f"total expectation fails for {p.name!r}: {interim} != {fx.expected[i]}")
    return sum(fx.expected, ZERO)


def linearity(step, fx: _Facts):
    _premises(step)
    return fx.welfare


def constant_sum(step, fx: _Facts):
    prem = _premises(step, "constant", "support")
    c, players = prem["constant"], fx.game.players
    if not isinstance(c, sympy.Expr):
        raise _Reject(f"constant {c!r} is not an exact value")
    support = [[p.types[k] for p, k in zip(players, t)] for t in fx.support]
    _names(prem["support"], support, "support cells (type profiles with Ω(t) ≠ 0)")
    for t, names in zip(fx.support, support):
        for a in fx.game.action_profiles:
            total = sum((fx.game.reward(i, t, a) for i in range(len(players))), ZERO)
            if not same(total, c):
                acts = [p.actions[k] for p, k in zip(players, a)]
                raise _Reject(f"rewards at types {names} actions {acts} sum to {total}, "
                              f"not the constant {c}")
    fx.constant = c
    return fx.mass * c


def normalisation(step, fx: _Facts):
    _premises(step)
    fx.distribution([fx.game.probability(t) for t in fx.game.type_profiles], "prior Ω")
    for i, p in enumerate(fx.game.players):
        for k in range(len(p.types)):
            fx.distribution([fx.profile.probability(i, k, a) for a in range(len(p.actions))],
                            f"weights σ_i(t_i) of {fx.label(i, k)}")
    return fx.constant


def slack_sum(step, fx: _Facts):
    prem = _premises(step, "welfare", "nash_conv")
    _eq(prem["welfare"], fx.welfare, "welfare W(σ)")
    _eq(prem["nash_conv"], fx.gap, "NashConv (the sum of slacks)")
    if not same(fx.welfare + fx.gap, fx.value1):
        raise _Reject(f"W + NashConv = {fx.welfare + fx.gap} is not Σ_i POWER = {fx.value1}")
    return fx.welfare + fx.gap


#: ``rule -> function(step, facts) -> the kernel's value of the right side``.
RULES = {"power-definition": power_definition, "max-dominates-mean": max_dominates_mean,
         "total-expectation": total_expectation, "linearity": linearity,
         "constant-sum": constant_sum, "normalisation": normalisation, "slack-sum": slack_sum}


# -- the whole trace ------------------------------------------------------------------------

def _structure(trace: Trace) -> None:
    check_types(trace)
    rules = THEOREMS.get(trace.theorem)
    if rules is None:
        raise _Reject(f"unknown theorem {trace.theorem!r} (known: {', '.join(THEOREMS)})")
    if trace.profile.players != trace.game.players:
        raise _Reject("the profile's players, types or actions differ from the game's")
    if len(trace.steps) != len(rules):
        raise _Reject(f"{trace.theorem} has {len(rules)} steps, trace has {len(trace.steps)}")
    for k, (step, rule) in enumerate(zip(trace.steps, rules), 1):
        if step.index != k or step.rule != rule:
            raise _Reject(f"step {k} of {trace.theorem} is {rule!r}, trace has index "
                          f"{step.index!r} and rule {step.rule!r}", k, step.rule)
        if (step.lhs, step.relation, step.rhs) != (NOTATION[rule][0], RELATIONS[rule],
                                                   NOTATION[rule][1]):
            raise _Reject(f"claim {step.lhs} {step.relation} {step.rhs} is not the rule's "
                          f"{NOTATION[rule][0]} {RELATIONS[rule]} {NOTATION[rule][1]}", k, rule)


def _steps(trace: Trace, fx: _Facts) -> None:
    prev = None
    for step in trace.steps:
        try:
            own = RULES[step.rule](step, fx)
            _eq(step.value, own, "value of the right side")
            if step.relation == "≥" and not same(prev - own, fx.gap):
                raise _Reject(f"left minus right is {prev - own}, not the total slack {fx.gap}")
            if step.relation == "=" and prev is not None and step.rule != "slack-sum" \
                    and not same(prev, own):
                raise _Reject(f"the chain breaks: left side is {prev}, right side is {own}")
        except _Reject as exc:
            raise _Reject(exc.args[0], step.index, step.rule) from None
        prev = own


def _deviation(d, row, acts, who, proven: bool) -> None:
    """``d.better`` attains the maximum and beats ``d.action``, which is played, by ``d.gain``.
    With a nonzero numeric regret (``proven``) the witness only has to be consistent; otherwise
    it is the proof: weight and gain positive numbers make ``Σ_a σ(a)(max − f(a)) > 0``."""
    if d.action not in acts or d.better not in acts:
        raise _Reject(f"deviation of {who} names an action not in A_i: {d}")
    a, b = acts.index(d.action), acts.index(d.better)
    _eq(d.gain, row["f"][b] - row["f"][a], f"gain of {d.better!r} over {d.action!r} for {who}")
    weight, gain = row["sigma"][a], _number(d.gain)
    if not same(row["f"][b], row["max"]):
        raise _Reject(f"deviation of {who}: {d.better!r} does not attain the maximum")
    if proven and not same(weight, ZERO) and not same(d.gain, ZERO):
        return
    if not (isinstance(weight, sympy.Rational) and weight > 0 and gain is not None and gain > 0):
        raise _Reject(f"deviation of {who}: {d.action!r} must be played with a positive weight "
                      f"(has {weight}) and lose a positive number (loses {d.gain})")


def _best_responding(row) -> bool | None:
    """The BNE definition for one type: does every action it plays attain the maximum?"""
    played = [(w, _number(row["max"] - v)) for w, v in zip(row["sigma"], row["f"])
              if not same(w, ZERO)]
    losing = [loss is not None and loss > 0 for _, loss in played]
    if all(loss == 0 for _, loss in played):
        return True
    if all(losing) or any(x and isinstance(w, sympy.Rational) for (w, _), x in zip(played, losing)):
        return False  # a positive weight on a losing action (the weights sum to 1)
    return None


def _equality(trace: Trace, fx: _Facts) -> None:
    eq = trace.equality
    if eq.statement != EQUALITY_STATEMENTS[trace.theorem]:
        raise _Reject(f"statement {eq.statement!r} is not {EQUALITY_STATEMENTS[trace.theorem]!r}")
    _names([(r.player, r.type) for r in eq.slacks], fx.keys(), "slack rows (player, type)")
    zeros, bne = [], []
    for r, (i, k) in zip(eq.slacks, fx.rows):
        row, who = fx.rows[(i, k)], fx.label(i, k)
        _eq(r.slack, row["slack"], f"slack for {who}")
        reg = _number(row["reg"])
        own = True if reg == 0 else (False if reg is not None else None)
        if r.zero is not own and not (own is None and r.zero is False):
            raise _Reject(f"slack for {who} is zero: {own}, trace says {r.zero}")
        if (r.zero is False) != (r.deviation is not None):
            raise _Reject(f"slack for {who}: a witness deviation is required exactly when "
                          f"the slack is not zero")
        if r.deviation is not None:
            _deviation(r.deviation, row, fx.game.players[i].actions, who, own is False)
        zeros.append(r.zero)
        bne.append(_best_responding(row))
    holds, is_bne = _verdict(zeros), _verdict(bne)
    if eq.holds is not holds:
        raise _Reject(f"equality holds: {holds}, trace says {eq.holds}")
    if eq.is_equilibrium is not is_bne:
        raise _Reject(f"σ is a BNE: {is_bne}, trace says {eq.is_equilibrium}")
    domains = condition_domains(fx.game, fx.profile)
    own = equality_condition([(r["omega"], r["f"], r["sigma"]) for r in fx.rows.values()],
                             domains)
    if eq.condition != own:
        raise _Reject(f"equality condition on the parameters is {own}, trace says {eq.condition}")
    if None not in (holds, is_bne) and holds != is_bne:
        raise _Reject(f"equality ({holds}) disagrees with BNE ({is_bne}): the theorem fails here")


def _conclusion(trace: Trace, fx: _Facts) -> None:
    c = trace.conclusion
    if c.statement != STATEMENTS[trace.theorem]:
        raise _Reject(f"statement {c.statement!r} is not {STATEMENTS[trace.theorem]!r}")
    _eq(c.power_sum, fx.value1, "Σ_i POWER")
    _eq(c.bound, fx.constant if trace.theorem == "power-scarcity" else fx.welfare, "bound")
    _eq(c.gap, fx.gap, "gap (the sum of slacks)")


def check(trace: Trace) -> Verdict:
    """The kernel's verdict on a trace; never raises.

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> from proofs import power_scarcity
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> check(power_scarcity(mp, StrategyProfile.uniform(mp))).ok
    True
    """
    part = None
    try:
        _structure(trace)
        fx = _Facts(trace.game, trace.profile)
        part = "values"
        check_defined(trace, fx)
        part = None
        _steps(trace, fx)
        part = "equality"
        _equality(trace, fx)
        part = "conclusion"
        _conclusion(trace, fx)
    except _Reject as exc:  # the trace is wrong or malformed: checked explicitly
        return rejection(exc, part)
    except Exception as exc:  # noqa: BLE001 -- anything else is a kernel bug, not a verdict
        return kernel_error(exc, part)
    return Verdict(True, f"valid: {STATEMENTS[trace.theorem]}; {EQUALITY_STATEMENTS[trace.theorem]}")


def check_or_raise(trace: Trace) -> Verdict:
    """:func:`check`, raising :class:`proofs.ProofError` with the message when rejected.

    >>> import dataclasses
    >>> from exactpower import BayesianGame, StrategyProfile
    >>> from proofs import power_scarcity
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> trace = power_scarcity(mp, StrategyProfile.uniform(mp))
    >>> check_or_raise(dataclasses.replace(trace, theorem="power-abundance"))
    Traceback (most recent call last):
    ...
    proofs.trace.ProofError: trace: unknown theorem 'power-abundance' (known: power-scarcity, general-sum-identity)
    """
    verdict = check(trace)
    if verdict.status == "error":
        raise KernelError(verdict.message)
    if not verdict.ok:
        raise ProofError(verdict.message)
    return verdict
