"""In-year projection (年度推估): from records up to a month, the year-end value and an interval.

Method, stated with every projection:

- **seasonal ratio** when earlier years have both a value at the same month and a year-end value:
  for each such year the ratio year-end ÷ year-to-date; the projection is this year's
  year-to-date value × the mean ratio, the interval × the smallest and largest ratio.
  A count (persons, kg, cases) grows through the year, so its ratios are above 1; a rate or a mean
  settles, so its ratios are near 1.
- **linear on cumulative counts** without history, for counts and sums: year-to-date × 12 ÷ month;
  **year-to-date value** for rates and means. No interval without history.

KPIs heading for red (or yellow) at the projected value make the early-warning list.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from yardstick.assess.achievement import achievement_of, light_of
from yardstick.plan.model import Direction, Target
from yardstick.plan.rating import Light, RatingScheme


@dataclass(frozen=True)
class Projection:
    """A KPI's projected year-end value as of a month."""

    kpi: str
    year: int
    month: int
    year_to_date: float | None
    projected: float | None
    low: float | None
    high: float | None
    method: str
    light: Light
    reason: str | None = None


def project(
    kpi: str,
    series: Mapping[tuple[int, int], float | None],
    year: int,
    month: int,
    grows: bool,
    target: Target | None,
    scheme: RatingScheme,
) -> Projection:
    """Project ``kpi`` to the end of ``year`` from its year-to-date ``series`` (year, month) → value."""
    ytd = series.get((year, month))
    if ytd is None:
        return Projection(
            kpi,
            year,
            month,
            None,
            None,
            None,
            None,
            "—",
            Light.WHITE,
            f"no records up to {year}年{month}月",
        )
    ratios = [
        final / partial
        for (y, m), partial in series.items()
        if m == month and y < year and partial and (final := series.get((y, 12))) is not None
    ]
    if ratios:
        mean = sum(ratios) / len(ratios)
        projected, low, high = ytd * mean, ytd * min(ratios), ytd * max(ratios)
        method = f"seasonal ratio from {len(ratios)} earlier year(s)"
    elif grows:
        projected, low, high, method = ytd * 12 / month, None, None, "linear on cumulative counts"
    else:
        projected, low, high, method = ytd, None, None, "year-to-date value"
    return Projection(
        kpi, year, month, ytd, projected, low, high, method, _light(projected, target, scheme)
    )


def _light(projected: float, target: Target | None, scheme: RatingScheme) -> Light:
    if target is None:
        return Light.WHITE
    met = (
        projected >= target.value
        if target.direction is Direction.AT_LEAST
        else projected <= target.value
    )
    return light_of(met, achievement_of(projected, target, met, scheme), scheme)


def early_warnings(projections: list[Projection]) -> list[Projection]:
    """KPIs heading for red, then yellow: the list for leadership."""
    order = {Light.RED: 0, Light.YELLOW: 1}
    return sorted(
        (p for p in projections if p.light in order), key=lambda p: (order[p.light], p.kpi)
    )
