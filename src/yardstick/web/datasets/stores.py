"""The batch registry over the ORM, with the batches' files in the storage folder.

A batch's folder is renamed into place inside the transaction that inserts its row, while that
transaction holds the dataset's lock: on SQLite the database's write lock (every transaction
begins IMMEDIATE), on PostgreSQL a transaction-level advisory lock per dataset. The orphan sweep
takes the same lock before it lists folders, so it never removes a folder whose row is about to
commit; a folder left by a process killed between the rename and the commit has no row and is
removed by the next sweep.
"""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

from django.db import connection, transaction
from django.utils import timezone

from yardstick.datasets.errors import BatchError
from yardstick.datasets.registry import (
    Batch,
    BatchEvent,
    BatchStatus,
    Guard,
    OnRegistered,
    OnWithdrawn,
    check_replaceable,
    check_withdrawal,
    ingested_reason,
)
from yardstick.datasets.storage import DataRoot, publish_folder
from yardstick.state.audit import AuditLog
from yardstick.web.datasets.models import Batch as BatchRow
from yardstick.web.datasets.models import BatchEvent as EventRow


def lock_dataset(dataset: str) -> None:
    """Hold the dataset's lock until the current transaction ends (PostgreSQL; SQLite's write
    lock is already held since the transaction began)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                [f"yardstick.batches.{dataset}"],
            )


class OrmBatchRegistry:
    """Batches and their events in the database; files under ``data_dir``."""

    def __init__(self, data_dir: Path, audit: AuditLog) -> None:
        self.root = DataRoot(data_dir)
        self.audit = audit

    def _batch(self, row: BatchRow) -> Batch:
        return Batch(
            id=row.id,
            dataset=row.dataset,
            contract_version=row.contract_version,
            org_unit=row.org_unit or None,
            source_name=row.source_name,
            checksum=row.checksum,
            rows_accepted=row.rows_accepted,
            rows_quarantined=row.rows_quarantined,
            ingested_by=row.ingested_by,
            ingested_at=row.ingested_at,
            status=BatchStatus(row.status),
            folder=self.root.batch_folder(row.dataset, row.id),
            source_bytes=row.source_bytes,
        )

    def batches(self, dataset: str | None = None) -> list[Batch]:
        rows = BatchRow.objects.all()
        if dataset is not None:
            rows = rows.filter(dataset=dataset)
        return [self._batch(row) for row in rows.order_by("ingested_at", "id")]

    def active_batches(self, dataset: str) -> list[Batch]:
        rows = BatchRow.objects.filter(dataset=dataset, status=BatchStatus.ACTIVE.value)
        return [self._batch(row) for row in rows.order_by("ingested_at", "id")]

    def get(self, batch_id: str) -> Batch:
        row = BatchRow.objects.filter(id=batch_id).first()
        if row is None:
            raise BatchError(f"no batch {batch_id!r}; `yardstick data batches` lists them")
        return self._batch(row)

    def find(self, dataset: str, org_unit: str | None, checksum: str) -> Batch | None:
        row = BatchRow.objects.filter(
            dataset=dataset, org_unit=org_unit or "", checksum=checksum
        ).first()
        return self._batch(row) if row else None

    def may_hold(self, dataset: str, org_unit: str | None, size: int) -> bool:
        rows = BatchRow.objects.filter(dataset=dataset, org_unit=org_unit or "")
        return rows.filter(source_bytes=size).exists() or rows.filter(source_bytes=None).exists()

    def events(self, batch_id: str) -> list[BatchEvent]:
        rows = EventRow.objects.filter(batch_id=batch_id).order_by("at", "id")
        return [
            BatchEvent(
                row.batch_id,
                BatchStatus(row.old_status) if row.old_status else None,
                BatchStatus(row.new_status),
                row.actor,
                row.reason,
                row.at,
                row.replaced_by or None,
            )
            for row in rows
        ]

    def register(
        self,
        batch: Batch,
        finished: Path,
        *,
        replaces: Sequence[str] = (),
        reason: str = "",
        guard: Guard | None = None,
        on_registered: OnRegistered | None = None,
    ) -> tuple[Batch, bool]:
        """Move ``finished`` into place and record ``batch`` in one transaction under the
        dataset's lock, withdrawing what it replaces; ``on_registered`` runs inside it."""
        published = False
        try:
            with transaction.atomic():
                lock_dataset(batch.dataset)
                existing = self.find(batch.dataset, batch.org_unit, batch.checksum)
                if existing is not None:
                    return existing, False
                replaced = self.replaceable(batch.dataset, replaces, reason)
                if guard is not None:
                    gone = {old.id for old in replaced}
                    guard([b for b in self.active_batches(batch.dataset) if b.id not in gone])
                publish_folder(finished, batch.folder)
                published = True
                self._insert(batch, ingested_reason(replaced, reason))
                self.audit.record(
                    batch.ingested_by, "batch.ingested", "batch", batch.id,
                    new=batch_summary(batch), reason=reason.strip(),
                )  # fmt: skip
                for old in replaced:
                    self._withdraw(old, batch.ingested_by, reason.strip(), batch.id)
                if on_registered is not None:
                    on_registered(batch, replaced)
        except BaseException:
            if published:
                shutil.rmtree(batch.folder, ignore_errors=True)
            raise
        return batch, True

    def replaceable(self, dataset: str, batch_ids: Sequence[str], reason: str) -> list[Batch]:
        return check_replaceable(batch_ids, self.get, dataset, reason)

    def _insert(self, batch: Batch, reason: str) -> None:
        BatchRow.objects.create(
            id=batch.id,
            dataset=batch.dataset,
            contract_version=batch.contract_version,
            org_unit=batch.org_unit or "",
            source_name=batch.source_name,
            checksum=batch.checksum,
            source_bytes=batch.source_bytes,
            rows_accepted=batch.rows_accepted,
            rows_quarantined=batch.rows_quarantined,
            ingested_by=batch.ingested_by,
            ingested_at=batch.ingested_at,
            status=batch.status.value,
        )
        self._record(batch.id, None, batch.status, batch.ingested_by, reason)

    def _record(
        self,
        batch_id: str,
        old: BatchStatus | None,
        new: BatchStatus,
        actor: str,
        reason: str,
        replaced_by: str | None = None,
    ) -> None:
        EventRow.objects.create(
            batch_id=batch_id,
            old_status=old.value if old else "",
            new_status=new.value,
            actor=actor,
            reason=reason,
            at=timezone.now(),
            replaced_by=replaced_by or "",
        )

    def _withdraw(
        self, batch: Batch, actor: str, reason: str, replaced_by: str | None = None
    ) -> None:
        BatchRow.objects.filter(id=batch.id).update(status=BatchStatus.WITHDRAWN.value)
        self._record(batch.id, batch.status, BatchStatus.WITHDRAWN, actor, reason, replaced_by)
        self.audit.record(
            actor,
            "batch.replaced" if replaced_by else "batch.withdrawn",
            "batch",
            batch.id,
            old={"status": batch.status.value},
            new={"status": BatchStatus.WITHDRAWN.value, "replaced_by": replaced_by},
            reason=reason,
        )

    def withdraw(
        self, batch_id: str, reason: str, actor: str, on_withdrawn: OnWithdrawn | None = None
    ) -> Batch:
        if not reason.strip():
            raise BatchError("a withdrawal needs a reason")
        with transaction.atomic():
            batch = self.get(batch_id)
            lock_dataset(batch.dataset)
            batch = self.get(batch_id)  # as it is now that the lock is held
            check_withdrawal(batch, reason)
            self._withdraw(batch, actor, reason.strip())
            withdrawn = self.get(batch_id)
            if on_withdrawn is not None:
                on_withdrawn(withdrawn)
        return withdrawn

    def remove_orphan_folders(self) -> list[Path]:
        """Remove batch folders with no row (left by a process killed before its commit)."""
        removed = []
        for dataset_folder in sorted(p for p in self.root.batches.iterdir() if p.is_dir()):
            with transaction.atomic():
                lock_dataset(dataset_folder.name)
                known = set(
                    BatchRow.objects.filter(dataset=dataset_folder.name).values_list(
                        "id", flat=True
                    )
                )
                for folder in sorted(dataset_folder.iterdir()):
                    if folder.is_dir() and folder.name not in known:
                        shutil.rmtree(folder, ignore_errors=True)
                        removed.append(folder)
        return removed


def batch_summary(batch: Batch) -> dict[str, object]:
    """What the audit keeps of a new batch."""
    return {
        "dataset": batch.dataset,
        "org_unit": batch.org_unit,
        "source": batch.source_name,
        "checksum": batch.checksum,
        "rows_accepted": batch.rows_accepted,
        "rows_quarantined": batch.rows_quarantined,
        "contract_version": batch.contract_version,
    }
