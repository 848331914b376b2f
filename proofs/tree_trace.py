"""Tree traces: the builder (:func:`tree_power_scarcity`) and the JSON form (:class:`TreeTrace`).

Untrusted, like :mod:`proofs.builders`: the numbers of a rational game come from
:mod:`exactpower.sequential.quantities` (``best_response``, ``expected_payoffs``,
``reach_probabilities``, ``welfare``, ``nash_conv``); the kernel
(:func:`proofs.kernel.tree.check_tree`) re-derives every one from the tree and the profile.
For a symbolic game or profile the action values are written in the kernel's form: a
certificate chooses the first action that provably dominates the others, and where none
does (the best action depends on the parameters) it writes ``null`` and the value is the
canonical ``Max`` of the action values (:func:`exactpower.exact.decide.canonical_max`).

The JSON form ``exactpower/tree-trace-v1`` embeds the game as a tree-v1 document and the
profile as a behaviour-v1 document (:mod:`exactpower.io.tree_json`); exact values are
strings.  It is read back by :mod:`proofs.tree_reading` (exact JSON, exact key sets).

>>> from exactpower.sequential import BehaviourProfile, catalog
>>> from proofs.kernel.tree import check_tree
>>> g = catalog.kuhn_poker()
>>> trace = tree_power_scarcity(g, BehaviourProfile.uniform(g))
>>> [(s.rule, str(s.value)) for s in trace.steps][:2], check_tree(trace).ok
([('power-definition', '11/12'), ('max-dominates-mean', '0')], True)
>>> check_tree(TreeTrace.from_json(trace.to_json())).ok
True
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import sympy

from exactpower.exact import probability_symbols, tidy
from exactpower.exact.decide import canonical_max, provably_nonnegative, rational_value
from exactpower.io.tree_json import behaviour_to_data, tree_to_data
from exactpower.sequential import quantities as qt
from exactpower.sequential.behaviour import BehaviourProfile
from exactpower.sequential.tree import ExtensiveGame

from .kernel.records import Conclusion, Deviation, Step
from .kernel.tree import tree_condition
from .kernel.tree_records import (
    TREE_EQUALITY_STATEMENTS,
    TREE_NOTATION,
    TREE_STATEMENTS,
    TREE_THEOREMS,
    TreeEquality,
    TreeSlack,
    TreeTraceRecord,
)
from .trace import conclusion_data, equality_data, render, steps_data, value_text

__all__ = ["TREE_TRACE_FORMAT", "TREE_VALUE_KEYS", "TreeTrace", "tree_power_scarcity"]

TREE_TRACE_FORMAT = "exactpower/tree-trace-v1"
#: Premise keys whose leaves are exact values (strings in JSON).
TREE_VALUE_KEYS = frozenset(
    {
        "values",
        "power",
        "reach",
        "strategy",
        "max",
        "mean",
        "slack",
        "total",
        "expected",
        "constant",
        "welfare",
        "nash_conv",
    }
)
ZERO, ONE = sympy.S.Zero, sympy.S.One


def _neat(v):
    return v if isinstance(v, sympy.Rational) else tidy(sympy.expand(v))


def _nonnegative(d, probs) -> bool:
    return bool(d >= 0) if isinstance(d, sympy.Rational) else provably_nonnegative(d, probs)


class _Player:
    """One player's certificate: per information set the chosen action (or ``None``), the
    action values ``q`` and ``V``; the player's own reach per node; ``power``."""

    def __init__(self, game: ExtensiveGame, profile: BehaviourProfile, i: int, probs):
        self.i = i
        self.choice: dict[int, int | None] = {}
        self.q: dict[int, list[Any]] = {}
        self.value: dict[int, Any] = {}
        rows: list[Any] = [
            s.probabilities if s.player is None else profile.probabilities[k]
            for k, s in enumerate(game.infosets)
        ]
        nodes: Any = game.nodes
        self.own, others = [ONE] * len(nodes), [ONE] * len(nodes)
        for k in range(1, len(nodes)):
            p = nodes[k].parent
            w = rows[nodes[p].infoset][game.action_array[k]]
            mine = game.mover_array[p] == i
            self.own[k] = self.own[p] * (w if mine else ONE)
            others[k] = others[p] * (ONE if mine else w)
        if not (game.is_symbolic or profile.is_symbolic):
            br = qt.best_response(game, profile, i)
            for j in game.infosets_of(i):
                info = game.infosets[j]
                self.q[j] = [br.infoset_values[info.name][a] for a in info.actions]
                best = info.actions.index(br.actions[info.name])
                self.choice[j], self.value[j] = best, self.q[j][best]
            self.power = br.value
            return
        self.power = self._backward(game, i, others, probs)

    def _backward(self, game: ExtensiveGame, i: int, others: list, probs) -> sympy.Expr:
        nodes: Any = game.nodes
        last: list[Any] = [None] * len(nodes)
        for k in range(1, len(nodes)):
            p = nodes[k].parent
            last[k] = (
                (nodes[p].infoset, game.action_array[k]) if game.mover_array[p] == i else last[p]
            )
        below: dict = {}
        for z in game.terminals():
            below.setdefault(last[z], []).append(others[z] * nodes[z].payoffs[i])
        for j in sorted(game.infosets_of(i), key=lambda j: game.infosets[j].nodes[0], reverse=True):
            info = game.infosets[j]
            q = [_neat(sympy.Add(*below.get((j, a), []))) for a in range(len(info.actions))]
            c = next(
                (c for c in range(len(q)) if all(_nonnegative(_neat(q[c] - v), probs) for v in q)),
                None,
            )
            self.q[j], self.choice[j] = q, c
            self.value[j] = canonical_max(q) if c is None else q[c]
            below.setdefault(last[info.nodes[0]], []).append(self.value[j])
        return _neat(sympy.Add(*below.get(None, [])))


