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
