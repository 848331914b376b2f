"""The equilibrium benchmark script runs (small sizes, nothing written, no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_equilibria.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_equilibria", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_equilibria_quick(capsys, tmp_path):
    bench = load_bench()
    output = tmp_path / "equilibria.md"
    assert (
        bench.main(
            ["--quick", "--no-write", "--games", "1", "--budget", "0", "--output", str(output)]
        )
        == 0
    )
    assert not output.exists()
    printed = capsys.readouterr().out
    assert "| game | strategies/player |" in printed
    assert "All passed." in printed and "FAILED" not in printed


def test_bench_equilibria_row_checks():
    bench = load_bench()
    row = bench.run_size("bayesian", 2, seed=3, games=1, budget=0, timeout=30, log=lambda _: None)
    assert row["errors"] == [] and row["strategies"] == 4
    assert row["ours"] > 0 and row["enummixed"] is not None and row["lcp"] is not None
