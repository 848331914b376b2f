r"""LaTeX rendering of kernel-checked stochastic-game traces: :func:`stochastic_to_latex`.

The document (the preamble of :mod:`proofs.latex`: standard packages, ``pdflatex``) has six
sections: the game (players, γ, μ, and per state the cells: joint action, rewards,
transitions); the stationary profile (σ per player and state); the Bellman certificates (per
player and state: ``Q_i(s, a)`` of every action with the certificate's choice in bold,
``W_i(s)``, ``V_i^σ(s)``, the one-step regret ``d_i(s)``; then ``POWER(i,σ) = μ·W_i``); the
derivation (one ``align*`` line per step); the equality condition (the reached states with a
positive slack and their witness deviations); the conclusion.  Only a trace the kernel
accepts is rendered; every value shown comes from the trace's premises, which the kernel
re-derived.  User text goes through :func:`proofs.latex.escape`; the output is deterministic.

>>> from exactpower.sequential.stochastic import StochasticGame, StationaryProfile
>>> from proofs.stochastic_trace import stochastic_power_scarcity
>>> g = StochasticGame.repeated(("A", "B"), (("x", "y"), ("u",)),
...     {("x", "u"): (1, -1), ("y", "u"): (0, 0)}, gamma="1/2")
>>> doc = stochastic_to_latex(stochastic_power_scarcity(g, StationaryProfile.uniform(g)))
>>> doc.splitlines()[0], "\\rulename{occupancy-expectation}" in doc
('\\documentclass[11pt]{article}', True)
"""

from __future__ import annotations

from .kernel.stochastic import check_stochastic
from .latex import (
    POWER_SUM_LATEX,
    checked_document,
    escape,
    inline_value,
    short_conclusion,
    witness_latex,
)
from .latex_tables import centered, table
from .latex_text import math_value
from .stochastic_trace import StochasticTrace

__all__ = ["STOCHASTIC_RHS_LATEX", "stochastic_to_latex"]

_RHO = r"\sum\nolimits_s \rho_\sigma(s)"
_E = r"\mathbb{E}_{a\sim\sigma(s)}"
#: The LaTeX form of each claim string of
#: :data:`proofs.kernel.stochastic_records.STOCHASTIC_NOTATION`.
STOCHASTIC_RHS_LATEX = {
    "Σ_i POWER(i,σ)": POWER_SUM_LATEX,
    "Σ_i μ·W_i": r"\sum\nolimits_i \mu\cdot W_i",
    "Σ_i μ·V_i^σ": r"\sum\nolimits_i \mu\cdot V_i^\sigma",
    "Σ_i Σ_s ρ_σ(s)·E_{a~σ(s)} r_i(s,a)": r"\sum\nolimits_i " + _RHO + r"\, " + _E + " r_i(s,a)",
    "Σ_s ρ_σ(s)·E_{a~σ(s)} Σ_i r_i(s,a)": _RHO + r"\, " + _E + r" \sum\nolimits_i r_i(s,a)",
    "Σ_s ρ_σ(s)·c": _RHO + r"\, c",
    "c/(1−γ)": r"\frac{c}{1-\gamma}",
    "W(σ) + NashConv(σ)": r"W(\sigma) + \operatorname{NashConv}(\sigma)",
}
_RELATIONS = {"=": "=", "≥": r"\ge"}
_YES = {True: "yes", False: "no"}


def _game_section(trace: StochasticTrace) -> list:
    g = trace.game
    out = [
        r"\section{The game}",
        f"Players: {', '.join(escape(p) for p in g.players)}; discount $\\gamma = "
        f"{math_value(g.gamma)}$; initial distribution $\\mu$: "
        + ", ".join(f"{escape(s)} {inline_value(m)}" for s, m in zip(g.states, g.mu) if m != 0)
        + ".",
    ]
    for s, state in enumerate(g.states):
        rows = [
            [
                escape(", ".join(joint)),
                ", ".join(inline_value(x) for x in g.rewards[s][k]),
                ", ".join(
                    f"{escape(g.states[t])} {inline_value(p)}" for t, p in g.transitions[s][k]
                ),
            ]
            for k, joint in enumerate(g.joint(s))
        ]
        head = ["joint action", "rewards $r_i(s,a)$", r"next state: $T(s'\mid s,a)$"]
        out.append(f"State \\textbf{{{escape(state)}}}:")
        out.append(centered(*table("lll", head, rows)))
    return out


def _profile_section(trace: StochasticTrace) -> list:
    g, p = trace.game, trace.profile
    rows = [
        [
            escape(player),
            escape(state),
            ", ".join(f"{escape(a)} {inline_value(w)}" for a, w in p.at(i, s).items()),
        ]
        for i, player in enumerate(g.players)
        for s, state in enumerate(g.states)
    ]
    return [
        r"\section{The stationary profile}",
        centered(*table("lll", ["player", "state", r"$\sigma_i(s)$"], rows)),
    ]


