"""Achievement (達成度) and the light (燈號) of a KPI value against its target.

The actual value is compared as it is reported — rounded half up (四捨五入) to the definition's
decimals — so a reader who sees "26.00%" against a target of 26% sees it met.

Achievement, in the direction of the target:

- **at least** (以上, the default), target > 0: ``actual ÷ target``.
  Example: 8-1 actual 27.19 %, target 26 % → 104.6 %, met → 綠燈.
- **at most** (以下 / 以內 / 不超過), target > 0, actual > 0: ``target ÷ actual``.
  Example: 5-1 actual 9.6 %, target 8 % → 83.3 %, missed → 紅燈; actual 7.1 % → 112.7 %, met.
  A target of "8%以下" is met by any actual ≤ 8, including 8.0 itself.
- **at most**, actual ≤ 0 (an overcrowding rate below capacity is negative; spending below the
  ceiling is negative): met; the ratio target ÷ actual has no meaning, so achievement is the cap
  (100 % by default) rather than a negative or infinite figure.
- **at least** with actual < 0 < target: achievement 0 % (a negative result achieves nothing).
- a target of 0 or below: met or missed by the comparison alone; a ratio against it has no
  meaning, so achievement is 100 % when met and none (a red light) when missed.

Lights: met → 綠燈; missed with achievement ≥ ``yellow_from`` (90 % by default) → 黃燈;
otherwise 紅燈; no value → 白燈 with the reason. Scored achievement is capped at
``achievement_cap`` (100 % by default); the uncapped figure is kept for display.
"""

from __future__ import annotations

from dataclasses import dataclass

from yardstick.metrics.results import KpiValue, round_half_up
from yardstick.plan.model import Direction, Target
from yardstick.plan.rating import Light, RatingScheme


@dataclass(frozen=True)
class Assessment:
    """A KPI's actual value against its target for one ROC year, with achievement and light."""

    kpi: str
    year: int
    target: Target | None
    actual: float | None
    shown: str
    met: bool | None
    achievement: float | None  # uncapped, 1.0 = 100 %
    scored: float | None  # capped by the rating scheme
    light: Light
    reason: str | None = None

    @property
    def rests_on_unreviewed_direction(self) -> bool:
        """The light compares in a direction nobody confirmed (the default, or the name's guess).

        Such a light is shown with a mark and a footnote: 50.5 days against a default "at least"
        is green where a reviewer's "at most" would make it red.
        """
        return self.met is not None and self.target is not None and self.target.direction_unreviewed


def assess_value(
    value: KpiValue | None, target: Target | None, scheme: RatingScheme, kpi: str, year: int
) -> Assessment:
    """The assessment of one value (or of its absence) against a target."""
    if value is None or value.value is None:
        reason = value.reason if value is not None else "no value computed"
        return Assessment(
            kpi, year, target, None, f"—（{reason}）", None, None, None, Light.WHITE, reason
        )
    actual = float(round_half_up(value.value, value.decimals))
    if target is None:
        return Assessment(
            kpi,
            year,
            None,
            actual,
            value.shown(),
            None,
            None,
            None,
            Light.WHITE,
            f"no target for {year}年",
        )
    met = (
        actual >= target.value if target.direction is Direction.AT_LEAST else actual <= target.value
    )
    achievement = achievement_of(actual, target, met, scheme)
    scored = None if achievement is None else _capped(achievement, scheme)
    return Assessment(
        kpi,
        year,
        target,
        actual,
        value.shown(),
        met,
        achievement,
        scored,
        light_of(met, achievement, scheme),
    )


def achievement_of(actual: float, target: Target, met: bool, scheme: RatingScheme) -> float | None:
    """達成度 as a fraction (1.0 = 100 %); see the module docstring for every case."""
    full = scheme.achievement_cap or 1.0
    if target.value <= 0:
        return 1.0 if met else None
    if target.direction is Direction.AT_LEAST:
        return max(actual, 0.0) / target.value
    if actual <= 0:
        return full
    return target.value / actual


def light_of(met: bool, achievement: float | None, scheme: RatingScheme) -> Light:
    if met:
        return Light.GREEN
    # compared at 9 decimals: 23.4 ÷ 26 is 0.9 exactly, not 0.8999999999999999
    if achievement is not None and round(achievement, 9) >= scheme.yellow_from:
        return Light.YELLOW
    return Light.RED


def _capped(achievement: float, scheme: RatingScheme) -> float:
    return (
        achievement if scheme.achievement_cap is None else min(achievement, scheme.achievement_cap)
    )
