"""Exact equilibria of two-player zero-sum trees by the sequence-form LP (issue 11).

Oracles: Kuhn poker's value −1/18 and its known one-parameter family of equilibria; hand-worked
values; backward induction on perfect-information trees; and, on random imperfect-information
trees, the value of the induced normal form (every pure strategy of each player enumerated, the
payoff of each pair found by walking the tree in Fractions, the matrix game solved by
``minimax_lp``) -- none of which uses the sequence form.  NashConv is checked both by
``exactpower.sequential.nash_conv`` and by the independent oracle ``tests/naive_tree.py``.
"""

from __future__ import annotations

import itertools
import random
from fractions import Fraction

import numpy as np
import pytest
import sympy

from exactpower.errors import GameStructureError
from exactpower.linalg import minimax_lp, simplex_min
from exactpower.linalg.certified import certify_basis, solve_lp
from exactpower.sequential import (
    BehaviourProfile,
    ExtensiveGame,
    catalog,
    chance,
    decision,
    expected_payoff,
    nash_conv,
    terminal,
)
from exactpower.sequential.sequence_form import (
    SequenceForm,
    ZeroSumSolution,
    sequence_form,
    solve_zero_sum,
)
from tests import naive_tree

R = sympy.Rational


# -- Kuhn poker, built here from the rules (independent of the catalog) ---------------------


def _kuhn() -> ExtensiveGame:
    cards = "JQK"

    def show(c1, c2, stake):
        win = stake if cards.index(c1) > cards.index(c2) else -stake
        return terminal(win, -win)

    deals = {}
    for c1, c2 in itertools.permutations(cards, 2):
        deals[c1 + c2] = (
            R(1, 6),
            decision(
                "1",
                f"1{c1}",
                {
                    "check": decision(
                        "2",
                        f"2{c2}-check",
                        {
                            "check": show(c1, c2, 1),
                            "bet": decision(
                                "1",
                                f"1{c1}-check-bet",
                                {"fold": terminal(-1, 1), "call": show(c1, c2, 2)},
                            ),
                        },
                    ),
                    "bet": decision(
                        "2",
                        f"2{c2}-bet",
                        {"fold": terminal(1, -1), "call": show(c1, c2, 2)},
                    ),
                },
            ),
        )
    return ExtensiveGame.build(players=("1", "2"), root=chance(deals))


def _check_solution(game: ExtensiveGame, solution: ZeroSumSolution) -> None:
    assert isinstance(solution, ZeroSumSolution)
    assert isinstance(solution.value, sympy.Rational)
    assert isinstance(solution.profile, BehaviourProfile)
    assert nash_conv(game, solution.profile) == 0
    assert naive_tree.nash_conv(game, solution.profile) == 0
    assert expected_payoff(game, solution.profile, 0) == solution.value
    assert naive_tree.payoffs(game, solution.profile)[0] == Fraction(
        int(solution.value.p), int(solution.value.q)
    )


def test_kuhn_value_and_family() -> None:
    game = _kuhn()
    solution = solve_zero_sum(game)
    _check_solution(game, solution)
    assert solution.value == R(-1, 18)
    s = solution.profile
    alpha = s.at("1J")["bet"]
    assert 0 <= alpha <= R(1, 3)
    # the family (Kuhn 1950): K bets 3α, Q never bets, Q calls α + 1/3, J never calls
    assert s.at("1K")["bet"] == 3 * alpha
    assert s.at("1Q")["bet"] == 0
    assert s.at("1Q-check-bet")["call"] == alpha + R(1, 3)
    assert s.at("1J-check-bet")["call"] == 0
    # player 2: calls a bet with K, folds J, calls with Q w.p. 1/3, bets K after a check,
    # bluffs J after a check w.p. 1/3
    assert s.at("2K-bet")["call"] == 1 and s.at("2J-bet")["call"] == 0
    assert s.at("2Q-bet")["call"] == R(1, 3)
    assert s.at("2K-check")["bet"] == 1 and s.at("2J-check")["bet"] == R(1, 3)


