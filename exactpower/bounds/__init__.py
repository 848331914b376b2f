"""Best-case and worst-case POWER (the article's Case 1 and Case 2; ``docs/power-bounds.md``).

``POWER⁺(i) = max over σ_-i of POWER(i, σ)`` -- "everyone plays nice";
``POWER⁻(i) = min over σ_-i of POWER(i, σ)`` -- "everyone plays mean".

Both are computed exactly for rational games, and every reported number is
re-computed from a witness, never taken from the search that found it:

* **Best case** (:func:`best_case_power`).  ``POWER(i, σ)`` is convex in each
  opponent's strategy (a sum over own types of maxima of functions linear in
  ``σ_j``), so its maximum over the product of the opponents' strategy sets is
  attained at a vertex: a *pure* opponent profile, each opponent a map
  type → action.  A depth-first branch and bound over the opponents'
  (type → action) slots finds it; the bound of a partial assignment is
  ``Σ_{t_i} max_{a_i} Σ_{t_-i} Ω(t) · max_{a_-i consistent} r_i(t, a)``, exact
  once every slot is set.  Method ``"pure-opponents-branch-and-bound"``.
  Equivalently, ``POWER⁺(i)`` is the largest ex-ante expected reward of ``i``
  over all pure profiles of *all* players (``i`` best-responds type by type).
* **Worst case, two players** (:func:`worst_case_power`).  A linear program,
  solved by exactpower's own exact simplex (rational arithmetic with
  python-flint, Dantzig's rule falling back to Bland's rule, so it always
  terminates)::

      minimise Σ_{t_i} v[t_i]  subject to
          v[t_i] ≥ Σ_{t_j, a_j} Ω(t_i, t_j)·y[t_j, a_j]·r_i(t, (a_i, a_j))  for all t_i, a_i,
          Σ_{a_j} y[t_j, a_j] = 1 for all t_j,   y ≥ 0.

  Its dual is player ``i``'s *maxmin* problem -- a strategy ``σ_i`` that
  guarantees ``g(σ_i) = Σ_{t_j} min_{a_j} E[...]`` against every opponent --
  so ``POWER⁻(i)`` is the value of the zero-sum Bayesian game in which the
  opponent's reward is ``-r_i``.  Both programs are solved; the result is
  reported only after two independent exact checks: ``POWER(i, σ_j*)``
  computed by :func:`exactpower.power` at the minimiser (an upper bound) and
  the guarantee ``g(σ_i*)`` of the maxmin strategy (a lower bound) are equal.
  Method ``"exact-lp"``.
* **Worst case, three or more players.**  ``POWER`` is convex, not linear, in
  the opponents' joint strategy, and the minimum over *independent* mixed
  strategies is in general not a linear program.  Reported are

  - an upper bound, ``"pure-minimum"``: the exact minimum of ``POWER(i, ·)``
    over pure opponent profiles (a branch and bound as above), or, when
    smaller, ``POWER`` at the product of the marginals of the correlated LP's
    solution (``"correlated-lp-marginals"``), or, when smaller still, the end
    of a coordinate descent from both (``"lp-coordinate-descent"``: each
    opponent in turn switches to its exact best reply, a linear program,
    while the others stay fixed); the bound is ``POWER`` at the profile in
    ``attained_by``, re-computed;
  - a lower bound, ``"correlated-lp-bound"``: the same linear program with the
    opponents treated as one team that may correlate its actions on its whole
    type profile ``t_-i``; certified by player ``i``'s maxmin strategy against
    that team (``guarantee``), whose guarantee is re-computed exactly.

  When the two coincide the value is exact (``exact=True``).

Types of prior probability 0 are left out of every program (their actions
cannot change any expectation); in ``attained_by`` they play their first
action.  Symbolic games are refused: power bounds need a rational game.

Examples
--------
Matching pennies: the opponent can hand each player everything or nothing.

>>> from exactpower import BayesianGame
>>> mp = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]],
...                               names=("row", "col"))
>>> best_case_power(mp, "row").value, worst_case_power(mp, "row").value
(1, 0)
"""

from __future__ import annotations

import math

import sympy

from ..errors import LimitError
from ..game import BayesianGame
from ..limits import MAX_LP_SIZE, MAX_SEARCH_NODES
from .record import FrozenDict, PowerBound
from .search import Setup, branch_and_bound, pure_strategies, reduce_table
from .team import TeamLP, coordinate_descent

__all__ = [
    "PowerBound",
    "best_case_power",
    "worst_case_power",
    "MAX_SEARCH_NODES",
    "MAX_LP_SIZE",
    "FrozenDict",
]


