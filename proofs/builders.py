"""Builders: traces of the power-scarcity theorem and of the general-sum identity.

A builder may use all of exactpower (its contraction engine through
``interim_utilities``, ``welfare``, ``constant_sum`` ...); nothing it writes is
trusted -- :func:`proofs.check` re-derives every number.  For a symbolic game
the maximum of a row of interim utilities is written as the canonical ``Max`` of
the whole row (:func:`exactpower.exact.decide.canonical_max`, unevaluated), the
form the kernel builds and compares structurally (see :mod:`proofs.kernel`);
exactpower's :func:`~exactpower.power` may show a more reduced maximum of the
same value.  Whether a value is a number, or two values are equal, is decided
with the maxima as symbols (:func:`exactpower.exact.decide.rational_value`,
:func:`~exactpower.exact.decide.same`), as the kernel does.
"""

from __future__ import annotations

from typing import NamedTuple

import sympy

import exactpower as ep
from exactpower.errors import LimitError
from exactpower.exact import tidy
from exactpower.exact.decide import canonical_max, rational_value, same

from .kernel import (
    EQUALITY_STATEMENTS,
    NOTATION,
    RELATIONS,
    STATEMENTS,
    THEOREMS,
    Conclusion,
    Deviation,
    Equality,
    Slack,
    Step,
    condition_domains,
    equality_condition,
)
from .kernel.facts import proof_size
from .trace import Trace

__all__ = ["power_scarcity"]
ZERO = sympy.S.Zero


class _Row(NamedTuple):
    """One positive-probability type of one player."""

    player: str
    type: str
    omega: sympy.Expr  # Ω_i(t_i)
    f: dict  # {action: f_i(t_i, a, σ_-i)}
    max: sympy.Expr
    sigma: dict  # {action: σ_i(t_i)(a)}
    mean: sympy.Expr

    @property
    def slack(self):
        return _neat(self.omega * (self.max - self.mean))

    @property
    def numeric(self) -> bool:
        return all(isinstance(v, sympy.Rational) for v in self.f.values())

    @property
    def symbolic(self) -> bool:
        """Whether an interim value or a weight involves the parameters: then the inequality
        of the row is proved by a case split (:func:`_cases`)."""
        weights = self.sigma.values()
        return not (self.numeric and all(isinstance(w, sympy.Rational) for w in weights))


def _neat(value):
    return value if isinstance(value, sympy.Rational) else tidy(value)


def _number(value):
    return rational_value(value)


def _rows(game, profile) -> list:
    out = []
    for i, p in enumerate(game.players):
        table = ep.interim_utilities(game, profile, i)
        for k, t in enumerate(p.types):
            f = table[t]
            if f is None:  # a type of probability 0
                continue
            values = list(f.values())
            best = (
                max(values)
                if all(isinstance(v, sympy.Rational) for v in values)
                else canonical_max(values)
            )
            sigma = {a: profile.probability(i, k, n) for n, a in enumerate(p.actions)}
            mean = _neat(sum((sigma[a] * f[a] for a in p.actions), ZERO))
            out.append(_Row(p.name, t, game.marginal(i, k), f, best, sigma, mean))
    return out


def _deviation(row: _Row, proven: bool):
    """A played action that loses, and a best response, when it can be decided.

    With ``proven`` (the regret is a nonzero number) any played action that loses will do;
    otherwise its weight and its loss must be positive numbers (the kernel's two cases).
    """
    better = [a for a, v in row.f.items() if _number(row.max - v) == 0]
    for a, v in row.f.items():
        loss, w = _number(row.max - v), row.sigma[a]
        if better and (
            (proven and w != 0 and not same(row.max, v))
            or (isinstance(w, sympy.Rational) and w > 0 and loss and loss > 0)
        ):
            return Deviation(a, better[0], _neat(row.f[better[0]] - v))
    return None


