"""The batch registry as earlier versions kept it: a SQLite file (WAL journal) beside the batches.

``registry.sqlite`` under the data root; a write holds the database's write lock from its start
(``BEGIN IMMEDIATE``), so the check that a batch's keys are new, the rename of its folder and its
row are one step for every other writer. The deployment's database implements the same interface
(``yardstick.web.datasets.stores``); this one remains for a data folder used without a database
and for ``yardstick db import-legacy``.
"""

from __future__ import annotations

import shutil
import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from datetime import UTC, datetime
from pathlib import Path

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

LOCK_TIMEOUT_SECONDS = 30.0
"""How long a writer waits for another to finish before giving up."""

_SCHEMA = """
CREATE TABLE IF NOT EXISTS batches (
    id TEXT PRIMARY KEY,
    dataset TEXT NOT NULL,
    contract_version INTEGER NOT NULL,
    org_unit TEXT NOT NULL,
    source_name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    rows_accepted INTEGER NOT NULL,
    rows_quarantined INTEGER NOT NULL,
    ingested_by TEXT NOT NULL,
    ingested_at TEXT NOT NULL,
    status TEXT NOT NULL,
    source_bytes INTEGER,
    UNIQUE (dataset, org_unit, checksum)
);
CREATE TABLE IF NOT EXISTS batch_events (
    batch_id TEXT NOT NULL REFERENCES batches (id),
    old_status TEXT,
    new_status TEXT NOT NULL,
    actor TEXT NOT NULL,
    reason TEXT NOT NULL,
    at TEXT NOT NULL,
    replaced_by TEXT REFERENCES batches (id)
);
"""
_COLUMNS = (
    "id, dataset, contract_version, org_unit, source_name, checksum, rows_accepted, "
    "rows_quarantined, ingested_by, ingested_at, status, source_bytes"
)


