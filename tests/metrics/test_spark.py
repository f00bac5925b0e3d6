"""The Spark engine: its settings, the session it pins, least privilege, the time limit, and
datasets read from external tables of the Spark catalog (checked against their contracts).

The values agree with DuckDB's in ``test_engines.py`` (hand-made records),
``test_kpis_hand_worked.py`` (every KPI's hand-worked value) and ``test_project.py`` (every KPI ×
year × unit of the demo data); the Spark Connect client is tried in ``test_spark_connect.py``.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import sqlglot
from sqlglot import exp

from tests.conftest import REPO
from tests.metrics.conftest import UNIT_PATHS, assert_inputs_agree, write_parquet
from yardstick.calendar import YearRange
from yardstick.errors import YardstickError
from yardstick.metrics.engines import BatchInput, QueryFailed
from yardstick.metrics.engines.rendering import SparkAnsi
from yardstick.metrics.engines.spark_session import (
    DEFAULT_TIME_ZONE,
    settings_from_environment,
)
from yardstick.metrics.engines.spark_tables import (
    ExternalTableError,
    bindings_from_environment,
)
from yardstick.metrics.errors import (
    ExpressionError,
    QueryTimeLimitError,
    SettingError,
    UnsafeQueryError,
)
from yardstick.metrics.expressions import check_expression, parse_expression
from yardstick.metrics.project import Project

PLAN_DIR = REPO / "plans" / "moj-106-109"
CASES = {"branch": "VARCHAR", "closed_on": "DATE", "paid_amount": "DOUBLE", "closure": "VARCHAR"}


# ── settings: no Spark needed ───────────────────────────────────────────────────────────────


@pytest.mark.parametrize(
    ("master", "connect", "local"),
    [
        ("", False, True),
        ("local[2]", False, True),
        ("spark://head.moj.internal:7077", False, False),
        ("yarn", False, False),
        ("sc://spark.moj.internal:15002", True, False),
    ],
)
def test_one_setting_says_where_spark_runs(
    monkeypatch: pytest.MonkeyPatch, master: str, connect: bool, local: bool
) -> None:
    monkeypatch.setenv("YARDSTICK_SPARK_MASTER", master)
    monkeypatch.delenv("YARDSTICK_SPARK_SHUFFLE_PARTITIONS", raising=False)
    settings = settings_from_environment()
    assert (settings.master, settings.connect, settings.local) == (
        master or "local[*]",
        connect,
        local,
    )
    pinned = settings.runtime_settings
    assert pinned["spark.sql.ansi.enabled"] == "true"
    assert pinned["spark.sql.session.timeZone"] == DEFAULT_TIME_ZONE == "Asia/Taipei"
    assert pinned["spark.sql.runSQLOnFiles"] == "false"
    # a local run gets few shuffle partitions; a cluster keeps its own unless told
    assert ("spark.sql.shuffle.partitions" in pinned) is local


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("YARDSTICK_SPARK_MASTER", "http://spark:8080", "expected local"),
        ("YARDSTICK_SPARK_MASTER", "local[two]", "expected local"),
        ("YARDSTICK_SPARK_SHUFFLE_PARTITIONS", "0", "a number above 0"),
        ("YARDSTICK_SPARK_SHUFFLE_PARTITIONS", "²", "a number above 0"),
        ("YARDSTICK_TIME_ZONE", "Asia/Taipei; DROP", "a zone such as"),
        ("YARDSTICK_TIME_ZONE", "Asia/Nowhere", "a zone such as"),
        ("YARDSTICK_SPARK_MASTER", "local[٢]", "expected local"),
        ("YARDSTICK_SPARK_MASTER", "local[0]", "expected local"),
        ("YARDSTICK_SPARK_SHUFFLE_PARTITIONS", "00", "a number above 0"),
    ],
)
def test_a_bad_spark_setting_is_refused_naming_it(
    monkeypatch: pytest.MonkeyPatch, variable: str, value: str, message: str
) -> None:
    monkeypatch.setenv(variable, value)
    with pytest.raises(SettingError, match=message) as raised:
        settings_from_environment()
    assert variable in str(raised.value)


def test_datasets_are_bound_to_tables_by_one_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("YARDSTICK_SPARK_TABLES", " cases = lake.moj.cases ,inmates=moj.inmates,")
    assert bindings_from_environment({"cases", "inmates", "other"}) == {
        "cases": "lake.moj.cases",
        "inmates": "moj.inmates",
    }
    monkeypatch.delenv("YARDSTICK_SPARK_TABLES")
    assert bindings_from_environment({"cases"}) == {}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("cases=lake.moj.cases`; DROP TABLE x", "is not dataset=catalog.schema.table"),
        ("cases=a.b.c.d", "is not dataset=catalog.schema.table"),
        ("cases", "is not dataset=catalog.schema.table"),
        ("missing=lake.x", "'missing' is not a dataset of this plan"),
        ("cases=a, cases=b", "'cases' is bound twice"),
    ],
)
def test_a_bad_binding_is_refused(monkeypatch: pytest.MonkeyPatch, text: str, message: str) -> None:
    monkeypatch.setenv("YARDSTICK_SPARK_TABLES", text)
    with pytest.raises(SettingError, match=message):
        bindings_from_environment({"cases"})


# ── the engine on local Spark ───────────────────────────────────────────────────────────────


@pytest.fixture
def engine(spark_ready: None, tmp_path: Path) -> Iterator[Any]:
    from yardstick.metrics.engines.spark import SparkEngine

    batch = write_parquet(tmp_path / "cases.parquet", CASES, [("IB", date(2020, 1, 1), 5.0, "x")])
    engine = SparkEngine({"cases": [batch]}, UNIT_PATHS, settings_from_environment(), 60.0)
    yield engine
    engine.close()


def _spark_query(text: str) -> exp.Expr:
    return sqlglot.parse_one(text, read=SparkAnsi)  # Spark SQL as the engine's ANSI mode reads it


@pytest.mark.spark
def test_the_engine_reads_the_batches_in_place_and_drops_its_views(engine: Any) -> None:
    query = exp.select(exp.func("sum", exp.column("paid_amount"))).from_(engine.source("cases"))
    assert engine.fetch(query) == [(5.0,)]
    ours = set(engine._views.values())
    assert len(ours) == 2 and ours <= {t.name for t in engine.session.catalog.listTables()}
    engine.close()
    assert not ours & {t.name for t in engine.session.catalog.listTables()}


@pytest.mark.spark
def test_ansi_mode_and_the_time_zone_are_pinned_whatever_the_session_says(
    spark_ready: None, tmp_path: Path
) -> None:
    from yardstick.metrics.engines.spark import SparkEngine
    from yardstick.metrics.engines.spark_session import spark_session

    session = spark_session(settings_from_environment())
    session.conf.set("spark.sql.ansi.enabled", "false")  # as a cluster's defaults might be
    session.conf.set("spark.sql.session.timeZone", "UTC")
    engine = SparkEngine({}, UNIT_PATHS, settings_from_environment())
    try:
        assert session.conf.get("spark.sql.ansi.enabled") == "true"
        assert session.conf.get("spark.sql.session.timeZone") == "Asia/Taipei"
        with pytest.raises(QueryFailed, match=r"the spark engine failed: \[ARITHMETIC_OVERFLOW\]"):
            engine.fetch(_spark_query("SELECT 9223372036854775807 + 1"))
        with pytest.raises(QueryFailed, match=r"\[DIVIDE_BY_ZERO\] Division by zero"):
            engine.fetch(_spark_query("SELECT 1 / 0"))
        with pytest.raises(QueryFailed, match=r"CAST_INVALID_INPUT"):  # strict, not TRY_CAST
            engine.fetch(_spark_query("SELECT CAST('abc' AS INT)"))
        # the ROC year of a zoned timestamp is the year in Taiwan
        instant = exp.cast(exp.Literal.string("2019-12-31 17:00:00+00:00"), "TIMESTAMP")
        assert engine.fetch(exp.select(exp.Year(this=instant))) == [(2020,)]
        assert engine.fetch(_spark_query("SELECT 1")) == [(1,)]  # still usable
    finally:
        engine.close()


@pytest.mark.spark
@pytest.mark.parametrize("reader", ["parquet", "text", "csv", "json"])
def test_a_query_built_by_hand_that_reads_a_file_fails_on_spark(
    engine: Any, tmp_path: Path, reader: str
) -> None:
    other = write_parquet(tmp_path / "other.parquet", {"a": "INTEGER"}, [(1,)])
    for path in (other.path, Path("/etc/passwd")):
        with pytest.raises(QueryFailed, match="TABLE_OR_VIEW_NOT_FOUND"):
            engine.fetch(_spark_query(f"SELECT * FROM {reader}.`{path}`"))


@pytest.mark.spark
@pytest.mark.parametrize(
    "statement",
    [
        "INSERT OVERWRITE DIRECTORY '{dir}/written' SELECT 1",
        "CREATE TABLE written USING parquet LOCATION '{dir}/written' AS SELECT 1 AS a",
        "SET spark.sql.runSQLOnFiles = true",
        "ADD JAR '{dir}/x.jar'",
    ],
)
def test_a_statement_that_writes_or_reopens_is_refused_before_spark(
    engine: Any, tmp_path: Path, statement: str
) -> None:
    with pytest.raises(UnsafeQueryError, match="only a query"):
        engine.fetch(_spark_query(statement.format(dir=tmp_path)))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.parquet"]
    assert engine.session.conf.get("spark.sql.runSQLOnFiles") == "false"


@pytest.mark.spark
def test_sql_hidden_in_a_type_name_is_never_sent_to_spark(engine: Any) -> None:
    text = (
        """CAST(0 AS "oid) * 0 + (SELECT count(*) FROM text.`/etc/passwd`)"""
        """ + CAST(0 AS DOUBLE")"""
    )
    query = exp.select(exp.Sum(this=parse_expression(text))).from_(engine.source("cases"))
    with pytest.raises(UnsafeQueryError, match="it was not run"):
        engine.fetch(query)


