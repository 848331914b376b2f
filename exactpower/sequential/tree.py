"""Finite extensive-form games with exact data (SPEC §8): :class:`ExtensiveGame`.

A game tree is stored flat and immutable: :class:`Node` records in prefix (depth-first)
order, the root at index 0, and :class:`Infoset` records (information sets; chance nodes
have their own, with the probabilities).  Build one with the nested constructors
:func:`chance`, :func:`decision` and :func:`terminal` and :meth:`ExtensiveGame.build`, or
from a one-shot Bayesian game with :meth:`ExtensiveGame.from_bayesian`.

Everything is validated when the game is made (also when readers call the dataclass
directly): the tree shape, payoffs (one exact value per player), chance probabilities in
[0, 1] summing to 1 (provably, when symbolic), information sets (one player, the same
action labels at every node) and **perfect recall** -- every node of an information set has
the same sequence of the player's own (information set, action) pairs from the root.  Each
error is a :class:`~exactpower.errors.TreeError` naming the node by its path (``root/H/bet``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import flint
import sympy

from ..errors import LimitError, ProbabilityError, TreeError
from ..exact import Parameter, probability_symbols
from ..game_build import check_distribution
from ..limits import MAX_TREE_NODES
from .tree_build import KINDS, TreeSpec, build_rows, chance, decision, terminal

__all__ = [
    "MAX_TREE_NODES",
    "Node",
    "Infoset",
    "ExtensiveGame",
    "TreeSpec",
    "chance",
    "decision",
    "terminal",
]


@dataclass(frozen=True)
class Node:
    """One node of a game tree (see :class:`ExtensiveGame`).

    ``children`` are node indices in action order; ``infoset`` indexes ``game.infosets``
    (decision and chance nodes); ``payoffs`` holds one exact value per player at a terminal.
    """

    label: str
    kind: str
    children: tuple[int, ...]
    infoset: int | None
    payoffs: tuple | None
    parent: int | None
    path: str


@dataclass(frozen=True)
class Infoset:
    """An information set: its player (``None`` for chance), unique name, action labels,
    nodes (prefix order) and, for chance, the exact probabilities of the actions."""

    player: int | None
    name: str
    actions: tuple[str, ...]
    nodes: tuple[int, ...]
    probabilities: tuple | None = None


def _parameters(parameters: Iterable) -> tuple:
    out = tuple(p if isinstance(p, Parameter) else Parameter(p) for p in parameters)
    names = [p.name for p in out]
    if len(set(names)) != len(names):
        raise TreeError(f"parameters: duplicate parameter name in {names}")
    return out


def _check_players(players: tuple) -> None:
    if not players:
        raise TreeError("game tree: needs at least one player")
    for p in players:
        if not isinstance(p, str) or not p:
            raise TreeError(f"game tree: player name {p!r} must be a nonempty string")
    if len(set(players)) != len(players):
        raise TreeError(f"game tree: duplicate player name in {list(players)}")


def _check_shape(nodes: tuple) -> None:
    """Node 0 is the root, every other node appears once among its parent's children, and
    the nodes are in prefix order (each subtree a contiguous block after its root)."""
    if not nodes:
        raise TreeError("game tree: no nodes")
    if len(nodes) > MAX_TREE_NODES:
        raise LimitError(f"game tree: {len(nodes)} nodes exceed MAX_TREE_NODES = {MAX_TREE_NODES}")
    if nodes[0].parent is not None:
        raise TreeError(f"node {nodes[0].path}: the root (node 0) has a parent")
    for k, node in enumerate(nodes):
        if not isinstance(node, Node) or node.kind not in KINDS:
            raise TreeError(f"node {k}: not a Node of kind chance, decision or terminal")
        if not k:
            continue
        if not (isinstance(node.parent, int) and 0 <= node.parent < k):
            raise TreeError(f"node {node.path}: parent {node.parent!r} does not come before it")
        if k not in nodes[node.parent].children:
            raise TreeError(f"node {node.path}: not among the children of its parent")
    size = [1] * len(nodes)
    for k in range(len(nodes) - 1, 0, -1):
        size[nodes[k].parent] += size[k]
    for k, node in enumerate(nodes):
        expected = k + 1
        for c in node.children:
            if c != expected or nodes[c].parent != k:
                raise TreeError(f"node {node.path}: children {node.children} not in prefix order")
            expected += size[c]


def _check_node(node: Node, n_infosets: int, n_players: int, symbols: frozenset) -> None:
    where = f"node {node.path}"
    if node.kind == "terminal":
        if node.children or node.infoset is not None:
            raise TreeError(f"{where}: a terminal node has no children and no information set")
        if not isinstance(node.payoffs, tuple) or len(node.payoffs) != n_players:
            raise TreeError(f"{where}: needs {n_players} payoffs, one per player")
        for v in node.payoffs:
            _check_value(v, symbols, f"{where}: payoff")
        return
    if not node.children:
        raise TreeError(f"{where}: a {node.kind} node needs at least one child")
    if node.payoffs is not None:
        raise TreeError(f"{where}: only terminal nodes have payoffs")
    if not (isinstance(node.infoset, int) and 0 <= node.infoset < n_infosets):
        raise TreeError(f"{where}: information set {node.infoset!r} out of range")


def _check_value(value: object, symbols: frozenset, where: str) -> None:
    if not isinstance(value, sympy.Expr) or value.has(sympy.Float):
        raise TreeError(f"{where} {value!r} is not an exact sympy value (use as_exact)")
    if not value.free_symbols <= symbols:
        raise TreeError(f"{where} {value} uses an undeclared parameter")


def _check_infoset(game: ExtensiveGame, k: int, info: Infoset, probs: frozenset) -> None:
    first = game.nodes[info.nodes[0]].path if info.nodes else "?"
    where = f"information set {info.name!r} at node {first}"
    if not info.nodes or list(info.nodes) != sorted(set(info.nodes)):
        raise TreeError(f"{where}: its nodes must be nonempty, distinct and in prefix order")
    if len(set(info.actions)) != len(info.actions) or not all(
        isinstance(a, str) for a in info.actions
    ):
        raise TreeError(f"{where}: action labels {info.actions} must be distinct strings")
    is_chance = info.player is None
    if not is_chance and not (isinstance(info.player, int) and 0 <= info.player < game.n_players):
        raise TreeError(f"{where}: player {info.player!r} out of range")
    for h in info.nodes:
        node = game.nodes[h] if 0 <= h < len(game.nodes) else None
        if node is None or node.infoset != k:
            raise TreeError(f"{where}: lists node {h}, which is not in it")
        if node.kind != ("chance" if is_chance else "decision"):
            raise TreeError(f"node {node.path}: a {node.kind} node in {where}")
        if len(node.children) != len(info.actions):
            raise TreeError(
                f"node {node.path}: {len(node.children)} children for the "
                f"{len(info.actions)} actions of {where}"
            )
    if is_chance:
        if not isinstance(info.probabilities, tuple) or len(info.probabilities) != len(
            info.actions
        ):
            raise TreeError(f"{where}: needs one probability per action")
        for v in info.probabilities:
            _check_value(v, game.symbols, f"{where}: probability")
        try:
            check_distribution(info.probabilities, probs, where, [repr(a) for a in info.actions])
        except ProbabilityError as e:
            raise TreeError(str(e)) from None
    elif info.probabilities is not None:
        raise TreeError(f"{where}: only chance information sets have probabilities")


def _check_recall(game: ExtensiveGame) -> None:
    """Perfect recall: per player, the nodes of an information set share the sequence of
    the player's own (information set, action) pairs; sequences are numbered in a trie."""
    parent, action = game.parent_array, game.action_array
    for player in range(game.n_players):
        own = [0] * len(game.nodes)
        trie: dict[tuple, int] = {}
        for k in range(1, len(game.nodes)):
            p = parent[k]
            info = game.nodes[p].infoset
            if game.nodes[p].kind == "decision" and game.infosets[info].player == player:
                own[k] = trie.setdefault((own[p], info, action[k]), len(trie) + 1)
            else:
                own[k] = own[p]
        for j in game.infosets_of(player):
            nodes = game.infosets[j].nodes
            for h in nodes[1:]:
                if own[h] != own[nodes[0]]:
                    raise TreeError(
                        f"node {game.nodes[h].path}: no perfect recall: player "
                        f"{game.players[player]!r} reaches information set "
                        f"{game.infosets[j].name!r} here by other moves of its own than at "
                        f"node {game.nodes[nodes[0]].path}"
                    )


