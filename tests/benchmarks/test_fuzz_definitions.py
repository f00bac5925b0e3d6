"""The definition fuzz run works end to end on a few mutants and reports what it found."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_the_definition_fuzz_run_reports_its_mutants_and_probes() -> None:
    done = subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "fuzz_definitions.py"),
         "--examples", "40", "--cli-every", "20", "--expressions", "300", "--seed", "1"],
        capture_output=True, text=True, timeout=600, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert "40 mutants in" in done.stdout and ", 0 failures" in done.stdout
    assert "300 expressions" in done.stdout
