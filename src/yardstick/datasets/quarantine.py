"""The quarantine report (隔離報告): one row per fault of every row that broke the contract.

Built from the rows set aside by :mod:`~yardstick.datasets.validation` (each with the list of
its faults and its position, from :mod:`~yardstick.datasets.places`) and from the rows whose
key repeats (:mod:`~yardstick.datasets.duplicates`): (row, column, value, rule, message in
English and Chinese). Written as CSV in UTF-8 with a BOM, so that Excel shows the Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.checks import Check
from yardstick.datasets.duplicates import DUPLICATE_ROWS, RepeatedGroup
from yardstick.datasets.places import PLACED, SET_ASIDE
from yardstick.spreadsheet_cells import neutralised_sql

QUARANTINE_COLUMNS = ("row", "column", "value", "rule", "message_en", "message_zh")


@dataclass(frozen=True)
class Fault:
    """One fault of one row: where (row, column), what was found, which rule, why."""

    row: int
    column: str
    value: str | None
    rule: str
    message_en: str
    message_zh: str


@dataclass(frozen=True)
class FaultCount:
    """How many rows broke one rule on one column."""

    column: str
    rule: str
    message_en: str
    rows: int


def build_quarantine(
    connection: duckdb.DuckDBPyConnection,
    checks: list[Check],
    repeated: list[RepeatedGroup],
    with_set_aside: bool,
    first_row: int,
) -> int:
    """Gather every fault into ``quarantine`` (ordered by row); the number of rows with faults."""
    parts: list[exp.Query] = []
    if with_set_aside:
        _create_checks_table(connection, checks)
        parts.append(_row_faults(first_row))
    if repeated:
        parts.append(_duplicate_faults(repeated, first_row))
    if not parts:
        connection.execute(
            'CREATE OR REPLACE TEMP TABLE quarantine (row BIGINT, "column" VARCHAR, '
            "value VARCHAR, rule VARCHAR, message_en VARCHAR, message_zh VARCHAR)"
        )
        return 0
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    ordered = (
        exp.select(*QUARANTINE_COLUMNS).from_(union.subquery("faults")).order_by("row", "column")
    )
    connection.execute(f"CREATE OR REPLACE TEMP TABLE quarantine AS {ordered.sql('duckdb')}")
    row = connection.execute("SELECT count(DISTINCT row) FROM quarantine").fetchone()
    return int(row[0]) if row else 0


_CHECKS = "quarantine_checks"


def _create_checks_table(connection: duckdb.DuckDBPyConnection, checks: list[Check]) -> None:
    """The table of the checks by code: column, rule and messages (values as parameters)."""
    rows = [
        {
            "code": check.code,
            "column": check.column,
            "rule": check.rule,
            "message_en": check.message_en,
            "message_zh": check.message_zh,
        }
        for check in checks
    ]
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {_CHECKS} AS SELECT unnest($rows, recursive := true)",
        {"rows": rows},
    )


def _row_number(position: exp.Expr, first_row: int) -> exp.Expr:
    """The row's number as a spreadsheet shows it, from its position among the records."""
    return exp.Add(this=position, expression=exp.convert(first_row))


def _row_faults(first_row: int) -> exp.Select:
    """One row per fault of the set-aside rows, from their ``faults`` and the checks table."""
    unnested = (
        exp.select(
            exp.alias_(_row_number(exp.column("position", "p"), first_row), "__row"),
            exp.alias_(exp.Unnest(expressions=[exp.column("faults", "s")]), "__fault"),
        )
        .from_(exp.alias_(exp.to_table(SET_ASIDE), "s", table=True))
        .join(exp.alias_(exp.to_table(PLACED), "p", table=True), using=["id"])
    )
    fault = exp.column("__fault", "u")
    code = exp.Dot(this=fault.copy(), expression=exp.to_identifier("code"))
    value = exp.Dot(this=fault.copy(), expression=exp.to_identifier("value"))
    return (
        exp.select(
            exp.alias_(exp.column("__row", "u"), "row"),
            exp.alias_(exp.column("column", "c", quoted=True), "column", quoted=True),
            exp.alias_(value, "value", quoted=True),
            *(
                exp.alias_(exp.column(field, "c"), field, quoted=True)
                for field in ("rule", "message_en", "message_zh")
            ),
        )
        .from_(unnested.subquery("u"))
        .join(
            exp.alias_(exp.to_table(_CHECKS), "c", table=True),
            on=exp.EQ(this=exp.column("code", "c"), expression=code),
        )
    )


