"""What the dashboard's pages read from the database: stored values, never computed ones.

Each function is one or two queries, so a page costs a handful whatever the plan's size: the
values of one org unit across KPIs and years (without their lineage), one KPI's values with
theirs, when the values were computed and from which batches, and the batches' own rows.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Max, Min
from django.http import Http404
from django.utils.translation import gettext as _

from yardstick.datasets.contract import Contract
from yardstick.datasets.registry import BatchStatus
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue
from yardstick.state.jobs import JobStatus
from yardstick.state.plans import UnknownPlan
from yardstick.web.dashboard.models import MonthlyValue
from yardstick.web.datasets.models import Batch
from yardstick.web.jobs.models import Job
from yardstick.web.projects import open_project, version_of
from yardstick.web.storage import DjangoStorage
from yardstick.web.values.models import ComputedCell, ComputedValue


def open_plan(code: str) -> tuple[Project, str]:
    """The plan's current version over the database, with the version's hash; an unknown plan
    is a 404."""
    try:
        number, sha256 = version_of(code)
        return open_project(DjangoStorage(), code, number), sha256
    except UnknownPlan:
        raise Http404(_("There is no plan %(code)s.") % {"code": code}) from None


def unit_values(plan: str, unit: str, years: Iterable[int] | None = None) -> list[KpiValue]:
    """Every stored value of one org unit (all KPIs; all years or some), without lineage."""
    rows = ComputedValue.objects.filter(cell__plan__code=plan, org_unit=unit)
    if years is not None:
        rows = rows.filter(cell__year__in=list(years))
    return [
        KpiValue(kpi, year, unit, value, shown_unit, decimals, dict(inputs), reason or None)
        for kpi, year, value, shown_unit, decimals, inputs, reason in rows.values_list(
            "cell__kpi", "cell__year", "value", "unit", "decimals", "inputs", "reason"
        )
    ]


def record_datasets(project: Project) -> list[str]:
    """The plan's datasets of records (not its data elements)."""
    return [name for name, c in project.contracts.items() if isinstance(c, Contract)]


def kpi_values(project: Project, kpi: str) -> list[KpiValue]:
    """One KPI's stored values, every year and org unit, with their lineage."""
    return project.store.values(kpis=[kpi])


@dataclass(frozen=True)
class Freshness:
    """The state of a plan's stored values: when they were computed, how many (KPI, year) there
    are, from how many batches, whether recomputes are queued, when months were last stored."""

    computed_first: datetime | None
    computed_last: datetime | None
    cells: int
    newest_cell: int | None
    """The highest row id of a (KPI, year): a recompute writes its cells as new rows."""
    batches: int
    newest_ingest: datetime | None
    pending_jobs: int
    months_last: datetime | None


def freshness(plan: str, datasets: Iterable[str]) -> Freshness:
    """The freshness stamp of a plan's values (four aggregate queries)."""
    cells = ComputedCell.objects.filter(plan__code=plan).aggregate(
        first=Min("computed_at"), last=Max("computed_at"), count=Count("id"), newest=Max("id")
    )
    batches = Batch.objects.filter(
        dataset__in=list(datasets), status=BatchStatus.ACTIVE.value
    ).aggregate(count=Count("id"), newest=Max("ingested_at"))
    pending = Job.objects.filter(
        plan=plan, status__in=[JobStatus.QUEUED.value, JobStatus.RUNNING.value]
    ).count()
    months = MonthlyValue.objects.filter(plan__code=plan).aggregate(last=Max("computed_at"))
    return Freshness(
        cells["first"],
        cells["last"],
        cells["count"],
        cells["newest"],
        batches["count"],
        batches["newest"],
        pending,
        months["last"],
    )


@dataclass(frozen=True)
class BatchFacts:
    """What the registry keeps of a batch beyond the lineage: who ingested it, when, for whom."""

    org_unit: str
    ingested_by: str
    ingested_at: datetime
    status: str


def batch_facts(ids: Iterable[str]) -> dict[str, BatchFacts]:
    """The registry's rows of these batches (one query)."""
    rows = Batch.objects.filter(id__in=list(ids)).values_list(
        "id", "org_unit", "ingested_by", "ingested_at", "status"
    )
    return {id_: BatchFacts(unit, by, at, status) for id_, unit, by, at, status in rows}


def entered_values(project: Project, elements: Iterable[str], year: int) -> list[ElementValue]:
    """The approved values of a manual KPI's data elements for a year (who entered, who approved)."""
    wanted = set(elements)
    return [
        value
        for (element, value_year, _unit), value in sorted(project.elements.approved().items())
        if element in wanted and value_year == year
    ]
