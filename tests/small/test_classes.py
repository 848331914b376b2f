"""Game classes: counts, symmetry reduction and canonical forms (exactpower.classes).

Oracles: the published counts of strict ordinal 2×2 games (576 raw, 144 up to
relabelling actions, 78 also up to swapping players; Rapoport and Guyer 1966,
Robinson and Goforth 2005), a product formula for raw counts, and an
independent brute-force enumeration of every raw game, canonicalised one by one
with :meth:`GameClass.canonical`.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import Counter

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exactpower import GameError, InexactValueError
from exactpower.small.canonical import Relabelling, lex_min, relabellings
from exactpower.small.classes import ClassCount, FixedPrior, GameClass

# -- known counts ------------------------------------------------------------------------


def test_strict_ordinal_2x2_games_576_144_78():
    full = GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal")
    actions = GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal", symmetries=("actions",))
    none = GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal", symmetries=())
    assert none.count() == ClassCount(576, 576, 576)
    assert actions.count() == ClassCount(576, 144, 576)
    assert full.count() == ClassCount(576, 78, 576)
    assert full.raw_count() == actions.raw_count() == 576
    # Every strict ordinal game has a trivial stabiliser under action relabellings.
    assert {g.orbit_size for g in actions} == {4}
    # Under swapping players too, the 12 symmetric classes have orbits of 4, the others of 8.
    assert Counter(g.orbit_size for g in full) == {4: 12, 8: 66}


def test_strict_ordinal_games_are_permutations():
    for g in GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal"):
        for i in range(2):
            assert sorted(g.rewards[i].ravel().tolist()) == [1, 2, 3, 4]


def test_ci_class_raw_count_formula():
    """Constant-sum, 2×2 actions, one or two types each, values -1,0,1: 3^4 + 2·3^8 + 3^16."""
    cls = GameClass(2, range(1, 3), 2, (-1, 0, 1), constraint="constant-sum")
    assert cls.raw_count() == 3**4 + 2 * 3**8 + 3**16
    assert cls.shapes() == (((1, 1, 2, 2), 1), ((1, 2, 2, 2), 2), ((2, 2, 2, 2), 1))


def test_zero_sum_2x2_counts():
    cls = GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum")
    assert cls.count() == ClassCount(81, 15, 81)
    for g in cls:
        assert (g.rewards.sum(axis=0) == 0).all()


# -- an independent brute force -------------------------------------------------------------


def _family(cls, tshape):
    """Priors of the class's family, built here from the definition."""
    if isinstance(cls.prior, FixedPrior):
        yield np.array(cls.prior.weights).reshape(cls.prior.shape)
        return
    if cls.prior == "uniform":
        yield np.ones(tshape, dtype=np.int64)
        return
    kind, m = cls.prior.split(":")
    m = int(m)
    if kind == "joint":
        for w in itertools.product(range(m + 1), repeat=math.prod(tshape)):
            if sum(w) == m:
                yield np.array(w).reshape(tshape)
    else:
        margs = [
            [w for w in itertools.product(range(m + 1), repeat=k) if sum(w) == m] for k in tshape
        ]
        for combo in itertools.product(*margs):
            out = np.ones(tshape, dtype=np.int64)
            for t in np.ndindex(tshape):
                out[t] = math.prod(c[k] for c, k in zip(combo, t))
            yield out


