"""A plan's assessment for one ROC year: every KPI's value, target, achievement, light and trend."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from yardstick.assess.achievement import Assessment, assess_value
from yardstick.assess.trend import Trend, trend_of
from yardstick.calendar import YearRange
from yardstick.metrics.project import HISTORY_YEARS, Project
from yardstick.metrics.results import KpiValue
from yardstick.plan.model import KPI, Plan
from yardstick.plan.rating import Light


@dataclass(frozen=True)
class KpiYear:
    """One KPI in the year: its assessment, its trend and its value in every org unit."""

    kpi: KPI
    assessment: Assessment
    trend: Trend
    by_unit: tuple[KpiValue, ...]


@dataclass(frozen=True)
class PlanYear:
    """The plan's KPIs assessed for an ROC year."""

    plan: Plan
    year: int
    kpis: tuple[KpiYear, ...]
    root: str

    def of_goal(self, number: int) -> list[KpiYear]:
        return [k for k in self.kpis if k.kpi.goal == number]

    def light_counts(self, goal: int | None = None) -> dict[Light, int]:
        """How many KPIs have each light (of one goal, or of the whole plan)."""
        chosen = self.kpis if goal is None else self.of_goal(goal)
        counts = Counter(k.assessment.light for k in chosen)
        return {light: counts.get(light, 0) for light in Light}


def assess_plan(plan: Plan, values: Sequence[KpiValue], year: int, root: str) -> PlanYear:
    """Assess every KPI of ``plan`` for ``year`` from computed ``values`` (all years, all units)."""
    at_root = {(v.kpi, v.year): v for v in values if v.org_unit == root}
    out = []
    for kpi in plan.kpis:
        target = kpi.target_for(year) or (kpi.targets[-1] if kpi.targets else None)
        value = at_root.get((kpi.code, year))
        series = {y: v.value for (code, y), v in at_root.items() if code == kpi.code}
        unit = value.unit if value else (target.unit if target else "")
        by_unit = tuple(
            v for v in values if v.kpi == kpi.code and v.year == year and v.org_unit != root
        )
        out.append(
            KpiYear(
                kpi,
                assess_value(value, kpi.target_for(year), plan.rating, kpi.code, year),
                trend_of(kpi.code, unit, series, year, target),
                by_unit,
            )
        )
    return PlanYear(plan, year, tuple(out), root)


def assessed_year(project: Project, year: int) -> PlanYear:
    """Compute (or reuse) the values from a few years before the plan to ``year`` and assess ``year``."""
    plan = project.plan
    values = project.compute(YearRange(min(plan.start_year - HISTORY_YEARS, year), year)).values
    return assess_plan(plan, values, year, project.org_units.root.code)
