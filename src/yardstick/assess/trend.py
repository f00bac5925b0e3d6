"""Trends (趨勢): a KPI over the years, the change from the year before, and whether the line of
the years so far reaches the target by the target year.

Change is in percentage points (個百分點) for a percentage and relative (%) otherwise. The line is
an ordinary least-squares fit over every year with a value; with fewer than two years there is no
line and no verdict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from yardstick.plan.model import Direction, Target


@dataclass(frozen=True)
class Trend:
    """A KPI's values by ROC year and what they say."""

    kpi: str
    unit: str
    points: tuple[tuple[int, float | None], ...]
    change: float | None  # from the previous year: points for %, relative % otherwise
    change_in_points: bool
    slope: float | None  # per year
    projected: float | None  # the line's value in the target year
    will_reach: bool | None

    @property
    def change_text(self) -> str | None:
        """e.g. ``提升2.10個百分點`` / ``減少3.2%``; None without a previous year."""
        if self.change is None:
            return None
        verb = "上升" if self.change > 0 else "下降" if self.change < 0 else "持平"
        if self.change == 0:
            return verb
        amount = (
            f"{abs(self.change):.2f}個百分點"
            if self.change_in_points
            else f"{abs(self.change):.1f}%"
        )
        return f"{verb}{amount}"


def trend_of(
    kpi: str, unit: str, values: Mapping[int, float | None], year: int, target: Target | None
) -> Trend:
    """The trend up to ``year`` (earlier years where data exist) and its verdict for ``target``."""
    points = tuple(sorted((y, v) for y, v in values.items() if y <= year))
    current, previous = values.get(year), values.get(year - 1)
    in_points = unit == "%"
    change = None
    if current is not None and previous is not None:
        change = (
            current - previous
            if in_points
            else ((current - previous) / abs(previous) * 100 if previous else None)
        )
    known = [(y, v) for y, v in points if v is not None]
    slope, projected = _line(known, target.year if target else year)
    return Trend(
        kpi, unit, points, change, in_points, slope, projected, _reaches(projected, target)
    )


def _line(points: list[tuple[int, float]], at: int) -> tuple[float | None, float | None]:
    if len(points) < 2:
        return None, None
    n = len(points)
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / spread
    return slope, mean_y + slope * (at - mean_x)


def _reaches(projected: float | None, target: Target | None) -> bool | None:
    if projected is None or target is None:
        return None
    return (
        projected >= target.value
        if target.direction is Direction.AT_LEAST
        else projected <= target.value
    )
