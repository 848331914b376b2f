"""Every number of a game at a profile, as one record: :func:`report`.

The record holds POWER of every player, their sum, the welfare, the interim
utilities ``f_i(t_i, a, σ_-i)`` with the best responses, the regrets, NashConv,
whether the profile is a Bayesian Nash equilibrium (by the definition,
:func:`exactpower.is_bayesian_nash`) and the constant of a constant-sum game.
``exactpower power`` prints it (:meth:`Report.to_data` is its ``--json``
document) and Jupyter displays it as tables (:meth:`Report._repr_html_`).

>>> import exactpower as ep
>>> g = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
>>> r = ep.report(g, ep.StrategyProfile.from_dict(g, {"1": "0", "2": "0"}))
>>> r.power, r.power_sum, r.nash_conv, r.is_equilibrium, r.constant_sum
({'1': 1, '2': 1}, 2, 2, False, 0)
>>> r.to_data()["regret"]
{'1': {'-': '0'}, '2': {'-': '2'}}
"""

from __future__ import annotations

from dataclasses import dataclass

import sympy

from .constant_sum import constant_sum
from .contraction import interim_table
from .display import html_table
from .errors import UndecidedError
from .exact import exact_max, exact_sum, same
from .game import BayesianGame
from .power import power_from_table
from .profile import StrategyProfile
from .regret import is_bayesian_nash, nash_conv, regrets
from .utility import interim_rows, welfare

__all__ = ["Report", "report", "JSON_KEYS"]

#: The keys of :meth:`Report.to_data`, in order (the ``power --json`` document).
JSON_KEYS = (
    "players",
    "power",
    "power_sum",
    "welfare",
    "interim",
    "regret",
    "nash_conv",
    "is_equilibrium",
    "constant_sum",
)

_VERDICT = {True: "yes", False: "no", None: "undecided (depends on the parameters)"}


@dataclass(frozen=True)
class Report:
    """The numbers of one game at one profile (see :func:`report`); values are exact.

    Attributes
    ----------
    players : tuple of str
    power : dict
        ``{player: POWER(i, σ)}``.
    power_sum, welfare, nash_conv : sympy values
    interim : dict
        ``{player: {type: {action: f_i(t_i, a, σ_-i) or None}}}`` (``None`` for
        a type of prior probability 0).
    regret : dict
        ``{player: {type: reg_i(t_i) or None}}``.
    best : dict
        ``{player: {type: (best actions) or None}}``; ``None`` where the
        maximum depends on the parameters or the type has probability 0.
    is_equilibrium : bool or None
        ``None`` for a symbolic game where the verdict depends on the parameters.
    constant_sum : sympy value or None
        The constant ``c`` of a constant-sum game, else ``None``.
    type_probability : dict
        ``{player: {type: Ω_i(t_i)}}``, shown in the tables.
    """

    players: tuple
    power: dict
    power_sum: object
    welfare: object
    interim: dict
    regret: dict
    best: dict
    nash_conv: object
    is_equilibrium: bool | None
    constant_sum: object
    type_probability: dict

    def to_data(self) -> dict:
        """The JSON document of ``exactpower power --json``: keys :data:`JSON_KEYS`,
        exact values as strings, ``null`` where a value is undefined."""
        return {k: _strings(getattr(self, k)) for k in JSON_KEYS}

    def type_rows(self, player: str) -> list:
        """One player's table as rows of strings: a header ``[player, type, P(type),
        actions..., regret]``, then one row per type (``*`` marks a best response,
        ``-`` an undefined value)."""
        types = self.interim[player]
        actions = next(iter(types.values())).keys()
        rows = [["player", "type", "P(type)", *actions, "regret"]]
        for t, values in types.items():
            best = self.best[player][t] or ()
            cells = [
                ("-" if v is None else str(v)) + ("*" if a in best else "")
                for a, v in values.items()
            ]
            r = self.regret[player][t]
            rows.append(
                [
                    player,
                    t,
                    str(self.type_probability[player][t]),
                    *cells,
                    "-" if r is None else str(r),
                ]
            )
        return rows

    def summary_rows(self) -> list:
        """``[label, value]`` rows of strings: POWER per player, their sum, welfare,
        NashConv, the BNE verdict and the constant sum."""
        c = self.constant_sum
        rows = [["POWER " + name, str(v)] for name, v in self.power.items()]
        return rows + [
            ["sum of POWER", str(self.power_sum)],
            ["welfare", str(self.welfare)],
            ["NashConv", str(self.nash_conv)],
            ["BNE", _VERDICT[self.is_equilibrium]],
            ["constant sum", "not constant-sum" if c is None else str(c)],
        ]

    def _repr_html_(self) -> str:
        """The tables of ``exactpower power`` as HTML (Jupyter's display)."""
        parts = [
            "<div>",
            "<p>interim expected utility f<sub>i</sub>(t<sub>i</sub>, a, "
            "&sigma;<sub>-i</sub>) (* = best response)</p>",
        ]
        parts += [html_table(self.type_rows(p), header=True) for p in self.players]
        parts += [html_table(self.summary_rows(), header=False), "</div>"]
        return "\n".join(parts)


