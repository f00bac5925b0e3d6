"""Every engine gives the same values from the same records."""

from __future__ import annotations

from datetime import date

import pytest

from tests.metrics.conftest import Compute, assert_inputs_agree, cumulative_ratio

CASES = {
    "case_id": "VARCHAR",
    "branch": "VARCHAR",
    "received_on": "DATE",
    "closed_on": "DATE",
    "amount": "DECIMAL(14,2)",
    "paid": "DECIMAL(14,2)",
    "status": "VARCHAR",
}
ROWS = [
    ("1", "AEA.TPE", date(2019, 12, 1), date(2020, 1, 10), 150000, 80000, "部分繳清"),
    ("2", "AEA.TPE", date(2019, 5, 1), date(2020, 12, 31), 200000, 120000.01, "部分繳清"),
    ("3", "AEA.KHH", date(2020, 2, 1), date(2020, 2, 1), 1000000, 1000000, "完全繳清"),
    ("4", "IB", date(2018, 1, 1), date(2019, 6, 30), 5000, 0, "撤回"),
    ("5", "AEA.KHH", date(2016, 1, 1), date(2019, 1, 1), 99999.99, 50000, "部分繳清"),
]
DEFINITIONS = [
    {
        "kind": "ratio",
        "scale": 100,
        "numerator": {
            "dataset": "cases",
            "function": "count",
            "filter": "status = '完全繳清' OR (status = '部分繳清' AND paid > 0.5 * amount AND amount < 200000)",
        },
        "denominator": {"dataset": "cases", "function": "count"},
    },
    {
        "kind": "aggregate",
        "measure": {
            "dataset": "cases",
            "function": "mean",
            "expression": "date_diff('day', received_on, closed_on)",
        },
    },
    cumulative_ratio("108年1月"),
]


OTHER_ENGINES = [
    pytest.param("postgresql", marks=pytest.mark.postgres, id="postgresql"),
    pytest.param("spark", marks=pytest.mark.spark, id="spark"),
]


@pytest.mark.parametrize("other", OTHER_ENGINES)
@pytest.mark.parametrize("shape", DEFINITIONS, ids=["banded-ratio", "mean-days", "cumulative"])
def test_duckdb_and_each_other_engine_agree(
    compute: Compute, request: pytest.FixtureRequest, other: str, shape: dict[str, object]
) -> None:
    request.getfixturevalue("postgres_dsn" if other == "postgresql" else "spark_ready")
    definition = {
        "kpi": "t-1",
        "version": 1,
        "unit": "%",
        "interpretation": {"zh": "測試", "en": "test"},
        **shape,
    }
    datasets = {"cases": (CASES, "closed_on", "branch", ROWS)}
    on_duckdb = compute(definition, datasets, years="108-109", engine="duckdb")
    on_other = compute(definition, datasets, years="108-109", engine=other)
    key = lambda v: (v.year, v.org_unit)  # noqa: E731
    assert [(v.year, v.org_unit, v.reason) for v in sorted(on_duckdb, key=key)] == [
        (v.year, v.org_unit, v.reason) for v in sorted(on_other, key=key)
    ]
    for a, b in zip(sorted(on_duckdb, key=key), sorted(on_other, key=key), strict=True):
        assert_inputs_agree(a, b)
        assert a.value == (None if b.value is None else pytest.approx(b.value, rel=1e-12))
    assert any(v.value is not None for v in on_duckdb)
    # each side ran on its own engine: the comparison is not DuckDB with itself
    assert {v.lineage.engine for v in on_duckdb if v.lineage} == {"duckdb"}
    assert {v.lineage.engine for v in on_other if v.lineage} == {other}


def test_an_engine_message_becomes_one_line_without_server_paths() -> None:
    from yardstick.metrics.engines import engine_reason

    message = (
        'IO Error: No files found that match the pattern "/srv/yardstick/var/data/batches/'
        'x/data.parquet"\n\nLINE 1: SELECT * FROM read_parquet(…)\n        ^'
    )
    assert engine_reason(message) == 'IO Error: No files found that match the pattern "…"'
    assert engine_reason("") == "no reason given"
    assert len(engine_reason("x" * 10_000)) == 240


def test_an_aggregate_that_is_not_a_number_is_a_failed_query() -> None:
    from decimal import Decimal

    from yardstick.metrics.engines import QueryFailed, as_number

    assert as_number("duckdb", Decimal("1.5")) == 1.5 and as_number("duckdb", 2**70) == 2.0**70
    for value in ("外國", True, object()):
        with pytest.raises(QueryFailed, match="not a number"):
            as_number("duckdb", value)


def test_each_engine_turns_its_drivers_errors_into_query_failed() -> None:
    from sqlglot import parse_one

    from yardstick.metrics.engines import QueryFailed
    from yardstick.metrics.engines.duckdb import DuckDBEngine

    engine = DuckDBEngine({}, [("MOJ", "MOJ")])
    with pytest.raises(QueryFailed, match="the duckdb engine failed: Out of Range Error"):
        engine.fetch(parse_one("SELECT 9223372036854775807 + 1", read="duckdb"))
    assert engine.fetch(parse_one("SELECT 1", read="duckdb")) == [(1,)]  # still usable
    engine.close()


@pytest.mark.postgres
def test_the_postgresql_engine_turns_its_errors_into_query_failed(postgres_dsn: str) -> None:
    from sqlglot import parse_one

    from yardstick.metrics.engines import QueryFailed
    from yardstick.metrics.engines.postgres import PostgresEngine

    engine = PostgresEngine({}, [("MOJ", "MOJ")], dsn=postgres_dsn)
    try:
        with pytest.raises(QueryFailed, match="the postgresql engine failed: division by zero"):
            engine.fetch(parse_one("SELECT 1 / 0", read="postgres"))
        assert engine.fetch(parse_one("SELECT 1", read="postgres")) == [(1,)]
    finally:
        engine.close()
