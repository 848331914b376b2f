"""Discounted stochastic games: the model, its validation, exact values, POWER and NashConv.

Checked against hand-worked values (a repeated matrix game: POWER is the one-shot POWER over
1 − γ) and against an independent oracle (tests/naive_stochastic.py: Gaussian elimination
over Fractions, POWER by enumerating every deterministic stationary policy).
"""

from __future__ import annotations

import json
import random
from pathlib import Path

import jsonschema
import naive_stochastic as ns
import pytest
import sympy

import exactpower as ep
from exactpower.errors import GameError, InexactValueError, MDPError, ProbabilityError, ProfileError
from exactpower.io.stochastic_json import (
    dumps_stationary,
    dumps_stochastic,
    loads_stationary,
    loads_stochastic,
    stochastic_to_data,
)
from exactpower.sequential import stochastic_values as sv
from exactpower.sequential.stochastic import StationaryProfile, StochasticGame

from cases import two_states

SCHEMAS = Path(__file__).resolve().parents[2] / "exactpower" / "io" / "schemas"
R = sympy.Rational
MP = {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)}


def pennies(gamma="1/2") -> StochasticGame:
    return StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")), MP, gamma=gamma)


# -- hand-worked values ------------------------------------------------------------------------


def test_repeated_pennies_pure_profile():
    g = pennies("1/2")
    pure = StationaryProfile.from_dict(g, {"row": {"s": "H"}, "col": {"s": "H"}})
    assert sv.value(g, pure, "row") == 2 and sv.value(g, pure, "col") == -2
    assert sv.power(g, pure, "row") == 2 and sv.power(g, pure, 1) == 2
    assert sv.nash_conv(g, pure) == 4 and sv.welfare(g, pure) == 0
    assert not sv.is_nash(g, pure) and sv.is_nash(g, StationaryProfile.uniform(g))
    assert isinstance(sv.power(g, pure, 0), sympy.Rational)
    br = sv.best_response(g, pure, "col")
    assert (
        br.policy == {"s": "T"} and br.values == (2,) and br.q == {"s": {"H": 0, "T": 2}}
    )  # Q(H) = −1 + γ·2


@pytest.mark.parametrize("gamma", ["1/2", "2/3", "9/10", "1/7"])
def test_one_state_power_is_one_shot_power_over_one_minus_gamma(gamma):
    rng = random.Random(gamma)
    for _ in range(10):
        tables = [[[rng.randint(-3, 3) for _ in range(3)] for _ in range(2)] for _ in range(2)]
        one_shot = ep.BayesianGame.from_tables(tables)
        weights = [[R(1, 3), R(2, 3)], [R(1, 2), 0, R(1, 2)]]
        prof = ep.StrategyProfile.from_dict(
            one_shot,
            {
                "1": {"-": {"0": weights[0][0], "1": weights[0][1]}},
                "2": {"-": {"0": R(1, 2), "2": R(1, 2)}},
            },
        )
        cells = {
            (f"{a}", f"{b}"): (tables[0][a][b], tables[1][a][b]) for a in range(2) for b in range(3)
        }
        g = StochasticGame.repeated(("1", "2"), (("0", "1"), ("0", "1", "2")), cells, gamma=gamma)
        sigma = StationaryProfile.from_dict(
            g,
            {
                "1": {"s": {"0": weights[0][0], "1": weights[0][1]}},
                "2": {"s": {"0": "1/2", "2": "1/2"}},
            },
        )
        scale = 1 / (1 - R(gamma))
        for i in range(2):
            assert sv.power(g, sigma, i) == ep.power(one_shot, prof, i) * scale
        assert sv.nash_conv(g, sigma) == ep.nash_conv(one_shot, prof) * scale


def test_two_states_hand_worked():
    g = two_states()
    stay = StationaryProfile.from_dict(
        g, {"row": {"a": "stay", "b": "r"}, "col": {"a": "c", "b": "c"}}
    )
    # staying pays 1 per period: 1/(1 − 1/2) = 2; going pays 0 now, then 2 forever: γ·4 = 2
    assert sv.state_values(g, stay, "row") == (2, 4)
    assert sv.power(g, stay, "row") == 2 and sv.is_nash(g, stay)
    assert sv.occupancy(g, stay) == (2, 0)
    half = StationaryProfile.from_dict(
        g, {"row": {"a": {"stay": "1/2", "go": "1/2"}, "b": "r"}, "col": {"a": "c", "b": "c"}}
    )
    assert sv.is_nash(g, half)  # both actions attain the optimum at 'a'
    assert sum(sv.occupancy(g, half)) == 2  # 1/(1 − γ)
    assert (
        sv.constant_sum(g) == 0
        and sv.constant_sum(
            StochasticGame.repeated(
                ("A",), (("x", "y"),), {("x",): (1,), ("y",): (2,)}, gamma="1/2"
            )
        )
        is None
    )


# -- against the independent oracle ------------------------------------------------------------


def test_power_and_nash_conv_match_the_oracle_on_random_games():
    rng = random.Random(12)
    for _ in range(150):
        g = ns.random_game(
            rng, rng.choice([2, 3]), rng.randint(1, 3), 2, constant=rng.choice([None, "1"])
        )
        p = ns.random_profile(rng, g)
        sig = ns.sigma_of(p)
        for i in range(g.n_players):
            assert sv.power(g, p, i) == ns.power(g, sig, i)
            assert sv.value(g, p, i) == ns.value(g, sig, i)
        assert sv.nash_conv(g, p) == ns.nash_conv(g, sig)
        assert sv.is_nash(g, p) == (ns.nash_conv(g, sig) == 0)
        assert all(isinstance(x, sympy.Rational) for x in sv.occupancy(g, p))


