"""One API (exactpower.sequential.dispatch, proofs.dispatch): ``exactpower.power`` and the rest,
and ``proofs.power_scarcity``/``check``/``to_latex``, dispatch on the game's kind.

For every function and every kind (one-shot, game tree, stochastic game) the dispatching
function gives exactly what the kind's own module gives, and the values are checked against
independent oracles (tests/naive_tree.py, tests/naive_stochastic.py) and hand-worked values;
profiles of the wrong kind are refused with a ``GameKindError`` (a ``TypeError``); the
one-shot functions keep their signatures and values.
"""

from __future__ import annotations

import dataclasses
import random
from fractions import Fraction

import naive_stochastic as ns
import naive_tree
import pytest
import sympy

import exactpower as ep
import proofs
from exactpower.catalog import stripped_down_poker, stripped_down_poker_equilibrium
from exactpower.errors import GameError, GameKindError, ProfileError, UndecidedError
from exactpower.sequential import catalog
from exactpower.sequential import dispatch as d
from exactpower.sequential import quantities as qt
from exactpower.sequential import stochastic_values as sv
from proofs.kernel.stochastic import check_stochastic
from proofs.kernel.tree import check_tree
from proofs.stochastic_trace import StochasticTrace
from proofs.tree_trace import TreeTrace

from cases import kuhn_equilibrium, two_states

R = sympy.Rational
MP = {("H", "H"): (1, -1), ("H", "T"): (-1, 1), ("T", "H"): (-1, 1), ("T", "T"): (1, -1)}
PD = {("c", "c"): (2, 2), ("c", "d"): (0, 3), ("d", "c"): (3, 0), ("d", "d"): (1, 1)}


def fr(x) -> Fraction:
    assert isinstance(x, sympy.Rational), type(x)
    return Fraction(int(x.p), int(x.q))


# -- the games ---------------------------------------------------------------------------------


def trees() -> list:
    kuhn = catalog.kuhn_poker()
    bq = catalog.beer_quiche()
    mp = catalog.matching_pennies()
    return [
        (kuhn, ep.BehaviourProfile.uniform(kuhn)),
        (kuhn, ep.BehaviourProfile.from_dict(kuhn, kuhn_equilibrium(R(1, 6)))),
        (bq, ep.BehaviourProfile.uniform(bq)),
        (mp, ep.BehaviourProfile.pure(mp, {"1": "T", "2": "H"})),
    ]


def stochastic_games() -> list:
    pennies = ep.StochasticGame.repeated(("row", "col"), (("H", "T"), ("H", "T")), MP, "1/2")
    pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")), PD, "2/3")
    g2 = two_states()
    out = [
        (pennies, ep.StationaryProfile.uniform(pennies)),
        (pd, ep.StationaryProfile.from_dict(pd, {"A": {"s": "c"}, "B": {"s": "c"}})),
        (g2, ep.StationaryProfile.uniform(g2)),
    ]
    rng = random.Random(7)
    for k in range(4):
        g = ns.random_game(rng, 2, 2, 2, constant="1" if k % 2 else None)
        out.append((g, ns.random_profile(rng, g)))
    return out


def one_shot_games() -> list:
    mp = ep.BayesianGame.from_tables([[[1, -1], [-1, 1]], [[-1, 1], [1, -1]]])
    poker = stripped_down_poker()
    q = ep.Parameter("q", "probability")
    sym = ep.BayesianGame.from_tables([[["q", 0], [0, 1]], [[1, 0], [0, "1 - q"]]], parameters=[q])
    return [
        (mp, ep.StrategyProfile.from_dict(mp, {"1": "0", "2": {"0": "1/4", "1": "3/4"}})),
        (poker, ep.StrategyProfile.uniform(poker)),
        (poker, stripped_down_poker_equilibrium(poker)),
        (sym, ep.StrategyProfile.uniform(sym)),
    ]


TREES = trees()
STOCHASTIC = stochastic_games()
ONE_SHOT = one_shot_games()


# -- the exports -------------------------------------------------------------------------------


