"""OpenSpiel games and policies as exact trees and behaviour profiles (the ``openspiel`` extra).

:func:`from_openspiel` walks the whole tree of a ``pyspiel`` game -- sequential,
finite, turn-based, with explicit chance -- and returns an
:class:`~exactpower.sequential.ExtensiveGame`:

* **players** ``"P0"``, ``"P1"``, ... (OpenSpiel's player ids);
* **information sets** named by ``state.information_state_string(player)`` (the keys of
  OpenSpiel's tabular policies), or ``"P<i>:<string>"`` for every set when two players
  share a string;
* **actions** named by ``state.action_to_string(player, action)`` (with the action id
  appended, ``"Bet [1]"``, where two actions of a node share a name);
* **numbers**: OpenSpiel stores chance probabilities and returns as floats.  Each becomes
  the exact rational with the *smallest denominator* within ``1e-12`` of the float
  (the simplest fraction of the interval, by the Stern-Brocot / continued-fraction
  search); when that denominator is not below ``10**6`` the game is refused with an
  error naming the node, and so is a chance node whose probabilities, so converted, do
  not sum to exactly 1.

:func:`policy_from_openspiel` converts an OpenSpiel policy (a ``TabularPolicy`` or any
``policy.Policy``) on the same game into a
:class:`~exactpower.sequential.BehaviourProfile`: each probability is read by
:func:`exactpower.exact.rationalize` with the ``max_denominator`` the caller chooses
(CFR's average policies need large ones); if a row then misses 1 by at most
``tolerance`` (default ``1e-9``), its largest probability absorbs the difference,
otherwise the row is refused.  See ``docs/sequential.md``, "From OpenSpiel".

With the ``openspiel`` extra installed (``tests/sequential/test_openspiel.py`` runs it)::

    kuhn = from_openspiel("kuhn_poker")
    len(kuhn.nodes), len(kuhn.infosets_of(0))     # (58, 6): P0's information sets "0", "1", …

The conversion of a float needs no OpenSpiel:

>>> simplest_within(1 / 3), simplest_within(0.1)
(Fraction(1, 3), Fraction(1, 10))
"""

from __future__ import annotations

import importlib
import math
from fractions import Fraction

import sympy

from ..errors import GameError, LimitError, ProbabilityError, ProfileError
from ..exact import to_rational
from ..exact.floats import DEFAULT_MAX_DENOMINATOR, rationalize
from ..limits import MAX_TREE_NODES
from .behaviour import BehaviourProfile
from .tree import ExtensiveGame, chance, decision, terminal

__all__ = [
    "from_openspiel",
    "policy_from_openspiel",
    "simplest_within",
    "OPENSPIEL_TOLERANCE",
    "OPENSPIEL_MAX_DENOMINATOR",
    "OpenSpielError",
]

#: How far a converted chance probability or return may be from OpenSpiel's float.
OPENSPIEL_TOLERANCE = Fraction(1, 10**12)
#: Chance probabilities and returns must have a denominator below this.
OPENSPIEL_MAX_DENOMINATOR = 10**6


class OpenSpielError(GameError, ValueError):
    """An OpenSpiel game or policy exactpower cannot convert exactly."""


def simplest_within(x: float, tolerance: Fraction = OPENSPIEL_TOLERANCE) -> Fraction:
    """The fraction with the smallest denominator in ``[x - tolerance, x + tolerance]``.

    >>> simplest_within(1 / 3), simplest_within(0.1), simplest_within(-2.5)
    (Fraction(1, 3), Fraction(1, 10), Fraction(-5, 2))
    """
    exact = Fraction(x)
    return _simplest(exact - tolerance, exact + tolerance)


def _simplest(lo: Fraction, hi: Fraction) -> Fraction:
    """The simplest fraction in ``[lo, hi]`` (continued fractions, iteratively)."""
    terms: list = []
    while True:
        floor = math.floor(lo)
        if floor == lo or math.floor(hi) > floor:
            value = Fraction(floor if floor == lo else floor + 1)
            break
        terms.append(floor)
        lo, hi = 1 / (hi - floor), 1 / (lo - floor)
    for term in reversed(terms):
        value = term + 1 / value
    return value