def _rows(game: ExtensiveGame, profile: BehaviourProfile, players: list) -> list:
    """Per information set of every player: ``(player, j, own reach, q, σ, V, mean, slack)``."""
    out = []
    for pl in players:
        for j in game.infosets_of(pl.i):
            reach = _neat(pl.own[game.infosets[j].nodes[0]])
            sigma = list(profile.probabilities[j])
            mean = _neat(sum((w * v for w, v in zip(sigma, pl.q[j])), ZERO))
            slack = _neat(reach * (pl.value[j] - mean))
            out.append((pl, j, reach, pl.q[j], sigma, pl.value[j], mean, slack))
    return out


def _certificates(game: ExtensiveGame, players: list) -> dict:
    return {
        game.players[pl.i]: {
            game.infosets[j].name: {
                "action": None if pl.choice[j] is None else game.infosets[j].actions[pl.choice[j]],
                "values": dict(zip(game.infosets[j].actions, pl.q[j])),
            }
            for j in game.infosets_of(pl.i)
        }
        for pl in players
    }


def _slack_row(game: ExtensiveGame, row: tuple) -> TreeSlack:
    pl, j, reach, q, sigma, _, _, slack = row
    info, s = game.infosets[j], rational_value(slack)
    if s == 0:
        return TreeSlack(game.players[pl.i], info.name, reach, slack, True)
    best = pl.choice[j]
    for a, (w, v) in enumerate(zip(sigma, q)):
        gain = None if best is None else rational_value(q[best] - v)
        positive = all(isinstance(x, sympy.Rational) and x > 0 for x in (w, gain, reach))
        if best is not None and (positive or (s is not None and w != 0 and gain)):
            d = Deviation(info.actions[a], info.actions[best], _neat(q[best] - v))
            return TreeSlack(game.players[pl.i], info.name, reach, slack, False, d)
    return TreeSlack(game.players[pl.i], info.name, reach, slack, None)


def _flags(flags: list):
    return False if False in flags else (True if all(f is True for f in flags) else None)


def _constant(game: ExtensiveGame):
    """``c`` when the payoffs sum to ``c`` at every leaf (the kernel checks every leaf)."""
    found = qt.constant_sum(game)
    if found is None:
        return None
    c: Any = found.constant
    nodes: Any = game.nodes
    sums = [sum(nodes[z].payoffs, ZERO) for z in game.terminals()]
    return c if all(rational_value(_neat(v - c)) == 0 for v in sums) else None


