"""Writing an :class:`~exactpower.sequential.ExtensiveGame` as Gambit ``.efg`` text.

The reading half is :func:`exactpower.io.efg_game.read_efg_game`; reading back what
:func:`tree_to_efg` writes gives an equal game (same players, nodes, labels,
information sets, probabilities and payoffs).  The text is what Gambit 16 reads
(``pygambit.read_efg``; tested with pygambit 16.7):

* the header ``EFG 2 R "<title>" { "<player>" ... }``;
* the nodes in prefix order: ``c`` (chance), ``p`` (a player's move), ``t`` (terminal),
  each with its label; information sets are numbered per player (chance is player 0)
  in the order they are first met, and are defined -- label (the information set's
  name), actions, chance probabilities -- at their first node;
* node labels as they are, except that a nonempty label used at several nodes gets
  Gambit's suffixes (``deal_1``, ``deal_2``): Gambit 16.7 refuses files in which two
  nodes share a nonempty label, so only games whose nonempty node labels are unique
  read back with the same labels;
* payoffs on terminal nodes only, as outcomes shared by equal payoff vectors and
  labelled by them (``"(1, -1)"``), so outcome labels are nonempty and unique.

Symbolic games are refused: Gambit files hold numbers only.

>>> from exactpower.sequential import ExtensiveGame, chance, decision, terminal
>>> g = ExtensiveGame.build(players=("A",), root=chance(
...     {"H": ("1/3", decision("A", "a", {"l": terminal(1), "r": terminal(0)})),
...      "T": ("2/3", terminal(-1))}, infoset="deal"))
>>> print(tree_to_efg(g))
EFG 2 R "" { "A" }
c "" 1 "deal" { "H" 1/3 "T" 2/3 } 0
p "" 1 1 "a" { "l" "r" } 0
t "" 1 "(1)" { 1 }
t "" 2 "(0)" { 0 }
t "" 3 "(-1)" { -1 }
<BLANKLINE>
"""

from __future__ import annotations

from ..errors import GameStructureError
from ..sequential.tree import ExtensiveGame
from .gambit_lexer import normalize_labels, number_text, quote

__all__ = ["tree_to_efg"]


def tree_to_efg(game: ExtensiveGame, *, title: str | None = None) -> str:
    """The ``.efg`` text of a rational extensive-form game.

    Parameters
    ----------
    game : ExtensiveGame
        A game whose probabilities and payoffs are rational numbers.
    title : str, optional
        The title in the file; default the game's own.

    Returns
    -------
    str
        The text, ending with a newline.

    Raises
    ------
    GameStructureError
        If the game is symbolic.
    """
    if game.is_symbolic:
        raise GameStructureError(
            "cannot export a symbolic game to Gambit: Gambit files hold numbers only"
        )
    players = " ".join(quote(p) for p in game.players)
    lines = [f"EFG 2 R {quote(game.title if title is None else title)} {{ {players} }}"]
    numbers: dict = {}  # infoset index -> number within its player
    counts: dict = {}  # player key -> infosets numbered so far
    outcomes: dict = {}
    labels = _unique_labels(game)
    stack = [0]
    while stack:
        index = stack.pop()
        node = game.nodes[index]
        lines.append(_node_line(game, node, labels[index], numbers, counts, outcomes))
        stack.extend(reversed(node.children))
    lines.append("")
    return "\n".join(lines)


def _unique_labels(game: ExtensiveGame) -> list:
    """Node labels, repeated nonempty ones given Gambit's suffixes (Gambit refuses repeats)."""
    labels = [node.label for node in game.nodes]
    named = [k for k, label in enumerate(labels) if label]
    for k, label in zip(named, normalize_labels([labels[k] for k in named])):
        labels[k] = label
    return labels


def _node_line(
    game: ExtensiveGame, node, label: str, numbers: dict, counts: dict, outcomes: dict
) -> str:
    """The line of one node; an information set is defined where it is first met."""
    label = quote(label)
    if node.kind == "terminal":
        payoffs = tuple(number_text(v) for v in node.payoffs)
        number = outcomes.get(payoffs)
        if number is not None:
            return f"t {label} {number}"
        number = outcomes[payoffs] = len(outcomes) + 1
        text = ", ".join(payoffs)
        return f"t {label} {number} {quote('(' + text + ')')} {{ {text} }}"
    infoset = game.infosets[node.infoset]
    player = 0 if infoset.player is None else infoset.player + 1
    head = ("c " if player == 0 else "p ") + label + ("" if player == 0 else f" {player}")
    if node.infoset in numbers:
        return f"{head} {numbers[node.infoset]} 0"
    number = numbers[node.infoset] = counts[player] = counts.get(player, 0) + 1
    if player == 0:
        moves = " ".join(
            f"{quote(a)} {number_text(p)}" for a, p in zip(infoset.actions, infoset.probabilities)
        )
    else:
        moves = " ".join(quote(a) for a in infoset.actions)
    return f"{head} {number} {quote(infoset.name)} {{ {moves} }} 0"
