"""Values for parameters: :meth:`BayesianGame.subs <exactpower.BayesianGame.subs>` and
:meth:`StrategyProfile.subs <exactpower.StrategyProfile.subs>`.

:func:`substitution` checks a mapping ``{name: value}`` against a game's declared
parameters -- known names only, every value through
:func:`~exactpower.exact.as_exact` (floats refused), in its parameter's domain
(``probability``: in [0, 1]; ``positive``: > 0; ``nonnegative``: >= 0) -- and
returns the sympy substitution with the parameters that remain.  A value may be
an expression in the parameters that remain (``{"x": "2*y"}``); its domain is then
checked for every value of those.  :func:`substitute_values` applies it to an
object array of exact values.

>>> from exactpower import Parameter
>>> q, x = Parameter("q", "probability"), Parameter("x")
>>> mapping, left = substitution((q, x), {"q": "1/2"})
>>> mapping, left
({q: 1/2}, (Parameter(name='x', domain='real'),))
>>> substitution((q, x), {"q": 2})
Traceback (most recent call last):
...
exactpower.errors.ParameterError: subs: parameter 'q' (probability) must be in [0, 1], got 2
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping

import numpy as np
import sympy

from .errors import ParameterError
from .exact import Parameter, as_exact, probability_symbols, provably_nonnegative

__all__ = ["substitution", "substitute_values", "substitute_game"]

_DOMAIN_TEXT = {"probability": "in [0, 1]", "positive": "> 0", "nonnegative": ">= 0"}


def _name(key) -> str:
    if isinstance(key, Parameter):
        return key.name
    if isinstance(key, sympy.Symbol):
        return key.name
    if isinstance(key, str):
        return key
    raise ParameterError(f"subs: a parameter is named by a string, got {key!r}")


def _in_domain(value: sympy.Expr, domain: str, probs: frozenset) -> bool:
    if domain == "real":
        return True
    if isinstance(value, sympy.Rational):
        return {"probability": 0 <= value <= 1, "positive": value > 0, "nonnegative": value >= 0}[
            domain
        ]
    if domain == "positive":
        return value.is_positive is True
    ok = provably_nonnegative(value, probs)
    return ok and (domain != "probability" or provably_nonnegative(1 - value, probs))


def substitution(parameters, values) -> tuple:
    """``({symbol: value}, remaining parameters)`` for a mapping ``values`` of parameter
    names (``str``, :class:`~exactpower.exact.Parameter` or sympy ``Symbol``) to exact
    values; raises :class:`~exactpower.ParameterError` for an unknown name, a value out
    of its domain, or a value that mentions a parameter it replaces."""
    if not isinstance(values, Mapping):
        raise ParameterError("subs: expected a mapping {parameter name: value}")
    declared = {p.name: p for p in parameters}
    named = {}
    for key, value in values.items():
        name = _name(key)
        if name not in declared:
            known = ", ".join(declared) or "none"
            raise ParameterError(f"subs: unknown parameter {name!r} (declared: {known})")
        if name in named:
            raise ParameterError(f"subs: parameter {name!r} is given twice")
        named[name] = value
    remaining = tuple(p for p in parameters if p.name not in named)
    probs = probability_symbols(remaining)
    mapping = {}
    for name, value in named.items():
        p = declared[name]
        v = as_exact(value, remaining, where=f"subs: value of {name!r}")
        if not _in_domain(v, p.domain, probs):
            raise ParameterError(
                f"subs: parameter {name!r} ({p.domain}) must be {_DOMAIN_TEXT[p.domain]}, got {v}"
            )
        mapping[p.symbol] = v
    return mapping, remaining


def substitute_values(values: np.ndarray, mapping: dict) -> np.ndarray:
    """A copy of an object array of exact values (``None`` kept) with ``mapping`` applied."""
    if not mapping:
        return values.copy()
    cache: dict = {}

    def one(v):
        if v is None or isinstance(v, sympy.Rational):
            return v
        if v not in cache:
            cache[v] = v.xreplace(mapping)
        return cache[v]

    out = np.empty(values.shape, dtype=object)
    out.ravel()[:] = [one(v) for v in values.ravel().tolist()]
    return out


def substitute_game(game, values: Mapping):
    """``game.subs(values)``: the game with values ``{name: value}`` for some or all of its
    parameters.

    Names must be declared parameters; values go through
    :func:`~exactpower.exact.as_exact` (floats refused) and must lie in their parameter's
    domain (a ``probability`` in [0, 1]); the prior and the rewards are validated again
    (:meth:`~exactpower.BayesianGame.from_values`), and a declared ``constant_sum`` is
    substituted too.  A value for every parameter gives a rational game.

    >>> from exactpower import BayesianGame, Parameter
    >>> x, q = Parameter("x"), Parameter("q", "probability")
    >>> g = BayesianGame.from_tables([["x", "1 - q"]], parameters=[x, q])
    >>> g.subs({"x": 2}).parameters, g.subs({"x": 2, "q": "1/4"}).is_symbolic
    ((Parameter(name='q', domain='probability'),), False)
    >>> g.subs({"x": 2, "q": "1/4"}).reward(0, (0,), (1,))
    3/4
    >>> g.subs({"y": 1})
    Traceback (most recent call last):
    ...
    exactpower.errors.ParameterError: subs: unknown parameter 'y' (declared: x, q)
    >>> g.subs({"x": 0.5})
    Traceback (most recent call last):
    ...
    exactpower.errors.InexactValueError: subs: value of 'x': 0.5 is a float; exactpower takes exact values only (write "1/2" or Fraction(1, 2))
    """
    mapping, remaining = substitution(game.parameters, values)
    if not mapping:
        return game
    rewards = substitute_values(game.rewards.to_exprs(), mapping)
    if game.unset is not None:
        rewards[game.unset] = None
    prior = substitute_values(game.prior.to_exprs(), mapping)
    out = type(game).from_values(game.players, prior, rewards, remaining, game.title)
    constant = game.declared_constant_sum
    if constant is None:
        return out
    return dataclasses.replace(out, declared_constant_sum=constant.xreplace(mapping))
