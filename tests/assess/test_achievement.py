"""Achievement and lights in every direction, at every boundary."""

from __future__ import annotations

import pytest

from yardstick.assess.achievement import assess_value
from yardstick.metrics.results import KpiValue
from yardstick.plan.model import Direction, DirectionSource, Target
from yardstick.plan.rating import Light, RatingScheme
from yardstick.plan.yamlio import load_plan_text

SCHEME = RatingScheme()


def target(value: float, direction: Direction = Direction.AT_LEAST) -> Target:
    return Target(
        year=109,
        text=f"{value}",
        value=value,
        unit="%",
        direction=direction,
        direction_source=DirectionSource.WORDING,
    )


def value(actual: float | None, decimals: int = 2, reason: str | None = None) -> KpiValue:
    return KpiValue("8-1", 109, "MOJ", actual, "%", decimals, reason=reason)


AT_MOST = Direction.AT_MOST


@pytest.mark.parametrize(
    ("actual", "goal", "light", "achievement"),
    [
        (26.0, target(26), Light.GREEN, 1.0),  # exactly on target
        (25.996, target(26), Light.GREEN, 1.0),  # reported as 26.00%: met
        (25.994, target(26), Light.YELLOW, 25.99 / 26),  # reported as 25.99%: just under
        (23.4, target(26), Light.YELLOW, 0.9),  # exactly 90 %
        (23.39, target(26), Light.RED, 23.39 / 26),  # just under 90 %
        (27.19, target(26), Light.GREEN, 27.19 / 26),  # over-achieved
        (0.0, target(26), Light.RED, 0.0),
        (-3.0, target(26), Light.RED, 0.0),  # negative against a positive floor
        (8.0, target(8, AT_MOST), Light.GREEN, 1.0),  # 8%以下 met by 8 itself
        (7.1, target(8, AT_MOST), Light.GREEN, 8 / 7.1),
        (8.01, target(8, AT_MOST), Light.YELLOW, 8 / 8.01),
        (8.88, target(8, AT_MOST), Light.YELLOW, 8 / 8.88),  # 90.09 %
        (8.89, target(8, AT_MOST), Light.RED, 8 / 8.89),  # 89.99 %
        (9.6, target(8, AT_MOST), Light.RED, 8 / 9.6),
        (0.0, target(8, AT_MOST), Light.GREEN, 1.0),  # at or below any positive ceiling
        (
            -2.5,
            target(8, AT_MOST),
            Light.GREEN,
            1.0,
        ),  # negative overcrowding: met, ratio meaningless
        (-0.15, target(4.7, AT_MOST), Light.GREEN, 1.0),
        (-1.0, target(0, AT_MOST), Light.GREEN, 1.0),  # a target of 0
        (1.0, target(0, AT_MOST), Light.RED, None),
        (0.0, target(0), Light.GREEN, 1.0),
    ],
)
def test_achievement_and_light(
    actual: float, goal: Target, light: Light, achievement: float | None
) -> None:
    result = assess_value(value(actual), goal, SCHEME, "8-1", 109)
    assert result.light is light
    if achievement is None:
        assert result.achievement is None
    else:
        assert result.achievement == pytest.approx(achievement)


def test_scored_achievement_is_capped_and_the_raw_one_kept() -> None:
    result = assess_value(value(27.19), target(26), SCHEME, "8-1", 109)
    assert result.scored == 1.0 and result.achievement == pytest.approx(1.0458, abs=1e-4)
    uncapped = assess_value(
        value(27.19), target(26), RatingScheme(achievement_cap=None), "8-1", 109
    )
    assert uncapped.scored == uncapped.achievement


def test_a_missing_value_is_white_with_its_reason() -> None:
    result = assess_value(
        value(None, reason="division by zero: denominator is 0"), target(26), SCHEME, "8-1", 109
    )
    assert result.light is Light.WHITE and result.reason == "division by zero: denominator is 0"
    assert assess_value(None, target(26), SCHEME, "8-1", 109).reason == "no value computed"


def test_a_value_without_a_target_is_white() -> None:
    result = assess_value(value(20), None, SCHEME, "8-1", 108)
    assert result.light is Light.WHITE and result.reason == "no target for 108年"


def test_a_stricter_scheme_from_yaml_changes_the_light() -> None:
    from tests.conftest import MOJ_PLAN_YAML

    text = MOJ_PLAN_YAML.read_text(encoding="utf-8").replace(
        "yellow_from: 0.9", "yellow_from: 0.95"
    )
    scheme = load_plan_text(text).rating
    assert scheme.yellow_from == 0.95
    assert assess_value(value(24.0), target(26), scheme, "8-1", 109).light is Light.RED  # 92.3 %
    assert assess_value(value(24.0), target(26), SCHEME, "8-1", 109).light is Light.YELLOW


def test_a_bad_scheme_is_refused_naming_the_field() -> None:
    from tests.conftest import MOJ_PLAN_YAML
    from yardstick.plan import PlanFileError

    text = MOJ_PLAN_YAML.read_text(encoding="utf-8").replace("yellow_from: 0.9", "yellow_from: 1.5")
    with pytest.raises(PlanFileError, match="rating.yellow_from"):
        load_plan_text(text)
    with pytest.raises(PlanFileError, match="achievement_cap below 1"):
        load_plan_text(
            MOJ_PLAN_YAML.read_text(encoding="utf-8").replace(
                "achievement_cap: 1\n", "achievement_cap: 0.5\n"
            )
        )
