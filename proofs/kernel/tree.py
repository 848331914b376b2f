"""The tree kernel: ``check_tree(trace)`` re-derives every claim of a tree trace.

From the game tree and the behaviour profile alone (:class:`TreeFacts`) it computes, by
plain sums and products over the nodes: the probability ``π_σ(z)`` of every leaf, each
player's expected payoff ``u_i(σ)``, the others' reach ``π_{-i}`` and the player's own
reach ``π_i``, and -- for the trace's best-response certificate ``β_i`` (one action per
information set of player ``i``, or ``null`` where the best action depends on the
parameters) -- the value ``q(I, a)`` of every action ``a`` at every information set ``I``
of ``i``: the ``π_{-i}``-weighted payoff of the leaves below ``(I, a)``, with ``i``
following ``β_i`` at its later information sets.  ``V(I) = q(I, β_i(I))`` (or the maximum
``Max_a q(I, a)`` for ``null``), and ``POWER(i,σ) = Σ_{z, no move of i above} π_{-i}(z)
u_i(z) + Σ_{I first of i} V(I)``.

**Why the certificate proves the maximum.**  The kernel checks, at every information set
``I`` of ``i``, that ``q(I, β(I)) ≥ q(I, b)`` for every action ``b`` (a rational difference
``≥ 0``, or provably nonnegative on the parameters' domain; for ``null`` the maximum is
taken, which dominates each argument by definition).  Under perfect recall (checked by the
model at construction, and re-checked here: all nodes of ``I`` have the same last own move
``(J, a)``) ``i``'s information sets form a forest: the sets directly after ``(I, a)`` are
reached only through ``(I, a)``, and the leaves below ``(I, a)`` split into those with no
further move of ``i`` and those below exactly one of those sets.  By backward induction
over the forest (leaves first), ``V(I) ≥`` the value from ``I`` of *any* pure continuation
of ``i``: a continuation choosing ``b`` at ``I`` gets at most ``q(I, b)`` (its later sets
give at most their ``V``, by induction) ``≤ V(I)``.  Summing over the roots of the forest,
the certificate's value is ``max_{π_i} u_i(π_i, σ_-i) = POWER(i,σ)``; where every choice is
an action the kernel also recomputes the pure strategy's value directly, leaf by leaf.

**The chain.**  ``POWER(i,σ) − u_i(σ) = Σ_I π_i(I)·(V(I) − Σ_a σ(I,a)·q(I,a))`` (a
telescoping identity, checked per player); each slack is ``≥ 0`` because ``π_i(I)`` is a
product of probabilities, every row of σ and of chance is checked to be a distribution, and
``V(I)`` dominates every ``q(I, a)``.  Hence ``Σ_i POWER ≥ Σ_i u_i(σ) = Σ_z π_σ(z)·Σ_i u_i(z)``,
which is ``c`` when ``Σ_i u_i(z) = c`` at every leaf (checked leaf by leaf) since the leaf
probabilities sum to 1; in general it is ``W(σ)`` and ``Σ_i POWER = W + NashConv``.
Equality holds iff every slack is 0 iff ``NashConv = 0`` iff σ is a Nash equilibrium; the
slack table names the information sets with positive slack, and for a symbolic game or
profile the condition on the parameters is re-derived by
:func:`proofs.kernel.condition.equality_condition` on the rows ``(π_i(I), q(I,·), σ(I,·))``
(not decided when a value holds a maximum).  Values are compared in the normal form of
:func:`proofs.kernel.facts.same`, after :func:`check_tree_defined` has refused denominators
that can vanish on the parameters' domain.

Imports only the kernel and exactpower's model (``exactpower.sequential.tree``,
``.behaviour``) and exact layers -- never ``exactpower.sequential.quantities``.
"""

from __future__ import annotations

from typing import Any, cast

import sympy

from exactpower.exact import probability_symbols
from exactpower.exact.decide import canonical_max, provably_nonnegative

