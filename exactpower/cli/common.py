"""What the commands share: the arguments GAME and PROFILE, reading them, and printing.

Every command module of :mod:`exactpower.cli` takes its options from here
(no argparse boilerplate is written twice) and prints with :func:`write_json`
and :func:`table`.  Nothing here computes a number of the game.

>>> table([["player", "POWER"], ["row", "1/2"]])
['  player  POWER', '  row     1/2']
>>> one_line("a\\nb")
'a b'
"""

from __future__ import annotations

import argparse
import json
import re
import sys

__all__ = [
    "UsageError",
    "Parser",
    "one_line",
    "table",
    "write_json",
    "write_text",
    "add_game",
    "add_params",
    "add_profile",
    "read_game",
    "read_profile",
    "game_and_profile",
    "parse_params",
    "parse_key_values",
    "with_params",
    "symbolic_hint",
    "game_header",
    "steps_data",
    "witness",
    "YES",
    "equality_lines",
    "verify_text",
    "write_trace",
    "finish_verify",
    "UNIFORM",
    "add_class_options",
    "class_from_args",
    "parse_counts",
    "parse_values",
]

#: The PROFILE word for the uniform profile (every type mixes uniformly over its actions).
UNIFORM = "uniform"

_GAME_HELP = "game file: exactpower/game-v1 .json, Gambit .nfg or .efg (by the extension)"
_PROFILE_HELP = (
    "strategy profile file (exactpower/profile-v1 JSON), or 'uniform' (each type "
    "mixes uniformly over its actions)"
)


class UsageError(Exception):
    """A command line that cannot run as given; the message is one line (exit 2)."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports usage errors as one line (exit 2)."""

    def error(self, message):  # argparse's hook for usage errors
        command = self.prog.removeprefix("exactpower").strip()
        raise UsageError(f"{command + ': ' if command else ''}{message} (see 'exactpower --help')")


def one_line(text) -> str:
    """``text`` with its line breaks turned into spaces."""
    return " ".join(str(text).split("\n"))


def table(rows: list) -> list:
    """Rows of strings as left-aligned text lines, two spaces between columns."""
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def write_json(doc) -> None:
    """Print a JSON document on stdout (indented, UTF-8 as is)."""
    sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")


def write_text(path: str, text: str) -> None:
    """Write ``text`` to the file ``path`` (UTF-8)."""
    with open(path, "w", encoding="utf-8") as out:
        out.write(text)


# -- GAME and PROFILE ------------------------------------------------------------------


def add_game(p, *, optional: bool = False) -> None:
    """The positional GAME (and ``--param``); ``optional``: omitted means the built-in
    example."""
    if optional:
        p.add_argument(
            "game", nargs="?", metavar="GAME", help=_GAME_HELP + "; omitted: the built-in example"
        )
    else:
        p.add_argument("game", metavar="GAME", help=_GAME_HELP)
    add_params(p)


def add_params(p) -> None:
    """The repeatable option ``--param NAME=VALUE``."""
    p.add_argument(
        "--param",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="give the game's parameter NAME the exact value VALUE (e.g. q=1/2), "
        "right after reading it; repeatable",
    )


def parse_params(items) -> dict:
    """``["q=1/2", "x = 2"]`` -> ``{"q": "1/2", "x": "2"}`` (the values stay text, read
    exactly by :meth:`~exactpower.BayesianGame.subs`).

    >>> parse_params(["q=1/2", "x = -2"])
    {'q': '1/2', 'x': '-2'}
    """
    return parse_key_values(items, "--param", "NAME=VALUE, e.g. --param q=1/2")


