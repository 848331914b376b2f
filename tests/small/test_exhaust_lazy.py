"""Huge classes (issue 10, item 5): work units are made lazily, so ``exhaust --limit`` on a
class of 1.85e15 games answers in seconds; without a limit, a class over MAX_CLASS_GAMES is
refused at once with a one-line error that gives its size."""

from __future__ import annotations

import importlib
import subprocess
import sys
import time

import pytest

from exactpower import limits
from exactpower.cli import main
from exactpower.errors import LimitError
from exactpower.small import GameClass, Unit
from exactpower.small.exhaust import class_size, exhaust
from exactpower.small.spaces import MIN_UNITS, UNIT_RAW, class_spaces

HUGE = ["exhaust", "--types", "2", "--values", "-1,0,1"]
HUGE_CLASS = GameClass(2, 2, 2, (-1, 0, 1))
HUGE_SIZE = 1_853_020_188_851_841  # 3^32 type-dependent 2x2x2x2 cells, both players


def _eager_units(cls):
    """The unit list as it was built before (every unit made up front), for small classes."""
    units = []
    for k, space in enumerate(class_spaces(cls)):
        step = max(1, min(UNIT_RAW // space.n_inner, -(-space.n_outer // MIN_UNITS)))
        for start in range(0, space.n_outer, step):
            units.append(Unit(len(units), k, start, min(start + step, space.n_outer)))
    return units


def test_the_issue_command_finishes_within_seconds():
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "exactpower", *HUGE, "--limit", "1000", "--json"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    seconds = time.perf_counter() - start
    assert done.returncode == 0, done.stderr
    assert seconds < 30, f"took {seconds:.1f} s"
    assert '"classes_checked": 1000' in done.stdout
    assert '"orbit_check": null' in done.stdout


def test_a_huge_class_is_refused_with_its_size(capsys):
    start = time.perf_counter()
    assert main(HUGE) == 2
    assert time.perf_counter() - start < 10
    out, err = capsys.readouterr()
    assert out == ""
    assert err.count("\n") == 1
    assert "1,853,020,188,851,841 games" in err and "MAX_CLASS_GAMES" in err
    assert "--limit" in err and "--shard" in err


def test_a_shard_too_big_is_refused_and_names_the_share(capsys):
    assert main(HUGE + ["--shard", "1/4"]) == 2
    err = capsys.readouterr().err
    assert "shard 1/4" in err and "463,255,047,212,961 games" in err


def test_class_size_is_the_raw_count():
    assert class_size(HUGE_CLASS) == HUGE_SIZE == HUGE_CLASS.raw_count()
    own = GameClass(2, 2, 2, (0, 1), reward_form="own-type", constraint="identical")
    assert own.raw_count() is None
    assert class_size(own) >= own.count().raw  # candidates: an upper bound of the raw games
    assert isinstance(class_size(own), int)


def test_limits_and_shards_that_make_the_work_small_enough(monkeypatch):
    module = importlib.import_module("exactpower.small.exhaust")
    monkeypatch.setattr(module, "MAX_CLASS_GAMES", 100)
    cls = GameClass(2, 1, 2, range(1, 5), reward_sets="strict-ordinal")  # 576 games
    with pytest.raises(LimitError, match=r"576 games .*MAX_CLASS_GAMES = 100.* N >= 6"):
        exhaust(cls, grid=1)
    with pytest.raises(LimitError, match="shard 1/5"):
        exhaust(cls, grid=1, shard="1/5")
    shards = [exhaust(cls, grid=1, shard=(k, 6)) for k in range(1, 7)]
    assert sum(s.games for s in shards) == 576
    assert exhaust(cls, grid=1, limit=10).classes_checked == 10
    assert limits.MAX_CLASS_GAMES == 10**11


def test_units_are_lazy_and_equal_to_the_eager_list():
    units = HUGE_CLASS.units()
    start = time.perf_counter()
    assert units.size == 7_241_782_987
    assert units[0] == Unit(0, 0, 0, 13)
    assert (
        units[-1].index == units.size - 1 and units[-1].stop == class_spaces(HUGE_CLASS)[0].n_outer
    )
    shard = units[4::9]
    assert shard.size == -(-(units.size - 4) // 9) and shard[1] == units[13]
    assert time.perf_counter() - start < 1
    for cls in (
        GameClass(3, 1, 2, (0, 1)),
        GameClass(2, (1, 2), (2, 3), (0, 1), prior="independent:2"),
        GameClass(2, (1, 2), 2, (-1, 0, 1), constraint="constant-sum"),
    ):
        eager = _eager_units(cls)
        lazy = cls.units()
        assert list(lazy) == eager and len(lazy) == len(eager)
        assert [lazy[k] for k in range(-len(eager), len(eager))] == eager + eager
        assert list(lazy[2::3]) == eager[2::3]
        assert all(type(u) is Unit for u in lazy)


def test_limited_runs_on_a_huge_class_with_workers():
    summary = exhaust(HUGE_CLASS, grid=1, equilibria="none", workers=2, limit=50)
    assert summary.classes_checked == 50 and summary.violations == 0
    assert summary.orbit_check is None
    same = exhaust(HUGE_CLASS, grid=1, equilibria="none", limit=50)
    assert same.games == summary.games and same.profiles_checked == summary.profiles_checked
