"""The quarantine report (隔離報告): one row per fault of every row that broke the contract.

Built from the staged rows of :mod:`~yardstick.datasets.validation`: each row's failed check codes
become (row, column, value, rule, message in English and Chinese), joined by one row per
occurrence of a repeated key. Written as CSV in UTF-8 with a BOM, so that Excel shows the Chinese.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.checks import Check
from yardstick.datasets.contract import Contract
from yardstick.datasets.validation import (
    duplicate_join,
    duplicates_table,
    sql_text,
    uniqueness_groups,
)

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
    contract: Contract,
    checks: list[Check],
    duplicates: list[list[str]],
    first_row: int,
) -> int:
    """Gather every fault into ``quarantine`` (ordered by row); the number of rows with faults."""
    parts = [_row_faults(checks, first_row)]
    groups = uniqueness_groups(contract)
    parts += [_duplicate_faults(group, groups.index(group), first_row) for group in duplicates]
    union: exp.Query = parts[0]
    for part in parts[1:]:
        union = exp.union(union, part, distinct=False)
    ordered = (
        exp.select(*QUARANTINE_COLUMNS).from_(union.subquery("faults")).order_by("row", "column")
    )
    connection.execute(f"CREATE OR REPLACE TEMP TABLE quarantine AS {sql_text(ordered)}")
    row = connection.execute("SELECT count(DISTINCT row) FROM quarantine").fetchone()
    return int(row[0]) if row else 0


def _by_code(checks: list[Check], pick: str) -> exp.Expr:
    case = exp.case(exp.column("__code"))
    for check in checks:
        value = getattr(check, pick)
        case = case.when(
            exp.convert(check.code),
            value.copy() if isinstance(value, exp.Expr) else exp.Literal.string(value),
        )
    return case


def _row_number(table: str | None, first_row: int) -> exp.Expr:
    """The row's number in the source file: ``staged`` keeps the file's order."""
    return exp.Add(this=exp.column("file_row_number", table), expression=exp.convert(first_row))


def _row_faults(checks: list[Check], first_row: int) -> exp.Select:
    unnested = (
        exp.select(
            exp.alias_(_row_number(None, first_row), "__row"),
            exp.alias_(exp.Unnest(expressions=[exp.column("__faults")]), "__code"),
            exp.Unnest(expressions=[exp.column("__raw")]),
        )
        .from_("staged")
        .where(exp.not_(exp.Is(this=exp.column("__faults"), expression=exp.null())))
    )
    return exp.select(
        exp.alias_(exp.column("__row"), "row"),
        *(
            exp.alias_(_by_code(checks, field), alias, quoted=True)
            for field, alias in (
                ("column", "column"),
                ("value", "value"),
                ("rule", "rule"),
                ("message_en", "message_en"),
                ("message_zh", "message_zh"),
            )
        ),
    ).from_(unnested.subquery("unnested"))


def _duplicate_faults(group: list[str], index: int, first_row: int) -> exp.Select:
    shown = ", ".join(group)
    parts = [
        exp.DPipe(
            this=exp.Literal.string(f"{name}="),
            expression=exp.cast(exp.column(name, "s", quoted=True), "VARCHAR"),
        )
        for name in group
    ]
    times = exp.cast(exp.column("__times", "d"), "VARCHAR")
    rule = "duplicate_key" if index == 0 else "unique"
    english = _concat(f"({shown}) repeats: the same value is on ", times, " rows of the file")
    chinese = _concat(f"（{shown}）重複：同一值出現在檔案 ", times, " 列")
    return (
        exp.select(
            exp.alias_(_row_number("s", first_row), "row"),
            exp.alias_(exp.Literal.string(shown), "column", quoted=True),
            exp.alias_(
                exp.Anonymous(this="concat_ws", expressions=[exp.Literal.string("; "), *parts]),
                "value",
                quoted=True,
            ),
            exp.alias_(exp.Literal.string(rule), "rule", quoted=True),
            exp.alias_(english, "message_en", quoted=True),
            exp.alias_(chinese, "message_zh", quoted=True),
        )
        .from_(exp.alias_(exp.to_table("staged"), "s", table=True))
        .join(
            exp.alias_(exp.to_table(duplicates_table(index)), "d", table=True),
            on=duplicate_join(group, index),
        )
    )


def _concat(before: str, value: exp.Expr, after: str) -> exp.Expr:
    return exp.DPipe(
        this=exp.DPipe(this=exp.Literal.string(before), expression=value),
        expression=exp.Literal.string(after),
    )


def write_quarantine_csv(connection: duckdb.DuckDBPyConnection, path: Path) -> None:
    """The quarantine report as CSV, UTF-8 with a BOM so that Excel shows the Chinese."""
    plain = path.with_suffix(".plain.csv")
    connection.execute("COPY quarantine TO $path (FORMAT csv, HEADER)", {"path": str(plain)})
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
