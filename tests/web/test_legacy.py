"""``yardstick db import-legacy``: an earlier version's three SQLite files move into the database
and nothing computed so far is lost."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.deployment import PLAN, run
from yardstick.calendar import YearRange
from yardstick.metrics.project import Project


@pytest.fixture(scope="module")
def legacy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data folder as earlier versions left it: batches, entered values, computed values."""
    from yardstick.demo.generate import generate

    root = tmp_path_factory.mktemp("legacy")
    project = Project.from_folder(REPO / "plans" / "moj-106-109", root / "data")
    generate(
        root / "files", 0.002, 106, project.contracts, project.org_units, data_dir=root / "data"
    )
    project.compute(YearRange(106, 109))
    return root / "data"


def test_everything_of_the_legacy_folder_is_in_the_database(
    deployment: Any, legacy_folder: Path, settings: Any
) -> None:
    legacy = Project.from_folder(REPO / "plans" / "moj-106-109", legacy_folder)
    settings.YARDSTICK_DATA_DIR = legacy_folder  # the batch files stay where they are
    result = run("db", "import-legacy", str(legacy_folder))
    assert result.exit_code == 0, result.error
    batches = legacy.registry.batches()
    assert f"imported {len(batches)} batches" in result.output
    from yardstick.web.storage import DjangoStorage

    storage = DjangoStorage(legacy_folder)
    assert [b.id for b in storage.registry.batches()] == [b.id for b in batches]
    assert [e.reason for e in storage.registry.events(batches[0].id)] == [
        e.reason for e in legacy.registry.events(batches[0].id)
    ]
    assert storage.elements(PLAN).approved().keys() == legacy.elements.approved().keys()
    kept = {(v.kpi, v.year, v.org_unit): v.value for v in legacy.store.values()}
    moved = {(v.kpi, v.year, v.org_unit): v.value for v in storage.results(PLAN).values()}
    assert moved == kept
    again = run("kpi", "compute", "--year", "106-109")
    assert "recomputed 12 (KPI, year) on duckdb, reused 52" in again.output.replace(
        "\n", " "
    )  # manual KPIs only
    assert [e.action for e in storage.audit.entries("deployment")] == ["data.imported"]


def test_a_second_import_adds_no_batch_twice(
    deployment: Any, legacy_folder: Path, settings: Any
) -> None:
    settings.YARDSTICK_DATA_DIR = legacy_folder
    assert run("db", "import-legacy", str(legacy_folder)).exit_code == 0
    second = run("db", "import-legacy", str(legacy_folder))
    assert "imported 0 batches" in second.output and "already there" in second.output


def test_a_folder_that_is_not_a_legacy_one_is_refused(deployment: Any, tmp_path: Path) -> None:
    result = run("db", "import-legacy", str(tmp_path))
    assert result.exit_code == 2 and "not a legacy data folder" in result.error