def _raw_games(cls):
    """Every game of the class, from the definition (no symmetry)."""
    n = cls.players
    alphabet = cls.alphabet
    for tshape in itertools.product(*cls.types):
        for ashape in itertools.product(*cls.actions):
            for prior in _family(cls, tshape):
                support = [t for t in np.ndindex(tshape) if prior[t] > 0]
                acts = list(np.ndindex(ashape))
                free = {"free": range(n), "identical": [0], "constant-sum": range(n - 1)}[
                    cls.constraint
                ]
                own = cls.reward_form == "own-type"
                keys = []
                for i in free:
                    tkeys = sorted({(t[i],) for t in support}) if own else support
                    keys += [(i, tk) for tk in tkeys]
                if cls.reward_sets == "strict-ordinal":
                    tables = list(itertools.permutations(alphabet, len(acts)))
                else:
                    tables = list(itertools.product(alphabet, repeat=len(acts)))
                for choice in itertools.product(tables, repeat=len(keys)):
                    table = dict(zip(keys, choice))
                    R = np.zeros((n, *tshape, *ashape), dtype=np.int64)
                    for t in support:
                        for k, a in enumerate(acts):
                            for i in free:
                                R[(i, *t, *a)] = table[(i, (t[i],) if own else t)][k]
                            if cls.constraint == "identical":
                                for i in range(1, n):
                                    R[(i, *t, *a)] = R[(0, *t, *a)]
                            elif cls.constraint == "constant-sum":
                                R[(n - 1, *t, *a)] = cls.constant_numerator - sum(
                                    R[(j, *t, *a)] for j in range(n - 1)
                                )
                    if own and not _own_type(R, prior, support):
                        continue
                    yield R, prior


def _own_type(R, prior, support) -> bool:
    n = R.shape[0]
    for i in range(n):
        seen = {}
        for t in support:
            key = (t[i],)
            if key in seen and not (seen[key] == R[(i, *t)]).all():
                return False
            seen[key] = R[(i, *t)]
    return True


def _key(rewards, prior):
    return (
        prior.shape,
        tuple(prior.ravel().tolist()),
        rewards.shape,
        tuple(rewards.ravel().tolist()),
    )


def _brute_force(cls):
    orbits = Counter()
    raw = 0
    for R, prior in _raw_games(cls):
        raw += 1
        r, p = cls.canonical(R, prior)
        orbits[_key(r, p)] += 1
    return raw, orbits


BRUTE = [
    GameClass(2, 1, 2, (0, 1)),
    GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum"),
    GameClass(2, 1, 2, (0, 1, 2), constraint="identical"),
    GameClass(2, (2, 1), 2, (0, 1), reward_form="own-type"),
    GameClass(2, range(1, 3), 2, (-1, 1), reward_form="own-type", constraint="constant-sum"),
    GameClass(2, 2, (2, 1), (0, 1), prior="joint:1"),
    GameClass(2, (range(1, 3), 1), (2, 1), (0, 1), prior="independent:2"),
    GameClass(2, 2, (2, 1), (0, 1), prior="independent:1"),
    GameClass(2, range(1, 3), 2, (0, 1), prior="joint:2", constraint="identical"),
    GameClass(3, 1, 2, (0, 1), constraint="identical"),
    GameClass(3, 1, (2, 1, 2), (-1, 0), constraint="constant-sum", constant=-1),
    GameClass(
        2, 1, 2, (1, 2, 3, 4), reward_sets="strict-ordinal", constraint="constant-sum", constant=5
    ),
    GameClass(
        2, (2, 2), (2, 1), (0, 1), prior=FixedPrior.from_probabilities([["1/2", "1/4"], [0, "1/4"]])
    ),
    GameClass(1, range(1, 4), 2, (0, 1), prior="joint:2"),
]


@pytest.mark.parametrize(
    "cls", BRUTE, ids=lambda c: f"{c.players}p-{c.constraint}-{c.reward_form}-{c.prior}"
)
def test_enumeration_matches_brute_force(cls):
    raw, orbits = _brute_force(cls)
    games = list(cls)
    assert {_key(g.rewards, g.prior): g.orbit_size for g in games} == dict(orbits)
    assert len(games) == len(orbits)
    assert cls.count() == ClassCount(raw, len(orbits), raw)
    formula = cls.raw_count()
    assert formula is None or formula == raw


