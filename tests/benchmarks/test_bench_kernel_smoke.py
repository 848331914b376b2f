"""The kernel benchmark script runs (its quick cases, nothing written)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "bench_kernel.py"


def load_bench():
    spec = importlib.util.spec_from_file_location("bench_kernel", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_kernel_quick(capsys, tmp_path):
    bench = load_bench()
    output = tmp_path / "kernel.md"
    assert bench.main(["--quick", "--no-write", "--output", str(output)]) == 0
    assert not output.exists()
    printed = capsys.readouterr().out
    assert "| case | input | bytes | verify | check |" in printed
    assert "**NO**" not in printed
    assert "over the limit MAX_PROOF_WORK" in printed  # the over-limit case is refused, exit 2


def test_bench_kernel_cases_are_at_the_limits():
    bench = load_bench()
    from exactpower.limits import MAX_PROOF_WORK, MAX_SYMBOLIC_PROOF_WORK

    k = bench.RATIONAL
    assert 4 * k**2 <= MAX_PROOF_WORK < 4 * (k + 1) ** 2
    k = bench.SYMBOLIC
    assert 2 * 4 * k**2 <= MAX_SYMBOLIC_PROOF_WORK < 2 * 4 * (k + 1) ** 2
