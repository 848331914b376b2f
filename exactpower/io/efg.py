"""Gambit's extensive-form ``.efg`` format: a Bayesian game as a tree, and back.

:func:`to_efg` writes a Bayesian game as the standard extensive form of
Harsanyi's construction; :func:`from_efg` reads any tree *of Bayesian shape*:
chance nodes only at the top (one or several levels, e.g. one chance move per
player's type), then each player moving at most once on every path, with a
player's information set determined by the chance outcome alone.  Other trees
are refused with an :class:`UnsupportedTreeError` naming the first feature
that is not supported (a chance node below a player's move, a player moving
twice on a path, a player whose information depends on another player's move,
information sets of one player with different actions).  See
:mod:`exactpower.io.gambit` for the common rules (exact numbers, names, errors)
and ``docs/gambit.md`` for the user's guide.

Reading an ``.efg`` file
------------------------
The chance part gives the type profile.  Walking down from the root through
chance nodes only, each *chance outcome* (the first non-chance node on a path)
has a probability (the product of the chance probabilities on its path,
which must sum to 1 at every chance node).  Below it, player ``i``'s nodes all
lie in one information set ``h``: ``i``'s type at that chance outcome is ``h``
(or, if ``i`` does not move there, an extra type ``"-"`` -- ``"(no move)"``
if ``"-"`` is taken -- in which ``i``'s action changes nothing).

* **Types** of player ``i``: its information sets, in the order of their
  numbers in the file, named by their labels when these are nonempty and
  unique (else by their numbers, ``"1"``, ``"2"``, ...); a player with a
  single type that always moves gets the conventional type ``"-"`` when its
  information set is unlabelled.  **Actions**: the action labels, which
  must be the same (in the same order) in all of the player's information
  sets; a player that never moves gets the single action ``"-"``.
* **Prior**: ``Ω(t)`` is the total probability of the chance outcomes whose
  information sets are ``t``.
* **Rewards**: ``r(t, a)`` is the payoff reached from a chance outcome when
  every player ``i`` takes ``a_i`` (outcomes are summed along the path, as in
  Gambit), averaged over the chance outcomes with type profile ``t`` with
  their probabilities.  So the game's ex-ante strategic form is the tree's.
  Type profiles of probability 0 keep the payoffs of their chance outcome
  when there is one (or several that agree); a terminal node reached with
  the null outcome only (``t "" 0``) there leaves the rewards *unset*.

The title is the file's (``""`` gives none; the default title that
:func:`to_efg` writes for an untitled game reads back as none).

Zero-probability type profiles and round trips
----------------------------------------------
``json → efg → json`` is exact (``dumps`` of the two games is equal), with
one documented exception: at a type profile of probability 0 where some
players' rewards are set and others' are not, the unset ones are written as
``0`` (Gambit has no "unset" payoff) and read back as set to 0.  Rewards at
probability-0 profiles change no expectation.  ``json → nfg → json`` is exact
for games with one type per player (their single type profile has
probability 1).

Writing an ``.efg`` file
------------------------
:func:`to_efg` (in :mod:`exactpower.io.efg_writer`, re-exported here) writes the
standard extensive form of Harsanyi's construction: chance draws the type
profile, then each player moves once knowing only their own type.

Examples

>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> from_efg(to_efg(mp)).reward(0, (0, 0), (1, 1))
1
"""

from __future__ import annotations

import math
from collections import defaultdict
from fractions import Fraction
from typing import NoReturn

import numpy as np
import sympy

from ..errors import LimitError
from ..exact import to_rational
from ..game import BayesianGame, Player
from ..limits import MAX_FILE_CELLS, MAX_NAME_LENGTH, MAX_TREE_NODES
from .efg_tree import Node, Tree, parse_tree
from .efg_writer import DEFAULT_EFG_TITLE, EXPORT_COMMENT, to_efg
from .gambit_lexer import (
    GambitFormatError,
    Lexer,
    check_name,
    decode,
    read_header,
)

__all__ = [
    "from_efg",
    "to_efg",
    "UnsupportedTreeError",
    "MAX_TREE_NODES",
    "EXPORT_COMMENT",
    "DEFAULT_EFG_TITLE",
]


class UnsupportedTreeError(GambitFormatError):
    """A well-formed ``.efg`` tree that is not of the Bayesian shape exactpower reads."""


def _unsupported(lexer: Lexer, node: Node, message: str) -> NoReturn:
    lexer.fail(
        node.token,
        f"unsupported tree: {message}; exactpower reads trees of "
        f"Bayesian shape only (chance moves at the top, then each player moving at "
        f"most once on every path, knowing only the chance outcome)",
        UnsupportedTreeError,
    )


# -- reading -------------------------------------------------------------------------