def _cases(row: _Row) -> list:
    """The case split proving ``Max(e) − Σ_a σ_a e_a ≥ 0`` for a symbolic row.

    One case per action ``c`` of ``A_i``, "``c`` attains the maximum": hypotheses
    ``h_{c,b} = e_c − e_b ≥ 0`` for every ``b`` (then ``Max(e) = e_c``), and the certificate
    ``e_c − Σ_a σ_a e_a = Σ_a σ_a·h_{c,a}`` with the weights ``σ_a ≥ 0`` as coefficients
    (``certificate[a]`` multiplies ``hypotheses[a]``).  No case is pruned: an empty one is
    harmless, and one case per action is what shows that the cases cover.
    """
    return [
        {
            "attains": c,
            "max": e_c,
            "regret": _neat(e_c - row.mean),
            "hypotheses": {b: _neat(e_c - e_b) for b, e_b in row.f.items()},
            "certificate": dict(row.sigma),
        }
        for c, e_c in row.f.items()
    ]


def _slack(row: _Row) -> Slack:
    regret = _number(row.max - row.mean)
    if regret == 0:
        return Slack(row.player, row.type, row.slack, True)
    deviation = _deviation(row, regret is not None)
    return Slack(row.player, row.type, row.slack, False if deviation else None, deviation)


def _all(flags):
    """Three-valued conjunction: ``True`` when every flag is, ``False`` when one is."""
    if any(f is False for f in flags):
        return False
    return None if None in flags else True


def _decided_best(row: _Row):
    """A symbolic row's BNE verdict in the form the trace format fixes (docs/proofs.md): every
    played action loses exactly 0 (``True``); a played action with a positive number as
    weight, or every played action, loses a positive number (``False``); else ``None``."""
    played = [(row.sigma[a], _number(row.max - v)) for a, v in row.f.items() if row.sigma[a] != 0]
    if all(loss == 0 for _, loss in played):
        return True
    losing = [(w, loss is not None and loss > 0) for w, loss in played]
    if all(lost for _, lost in losing) or any(
        lost and isinstance(w, sympy.Rational) for w, lost in losing
    ):
        return False
    return None


def _is_equilibrium(game, profile, rows):
    """exactpower's BNE test (:func:`exactpower.is_bayesian_nash`, the definition) for a
    rational game and profile; for a symbolic one, the verdict of each row
    (:func:`_decided_best`: exactpower's own test decides some symbolic profiles the trace
    format leaves open, and leaves open some it decides)."""
    if not (game.is_symbolic or profile.is_symbolic):
        return ep.is_bayesian_nash(game, profile)
    return _all([_decided_best(r) for r in rows])


def _premises(game: ep.BayesianGame, rows: list, power: dict, expected: dict, gap: object) -> list:
    """The premises of steps 1--4 (the same for both theorems)."""
    return [
        {
            "terms": [
                {
                    "player": r.player,
                    "type": r.type,
                    "marginal": r.omega,
                    "over": list(r.f),
                    "interim": dict(r.f),
                    "max": r.max,
                }
                for r in rows
            ],
            "power": power,
        },
        {
            "terms": [
                {
                    "player": r.player,
                    "type": r.type,
                    "marginal": r.omega,
                    "strategy": dict(r.sigma),
                    "mean": r.mean,
                    "max": r.max,
                    "slack": r.slack,
                    "best_responses": [a for a, v in r.f.items() if v == r.max]
                    if r.numeric
                    else None,
                    **({"cases": _cases(r)} if r.symbolic else {}),
                }
                for r in rows
            ],
            "total": gap,
        },
        {
            "marginals": {
                p.name: {t: game.marginal(i, k) for k, t in enumerate(p.types)}
                for i, p in enumerate(game.players)
            },
            "expected_rewards": expected,
        },
        {},
    ]


