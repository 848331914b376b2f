"""LaTeX rendering of kernel-checked traces: :func:`to_latex`.

:func:`to_latex` turns a :class:`~proofs.trace.Trace` that the kernel accepts
into a standalone LaTeX document (``article`` with ``amsmath``, ``amssymb``,
``booktabs``, ``geometry`` and ``graphicx``; all in ``texlive-latex-base`` /
``texlive-latex-recommended``, compiled by ``pdflatex``):

1. the game: players, types and actions (and parameters), the prior as a table
   over all type profiles (zeros shown), and one payoff table per type profile
   in the prior's support (rows: the first player's actions; columns: the other
   players' action profiles; cells: reward vectors);
2. the profile: per player a table of ``σ_i(t_i)(a_i)``;
3. the interim utilities ``f_i(t_i, a, σ_-i)`` per player and
   positive-probability type, the maxima in bold, with ``max``, mean and regret;
4. the derivation, an ``align*`` with one line per step: the right side of the
   claim, the relation, its exact value and the rule's name;
5. the slack table of the equality condition, with witness deviations;
6. the conclusion, and for a symbolic game the equality condition on the
   parameters (rendered with :func:`sympy.latex`, parameter names with
   :func:`symbol_latex`).

Sections 1--3 are written by :mod:`proofs.latex_tables`, the rest here.

Only checked traces are rendered: :func:`to_latex` runs :func:`proofs.check`
itself (or takes its verdict) and raises :class:`~proofs.trace.ProofError`
when the kernel rejects the trace.  Every number shown comes from the trace's
embedded game and profile or from premises the kernel has re-derived.

All user text (the title; player, type and action names) goes through
:func:`escape`; exact values through :func:`sympy.latex`, with parameter names
rendered by :func:`symbol_latex` (injective: two names never print alike).  The output is
deterministic: the same trace gives the same bytes (no date, no version).

>>> from exactpower import BayesianGame, StrategyProfile
>>> from proofs import power_scarcity
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> doc = to_latex(power_scarcity(mp, StrategyProfile.uniform(mp)))
>>> doc.startswith("\\\\documentclass"), "\\\\begin{align*}" in doc
(True, True)
"""

from __future__ import annotations

from .kernel import check
from .latex_tables import centered, game_section, interim_section, profile_section, table
from .latex_text import (
    GREEK_NAMES,
    escape,
    latex_value,
    math_value,
    parse_condition,
    symbol_latex,
)
from .trace import ProofError, Trace

__all__ = [
    "GREEK_NAMES",
    "POWER_SUM_LATEX",
    "PREAMBLE",
    "RHS_LATEX",
    "checked_document",
    "condition_latex",
    "escape",
    "inline_value",
    "latex_value",
    "short_conclusion",
    "symbol_latex",
    "to_latex",
    "witness_latex",
]

#: The preamble: standard packages only; ``\fitwidth`` shrinks a box wider than the line.
PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage{amsmath}
\usepackage{amssymb}
\usepackage{booktabs}
\usepackage{graphicx}
\usepackage[margin=2.2cm]{geometry}
\newsavebox{\fitbox}
\newcommand{\fitwidth}[1]{\sbox{\fitbox}{#1}%
  \ifdim\wd\fitbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\fitbox}}%
  \else\usebox{\fitbox}\fi}
