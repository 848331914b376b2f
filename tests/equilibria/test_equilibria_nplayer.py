"""Equilibria of games of 3+ players: never empty, continua described, dummies dropped.

Games from pygambit's catalog (Nau et al. 2004, Selten 1975, Jakobsen et al. 2016) and from
Gambit's repository (``contrib/games``, copied in ``tests/data/gambit-contrib``, GPL-2+);
each equilibrium is checked exactly with ``is_bayesian_nash`` and NashConv = 0.
"""

from __future__ import annotations

import os
from pathlib import Path

import sympy

from exactpower import BayesianGame, Player, equilibria, is_bayesian_nash, nash_conv
from exactpower.equilibria import Continuum
from exactpower.equilibria.pure import dummy_agents
from exactpower.io import from_efg, from_nfg

from optional import require

CONTRIB = Path(__file__).resolve().parents[1] / "data" / "gambit-contrib"


def _catalog(name):
    gbt = require("pygambit")
    require("pygambit.catalog")
    g = gbt.catalog.load(name)
    if g.is_tree:
        path = Path(os.path.dirname(gbt.__file__)) / "catalog_data" / f"{name}.efg"
        return from_efg(path.read_text(encoding="utf-8"), source=name)
    return BayesianGame.from_tables([a.tolist() for a in g.to_arrays()])


def _all_exact(game, result):
    assert len(result) >= 1  # every finite game has an equilibrium
    for e in result:
        assert is_bayesian_nash(game, e.profile)
        conv = nash_conv(game, e.profile)
        assert conv == 0 and isinstance(conv, sympy.Integer)


def test_nau_sec6_segment_gives_points_never_empty():
    game = _catalog("journals/ijgt/nau2004/sec6")
    result = equilibria(game)
    _all_exact(game, result)
    assert not result.complete and result.continua
    for c in result.continua:
        assert isinstance(c, Continuum) and c.kind == "positive-dimensional"
        assert all(isinstance(line, str) for line in c.system) and c.support
    points = [e for e in result if e.continuum is not None]
    assert {id(e.continuum.point) for e in points} == {id(e.profile) for e in points}
    # the uniform mix of players 1 and 2 is on the segment
    half = sympy.Rational(1, 2)
    assert all(e.profile.strategies[0] == ((half, half),) for e in result)


def test_nau_sec5_continuum_points():
    game = _catalog("journals/ijgt/nau2004/sec5")
    result = equilibria(game)
    _all_exact(game, result)
    assert any(e.continuum is not None for e in result)
    assert "positive-dimensional" in result.notes


def test_selten_horse_continua():
    game = _catalog("journals/ijgt/selten1975/fig1")
    result = equilibria(game)
    _all_exact(game, result)
    assert len(result.continua) >= 2


def test_jakobsen_fig3_each_equilibrium_once():
    game = _catalog("conf/itcs/jakobsen2016/fig3")
    assert dummy_agents(game)
    result = equilibria(game)
    _all_exact(game, result)
    strategies = [e.profile.strategies for e in result]
    assert len(strategies) == len(set(strategies)) == 2
    assert "Dummy types" in result.notes


def test_dummy_player_dropped_hand_made():
    # matching pennies between A and B; C's action changes nothing for anyone
    def rewards(_t, a):
        win = 1 if a[0] == a[1] else -1
        return [win, -win, 7]

    game = BayesianGame.from_function(
        [
            Player("A", ("-",), ("h", "t")),
            Player("B", ("-",), ("h", "t")),
            Player("C", ("-",), ("x", "y", "z")),
        ],
        rewards,
    )
    assert dummy_agents(game) == [(2, 0)]
    result = equilibria(game)
    _all_exact(game, result)
    assert len(result) == 1 and result.complete
    half = sympy.Rational(1, 2)
    assert result[0].profile.strategies == (((half, half),), ((half, half),), ((1, 0, 0),))


def test_contrib_games_regression():
    # equilibria counts as found, all exact; enumpoly's are a subset (checked in the benchmark)
    expected = {"2x2x2.nfg": 9, "2x2x2x2.nfg": 3, "g1.nfg": 1, "g2.nfg": 1, "perfect3.nfg": 3}
    for name, count in expected.items():
        game = from_nfg((CONTRIB / name).read_bytes(), source=name)
        result = equilibria(game)
        _all_exact(game, result)
        assert len(result) == count, name


def test_coord333_has_every_gambit_equilibrium():
    # Gambit's enumpoly lists 13 equilibria, all rational: 9 pure, the three (1/2, 1/2) mixes
    # on a pair of actions, and the uniform profile, whose support system has repeated
    # solutions (it was missed before the system was split along its eliminant's factors).
    game = from_nfg((CONTRIB / "coord333.nfg").read_bytes(), source="coord333.nfg")
    result = equilibria(game)
    _all_exact(game, result)
    one, half, third = sympy.Integer(1), sympy.Rational(1, 2), sympy.Rational(1, 3)

    def unit(a):
        return tuple(one if b == a else sympy.Integer(0) for b in range(3))

    pure = {
        ((unit(a),), (unit(b),), (unit(c),))
        for a in range(3)
        for b in range(3)
        for c in range(3)
        if a == b == c or len({a, b, c}) == 3
    }
    pairs = {
        tuple((tuple(half if b != a else sympy.Integer(0) for b in range(3)),) for _ in range(3))
        for a in range(3)
    }
    uniform = {tuple(((third, third, third),) for _ in range(3))}
    gambit = pure | pairs | uniform
    found = {e.profile.strategies for e in result}
    assert len(gambit) == 13 and gambit <= found
    assert found == gambit and result.complete and not result.continua
    assert all(isinstance(x, sympy.Rational) for s in found for p in s for r in p for x in r)


def test_weak_dominance_on_the_supports_prunes():
    # coord333: player 1 mixes actions 1 and 2, player 2 plays 1, player 3 plays 3; then
    # player 3's action 1 does at least as well everywhere and better when player 1 plays 1.
    from exactpower.equilibria.pure import PureSearch

    game = from_nfg((CONTRIB / "coord333.nfg").read_bytes(), source="coord333.nfg")
    search = PureSearch(game)
    supports = {(0, 0): [0, 1], (1, 0): [0], (2, 0): [2]}
    assert search.weakly_dominated((2, 0), 2, supports) is True
    assert not search.dominated((2, 0), 2, supports)  # not strictly: equal when 1 plays 2
    assert search.weakly_dominated((0, 0), 0, supports) is False
    uniform = {agent: [0, 1, 2] for agent in supports}
    assert not any(
        search.weakly_dominated(agent, a, uniform) for agent in uniform for a in range(3)
    )
