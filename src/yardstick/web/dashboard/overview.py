"""The dashboard (總覽) of a plan for an ROC year: KPIs by strategic goal with target, actual,
achievement, light and a sparkline; light counts per goal; filters; the freshness stamp.

Built from the stored values of one org unit (the ministry, or the unit filtered on) in one
query. The public sees the same structure — goals, KPIs, targets — without values.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from yardstick.datasets.orgunits import OrgUnit
from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue
from yardstick.plan.model import KPI, StrategicGoal, Target
from yardstick.plan.rating import Light
from yardstick.web.dashboard.charts import Spec, lights_chart
from yardstick.web.dashboard.queries import Freshness
from yardstick.web.dashboard.sparkline import sparkline
from yardstick.web.dashboard.standing import Standing, standing_of
from yardstick.web.layout.templatetags.yardstick import figure, roc_year


@dataclass(frozen=True)
class KpiRow:
    """A KPI on the dashboard: its target, and — for those who may see values — its standing."""

    kpi: KPI
    target: Target | None
    standing: Standing | None
    sparkline: SafeString


@dataclass(frozen=True)
class GoalBlock:
    goal: StrategicGoal
    rows: tuple[KpiRow, ...]
    counts: dict[Light, int]
    """Lights of the goal's KPIs shown for the unit, before the light filter."""


@dataclass(frozen=True)
class Choices:
    """What the filters offer and what is chosen."""

    year: int
    years: list[int]
    goal: int | None
    light: Light | None
    unit: OrgUnit | None
    units: list[tuple[str, str]]


@dataclass(frozen=True)
class Overview:
    plan_code: str
    ministry: str
    choices: Choices
    goals: tuple[GoalBlock, ...]
    shows_values: bool
    totals: dict[Light, int]
    lights_chart: Spec | None
    freshness: Freshness | None
    hidden: int
    """KPIs left out because the chosen org unit has no value for them in the year."""


def build_overview(
    project: Project,
    values: Sequence[KpiValue],
    choices: Choices,
    shows_values: bool,
    stamp: Freshness,
) -> Overview:
    """The dashboard from ``values`` (one org unit's, every year)."""
    by_key = {(v.kpi, v.year): v for v in values}
    unit = choices.unit
    at_root = unit is None or unit.code == project.org_units.root.code
    blocks, totals, hidden = [], dict.fromkeys(Light, 0), 0
    for goal in project.plan.goals:
        if choices.goal is not None and goal.number != choices.goal:
            continue
        rows = []
        for kpi in project.plan.kpis_of(goal):
            if shows_values and not at_root and (kpi.code, choices.year) not in by_key:
                hidden += 1
                continue
            rows.append(_row(project, kpi, by_key, choices.year, shows_values, at_root))
        counts = _counts(row.standing for row in rows)
        totals = {light: totals[light] + counts[light] for light in Light}
        shown = tuple(r for r in rows if choices.light is None or _light(r) is choices.light)
        if shown or choices.light is None:
            blocks.append(GoalBlock(goal, shown, counts))
    chart = (
        lights_chart([(f"{b.goal.number} {b.goal.name}", b.counts) for b in blocks])
        if shows_values and blocks
        else None
    )
    return Overview(
        project.code,
        project.plan.ministry or "",
        choices,
        tuple(blocks),
        shows_values,
        totals,
        chart,
        stamp if shows_values else None,
        hidden,
    )


def _light(row: KpiRow) -> Light | None:
    return None if row.standing is None else row.standing.light


def _counts(standings: Iterable[Standing | None]) -> dict[Light, int]:
    counts = dict.fromkeys(Light, 0)
    for standing in standings:
        if standing is not None and standing.light is not None:
            counts[standing.light] += 1
    return counts


def _row(
    project: Project,
    kpi: KPI,
    by_key: dict[tuple[str, int], KpiValue],
    year: int,
    shows_values: bool,
    at_root: bool,
) -> KpiRow:
    target = kpi.target_for(year)
    if not shows_values:
        return KpiRow(kpi, target, None, SafeString(""))
    definition = project.bundle.definitions.get(kpi.code)
    standing = standing_of(
        kpi, definition, by_key.get((kpi.code, year)), year, project.plan.rating, at_root
    )
    series = [(y, by_key.get((kpi.code, y))) for y in project.plan.period.years if y <= year]
    points = [(y, None if v is None else v.value) for y, v in series]
    label = _("%(kpi)s by year: %(values)s") % {
        "kpi": kpi.code,
        "values": "、".join(f"{roc_year(y)} {figure(v)}" for y, v in series),
    }
    return KpiRow(kpi, target, standing, sparkline(points, label))


def unit_choices(project: Project, chinese: bool) -> list[tuple[str, str]]:
    """Every org unit for the filter, indented by its depth, in the hierarchy's order."""
    units = project.org_units
    return [
        (u.code, "　" * (len(units.path(u.code)) - 1) + (u.name_zh if chinese else u.name_en))
        for u in units
    ]
