"""The tables of a LaTeX trace document, for :mod:`proofs.latex`: the game, the profile
and the interim utilities.

:func:`table` cuts rows into booktabs tabulars of at most :data:`ROWS_PER_TABLE` rows;
:func:`centered` sets boxes side by side, each shrunk to the line when wider.  The
sections :func:`game_section` (players, prior, one payoff table per type profile in the
support, cut into column groups that fit the line), :func:`profile_section` and
:func:`interim_section` each return a list of LaTeX paragraphs.  User text goes through
:func:`~proofs.latex_text.escape`, exact values through
:func:`~proofs.latex_text.math_value`.

>>> print(table("lc", ["a", "b"], [["x", "$1$"]])[0])
\\begin{tabular}[t]{lc}
\\toprule
a & b \\\\
\\midrule
x & $1$ \\\\
\\bottomrule
\\end{tabular}
"""

from __future__ import annotations

import itertools

import sympy

from exactpower.exact import tidy

from .latex_text import escape, math_value, name_tuple, text_name
from .trace import Trace

__all__ = [
    "COLUMNS_PER_TABLE",
    "LINE_CHARACTERS",
    "ROWS_PER_TABLE",
    "centered",
    "game_section",
    "interim_section",
    "profile_section",
    "table",
]

#: Rows per tabular: a longer table is cut into several (tabulars do not break across pages).
ROWS_PER_TABLE = 40
#: At most this many columns (action profiles of the other players) per payoff table ...
COLUMNS_PER_TABLE = 8
#: ... and about this many characters per table (a wider table is cut; ``\fitwidth`` shrinks
#: what still does not fit the line).
LINE_CHARACTERS = 130


def table(spec: str, header: list, rows: list, *, pre: str = "") -> list:
    """Booktabs tabulars (LaTeX source), one per :data:`ROWS_PER_TABLE` rows, each with
    the header; ``header`` and ``rows`` are lists of cells (LaTeX source)."""
    out = []
    for k in range(0, max(len(rows), 1), ROWS_PER_TABLE):
        lines = [r"\begin{tabular}[t]{" + spec + "}", r"\toprule"]
        if pre:
            lines.append(pre)
        lines += [" & ".join(header) + r" \\", r"\midrule"]
        lines += [" & ".join(r) + r" \\" for r in rows[k : k + ROWS_PER_TABLE]]
        lines += [r"\bottomrule", r"\end{tabular}"]
        out.append("\n".join(lines))
    return out


def centered(*boxes: str) -> str:
    """Boxes side by side, centred, flowing onto further lines when they do not fit;
    each box shrunk to the line's width if it is wider."""
    body = "\n\\hspace{1.5em plus 1em}\n".join("\\fitwidth{%\n" + b + "}" for b in boxes)
    return "\\begin{center}\\setlength{\\lineskip}{2ex}\n" + body + "\n\\end{center}"


def game_section(trace: Trace) -> list:
    """The section on the game: players, parameters, the sum hypothesis, the prior and
    the payoff tables."""
    game = trace.game
    out = [r"\section{The game}"]
    players = [
        [
            escape(p.name),
            ", ".join(escape(t) for t in p.types),
            ", ".join(escape(a) for a in p.actions),
        ]
        for p in game.players
    ]
    out.append(centered(*table("lll", ["player $i$", "types $T_i$", "actions $A_i$"], players)))
    if game.parameters:
        names = ", ".join(f"${math_value(p.symbol)}$ ({escape(p.domain)})" for p in game.parameters)
        out.append(f"Parameters: {names}.")
    out.append(_sum_sentence(trace))
    return out + _prior(game) + _payoffs(game)


def _sum_sentence(trace: Trace) -> str:
    """Constant-sum with its constant, or the general-sum identity the trace follows."""
    if trace.theorem == "power-scarcity":
        const = trace.steps[4].premises.get("constant") if len(trace.steps) > 4 else None
        return (
            f"The game is constant-sum: $\\sum_i r_i(t,a) = c = {math_value(const)}$ for every "
            r"type profile $t$ in the support of the prior and every action profile $a$."
        )
    return (
        "The game is not constant-sum, so the derivation traces the general-sum "
        r"identity $\sum_i \operatorname{POWER}(i,\sigma) = W(\sigma) + "
        r"\operatorname{NashConv}(\sigma)$."
    )


