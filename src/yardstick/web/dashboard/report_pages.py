"""The reports page as plain data: each plan year's annual report in each format, and its state.

A report is *ready* when a file rendered from the current inputs is stored; *stale* when the
stored file was rendered from other inputs; *queued* / *running* while the worker has the job;
*failed* when its last job failed (with the error; a job that will be tried again stays queued
and shows its error too); *none* before anyone asked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from yardstick.datasets.errors import OrgUnitError
from yardstick.metrics.bundle import PlanBundle
from yardstick.metrics.project import HISTORY_YEARS
from yardstick.reports.formats import FORMATS
from yardstick.state.jobs import REPORT, JobStatus
from yardstick.state.storage import Storage
from yardstick.web.dashboard.models import ReportFile
from yardstick.web.dashboard.report_files import (
    current_path,
    inputs_fingerprints,
    report_files,
    unit_rows,
)
from yardstick.web.jobs.models import Job as JobRow

FORMAT_LABELS = {"pdf": "PDF", "xlsx": "Excel (XLSX)", "html": "HTML"}
RECENT_JOBS = 200
"""Report jobs looked at for the states (the latest per year and format among them)."""


@dataclass(frozen=True)
class ReportState:
    format: str
    label: str
    state: str  # ready, stale, queued, running, failed, none
    size: int | None = None
    rendered_at: datetime | None = None
    error: str = ""
    job: int | None = None

    @property
    def pending(self) -> bool:
        return self.state in ("queued", "running")

    @property
    def may_render(self) -> bool:
        return self.state in ("stale", "failed", "none")


@dataclass(frozen=True)
class ReportYear:
    year: int
    reports: tuple[ReportState, ...]


@dataclass(frozen=True)
class ReportsPage:
    code: str
    ministry: str
    years: tuple[ReportYear, ...]

    @property
    def pending(self) -> bool:
        return any(r.pending for y in self.years for r in y.reports)


def reports_page(storage: Storage, code: str, sha256: str, bundle: PlanBundle) -> ReportsPage:
    plan = bundle.plan
    years = list(plan.period.years)
    prints = _fingerprints(storage, code, sha256, bundle, years)
    files = report_files(code)
    jobs = _latest_jobs(code)
    return ReportsPage(
        code,
        plan.ministry or "",
        tuple(
            ReportYear(
                year,
                tuple(
                    _state(
                        storage, fmt, files.get((year, fmt)), prints[year], jobs.get((year, fmt))
                    )
                    for fmt in FORMATS
                ),
            )
            for year in years
        ),
    )


def current_report(
    storage: Storage, code: str, sha256: str, bundle: PlanBundle, year: int, fmt: str
) -> Path | None:
    """The stored file of the year's report in ``fmt`` if it was rendered from the current inputs."""
    fingerprint = _fingerprints(storage, code, sha256, bundle, [year])[year]
    return current_path(report_files(code).get((year, fmt)), fingerprint, storage.data_dir)


def _fingerprints(
    storage: Storage, code: str, sha256: str, bundle: PlanBundle, years: list[int]
) -> dict[int, str]:
    try:
        units = unit_rows(storage.org_units.org_units())
    except OrgUnitError:
        units = []
    first = bundle.plan.start_year - HISTORY_YEARS
    return inputs_fingerprints(code, sha256, units, first, years)


def _latest_jobs(code: str) -> dict[tuple[int, str], JobRow]:
    latest: dict[tuple[int, str], JobRow] = {}
    for row in JobRow.objects.filter(kind=REPORT, plan=code).order_by("-id")[:RECENT_JOBS]:
        key = (row.payload.get("year"), row.payload.get("format"))
        if isinstance(key[0], int) and isinstance(key[1], str):
            latest.setdefault((key[0], key[1]), row)
    return latest


def _state(
    storage: Storage, fmt: str, row: ReportFile | None, fingerprint: str, job: JobRow | None
) -> ReportState:
    label = FORMAT_LABELS.get(fmt, fmt)
    if current_path(row, fingerprint, storage.data_dir) is not None:
        assert row is not None
        return ReportState(fmt, label, "ready", row.size, row.created_at)
    if job is not None and job.status in (JobStatus.QUEUED, JobStatus.RUNNING):
        return ReportState(fmt, label, str(job.status), error=job.error, job=job.id)
    if job is not None and job.status == JobStatus.FAILED:
        return ReportState(fmt, label, "failed", error=job.error, job=job.id)
    if row is not None:
        return ReportState(fmt, label, "stale", row.size, row.created_at)
    return ReportState(fmt, label, "none")
