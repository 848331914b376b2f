"""Values for parameters (issue 10, item 8): ``BayesianGame.subs`` and ``StrategyProfile.subs``."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest
import sympy

import exactpower as ep
from exactpower import BayesianGame, Parameter, StrategyProfile
from exactpower.errors import InexactValueError, ParameterError

R = sympy.Rational

EX = Path(__file__).resolve().parents[2] / "examples"


def pennies():
    return ep.load(EX / "bayesian-pennies.json")  # q: probability of row's type h


def scaled():
    return ep.load(EX / "scaled-pennies.json")  # x: real


def test_substituting_every_parameter_gives_a_rational_game():
    g = pennies()
    h = g.subs({"q": "1/4"})
    assert isinstance(h, BayesianGame) and not h.is_symbolic and h.parameters == ()
    assert h.probability((0, 0)) == R(1, 4) and isinstance(h.probability((0, 0)), sympy.Rational)
    assert h.probability((1, 0)) == R(3, 4)
    assert h.players == g.players and h.title == g.title
    s = StrategyProfile.uniform(h)
    assert ep.power(h, s, "row") == 0
    assert h.rewards == g.rewards  # rewards had no parameter
    # the same game as the file with the number written in place of q
    text = (EX / "bayesian-pennies.json").read_text(encoding="utf-8")
    direct = ep.loads(
        text.replace('"parameters": {"q": "probability"},', "").replace(
            '"h": "q", "l": "1 - q"', '"h": "1/4", "l": "3/4"'
        )
    )
    assert ep.dumps(h) == ep.dumps(direct)


def test_values_of_every_exact_kind():
    g = scaled()
    for value in (3, "3", Fraction(3), sympy.Integer(3), np.int64(3)):
        h = g.subs({"x": value})
        assert h.reward(0, (0, 0), (0, 0)) == 3 and isinstance(
            h.reward(0, (0, 0), (0, 0)), sympy.Integer
        )
    assert g.subs({"x": "1/3"}).reward(0, (0, 0), (0, 0)) == R(1, 3)
    assert g.subs({Parameter("x"): 2}).reward(0, (0, 0), (0, 0)) == 2
    assert g.subs({g.parameters[0].symbol: "-2"}).reward(0, (0, 0), (0, 0)) == -2


def test_floats_unknown_names_and_domains_are_refused():
    g, s = pennies(), scaled()
    with pytest.raises(InexactValueError, match="float"):
        s.subs({"x": 0.5})
    with pytest.raises(ParameterError, match=r"unknown parameter 'y' \(declared: x\)"):
        s.subs({"y": 1})
    with pytest.raises(ParameterError, match=r"'q' \(probability\) must be in \[0, 1\], got 2"):
        g.subs({"q": 2})
    with pytest.raises(ParameterError, match="got -1/2"):
        g.subs({"q": "-1/2"})
    for edge in (0, 1):
        assert not g.subs({"q": edge}).is_symbolic
    with pytest.raises(ParameterError, match="mapping"):
        g.subs([("q", 1)])


def test_positive_and_nonnegative_domains():
    a, b = Parameter("a", "positive"), Parameter("b", "nonnegative")
    g = BayesianGame.from_tables([["a", "b"]], parameters=[a, b])
    assert g.subs({"a": "1/2", "b": 0}).reward(0, (0,), (1,)) == 0
    with pytest.raises(ParameterError, match=r"'a' \(positive\) must be > 0"):
        g.subs({"a": 0})
    with pytest.raises(ParameterError, match=r"'b' \(nonnegative\) must be >= 0"):
        g.subs({"b": -1})


def test_partial_substitution_keeps_the_other_parameters():
    x, q = Parameter("x"), Parameter("q", "probability")
    g = BayesianGame.from_tables([["x*q", "1 - q"]], parameters=[x, q])
    h = g.subs({"x": 2})
    assert h.parameters == (q,) and h.is_symbolic
    assert h.reward(0, (0,), (0,)) == 2 * q.symbol
    # a value may name the parameters that remain, within the domain for all of them
    assert g.subs({"x": "q + 1"}).reward(0, (0,), (0,)) == (q.symbol + 1) * q.symbol
    with pytest.raises(ParameterError):  # the name it replaces is no longer declared
        g.subs({"x": "x + 1"})


def test_a_symbolic_probability_value_must_stay_in_the_unit_interval():
    q, p = Parameter("q", "probability"), Parameter("p", "probability")
    g = BayesianGame.from_function(
        [ep.Player("a", ("h", "l"), ("0",))],
        lambda t, a: (1,),
        prior={("h",): "q", ("l",): "1 - q"},
        parameters=[q, p],
    )
    assert g.subs({"q": "p/2"}).probability((0,)) == p.symbol / 2
    with pytest.raises(ParameterError, match="must be in"):
        g.subs({"q": "2*p"})


def test_an_empty_substitution_is_the_game_itself():
    x = Parameter("x")
    g = BayesianGame.from_tables([["x", 0]], parameters=[x])
    assert g.subs({}) is g


def test_unset_cells_and_the_declared_constant_survive():
    g = ep.load(EX / "scaled-pennies.json")
    assert g.declared_constant_sum == 0
    h = g.subs({"x": 5})
    assert h.declared_constant_sum == 0
    assert ep.constant_sum(h).constant == 0
    doc = """{"format": "exactpower/game-v1", "parameters": {"x": "real"},
      "players": [{"name": "a", "types": ["h", "z"], "actions": ["0", "1"]}],
      "prior": {"joint": [[["h"], 1]]},
      "rewards": [{"types": ["h"], "actions": ["*"], "values": ["x"]}]}"""
    g = ep.loads(doc)
    assert g.unset is not None and g.reward(0, (1,), (0,)) is None
    h = g.subs({"x": "7/2"})
    assert h.reward(0, (1,), (0,)) is None and h.reward(0, (0,), (1,)) == R(7, 2)
    assert ep.dumps(ep.loads(ep.dumps(h))) == ep.dumps(h)


def test_profile_subs():
    g = pennies()
    s = ep.load_profile(EX / "bayesian-pennies-profile.json", g)
    t = s.subs({"q": "1/3"}, g)
    h = g.subs({"q": "1/3"})
    t.check_game(h)
    assert not t.is_symbolic
    assert ep.power(h, t, "row") == ep.power(g, s, "row").subs(g.parameters[0].symbol, R(1, 3))
    q = Parameter("q", "probability")
    g2 = BayesianGame.from_tables([[1, 0]], parameters=[q])
    s2 = StrategyProfile.from_dict(g2, {"1": {"0": "q", "1": "1 - q"}})
    assert s2.subs({"q": "1/4"}, g2).strategies == (((R(1, 4), R(3, 4)),),)
    with pytest.raises(ParameterError):
        s2.subs({"q": 3}, g2)
    with pytest.raises(ep.ProfileError):
        s2.subs({"q": "1/4"}, pennies())
