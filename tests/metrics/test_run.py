"""The runner on hand-worked record sets: ratios, roll-up, cumulative windows, missing data."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from tests.metrics.conftest import Compute, cumulative_ratio, value_of

CASES = {
    "case_id": "VARCHAR",
    "branch": "VARCHAR",
    "closed_on": "DATE",
    "amount": "DOUBLE",
    "paid": "DOUBLE",
}


def _ratio(**overrides: object) -> dict[str, object]:
    definition = {
        "kpi": "t-1",
        "version": 1,
        "kind": "ratio",
        "unit": "%",
        "scale": 100,
        "interpretation": {"zh": "測試", "en": "test"},
        "numerator": {"dataset": "cases", "function": "count", "filter": "paid >= amount"},
        "denominator": {"dataset": "cases", "function": "count"},
    }
    definition.update(overrides)
    return definition


def test_a_ratio_rolls_up_as_a_ratio_of_sums(compute: Compute) -> None:
    rows = [
        ("1", "AEA.TPE", date(2020, 3, 1), 100, 100),  # paid in full
        ("2", "AEA.TPE", date(2020, 3, 1), 100, 0),
        ("3", "AEA.TPE", date(2020, 3, 1), 100, 0),
        ("4", "AEA.TPE", date(2020, 3, 1), 100, 0),
        ("5", "AEA.KHH", date(2020, 6, 1), 100, 150),  # paid in full
        ("6", "IB", date(2020, 6, 1), 50, 50),  # a unit at depth 2
    ]
    values = compute(_ratio(), {"cases": (CASES, "closed_on", "branch", rows)}, years="109")
    assert value_of(values, 109, "AEA.TPE").value == 25.0
    assert value_of(values, 109, "AEA.KHH").value == 100.0
    # AEA: 2 of 5, not the mean of 25% and 100%
    assert value_of(values, 109, "AEA").value == 40.0
    assert value_of(values, 109, "IB").value == 100.0
    ministry = value_of(values, 109, "MOJ")
    assert ministry.value == 50.0
    assert ministry.inputs == {"numerator": 3.0, "denominator": 6.0}
    assert len(values) == 5


def test_a_record_closed_on_31_december_counts_in_that_year_and_1_january_in_the_next(
    compute: Compute,
) -> None:
    rows = [("1", "IB", date(2019, 12, 31), 1, 1), ("2", "IB", date(2020, 1, 1), 1, 0)]
    values = compute(_ratio(), {"cases": (CASES, "closed_on", "branch", rows)}, years="108-109")
    assert value_of(values, 108).value == 100.0
    assert value_of(values, 109).value == 0.0


def test_a_zero_denominator_cannot_be_computed_and_says_why(compute: Compute) -> None:
    definition = _ratio(
        denominator={"dataset": "cases", "function": "count", "filter": "amount > 1000"}
    )
    values = compute(
        definition,
        {"cases": (CASES, "closed_on", "branch", [("1", "IB", date(2020, 1, 5), 1, 1)])},
        years="109",
    )
    ministry = value_of(values, 109)
    assert ministry.value is None
    assert ministry.reason is not None and "division by zero" in ministry.reason


def test_a_year_without_records_cannot_be_computed(compute: Compute) -> None:
    values = compute(
        _ratio(),
        {"cases": (CASES, "closed_on", "branch", [("1", "IB", date(2020, 1, 5), 1, 1)])},
        years="108-109",
    )
    assert value_of(values, 108).value is None
    assert "no records for 108年" in (value_of(values, 108).reason or "")
    assert value_of(values, 109).value == 100.0


def test_no_active_batches_cannot_be_computed(compute: Compute) -> None:
    values = compute(_ratio(), {"cases": (CASES, "closed_on", "branch", None)}, years="109")  # type: ignore[dict-item]
    [only] = values
    assert only.value is None and "no active batches of cases" in (only.reason or "")


def test_a_cumulative_window_runs_from_its_first_month_to_each_year_end(compute: Compute) -> None:
    definition = _ratio(**cumulative_ratio("97年1月"))
    rows = [
        ("0", "IB", date(2007, 12, 31), 1000, 1000),  # before 97年1月: never counted
        ("1", "IB", date(2008, 1, 1), 100, 50),
        ("2", "IB", date(2018, 6, 1), 100, 0),
        ("3", "IB", date(2019, 12, 31), 200, 150),
        ("4", "IB", date(2020, 1, 1), 100, 100),
    ]
    rows += [
        (f"y{y}", "IB", date(y, 7, 1), 0, 0) for y in range(2009, 2018)
    ]  # every year has records
    values = compute(definition, {"cases": (CASES, "closed_on", "branch", rows)}, years="107-109")
    assert value_of(values, 107).value == pytest.approx(50 / 200 * 100)
    assert value_of(values, 108).value == pytest.approx(200 / 400 * 100)
    assert value_of(values, 109).value == pytest.approx(300 / 500 * 100)


def test_a_cumulative_window_with_a_year_of_missing_records_cannot_be_computed(
    compute: Compute,
) -> None:
    definition = _ratio(**cumulative_ratio("108年1月"))
    rows = [("1", "IB", date(2020, 1, 1), 100, 100)]
    values = compute(definition, {"cases": (CASES, "closed_on", "branch", rows)}, years="109")
    assert value_of(values, 109).value is None


def test_a_cumulative_window_names_the_years_that_have_no_records(compute: Compute) -> None:
    definition = _ratio(**cumulative_ratio("97年1月"))
    with_records = [y for y in range(2008, 2021) if y not in (2011, 2012)]  # no 100年, 101年
    rows = [(f"y{y}", "IB", date(y, 7, 1), 100, 50) for y in with_records]
    rows.append(("k", "AEA.KHH", date(2020, 3, 1), 100, 100))  # a unit with 109 only
    values = compute(definition, {"cases": (CASES, "closed_on", "branch", rows)}, years="99-109")
    assert value_of(values, 99).value == pytest.approx(50.0)
    assert value_of(values, 100).reason == (
        "no records for 100年 of the window 97年1月–100年12月 (numerator, denominator)"
    )
    for year in (101, 105, 109):
        value = value_of(values, year)
        assert value.value is None
        assert value.reason == (
            f"no records for 100年, 101年 of the window 97年1月–{year}年12月 (numerator, denominator)"
        )
    assert value_of(values, 99, "AEA.KHH").reason == (
        "no records in the window 97年1月–99年12月 (numerator, denominator)"
    )


def test_a_cumulative_window_missing_one_year_names_it_alone(compute: Compute) -> None:
    definition = _ratio(**cumulative_ratio("107年1月"))
    rows = [(f"y{y}", "IB", date(y, 7, 1), 100, 50) for y in (2018, 2020)]  # 107, 109: no 108
    values = compute(definition, {"cases": (CASES, "closed_on", "branch", rows)}, years="107-109")
    assert value_of(values, 107).value == pytest.approx(50.0)
    assert value_of(values, 109).reason == (
        "no records for 108年 of the window 107年1月–109年12月 (numerator, denominator)"
    )


def test_a_mean_and_a_formula(compute: Compute) -> None:
    definition = {
        "kpi": "t-2",
        "version": 1,
        "kind": "formula",
        "unit": "%",
        "interpretation": {"zh": "測試", "en": "test"},
        "inputs": {
            "paid": {"dataset": "cases", "function": "sum", "expression": "paid"},
            "owed": {"dataset": "cases", "function": "sum", "expression": "amount"},
            "typical": {"dataset": "cases", "function": "mean", "expression": "paid"},
        },
        "expression": "(paid - owed) / owed * 100 + typical - typical",
    }
    rows = [
        ("1", "AEA.TPE", date(2020, 1, 5), 200, 150),
        ("2", "AEA.KHH", date(2020, 1, 5), 200, 190),
        ("3", "AEA.KHH", date(2020, 1, 5), 100, 10),
    ]
    values = compute(definition, {"cases": (CASES, "closed_on", "branch", rows)}, years="109")
    assert value_of(values, 109).value == pytest.approx((350 - 500) / 500 * 100)
    assert value_of(values, 109, "AEA.TPE").value == pytest.approx(-25.0)
    # the mean rolls up from its sum and count, not as a mean of the units' means (150 and 100)
    assert value_of(values, 109).inputs["typical"] == pytest.approx(350 / 3)
    assert value_of(values, 109, "AEA.KHH").inputs["typical"] == pytest.approx(100.0)


def test_lineage_names_the_definition_sql_and_batches(compute: Compute) -> None:
    values = compute(
        _ratio(),
        {"cases": (CASES, "closed_on", "branch", [("1", "IB", date(2020, 1, 5), 1, 1)])},
        years="109",
    )
    lineage = value_of(values, 109).lineage
    assert lineage is not None
    assert lineage.engine == "duckdb" and lineage.definition_version == 1
    assert len(lineage.definition_hash) == 16
    assert "GROUPING SETS" in lineage.sql[0] and "FILTER" in lineage.sql[0]
    assert [b.dataset for b in lineage.batches] == ["cases"]


def test_the_ministry_total_equals_the_value_over_all_records(tmp_path: Any) -> None:
    """Roll-up identity: the root's value through the hierarchy equals a flat computation."""
    from tests.metrics.conftest import UNIT_PATHS, write_parquet
    from yardstick.calendar import YearRange
    from yardstick.metrics.compiler import DatasetShape
    from yardstick.metrics.definition import definition_from_data
    from yardstick.metrics.engines.duckdb import DuckDBEngine
    from yardstick.metrics.run import MetricInputs, compute_values

    rows = [
        (str(i), unit, date(2020, 1 + i % 12, 1), 100 + i, (i * 37) % 150)
        for i, unit in enumerate(["AEA.TPE", "AEA.KHH", "IB", "AEA"] * 25)
    ]
    batch = write_parquet(tmp_path / "cases.parquet", CASES, rows)
    shape = DatasetShape(
        {
            "case_id": "string",
            "branch": "string",
            "closed_on": "date",
            "amount": "decimal",
            "paid": "decimal",
        },
        "closed_on",
        "branch",
    )
    definition = definition_from_data(_ratio())
    flat = [(unit, "MOJ") for unit, *_ in UNIT_PATHS]
    engine = lambda i: DuckDBEngine(i.batches, i.unit_paths)  # noqa: E731
    nested = compute_values(
        [definition],
        MetricInputs({"cases": shape}, {"cases": [batch]}, UNIT_PATHS, "MOJ"),
        YearRange(109, 109),
        engine,
    )  # type: ignore[list-item]
    single = compute_values(
        [definition],
        MetricInputs({"cases": shape}, {"cases": [batch]}, flat, "MOJ"),
        YearRange(109, 109),
        engine,
    )  # type: ignore[list-item]
    assert [v.org_unit for v in single] == ["MOJ"]
    assert value_of(nested, 109).value == single[0].value
    assert (
        value_of(nested, 109).inputs
        == single[0].inputs
        == {"numerator": float(sum(p >= a for _, _, _, a, p in rows)), "denominator": 100.0}
    )


