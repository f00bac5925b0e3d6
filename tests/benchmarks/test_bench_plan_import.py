"""The plan import benchmark and the long fuzz run work end to end, at small sizes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


def _script(name: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / name), *args],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


@pytest.mark.slow
def test_the_plan_import_benchmark_reports_every_shape_with_its_growth() -> None:
    done = _script(
        "bench_plan_import.py",
        "--lines",
        "2000,10000",
        "--repeats",
        "1",
        "--no-write",
        "--max-exponent",
        "9",
    )
    assert done.returncode == 0, done.stderr[-2000:]
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert [row.split(" | ")[0][2:] for row in rows] == [
        "continued cell",
        "KPI rows",
        "programme rows",
        "outline items",
        "linked KPIs",
        "long line",
        "unknown link",
    ]


@pytest.mark.slow
def test_the_long_fuzz_run_finds_nothing_in_a_short_run() -> None:
    done = _script("fuzz_plan_documents.py", "--examples", "30", "--seed", "5")
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    assert "moe-110-113-crlf: " in done.stdout and "0 kind(s) of failure" in done.stdout
