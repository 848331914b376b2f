"""The command line: ``exactpower COMMAND ...`` (also ``python -m exactpower``), SPEC §5.

Exit status: 0 success; 1 a check found a violation (commands that check);
2 bad input or usage, with one line on stderr,
``exactpower: error: <file>: <place>: <problem>`` -- never a traceback.

Commands register themselves in :func:`build_parser` (one ``_add_*`` function
each, setting ``func`` to a callable ``(args) -> int``).

``exactpower power GAME --profile PROFILE [--json]``
    Interim utilities, POWER per player, their sum, welfare, regrets,
    NashConv, whether the profile is a BNE, and the constant of a
    constant-sum game.  JSON keys: ``players``, ``power``, ``power_sum``,
    ``welfare``, ``interim``, ``regret``, ``nash_conv``, ``is_equilibrium``,
    ``constant_sum``; values are strings (``str`` of the sympy value), and
    ``null`` for types of prior probability 0.  ``is_equilibrium`` is
    ``null`` for a symbolic game where it depends on the parameters (where
    :func:`exactpower.is_bayesian_nash` raises ``UndecidedError``).

``exactpower verify [GAME] [--profile PROFILE | --equilibria] [--trace-out FILE] [--json]``
    Trace and check the power-scarcity theorem (or the general-sum identity)
    at one profile, or at every equilibrium :func:`exactpower.equilibria`
    finds (JSON adds ``method`` and ``complete``); without GAME, stripped-down
    poker at its equilibrium (:mod:`exactpower.catalog`).  JSON: see :func:`verify_report`.  Exit 0
    checked, 1 rejected by the kernel, 2 bad input.

``exactpower check TRACE [--json]``
    Re-check a stored trace with the kernel: exit 0 valid, 1 rejected (the
    kernel's message on stderr), 2 unreadable.

The proof module is imported lazily, inside the commands that use it.

>>> main(["power", "no-such-game.json", "--profile", "p.json"])
2
"""

from __future__ import annotations

import argparse
import json
import sys

import sympy

from . import __version__
from .constant_sum import constant_sum
from .contraction import interim_table
from .errors import GameError
from .files import load_game, load_profile
from .power import power_from_table
from .utility import interim_rows, welfare
from .values import exact_max, tidy

__all__ = ["main", "build_parser", "power_report", "verify_report"]


class UsageError(Exception):
    """A command line that argparse refused; the message is one line."""


class _Parser(argparse.ArgumentParser):
    """An ArgumentParser that reports usage errors as one line (exit 2)."""

    def error(self, message):  # noqa: D102 - argparse hook
        command = self.prog.removeprefix("exactpower").strip()
        raise UsageError(f"{command + ': ' if command else ''}{message} (see 'exactpower --help')")


def _one_line(text: str) -> str:
    return " ".join(str(text).split("\n"))


# -- power ---------------------------------------------------------------------------

def _regret(game, profile, i, k, row, probs):
    best = exact_max(row, probs)
    played = sympy.Integer(0)
    for a, value in enumerate(row):
        played += profile.probability(i, k, a) * value
    return best, tidy(best - played)


def _equal(x, y) -> bool:
    if isinstance(x, sympy.Rational) and isinstance(y, sympy.Rational):
        return x == y
    return sympy.cancel(x - y) == 0


