"""Stochastic-game traces: the untrusted builder, and the JSON form (``exactpower/stochastic-trace-v1``).

:func:`stochastic_power_scarcity` traces, for a discounted stochastic game and a stationary
profile σ (rational data), the power-scarcity theorem ``Σ_i POWER(i,σ) ≥ c/(1−γ)`` of a
constant-sum game (``Σ_i r_i(s,a) = c`` everywhere) or the general-sum identity
``Σ_i POWER(i,σ) = W(σ) + NashConv(σ)``, with each POWER certified by the Bellman optimality
equations; the kernel (:func:`proofs.kernel.stochastic.check_stochastic`) re-derives every
number.  The builder uses exactpower's exact policy iteration
(:mod:`exactpower.sequential.stochastic_values`); nothing it writes is trusted.

:class:`StochasticTrace` adds the JSON form: the game embedded as a stochastic-v1 document
and the profile as a stationary-v1 document (:mod:`exactpower.io.stochastic_json`), every
exact value a string; :meth:`StochasticTrace.from_json` reads it back exactly (duplicate and
unknown keys refused, JSON numbers refused where a value is expected).

>>> from exactpower.sequential.stochastic import StochasticGame, StationaryProfile
>>> from proofs.kernel.stochastic import check_stochastic
>>> mp = StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")),
...     {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)},
...     gamma="1/2")
>>> trace = stochastic_power_scarcity(mp, StationaryProfile.uniform(mp))
>>> trace.theorem, [str(s.value) for s in trace.steps], trace.equality.holds
('power-scarcity', ['0', '0', '0', '0', '0', '0'], True)
>>> check_stochastic(StochasticTrace.from_json(trace.to_json())).ok
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import sympy

from exactpower.io.json_reader import json_path, json_type
from exactpower.io.stochastic_json import (
    stationary_from_json,
    stationary_to_data,
    stochastic_from_json,
    stochastic_to_data,
)
from exactpower.limits import MAX_RESULT_DIGITS, MAX_VALUES_TOTAL
from exactpower.sequential import stochastic_values as sv
from exactpower.sequential.stochastic import StationaryProfile, StochasticGame

from .kernel.records import Conclusion, Deviation, Step
from .kernel.stochastic_records import (
    STOCHASTIC_EQUALITY_STATEMENTS,
    STOCHASTIC_NOTATION,
    STOCHASTIC_STATEMENTS,
    STOCHASTIC_THEOREMS,
    StochasticEquality,
    StochasticSlack,
    StochasticTraceRecord,
)
from .reading import STEP_KEYS, TRACE_KEYS, TraceReader, as_tree, read_tree
from .trace import conclusion_data, equality_data, render, steps_data, value_text

__all__ = ["FORMAT", "StochasticTrace", "stochastic_power_scarcity"]

FORMAT = "exactpower/stochastic-trace-v1"
ZERO = sympy.S.Zero


def _slack_fields(r: StochasticSlack) -> dict:
    values = {k: value_text(getattr(r, k)) for k in ("occupancy", "regret", "slack")}
    return {"player": r.player, "state": r.state, **values}


@dataclass(frozen=True)
class StochasticTrace(StochasticTraceRecord):
    """A traced proof for one stochastic game and stationary profile, with its JSON form."""

    def to_data(self) -> dict:
        """The JSON-ready dict (exact values as strings, game and profile embedded)."""
        return {
            "format": FORMAT,
            "theorem": self.theorem,
            "game": stochastic_to_data(self.game),
            "profile": stationary_to_data(self.profile),
            "steps": steps_data(self.steps, all_values=True),
            "equality": equality_data(self.equality, _slack_fields),
            "conclusion": conclusion_data(self.conclusion),
        }

    def to_json(self) -> str:
        """The trace as JSON text (``exactpower/stochastic-trace-v1``)."""
        return render(self.to_data(), "") + "\n"

    @classmethod
    def from_json(cls, text, *, source: str = "trace") -> StochasticTrace:
        """Read :meth:`to_json`'s text back exactly (:func:`proofs.reading.read_tree`, then
        :func:`stochastic_trace_from_tree`); raises :class:`~proofs.ProofError`."""
        return stochastic_trace_from_tree(read_tree(text, source), source)

    @classmethod
    def from_data(cls, data, *, source: str = "trace") -> StochasticTrace:
        """Read :meth:`to_data`'s dict back (floats refused)."""
        return stochastic_trace_from_tree(as_tree(data, source), source)


# -- the builder -------------------------------------------------------------------------------


def _certificates(game: StochasticGame, brs: list) -> dict:
    return {
        player: {
            state: {"value": br.values[s], "action": br.policy[state], "q": dict(br.q[state])}
            for s, state in enumerate(game.states)
        }
        for player, br in zip(game.players, brs)
    }


