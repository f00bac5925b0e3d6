import pytest

from yardstick.plan.model import Direction, DirectionSource
from yardstick.plan.targets import TargetTextError, parse_target_text

AT_LEAST, AT_MOST = Direction.AT_LEAST, Direction.AT_MOST


@pytest.mark.parametrize(
    ("text", "value", "unit", "direction", "source"),
    [
        ("4,000人", 4000, "人", AT_LEAST, DirectionSource.DEFAULT),
        ("8%以下", 8, "%", AT_MOST, DirectionSource.WORDING),
        ("50.5日", 50.5, "日", AT_LEAST, DirectionSource.DEFAULT),
        ("87.11%", 87.11, "%", AT_LEAST, DirectionSource.DEFAULT),
        ("100%", 100, "%", AT_LEAST, DirectionSource.DEFAULT),
        ("4.7%", 4.7, "%", AT_LEAST, DirectionSource.DEFAULT),
        ("24小時以內", 24, "小時", AT_MOST, DirectionSource.WORDING),
        ("不超過2.5%", 2.5, "%", AT_MOST, DirectionSource.WORDING),
        ("96%以上", 96, "%", AT_LEAST, DirectionSource.WORDING),
        ("至少 10 件", 10, "件", AT_LEAST, DirectionSource.WORDING),
        ("８５％", 85, "%", AT_LEAST, DirectionSource.DEFAULT),
        ("１２，０００人次", 12000, "人次", AT_LEAST, DirectionSource.DEFAULT),
        ("-3%以下", -3, "%", AT_MOST, DirectionSource.WORDING),
        ("9,300件", 9300, "件", AT_LEAST, DirectionSource.DEFAULT),
    ],
)
def test_it_reads_value_unit_and_direction(
    text: str, value: float, unit: str, direction: Direction, source: DirectionSource
) -> None:
    parsed = parse_target_text(text)
    assert (parsed.value, parsed.unit, parsed.direction, parsed.direction_source) == (
        value,
        unit,
        direction,
        source,
    )


@pytest.mark.parametrize("text", ["", "很多", "4,00人", "以下8%以上", "8%以下以上", "1,2,3件", "%"])
def test_it_rejects_what_is_not_a_target(text: str) -> None:
    with pytest.raises(TargetTextError):
        parse_target_text(text)
