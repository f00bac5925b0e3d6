"""The worker's ``report`` job: render a plan year's annual report from the stored values.

The report is assessed from the values as stored — the figures the dashboard shows — never
computed again. The inputs fingerprint is taken before the values are read, so a value that
changes in between leaves the file marked stale rather than a stale file marked current. A
file already rendered from the current inputs is kept as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from yardstick.actions.reports import ReportRequestError
from yardstick.assess.plan_year import assess_plan
from yardstick.metrics.project import HISTORY_YEARS
from yardstick.reports.formats import FORMATS, render_report
from yardstick.reports.model import build_report
from yardstick.state.jobs import Job
from yardstick.state.storage import Storage
from yardstick.web.dashboard.report_files import (
    current_path,
    inputs_fingerprints,
    report_files,
    store_report,
    unit_rows,
)
from yardstick.web.projects import stored_bundle


@dataclass(frozen=True)
class RenderedReport:
    path: str
    size: int
    rendered: bool  # False: the file of the current inputs was there already


def run_report(storage: Storage, job: Job) -> RenderedReport:
    """Render (or keep) the report the job asks for."""
    year, format_name = _payload(job)
    _number, sha256, bundle = stored_bundle(job.plan)
    plan = bundle.plan
    if year not in plan.period.years:
        raise ReportRequestError(f"plan {job.plan} has no year {year} ({plan.period})")
    units = storage.org_units.org_units()
    first = plan.start_year - HISTORY_YEARS
    fingerprint = inputs_fingerprints(job.plan, sha256, unit_rows(units), first, [year])[year]
    row = report_files(job.plan).get((year, format_name))
    if current_path(row, fingerprint, storage.data_dir) is not None:
        assert row is not None
        return RenderedReport(row.path, row.size, False)
    values = storage.results(job.plan).values(years=range(first, year + 1))
    assessed = assess_plan(plan, values, year, units.root.code)
    data = render_report(build_report(assessed, units), format_name)
    stored = store_report(storage.data_dir, job.plan, year, format_name, fingerprint, data, job.id)
    return RenderedReport(stored.path, stored.size, True)


def _payload(job: Job) -> tuple[int, str]:
    try:
        year, format_name = int(job.payload["year"]), str(job.payload["format"])
    except (KeyError, TypeError, ValueError):
        raise ReportRequestError(
            f"a report job needs a year and a format, not {job.payload}"
        ) from None
    if format_name not in FORMATS:
        raise ReportRequestError(f"no report format {format_name!r}")
    return year, format_name
