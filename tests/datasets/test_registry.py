"""The batch registry: listing, withdrawal (who, when, why), and folders left by killed ingests."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from yardstick.datasets import Batch, BatchStatus, FileBatchRegistry
from yardstick.datasets.errors import BatchError


def _batch(registry: FileBatchRegistry, batch_id: str, dataset: str = "cases") -> Batch:
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
    )


def _register(registry: FileBatchRegistry, tmp_path: Path, batch_id: str) -> Batch:
    finished = tmp_path / f"finished-{batch_id}"
    finished.mkdir()
    (finished / "data.parquet").write_bytes(b"PAR1")
    batch, fresh = registry.register(_batch(registry, batch_id), finished)
    assert fresh
    return batch


def test_a_registered_batch_is_listed_with_its_files_in_place(tmp_path: Path) -> None:
    registry = FileBatchRegistry(tmp_path / "data")
    batch = _register(registry, tmp_path, "b1")
    assert batch.parquet_path.read_bytes() == b"PAR1"
    assert registry.batches() == [batch] == registry.active_batches("cases")
    assert registry.get("b1") == batch
    assert registry.find("cases", "MOJ.AEA.TPE", "b1b1b1b1") == batch
    assert registry.find("cases", None, "b1b1b1b1") is None
    [event] = registry.events("b1")
    assert (event.old_status, event.new_status, event.actor) == (
        None,
        BatchStatus.ACTIVE,
        "officer",
    )


def test_registering_the_same_file_twice_keeps_the_first(tmp_path: Path) -> None:
    registry = FileBatchRegistry(tmp_path / "data")
    first = _register(registry, tmp_path, "b1")
    again = tmp_path / "again"
    again.mkdir()
    clash = _batch(registry, "b2")
    clash = Batch(**{**clash.__dict__, "checksum": first.checksum})
    batch, fresh = registry.register(clash, again)
    assert (batch.id, fresh) == ("b1", False)
    assert again.exists() and not clash.folder.exists()


def test_withdrawal_takes_a_batch_out_of_use_and_records_who_when_why(tmp_path: Path) -> None:
    registry = FileBatchRegistry(tmp_path / "data")
    _register(registry, tmp_path, "b1")
    _register(registry, tmp_path, "b2")
    withdrawn = registry.withdraw("b1", "  wrong year extracted ", "reviewer")
    assert withdrawn.status is BatchStatus.WITHDRAWN
    assert withdrawn.parquet_path.exists()
    assert [b.id for b in registry.active_batches("cases")] == ["b2"]
    assert [b.id for b in registry.batches("cases")] == ["b1", "b2"]
    event = registry.events("b1")[-1]
    assert (event.old_status, event.new_status) == (BatchStatus.ACTIVE, BatchStatus.WITHDRAWN)
    assert (event.actor, event.reason) == ("reviewer", "wrong year extracted")
    assert (datetime.now(UTC) - event.at).total_seconds() < 60


@pytest.mark.parametrize(
    ("batch_id", "reason", "expected"),
    [
        ("b1", "again", "batch 'b1' is already withdrawn"),
        ("nope", "why", "no batch 'nope'"),
        ("b2", " ", "a withdrawal needs a reason"),
    ],
)
def test_a_withdrawal_that_cannot_happen_is_a_user_error(
    tmp_path: Path, batch_id: str, reason: str, expected: str
) -> None:
    registry = FileBatchRegistry(tmp_path / "data")
    _register(registry, tmp_path, "b1")
    _register(registry, tmp_path, "b2")
    registry.withdraw("b1", "first", "reviewer")
    with pytest.raises(BatchError, match=expected):
        registry.withdraw(batch_id, reason, "reviewer")


def test_a_batch_folder_the_registry_does_not_know_is_removed(tmp_path: Path) -> None:
    registry = FileBatchRegistry(tmp_path / "data")
    kept = _register(registry, tmp_path, "b1")
    orphan = registry.root.batch_folder("cases", "killed")
    orphan.mkdir(parents=True)
    (orphan / "data.parquet").write_bytes(b"half")
    assert registry.remove_orphan_folders() == [orphan]
    assert not orphan.exists() and kept.folder.exists()


def test_a_registry_locked_too_long_by_another_writer_is_a_user_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sqlite3

    from yardstick.datasets import registry_files as registry_module

    registry = FileBatchRegistry(tmp_path / "data")
    monkeypatch.setattr(registry_module, "LOCK_TIMEOUT_SECONDS", 0.05)
    holder = sqlite3.connect(registry.root.registry, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(BatchError, match="stayed locked by another writer for 0.05 s"):
            registry.withdraw("b1", "why", "reviewer")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
