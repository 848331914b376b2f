"""The game-tree benchmark script runs (Kuhn and small random trees, nothing written) and its
exact values agree with OpenSpiel's floats and pygambit's rationals."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from optional import require

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_trees.py"


def test_bench_trees_quick(capsys, tmp_path):
    require("pyspiel")
    require("pygambit")
    spec = importlib.util.spec_from_file_location("bench_trees", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    output = tmp_path / "trees.md"
    assert (
        module.main(["--quick", "--no-write", "--output", str(output), "--tmp", str(tmp_path)]) == 0
    )
    assert not output.exists()
    printed = capsys.readouterr().out
    assert "| kuhn_poker | 58 | 12 |" in printed and "| 1/2, 5/12 |" in printed
    assert "| few hundred | 2 |" in printed and "| yes |" in printed and "| NO |" not in printed
