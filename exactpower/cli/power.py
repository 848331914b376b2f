"""``exactpower power GAME --profile PROFILE [--json]``.

Interim utilities, POWER per player, their sum, welfare, regrets, NashConv,
whether the profile is a BNE, and the constant of a constant-sum game: the
record :func:`exactpower.report`, printed.  JSON keys: ``players``, ``power``,
``power_sum``, ``welfare``, ``interim``, ``regret``, ``nash_conv``,
``is_equilibrium``, ``constant_sum`` (:meth:`exactpower.report.Report.to_data`);
values are strings (``str`` of the sympy value), and ``null`` for types of
prior probability 0.  ``is_equilibrium`` is ``null`` for a symbolic game where
it depends on the parameters.  GAME may be ``.json``, ``.nfg`` or ``.efg``;
PROFILE a profile-v1 file or ``uniform``.

>>> from exactpower.cli import main
>>> main(["power", "no-such-game.json", "--profile", "p.json"])
2
"""

from __future__ import annotations

import sys

from .common import (
    add_game,
    add_profile,
    game_and_profile,
    game_header,
    table,
    write_json,
)

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "text"]

NAME = "power"
HELP = "POWER, interim utilities, regrets and NashConv of a profile"
DESCRIPTION = (
    "Interim utilities, POWER per player, their sum, welfare, regrets, NashConv, "
    "whether the profile is a Bayesian Nash equilibrium, and the constant of a "
    "constant-sum game."
)


def arguments(p) -> None:
    """GAME and ``--profile``."""
    add_game(p)
    add_profile(p, required=True)


def text(game, record, game_name: str, profile_name: str) -> str:
    """The text output: a header, one table per player, the summary table."""
    lines = [
        game_header(game, game_name, profile_name),
        "",
        "interim expected utility f_i(t_i, a, sigma_-i)  (* = best response)",
    ]
    for name in record.players:
        lines += table(record.type_rows(name)) + [""]
    return "\n".join(lines + table(record.summary_rows())) + "\n"


def run(args) -> int:
    """Print the report of GAME at PROFILE."""
    from ..report import report

    game, profile, _, _ = game_and_profile(args, "power")
    record = report(game, profile)
    if args.json:
        write_json(record.to_data())
    else:
        sys.stdout.write(text(game, record, args.game, args.profile))
    return 0