def _certificate_section(trace: StochasticTrace) -> list:
    g = trace.game
    first, second = trace.steps[0].premises, trace.steps[1].premises
    out = [
        r"\section{Bellman certificates}",
        r"$Q_i(s,a) = r_i(s,a,\sigma_{-i}) + \gamma \sum_{s'} T(s'\mid s,a,\sigma_{-i}) W_i(s')$; "
        r"the certificate's action in bold attains $W_i(s) = \max_a Q_i(s,a)$. $V_i^\sigma$ solves "
        r"$V = r_\sigma + \gamma P_\sigma V$; $d_i(s) = W_i(s) - \sum_a \sigma_i(s)(a) Q_i(s,a)$.",
    ]
    for player in g.players:
        rows = []
        for state in g.states:
            c = first["certificates"][player][state]
            qs = ", ".join(
                (r"\textbf{" + escape(a) + "}" if a == c["action"] else escape(a))
                + " "
                + inline_value(q)
                for a, q in c["q"].items()
            )
            rows.append(
                [
                    escape(state),
                    qs,
                    inline_value(c["value"]),
                    inline_value(second["values"][player][state]),
                    inline_value(second["regrets"][player][state]),
                ]
            )
        head = ["state", "$Q_i(s,a)$", "$W_i(s)$", r"$V_i^\sigma(s)$", "$d_i(s)$"]
        out.append(
            f"Player \\textbf{{{escape(player)}}}: $\\operatorname{{POWER}} = \\mu\\cdot W_i = "
            f"{math_value(first['power'][player])}$."
        )
        out.append(centered(*table("lllll", head, rows)))
    return out


def _derivation_section(trace: StochasticTrace) -> list:
    lines = []
    for s in trace.steps:
        lhs = STOCHASTIC_RHS_LATEX[s.lhs] + " " if s.rule == "slack-sum" else ""
        lines.append(
            f"{lhs}&{_RELATIONS[s.relation]} {STOCHASTIC_RHS_LATEX[s.rhs]} = {math_value(s.value)}"
            f" \\tag*{{\\text{{({s.index}) \\rulename{{{s.rule}}}}}}}"
        )
    body = " \\\\\n".join(lines)
    return [
        r"\section{The derivation}",
        r"$\rho_\sigma = \mu (I - \gamma P_\sigma)^{-1}$ is the discounted state occupancy "
        r"(it sums to $1/(1-\gamma)$)."
        f"\n\\begin{{align*}}\n& {POWER_SUM_LATEX} \\\\\n{body}\n\\end{{align*}}",
    ]


def _equality_section(trace: StochasticTrace) -> list:
    eq = trace.equality
    rows = [
        [
            escape(r.player),
            escape(r.state),
            inline_value(r.occupancy),
            inline_value(r.slack),
            witness_latex(r.deviation),
        ]
        for r in eq.slacks
        if not r.zero
    ]
    out = [r"\section{The equality condition}", escape(eq.statement) + "."]
    if rows:
        out.append(r"States reached from $\mu$ where a slack $\rho_\sigma(s)\,d_i(s)$ is not 0:")
        head = ["player", "state", r"$\rho_\sigma(s)$", "slack", "witness deviation"]
        out.append(centered(*table("lllll", head, rows)))
    else:
        out.append(r"Every slack is 0 at every state reached from $\mu$.")
    out.append(
        f"Equality holds: {_YES[eq.holds]}; $\\sigma$ is a Nash equilibrium from $\\mu$: "
        f"{_YES[eq.is_equilibrium]}."
    )
    return out


def _conclusion_section(trace: StochasticTrace) -> list:
    bound = r"\frac{c}{1-\gamma}" if trace.theorem == "power-scarcity" else r"W(\sigma)"
    return short_conclusion(trace, bound, "game")


def stochastic_to_latex(trace: StochasticTrace, *, verdict=None) -> str:
    """A standalone LaTeX document of a kernel-checked stochastic trace (see the module doc).

    Raises :class:`~proofs.kernel.ProofError` when the kernel rejects the trace (or
    ``verdict``, the caller's verdict, is not ok).
    """
    verdict = check_stochastic(trace) if verdict is None else verdict
    sections = (
        _game_section,
        _profile_section,
        _certificate_section,
        _derivation_section,
        _equality_section,
        _conclusion_section,
    )
    setting = " in a discounted stochastic game,\\\\ "
    caller, title = "stochastic_to_latex", "A stochastic game"
    return checked_document(trace, verdict, caller, title, setting, sections)