def test_kuhn_catalog_and_realization_plans() -> None:
    game = catalog.kuhn_poker()
    solution = solve_zero_sum(game)
    _check_solution(game, solution)
    assert solution.value == R(-1, 18)
    assert solution.sequence_form.sizes == (13, 13)
    for p, plan in enumerate(solution.realization_plans):
        assert plan[()] == 1
        assert all(isinstance(v, sympy.Rational) and 0 <= v <= 1 for v in plan.values())
        for h in game.infosets_of(p):
            info = game.infosets[h]
            node = info.nodes[0]
            parent = tuple(
                (game.infosets[k].name, game.infosets[k].actions[a])
                for k, a in game.sequence(node, p)
            )
            children = [parent + ((info.name, a),) for a in info.actions]
            assert sum(plan[c] for c in children) == plan[parent]


def test_matching_pennies_tree() -> None:
    game = ExtensiveGame.build(
        players=("1", "2"),
        root=decision(
            "1",
            "I",
            {
                "H": decision("2", "J", {"h": terminal(1, -1), "t": terminal(-1, 1)}),
                "T": decision("2", "J", {"h": terminal(-1, 1), "t": terminal(1, -1)}),
            },
        ),
    )
    solution = solve_zero_sum(game)
    _check_solution(game, solution)
    assert solution.value == 0
    assert solution.profile.at("I") == {"H": R(1, 2), "T": R(1, 2)}
    assert solution.profile.at("J") == {"h": R(1, 2), "t": R(1, 2)}
    assert solution.realization_plans[1] == {(): 1, (("J", "h"),): R(1, 2), (("J", "t"),): R(1, 2)}


def test_perfect_information_hand_worked() -> None:
    # L: player 2 picks min(3, 1) = 1.  R: a fair coin; heads pays 4, tails lets player 2
    # pick min(0, 2) = 0; worth 2.  Player 1 picks R: value 2, and player 2 plays b and x.
    game = ExtensiveGame.build(
        players=("1", "2"),
        root=decision(
            "1",
            "root",
            {
                "L": decision("2", "after L", {"a": terminal(3, -3), "b": terminal(1, -1)}),
                "R": chance(
                    {
                        "heads": ("1/2", terminal(4, -4)),
                        "tails": (
                            "1/2",
                            decision("2", "tails", {"x": terminal(0, 0), "y": terminal(2, -2)}),
                        ),
                    }
                ),
            },
        ),
    )
    solution = solve_zero_sum(game)
    _check_solution(game, solution)
    assert solution.value == 2
    assert solution.profile.at("root") == {"L": 0, "R": 1}
    assert solution.profile.at("tails") == {"x": 1, "y": 0}


def test_constant_sum_value_is_player_one_payoff() -> None:
    game = ExtensiveGame.build(
        players=("1", "2"),
        root=decision(
            "1",
            "I",
            {
                "H": decision("2", "J", {"h": terminal(3, 2), "t": terminal(1, 4)}),
                "T": decision("2", "J", {"h": terminal(1, 4), "t": terminal(3, 2)}),
            },
        ),
    )
    solution = solve_zero_sum(game)
    _check_solution(game, solution)
    assert solution.value == 2  # player 1's payoff; player 2 gets 5 - 2 = 3


def test_sequence_form_matrices() -> None:
    game = _kuhn()
    sf = sequence_form(game)
    assert isinstance(sf, SequenceForm)
    assert sf.sizes == (13, 13)
    assert all(len(row) == 3 for E in sf.constraints for row in E[1:])
    assert all(isinstance(v, sympy.Rational) for v in sf.payoff.values())
    # player 1 bets, player 2 folds: 1 per deal, 6 deals of 1/6 each, J Q and K alike
    bet = {s: k for k, s in enumerate(sf.sequences[0]) if len(s) == 1 and s[0][1] == 1}
    fold = {s: k for k, s in enumerate(sf.sequences[1]) if len(s) == 1 and s[0][1] == 0}
    total = sum(sf.payoff.get((i, j), 0) for i in bet.values() for j in fold.values())
    assert total == 1


@pytest.mark.parametrize(
    ("players", "payoffs", "words"),
    [
        (("1", "2", "3"), (0, 0, 0), "two-player"),
        (("1", "2"), (1, 1), "zero-sum or constant-sum"),
    ],
)
def test_refused(players, payoffs, words) -> None:
    leaf = terminal(*payoffs)
    other = terminal(*(0 for _ in players))
    game = ExtensiveGame.build(players=players, root=decision("1", "I", {"a": leaf, "b": other}))
    with pytest.raises(GameStructureError, match=words):
        solve_zero_sum(game)