@pytest.mark.parametrize(
    "text",
    [
        "reflect('java.lang.System', 'getProperty', 'user.home') = 'x'",
        "java_method('java.lang.Runtime', 'getRuntime') IS NULL",
        "input_file_name() = 'x'",
    ],
)
def test_spark_functions_that_reach_outside_are_refused_by_the_checker(text: str) -> None:
    with pytest.raises(ExpressionError, match="is not allowed"):
        check_expression(text, {"closure": "string"})


@pytest.mark.spark
def test_a_query_over_the_time_limit_is_stopped_with_our_own_error(engine: Any) -> None:
    assert engine.fetch(_spark_query("SELECT 1")) == [(1,)]  # the session warm: planning is quick
    engine.seconds = 1.0
    started = time.monotonic()
    with pytest.raises(QueryTimeLimitError, match="time limit of 1 s"):
        engine.fetch(_spark_query("SELECT count(DISTINCT id * 7919 % 100000007) FROM range(1e12)"))
    assert time.monotonic() - started < 30
    assert engine.fetch(_spark_query("SELECT 1")) == [(1,)]  # the session is still usable


# ── external tables ─────────────────────────────────────────────────────────────────────────


@pytest.fixture(scope="module")
def spark_demo(spark_ready: None, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small demo data set (scale 0.002) of this module's own: its stored values change here."""
    from yardstick.demo.generate import generate

    root = tmp_path_factory.mktemp("spark-demo")
    project = Project.from_folder(PLAN_DIR, root / "data")
    generate(
        root / "files", 0.002, 106, project.contracts, project.org_units, data_dir=project.data_dir
    )
    return root / "data"


def _table_of_batches(
    project: Project, dataset: str, name: str, location: Path, change: str | None = None
) -> None:
    """The dataset's active batches written as a table of the Spark catalog (``change`` names a
    column written as text instead, or dropped with a leading ``-``)."""
    from pyspark.sql.functions import col

    from yardstick.metrics.engines.spark_session import spark_session

    session = spark_session(settings_from_environment())
    frame = session.read.parquet(*(str(b.path) for b in project.active_batches()[dataset]))
    if change and change.startswith("-"):
        frame = frame.drop(change[1:])
    elif change:
        frame = frame.withColumn(change, col(change).cast("string"))
    session.sql(f"DROP TABLE IF EXISTS {name}")
    frame.write.option("path", str(location)).saveAsTable(name)


@pytest.mark.spark
def test_a_dataset_bound_to_an_external_table_computes_from_it_with_its_lineage(
    spark_demo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.from_folder(PLAN_DIR, spark_demo)
    on_duckdb = project.compute(
        YearRange(108, 109), engine="duckdb", kpis=["1-2"], reuse=False
    ).values
    _table_of_batches(project, "drug_seizures", "default.seizures", tmp_path / "seizures")
    monkeypatch.setenv("YARDSTICK_SPARK_TABLES", "drug_seizures=default.seizures")
    report = project.compute(YearRange(108, 109), engine="spark", kpis=["1-2"])
    assert len(report.values) == len(on_duckdb) > 2
    for a, b in zip(on_duckdb, report.values, strict=True):
        assert (a.year, a.org_unit) == (b.year, b.org_unit)
        assert_inputs_agree(a, b)
        assert b.value == pytest.approx(a.value, rel=1e-12)
        assert b.lineage is not None and b.lineage.engine == "spark"
        [used] = b.lineage.batches  # the table, not the batches it was written from
        assert (used.dataset, used.batch_id) == ("drug_seizures", "default.seizures")
        assert used.source.startswith("Spark table default.seizures (parquet, no versions")
        assert used.checksum.startswith("unversioned:default.seizures@")
        assert used.rows == sum(b.rows for b in project.active_batches()["drug_seizures"])
    # nothing proves an unversioned table unchanged: its values are computed again every run
    # (a command, a worker job: each opens the project anew), read once within one
    again = Project.from_folder(PLAN_DIR, spark_demo).compute(
        YearRange(108, 109), engine="spark", kpis=["1-2"]
    )
    assert sorted(again.recomputed) == [("1-2", 108), ("1-2", 109)] and not again.reused


@pytest.mark.spark
@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("net_weight_kg", "column 'net_weight_kg' is string, the contract wants decimal"),
        ("seized_on", "column 'seized_on' is string, the contract wants date"),
        ("-purity", "has no column 'purity'"),
    ],
)
def test_an_external_table_that_does_not_fit_the_contract_is_refused_naming_the_column(
    spark_demo: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    change: str,
    message: str,
) -> None:
    project = Project.from_folder(PLAN_DIR, spark_demo)
    _table_of_batches(project, "drug_seizures", "default.wrong", tmp_path / "wrong", change)
    monkeypatch.setenv("YARDSTICK_SPARK_TABLES", "drug_seizures=default.wrong")
    before = project.store.values(kpis=["1-2"], years=[109])
    with pytest.raises(ExternalTableError, match=message) as raised:
        project.compute(YearRange(109, 109), engine="spark", kpis=["1-2"])
    assert "external table default.wrong of dataset drug_seizures" in str(raised.value)
    assert project.store.values(kpis=["1-2"], years=[109]) == before  # nothing computed


