"""Hypothesis strategies for exactpower's own types, and an exact-equality helper.

For tests in exactpower and in projects that build on it::

    from hypothesis import given
    from exactpower.testing import bayesian_games, profiles

    @given(bayesian_games(max_players=3).flatmap(lambda g: profiles(g).map(lambda s: (g, s))))
    def test_identity(pair): ...

Strategies are plural nouns with keyword-only bounds, validated on call.
Requires ``hypothesis`` (a test dependency, not a runtime one).
"""

from __future__ import annotations

import math
from fractions import Fraction

import sympy
from hypothesis import strategies as st

from .exact import to_rational
from .game import BayesianGame, Player
from .profile import StrategyProfile

__all__ = [
    "bayesian_games",
    "constant_sum_games",
    "profiles",
    "games_with_profiles",
    "assert_exact_equal",
]


def _check_bounds(name: str, low: int, high: int, floor: int) -> None:
    for label, v in ((f"min_{name}", low), (f"max_{name}", high)):
        if isinstance(v, bool) or not isinstance(v, int):
            raise TypeError(f"{label} must be an int, got {v!r}")
    if low < floor or high < low:
        raise ValueError(f"need {floor} <= min_{name} <= max_{name}, got {low} and {high}")


@st.composite
def _games(
    draw,
    min_players,
    max_players,
    min_types,
    max_types,
    min_actions,
    max_actions,
    rewards,
    prior,
    max_cells,
):
    n = draw(st.integers(min_players, max_players))
    while True:
        tshape = [draw(st.integers(min_types, max_types)) for _ in range(n)]
        ashape = [draw(st.integers(min_actions, max_actions)) for _ in range(n)]
        if math.prod(tshape) * math.prod(ashape) <= max_cells:
            break
        # Shrink the largest dimension deterministically, so the draw terminates.
        max_types = max(min_types, max_types - 1)
        max_actions = max(min_actions, max_actions - 1)
    players = [
        Player(
            f"p{i}",
            tuple(f"t{k}" for k in range(tshape[i])),
            tuple(f"a{k}" for k in range(ashape[i])),
        )
        for i in range(n)
    ]
    cells = math.prod(tshape)
    if prior == "uniform":
        weights = [1] * cells
    elif prior == "independent":
        marginals = [
            draw(st.lists(st.integers(0, 3), min_size=k, max_size=k).filter(any)) for k in tshape
        ]
        weights = []
        for idx in _indices(tshape):
            weights.append(math.prod(m[k] for m, k in zip(marginals, idx)))
    else:  # correlated, zeros allowed
        weights = draw(st.lists(st.integers(0, 4), min_size=cells, max_size=cells).filter(any))
    total = sum(weights)
    type_names = [p.types for p in players]
    mapping = {
        tuple(names[k] for names, k in zip(type_names, idx)): Fraction(w, total)
        for idx, w in zip(_indices(tshape), weights)
        if w
    }
    table = {}

    def reward(t, a):
        key = (t, a)
        if key not in table:
            table[key] = [draw(rewards) for _ in range(n)]
        return table[key]

    return BayesianGame.from_function(players, reward, prior=mapping)


def _indices(shape):
    import itertools

    return itertools.product(*(range(k) for k in shape))


def bayesian_games(
    *,
    min_players: int = 1,
    max_players: int = 3,
    min_types: int = 1,
    max_types: int = 3,
    min_actions: int = 1,
    max_actions: int = 3,
    rewards=None,
    prior: str = "correlated",
    max_cells: int = 512,
):
    """Rational Bayesian games with small random shapes and exact rewards.

    Parameters
    ----------
    min_players, max_players, min_types, max_types, min_actions, max_actions : int
        Bounds (inclusive) on the number of players, and of types and
        actions per player.
    rewards : hypothesis strategy, optional
        Draws one reward (an int or a Fraction).  Default: integers in [-3, 3]
        and halves, so that ties and degenerate games are frequent.
    prior : {"correlated", "independent", "uniform"}
        ``"correlated"`` draws a joint prior with zeros allowed.
    max_cells : int
        Bound on type profiles x action profiles, to keep examples small.

    Examples
    --------
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5)
    ... @given(bayesian_games(max_players=2))
    ... def test(game):
    ...     assert 1 <= game.n_players <= 2
    >>> test()
    """
    _check_bounds("players", min_players, max_players, 1)
    _check_bounds("types", min_types, max_types, 1)
    _check_bounds("actions", min_actions, max_actions, 1)
    if prior not in ("correlated", "independent", "uniform"):
        raise ValueError(f"prior must be 'correlated', 'independent' or 'uniform', not {prior!r}")
    if rewards is None:
        rewards = st.one_of(st.integers(-3, 3), st.integers(-7, 7).map(lambda k: Fraction(k, 2)))
    elif not isinstance(rewards, st.SearchStrategy):
        raise TypeError("rewards must be a hypothesis strategy")
    return _games(
        min_players,
        max_players,
        min_types,
        max_types,
        min_actions,
        max_actions,
        rewards,
        prior,
        max_cells,
    )


