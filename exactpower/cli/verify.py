"""``exactpower verify [GAME] [--profile PROFILE | --equilibria] [--trace-out FILE] [--json]``.

Trace and check the power-scarcity theorem (or the general-sum identity) at
one profile, or at every equilibrium :func:`exactpower.equilibria` finds (JSON
adds ``method`` and ``complete``); without GAME, stripped-down poker at its
equilibrium (:mod:`exactpower.catalog`).  JSON: see :func:`verify_report`.
Exit 0 checked, 1 rejected by the kernel, 2 bad input.  The proof module is
imported inside the command.

>>> from exactpower.cli import main
>>> main(["verify", "no-such-game.json", "--profile", "uniform"])
2
"""

from __future__ import annotations

import json
import sys

from .common import (
    YES,
    UsageError,
    add_game,
    add_profile,
    equality_lines,
    finish_verify,
    game_and_profile,
    game_header,
    one_line,
    read_game,
    steps_data,
    verify_text,
    witness,
    write_json,
    write_trace,
)
from .trees import add_openspiel, tree_inputs, verify_tree

__all__ = [
    "NAME",
    "HELP",
    "DESCRIPTION",
    "arguments",
    "run",
    "verify_report",
    "verify_reports",
    "text",
]

NAME = "verify"
HELP = "trace the power-scarcity theorem for a profile and check the trace"
DESCRIPTION = (
    "Trace the power-scarcity theorem (or the general-sum identity when the game is "
    "not constant-sum) at one profile, step by step, and check the trace with the "
    "proof kernel.  Without GAME: stripped-down poker at its equilibrium.  Exit 0 "
    "checked, 1 rejected by the kernel, 2 bad input."
)


def arguments(p) -> None:
    """GAME (optional), ``--profile``, ``--equilibria``, ``--trace-out``."""
    add_game(p, optional=True)
    add_profile(p)
    add_openspiel(p)
    p.add_argument(
        "--equilibria",
        action="store_true",
        help="trace the theorem at every equilibrium found (exactpower equilibria)",
    )
    p.add_argument(
        "--trace-out",
        metavar="FILE",
        help="write the trace (game and profile embedded) as JSON to FILE; with "
        "--equilibria and several equilibria, to FILE-1.json, FILE-2.json, ...",
    )


def verify_report(trace, verdict) -> dict:
    """The JSON document of ``exactpower verify`` for one checked trace.

    Keys ``theorem``, ``constant`` (``null`` for the general-sum identity) and
    ``results``: one record with ``profile`` (the profile-v1 object),
    ``steps`` [{``rule``, ``relation``, ``value``}], ``power_sum``, ``slack``
    (the total slack ``Σ_i POWER − bound``, i.e. NashConv), ``is_equilibrium``,
    ``equality``, ``checked``, and for a symbolic game ``equality_condition``.
    Values are strings.
    """
    from ..io import dumps

    constant = None
    if trace.theorem == "power-scarcity":
        constant = str(trace.conclusion.bound)
    result = {
        "profile": json.loads(dumps(trace.profile)),
        "steps": steps_data(trace),
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
    return {
        "theorem": first["theorem"],
        "constant": first["constant"],
        "results": [r["results"][0] for r in reports],
    }


def text(trace, verdict, game_name: str, profile_name: str) -> str:
    """The text output for one checked trace: derivation, slack table, conclusion."""
    header = game_header(trace.game, game_name, profile_name)
    note = "slack = Ω_i(t_i)·regret; zero for every row iff equality"
    rows = [["player", "type", "slack", "zero", "witness deviation"]]
    rows += [
        [r.player, r.type, str(r.slack), YES[r.zero], witness(r.deviation)]
        for r in trace.equality.slacks
    ]
    bound = "c" if trace.theorem == "power-scarcity" else "W(σ)"
    equality = equality_lines(trace.equality, "BNE", "BNE")
    return verify_text(trace, verdict, header, note, rows, bound, equality)


def _trace_path(path: str, k: int, total: int) -> str:
    if total == 1:
        return path
    stem, dot, ext = path.rpartition(".")
    return f"{stem}-{k}.{ext}" if dot else f"{path}-{k}"


def _equilibrium_inputs(args):
    """The game, its display name and every equilibrium found (``--equilibria``)."""
    if args.profile is not None:
        raise UsageError("verify: give either --profile or --equilibria, not both")
    if args.game is None:
        if args.param:
            raise UsageError("verify: --param needs a GAME")
        from ..catalog import stripped_down_poker

        game, name = stripped_down_poker(), "built-in stripped-down poker"
    else:
        game, name = read_game(args.game, args.param), args.game
    from ..equilibria import equilibria

    return game, name, equilibria(game)


def _run_equilibria(args) -> int:
    import proofs

    game, game_name, found = _equilibrium_inputs(args)
    if not found.equilibria:
        raise UsageError(
            f"verify: {game_name}: no equilibrium found ({found.method}; {one_line(found.notes)})"
        )
    checked = []
    for k, eq in enumerate(found.equilibria, 1):
        trace = proofs.power_scarcity(game, eq.profile)
        checked.append((trace, proofs.check(trace)))
        if args.trace_out:
            write_trace(_trace_path(args.trace_out, k, len(found.equilibria)), trace)
    if args.json:
        doc = verify_reports(checked)
        doc.update(method=found.method, complete=found.complete)
        write_json(doc)
    else:
        sys.stdout.write(
            f"{len(found.equilibria)} equilibria ({found.method}; "
            f"{'complete' if found.complete else 'not provably complete'})\n\n"
        )
        for k, (trace, verdict) in enumerate(checked, 1):
            sys.stdout.write(text(trace, verdict, game_name, f"equilibrium {k}") + "\n")
    failed = [
        k
        for k, (trace, verdict) in enumerate(checked, 1)
        if not verdict.ok or trace.equality.holds is False
    ]
    if failed:
        sys.stderr.write(
            f"exactpower: verify: equilibria {failed} were rejected by the kernel "
            f"or showed no equality\n"
        )
        return 1
    return 0


def run(args) -> int:
    """Trace, check and print; exit 1 when the kernel rejects a trace."""
    import proofs

    from .stochastic import stochastic_inputs, verify_stochastic

    stochastic = stochastic_inputs(args, "verify")  # a stochastic-v1 game
    if stochastic is not None:
        return verify_stochastic(args, *stochastic)
    tree = tree_inputs(args, "verify")  # a game tree: .efg/tree-v1 or --openspiel
    if tree is not None:
        return verify_tree(args, *tree)
    if args.equilibria:
        return _run_equilibria(args)
    game, profile, game_name, profile_name = game_and_profile(
        args, "verify", "give --profile PROFILE or --equilibria"
    )
    trace = proofs.power_scarcity(game, profile)
    return finish_verify(
        args,
        trace,
        proofs.check(trace),
        verify_report,
        lambda t, v: text(t, v, game_name, profile_name),
    )