def test_enumeration_order_is_deterministic_and_canonical():
    cls = GameClass(2, range(1, 3), 2, (-1, 0, 1), constraint="constant-sum")
    first = [(_key(g.rewards, g.prior), g.orbit_size) for _, g in zip(range(3000), cls)]
    again = [(_key(g.rewards, g.prior), g.orbit_size) for _, g in zip(range(3000), cls)]
    assert first == again
    for _, g in zip(range(300), cls):
        r, p = cls.canonical(g.rewards, g.prior)
        assert _key(r, p) == _key(g.rewards, g.prior)


# -- properties on random small classes ------------------------------------------------------


@st.composite
def small_classes(draw):
    n = draw(st.integers(1, 3))
    types = draw(st.sampled_from([1, 2, range(1, 3)]) if n < 3 else st.just(1))
    actions = draw(st.sampled_from([1, 2, range(1, 3)] + ([3] if n == 1 else [])))
    values = draw(st.sampled_from([(0,), (0, 1), (-1, 1), (-1, 0, 1), (0, 1, 3), ("1/2", 1)]))
    prior = draw(
        st.sampled_from(["uniform", "independent:1", "independent:2", "joint:1", "joint:2"])
    )
    form = draw(st.sampled_from(["general", "own-type"]))
    constraint = draw(st.sampled_from(["free", "identical", "constant-sum"]))
    constant = draw(st.sampled_from([0, 1, -1]))
    sets = draw(st.sampled_from(["any", "any", "strict-ordinal"]))
    sym = draw(
        st.sampled_from(
            [("actions", "types", "players"), ("actions",), ("types",), ("players",), ()]
        )
    )
    if sets == "strict-ordinal":
        values = (0, 1, 2, 3, 4)
    try:
        cls = GameClass(
            n,
            types,
            actions,
            values,
            prior=prior,
            reward_form=form,
            constraint=constraint,
            constant=constant,
            reward_sets=sets,
            symmetries=sym,
        )
    except GameError:
        assume(False)
    return cls


def _small_enough(cls) -> bool:
    raw = cls.raw_count()
    if raw is None:
        # Own-type with a constraint: bound by the unconstrained candidates.
        raw = GameClass(
            cls.players,
            cls.types,
            cls.actions,
            cls.values,
            prior=cls.prior,
            reward_form="general",
            constraint=cls.constraint,
            constant=cls.constant,
            reward_sets=cls.reward_sets,
        ).raw_count()
    return raw <= 20000


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(small_classes())
def test_raw_equals_sum_of_orbit_sizes(cls):
    assume(_small_enough(cls))
    count = cls.count()  # raises if raw != Σ orbit sizes
    assert count.raw == count.orbits
    assert 0 < count.classes <= count.raw or count.raw == 0
    formula = cls.raw_count()
    assert formula is None or formula == count.raw
    group = max(len(cls.relabellings(shape, shape)) for shape, _ in cls.shapes())
    for g in cls:
        assert g.orbit_size >= 1
        assert g.orbit_size <= group * max(orbit for _, orbit in cls.shapes()) * 64


