"""Entered and computed values over the ORM, scoped to one plan."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from yardstick.datasets.contract import DataElement
from yardstick.metrics.elements import (
    ElementValue,
    ElementValueError,
    check_approver,
    check_entry,
    nothing_to_approve,
)
from yardstick.metrics.results import BatchUsed, KpiValue, Lineage
from yardstick.state.audit import AuditLog
from yardstick.web.datasets.models import BatchCoverage
from yardstick.web.plans.models import Plan
from yardstick.web.values.models import ComputedValue, EnteredValue


class OrmElementStore:
    """Entered data element values of one plan, append-only."""

    def __init__(self, plan: str, audit: AuditLog) -> None:
        self.plan = plan
        self.audit = audit

    def enter(
        self,
        element: DataElement,
        year: int,
        org_unit: str,
        value: float,
        entered_by: str,
        approved_by: str | None,
        note: str | None = None,
    ) -> ElementValue:
        check_entry(element, org_unit, value)
        check_approver(entered_by, approved_by)
        with transaction.atomic():
            row = EnteredValue.objects.create(
                plan=Plan.objects.get(code=self.plan),
                element=element.name,
                year=year,
                org_unit=org_unit,
                value=value,
                entered_by=entered_by,
                approved_by=approved_by or "",
                entered_at=timezone.now(),
                note=note or "",
            )
            stored = _element(row)
            self.audit.record(
                entered_by,
                "value.entered",
                "entered_value",
                str(row.pk),
                plan=self.plan,
                new=asdict(stored) | {"entered_at": stored.entered_at},
            )
        return stored

    def approve(self, element: str, year: int, org_unit: str, approver: str) -> ElementValue:
        with transaction.atomic():
            row = (
                EnteredValue.objects.select_for_update()
                .filter(plan__code=self.plan, element=element, year=year, org_unit=org_unit)
                .filter(approved_by="")
                .order_by("-id")
                .first()
            )
            if row is None:
                raise ElementValueError(nothing_to_approve(element, year, org_unit))
            check_approver(row.entered_by, approver)
            row.approved_by = approver
            row.save(update_fields=["approved_by"])
            self.audit.record(
                approver,
                "value.approved",
                "entered_value",
                str(row.pk),
                plan=self.plan,
                old={"approved_by": None},
                new={"approved_by": approver, "value": row.value},
            )
        return _element(row)

    def approved(self) -> dict[tuple[str, int, str], ElementValue]:
        latest: dict[tuple[str, int, str], ElementValue] = {}
        rows = EnteredValue.objects.filter(plan__code=self.plan).exclude(approved_by="")
        for row in rows.order_by("id"):
            value = _element(row)
            latest[(value.element, value.year, value.org_unit)] = value
        return latest


def _element(row: EnteredValue) -> ElementValue:
    return ElementValue(
        row.element,
        row.year,
        row.org_unit,
        row.value,
        row.entered_by,
        row.approved_by or None,
        row.entered_at.isoformat(timespec="seconds"),
        row.note or None,
    )


class OrmResultStore:
    """Computed KPI values of one plan, replaced a whole (KPI, year) at a time."""

    def __init__(self, plan: str) -> None:
        self.plan = plan

    def fingerprints(self) -> dict[tuple[str, int], str]:
        rows = ComputedValue.objects.filter(plan__code=self.plan).values_list(
            "kpi", "year", "fingerprint"
        )
        return {(kpi, year): print_ for kpi, year, print_ in rows.distinct()}

    def replace(self, values: Sequence[KpiValue], prints: dict[tuple[str, int], str]) -> None:
        plan = Plan.objects.get(code=self.plan)
        with transaction.atomic():
            for kpi, year in prints:
                ComputedValue.objects.filter(plan=plan, kpi=kpi, year=year).delete()
            ComputedValue.objects.bulk_create(
                (
                    _row(plan, value, prints[(value.kpi, value.year)])
                    for value in values
                    if (value.kpi, value.year) in prints
                ),
                batch_size=500,
            )

    def values(
        self, kpis: Iterable[str] | None = None, years: Iterable[int] | None = None
    ) -> list[KpiValue]:
        rows = ComputedValue.objects.filter(plan__code=self.plan)
        wanted_kpis, wanted_years = list(kpis or []), list(years or [])
        if wanted_kpis:
            rows = rows.filter(kpi__in=wanted_kpis)
        if wanted_years:
            rows = rows.filter(year__in=wanted_years)
        found = [_value(row) for row in rows]
        return sorted(found, key=lambda v: (_kpi_order(v.kpi), v.year, v.org_unit))

    def batch_years(self) -> dict[tuple[str, str], tuple[int | None, int | None]]:
        rows = BatchCoverage.objects.values_list(
            "batch_id", "period_column", "first_year", "last_year"
        )
        return {(batch, column): (first, last) for batch, column, first, last in rows}

    def remember_batch_years(
        self, batch_id: str, column: str, first: int | None, last: int | None
    ) -> None:
        BatchCoverage.objects.update_or_create(
            batch_id=batch_id,
            period_column=column,
            defaults={"first_year": first, "last_year": last},
        )


def _row(plan: Plan, value: KpiValue, print_: str) -> ComputedValue:
    return ComputedValue(
        plan=plan,
        kpi=value.kpi,
        year=value.year,
        org_unit=value.org_unit,
        value=value.value,
        unit=value.unit,
        decimals=value.decimals,
        inputs=value.inputs,
        reason=value.reason or "",
        lineage=asdict(value.lineage) if value.lineage else None,
        fingerprint=print_,
    )


def _value(row: ComputedValue) -> KpiValue:
    return KpiValue(
        kpi=row.kpi,
        year=row.year,
        org_unit=row.org_unit,
        value=row.value,
        unit=row.unit,
        decimals=row.decimals,
        inputs=dict(row.inputs),
        reason=row.reason or None,
        lineage=_lineage(row.lineage) if row.lineage else None,
    )


def _lineage(data: dict[str, Any]) -> Lineage:
    batches = tuple(BatchUsed(**batch) for batch in data["batches"])
    return Lineage(**{**data, "sql": tuple(data["sql"]), "batches": batches})


def _kpi_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))