def _duplicate_faults(repeated: list[RepeatedGroup], first_row: int) -> exp.Select:
    """One row per row whose key (or a ``unique`` column) repeats."""
    group = exp.column("group_index")
    shown_columns = exp.case(group.copy())
    rules = exp.case(group.copy())
    english = exp.case(group.copy())
    chinese = exp.case(group.copy())
    times = exp.cast(exp.column("times"), "VARCHAR")
    for entry in repeated:
        index = exp.convert(entry.index)
        shown = ", ".join(entry.columns)
        shown_columns = shown_columns.when(index.copy(), exp.Literal.string(shown))
        rules = rules.when(
            index.copy(), exp.Literal.string("duplicate_key" if entry.index == 0 else "unique")
        )
        english = english.when(
            index.copy(),
            _concat(f"({shown}) repeats: the same value is on ", times, " rows of the file"),
        )
        chinese = chinese.when(
            index.copy(), _concat(f"（{shown}）重複：同一值出現在檔案 ", times, " 列")
        )
    return exp.select(
        exp.alias_(_row_number(exp.column("position"), first_row), "row"),
        exp.alias_(shown_columns, "column", quoted=True),
        exp.alias_(exp.column("shown"), "value", quoted=True),
        exp.alias_(rules, "rule", quoted=True),
        exp.alias_(english, "message_en", quoted=True),
        exp.alias_(chinese, "message_zh", quoted=True),
    ).from_(DUPLICATE_ROWS)


def _concat(before: str, value: exp.Expr, after: str) -> exp.Expr:
    return exp.DPipe(
        this=exp.DPipe(this=exp.Literal.string(before), expression=value),
        expression=exp.Literal.string(after),
    )


def write_quarantine_csv(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The quarantine report as CSV, UTF-8 with a BOM so that Excel shows the Chinese; text
    that Excel would run as a formula (a rejected ``=cmd|…``) is written as text."""
    plain = path.with_suffix(".plain.csv")
    cells = [
        exp.column(name, quoted=True)
        if name == "row"
        else exp.alias_(neutralised_sql(exp.column(name, quoted=True)), name, quoted=True)
        for name in QUARANTINE_COLUMNS
    ]
    report = exp.select(*cells).from_("quarantine")  # a projection keeps the table's order
    connection.execute(
        f"COPY ({report.sql('duckdb')}) TO $path (FORMAT csv, HEADER)", {"path": str(plain)}
    )
    with plain.open("rb") as source, path.open("wb") as target:
        target.write(b"\xef\xbb\xbf")
        while chunk := source.read(1 << 20):
            target.write(chunk)
    plain.unlink()


def fault_counts(connection: duckdb.DuckDBPyConnection) -> list[FaultCount]:
    """Rows per (column, rule), most frequent first."""
    rows = connection.execute(
        'SELECT "column", rule, any_value(message_en), count(DISTINCT row) AS n FROM quarantine '
        'GROUP BY ALL ORDER BY n DESC, "column", rule'
    ).fetchall()
    return [FaultCount(str(c), str(r), str(m), int(n)) for c, r, m, n in rows]


def first_faults(connection: duckdb.DuckDBPyConnection, limit: int) -> list[Fault]:
    """The first ``limit`` faults in file order."""
    rows = connection.execute("SELECT * FROM quarantine LIMIT $n", {"n": limit}).fetchall()
    return [Fault(int(r[0]), str(r[1]), r[2], str(r[3]), str(r[4]), str(r[5])) for r in rows]
