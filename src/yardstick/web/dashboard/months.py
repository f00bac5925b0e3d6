"""The year-to-date months of each record-based KPI, stored beside its yearly values.

The worker computes them after every recompute (and ``yardstick kpi compute`` after it
computes), so that a KPI page projects the year end from stored months — pure Python on the
request, as ``yardstick watch`` does with the records. Months are kept per (KPI, year) with the
fingerprint of that year's value: when the value is recomputed (its definition or batches
changed), its months are stale and are computed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from yardstick.calendar import YearRange
from yardstick.metrics.catalog import COMPUTED
from yardstick.metrics.monthly import MonthlyValue
from yardstick.metrics.project import Project
from yardstick.web.dashboard import models
from yardstick.web.plans.models import Plan

Cell = tuple[str, int]


class OrmMonthStore:
    """The stored months of one plan's KPIs."""

    def __init__(self, plan: str) -> None:
        self.plan = plan

    def fingerprints(self) -> dict[Cell, str]:
        """The fingerprint of the value each stored (KPI, year) of months was computed with."""
        rows = models.MonthlyValue.objects.filter(plan__code=self.plan).values_list(
            "kpi", "year", "fingerprint"
        )
        return {(kpi, year): print_ for kpi, year, print_ in rows.distinct()}

    def replace(self, values: Sequence[MonthlyValue], prints: dict[Cell, str]) -> None:
        """Store the months of the (KPI, year) pairs in ``prints``, removing their old months."""
        plan = Plan.objects.get(code=self.plan)
        now = timezone.now()
        with transaction.atomic():
            for kpi, year in prints:
                models.MonthlyValue.objects.filter(plan=plan, kpi=kpi, year=year).delete()
            models.MonthlyValue.objects.bulk_create(
                (
                    models.MonthlyValue(
                        plan=plan,
                        kpi=v.kpi,
                        year=v.year,
                        month=v.month,
                        value=v.value,
                        inputs=v.inputs,
                        reason=v.reason or "",
                        fingerprint=prints[(v.kpi, v.year)],
                        computed_at=now,
                    )
                    for v in values
                    if (v.kpi, v.year) in prints
                ),
                batch_size=1000,
            )

    def months(self, kpi: str, years: Iterable[int] | None = None) -> StoredMonths:
        """A KPI's stored months (of some years, or all) in order, with their fingerprints."""
        rows = models.MonthlyValue.objects.filter(plan__code=self.plan, kpi=kpi)
        if years is not None:
            rows = rows.filter(year__in=list(years))
        values, prints = [], {}
        for year, month, value, inputs, reason, print_ in rows.order_by(
            "year", "month"
        ).values_list("year", "month", "value", "inputs", "reason", "fingerprint"):
            values.append(MonthlyValue(kpi, year, month, value, dict(inputs), reason or None))
            prints[year] = print_
        return StoredMonths(values, prints)


@dataclass(frozen=True)
class StoredMonths:
    values: list[MonthlyValue]
    prints: dict[int, str]
    """By year: the fingerprint of the value the year's months were computed with."""


def stale_cells(project: Project, store: OrmMonthStore) -> set[Cell]:
    """The computed (KPI, year) pairs of record-based KPIs whose months are missing or were
    computed from another value than the one stored now."""
    record_based = {code for code, d in project.definitions.items() if isinstance(d, COMPUTED)}
    months = store.fingerprints()
    return {
        cell
        for cell, print_ in project.store.fingerprints().items()
        if cell[0] in record_based and months.get(cell) != print_
    }


def refresh_months(project: Project, engine: str | None = None) -> list[Cell]:
    """Compute and store the months of every stale (KPI, year); the pairs refreshed."""
    store = OrmMonthStore(project.code)
    stale = stale_cells(project, store)
    if not stale:
        return []
    years = [year for _, year in stale]
    kpis = sorted({kpi for kpi, _ in stale})
    values = project.monthly(YearRange(min(years), max(years)), engine, kpis=kpis)
    current = project.store.fingerprints()
    store.replace(values, {cell: current[cell] for cell in stale})
    return sorted(stale)
