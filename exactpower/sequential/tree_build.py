"""The nested builder of game trees: :func:`chance`, :func:`decision`, :func:`terminal`.

Each returns a :class:`TreeSpec`, a nested description of a subtree;
:meth:`ExtensiveGame.build <exactpower.sequential.tree.ExtensiveGame.build>` lays it out
in prefix order with :func:`build_rows` (values made exact with
:func:`~exactpower.exact.as_exact`, information sets gathered by name) and validates the
result.  Nested specifications cannot have cycles; at most
:data:`~exactpower.limits.MAX_TREE_NODES` nodes are laid out.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..errors import LimitError, TreeError
from ..exact import as_exact
from ..limits import MAX_TREE_NODES

__all__ = ["TreeSpec", "chance", "decision", "terminal", "build_rows", "KINDS"]

#: The kinds of nodes.
KINDS = ("chance", "decision", "terminal")

#: Characters of a node's path kept (its end, after "…") in a very deep tree.
PATH_TAIL = 300


@dataclass(frozen=True)
class TreeSpec:
    """A nested description of a subtree, made by :func:`chance`, :func:`decision` or
    :func:`terminal` and turned into a game by :meth:`ExtensiveGame.build`."""

    kind: str
    label: str = ""
    player: object = None
    infoset: str | None = None
    branches: tuple = ()  # ((action, probability or None, TreeSpec), ...)
    payoffs: tuple = ()


def _label(label) -> str:
    if not isinstance(label, str):
        raise TreeError(f"node label {label!r} must be a string")
    return label


def decision(player, infoset: str, children: Mapping, label: str = "") -> TreeSpec:
    """A decision node of ``player`` (name or index) in the information set ``infoset``,
    with ``{action: child}``.

    >>> decision("Alice", "a", {"l": terminal(1, 0), "r": terminal(0, 1)}).branches[1][0]
    'r'
    """
    if not isinstance(children, Mapping) or not children:
        raise TreeError(f"decision {infoset!r}: expected a nonempty {{action: child}}")
    if not isinstance(infoset, str) or not infoset:
        raise TreeError(f"decision: information set name {infoset!r} must be a nonempty string")
    branches = tuple((a, None, c) for a, c in children.items())
    return TreeSpec("decision", _label(label), player, infoset, branches)


def chance(children: Mapping, label: str = "", infoset: str | None = None) -> TreeSpec:
    """A chance node with ``{action: (probability, child)}``; chance nodes given the same
    ``infoset`` name must have the same actions and probabilities.

    >>> chance({"H": ("1/2", terminal(1)), "T": ("1/2", terminal(0))}).branches[0][:2]
    ('H', '1/2')
    """
    if not isinstance(children, Mapping) or not children:
        raise TreeError(f"chance {label!r}: expected a nonempty {{action: (probability, child)}}")
    branches = []
    for a, pair in children.items():
        if not isinstance(pair, (tuple, list)) or len(pair) != 2:
            raise TreeError(f"chance {label!r}: action {a!r} needs a pair (probability, child)")
        branches.append((a, pair[0], pair[1]))
    return TreeSpec("chance", _label(label), None, infoset, tuple(branches))


def terminal(*payoffs, label: str = "") -> TreeSpec:
    """A leaf with one payoff per player (exact values; floats are refused at build).

    >>> terminal(1, "-1/2").payoffs
    (1, '-1/2')
    """
    return TreeSpec("terminal", _label(label), payoffs=tuple(payoffs))


class _Builder:
    """The nested builder's state: nodes in prefix order and information sets by name."""

    def __init__(self, players: tuple, parameters: tuple):
        self.players, self.parameters = players, parameters
        self.rows: list[list] = []  # [label, kind, children, infoset, payoffs, parent, path]
        self.sets: dict[str, list] = {}  # name -> [index, player, actions, nodes, probabilities]

    def player(self, who, path: str) -> int:
        if isinstance(who, int) and not isinstance(who, bool) and 0 <= who < len(self.players):
            return who
        if who in self.players:
            return self.players.index(who)
        raise TreeError(f"node {path}: unknown player {who!r} (players: {', '.join(self.players)})")

    def infoset(self, spec: TreeSpec, index: int, path: str) -> int:
        actions = tuple(b[0] for b in spec.branches)
        if spec.kind == "decision":
            name, player, probs = str(spec.infoset), self.player(spec.player, path), None
        else:
            name, player = spec.infoset or f"chance:{spec.label or index}", None
            if spec.infoset is None and name in self.sets:
                name = f"chance:{index}"
            probs = tuple(
                as_exact(p, self.parameters, where=f"node {path}: probability of {a!r}")
                for a, p, _ in spec.branches
            )
        entry = self.sets.setdefault(name, [len(self.sets), player, actions, [], probs])
        if entry[1:3] != [player, actions] or entry[4] != probs:
            what = "player" if entry[1] != player else "actions or probabilities"
            raise TreeError(
                f"node {path}: information set {name!r} has another {what} "
                f"at node {self.rows[entry[3][0]][6]}"
            )
        entry[3].append(index)
        return entry[0]

    def add(self, spec: object, parent: int | None, action: object) -> TreeSpec:
        index = len(self.rows)
        if index >= MAX_TREE_NODES:
            raise LimitError(f"game tree: more than MAX_TREE_NODES = {MAX_TREE_NODES} nodes")
        path = "root" if parent is None else f"{self.rows[parent][6]}/{action}"
        if len(path) > PATH_TAIL:  # a deep tree: keep the end of the path (O(1) per node)
            path = "…" + path[1 - PATH_TAIL :]
        if not isinstance(spec, TreeSpec) or spec.kind not in KINDS:
            raise TreeError(f"node {path}: {spec!r} is not a node (use chance, decision, terminal)")
        row: list = [spec.label, spec.kind, [], None, None, parent, path]
        self.rows.append(row)
        if parent is not None:
            self.rows[parent][2].append(index)
        if spec.kind == "terminal":
            if len(spec.payoffs) != len(self.players):
                raise TreeError(
                    f"node {path}: {len(spec.payoffs)} payoffs for {len(self.players)} players"
                )
            row[4] = tuple(
                as_exact(v, self.parameters, where=f"node {path}: payoff of {p!r}")
                for p, v in zip(self.players, spec.payoffs)
            )
        else:
            row[3] = self.infoset(spec, index, path)
        return spec

    def run(self, root: object) -> None:
        stack: list[tuple] = [(root, None, None)]
        while stack:
            spec, parent, action = stack.pop()
            spec = self.add(spec, parent, action)
            index = len(self.rows) - 1
            stack.extend((child, index, a) for a, _, child in reversed(spec.branches))


def build_rows(players: tuple, parameters: tuple, root: object) -> tuple:
    """Lay out the nested ``root`` in prefix order: ``(nodes, infosets)`` as the argument
    tuples of :class:`~exactpower.sequential.tree.Node` (label, kind, children, infoset,
    payoffs, parent, path) and :class:`~exactpower.sequential.tree.Infoset` (player, name,
    actions, nodes, probabilities).

    >>> nodes, sets = build_rows(("A",), (), decision("A", "x", {"l": terminal(0)}))
    >>> nodes[1], sets
    (('', 'terminal', (), None, (0,), 0, 'root/l'), [(0, 'x', ('l',), (0,), None)])
    """
    builder = _Builder(players, parameters)
    builder.run(root)
    nodes = tuple((r[0], r[1], tuple(r[2]), r[3], r[4], r[5], r[6]) for r in builder.rows)
    sets = [(e[1], name, e[2], tuple(e[3]), e[4]) for name, e in builder.sets.items()]
    return nodes, sets
