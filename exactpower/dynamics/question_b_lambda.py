"""Question B's λ-interpolation for Bayesian pairs, exactly (``docs/conjectures.md``).

For a common-payoff game ``C`` and a constant-sum game ``K`` on the same players, types,
actions and prior, ``r^λ = λ·C + (1 − λ)·K`` per type profile and action profile: ``λ = 1`` is
common payoff, ``λ = 0`` constant sum.  (The orientation is the reverse of
:func:`exactpower.small.conjecture.interpolation`, so that ρ grows with λ.)

:func:`lambda_path` computes at every ``λ = k/M`` the extreme BNE of the rational game ``r^λ``
(complete for two players), ΣPOWER at each, Σ best-case POWER, ρ and ρ_S; and ρ(λ), ρ_S(λ)
in closed form (the moments are polynomials in λ).  :func:`bayesian_pair` is the default
pair: a Bayesian coordination game and a Bayesian matching-pennies game with private types.
"""

from __future__ import annotations

import itertools

import numpy as np
import sympy

from ..bounds import best_case_power
from ..equilibria import equilibria
from ..errors import GameStructureError
from ..exact import Parameter, exact_sum
from ..game import BayesianGame, Player
from .correlation import correlation_moments, reward_correlation, strategic_correlation

__all__ = [
    "LAMBDA",
    "bayesian_pair",
    "mix",
    "lambda_path",
    "rho_of_lambda",
    "write_lambda_counterexample",
]

#: The parameter of the interpolation.
LAMBDA = Parameter("lam", "probability")


def bayesian_pair() -> tuple:
    """``(C, K)``: private types ``h``/``l`` for both players, actions ``a``/``b``, uniform.

    ``C`` (common payoff): both get ``1 + [t1 = h]`` if they match on ``a``, ``1 + [t2 = l]``
    if they match on ``b``, else 0.  ``K`` (zero-sum, type-dependent): player 1 gets
    ``±(1 + [t1 = h])`` (+ on a match), player 2 the negative.

    >>> C, K = bayesian_pair()
    >>> C.reward(0, (0, 0), (0, 0)), K.reward(1, (0, 1), (0, 1))
    (2, 2)
    """
    players = [Player("1", ("h", "l"), ("a", "b")), Player("2", ("h", "l"), ("a", "b"))]

    def common(t, a):
        if a[0] != a[1]:
            return (0, 0)
        v = 1 + (t[0] == "h") if a[0] == "a" else 1 + (t[1] == "l")
        return (v, v)

    def pennies(t, a):
        v = (1 if a[0] == a[1] else -1) * (1 + (t[0] == "h"))
        return (v, -v)

    return (
        BayesianGame.from_function(players, common, title="Bayesian coordination"),
        BayesianGame.from_function(players, pennies, title="Bayesian matching pennies"),
    )


def mix(common: BayesianGame, constant: BayesianGame, lam) -> BayesianGame:
    """``λ·common + (1 − λ)·constant``; ``lam`` a rational or ``LAMBDA.symbol``."""
    same = (
        common.players == constant.players
        and common.prior == constant.prior
        and not common.is_symbolic
        and not constant.is_symbolic
    )
    if not same:
        raise GameStructureError(
            "question B: the two games need the same players, types, actions and prior, "
            "and no parameters"
        )
    lam = lam if isinstance(lam, sympy.Symbol) else sympy.Rational(lam)
    values = lam * common.rewards.to_exprs() + (1 - lam) * constant.rewards.to_exprs()
    values = np.vectorize(sympy.expand, otypes=[object])(values)
    params = (LAMBDA,) if isinstance(lam, sympy.Symbol) else ()
    return BayesianGame.from_values(
        common.players, common.prior.to_exprs(), values, params, title=f"r^lambda, lambda={lam}"
    )


