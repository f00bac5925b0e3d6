"""The batch registry's promises, on the files of earlier versions and on the database."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from yardstick.datasets import Batch, BatchStatus, FileBatchRegistry
from yardstick.datasets.errors import BatchError


@pytest.fixture(
    params=["files", pytest.param("database", marks=pytest.mark.django_db(transaction=True))]
)
def registry(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    if request.param == "files":
        return FileBatchRegistry(tmp_path / "data")
    from yardstick.web.audit.stores import OrmAuditLog
    from yardstick.web.datasets.stores import OrmBatchRegistry

    return OrmBatchRegistry(tmp_path / "data", OrmAuditLog())


def _batch(registry: Any, batch_id: str, dataset: str = "cases") -> Batch:
    return Batch(
        id=batch_id,
        dataset=dataset,
        contract_version=1,
        org_unit="MOJ.AEA.TPE",
        source_name="cases.csv",
        checksum=batch_id * 4,
        rows_accepted=10,
        rows_quarantined=1,
        ingested_by="officer",
        ingested_at=datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
        status=BatchStatus.ACTIVE,
        folder=registry.root.batch_folder(dataset, batch_id),
        source_bytes=123,
    )


def _finished(tmp_path: Path, name: str) -> Path:
    folder = tmp_path / f"finished-{name}"
    folder.mkdir()
    (folder / "data.parquet").write_bytes(b"PAR1")
    return folder


def test_a_registered_batch_reads_back_with_its_files(registry: Any, tmp_path: Path) -> None:
    batch, fresh = registry.register(_batch(registry, "b1"), _finished(tmp_path, "b1"))
    assert fresh and batch.parquet_path.read_bytes() == b"PAR1"
    assert registry.get("b1") == batch
    assert registry.batches() == [batch] == registry.active_batches("cases")
    assert registry.find("cases", "MOJ.AEA.TPE", "b1b1b1b1") == batch
    assert registry.find("cases", None, "b1b1b1b1") is None
    assert registry.may_hold("cases", "MOJ.AEA.TPE", 123)
    assert not registry.may_hold("cases", "MOJ.AEA.TPE", 124)
    [event] = registry.events("b1")
    assert (event.old_status, event.new_status, event.actor) == (
        None,
        BatchStatus.ACTIVE,
        "officer",
    )


def test_the_same_file_twice_keeps_the_first_batch(registry: Any, tmp_path: Path) -> None:
    first, _ = registry.register(_batch(registry, "b1"), _finished(tmp_path, "b1"))
    again = replace(_batch(registry, "b2"), checksum=first.checksum)
    second, fresh = registry.register(again, _finished(tmp_path, "b2"))
    assert not fresh and second == first
    assert [b.id for b in registry.batches()] == ["b1"]


def test_a_withdrawal_keeps_who_when_and_why(registry: Any, tmp_path: Path) -> None:
    registry.register(_batch(registry, "b1"), _finished(tmp_path, "b1"))
    withdrawn = registry.withdraw("b1", "wrong year", "reviewer")
    assert withdrawn.status is BatchStatus.WITHDRAWN
    assert registry.active_batches("cases") == []
    last = registry.events("b1")[-1]
    assert (last.old_status, last.new_status, last.actor, last.reason) == (
        BatchStatus.ACTIVE, BatchStatus.WITHDRAWN, "reviewer", "wrong year",
    )  # fmt: skip
    with pytest.raises(BatchError, match="already withdrawn"):
        registry.withdraw("b1", "again", "reviewer")
    with pytest.raises(BatchError, match="needs a reason"):
        registry.withdraw("b1", "  ", "reviewer")
    with pytest.raises(BatchError, match="no batch"):
        registry.get("nope")


def test_the_orphan_sweep_removes_only_folders_without_a_row(registry: Any, tmp_path: Path) -> None:
    batch, _ = registry.register(_batch(registry, "b1"), _finished(tmp_path, "b1"))
    orphan = registry.root.batch_folder("cases", "killed")
    orphan.mkdir(parents=True)
    assert registry.remove_orphan_folders() == [orphan]
    assert batch.folder.is_dir() and not orphan.exists()


def test_a_failing_registration_leaves_no_folder_and_no_row(registry: Any, tmp_path: Path) -> None:
    def fail(_: Batch, __: list[Batch]) -> None:
        raise RuntimeError("the audit entry could not be written")

    batch = _batch(registry, "b1")
    with pytest.raises(RuntimeError):
        registry.register(batch, _finished(tmp_path, "b1"), on_registered=fail)
    assert registry.batches() == [] and not batch.folder.exists()
