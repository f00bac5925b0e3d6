"""Values as users see them: rounded half up, for any finite value."""

from __future__ import annotations

import pytest

from yardstick.metrics.results import KpiValue, round_half_up


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (86.25, 1, "86.3"),
        (1e300, 2, "1" + "0" * 300 + ".00"),
        (-1.7976931348623157e308, 6, "-17976931348623157" + "0" * 292 + ".000000"),
        (5e-324, 6, "0.000000"),
    ],
)
def test_any_finite_value_rounds_half_up(value: float, decimals: int, shown: str) -> None:
    assert str(round_half_up(value, decimals)) == shown


def test_a_huge_value_is_shown_not_an_invalid_operation() -> None:
    value = KpiValue("5-1", 109, "MOJ", 1e300, "%", 1)
    assert value.shown().startswith("1,000,000,000,") and value.shown().endswith(".0%")