def parse_key_values(items, option: str, form: str) -> dict:
    """``{key: value}`` of the ``KEY=VALUE`` items of ``option`` (text; spaces around ``=``
    dropped); an item without ``=``, key or value (the error says ``expected`` ``form``) or a
    key given twice is a :class:`UsageError`.

    >>> parse_key_values(["a = 1"], "--opt", "KEY=VALUE")
    {'a': '1'}
    """
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = (part.strip() for part in item.partition("="))
        if not sep or not key or not value:
            raise UsageError(f"{option} {item!r}: expected {form}")
        if key in out:
            raise UsageError(f"{option} {key}: given twice")
        out[key] = value
    return out


def with_params(obj, params, source: str, game=None):
    """``obj`` (a game, or with ``game`` a profile of ``game``) with the values of the
    ``--param`` items ``params``; an error names ``source``."""
    if not params:
        return obj
    from ..errors import GameError

    values = parse_params(params)
    try:
        return obj.subs(values) if game is None else obj.subs(values, game)
    except GameError as exc:
        raise type(exc)(f"{source}: --param: {str(exc).removeprefix('subs: ')}") from None


def symbolic_hint(game) -> str:
    """How to go on with a symbolic game where numbers are needed."""
    names = [p.name for p in game.parameters]
    return (
        f"it has parameters ({', '.join(names)}): substitute numbers with "
        f"--param NAME=VALUE, e.g. --param {names[0]}=1/2"
    )


def add_profile(p, *, required: bool = False) -> None:
    """The option ``--profile PROFILE`` (a profile-v1 file or ``uniform``)."""
    p.add_argument(
        "--profile",
        required=required,
        metavar="PROFILE",
        help=_PROFILE_HELP + ("" if required else "; needed with GAME"),
    )


def read_game(path: str, params=()):
    """The game in ``path``, by its extension (:func:`exactpower.io.load_game_file`), with
    the values of the ``--param`` items ``params``."""
    from ..io import load_game_file

    return with_params(load_game_file(path), params, path)


def read_profile(text: str, game):
    """The profile named on the command line: ``uniform`` or a profile-v1 file."""
    from ..io import load_profile
    from ..profile import StrategyProfile

    if text == UNIFORM:
        return StrategyProfile.uniform(game)
    return load_profile(text, game)


def game_and_profile(args, command: str, hint: str = "give --profile PROFILE"):
    """``(game, profile, game name, profile name)`` from GAME and ``--profile``.

    Without GAME: stripped-down poker at its equilibrium
    (:mod:`exactpower.catalog`).  ``hint`` ends the error for a GAME without a
    profile.
    """
    if args.game is None:
        if args.param:
            raise UsageError(f"{command}: --param needs a GAME")
        if args.profile is not None:
            raise UsageError(
                f"{command}: --profile needs a GAME (without GAME the built-in example is used)"
            )
        from ..catalog import stripped_down_poker, stripped_down_poker_equilibrium

        game = stripped_down_poker()
        return (
            game,
            stripped_down_poker_equilibrium(game),
            "built-in stripped-down poker",
            "its equilibrium",
        )
    game = read_game(args.game)
    if args.profile is None:
        raise UsageError(f"{command}: {args.game}: a profile is needed: {hint}")
    profile = read_profile(args.profile, game)  # read with the parameters it may name
    return (
        with_params(game, args.param, args.game),
        with_params(profile, args.param, args.profile, game),
        args.game,
        args.profile,
    )


def game_header(game, game_name: str, profile_name: str | None = None) -> str:
    """``game 'title': NAME (N players, rational); profile: PROFILE``."""
    title = f" {game.title!r}" if game.title else ""
    kind = "symbolic" if game.is_symbolic else "rational"
    line = f"game{title}: {game_name} ({game.n_players} players, {kind})"
    return line if profile_name is None else f"{line}; profile: {profile_name}"


# -- verify's output (one-shot games, game trees, stochastic games) ----------------------


def steps_data(trace) -> list:
    """The ``steps`` of a ``verify --json`` result: each step's rule, relation and value."""
    return [{"rule": s.rule, "relation": s.relation, "value": str(s.value)} for s in trace.steps]