def test_exactpower_exports_the_dispatching_functions_and_the_sequential_models():
    for name in ("power", "power_sum", "welfare", "regret", "nash_conv", "constant_sum"):
        assert getattr(ep, name) is getattr(d, name), name
    assert ep.is_bayesian_nash is d.is_bayesian_nash and ep.is_nash is d.is_bayesian_nash
    assert ep.report is d.report
    from exactpower.sequential import MDP, BehaviourProfile, ExtensiveGame, mdp_power
    from exactpower.sequential.stochastic import StationaryProfile, StochasticGame

    assert (ep.ExtensiveGame, ep.BehaviourProfile, ep.MDP) == (ExtensiveGame, BehaviourProfile, MDP)
    assert (ep.StochasticGame, ep.StationaryProfile) == (StochasticGame, StationaryProfile)
    assert ep.mdp_power is mdp_power
    required = {
        "ExtensiveGame",
        "BehaviourProfile",
        "MDP",
        "StochasticGame",
        "StationaryProfile",
        "mdp_power",
        "is_nash",
        "GameKindError",
        "power",
        "report",
    }
    assert required <= set(ep.__all__)
    assert all(hasattr(ep, name) for name in ep.__all__)
    assert proofs.check is proofs.dispatch.check and proofs.to_latex is proofs.dispatch.to_latex
    assert proofs.power_scarcity is proofs.dispatch.power_scarcity
    assert issubclass(GameKindError, TypeError) and issubclass(GameKindError, GameError)


def assert_same_as(module, g, s) -> None:
    """``ep``'s power and regret of every player (by index and by name), power_sum, welfare
    and nash_conv at ``(g, s)`` are sympy Rationals equal to those of the kind's ``module``."""
    for player in (*range(len(g.players)), *g.players):
        for fn in ("power", "regret"):
            got = getattr(ep, fn)(g, s, player)
            assert isinstance(got, sympy.Rational) and got == getattr(module, fn)(g, s, player)
    for fn in ("power_sum", "welfare", "nash_conv"):
        got = getattr(ep, fn)(g, s)
        assert isinstance(got, sympy.Rational) and got == getattr(module, fn)(g, s), fn


# -- game trees --------------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(len(TREES)))
def test_trees_dispatch_to_the_tree_quantities(k):
    g, s = TREES[k]
    assert_same_as(qt, g, s)
    for i, name in enumerate(g.players):
        for player in (i, name):
            assert fr(ep.power(g, s, player)) == naive_tree.power(g, s, i)
    assert fr(ep.welfare(g, s)) == naive_tree.welfare(g, s)
    assert fr(ep.nash_conv(g, s)) == naive_tree.nash_conv(g, s)
    assert ep.is_nash(g, s) is qt.is_nash(g, s)
    assert ep.constant_sum(g) == (qt.constant_sum(g) or ep.ConstantSum(None))


def test_kuhn_poker_by_hand_through_the_one_api():
    g = catalog.kuhn_poker()
    s = ep.BehaviourProfile.uniform(g)
    assert (ep.power(g, s, "1"), ep.power(g, s, "2")) == (R(1, 2), R(5, 12))
    assert ep.nash_conv(g, s) == R(11, 12) and ep.welfare(g, s) == 0
    assert ep.regret(g, s, "1") == R(1, 2) - R(1, 8)
    assert ep.constant_sum(g) == ep.ConstantSum(R(0)) and ep.is_nash(g, s) is False
    eq = ep.BehaviourProfile.from_dict(g, kuhn_equilibrium(R(1, 6)))
    assert ep.nash_conv(g, eq) == 0 and ep.is_bayesian_nash(g, eq) is True
    assert ep.power_sum(g, eq) == 0  # = c: the theorem's equality at a Nash equilibrium


def test_a_symbolic_tree_keeps_the_tree_verdict():
    q = ep.Parameter("q", "probability")
    g = catalog.matching_pennies()
    s = ep.BehaviourProfile.from_dict(g, {"1": {"H": "q", "T": "1 - q"}, "2": "H"}, [q])
    assert ep.nash_conv(g, s) == qt.nash_conv(g, s)
    assert ep.is_nash(g, s) == qt.is_nash(g, s)
    assert ep.constant_sum(catalog.beer_quiche()) == ep.ConstantSum(None)


def test_a_one_shot_game_and_its_tree_agree():
    for game, profile in ONE_SHOT:
        tree = ep.ExtensiveGame.from_bayesian(game)
        b = ep.BehaviourProfile.from_strategy(tree, profile)
        for i in range(game.n_players):
            assert ep.exact.same(ep.power(tree, b, i), ep.power(game, profile, i))
            assert ep.exact.same(ep.regret(tree, b, i), ep.regret(game, profile, i))
        assert ep.exact.same(ep.nash_conv(tree, b), ep.nash_conv(game, profile))
        assert ep.exact.same(ep.welfare(tree, b), ep.welfare(game, profile))


# -- stochastic games --------------------------------------------------------------------------


@pytest.mark.parametrize("k", range(len(STOCHASTIC)))
def test_stochastic_games_dispatch_to_stochastic_values(k):
    g, s = STOCHASTIC[k]
    sigma = ns.sigma_of(s)
    assert_same_as(sv, g, s)
    for i, name in enumerate(g.players):
        for player in (i, name):
            assert fr(ep.power(g, s, player)) == ns.power(g, sigma, i)
            assert fr(ep.regret(g, s, player)) == ns.power(g, sigma, i) - ns.value(g, sigma, i)
    assert fr(ep.nash_conv(g, s)) == ns.nash_conv(g, sigma)
    assert ep.is_nash(g, s) is sv.is_nash(g, s)
    verdict = ep.constant_sum(g)
    assert isinstance(verdict, ep.ConstantSum) and verdict.constant == sv.constant_sum(g)