def _regrets(game: StochasticGame, profile: StationaryProfile, brs: list) -> list:
    out = []
    for i, br in enumerate(brs):
        row = []
        for s, state in enumerate(game.states):
            mean = sum(
                (profile.probabilities[i][s][a] * q for a, q in enumerate(br.q[state].values())),
                ZERO,
            )
            row.append(br.values[s] - mean)
        out.append(row)
    return out


def _slack_rows(game, profile, brs, regrets, rho) -> tuple:
    rows = []
    for i, player in enumerate(game.players):
        for s, state in enumerate(game.states):
            if rho[s] <= 0:
                continue
            d, dev = regrets[i][s], None
            if d != 0:
                q = brs[i].q[state]
                played = [a for a, w in profile.at(i, s).items() if w > 0]
                worst = min(played, key=q.__getitem__)
                better = brs[i].policy[state]
                dev = Deviation(worst, better, q[better] - q[worst])
            rows.append(StochasticSlack(player, state, rho[s], d, rho[s] * d, d == 0, dev))
    return tuple(rows)


def _step(k: int, rule: str, value, premises: dict) -> Step:
    lhs, relation, rhs = STOCHASTIC_NOTATION[rule]
    return Step(k, rule, lhs, relation, rhs, sympy.Rational(value), premises)


def stochastic_power_scarcity(game: StochasticGame, profile: StationaryProfile) -> StochasticTrace:
    """The trace of the theorem (constant-sum) or of the general-sum identity for ``profile``."""
    n = game.n_players
    c = sv.constant_sum(game)
    theorem = "power-scarcity" if c is not None else "general-sum-identity"
    brs = [sv.best_response(game, profile, i) for i in range(n)]
    values = [sv.state_values(game, profile, i) for i in range(n)]
    rho = sv.occupancy(game, profile)
    regrets = _regrets(game, profile, brs)
    powers = [br.value for br in brs]
    mine = [sum((m * v for m, v in zip(game.mu, vs)), ZERO) for vs in values]
    total = sum((r * d for row in regrets for r, d in zip(rho, row)), ZERO)
    welfare = sum(mine, ZERO)
    steps = [
        _step(
            1,
            "power-definition",
            sum(powers, ZERO),
            {
                "certificates": _certificates(game, brs),
                "power": dict(zip(game.players, powers)),
            },
        ),
        _step(
            2,
            "max-dominates-mean",
            welfare,
            {
                "values": {p: dict(zip(game.states, vs)) for p, vs in zip(game.players, values)},
                "occupancy": dict(zip(game.states, rho)),
                "regrets": {
                    p: dict(zip(game.states, row)) for p, row in zip(game.players, regrets)
                },
                "total": total,
            },
        ),
        _step(
            3, "occupancy-expectation", welfare, {"expected_rewards": dict(zip(game.players, mine))}
        ),
        _step(4, "linearity", welfare, {}),
    ]
    if c is not None:
        bound = c / (1 - game.gamma)
        steps += [
            _step(5, "constant-sum", bound, {"constant": c}),
            _step(6, "normalisation", bound, {}),
        ]
    else:
        bound = welfare
        steps.append(
            _step(5, "slack-sum", welfare + total, {"welfare": welfare, "nash_conv": total})
        )
    assert [s.rule for s in steps] == list(STOCHASTIC_THEOREMS[theorem])
    slacks = _slack_rows(game, profile, brs, regrets, rho)
    equality = StochasticEquality(
        STOCHASTIC_EQUALITY_STATEMENTS[theorem], slacks, total == 0, sum(powers, ZERO) == welfare
    )
    conclusion = Conclusion(STOCHASTIC_STATEMENTS[theorem], sum(powers, ZERO), bound, total)
    return StochasticTrace(theorem, game, profile, tuple(steps), equality, conclusion)


# -- reading -----------------------------------------------------------------------------------


_RATIONAL = re.compile(r"-?(0|[1-9][0-9]*)(/[1-9][0-9]*)?")


class _Reader(TraceReader):
    def value(self, node, path: str) -> sympy.Expr:
        """A rational written ``p`` or ``p/q`` is read directly (its numerator and denominator
        may have up to ``MAX_RESULT_DIGITS`` digits: the exact values of a game with many
        states are long); anything else by the trace grammar (:func:`proofs.trace.parse_value`)."""
        if not (isinstance(node, str) and _RATIONAL.fullmatch(node)):
            return super().value(node, path)
        digits = max(len(part) for part in node.lstrip("-").split("/"))
        if digits > MAX_RESULT_DIGITS:
            self.fail(
                path, f"{digits} digits, over the limit MAX_RESULT_DIGITS = {MAX_RESULT_DIGITS}"
            )
        if node not in self.cache:
            self.parsed += len(node)
            if self.parsed > MAX_VALUES_TOTAL:
                self.fail(
                    path,
                    f"the values of this trace have more than {MAX_VALUES_TOTAL} "
                    "characters, over the limit MAX_VALUES_TOTAL",
                )
            num, _, den = node.partition("/")
            self.cache[node] = sympy.Rational(int(num), int(den or "1"))
        return self.cache[node]

    def mapping_of(self, node, path: str) -> dict:
        """An object (its keys are for the kernel to check)."""
        if not isinstance(node, dict):
            self.fail(path, f"expected an object, got {json_type(node)}")
        return node


