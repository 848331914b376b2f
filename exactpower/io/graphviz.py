"""POWERplay's Graphviz files (``.gv``): MDPs, joint two-agent MDPs and policies, exactly.

Gladstone AI's POWERplay (github.com/gladstoneai/POWERplay) stores its MDPs and policies
as DOT digraphs (read here by the safe parser of :mod:`exactpower.io.dot`), in two
conventions, told apart as POWERplay does: a file is *stochastic* when some edge has a
``weight``.

- **Graph MDPs** (no weights; ``mdps/mdp_from_paper.gv``): every node is a state, an edge
  ``s -> t`` is the action named ``t`` at ``s`` (deterministic), as :meth:`MDP.graph`.
  States keep the file's order.
- **Stochastic MDPs** (``strict digraph``, ``mdps/stochastic_graph_4_states.gv``, the
  gridworlds): a state is a node ``"[s]"``; its actions are edges to ``"[a]__[s]"``; an
  action's outcomes are edges ``"[a]__[s]" -> "[t]__[a]__[s]"`` with ``weight`` the
  probability ``T(t | s, a)``.  States, in the order of their first ``"[s]"`` node,
  keep their names without the brackets (``"(0, 1)"``).
- **Joint MDPs**: a stochastic MDP whose every state is ``"<h>_H^<a>_A"`` and every
  action ``"<x>_H^<y>_A"`` (H's and A's moves).  :func:`read_gv_mdp` gives the MDP over
  joint states (joint action names as written); :func:`read_gv_joint` gives the
  :class:`~exactpower.sequential.two_agents.JointMDP` (states keep their joint names).
- **Policies**: ``"[s]" -> "[a]__[s]"`` edges whose ``weight`` is π(a | s)
  (POWERplay's ``policies/``: agent A's policy on a joint MDP).  :func:`read_gv_policy`
  gives ``{state: {action: probability}}``, checked against an MDP when one is given.

Probabilities are read exactly from their decimal text (``"0.2"`` is 1/5).  POWERplay
writes Python floats, so a uniform policy over three actions reads ``0.3333333333333333``
three times, summing to 0.9999999999999999.  A row that does not sum to 1 exactly is
accepted only if replacing each entry by the simplest fraction (denominator at most
:data:`SNAP_DENOMINATOR`) that rounds to the same double makes it sum to exactly 1; the
file's ``notes`` say so.  Any other row not summing to 1 is an error.

Every bad input is a one-line :class:`~exactpower.errors.GameError` naming the file and
the line (and column) or the state: a bad edge, a missing or unreadable weight, an
action without outcomes (dangling), a next state that is not a state of the file, a
state without actions, a policy naming an unknown state or action.  A ``.gv`` file has no
start state: the states that no other state leads to are its start states (so no state is
*unreachable*; POWERplay asks POWER of every state).

>>> m = read_gv_mdp('digraph { "s" -> "a"; "s" -> "b"; "a" -> "a"; "b" -> "b"; }')
>>> m.states, m.actions[0]
(('s', 'a', 'b'), ('a', 'b'))
>>> gv = '''strict digraph { "[x]" -> "[go]__[x]"; "[go]__[x]" -> "[y]__[go]__[x]" [weight="0.3"];
...   "[go]__[x]" -> "[x]__[go]__[x]" [weight="0.7"]; "[y]" -> "[stay]__[y]";
...   "[stay]__[y]" -> "[y]__[stay]__[y]" [weight=1]; }'''
>>> read_gv_mdp(gv).transitions[0]
(((1, 3/10), (0, 7/10)),)
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from fractions import Fraction

import sympy

from .. import limits
from ..errors import FileFormatError, GameError, LimitError, MDPError, ProbabilityError
from ..exact import parse_number
from ..sequential.mdp import MDP
from ..sequential.two_agents import JointMDP
from .dot import DotEdge, DotGraph, parse_dot
from .json_reader import located

__all__ = [
    "SNAP_DENOMINATOR",
    "GvFile",
    "load_gv",
    "read_gv_mdp",
    "read_gv_joint",
    "read_gv_policy",
    "joint_parts",
]

#: The largest denominator a float-written probability may be snapped to (see above).
SNAP_DENOMINATOR = 10**6

_JOINT = re.compile(r"(.*)_H\^(.*)_A", re.S)


@dataclass(frozen=True)
class GvFile:
    """What a ``.gv`` file holds.

    ``kind`` is ``"graph"``, ``"stochastic"``, ``"joint"`` (an MDP; ``mdp`` is set) or
    ``"policy"`` (``policy`` is set: ``{state: {action: probability}}``).  ``notes``
    records the rows whose float-written probabilities were snapped.
    """

    source: str
    title: str
    kind: str
    mdp: MDP | None = None
    policy: dict | None = None
    notes: tuple[str, ...] = ()


def joint_parts(name: str) -> tuple[str, str] | None:
    """``"<h>_H^<a>_A"`` -> ``(h, a)``; ``None`` for a name of another shape.

    >>> joint_parts("(0, 1)_H^(0, 2)_A"), joint_parts("right_H^stay_A"), joint_parts("x")
    (('(0, 1)', '(0, 2)'), ('right', 'stay'), None)
    """
    m = _JOINT.fullmatch(name)
    return (m.group(1), m.group(2)) if m else None


def _read(path_or_text: object) -> tuple[str | bytes, str]:
    """``(text, source)``: a path (``os.PathLike``, or a str without ``{``) is read."""
    if isinstance(path_or_text, (bytes, bytearray)):
        return bytes(path_or_text), "<string>"
    if isinstance(path_or_text, str) and "{" in path_or_text:
        return path_or_text, "<string>"
    if not isinstance(path_or_text, (str, os.PathLike)):
        raise FileFormatError(f"expected a .gv path or text, got {type(path_or_text).__name__}")
    path = os.fsdecode(path_or_text)
    size = os.stat(path).st_size
    if size > limits.MAX_FILE_BYTES:
        raise LimitError(
            f"{path}: {size} bytes, over the limit MAX_FILE_BYTES = {limits.MAX_FILE_BYTES}"
        )
    with open(path, "rb") as f:
        return f.read(), path


def load_gv(path_or_text: object) -> GvFile:
    """Read a POWERplay ``.gv`` file (a path, or the DOT text itself)."""
    text, source = _read(path_or_text)
    graph = parse_dot(text, source)
    if not graph.directed:
        raise FileFormatError(f"{source}: an MDP or policy file must be a digraph")
    try:
        if not any(e.attr("weight") is not None for e in graph.edges):
            return GvFile(source, graph.title, "graph", mdp=_graph_mdp(graph))
        return _stochastic(graph)
    except GameError as exc:
        raise located(exc, source) from None


def read_gv_mdp(path_or_text: object) -> MDP:
    """The MDP of a ``.gv`` file (graph, stochastic or joint); a policy file is an error."""
    gv = load_gv(path_or_text)
    if gv.mdp is None:
        raise FileFormatError(f"{gv.source}: this is a policy file, not an MDP")
    return gv.mdp


def read_gv_joint(path_or_text: object) -> JointMDP:
    """The :class:`JointMDP` of a joint ``.gv`` file (H's and A's actions split)."""
    gv = load_gv(path_or_text)
    if gv.kind != "joint" or gv.mdp is None:
        raise FileFormatError(f"{gv.source}: not a joint MDP (states '<h>_H^<a>_A')")
    m = gv.mdp
    table: dict[str, dict[str, dict[str, dict[str, sympy.Expr]]]] = {}
    for s, name in enumerate(m.states):
        by_h: dict[str, dict[str, dict[str, sympy.Expr]]] = {}
        for action, row in zip(m.actions[s], m.transitions[s]):
            parts = joint_parts(action)
            if parts is None:
                raise MDPError(f"{gv.source}: state {name!r}: action {action!r} is not joint")
            by_h.setdefault(parts[0], {})[parts[1]] = {m.states[t]: p for t, p in row}
        table[name] = by_h
    try:
        return JointMDP.build(m.states, table)
    except GameError as exc:
        raise located(exc, gv.source) from None


def read_gv_policy(path_or_text: object, mdp: MDP | JointMDP | None = None) -> dict:
    """``{state: {action: probability}}`` from a policy ``.gv`` file.

    With ``mdp``: every state of the MDP must have a distribution, and every action must
    be one of the state's actions (for a :class:`JointMDP`, one of agent A's actions).
    """
    gv = load_gv(path_or_text)
    if gv.policy is None:
        raise FileFormatError(f"{gv.source}: an MDP file, not a policy (no state->action weights)")
    if mdp is not None:
        _check_policy(gv.policy, mdp, gv.source)
    return gv.policy


def _check_policy(policy: dict, mdp: MDP | JointMDP, source: str) -> None:
    actions = mdp.a_actions if isinstance(mdp, JointMDP) else mdp.actions
    for name in policy:
        if name not in mdp.states:
            raise MDPError(f"{source}: state {name!r} of the policy is not a state of the MDP")
    for s, name in enumerate(mdp.states):
        if name not in policy:
            raise MDPError(f"{source}: the policy gives no action for state {name!r}")
        for action in policy[name]:
            if action not in actions[s]:
                known = ", ".join(actions[s])
                raise MDPError(
                    f"{source}: state {name!r}: the policy names unknown action {action!r} "
                    f"(actions: {known})"
                )


# -- graph MDPs ------------------------------------------------------------------------------


def _graph_mdp(graph: DotGraph) -> MDP:
    successors: dict[str, list[str]] = {n.name: [] for n in graph.nodes}
    seen: dict[tuple[str, str], DotEdge] = {}
    for e in graph.edges:
        if (e.tail, e.head) in seen and not graph.strict:
            first = seen[(e.tail, e.head)]
            raise FileFormatError(
                f"{graph.where(e.line, e.column)}: edge {e.tail!r} -> {e.head!r} appears "
                f"twice (first on line {first.line})"
            )
        if (e.tail, e.head) not in seen:
            seen[(e.tail, e.head)] = e
            successors[e.tail].append(e.head)
    for node in graph.nodes:
        if not successors[node.name]:
            raise MDPError(
                f"{graph.where(node.line, node.column)}: state {node.name!r} has no "
                f"outgoing edge (dangling: every state needs an action)"
            )
    return MDP.graph(successors, start=_sources(successors))


def _sources(successors: dict) -> list[str]:
    """The states no other state leads to: a ``.gv`` file has no start state, so these
    are its start states (POWERplay asks POWER of every state)."""
    reached = {t for s, nexts in successors.items() for t in nexts if t != s}
    return [s for s in successors if s not in reached]


# -- stochastic MDPs and policies --------------------------------------------------------


def _parts(name: str, graph: DotGraph, line: int, column: int) -> tuple[str, ...]:
    if not (name.startswith("[") and name.endswith("]")):
        raise FileFormatError(
            f"{graph.where(line, column)}: node {name!r} is not '[state]', "
            f"'[action]__[state]' or '[next]__[action]__[state]'"
        )
    parts = tuple(name[1:-1].split("]__["))
    if len(parts) > 3 or any(not p for p in parts):
        raise FileFormatError(f"{graph.where(line, column)}: node {name!r} has {len(parts)} parts")
    for p in parts:
        if len(p) > limits.MAX_NAME_LENGTH:
            raise LimitError(
                f"{graph.where(line, column)}: name {p[:20]!r}... is over MAX_NAME_LENGTH = "
                f"{limits.MAX_NAME_LENGTH} characters"
            )
    return parts


def _weight(e: DotEdge, graph: DotGraph) -> tuple[str, sympy.Rational]:
    text = e.attr("weight")
    where = graph.where(e.line, e.column)
    if text is None:
        raise FileFormatError(f"{where}: edge {e.tail!r} -> {e.head!r} has no weight")
    value = parse_number(text.strip(), where=f"{where}: weight")
    if value < 0 or value > 1:
        raise ProbabilityError(f"{where}: weight {text} is not a probability in [0, 1]")
    return text.strip(), value


def _stochastic(graph: DotGraph) -> GvFile:
    states: dict[str, tuple[int, int]] = {}
    for node in graph.nodes:
        parts = _parts(node.name, graph, node.line, node.column)
        if len(parts) == 1:
            states.setdefault(parts[0], (node.line, node.column))
    actions: dict[str, dict[str, list]] = {s: {} for s in states}
    outcomes: dict[tuple[str, str], list] = {}
    for e in graph.edges:
        _stochastic_edge(e, graph, states, actions, outcomes)
    notes: list[str] = []
    if not outcomes:
        policy = {
            s: _row(f"state {s!r}", list(acts.values()), graph, notes)
            for s, acts in actions.items()
        }
        return GvFile(graph.source, graph.title, "policy", policy=policy, notes=tuple(notes))
    table: dict[str, dict[str, dict[str, sympy.Rational]]] = {}
    for s, acts in actions.items():
        table[s] = {}
        for a, (_, _, line, col) in acts.items():
            row = outcomes.get((s, a))
            if not row:
                raise MDPError(
                    f"{graph.where(line, col)}: state {s!r}, action {a!r} has no next state "
                    f"(dangling action)"
                )
            table[s][a] = _row(f"state {s!r}, action {a!r}", row, graph, notes)
    for s, (line, col) in states.items():
        if not table[s]:
            raise MDPError(f"{graph.where(line, col)}: state {s!r} has no actions (dangling)")
    kind = "joint" if all(joint_parts(s) for s in states) else "stochastic"
    nexts = {
        s: [t for row in acts.values() for t, p in row.items() if p != 0]
        for s, acts in table.items()
    }
    mdp = MDP.build(tuple(states), table, start=_sources(nexts))
    return GvFile(graph.source, graph.title, kind, mdp=mdp, notes=tuple(notes))


def _stochastic_edge(
    e: DotEdge, graph: DotGraph, states: dict, actions: dict, outcomes: dict
) -> None:
    where = graph.where(e.line, e.column)
    tail = _parts(e.tail, graph, e.line, e.column)
    head = _parts(e.head, graph, e.line, e.column)
    if len(tail) == 1 and len(head) == 2 and head[1] == tail[0]:
        weight = _weight(e, graph) if e.attr("weight") is not None else None
        table = actions[tail[0]]
        if head[0] in table:
            raise FileFormatError(f"{where}: action {head[0]!r} of state {tail[0]!r} twice")
        table[head[0]] = [head[0], weight, e.line, e.column]
    elif len(tail) == 2 and len(head) == 3 and head[1:] == tail:
        s, a = tail[1], tail[0]
        if s not in states:
            raise MDPError(f"{where}: state {s!r} of action node {e.tail!r} is not a state")
        if a not in actions[s]:
            raise MDPError(f"{where}: action {a!r} is not an action of state {s!r} (no edge)")
        if head[0] not in states:
            raise MDPError(
                f"{where}: next state {head[0]!r} of state {s!r}, action {a!r} is not a "
                f"state of the file (dangling)"
            )
        row = outcomes.setdefault((s, a), [])
        if any(r[0] == head[0] for r in row):
            raise FileFormatError(f"{where}: next state {head[0]!r} of {s!r}, {a!r} twice")
        row.append([head[0], _weight(e, graph), e.line, e.column])
    else:
        raise FileFormatError(
            f"{where}: edge {e.tail!r} -> {e.head!r} is neither state -> action "
            f"('[s]' -> '[a]__[s]') nor action -> next state ('[a]__[s]' -> '[t]__[a]__[s]')"
        )


def _row(what: str, row: list, graph: DotGraph, notes: list) -> dict[str, sympy.Rational]:
    """``{name: probability}`` from entries ``[name, (text, value) | None, line, col]``."""
    if not row:
        raise MDPError(f"{graph.source}: {what}: no entries")
    missing = [r for r in row if r[1] is None]
    if missing:
        r = missing[0]
        raise FileFormatError(f"{graph.where(r[2], r[3])}: {what}: {r[0]!r} has no weight")
    values = [r[1][1] for r in row]
    total = sum(values, sympy.Integer(0))
    if total != 1:
        snapped = [_snap(r[1][0], r[1][1]) for r in row]
        if sum(snapped, sympy.Integer(0)) != 1:
            r = row[0]
            raise ProbabilityError(
                f"{graph.where(r[2], r[3])}: {what}: probabilities sum to {total}, not 1"
            )
        notes.append(f"{what}: float-written probabilities read as {', '.join(map(str, snapped))}")
        values = snapped
    return {r[0]: v for r, v in zip(row, values)}


def _snap(text: str, value: sympy.Rational) -> sympy.Rational:
    """The simplest fraction (denominator ≤ SNAP_DENOMINATOR) that rounds to the same
    double as ``text``; ``value`` itself when there is none."""
    exact = Fraction(int(value.p), int(value.q))
    candidate = exact.limit_denominator(SNAP_DENOMINATOR)
    if float(candidate) == float(exact):
        return sympy.Rational(candidate.numerator, candidate.denominator)
    return value
