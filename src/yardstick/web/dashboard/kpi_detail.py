"""A KPI's page: what it measures and, for those who may see values, how it stands and where its
number comes from.

Everything is read from what is stored: the values of every year and org unit with their
lineage (one query for the cells, one for the values), the batches' registry rows, the
year-to-date months the worker stored. The projection is computed here from those months, in
Python (as ``yardstick watch`` does from the records).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from django.utils.translation import gettext as _

from yardstick.assess.trend import trend_of
from yardstick.datasets.orgunits import OrgUnit
from yardstick.metrics.catalog import COMPUTED
from yardstick.metrics.definition import ManualDefinition, MetricDefinition
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.project import Project
from yardstick.metrics.results import BatchUsed, KpiValue, Lineage
from yardstick.plan.model import KPI, Programme, StrategicGoal, Target
from yardstick.web.dashboard.charts import Spec, breakdown_chart, trend_chart
from yardstick.web.dashboard.projection import Months, months_of
from yardstick.web.dashboard.queries import BatchFacts, batch_facts, entered_values
from yardstick.web.dashboard.standing import Standing, is_share_of_total, standing_of


@dataclass(frozen=True)
class UnitRow:
    """An org unit under the one shown, with its value (the breakdown table)."""

    unit: OrgUnit
    name: str
    value: KpiValue
    standing: Standing
    drills: bool
    """Some unit below it has a value too (its row links one level down)."""


@dataclass(frozen=True)
class Breakdown:
    """The KPI's value in an org unit and in each unit directly under it, for a year."""

    unit: OrgUnit
    name: str
    trail: list[tuple[str, str]]
    own: KpiValue | None
    rows: tuple[UnitRow, ...]
    chart: Spec | None


@dataclass(frozen=True)
class BatchRow:
    used: BatchUsed
    facts: BatchFacts | None
    may_open: bool
    """The viewer may open the batch's page (record-level data: its unit, reviewers, auditors)."""


@dataclass(frozen=True)
class Provenance:
    """Where one value comes from (年度, org unit): definition, inputs, batches, SQL."""

    value: KpiValue
    lineage: Lineage | None
    batches: tuple[BatchRow, ...]
    entered: tuple[ElementValue, ...]


@dataclass(frozen=True)
class KpiDetail:
    plan_code: str
    kpi: KPI
    goal: StrategicGoal
    mechanism: str
    definition: MetricDefinition | None
    kind: str
    interpretation: str
    definition_text: str | None
    reads: list[str]
    programmes: list[tuple[int, Programme]]
    year: int
    years: list[int]
    shows_values: bool
    may_see_records: bool
    by_year: tuple[Standing, ...] = ()
    trend_chart: Spec | None = None
    breakdown: Breakdown | None = None
    months: Months | None = None
    provenance: Provenance | None = None


def kind_of(definition: MetricDefinition | None) -> str:
    """The definition's kind in words."""
    if definition is None:
        return _("not yet defined")
    return {
        "ratio": _("ratio: numerator ÷ denominator"),
        "aggregate": _("aggregate over records"),
        "formula": _("formula over aggregates"),
        "manual": _("entered and approved values"),
    }[definition.kind]


