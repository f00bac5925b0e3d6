"""Every record-based MOJ KPI on a small record set whose value was worked out by hand, on DuckDB
and again on Spark (the same definitions must give the same hand-worked values everywhere)."""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from tests.metrics.conftest import value_of


@pytest.fixture(params=["duckdb", pytest.param("spark", marks=pytest.mark.spark)])
def compute_kpi(
    request: pytest.FixtureRequest, compute_kpi: Callable[..., Any]
) -> Callable[..., Any]:
    """The shared ``compute_kpi``, on each engine in turn."""
    if request.param == "spark":
        request.getfixturevalue("spark_ready")
    return functools.partial(compute_kpi, engine=request.param)


def test_1_1_counts_sentenced_dealers_makers_and_carriers(compute_kpi: Any) -> None:
    def judgment(
        n: int,
        offence: str,
        verdict: str = "有罪",
        sentenced: bool = True,
        judged: date = date(2020, 5, 1),
    ) -> dict[str, Any]:
        return {
            "case_id": f"c{n}",
            "defendant_id": f"d{n}",
            "prosecutors_office": "AEA.TPE",
            "judged_on": judged,
            "offence": offence,
            "drug_schedule": 1,
            "verdict": verdict,
            "sentenced": sentenced,
        }

    rows = [
        judgment(1, "製造"),
        judgment(2, "販賣"),
        judgment(3, "運輸"),  # 3 count
        judgment(4, "販賣", sentenced=False),  # guilty, exempted from punishment: not 科刑
        judgment(5, "販賣", verdict="無罪", sentenced=False),
        judgment(6, "持有"),
        judgment(7, "施用"),
        judgment(8, "轉讓"),  # other offences
        judgment(9, "運輸", judged=date(2020, 12, 31)),  # counts
        judgment(10, "運輸", judged=date(2021, 1, 1)),  # next year
    ]
    assert value_of(compute_kpi("1-1", {"drug_judgments": rows}), 109).value == 4


def test_1_2_sums_net_weight_times_purity(compute_kpi: Any) -> None:
    def seizure(
        n: int, kg: float, purity: float, seized: date = date(2020, 3, 1)
    ) -> dict[str, Any]:
        return {
            "seizure_id": f"s{n}",
            "prosecutors_office": "AEA.TPE",
            "seizing_agency": "調查局",
            "seized_on": seized,
            "drug_name": "安非他命",
            "drug_schedule": 2,
            "net_weight_kg": kg,
            "purity": purity,
        }

    rows = [
        seizure(1, 100, 0.5),
        seizure(2, 20, 1),
        seizure(3, 10.5, 0.2),
        seizure(4, 999, 1, date(2019, 12, 31)),
    ]
    assert value_of(compute_kpi("1-2", {"drug_seizures": rows}), 109).value == pytest.approx(
        50 + 20 + 2.1
    )


def test_1_3_is_cumulative_from_january_97(compute_kpi: Any) -> None:
    def entry(
        n: int, on: date, due: float, collected: float, finalised: date | None = None
    ) -> dict[str, Any]:
        return {
            "entry_id": f"e{n}",
            "case_id": f"c{n}",
            "prosecutors_office": "AEA.TPE",
            "finalised_on": finalised or on,
            "entry_on": on,
            "amount_due": due,
            "amount_collected": collected,
        }

    rows = [
        entry(100 + y, date(y, 6, 1), 100, 0) for y in range(2008, 2021)
    ]  # 100 due each year 97–109
    rows += [
        entry(1, date(2008, 1, 1), 0, 300),  # collected on the first day of the window
        entry(2, date(2007, 12, 31), 1000, 0, date(2007, 12, 31)),  # before the window
        entry(3, date(2018, 3, 1), 0, 50, date(2007, 5, 1)),  # collected, but finalised before 97
        entry(4, date(2019, 12, 31), 0, 200, date(2010, 1, 1)),  # collected 12/31 of 108
        entry(5, date(2020, 1, 1), 0, 100, date(2010, 1, 1)),  # collected 1/1 of 109
    ]
    values = compute_kpi("1-3", {"confiscation_ledger": rows}, years="107-109")
    assert value_of(values, 107).value == pytest.approx(300 / 1100 * 100)  # 97–107: 11 years due
    assert value_of(values, 108).value == pytest.approx(500 / 1200 * 100)
    assert value_of(values, 109).value == pytest.approx(600 / 1300 * 100)
    assert value_of(values, 109).inputs == {"numerator": 600.0, "denominator": 1300.0}


