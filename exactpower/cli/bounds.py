"""``exactpower power-bounds GAME [--max-nodes N] [--json]``.

Best-case and worst-case POWER of every player
(:func:`exactpower.best_case_power`, :func:`exactpower.worst_case_power`).
GAME may be ``.json``, ``.nfg`` or ``.efg``.  JSON: one object per player,
``{"best_case", "worst_case", "lower", "upper", "exact", "method",
"attained_by": {"best_case", "worst_case"}, "guarantee"}``: ``best_case`` is
always exact; ``worst_case`` is the exact value, or ``null`` when only the
bounds ``lower`` ≤ POWER⁻ ≤ ``upper`` are known (three or more players);
``lower`` and ``upper`` are the worst case's bounds (equal to ``worst_case``
when it is exact); ``method`` names both methods (``"best_case: ...;
worst_case: ..."``); ``attained_by`` holds the opponents' strategies
(profile-v1 style) attaining ``best_case`` and ``upper``; ``guarantee`` the
player's own strategy certifying ``lower``.  Values are strings.

Exit status 0; 2 for bad input or usage, with one line on stderr naming the
file and the place (line and column for Gambit files).

>>> from exactpower.cli import main
>>> main(["power-bounds", "no-such-game.json"])
2
"""

from __future__ import annotations

import sys

from ..errors import GameError
from .common import add_game, read_game, symbolic_hint, table, write_json

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "bounds_report"]

NAME = "power-bounds"
HELP = "best-case and worst-case POWER of every player"
DESCRIPTION = (
    "Best-case POWER (max over the other players' strategies; pure strategies "
    "attain it) and worst-case POWER (min over them: an exact linear program for "
    "two players; for more, proven lower and upper bounds, exact when they meet) of "
    "every player.  Rational games only."
)


def arguments(p) -> None:
    """GAME, ``--max-nodes``."""
    add_game(p)
    p.add_argument(
        "--max-nodes",
        type=int,
        default=None,
        metavar="N",
        help="limit on the nodes of each branch and bound (default 200000)",
    )


def _strategy(dist: dict):
    if len(dist) == 1 and next(iter(dist.values())) == 1:
        return next(iter(dist))
    return {a: str(p) for a, p in dist.items()}


def _strategies(attained) -> dict:
    return {player: {t: _strategy(d) for t, d in s.items()} for player, s in attained.items()}


def bounds_report(game, *, max_nodes=None) -> dict:
    """The JSON document of ``exactpower power-bounds``: ``{player: {...}}``, values as strings.

    >>> from exactpower.catalog import stripped_down_poker
    >>> doc = bounds_report(stripped_down_poker())
    >>> {p: (d["best_case"], d["worst_case"], d["exact"]) for p, d in doc.items()}
    {'dealer': ('1', '1/3', True), 'caller': ('1/2', '-1/3', True)}
    >>> doc["caller"]["attained_by"]["worst_case"]
    {'dealer': {'K': 'bet', 'Q': {'bet': '1/3', 'check': '2/3'}}}
    """
    from ..bounds import MAX_SEARCH_NODES, best_case_power, worst_case_power

    nodes = MAX_SEARCH_NODES if max_nodes is None else max_nodes
    out = {}
    for p in game.players:
        best = best_case_power(game, p.name, max_nodes=nodes)
        worst = worst_case_power(game, p.name, max_nodes=nodes)
        out[p.name] = {
            "best_case": str(best.value),
            "worst_case": None if worst.value is None else str(worst.value),
            "lower": str(worst.lower),
            "upper": str(worst.upper),
            "exact": best.exact and worst.exact,
            "method": f"best_case: {best.method}; worst_case: {worst.method}",
            "attained_by": {
                "best_case": _strategies(best.attained_by),
                "worst_case": _strategies(worst.attained_by),
            },
            "guarantee": {t: _strategy(d) for t, d in (worst.guarantee or {}).items()},
        }
    return out


def _describe(strategies: dict) -> str:
    parts = []
    for player, s in strategies.items():
        rows = []
        for t, d in s.items():
            shown = d if isinstance(d, str) else ", ".join(f"{a} {q}" for a, q in d.items())
            rows.append(shown if t == "-" and len(s) == 1 else f"{t}: {shown}")
        parts.append(f"{player} [{'; '.join(rows)}]")
    return "; ".join(parts) if parts else "(no opponents)"


def _text(game, doc: dict, game_name: str) -> str:
    title = f" {game.title!r}" if game.title else ""
    lines = [
        f"game{title}: {game_name} ({game.n_players} players)",
        "",
        "best case POWER+ = max over the others' strategies; worst case POWER- = min over them",
    ]
    rows = [["player", "best case", "worst case", "exact", "method"]]
    for name, d in doc.items():
        worst = (
            d["worst_case"] if d["worst_case"] is not None else f"in [{d['lower']}, {d['upper']}]"
        )
        rows.append([name, d["best_case"], worst, "yes" if d["exact"] else "no", d["method"]])
    lines += table(rows) + [""]
    for name, d in doc.items():
        lines.append(f"{name}: best case at {_describe(d['attained_by']['best_case'])}")
        worst = "worst case" if d["worst_case"] is not None else "upper bound"
        lines.append(
            f"{name}: {worst} at {_describe(d['attained_by']['worst_case'])}; "
            f"guaranteed by playing {_describe({name: d['guarantee']})}"
        )
    return "\n".join(lines) + "\n"


def run(args) -> int:
    """Compute and print the bounds of every player."""
    game = read_game(args.game, args.param)
    if game.is_symbolic:
        raise GameError(f"{args.game}: power bounds need a rational game; {symbolic_hint(game)}")
    doc = bounds_report(game, max_nodes=args.max_nodes)
    if args.json:
        write_json(doc)
    else:
        sys.stdout.write(_text(game, doc, args.game))
    return 0
