"""The compiler: one scan per dataset, GROUPING SETS, and SQL for every dialect users may need."""

from __future__ import annotations

import pytest
from sqlglot import exp

from tests.conftest import REPO
from yardstick.datasets.contract import Contract, load_contracts
from yardstick.metrics.catalog import COMPUTED, load_definitions, shape_of
from yardstick.metrics.compiler import compile_scan, plan_scans, unit_of_row

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
    assert "closed_on >= CAST('2008-01-01' AS DATE)" in sql.replace("source.", "").replace(
        "entry_on", "closed_on"
    )
    assert "< CAST('2021-01-01' AS DATE)" in sql


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
