"""Does improvement lower POWER? (exactpower.dynamics.improvement, ``conjecture
improvement-lowers-power``, docs/conjectures.md).

The counts are compared with an independent brute force on 2×2 games (Fractions, written
here from the definitions), the counterexample files are re-checked with ``exactpower
verify`` and from the definitions of each reading, and reading (d) is checked to hold on
constant-sum classes (ΣPOWER = c + NashConv).
"""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import pytest
import sympy

import exactpower as ep
from exactpower.dynamics.improvement import READINGS, check_class, check_game
from exactpower.dynamics.rules import fictitious_play_step
from exactpower.io import load_game_file, load_profile
from exactpower.small.classes import GameClass
from tests.cases import EXAMPLES, one_line_error, run_cli

CE = EXAMPLES / "counterexamples"
FREE = CE / "improvement"
TWO_BY_TWO = CE / "improvement-2x2"
CONSTANT_SUM = CE / "improvement-constant-sum"


# -- an independent brute force on 2×2 one-type games -------------------------------------------


def brute_force(r1, r2):
    """Counts (steps, raising steps) of reading (a) and (d) on the grid k/2, from the
    definitions.  ``r1[a][b]``, ``r2[a][b]``: rewards; ``p``, ``q``: P(action 0)."""
    grid = [Fraction(1), Fraction(1, 2), Fraction(0)]

    def u1(a, q):
        return q * r1[a][0] + (1 - q) * r1[a][1]

    def u2(b, p):
        return p * r2[0][b] + (1 - p) * r2[1][b]

    def total(p, q):  # ΣPOWER = max_a u1 + max_b u2
        return max(u1(0, q), u1(1, q)) + max(u2(0, p), u2(1, p))

    def conv(p, q):
        return (max(u1(0, q), u1(1, q)) - p * u1(0, q) - (1 - p) * u1(1, q)) + (
            max(u2(0, p), u2(1, p)) - q * u2(0, p) - (1 - q) * u2(1, p)
        )

    steps = fails = 0
    for p, q in itertools.product(grid, grid):
        now = total(p, q)
        for a in (0, 1):  # row switches to a strictly better pure action
            if u1(a, q) > p * u1(0, q) + (1 - p) * u1(1, q):
                steps += 1
                fails += total(Fraction(1 - a), q) > now
        for b in (0, 1):
            if u2(b, p) > q * u2(0, p) + (1 - q) * u2(1, p):
                steps += 1
                fails += total(p, Fraction(1 - b)) > now
    profiles = list(itertools.product(grid, grid))
    pairs = [(x, y) for x in profiles for y in profiles if conv(*y) < conv(*x)]
    raising = sum(total(*y) > total(*x) for x, y in pairs)
    return (steps, fails), (len(pairs), raising)


@pytest.mark.parametrize("values", [(0, 1), (-1, 0, 1)])
def test_counts_match_brute_force(values):
    cls = GameClass(2, 1, 2, values)
    summary = check_class(cls, limit=120)
    a = d = (0, 0)
    for cg in itertools.islice(iter(cls), 120):
        r = cg.rewards.reshape(2, 2, 2).tolist()
        ra, rd = brute_force(r[0], r[1])
        a = (a[0] + ra[0], a[1] + ra[1])
        d = (d[0] + rd[0], d[1] + rd[1])
    got = summary["readings"]
    assert (
        got["unilateral-switch"]["steps_checked"],
        got["unilateral-switch"]["steps_failing"],
    ) == a
    nc = got["nash-conv-decrease"]
    assert (nc["steps_checked"], nc["steps_failing"]) == d
    assert a[1] > 0 and d[1] > 0  # both readings fail on these classes


def test_reading_d_holds_on_constant_sum_classes():
    # ΣPOWER = c + NashConv in a constant-sum game: a NashConv drop is a ΣPOWER drop.
    for cls in (
        GameClass(2, 1, 2, (-1, 0, 1), constraint="constant-sum"),
        GameClass(2, 1, (2, 3), (-1, 1), constraint="constant-sum:1"),
    ):
        res = check_class(cls)["readings"]["nash-conv-decrease"]
        assert res["holds"] and res["steps_checked"] > 0 and res["counterexample"] is None