def test_an_aggregate_the_engine_cannot_compute_fails_only_its_kpi(tmp_path: Any) -> None:
    """t-2's numerator overflows on some records; t-1 shares its scan and still computes."""
    from tests.metrics.conftest import UNIT_PATHS, write_parquet
    from yardstick.calendar import YearRange
    from yardstick.metrics.compiler import DatasetShape
    from yardstick.metrics.definition import definition_from_data
    from yardstick.metrics.engines.duckdb import DuckDBEngine
    from yardstick.metrics.run import MetricInputs, compute_values

    columns = {**CASES, "n": "BIGINT"}
    rows = [("1", "IB", date(2020, 1, 5), 1, 1, 1), ("2", "IB", date(2020, 2, 5), 1, 0, 2)]
    shape = DatasetShape({**columns, "n": "integer"}, "closed_on", "branch")
    inputs = MetricInputs(
        {"cases": shape},
        {"cases": [write_parquet(tmp_path / "cases.parquet", columns, rows)]},
        UNIT_PATHS,
        "MOJ",
    )
    overflowing = _ratio(
        kpi="t-2",
        numerator={"dataset": "cases", "function": "sum", "expression": "n * 9223372036854775807"},
    )
    definitions = [definition_from_data(_ratio()), definition_from_data(overflowing)]
    values = compute_values(
        definitions, inputs, YearRange(109, 109), lambda i: DuckDBEngine(i.batches, i.unit_paths)
    )  # type: ignore[arg-type]
    fine = [v for v in values if v.kpi == "t-1"]
    assert value_of(fine, 109).value == 50.0 and value_of(fine, 109, "IB").value == 50.0
    [failed] = [v for v in values if v.kpi == "t-2"]
    assert failed.value is None and failed.org_unit == "MOJ"
    assert failed.reason == (
        "numerator: the duckdb engine failed: Out of Range Error: Overflow in multiplication of "
        "INT64 (2 * 9223372036854775807)!"
    )