\newcommand{\rulename}[1]{\textsf{#1}}
\renewcommand{\arraystretch}{1.2}
\setlength{\parindent}{0pt}
\setlength{\parskip}{0.6ex}
"""

#: The sum of POWER over the players, in LaTeX.
POWER_SUM_LATEX = r"\sum\nolimits_i \operatorname{POWER}(i,\sigma)"
_F = r"f_i(t_i,a_i,\sigma_{-i})"
#: The LaTeX form of each claim string of :data:`proofs.trace.NOTATION`.
RHS_LATEX = {
    "Σ_i POWER(i,σ)": POWER_SUM_LATEX,
    "Σ_i E_{t_i} max_{a_i} f_i(t_i,a_i,σ_-i)": r"\sum\nolimits_i \mathbb{E}_{t_i} \max\nolimits_{a_i} "
    + _F,
    "Σ_i E_{t_i} E_{a_i~σ_i(t_i)} f_i(t_i,a_i,σ_-i)": r"\sum\nolimits_i \mathbb{E}_{t_i}\, \mathbb{E}_{a_i\sim\sigma_i(t_i)} "
    + _F,
    "Σ_i E_t E_{a~σ(t)} r_i(t,a)": r"\sum\nolimits_i \mathbb{E}_{t}\, \mathbb{E}_{a\sim\sigma(t)} r_i(t,a)",
    "E_t E_{a~σ(t)} Σ_i r_i(t,a)": r"\mathbb{E}_{t}\, \mathbb{E}_{a\sim\sigma(t)} \sum\nolimits_i r_i(t,a)",
    "E_t E_{a~σ(t)} c": r"\mathbb{E}_{t}\, \mathbb{E}_{a\sim\sigma(t)} c",
    "c": "c",
    "W(σ) + NashConv(σ)": r"W(\sigma) + \operatorname{NashConv}(\sigma)",
}
_RELATIONS = {"=": "=", "≥": r"\ge", "≤": r"\le"}

_YES = {True: "yes", False: "no", None: "depends on the parameters"}
_THEOREMS = {"power-scarcity": "power scarcity", "general-sum-identity": "the general-sum identity"}


def inline_value(value) -> str:
    """An exact value as inline math: :func:`math_value` between dollars."""
    return "$" + math_value(value) + "$"


def witness_latex(deviation) -> str:
    """A slack row's witness deviation: action, arrow, better action and gain; ``--`` for none."""
    d = deviation
    if d is None:
        return "--"
    return f"{escape(d.action)} $\\to$ {escape(d.better)}, gain {inline_value(d.gain)}"


def condition_latex(lead: str, text: str, parameters) -> str:
    """``lead`` and the equality condition ``text``: display math when it reads back
    faithfully over ``parameters`` (:func:`parse_condition`), else typewriter text."""
    try:
        cond = parse_condition(text, parameters)
        if str(cond) != text:
            raise ValueError("not a faithful reading")
        body = latex_value(cond)
    except (ValueError, ProofError, TypeError):
        return lead + "\n\\begin{center}\\texttt{" + escape(text) + "}\\end{center}"
    return lead + "\n\\[ " + body + " \\]"


def short_conclusion(trace, bound: str, model: str) -> list:
    """The conclusion section of a tree or stochastic trace: the sum of POWER against
    ``bound``, the gap, and that the kernel re-derived every value from the ``model``."""
    c = trace.conclusion
    return [
        r"\section{Conclusion}",
        f"\\[ {POWER_SUM_LATEX} = {math_value(c.power_sum)} \\;\\ge\\; {bound} = "
        f"{math_value(c.bound)}, \\]",
        f"with gap $\\operatorname{{NashConv}}(\\sigma) = {math_value(c.gap)}$ (the total slack).",
        r"\medskip\noindent\emph{Every value in this document was re-derived from the "
        f"{model} and the profile by the exactpower proof kernel, which accepted the trace.}}",
    ]


def checked_document(trace, verdict, caller: str, title: str, setting: str, sections) -> str:
    """The standalone document of a trace the kernel accepted (``verdict``): the preamble,
    the game's title (or ``title``), the author line naming the theorem and ``setting``
    (what follows the theorem's name, up to ``checked by``), then each of ``sections`` (a
    function of the trace giving paragraphs).  A ``verdict`` that is not ok raises
    :class:`ProofError` naming ``caller``."""
    if not verdict.ok:
        raise ProofError(f"{caller}: the kernel rejects the trace: {verdict.message}")
    theorem = _THEOREMS.get(trace.theorem, escape(trace.theorem))
    parts = [
        PREAMBLE.rstrip("\n"),
        f"\\title{{{escape(trace.game.title) if trace.game.title else title}}}",
        f"\\author{{A derivation of {theorem}{setting}checked by the exactpower proof kernel}}",
        r"\date{}",
        r"\begin{document}",
        r"\maketitle",
    ]
    for section in sections:
        parts += section(trace)
    parts.append(r"\end{document}")
    return "\n\n".join(parts) + "\n"


def _derivation_section(trace: Trace) -> list:
    out = [r"\clearpage", r"\section{Derivation}"]
    if trace.theorem == "power-scarcity":
        out.append(
            r"\textbf{Theorem (power scarcity).} In a constant-sum Bayesian game, "
            r"$\sum_i \operatorname{POWER}(i,\sigma) \ge c$ for every profile $\sigma$, "
            r"with equality iff $\sigma$ is a Bayesian Nash equilibrium."
        )
    else:
        out.append(
            r"\textbf{Identity (general sum).} For every game and profile, "
            r"$\sum_i \operatorname{POWER}(i,\sigma) = W(\sigma) + "
            r"\operatorname{NashConv}(\sigma) \ge W(\sigma)$, with equality iff $\sigma$ "
            r"is a Bayesian Nash equilibrium."
        )
    out.append(
        r"Each line: the relation and the right side of the step's claim, its exact "
        r"value for this game and profile, and the rule the kernel checked. "
        r"$\mathbb{E}_{t_i} X = \sum_{t_i:\,\Omega_i(t_i)>0} \Omega_i(t_i)\,X$, "
        r"$\mathbb{E}_t X = \sum_t \Omega(t)\,X$."
    )
    lines, previous = [], None
    for s in trace.steps:
        lhs = RHS_LATEX.get(s.lhs, r"\text{" + escape(s.lhs) + "}")
        rhs = RHS_LATEX.get(s.rhs, r"\text{" + escape(s.rhs) + "}")
        rel = _RELATIONS.get(s.relation, r"\text{" + escape(s.relation) + "}")
        left = lhs if s.lhs != previous else ""
        lines.append(
            f"{left} &{rel} {rhs} && = {math_value(s.value)} "
            f"\\tag*{{\\text{{({s.index})~\\rulename{{{escape(s.rule)}}}}}}}"
        )
        previous = s.rhs
    out.append("\\begin{align*}\n" + " \\\\\n".join(lines) + "\n\\end{align*}")
    power = trace.steps[0].premises.get("power", {})
    if power:
        out.append(
            r"Step 1 term by term, $\operatorname{POWER}(i,\sigma)$ for $i =$ "
            + "; ".join(f"{escape(name)}: ${math_value(v)}$" for name, v in power.items())
            + " (Section 3)."
        )
    gap = trace.steps[1].premises.get("total") if len(trace.steps) > 1 else None
    if gap is not None:
        out.append(
            r"The inequality of step 2 has slack $" + math_value(gap) + r"$, the sum of the "
            r"slacks $\Omega_i(t_i)\operatorname{reg}_i(t_i)$ of Section 5."
        )
    return out


def _equality_section(trace: Trace) -> list:
    eq = trace.equality
    out = [
        r"\section{Equality condition}",
        r"One slack per player $i$ and type $t_i$ with $\Omega_i(t_i) > 0$: "
        r"$\Omega_i(t_i)\operatorname{reg}_i(t_i) = \Omega_i(t_i)\bigl(\max_a f_i(t_i,a,"
        r"\sigma_{-i}) - \mathbb{E}_{a\sim\sigma_i(t_i)} f_i(t_i,a,\sigma_{-i})\bigr) \ge 0$. "
        r"Equality holds iff every slack is 0, iff every action played attains the "
        r"maximum, iff $\sigma$ is a BNE. A witness deviation: an action played with "
        r"positive probability, a better action, and the gain.",
    ]
    rows = [
        [
            escape(r.player),
            escape(r.type),
            inline_value(r.slack),
            _YES[r.zero],
            witness_latex(r.deviation),
        ]
        for r in eq.slacks
    ]
    heads = [
        "player",
        "type",
        r"slack $\Omega_i\operatorname{reg}_i$",
        "zero?",
        "witness deviation",
    ]
    out.append(centered(*table("llcll", heads, rows)))
    out.append(
        f"Equality: {_YES[eq.holds]}. $\\sigma$ is a Bayesian Nash equilibrium: "
        f"{_YES[eq.is_equilibrium]}."
    )
    if eq.condition is not None:
        out.append(_condition(eq.condition, trace))
    return out


def _condition(text: str, trace: Trace) -> str:
    lead = (
        r"Condition on the parameters under which every slack is 0, equivalently under "
        r"which $\sigma$ is a BNE (derived with sympy's solver):"
    )
    if text == "True":
        return lead + " always (for every value of the parameters in their domains)."
    if text == "False":
        return lead + " never (for no value of the parameters in their domains)."
    return condition_latex(lead, text, trace.game.parameters)


def _conclusion_section(trace: Trace) -> list:
    c, eq = trace.conclusion, trace.equality
    out = [r"\section{Conclusion}"]
    if trace.theorem == "power-scarcity":
        out.append(
            f"\\[ {POWER_SUM_LATEX} = {math_value(c.power_sum)} \\;\\ge\\; c = {math_value(c.bound)}, \\]"
        )
        bound = "c"
    else:
        out.append(
            f"\\[ {POWER_SUM_LATEX} = W(\\sigma) + \\operatorname{{NashConv}}(\\sigma) = "
            f"{math_value(c.power_sum)} \\;\\ge\\; W(\\sigma) = {math_value(c.bound)}, \\]"
        )
        bound = r"W(\sigma)"
    out.append(
        f"with gap $\\sum_i \\operatorname{{POWER}}(i,\\sigma) - {bound} = "
        f"\\operatorname{{NashConv}}(\\sigma) = {math_value(c.gap)}$ (the total slack)."
    )
    if eq.holds is True:
        out.append(
            f"Equality holds: $\\sigma$ is a Bayesian Nash equilibrium and "
            f"$\\sum_i \\operatorname{{POWER}}(i,\\sigma) = {bound}$."
        )
    elif eq.holds is False:
        out.append(
            r"The inequality is strict: $\sigma$ is not a Bayesian Nash equilibrium "
            r"(see the witness deviations)."
        )
    else:
        out.append(
            r"Whether equality holds depends on the parameters; it holds exactly when "
            r"$\sigma$ is a BNE, under the condition of the previous section."
        )
    out.append(
        r"\medskip\noindent\emph{Every value in this document was re-derived from the "
        r"game and the profile by the exactpower proof kernel, which accepted the "
        r"trace.}"
    )
    return out


# -- the document -------------------------------------------------------------------------


def to_latex(trace: Trace, *, verdict=None) -> str:
    r"""A standalone LaTeX document of a kernel-checked trace.

    Parameters
    ----------
    trace : Trace
        A trace from :func:`proofs.power_scarcity` or :meth:`Trace.from_json`.
    verdict : Verdict, optional
        :func:`proofs.check`'s verdict on ``trace``, when the caller already has
        it; it must be ``ok``.  Without it the trace is checked here.

    Returns
    -------
    str
        The document's source: ``\documentclass{article}`` with ``amsmath``,
        ``amssymb``, ``booktabs``, ``graphicx`` and ``geometry``; ends with a
        newline.  Compiles with ``pdflatex``.  Deterministic.

    Raises
    ------
    ProofError
        When the kernel rejects the trace (or ``verdict`` is not ``ok``).

    Examples
    --------
    >>> from exactpower.catalog import stripped_down_poker, stripped_down_poker_equilibrium
    >>> from proofs import power_scarcity
    >>> game = stripped_down_poker()
    >>> doc = to_latex(power_scarcity(game, stripped_down_poker_equilibrium(game)))
    >>> doc.splitlines()[0]
    '\\documentclass[11pt]{article}'
    >>> "\\begin{align*}" in doc, "\\rulename{max-dominates-mean}" in doc
    (True, True)
    """
    verdict = check(trace) if verdict is None else verdict
    sections = (
        game_section,
        profile_section,
        interim_section,
        _derivation_section,
        _equality_section,
        _conclusion_section,
    )
    return checked_document(trace, verdict, "to_latex", "A Bayesian game", ", ", sections)