def _derivation_lines(trace) -> list:
    """The theorem's line and the derivation table of ``verify``'s text."""
    lines = [
        f"theorem: {trace.theorem}: {trace.conclusion.statement}; {trace.equality.statement}",
        "",
        "derivation  (each step: index, rule, relation and right side, exact value)",
        f"      {trace.steps[0].lhs}",
    ]
    return lines + table(
        [[f"{s.index}.", s.rule, f"{s.relation} {s.rhs}", f"= {s.value}"] for s in trace.steps]
    )


def witness(deviation) -> str:
    """A slack row's witness deviation: ``action -> better gains gain``, or ``-`` for none."""
    d = deviation
    return "-" if d is None else f"{d.action} -> {d.better} gains {d.gain}"


def _conclusion_line(trace, bound: str) -> str:
    """``conclusion: Σ_i POWER(i,σ) = … ≥ bound = …  (gap = …)`` of ``verify``'s text."""
    c = trace.conclusion
    return (
        f"conclusion: Σ_i POWER(i,σ) = {c.power_sum} ≥ {bound} = {c.bound}"
        f"  (gap = total slack = NashConv = {c.gap})"
    )


def _kernel_line(verdict) -> str:
    """``checked by the kernel: yes`` (or ``no: `` and the kernel's message on one line)."""
    return "checked by the kernel: " + ("yes" if verdict.ok else f"no: {one_line(verdict.message)}")


#: How ``verify`` prints a verdict that may depend on the parameters (``None``).
YES = {True: "yes", False: "no", None: "depends on the parameters"}


def equality_lines(equality, equilibrium: str, short: str) -> list:
    """``equality: yes; <equilibrium>: no`` and, when the trace has one, the equality
    condition on the parameters (``equality iff <short>``)."""
    lines = [f"equality: {YES[equality.holds]}; {equilibrium}: {YES[equality.is_equilibrium]}"]
    condition = getattr(equality, "condition", None)
    if condition is not None:
        lines.append(f"equality condition on the parameters (equality iff {short}): {condition}")
    return lines


def verify_text(trace, verdict, header: str, note: str, rows: list, bound: str, equality) -> str:
    """``verify``'s text: ``header``, the derivation, the slack table (``rows``, their head
    first; ``note`` says what a slack is), the conclusion against ``bound``, the lines
    ``equality`` (:func:`equality_lines`) and the kernel's verdict."""
    lines = [header, *_derivation_lines(trace), "", f"slack table  ({note})", *table(rows), ""]
    lines += [_conclusion_line(trace, bound), *equality, _kernel_line(verdict)]
    return "\n".join(lines) + "\n"


def write_trace(path: str, trace) -> None:
    """Write ``trace`` to ``path`` only if ``exactpower check`` can read it back: a trace over
    ``MAX_TRACE_BYTES``, or with a value the trace reader refuses (a literal over its digit
    limit, say), is refused with one line instead of being written uncheckable."""
    from proofs import ProofError, read_trace

    from ..errors import LimitError
    from ..limits import MAX_TRACE_BYTES

    text = trace.to_json()
    size = len(text.encode("utf-8"))
    if size > MAX_TRACE_BYTES:
        raise LimitError(
            f"{path}: the trace would be {size} bytes, over the limit "
            f"MAX_TRACE_BYTES = {MAX_TRACE_BYTES} that check reads: not written"
        )
    try:
        read_trace(text, path)
    except ProofError as exc:
        raise LimitError(
            f"{path}: the trace could not be read back by check ({exc}): not written"
        ) from None
    write_text(path, text)


def finish_verify(args, trace, verdict, report, text) -> int:
    """The end of ``verify``: ``--trace-out``, then the JSON ``report(trace, verdict)`` or the
    ``text(trace, verdict)``; exit 1 (with the kernel's message on stderr) when it rejects."""
    if args.trace_out:
        write_trace(args.trace_out, trace)
    if args.json:
        write_json(report(trace, verdict))
    else:
        sys.stdout.write(text(trace, verdict))
    if not verdict.ok:
        sys.stderr.write(
            f"exactpower: verify: rejected by the kernel: {one_line(verdict.message)}\n"
        )
        return 1
    return 0