# -- best case -------------------------------------------------------------------------


def _no_opponents(setup: Setup, case: str) -> PowerBound:
    name = setup.game.players[setup.i].name
    value = setup.power_of({})
    return PowerBound(
        name,
        case,
        value,
        value,
        value,
        True,
        "no-opponents",
        {},
        None if case == "best" else _own_best(setup),
        "one-player game: there are no opponents, so POWER⁺ = POWER⁻ = POWER",
    )


def _own_best(setup: Setup) -> dict:
    """In a one-player game, the guarantee is simply a best response in each type."""
    game, me = setup.game, setup.game.players[setup.i]
    table = reduce_table(setup, [], True)
    out = {}
    for k, t in enumerate(me.types):
        row = [int(v) for v in table[k].tolist()]
        out[t] = {me.actions[row.index(max(row))]: sympy.Integer(1)}
    del game
    return out


def best_case_power(
    game: BayesianGame, player, *, max_nodes: int | None = MAX_SEARCH_NODES
) -> PowerBound:
    """``POWER⁺(i) = max over σ_-i of POWER(i, σ)``, exactly (the article's Case 1).

    Pure opponent profiles attain the maximum (POWER is convex in each
    opponent's strategy); a branch and bound over the opponents' type → action
    maps finds one.  The value is re-computed with :func:`exactpower.power`
    at the reported profile.

    Parameters
    ----------
    game : BayesianGame
        A rational game.
    player : str or int
    max_nodes : int or None
        Limit on the search nodes; over it, :class:`~exactpower.LimitError`.
        ``None``: no limit.

    Returns
    -------
    PowerBound
        ``exact`` is always True; ``attained_by`` is a pure opponent profile.

    Examples
    --------
    Stripped-down poker: the caller's POWER is largest, 1/2, when the dealer
    bets exactly with the queen (and the caller then calls).

    >>> from exactpower.catalog import stripped_down_poker
    >>> b = best_case_power(stripped_down_poker(), "caller")
    >>> b.value, dict(b.attained_by["dealer"])
    (1/2, {'K': {'check': 1}, 'Q': {'bet': 1}})
    """
    setup = Setup(game, player, "best_case_power")
    if not setup.others:
        return _no_opponents(setup, "best")
    value, assign, nodes, complete = branch_and_bound(setup, True, max_nodes, "best_case_power")
    name = game.players[setup.i].name
    if not complete:
        raise LimitError(
            f"best_case_power: player {name!r}: the search over pure opponent "
            f"profiles needs more than max_nodes = {max_nodes} nodes"
        )
    strategies = pure_strategies(setup, assign)
    exact_value = setup.rational(value)
    check = setup.power_of(strategies)
    if check != exact_value:  # pragma: no cover - an internal inconsistency
        raise AssertionError(f"best_case_power: search value {exact_value} != POWER {check}")
    total = math.prod(
        game.action_shape[j] ** sum(1 for m in setup.marginals[j] if m != 0) for j in setup.others
    )
    return PowerBound(
        name,
        "best",
        exact_value,
        exact_value,
        exact_value,
        True,
        "pure-opponents-branch-and-bound",
        strategies,
        None,
        f"maximum over the {total} pure opponent profiles (pure profiles attain "
        f"it: POWER is convex in each opponent's strategy); {nodes} search nodes",
    )


# -- worst case ----------------------------------------------------------------------


