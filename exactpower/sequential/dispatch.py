"""One API for every kind of game: :func:`power`, :func:`nash_conv` and the rest, by the game's type.

``exactpower.power`` and its siblings are these functions.  Each looks at the game and hands
the call, unchanged, to the function that computes the quantity for that kind of game:

- a :class:`~exactpower.BayesianGame` with a :class:`~exactpower.StrategyProfile`: the
  one-shot functions of :mod:`exactpower.power`, :mod:`exactpower.regret`,
  :mod:`exactpower.utility`, :mod:`exactpower.constant_sum`, :mod:`exactpower.report`
  (same signatures, same values; the dispatch costs two ``isinstance`` checks);
- an :class:`~exactpower.sequential.ExtensiveGame` with a
  :class:`~exactpower.sequential.BehaviourProfile`: :mod:`exactpower.sequential.quantities`;
- a :class:`~exactpower.sequential.StochasticGame` with a
  :class:`~exactpower.sequential.StationaryProfile`: :mod:`exactpower.sequential.stochastic_values`.

A profile of another kind (a ``StrategyProfile`` with a tree) is a
:class:`~exactpower.errors.GameKindError` (a ``TypeError``), and so is an
:class:`~exactpower.sequential.MDP` (its POWER is :func:`~exactpower.sequential.mdp_power`,
which takes a reward distribution and a discount, not a profile); a profile of another game
of the right kind is a :class:`~exactpower.errors.ProfileError`.  Players are given by index
or by name everywhere.

>>> import exactpower as ep
>>> from exactpower.sequential import catalog
>>> kuhn = catalog.kuhn_poker()
>>> sigma = ep.BehaviourProfile.uniform(kuhn)
>>> ep.power(kuhn, sigma, "1"), ep.power_sum(kuhn, sigma), ep.welfare(kuhn, sigma)
(1/2, 11/12, 0)
>>> ep.nash_conv(kuhn, sigma) == ep.power_sum(kuhn, sigma) - ep.welfare(kuhn, sigma)
True
"""

from __future__ import annotations

from types import ModuleType

import sympy

from ..constant_sum import ConstantSum
from ..constant_sum import constant_sum as bayesian_constant_sum
from ..errors import GameKindError, ProfileError
from ..exact import exact_sum, tidy
from ..game import BayesianGame
from ..power import power as bayesian_power
from ..power import power_sum as bayesian_power_sum
from ..profile import StrategyProfile
from ..regret import is_bayesian_nash as bayesian_is_nash
from ..regret import nash_conv as bayesian_nash_conv
from ..regret import regret as bayesian_regret
from ..regret import regrets as bayesian_regrets
from ..report import Report
from ..report import report as bayesian_report
from ..utility import welfare as bayesian_welfare
from . import quantities as tree_quantities
from . import stochastic_values
from .behaviour import BehaviourProfile
from .mdp import MDP
from .stochastic import StationaryProfile, StochasticGame
from .tree import ExtensiveGame

__all__ = [
    "game_kind",
    "kind_of",
    "power",
    "power_sum",
    "welfare",
    "regret",
    "nash_conv",
    "is_bayesian_nash",
    "is_nash",
    "constant_sum",
    "report",
]

#: ``(game type, profile type, kind name, module of its quantities)``, by kind.
_KINDS = {
    "bayesian": (BayesianGame, StrategyProfile, "a Bayesian game", None),
    "tree": (ExtensiveGame, BehaviourProfile, "a game tree", tree_quantities),
    "stochastic": (StochasticGame, StationaryProfile, "a stochastic game", stochastic_values),
}


def _named(obj: object) -> str:
    return "None" if obj is None else f"a {type(obj).__name__}"


def _not_a_game(game: object, what: str) -> GameKindError:
    if isinstance(game, MDP):
        return GameKindError(
            f"{what}: an MDP has no players' profile; its POWER is "
            f"mdp_power(mdp, rewards, gamma) (exactpower.sequential.mdp_power)"
        )
    return GameKindError(
        f"{what}: expected a BayesianGame, an ExtensiveGame or a StochasticGame, got {_named(game)}"
    )


def game_kind(game: object, what: str = "game") -> str:
    """``"bayesian"``, ``"tree"`` or ``"stochastic"``: the kind of ``game``; anything else
    (an MDP included) is a :class:`~exactpower.errors.GameKindError` naming ``what``.

    >>> from exactpower.sequential import catalog
    >>> game_kind(catalog.kuhn_poker())
    'tree'
    """
    for kind, (game_type, _, _, _) in _KINDS.items():
        if isinstance(game, game_type):
            return kind
    raise _not_a_game(game, what)