def from_efg(text, *, source: str = "<efg>") -> BayesianGame:
    """Read a Gambit ``.efg`` file of Bayesian shape back as a :class:`BayesianGame`.

    The shape is the one :func:`to_efg` writes, and more generally: chance
    nodes only at the top, then every player moving at most once on every
    path, with each player's information set determined by the chance
    outcome.  Types, prior and rewards are reconstructed as described in the
    module docstring.  Other trees raise :class:`UnsupportedTreeError`.

    Parameters
    ----------
    text : str or bytes
    source : str
        Names the file in error messages.

    Examples
    --------
    >>> from exactpower.catalog import stripped_down_poker
    >>> from exactpower import dumps
    >>> poker = stripped_down_poker()
    >>> dumps(from_efg(to_efg(poker))) == dumps(poker)
    True
    >>> from_efg('''EFG 2 R "signal" { "S" "R" } ""
    ... p "" 1 1 "" { "a" "b" } 0
    ... p "" 2 1 "" { "x" "y" } 0
    ... t "" 0
    ... t "" 0
    ... p "" 2 2 "" { "x" "y" } 0
    ... t "" 0
    ... t "" 0''', source="s.efg")
    Traceback (most recent call last):
    ...
    exactpower.io.efg.UnsupportedTreeError: s.efg: line 6 column 1: unsupported tree: player 'R' is in information sets 1 (line 3) and 2 (line 6) under one chance outcome, so it observes another player's move; exactpower reads trees of Bayesian shape only (chance moves at the top, then each player moving at most once on every path, knowing only the chance outcome)
    """
    lexer = Lexer(decode(text, source), source)
    title, names, _ = read_header(lexer, "EFG", "2")
    comment = lexer.next().text if lexer.peek().kind == "text" else None
    tree = parse_tree(lexer, names)
    leaves = _chance_outcomes(tree)
    player_infosets, leaf_types = _leaf_types(lexer, tree, leaves, names)
    players, type_index = [], []
    for i, name in enumerate(names):
        player, index = _player(
            lexer, tree, i, name, player_infosets[i], all(t[i] is not None for t in leaf_types)
        )
        players.append(player)
        type_index.append(index)
    n = len(names)
    tshape = tuple(len(p.types) for p in players)
    ashape = tuple(len(p.actions) for p in players)
    if (
        n * math.prod(tshape) * math.prod(ashape) > MAX_FILE_CELLS
        or n * len(leaves) * math.prod(ashape) > MAX_FILE_CELLS
    ):
        lexer.fail(
            tree.root.token,
            f"the game would have more than MAX_FILE_CELLS = {MAX_FILE_CELLS} reward cells",
            LimitError,
        )
    profiles = [tuple(type_index[i][types[i]] for i in range(n)) for types in leaf_types]
    prior_values, rewards = _prior_and_rewards(tree, leaves, profiles, tshape, ashape)
    if title == DEFAULT_EFG_TITLE and comment == EXPORT_COMMENT:
        title = ""
    return BayesianGame.from_values(players, prior_values, rewards, (), title or None)


def _chance_outcomes(tree: Tree) -> list:
    """``(node, probability, payoffs so far)`` of each chance outcome: the first non-chance
    node on a path from the root through chance nodes, in the order of the file."""
    leaves = []
    stack = [(tree.root, Fraction(1), None)]
    while stack:
        node, p, base = stack.pop()
        if node.kind == "c":
            base = tree.add(base, node.outcome)  # (a chance outcome's own node: _evaluate)
            probs = tree.infosets[node.infoset].probs
            for child, q in reversed(list(zip(node.children, probs))):
                stack.append((child, p * q, base))
        else:
            leaves.append((node, p, base))
    return leaves


def _leaf_types(lexer: Lexer, tree: Tree, leaves: list, names: list) -> tuple:
    """Below each chance outcome, each player at most once per path and in one information
    set: ``(per player {number: first node}, per chance outcome the numbers or None)``."""
    n = len(names)
    player_infosets: list = [{} for _ in range(n)]  # number -> first node
    leaf_types = []
    for leaf, _, _ in leaves:
        seen: dict = {}
        walk: list = [(leaf, ())]
        while walk:
            node, movers = walk.pop()
            if node.kind == "c":
                _unsupported(lexer, node, "a chance node below a player's move")
            if node.kind == "p":
                i = node.player - 1
                if i in movers:
                    _unsupported(lexer, node, f"player {names[i]!r} moves twice on one path")
                number = node.infoset[1]
                if i in seen and seen[i][0] != number:
                    first = seen[i][1]
                    _unsupported(
                        lexer,
                        node,
                        f"player {names[i]!r} is in information sets "
                        f"{seen[i][0]} (line {first.token.line}) and {number} (line "
                        f"{node.token.line}) under one chance outcome, so it observes "
                        f"another player's move",
                    )
                seen.setdefault(i, (number, node))
                player_infosets[i].setdefault(number, node)
                walk.extend((child, movers + (i,)) for child in reversed(node.children))
        leaf_types.append(tuple(seen[i][0] if i in seen else None for i in range(n)))
    return player_infosets, leaf_types