def power_scarcity(game: ep.BayesianGame, profile: ep.StrategyProfile) -> Trace:
    """Trace ``Σ_i POWER(i, σ) ≥ c`` (equality iff BNE) for one game and profile.

    For a constant-sum game this is the article's six-step proof (docs/proofs.md); for any
    other game it is the general-sum identity ``Σ_i POWER = W + NashConv``
    with ``Σ_i POWER ≥ W`` (steps 1--4, then ``slack-sum``).

    Parameters
    ----------
    game : exactpower.BayesianGame
    profile : exactpower.StrategyProfile
        A profile of ``game``.

    Returns
    -------
    Trace
        Unchecked: pass it to :func:`proofs.check`.

    Raises
    ------
    exactpower.errors.LimitError
        Before any work, when the proof's size (:func:`proofs.kernel.facts.proof_size`) is
        over ``MAX_PROOF_WORK`` (a rational game and profile) or
        ``MAX_SYMBOLIC_PROOF_WORK`` (a symbolic one).

    Examples
    --------
    >>> from exactpower import BayesianGame, StrategyProfile
    >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> trace = power_scarcity(mp, StrategyProfile.from_dict(mp, {"1": "0", "2": "0"}))
    >>> [(s.rule, s.relation, s.value) for s in trace.steps][:3]
    [('power-definition', '=', 2), ('max-dominates-mean', '≥', 0), ('total-expectation', '=', 0)]
    >>> trace.equality.holds, trace.equality.slacks[1].deviation
    (False, Deviation(action='0', better='1', gain=2))
    """
    profile.check_game(game)
    _check_size(game, profile)
    const = ep.constant_sum(game).constant
    theorem = "power-scarcity" if const is not None else "general-sum-identity"
    rows = _rows(game, profile)
    steps, power_sum, gap, welfare = _steps(game, profile, rows, theorem, const)
    bound = const if const is not None else welfare
    return Trace(
        theorem,
        game,
        profile,
        steps,
        _equality(game, profile, rows, theorem),
        Conclusion(STATEMENTS[theorem], power_sum, bound, gap),
    )


def _check_size(game: ep.BayesianGame, profile: ep.StrategyProfile) -> None:
    """Raise :class:`LimitError` when the proof's size is over its limit."""
    work, name, limit = proof_size(game, profile)
    if work > limit:
        raise LimitError(
            f"proof of {game.title or 'the game'!r}: size {work}, over the limit "
            f"{name} = {limit} (size: n·Π|T_i|·Π|A_i| + Σ_i |T_i|·|A_i|², times "
            f"the terms of a summand when symbolic)"
        )


def _steps(game, profile, rows: list, theorem: str, const) -> tuple:
    """The steps of ``theorem`` with their values and premises, and the values the
    conclusion needs: ``(steps, power_sum, gap, welfare)``."""
    names = [p.name for p in game.players]
    rational = not (game.is_symbolic or profile.is_symbolic)
    # a rational game's POWER and NashConv by exactpower's own functions; a symbolic one's
    # in the trace's form (the maximum of the whole row, see the module doc)
    power = {
        n: ep.power(game, profile, n)
        if rational
        else _neat(sum((r.omega * r.max for r in rows if r.player == n), ZERO))
        for n in names
    }
    expected = {
        n: _neat(sum((r.omega * r.mean for r in rows if r.player == n), ZERO)) for n in names
    }  # E_t E_a r_i, by the law of total expectation
    power_sum = _neat(sum(power.values(), ZERO))
    gap = ep.nash_conv(game, profile) if rational else _neat(sum((r.slack for r in rows), ZERO))
    welfare = _neat(ep.welfare(game, profile))
    premises = _premises(game, rows, power, expected, gap)
    values = [power_sum, _neat(power_sum - gap), _neat(sum(expected.values(), ZERO)), welfare]
    if const is not None:
        support = [[p.types[k] for p, k in zip(game.players, t)] for t in game.support]
        premises += [{"constant": const, "support": support}, {}]
        values += [const, const]
    else:
        premises.append({"welfare": welfare, "nash_conv": gap})
        values.append(_neat(welfare + gap))
    steps = tuple(
        Step(k, rule, NOTATION[rule][0], RELATIONS[rule], NOTATION[rule][1], v, prem)
        for k, (rule, v, prem) in enumerate(zip(THEOREMS[theorem], values, premises), 1)
    )
    return steps, power_sum, gap, welfare


def _equality(game, profile, rows: list, theorem: str) -> Equality:
    """The equality condition: the slack table, whether every slack is 0, the BNE verdict
    and, for a symbolic game, the condition on the parameters."""
    table = tuple(_slack(r) for r in rows)
    domains = condition_domains(game, profile)
    condition = equality_condition(
        [(r.omega, [r.f[a] for a in r.f], [r.sigma[a] for a in r.f]) for r in rows], domains
    )
    return Equality(
        EQUALITY_STATEMENTS[theorem],
        table,
        _all([s.zero for s in table]),
        _is_equilibrium(game, profile, rows),
        condition,
    )
