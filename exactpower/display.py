"""Notebook display: the HTML that Jupyter shows for games, profiles and results.

One small helper, :func:`html_table`, makes every table; every piece of text that
reaches the HTML (names, titles, values, notes) goes through :func:`html.escape`
there or in :func:`html_text`, so a name such as ``<b>`` shows as written.  The
objects' ``_repr_html_`` methods call :func:`game_html`, :func:`profile_html` and
the two helpers; they print the same tables as the command line.

This module imports nothing of exactpower: it reads the objects it is given by
their public attributes (the model layer of ``docs/design.md``).

>>> print(html_table([["player", "POWER"], ["<row>", "1/2"]], header=True))
<table>
<tr><th>player</th><th>POWER</th></tr>
<tr><td>&lt;row&gt;</td><td>1/2</td></tr>
</table>
"""

from __future__ import annotations

import html
import math

__all__ = [
    "html_table",
    "html_text",
    "html_block",
    "game_html",
    "profile_html",
    "equilibria_html",
    "bound_html",
    "strategy_text",
    "SHOWN_CELLS",
]

#: A game with more reward cells than this (players x type profiles x action profiles)
#: is shown by its players, types and actions and a summary line, without reward tables.
#: Not a limit on input (nothing is refused), only on what a notebook shows.
SHOWN_CELLS = 400


def html_text(text, tag: str = "p") -> str:
    """``text`` escaped, inside ``<tag>``.

    >>> html_text("a < b & c")
    '<p>a &lt; b &amp; c</p>'
    """
    return f"<{tag}>{html.escape(str(text))}</{tag}>"


