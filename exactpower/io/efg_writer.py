"""Writing a Bayesian game as a Gambit ``.efg`` tree (Harsanyi's construction).

The writing half of :mod:`exactpower.io.efg` (which re-exports these names and
documents how such trees are read back).

The tree
--------
A Bayesian game becomes the standard extensive form of Harsanyi's construction:

1. **Chance** moves first, with one branch per type profile ``t`` (in
   :attr:`BayesianGame.type_profiles` order, i.e. lexicographic), taken with
   the exact prior probability ``Ω(t)`` written as a rational (``1/3``).
2. **Players move in order** ``1, ..., n``, each once.  Player ``i``'s
   information set is determined by its own type alone: infoset number ``k+1``
   of player ``i`` holds *every* node where ``i`` has type ``k``, whatever the
   other players' types and the earlier players' actions.  So nobody observes
   anything but their own type, and the tree has perfect recall (each player
   moves once).
3. **Terminal nodes** carry the outcome ``(r_1(t, a), ..., r_n(t, a))`` with
   exact rational payoffs.  Outcomes are shared by terminal nodes with equal
   payoff vectors; an outcome's label is its payoff vector, e.g. ``"(1, -1)"``,
   so labels are nonempty and unique (Gambit 16.7 requires this of outcomes it
   creates; in files it renames empty or repeated labels).

Type profiles of prior probability 0 are *kept*, as chance branches of
probability ``0``: Gambit accepts zero chance probabilities, and keeping them
makes every player's information sets (one per type) and the tree's shape the
same whatever the prior.  Rewards may be unset at such profiles
(:meth:`BayesianGame.reward` returns ``None``); an unset reward is written as
``0`` (a terminal node whose rewards are all unset gets the null outcome
``0``, whose payoffs Gambit takes to be 0).  Zero-probability branches do not
affect any expected value Gambit computes: an information set reached only
through them has reach probability 0 (Gambit's ``action_value`` is then
undefined), and elsewhere they carry belief 0.

Labels: the chance action for ``t`` is labelled with the type names joined by
commas (``"h,-"``), or, if two such labels coincide, prefixed by the profile's
position (``"3:a,b"``); an information set is labelled with its type name, an
action with its action name.  Double quotes and backslashes in names are
escaped with a backslash, as Gambit's own writer does (note: pygambit 16.7.0's
reader does not undo the backslash escape exactly, so a name containing a
backslash does not round-trip through pygambit; quotes do -- exactpower's own
readers undo both).

The file header is ``EFG 2 R``: the only revision of the ``.efg`` format, which
is what Gambit 16 reads and writes.

Symbolic games are refused: Gambit files hold numbers only.

The tree has ``|T| · (1 + A_1 + A_1·A_2 + ... + A_1···A_n)`` nodes after the
root, so export is meant for small and medium games.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..errors import GameStructureError
from .gambit_lexer import number_text, quote

__all__ = ["to_efg", "EXPORT_COMMENT", "DEFAULT_EFG_TITLE"]

#: The comment line :func:`to_efg` writes.
EXPORT_COMMENT = (
    "Exported by exactpower: chance draws the type profile from the prior; "
    "each player then moves once, knowing only their own type."
)

#: The title :func:`to_efg` writes for a game without one.
DEFAULT_EFG_TITLE = "exactpower Bayesian game"


def _chance_labels(game) -> list[str]:
    """One label per type profile, unique."""
    labels = [
        ",".join(player.types[k] for player, k in zip(game.players, t)) for t in game.type_profiles
    ]
    if len(set(labels)) != len(labels):
        labels = [f"{index}:{label}" for index, label in enumerate(labels)]
    return labels


def to_efg(game, *, title: str | None = None) -> str:
    """Write a rational Bayesian game as Gambit ``.efg`` text.

    Chance picks the type profile with its exact prior probability; then the
    players move in order, each with one information set per own type; the
    terminal nodes carry the exact rewards.  See the module docstring for the
    details (zero-probability type profiles, labels, outcome sharing).

    Parameters
    ----------
    game : BayesianGame
        A game whose values are rational numbers.
    title : str, optional
        The game's title in the file; default the game's own ``title`` if it
        has one, else ``"exactpower Bayesian game"``.

    Returns
    -------
    str
        The ``.efg`` text, ending with a newline.

    Raises
    ------
    GameStructureError
        If the game is symbolic (Gambit files hold numbers only).

    Examples
    --------
    Matching pennies in which the row player has two types, ``"0"`` and
    ``"1"``, with probabilities 1/3 and 2/3 (rewards do not depend on them):

    >>> import numpy as np
    >>> from exactpower import BayesianGame
    >>> mp = np.array([[1, -1], [-1, 1]])
    >>> rewards = np.zeros((2, 2, 1, 2, 2), dtype=np.int64)
    >>> rewards[0, :, 0] = mp
    >>> rewards[1, :, 0] = -mp
    >>> game = BayesianGame.from_arrays(rewards, prior=np.array([[1], [2]]))
    >>> text = to_efg(game, title="Bayesian matching pennies")
    >>> print("\\n".join(text.splitlines()[:8]))  # doctest: +NORMALIZE_WHITESPACE +ELLIPSIS
    EFG 2 R "Bayesian matching pennies" { "1" "2" }
    "Exported by exactpower: chance draws the type profile from the prior; ..."
    <BLANKLINE>
    c "" 1 "" { "0,0" 1/3 "1,0" 2/3 } 0
    p "" 1 1 "0" { "0" "1" } 0
    p "" 2 1 "0" { "0" "1" } 0
    t "" 1 "(1, -1)" { 1, -1 }
    t "" 2 "(-1, 1)" { -1, 1 }
    """
    if getattr(game, "is_symbolic", False):
        raise GameStructureError(
            "cannot export a symbolic game to Gambit: Gambit files hold numbers only"
        )
    if title is None:
        title = getattr(game, "title", None) or DEFAULT_EFG_TITLE
    player_lines = _player_lines(game.players)
    outcomes: dict[tuple[str, ...], int] = {}
    out = _header(game, title)
    for t in game.type_profiles:
        out.extend(_subtree(game, tuple(t), (), player_lines, outcomes))
    out.append("")
    return "\n".join(out)


def _header(game, title: str) -> list[str]:
    """The header, the comment, a blank line and the chance node's line."""
    chance = " ".join(
        f"{quote(label)} {number_text(game.probability(t))}"
        for label, t in zip(_chance_labels(game), game.type_profiles)
    )
    return [
        f"EFG 2 R {quote(title)} {{ " + " ".join(quote(p.name) for p in game.players) + " }",
        quote(EXPORT_COMMENT),
        "",
        'c "" 1 "" { ' + chance + " } 0",
    ]


