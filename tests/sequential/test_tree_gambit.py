"""Trees written as ``.efg`` and read by pygambit: exact payoffs and best responses agree.

pygambit is the independent oracle: for random trees (chance, imperfect information, 1-3
players, perfect recall) at random full-support rational profiles, pygambit's exact
``payoff`` is each player's expected payoff, and the best-response value derived from
pygambit's ``action_value`` (player i's information sets taken deepest first, each set
to an action of highest value given the choices below it) is POWER.  The pure best
response exactpower returns is checked too: put into pygambit's profile it attains POWER.
"""

from __future__ import annotations

import random
import time
from fractions import Fraction
from pathlib import Path

import pytest
import sympy
from tree_gen import random_profile_dict, random_tree

from exactpower.errors import GameError
from exactpower.io.efg_game import read_efg_game
from exactpower.io.efg_tree_writer import tree_to_efg
from exactpower.sequential import (
    BehaviourProfile,
    best_response,
    expected_payoff,
    nash_conv,
    power,
    welfare,
)
from exactpower.sequential.testing import random_game

from optional import require

gbt = require("pygambit")

N_TREES = 1000  # and 200 from the model's generator below: 1,200 in all


def _pg_infosets(game, pg) -> dict:
    """Our information set index -> pygambit's, by walking both trees together."""
    out: dict = {}
    stack = [(0, pg.root)]
    while stack:
        k, pnode = stack.pop()
        node = game.nodes[k]
        if node.kind == "terminal":
            assert pnode.is_terminal
            continue
        out.setdefault(node.infoset, pnode.infoset)
        assert out[node.infoset] == pnode.infoset
        stack.extend(zip(node.children, pnode.children))
    return out


def _pg_profile(game, pg, infosets: dict, dist: dict):
    prof = pg.mixed_behavior_profile(rational=True)
    for k, info in enumerate(game.infosets):
        if info.player is None:
            continue
        for a, pa in zip(info.actions, infosets[k].actions):
            prof[pa] = gbt.Rational(dist[info.name][a])
    return prof


def _own_depth(game, k: int) -> int:
    info = game.infosets[k]
    return len(game.sequence(info.nodes[0], info.player))


def _pg_best_value(game, pg, infosets: dict, prof, i: int) -> Fraction:
    """Player i's best-response value by backward induction on pygambit's action values."""
    prof = prof.copy()
    mine = sorted(game.infosets_of(i), key=lambda k: -_own_depth(game, k))
    for k in mine:
        actions = list(infosets[k].actions)
        values = [prof.action_value(a) for a in actions]
        best = values.index(max(values))
        for j, a in enumerate(actions):
            prof[a] = gbt.Rational(int(j == best))
    return Fraction(prof.payoff(list(pg.players)[i]))


def _pg_value_of(game, pg, infosets: dict, prof, i: int, actions: dict) -> Fraction:
    prof = prof.copy()
    for k in game.infosets_of(i):
        info = game.infosets[k]
        for a, pa in zip(info.actions, infosets[k].actions):
            prof[pa] = gbt.Rational(int(a == actions[info.name]))
    return Fraction(prof.payoff(list(pg.players)[i]))


