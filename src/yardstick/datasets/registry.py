"""The batch registry (批次登錄): which batches exist, which are in use, who changed what and why.

A batch is registered in the same transaction that moves its finished folder into place, so a
batch is visible only when its files are; a folder under ``batches/`` that the registry does not
know (left by a killed ingest) is removed by the next writer. Every change of a batch's status is
kept as an event (old status, new status, who, when, why, and the batch that replaced it).

A batch may replace others of its dataset (a corrected re-extract): they are withdrawn in the
transaction that registers it, after the caller's check (the key overlap of
:mod:`~yardstick.datasets.overlaps`) has run under the same lock.

This module holds the registry's types and its interface; the implementations are
:mod:`~yardstick.datasets.registry_files` and the database's in ``yardstick.web``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Protocol

from yardstick.datasets.errors import BatchError
from yardstick.datasets.storage import DataRoot


class BatchStatus(StrEnum):
    """Whether a batch's rows are in use."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


@dataclass(frozen=True)
class Batch:
    """One ingested file (批次): its identity, where its files are, and whether it is in use."""

    id: str
    dataset: str
    contract_version: int
    org_unit: str | None
    source_name: str
    checksum: str
    """SHA-256 of the source file as received."""
    rows_accepted: int
    rows_quarantined: int
    ingested_by: str
    ingested_at: datetime
    status: BatchStatus
    folder: Path
    source_bytes: int | None = None
    """Size of the source file (unknown for batches registered before it was kept)."""

    @property
    def parquet_path(self) -> Path:
        """The accepted, typed rows."""
        return self.folder / "data.parquet"

    @property
    def quarantine_path(self) -> Path:
        """The quarantine report (one row per fault); absent when no row was refused."""
        return self.folder / "quarantine.csv"

    @property
    def manifest_path(self) -> Path:
        """The batch's manifest (JSON)."""
        return self.folder / "manifest.json"


@dataclass(frozen=True)
class BatchEvent:
    """A change of a batch's status: from what, to what, by whom, when and why."""

    batch_id: str
    old_status: BatchStatus | None
    new_status: BatchStatus
    actor: str
    reason: str
    at: datetime
    replaced_by: str | None = None
    """The batch whose registration withdrew this one (a corrected re-extract), if any."""


Guard = Callable[[list[Batch]], None]
"""Run under the write lock with the dataset's batches that stay active; raises to refuse."""


OnRegistered = Callable[[Batch, list[Batch]], None]
"""Run inside the registering transaction with the new batch and the batches it replaced (the
audit entry and the recompute job are written there, so they commit with the batch or not at all)."""

OnWithdrawn = Callable[[Batch], None]
"""Run inside the withdrawing transaction with the withdrawn batch."""


class BatchRegistry(Protocol):
    """Which batches exist, which are in use, and their status events (the registry interface).

    Implementations: :class:`~yardstick.datasets.registry_files.FileBatchRegistry` (a SQLite file
    beside the batches, as earlier versions kept it) and ``yardstick.web.datasets.stores.
    OrmBatchRegistry`` (the deployment's database).
    """

    root: DataRoot

    def batches(self, dataset: str | None = None) -> list[Batch]:
        """Every batch (of ``dataset``, if given), oldest first."""
        ...

    def active_batches(self, dataset: str) -> list[Batch]:
        """The batches of ``dataset`` in use (not withdrawn), oldest first: what KPIs read."""
        ...

    def get(self, batch_id: str) -> Batch:
        """The batch with this id; :class:`BatchError` if there is none."""
        ...

    def find(self, dataset: str, org_unit: str | None, checksum: str) -> Batch | None:
        """The batch already made from the same file for the same dataset and org unit."""
        ...

    def may_hold(self, dataset: str, org_unit: str | None, size: int) -> bool:
        """Whether a batch of this dataset and org unit could come from a file of ``size`` bytes."""
        ...

    def events(self, batch_id: str) -> list[BatchEvent]:
        """The status changes of a batch, oldest first."""
        ...

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
        dataset's lock, withdrawing the batches it ``replaces`` (for ``reason``). ``guard`` runs
        first under the lock with the batches that stay active and may refuse. Returns the batch
        and True, or the batch made earlier from the same file and False."""
        ...

    def replaceable(self, dataset: str, batch_ids: Sequence[str], reason: str) -> list[Batch]:
        """The batches ``batch_ids``, each an active batch of ``dataset``; else BatchError."""
        ...

    def withdraw(
        self, batch_id: str, reason: str, actor: str, on_withdrawn: OnWithdrawn | None = None
    ) -> Batch:
        """Take a batch out of use (its files stay); who, when and why are recorded."""
        ...

    def remove_orphan_folders(self) -> list[Path]:
        """Remove batch folders the registry does not know (left by killed ingests)."""
        ...


def check_replaceable(
    batch_ids: Sequence[str], get: Callable[[str], Batch], dataset: str, reason: str
) -> list[Batch]:
    """The batches ``batch_ids`` (looked up with ``get``), if each is an active batch of
    ``dataset`` and a reason is given; else :class:`BatchError`."""
    if batch_ids and not reason.strip():
        raise BatchError("replacing a batch needs a reason (--reason): why it is corrected")
    batches = [get(batch_id) for batch_id in dict.fromkeys(batch_ids)]
    for old in batches:
        if old.dataset != dataset:
            raise BatchError(
                f"batch {old.id} holds {old.dataset}, not {dataset}; "
                "a batch replaces only batches of its own dataset"
            )
        if old.status is not BatchStatus.ACTIVE:
            raise BatchError(f"batch {old.id} is already withdrawn; there is nothing to replace")
    return batches


def check_withdrawal(batch: Batch, reason: str) -> None:
    if not reason.strip():
        raise BatchError("a withdrawal needs a reason")
    if batch.status is BatchStatus.WITHDRAWN:
        raise BatchError(f"batch {batch.id!r} is already withdrawn")


def ingested_reason(replaced: list[Batch], reason: str) -> str:
    """The reason of a new batch's first event: ``ingested``, and what it replaces and why."""
    if not replaced:
        return "ingested"
    return f"ingested, replacing {', '.join(b.id for b in replaced)}: {reason.strip()}"
