"""The SQL an engine runs reads back as the tree that was built, or it is not run."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlglot import exp

from tests.conftest import REPO
from yardstick.datasets.contract import Contract
from yardstick.datasets.orgunits import load_org_units
from yardstick.metrics.bundle import PlanBundle
from yardstick.metrics.catalog import COMPUTED, shape_of
from yardstick.metrics.compiler import compile_scan, plan_scans
from yardstick.metrics.engines import BatchInput
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.rendering import first_difference, render
from yardstick.metrics.errors import UnsafeQueryError
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.monthly import _monthly_query

DIALECTS = ["duckdb", "postgres"]
COLUMNS = {
    "x": "decimal",
    "n": "integer",
    "s": "string",
    "d": "date",
    "e": "date",
    "b": "boolean",
}
CONSTRUCTS = [
    "x + 1 - 2 * 3 / 4 % 5",
    "-x",
    "x = 1 AND x <> 2 OR NOT x > 3",
    "x >= 1 AND x <= 2 AND x < 3",
    "x IS NULL OR x IS NOT NULL",
    "s IN ('a', 'b') AND s NOT IN ('c')",
    "x BETWEEN 1 AND 2",
    "CASE WHEN x > 1 THEN 1 ELSE 0 END",
    "CASE s WHEN 'a' THEN 1 END",
    "IF(x > 1, 1, 0)",
    "CAST(x AS INTEGER) + CAST(x AS BIGINT) + CAST(x AS DOUBLE) + CAST(x AS DECIMAL(10, 2))",
    "CAST(d AS DATE) < CAST(e AS TIMESTAMP)",
    "CAST(x AS VARCHAR) = s AND CAST(b AS BOOLEAN)",
    "abs(x) + round(x, 2) + round(x) + floor(x) + ceil(x)",
    "coalesce(x, 0) + nullif(x, 0) + least(x, 1, 2) + greatest(x, 1)",
    "year(d) + month(d)",
    "date_diff('day', d, e) + date_diff('month', d, e) + date_diff('year', d, e)",
    "lower(s) = upper(s) AND length(s) > 1",
    "b = TRUE AND x IS NULL = FALSE",
    "DATE '2020-01-01' < d AND s = 'it''s 完全繳清'",
    "1e3 * x + .5 * x",
]


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize("text", CONSTRUCTS)
def test_every_allowed_construct_reads_back_in_each_engine_dialect(text: str, dialect: str) -> None:
    query = exp.select(exp.alias_(check_expression(text, COLUMNS), "v")).from_("records")
    assert render(query, dialect).startswith("SELECT")


def _shipped_queries() -> list[exp.Select]:
    project = PlanBundle.read_folder(REPO / "plans" / "moj-106-109")
    shapes = {n: shape_of(c) for n, c in project.contracts.items() if isinstance(c, Contract)}
    triples = [
        (d.kpi, name, aggregate)
        for d in project.definitions.values()
        if isinstance(d, COMPUTED)
        for name, aggregate in d.aggregates().items()
    ]
    queries = []
    for scan in plan_scans(triples, shapes):
        batch = BatchInput(scan.key.dataset, "b", Path("/data/batch.parquet"), "sha256:x", 1)
        engine = DuckDBEngine({scan.key.dataset: [batch]}, [("MOJ", "MOJ")])
        source = engine.source(scan.key.dataset)
        engine.close()
        shape = shapes[scan.key.dataset]
        depth = load_org_units(REPO / "plans" / "moj-106-109" / "orgunits.yaml").depth
        queries.append(
            compile_scan(scan, shape, source, exp.to_table("unit_paths"), depth, (106, 109))
        )
        queries.append(_monthly_query(scan, shape, source, (106, 109)))
    return queries


@pytest.mark.parametrize("dialect", DIALECTS)
def test_every_shipped_kpi_query_reads_back(dialect: str) -> None:
    queries = _shipped_queries()
    assert len(queries) >= 2 * 10
    for query in queries:
        render(query, dialect)
        render(query, dialect, pretty=True)


@pytest.mark.parametrize("dialect", DIALECTS)
@pytest.mark.parametrize(
    "node",
    [
        pytest.param(
            exp.Subquery(this=exp.select("1"), alias="t) ; SELECT (1"), id="raw-alias-text"
        ),
        pytest.param(
            exp.Literal(this="1) + (SELECT 2", is_string=False), id="number-that-is-not-one"
        ),
        pytest.param(exp.Anonymous(this="f(1) + g", expressions=[]), id="function-name"),
        pytest.param(
            exp.column(exp.Identifier(this="a FROM x --", quoted=False)), id="unquoted-name"
        ),
        pytest.param(
            exp.Window(this=exp.Max(this=exp.column("a")), over="OVER () + (SELECT 1) OVER"),
            id="window-keyword",
        ),
        pytest.param(
            exp.Cast(
                this=exp.Literal.number(0),
                to=exp.DataType(this=exp.DataType.Type.USERDEFINED, kind="oid) + (SELECT 1"),
            ),
            id="type-name",
        ),
    ],
)
def test_text_in_a_node_that_would_become_sql_is_never_sent(node: exp.Expr, dialect: str) -> None:
    query = exp.select("*").from_(node) if isinstance(node, exp.Subquery) else exp.select(node)
    with pytest.raises(UnsafeQueryError, match="it was not run"):
        render(query, dialect)


def test_only_a_query_is_run() -> None:
    copy = exp.Copy(this=exp.to_table("t"), files=[exp.Literal.string("/tmp/x.csv")], kind=False)
    with pytest.raises(UnsafeQueryError, match="only a query"):
        render(copy, "duckdb")


def test_the_difference_is_named() -> None:
    built = exp.select(exp.column("a")).from_("t")
    read = exp.select(exp.column("b")).from_("t")
    assert first_difference(built, read) == "IDENTIFIER.this is 'a' built, 'b' read back"
    assert first_difference(built, built.copy()) is None


def test_comments_are_not_written() -> None:
    query = exp.select(check_expression("x /* note */ + 1", COLUMNS)).from_("t")
    assert "note" not in render(query, "duckdb")
