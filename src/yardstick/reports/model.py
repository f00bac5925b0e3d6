"""The annual performance report's content, built once and rendered by every format."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from yardstick.assess.plan_year import KpiYear, PlanYear
from yardstick.datasets.orgunits import OrgUnits
from yardstick.metrics.results import KpiValue
from yardstick.plan.model import UNREVIEWED_MARK, UNREVIEWED_NOTE, Programme, StrategicGoal, Target
from yardstick.plan.rating import Light
from yardstick.reports.charts import lights_spec, svg, trend_spec
from yardstick.reports.narrative import narrative


@dataclass(frozen=True)
class UnitRow:
    code: str
    name: str
    shown: str


@dataclass(frozen=True)
class KpiSection:
    item: KpiYear
    narrative: str
    explanation: str | None
    trend_svg: str
    units: tuple[UnitRow, ...]
    programmes: tuple[Programme, ...]
    direction: str | None = None  # 以下（越低越好）: the target's direction in the reader's words


@dataclass(frozen=True)
class GoalSection:
    goal: StrategicGoal
    counts: dict[Light, int]
    kpis: tuple[KpiSection, ...]


@dataclass(frozen=True)
class AnnualReport:
    """年度施政績效報告 of one ROC year."""

    title: str
    ministry: str
    year: int
    plan_years: str
    produced_on: date
    goals: tuple[GoalSection, ...]
    totals: dict[Light, int]
    summary_svg: str
    rating_source: str
    programmes: tuple[Programme, ...] = field(default_factory=tuple)
    unreviewed_mark: str = UNREVIEWED_MARK
    unreviewed_note: str | None = None  # the footnote, when a light rests on a guessed direction


def build_report(
    assessed: PlanYear,
    org_units: OrgUnits,
    explanations: Mapping[str, str] | None = None,
    today: date | None = None,
) -> AnnualReport:
    """The report's content; ``explanations`` are officers' own words by KPI code (from the web app)."""
    plan, year = assessed.plan, assessed.year
    goals = tuple(
        GoalSection(
            goal,
            assessed.light_counts(goal.number),
            tuple(
                _kpi_section(
                    item, year, org_units, plan.programmes_of(item.kpi), explanations or {}
                )
                for item in assessed.of_goal(goal.number)
            ),
        )
        for goal in plan.goals
    )
    summary = svg(lights_spec([(f"{g.goal.number} {g.goal.name}", g.counts) for g in goals]))
    ministry = plan.ministry or ""
    return AnnualReport(
        title=f"{ministry}{year}年度施政績效報告",
        ministry=ministry,
        year=year,
        plan_years=f"{plan.start_year}至{plan.end_year}年度中程施政計畫",
        produced_on=today or date.today(),
        goals=goals,
        totals=assessed.light_counts(),
        summary_svg=summary,
        rating_source=plan.rating.source,
        programmes=tuple(plan.programmes),
        unreviewed_note=UNREVIEWED_NOTE if _any_unreviewed(assessed) else None,
    )


def _any_unreviewed(assessed: PlanYear) -> bool:
    return any(item.assessment.rests_on_unreviewed_direction for item in assessed.kpis)


MAX_UNITS = 25


def _breakdown(item: KpiYear, org_units: OrgUnits) -> list[KpiValue]:
    """The values of the deepest level of units that has any (offices, branches, facilities)."""
    known = [v for v in item.by_unit if v.org_unit in org_units]
    if not known:
        return []
    depth = max(len(org_units.path(v.org_unit)) for v in known)
    level = [v for v in known if len(org_units.path(v.org_unit)) == depth]
    return sorted(level, key=lambda v: v.org_unit)[:MAX_UNITS]


def _kpi_section(
    item: KpiYear,
    year: int,
    org_units: OrgUnits,
    programmes: list[Programme],
    explanations: Mapping[str, str],
) -> KpiSection:
    units = tuple(
        UnitRow(v.org_unit, org_units.get(v.org_unit).name_zh, v.shown())
        for v in _breakdown(item, org_units)
    )
    target = item.assessment.target or (item.kpi.targets[-1] if item.kpi.targets else None)
    return KpiSection(
        item,
        narrative(item, year),
        explanations.get(item.kpi.code),
        svg(trend_spec(item.trend, target)),
        units,
        tuple(programmes),
        _direction(item.assessment.target),
    )


def _direction(target: Target | None) -> str | None:
    return None if target is None else f"{target.direction.zh}（{target.direction.reading}）"