from .condition import UNDECIDED, equality_condition
from .facts import ZERO, expect_names, number, premises, same
from .guard import Reject, Verdict, check_keys, raise_for
from .loop import Progress, guarded, run_rules
from .records import Step
from .tree_records import (
    TREE_EQUALITY_STATEMENTS,
    TREE_NOTATION,
    TREE_STATEMENTS,
    TREE_THEOREMS,
    TreeTraceRecord,
    check_tree_defined,
    check_tree_size,
    check_tree_types,
    choices_of,
    expect_dict,
)

__all__ = ["TREE_RULES", "TERM_KEYS", "TreeFacts", "check_tree", "check_tree_or_raise"]

ONE = sympy.S.One
#: The premises of one term of ``max-dominates-mean`` (one per information set of a player).
TERM_KEYS = ("player", "infoset", "reach", "strategy", "max", "mean", "slack")


def shown(x: object) -> str:
    """``str(x)``, or a placeholder for a number too long for Python to print (over 4300
    digits: the kernel's own reach products can be, and a message must not crash)."""
    try:
        return str(x)
    except ValueError:
        return "(a number too long to print)"


def expect_same(claimed: object, own: sympy.Expr, what: str) -> None:
    """Reject unless the trace's ``claimed`` value is the kernel's ``own``."""
    if not same(claimed, own):
        raise Reject(f"{what} is {shown(own)}, trace says {shown(claimed)}")