def _exact(x: float, where: str) -> sympy.Rational:
    """An OpenSpiel float as the simplest rational within the tolerance, or an error."""
    if not math.isfinite(x):
        raise OpenSpielError(f"{where}: {x!r} is not a finite number")
    q = simplest_within(float(x))
    if q.denominator >= OPENSPIEL_MAX_DENOMINATOR:
        raise OpenSpielError(
            f"{where}: no fraction with a denominator below {OPENSPIEL_MAX_DENOMINATOR} "
            f"lies within 1e-12 of the float {x!r}"
        )
    return to_rational(q)


def _pyspiel():
    """The ``pyspiel`` module (the ``openspiel`` extra), imported when first needed."""
    return importlib.import_module("pyspiel")


def _load(game_or_name, params):
    pyspiel = _pyspiel()
    if isinstance(game_or_name, str):
        if params:
            return pyspiel.load_game(game_or_name, dict(params))
        return pyspiel.load_game(game_or_name)
    if params:
        raise TypeError("from_openspiel: params are for a game given by name")
    return game_or_name


def _check_type(game) -> None:
    pyspiel = _pyspiel()
    kind = game.get_type()
    name = kind.short_name
    dynamics = pyspiel.GameType.Dynamics
    if kind.dynamics != dynamics.SEQUENTIAL:
        raise OpenSpielError(
            f"OpenSpiel game {name!r}: {kind.dynamics.name.lower()} dynamics; exactpower reads "
            f"sequential turn-based games only"
        )
    if kind.chance_mode == pyspiel.GameType.ChanceMode.SAMPLED_STOCHASTIC:
        raise OpenSpielError(
            f"OpenSpiel game {name!r}: sampled chance (no explicit probabilities to read)"
        )
    if not kind.provides_information_state_string:
        raise OpenSpielError(
            f"OpenSpiel game {name!r}: no information_state_string, so no information sets"
        )


class _Walk:
    """A pass over an OpenSpiel game tree: collects a state per information set (the first
    pass, ``names`` unset) or builds the tree (``names`` set)."""

    def __init__(self, max_nodes: int):
        self.max_nodes = max_nodes
        self.count = 0
        self.states: dict = {}  # (player, information state string) -> (state, {label: id})
        self.names: dict | None = None  # (player, string) -> information set name

    @staticmethod
    def labels(state, player: int, actions: list) -> list:
        """Action names, made unique by the action id where a node repeats one."""
        names = [state.action_to_string(player, a) for a in actions]
        if len(set(names)) < len(names):
            names = [f"{n} [{a}]" for n, a in zip(names, actions)]
        return names

    def node(self, state, path: str):
        self.count += 1
        if self.count > self.max_nodes:
            raise LimitError(f"OpenSpiel game: more than max_nodes = {self.max_nodes} nodes")
        if state.is_terminal():
            if self.names is None:
                return None
            values = [_exact(r, f"{path}: return of P{i}") for i, r in enumerate(state.returns())]
            return terminal(*values)
        if state.is_chance_node():
            return self.chance(state, path)
        if state.is_simultaneous_node():
            raise OpenSpielError(f"{path}: a simultaneous move")
        player = state.current_player()
        actions = state.legal_actions()
        labels = self.labels(state, player, actions)
        key = (player, state.information_state_string(player))
        self.states.setdefault(key, (state, dict(zip(labels, actions))))
        kids = [self.node(state.child(a), f"{path}/{lab}") for a, lab in zip(actions, labels)]
        if self.names is None:
            return None
        return decision(player, self.names[key], dict(zip(labels, kids)))

    def chance(self, state, path: str):
        outcomes = state.chance_outcomes()
        labels = self.labels(state, -1, [a for a, _ in outcomes])
        kids = [self.node(state.child(a), f"{path}/{lab}") for (a, _), lab in zip(outcomes, labels)]
        if self.names is None:
            return None
        probs = [_exact(p, f"{path}: chance {lab!r}") for lab, (_, p) in zip(labels, outcomes)]
        if sum(probs) != 1:
            raise ProbabilityError(
                f"{path}: chance probabilities {', '.join(map(str, probs))} sum to "
                f"{sum(probs)}, not 1, once converted exactly"
            )
        return chance(dict(zip(labels, zip(probs, kids))))