@pytest.mark.spark
def test_a_missing_external_table_is_our_error(
    spark_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    project = Project.from_folder(PLAN_DIR, spark_demo)
    monkeypatch.setenv("YARDSTICK_SPARK_TABLES", "drug_seizures=default.nowhere")
    with pytest.raises(YardstickError, match="default.nowhere of dataset drug_seizures cannot"):
        project.compute(YearRange(109, 109), engine="spark", kpis=["1-2"])


@pytest.mark.spark
def test_the_batches_are_read_in_place_not_copied(spark_demo: Path) -> None:
    """The views are over the batch files themselves (Spark lists them as the plan's inputs)."""
    from yardstick.metrics.engines.spark import SparkEngine

    project = Project.from_folder(PLAN_DIR, spark_demo)
    batches: list[BatchInput] = project.active_batches()["drug_seizures"]
    engine = SparkEngine({"drug_seizures": batches}, UNIT_PATHS, settings_from_environment())
    try:
        files = engine.session.table(engine._views["records_drug_seizures"]).inputFiles()
        assert sorted(Path(f.removeprefix("file://")) for f in files) == sorted(
            b.path.resolve() for b in batches
        )
    finally:
        engine.close()


class _Catalog:
    """A Spark session's answers to the version queries, for table formats this machine lacks
    (Delta and Iceberg need jars from Maven); records what was asked."""

    def __init__(self, provider: str, answers: dict[str, list[dict[str, Any]]]) -> None:
        self.provider, self.answers, self.asked = provider, answers, []

    def sql(self, text: str) -> Any:
        self.asked.append(text)
        rows: list[Any] = (
            [
                ("location", "string", ""),  # a column named like a detail line
                ("# Detailed Table Information", "", ""),
                ("Location", "s3://lake/moj/cases", ""),
                ("Created Time", "Tue Nov 03 2026", ""),
                ("Provider", self.provider, ""),
            ]
            if text.startswith("DESCRIBE TABLE EXTENDED")
            else self.answers[text]
        )
        return type("Result", (), {"collect": lambda _self: rows})()


@pytest.mark.parametrize(
    ("provider", "question", "answer", "version", "option"),
    [
        ("delta", "DESCRIBE HISTORY `lake`.`moj`.`cases` LIMIT 1", {"version": 12}, "12",
         {"versionAsOf": "12"}),
        ("iceberg", "SELECT snapshot_id FROM `lake`.`moj`.`cases`.`refs` WHERE name = 'main'",
         {"snapshot_id": 4711}, "4711", {"snapshot-id": "4711"}),
        ("parquet", None, None, None, {}),
    ],
)  # fmt: skip
def test_the_version_read_is_the_tables_current_one_and_pins_the_read(
    provider: str, question: str | None, answer: Any, version: str | None, option: Any
) -> None:
    from yardstick.metrics.engines.spark_tables import ExternalTable, _version

    catalog = _Catalog(provider, {question: [answer]} if question else {})
    found = _version(catalog, "lake.moj.cases")  # type: ignore[arg-type]
    assert found == (provider, version, "s3://lake/moj/cases|Tue Nov 03 2026")
    assert catalog.asked[0] == "DESCRIBE TABLE EXTENDED `lake`.`moj`.`cases`"
    assert catalog.asked[1:] == ([question] if question else [])
    assert ExternalTable("cases", "lake.moj.cases", provider, version).reader_options == option


def test_the_deployments_engine_is_one_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    from yardstick.metrics.project import default_engine

    monkeypatch.delenv("YARDSTICK_ENGINE", raising=False)
    assert default_engine() == "duckdb"
    monkeypatch.setenv("YARDSTICK_ENGINE", "spark")
    assert default_engine() == "spark"
    monkeypatch.setenv("YARDSTICK_ENGINE", "oracle")
    with pytest.raises(SettingError, match="YARDSTICK_ENGINE='oracle': choose from duckdb"):
        default_engine()


@pytest.mark.spark
def test_what_computes_without_naming_an_engine_uses_the_deployments(
    spark_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The worker, the site, assess and explain compute with the project's default."""
    monkeypatch.setenv("YARDSTICK_ENGINE", "spark")
    project = Project.from_folder(PLAN_DIR, spark_demo)
    values = project.compute(YearRange(109, 109), kpis=["8-1"], reuse=False).values
    assert {v.lineage.engine for v in values if v.lineage} == {"spark"}
    months = project.monthly(YearRange(108, 109), kpis=["8-1", "5-1"])  # a ratio, a snapshot
    on_duckdb = project.monthly(YearRange(108, 109), engine="duckdb", kpis=["8-1", "5-1"])
    assert len(months) == len(on_duckdb) == 2 * 2 * 12
    for a, b in zip(on_duckdb, months, strict=True):
        assert (a.kpi, a.year, a.month, a.reason) == (b.kpi, b.year, b.month, b.reason)
        assert a.value == (None if b.value is None else pytest.approx(b.value, rel=1e-12))


@pytest.mark.spark
def test_a_batch_file_spark_cannot_read_is_one_line(spark_ready: None, tmp_path: Path) -> None:
    from yardstick.metrics.project import ENGINES
    from yardstick.metrics.run import MetricInputs

    gone = BatchInput("cases", "b1", tmp_path / "gone.parquet", "sha256:x", 1)
    inputs = MetricInputs({}, {"cases": [gone]}, UNIT_PATHS, "MOJ")
    with pytest.raises(
        QueryFailed, match=r"the spark engine failed: cannot read the records: "
    ) as raised:
        ENGINES["spark"](inputs)
    assert "\n" not in str(raised.value) and "gone.parquet" not in str(raised.value)


@pytest.mark.spark
def test_a_dataset_named_like_the_unit_hierarchy_keeps_both(engine: Any, tmp_path: Path) -> None:
    from yardstick.metrics.engines.spark import SparkEngine

    batch = write_parquet(tmp_path / "units.parquet", {"unit": "VARCHAR"}, [("x",), ("y",)])
    named = SparkEngine({"unit_paths": [batch]}, UNIT_PATHS, settings_from_environment())
    try:
        count = exp.select(exp.func("count", exp.Star()))
        assert named.fetch(count.copy().from_(named.source("unit_paths"))) == [(2,)]
        assert named.fetch(count.from_(named.unit_paths())) == [(len(UNIT_PATHS),)]
    finally:
        named.close()