def kind_of(game: object, profile: object, what: str = "game") -> str:
    """:func:`game_kind`, checked against the kind of ``profile`` and, for a sequential game,
    that ``profile`` is a profile of ``game`` (a one-shot profile is checked by the one-shot
    functions).  ``what`` names the caller in the error message.

    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> kind_of(g, BehaviourProfile.uniform(g))
    'tree'
    >>> import exactpower as ep
    >>> mp = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> kind_of(g, ep.StrategyProfile.uniform(mp), "power")
    Traceback (most recent call last):
    ...
    exactpower.errors.GameKindError: power: a game tree needs a BehaviourProfile, got a StrategyProfile (for the tree of a one-shot game: BehaviourProfile.from_strategy)
    """
    kind = game_kind(game, what)
    _, profile_type, name, _ = _KINDS[kind]
    if not isinstance(profile, profile_type):
        hint = ""
        if isinstance(profile, StrategyProfile) and kind == "tree":
            hint = " (for the tree of a one-shot game: BehaviourProfile.from_strategy)"
        raise GameKindError(
            f"{what}: {name} needs a {profile_type.__name__}, got {_named(profile)}{hint}"
        )
    if kind != "bayesian" and profile.game is not game and profile.game != game:  # type: ignore[attr-defined]
        raise ProfileError(f"{what}: the profile is a profile of another {name[2:]}")
    return kind


def _module(game: object, profile: object, what: str) -> ModuleType:
    """The module of a sequential game's quantities, after :func:`kind_of`'s checks."""
    module = _KINDS[kind_of(game, profile, what)][3]
    if module is None:  # a Bayesian game with a StrategyProfile is served before the call
        raise AssertionError(what)
    return module


def power(game, profile, player) -> sympy.Expr:
    """``POWER(i, σ)`` of one player (by index or name), for every kind of game.

    One-shot: :func:`exactpower.power.power`; game tree: the best-response value
    (:func:`exactpower.sequential.quantities.power`); stochastic game: the optimal value
    from ``μ`` against ``σ_-i`` (:func:`exactpower.sequential.stochastic_values.power`).

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> kuhn = catalog.kuhn_poker()
    >>> ep.power(kuhn, ep.BehaviourProfile.uniform(kuhn), "2")
    5/12
    >>> mp = ep.StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")),
    ...     {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)},
    ...     gamma="1/2")
    >>> pure = ep.StationaryProfile.from_dict(mp, {"row": {"s": "H"}, "col": {"s": "H"}})
    >>> ep.power(mp, pure, "col"), ep.power(mp, pure, 0)
    (2, 2)
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        return bayesian_power(game, profile, player)
    return _module(game, profile, "power").power(game, profile, player)


def power_sum(game, profile) -> sympy.Expr:
    """``Σ_i POWER(i, σ)``, for every kind of game.

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> kuhn = catalog.kuhn_poker()
    >>> ep.power_sum(kuhn, ep.BehaviourProfile.uniform(kuhn))
    11/12
    >>> mp = ep.StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")),
    ...     {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)},
    ...     gamma="1/2")
    >>> ep.power_sum(mp, ep.StationaryProfile.uniform(mp))
    0
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        return bayesian_power_sum(game, profile)
    return _module(game, profile, "power_sum").power_sum(game, profile)


def welfare(game, profile) -> sympy.Expr:
    """``W(σ) = Σ_i u_i(σ)`` (a stochastic game: ``Σ_i V_i^σ(μ)``), for every kind of game.

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> g = catalog.beer_quiche()
    >>> ep.welfare(g, ep.BehaviourProfile.uniform(g))
    2
    >>> pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")),
    ...     {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)},
    ...     gamma="1/2")
    >>> ep.welfare(pd, ep.StationaryProfile.uniform(pd))
    6
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        return bayesian_welfare(game, profile)
    return _module(game, profile, "welfare").welfare(game, profile)


def _ex_ante_regret(game: BayesianGame, profile: StrategyProfile, player) -> sympy.Expr:
    """``Σ_{t_i} Ω_i(t_i) reg_i(t_i)``: player ``i``'s part of NashConv, ``POWER − u_i``."""
    i = game.player_index(player)
    return tidy(
        exact_sum(
            game.marginal(i, k) * value
            for k, value in enumerate(bayesian_regrets(game, profile, i).values())
            if value is not None
        )
    )


