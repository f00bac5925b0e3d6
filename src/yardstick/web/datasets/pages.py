"""What the batch pages show (批次): each dataset's batches with their status, counts, source
file, checksum and who ingested them; one batch's events and its first quarantined rows.

Only the batches a person may see are ever read into a page: a data officer's are those of their
unit's subtree (a batch ingested for no unit belongs to the root, the ministry), reviewers and
auditors see all (:func:`yardstick.web.access.may_see_records`). A batch someone may not see is
the same to them as one that does not exist.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from itertools import islice
from pathlib import Path

from yardstick.datasets.contract import Contract
from yardstick.datasets.registry import BatchStatus
from yardstick.datasets.storage import DataRoot
from yardstick.metrics.project import Project
from yardstick.state.accounts import Actor
from yardstick.web.access import may_see_records
from yardstick.web.datasets.models import Batch as BatchRow
from yardstick.web.datasets.models import BatchEvent as EventRow

FAULTS_SHOWN = 50
"""How many quarantined faults a batch page lists; the download holds them all."""


@dataclass(frozen=True)
class Withdrawal:
    """Who took a batch out of use, when and why, and the batch that replaced it (if any)."""

    by: str
    at: datetime
    reason: str
    replaced_by: str | None


@dataclass(frozen=True)
class BatchLine:
    """One batch as the pages list it."""

    id: str
    dataset: str
    org_unit: str
    org_unit_name: str
    source_name: str
    checksum: str
    source_bytes: int | None
    rows_accepted: int
    rows_quarantined: int
    contract_version: int
    ingested_by: str
    ingested_at: datetime
    withdrawal: Withdrawal | None
    replaces: tuple[str, ...]

    @property
    def active(self) -> bool:
        return self.withdrawal is None

    @property
    def short_checksum(self) -> str:
        return self.checksum[:12]


@dataclass(frozen=True)
class DatasetBatches:
    """A dataset of the plan's contracts with the batches the person may see, oldest first."""

    name: str
    title: str
    batches: tuple[BatchLine, ...]

    @property
    def active_count(self) -> int:
        return sum(1 for batch in self.batches if batch.active)


@dataclass(frozen=True)
class EventLine:
    """A change of a batch's status: ``ingested`` (with what it replaced), ``withdrawn`` or
    ``replaced`` (by another batch)."""

    kind: str
    at: datetime
    actor: str
    reason: str
    other_batches: tuple[str, ...]


@dataclass(frozen=True)
class Fault:
    """One line of the quarantine report: a row (numbered as a spreadsheet does) and its fault."""

    row: int
    column: str
    value: str
    rule: str
    message: str


@dataclass(frozen=True)
class BatchPage:
    batch: BatchLine
    dataset_title: str
    events: tuple[EventLine, ...]
    faults: tuple[Fault, ...]
    more_faults: bool
    has_quarantine: bool


def dataset_contracts(project: Project) -> list[Contract]:
    """The plan's record sets (not the values people enter by hand), by name."""
    return sorted(
        (c for c in project.contracts.values() if isinstance(c, Contract)), key=lambda c: c.name
    )


def owner(project: Project, row: BatchRow) -> str:
    """The org unit a batch belongs to: the one it was ingested for, else the root."""
    return row.org_unit or project.org_units.root.code


def quarantine_path(data_root: DataRoot, row: BatchRow) -> Path:
    """Where the batch keeps its quarantine report (absent when no row was refused)."""
    return data_root.batch_folder(row.dataset, row.id) / "quarantine.csv"


def batches_page(project: Project, actor: Actor, chinese: bool) -> list[DatasetBatches]:
    """Every dataset of the plan with the batches ``actor`` may see (two queries)."""
    contracts = dataset_contracts(project)
    query = BatchRow.objects.filter(dataset__in=[c.name for c in contracts])
    rows = list(query.prefetch_related("events").order_by("ingested_at", "id"))
    visible = [row for row in rows if may_see_records(actor, project.code, owner(project, row))]
    replaced = _replaced_by_each(event for row in rows for event in row.events.all())
    by_dataset: dict[str, list[BatchLine]] = defaultdict(list)
    for row in visible:
        by_dataset[row.dataset].append(_line(project, row, row.events.all(), replaced, chinese))
    return [
        DatasetBatches(c.name, c.title_zh if chinese else c.title_en, tuple(by_dataset[c.name]))
        for c in contracts
    ]