class TreeFacts:
    """What the tree kernel computes itself from the game, the profile and the certificate's
    choices ``{infoset index: action index or None}``; also the algebra of the rule loop."""

    def __init__(self, trace: TreeTraceRecord, choices: dict[int, int | None]) -> None:
        game, profile = trace.game, trace.profile
        self.game, self.profile, self.choices = game, profile, choices
        self.probs = probability_symbols((*game.parameters, *profile.parameters))
        self.symbolic = game.is_symbolic or profile.is_symbolic
        nodes: Any = game.nodes  # Node fields are optional by kind: typed loosely here
        sets: Any = game.infosets
        self.rows: list[Any] = [
            s.probabilities if s.player is None else tuple(profile.probabilities[k])
            for k, s in enumerate(sets)
        ]
        for s, row in zip(sets, self.rows):
            self.distribution(row, f"information set {s.name!r}")
        n = game.n_players
        self.mover: list[Any] = [
            None if x.infoset is None else sets[x.infoset].player for x in nodes
        ]
        self.act = [0] * len(nodes)
        weight = [ONE] * len(nodes)
        for node in nodes:
            for a, c in enumerate(node.children):
                self.act[c], weight[c] = a, self.rows[node.infoset][a]
        self.reach = [ONE] * len(nodes)
        self.own = [[ONE] * len(nodes) for _ in range(n)]
        self.others = [[ONE] * len(nodes) for _ in range(n)]
        for k in range(1, len(nodes)):
            p, w = nodes[k].parent, weight[k]
            self.reach[k] = self.reach[p] * w
            for i in range(n):
                mine = self.mover[p] == i
                self.own[i][k] = self.own[i][p] * (w if mine else ONE)
                self.others[i][k] = self.others[i][p] * (ONE if mine else w)
        self.leaves = game.terminals()
        pay = {z: nodes[z].payoffs for z in self.leaves}
        self.leaf_reach = {z: self.total([self.reach[z]]) for z in self.leaves}
        self.expected = [
            self.total([self.reach[z] * pay[z][i] for z in self.leaves]) for i in range(n)
        ]
        self.by_leaf = self.total(
            [self.reach[z] * pay[z][i] for z in self.leaves for i in range(n)]
        )
        self.welfare = self.total([self.reach[z] * sum(pay[z], ZERO) for z in self.leaves])
        self.mass = self.total([self.reach[z] for z in self.leaves])
        self.q: dict[int, list[Any]] = {}
        self.value: dict[int, Any] = {}
        self.power = [self.best_value(i) for i in range(n)]
        self.slack = {j: self.own_reach(j) * (self.value[j] - self.mean(j)) for j in self.q}
        self.gap = self.total(list(self.slack.values()))
        self.power_sum = self.total(self.power)
        self.constant: sympy.Expr | None = None  # set by the rule constant-sum

    def total(self, terms: list[Any]) -> sympy.Expr:
        out = sympy.Add(*terms)
        return sympy.expand(out) if self.symbolic else out

    def distribution(self, row: Any, what: str) -> None:
        for v in row:
            ok = (
                bool(v >= 0)
                if isinstance(v, sympy.Rational)
                else provably_nonnegative(v, self.probs)
            )
            if not ok:
                raise Reject(f"{what}: probability {v} is not provably nonnegative")
        if not same(sum(row, ZERO), ONE):
            raise Reject(f"{what}: probabilities sum to {shown(sum(row, ZERO))}, not 1")

    def own_reach(self, j: int) -> sympy.Expr:
        info: Any = self.game.infosets[j]
        return self.total([self.own[info.player][info.nodes[0]]])

    def mean(self, j: int) -> sympy.Expr:
        return self.total([w * v for w, v in zip(self.rows[j], self.q[j])])

    def best_value(self, i: int) -> sympy.Expr:
        """Backward induction over player ``i``'s information sets, later sets first."""
        game, nodes = self.game, cast(Any, self.game.nodes)
        mine = sorted(game.infosets_of(i), key=lambda j: game.infosets[j].nodes[0])
        last: list[Any] = [None] * len(nodes)
        for k in range(1, len(nodes)):
            p = nodes[k].parent
            last[k] = (nodes[p].infoset, self.act[k]) if self.mover[p] == i else last[p]
        below: dict[Any, list[Any]] = {}
        for z in self.leaves:
            below.setdefault(last[z], []).append(self.others[i][z] * nodes[z].payoffs[i])
        for j in mine:
            owners = {last[h] for h in game.infosets[j].nodes}
            if len(owners) != 1:
                raise Reject(f"information set {game.infosets[j].name!r}: no perfect recall")
        for j in reversed(mine):
            info = game.infosets[j]
            self.q[j] = [self.total(below.get((j, a), [])) for a in range(len(info.actions))]
            c = self.choices[j]
            if c is None:
                v = canonical_max(self.q[j]) if self.symbolic else max(self.q[j])
            else:
                v = self.q[j][c]
            self.value[j] = v
            below.setdefault(last[info.nodes[0]], []).append(v)
        return self.total(below.get(None, []))

    def pure_value(self, i: int) -> sympy.Expr:
        """The value of the certificate's pure strategy, leaf by leaf (every choice an
        action): the leaves where each move of ``i`` on the path is the certificate's."""
        nodes: Any = self.game.nodes
        follows = [True] * len(nodes)
        for k in range(1, len(nodes)):
            p = nodes[k].parent
            mine = self.mover[p] == i
            follows[k] = follows[p] and (not mine or self.choices[nodes[p].infoset] == self.act[k])
        return self.total(
            [self.others[i][z] * nodes[z].payoffs[i] for z in self.leaves if follows[z]]
        )

    def infosets(self) -> list[tuple[int, int]]:
        """``(player, infoset)`` of every information set of every player, in order."""
        return [(i, j) for i in range(self.game.n_players) for j in self.game.infosets_of(i)]

    # the algebra of the rule loop
    @staticmethod
    def equal(a: sympy.Expr, b: sympy.Expr) -> bool:
        return same(a, b)

    @staticmethod
    def written(step: Step, rhs: sympy.Expr) -> None:
        expect_same(step.value, rhs, "value of the right side")

    @staticmethod
    def difference(lhs: sympy.Expr, rhs: sympy.Expr) -> str:
        return f"the chain breaks: left side is {shown(lhs)}, right side is {shown(rhs)}"


def _dominates(fx: TreeFacts, j: int, c: int) -> None:
    """``q(I, c) ≥ q(I, b)`` for every action ``b`` of the information set ``j``."""
    info = fx.game.infosets[j]
    for b, other in enumerate(fx.q[j]):
        d = fx.total([fx.q[j][c] - other])
        ok = bool(d >= 0) if isinstance(d, sympy.Rational) else provably_nonnegative(d, fx.probs)
        if not ok:
            raise Reject(
                f"certificate of {info.name!r}: {info.actions[c]!r} is not a best action: "
                f"q({info.actions[c]!r}) − q({info.actions[b]!r}) = {shown(d)} is not provably ≥ 0"
            )