def _check_tree(seed: int, tmp_path, game=None) -> None:
    game = random_tree(seed) if game is None else game
    text = tree_to_efg(game)
    labels = [n.label for n in game.nodes if n.label]
    if len(set(labels)) == len(labels):
        assert read_efg_game(text) == game
    path = tmp_path / f"t{seed}.efg"
    path.write_text(text, encoding="utf-8")
    pg = gbt.read_efg(str(path))
    assert pg.is_perfect_recall
    infosets = _pg_infosets(game, pg)
    dist = random_profile_dict(game, seed + 10**6)
    profile = BehaviourProfile.from_dict(game, dist)
    prof = _pg_profile(game, pg, infosets, dist)
    pg_players = list(pg.players)
    total_u = total_power = 0
    for i in range(game.n_players):
        u = expected_payoff(game, profile, i)
        assert isinstance(u, sympy.Rational)
        assert Fraction(int(u.p), int(u.q)) == Fraction(prof.payoff(pg_players[i])), seed
        value = power(game, profile, i)
        assert isinstance(value, sympy.Rational)
        if all(prof.infoset_prob(infosets[k]) > 0 for k in game.infosets_of(i)):
            # (an information set reached with probability 0 has no action values)
            assert Fraction(int(value.p), int(value.q)) == _pg_best_value(
                game, pg, infosets, prof, i
            ), seed
        br = best_response(game, profile, i)
        assert br.value == value
        assert _pg_value_of(game, pg, infosets, prof, i, br.actions) == Fraction(
            int(value.p), int(value.q)
        ), seed
        total_u += u
        total_power += value
    assert welfare(game, profile) == total_u
    assert nash_conv(game, profile) == total_power - total_u


def test_random_trees_against_pygambit(tmp_path):
    start = time.perf_counter()
    for seed in range(N_TREES):
        _check_tree(seed, tmp_path)
    elapsed = time.perf_counter() - start
    assert elapsed < 600, f"{N_TREES} trees took {elapsed:.1f}s"


def test_the_model_generator_trees_against_pygambit(tmp_path):
    """200 more trees, from the model's own generator (``exactpower.sequential.testing``)."""
    for seed in range(200):
        game = random_game(random.Random(seed), min_players=1, max_nodes=60)
        _check_tree(seed, tmp_path, game)


def test_the_random_trees_are_varied():
    """The generator gives chance, imperfect information and 1-3 players."""
    games = [random_tree(seed) for seed in range(60)]
    assert {g.n_players for g in games} == {1, 2, 3}
    assert any(any(i.player is None for i in g.infosets) for g in games)
    assert any(any(i.player is not None and len(i.nodes) > 1 for i in g.infosets) for g in games)


@pytest.mark.parametrize("seed", [3, 17])
def test_pygambit_reads_the_writer_output_with_our_labels(seed, tmp_path):
    game = random_tree(seed, players=2)
    path = tmp_path / "g.efg"
    path.write_text(tree_to_efg(game), encoding="utf-8")
    pg = gbt.read_efg(str(path))
    assert [p.label for p in pg.players] == list(game.players)
    assert pg.title == game.title
    names = {i.name for i in game.infosets if i.player is not None}
    assert {s.label for s in pg.infosets} >= names


CATALOG = sorted((Path(gbt.__file__).parent / "catalog_data").rglob("*.efg"))


@pytest.mark.parametrize("path", CATALOG, ids=lambda p: p.stem)
def test_gambit_catalog_trees(path):
    """Every ``.efg`` of pygambit's catalog: read (perfect recall) or refused (not), and
    at the uniform profile the payoffs and POWER equal pygambit's."""
    pg = gbt.read_efg(str(path))
    if not pg.is_perfect_recall:
        with pytest.raises(GameError, match="recall"):
            read_efg_game(path.read_bytes(), source=path.name)
        return
    game = read_efg_game(path.read_bytes(), source=path.name)
    assert len(game.nodes) == len(list(pg.nodes))
    assert [p.label for p in pg.players] == list(game.players)
    infosets = _pg_infosets(game, pg)
    profile = BehaviourProfile.uniform(game)
    prof = pg.mixed_behavior_profile(rational=True)  # the centroid: uniform
    for i, player in enumerate(pg.players):
        u = expected_payoff(game, profile, i)
        assert Fraction(int(u.p), int(u.q)) == Fraction(prof.payoff(player))
        if all(prof.infoset_prob(infosets[k]) > 0 for k in game.infosets_of(i)):
            value = power(game, profile, i)
            assert Fraction(int(value.p), int(value.q)) == _pg_best_value(
                game, pg, infosets, prof, i
            )


def test_the_catalog_is_there():
    assert len(CATALOG) >= 20