@st.composite
def _constant_sum(draw, games, constants):
    game = draw(games)
    c = draw(constants)
    n = game.n_players

    def rewards(t, a):
        ti = tuple(p.types.index(x) for p, x in zip(game.players, t))
        ai = tuple(p.actions.index(x) for p, x in zip(game.players, a))
        first = [game.reward(i, ti, ai) for i in range(n - 1)]
        return first + [c - sum(first)]

    prior = {
        tuple(p.types[k] for p, k in zip(game.players, t)): game.probability(t)
        for t in game.support
    }
    return BayesianGame.from_function(game.players, rewards, prior=prior)


def constant_sum_games(*, constants=None, min_players: int = 2, **game_options):
    """Constant-sum games: a random game whose last player takes ``c`` minus the others' rewards.

    ``constants`` draws ``c`` (default: integers in [-2, 2]); the other options
    are those of :func:`bayesian_games`.

    >>> from hypothesis import given, settings
    >>> from exactpower import constant_sum
    >>> @settings(max_examples=5)
    ... @given(constant_sum_games(max_players=3))
    ... def test(game):
    ...     assert constant_sum(game)
    >>> test()
    """
    if constants is None:
        constants = st.integers(-2, 2)
    elif not isinstance(constants, st.SearchStrategy):
        raise TypeError("constants must be a hypothesis strategy")
    if min_players < 2:
        raise ValueError(f"a constant-sum game here needs min_players >= 2, got {min_players}")
    return _constant_sum(bayesian_games(min_players=min_players, **game_options), constants)


@st.composite
def _profiles(draw, game, pure, max_weight):
    if pure:
        choice = {
            p.name: {t: p.actions[draw(st.integers(0, len(p.actions) - 1))] for t in p.types}
            for p in game.players
        }
        return StrategyProfile.pure(game, choice)
    weights = []
    for p in game.players:
        rows = []
        for _ in p.types:
            row = draw(
                st.lists(
                    st.integers(0, max_weight), min_size=len(p.actions), max_size=len(p.actions)
                ).filter(any)
            )
            rows.append(row)
        weights.append(rows)
    import numpy as np

    return StrategyProfile.from_arrays(game, [np.array(w, dtype=np.int64) for w in weights])


def profiles(game: BayesianGame, *, pure: bool = False, max_weight: int = 4):
    """Strategy profiles of ``game`` with exact rational (or pure) mixed actions.

    Each mixed action is a random row of integer weights in ``[0, max_weight]``
    (not all 0), normalised -- so supports vary and pure actions occur.

    >>> from hypothesis import given, settings
    >>> g = BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    >>> @settings(max_examples=5)
    ... @given(profiles(g))
    ... def test(s):
    ...     assert sum(s.strategies[0][0]) == 1
    >>> test()
    """
    if not isinstance(game, BayesianGame):
        raise TypeError("profiles needs a BayesianGame")
    if isinstance(max_weight, bool) or not isinstance(max_weight, int) or max_weight < 1:
        raise ValueError(f"max_weight must be a positive int, got {max_weight!r}")
    return _profiles(game, pure, max_weight)


def games_with_profiles(*, pure: bool = False, **game_options):
    """Pairs ``(game, profile)``: :func:`bayesian_games` then :func:`profiles` of it."""
    return bayesian_games(**game_options).flatmap(
        lambda g: profiles(g, pure=pure).map(lambda s: (g, s))
    )


def assert_exact_equal(actual, expected) -> None:
    """Assert that ``actual`` is an exact sympy value equal to ``expected``.

    Floats never pass, even when equal in value: ``sympy.Rational(1, 2) == 0.5``
    could hold in some sympy versions, so the type is checked first.

    >>> assert_exact_equal(sympy.Rational(1, 2), Fraction(1, 2))
    >>> assert_exact_equal(sympy.Float(0.5), Fraction(1, 2))
    Traceback (most recent call last):
    ...
    AssertionError: 0.500000000000000 is a Float, not an exact value
    """
    if not isinstance(actual, sympy.Expr) or actual.has(sympy.Float):
        raise AssertionError(f"{actual!r} is a {type(actual).__name__}, not an exact value")
    if isinstance(expected, (Fraction, int)):
        expected = to_rational(expected)
    if isinstance(expected, float):
        raise AssertionError("expected value is a float; compare with an exact value")
    if isinstance(actual, sympy.Rational) and isinstance(expected, sympy.Rational):
        ok = actual == expected
    else:
        ok = sympy.simplify(actual - expected) == 0
    if not ok:
        raise AssertionError(f"{actual} != {expected}")