def test_symbolic_refused() -> None:
    x = sympy.Symbol("x")
    game = ExtensiveGame.build(
        players=("1", "2"),
        root=decision("1", "I", {"a": terminal(x, -x), "b": terminal(0, 0)}),
        parameters=("x",),
    )
    with pytest.raises(GameStructureError, match="symbolic"):
        solve_zero_sum(game)


# -- random zero-sum trees against the induced normal form ----------------------------------


def _random_zero_sum(seed: int) -> ExtensiveGame:
    """A random two-player zero-sum tree with perfect recall, chance and imperfect information."""
    rng = random.Random(seed)
    sets: dict = {}
    offset = Fraction(rng.choice((0, 0, 0, 1, -3)))  # sometimes constant-sum

    def node(depth: int, seqs: tuple):
        r = rng.random()
        if depth >= 4 or (depth > 0 and r < 0.3):
            v = Fraction(rng.randint(-5, 5), rng.choice((1, 1, 2, 3)))
            return terminal(v, offset - v)
        if r < 0.45:
            k = rng.randint(2, 3)
            weights = [rng.randint(1, 3) for _ in range(k)]
            return chance(
                {
                    f"c{j}": (Fraction(w, sum(weights)), node(depth + 1, seqs))
                    for j, w in enumerate(weights)
                }
            )
        i = rng.randrange(2)
        key = (i, seqs[i], rng.randrange(2))
        if key not in sets and len(sets) >= 6:  # keep the normal form small
            v = Fraction(rng.randint(-5, 5))
            return terminal(v, offset - v)
        if key not in sets:
            sets[key] = (f"I{len(sets)}", rng.randint(2, 3))
        name, k = sets[key]
        children = {}
        for j in range(k):
            new = list(seqs)
            new[i] = seqs[i] + ((name, j),)
            children[f"a{j}"] = node(depth + 1, tuple(new))
        return decision(i, name, children)

    return ExtensiveGame.build(players=("A", "B"), root=node(0, ((), ())))


def _pure_payoff(game, choices: dict, node: int = 0) -> Fraction:
    """Player 1's payoff when both play pure strategies (``{infoset: action index}``)."""
    n = game.nodes[node]
    if n.kind == "terminal":
        return naive_tree.fraction(n.payoffs[0])
    info = game.infosets[n.infoset]
    if info.player is None:
        return sum(
            (
                naive_tree.fraction(p) * _pure_payoff(game, choices, c)
                for p, c in zip(info.probabilities, n.children)
            ),
            Fraction(0),
        )
    return _pure_payoff(game, choices, n.children[choices[n.infoset]])


def _normal_form_value(game) -> Fraction:
    rows = list(naive_tree.pure_strategies(game, 0))
    columns = list(naive_tree.pure_strategies(game, 1))
    matrix = np.array(
        [[_pure_payoff(game, {**r, **c}) for c in columns] for r in rows], dtype=object
    )
    value, _ = minimax_lp(matrix.reshape(1, len(rows), 1, len(columns)))
    return Fraction(int(value.p), int(value.q))


@pytest.mark.parametrize("start", range(0, 120, 20))
def test_random_trees_against_normal_form(start: int) -> None:
    for seed in range(start, start + 20):
        game = _random_zero_sum(seed)
        solution = solve_zero_sum(game)
        _check_solution(game, solution)
        expected = _normal_form_value(game)
        assert solution.value == R(expected.numerator, expected.denominator), seed


def _backward(game, node: int = 0) -> Fraction:
    n = game.nodes[node]
    if n.kind == "terminal":
        return naive_tree.fraction(n.payoffs[0])
    info = game.infosets[n.infoset]
    values = [_backward(game, c) for c in n.children]
    if info.player is None:
        return sum(
            (naive_tree.fraction(p) * v for p, v in zip(info.probabilities, values)), Fraction(0)
        )
    return max(values) if info.player == 0 else min(values)