def power_report(game, profile) -> dict:
    """Everything ``exactpower power`` prints, as exact sympy values.

    One interim table ``F_i`` per player serves the interim utilities, POWER
    and the regrets.  Keys as in the JSON output, plus ``best`` (the actions
    attaining each row's maximum, when it can be decided).

    >>> from exactpower import BayesianGame, StrategyProfile
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> r = power_report(g, StrategyProfile.from_dict(g, {"1": "0", "2": "0"}))
    >>> r["power"], r["nash_conv"], r["is_equilibrium"], r["constant_sum"]
    ({'1': 1, '2': 1}, 2, False, 0)
    """
    probs = game.probability_symbols
    report = {"players": [p.name for p in game.players], "power": {}, "interim": {},
              "regret": {}, "best": {}}
    nash_conv = sympy.Integer(0)
    for i, p in enumerate(game.players):
        table = interim_table(game, profile, i)
        rows = interim_rows(game, i, table)
        report["power"][p.name] = power_from_table(game, i, table)
        interim, regrets, best = {}, {}, {}
        for k, (t, row) in enumerate(zip(p.types, rows)):
            if row is None:
                interim[t] = dict.fromkeys(p.actions)
                regrets[t] = best[t] = None
                continue
            interim[t] = dict(zip(p.actions, row))
            top, regrets[t] = _regret(game, profile, i, k, row, probs)
            best[t] = (None if isinstance(top, sympy.Max)
                       else tuple(a for a, v in zip(p.actions, row) if _equal(v, top)))
            nash_conv += game.marginal(i, k) * regrets[t]
        report["interim"][p.name], report["regret"][p.name] = interim, regrets
        report["best"][p.name] = best
    total = sympy.Integer(0)
    for v in report["power"].values():
        total += v
    report["power_sum"] = total
    report["welfare"] = welfare(game, profile)
    report["nash_conv"] = nash_conv = tidy(nash_conv)
    if nash_conv == 0:
        report["is_equilibrium"] = True
    elif isinstance(nash_conv, sympy.Rational) or nash_conv.is_positive:
        report["is_equilibrium"] = False
    else:
        report["is_equilibrium"] = None
    report["constant_sum"] = constant_sum(game).constant
    return report


def _strings(value):
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_strings(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    return str(value)


_JSON_KEYS = ("players", "power", "power_sum", "welfare", "interim", "regret", "nash_conv",
              "is_equilibrium", "constant_sum")


def _table(rows: list) -> list:
    widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
    return ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]


def _text_report(game, report: dict, game_name: str, profile_name: str) -> str:
    title = f" {game.title!r}" if game.title else ""
    kind = "symbolic" if game.is_symbolic else "rational"
    lines = [f"game{title}: {game_name} ({game.n_players} players, {kind}); "
             f"profile: {profile_name}", "",
             "interim expected utility f_i(t_i, a, sigma_-i)  (* = best response)"]
    for i, p in enumerate(game.players):
        rows = [["player", "type", "P(type)", *p.actions, "regret"]]
        for k, t in enumerate(p.types):
            best = report["best"][p.name][t] or ()
            cells = [("-" if v is None else str(v)) + ("*" if a in best else "")
                     for a, v in report["interim"][p.name][t].items()]
            regret = report["regret"][p.name][t]
            rows.append([p.name, t, str(game.marginal(i, k)), *cells,
                         "-" if regret is None else str(regret)])
        lines += _table(rows) + [""]
    verdict = {True: "yes", False: "no", None: "undecided (depends on the parameters)"}
    c = report["constant_sum"]
    summary = [["POWER " + name, str(v)] for name, v in report["power"].items()]
    summary += [["sum of POWER", str(report["power_sum"])],
                ["welfare", str(report["welfare"])],
                ["NashConv", str(report["nash_conv"])],
                ["BNE", verdict[report["is_equilibrium"]]],
                ["constant sum", "not constant-sum" if c is None else str(c)]]
    return "\n".join(lines + _table(summary)) + "\n"