def power_definition(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "certificates", "power")
    game, names = fx.game, fx.game.players
    certs = expect_dict(prem["certificates"], names, "players of the certificates")
    for i, name in enumerate(names):
        mine = game.infosets_of(i)
        expect_names(
            certs[name], [game.infosets[j].name for j in mine], f"certificate of {name!r}", dict
        )
        for j in mine:
            info = game.infosets[j]
            cert = check_keys(certs[name][info.name], ("action", "values"), f"{info.name!r}")
            expect_names(cert["values"], info.actions, f"actions of {info.name!r}", dict)
            for a, own in zip(info.actions, fx.q[j]):
                expect_same(cert["values"][a], own, f"q({info.name!r}, {a!r})")
            choice = fx.choices[j]
            if choice is not None:
                _dominates(fx, j, choice)
        if all(fx.choices[j] is not None for j in mine):
            expect_same(fx.pure_value(i), fx.power[i], f"value of {name!r}'s pure certificate")
    expect_names(prem["power"], names, "players of the POWER entries", dict)
    for i, name in enumerate(names):
        expect_same(prem["power"][name], fx.power[i], f"POWER of player {name!r}")
    return fx.power_sum, fx.power_sum


def max_dominates_mean(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "terms", "total")
    terms, game = prem["terms"], fx.game
    rows = fx.infosets()
    if not isinstance(terms, list) or any(not isinstance(t, dict) for t in terms):
        raise Reject("terms must be a list of records")
    expect_names(
        [(t.get("player"), t.get("infoset")) for t in terms],
        [(game.players[i], game.infosets[j].name) for i, j in rows],
        "terms (player, information set)",
    )
    for t, (_, j) in zip(terms, rows):
        info = game.infosets[j]
        check_keys(t, TERM_KEYS, f"the term of {info.name!r}")
        expect_same(t["reach"], fx.own_reach(j), f"own reach of {info.name!r}")
        expect_names(t["strategy"], info.actions, f"actions of σ at {info.name!r}", dict)
        for a, w in zip(info.actions, fx.rows[j]):
            expect_same(t["strategy"][a], w, f"σ({info.name!r}, {a!r})")
        expect_same(t["max"], fx.value[j], f"V({info.name!r})")
        expect_same(t["mean"], fx.mean(j), f"σ-mean of q at {info.name!r}")
        expect_same(t["slack"], fx.slack[j], f"slack of {info.name!r}")
        s = number(fx.slack[j])
        if s is not None and s < 0:
            raise Reject(f"slack of {info.name!r} is negative: {shown(s)}")
    expect_same(prem["total"], fx.gap, "total slack")
    for i, name in enumerate(game.players):
        mine = [fx.slack[j] for j in game.infosets_of(i)]
        if not same(fx.power[i] - fx.expected[i], fx.total(mine)):
            raise Reject(f"the slacks of {name!r} do not add up to POWER − u_i")
    return fx.power_sum, fx.total(fx.expected)


def reach_expectation(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "reach", "expected")
    nodes = fx.game.nodes
    expect_names(prem["reach"], [nodes[z].path for z in fx.leaves], "leaves of the reach", dict)
    for z in fx.leaves:
        expect_same(prem["reach"][nodes[z].path], fx.leaf_reach[z], f"π_σ({nodes[z].path})")
    expect_names(prem["expected"], fx.game.players, "players of the expected payoffs", dict)
    for i, name in enumerate(fx.game.players):
        expect_same(prem["expected"][name], fx.expected[i], f"u_i(σ) of {name!r}")
    return fx.total(fx.expected), fx.by_leaf


