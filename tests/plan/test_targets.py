import re

import pytest

from yardstick.plan.model import Direction, DirectionSource
from yardstick.plan.targets import (
    LOWER_IS_BETTER_NAMES,
    TargetTextError,
    parse_target_text,
    suggested_by_name,
)

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


@pytest.mark.parametrize("word", LOWER_IS_BETTER_NAMES)
def test_a_name_saying_lower_is_better_suggests_at_most(word: str) -> None:
    parsed = suggested_by_name(parse_target_text("50.5日"), f"檢察官辦案{word}")
    assert (parsed.value, parsed.direction, parsed.direction_source) == (
        50.5,
        AT_MOST,
        DirectionSource.NAME,
    )


@pytest.mark.parametrize(
    ("text", "name", "direction", "source"),
    [
        ("50.5日以上", "檢察官辦案日數", AT_LEAST, DirectionSource.WORDING),  # the wording wins
        ("8%以下", "紓解矯正機關超收擁擠問題", AT_MOST, DirectionSource.WORDING),
        ("26%", "提升執行案件有效結案率", AT_LEAST, DirectionSource.DEFAULT),
    ],
)
def test_the_name_only_speaks_where_the_wording_is_silent(
    text: str, name: str, direction: Direction, source: DirectionSource
) -> None:
    parsed = suggested_by_name(parse_target_text(text), name)
    assert (parsed.direction, parsed.direction_source) == (direction, source)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("9" * 16 + "人", "at most 15 digits, not 16"),
        ("9" * 400 + "人", "at most 15 digits, not 400"),
        ("٤٠٠٠人", "a number (digits 0–9)"),
        ("以下8%以上", "one direction word"),
    ],
)
def test_a_refusal_says_what_a_target_must_be(text: str, reason: str) -> None:
    with pytest.raises(TargetTextError, match=re.escape(reason)):
        parse_target_text(text)