def _prior(game) -> list:
    """The prior as a table over all type profiles (zeros shown)."""
    rows = [
        [escape(p.types[k]) for p, k in zip(game.players, t)]
        + [f"${math_value(game.probability(t))}$"]
        for t in game.type_profiles
    ]
    return [
        r"\subsection*{The prior $\Omega$}",
        centered(
            *table(
                "l" * game.n_players + "r",
                [escape(p.name) for p in game.players] + [r"$\Omega(t)$"],
                rows,
            )
        ),
    ]


def _payoffs(game) -> list:
    """One payoff table per type profile in the support, cut into column groups."""
    out = [r"\subsection*{Rewards $r(t,a) = (r_1(t,a), \dots, r_n(t,a))$}"]
    first, others = game.players[0], game.players[1:]
    profiles = list(itertools.product(*(range(len(p.actions)) for p in others)))
    single = len(game.type_profiles) == 1
    if not single:
        out.append(
            "One table per type profile $t$ with $\\Omega(t) \\ne 0$; rows: the actions "
            f"of {escape(first.name)}, columns: the action profiles of the other "
            "players."
        )
    else:
        out.append(
            f"Rows: the actions of {escape(first.name)}, columns: the action profiles "
            "of the other players."
        )
    boxes = []
    for t in game.support:
        type_names = [p.types[k] for p, k in zip(game.players, t)]
        for chunk in _column_chunks(game, t, profiles):
            boxes.extend(_payoff_table(game, t, type_names, chunk, single))
    out.append(centered(*boxes))
    return out


def _size(value) -> int:
    """A rough printed width of an exact value, in characters."""
    if isinstance(value, sympy.Rational):
        return max(len(str(value.p)), len(str(value.q))) + 1
    return len(str(value))


def _column_chunks(game, t, profiles) -> list:
    """The others' action profiles cut into groups whose table fits the line (roughly:
    :data:`LINE_CHARACTERS` characters, at most :data:`COLUMNS_PER_TABLE` columns)."""
    first, others = game.players[0], game.players[1:]
    budget = LINE_CHARACTERS - max(len(a) for a in (first.name, *first.actions))
    chunks: list = []
    current: list = []
    used = 0
    for rest in profiles:
        head = sum(len(p.actions[k]) + 2 for p, k in zip(others, rest))
        cells = max(
            sum(_size(game.reward(i, t, (a0, *rest))) + 2 for i in range(game.n_players))
            for a0 in range(len(first.actions))
        )
        width = max(head, cells) + 3
        if current and (used + width > budget or len(current) == COLUMNS_PER_TABLE):
            chunks.append(current)
            current, used = [], 0
        current.append(rest)
        used += width
    return chunks + [current]


def _payoff_table(game, t, names, profiles, single) -> list:
    """The rewards at type profile ``t`` for the others' action ``profiles``."""
    first, others = game.players[0], game.players[1:]
    rows = []
    for a0, action in enumerate(first.actions):
        cells = []
        for rest in profiles:
            vector = [game.reward(i, t, (a0, *rest)) for i in range(game.n_players)]
            body = ", ".join(math_value(v) for v in vector)
            cells.append(f"$({body})$" if game.n_players > 1 else f"${body}$")
        rows.append([escape(action), *cells])
    if others:
        heads = [
            escape(others[0].actions[r[0]])
            if len(others) == 1
            else name_tuple([p.actions[k] for p, k in zip(others, r)])
            for r in profiles
        ]
        who = escape(others[0].name) if len(others) == 1 else name_tuple([p.name for p in others])
        pre = (
            f"& \\multicolumn{{{len(profiles)}}}{{c}}{{{who}}} \\\\\n"
            f"\\cmidrule(l){{2-{len(profiles) + 1}}}"
        )
    else:
        heads, pre = ["reward"], ""
    if not single:
        pre = (
            f"\\multicolumn{{{len(heads) + 1}}}{{c}}{{$t = {_t_tuple(names)}$, "
            f"$\\Omega(t) = {math_value(game.probability(t))}$}} \\\\\n\\midrule\n" + pre
        )
    return table("l" + "c" * len(heads), [escape(first.name), *heads], rows, pre=pre)


def _t_tuple(names) -> str:
    return "(" + ", ".join(text_name(n) for n in names) + ")"


