"""``exactpower convert IN OUT`` and ``exactpower power-bounds GAME`` (SPEC §5).

``exactpower convert IN OUT [--nfg-form outcome|payoff] [--strategic-form]``
    Convert a game between game-v1 JSON (``.json``), Gambit's strategic form
    (``.nfg``) and Gambit's extensive form (``.efg``), by the files'
    extensions (see :mod:`exactpower.gambit` for what each direction keeps).
    A Bayesian game with types is written to ``.nfg`` only with
    ``--strategic-form`` (its induced strategic form, a different game).
    ``--json`` prints ``{"input", "output", "players", "title"}``.

``exactpower power-bounds GAME [--json]``
    Best-case and worst-case POWER of every player
    (:func:`exactpower.best_case_power`, :func:`exactpower.worst_case_power`).
    GAME may be ``.json``, ``.nfg`` or ``.efg``.  JSON: one object per player,
    ``{"best_case", "worst_case", "lower", "upper", "exact", "method",
    "attained_by": {"best_case", "worst_case"}, "guarantee"}``: ``best_case``
    is always exact; ``worst_case`` is the exact value, or ``null`` when only
    the bounds ``lower`` ≤ POWER⁻ ≤ ``upper`` are known (three or more
    players); ``lower`` and ``upper`` are the worst case's bounds (equal to
    ``worst_case`` when it is exact); ``method`` names both methods
    (``"best_case: ...; worst_case: ..."``); ``attained_by`` holds the
    opponents' strategies (profile-v1 style) attaining ``best_case`` and
    ``upper``; ``guarantee`` the player's own strategy certifying ``lower``.
    Values are strings.

Exit status 0; 2 for bad input or usage, with one line on stderr naming the
file and the place (line and column for Gambit files).

>>> from exactpower.cli import main
>>> main(["power-bounds", "no-such-game.json"])
2
"""

from __future__ import annotations

import json
import os
import sys

from .errors import GameError, LimitError

__all__ = ["add", "read_game", "write_game", "bounds_report"]

_FORMATS = {".json": "game-v1 JSON", ".nfg": "Gambit strategic form",
            ".efg": "Gambit extensive form"}


def _extension(path: str, role: str) -> str:
    ext = os.path.splitext(path)[1].lower()
    if ext not in _FORMATS:
        raise GameError(f"{path}: cannot tell the {role} format from the extension "
                        f"{ext or '(none)'!r} (expected .json, .nfg or .efg)")
    return ext


def read_game(path: str):
    """Read a game from ``.json`` (game-v1), ``.nfg`` or ``.efg``, by the file's extension."""
    from . import file_reader
    from .files import load_game
    from .io import from_efg, from_nfg

    ext = _extension(path, "input")
    if ext == ".json":
        return load_game(path)
    size = os.stat(path).st_size
    if size > file_reader.MAX_FILE_BYTES:
        raise LimitError(f"{path}: {size} bytes, over the limit MAX_FILE_BYTES = "
                         f"{file_reader.MAX_FILE_BYTES}")
    with open(path, "rb") as f:
        data = f.read()
    return (from_nfg if ext == ".nfg" else from_efg)(data, source=path)


