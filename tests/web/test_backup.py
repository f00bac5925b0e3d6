"""``yardstick backup`` / ``restore``: a snapshot restored elsewhere recomputes the same values."""

from __future__ import annotations

import tarfile
from pathlib import Path
from typing import Any

import pytest

from tests.deployment import PLAN, run
from yardstick.web.backup import BackupError, restore_backup, write_backup


def _values(storage: Any) -> dict[tuple[str, int, str], float | None]:
    return {(v.kpi, v.year, v.org_unit): v.value for v in storage.results(PLAN).values()}


def test_a_restored_snapshot_recomputes_the_same_values(
    demo_deployment: Any, tmp_path: Path, settings: Any
) -> None:
    before = _values(demo_deployment)
    snapshot = tmp_path / "backup.tar"
    manifest = write_backup(snapshot, demo_deployment.data_dir)
    assert manifest["batches"] == len(demo_deployment.registry.batches()) > 0
    elsewhere = tmp_path / "restored-data"
    settings.YARDSTICK_DATA_DIR = elsewhere
    restore_backup(snapshot, elsewhere, replace=True)
    assert run("kpi", "compute", "--year", "103-109", "--fresh").exit_code == 0
    from yardstick.web.storage import DjangoStorage

    after = _values(DjangoStorage(elsewhere))
    assert after.keys() == before.keys()
    assert all(
        (after[c] is None) == (before[c] is None)
        and (after[c] is None or abs(after[c] - before[c]) <= 1e-9 * max(1, abs(before[c])))  # type: ignore[operator]
        for c in before
    )
    restored_batch = demo_deployment.registry.batches()[0]
    assert (
        elsewhere / "batches" / restored_batch.dataset / restored_batch.id / "data.parquet"
    ).exists()


def test_a_database_that_holds_data_is_not_overwritten_unless_asked(
    demo_deployment: Any, tmp_path: Path
) -> None:
    snapshot = tmp_path / "backup.tar"
    write_backup(snapshot, demo_deployment.data_dir)
    with pytest.raises(BackupError, match="the database is not empty"):
        restore_backup(snapshot, tmp_path / "other")


def test_a_damaged_or_foreign_file_is_refused(demo_deployment: Any, tmp_path: Path) -> None:
    foreign = tmp_path / "notes.tar"
    foreign.write_bytes(b"not a tar file at all")
    with pytest.raises(BackupError, match="not a yardstick backup"):
        restore_backup(foreign, tmp_path / "x", replace=True)
    snapshot = tmp_path / "backup.tar"
    write_backup(snapshot, demo_deployment.data_dir)
    tampered = tmp_path / "tampered.tar"
    with tarfile.open(snapshot) as source, tarfile.open(tampered, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member)
            if member.name == "database.json" and data is not None:
                body = data.read().replace(b'"moj-106-109"', b'"moj-106-110"')
                member.size = len(body)
                import io

                target.addfile(member, io.BytesIO(body))
            else:
                target.addfile(member, data)
    with pytest.raises(BackupError, match="does not match its checksum"):
        restore_backup(tampered, tmp_path / "x", replace=True)