def build_kpi_detail(
    project: Project,
    kpi: KPI,
    values: Sequence[KpiValue],
    year: int,
    unit: str,
    shows_values: bool,
    may_open: Callable[[str | None], bool],
    chinese: bool,
) -> KpiDetail:
    """The page of ``kpi`` for ``year``, its breakdown under ``unit``; ``values`` are the KPI's
    stored values (every year and unit; none when the viewer may not see values)."""
    definition = project.bundle.definitions.get(kpi.code)
    detail = KpiDetail(
        project.code,
        kpi,
        project.plan.goal(kpi.goal),
        project.plan.evaluation_mechanisms.get(kpi.evaluation_mechanism, ""),
        definition,
        kind_of(definition),
        ""
        if definition is None
        else (definition.interpretation.zh if chinese else definition.interpretation.en),
        project.bundle.definition_text(kpi.code),
        project.inputs_of(definition) if definition is not None else [],
        [(n, p) for n, p in enumerate(project.plan.programmes, 1) if kpi.code in p.kpis],
        year,
        project.plan.period.years,
        shows_values,
        shows_values and may_open(unit),
    )
    if not shows_values:
        return detail
    by_key = {(v.year, v.org_unit): v for v in values}
    root = project.org_units.root.code
    by_year = tuple(
        standing_of(kpi, definition, by_key.get((y, root)), y, project.plan.rating, True)
        for y in _years_shown(project, values, root)
    )
    target = kpi.target_for(year) or (kpi.targets[-1] if kpi.targets else None)
    series = {y: v.value for (y, code), v in by_key.items() if code == root}
    trend = trend_of(kpi.code, _unit_of(values, target), series, year, target)
    value = by_key.get((year, unit))
    return replace(
        detail,
        by_year=by_year,
        trend_chart=trend_chart(trend, target) if any(series.values()) else None,
        breakdown=_breakdown(project, kpi, definition, by_key, year, unit, chinese),
        months=months_of(project, kpi, year) if isinstance(definition, COMPUTED) else None,
        provenance=None
        if value is None
        else _provenance(project, definition, value, year, may_open),
    )


def _years_shown(project: Project, values: Sequence[KpiValue], root: str) -> list[int]:
    """The plan's years, and the years before it that have a value (history for the trend)."""
    known = [v.year for v in values if v.org_unit == root and v.value is not None]
    first = min([*known, project.plan.start_year])
    return [y for y in project.computed_years().years if y >= first]


def _unit_of(values: Sequence[KpiValue], target: Target | None) -> str:
    return values[0].unit if values else (target.unit if target else "")


def _name(unit: OrgUnit, chinese: bool) -> str:
    return unit.name_zh if chinese else unit.name_en


def _breakdown(
    project: Project,
    kpi: KPI,
    definition: MetricDefinition | None,
    by_key: dict[tuple[int, str], KpiValue],
    year: int,
    code: str,
    chinese: bool,
) -> Breakdown:
    units = project.org_units
    with_values = {unit for (y, unit) in by_key if y == year}
    rows = []
    for child in units.children(code):
        value = by_key.get((year, child.code))
        if value is None:
            continue
        standing = standing_of(kpi, definition, value, year, project.plan.rating, False)
        drills = any(u.code in with_values for u in units.children(child.code))
        rows.append(UnitRow(child, _name(child, chinese), value, standing, drills))
    unit = units.get(code)
    own = by_key.get((year, code))
    bars = [(r.name, v) for r in rows if (v := r.value.value) is not None]
    target = None if is_share_of_total(definition) else kpi.target_for(year)
    shown_unit = own.unit if own else ""
    return Breakdown(
        unit,
        _name(unit, chinese),
        [(c, _name(units.get(c), chinese)) for c in units.path(code)],
        own,
        tuple(rows),
        breakdown_chart(bars, shown_unit, target) if bars else None,
    )


def _provenance(
    project: Project,
    definition: MetricDefinition | None,
    value: KpiValue,
    year: int,
    may_open: Callable[[str | None], bool],
) -> Provenance:
    lineage = value.lineage
    used = lineage.batches if lineage else ()
    facts = batch_facts(b.batch_id for b in used) if used else {}
    batches = tuple(
        BatchRow(
            b,
            facts.get(b.batch_id),
            b.batch_id in facts and may_open(facts[b.batch_id].org_unit or None),
        )
        for b in used
    )
    entered: tuple[ElementValue, ...] = ()
    if isinstance(definition, ManualDefinition):
        entered = tuple(entered_values(project, [e.element for e in definition.elements], year))
    return Provenance(value, lineage, batches, entered)
