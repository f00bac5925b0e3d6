"""A metric definition cannot run SQL of its own: each attack is refused by the expression checker,
by the re-read of the SQL before it is sent, and by the DuckDB sandbox, each on its own."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot import exp

from tests.conftest import REPO
from tests.deployment import run
from tests.metrics.conftest import (
    UNIT_PATHS,
    Compute,
    metrics_beside_the_moj_plan,
    write_parquet,
)
from yardstick.metrics.engines import BatchInput
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.limits import Limits
from yardstick.metrics.engines.sandbox import Sandbox
from yardstick.metrics.errors import ExpressionError, QueryTimeLimitError, UnsafeQueryError
from yardstick.metrics.expressions import check_expression, parse_expression

PLAN_DIR = REPO / "plans" / "moj-106-109"
COLUMNS = {"closure": "string", "paid_amount": "decimal", "closed_on": "date"}
CASES = {"branch": "VARCHAR", "closed_on": "DATE", "paid_amount": "DOUBLE", "closure": "VARCHAR"}
FILE_SIZE = (
    """CAST(0 AS "oid) * 0 + (SELECT length(content) FROM read_text('/etc/passwd'))"""
    """ + CAST(0 AS DOUBLE")"""
)


def second_statement(target: Path) -> str:
    """The quoted-type attack that closed the query and ran ``COPY … TO`` (the quotes that would
    show the ``;`` to a string-aware check sit in comments, inside the quoted "type")."""
    return (
        'CAST(0 AS "oid)) AS a0 FROM (SELECT 1 AS period_year, 2 AS record_unit) '
        "GROUP BY period_year, record_unit) AS per_unit, unit_paths AS paths "
        "GROUP BY GROUPING SETS ((per_unit.period_year, paths.level_1, paths.level_2, "
        f"paths.level_3)) /*'*/; COPY (SELECT 42) TO $${target}$$; SELECT 1 /*'*/ --\")"
    )


QUOTED = "write the type of a CAST without quotes"
ATTACKS = [
    pytest.param(FILE_SIZE, 10, QUOTED, id="quoted-type-reads-a-file"),
    pytest.param(second_statement(Path("/tmp/x")), 10, QUOTED, id="quoted-type-copy"),
    pytest.param(
        "CAST(0 AS \"x /*'*/; ATTACH $$/tmp/x.db$$ AS d; /*'*/\")", 10, QUOTED, id="attach"
    ),
    pytest.param("CAST(0 AS \"x /*'*/; INSTALL httpfs; /*'*/\")", 10, QUOTED, id="install"),
    pytest.param('paid_amount::"DOUBLE) + (SELECT 1"', 13, QUOTED, id="quoted-type-drops-text"),
    pytest.param('CAST(paid_amount AS "DOUBLE")', 20, QUOTED, id="quoted-known-type"),
    pytest.param("CAST(paid_amount AS oid)", 20, "CAST to 'oid'", id="unknown-type"),
    pytest.param("CAST(paid_amount AS main.oid)", 20, "CAST to 'main.oid'", id="schema-type"),
    pytest.param("CAST(paid_amount AS STRUCT(a INT))", 20, "CAST to", id="nested-type"),
    pytest.param("CAST(paid_amount AS DECIMAL(1000, 2))", 20, "DECIMAL takes", id="type-parameter"),
    pytest.param("CAST(closure AS DATE FORMAT '%Y')", 0, "is not allowed", id="cast-format"),
    pytest.param("length(read_text('/etc/passwd')) > 0", 7, "read_text() is not", id="read_text"),
    pytest.param("read_csv('/etc/passwd') IS NULL", 0, "read_csv() is not", id="read_csv"),
    pytest.param("read_blob('/etc/passwd') IS NULL", 0, "read_blob() is not", id="read_blob"),
    pytest.param("paid_amount > (SELECT 1)", 14, "a subquery", id="subquery"),
    pytest.param("closure = 'x'; COPY (SELECT 1) TO '/tmp/x'", 13, "';' is not", id="statement"),
    pytest.param("closure = 'x' /* ; */", 17, "';' is not", id="comment"),
    pytest.param("getenv('HOME') = 'x'", 0, "getenv() is not", id="getenv"),
]


@pytest.mark.parametrize(("text", "position", "message"), ATTACKS)
def test_the_checker_refuses_each_attack_with_its_position(
    text: str, position: int, message: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, COLUMNS)
    assert message in caught.value.reason
    assert caught.value.position == position


@pytest.mark.parametrize(
    "text",
    [
        "CAST(paid_amount AS INTEGER) > 1",
        "CAST(paid_amount AS BIGINT) > 1",
        "CAST(paid_amount AS DECIMAL(18, 2)) > 1",
        "paid_amount::DOUBLE > 1",
        "CAST(closure AS VARCHAR) = 'a'",
        "CAST(closed_on AS TIMESTAMP) > CAST('2020-01-01' AS DATE)",
        "CAST(closure = 'a' AS BOOLEAN)",
    ],
)
def test_a_cast_to_a_type_of_the_contracts_passes(text: str) -> None:
    check_expression(text, COLUMNS)


def test_kpi_check_refuses_the_quoted_type_naming_its_position(tmp_path: Path) -> None:
    definition = (PLAN_DIR / "metrics" / "8-1.yaml").read_text(encoding="utf-8")
    hostile = definition.replace("closure = '完全繳清'\n", f"{FILE_SIZE}\n", 1)  # a folded block
    assert hostile != definition
    metrics = metrics_beside_the_moj_plan(tmp_path)
    (metrics / "8-1.yaml").write_text(hostile, encoding="utf-8")
    result = run("kpi", "check", str(metrics))
    assert result.exit_code != 0
    assert f"numerator.filter: {QUOTED}" in result.output
    assert "at position 11" in result.output


