"""The kernel of stochastic-game traces: every claim re-derived from the game and the profile.

For a :class:`~proofs.kernel.stochastic_records.StochasticTraceRecord` the kernel computes,
with :class:`fractions.Fraction` only, from the embedded game (rational data) and stationary
profile σ: ``r_{i,σ}(s) = E_{a~σ(s)} r_i(s,a)``, ``P_σ(s'|s)``, and for every player the MDP
that ``σ_-i`` induces (``r_i(s,a_i,σ_-i)``, ``T(s'|s,a_i,σ_-i)``).  It never iterates and
never solves a linear system: every number the trace claims is *checked* by the equation
that defines it, state by state, and each of those equations has exactly one solution
because ``γ < 1``:

- ``power-definition``: a Bellman certificate per player -- a value ``W_i(s)`` and an
  action per state.  ``Q_i(s,b) = r_i(s,b,σ_-i) + γ Σ_s' T(s'|s,b,σ_-i) W_i(s')`` is
  computed for every action ``b``; the claimed action must give ``W_i(s)`` and no action
  more.  So ``W_i`` solves the Bellman optimality equations, whose unique solution is the
  optimal value, and ``POWER(i,σ) = μ·W_i``.
- ``max-dominates-mean``: the claimed ``V_i^σ`` satisfy ``V = r_σ + γ P_σ V`` at every
  state; the claimed occupancy ``ρ`` satisfies ``ρ(s') = μ(s') + γ Σ_s ρ(s) P_σ(s'|s)`` and
  ``ρ ≥ 0``; the one-step regrets ``d_i(s) = W_i(s) − Σ_a σ_i(s)(a) Q_i(s,a)`` are ``≥ 0``
  (the certificate's maximum dominates every action); and ``Σ_i μ·(W_i − V_i^σ) =
  Σ_i Σ_s ρ(s) d_i(s)`` holds exactly -- the gap of the ``≥``, a sum of products of
  nonnegative factors.
- ``occupancy-expectation``: ``μ·V_i^σ = Σ_s ρ(s) r_{i,σ}(s)`` per player;
  ``linearity``: the sum over players moved inside, from the cells; ``constant-sum``:
  ``Σ_i r_i(s,a) = c`` at every state and joint action; ``normalisation``:
  ``Σ_s ρ(s)·c = c/(1−γ)``; ``slack-sum``: ``Σ_i POWER = W(σ) + NashConv(σ)``.
- the equality record: one row per player and state with ``ρ(s) > 0``, each slack, zero
  flag and witness deviation recomputed; ``holds`` and ``is_equilibrium`` (from the
  definition: ``POWER_i = V_i^σ(μ)`` for every ``i``) recomputed and required to agree.

It imports the stochastic game model (:mod:`exactpower.sequential.stochastic`) and no
quantity of exactpower.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

import sympy

from exactpower.sequential.stochastic import StationaryProfile, StochasticGame

from .guard import Reject, Verdict, check_keys, raise_for
from .loop import guarded, run_rules
from .records import Conclusion, Deviation, Step
from .stochastic_records import (
    STOCHASTIC_EQUALITY_STATEMENTS,
    STOCHASTIC_NOTATION,
    STOCHASTIC_STATEMENTS,
    STOCHASTIC_THEOREMS,
    StochasticEquality,
    StochasticSlack,
    StochasticTraceRecord,
    common_denominator,
    show,
)

__all__ = ["STOCHASTIC_RULES", "check_stochastic", "check_stochastic_or_raise"]

F = Fraction
ZERO = F(0)


def _f(x: object, what: str) -> Fraction:
    """A trace's or the game's exact value as a Fraction (rational values only)."""
    if not isinstance(x, sympy.Rational):
        raise Reject(f"{what}: {x!r} is not a rational number")
    return F(int(x.p), int(x.q))


def _dist(values: list[Fraction], what: str) -> None:
    if any(v < 0 or v > 1 for v in values) or sum(values, ZERO) != 1:
        raise Reject(f"{what} is not a probability distribution")


class Facts:
    """The kernel's own quantities for one game and profile, and what the rules certify."""

    def __init__(self, game: StochasticGame, profile: StationaryProfile) -> None:
        self.game = g = game
        self.gamma = _f(g.gamma, "gamma")
        if not ZERO < self.gamma < 1:
            raise Reject(f"the discount γ = {self.gamma} is not in (0, 1)")
        self.mu = [_f(m, "μ") for m in g.mu]
        _dist(self.mu, "the initial distribution μ")
        self.sigma = [[[_f(p, "σ") for p in dist] for dist in own] for own in profile.probabilities]
        n, m = g.n_players, g.n_states
        # certified by the rules, in order (see each rule)
        self.w: list[list[Fraction]] = []  # W_i(s), step 1
        self.qs: list[list[list[Fraction]]] = []  # Q_i(s, ·), step 1
        self.power_sum = ZERO
        self.v: list[list[Fraction]] = []  # V_i^σ(s), step 2
        self.rho: list[Fraction] = []  # ρ(s), step 2
        self.d: list[list[Fraction]] = []  # d_i(s), step 2
        self.total = self.welfare = self.expected = self.mass = self.c = self.bound = ZERO
        self.r = [[ZERO] * m for _ in range(n)]  # r_{i,σ}(s)
        self.p: list[dict[int, Fraction]] = [{} for _ in range(m)]  # P_σ(·|s)
        self.rew = [[[ZERO] * len(g.actions[s][i]) for s in range(m)] for i in range(n)]
        self.tr: list[list[list[dict[int, Fraction]]]] = [
            [[{} for _ in g.actions[s][i]] for s in range(m)] for i in range(n)
        ]
        self.welfare_cells = [ZERO] * m  # E_{a~σ(s)} Σ_i r_i(s,a)
        for what, vals in (
            ("the weights of σ", [p for own in self.sigma for dist in own for p in dist]),
            (
                "the transition probabilities",
                [_f(p, "P") for c in g.transitions for r in c for _, p in r],
            ),
            ("the rewards", [_f(x, "reward") for c in g.rewards for r in c for x in r]),
        ):
            common_denominator(vals, what)
        for s in range(m):
            for i in range(n):
                _dist(self.sigma[i][s], f"σ of player {g.players[i]!r} at state {g.states[s]!r}")
            for k, joint in enumerate(g.joint_indices(s)):
                self._cell(s, k, joint)

    def _cell(self, s: int, k: int, joint: tuple[int, ...]) -> None:
        g = self.game
        rewards = [_f(x, "reward") for x in g.rewards[s][k]]
        row = [(t, _f(p, "transition probability")) for t, p in g.transitions[s][k]]
        _dist([p for _, p in row], f"the transition at state {g.states[s]!r} joint {list(joint)}")
        weights = [self.sigma[j][s][a] for j, a in enumerate(joint)]
        whole = F(1)
        for w in weights:
            whole *= w
        self.welfare_cells[s] += whole * sum(rewards, ZERO)
        for i, a in enumerate(joint):
            others = F(1)
            for j, w in enumerate(weights):
                if j != i:
                    others *= w
            self.r[i][s] += whole * rewards[i]
            self.rew[i][s][a] += others * rewards[i]
            for t, p in row:
                self.tr[i][s][a][t] = self.tr[i][s][a].get(t, ZERO) + others * p
        for t, p in row:
            self.p[s][t] = self.p[s].get(t, ZERO) + whole * p

    # -- the algebra the rule loop uses ----------------------------------------------------
    def written(self, step: Step, rhs: Fraction) -> None:
        if _f(step.value, "value of the right side") != rhs:
            raise Reject(f"value of the right side is {show(rhs)}, trace says {step.value}")

    @staticmethod
    def equal(a: Fraction, b: Fraction) -> bool:
        return a == b

    @staticmethod
    def difference(lhs: Fraction, rhs: Fraction) -> str:
        return f"left side {show(lhs)} ≠ right side {show(rhs)}"

    def dot(self, vector: list[Fraction]) -> Fraction:
        return sum((m * v for m, v in zip(self.mu, vector)), ZERO)

    def q(self, i: int, s: int, w: list[Fraction]) -> list[Fraction]:
        """``Q_i(s, b)`` for every action ``b`` of ``i`` at ``s``, against the values ``w``."""
        return [
            self.rew[i][s][b]
            + self.gamma * sum((p * w[t] for t, p in self.tr[i][s][b].items()), ZERO)
            for b in range(len(self.rew[i][s]))
        ]


