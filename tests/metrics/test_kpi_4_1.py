"""KPI 4-1 檢察官辦案日數 on hand-worked cases."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.metrics.conftest import value_of


def case(
    received: date, closed: date | None, word: str = "偵", office: str = "AEA.TPE"
) -> dict[str, Any]:
    return {
        "case_id": f"{received}-{closed}-{word}-{office}",
        "prosecutors_office": office,
        "case_word": word,
        "received_on": received,
        "closed_on": closed,
        "disposition": "起訴" if closed else None,
    }


def test_mean_days_over_偵_cases_closed_in_the_year(compute_kpi: Any) -> None:
    cases = [
        case(date(2020, 1, 1), date(2020, 1, 1)),  # 0 days
        case(date(2019, 12, 1), date(2020, 1, 30)),  # 60 days
        case(date(2020, 3, 1), date(2020, 12, 31), office="AEA.KHH"),  # 305 days, closed 12/31
        case(date(2020, 3, 1), date(2021, 1, 1)),  # closed next year
        case(date(2020, 3, 1), date(2020, 4, 1), word="他"),  # not a 偵 case
        case(date(2020, 3, 1), None),  # open
    ]
    values = compute_kpi("4-1", {"prosecution_cases": cases})
    assert value_of(values, 109).value == pytest.approx((0 + 60 + 305) / 3)
    assert value_of(values, 109).shown() == "121.7日"
    assert value_of(values, 109, "AEA.TPE").value == pytest.approx(30.0)
    assert value_of(values, 109, "AEA.KHH").value == pytest.approx(305.0)


def test_a_year_with_no_closed_偵_cases_cannot_be_computed(compute_kpi: Any) -> None:
    values = compute_kpi(
        "4-1", {"prosecution_cases": [case(date(2020, 3, 1), date(2020, 4, 1), word="他")]}
    )
    ministry = value_of(values, 109)
    assert ministry.value is None and "no records" in (ministry.reason or "")