def visible_batch(project: Project, actor: Actor, batch_id: str) -> BatchRow | None:
    """The batch, if it holds a dataset of the plan and ``actor`` may see it; else None."""
    names = [c.name for c in dataset_contracts(project)]
    row = BatchRow.objects.filter(id=batch_id, dataset__in=names).first()
    if row is None or not may_see_records(actor, project.code, owner(project, row)):
        return None
    return row


def batch_page(project: Project, row: BatchRow, data_root: DataRoot, chinese: bool) -> BatchPage:
    """The batch with its events and its first quarantined faults."""
    events = list(row.events.order_by("at", "id"))
    replaced = _replaced_by_each(EventRow.objects.filter(replaced_by=row.id))
    line = _line(project, row, events, replaced, chinese)
    quarantine = quarantine_path(data_root, row)
    faults = first_faults(quarantine, chinese, FAULTS_SHOWN + 1) if quarantine.is_file() else []
    contract = project.contracts[row.dataset]
    return BatchPage(
        batch=line,
        dataset_title=contract.title_zh if chinese else contract.title_en,
        events=tuple(_event(event, line.replaces, replaced) for event in events),
        faults=tuple(faults[:FAULTS_SHOWN]),
        more_faults=len(faults) > FAULTS_SHOWN,
        has_quarantine=quarantine.is_file(),
    )


def first_faults(path: Path, chinese: bool, limit: int) -> list[Fault]:
    """The first ``limit`` lines of a quarantine report, its messages in the reader's language."""
    message = "message_zh" if chinese else "message_en"
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [
            Fault(int(line["row"]), line["column"], line["value"], line["rule"], line[message])
            for line in islice(csv.DictReader(handle), limit)
        ]


def _replaced_by_each(events: Iterable[EventRow]) -> dict[str, list[EventRow]]:
    """Batch id → the withdrawal events of the batches its registration replaced."""
    found: dict[str, list[EventRow]] = defaultdict(list)
    for event in events:
        if event.replaced_by:
            found[event.replaced_by].append(event)
    return found


def _line(
    project: Project,
    row: BatchRow,
    events: Iterable[EventRow],
    replaced: dict[str, list[EventRow]],
    chinese: bool,
) -> BatchLine:
    code = owner(project, row)
    unit = project.org_units.get(code) if code in project.org_units else None
    return BatchLine(
        id=row.id,
        dataset=row.dataset,
        org_unit=code,
        org_unit_name=(unit.name_zh if chinese else unit.name_en) if unit else code,
        source_name=row.source_name,
        checksum=row.checksum,
        source_bytes=row.source_bytes,
        rows_accepted=row.rows_accepted,
        rows_quarantined=row.rows_quarantined,
        contract_version=row.contract_version,
        ingested_by=row.ingested_by,
        ingested_at=row.ingested_at,
        withdrawal=_withdrawal(row, events),
        replaces=tuple(event.batch_id for event in replaced.get(row.id, [])),
    )


def _withdrawal(row: BatchRow, events: Iterable[EventRow]) -> Withdrawal | None:
    if row.status != BatchStatus.WITHDRAWN.value:
        return None
    last = [e for e in events if e.new_status == BatchStatus.WITHDRAWN.value][-1:]
    if not last:
        return Withdrawal("—", row.ingested_at, "", None)
    event = last[0]
    return Withdrawal(event.actor, event.at, event.reason, event.replaced_by or None)


def _event(
    event: EventRow, replaces: tuple[str, ...], replaced: dict[str, list[EventRow]]
) -> EventLine:
    if not event.old_status:
        reasons = dict.fromkeys(e.reason for e in replaced.get(event.batch_id, []))
        return EventLine("ingested", event.at, event.actor, "; ".join(reasons), replaces)
    if event.replaced_by:
        return EventLine("replaced", event.at, event.actor, event.reason, (event.replaced_by,))
    return EventLine(event.new_status, event.at, event.actor, event.reason, ())