def html_table(rows, *, header: bool = True, caption: str | None = None) -> str:
    """Rows of cells (anything ``str`` can print) as an HTML table, every cell escaped;
    with ``header`` the first row is the header (``<th>``)."""
    out = ["<table>"]
    if caption is not None:
        out.append(f"<caption>{html.escape(str(caption))}</caption>")
    for k, row in enumerate(rows):
        tag = "th" if header and k == 0 else "td"
        out.append("<tr>" + "".join(f"<{tag}>{html.escape(str(c))}</{tag}>" for c in row) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


def html_block(parts) -> str:
    """HTML fragments inside one ``<div>``."""
    return "\n".join(["<div>", *parts, "</div>"])


def _kind(game) -> str:
    return "symbolic" if game.is_symbolic else "rational"


def _cells(game) -> int:
    return game.n_players * math.prod(game.type_shape) * math.prod(game.action_shape)


def _value(v) -> str:
    return "unset" if v is None else str(v)


def _reward_tables(game) -> list:
    """Per type profile in the prior's support: one row per action profile, one column per
    player (the reward vector), as ``exactpower power`` prints values."""
    names = [p.name for p in game.players]
    parts = []
    for t in game.support:
        tn = ", ".join(p.types[k] for p, k in zip(game.players, t))
        rows = [["actions", *names]]
        for a in game.action_profiles:
            an = ", ".join(p.actions[k] for p, k in zip(game.players, a))
            rows.append([an, *(_value(game.reward(i, t, a)) for i in range(game.n_players))])
        caption = (
            "rewards"
            if all(len(p.types) == 1 for p in game.players)
            else f"rewards at types ({tn}), prior {game.probability(t)}"
        )
        parts.append(html_table(rows, caption=caption))
    return parts


def game_html(game) -> str:
    """The HTML of a :class:`~exactpower.BayesianGame`: a summary line, its players
    (types, actions), parameters, the prior over type profiles, and -- up to
    :data:`SHOWN_CELLS` reward cells -- one reward table per type profile."""
    title = f"{game.title}: " if game.title else ""
    parts = [
        html_text(
            f"{title}Bayesian game, {game.n_players} players, {_kind(game)}, "
            f"{_cells(game)} reward cells"
        )
    ]
    parts.append(
        html_table(
            [["player", "types", "actions"]]
            + [[p.name, ", ".join(p.types), ", ".join(p.actions)] for p in game.players],
            caption="players",
        )
    )
    if game.parameters:
        parts.append(
            html_table(
                [["parameter", "domain"]] + [[p.name, p.domain] for p in game.parameters],
                caption="parameters",
            )
        )
    if _cells(game) > SHOWN_CELLS:
        parts.append(
            html_text(
                f"{_cells(game)} reward cells, more than the "
                f"{SHOWN_CELLS} shown: the prior and rewards are not listed"
            )
        )
        return html_block(parts)
    if any(len(p.types) > 1 for p in game.players):
        rows = [["types", "prior"]]
        rows += [
            [", ".join(p.types[k] for p, k in zip(game.players, t)), game.probability(t)]
            for t in game.type_profiles
        ]
        parts.append(html_table(rows, caption="prior"))
    return html_block(parts + _reward_tables(game))


def profile_html(profile) -> str:
    """The HTML of a :class:`~exactpower.StrategyProfile`: per player a table of
    ``σ_i(t_i)(a)`` with one row per type and one column per action."""
    parts = []
    for p, rows in zip(profile.players, profile.strategies):
        table = [["type", *p.actions]] + [[t, *row] for t, row in zip(p.types, rows)]
        parts.append(html_table(table, caption=f"strategy of {p.name}"))
    return html_block(parts)


def strategy_text(player, rows) -> str:
    """One player's strategy on one line, as ``exactpower equilibria`` prints it:
    ``h: U; l: U 3/4, D 1/4`` (the type is left out for a single type ``-``)."""

    def dist(row):
        support = [(a, v) for a, v in zip(player.actions, row) if v != 0]
        if len(support) == 1 and support[0][1] == 1:
            return support[0][0]
        return ", ".join(f"{a} {v}" for a, v in support)

    return "; ".join(
        (f"{t}: " if len(player.types) > 1 or t != "-" else "") + dist(row)
        for t, row in zip(player.types, rows)
    )


def equilibria_html(result) -> str:
    """The HTML of an :class:`~exactpower.EquilibriumSet`: method, completeness, notes
    and one row per equilibrium (component, each player's strategy and POWER, the sum)."""
    count = len(result.equilibria)
    parts = [
        html_text(
            f"{count} equilibri{'um' if count == 1 else 'a'}; method: "
            f"{result.method}; complete: {'yes' if result.complete else 'no'}"
        ),
        html_text(f"notes: {result.notes}"),
    ]
    if not count:
        return html_block(parts)
    players = result.equilibria[0].profile.players
    rows: list[list[object]] = [
        [
            "#",
            "component",
            *(p.name for p in players),
            *(f"POWER {p.name}" for p in players),
            "sum of POWER",
        ]
    ]
    for n, e in enumerate(result.equilibria, 1):
        rows.append(
            [
                n,
                "-" if e.component is None else e.component,
                *(strategy_text(p, r) for p, r in zip(players, e.profile.strategies)),
                *e.power,
                e.power_sum,
            ]
        )
    return html_block(parts + [html_table(rows)])


def _mapping_text(mapping) -> str:
    """``{player: {type: {action: p}}}`` or ``{type: {action: p}}`` on one line."""

    def dist(d):
        return ", ".join(f"{a} {p}" for a, p in d.items())

    def one(k, v):
        if any(isinstance(x, dict) for x in v.values()):
            return f"{k}: {_mapping_text(v)}"
        return dist(v) if k == "-" and len(mapping) == 1 else f"{k}: {dist(v)}"

    return "; ".join(one(k, v) for k, v in mapping.items())


def bound_html(bound) -> str:
    """The HTML of a :class:`~exactpower.PowerBound`: one row per field."""
    sign = "+" if bound.case == "best" else "-"
    rows = [
        ["field", "value"],
        ["player", bound.player],
        ["case", f"{bound.case} (POWER{sign})"],
        ["value", "-" if bound.value is None else bound.value],
        ["lower", bound.lower],
        ["upper", bound.upper],
        ["exact", "yes" if bound.exact else "no"],
        ["method", bound.method],
        ["attained by", _mapping_text(bound.attained_by) or "-"],
        ["guarantee", "-" if bound.guarantee is None else _mapping_text(bound.guarantee)],
    ]
    return html_block([html_table(rows), html_text(bound.notes)])
