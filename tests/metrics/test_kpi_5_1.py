"""KPI 5-1 超收率 on hand-worked head-counts: each facility's own last count in December (or in
the month, in-year), and a value that is incomplete — never a partial sum — when a facility that
counted during the year has no December count."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.metrics.conftest import DUCKDB_TYPES, PLAN_DIR, UNIT_PATHS, value_of, write_parquet
from yardstick.assess.plan_year import assess_plan
from yardstick.calendar import YearRange
from yardstick.datasets.contract import Contract, load_contract
from yardstick.metrics.catalog import load_definition, shape_of
from yardstick.metrics.definition import FormulaDefinition
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.postgres import PostgresEngine
from yardstick.metrics.monthly import MonthlyValue, compute_monthly
from yardstick.metrics.run import MetricInputs, compute_values
from yardstick.plan.rating import Light
from yardstick.plan.yamlio import load_plan
from yardstick.reports.narrative import narrative


def count(facility: str, on: date, inmates: int, capacity: int) -> dict[str, Any]:
    return {
        "facility": facility,
        "counted_on": on,
        "inmates": inmates,
        "approved_capacity": capacity,
    }


def rate(inmates: int, capacity: int) -> float:
    return (inmates - capacity) / capacity * 100


def test_each_facility_gives_its_own_last_december_count(compute_kpi: Any) -> None:
    rows = [
        count("AEA.TPE", date(2020, 6, 30), 2000, 1000),  # mid-year: not used
        count("AEA.TPE", date(2020, 12, 30), 5000, 1000),  # not its last December count
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 11, 30), 3000, 1000),  # November: not used
        count("AEA.KHH", date(2020, 12, 30), 950, 1000),  # its last count, a day before the others
        count("IB", date(2020, 12, 31), 600, 500),  # first count of the year in December
        count("IB", date(2021, 1, 1), 9000, 500),  # next year
    ]
    values = compute_kpi("5-1", {"prison_population": rows})
    ministry = value_of(values, 109)
    assert ministry.inputs == {"inmates": 2650.0, "capacity": 2500.0}
    assert ministry.value == pytest.approx(rate(2650, 2500))  # 6.0 %
    assert value_of(values, 109, "AEA").value == pytest.approx(rate(2050, 2000))
    assert value_of(values, 109, "AEA.KHH").value == pytest.approx(-5.0)
    assert value_of(values, 109, "AEA.TPE").value == pytest.approx(10.0)
    assert value_of(values, 109, "IB").value == pytest.approx(20.0)


def test_a_facility_without_a_december_count_makes_it_and_its_parents_incomplete(
    compute_kpi: Any,
) -> None:
    rows = [
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 11, 30), 900, 1000),  # none in December
        count("IB", date(2020, 12, 31), 600, 500),
    ]
    values = compute_kpi("5-1", {"prison_population": rows})
    reason = "incomplete: AEA.KHH has no count in 109年12月 (inmates, capacity)"
    for unit in ("AEA.KHH", "AEA", "MOJ"):
        value = value_of(values, 109, unit)
        assert (value.value, value.reason) == (None, reason), unit
    assert value_of(values, 109, "AEA.TPE").value == pytest.approx(10.0)
    assert value_of(values, 109, "IB").value == pytest.approx(20.0)


def test_the_reason_names_every_facility_missing_below_each_unit(compute_kpi: Any) -> None:
    rows = [
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 3, 31), 900, 1000),
        count("IB", date(2020, 12, 1), 600, 500),  # counted in December, not on its last day
        count("IB", date(2020, 1, 31), 600, 500),
    ]
    values = compute_kpi("5-1", {"prison_population": rows}, years="108-109")
    assert value_of(values, 109).reason == (
        "incomplete: AEA.KHH has no count in 109年12月 (inmates, capacity)"
    )
    assert value_of(values, 109, "IB").value == pytest.approx(20.0)
    rows.append(count("IB", date(2019, 5, 31), 600, 500))  # 108: IB counted, never in December
    rows.append(count("AEA.TPE", date(2019, 12, 31), 1000, 1000))
    values = compute_kpi("5-1", {"prison_population": rows}, years="108-109")
    assert value_of(values, 108).reason == (
        "incomplete: IB has no count in 108年12月 (inmates, capacity)"
    )
    assert value_of(values, 108, "AEA").value == pytest.approx(0.0)


def test_two_facilities_missing_december_are_both_named_at_the_ministry(
    compute_kpi: Any,
) -> None:
    rows = [
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 10, 31), 900, 1000),
        count("IB", date(2020, 11, 30), 600, 500),
    ]
    values = compute_kpi("5-1", {"prison_population": rows})
    assert value_of(values, 109).reason == (
        "incomplete: AEA.KHH, IB have no count in 109年12月 (inmates, capacity)"
    )
    assert value_of(values, 109, "AEA").reason == (
        "incomplete: AEA.KHH has no count in 109年12月 (inmates, capacity)"
    )
    assert value_of(values, 109, "IB").reason == (
        "incomplete: IB has no count in 109年12月 (inmates, capacity)"
    )


def test_a_facility_that_stopped_counting_in_an_earlier_year_leaves_the_year_complete(
    compute_kpi: Any,
) -> None:
    rows = [
        count("AEA.KHH", date(2019, 12, 31), 900, 1000),  # closed at the end of 108
        count("AEA.TPE", date(2019, 12, 31), 1100, 1000),
        count("AEA.TPE", date(2020, 12, 31), 1200, 1000),
    ]
    values = compute_kpi("5-1", {"prison_population": rows}, years="108-109")
    assert value_of(values, 109).value == pytest.approx(20.0)
    assert value_of(values, 108).value == pytest.approx(0.0)


def test_an_incomplete_year_end_is_a_white_light_whose_reason_the_report_states(
    compute_kpi: Any,
) -> None:
    rows = [
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 11, 30), 900, 1000),
    ]
    values = compute_kpi("5-1", {"prison_population": rows})
    assessed = assess_plan(load_plan(PLAN_DIR / "plan.yaml"), values, 109, "MOJ")
    [item] = [k for k in assessed.kpis if k.kpi.code == "5-1"]
    assert item.assessment.light is Light.WHITE
    assert item.assessment.reason is not None and "AEA.KHH" in item.assessment.reason
    assert "incomplete: AEA.KHH has no count in 109年12月" in narrative(item, 109)
    assert [v.shown() for v in item.by_unit if v.org_unit == "AEA"] == [
        "cannot compute: incomplete: AEA.KHH has no count in 109年12月 (inmates, capacity)"
    ]


def _inputs(tmp_path: Path, rows: list[dict[str, Any]]) -> MetricInputs:
    contract = load_contract(PLAN_DIR / "datasets" / "prison_population.yaml")
    assert isinstance(contract, Contract)
    columns = {c.name: DUCKDB_TYPES[c.type.value] for c in contract.columns}
    batch = write_parquet(
        tmp_path / "prison_population.parquet",
        columns,
        [tuple(row[column] for column in columns) for row in rows],
    )
    return MetricInputs(
        {"prison_population": shape_of(contract)},
        {"prison_population": [batch]},
        UNIT_PATHS,
        "MOJ",
    )


def _definition() -> FormulaDefinition:
    definition = load_definition(PLAN_DIR / "metrics" / "5-1.yaml")
    assert isinstance(definition, FormulaDefinition)
    return definition


def _monthly(tmp_path: Path, rows: list[dict[str, Any]]) -> dict[tuple[int, int], MonthlyValue]:
    values = compute_monthly(
        [_definition()],
        _inputs(tmp_path, rows),
        YearRange(109, 109),
        lambda i: DuckDBEngine(i.batches, i.unit_paths),
    )
    return {(v.year, v.month): v for v in values}


def test_in_year_each_facility_gives_its_own_last_count_of_the_month(tmp_path: Path) -> None:
    rows = [
        count("AEA.TPE", date(2020, 1, 31), 1050, 1000),
        count("AEA.KHH", date(2020, 1, 30), 980, 1000),
        count("AEA.TPE", date(2020, 2, 28), 9999, 1000),  # not TPE's last count of February
        count("AEA.TPE", date(2020, 2, 29), 1100, 1000),
        count("AEA.KHH", date(2020, 2, 27), 950, 1000),  # KHH's last, two days before TPE's
        count("IB", date(2020, 2, 29), 600, 500),  # IB starts counting in February
    ]
    monthly = _monthly(tmp_path, rows)
    assert monthly[(109, 1)].inputs == {"inmates": 2030.0, "capacity": 2000.0}
    assert monthly[(109, 1)].value == pytest.approx(1.5)
    assert monthly[(109, 2)].inputs == {"inmates": 2650.0, "capacity": 2500.0}
    assert monthly[(109, 2)].value == pytest.approx(6.0)


def test_in_year_a_facility_missing_from_a_month_makes_that_month_incomplete(
    tmp_path: Path,
) -> None:
    rows = [
        count("AEA.TPE", date(2020, 1, 31), 1050, 1000),
        count("AEA.KHH", date(2020, 1, 31), 980, 1000),
        count("AEA.TPE", date(2020, 2, 29), 1100, 1000),  # KHH did not count in February
        count("AEA.TPE", date(2020, 3, 31), 1000, 1000),
        count("AEA.KHH", date(2020, 3, 31), 1000, 1000),
    ]
    monthly = _monthly(tmp_path, rows)
    assert monthly[(109, 2)].value is None
    assert monthly[(109, 2)].reason == (
        "incomplete: AEA.KHH has no count in 109年2月 (inmates, capacity)"
    )
    assert monthly[(109, 3)].value == pytest.approx(0.0)
    assert monthly[(109, 4)].reason == (  # nobody counted in April: not last month's figure
        "incomplete: AEA.KHH, AEA.TPE have no count in 109年4月 (inmates, capacity)"
    )


def test_in_year_december_agrees_with_the_year_end_value(tmp_path: Path, compute_kpi: Any) -> None:
    rows = [
        count("AEA.TPE", date(2020, 11, 30), 1000, 1000),
        count("AEA.KHH", date(2020, 11, 30), 1000, 1000),
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 12, 30), 950, 1000),
    ]
    december = _monthly(tmp_path, rows)[(109, 12)]
    yearly = value_of(compute_kpi("5-1", {"prison_population": rows}), 109)
    assert december.value == pytest.approx(yearly.value) == pytest.approx(2.5)


@pytest.mark.postgres
def test_postgresql_finds_the_same_year_end_counts_and_gaps(
    tmp_path: Path, postgres_dsn: str
) -> None:
    rows = [
        count("AEA.TPE", date(2020, 12, 31), 1100, 1000),
        count("AEA.KHH", date(2020, 12, 30), 950, 1000),
        count("IB", date(2020, 11, 30), 600, 500),  # none in December
        count("AEA.TPE", date(2019, 12, 31), 1000, 1000),
        count("AEA.KHH", date(2019, 12, 30), 1000, 1000),
    ]
    inputs = _inputs(tmp_path, rows)

    def on(engine: Any) -> list[tuple[int, str, float | None, str | None]]:
        values = compute_values([_definition()], inputs, YearRange(108, 109), engine)
        return sorted((v.year, v.org_unit, v.value, v.reason) for v in values)

    on_duckdb = on(lambda i: DuckDBEngine(i.batches, i.unit_paths))
    on_postgres = on(lambda i: PostgresEngine(i.batches, i.unit_paths))
    assert on_duckdb == on_postgres
    assert (109, "MOJ", None, "incomplete: IB has no count in 109年12月 (inmates, capacity)") in (
        on_postgres
    )
    assert (109, "AEA", pytest.approx(2.5), None) in on_postgres