SLACK_KEYS = ("player", "state", "occupancy", "regret", "slack", "zero", "deviation")


def _values(r, node, path: str, depth: int = 0):
    """Premises whose every leaf is an exact value."""
    if depth > 8:
        r.fail(path, "nested too deeply")
    if isinstance(node, dict):
        return {k: _values(r, v, json_path(path, k), depth + 1) for k, v in node.items()}
    return r.value(node, path)


def _certificate_premises(r, node, path: str) -> dict:
    p = r.record(node, path, "the premises", ("certificates", "power"))
    certs: dict[str, dict[str, dict[str, object]]] = {}
    for player, per in r.mapping_of(p["certificates"], json_path(path, "certificates")).items():
        where = json_path(json_path(path, "certificates"), player)
        certs[player] = {}
        for state, rec in r.mapping_of(per, where).items():
            at = json_path(where, state)
            x = r.record(rec, at, "a certificate", ("value", "action", "q"))
            certs[player][state] = {
                "value": r.value(x["value"], json_path(at, "value")),
                "action": r.string(x["action"], json_path(at, "action")),
                "q": _values(r, x["q"], json_path(at, "q")),
            }
    return {"certificates": certs, "power": _values(r, p["power"], json_path(path, "power"))}


def _step_from(r, node, path: str) -> Step:
    s = r.record(node, path, "a step", STEP_KEYS)
    rule = r.string(s["rule"], f"{path}.rule")
    premises = (
        _certificate_premises(r, s["premises"], f"{path}.premises")
        if rule == "power-definition"
        else _values(r, s["premises"], f"{path}.premises")
    )
    if not isinstance(premises, dict):
        r.fail(f"{path}.premises", "the premises must be an object")
    return Step(
        r.integer(s["index"], f"{path}.index"),
        rule,
        r.string(s["lhs"], f"{path}.lhs"),
        r.string(s["relation"], f"{path}.relation"),
        r.string(s["rhs"], f"{path}.rhs"),
        r.value(s["value"], f"{path}.value"),
        premises,
    )


def _slack_from(r, node, path: str) -> StochasticSlack:
    x = r.record(node, path, "a slack row", SLACK_KEYS)
    d = r.deviation(x["deviation"], f"{path}.deviation")
    zero = r.flag(x["zero"], f"{path}.zero")
    if zero is None:
        r.fail(f"{path}.zero", "expected true or false")
    return StochasticSlack(
        r.string(x["player"], f"{path}.player"),
        r.string(x["state"], f"{path}.state"),
        r.value(x["occupancy"], f"{path}.occupancy"),
        r.value(x["regret"], f"{path}.regret"),
        r.value(x["slack"], f"{path}.slack"),
        bool(zero),
        d,
    )


def stochastic_trace_from_tree(tree, source: str = "trace") -> StochasticTrace:
    """A :class:`StochasticTrace` from :func:`proofs.reading.read_tree`'s tree."""
    r = _Reader(source)
    top = r.document(tree, FORMAT, "a stochastic trace", TRACE_KEYS)
    game = r.embedded(stochastic_from_json, top["game"], "game")
    profile = r.embedded(stationary_from_json, top["profile"], "profile", game)
    steps = tuple(
        _step_from(r, node, f"steps[{k}]") for k, node in enumerate(r.array(top["steps"], "steps"))
    )
    e = r.record(
        top["equality"],
        "equality",
        "the equality record",
        ("statement", "slacks", "holds", "is_equilibrium"),
    )
    slacks = tuple(
        _slack_from(r, x, f"equality.slacks[{k}]")
        for k, x in enumerate(r.array(e["slacks"], "equality.slacks"))
    )
    flags = [r.flag(e[k], f"equality.{k}") for k in ("holds", "is_equilibrium")]
    if None in flags:
        r.fail("equality", "holds and is_equilibrium must be true or false")
    equality = StochasticEquality(
        r.string(e["statement"], "equality.statement"), slacks, bool(flags[0]), bool(flags[1])
    )
    conclusion = r.conclusion(top["conclusion"])
    return StochasticTrace(
        r.string(top["theorem"], "theorem"), game, profile, steps, equality, conclusion
    )