@dataclass(frozen=True)
class ExtensiveGame:
    """A finite extensive-form game with perfect recall and exact (or symbolic) data.

    Attributes
    ----------
    players : tuple of str
    nodes : tuple of Node
        In prefix order; the root is node 0.
    infosets : tuple of Infoset
        Chance nodes have information sets too (player ``None``) holding the probabilities.
    parameters : tuple of Parameter
    title : str

    Examples
    --------
    >>> g = ExtensiveGame.build(
    ...     players=("Alice", "Bob"),
    ...     root=chance({"H": ("1/2", decision("Alice", "a", {"l": terminal(1, -1),
    ...                                                       "r": terminal(-1, 1)})),
    ...                  "T": ("1/2", decision("Alice", "a", {"l": terminal(-1, 1),
    ...                                                       "r": terminal(1, -1)}))}))
    >>> len(g.nodes), [s.name for s in g.infosets], g.nodes[2].path
    (7, ['chance:0', 'a'], 'root/H/l')
    >>> ExtensiveGame.build(("A",), decision("A", "x", {"l": terminal(0), "r": terminal(0.5)}))
    Traceback (most recent call last):
    ...
    exactpower.errors.InexactValueError: node root/r: payoff of 'A': 0.5 is a float; exactpower takes exact values only (write "1/2" or Fraction(1, 2))
    """

    players: tuple[str, ...]
    nodes: tuple[Node, ...]
    infosets: tuple[Infoset, ...]
    parameters: tuple[Parameter, ...] = ()
    title: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "players", tuple(self.players))
        object.__setattr__(self, "parameters", _parameters(self.parameters))
        _check_players(self.players)
        _check_shape(self.nodes)
        names = [s.name for s in self.infosets]
        if len(set(names)) != len(names):
            dup = next(n for n in names if names.count(n) > 1)
            raise TreeError(f"game tree: two information sets are named {dup!r}")
        for node in self.nodes:
            _check_node(node, len(self.infosets), self.n_players, self.symbols)
        probs = probability_symbols(self.parameters)
        for k, info in enumerate(self.infosets):
            _check_infoset(self, k, info, probs)
        _check_recall(self)

    # -- construction ---------------------------------------------------------------
    @classmethod
    def build(
        cls, players: Iterable[str], root: TreeSpec, parameters: Iterable = (), title: str = ""
    ) -> ExtensiveGame:
        """The game of a nested description (:func:`chance`, :func:`decision`,
        :func:`terminal`); ``parameters`` are names or :class:`Parameter` objects."""
        players = tuple(players)
        _check_players(players)
        params = _parameters(parameters)
        nodes, sets = build_rows(players, params, root)
        return cls(
            players, tuple(Node(*n) for n in nodes), tuple(Infoset(*s) for s in sets), params, title
        )

    @classmethod
    def from_bayesian(cls, game) -> ExtensiveGame:
        """A one-shot Bayesian game as a tree: chance deals the type profiles of positive
        probability (labels ``"t1,t2"``), then players move in order, player ``i`` in the
        information set ``"<player>:<type>"``; the leaves hold the rewards.

        >>> from exactpower import BayesianGame
        >>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
        >>> t = ExtensiveGame.from_bayesian(mp)
        >>> [s.name for s in t.infosets], len(t.terminals())
        (['chance:0', '1:-', '2:-'], 4)
        """
        players = tuple(p.name for p in game.players)
        n = len(players)

        def subtree(t: tuple, a: tuple) -> TreeSpec:
            if len(a) == n:
                return terminal(*(game.reward(i, t, a) for i in range(n)))
            p = game.players[len(a)]
            return decision(
                len(a),
                f"{p.name}:{p.types[t[len(a)]]}",
                {act: subtree(t, (*a, k)) for k, act in enumerate(p.actions)},
            )

        root = chance(
            {
                ",".join(p.types[k] for p, k in zip(game.players, t)): (
                    game.probability(t),
                    subtree(t, ()),
                )
                for t in game.support
            }
        )
        return cls.build(players, root, game.parameters, game.title or "")

    # -- lookups ----------------------------------------------------------------------
    @property
    def n_players(self) -> int:
        return len(self.players)

    @functools.cached_property
    def symbols(self) -> frozenset:
        """The symbols of the declared parameters."""
        return frozenset(p.symbol for p in self.parameters)

    def player_index(self, player) -> int:
        """The index of a player given by index or name."""
        if isinstance(player, int) and not isinstance(player, bool):
            if 0 <= player < self.n_players:
                return player
            raise TreeError(f"player index {player} out of range 0..{self.n_players - 1}")
        if player in self.players:
            return self.players.index(player)
        raise TreeError(f"unknown player {player!r} (players: {', '.join(self.players)})")

    def infosets_of(self, player) -> tuple[int, ...]:
        """The indices of a player's information sets, in order of their first node."""
        return self._by_player[self.player_index(player)]

    @functools.cached_property
    def _by_player(self) -> tuple:
        return tuple(
            tuple(k for k, s in enumerate(self.infosets) if s.player == i)
            for i in range(self.n_players)
        )

    def infoset_index(self, name: str) -> int:
        """The index of the information set named ``name``."""
        try:
            return self._names[name]
        except KeyError:
            raise TreeError(f"unknown information set {name!r}") from None

    @functools.cached_property
    def _names(self) -> dict:
        return {s.name: k for k, s in enumerate(self.infosets)}

    @functools.cached_property
    def is_symbolic(self) -> bool:
        """Whether a payoff or a chance probability is an expression in parameters."""
        values = [v for n in self.nodes if n.payoffs for v in n.payoffs]
        values += [v for s in self.infosets if s.probabilities for v in s.probabilities]
        return any(not isinstance(v, sympy.Rational) for v in values)

    def terminals(self) -> tuple[int, ...]:
        """The indices of the terminal nodes, in prefix order."""
        return tuple(k for k, n in enumerate(self.nodes) if n.kind == "terminal")

    def sequence(self, node: int, player) -> tuple[tuple[int, int], ...]:
        """The player's own ``(infoset, action index)`` moves on the path to ``node``.

        >>> g = ExtensiveGame.build(("A",), decision("A", "x", {"l": terminal(0),
        ...                                                   "r": terminal(1)}))
        >>> g.sequence(2, "A")
        ((0, 1),)
        """
        i, out, k = self.player_index(player), [], node
        parent, infoset = self.parent_array, self.infoset_array
        while parent[k] >= 0:
            p = parent[k]
            if self.mover_array[p] == i:
                out.append((infoset[p], self.action_array[k]))
            k = p
        return tuple(reversed(out))

    # -- flat arrays for the quantities -------------------------------------------------
    @functools.cached_property
    def parent_array(self) -> tuple:
        """Per node its parent's index (``-1`` for the root)."""
        return tuple(-1 if n.parent is None else n.parent for n in self.nodes)

    @functools.cached_property
    def action_array(self) -> tuple:
        """Per node the index of the action leading to it at its parent (``-1``: root)."""
        out = [-1] * len(self.nodes)
        for n in self.nodes:
            for a, c in enumerate(n.children):
                out[c] = a
        return tuple(out)

    @functools.cached_property
    def infoset_array(self) -> tuple:
        """Per node its information set (``None`` at terminals)."""
        return tuple(n.infoset for n in self.nodes)

    @functools.cached_property
    def mover_array(self) -> tuple:
        """Per node the player moving there: ``0..n-1``, ``-1`` chance, ``-2`` terminal."""
        return tuple(
            -2
            if n.infoset is None
            else (
                -1 if self.infosets[n.infoset].player is None else self.infosets[n.infoset].player
            )
            for n in self.nodes
        )

    @functools.cached_property
    def fmpq_values(self) -> tuple | None:
        """``(payoffs per node, chance probabilities per information set)`` as
        ``flint.fmpq`` (``None`` where there are none); ``None`` for a symbolic game."""
        if self.is_symbolic:
            return None
        pay = tuple(
            None if n.payoffs is None else tuple(flint.fmpq(v.p, v.q) for v in n.payoffs)
            for n in self.nodes
        )
        chance = tuple(
            None
            if s.probabilities is None
            else tuple(flint.fmpq(v.p, v.q) for v in s.probabilities)
            for s in self.infosets
        )
        return pay, chance

    def __repr__(self) -> str:
        kind = "symbolic" if self.is_symbolic else "rational"
        title = f" {self.title!r}" if self.title else ""
        return (
            f"<ExtensiveGame{title}: {self.n_players} players, {len(self.nodes)} nodes, "
            f"{len(self.infosets)} information sets, {kind}>"
        )
