"""Every ``yardstick`` command the README shows, run as written (paths and ids made real), in the
README's order, against the test database — SQLite, and PostgreSQL when `make test` runs the
database tests again. A README command without an entry here fails the test, and so does an entry
the README no longer shows."""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES, REPO
from tests.deployment import run

pytestmark = pytest.mark.slow

README = REPO / "README.md"
CASES = FIXTURES / "datasets" / "enforcement_cases_big5.csv"
FIRST_BATCH, SECOND_BATCH = "3f9a2c1b7d0e4a55", "7c2e9b0d41aa4f06"  # the README's example ids


def readme_commands() -> list[str]:
    """The README's command lines (code blocks indented four spaces), continuations joined."""
    commands: list[str] = []
    for raw in README.read_text("utf-8").splitlines():
        if raw.startswith("    ") and raw.strip().startswith("yardstick "):
            commands.append(raw.strip())
        elif raw.startswith("        ") and commands and commands[-1].endswith("\\"):
            commands[-1] = commands[-1][:-1].rstrip() + " " + raw.strip()
    return [re.sub(r"\s+#.*$", "", c).replace("[", "").replace("]", "") for c in commands]


def _words(command: str) -> list[str]:
    return shlex.split(command)[1:]


def test_every_readme_command_runs(
    deployment: Any, tmp_path: Path, settings: Any, moj_document: Path, legacy_data: Path
) -> None:
    corrected = tmp_path / "cases-v2.csv"
    corrected.write_bytes(CASES.read_bytes().replace(b",90000,0,", b",90000,1000,"))
    ids: dict[str, str] = {}
    replacements = {
        "var/data": str(legacy_data),
        "var/": f"{tmp_path}/var/",
        "../shared/plans/moj-106-109.txt": str(moj_document),
        "-o plans/moj-106-109/plan.yaml": f"-o {tmp_path}/plan.yaml",
        "-o moj.xlsx": f"-o {tmp_path}/moj.xlsx",
        "-o report-109.pdf": f"-o {tmp_path}/report-109.pdf",
        "cases.csv": str(CASES),
        "cases-v2.csv": str(corrected),
        "--scale 0.02": "--scale 0.002",
    }
    (tmp_path / "var").mkdir()
    (tmp_path / "var" / "reimported.yaml").write_text(
        (REPO / "plans/moj-106-109/plan.yaml").read_text("utf-8"), "utf-8"
    )
    commands = readme_commands()
    assert len(commands) >= 30, "the README shows its commands"
    for command in commands:
        line = command
        for old, new in replacements.items():
            line = line.replace(old, new)
        for example, real in ((FIRST_BATCH, "first"), (SECOND_BATCH, "second")):
            line = line.replace(example, ids.get(real, example))
        args = _words(line)
        if args == ["worker"]:
            args = ["worker", "--until-idle"]  # the README's `worker` runs until Ctrl-C
        if args[:2] == ["user", "add"]:
            args += ["--password-env", "README_PASSWORD"]
        if args[:2] == ["db", "import-legacy"]:
            settings.YARDSTICK_DATA_DIR = legacy_data
        result = run(*args, as_=None)
        assert result.exit_code == 0, (
            f"{command}\n→ {args}\n{result.error}\n{result.output[-2000:]}"
        )
        if args[:2] == ["data", "ingest"]:
            ids["second" if "first" in ids else "first"] = re.search(
                r"batch: (\w+)", result.output
            ).group(1)  # type: ignore[union-attr]


@pytest.fixture
def legacy_data(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of an earlier version, for `db import-legacy`."""
    from yardstick.calendar import YearRange
    from yardstick.demo.generate import generate
    from yardstick.metrics.project import Project

    monkeypatch.setenv("README_PASSWORD", "a long enough readme password 1")
    root = tmp_path_factory.mktemp("readme-legacy")
    project = Project.from_folder(REPO / "plans" / "moj-106-109", root / "data")
    generate(
        root / "files", 0.002, 106, project.contracts, project.org_units, data_dir=root / "data"
    )
    project.compute(YearRange(108, 109))
    return root / "data"
