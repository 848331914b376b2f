r"""LaTeX rendering of kernel-checked tree traces: :func:`tree_to_latex`.

The document (the preamble of :mod:`proofs.latex`: standard packages, ``pdflatex``) has
six sections: the game tree (players, parameters, every leaf with its payoffs and the
probability ``π_σ(z)`` that σ reaches it); the profile (σ at every information set); the
best-response certificates (per player and information set: the own reach ``π_i(I)``, the
value ``q(I, a)`` of every action with the certificate's choice in bold, ``V(I)``, the
σ-mean and the slack; then ``POWER(i, σ)``); the derivation (one ``align*`` line per step);
the equality condition (the information sets with positive slack and their witness
deviations, and the condition on the parameters of a symbolic game or profile); the
conclusion.  Only a trace the kernel accepts is rendered; every value shown comes from the
trace's premises, which the kernel re-derived.  User text goes through
:func:`proofs.latex.escape`; the output is deterministic.

>>> from exactpower.sequential import BehaviourProfile, catalog
>>> from proofs.tree_trace import tree_power_scarcity
>>> g = catalog.matching_pennies()
>>> doc = tree_to_latex(tree_power_scarcity(g, BehaviourProfile.uniform(g)))
>>> doc.splitlines()[0], "reach-expectation" in doc
('\\documentclass[11pt]{article}', True)
"""

from __future__ import annotations

from .kernel.tree import check_tree
from .latex import (
    POWER_SUM_LATEX,
    checked_document,
    condition_latex,
    escape,
    inline_value,
    short_conclusion,
    witness_latex,
)
from .latex_tables import centered, table
from .latex_text import latex_value, math_value, text_name
from .tree_trace import TreeTrace

__all__ = ["TREE_RHS_LATEX", "tree_to_latex"]

#: The LaTeX form of each claim string of :data:`proofs.kernel.tree_records.TREE_NOTATION`.
TREE_RHS_LATEX = {
    "Σ_i POWER(i,σ)": POWER_SUM_LATEX,
    "Σ_i v_i(β_i,σ_-i)": r"\sum\nolimits_i v_i(\beta_i,\sigma_{-i})",
    "Σ_i u_i(σ)": r"\sum\nolimits_i u_i(\sigma)",
    "Σ_i Σ_z π_σ(z)·u_i(z)": r"\sum\nolimits_i \sum\nolimits_z \pi_\sigma(z)\, u_i(z)",
    "Σ_z π_σ(z)·Σ_i u_i(z)": r"\sum\nolimits_z \pi_\sigma(z) \sum\nolimits_i u_i(z)",
    "Σ_z π_σ(z)·c": r"\sum\nolimits_z \pi_\sigma(z)\, c",
    "c": "c",
    "W(σ) + NashConv(σ)": r"W(\sigma) + \operatorname{NashConv}(\sigma)",
}
_RELATIONS = {"=": "=", "≥": r"\ge"}
_YES = {True: "yes", False: "no", None: "depends on the parameters"}


def _path(path: str) -> str:
    return r"\texttt{" + escape(path) + "}"


def _parameters(label: str, parameters) -> str:
    listed = ", ".join(f"${latex_value(p.symbol)}$ ({escape(p.domain)})" for p in parameters)
    return f"{label}: {listed}."


def _game_section(trace: TreeTrace) -> list:
    game = trace.game
    leaves = game.terminals()
    reach = trace.steps[2].premises["reach"]
    out = [
        r"\section{The game tree}",
        f"Players: {', '.join(escape(p) for p in game.players)}. "
        f"The tree has {len(game.nodes)} nodes, {len(leaves)} leaves and "
        f"{sum(1 for s in game.infosets if s.player is not None)} information sets of the "
        "players (perfect recall was checked when the tree was built).",
    ]
    if game.parameters:
        out.append(_parameters("Parameters", game.parameters))
    if trace.theorem == "power-scarcity":
        out.append(f"At every leaf the payoffs sum to $c = {math_value(trace.conclusion.bound)}$.")
    else:
        out.append("The payoffs do not sum to one constant at every leaf (general sum).")
    rows = [
        [
            _path(game.nodes[z].path),
            ", ".join(inline_value(v) for v in game.nodes[z].payoffs or ()),
            inline_value(reach[game.nodes[z].path]),
        ]
        for z in leaves
    ]
    head = ["leaf $z$", r"$u(z)$", r"$\pi_\sigma(z)$"]
    out.append(centered(*table("lll", head, rows)))
    return out


def _profile_section(trace: TreeTrace) -> list:
    game, profile = trace.game, trace.profile
    out = [r"\section{The profile}"]
    if profile.parameters:
        out.append(_parameters("Strategy parameters", profile.parameters))
    rows = [
        [
            escape(game.players[s.player]),
            escape(s.name),
            ", ".join(
                f"{escape(a)}: {inline_value(v)}"
                for a, v in zip(s.actions, profile.probabilities[k])
            ),
        ]
        for k, s in enumerate(game.infosets)
        if s.player is not None
    ]
    out.append(centered(*table("lll", ["player", "information set $I$", r"$\sigma(I)$"], rows)))
    return out