def test_compute_refuses_the_attack_and_writes_nothing(compute: Compute, tmp_path: Path) -> None:
    target = tmp_path / "written.csv"
    definition = {
        "kpi": "t-1",
        "version": 1,
        "unit": "",
        "interpretation": {"zh": "測試", "en": "test"},
        "kind": "aggregate",
        "measure": {"dataset": "cases", "function": "sum", "expression": second_statement(target)},
    }
    rows = [("IB", date(2020, 1, 1), 1.0, "完全繳清")]
    with pytest.raises(ExpressionError, match=QUOTED):
        compute(definition, {"cases": (CASES, "closed_on", "branch", rows)}, years="109")
    assert not target.exists()


@pytest.fixture
def batch(tmp_path: Path) -> BatchInput:
    return write_parquet(tmp_path / "cases.parquet", CASES, [("IB", date(2020, 1, 1), 5.0, "x")])


@pytest.fixture
def engine(batch: BatchInput) -> Iterator[DuckDBEngine]:
    engine = DuckDBEngine({"cases": [batch]}, UNIT_PATHS, time_limit=0.5)
    yield engine
    engine.close()


def _query(text: str) -> exp.Expr:
    return sqlglot.parse_one(text, read="duckdb")


def test_the_sandboxed_engine_still_reads_its_batches(engine: DuckDBEngine) -> None:
    query = exp.select(exp.func("sum", exp.column("paid_amount"))).from_(
        exp.Table(this=engine.source("cases"))
    )
    assert engine.fetch(query) == [(5.0,)]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT length(content) FROM read_text('/etc/passwd')",
        "SELECT count(*) FROM read_csv('/etc/passwd', sep = ':')",
        "SELECT length(content) FROM read_blob('/etc/passwd')",
        "SELECT count(*) FROM glob('/etc/*')",
    ],
)
def test_a_query_built_by_hand_that_reads_a_file_is_refused_by_the_engine(
    engine: DuckDBEngine, text: str
) -> None:
    with pytest.raises(UnsafeQueryError, match="Permission Error"):
        engine.fetch(_query(text))


def test_a_tree_carrying_sql_in_a_type_name_is_never_sent(
    engine: DuckDBEngine, tmp_path: Path
) -> None:
    """Even if the checker let the quoted type through, the SQL read back is not what was built."""
    target = tmp_path / "written.csv"
    for text in (FILE_SIZE, second_statement(target)):
        query = exp.select(exp.Sum(this=parse_expression(text))).from_(
            exp.Table(this=engine.source("cases"))
        )
        with pytest.raises(UnsafeQueryError, match="it was not run"):
            engine.fetch(query)
    assert not target.exists()


@pytest.mark.parametrize(
    "statement",
    [
        "COPY (SELECT 42) TO '{dir}/written.csv'",
        "ATTACH '{dir}/written.db' AS other",
    ],
)
def test_a_statement_that_writes_is_refused_before_and_inside_duckdb(
    engine: DuckDBEngine, tmp_path: Path, statement: str
) -> None:
    text = statement.format(dir=tmp_path)
    with pytest.raises(UnsafeQueryError, match="only a query"):
        engine.fetch(_query(text))
    with pytest.raises(UnsafeQueryError, match="Permission Error"):
        engine.sandbox.run(text)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.parquet"]


@pytest.mark.parametrize(
    "text",
    [
        "INSTALL httpfs",
        "LOAD httpfs",
        "SET enable_external_access = true",
        "RESET lock_configuration",
        "SET allowed_directories = ['/']",
        "EXPORT DATABASE '{dir}/written'",
        "SELECT * FROM read_parquet('{other}')",
    ],
)
def test_the_sandbox_cannot_be_opened_from_inside(
    engine: DuckDBEngine, tmp_path: Path, text: str
) -> None:
    other = write_parquet(tmp_path / "other.parquet", {"a": "INTEGER"}, [(1,)])
    with pytest.raises((UnsafeQueryError, duckdb.Error)):
        engine.sandbox.run(text.format(other=other.path, dir=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.parquet", "other.parquet"]
    assert engine.sandbox.run("SELECT current_setting('enable_external_access')") == [(False,)]


def test_a_query_over_the_time_limit_is_stopped_with_our_own_error(engine: DuckDBEngine) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeLimitError, match="time limit of 0.5 s"):
        engine.fetch(_query("SELECT count(*) FROM range(1000000000000) AS a(i) WHERE i % 7 = 3"))
    assert time.monotonic() - started < 5
    assert engine.fetch(_query("SELECT 1")) == [(1,)]  # the connection is still usable


def test_the_sandbox_has_a_memory_limit_and_leaves_no_spill_directory(batch: BatchInput) -> None:
    sandbox = Sandbox([batch.path], Limits(seconds=5, memory="64MB"))
    [(memory, spill)] = sandbox.run(
        "SELECT current_setting('memory_limit'), current_setting('temp_directory')"
    )
    assert memory == "61.0 MiB"  # 64 MB
    assert Path(spill).is_dir()
    sandbox.close()
    assert not Path(spill).exists()


def test_a_quoted_type_that_sqlglot_cannot_read_is_our_error_not_a_token_error() -> None:
    """Found by the property test: SQLGlot parses a quoted type's text again on its own, and text
    it cannot tokenize used to escape as its TokenError."""
    from yardstick.metrics.errors import ExpressionError
    from yardstick.metrics.expressions import check_expression

    text = 'round(referred_amount, 2) - CAST(floor(referred_amount) AS "x $Xb(-1\'>")'
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, {"referred_amount": "decimal"})
    assert "without quotes" in caught.value.reason
