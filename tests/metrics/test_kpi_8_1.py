"""KPI 8-1 有效結案率 on hand-worked cases, with records on every boundary of the amount bands."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.metrics.conftest import value_of


def case(
    referred: float,
    paid: float,
    closure: str | None,
    closed: date | None = date(2020, 6, 30),
    branch: str = "AEA.TPE",
) -> dict[str, Any]:
    return {
        "case_id": f"{referred}-{paid}-{closure}-{closed}-{branch}",
        "branch": branch,
        "obligation_type": "稅款",
        "received_on": date(2019, 1, 2),
        "closed_on": closed,
        "referred_amount": referred,
        "paid_amount": paid,
        "closure": closure,
    }


@pytest.mark.parametrize(
    ("referred", "paid", "effective"),
    [
        (199_999, 100_000, True),  # 普案: 100,000 > 0.5 × 199,999
        (199_998, 99_999, False),  # 普案: exactly 0.5 × → not strictly greater
        (100_000, 50_000.01, True),
        (200_000, 100_001, False),  # exactly 20萬 is 專案: needs > 120,000
        (200_000, 120_000, False),  # 專案: exactly 0.6 ×
        (200_000, 120_000.01, True),
        (999_999, 600_000, True),  # 專案: 600,000 > 599,999.4
        (1_000_000, 700_000, False),  # exactly 100萬 is 特專案: needs > 750,000
        (1_000_000, 750_000, False),  # 特專案: exactly 0.75 ×
        (1_000_000, 750_000.01, True),
        (5_000_000, 3_750_001, True),
    ],
)
def test_a_partly_paid_case_is_effective_only_above_its_bands_share(
    compute_kpi: Any, referred: float, paid: float, effective: bool
) -> None:
    values = compute_kpi("8-1", {"enforcement_cases": [case(referred, paid, "部分繳清")]})
    assert value_of(values, 109).value == (100.0 if effective else 0.0)


def test_a_hand_worked_year(compute_kpi: Any) -> None:
    cases = [
        case(50_000, 50_000, "完全繳清"),  # effective
        case(3_000_000, 3_000_000, "完全繳清", branch="AEA.KHH"),  # effective
        case(150_000, 80_000, "部分繳清"),  # effective (> 75,000)
        case(150_000, 75_000, "部分繳清"),  # not (= 0.5 ×)
        case(500_000, 300_000, "部分繳清", branch="AEA.KHH"),  # not (= 0.6 ×)
        case(80_000, 0, "發憑證"),  # not
        case(80_000, 0, "撤回"),  # not
        case(80_000, 0, "退回", branch="AEA.KHH"),  # not
        case(
            80_000, 40_000.01, "部分繳清", closed=date(2020, 12, 31)
        ),  # effective, closed on 12/31
        case(80_000, 80_000, "完全繳清", closed=date(2021, 1, 1)),  # next year: not counted
        case(80_000, 80_000, "完全繳清", closed=date(2019, 12, 31)),  # last year: not counted
        case(80_000, 10_000, None, closed=None),  # open: not counted
    ]
    values = compute_kpi("8-1", {"enforcement_cases": cases})
    ministry = value_of(values, 109)
    assert ministry.inputs == {"numerator": 4.0, "denominator": 9.0}
    assert ministry.value == pytest.approx(400 / 9)
    assert ministry.shown() == "44.44%"
    assert value_of(values, 109, "AEA.TPE").value == pytest.approx(300 / 6)
    assert value_of(values, 109, "AEA.KHH").value == pytest.approx(100 / 3)
    assert value_of(values, 109, "AEA").value == ministry.value