def _steps(game, profile, players, rows, theorem, const) -> tuple:
    names, nodes = game.players, game.nodes
    symbolic = game.is_symbolic or profile.is_symbolic
    power = {names[pl.i]: pl.power for pl in players}
    power_sum = _neat(sum(power.values(), ZERO))
    expected = dict(zip(names, qt.expected_payoffs(game, profile)))
    gap = _neat(sum((r[7] for r in rows), ZERO)) if symbolic else qt.nash_conv(game, profile)
    welfare = qt.welfare(game, profile)
    reach = qt.reach_probabilities(game, profile)
    terms = [
        {
            "player": names[pl.i],
            "infoset": game.infosets[j].name,
            "reach": own,
            "strategy": dict(zip(game.infosets[j].actions, sigma)),
            "max": value,
            "mean": mean,
            "slack": slack,
        }
        for pl, j, own, _, sigma, value, mean, slack in rows
    ]
    premises = [
        {"certificates": _certificates(game, players), "power": power},
        {"terms": terms, "total": gap},
        {"reach": {nodes[z].path: reach[z] for z in game.terminals()}, "expected": expected},
        {},
    ]
    values = [power_sum, _neat(sum(expected.values(), ZERO))] + [welfare] * 2
    if const is not None:
        premises += [{"constant": const}, {}]
        values += [const, const]
    else:
        premises.append({"welfare": welfare, "nash_conv": gap})
        values.append(_neat(welfare + gap))
    steps = tuple(
        Step(k, rule, TREE_NOTATION[rule][0], TREE_NOTATION[rule][1], TREE_NOTATION[rule][2], v, p)
        for k, (rule, v, p) in enumerate(zip(TREE_THEOREMS[theorem], values, premises), 1)
    )
    return steps, power_sum, gap, welfare, expected


def tree_power_scarcity(game: ExtensiveGame, profile: BehaviourProfile) -> TreeTrace:
    """Trace ``Σ_i POWER(i,σ) ≥ c`` (constant-sum tree) or ``Σ_i POWER = W + NashConv``.

    Parameters
    ----------
    game : ExtensiveGame
    profile : BehaviourProfile
        A profile of ``game``.

    Returns
    -------
    TreeTrace
        Unchecked: pass it to :func:`proofs.kernel.tree.check_tree`.

    Examples
    --------
    >>> from exactpower.sequential import BehaviourProfile, catalog
    >>> g = catalog.beer_quiche()
    >>> t = tree_power_scarcity(g, BehaviourProfile.uniform(g))
    >>> t.theorem, t.conclusion.bound, [r.infoset for r in t.equality.slacks if r.zero is False]
    ('general-sum-identity', 2, ['sender:weak', 'sender:strong', 'receiver:beer', 'receiver:quiche'])
    """
    if profile.game != game:
        raise ValueError("tree_power_scarcity: the profile is not a profile of this game")
    probs = probability_symbols((*game.parameters, *profile.parameters))
    players = [_Player(game, profile, i, probs) for i in range(game.n_players)]
    rows = _rows(game, profile, players)
    const = _constant(game)
    theorem = "power-scarcity" if const is not None else "general-sum-identity"
    steps, power_sum, gap, welfare, expected = _steps(game, profile, players, rows, theorem, const)
    table = tuple(_slack_row(game, r) for r in rows)
    symbolic = game.is_symbolic or profile.is_symbolic
    domains = (
        {p.symbol: p.domain for p in (*game.parameters, *profile.parameters)} if symbolic else {}
    )
    conv = rational_value(_neat(power_sum - sum(expected.values(), ZERO)))
    equality = TreeEquality(
        TREE_EQUALITY_STATEMENTS[theorem],
        table,
        _flags([r.zero for r in table]),
        None if conv is None else conv == 0,
        tree_condition([(r[2], r[3], r[4]) for r in rows], domains),
    )
    bound = const if const is not None else welfare
    return TreeTrace(
        theorem,
        game,
        profile,
        steps,
        equality,
        Conclusion(TREE_STATEMENTS[theorem], power_sum, bound, gap),
    )


def _slack_fields(r: TreeSlack) -> dict:
    return {
        "player": r.player,
        "infoset": r.infoset,
        "reach": value_text(r.reach),
        "slack": value_text(r.slack),
    }


@dataclass(frozen=True)
class TreeTrace(TreeTraceRecord):
    """A traced proof for one game tree and behaviour profile, with its JSON form
    (``exactpower/tree-trace-v1``).  Build with :func:`tree_power_scarcity`; check with
    :func:`proofs.kernel.tree.check_tree`."""

    def to_data(self) -> dict:
        """The JSON-ready dict (values as strings; game and profile embedded)."""
        c = self.conclusion
        return {
            "format": TREE_TRACE_FORMAT,
            "theorem": self.theorem,
            "game": tree_to_data(self.game),
            "profile": behaviour_to_data(self.profile),
            "steps": steps_data(self.steps, TREE_VALUE_KEYS),
            "equality": equality_data(self.equality, _slack_fields),
            "conclusion": conclusion_data(c),
        }

    def to_json(self) -> str:
        """The trace as JSON text."""
        return render(self.to_data(), "") + "\n"

    @classmethod
    def from_json(cls, text, *, source: str = "trace") -> TreeTrace:
        """Read :meth:`to_json`'s text back exactly (:func:`proofs.tree_reading.read_tree_trace`)."""
        from .tree_reading import read_tree_trace

        return read_tree_trace(text, source)
