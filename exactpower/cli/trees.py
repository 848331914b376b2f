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

from .common import (
    YES,
    UsageError,
    equality_lines,
    finish_verify,
    game_header,
    steps_data,
    verify_text,
    witness,
)
from .tree_input import (
    add_tree_options,
    is_tree_input,
    read_behaviour,
    read_tree_input,
    tree_name,
)

__all__ = ["add_openspiel", "tree_inputs", "tree_trace", "verify_tree", "tree_report"]


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
        "steps": steps_data(trace),
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
    header = game_header(trace.game, game_name, profile_name).replace("game", "game tree", 1)
    note = "slack = π_i(I)·(V(I) − σ-mean of q(I,·)); zero for every row iff equality"
    rows = [["player", "information set", "own reach", "slack", "zero", "witness deviation"]]
    rows += [
        [r.player, r.infoset, str(r.reach), str(r.slack), YES[r.zero], witness(r.deviation)]
        for r in trace.equality.slacks
    ]
    bound = "c" if trace.theorem == "power-scarcity" else "W(σ)"
    equality = equality_lines(trace.equality, "Nash equilibrium", "Nash")
    return verify_text(trace, verdict, header, note, rows, bound, equality)


def verify_tree(args, game, profile, game_name: str, profile_name: str) -> int:
    """``verify`` on a game tree: trace, check, print; exit 1 when the kernel rejects."""
    trace, verdict = tree_trace(game, profile)
    return finish_verify(
        args, trace, verdict, tree_report, lambda t, v: _text(t, v, game_name, profile_name)
    )