def _certificate_section(trace: TreeTrace) -> list:
    certs = trace.steps[0].premises["certificates"]
    terms = trace.steps[1].premises["terms"]
    power = trace.steps[0].premises["power"]
    out = [
        r"\section{Best-response certificates}",
        r"For each information set $I$ of player $i$: $q(I,a)$ is the value of action $a$ "
        r"(leaves below weighted by $\pi_{-i}$, the certificate $\beta_i$ followed at later "
        r"sets), the certificate's choice in bold ($V(I)$ is the maximum where the best "
        r"action depends on the parameters); $\pi_i(I)$ is the player's own reach and the "
        r"slack is $\pi_i(I)\,(V(I) - \sum_a \sigma(I,a)\,q(I,a)) \ge 0$.",
    ]
    for player, sets in certs.items():
        rows = []
        for term in (t for t in terms if t["player"] == player):
            cert = sets[term["infoset"]]
            values = [
                (r"\textbf{" if a == cert["action"] else "{")
                + escape(a)
                + ": "
                + inline_value(v)
                + "}"
                for a, v in cert["values"].items()
            ]
            rows.append(
                [
                    escape(term["infoset"]),
                    inline_value(term["reach"]),
                    ", ".join(values),
                    inline_value(term["max"]),
                    inline_value(term["mean"]),
                    inline_value(term["slack"]),
                ]
            )
        head = ["$I$", r"$\pi_i(I)$", "$q(I,a)$", "$V(I)$", "mean", "slack"]
        out.append(f"Player {escape(player)}:")
        out.append(centered(*table("llllll", head, rows)))
        out.append(
            f"$\\operatorname{{POWER}}({text_name(player)},\\sigma) = {math_value(power[player])}$."
        )
    return out


def _derivation_section(trace: TreeTrace) -> list:
    lines = [f"{POWER_SUM_LATEX} \\\\"]
    for s in trace.steps:
        rel = _RELATIONS[s.relation]
        lhs = TREE_RHS_LATEX[s.lhs] + " " if s.rule == "slack-sum" else ""
        lines.append(
            f"{lhs}&{rel} {TREE_RHS_LATEX[s.rhs]} = {math_value(s.value)}"
            f" \\tag*{{\\text{{({s.index}) \\rulename{{{s.rule}}}}}}}"
        )
    body = " \\\\\n".join(lines[1:])
    return [
        r"\clearpage",
        r"\section{The derivation}",
        f"$\\beta_i$ is player $i$'s certificate, $\\pi_\\sigma(z)$ the probability of "
        f"leaf $z$.\n\\begin{{align*}}\n& {lines[0]}\n{body}\n\\end{{align*}}",
    ]


def _equality_section(trace: TreeTrace) -> list:
    eq = trace.equality
    rows = [
        [
            escape(r.player),
            escape(r.infoset),
            inline_value(r.slack),
            _YES[r.zero],
            witness_latex(r.deviation),
        ]
        for r in eq.slacks
        if r.zero is not True
    ]
    out = [r"\section{The equality condition}", escape(eq.statement) + "."]
    if rows:
        out.append("Information sets whose slack is not 0 (all others have slack 0):")
        head = ["player", "$I$", "slack", "zero?", "witness deviation"]
        out.append(centered(*table("lllll", head, rows)))
    else:
        out.append("Every slack is 0.")
    out.append(
        f"Equality holds: {_YES[eq.holds]}; $\\sigma$ is a Nash equilibrium: "
        f"{_YES[eq.is_equilibrium]}."
    )
    if eq.condition is not None:
        out.append(_condition(eq.condition, trace))
    return out


def _condition(text: str, trace: TreeTrace) -> str:
    lead = r"Condition on the parameters under which every slack is 0 (equality iff Nash):"
    if text in ("True", "False"):
        return lead + (" always." if text == "True" else " never.")
    return condition_latex(lead, text, (*trace.game.parameters, *trace.profile.parameters))


def _conclusion_section(trace: TreeTrace) -> list:
    bound = "c" if trace.theorem == "power-scarcity" else r"W(\sigma)"
    return short_conclusion(trace, bound, "game tree")


def tree_to_latex(trace: TreeTrace, *, verdict=None) -> str:
    """A standalone LaTeX document of a kernel-checked tree trace (see the module doc).

    Raises :class:`~proofs.kernel.ProofError` when the kernel rejects the trace (or
    ``verdict``, the caller's :func:`~proofs.kernel.tree.check_tree` verdict, is not ok).
    """
    verdict = check_tree(trace) if verdict is None else verdict
    sections = (
        _game_section,
        _profile_section,
        _certificate_section,
        _derivation_section,
        _equality_section,
        _conclusion_section,
    )
    setting = " on a game tree, "
    return checked_document(trace, verdict, "tree_to_latex", "A game tree", setting, sections)