# -- game classes (exhaust, conjecture) ---------------------------------------------------


def _bad(message: str):
    from ..errors import GameStructureError

    return GameStructureError(message)


def parse_counts(text: str, what: str):
    """``"2"`` -> 2; ``"1,2"`` -> (1, 2) per player; ``"1..2"`` -> range(1, 3).

    >>> parse_counts("1..2,1", "types")
    (range(1, 3), 1)
    """

    def one(item: str):
        lo, sep, hi = item.partition("..")
        try:
            if sep:
                if int(lo) > int(hi):
                    raise ValueError
                return range(int(lo), int(hi) + 1)
            return int(item)
        except ValueError:
            raise _bad(f"exhaust: --{what} {text!r}: expected counts like 2, 1,2 or 1..2") from None

    items = [one(s.strip()) for s in text.split(",")]
    return items[0] if len(items) == 1 else tuple(items)


def parse_values(text: str) -> tuple:
    """``"-1,0,1"``, ``"0..3"``, ``"1/2,1"`` -> the alphabet (strings and ints).

    >>> parse_values("0..2,5/2")
    (0, 1, 2, '5/2')
    """
    out: list[int | str] = []
    for item in (s.strip() for s in text.split(",")):
        lo, sep, hi = item.partition("..")
        if sep:
            try:
                out.extend(range(int(lo), int(hi) + 1))
            except ValueError:
                raise _bad(
                    f"exhaust: --values {text!r}: a range is two integers like 0..3"
                ) from None
        elif item:
            out.append(item)
        else:
            raise _bad(f"exhaust: --values {text!r}: empty value")
    return tuple(out)


def class_from_args(args, *, constraint: str, reward_sets: str = "any"):
    """The :class:`~exactpower.small.classes.GameClass` named by :func:`add_class_options`."""
    from ..small.classes import GameClass

    return GameClass(
        players=args.players,
        types=parse_counts(args.types, "types"),
        actions=parse_counts(args.actions, "actions"),
        values=parse_values(args.values),
        prior=args.prior,
        reward_form=args.reward_form,
        constraint=constraint,
        reward_sets=reward_sets,
        symmetries=()
        if args.symmetry == "none"
        else tuple(s.strip() for s in args.symmetry.split(",")),
    )


def add_class_options(p, *, values: str) -> None:
    """The options that describe a game class, shared by ``exhaust`` and ``conjecture``."""
    # Let "--values -1,0,1" (and "-1..1", "-1/2,1") read as a value, not an unknown option:
    # argparse only takes plain negative numbers such as "-1" for values by itself.
    p._negative_number_matcher = re.compile(r"^-\d[-\d,./]*$")
    p.add_argument("--players", type=int, default=2, metavar="N", help="players (default 2)")
    p.add_argument(
        "--types",
        default="1",
        metavar="T",
        help="types per player: 2, per player 1,2, or a range 1..2 (default 1)",
    )
    p.add_argument(
        "--actions", default="2", metavar="A", help="actions per player, like --types (default 2)"
    )
    p.add_argument(
        "--values",
        default=values,
        metavar="V",
        help=f"the reward alphabet: -1,0,1 or 0..3 or 1/2,1 (default {values})",
    )
    p.add_argument(
        "--prior",
        default="uniform",
        metavar="P",
        help="uniform, independent:M or joint:M (grid k/M; default uniform)",
    )
    p.add_argument(
        "--reward-form",
        default="general",
        choices=("general", "own-type"),
        help="r_i(t, a) or the article's r_i(t_i, a) (default general)",
    )
    p.add_argument(
        "--symmetry",
        default="actions,types,players",
        metavar="S",
        help="relabellings that identify games: a subset of actions,types,players, "
        "or none (default all)",
    )
