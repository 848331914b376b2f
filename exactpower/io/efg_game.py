"""Any Gambit ``.efg`` tree as an :class:`~exactpower.sequential.ExtensiveGame`.

:mod:`exactpower.io.efg` reads ``.efg`` files of *Bayesian shape* into a one-shot
:class:`~exactpower.BayesianGame`; this module reads *every* tree Gambit writes --
chance moves anywhere, imperfect information, outcomes at inner nodes -- into an
:class:`~exactpower.sequential.ExtensiveGame`, with the syntax checks of
:func:`exactpower.io.efg_tree.parse_tree` (line and column in every message).

The tree
--------
* **Players** are the file's players (labels made nonempty and unique as Gambit does);
  chance is Gambit's player 0.
* **Payoffs**: a terminal node's payoffs are the sum of the outcomes on its path (Gambit
  attaches outcomes to any node and adds them up); a path with no outcome pays 0.
  Numbers are exact: ``0.1`` is 1/10, ``1/3`` is 1/3.
* **Information sets** are named by their labels when these are nonempty and unique in
  the file, else ``"<player>:<number>"`` (``"chance:<number>"`` for a chance
  information set that holds several nodes); a chance node alone in its information set
  gets the model's automatic name.
* **Node labels** are kept; the model names nodes by their path of actions
  (``root/H/bet``) in its messages.

What Gambit allows and the model refuses -- imperfect recall, for one -- is refused with
the model's message (naming the node's path), prefixed with the file's name.  The writer
is :func:`exactpower.io.efg_tree_writer.tree_to_efg`.

>>> game = read_efg_game('''EFG 2 R "toy" { "A" "B" }
... c "" 1 "deal" { "H" 1/2 "T" 0.5 } 0
... p "" 1 1 "a" { "l" "r" } 0
... t "" 1 "win" { 1, -1 }
... t "" 2 "lose" { -1, 1 }
... p "" 1 1 "a" { "l" "r" } 0
... t "" 2 "lose" { -1, 1 }
... t "" 1 "win" { 1, -1 }''')
>>> game.players, [s.name for s in game.infosets], game.nodes[0].kind
(('A', 'B'), ['deal', 'a'], 'chance')
"""

from __future__ import annotations

from collections import Counter

from ..errors import GameError
from ..exact import to_rational
from ..sequential.tree import ExtensiveGame, chance, decision, terminal
from .efg_tree import Tree, parse_tree
from .gambit_lexer import Lexer, decode, read_header

__all__ = ["read_efg_game"]


def read_efg_game(text, *, source: str = "<efg>") -> ExtensiveGame:
    """Read Gambit ``.efg`` text (any tree) as an :class:`~exactpower.sequential.ExtensiveGame`.

    Parameters
    ----------
    text : str or bytes
    source : str
        Names the file in error messages.

    Raises
    ------
    GambitFormatError
        Malformed text (line and column named).
    GameError
        A tree the model refuses (no perfect recall, ...): the model's message, which names
        the node's path, after ``source``.

    Examples
    --------
    >>> read_efg_game('EFG 2 R "" { "1" } p "" 1 1 "" { "a" } 0 t "" 1 "" { 0.25 }').nodes[1].payoffs
    (1/4,)
    """
    lexer = Lexer(decode(text, source), source)
    title, names, _ = read_header(lexer, "EFG", "2")
    if lexer.peek().kind == "text":
        lexer.next()  # the comment
    tree = parse_tree(lexer, names)
    labels = _node_labels(lexer)
    infoset_names = _infoset_names(tree, names)
    root = _build(tree, labels, infoset_names, len(names))
    try:
        return ExtensiveGame.build(players=tuple(names), root=root, title=title)
    except GameError as e:
        raise type(e)(f"{source}: {e}") from None


def _node_labels(lexer: Lexer) -> dict:
    """The label of every node, by the position of its ``c``/``p``/``t`` token."""
    tokens = lexer.tokens
    return {
        (t.line, t.column): tokens[k + 1].text
        for k, t in enumerate(tokens[:-1])
        if t.kind == "symbol" and t.text in ("c", "p", "t") and tokens[k + 1].kind == "text"
    }


def _infoset_names(tree: Tree, names: list) -> dict:
    """``(player, number) -> name`` (``None``: a chance set of one node, named by the model)."""
    sizes: Counter = Counter()
    stack = [tree.root]
    while stack:
        node = stack.pop()
        if node.infoset is not None:
            sizes[node.infoset] += 1
        stack.extend(node.children)
    counts = Counter(s.label for s in tree.infosets.values())
    out: dict = {}
    used: set = set()
    for key, data in tree.infosets.items():
        player, number = key
        if data.label and counts[data.label] == 1:
            name = data.label
        elif player == 0 and sizes[key] == 1:
            out[key] = None
            continue
        else:
            name = f"{'chance' if player == 0 else names[player - 1]}:{number}"
        while name in used:
            name += "'"
        used.add(name)
        out[key] = name
    return out


def _build(tree: Tree, labels: dict, infoset_names: dict, n: int):
    """The nested builder of the tree, built bottom-up without recursion."""
    order = []  # (node, payoffs so far), in prefix order
    stack = [(tree.root, None)]
    while stack:
        node, base = stack.pop()
        base = tree.add(base, node.outcome)
        order.append((node, base))
        stack.extend((child, base) for child in reversed(node.children))
    built: dict = {}
    zero = (0,) * n
    for node, base in reversed(order):
        label = labels.get((node.token.line, node.token.column), "")
        if node.kind == "t":
            values = tuple(to_rational(v) for v in (base or zero))
            built[id(node)] = terminal(*values, label=label)
            continue
        data = tree.infosets[node.infoset]
        kids = [built.pop(id(child)) for child in node.children]
        if node.kind == "c":
            moves = {a: (to_rational(p), kid) for a, p, kid in zip(data.actions, data.probs, kids)}
            built[id(node)] = chance(moves, label=label, infoset=infoset_names[node.infoset])
        else:
            moves = dict(zip(data.actions, kids))
            built[id(node)] = decision(
                node.player - 1, infoset_names[node.infoset], moves, label=label
            )
    return built[id(tree.root)]
