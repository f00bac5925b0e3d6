"""An org unit's page (機關): its values across every KPI that has records for it in a year, its
place in the hierarchy (the units above it, the units under it)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yardstick.datasets.orgunits import OrgUnit
from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue
from yardstick.plan.model import KPI
from yardstick.web.dashboard.standing import Standing, standing_of


@dataclass(frozen=True)
class UnitKpiRow:
    kpi: KPI
    standing: Standing


@dataclass(frozen=True)
class UnitDetail:
    plan_code: str
    unit: OrgUnit
    name: str
    trail: list[tuple[str, str]]
    """The units above it, the ministry first (code, name)."""
    children: list[tuple[str, str]]
    year: int
    years: list[int]
    rows: tuple[UnitKpiRow, ...]
    years_with_values: list[int]


def build_unit_detail(
    project: Project, code: str, values: Sequence[KpiValue], year: int, chinese: bool
) -> UnitDetail:
    """The page of the unit ``code`` for ``year`` from its stored ``values`` (every year)."""
    units = project.org_units
    unit = units.get(code)

    def name(u: OrgUnit) -> str:
        return u.name_zh if chinese else u.name_en

    by_key = {(v.kpi, v.year): v for v in values}
    at_root = code == units.root.code
    rows = tuple(
        UnitKpiRow(
            kpi,
            standing_of(
                kpi,
                project.bundle.definitions.get(kpi.code),
                by_key[(kpi.code, year)],
                year,
                project.plan.rating,
                at_root,
            ),
        )
        for kpi in project.plan.kpis
        if (kpi.code, year) in by_key
    )
    return UnitDetail(
        project.code,
        unit,
        name(unit),
        [(u.code, name(u)) for u in reversed(units.ancestors(code))],
        [(u.code, name(u)) for u in units.children(code)],
        year,
        project.plan.period.years,
        rows,
        sorted({v.year for v in values}),
    )