def worst_case_power(
    game: BayesianGame, player, *, max_nodes: int | None = MAX_SEARCH_NODES, descend: bool = True
) -> PowerBound:
    """``POWER⁻(i) = min over σ_-i of POWER(i, σ)`` (the article's Case 2).

    Two players: exact, by a linear program and its dual, both re-checked
    exactly (``method="exact-lp"``).  Three or more players: proven bounds --
    ``upper`` from the minimum over pure opponent profiles (``"pure-minimum"``)
    or the correlated LP's marginals, ``lower`` from the correlated-opponents
    LP (``"correlated-lp-bound"``); exact when they meet.  One player: POWER.

    Parameters
    ----------
    game : BayesianGame
        A rational game.
    player : str or int
    max_nodes : int or None
        Limit on the nodes of the pure-minimum search (three or more
        players); over it the search stops and the best profile found so far
        gives the upper bound (said in ``notes``).
    descend : bool
        Three or more players: improve the upper bound by coordinate descent
        from the pure minimum and from the correlated LP's marginals -- each
        opponent in turn switches to its exact best reply (a linear program),
        and ``POWER`` is re-computed at every step.

    Examples
    --------
    Stripped-down poker: the dealer is guaranteed 1/3, the caller -1/3 (the
    value of the game); the minimisers are the equilibrium strategies.

    >>> from exactpower.catalog import stripped_down_poker
    >>> poker = stripped_down_poker()
    >>> w = worst_case_power(poker, "dealer")
    >>> w.value, dict(w.attained_by["caller"]["-"]), w.method
    (1/3, {'call': 2/3, 'fold': 1/3}, 'exact-lp')
    >>> c = worst_case_power(poker, "caller")
    >>> c.value, dict(c.attained_by["dealer"]["Q"])
    (-1/3, {'bet': 1/3, 'check': 2/3})
    """
    setup = Setup(game, player, "worst_case_power")
    name = game.players[setup.i].name
    if not setup.others:
        return _no_opponents(setup, "worst")
    lp = TeamLP(setup)
    y = lp.primal()
    x = lp.dual()
    guarantee = lp.own_strategy(x)
    lower = lp.guarantee(x)
    candidate = lp.marginal_strategies(y)
    candidate_value = setup.power_of(candidate)
    if len(setup.others) == 1:
        if candidate_value != lower:  # pragma: no cover - LP duality makes them equal
            raise AssertionError(
                f"worst_case_power: minimiser gives {candidate_value}, maxmin guarantee {lower}"
            )
        return _exact_lp(name, lower, candidate, guarantee)
    return _several_opponents(
        setup, lower, guarantee, candidate, candidate_value, max_nodes, descend
    )


def _exact_lp(name: str, value, attained: dict, guarantee: dict) -> PowerBound:
    """Two players: the record of the LP's value, re-checked from both sides."""
    return PowerBound(
        name,
        "worst",
        value,
        value,
        value,
        True,
        "exact-lp",
        attained,
        guarantee,
        "linear program over the opponent's mixed strategy, and its dual "
        "(the player's maxmin strategy); POWER at the minimiser equals the "
        "guarantee of the maxmin strategy, so both are optimal",
    )


def _several_opponents(
    setup: Setup,
    lower,
    guarantee: dict,
    candidate: dict,
    candidate_value,
    max_nodes: int | None,
    descend: bool,
) -> PowerBound:
    """Three or more players: the best upper bound (pure minimum, the correlated LP's
    marginals, coordinate descent from both) against the correlated LP's lower bound."""
    name = setup.game.players[setup.i].name
    value, assign, nodes, complete = branch_and_bound(setup, False, max_nodes, "worst_case_power")
    pure = pure_strategies(setup, assign)
    pure_value = setup.rational(value)
    if setup.power_of(pure) != pure_value:  # pragma: no cover
        raise AssertionError("worst_case_power: pure-minimum search disagrees with POWER")
    if candidate_value < pure_value:
        upper, upper_method, attained = candidate_value, "correlated-lp-marginals", candidate
    else:
        upper, upper_method, attained = pure_value, "pure-minimum", pure
    descent, solved = "", 0
    if upper > lower and descend:
        for start, start_value in ((pure, pure_value), (candidate, candidate_value)):
            found, found_value, k = coordinate_descent(setup, start, start_value, lower)
            solved += k
            if found_value < upper:
                upper, upper_method, attained = found_value, "lp-coordinate-descent", found
        descent = (
            f"; coordinate descent from both (each opponent in turn plays its exact "
            f"best reply, an LP; {solved} programs)"
        )
    search = (
        f"minimum over pure opponent profiles ({nodes} search nodes)"
        if complete
        else f"best pure opponent profile found in {nodes} search nodes (search stopped at "
        f"max_nodes; not necessarily the pure minimum)"
    )
    notes = _several_notes(
        len(setup.others), upper_method, f"{search}: {pure_value}", candidate_value, descent
    )
    if lower == upper:
        return PowerBound(
            name,
            "worst",
            lower,
            lower,
            upper,
            True,
            f"{upper_method} = correlated-lp-bound",
            attained,
            guarantee,
            notes + "; the bounds meet, so the value is exact",
        )
    return PowerBound(
        name,
        "worst",
        None,
        lower,
        upper,
        False,
        f"{upper_method} / correlated-lp-bound",
        attained,
        guarantee,
        notes,
    )


def _several_notes(others: int, upper_method: str, search: str, candidate_value, descent) -> str:
    """The ``notes`` of a worst case with several opponents: how each bound was found."""
    return (
        f"{others} opponents: upper bound = POWER at {upper_method} "
        f"[{search}; POWER at the product of the correlated LP's marginals: "
        f"{candidate_value}{descent}]; lower bound = correlated-opponents LP (the opponents "
        f"as one team correlating on their joint type), certified by the guarantee of the "
        f"player's maxmin strategy"
    )