def test_1_3_names_the_years_of_the_window_without_ledger_records(compute_kpi: Any) -> None:
    rows = [
        {
            "entry_id": f"e{y}",
            "case_id": f"c{y}",
            "prosecutors_office": "AEA.TPE",
            "finalised_on": date(y, 6, 1),
            "entry_on": date(y, 6, 1),
            "amount_due": 100,
            "amount_collected": 60,
        }
        for y in range(2008, 2021)
        if y not in (2011, 2012)  # the ledger has nothing for 100年 and 101年
    ]
    value = value_of(compute_kpi("1-3", {"confiscation_ledger": rows}, years="109"), 109)
    assert value.value is None
    assert value.reason == (
        "no records for 100年, 101年 of the window 97年1月–109年12月 (numerator, denominator)"
    )


def _assistance(
    n: int, channel: str, matter: str = "刑事", handled: date | None = date(2020, 4, 1)
) -> dict[str, Any]:
    return {
        "request_id": f"r{n}",
        "handling_unit": "IB",
        "channel": channel,
        "counterpart": "X",
        "matter": matter,
        "direction": "請求" if n % 2 else "受請求",
        "assistance_type": "調查取證",
        "received_on": date(2020, 1, 1),
        "handled_on": handled,
    }


def test_2_1_and_2_2_count_foreign_and_cross_strait_cases(compute_kpi: Any) -> None:
    rows = [
        _assistance(1, "外國"),
        _assistance(2, "外國", "民事"),
        _assistance(3, "兩岸"),
        _assistance(4, "兩岸", "民事"),
        _assistance(5, "兩岸"),
        _assistance(6, "外國", handled=None),
        _assistance(7, "外國", handled=date(2021, 1, 1)),
    ]
    assert value_of(compute_kpi("2-1", {"legal_assistance_cases": rows}), 109).value == 2
    assert value_of(compute_kpi("2-2", {"legal_assistance_cases": rows}), 109).value == 3


def test_3_2_divides_indicted_deferred_and_discretionary_by_all_closed(compute_kpi: Any) -> None:
    outcomes = ["起訴", "起訴", "緩起訴", "職權不起訴", "不起訴", "簽結", "其他", "起訴"]
    rows = [
        {
            "case_id": f"c{n}",
            "person_id": f"p{n}",
            "prosecutors_office": "AEA.TPE",
            "referred_on": date(2019, 1, 1),
            "closed_on": date(2020, 6, 1) if n < 7 else date(2021, 1, 2),
            "disposition": d,
        }
        for n, d in enumerate(outcomes)
    ]
    value = value_of(compute_kpi("3-2", {"corruption_investigations": rows}), 109)
    assert value.inputs == {"numerator": 4.0, "denominator": 7.0}
    assert value.value == pytest.approx(400 / 7)


def test_3_3_excludes_dismissals_and_cases_before_the_action_plan(compute_kpi: Any) -> None:
    def judgment(
        n: int, outcome: str, offence: str | None, indicted: date = date(2015, 1, 1)
    ) -> dict[str, Any]:
        return {
            "case_id": f"c{n}",
            "defendant_id": f"d{n}",
            "prosecutors_office": "AEA.TPE",
            "indicted_on": indicted,
            "finalised_on": date(2020, 9, 1),
            "outcome": outcome,
            "convicted_offence": offence,
        }

    rows = [
        judgment(1, "有罪", "圖利罪"),
        judgment(2, "有罪", "非圖利罪"),
        judgment(3, "有罪", "非貪瀆罪"),
        judgment(4, "無罪", None),
        judgment(5, "不受理", None),
        judgment(6, "其他", None),
        judgment(7, "有罪", "圖利罪", indicted=date(2009, 7, 8)),  # on the day: counts
        judgment(8, "無罪", None, indicted=date(2009, 7, 7)),  # the day before: not
    ]
    value = value_of(compute_kpi("3-3", {"corruption_judgments": rows}), 109)
    assert value.inputs == {"numerator": 4.0, "denominator": 5.0}
    assert value.value == pytest.approx(80.0)