def linearity(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    premises(step)
    return fx.by_leaf, fx.welfare


def constant_sum(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    c = premises(step, "constant")["constant"]
    if not isinstance(c, sympy.Expr):
        raise Reject(f"the constant must be an exact value, trace has {c!r}")
    for z in fx.leaves:
        node: Any = fx.game.nodes[z]
        if not same(sum(node.payoffs, ZERO), c):
            raise Reject(f"payoffs at leaf {node.path} sum to {sum(node.payoffs, ZERO)}, not {c}")
    fx.constant = c
    return fx.welfare, fx.total([c * fx.mass])


def normalisation(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    premises(step)
    if not same(fx.mass, ONE) or fx.constant is None:
        raise Reject(f"the leaf probabilities sum to {shown(fx.mass)}, not 1")
    return fx.total([fx.constant * fx.mass]), fx.constant


def slack_sum(step: Step, fx: TreeFacts) -> tuple[sympy.Expr, sympy.Expr]:
    prem = premises(step, "welfare", "nash_conv")
    expect_same(prem["welfare"], fx.welfare, "W(σ)")
    expect_same(prem["nash_conv"], fx.gap, "NashConv(σ) (the total slack)")
    return fx.power_sum, fx.total([fx.welfare, fx.gap])


#: ``rule -> its check``; looked up at each step (a test may replace one).
TREE_RULES = {
    "power-definition": power_definition,
    "max-dominates-mean": max_dominates_mean,
    "reach-expectation": reach_expectation,
    "linearity": linearity,
    "constant-sum": constant_sum,
    "normalisation": normalisation,
    "slack-sum": slack_sum,
}


def _claims(trace: TreeTraceRecord) -> None:
    rules = TREE_THEOREMS.get(trace.theorem)
    if rules is None:
        raise Reject(f"unknown theorem {trace.theorem!r} (known: {', '.join(TREE_THEOREMS)})")
    if len(trace.steps) != len(rules):
        raise Reject(f"{trace.theorem} has {len(rules)} steps, trace has {len(trace.steps)}")
    for k, (step, rule) in enumerate(zip(trace.steps, rules), 1):
        if step.index != k or step.rule != rule:
            raise Reject(f"step {k} is {rule!r}, trace has {step.index!r} {step.rule!r}", k, rule)
        if (step.lhs, step.relation, step.rhs) != TREE_NOTATION[rule]:
            raise Reject(f"claim {step.lhs} {step.relation} {step.rhs} is not the rule's", k, rule)


def tree_condition(rows: list[Any], domains: dict[Any, str]) -> str | None:
    """:func:`~proofs.kernel.condition.equality_condition` of the rows ``(π_i(I), q(I,·),
    σ(I,·))``; ``"not decided: ..."`` when a value holds a maximum (a ``null`` choice)."""
    if domains and any(v.has(sympy.Max) for _, q, _ in rows for v in q):
        return UNDECIDED + "an action value holds a maximum over actions"
    return equality_condition(rows, domains)


def _verdict(flags: list[bool | None]) -> bool | None:
    return False if False in flags else (True if all(f is True for f in flags) else None)


def _deviation(r: Any, fx: TreeFacts, j: int, proven: bool) -> None:
    info, d = fx.game.infosets[j], r.deviation
    if d.action not in info.actions or d.better not in info.actions:
        raise Reject(f"deviation at {info.name!r} names an action not at the set: {d}")
    a, b = info.actions.index(d.action), info.actions.index(d.better)
    expect_same(d.gain, fx.q[j][b] - fx.q[j][a], f"gain of {d.better!r} over {d.action!r}")
    if not same(fx.q[j][b], fx.value[j]):
        raise Reject(f"deviation at {info.name!r}: {d.better!r} does not attain the maximum")
    weight, gain, reach = fx.rows[j][a], number(d.gain), number(fx.own_reach(j))
    if proven and not same(weight, ZERO) and not same(d.gain, ZERO):
        return
    if not all(isinstance(v, sympy.Rational) and v > 0 for v in (weight, gain, reach)):
        raise Reject(
            f"deviation at {info.name!r}: {d.action!r} must be reached and played with "
            f"positive probability and lose a positive number"
        )


def check_tree_equality(trace: TreeTraceRecord, fx: TreeFacts) -> None:
    """The slack table, its witnesses, ``holds``, ``is_equilibrium``, the condition."""
    eq, game = trace.equality, fx.game
    if eq.statement != TREE_EQUALITY_STATEMENTS[trace.theorem]:
        raise Reject(f"statement {eq.statement!r} is not the theorem's")
    rows = fx.infosets()
    expect_names(
        [(r.player, r.infoset) for r in eq.slacks],
        [(game.players[i], game.infosets[j].name) for i, j in rows],
        "slack rows (player, information set)",
    )
    zeros = []
    for r, (_, j) in zip(eq.slacks, rows):
        name = game.infosets[j].name
        expect_same(r.reach, fx.own_reach(j), f"own reach of {name!r}")
        expect_same(r.slack, fx.slack[j], f"slack of {name!r}")
        s = number(fx.slack[j])
        own = None if s is None else s == 0
        if r.zero is not own and not (own is None and r.zero is False):
            raise Reject(f"slack of {name!r} is zero: {own}, trace says {r.zero}")
        if (r.zero is False) != (r.deviation is not None):
            raise Reject(
                f"slack of {name!r}: a witness deviation is required exactly when not zero"
            )
        if r.deviation is not None:
            _deviation(r, fx, j, own is False)
        zeros.append(r.zero)
    conv = number(fx.total([p - u for p, u in zip(fx.power, fx.expected)]))
    holds, is_nash = _verdict(zeros), None if conv is None else conv == 0
    if eq.holds is not holds:
        raise Reject(f"equality holds: {holds}, trace says {eq.holds}")
    if eq.is_equilibrium is not is_nash:
        raise Reject(f"σ is a Nash equilibrium: {is_nash}, trace says {eq.is_equilibrium}")
    domains = (
        {p.symbol: p.domain for p in (*game.parameters, *fx.profile.parameters)}
        if fx.symbolic
        else {}
    )
    own_rows = [(fx.own_reach(j), fx.q[j], list(fx.rows[j])) for _, j in rows]
    condition = tree_condition(own_rows, domains)
    if eq.condition != condition:
        raise Reject(
            f"equality condition on the parameters is {condition}, trace says {eq.condition}"
        )
    if None not in (holds, is_nash) and holds != is_nash:
        raise Reject(f"equality ({holds}) disagrees with Nash ({is_nash}): the theorem fails here")


def _conclusion(trace: TreeTraceRecord, fx: TreeFacts) -> None:
    c = trace.conclusion
    if c.statement != TREE_STATEMENTS[trace.theorem]:
        raise Reject(f"statement {c.statement!r} is not {TREE_STATEMENTS[trace.theorem]!r}")
    expect_same(c.power_sum, fx.power_sum, "Σ_i POWER")
    bound = fx.constant if trace.theorem == "power-scarcity" else fx.welfare
    expect_same(c.bound, bound, "bound")
    expect_same(c.gap, fx.gap, "gap (the sum of slacks)")


def check_tree(trace: TreeTraceRecord) -> Verdict:
    """The kernel's verdict on a tree trace (never raises; see the module doc).

    >>> from exactpower.sequential import BehaviourProfile, catalog
    >>> from proofs.tree_trace import tree_power_scarcity
    >>> g = catalog.matching_pennies()
    >>> check_tree(tree_power_scarcity(g, BehaviourProfile.uniform(g))).status
    'valid'
    """

    def body(at: Progress) -> str:
        at.part = "trace"
        check_tree_types(trace)
        check_tree_size(trace)
        _claims(trace)
        check_tree_defined(trace)
        fx = TreeFacts(trace, choices_of(trace))
        at.part = None
        run_rules(trace.steps, TREE_RULES, fx)
        at.part = "equality"
        check_tree_equality(trace, fx)
        at.part = "conclusion"
        _conclusion(trace, fx)
        return f"valid: {TREE_STATEMENTS[trace.theorem]}; {TREE_EQUALITY_STATEMENTS[trace.theorem]}"

    return guarded(body)


def check_tree_or_raise(trace: TreeTraceRecord) -> Verdict:
    """:func:`check_tree`, raising :class:`~proofs.kernel.ProofError` when rejected and
    :class:`~proofs.kernel.KernelError` on an error inside the kernel."""
    return raise_for(check_tree(trace))
