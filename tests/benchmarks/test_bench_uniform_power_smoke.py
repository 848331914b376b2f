"""The iid-uniform POWER benchmark script runs (its quick cases, nothing written)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_uniform_power.py"


def test_bench_uniform_power_quick(capsys, tmp_path):
    spec = importlib.util.spec_from_file_location("bench_uniform_power", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    output = tmp_path / "uniform_power.md"
    assert module.main(["--quick", "--no-write", "--output", str(output)]) == 0
    assert not output.exists()
    printed = capsys.readouterr().out
    assert "| Turner's MDP (8 states) | exact |" in printed
    assert "0.745250" in printed and "| enclosure |" in printed