def _run_power(args) -> int:
    game = load_game(args.game)
    profile = load_profile(args.profile, game)
    report = power_report(game, profile)
    if args.json:
        out = {k: _strings(report[k]) for k in _JSON_KEYS}
        sys.stdout.write(json.dumps(out, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text_report(game, report, args.game, args.profile))
    return 0


def _add_power(commands) -> None:
    p = commands.add_parser(
        "power", help="POWER, interim utilities, regrets and NashConv of a profile",
        description="Interim utilities, POWER per player, their sum, welfare, regrets, "
                    "NashConv, whether the profile is a Bayesian Nash equilibrium, and the "
                    "constant of a constant-sum game.")
    p.add_argument("game", metavar="GAME", help="game file (exactpower/game-v1 JSON)")
    p.add_argument("--profile", required=True, metavar="PROFILE",
                   help="strategy profile file (exactpower/profile-v1 JSON)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_run_power)


# -- verify and check (the proof module, imported lazily) ------------------------------

def _verify_inputs(args):
    """The game, the profile and their display names of ``exactpower verify``."""
    if args.game is None:
        if args.profile is not None:
            raise UsageError("verify: --profile needs a GAME (without GAME the built-in "
                             "example is used)")
        from .catalog import stripped_down_poker, stripped_down_poker_equilibrium

        game = stripped_down_poker()
        return (game, stripped_down_poker_equilibrium(game),
                "built-in stripped-down poker", "its equilibrium")
    game = load_game(args.game)
    if args.profile is None:
        raise UsageError(f"verify: {args.game}: a profile is needed: give --profile PROFILE "
                         f"or --equilibria")
    return game, load_profile(args.profile, game), args.game, args.profile


def _equilibrium_inputs(args):
    """The game and every equilibrium found, for ``exactpower verify --equilibria``."""
    if args.profile is not None:
        raise UsageError("verify: give either --profile or --equilibria, not both")
    if args.game is None:
        from .catalog import stripped_down_poker

        game, name = stripped_down_poker(), "built-in stripped-down poker"
    else:
        game, name = load_game(args.game), args.game
    from .equilibria import equilibria

    found = equilibria(game)
    return game, name, found


def verify_report(trace, verdict) -> dict:
    """The JSON document of ``exactpower verify`` (SPEC §5) for one checked trace.

    Keys ``theorem``, ``constant`` (``null`` for the general-sum identity) and
    ``results``: one record with ``profile`` (the profile-v1 object),
    ``steps`` [{``rule``, ``relation``, ``value``}], ``power_sum``, ``slack``
    (the total slack ``Σ_i POWER − bound``, i.e. NashConv), ``is_equilibrium``,
    ``equality``, ``checked``, and for a symbolic game ``equality_condition``.
    Values are strings.
    """
    from .files import dumps

    constant = None
    if trace.theorem == "power-scarcity":
        constant = str(trace.conclusion.bound)
    result = {
        "profile": json.loads(dumps(trace.profile)),
        "steps": [{"rule": s.rule, "relation": s.relation, "value": str(s.value)}
                  for s in trace.steps],
        "power_sum": str(trace.conclusion.power_sum),
        "slack": str(trace.conclusion.gap),
        "is_equilibrium": trace.equality.is_equilibrium,
        "equality": trace.equality.holds,
        "checked": verdict.ok,
    }
    if trace.game.is_symbolic:
        result["equality_condition"] = trace.equality.condition
    return {"theorem": trace.theorem, "constant": constant, "results": [result]}


def verify_reports(checked: list) -> dict:
    """:func:`verify_report` for several ``(trace, verdict)`` pairs of one game: one result each."""
    reports = [verify_report(trace, verdict) for trace, verdict in checked]
    first = reports[0]
    return {"theorem": first["theorem"], "constant": first["constant"],
            "results": [r["results"][0] for r in reports]}


_YES = {True: "yes", False: "no", None: "depends on the parameters"}


def _text_verify(trace, verdict, game_name: str, profile_name: str) -> str:
    game = trace.game
    title = f" {game.title!r}" if game.title else ""
    kind = "symbolic" if game.is_symbolic else "rational"
    c = trace.conclusion
    lines = [f"game{title}: {game_name} ({game.n_players} players, {kind}); "
             f"profile: {profile_name}",
             f"theorem: {trace.theorem}: {c.statement}; {trace.equality.statement}", "",
             "derivation  (each step: index, rule, relation and right side, exact value)",
             f"      {trace.steps[0].lhs}"]
    lines += _table([[f"{s.index}.", s.rule, f"{s.relation} {s.rhs}", f"= {s.value}"]
                     for s in trace.steps])
    lines += ["", "slack table  (slack = Ω_i(t_i)·regret; zero for every row iff equality)"]
    rows = [["player", "type", "slack", "zero", "witness deviation"]]
    for r in trace.equality.slacks:
        d = r.deviation
        rows.append([r.player, r.type, str(r.slack), _YES[r.zero],
                     "-" if d is None else f"{d.action} -> {d.better} gains {d.gain}"])
    lines += _table(rows) + [""]
    bound = "c" if trace.theorem == "power-scarcity" else "W(σ)"
    lines += [f"conclusion: Σ_i POWER(i,σ) = {c.power_sum} ≥ {bound} = {c.bound}"
              f"  (gap = total slack = NashConv = {c.gap})",
              f"equality: {_YES[trace.equality.holds]}; "
              f"BNE: {_YES[trace.equality.is_equilibrium]}"]
    if trace.equality.condition is not None:
        lines.append(f"equality condition on the parameters (equality iff BNE): "
                     f"{trace.equality.condition}")
    lines.append("checked by the kernel: " + ("yes" if verdict.ok else
                                               f"no: {_one_line(verdict.message)}"))
    return "\n".join(lines) + "\n"


def _trace_path(path: str, k: int, total: int) -> str:
    if total == 1:
        return path
    stem, dot, ext = path.rpartition(".")
    return f"{stem}-{k}.{ext}" if dot else f"{path}-{k}"


def _run_verify_equilibria(args) -> int:
    import proofs

    game, game_name, found = _equilibrium_inputs(args)
    if not found.equilibria:
        raise UsageError(f"verify: {game_name}: no equilibrium found ({found.method}; "
                         f"{_one_line(found.notes)})")
    checked = []
    for k, eq in enumerate(found.equilibria, 1):
        trace = proofs.power_scarcity(game, eq.profile)
        checked.append((trace, proofs.check(trace)))
        if args.trace_out:
            with open(_trace_path(args.trace_out, k, len(found.equilibria)), "w",
                      encoding="utf-8") as out:
                out.write(trace.to_json())
    if args.json:
        doc = verify_reports(checked)
        doc.update(method=found.method, complete=found.complete)
        sys.stdout.write(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(f"{len(found.equilibria)} equilibria ({found.method}; "
                         f"{'complete' if found.complete else 'not provably complete'})\n\n")
        for k, (trace, verdict) in enumerate(checked, 1):
            sys.stdout.write(_text_verify(trace, verdict, game_name, f"equilibrium {k}") + "\n")
    failed = [k for k, (trace, verdict) in enumerate(checked, 1)
              if not verdict.ok or trace.equality.holds is False]
    if failed:
        sys.stderr.write(f"exactpower: verify: equilibria {failed} were rejected by the kernel "
                         f"or showed no equality\n")
        return 1
    return 0


def _run_verify(args) -> int:
    import proofs

    if args.equilibria:
        return _run_verify_equilibria(args)
    game, profile, game_name, profile_name = _verify_inputs(args)
    trace = proofs.power_scarcity(game, profile)
    verdict = proofs.check(trace)
    if args.trace_out:
        with open(args.trace_out, "w", encoding="utf-8") as out:
            out.write(trace.to_json())
    if args.json:
        sys.stdout.write(json.dumps(verify_report(trace, verdict), indent=2,
                                    ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(_text_verify(trace, verdict, game_name, profile_name))
    if not verdict.ok:
        sys.stderr.write(f"exactpower: verify: rejected by the kernel: "
                         f"{_one_line(verdict.message)}\n")
        return 1
    return 0


def _add_verify(commands) -> None:
    p = commands.add_parser(
        "verify", help="trace the power-scarcity theorem for a profile and check the trace",
        description="Trace the power-scarcity theorem (or the general-sum identity when the "
                    "game is not constant-sum) at one profile, step by step, and check the "
                    "trace with the proof kernel.  Without GAME: stripped-down poker at its "
                    "equilibrium.  Exit 0 checked, 1 rejected by the kernel, 2 bad input.")
    p.add_argument("game", nargs="?", metavar="GAME",
                   help="game file (exactpower/game-v1 JSON); omitted: the built-in example")
    p.add_argument("--profile", metavar="PROFILE",
                   help="strategy profile file (exactpower/profile-v1 JSON); needed with GAME")
    p.add_argument("--equilibria", action="store_true",
                   help="trace the theorem at every equilibrium found (exactpower equilibria)")
    p.add_argument("--trace-out", metavar="FILE",
                   help="write the trace (game and profile embedded) as JSON to FILE; with "
                        "--equilibria and several equilibria, to FILE-1.json, FILE-2.json, ...")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_run_verify)


def _run_check(args) -> int:
    from proofs import Trace, check

    try:
        with open(args.trace, "rb") as f:
            raw = f.read()
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise GameError(f"{args.trace}: not a trace: not UTF-8 text") from None
    try:
        trace = Trace.from_json(text)
    except GameError as exc:
        raise GameError(f"{args.trace}: {exc}") from None
    except Exception as exc:  # anything else unreadable: exit 2, never a traceback
        raise GameError(f"{args.trace}: not a trace ({type(exc).__name__}: {exc})") from None
    verdict = check(trace)
    message = _one_line(verdict.message)
    if args.json:
        sys.stdout.write(json.dumps({"valid": verdict.ok, "theorem": trace.theorem,
                                     "message": message, "step": verdict.step,
                                     "rule": verdict.rule}, indent=2,
                                    ensure_ascii=False) + "\n")
    elif verdict.ok:
        sys.stdout.write(message + "\n")
    if not verdict.ok:
        sys.stderr.write(f"exactpower: check: {args.trace}: rejected: {message}\n")
        return 1
    return 0


def _add_check(commands) -> None:
    p = commands.add_parser(
        "check", help="re-check a stored trace with the proof kernel",
        description="Re-check a stored trace (exactpower/trace-v1 JSON) with the proof "
                    "kernel: exit 0 valid, 1 rejected (the kernel's message on stderr), "
                    "2 unreadable.")
    p.add_argument("trace", metavar="TRACE", help="trace file (exactpower/trace-v1 JSON)")
    p.add_argument("--json", action="store_true", help="machine-readable output on stdout")
    p.set_defaults(func=_run_check)


# -- entry point ---------------------------------------------------------------------

def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = _Parser(prog="exactpower",
                     description="Exact multi-agent POWER in finite Bayesian games.")
    parser.add_argument("--version", action="version", version=f"exactpower {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    _add_power(commands)
    _add_verify(commands)
    _add_check(commands)
    from . import cli_shape; cli_shape.add(commands)  # noqa: E702
    from . import cli_latex; cli_latex.add(commands)  # noqa: E702
    from . import cli_equilibria; cli_equilibria.add(commands)  # noqa: E702
    from . import cli_exhaust; cli_exhaust.add(commands)  # noqa: E702
    from . import cli_convert; cli_convert.add(commands)  # noqa: E702
    from . import cli_conjecture; cli_conjecture.add(commands)  # noqa: E702
    return parser


def main(argv=None) -> int:
    """Run the command line; return the exit status (0, 1 or 2)."""
    try:
        args = build_parser().parse_args(argv)
        return args.func(args)
    except SystemExit as e:  # --help, --version
        return e.code if isinstance(e.code, int) else 0
    except UsageError as e:
        message = str(e)
    except GameError as e:
        message = str(e)
    except OSError as e:
        name = e.filename if e.filename is not None else "<file>"
        message = f"{name}: cannot read: {e.strerror or e}"
    except (RecursionError, MemoryError) as e:
        message = f"input too large or too deeply nested ({type(e).__name__})"
    sys.stderr.write(f"exactpower: error: {_one_line(message)}\n")
    return 2
