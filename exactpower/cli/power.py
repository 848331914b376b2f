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

A game tree (``--openspiel NAME``, a tree-v1 ``.json``, or an ``.efg`` not of Bayesian shape:
:mod:`exactpower.cli.tree_input`) at a behaviour profile (behaviour-v1 or ``uniform``) is
reported with the quantities of :mod:`exactpower.sequential`; its JSON keys are
``players``, ``power``, ``power_sum``, ``welfare``, ``expected_payoff`` {player: u_i(σ)},
``regret`` {player: POWER − u_i} (a value per player: a tree has no types),
``nash_conv``, ``is_equilibrium``, ``constant_sum``, and ``interim_power``
{player: {root chance action: value or null}} when the root is a chance node
(``null`` otherwise).

>>> from exactpower.cli import main
>>> main(["power", "no-such-game.json", "--profile", "p.json"])
2
"""

from __future__ import annotations

import sys

from .common import (
    UsageError,
    add_profile,
    game_and_profile,
    game_header,
    table,
    write_json,
)
from .tree_input import add_tree_game, is_tree_input, read_behaviour, read_tree_input, tree_name

__all__ = ["NAME", "HELP", "DESCRIPTION", "arguments", "run", "text", "tree_data", "tree_text"]

NAME = "power"
HELP = "POWER, interim utilities, regrets and NashConv of a profile"
DESCRIPTION = (
    "Interim utilities, POWER per player, their sum, welfare, regrets, NashConv, "
    "whether the profile is a Bayesian Nash equilibrium, and the constant of a "
    "constant-sum game.  GAME may also be a game tree (.efg, tree-v1 .json) or "
    "--openspiel NAME, at a behaviour profile."
)

_VERDICT = {True: "yes", False: "no", None: "depends on the parameters"}


def arguments(p) -> None:
    """GAME (or ``--openspiel``) and ``--profile``."""
    add_tree_game(p)
    add_profile(p)


def tree_data(game, profile) -> dict:
    """The ``power --json`` document of a game tree at a behaviour profile.

    >>> from exactpower.sequential import BehaviourProfile, catalog
    >>> g = catalog.kuhn_poker()
    >>> doc = tree_data(g, BehaviourProfile.uniform(g))
    >>> doc["power"], doc["nash_conv"], doc["is_equilibrium"], doc["interim_power"]["1"]["K,J"]
    ({'1': '1/2', '2': '5/12'}, '11/12', False, '3/2')
    """
    from ..sequential import quantities as q

    names = game.players
    powers = [q.power(game, profile, i) for i in range(game.n_players)]
    payoffs = q.expected_payoffs(game, profile)
    verdict = q.is_nash(game, profile)
    c = q.constant_sum(game)
    interim = None
    if game.nodes[0].kind == "chance":
        interim = {
            name: {
                a: None if v is None else str(v)
                for a, v in q.interim_power(game, profile, i).items()
            }
            for i, name in enumerate(names)
        }
    return {
        "players": list(names),
        "power": {n: str(v) for n, v in zip(names, powers)},
        "power_sum": str(q.power_sum(game, profile)),
        "welfare": str(q.welfare(game, profile)),
        "expected_payoff": {n: str(v) for n, v in zip(names, payoffs)},
        "regret": {n: str(q.regret(game, profile, i)) for i, n in enumerate(names)},
        "nash_conv": str(q.nash_conv(game, profile)),
        "is_equilibrium": verdict if isinstance(verdict, bool) else None,
        "constant_sum": None if c is None else str(c.constant),
        "interim_power": interim,
    }


def tree_text(game, doc: dict, game_name: str, profile_name: str) -> str:
    """The text output for a game tree: per player, then the summary, then interim POWER."""
    head = game_header(game, game_name, profile_name).replace("game", "game tree", 1)
    rows = [["player", "POWER", "u_i(σ)", "regret"]]
    rows += [
        [n, doc["power"][n], doc["expected_payoff"][n], doc["regret"][n]] for n in doc["players"]
    ]
    c = doc["constant_sum"]
    summary = [
        ["sum of POWER", doc["power_sum"]],
        ["welfare", doc["welfare"]],
        ["NashConv", doc["nash_conv"]],
        ["Nash equilibrium", _VERDICT[doc["is_equilibrium"]]],
        ["constant sum", "not constant-sum" if c is None else c],
    ]
    lines = [head, "", *table(rows), "", *table(summary)]
    if doc["interim_power"] is not None:
        by_action = doc["interim_power"]
        actions = list(next(iter(by_action.values())))
        grid = [["root chance action", *doc["players"]]]
        grid += [
            [a, *("-" if by_action[n][a] is None else by_action[n][a] for n in by_action)]
            for a in actions
        ]
        lines += ["", "interim POWER by the root chance action (best value given what i knows)"]
        lines += table(grid)
    return "\n".join(lines) + "\n"


def _run_tree(args) -> int:
    game = read_tree_input(args, "power")
    profile = read_behaviour(args, game, "power")
    doc = tree_data(game, profile)
    if args.json:
        write_json(doc)
    else:
        sys.stdout.write(tree_text(game, doc, tree_name(args), args.profile))
    return 0


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

    if is_tree_input(args):
        return _run_tree(args)
    if args.openspiel_param:
        raise UsageError("power: --openspiel-param needs --openspiel NAME")
    if args.game is None:
        raise UsageError("power: give GAME or --openspiel NAME (see 'exactpower --help')")
    if args.profile is None:
        raise UsageError(f"power: {args.game}: a profile is needed: give --profile PROFILE")
    game, profile, _, _ = game_and_profile(args, "power")
    record = report(game, profile)
    if args.json:
        write_json(record.to_data())
    else:
        sys.stdout.write(text(game, record, args.game, args.profile))
    return 0
