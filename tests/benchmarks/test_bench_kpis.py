"""The KPI benchmark runs end to end at a tiny scale, and its baselines agree with yardstick."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_the_kpi_benchmark_runs_and_every_baseline_agrees() -> None:
    """(Without the spark variants: Spark's values are tested against DuckDB's in tests/metrics,
    and its sessions would double this test's time.)"""
    done = subprocess.run(
        [
            sys.executable,
            str(REPO / "benchmarks" / "bench_kpis.py"),
            "--scales",
            "0.002",
            "--repeats",
            "1",
            "--no-write",
            "--without-spark",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "yardstick ÷ expert SQL" in done.stdout and "| spark" not in done.stdout