def test_stochastic_games_by_hand_through_the_one_api():
    """Repeated prisoner's dilemma, γ = 2/3 (a period is worth 1/(1 − γ) = 3): at (c, c)
    each earns 2·3 = 6 and could earn 3·3 = 9; at (d, d) nobody gains by deviating."""
    pd = ep.StochasticGame.repeated(("A", "B"), (("c", "d"), ("c", "d")), PD, "2/3")
    cc = ep.StationaryProfile.from_dict(pd, {"A": {"s": "c"}, "B": {"s": "c"}})
    dd = ep.StationaryProfile.from_dict(pd, {"A": {"s": "d"}, "B": {"s": "d"}})
    assert (ep.power(pd, cc, "A"), ep.welfare(pd, cc), ep.regret(pd, cc, "B")) == (9, 12, 3)
    assert ep.nash_conv(pd, cc) == 6 and ep.is_nash(pd, cc) is False
    assert ep.nash_conv(pd, dd) == 0 and ep.is_bayesian_nash(pd, dd) is True
    assert ep.constant_sum(pd) == ep.ConstantSum(None) and not ep.constant_sum(pd)
    pennies = STOCHASTIC[0][0]
    assert ep.constant_sum(pennies) == ep.ConstantSum(R(0)) and bool(ep.constant_sum(pennies))


# -- one-shot games: unchanged -----------------------------------------------------------------


@pytest.mark.parametrize("k", range(len(ONE_SHOT)))
def test_one_shot_games_are_unchanged(k):
    from exactpower.constant_sum import constant_sum
    from exactpower.power import power, power_sum
    from exactpower.regret import is_bayesian_nash, nash_conv, regret, regrets
    from exactpower.report import report
    from exactpower.utility import welfare

    game, profile = ONE_SHOT[k]
    for i, p in enumerate(game.players):
        for player in (i, p.name):
            assert ep.power(game, profile, player) == power(game, profile, player)
            for t in p.types:
                if game.marginal(i, p.types.index(t)) != 0:
                    assert ep.regret(game, profile, player, t) == regret(game, profile, player, t)
                    assert ep.regret(game, profile, player, type_=t) == regret(
                        game, profile, player, t
                    )
        ex_ante = sum(
            (game.marginal(i, j) * r for j, r in enumerate(regrets(game, profile, i).values())),
            sympy.Integer(0),
        )
        assert ep.exact.same(ep.regret(game, profile, i), ex_ante)
    assert ep.power_sum(game, profile) == power_sum(game, profile)
    assert ep.welfare(game, profile) == welfare(game, profile)
    assert ep.nash_conv(game, profile) == nash_conv(game, profile)
    assert ep.constant_sum(game) == constant_sum(game)
    assert ep.report(game, profile) == report(game, profile)
    try:
        expected = is_bayesian_nash(game, profile)
    except UndecidedError:
        with pytest.raises(UndecidedError):
            ep.is_bayesian_nash(game, profile)
    else:
        assert ep.is_bayesian_nash(game, profile) is expected is ep.is_nash(game, profile)


def test_one_shot_errors_are_unchanged():
    game, profile = ONE_SHOT[0]
    _, other_profile = ONE_SHOT[1]
    with pytest.raises(ProfileError):
        ep.power(game, other_profile, 0)
    with pytest.raises(GameError, match="player"):
        ep.power(game, profile, "nobody")
    with pytest.raises(TypeError):
        ep.power(game, profile)  # type: ignore[call-arg]


# -- wrong kinds -------------------------------------------------------------------------------


def _calls(game, profile) -> list:
    return [
        lambda: ep.power(game, profile, 0),
        lambda: ep.power_sum(game, profile),
        lambda: ep.welfare(game, profile),
        lambda: ep.regret(game, profile, 0),
        lambda: ep.nash_conv(game, profile),
        lambda: ep.is_nash(game, profile),
        lambda: ep.report(game, profile),
        lambda: proofs.power_scarcity(game, profile),
    ]