def _walk(game, max_nodes: int, build: bool):
    """The first pass (states and names), and with ``build`` the second (the tree)."""
    walk = _Walk(max_nodes)
    walk.node(game.new_initial_state(), "root")
    strings = [s for _, s in walk.states]
    clash = len(set(strings)) < len(strings)
    # An empty string (the root of a perfect-information game such as tic_tac_toe) is named
    # "P<player>:start"; with a clash between players every name gets its player.
    walk.names = {(p, s): f"P{p}:{s or 'start'}" if clash or not s else s for p, s in walk.states}
    if not build:
        return walk, None
    walk.count = 0
    return walk, walk.node(game.new_initial_state(), "root")


def from_openspiel(game_or_name, params=None, *, max_nodes: int = MAX_TREE_NODES) -> ExtensiveGame:
    """The exact :class:`~exactpower.sequential.ExtensiveGame` of an OpenSpiel game.

    Parameters
    ----------
    game_or_name : pyspiel.Game or str
        A game object, or a name for ``pyspiel.load_game`` (``"kuhn_poker"``,
        ``"leduc_poker"``, ``"kuhn_poker(players=3)"``).
    params : dict, optional
        Parameters for ``pyspiel.load_game`` (with a name only).
    max_nodes : int
        Refuse games with more nodes (default ``MAX_TREE_NODES``).

    Raises
    ------
    OpenSpielError
        Simultaneous or mean-field games, sampled chance, no information state strings,
        a float with no simple exact value (see the module docstring).
    """
    game = _load(game_or_name, params)
    _check_type(game)
    _, root = _walk(game, max_nodes, build=True)
    players = tuple(f"P{i}" for i in range(game.num_players()))
    return ExtensiveGame.build(players=players, root=root, title=str(game))


def _row(probs: dict, labels: dict, max_denominator: int, tolerance: Fraction, where: str) -> dict:
    """One information set's distribution, rationalized, the rounding absorbed (see above)."""
    row = {}
    for label, action in labels.items():
        p = probs.get(action, 0.0)
        row[label] = rationalize(p, max_denominator, where=f"{where}: {label!r}")
        if row[label] < 0 or row[label] > 1:
            raise ProfileError(f"{where}: {label!r}: probability {p!r} is not in [0, 1]")
    extra = [a for a in probs if a not in labels.values() and probs[a] != 0]
    if extra:
        raise ProfileError(f"{where}: positive probability on illegal action {extra[0]}")
    gap = 1 - sum(row.values(), Fraction(0))
    if abs(gap) > tolerance:
        raise ProfileError(
            f"{where}: the probabilities sum to {float(1 - gap)!r}, more than {float(tolerance)} "
            f"from 1, once rationalized"
        )
    if gap:
        top = max(row, key=lambda a: row[a])
        row[top] += gap
    return {a: to_rational(q) for a, q in row.items()}


def policy_from_openspiel(
    tree: ExtensiveGame,
    policy,
    *,
    game=None,
    max_denominator: int = DEFAULT_MAX_DENOMINATOR,
    tolerance: float = 1e-9,
) -> BehaviourProfile:
    """An OpenSpiel policy as an exact behaviour profile of ``tree = from_openspiel(game)``.

    Parameters
    ----------
    tree : ExtensiveGame
        The game made by :func:`from_openspiel` from the policy's game.
    policy : open_spiel.python.policy.Policy or pyspiel.TabularPolicy
        Anything with ``action_probabilities(state, player)`` (python policies), or a
        C++ ``pyspiel`` policy with ``action_probabilities(state)``.
    game : pyspiel.Game, optional
        The game; default ``policy.game``.
    max_denominator : int
        Passed to :func:`exactpower.exact.rationalize` for every probability.
    tolerance : float
        How far from 1 a rationalized row may sum; the largest probability absorbs it.
    """
    game = policy.game if game is None else game
    walk, _ = _walk(game, len(tree.nodes), build=False)
    by_name = {walk.names[key]: (key, entry) for key, entry in walk.states.items()}
    tol = Fraction(tolerance)
    out = {}
    for infoset in tree.infosets:
        if infoset.player is None:
            continue
        if infoset.name not in by_name:
            raise ProfileError(
                f"information set {infoset.name!r} is not one of the OpenSpiel game's "
                f"(was the tree made by from_openspiel from this game?)"
            )
        (player, _), (state, labels) = by_name[infoset.name]
        try:
            probs = policy.action_probabilities(state, player)
        except TypeError:
            probs = policy.action_probabilities(state)
        out[infoset.name] = _row(dict(probs), labels, max_denominator, tol, infoset.name)
    return BehaviourProfile.from_dict(tree, out)