def _strings(value):
    if isinstance(value, dict):
        return {k: _strings(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strings(v) for v in value]
    if value is None or isinstance(value, (bool, str)):
        return value
    return str(value)


def _best_actions(actions, row, probabilities):
    """The actions attaining the row's maximum; ``None`` when it depends on the parameters."""
    top = exact_max(row, probabilities)
    if isinstance(top, sympy.Max):
        return None
    return tuple(a for a, v in zip(actions, row) if same(v, top))


def _player(game: BayesianGame, profile: StrategyProfile, i: int) -> tuple:
    """``(POWER, interim, best, regrets, type probabilities)`` of player ``i``."""
    p = game.players[i]
    table = interim_table(game, profile, i)
    rows = interim_rows(game, i, table)
    interim = {
        t: dict.fromkeys(p.actions) if row is None else dict(zip(p.actions, row))
        for t, row in zip(p.types, rows)
    }
    best = {
        t: None if row is None else _best_actions(p.actions, row, game.probability_symbols)
        for t, row in zip(p.types, rows)
    }
    marginals = {t: game.marginal(i, k) for k, t in enumerate(p.types)}
    return power_from_table(game, i, table), interim, best, regrets(game, profile, i), marginals


def _verdict(game: BayesianGame, profile: StrategyProfile) -> bool | None:
    try:
        return is_bayesian_nash(game, profile)
    except UndecidedError:
        return None


def report(game: BayesianGame, profile: StrategyProfile) -> Report:
    """Every number of ``game`` at ``profile``, as one :class:`Report`.

    Computed by the library's own functions: :func:`~exactpower.power`'s
    table, :func:`~exactpower.regrets`, :func:`~exactpower.nash_conv`,
    :func:`~exactpower.welfare`, :func:`~exactpower.is_bayesian_nash` (the
    definition; ``None`` when a symbolic game's verdict depends on the
    parameters) and :func:`~exactpower.constant_sum`.

    >>> import exactpower as ep
    >>> g = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> r = ep.report(g, ep.StrategyProfile.uniform(g))
    >>> r.power, r.is_equilibrium, r.interim["1"], r.best["1"]
    ({'1': 0, '2': 0}, True, {'-': {'0': 0, '1': 0}}, {'-': ('0', '1')})
    """
    names = tuple(p.name for p in game.players)
    parts = [_player(game, profile, i) for i in range(game.n_players)]
    powers = {name: part[0] for name, part in zip(names, parts)}
    return Report(
        players=names,
        power=powers,
        power_sum=exact_sum(powers.values()),
        welfare=welfare(game, profile),
        interim={n: part[1] for n, part in zip(names, parts)},
        regret={n: part[3] for n, part in zip(names, parts)},
        best={n: part[2] for n, part in zip(names, parts)},
        nash_conv=nash_conv(game, profile),
        is_equilibrium=_verdict(game, profile),
        constant_sum=constant_sum(game).constant,
        type_probability={n: part[4] for n, part in zip(names, parts)},
    )
