"""KPI 8-1 有效結案率 on hand-worked cases, with records on every boundary of the amount bands."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.metrics.conftest import value_of
from yardstick.calendar import YearRange
from yardstick.datasets.contract import Contract
from yardstick.datasets.ingest import ingest_file
from yardstick.metrics.project import Project

# (referred, paid, effective): every band boundary, at and just above each share
BAND_BOUNDARIES = [
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
]


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


@pytest.mark.parametrize(("referred", "paid", "effective"), BAND_BOUNDARIES)
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


@pytest.mark.parametrize("closure", ["發憑證", "撤回", "退回"])
@pytest.mark.parametrize(("referred", "paid", "effective"), BAND_BOUNDARIES)
def test_a_case_partly_paid_then_closed_otherwise_is_effective_by_its_amounts(
    compute_kpi: Any, closure: str, referred: float, paid: float, effective: bool
) -> None:
    """部分繳清（部分發憑證、撤回或退回）: recorded by the closure that ended it, with the amount paid."""
    values = compute_kpi("8-1", {"enforcement_cases": [case(referred, paid, closure)]})
    assert value_of(values, 109).inputs == {"numerator": float(effective), "denominator": 1.0}


@pytest.mark.parametrize("closure", ["發憑證", "撤回", "退回", "其他"])
def test_a_case_closed_otherwise_with_nothing_or_little_paid_is_closed_but_not_effective(
    compute_kpi: Any, closure: str
) -> None:
    cases = [case(80_000, 0, closure), case(80_000, 40_000, closure)]
    values = compute_kpi("8-1", {"enforcement_cases": cases})
    assert value_of(values, 109).inputs == {"numerator": 0.0, "denominator": 2.0}


def test_a_case_closed_as_other_is_not_effective_whatever_was_paid(compute_kpi: Any) -> None:
    values = compute_kpi("8-1", {"enforcement_cases": [case(80_000, 79_000, "其他")]})
    assert value_of(values, 109).inputs == {"numerator": 0.0, "denominator": 1.0}


EXTRACT = [
    # case_id, referred, paid, closure: the same three facts recorded either way, then a control
    ("P1", "150000", "80000", "部分繳清"),  # 普案 > 0.5×: effective
    ("P2", "150000", "80000", "發憑證"),  # the same case recorded by its final closure
    ("P3", "500000", "300001", "撤回"),  # 專案 > 0.6×: effective
    ("P4", "2000000", "1500001", "退回"),  # 特專案 > 0.75×: effective
    ("P5", "150000", "75000", "發憑證"),  # = 0.5×: closed, not effective
    ("P6", "150000", "0", "撤回"),  # nothing paid: closed, not effective
]


def test_an_extract_recording_partial_payments_by_final_closure_is_kept_and_counted(
    tmp_path: Path,
) -> None:
    path = tmp_path / "extract.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            [
                *("case_id", "branch", "obligation_type", "received_on", "closed_on"),
                *("referred_amount", "paid_amount", "closure"),
            ]
        )
        for case_id, referred, paid, closure in EXTRACT:
            row = [case_id, "MOJ.AEA.TPE", "稅款", "2019-03-01", "2020-05-01"]
            writer.writerow([*row, referred, paid, closure])
    project = Project.from_folder(REPO / "plans" / "moj-106-109", tmp_path / "data")
    contract = project.contracts["enforcement_cases"]
    assert isinstance(contract, Contract)
    result = ingest_file(
        contract, path, org_unit="MOJ.AEA", org_units=project.org_units, data_dir=project.data_dir
    )
    assert (result.rows_accepted, result.rows_quarantined) == (6, 0)
    [ministry] = [
        v for v in project.compute(YearRange(109, 109), kpis=["8-1"]).values if v.org_unit == "MOJ"
    ]
    assert ministry.inputs == {"numerator": 4.0, "denominator": 6.0}
