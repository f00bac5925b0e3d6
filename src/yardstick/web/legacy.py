"""``yardstick db import-legacy var/data``: bring the three SQLite files of earlier versions
(``registry.sqlite``, ``elements.sqlite``, ``results.sqlite``) into the database, so nothing
ingested, entered or computed so far is lost.

Everything is written in one transaction; a batch already in the database (same id) is skipped,
so the import can be run again. Batch folders are copied into the storage folder when the legacy
folder is another one. Entered and computed values belong to a plan, named on the command line.
"""

from __future__ import annotations

import shutil
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yardstick.datasets.registry_files import FileBatchRegistry
from yardstick.errors import YardstickError
from yardstick.metrics.store import FileResultStore
from yardstick.web.datasets.models import Batch, BatchCoverage, BatchEvent
from yardstick.web.plans.models import Plan
from yardstick.web.values.models import EnteredValue
from yardstick.web.values.stores import OrmResultStore


class LegacyImportError(YardstickError):
    """A legacy data folder that cannot be imported as asked."""


@dataclass
class LegacyImport:
    batches: int = 0
    skipped_batches: int = 0
    events: int = 0
    entered_values: int = 0
    computed_values: int = 0


def import_legacy(legacy_dir: Path, data_dir: Path, plan: str) -> LegacyImport:
    """Import ``legacy_dir``'s files into the database (values under ``plan``)."""
    if not (legacy_dir / "registry.sqlite").exists():
        raise LegacyImportError(f"{legacy_dir}: no registry.sqlite (not a legacy data folder)")
    plan_row = Plan.objects.filter(code=plan).first()
    if plan_row is None:
        raise LegacyImportError(f"no plan {plan!r} is stored; `yardstick plan load` it first")
    report = LegacyImport()
    with transaction.atomic():
        _import_batches(legacy_dir, data_dir, report)
        _import_elements(legacy_dir, plan_row, report)
        _import_results(legacy_dir, plan, report)
    return report


def _import_batches(legacy_dir: Path, data_dir: Path, report: LegacyImport) -> None:
    registry = FileBatchRegistry(legacy_dir)
    known = set(Batch.objects.values_list("id", flat=True))
    for batch in registry.batches():
        if batch.id in known:
            report.skipped_batches += 1
            continue
        Batch.objects.create(
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
            ingested_at=_aware(batch.ingested_at),
            status=batch.status.value,
        )
        for event in registry.events(batch.id):
            BatchEvent.objects.create(
                batch_id=batch.id,
                old_status=event.old_status.value if event.old_status else "",
                new_status=event.new_status.value,
                actor=event.actor,
                reason=event.reason,
                at=_aware(event.at),
            )
            report.events += 1
        _copy_folder(batch.folder, data_dir / "batches" / batch.dataset / batch.id)
        report.batches += 1


def _copy_folder(source: Path, target: Path) -> None:
    if source.resolve() == target.resolve() or target.exists():
        return
    if not source.is_dir():
        raise LegacyImportError(f"the batch folder {source} is missing")
    partial = target.with_name(f".{target.name}.partial")
    shutil.copytree(source, partial)
    partial.rename(target)


def _import_elements(legacy_dir: Path, plan: Plan, report: LegacyImport) -> None:
    path = legacy_dir / "elements.sqlite"
    if not path.exists():
        return
    with closing(sqlite3.connect(path)) as db:
        rows = db.execute(
            "SELECT element, year, org_unit, value, entered_by, approved_by, entered_at, note"
            " FROM element_values ORDER BY id"
        ).fetchall()
    for element, year, unit, value, entered_by, approved_by, entered_at, note in rows:
        EnteredValue.objects.create(
            plan=plan,
            element=element,
            year=year,
            org_unit=unit,
            value=value,
            entered_by=entered_by,
            approved_by=approved_by or "",
            entered_at=_aware(datetime.fromisoformat(entered_at)),
            note=note or "",
        )
        report.entered_values += 1


def _import_results(legacy_dir: Path, plan: str, report: LegacyImport) -> None:
    if not (legacy_dir / "results.sqlite").exists():
        return
    legacy = FileResultStore(legacy_dir)
    prints = legacy.fingerprints()
    values = legacy.values()
    OrmResultStore(plan).replace(values, prints)
    report.computed_values += len(values)
    known = set(Batch.objects.values_list("id", flat=True))
    for (batch_id, column), (first, last) in legacy.batch_years().items():
        if batch_id in known:
            BatchCoverage.objects.update_or_create(
                batch_id=batch_id,
                period_column=column,
                defaults={"first_year": first, "last_year": last},
            )


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo else timezone.make_aware(value, timezone.get_default_timezone())