@settings(
    max_examples=100,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
@given(small_classes(), st.randoms(use_true_random=False))
def test_canonical_form_invariant_under_relabelling(cls, rnd):
    assume(_small_enough(cls))
    games = list(cls)
    assume(games)
    for g in rnd.sample(games, min(5, len(games))):
        shape = g.prior.shape + g.rewards.shape[1 + cls.players :]
        for rel in rnd.sample(cls.relabellings(shape), min(4, len(cls.relabellings(shape)))):
            R, P = rel.apply(g.rewards, g.prior)
            r, p = cls.canonical(R, P)
            assert _key(r, p) == _key(g.rewards, g.prior)


def test_relabelling_round_trip_and_gathers():
    rng = np.random.default_rng(0)
    shape = (2, 1, 2, 3)
    R = rng.integers(-5, 5, (2, *shape))
    P = rng.integers(1, 5, shape[:2])
    for g in relabellings(shape, [(0, 1), (1, 0)], target=(1, 2, 3, 2)):
        R2, P2 = g.apply(R, P)
        gr, gp = g.gathers(shape)
        assert (R2.ravel() == R.ravel()[gr]).all() and (P2.ravel() == P.ravel()[gp]).all()
        assert R2.shape == (2, 1, 2, 3, 2)
    assert lex_min(np.array([[2, 0], [1, 5], [1, 4]])) == 2


def test_relabelling_preserves_the_game():
    """A relabelled game has the same POWER sum and BNE count: it is the same game."""
    import exactpower as ep
    from exactpower.equilibria import equilibria

    rng = np.random.default_rng(3)
    R = rng.integers(-2, 3, (2, 2, 1, 2, 3))
    P = np.array([[1], [2]])
    g = ep.BayesianGame.from_arrays(R, prior=P)
    rel = Relabelling((1, 0), ((1, 0), (0,)), ((1, 0), (2, 0, 1)))
    R2, P2 = rel.apply(R, P)
    h = ep.BayesianGame.from_arrays(R2, prior=P2)
    assert sorted(e.power_sum for e in equilibria(g)) == sorted(e.power_sum for e in equilibria(h))


# -- input ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"players": 0}, "players"),
        ({"players": 2, "types": (1, 2, 3)}, "3 entries for 2 players"),
        ({"players": 2, "actions": 0}, "positive"),
        ({"players": 2, "values": ()}, "empty"),
        ({"players": 2, "prior": "joint:0"}, "prior"),
        ({"players": 2, "prior": "dirichlet"}, "prior"),
        ({"players": 2, "constraint": "zero-sum"}, "constraint"),
        ({"players": 2, "reward_form": "private"}, "reward form"),
        ({"players": 2, "values": (0, 1), "reward_sets": "strict-ordinal"}, "at least 4"),
        ({"players": 2, "symmetries": ("colours",)}, "symmetries"),
        ({"players": 2, "types": 1, "prior": [["1/2", "1/2"]]}, "fixed prior"),
    ],
)
def test_bad_classes(kwargs, message):
    with pytest.raises(GameError, match=message):
        GameClass(**kwargs)


def test_floats_refused():
    with pytest.raises(InexactValueError):
        GameClass(2, values=(0.5, 1))


def test_exact_values_and_constant():
    cls = GameClass(2, 1, 1, ("1/2", 1), constraint="constant-sum:3/2")
    assert cls.denominator == 2 and cls.alphabet == (1, 2) and cls.constant_numerator == 3
    (g,) = [g for g in cls if g.rewards[0].ravel()[0] == 1]
    assert str(g.game.reward(1, (0, 0), (0, 0))) == "1"


def test_player_permutations():
    assert GameClass(2, (1, 2), 2).player_permutations() == ((0, 1),)
    assert GameClass(3, 1, 2, constraint="constant-sum").player_permutations() == (
        (0, 1, 2),
        (1, 0, 2),
    )
    # 0 − {0,1} is not inside {0,1}: the derived player cannot trade places.
    assert GameClass(2, 1, 2, (0, 1), constraint="constant-sum").player_permutations() == ((0, 1),)
    assert GameClass(2, 1, 2, (0, 1), constraint="constant-sum:1").player_permutations() == (
        (0, 1),
        (1, 0),
    )


def test_iteration_games_are_bayesian_games():
    cls = GameClass(2, (2, 1), 2, (-1, 1), prior="independent:2", constraint="constant-sum")
    seen = 0
    for g in cls:
        game = g.game
        assert game.type_shape == (2, 1)
        assert game.prior.numerators.sum() > 0
        seen += 1
    assert seen == cls.count().classes


def test_random_relabelling_rng_is_reproducible():
    rnd = random.Random(7)
    cls = GameClass(2, 2, 2, (0, 1))
    rels = cls.relabellings((2, 2, 2, 2))
    assert len(rels) == 32 and rels[0].is_identity
    assert rnd.choice(rels) == random.Random(7).choice(rels)
