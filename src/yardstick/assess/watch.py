"""In-year watch (年中預警): each record-based KPI projected to the year end from its months so far."""

from __future__ import annotations

from yardstick.assess.projection import Projection
from yardstick.assess.projection import project as project_to_year_end
from yardstick.calendar import YearRange
from yardstick.metrics.catalog import COMPUTED
from yardstick.metrics.definition import AggregateDefinition, AggregateFunction
from yardstick.metrics.project import HISTORY_YEARS, Project


def watch(project: Project, year: int, month: int) -> list[Projection]:
    """Projections of the record-based KPIs to the end of ``year`` as of ``month``."""
    plan = project.plan
    series = project.monthly(YearRange(min(plan.start_year, year - HISTORY_YEARS), year))
    out = []
    for code, definition in project.definitions.items():
        if not isinstance(definition, COMPUTED):
            continue
        values = {
            (v.year, v.month): v.value
            for v in series
            if v.kpi == code and (v.year, v.month) <= (year, month)
        }
        grows = isinstance(definition, AggregateDefinition) and definition.measure.function in (
            AggregateFunction.COUNT,
            AggregateFunction.SUM,
        )
        target = plan.kpi(code).target_for(year) or next(iter(plan.kpi(code).targets), None)
        out.append(project_to_year_end(code, values, year, month, grows, target, plan.rating))
    return out