def test_random_perfect_information_trees_against_backward_induction() -> None:
    for seed in range(30):
        rng = random.Random(1000 + seed)
        count = [0]

        def node(depth: int, rng=rng, count=count):
            if depth >= 4 or (depth > 0 and rng.random() < 0.3):
                v = rng.randint(-4, 4)
                return terminal(v, -v)
            count[0] += 1
            k = rng.randint(2, 3)
            if rng.random() < 0.3:
                return chance({f"c{j}": (R(1, k), node(depth + 1)) for j in range(k)})
            return decision(
                rng.randrange(2), f"n{count[0]}", {f"a{j}": node(depth + 1) for j in range(k)}
            )

        game = ExtensiveGame.build(players=("A", "B"), root=node(0))
        solution = solve_zero_sum(game)
        _check_solution(game, solution)
        expected = _backward(game)
        assert solution.value == R(expected.numerator, expected.denominator)


# -- the certified LP path (floating-point guess, exact certificate) -------------------------


def test_certified_path_matches_exact_simplex() -> None:
    from exactpower.linalg import certified

    rng = random.Random(7)
    for _ in range(30):
        n, m = rng.randint(2, 6), rng.randint(1, 5)
        a_ub = [{j: rng.randint(0, 4) for j in range(n)} for _ in range(m)]
        b_ub = [rng.randint(1, 9) for _ in range(m)]
        c = [-rng.randint(0, 5) for _ in range(n)]
        a_eq = [dict.fromkeys(range(n), 1)]
        b_eq = [rng.randint(0, 1)]
        dense = [[row.get(j, 0) for j in range(n)] for row in a_ub]
        expected, _ = simplex_min(c, dense, b_ub, [[1] * n], b_eq, [])
        basis = certified._float_basis(c, a_ub, b_ub, a_eq, b_eq, [])
        found = certify_basis(c, a_ub, b_ub, a_eq, b_eq, [], basis)
        assert found is not None and found[0] == expected
        assert solve_lp(c, a_ub, b_ub, a_eq, b_eq, [])[0] == expected


def test_certificate_refuses_a_wrong_basis() -> None:
    # min -x - y  s.t. x + 2y <= 4, 3x + y <= 6: optimum at (8/5, 6/5); the basis of the
    # vertex (0, 2) (columns y and the second slack) is feasible but not optimal.
    a_ub = [{0: 1, 1: 2}, {0: 3, 1: 1}]
    assert certify_basis([-1, -1], a_ub, [4, 6], [], [], [], [1, 3]) is None
    value, z = certify_basis([-1, -1], a_ub, [4, 6], [], [], [], [0, 1])
    assert value == R(-14, 5) and z == [R(8, 5), R(6, 5)]


def test_games_where_a_player_never_moves() -> None:
    only_chance = ExtensiveGame.build(
        players=("1", "2"),
        root=chance({"a": ("1/3", terminal(3, -3)), "b": ("2/3", terminal(-1, 1))}),
    )
    solution = solve_zero_sum(only_chance)
    _check_solution(only_chance, solution)
    assert solution.value == R(1, 3)
    assert solution.realization_plans == ({(): 1}, {(): 1})
    one_mover = ExtensiveGame.build(
        players=("1", "2"),
        root=decision("2", "J", {"x": terminal(R(1, 2), R(-1, 2)), "y": terminal(2, -2)}),
    )
    solution = solve_zero_sum(one_mover)
    _check_solution(one_mover, solution)
    assert solution.value == R(1, 2)
    assert solution.profile.at("J") == {"x": 1, "y": 0}


def test_benchmark_quick(tmp_path, capsys) -> None:
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_sequence_form.py"
    spec = importlib.util.spec_from_file_location("bench_sequence_form", path)
    assert spec is not None and spec.loader is not None
    bench = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(bench)
    output = tmp_path / "out.md"
    assert bench.main(["--quick", "--no-write", "--output", str(output)]) == 0
    assert not output.exists()
    printed = capsys.readouterr().out
    assert "| Kuhn poker (catalog) |" in printed and "| 13 / 13 |" in printed
    assert "-1/18" in printed


#: Leduc poker's exact value for the first player (benchmarks/results/sequence_form.md).
LEDUC = R(-1454920850547486749701863871533, 16995463438839962469905132501930)


@pytest.mark.slow
def test_leduc_exact_value() -> None:
    from tests.optional import require

    require("pyspiel")
    from exactpower.sequential.openspiel import from_openspiel

    game = from_openspiel("leduc_poker")
    solution = solve_zero_sum(game)
    assert solution.sequence_form.sizes == (1093, 1093)
    assert nash_conv(game, solution.profile) == 0
    assert solution.value == LEDUC
    assert abs(float(solution.value) - (-0.0856064)) < 1e-7  # the published float value