def rho_of_lambda(common: BayesianGame, constant: BayesianGame) -> dict:
    """ρ(λ) and ρ_S(λ) in closed form (``sympy`` expressions in ``lam``).

    >>> C, K = bayesian_pair()
    >>> r = rho_of_lambda(C, K)
    >>> [r["rho"].subs(LAMBDA.symbol, v) for v in (0, 1)]
    [-1, 1]
    """
    game = mix(common, constant, LAMBDA.symbol)
    out = {}
    for name, strategic in (("rho", False), ("rho_s", True)):
        cov, vi, vj = correlation_moments(game, strategic=strategic)
        out[name] = sympy.factor(cov) / sympy.sqrt(sympy.factor(vi * vj))
    return out


def lambda_path(common=None, constant=None, grid: int = 12) -> dict:
    """ΣPOWER at every extreme BNE of ``r^λ`` for ``λ = 0, 1/grid, ..., 1``, exactly.

    Returns ``{"rho_formula", "rho_s_formula", "points": [{"lam", "rho", "rho_s",
    "equilibria": [ΣPOWER, ...] (sorted), "eq_min", "eq_max", "best_case"}],
    "monotone": {"eq_max": [...], "eq_min": [...]}}`` where ``monotone`` lists the
    consecutive λ where the value *decreases* as λ grows (towards common payoff).

    >>> res = lambda_path(grid=2)
    >>> [(p["lam"], p["eq_min"], p["eq_max"], p["best_case"]) for p in res["points"]]
    [(0, 0, 0, 3), (1/2, 1, 1, 9/4), (1, 2, 3, 3)]
    """
    if isinstance(grid, bool) or not isinstance(grid, int) or grid < 1:
        raise GameStructureError(f"question B: the λ grid must be a positive int, got {grid!r}")
    if common is None or constant is None:
        common, constant = bayesian_pair()
    points = []
    for k in range(grid + 1):
        lam = sympy.Rational(k, grid)
        game = mix(common, constant, lam)
        sums = sorted(e.power_sum for e in equilibria(game))
        points.append(
            {
                "lam": lam,
                "rho": reward_correlation(game),
                "rho_s": strategic_correlation(game),
                "equilibria": sums,
                "eq_min": sums[0],
                "eq_max": sums[-1],
                "best_case": exact_sum(best_case_power(game, i).value for i in range(2)),
            }
        )
    formulas = rho_of_lambda(common, constant)
    monotone = {
        f: [
            {"from": a["lam"], "to": b["lam"], "value_from": a[f], "value_to": b[f]}
            for a, b in itertools.pairwise(points)
            if b[f] < a[f]
        ]
        for f in ("eq_max", "eq_min")
    }
    return {
        "rho_formula": formulas["rho"],
        "rho_s_formula": formulas["rho_s"],
        "points": points,
        "monotone": monotone,
    }


def write_lambda_counterexample(res: dict, directory, common=None, constant=None) -> dict:
    """For the first drop of the worst equilibrium's ΣPOWER as λ grows: the games ``r^λ``
    before and after (``DIR/question-b-lambda-before.json``, ``…-after.json``) and the
    equilibrium of least ΣPOWER of each (``…-before-min.json``, ``…-after-min.json``), which
    ``exactpower verify GAME --profile P`` re-checks.  ``{}`` when there is no drop."""
    from pathlib import Path

    from ..io import dumps

    drops = res["monotone"]["eq_min"]
    if not drops:
        return {}
    if common is None or constant is None:
        common, constant = bayesian_pair()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    paths = {}
    for stem, lam in (("before", drops[0]["from"]), ("after", drops[0]["to"])):
        game = mix(common, constant, lam)
        worst = min(equilibria(game), key=lambda e: e.power_sum)
        files = {"game": out / f"question-b-lambda-{stem}.json"}
        files["min"] = out / f"question-b-lambda-{stem}-min.json"
        files["game"].write_text(dumps(game) + "\n", encoding="utf-8")
        files["min"].write_text(dumps(worst.profile) + "\n", encoding="utf-8")
        paths[stem] = {k: str(v) for k, v in files.items()}
    return paths
