"""Trends and in-year projection on small hand-worked series."""

from __future__ import annotations

import pytest

from yardstick.assess.projection import early_warnings, project
from yardstick.assess.trend import trend_of
from yardstick.plan.model import Direction, DirectionSource, Target
from yardstick.plan.rating import Light, RatingScheme


def target(value: float, direction: Direction = Direction.AT_LEAST) -> Target:
    return Target(
        year=109,
        text=str(value),
        value=value,
        unit="%",
        direction=direction,
        direction_source=DirectionSource.WORDING,
    )


def test_a_percentage_changes_in_points_and_its_line_reaches_the_target() -> None:
    trend = trend_of("8-1", "%", {106: 24.0, 107: 25.0, 108: 26.0}, 108, target(26.5))
    assert trend.change == pytest.approx(1.0) and trend.change_text == "上升1.00個百分點"
    assert trend.slope == pytest.approx(1.0)
    assert trend.projected == pytest.approx(27.0) and trend.will_reach is True


def test_a_count_changes_relatively_and_a_falling_line_misses() -> None:
    trend = trend_of(
        "2-2", "件", {106: 9820.0, 107: 9510.0, 108: 9120.0, 109: None}, 108, target(9300)
    )
    assert trend.change == pytest.approx((9120 - 9510) / 9510 * 100)
    assert trend.change_text == "下降4.1%"
    assert trend.will_reach is False


def test_a_lower_is_better_line() -> None:
    trend = trend_of("5-1", "%", {106: 9.6, 107: 8.9, 108: 8.2}, 108, target(8, Direction.AT_MOST))
    assert trend.projected == pytest.approx(7.5) and trend.will_reach is True
    assert trend.change_text == "下降0.70個百分點"


def test_one_year_gives_no_line() -> None:
    trend = trend_of("8-1", "%", {109: 27.0}, 109, target(26))
    assert trend.change is None and trend.slope is None and trend.will_reach is None


SCHEME = RatingScheme()


def test_seasonal_ratio_from_earlier_years() -> None:
    # a count: in 107 and 108, September held 75 % and 80 % of the year
    series = {
        (107, 9): 3000.0,
        (107, 12): 4000.0,
        (108, 9): 3200.0,
        (108, 12): 4000.0,
        (109, 9): 3300.0,
    }
    result = project("1-1", series, 109, 9, True, target(4000), SCHEME)
    ratios = [4000 / 3000, 4000 / 3200]
    assert result.projected == pytest.approx(3300 * sum(ratios) / 2)
    assert (result.low, result.high) == (
        pytest.approx(3300 * min(ratios)),
        pytest.approx(3300 * max(ratios)),
    )
    assert result.method == "seasonal ratio from 2 earlier year(s)"
    assert result.light is Light.GREEN


def test_without_history_counts_grow_linearly_and_rates_stay() -> None:
    count = project("1-1", {(109, 6): 1800.0}, 109, 6, True, target(4000), SCHEME)
    assert (
        count.projected == 3600
        and count.method == "linear on cumulative counts"
        and count.light is Light.YELLOW
    )
    rate = project("5-1", {(109, 6): 9.5}, 109, 6, False, target(8, Direction.AT_MOST), SCHEME)
    assert rate.projected == 9.5 and rate.light is Light.RED and rate.low is None


def test_no_records_yet_is_white() -> None:
    result = project("1-1", {}, 109, 3, True, target(4000), SCHEME)
    assert result.light is Light.WHITE and result.reason == "no records up to 109年3月"


def test_early_warnings_list_red_before_yellow() -> None:
    red = project("5-1", {(109, 6): 9.5}, 109, 6, False, target(8, Direction.AT_MOST), SCHEME)
    yellow = project("1-1", {(109, 6): 1800.0}, 109, 6, True, target(4000), SCHEME)
    green = project("8-1", {(109, 6): 30.0}, 109, 6, False, target(26), SCHEME)
    assert [p.kpi for p in early_warnings([green, yellow, red])] == ["5-1", "1-1"]