def profile_section(trace: Trace) -> list:
    game, profile = trace.game, trace.profile
    out = [
        r"\section{The profile $\sigma$}",
        r"Per player, the mixed action $\sigma_i(t_i)$ of each type: the probability of "
        r"each action.",
    ]
    boxes = []
    for i, p in enumerate(game.players):
        rows = [
            [
                escape(t),
                *(f"${math_value(profile.probability(i, k, n))}$" for n in range(len(p.actions))),
            ]
            for k, t in enumerate(p.types)
        ]
        pre = (
            f"\\multicolumn{{{len(p.actions) + 1}}}{{c}}{{player {escape(p.name)}}} \\\\\n\\midrule"
        )
        boxes.extend(
            table(
                "l" + "c" * len(p.actions), ["type", *(escape(a) for a in p.actions)], rows, pre=pre
            )
        )
    out.append(centered(*boxes))
    return out


def _attains(value, best, listed) -> bool:
    if listed is not None:
        return listed
    d = sympy.cancel(best - value)
    return d == 0


def interim_section(trace: Trace) -> list:
    """The interim utilities per player and positive-probability type, the maxima in
    bold, with max, mean and regret; then each player's POWER."""
    defs, means = trace.steps[0].premises["terms"], trace.steps[1].premises["terms"]
    out = [
        r"\section{Interim expected utilities}",
        r"$f_i(t_i, a, \sigma_{-i})$, the expected reward of type $t_i$ of player $i$ "
        r"playing $a$ against $\sigma_{-i}$, for every type with $\Omega_i(t_i) > 0$. "
        r"\textbf{Bold}: attains the maximum over $A_i$ (a best response). "
        r"Mean: $\mathbb{E}_{a\sim\sigma_i(t_i)} f_i(t_i,a,\sigma_{-i})$; "
        r"regret: maximum minus mean.",
    ]
    for p in trace.game.players:
        out += _interim_player(p, defs, means, trace.steps[0].premises["power"][p.name])
    return out


def _interim_player(p, defs, means, power) -> list:
    """One player's table of interim utilities, its types of probability 0 and POWER."""
    rows = [_interim_row(p, d, m) for d, m in zip(defs, means) if d["player"] == p.name]
    heads = [
        "type $t_i$",
        r"$\Omega_i(t_i)$",
        *(escape(a) for a in p.actions),
        "max",
        "mean",
        "regret",
    ]
    pre = (
        f"& & \\multicolumn{{{len(p.actions)}}}{{c}}{{$f_i(t_i, a, \\sigma_{{-i}})$}} "
        f"\\\\\n\\cmidrule(lr){{3-{len(p.actions) + 2}}}"
    )
    out = [f"\\subsection*{{Player {escape(p.name)}}}"]
    if rows:
        out.append(centered(*table("lr" + "c" * len(p.actions) + "ccc", heads, rows, pre=pre)))
    listed = {d["type"] for d in defs if d["player"] == p.name}
    zero = [escape(t) for t in p.types if t not in listed]
    if zero:
        out.append("Types of probability 0 (unconstrained, not in POWER): " + ", ".join(zero) + ".")
    out.append(
        f"$\\operatorname{{POWER}}(i, \\sigma) = \\sum_{{t_i}} \\Omega_i(t_i) "
        f"\\max_a f_i(t_i,a,\\sigma_{{-i}}) = {math_value(power)}$ for $i =$ "
        f"{escape(p.name)}."
    )
    return out


def _interim_row(p, d, m) -> list:
    """The row of one type: its marginal, ``f`` per action (bold at the maximum), max,
    mean and regret."""
    best = m["best_responses"]
    cells = []
    for a in p.actions:
        v = d["interim"][a]
        mark = _attains(v, d["max"], None if best is None else a in best)
        cells.append(f"$\\boldsymbol{{{math_value(v)}}}$" if mark else f"${math_value(v)}$")
    regret = m["max"] - m["mean"]
    regret = regret if isinstance(regret, sympy.Rational) else tidy(regret)
    return [
        escape(d["type"]),
        f"${math_value(d['marginal'])}$",
        *cells,
        f"${math_value(d['max'])}$",
        f"${math_value(m['mean'])}$",
        f"${math_value(regret)}$",
    ]
