"""The compiler: one scan per dataset, GROUPING SETS, and SQL for every dialect users may need."""

from __future__ import annotations

import duckdb
import psycopg
import pytest
import sqlglot
from sqlglot import exp

from tests.conftest import REPO
from yardstick.datasets.contract import Contract, load_contracts
from yardstick.metrics.catalog import COMPUTED, load_definitions, shape_of
from yardstick.metrics.compiler import compile_scan, grouping_mask, plan_scans, unit_of_row

PLAN_DIR = REPO / "plans" / "moj-106-109"
DEFINITIONS = load_definitions(PLAN_DIR / "metrics")
SHAPES = {
    n: shape_of(c)
    for n, c in load_contracts(PLAN_DIR / "datasets").items()
    if isinstance(c, Contract)
}
TRIPLES = [
    (d.kpi, name, agg)
    for d in DEFINITIONS.values()
    if isinstance(d, COMPUTED)
    for name, agg in d.aggregates().items()
]


def test_all_kpis_need_one_scan_per_dataset_and_period_column() -> None:
    scans = plan_scans(TRIPLES, SHAPES)
    keys = sorted((s.key.dataset, s.key.period_column, s.key.at) for s in scans)
    # 2-1 and 2-2 share one pass over legal_assistance_cases; 5-2's numerator has its own date.
    assert ("legal_assistance_cases", "handled_on", "any") in keys
    assert len([k for k in keys if k[0] == "legal_assistance_cases"]) == 1
    assert ("employment_referrals", "case_opened_on", "any") in keys
    assert ("prison_population", "counted_on", "year_end") in keys
    assert len(scans) == len({a.dataset for _, _, a in TRIPLES}) + 1


@pytest.mark.parametrize(
    "dialect", ["duckdb", "postgres", "spark", "trino", "bigquery", "snowflake"]
)
def test_every_scan_compiles_for_the_dialect(dialect: str) -> None:
    for scan in plan_scans(TRIPLES, SHAPES):
        query = compile_scan(
            scan,
            SHAPES[scan.key.dataset],
            exp.to_table(scan.key.dataset),
            exp.to_table("unit_paths"),
            3,
            (106, 109),
        )
        sql = query.sql(dialect=dialect)
        assert "GROUPING SETS" in sql.upper()
        assert sql.count("SELECT") >= 2


def test_a_cumulative_scan_reaches_back_to_its_first_year() -> None:
    [scan] = [s for s in plan_scans(TRIPLES, SHAPES) if s.key.dataset == "confiscation_ledger"]
    assert scan.first_year_needed == 97
    sql = compile_scan(
        scan, SHAPES["confiscation_ledger"], exp.to_table("t"), exp.to_table("u"), 3, (106, 109)
    ).sql()
    # the records reach back to 97年1月, and each aggregate's window starts there (not either/or)
    assert "source.entry_on >= CAST('2008-01-01' AS DATE)" in sql
    assert "source.entry_on < CAST('2021-01-01' AS DATE)" in sql
    windows = sql.replace("source.entry_on", "")
    assert windows.count("entry_on >= CAST('2008-01-01' AS DATE)") == len(scan.aggregates) == 2


@pytest.mark.parametrize(
    ("mask", "levels", "unit"),
    [
        (0b011, ("MOJ", "MOJ.AEA", None), "MOJ"),  # the set (year, level_1)
        (0b001, ("MOJ", "MOJ.AEA", None), "MOJ.AEA"),  # (year, level_1, level_2)
        (0b000, ("MOJ", "MOJ.AEA", "MOJ.AEA.TPE"), "MOJ.AEA.TPE"),
        (0b000, ("MOJ", "MOJ.AEA", None), None),  # a depth-2 unit repeated in the deepest set
    ],
)
def test_a_result_row_maps_to_its_org_unit(
    mask: int, levels: tuple[str | None, ...], unit: str | None
) -> None:
    assert unit_of_row(mask, list(levels)) == unit


@pytest.mark.parametrize("dialect", ["duckdb", "postgres", "spark"])
def test_every_grouping_takes_one_column(dialect: str) -> None:
    """Spark's grouping() takes one column; a GROUPING of several is refused there."""
    for scan in plan_scans(TRIPLES, SHAPES):
        query = compile_scan(
            scan, SHAPES[scan.key.dataset], exp.to_table("t"), exp.to_table("u"), 3, (106, 109)
        )
        read = sqlglot.parse_one(query.sql(dialect=dialect), read=dialect)
        groupings = list(read.find_all(exp.Grouping))
        assert groupings and all(len(g.expressions) == 1 for g in groupings)


def _masks_query(dialect: str) -> str:
    """Each grouping set's GROUPING(a, b, c) beside the mask the compiler writes."""
    levels = [exp.column(name) for name in ("a", "b", "c")]
    sets = [exp.Tuple(expressions=[c.copy() for c in levels[:d]]) for d in (0, 1, 2, 3)]
    rows = exp.values([("x", "y", "z"), ("x", "y", "w"), ("x", "v", "z")], "r", ["a", "b", "c"])
    query = (
        exp.select(exp.func("GROUPING", *levels), grouping_mask(levels))
        .from_(rows)
        .group_by(exp.GroupingSets(expressions=sets))
    )
    return query.sql(dialect=dialect)


def test_the_grouping_mask_is_grouping_of_all_levels_on_duckdb() -> None:
    rows = duckdb.connect().execute(_masks_query("duckdb")).fetchall()
    assert {full for full, _ in rows} == {0b111, 0b011, 0b001, 0b000}
    assert all(full == mask for full, mask in rows)


@pytest.mark.postgres
def test_the_grouping_mask_is_grouping_of_all_levels_on_postgresql(postgres_dsn: str) -> None:
    with psycopg.connect(postgres_dsn) as connection:
        rows = connection.execute(_masks_query("postgres")).fetchall()  # type: ignore[arg-type]
    assert {full for full, _ in rows} == {0b111, 0b011, 0b001, 0b000}
    assert all(full == mask for full, mask in rows)
