"""The POWER benchmark script runs (small sizes, nothing written, no timing assertions)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from optional import in_ci

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_power.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_power", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_power_quick(capsys, tmp_path):
    bench = load_bench()
    output = tmp_path / "power.md"
    assert bench.main(["--quick", "--no-write", "--budget", "0", "--output", str(output)]) == 0
    assert not output.exists()
    printed = capsys.readouterr().out
    assert "| shape (players × (types, actions)) |" in printed
    assert "FAILED" not in printed


def test_bench_power_rows_check_exactness():
    bench = load_bench()
    row = bench.run_shape(2, 2, 3, seed=1, budget=0, log=lambda _: None)
    assert row["errors"] == []
    assert row["float_ok"] is True
    if importlib.util.find_spec("pygambit") is not None or in_ci():
        assert row["gambit_ok"] is True  # the Gambit column runs wherever pygambit is installed
    assert len(row["power"]) == 2


def test_bench_power_writes_report(tmp_path):
    bench = load_bench()
    output = tmp_path / "power.md"
    assert bench.main(["--quick", "--budget", "0", "--output", str(output)]) == 0
    text = output.read_text()
    assert text.startswith("# POWER benchmark")
    assert "nproc" in text and "numpy" in text and "--quick" in text
