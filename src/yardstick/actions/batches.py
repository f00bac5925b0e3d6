"""Batches: ingest a file, withdraw a batch — each with the recompute of the values it changes
queued in the transaction that registers or withdraws it (the registry writes the audit entry
there too)."""

from __future__ import annotations

from pathlib import Path

from yardstick.actions.recompute import cells_on_batches, enqueue_recompute
from yardstick.datasets.contract import dataset_contract
from yardstick.datasets.ingest import IngestResult, ingest_file
from yardstick.datasets.progress import Progress
from yardstick.datasets.registry import Batch
from yardstick.metrics.project import Project
from yardstick.state.accounts import WRITE_RECORDS, Actor
from yardstick.state.storage import Storage


def ingest_batch(
    storage: Storage,
    actor: Actor,
    project: Project,
    dataset: str,
    path: Path,
    *,
    org_unit: str | None = None,
    strict: bool = False,
    encoding: str = "auto",
    replaces: tuple[str, ...] = (),
    reason: str = "",
    progress: Progress | None = None,
) -> IngestResult:
    """Validate ``path`` against the plan's contract for ``dataset`` and register it as a batch.

    A data officer ingests for their own org unit (and below); a planning officer for any.
    """
    contract = dataset_contract(project.contracts, dataset, f"plan {project.code}")
    unit = project.org_units.get(org_unit).code if org_unit else project.org_units.root.code
    actor.require(WRITE_RECORDS, project.code, unit, f"ingest {dataset} for {unit}")
    for old in replaces:
        batch = storage.registry.get(old)
        actor.require(WRITE_RECORDS, project.code, batch.org_unit, f"replace batch {old}")
    stale_before = cells_on_batches(project, replaces)

    def registered(batch: Batch, _: list[Batch]) -> None:
        cells = stale_before | cells_on_batches(project, [batch.id])
        enqueue_recompute(
            storage, project.code, cells, actor.username, f"batch {batch.id} ingested"
        )

    return ingest_file(
        contract,
        path,
        org_unit=org_unit,
        org_units=project.org_units,
        strict=strict,
        data_dir=storage.data_dir,
        user=actor.username,
        encoding=encoding,
        progress=progress,
        replaces=replaces,
        reason=reason,
        registry=storage.registry,
        on_registered=registered,
    )


def withdraw_batch(
    storage: Storage, actor: Actor, project: Project, batch_id: str, reason: str
) -> Batch:
    """Take a batch out of use; the values that rested on it are recomputed."""
    batch = storage.registry.get(batch_id)
    actor.require(WRITE_RECORDS, project.code, batch.org_unit, f"withdraw batch {batch_id}")
    stale = cells_on_batches(project, [batch_id])

    def withdrawn(_: Batch) -> None:
        enqueue_recompute(
            storage, project.code, stale, actor.username, f"batch {batch_id} withdrawn"
        )

    return storage.registry.withdraw(batch_id, reason, actor.username, on_withdrawn=withdrawn)
