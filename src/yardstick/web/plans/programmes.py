"""A programme's page (重要計畫): period, category, outline heading, linked KPIs and their lights.

The lights are those of the latest plan year in which a linked KPI has a stored value (at the
ministry level), assessed as the dashboard assesses them; they are built only for people who
may see values. A KPI without a metric definition shows as not yet defined (白燈).
"""

from __future__ import annotations

from dataclasses import dataclass

from yardstick.assess.plan_year import assess_plan
from yardstick.datasets.errors import OrgUnitError
from yardstick.metrics.bundle import PlanBundle
from yardstick.metrics.results import KpiValue
from yardstick.plan.model import Plan, Programme, Target
from yardstick.plan.rating import Light
from yardstick.state.storage import Storage
from yardstick.web.plans.pages import (
    Link,
    OutlineIndex,
    TargetShown,
    kpi_link,
    numbered_programmes,
    target_shown,
)


@dataclass(frozen=True)
class LinkedKpi:
    link: Link
    goal: Link
    defined: bool
    target: TargetShown | None  # for the year shown (the last target when there are no values)
    light: Light | None  # None: not yet defined, or not shown to this viewer
    actual: str
    reason: str | None
    unreviewed: bool  # the light rests on a direction nobody reviewed (※)


@dataclass(frozen=True)
class ProgrammePage:
    code: str
    number: int
    name: str
    outline: Link | None  # the 施政綱要 heading it sits under, on the browser page
    outline_heading: str
    start_year: int
    end_year: int
    category: str
    year: int | None  # the year of the lights; None when no linked KPI has a value yet
    shows_values: bool
    kpis: tuple[LinkedKpi, ...]

    @property
    def any_unreviewed(self) -> bool:
        """Some target or light shown rests on a direction nobody reviewed (the page explains ※)."""
        return any(kpi.unreviewed or (kpi.target and kpi.target.guessed) for kpi in self.kpis)


def programme_of(plan: Plan, number: int) -> Programme | None:
    return numbered_programmes(plan).get(number)


def programme_page(
    storage: Storage, code: str, bundle: PlanBundle, number: int, shows_values: bool
) -> ProgrammePage | None:
    """The page of programme ``number`` (1-based), or None if the plan has no such programme."""
    plan = bundle.plan
    programme = programme_of(plan, number)
    if programme is None:
        return None
    values, root = _stored_values(storage, code, programme) if shows_values else ([], None)
    year = _latest_year(plan, values, root)
    assessed = (
        {k.kpi.code: k for k in assess_plan(plan, values, year, root).kpis}
        if year is not None and root is not None
        else {}
    )
    kpis = []
    for kpi_code in programme.kpis:
        kpi = plan.kpi(kpi_code)
        defined = kpi_code in bundle.definitions
        item = assessed.get(kpi_code)
        target = kpi.target_for(year) if year is not None else _last(kpi.targets)
        goal = plan.goal(kpi.goal)
        kpis.append(
            LinkedKpi(
                kpi_link(kpi),
                Link(f"goal-{goal.number}", goal.name, number=goal.number),
                defined,
                target_shown(target) if target is not None else None,
                item.assessment.light if item is not None and defined else None,
                item.assessment.shown
                if item is not None and item.assessment.actual is not None
                else "—",
                item.assessment.reason if item is not None else None,
                item.assessment.rests_on_unreviewed_direction if item is not None else False,
            )
        )
    return ProgrammePage(
        code,
        number,
        programme.name,
        OutlineIndex(plan).by_heading.get(programme.outline_heading),
        programme.outline_heading,
        programme.start_year,
        programme.end_year,
        programme.category.value,
        year,
        shows_values,
        tuple(kpis),
    )


def _last(targets: list[Target]) -> Target | None:
    return targets[-1] if targets else None


def _stored_values(
    storage: Storage, code: str, programme: Programme
) -> tuple[list[KpiValue], str | None]:
    """The linked KPIs' stored values at the ministry level (none before org units exist)."""
    if not programme.kpis:
        return [], None
    try:
        root = storage.org_units.org_units().root.code
    except OrgUnitError:
        return [], None
    values = storage.results(code).values(kpis=programme.kpis)
    return [v for v in values if v.org_unit == root], root


def _latest_year(plan: Plan, values: list[KpiValue], root: str | None) -> int | None:
    years = [
        v.year
        for v in values
        if v.org_unit == root and v.value is not None and v.year in plan.period.years
    ]
    return max(years, default=None)