def test_5_1_uses_the_year_end_head_count(compute_kpi: Any) -> None:
    def count(facility: str, on: date, inmates: int, capacity: int) -> dict[str, Any]:
        return {
            "facility": facility,
            "counted_on": on,
            "inmates": inmates,
            "approved_capacity": capacity,
        }

    rows = [
        count("AEA.TPE", date(2020, 6, 30), 2000, 1000),  # mid-year: not used
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 12, 31), 900, 1000),
        count("IB", date(2020, 12, 31), 600, 500),
    ]
    values = compute_kpi("5-1", {"prison_population": rows})
    assert value_of(values, 109).value == pytest.approx((2600 - 2500) / 2500 * 100)
    assert value_of(values, 109, "AEA").value == pytest.approx(0.0)
    assert value_of(values, 109, "AEA.KHH").value == pytest.approx(-10.0)


def test_5_1_matches_the_published_106_figure(compute_kpi: Any) -> None:
    rows = [
        {
            "facility": "AEA.TPE",
            "counted_on": date(2017, 12, 31),
            "inmates": 62_315,
            "approved_capacity": 56_877,
        }
    ]
    assert (
        round(value_of(compute_kpi("5-1", {"prison_population": rows}, years="106"), 106).value, 1)
        == 9.6
    )


def test_5_2_places_openings_and_referrals_by_their_own_dates(compute_kpi: Any) -> None:
    def referral(n: int, referred: date, opened: date | None) -> dict[str, Any]:
        return {
            "referral_id": f"r{n}",
            "person_id": f"p{n}",
            "facility": "AEA.TPE",
            "released_on": referred,
            "referred_on": referred,
            "service_point": "臺北",
            "case_opened": opened is not None,
            "case_opened_on": opened,
        }

    rows = [
        referral(1, date(2020, 2, 1), date(2020, 2, 10)),
        referral(2, date(2020, 3, 1), None),
        referral(3, date(2020, 12, 20), date(2021, 1, 5)),  # opened next year
        referral(4, date(2019, 12, 20), date(2020, 1, 3)),  # referred last year, opened this year
    ]
    value = value_of(compute_kpi("5-2", {"employment_referrals": rows}), 109)
    assert value.inputs == {"numerator": 2.0, "denominator": 3.0}


def test_9_1_adds_every_budget_kind(compute_kpi: Any) -> None:
    def line(
        n: int,
        unit: str,
        budget: tuple[float, float, float],
        spent: tuple[float, float, float],
        stated: date = date(2020, 12, 31),
    ) -> dict[str, Any]:
        return {
            "org_unit": unit,
            "fiscal_year": 109,
            "stated_on": stated,
            "budget_line": f"L{n}",
            "original_budget": budget[0],
            "supplementary_budget": budget[1],
            "carried_over_budget": budget[2],
            "actual_expenditure": spent[0],
            "payables": spent[1],
            "savings": spent[2],
        }

    rows = [
        line(1, "AEA.TPE", (800, 100, 100), (700, 100, 50)),
        line(2, "IB", (1000, 0, 0), (900, 0, 0)),
        line(3, "IB", (500, 0, 0), (0, 0, 0), stated=date(2021, 3, 1)),
    ]  # 109 figures stated in 110: not 109's
    value = value_of(compute_kpi("9-1", {"capital_budget_execution": rows}), 109)
    assert value.inputs == {"executed": 1750.0, "budget": 2000.0}
    assert value.value == pytest.approx(87.5)


def test_9_2_over_the_ceiling_is_positive_and_within_it_negative(compute_kpi: Any) -> None:
    rows = [
        {
            "org_unit": "AEA.TPE",
            "fiscal_year": 110,
            "submitted_on": date(2020, 3, 1),
            "estimate_amount": 1047,
            "ceiling_amount": 1000,
        },
        {
            "org_unit": "IB",
            "fiscal_year": 110,
            "submitted_on": date(2020, 3, 1),
            "estimate_amount": 950,
            "ceiling_amount": 1000,
        },
    ]
    values = compute_kpi("9-2", {"expenditure_estimates": rows})
    assert value_of(values, 109).value == pytest.approx(-0.15)
    assert value_of(values, 109, "AEA.TPE").value == pytest.approx(4.7)
    assert value_of(values, 109, "IB").value == pytest.approx(-5.0)
