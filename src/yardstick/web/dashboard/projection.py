"""The year to date month by month, and the year end projected from each month (年度推估).

The months are those the worker stored (:mod:`yardstick.web.dashboard.months`); the projection
is :func:`yardstick.assess.projection.project`, the same as ``yardstick watch``: the seasonal
ratio of earlier years with its smallest and largest ratio as the interval, or without history a
linear extrapolation of counts and the year-to-date value of rates.
"""

from __future__ import annotations

from dataclasses import dataclass

from yardstick.assess.projection import Projection, project
from yardstick.metrics.monthly import MonthlyValue
from yardstick.metrics.project import Project
from yardstick.plan.model import KPI
from yardstick.web.dashboard.months import OrmMonthStore
from yardstick.web.dashboard.standing import is_share_of_total
from yardstick.web.values.models import ComputedCell


@dataclass(frozen=True)
class MonthRow:
    """A month of the year: the value to date, and the year end projected from it; a month
    with no records of its own carries the value to date forward and projects nothing."""

    month: MonthlyValue
    projection: Projection | None


@dataclass(frozen=True)
class Months:
    """The year's months so far; ``latest`` is the projection from the last month with a value."""

    year: int
    rows: tuple[MonthRow, ...]
    latest: Projection | None
    stale: bool
    """The months were computed from an earlier state of the value (the worker has yet to
    compute them again)."""


def months_of(project_: Project, kpi: KPI, year: int) -> Months:
    """The stored months of ``kpi`` up to ``year`` with a projection from each month of ``year``."""
    store = OrmMonthStore(project_.code)
    stored = store.months(kpi.code, range(project_.computed_years().start, year + 1))
    series = {(m.year, m.month): m.value for m in stored.values}
    definition = project_.bundle.definitions.get(kpi.code)
    grows = is_share_of_total(definition)
    target = kpi.target_for(year) or next(iter(kpi.targets), None)
    rows: list[MonthRow] = []
    for month in (m for m in stored.values if m.year == year):
        if rows and _carried(month, rows[-1].month):
            rows.append(MonthRow(month, None))
            continue
        known = {key: v for key, v in series.items() if key <= (year, month.month)}
        projected = project(kpi.code, known, year, month.month, grows, target, project_.plan.rating)
        rows.append(MonthRow(month, projected))
    latest = next(
        (r.projection for r in reversed(rows) if r.projection and r.month.value is not None), None
    )
    return Months(
        year, tuple(rows), latest, _stale(project_, stored.prints.get(year), kpi.code, year)
    )


def _carried(month: MonthlyValue, previous: MonthlyValue) -> bool:
    """No record of the month changed its inputs: the value to date is the month before's."""
    return month.value is not None and (month.value, month.inputs) == (
        previous.value,
        previous.inputs,
    )


def _stale(project_: Project, months_print: str | None, kpi: str, year: int) -> bool:
    current = (
        ComputedCell.objects.filter(plan__code=project_.code, kpi=kpi, year=year)
        .values_list("fingerprint", flat=True)
        .first()
    )
    return months_print is not None and current is not None and months_print != current