def _compare(claimed: object, own: Fraction, what: str) -> None:
    if _f(claimed, what) != own:
        raise Reject(f"{what} is {show(own)}, trace says {claimed}")


def _per_state(fx: Facts, table: object, what: str) -> list[Fraction]:
    rows = check_keys(table, fx.game.states, what)
    return [_f(rows[s], f"{what} at {s!r}") for s in fx.game.states]


def _power_definition(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    g = fx.game
    p = check_keys(step.premises, ("certificates", "power"), "premises")
    certs = check_keys(p["certificates"], g.players, "certificates (one per player)")
    powers = check_keys(p["power"], g.players, "power (one per player)")
    fx.w, fx.qs, total = [], [], ZERO
    for i, player in enumerate(g.players):
        rows = check_keys(certs[player], g.states, f"certificate of player {player!r}")
        recs = [
            check_keys(rows[s], ("value", "action", "q"), f"certificate of {player!r} at {s!r}")
            for s in g.states
        ]
        w = [_f(r["value"], f"W of {player!r}") for r in recs]
        common_denominator(w, f"the values W of player {player!r}")
        qs = []
        for s, (state, rec) in enumerate(zip(g.states, recs)):
            qs.append(_bellman(fx, i, s, w, rec, f"player {player!r} state {state!r}"))
        fx.w.append(w)
        fx.qs.append(qs)
        power = fx.dot(w)
        _compare(powers[player], power, f"POWER of player {player!r} (μ·W)")
        total += power
    fx.power_sum = total
    return total, total


def _bellman(
    fx: Facts, i: int, s: int, w: list[Fraction], rec: dict[str, Any], where: str
) -> list[Fraction]:
    """The Bellman optimality equation at ``s``: the claimed action attains ``W(s)``, no
    action exceeds it; returns the kernel's ``Q_i(s, ·)``."""
    actions = fx.game.actions[s][i]
    q = fx.q(i, s, w)
    claimed = check_keys(rec["q"], actions, f"{where}: q (one per action)")
    for b, a in enumerate(actions):
        _compare(claimed[a], q[b], f"{where}: Q of action {a!r}")
    if not isinstance(rec["action"], str) or rec["action"] not in actions:
        raise Reject(
            f"{where}: the certificate's action {rec['action']!r} is not one of {list(actions)}"
        )
    best = q[actions.index(rec["action"])]
    if best != w[s]:
        raise Reject(
            f"{where}: Bellman certificate: W(s) = {show(w[s])} but the claimed action "
            f"{rec['action']!r} gives {show(best)}"
        )
    for b, a in enumerate(actions):
        if q[b] > w[s]:
            raise Reject(
                f"{where}: Bellman certificate: action {a!r} gives {show(q[b])} > W(s) = "
                f"{show(w[s])}, so W is not optimal"
            )
    return q


def _max_dominates_mean(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    g = fx.game
    p = check_keys(step.premises, ("values", "occupancy", "regrets", "total"), "premises")
    values = check_keys(p["values"], g.players, "values (one per player)")
    regrets = check_keys(p["regrets"], g.players, "regrets (one per player)")
    fx.v = []
    for i, player in enumerate(g.players):
        v = _per_state(fx, values[player], f"values of player {player!r}")
        common_denominator(v, f"the values V of player {player!r}")
        for s, state in enumerate(g.states):
            own = fx.r[i][s] + fx.gamma * sum((q * v[t] for t, q in fx.p[s].items()), ZERO)
            if v[s] != own:
                raise Reject(
                    f"values of player {player!r} at state {state!r}: V = {show(v[s])}, but "
                    f"r_σ + γ P_σ V = {show(own)} (not the policy-evaluation equation)"
                )
        fx.v.append(v)
    rho = _per_state(fx, p["occupancy"], "occupancy")
    common_denominator(rho, "the occupancy")
    for t, state in enumerate(g.states):
        own = fx.mu[t] + fx.gamma * sum(
            (rho[s] * fx.p[s].get(t, ZERO) for s in range(g.n_states)), ZERO
        )
        if rho[t] != own or rho[t] < 0:
            raise Reject(
                f"occupancy at state {state!r}: ρ = {show(rho[t])}, but μ + γ ρ P_σ = {show(own)}"
            )
    fx.rho = rho
    fx.d = [
        [
            fx.w[i][s] - sum((x * y for x, y in zip(fx.sigma[i][s], fx.qs[i][s])), ZERO)
            for s in range(g.n_states)
        ]
        for i in range(g.n_players)
    ]
    for i, player in enumerate(g.players):
        claimed = check_keys(regrets[player], g.states, f"regrets of player {player!r}")
        for s, state in enumerate(g.states):
            _compare(claimed[state], fx.d[i][s], f"regret of player {player!r} at state {state!r}")
            if fx.d[i][s] < 0:  # cannot happen after the Bellman check: a kernel invariant
                raise Reject(f"regret of player {player!r} at state {state!r} is negative")
    fx.total = sum(
        (rho[s] * fx.d[i][s] for i in range(g.n_players) for s in range(g.n_states)), ZERO
    )
    _compare(p["total"], fx.total, "total slack Σ_i Σ_s ρ(s)·d_i(s)")
    lhs = sum((fx.dot(w) for w in fx.w), ZERO)
    fx.welfare = sum((fx.dot(v) for v in fx.v), ZERO)
    if lhs - fx.welfare != fx.total:
        raise Reject(
            f"Σ_i μ·(W_i − V_i^σ) = {show(lhs - fx.welfare)} is not the total slack {show(fx.total)}"
        )
    return lhs, fx.welfare


def _occupancy_expectation(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    g = fx.game
    p = check_keys(step.premises, ("expected_rewards",), "premises")
    claimed = check_keys(p["expected_rewards"], g.players, "expected_rewards (one per player)")
    rhs = ZERO
    for i, player in enumerate(g.players):
        own = sum((x * y for x, y in zip(fx.rho, fx.r[i])), ZERO)
        _compare(claimed[player], own, f"expected reward Σ_s ρ(s) r_σ(s) of player {player!r}")
        if own != fx.dot(fx.v[i]):
            raise Reject(f"μ·V of player {player!r} is {show(fx.dot(fx.v[i]))}, not {show(own)}")
        rhs += own
    fx.expected = rhs
    return fx.welfare, rhs


def _linearity(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    check_keys(step.premises, (), "premises")
    fx.mass = sum((x * y for x, y in zip(fx.rho, fx.welfare_cells)), ZERO)
    return fx.expected, fx.mass


def _constant_sum(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    g = fx.game
    p = check_keys(step.premises, ("constant",), "premises")
    c = _f(p["constant"], "constant")
    for s, state in enumerate(g.states):
        for k, joint in enumerate(g.joint(s)):
            total = sum((_f(x, "reward") for x in g.rewards[s][k]), ZERO)
            if total != c:
                raise Reject(
                    f"rewards at state {state!r} joint action {list(joint)} sum to "
                    f"{show(total)}, not the constant {show(c)}"
                )
    fx.c = c
    return fx.mass, sum((r * c for r in fx.rho), ZERO)


def _normalisation(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    check_keys(step.premises, (), "premises")
    fx.bound = fx.c / (1 - fx.gamma)
    return sum((r * fx.c for r in fx.rho), ZERO), fx.bound


def _slack_sum(step: Step, fx: Facts) -> tuple[Fraction, Fraction]:
    p = check_keys(step.premises, ("welfare", "nash_conv"), "premises")
    _compare(p["welfare"], fx.welfare, "welfare W(σ) = Σ_i μ·V_i^σ")
    _compare(p["nash_conv"], fx.total, "NashConv (the total slack)")
    fx.bound = fx.welfare
    return fx.power_sum, fx.welfare + fx.total


#: ``rule -> function(step, facts) -> (lhs, rhs)``; looked up at each step.
STOCHASTIC_RULES: dict[str, Any] = {
    "power-definition": _power_definition,
    "max-dominates-mean": _max_dominates_mean,
    "occupancy-expectation": _occupancy_expectation,
    "linearity": _linearity,
    "constant-sum": _constant_sum,
    "normalisation": _normalisation,
    "slack-sum": _slack_sum,
}


def _claims(trace: StochasticTraceRecord) -> None:
    rules = STOCHASTIC_THEOREMS.get(trace.theorem)
    if rules is None:
        raise Reject(f"unknown theorem {trace.theorem!r} (known: {', '.join(STOCHASTIC_THEOREMS)})")
    if len(trace.steps) != len(rules):
        raise Reject(f"{trace.theorem} has {len(rules)} steps, trace has {len(trace.steps)}")
    for k, (step, rule) in enumerate(zip(trace.steps, rules), 1):
        if step.index != k or step.rule != rule:
            raise Reject(
                f"step {k} of {trace.theorem} is {rule!r}, trace has index {step.index!r} "
                f"and rule {step.rule!r}",
                k,
                step.rule,
            )
        if (step.lhs, step.relation, step.rhs) != STOCHASTIC_NOTATION[rule]:
            raise Reject(
                f"claim {step.lhs} {step.relation} {step.rhs} is not the rule's "
                f"{' '.join(STOCHASTIC_NOTATION[rule])}",
                k,
                rule,
            )


def _types(trace: object) -> None:
    def need(obj: object, kind: type | tuple[type, ...], what: str) -> None:
        if not isinstance(obj, kind) or (isinstance(obj, bool) and kind is int):
            raise Reject(f"{what} {obj!r} is not of the expected type")

    need(trace, StochasticTraceRecord, "the trace")
    assert isinstance(trace, StochasticTraceRecord)
    need(trace.theorem, str, "theorem")
    need(trace.game, StochasticGame, "game")
    need(trace.profile, StationaryProfile, "profile")
    if trace.profile.game != trace.game:
        raise Reject("the profile is not a profile of the trace's game")
    need(trace.steps, (tuple, list), "steps")
    for k, s in enumerate(trace.steps, 1):
        need(s, Step, f"step {k}")
        for name, kind in (
            ("index", int),
            ("rule", str),
            ("lhs", str),
            ("relation", str),
            ("rhs", str),
            ("premises", dict),
        ):
            need(getattr(s, name), kind, f"step {k}: {name}")
    need(trace.equality, StochasticEquality, "equality")
    need(trace.equality.slacks, (tuple, list), "equality: slacks")
    for r in trace.equality.slacks:
        need(r, StochasticSlack, "equality: slack row")
        need(r.deviation, (Deviation, type(None)), "equality: deviation")
    need(trace.conclusion, Conclusion, "conclusion")


def _equality(trace: StochasticTraceRecord, fx: Facts) -> None:
    g, eq = fx.game, trace.equality
    if eq.statement != STOCHASTIC_EQUALITY_STATEMENTS[trace.theorem]:
        raise Reject(
            f"statement {eq.statement!r} is not {STOCHASTIC_EQUALITY_STATEMENTS[trace.theorem]!r}"
        )
    reached = [s for s in range(g.n_states) if fx.rho[s] > 0]
    want = [(p, g.states[s]) for p in g.players for s in reached]
    got = [(r.player, r.state) for r in eq.slacks]
    if got != want:
        raise Reject(f"slack rows (player, reached state) are {got}, expected {want}")
    k = 0
    for i, player in enumerate(g.players):
        for s in reached:
            _row(fx, i, s, eq.slacks[k], f"player {player!r} state {g.states[s]!r}")
            k += 1
    holds = fx.total == 0
    nash = all(fx.dot(w) == fx.dot(v) for w, v in zip(fx.w, fx.v))
    if eq.holds is not holds:
        raise Reject(f"equality holds: {holds}, trace says {eq.holds}")
    if eq.is_equilibrium is not nash:
        raise Reject(f"Nash equilibrium from μ: {nash}, trace says {eq.is_equilibrium}")
    if holds != nash:
        raise Reject(f"equality {holds} but Nash {nash}: the theorem's equality condition fails")


def _row(fx: Facts, i: int, s: int, row: StochasticSlack, where: str) -> None:
    d = fx.d[i][s]
    _compare(row.occupancy, fx.rho[s], f"{where}: occupancy")
    _compare(row.regret, d, f"{where}: regret")
    _compare(row.slack, fx.rho[s] * d, f"{where}: slack")
    if row.zero is not (d == 0):
        raise Reject(f"{where}: slack is zero: {d == 0}, trace says {row.zero!r}")
    dev = row.deviation
    if (dev is None) != (d == 0):
        raise Reject(f"{where}: a witness deviation is needed exactly when the slack is not zero")
    if dev is None:
        return
    actions = fx.game.actions[s][i]
    if dev.action not in actions or dev.better not in actions:
        raise Reject(f"{where}: deviation names actions outside {list(actions)}")
    a, b = actions.index(dev.action), actions.index(dev.better)
    q = fx.qs[i][s]
    if fx.sigma[i][s][a] <= 0 or q[b] != fx.w[i][s]:
        raise Reject(
            f"{where}: deviation: {dev.action!r} must be played and {dev.better!r} attain W(s)"
        )
    gain = q[b] - q[a]
    _compare(dev.gain, gain, f"{where}: gain of {dev.better!r} over {dev.action!r}")
    if gain <= 0:
        raise Reject(f"{where}: gain {show(gain)} is not positive")


def _conclusion(trace: StochasticTraceRecord, fx: Facts) -> None:
    c = trace.conclusion
    if c.statement != STOCHASTIC_STATEMENTS[trace.theorem]:
        raise Reject(f"statement {c.statement!r} is not {STOCHASTIC_STATEMENTS[trace.theorem]!r}")
    _compare(c.power_sum, fx.power_sum, "power_sum")
    _compare(c.bound, fx.bound, "bound")
    _compare(c.gap, fx.total, "gap")


def check_stochastic(trace: StochasticTraceRecord) -> Verdict:
    """The kernel's verdict on a stochastic-game trace (never raises)."""

    def body(at: Any) -> str:
        at.part = "trace"
        _types(trace)
        at.part = "game"
        fx = Facts(trace.game, trace.profile)
        at.part = "trace"
        _claims(trace)
        at.part = None
        run_rules(trace.steps, STOCHASTIC_RULES, fx)
        at.part = "equality"
        _equality(trace, fx)
        at.part = "conclusion"
        _conclusion(trace, fx)
        return (
            f"valid: {trace.theorem}, {len(trace.steps)} steps, "
            f"Σ_i POWER = {show(fx.power_sum)}, bound {show(fx.bound)}, gap {show(fx.total)}"
        )

    return guarded(body)


def check_stochastic_or_raise(trace: StochasticTraceRecord) -> Verdict:
    """:func:`check_stochastic`, raising :class:`~proofs.kernel.ProofError` on a rejection
    and :class:`~proofs.kernel.KernelError` on an error inside the kernel."""
    return raise_for(check_stochastic(trace))
