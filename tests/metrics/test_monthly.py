"""Year-to-date values month by month agree with the yearly computation in December."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tests.metrics.conftest import UNIT_PATHS, cumulative_ratio, write_parquet
from yardstick.calendar import YearRange
from yardstick.metrics.compiler import DatasetShape
from yardstick.metrics.definition import definition_from_data
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.monthly import compute_monthly
from yardstick.metrics.run import MetricInputs, compute_values

COLUMNS = {
    "case_id": "VARCHAR",
    "branch": "VARCHAR",
    "received_on": "DATE",
    "closed_on": "DATE",
    "paid": "DOUBLE",
    "amount": "DOUBLE",
}
SHAPE = DatasetShape(
    {
        "case_id": "string",
        "branch": "string",
        "received_on": "date",
        "closed_on": "date",
        "paid": "decimal",
        "amount": "decimal",
    },
    "closed_on",
    "branch",
)
BASE = {"version": 1, "unit": "%", "interpretation": {"zh": "z", "en": "e"}}
RATIO = definition_from_data(
    {
        **BASE,
        "kpi": "1-1",
        "kind": "ratio",
        "scale": 100,
        "numerator": {"dataset": "cases", "function": "count", "filter": "paid >= amount"},
        "denominator": {"dataset": "cases", "function": "count"},
    }
)
MEAN = definition_from_data(
    {
        **BASE,
        "kpi": "1-2",
        "kind": "aggregate",
        "measure": {
            "dataset": "cases",
            "function": "mean",
            "expression": "date_diff('day', received_on, closed_on)",
        },
    }
)
CUMULATIVE = definition_from_data({**BASE, "kpi": "1-3", **cumulative_ratio("108年1月")})


def _engine(inputs: MetricInputs) -> DuckDBEngine:
    return DuckDBEngine(inputs.batches, inputs.unit_paths)


def test_december_year_to_date_is_the_yearly_value_and_months_accumulate(tmp_path: Path) -> None:
    rows = []
    for i in range(200):
        closed = date(2019, 1, 1) + timedelta(days=(i * 3) % 700)
        rows.append((str(i), "AEA.TPE", closed - timedelta(days=i % 90), closed, float(i % 7), 5.0))
    inputs = MetricInputs(
        {"cases": SHAPE},
        {"cases": [write_parquet(tmp_path / "c.parquet", COLUMNS, rows)]},
        UNIT_PATHS,
        "MOJ",
    )
    years = YearRange(108, 109)
    monthly = {
        (v.kpi, v.year, v.month): v
        for v in compute_monthly([RATIO, MEAN, CUMULATIVE], inputs, years, _engine)
    }
    yearly = {
        (v.kpi, v.year): v
        for v in compute_values([RATIO, MEAN, CUMULATIVE], inputs, years, _engine)
        if v.org_unit == "MOJ"
    }
    for kpi in ("1-1", "1-2", "1-3"):
        for year in (108, 109):
            assert monthly[(kpi, year, 12)].value == pytest.approx(yearly[(kpi, year)].value)
    january = [r for r in rows if r[3].year == 2020 and r[3].month == 1]
    assert monthly[("1-1", 109, 1)].inputs == {
        "numerator": float(sum(r[4] >= r[5] for r in january)),
        "denominator": float(len(january)),
    }
    days = [(r[3] - r[2]).days for r in rows if r[3].year == 2019 and r[3].month <= 3]
    assert monthly[("1-2", 108, 3)].value == pytest.approx(sum(days) / len(days))


def test_a_year_without_records_has_no_monthly_values(tmp_path: Path) -> None:
    rows = [("1", "AEA.TPE", date(2020, 1, 1), date(2020, 3, 5), 5.0, 5.0)]
    inputs = MetricInputs(
        {"cases": SHAPE},
        {"cases": [write_parquet(tmp_path / "c.parquet", COLUMNS, rows)]},
        UNIT_PATHS,
        "MOJ",
    )
    values = {
        (v.year, v.month): v for v in compute_monthly([RATIO], inputs, YearRange(108, 109), _engine)
    }
    assert values[(108, 12)].value is None
    assert values[(109, 2)].value is None and "no records up to 109年2月" in (
        values[(109, 2)].reason or ""
    )
    assert values[(109, 3)].value == 100.0 and values[(109, 12)].value == 100.0


def test_a_cumulative_window_missing_a_year_has_no_monthly_values_and_names_it(
    tmp_path: Path,
) -> None:
    rows = [
        ("1", "AEA.TPE", date(2019, 1, 1), date(2019, 3, 5), 5.0, 10.0),  # 108
        ("2", "AEA.TPE", date(2021, 1, 1), date(2021, 3, 5), 5.0, 10.0),  # 110; nothing in 109
    ]
    inputs = MetricInputs(
        {"cases": SHAPE},
        {"cases": [write_parquet(tmp_path / "c.parquet", COLUMNS, rows)]},
        UNIT_PATHS,
        "MOJ",
    )
    values = {
        (v.year, v.month): v
        for v in compute_monthly([CUMULATIVE], inputs, YearRange(108, 110), _engine)
    }
    yearly = {v.year: v for v in compute_values([CUMULATIVE], inputs, YearRange(108, 110), _engine)}
    assert values[(108, 12)].value == pytest.approx(50.0) == yearly[108].value
    assert values[(110, 3)].value is None
    assert values[(110, 3)].reason == (
        "no records for 109年 of the window 108年1月–110年3月 (numerator, denominator)"
    )
    assert values[(110, 12)].value is None and yearly[110].value is None


def test_an_aggregate_the_engine_cannot_compute_fails_only_its_kpi(tmp_path: Path) -> None:
    rows = [("1", "AEA.TPE", date(2020, 1, 1), date(2020, 3, 5), 5.0, 5.0)]
    inputs = MetricInputs(
        {"cases": SHAPE},
        {"cases": [write_parquet(tmp_path / "c.parquet", COLUMNS, rows)]},
        UNIT_PATHS,
        "MOJ",
    )
    overflowing = definition_from_data(
        {
            **BASE,
            "kpi": "1-9",
            "kind": "aggregate",
            "measure": {
                "dataset": "cases",
                "function": "sum",
                "expression": "date_diff('day', received_on, closed_on) * 9223372036854775807",
            },
        }
    )
    values = compute_monthly([RATIO, overflowing], inputs, YearRange(109, 109), _engine)
    assert {(v.kpi, v.month): v.value for v in values if v.month == 12} == {
        ("1-1", 12): 100.0,
        ("1-9", 12): None,
    }
    failed = [v for v in values if v.kpi == "1-9"]
    assert len(failed) == 12
    assert all(
        (v.reason or "").startswith("measure: the duckdb engine failed: Out of Range")
        for v in failed
    )