def _player(
    lexer: Lexer, tree: Tree, i: int, name: str, first_nodes: dict, moves_always: bool
) -> tuple:
    """Player ``i`` (types = its information sets, actions = their labels) and the map from
    information set number (``None``: does not move) to type index."""
    numbers = sorted(first_nodes)
    if numbers:
        actions = _actions(lexer, tree, i, name, numbers, first_nodes)
        type_names = _type_names(
            [tree.infosets[(i + 1, k)].label for k in numbers], numbers, moves_always
        )
    else:
        actions, type_names = ("-",), []
    index = {k: pos for pos, k in enumerate(numbers)}
    if not moves_always:
        extra = next(
            label
            for label in ("-", "(no move)", "(no move)_1", "(no move)_2")
            if label not in type_names
        )
        index[None] = len(type_names)
        type_names = type_names + [extra]
    return Player(name, tuple(type_names), tuple(actions)), index


def _actions(
    lexer: Lexer, tree: Tree, i: int, name: str, numbers: list, first_nodes: dict
) -> tuple:
    """The action labels, which must be the same in all of the player's information sets."""
    first = tree.infosets[(i + 1, numbers[0])]
    for number in numbers[1:]:
        other = tree.infosets[(i + 1, number)]
        if other.actions != first.actions:
            _unsupported(
                lexer,
                first_nodes[number],
                f"player {name!r} has actions {list(first.actions)} in "
                f"information set {numbers[0]} (line {first.token.line}) but "
                f"{list(other.actions)} in information set {number} (line "
                f"{other.token.line}); a Bayesian game needs the same actions "
                f"in every type",
            )
    for a in first.actions:
        check_name(lexer, first.token, a, "action", star_ok=False)
    return first.actions


def _type_names(labels: list, numbers: list, moves_always: bool) -> list:
    """Type names: the information sets' labels when nonempty and unique, else their numbers."""
    if len(numbers) == 1 and moves_always:
        type_names = [labels[0] or "-"]
    elif (
        all(labels)
        and len(set(labels)) == len(labels)
        and all(lab != "*" and len(lab) <= MAX_NAME_LENGTH for lab in labels)
    ):
        type_names = labels
    else:
        type_names = [str(k) for k in numbers]
    if type_names == ["*"] or len(type_names[0]) > MAX_NAME_LENGTH:
        type_names = [str(numbers[0])]
    return type_names


def _evaluate(tree: Tree, node: Node, base, n: int) -> tuple:
    """(values of shape (n, d_1..d_n), set-mask of shape (d_1..d_n)); d_j is 1 or A_j."""
    base = tree.add(base, node.outcome)
    if node.kind == "t":
        values = np.empty((n,) + (1,) * n, dtype=object)
        values.ravel()[:] = list(base or (Fraction(0),) * n)
        return values, np.full((1,) * n, base is not None)
    i = node.player - 1
    parts = [_evaluate(tree, child, base, n) for child in node.children]
    shape = [max(v.shape[1 + j] for v, _ in parts) for j in range(n)]
    shape[i] = 1
    values = np.concatenate([np.broadcast_to(v, (n, *shape)) for v, _ in parts], axis=1 + i)
    mask = np.concatenate([np.broadcast_to(m, tuple(shape)) for _, m in parts], axis=i)
    return values, mask


def _prior_and_rewards(
    tree: Tree, leaves: list, profiles: list, tshape: tuple, ashape: tuple
) -> tuple:
    """The prior (total probability per type profile) and the rewards (averaged over the
    chance outcomes of a type profile; at probability 0, those of its outcomes if they agree)."""
    n = len(tshape)
    prior: defaultdict = defaultdict(Fraction)
    sums: dict = {}
    zero_prob: dict = defaultdict(list)
    for (leaf, p, base), t in zip(leaves, profiles):
        values, mask = _evaluate(tree, leaf, base, n)
        values = np.broadcast_to(values, (n,) + ashape)
        mask = np.broadcast_to(mask, ashape)
        prior[t] += p
        if p:
            sums[t] = sums[t] + p * values if t in sums else p * values
        else:
            zero_prob[t].append((values, mask))
    prior_values = np.empty(tshape, dtype=object)
    prior_values.ravel()[:] = [sympy.Integer(0)] * math.prod(tshape)
    rewards = np.full((n,) + tshape + ashape, None, dtype=object)
    for t, p in prior.items():
        prior_values[t] = to_rational(p)
        if p:
            # The lambda is applied at once, inside this iteration.
            cells = np.vectorize(lambda q: to_rational(q / p), otypes=[object])(sums[t])  # noqa: B023
            rewards[(slice(None),) + tuple(t)] = cells
            continue
        found = zero_prob[t]
        if all(np.array_equal(v, found[0][0]) and np.array_equal(m, found[0][1]) for v, m in found):
            values, mask = found[0]
            cells = np.vectorize(to_rational, otypes=[object])(values)
            rewards[(slice(None),) + tuple(t)] = np.where(mask, cells, None)
    return prior_values, rewards
