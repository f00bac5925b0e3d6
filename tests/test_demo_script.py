"""End to end: the README's main job twice in a row; the second keeps what people changed."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def _demo(home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "YARDSTICK_HOME": str(home),
        "DEMO_SCALE": "0.002",
        "DEMO_REPORTS": "0",
        "DEMO_SERVE": "0",
        "COLUMNS": "200",
    }
    env.pop("DATABASE_URL", None)
    env.pop("YARDSTICK_DATA_DIR", None)
    return subprocess.run(
        ["bash", "scripts/demo.sh"], cwd=REPO, env=env, capture_output=True, text=True, timeout=600
    )


def _yardstick(home: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "YARDSTICK_HOME": str(home),
        "YARDSTICK_DATA_DIR": str(home / "var" / "data"),
        "COLUMNS": "200",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [str(REPO / ".venv" / "bin" / "yardstick"), *args],
        cwd=REPO, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_the_demo_twice_keeps_a_target_edited_in_between(tmp_path: Path) -> None:
    first = _demo(tmp_path)
    assert first.returncode == 0, first.stderr[-3000:]
    assert "demo accounts" in first.stdout and "planner" in first.stdout
    edited = _yardstick(
        tmp_path, "plan", "target", "8-1", "--year", "109", "--target", "27%以上",
        "--reason", "raised in the annual plan", "--as", "planner",
    )  # fmt: skip
    assert edited.returncode == 0, edited.stderr
    second = _demo(tmp_path)
    assert second.returncode == 0, second.stderr[-3000:]
    assert "version 2 (unchanged" in second.stdout
    assessed = _yardstick(tmp_path, "assess", "--year", "109")
    row = next(line for line in assessed.stdout.splitlines() if "│ 8-1" in line)
    assert "27%以上" in row
    passwords = (tmp_path / "var" / "demo-accounts.json").stat().st_mode & 0o777
    assert passwords == 0o600