def _player_lines(players) -> list[list[str]]:
    """Per player, the text of the node line for each own type (infoset ``k+1``)."""
    lines = []
    for i, player in enumerate(players):
        actions = "{ " + " ".join(quote(a) for a in player.actions) + " }"
        lines.append(
            [
                f'p "" {i + 1} {k + 1} {quote(type_name)} {actions} 0'
                for k, type_name in enumerate(player.types)
            ]
        )
    return lines


def _subtree(game, t: tuple, prefix: tuple, player_lines: list, outcomes: dict) -> Iterable[str]:
    """The lines of the subtree at type profile ``t`` after the actions ``prefix``."""
    i = len(prefix)
    if i == game.n_players:
        yield _terminal(game, t, prefix, outcomes)
        return
    yield player_lines[i][t[i]]
    for ai in range(len(game.players[i].actions)):
        yield from _subtree(game, t, prefix + (ai,), player_lines, outcomes)


def _terminal(game, t: tuple, a: tuple, outcomes: dict) -> str:
    """A terminal node's line; equal payoff vectors share one outcome (numbered in order)."""
    values = [game.reward(i, t, a) for i in range(game.n_players)]
    if all(v is None for v in values):
        return 't "" 0'
    payoffs = tuple(number_text(v) for v in values)
    number = outcomes.get(payoffs)
    if number is None:
        number = outcomes[payoffs] = len(outcomes) + 1
    label = quote("(" + ", ".join(payoffs) + ")")
    return f't "" {number} {label} {{ ' + ", ".join(payoffs) + " }"
