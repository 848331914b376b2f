"""Built-in game trees: Kuhn poker, a signalling game (beer-quiche) and matching pennies.

>>> g = kuhn_poker()
>>> len(g.nodes), len(g.infosets_of("1")), len(g.infosets_of("2"))
(55, 6, 6)
"""

from __future__ import annotations

from .tree import ExtensiveGame, TreeSpec, chance, decision, terminal

__all__ = ["kuhn_poker", "beer_quiche", "matching_pennies", "KUHN_CARDS"]

#: Kuhn poker's cards, lowest first.
KUHN_CARDS = ("J", "Q", "K")


def _kuhn_deal(c1: str, c2: str) -> TreeSpec:
    win = 1 if KUHN_CARDS.index(c1) > KUHN_CARDS.index(c2) else -1

    def show(stake: int) -> TreeSpec:
        return terminal(win * stake, -win * stake)

    return decision(
        "1",
        f"1:{c1}",
        {
            "check": decision(
                "2",
                f"2:{c2}:check",
                {
                    "check": show(1),
                    "bet": decision(
                        "1",
                        f"1:{c1}:check,bet",
                        {"fold": terminal(-1, 1), "call": show(2)},
                    ),
                },
            ),
            "bet": decision("2", f"2:{c2}:bet", {"fold": terminal(1, -1), "call": show(2)}),
        },
    )


def kuhn_poker() -> ExtensiveGame:
    """Kuhn poker: cards J < Q < K, one to each player (chance: the 6 deals ``"c1,c2"``,
    1/6 each), ante 1, bet 1.  Player 1 checks or bets; after a check player 2 checks
    (showdown for 1) or bets, and player 1 folds or calls; after a bet player 2 folds or
    calls (showdown for 2).  Information sets ``"1:J"``, ``"1:J:check,bet"``,
    ``"2:Q:check"``, ``"2:Q:bet"`` name the player, its card and the moves seen.  The value
    for player 1 is −1/18.

    >>> g = kuhn_poker()
    >>> g.infosets[g.infosets_of("2")[0]].name, g.nodes[1].path
    ('2:Q:check', 'root/J,Q')
    """
    deals = {
        f"{c1},{c2}": ("1/6", _kuhn_deal(c1, c2))
        for c1 in KUHN_CARDS
        for c2 in KUHN_CARDS
        if c1 != c2
    }
    return ExtensiveGame.build(("1", "2"), chance(deals, label="deal"), title="Kuhn poker")


def beer_quiche() -> ExtensiveGame:
    """Cho and Kreps' beer-quiche signalling game.

    Chance makes the sender ``weak`` (1/10) or ``strong`` (9/10); the sender, knowing it,
    has ``beer`` or ``quiche``; the receiver sees the breakfast only and ``duel`` s or
    ``walk`` s away.  The sender gets 1 for its preferred breakfast (strong: beer, weak:
    quiche) plus 2 if there is no duel; the receiver gets 1 for duelling a weak sender or
    walking away from a strong one, else 0.

    >>> [s.name for s in beer_quiche().infosets]
    ['chance:type', 'sender:weak', 'receiver:beer', 'receiver:quiche', 'sender:strong']
    """

    def sender(kind: str, likes: str) -> TreeSpec:
        def reply(food: str) -> TreeSpec:
            meal = int(food == likes)
            duel_pay = 1 if kind == "weak" else 0
            return decision(
                "receiver",
                f"receiver:{food}",
                {
                    "duel": terminal(meal, duel_pay),
                    "walk": terminal(meal + 2, 1 - duel_pay),
                },
            )

        return decision("sender", f"sender:{kind}", {f: reply(f) for f in ("beer", "quiche")})

    root = chance(
        {"weak": ("1/10", sender("weak", "quiche")), "strong": ("9/10", sender("strong", "beer"))},
        label="type",
    )
    return ExtensiveGame.build(("sender", "receiver"), root, title="beer-quiche")


def matching_pennies() -> ExtensiveGame:
    """Matching pennies as a tree: player 1 picks ``H`` or ``T`` (information set ``"1"``),
    player 2 picks without seeing it (information set ``"2"``); 1 wins 1 on a match.

    >>> len(matching_pennies().terminals())
    4
    """

    def second(first: str) -> TreeSpec:
        return decision(
            "2",
            "2",
            {b: terminal(*((1, -1) if b == first else (-1, 1))) for b in ("H", "T")},
        )

    root = decision("1", "1", {a: second(a) for a in ("H", "T")})
    return ExtensiveGame.build(("1", "2"), root, title="matching pennies")