@pytest.mark.parametrize(
    "game, profile, text",
    [
        (
            TREES[0][0],
            ONE_SHOT[0][1],
            "a game tree needs a BehaviourProfile, got a StrategyProfile",
        ),
        (TREES[0][0], STOCHASTIC[0][1], "needs a BehaviourProfile, got a StationaryProfile"),
        (STOCHASTIC[0][0], TREES[0][1], "a stochastic game needs a StationaryProfile"),
        (ONE_SHOT[0][0], TREES[0][1], "a Bayesian game needs a StrategyProfile"),
        (ONE_SHOT[0][0], None, "got None"),
        ({"players": []}, ONE_SHOT[0][1], "expected a BayesianGame, an ExtensiveGame"),
    ],
)
def test_profiles_of_the_wrong_kind_are_refused(game, profile, text):
    for call in _calls(game, profile):
        with pytest.raises(GameKindError, match=text) as info:
            call()
        assert "\n" not in str(info.value)
    with pytest.raises(TypeError):
        ep.power(game, profile, 0)


def test_an_mdp_is_pointed_to_mdp_power():
    mdp = ep.MDP.graph({"a": ["a", "b"], "b": ["b"]})
    with pytest.raises(GameKindError, match="mdp_power"):
        ep.power(mdp, None, 0)
    with pytest.raises(GameKindError, match="mdp_power"):
        ep.constant_sum(mdp)
    got = ep.mdp_power(mdp, ep.FiniteRewards(((1, {"a": 0, "b": 1}),)), "1/2")
    assert got == {"a": 1, "b": 1} and all(isinstance(v, sympy.Rational) for v in got.values())


def test_profiles_of_another_game_are_refused():
    s = TREES[0][1]
    bq = catalog.beer_quiche()
    with pytest.raises(ProfileError, match="another game tree"):
        ep.power(bq, s, 0)
    st = STOCHASTIC[0][1]
    with pytest.raises(ProfileError, match="another stochastic game"):
        ep.nash_conv(two_states(), st)
    with pytest.raises(ProfileError):
        proofs.power_scarcity(two_states(), st)


def test_sequential_games_have_no_types_and_no_report():
    g, s = TREES[0]
    with pytest.raises(GameKindError, match="a game tree has no types"):
        ep.regret(g, s, 0, "J")
    g, s = STOCHASTIC[0]
    with pytest.raises(GameKindError, match="a stochastic game has no types"):
        ep.regret(g, s, 0, "x")
    with pytest.raises(GameKindError, match="one-shot Bayesian games only"):
        ep.report(g, s)


# -- proofs ------------------------------------------------------------------------------------


def test_kuhn_poker_traces_check_through_proofs():
    g = catalog.kuhn_poker()
    for s in (
        ep.BehaviourProfile.uniform(g),
        ep.BehaviourProfile.from_dict(g, kuhn_equilibrium(R(1, 6))),
    ):
        trace = proofs.power_scarcity(g, s)
        assert isinstance(trace, TreeTrace) and trace.theorem == "power-scarcity"
        verdict = proofs.check(trace)
        assert verdict.status == "valid" and verdict == check_tree(trace)
        assert proofs.check_or_raise(trace).ok
        assert trace.conclusion.power_sum == ep.power_sum(g, s)
    bad = dataclasses.replace(
        trace, conclusion=dataclasses.replace(trace.conclusion, power_sum=R(1))
    )
    assert proofs.check(bad).status == "rejected"
    with pytest.raises(proofs.ProofError):
        proofs.check_or_raise(bad)
    with pytest.raises(proofs.ProofError):
        proofs.to_latex(bad)
    doc = proofs.to_latex(trace)
    assert doc.startswith("\\documentclass") and "game tree" in doc


@pytest.mark.parametrize("k", range(len(STOCHASTIC)))
def test_stochastic_traces_check_through_proofs(k):
    g, s = STOCHASTIC[k]
    trace = proofs.power_scarcity(g, s)
    assert isinstance(trace, StochasticTrace)
    verdict = proofs.check(trace)
    assert verdict.status == "valid" and verdict == check_stochastic(trace)
    assert trace.conclusion.power_sum == ep.power_sum(g, s)
    assert trace.conclusion.gap == ep.nash_conv(g, s)
    assert proofs.check(StochasticTrace.from_json(trace.to_json())).ok
    if k == 0:
        doc = proofs.to_latex(trace)
        assert doc.startswith("\\documentclass") and doc.endswith("\n")
        bad = dataclasses.replace(trace, conclusion=dataclasses.replace(trace.conclusion, gap=R(5)))
        assert proofs.check(bad).status == "rejected"


def test_one_shot_and_shape_traces_still_check():
    game, profile = ONE_SHOT[1]
    trace = proofs.power_scarcity(game, profile)
    assert type(trace) is proofs.Trace and proofs.check(trace) == proofs.kernel.check(trace)
    assert proofs.check(trace).ok and proofs.to_latex(trace).startswith("\\documentclass")
    shape = proofs.shape_theorem(1, 1, 2)
    assert proofs.check(shape).status == "valid" == proofs.check_shape(shape).status
    assert proofs.check("not a trace").status == "rejected"