def test_bellman_equations_hold_for_the_best_response():
    rng = random.Random(5)
    for _ in range(40):
        g = ns.random_game(rng, 2, 3, 2)
        p = ns.random_profile(rng, g)
        for i in range(2):
            br = sv.best_response(g, p, i)
            for s, state in enumerate(g.states):
                assert br.values[s] == max(br.q[state].values()) == br.q[state][br.policy[state]]


# -- validation: one-line errors naming the place ----------------------------------------------


def _cells(rewards=(1, -1), nxt=None):
    return {"x,u": (rewards, nxt or {"s": 1})}


def _one(cells, gamma="1/2", actions=None):
    return StochasticGame.build(
        ["A", "B"], {"s": {"actions": actions or {"A": ["x"], "B": ["u"]}, "cells": cells}}, gamma
    )


@pytest.mark.parametrize(
    ("make", "error", "text"),
    [
        (lambda: _one(_cells(), gamma=1), MDPError, "gamma: 1 is not in (0, 1)"),
        (lambda: _one(_cells(), gamma=0), MDPError, "gamma: 0 is not in (0, 1)"),
        (lambda: _one(_cells(), gamma=0.5), InexactValueError, "float"),
        (lambda: _one(_cells(rewards=(0.5, 1))), InexactValueError, "float"),
        (lambda: _one(_cells(nxt={"s": "1/2"})), ProbabilityError, "sum to 1/2, not 1"),
        (lambda: _one(_cells(nxt={"s": "3/2", "t": 0})), MDPError, "unknown next state 't'"),
        (lambda: _one({}), MDPError, "state 's', joint action ['x', 'u']: no rewards"),
        (lambda: _one(_cells(rewards=(1,))), MDPError, "1 rewards for 2 players"),
        (lambda: _one({**_cells(), "y,u": ((0, 0), {"s": 1})}), MDPError, "['y', 'u'] is not one"),
        (lambda: _one(_cells(), actions={"A": ["x"]}), MDPError, "exactly the players"),
        (
            lambda: _one(_cells(), actions={"A": ["x", "x"], "B": ["u"]}),
            MDPError,
            "duplicate action",
        ),
    ],
)
def test_bad_games_are_refused_with_one_line(make, error, text):
    with pytest.raises(error) as info:
        make()
    assert text in str(info.value) and "\n" not in str(info.value)
    assert isinstance(info.value, GameError)


def test_bad_profiles_are_refused():
    g = pennies()
    for strategies, text in [
        ({"row": {"s": "H"}}, "no strategy for player 'col'"),
        ({"row": {"s": "X"}, "col": {"s": "H"}}, "unknown action 'X'"),
        ({"row": {"s": {"H": "1/2"}}, "col": {"s": "H"}}, "sum to 1/2"),
        ({"row": {"t": "H"}, "col": {"s": "H"}}, "unknown state 't'"),
        ({"row": {"s": {"H": "3/2", "T": "-1/2"}}, "col": {"s": "H"}}, "not in [0, 1]"),
    ]:
        with pytest.raises(ProfileError) as info:
            StationaryProfile.from_dict(g, strategies)
        assert text in str(info.value), str(info.value)


# -- the JSON formats --------------------------------------------------------------------------


def test_json_round_trip_and_schema():
    rng = random.Random(3)
    schema = json.loads((SCHEMAS / "stochastic-v1.schema.json").read_text())
    pschema = json.loads((SCHEMAS / "stationary-v1.schema.json").read_text())
    for _ in range(20):
        g = ns.random_game(rng, 3, 3, 2)
        p = ns.random_profile(rng, g)
        assert loads_stochastic(dumps_stochastic(g)) == g
        assert loads_stationary(dumps_stationary(p), g) == p
        jsonschema.validate(stochastic_to_data(g), schema)
        jsonschema.validate(json.loads(dumps_stationary(p)), pschema)


@pytest.mark.parametrize(
    ("edit", "text"),
    [
        (
            lambda d: d.update(gamma=0.5),
            "gamma: expected an exact value as a string, got the number 0.5",
        ),
        (lambda d: d.update(gamma="1"), "gamma: 1 is not in (0, 1)"),
        (lambda d: d.update(trust="me"), "unknown key 'trust'"),
        (
            lambda d: d["states"][0]["cells"][0].update(rewards=["1", 1]),
            "rewards[1]: expected an exact value",
        ),
        (lambda d: d["states"][0]["cells"].pop(), "joint action ['T', 'T']: no rewards"),
        (lambda d: d["states"][0]["cells"][0]["next"].update(t="0"), "unknown next state 't'"),
        (lambda d: d.update(initial={"s": "1/2"}), "sum to 1/2, not 1"),
    ],
)
def test_bad_files_are_refused(edit, text):
    d = stochastic_to_data(pennies())
    edit(d)
    with pytest.raises(GameError) as info:
        loads_stochastic(json.dumps(d), source="g.json")
    assert str(info.value).startswith("g.json: ") and text in str(info.value), str(info.value)


def test_duplicate_keys_are_refused():
    text = dumps_stochastic(pennies()).replace('"gamma": "1/2"', '"gamma": "1/2", "gamma": "1/3"')
    with pytest.raises(GameError, match="duplicate key 'gamma'"):
        loads_stochastic(text)