def write_game(game, path: str, *, nfg_form: str = "outcome", strategic_form: bool = False) -> str:
    """Write ``game`` to ``path`` in the format of its extension; return the text."""
    from .files import dumps
    from .io import to_efg, to_nfg

    ext = _extension(path, "output")
    try:
        if ext == ".json":
            text = dumps(game)
        elif ext == ".nfg":
            text = to_nfg(game, form=nfg_form, strategic_form=strategic_form)
        else:
            text = to_efg(game)
    except GameError as e:
        raise type(e)(f"{path}: {e}") from None
    try:
        with open(path, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
    except OSError as e:
        raise GameError(f"{path}: cannot write: {e.strerror or e}") from None
    return text


def _run_convert(args) -> int:
    game = read_game(args.input)
    _extension(args.output, "output")
    if os.path.abspath(args.output) == os.path.abspath(args.input):
        raise GameError(f"{args.output}: the output would overwrite the input")
    write_game(game, args.output, nfg_form=args.nfg_form, strategic_form=args.strategic_form)
    if args.json:
        sys.stdout.write(json.dumps({"input": args.input, "output": args.output,
                                     "players": [p.name for p in game.players],
                                     "title": game.title}, indent=2, ensure_ascii=False) + "\n")
    else:
        kinds = "x".join(f"{len(p.types)}t{len(p.actions)}a" for p in game.players)
        sys.stdout.write(f"{args.input} ({_FORMATS[_extension(args.input, 'input')]}) -> "
                         f"{args.output} ({_FORMATS[_extension(args.output, 'output')]}): "
                         f"{game.n_players} players ({kinds})\n")
    return 0


# -- power-bounds ---------------------------------------------------------------------

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
    from .bounds import MAX_NODES, best_case_power, worst_case_power

    nodes = MAX_NODES if max_nodes is None else max_nodes
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
            "attained_by": {"best_case": _strategies(best.attained_by),
                            "worst_case": _strategies(worst.attained_by)},
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


def _run_bounds(args) -> int:
    game = read_game(args.game)
    if game.is_symbolic:
        raise GameError(f"{args.game}: power bounds need a rational game; this game has "
                        f"parameters ({', '.join(p.name for p in game.parameters)})")
    doc = bounds_report(game, max_nodes=args.max_nodes)
    if args.json:
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
        return 0
    title = f" {game.title!r}" if game.title else ""
    lines = [f"game{title}: {args.game} ({game.n_players} players)", "",
             "best case POWER+ = max over the others' strategies; "
             "worst case POWER- = min over them"]
    rows = [["player", "best case", "worst case", "exact", "method"]]
    for name, d in doc.items():
        worst = (d["worst_case"] if d["worst_case"] is not None
                 else f"in [{d['lower']}, {d['upper']}]")
        rows.append([name, d["best_case"], worst, "yes" if d["exact"] else "no", d["method"]])
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    lines.append("")
    for name, d in doc.items():
        lines.append(f"{name}: best case at {_describe(d['attained_by']['best_case'])}")
        worst = "worst case" if d["worst_case"] is not None else "upper bound"
        lines.append(f"{name}: {worst} at {_describe(d['attained_by']['worst_case'])}; "
                     f"guaranteed by playing {_describe({name: d['guarantee']})}")
    sys.stdout.write("\n".join(lines) + "\n")
    return 0


def add(commands) -> None:
    """Register ``convert`` and ``power-bounds`` with the command parser."""
    p = commands.add_parser(
        "convert", help="convert a game between game-v1 JSON and Gambit .nfg / .efg",
        description="Convert a game between exactpower's game-v1 JSON (.json), Gambit's "
                    "strategic form (.nfg) and Gambit's extensive form (.efg), chosen by the "
                    "extensions.  Reading .efg needs a tree of Bayesian shape (chance moves "
                    "first, then each player moving once, knowing only the chance outcome).")
    p.add_argument("input", metavar="IN", help="the game to read (.json, .nfg or .efg)")
    p.add_argument("output", metavar="OUT", help="the file to write (.json, .nfg or .efg)")
    p.add_argument("--nfg-form", choices=("outcome", "payoff"), default="outcome",
                   help="form of an .nfg output: a list of outcomes (default, as Gambit "
                        "writes) or the payoffs listed directly")
    p.add_argument("--strategic-form", action="store_true",
                   help="write a Bayesian game with types to .nfg as its induced strategic "
                        "form (strategies = maps type -> action; a different game)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_run_convert)

    p = commands.add_parser(
        "power-bounds", help="best-case and worst-case POWER of every player",
        description="Best-case POWER (max over the other players' strategies; pure "
                    "strategies attain it) and worst-case POWER (min over them: an exact "
                    "linear program for two players; for more, proven lower and upper "
                    "bounds, exact when they meet) of every player.  Rational games only.")
    p.add_argument("game", metavar="GAME", help="game file (.json game-v1, .nfg or .efg)")
    p.add_argument("--max-nodes", type=int, default=None, metavar="N",
                   help="limit on the nodes of each branch and bound (default 200000)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_run_bounds)
