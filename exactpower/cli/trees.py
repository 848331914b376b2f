"""Game trees on the command line of ``verify`` and ``latex``: input, tracing, printing.

A command's input is a game tree as :mod:`exactpower.cli.tree_input` decides
(``--openspiel NAME``, a tree-v1 ``.json`` document, or a Gambit ``.efg`` file that is not
of the Bayesian shape the one-shot reader takes); PROFILE is then ``uniform`` or a
behaviour-v1 document.  The trace is built by
:func:`proofs.tree_trace.tree_power_scarcity` and checked by
:func:`proofs.kernel.tree.check_tree`.  Nothing here computes a number of the game.

>>> from exactpower.cli import main
>>> main(["verify", "--openspiel", "kuhn_poker", "--equilibria"])
2
"""

from __future__ import annotations

import sys

from ..errors import LimitError
from .common import UsageError, game_header, one_line, table, write_json, write_text
from .tree_input import (
    add_tree_options,
    is_tree_input,
    read_behaviour,
    read_tree_input,
    tree_name,
)

__all__ = ["add_openspiel", "tree_inputs", "tree_trace", "verify_tree", "tree_report"]

_YES = {True: "yes", False: "no", None: "depends on the parameters"}


def add_openspiel(p) -> None:
    """``--openspiel NAME`` and ``--openspiel-param`` (:mod:`exactpower.cli.tree_input`)."""
    add_tree_options(p)


def tree_inputs(args, command: str):
    """``(game, profile, game name, profile name)`` when the input is a game tree
    (:func:`exactpower.cli.tree_input.is_tree_input`), else ``None`` (the one-shot path)."""
    if not is_tree_input(args):
        return None
    if getattr(args, "equilibria", False):
        raise UsageError(
            f"{command}: {tree_name(args)}: --equilibria is for one-shot games, not trees"
        )
    game = read_tree_input(args, command)
    profile = read_behaviour(args, game, command)
    return game, profile, tree_name(args), args.profile


def tree_trace(game, profile) -> tuple:
    """``(trace, verdict)``: the tree trace of ``game`` at ``profile``, checked."""
    from proofs.kernel.tree import check_tree
    from proofs.tree_trace import tree_power_scarcity

    trace = tree_power_scarcity(game, profile)
    return trace, check_tree(trace)


def tree_report(trace, verdict) -> dict:
    """The JSON document of ``verify`` for a tree trace: SPEC §5's keys where they apply."""
    from ..io.tree_json import behaviour_to_data

    c, eq = trace.conclusion, trace.equality
    result = {
        "profile": behaviour_to_data(trace.profile),
        "steps": [
            {"rule": s.rule, "relation": s.relation, "value": str(s.value)} for s in trace.steps
        ],
        "power_sum": str(c.power_sum),
        "slack": str(c.gap),
        "is_equilibrium": eq.is_equilibrium,
        "equality": eq.holds,
        "positive_slack": [[r.player, r.infoset] for r in eq.slacks if r.zero is False],
        "checked": verdict.ok,
    }
    if eq.condition is not None:
        result["equality_condition"] = eq.condition
    constant = str(c.bound) if trace.theorem == "power-scarcity" else None
    return {"theorem": trace.theorem, "constant": constant, "results": [result]}


def _text(trace, verdict, game_name: str, profile_name: str) -> str:
    c, eq = trace.conclusion, trace.equality
    lines = [
        game_header(trace.game, game_name, profile_name).replace("game", "game tree", 1),
        f"theorem: {trace.theorem}: {c.statement}; {eq.statement}",
        "",
        "derivation  (each step: index, rule, relation and right side, exact value)",
        f"      {trace.steps[0].lhs}",
    ]
    lines += table(
        [[f"{s.index}.", s.rule, f"{s.relation} {s.rhs}", f"= {s.value}"] for s in trace.steps]
    )
    rows = [["player", "information set", "own reach", "slack", "zero", "witness deviation"]]
    for r in eq.slacks:
        d = r.deviation
        rows.append(
            [
                r.player,
                r.infoset,
                str(r.reach),
                str(r.slack),
                _YES[r.zero],
                "-" if d is None else f"{d.action} -> {d.better} gains {d.gain}",
            ]
        )
    lines += [
        "",
        "slack table  (slack = π_i(I)·(V(I) − σ-mean of q(I,·)); zero for every row iff equality)",
    ]
    lines += table(rows) + [""]
    bound = "c" if trace.theorem == "power-scarcity" else "W(σ)"
    lines += [
        f"conclusion: Σ_i POWER(i,σ) = {c.power_sum} ≥ {bound} = {c.bound}"
        f"  (gap = total slack = NashConv = {c.gap})",
        f"equality: {_YES[eq.holds]}; Nash equilibrium: {_YES[eq.is_equilibrium]}",
    ]
    if eq.condition is not None:
        lines.append(f"equality condition on the parameters (equality iff Nash): {eq.condition}")
    lines.append(
        "checked by the kernel: " + ("yes" if verdict.ok else f"no: {one_line(verdict.message)}")
    )
    return "\n".join(lines) + "\n"


def _write_trace(path: str, trace) -> None:
    """Write the trace only if ``exactpower check`` reads it back (as ``verify`` does)."""
    from proofs import ProofError, read_trace

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


def verify_tree(args, game, profile, game_name: str, profile_name: str) -> int:
    """``verify`` on a game tree: trace, check, print; exit 1 when the kernel rejects."""
    trace, verdict = tree_trace(game, profile)
    if args.trace_out:
        _write_trace(args.trace_out, trace)
    if args.json:
        write_json(tree_report(trace, verdict))
    else:
        sys.stdout.write(_text(trace, verdict, game_name, profile_name))
    if not verdict.ok:
        sys.stderr.write(
            f"exactpower: verify: rejected by the kernel: {one_line(verdict.message)}\n"
        )
        return 1
    return 0