def regret(game, profile, player, type_=None) -> sympy.Expr:
    """What player ``i`` loses against its best response, for every kind of game.

    One-shot, with ``type_``: ``reg_i(t_i)`` (:func:`exactpower.regret.regret`, unchanged);
    one-shot without ``type_``: the ex-ante regret ``Σ_{t_i} Ω_i(t_i) reg_i(t_i)``, which is
    ``POWER(i, σ) − u_i(σ)`` as for the game written as a tree; game tree:
    ``POWER(i, σ) − u_i(σ)``; stochastic game: ``POWER(i, σ) − V_i^σ(μ)``.  Sequential games
    have no types: a ``type_`` is refused there.

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> ep.regret(g, ep.BehaviourProfile.pure(g, {"1": "T", "2": "H"}), "1")
    2
    >>> pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")),
    ...     {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)},
    ...     gamma="1/2")
    >>> ep.regret(pd, ep.StationaryProfile.from_dict(pd, {"A": {"s": "c"}, "B": {"s": "c"}}), "B")
    2
    >>> mp = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> s = ep.StrategyProfile.from_dict(mp, {"1": "0", "2": "0"})
    >>> ep.regret(mp, s, "2", "-"), ep.regret(mp, s, "2")
    (2, 2)
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        if type_ is None:
            return _ex_ante_regret(game, profile, player)
        return bayesian_regret(game, profile, player, type_)
    module = _module(game, profile, "regret")
    if type_ is not None:
        raise GameKindError(
            f"regret: {_KINDS[game_kind(game)][2]} has no types; call regret(game, profile, player)"
        )
    return module.regret(game, profile, player)


def nash_conv(game, profile) -> sympy.Expr:
    """``NashConv(σ) = Σ_i (POWER(i, σ) − u_i(σ))``, 0 exactly at an equilibrium, for every
    kind of game (one-shot: ``Σ_i Σ_{t_i} Ω_i(t_i) reg_i(t_i)``, the same number).

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> kuhn = catalog.kuhn_poker()
    >>> ep.nash_conv(kuhn, ep.BehaviourProfile.uniform(kuhn))
    11/12
    >>> pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")),
    ...     {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)},
    ...     gamma="1/2")
    >>> ep.nash_conv(pd, ep.StationaryProfile.from_dict(pd, {"A": {"s": "d"}, "B": {"s": "d"}}))
    0
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        return bayesian_nash_conv(game, profile)
    return _module(game, profile, "nash_conv").nash_conv(game, profile)


def is_bayesian_nash(game, profile):
    """Whether ``σ`` is an equilibrium: a Bayesian Nash equilibrium of a one-shot game
    (:func:`exactpower.regret.is_bayesian_nash`: a symbolic game whose verdict depends on the
    parameters raises :class:`~exactpower.errors.UndecidedError`), a Nash equilibrium of a
    game tree (not necessarily subgame perfect; a symbolic tree whose verdict depends on the
    parameters gives the sympy condition ``Eq(NashConv, 0)``,
    :func:`exactpower.sequential.quantities.is_nash`), or a Nash equilibrium from ``μ`` of a
    stochastic game.  :func:`is_nash` is the same function.

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> ep.is_nash(g, ep.BehaviourProfile.uniform(g)), ep.is_nash(g, ep.BehaviourProfile.pure(g, {"1": "H", "2": "H"}))
    (True, False)
    >>> pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")),
    ...     {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)},
    ...     gamma="1/2")
    >>> ep.is_bayesian_nash(pd, ep.StationaryProfile.from_dict(pd, {"A": {"s": "d"}, "B": {"s": "d"}}))
    True
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        return bayesian_is_nash(game, profile)
    return _module(game, profile, "is_bayesian_nash").is_nash(game, profile)


is_nash = is_bayesian_nash


def constant_sum(game) -> ConstantSum:
    """:class:`~exactpower.constant_sum.ConstantSum`: the constant ``c`` when the payoffs
    sum to ``c`` everywhere (one-shot: on the prior's support; tree: at every terminal chance
    reaches; stochastic game: ``Σ_i r_i(s, a)`` at every state and joint action), else
    ``ConstantSum(None)`` -- with two witness cells for a one-shot game, without for the
    others.  ``bool()`` of the verdict says whether the game is constant-sum.

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> ep.constant_sum(catalog.kuhn_poker()), bool(ep.constant_sum(catalog.beer_quiche()))
    (ConstantSum(constant=0, witness=None), False)
    >>> pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")),
    ...     {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)},
    ...     gamma="1/2")
    >>> ep.constant_sum(pd)
    ConstantSum(constant=None, witness=None)
    """
    if isinstance(game, BayesianGame):
        return bayesian_constant_sum(game)
    kind = game_kind(game, "constant_sum")
    if kind == "tree":
        verdict = tree_quantities.constant_sum(game)
        return ConstantSum(None) if verdict is None else verdict
    return ConstantSum(stochastic_values.constant_sum(game))


def report(game, profile) -> Report:
    """Every number of a one-shot game at a profile, as one :class:`~exactpower.Report`
    (:func:`exactpower.report.report`).  A game tree or a stochastic game has no report
    record: :func:`power`, :func:`welfare`, :func:`nash_conv` and the rest give its numbers
    (and ``exactpower power`` prints those of a tree).

    >>> import exactpower as ep
    >>> from exactpower.sequential import catalog
    >>> g = catalog.matching_pennies()
    >>> ep.report(g, ep.BehaviourProfile.uniform(g))
    Traceback (most recent call last):
    ...
    exactpower.errors.GameKindError: report: one-shot Bayesian games only; a game tree's numbers are power, welfare, regret, nash_conv and is_nash
    """
    if isinstance(game, BayesianGame) and isinstance(profile, StrategyProfile):
        return bayesian_report(game, profile)
    kind = kind_of(game, profile, "report")
    raise GameKindError(
        f"report: one-shot Bayesian games only; {_KINDS[kind][2]}'s numbers are "
        f"power, welfare, regret, nash_conv and is_nash"
    )