class FileBatchRegistry:
    """The registry of batches as a SQLite file under the data root."""

    def __init__(self, data_dir: Path) -> None:
        self.root = DataRoot(data_dir)
        with self._connect() as connection:
            connection.execute("PRAGMA journal_mode = WAL")
            connection.executescript(_SCHEMA)
            columns = {row[1] for row in connection.execute("PRAGMA table_info(batches)")}
            if "source_bytes" not in columns:  # a registry made before sizes were kept
                connection.execute("ALTER TABLE batches ADD COLUMN source_bytes INTEGER")
            events = {row[1] for row in connection.execute("PRAGMA table_info(batch_events)")}
            if "replaced_by" not in events:  # a registry made before batches were replaced
                connection.execute("ALTER TABLE batch_events ADD COLUMN replaced_by TEXT")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        timeout = LOCK_TIMEOUT_SECONDS
        with closing(
            sqlite3.connect(self.root.registry, timeout=timeout, isolation_level=None)
        ) as db:
            db.execute("PRAGMA foreign_keys = ON")
            yield db

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """One write transaction, holding the database's write lock from the start."""
        with self._connect() as db:
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if "locked" not in str(error):
                    raise
                raise BatchError(
                    f"the batch registry stayed locked by another writer for "
                    f"{LOCK_TIMEOUT_SECONDS:g} s; try again"
                ) from None
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _batch(self, row: tuple[object, ...]) -> Batch:
        values = list(row)
        dataset, batch_id = str(values[1]), str(values[0])
        return Batch(
            id=batch_id,
            dataset=dataset,
            contract_version=int(str(values[2])),
            org_unit=str(values[3]) or None,
            source_name=str(values[4]),
            checksum=str(values[5]),
            rows_accepted=int(str(values[6])),
            rows_quarantined=int(str(values[7])),
            ingested_by=str(values[8]),
            ingested_at=datetime.fromisoformat(str(values[9])),
            status=BatchStatus(str(values[10])),
            folder=self.root.batch_folder(dataset, batch_id),
            source_bytes=None if values[11] is None else int(str(values[11])),
        )

    def batches(self, dataset: str | None = None) -> list[Batch]:
        """Every batch (of ``dataset``, if given), oldest first."""
        query = f"SELECT {_COLUMNS} FROM batches"
        params: tuple[str, ...] = ()
        if dataset is not None:
            query, params = query + " WHERE dataset = ?", (dataset,)
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY ingested_at, id", params).fetchall()
        return [self._batch(row) for row in rows]

    def active_batches(self, dataset: str) -> list[Batch]:
        """The batches of ``dataset`` in use (not withdrawn), oldest first: what KPIs read."""
        return [b for b in self.batches(dataset) if b.status is BatchStatus.ACTIVE]

    def get(self, batch_id: str) -> Batch:
        """The batch with this id; :class:`BatchError` if there is none."""
        with self._connect() as db:
            row = db.execute(f"SELECT {_COLUMNS} FROM batches WHERE id = ?", (batch_id,)).fetchone()
        if row is None:
            raise BatchError(f"no batch {batch_id!r}; `yardstick data batches` lists them")
        return self._batch(row)

    def find(self, dataset: str, org_unit: str | None, checksum: str) -> Batch | None:
        """The batch already made from the same file for the same dataset and org unit."""
        query = (
            f"SELECT {_COLUMNS} FROM batches WHERE dataset = ? AND org_unit = ? AND checksum = ?"
        )
        with self._connect() as db:
            row = db.execute(query, (dataset, org_unit or "", checksum)).fetchone()
        return self._batch(row) if row else None

    def may_hold(self, dataset: str, org_unit: str | None, size: int) -> bool:
        """Whether a batch of this dataset and org unit could come from a file of ``size`` bytes
        (one of that size, or one whose size was not kept): only then can the file be one
        ingested already, so only then need its checksum come before the work."""
        query = (
            "SELECT 1 FROM batches WHERE dataset = ? AND org_unit = ? "
            "AND (source_bytes = ? OR source_bytes IS NULL) LIMIT 1"
        )
        with self._connect() as db:
            row = db.execute(query, (dataset, org_unit or "", size)).fetchone()
        return row is not None

    def events(self, batch_id: str) -> list[BatchEvent]:
        """The status changes of a batch, oldest first."""
        query = (
            "SELECT batch_id, old_status, new_status, actor, reason, at, replaced_by "
            "FROM batch_events"
        )
        with self._connect() as db:
            rows = db.execute(query + " WHERE batch_id = ? ORDER BY rowid", (batch_id,)).fetchall()
        return [
            BatchEvent(
                str(r[0]),
                BatchStatus(r[1]) if r[1] else None,
                BatchStatus(r[2]),
                str(r[3]),
                str(r[4]),
                datetime.fromisoformat(str(r[5])),
                None if r[6] is None else str(r[6]),
            )
            for r in rows
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
        """Move the ``finished`` folder into place and record ``batch``, in one transaction.

        ``replaces``: ids of active batches of the same dataset that ``batch`` corrects; they
        are withdrawn in that transaction, with ``reason``. ``guard`` is called first, under the
        write lock, with the dataset's batches that stay active; an error it raises refuses
        ``batch`` (nothing changes).

        Returns the batch and True; or, when the same file was registered meanwhile for the same
        dataset and org unit, that earlier batch and False (``finished`` is then left alone).
        """
        with self._writing() as db:
            existing = self.find(batch.dataset, batch.org_unit, batch.checksum)
            if existing is not None:
                return existing, False
            replaced = self.replaceable(batch.dataset, replaces, reason)
            if guard is not None:
                gone = {old.id for old in replaced}
                guard([b for b in self.active_batches(batch.dataset) if b.id not in gone])
            publish_folder(finished, batch.folder)
            try:
                self._insert(db, batch, ingested_reason(replaced, reason))
                for old in replaced:
                    self._withdraw(db, old, batch.ingested_by, reason.strip(), batch.id)
                if on_registered is not None:
                    on_registered(batch, replaced)
            except BaseException:
                shutil.rmtree(batch.folder, ignore_errors=True)
                raise
        return batch, True

    def replaceable(self, dataset: str, batch_ids: Sequence[str], reason: str) -> list[Batch]:
        """The batches ``batch_ids``, each an active batch of ``dataset``, replaced for a
        ``reason``; else :class:`BatchError`."""
        return check_replaceable(batch_ids, self.get, dataset, reason)

    def _insert(self, db: sqlite3.Connection, batch: Batch, reason: str = "ingested") -> None:
        db.execute(
            f"INSERT INTO batches ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                batch.id,
                batch.dataset,
                batch.contract_version,
                batch.org_unit or "",
                batch.source_name,
                batch.checksum,
                batch.rows_accepted,
                batch.rows_quarantined,
                batch.ingested_by,
                batch.ingested_at.isoformat(),
                batch.status.value,
                batch.source_bytes,
            ),
        )
        self._record(db, batch.id, None, batch.status, batch.ingested_by, reason)

    def _record(
        self,
        db: sqlite3.Connection,
        batch_id: str,
        old: BatchStatus | None,
        new: BatchStatus,
        actor: str,
        reason: str,
        replaced_by: str | None = None,
    ) -> None:
        at = datetime.now(UTC).isoformat()
        db.execute(
            "INSERT INTO batch_events "
            "(batch_id, old_status, new_status, actor, reason, at, replaced_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (batch_id, old.value if old else None, new.value, actor, reason, at, replaced_by),
        )

    def withdraw(
        self, batch_id: str, reason: str, actor: str, on_withdrawn: OnWithdrawn | None = None
    ) -> Batch:
        """Take a batch out of use (its files stay); who, when and why are recorded."""
        if not reason.strip():
            raise BatchError("a withdrawal needs a reason")
        with self._writing() as db:
            batch = self.get(batch_id)
            check_withdrawal(batch, reason)
            self._withdraw(db, batch, actor, reason.strip())
            if on_withdrawn is not None:
                on_withdrawn(self.get(batch_id))
        return self.get(batch_id)

    def _withdraw(
        self,
        db: sqlite3.Connection,
        batch: Batch,
        actor: str,
        reason: str,
        replaced_by: str | None = None,
    ) -> None:
        db.execute("UPDATE batches SET status = ? WHERE id = ?", ("withdrawn", batch.id))
        self._record(db, batch.id, batch.status, BatchStatus.WITHDRAWN, actor, reason, replaced_by)

    def remove_orphan_folders(self) -> list[Path]:
        """Remove batch folders the registry does not know (left by killed ingests)."""
        removed = []
        with self._writing() as db:
            known = {row[0] for row in db.execute("SELECT id FROM batches")}
            for folder in sorted(self.root.batches.glob("*/*")):
                if folder.is_dir() and folder.name not in known:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
        return removed
