"""The syntax of a Gambit ``.efg`` tree: nodes, information sets and outcomes.

:func:`parse_tree` reads the nodes that follow the header (in prefix order,
``c``/``p``/``t`` lines as Gambit writes them) into a :class:`Tree`, checking
each as it is read: players and numbers exist, information sets and outcomes
are defined before use and agree with their definitions, chance probabilities
lie in ``[0, 1]`` and sum to 1, at most ``MAX_TREE_NODES`` nodes.  What the tree
*means* -- a Bayesian game, when it has Bayesian shape -- is
:mod:`exactpower.io.efg`'s business.

>>> from exactpower.io.gambit_lexer import Lexer
>>> tree = parse_tree(Lexer('p "" 1 1 "" { "a" "b" } 0 t "" 1 "x" { 2 } t "" 0', "x"), ["1"])
>>> tree.root.kind, len(tree.root.children), tree.outcomes
('p', 2, {1: (Fraction(2, 1),)})
"""

from __future__ import annotations

from typing import NamedTuple

from ..errors import LimitError
from ..limits import MAX_TREE_NODES
from .gambit_lexer import Lexer, Token, describe, normalize_labels

__all__ = [
    "Node",
    "Infoset",
    "Tree",
    "parse_tree",
    "read_infoset",
    "read_outcome",
    "MAX_TREE_NODES",
]


class Node:
    """A node: its kind (``"c"``, ``"p"``, ``"t"``), token, player, information set, outcome."""

    __slots__ = ("children", "infoset", "kind", "outcome", "player", "token")

    def __init__(self, kind, token, player, infoset, outcome):
        self.kind, self.token, self.player = kind, token, player
        self.infoset, self.outcome = infoset, outcome
        self.children = []


class Infoset(NamedTuple):
    """An information set: label, action labels (normalised), chance probabilities, token."""

    label: str
    actions: tuple
    probs: tuple | None
    token: Token


class Tree(NamedTuple):
    """A parsed tree: the root, the information sets ``(player, number)`` (chance is player
    0) and the outcomes' payoff vectors by number."""

    root: Node
    infosets: dict
    outcomes: dict

    def add(self, base, outcome):
        """The payoffs ``base`` plus those of ``outcome`` (outcomes add up along a path)."""
        if not outcome:
            return base
        payoffs = self.outcomes[outcome]
        return payoffs if base is None else tuple(x + y for x, y in zip(base, payoffs))


def parse_tree(lexer: Lexer, names: list) -> Tree:
    """The tree after the header: nodes in prefix order, each checked as it is read."""
    n = len(names)
    infosets: dict = {}
    outcomes: dict = {0: None}
    root = None
    stack: list = []  # [node, children still to read]
    count = 0
    while True:
        token = lexer.next()
        if token.kind == "eof":
            if root is None or stack:
                lexer.fail(
                    token,
                    "the file ends before the tree is complete"
                    if root is not None
                    else "the file has no tree (no nodes)",
                )
            break
        if root is not None and not stack:
            lexer.fail(
                token, f"expected the end of the file (the tree is complete), got {describe(token)}"
            )
        if token.kind != "symbol" or token.text not in ("c", "p", "t"):
            lexer.fail(token, f"expected a node ('c', 'p' or 't'), got {describe(token)}")
        count += 1
        if count > MAX_TREE_NODES:
            lexer.fail(token, f"more than MAX_TREE_NODES = {MAX_TREE_NODES} nodes", LimitError)
        kind = token.text
        lexer.expect("text", "the node's label (a quoted text)")
        player = infoset = None
        if kind == "p":
            ptoken = lexer.peek()
            player = lexer.integer("a player number")
            if not 1 <= player <= n:
                lexer.fail(ptoken, f"player {player} does not exist (players 1 to {n})")
        elif kind == "c":
            player = 0
        if player is not None:  # a chance or a player node (kind != "t")
            infoset = read_infoset(lexer, kind, player, infosets)
        outcome = read_outcome(lexer, names, outcomes)
        node = Node(kind, token, player, infoset, outcome)
        if root is None:
            root = node
        else:
            parent = stack[-1]
            parent[0].children.append(node)
            parent[1] -= 1
            if parent[1] == 0:
                stack.pop()
        if kind != "t":
            stack.append([node, len(infosets[infoset].actions)])
    return Tree(root, infosets, {k: v[1] for k, v in outcomes.items() if v is not None})


def read_infoset(lexer: Lexer, kind: str, player: int, infosets: dict) -> tuple:
    """A node's information set number, and its label and actions where they are defined."""
    itoken = lexer.peek()
    number = lexer.integer("an information set number")
    infoset = (player, number)
    if lexer.peek().kind != "text":
        if infoset not in infosets:
            lexer.fail(
                itoken,
                f"information set {number} is used before it is defined (its label and actions)",
            )
        return infoset
    label = lexer.next().text
    lexer.expect("{", "'{' before the actions")
    actions, probs = [], []
    while lexer.peek().kind != "}":
        actions.append(lexer.expect("text", "an action's label (a quoted text)"))
        if kind == "c":
            ptok = lexer.peek()
            q = lexer.number("the action's probability")
            if q < 0 or q > 1:
                lexer.fail(ptok, f"chance probability {ptok.text} is not in [0, 1]")
            probs.append(q)
    close = lexer.expect("}", "'}' after the actions")
    if not actions:
        lexer.fail(close, "a move with no actions")
    if kind == "c" and sum(probs) != 1:
        lexer.fail(close, f"chance probabilities sum to {sum(probs)}, not 1")
    labels = tuple(normalize_labels([a.text for a in actions]))
    data = Infoset(label, labels, tuple(probs) if kind == "c" else None, itoken)
    if infoset in infosets:
        old = infosets[infoset]
        if (old.label, old.actions, old.probs) != (data.label, data.actions, data.probs):
            who = "chance" if kind == "c" else f"player {player}"
            lexer.fail(
                itoken,
                f"information set {number} of {who} does not match "
                f"its definition at line {old.token.line}",
            )
    else:
        infosets[infoset] = data
    return infoset


def read_outcome(lexer: Lexer, names: list, outcomes: dict) -> int:
    """A node's outcome number, and its label and payoffs where they are defined."""
    otoken = lexer.peek()
    outcome = lexer.integer("an outcome number")
    if lexer.peek().kind == "text":
        if outcome == 0:
            lexer.fail(otoken, "the null outcome 0 cannot have a label or payoffs")
        label = lexer.next().text
        lexer.expect("{", "'{' before the outcome's payoffs")
        payoffs = []
        for name in names:
            payoffs.append(lexer.number(f"the payoff of player {name!r}"))
            lexer.accept(",")
        lexer.expect("}", f"'}}' after the {len(names)} payoffs of the outcome")
        if outcome in outcomes:
            if outcomes[outcome][:2] != (label, tuple(payoffs)):
                lexer.fail(
                    otoken,
                    f"outcome {outcome} does not match its definition at "
                    f"line {outcomes[outcome][2].line}",
                )
        else:
            outcomes[outcome] = (label, tuple(payoffs), otoken)
    elif outcome not in outcomes:
        lexer.fail(
            otoken, f"outcome {outcome} is used before it is defined (its label and payoffs)"
        )
    return outcome
