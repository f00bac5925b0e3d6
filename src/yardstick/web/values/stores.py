"""Entered and computed values over the ORM, scoped to one plan."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from typing import Any

from django.db import connection, transaction
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
from yardstick.web.values.models import ComputedCell, ComputedValue, EnteredValue


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
    """Computed KPI values of one plan, replaced a whole (KPI, year) at a time.

    A (KPI, year) is one row with its fingerprint and lineage (the same for every org unit); its
    values are rows of their own, one per org unit.
    """

    def __init__(self, plan: str) -> None:
        self.plan = plan

    def fingerprints(self) -> dict[tuple[str, int], str]:
        rows = ComputedCell.objects.filter(plan__code=self.plan)
        return {(k, y): f for k, y, f in rows.values_list("kpi", "year", "fingerprint")}

    def replace(self, values: Sequence[KpiValue], prints: dict[tuple[str, int], str]) -> None:
        plan = Plan.objects.get(code=self.plan)
        by_cell: dict[tuple[str, int], list[KpiValue]] = {cell: [] for cell in prints}
        for value in values:
            if (value.kpi, value.year) in by_cell:
                by_cell[(value.kpi, value.year)].append(value)
        now = timezone.now()
        with transaction.atomic():
            years_by_kpi: dict[str, list[int]] = {}
            for kpi, year in prints:
                years_by_kpi.setdefault(kpi, []).append(year)
            for kpi, years in years_by_kpi.items():
                ComputedCell.objects.filter(plan=plan, kpi=kpi, year__in=years).delete()
            cells = ComputedCell.objects.bulk_create(
                ComputedCell(
                    plan=plan,
                    kpi=kpi,
                    year=year,
                    fingerprint=print_,
                    lineage=_lineage_of(by_cell[(kpi, year)]),
                    computed_at=now,
                )
                for (kpi, year), print_ in prints.items()
            )
            ids = {(c.kpi, c.year): c.pk for c in cells}  # SQLite and PostgreSQL return them
            _insert_values(
                [_row(ids[(v.kpi, v.year)], v) for cell in by_cell.values() for v in cell]
            )

    def values(
        self, kpis: Iterable[str] | None = None, years: Iterable[int] | None = None
    ) -> list[KpiValue]:
        cells = ComputedCell.objects.filter(plan__code=self.plan)
        wanted_kpis, wanted_years = list(kpis or []), list(years or [])
        if wanted_kpis:
            cells = cells.filter(kpi__in=wanted_kpis)
        if wanted_years:
            cells = cells.filter(year__in=wanted_years)
        found: list[KpiValue] = []
        lineages = {
            c.pk: (c.kpi, c.year, _lineage(c.lineage) if c.lineage else None) for c in cells
        }
        rows = ComputedValue.objects.filter(cell_id__in=list(lineages)).values_list(
            "cell_id", "org_unit", "value", "unit", "decimals", "inputs", "reason"
        )
        for cell_id, unit_code, value, unit, decimals, inputs, reason in rows:
            kpi, year, lineage = lineages[cell_id]
            found.append(
                KpiValue(
                    kpi,
                    year,
                    unit_code,
                    value,
                    unit,
                    decimals,
                    dict(inputs),
                    reason or None,
                    lineage,
                )
            )
        return sorted(found, key=lambda v: (_kpi_order(v.kpi), v.year, v.org_unit))

    def computed_at(self) -> dict[tuple[str, int], str]:
        """When each (KPI, year) was last computed (ISO 8601)."""
        rows = ComputedCell.objects.filter(plan__code=self.plan).values_list(
            "kpi", "year", "computed_at"
        )
        return {(k, y): at.isoformat(timespec="seconds") for k, y, at in rows}

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


def _lineage_of(values: list[KpiValue]) -> dict[str, Any] | None:
    """The lineage the values of one (KPI, year) share (the first that has one)."""
    lineage = next((v.lineage for v in values if v.lineage is not None), None)
    return asdict(lineage) if lineage else None


_VALUE_COLUMNS = ("cell_id", "org_unit", "value", "unit", "decimals", "inputs", "reason")


def _insert_values(rows: list[ComputedValue]) -> None:
    """The values of the cells just stored: COPY on PostgreSQL (a recompute writes thousands at
    once), a bulk INSERT elsewhere."""
    if connection.vendor != "postgresql":
        ComputedValue.objects.bulk_create(rows, batch_size=1000)
        return
    table = connection.ops.quote_name(ComputedValue._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(c) for c in _VALUE_COLUMNS)
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(
                (row.cell_id, row.org_unit, row.value, row.unit, row.decimals,
                 json.dumps(row.inputs), row.reason)
            )  # fmt: skip


def _row(cell_id: int, value: KpiValue) -> ComputedValue:
    return ComputedValue(
        cell_id=cell_id,
        org_unit=value.org_unit,
        value=value.value,
        unit=value.unit,
        decimals=value.decimals,
        inputs=value.inputs,
        reason=value.reason or "",
    )


def _lineage(data: dict[str, Any]) -> Lineage:
    batches = tuple(BatchUsed(**batch) for batch in data["batches"])
    return Lineage(**{**data, "sql": tuple(data["sql"]), "batches": batches})


def _kpi_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))