def test_unilateral_switch_in_a_zero_sum_game():
    # Row: [[1, -1], [0, 0]]; at (1, 0) the row player switches to 0 (0 -> 1): the column
    # player's POWER rises from 0 to 1, the row player's stays 1.
    g = ep.BayesianGame.from_tables([[[1, -1], [0, 0]], [[-1, 1], [0, 0]]])
    res = check_game(g, grid=1)
    before, after, p0, p1 = res["unilateral-switch"]["first"]
    assert (p0, p1) == (1, 2) and isinstance(p0, Fraction)
    assert before.to_dict() == {"1": {"-": {"1": 1}}, "2": {"-": {"0": 1}}}
    assert after.to_dict() == {"1": {"-": {"0": 1}}, "2": {"-": {"0": 1}}}
    assert res["nash-conv-decrease"]["failing"] == 0


# -- the counterexample files --------------------------------------------------------------------


def cases():
    for folder in (FREE, TWO_BY_TWO, CONSTANT_SUM):
        for game in sorted(folder.glob("improvement-*.json")):
            if game.stem.endswith(("-before", "-after")):
                continue
            reading = game.stem.removeprefix("improvement-")
            yield pytest.param(folder, reading, id=f"{folder.name}:{reading}")


def verified(capsys, game, profile):
    code, out, _ = run_cli(capsys, "verify", game, "--profile", profile, "--json")
    assert code == 0
    result = json.loads(out)["results"][0]
    assert result["checked"] is True
    return sympy.Rational(result["power_sum"])


@pytest.mark.parametrize("folder,reading", list(cases()))
def test_counterexample_files(capsys, folder, reading):
    assert reading in READINGS
    path = folder / f"improvement-{reading}.json"
    before_path = folder / f"improvement-{reading}-before.json"
    after_path = folder / f"improvement-{reading}-after.json"
    p0, p1 = verified(capsys, path, before_path), verified(capsys, path, after_path)
    assert p1 > p0  # ΣPOWER rises along the step (kernel-checked traces)
    game = load_game_file(str(path))
    before, after = load_profile(str(before_path), game), load_profile(str(after_path), game)
    assert (ep.power_sum(game, before), ep.power_sum(game, after)) == (p0, p1)
    assert is_step(game, before, after, reading)
    if folder == CONSTANT_SUM:
        assert ep.constant_sum(game).constant == 0


def is_step(game, before, after, reading) -> bool:
    """``before -> after`` is a step of ``reading``, from the definitions."""
    if reading == "nash-conv-decrease":
        return ep.nash_conv(game, after) < ep.nash_conv(game, before)
    if reading == "fictitious-play":
        return (
            any(
                fictitious_play_step(game, before, k).to_dict() == after.to_dict()
                for k in (1, 2, 3)
            )
            and ep.nash_conv(game, before) > 0
        )
    rep = ep.report(game, before)
    changed = []
    for i, p in enumerate(game.players):
        for k, t in enumerate(p.types):
            if before.strategies[i][k] != after.strategies[i][k]:
                changed.append((i, k, p.name, t))
    if not changed or (reading.startswith("unilateral") and len(changed) != 1):
        return False
    for i, k, name, t in changed:
        row = after.strategies[i][k]
        action = game.players[i].actions[list(row).index(1)]
        if rep.regret[name][t] <= 0:
            return False
        if reading != "unilateral-switch" and action not in rep.best[name][t]:
            return False
    return True


def test_conjecture_command(capsys, tmp_path):
    code, out, _ = run_cli(
        capsys,
        "conjecture",
        "improvement-lowers-power",
        "--values",
        "-1,0,1",
        "--constraint",
        "constant-sum",
        "--grid",
        "1",
        "--json",
        "-o",
        tmp_path,
    )
    doc = json.loads(out)
    assert code == 1 and doc["games"] == 15 and doc["games_covered"] == 81
    assert doc["readings"]["nash-conv-decrease"]["holds"] is True
    assert doc["readings"]["best-response"]["counterexample"]["power_sum_after"] == "2"
    assert set(doc["written"]) == set(READINGS) - {"nash-conv-decrease"}
    written = tmp_path / "improvement-best-response-before.json"
    assert written.read_text() == (CONSTANT_SUM / written.name).read_text()


@pytest.mark.parametrize(
    "argv",
    [["--grid", "0"], ["--fp-steps", "-1"], ["--constraint", "nonsense"], ["--limit", "-2"]],
)
def test_conjecture_bad_input(capsys, argv):
    code, _, err = run_cli(capsys, "conjecture", "improvement-lowers-power", *argv)
    assert code == 2
    one_line_error(err)


def test_identical_rewards_refuses_other_constraints(capsys):
    code, _, err = run_cli(
        capsys, "conjecture", "identical-rewards", "--constraint", "constant-sum"
    )
    assert code == 2
    one_line_error(err)
