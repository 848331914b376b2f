"""Does improvement lower POWER?  The article's dynamic, checked exactly on game classes.

The article: "as players' strategies improve, their collective POWER tends to decrease".
A *step* ``σ → σ'`` is a counterexample when ``ΣPOWER(σ') > ΣPOWER(σ)``.  "Improve" has
several readings (:data:`READINGS`); each turns a profile ``σ`` into the steps it allows:

- ``"unilateral-switch"`` (a): one player, one type of positive probability, switches to a
  pure action strictly better than its current (mixed) strategy against ``σ_-i``;
- ``"unilateral-best-response"`` (a'): the same, the switch being to the first best
  response, for a type with positive regret;
- ``"best-response"`` (b): the simultaneous best-response step of the types that can
  improve: every type with positive regret switches to its first best response at once,
  the others keep their strategies (the dynamics' rule, ties to the first action, would
  also move types that are already best-responding -- away from an equilibrium, say --
  which is no improvement);
- ``"fictitious-play"`` (c): the steps of fictitious play started at ``σ``
  (:func:`~exactpower.dynamics.rules.fictitious_play_step`, up to ``fp_steps`` steps),
  stopping at an average that is a BNE;
- ``"nash-conv-decrease"`` (d): every pair ``(σ, σ')`` of starting profiles with
  ``NashConv(σ') < NashConv(σ)``.

The starting profiles are the grid profiles: each type of each player mixes with
probabilities ``k/M`` (``M = grid``; ``M = 1`` is the pure profiles).  Since
``ΣPOWER = W + NashConv`` for every game, in a constant-sum game (``W = c``) reading (d)
holds by the identity; a unilateral step leaves the mover's own POWER unchanged (POWER does
not depend on one's own strategy), so readings (a) move ΣPOWER only through the others'
POWER.

Values are exact: ``F_i`` from :func:`exactpower.contraction.interim_numerators`, then
``ΣPOWER = Σ_i Σ_t max_a F_i / den`` and ``NashConv = Σ_i Σ_t (max_a F_i − σ_i(t)·F_i) / den``
as :class:`fractions.Fraction`.

>>> from exactpower import BayesianGame
>>> g = BayesianGame.from_tables([[[1, -1], [0, 0]], [[-1, 1], [0, 0]]])
>>> res = check_game(g, grid=1)
>>> res["unilateral-switch"]["failing"], res["nash-conv-decrease"]["failing"]
(1, 0)
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np

from ..contraction import interim_numerators
from ..errors import GameStructureError
from ..game import BayesianGame
from ..io import dumps
from ..profile import StrategyProfile
from ..small.classes import GameClass
from ..small.conjecture import game_key
from ..small.summary import describe
from .rules import fictitious_play_step, first_best

__all__ = ["READINGS", "grid_profiles", "evaluate", "check_game", "check_class"]

#: The readings of "improve", in report order.
READINGS = (
    "unilateral-switch",
    "unilateral-best-response",
    "best-response",
    "fictitious-play",
    "nash-conv-decrease",
)


def _compositions(total: int, parts: int):
    """Integer vectors of length ``parts`` summing to ``total``, in lexicographic order."""
    if parts == 1:
        yield (total,)
        return
    for first in range(total, -1, -1):
        for rest in _compositions(total - first, parts - 1):
            yield (first, *rest)


def grid_profiles(game: BayesianGame, grid: int) -> list:
    """Every profile whose probabilities are multiples of ``1/grid``, in a fixed order.

    >>> from exactpower import BayesianGame
    >>> g = BayesianGame.from_tables([[[1, 0], [0, 1]]] * 2)
    >>> len(grid_profiles(g, 2)), grid_profiles(g, 1)[1].to_dict()
    (9, {'1': {'-': {'0': 1}}, '2': {'-': {'1': 1}}})
    """
    if grid < 1:
        raise GameStructureError(f"improvement: grid {grid}: must be a positive integer")
    per_player = []
    for p in game.players:
        rows = list(_compositions(grid, len(p.actions)))
        per_player.append(list(itertools.product(rows, repeat=len(p.types))))
    return [
        StrategyProfile.from_arrays(game, [np.array(w, dtype=np.int64) for w in choice])
        for choice in itertools.product(*per_player)
    ]


def evaluate(game: BayesianGame, profile: StrategyProfile) -> tuple:
    """``(ΣPOWER, NashConv, tables)``: Fractions, and per player ``(F numerators, den)``."""
    total = conv = Fraction(0)
    tables = []
    for i in range(game.n_players):
        nums, den = interim_numerators(game, profile, i)
        rows = nums.tolist()
        snums, sdens, _ = profile.row_arrays[i]
        best = sum(max(r) for r in rows)
        played = sum(
            Fraction(sum(x * v for x, v in zip(s, r)), d)
            for s, d, r in zip(snums.tolist(), sdens, rows)
        )
        total += Fraction(best, den)
        conv += (best - played) / den
        tables.append((rows, den))
    return total, conv, tables


def _with_row(game: BayesianGame, profile: StrategyProfile, i: int, k: int, a: int):
    """``profile`` with type ``k`` of player ``i`` playing action ``a``."""
    weights = [nums.tolist() for nums, _, _ in profile.row_arrays]
    weights[i][k] = [int(b == a) for b in range(len(game.players[i].actions))]
    return StrategyProfile.from_arrays(game, [np.array(w, dtype=object) for w in weights])


def _unilateral(game, profile, tables, best_only: bool):
    """The unilateral steps from ``profile`` (reading a or a')."""
    for i, (rows, _den) in enumerate(tables):
        snums, sdens, _ = profile.row_arrays[i]
        for k, (s, d, r) in enumerate(zip(snums.tolist(), sdens, rows)):
            if game.marginal(i, k) == 0:
                continue
            current = Fraction(sum(x * v for x, v in zip(s, r)), d)
            better = [a for a, v in enumerate(r) if v > current]
            if best_only:
                better = [first_best(r)] if better else []
            for a in better:
                yield _with_row(game, profile, i, k, a)


def _same(p: StrategyProfile, q: StrategyProfile) -> bool:
    return all(
        a[0].tolist() == b[0].tolist() and a[1] == b[1] for a, b in zip(p.row_arrays, q.row_arrays)
    )


def _steps(game, profile, tables, reading: str, fp_steps: int):
    """The steps ``(σ, σ')`` that ``reading`` allows from ``profile`` (not reading d)."""
    if reading in ("unilateral-switch", "unilateral-best-response"):
        for after in _unilateral(game, profile, tables, reading == "unilateral-best-response"):
            yield profile, after
    elif reading == "best-response":
        after = _improving_best_response(game, profile, tables)
        if after is not None:
            yield profile, after
    elif reading == "fictitious-play":
        x, conv = profile, evaluate(game, profile)[1]
        for k in range(1, fp_steps + 1):
            if conv == 0:  # a BNE: no one improves (the rule would move only on ties)
                break
            nxt = fictitious_play_step(game, x, k)
            yield x, nxt
            x, conv = nxt, evaluate(game, nxt)[1]


def _improving_best_response(game, profile, tables):
    """Every type with positive regret switches to its first best response, at once; the
    others keep their strategies.  ``None`` when no type has positive regret."""
    weights = [nums.tolist() for nums, _, _ in profile.row_arrays]
    moved = False
    for i, (rows, _den) in enumerate(tables):
        _, sdens, _ = profile.row_arrays[i]
        for k, (s, d, r) in enumerate(zip(weights[i], sdens, rows)):
            if game.marginal(i, k) != 0 and max(r) * d > sum(x * v for x, v in zip(s, r)):
                weights[i][k] = [int(b == first_best(r)) for b in range(len(r))]
                moved = True
    if not moved:
        return None
    return StrategyProfile.from_arrays(game, [np.array(w, dtype=object) for w in weights])


def _size(profile: StrategyProfile) -> int:
    """Σ of the row denominators: pure profiles are the simplest."""
    return sum(sum(dens) for _, dens, _ in profile.row_arrays)


def _tally(out: dict, before, after, p0, p1) -> None:
    out["steps"] += 1
    if p1 > p0:
        out["failing"] += 1
        size = _size(before) + _size(after)
        if out["first"] is None or size < out["size"]:
            out["first"], out["size"] = (before, after, p0, p1), size


def _conv_pairs(out: dict, values: list) -> None:
    """Reading (d) over the evaluated grid ``values = [(profile, ΣPOWER, NashConv)]``."""
    for before, p0, c0 in values:
        for after, p1, c1 in values:
            if c1 < c0:
                _tally(out, before, after, p0, p1)


def check_game(game: BayesianGame, *, grid: int = 2, fp_steps: int = 3) -> dict:
    """Every reading on one game, from every grid profile.

    Returns ``{reading: {"steps": steps checked, "failing": steps raising ΣPOWER,
    "first": (before, after, ΣPOWER before, ΣPOWER after) of the simplest failing step
    (least sum of the row denominators of both profiles; the first in the grid's order
    among those) or None, "size": that sum}}``.
    """
    cache: dict = {}

    def value(p):
        key = tuple((n.tolist(), d) for n, d, _ in p.row_arrays)
        k = repr(key)
        if k not in cache:
            cache[k] = evaluate(game, p)
        return cache[k]

    out = {r: {"steps": 0, "failing": 0, "first": None, "size": 0} for r in READINGS}
    values = []
    for profile in grid_profiles(game, grid):
        p0, c0, tables = value(profile)
        values.append((profile, p0, c0))
        for reading in READINGS[:-1]:
            for before, after in _steps(game, profile, tables, reading, fp_steps):
                _tally(out[reading], before, after, value(before)[0], value(after)[0])
    _conv_pairs(out["nash-conv-decrease"], values)
    return out


def _counterexample(game, first) -> dict:
    before, after, p0, p1 = first
    return {
        "game": json.loads(dumps(game)),
        "before": json.loads(dumps(before)),
        "after": json.loads(dumps(after)),
        "power_sum_before": str(p0),
        "power_sum_after": str(p1),
    }


def check_class(cls: GameClass, *, grid: int = 2, fp_steps: int = 3, limit=None) -> dict:
    """Every reading on every game of ``cls`` (one per symmetry orbit).

    Returns ``{"class", "games", "games_covered", "complete", "grid", "fp_steps",
    "readings": {reading: {"holds", "games_failing", "steps_checked", "steps_failing",
    "counterexample"}}}``; the counterexample (game-v1 and the two profile-v1 dicts, with
    ΣPOWER before and after as strings) is the one of the least
    :func:`~exactpower.small.conjecture.game_key`, at its simplest failing step
    (:func:`check_game`).
    """
    if not isinstance(cls, GameClass):
        raise TypeError("check_class needs a GameClass")
    stats: dict[str, dict] = {
        r: {"games_failing": 0, "steps": 0, "failing": 0, "best": None} for r in READINGS
    }
    games = covered = 0
    every = (cg for unit in cls.units() for cg in cls.games(unit))
    for cg in itertools.islice(every, limit):
        games += 1
        covered += cg.orbit_size
        game = cg.game
        key = game_key(cg.rewards, cg.prior)
        for reading, res in check_game(game, grid=grid, fp_steps=fp_steps).items():
            st = stats[reading]
            st["steps"] += res["steps"]
            st["failing"] += res["failing"]
            if res["first"] is not None:
                st["games_failing"] += 1
                if st["best"] is None or key < st["best"][0]:
                    st["best"] = (key, game, res["first"])
    readings = {
        r: {
            "holds": st["best"] is None,
            "games_failing": st["games_failing"],
            "steps_checked": st["steps"],
            "steps_failing": st["failing"],
            "counterexample": None if st["best"] is None else _counterexample(*st["best"][1:]),
        }
        for r, st in stats.items()
    }
    return {
        "class": describe(cls),
        "games": games,
        "games_covered": covered,
        "complete": limit is None or games < limit,
        "grid": grid,
        "fp_steps": fp_steps,
        "readings": readings,
    }
