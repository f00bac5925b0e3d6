"""Rendered annual reports under the storage folder (``reports/<plan>/``), each with a row that
says what it was rendered from.

A report of year Y rests on the plan version, the org units and the computed (KPI, year) cells
from the first computed year to Y. Its inputs fingerprint is the SHA-256 of the version's
SHA-256, the units, and each cell's fingerprint and time of computation: a cell's fingerprint
names its definition and batches, and its time changes whenever it is written again — which is
also how a change of an entered value shows (a manual KPI's cells carry no batches). When the
current inputs have another fingerprint, the stored file is stale.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from yardstick.datasets.orgunits import OrgUnits
from yardstick.metrics.bundle import content_sha256
from yardstick.reports.formats import FORMATS
from yardstick.web.dashboard.models import ReportFile
from yardstick.web.plans.models import Plan
from yardstick.web.values.models import ComputedCell

REPORTS_FOLDER = "reports"


def unit_rows(units: OrgUnits | None) -> list[list[str | None]]:
    """The org units as the report names them (none before any is stored)."""
    if units is None:
        return []
    return [[u.code, u.parent, u.name_zh, u.name_en, u.kind.value] for u in units]


def inputs_fingerprints(
    plan: str, version_sha256: str, units: list[list[str | None]], first: int, years: Iterable[int]
) -> dict[int, str]:
    """The inputs fingerprint of each year's report (one query for every year)."""
    wanted = sorted(set(years))
    if not wanted:
        return {}
    rows = (
        ComputedCell.objects.filter(plan__code=plan, year__gte=first, year__lte=wanted[-1])
        .order_by("kpi", "year")
        .values_list("kpi", "year", "fingerprint", "computed_at")
    )
    cells = [(kpi, int(year), print_, at.isoformat()) for kpi, year, print_, at in rows]
    return {
        year: content_sha256(
            {
                "plan": version_sha256,
                "units": units,
                "cells": [list(cell) for cell in cells if cell[1] <= year],
            }
        )
        for year in wanted
    }


def report_files(plan: str) -> dict[tuple[int, str], ReportFile]:
    """The stored report files of a plan by (year, format)."""
    rows = ReportFile.objects.filter(plan__code=plan)
    return {(row.year, row.format): row for row in rows}


def current_path(row: ReportFile | None, fingerprint: str, data_dir: Path) -> Path | None:
    """The file of ``row`` if it was rendered from these inputs and is still in place."""
    if row is None or row.inputs_fingerprint != fingerprint:
        return None
    path = data_dir / row.path
    return path if path.is_file() else None


def store_report(
    data_dir: Path,
    plan: str,
    year: int,
    format_name: str,
    fingerprint: str,
    data: bytes,
    job_id: int | None,
) -> ReportFile:
    """Put the rendered file in place (renamed into place whole), then its row; the file it
    replaces is removed once the row is committed."""
    relative = (
        Path(REPORTS_FOLDER) / plan / f"{year}-{fingerprint[:16]}{FORMATS[format_name].SUFFIX}"
    )
    target = data_dir / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.partial")
    partial.write_bytes(data)
    partial.replace(target)
    with transaction.atomic():
        owner = Plan.objects.get(code=plan)
        old = (
            ReportFile.objects.select_for_update()
            .filter(plan=owner, year=year, format=format_name)
            .first()
        )
        row, _ = ReportFile.objects.update_or_create(
            plan=owner,
            year=year,
            format=format_name,
            defaults={
                "inputs_fingerprint": fingerprint,
                "path": relative.as_posix(),
                "size": len(data),
                "created_at": timezone.now(),
                "job_id": job_id,
            },
        )
        if old is not None and old.path != row.path:
            replaced = data_dir / old.path
            transaction.on_commit(lambda: replaced.unlink(missing_ok=True))
    return row
