"""Stochastic games on the command line of ``verify`` and ``latex``: input, tracing, printing.

A command's input is a stochastic game when GAME is a ``.json`` document whose ``format`` is
``exactpower/stochastic-v1``; PROFILE is then ``uniform`` or a stationary-v1 document.
``latex`` also takes a stored stochastic trace (``exactpower/stochastic-trace-v1``) as GAME,
re-checks it and renders it.  The trace is built by
:func:`proofs.stochastic_trace.stochastic_power_scarcity` and checked by
:func:`proofs.kernel.stochastic.check_stochastic`.  Nothing here computes a number of the game.

>>> from exactpower.cli import main
>>> main(["verify", "no-such-game.json", "--profile", "uniform"])
2
"""

from __future__ import annotations

from .common import (
    UNIFORM,
    YES,
    UsageError,
    equality_lines,
    finish_verify,
    steps_data,
    verify_text,
    witness,
)

__all__ = [
    "stochastic_inputs",
    "stochastic_trace",
    "stochastic_report",
    "verify_stochastic",
    "STOCHASTIC_TRACE_FORMAT",
]

STOCHASTIC_TRACE_FORMAT = "exactpower/stochastic-trace-v1"


def _format(path: str | None) -> str | None:
    if path is None or not path.lower().endswith(".json"):
        return None
    from ..io.stochastic_json import file_format

    return file_format(path)


def stochastic_inputs(args, command: str):
    """``(game, profile, game name, profile name)`` when GAME is a stochastic-v1 document,
    ``(trace, None, name, None)`` when it is a stochastic trace, else ``None``."""
    from ..io.stochastic_json import STOCHASTIC_FORMAT, load_stationary, load_stochastic

    fmt = _format(args.game)
    if fmt == STOCHASTIC_TRACE_FORMAT:
        from proofs import load_trace

        return load_trace(args.game), None, args.game, None
    if fmt != STOCHASTIC_FORMAT:
        return None
    if getattr(args, "equilibria", False):
        raise UsageError(f"{command}: {args.game}: --equilibria is for one-shot games")
    if args.param:
        raise UsageError(f"{command}: {args.game}: --param is not supported for stochastic games")
    if args.profile is None:
        raise UsageError(f"{command}: {args.game}: a profile is needed: give --profile PROFILE")
    from ..sequential.stochastic import StationaryProfile

    game = load_stochastic(args.game)
    if args.profile == UNIFORM:
        return game, StationaryProfile.uniform(game), args.game, args.profile
    return game, load_stationary(args.profile, game), args.game, args.profile


def stochastic_trace(game, profile) -> tuple:
    """``(trace, verdict)``: the trace of ``game`` at ``profile`` (or a stored trace when
    ``profile`` is ``None``), checked by the kernel."""
    from proofs.kernel.stochastic import check_stochastic
    from proofs.stochastic_trace import stochastic_power_scarcity

    trace = game if profile is None else stochastic_power_scarcity(game, profile)
    return trace, check_stochastic(trace)


def stochastic_report(trace, verdict) -> dict:
    """The JSON document of ``verify``: SPEC §5's keys, plus ``power`` per player,
    ``gamma`` and the slack rows with a positive slack (``[player, state]``)."""
    from ..io.stochastic_json import stationary_to_data

    c, eq = trace.conclusion, trace.equality
    first = trace.steps[0].premises["power"]
    result = {
        "profile": stationary_to_data(trace.profile),
        "steps": steps_data(trace),
        "power": {p: str(v) for p, v in first.items()},
        "power_sum": str(c.power_sum),
        "slack": str(c.gap),
        "is_equilibrium": eq.is_equilibrium,
        "equality": eq.holds,
        "positive_slack": [[r.player, r.state] for r in eq.slacks if not r.zero],
        "checked": verdict.ok,
    }
    constant = (
        str(trace.steps[4].premises["constant"]) if trace.theorem == "power-scarcity" else None
    )
    return {
        "theorem": trace.theorem,
        "constant": constant,
        "gamma": str(trace.game.gamma),
        "bound": str(c.bound),
        "results": [result],
    }


def _text(trace, verdict, game_name: str, profile_name: str) -> str:
    g = trace.game
    title = f" {g.title!r}" if g.title else ""
    header = (
        f"stochastic game{title}: {game_name} ({g.n_players} players, {g.n_states} states, "
        f"γ = {g.gamma}); profile: {profile_name}"
    )
    note = "states reached from μ; slack = ρ(s)·d_i(s); zero for every row iff equality"
    rows = [
        ["player", "state", "occupancy ρ(s)", "regret d_i(s)", "slack", "zero", "witness deviation"]
    ]
    rows += [
        [
            r.player,
            r.state,
            str(r.occupancy),
            str(r.regret),
            str(r.slack),
            YES[r.zero],
            witness(r.deviation),
        ]
        for r in trace.equality.slacks
    ]
    bound = "c/(1−γ)" if trace.theorem == "power-scarcity" else "W(σ)"
    equality = equality_lines(trace.equality, "Nash equilibrium from μ", "Nash")
    return verify_text(trace, verdict, header, note, rows, bound, equality)


def verify_stochastic(args, game, profile, game_name: str, profile_name: str | None) -> int:
    """``verify`` on a stochastic game: trace, check, print; exit 1 when the kernel rejects."""
    if profile is None:
        raise UsageError(
            f"verify: {game_name}: a stochastic trace is checked by 'exactpower check'"
        )
    trace, verdict = stochastic_trace(game, profile)
    return finish_verify(
        args,
        trace,
        verdict,
        stochastic_report,
        lambda t, v: _text(t, v, game_name, profile_name or ""),
    )
