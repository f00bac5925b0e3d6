"""Validation (檢核) in DuckDB: one vectorised pass types and checks every row of a source.

:func:`stage_rows` reads the source once and writes, in file order, a work Parquet file (seen as
the view ``staged``): per row the typed values under the contract's names, the codes of the
checks it fails (NULL when it fails none) and, for failing rows only, the texts as they came.
A row's number in the file is its position in that file (``file_row_number``), so the scan
stays parallel. Keys and ``unique`` columns are then checked across rows with one aggregate
each, :mod:`~yardstick.datasets.quarantine` gathers every fault (one row per fault), and
:func:`write_accepted` copies the good rows to Parquet. All SQL is built with
SQLGlot from the contract; file paths and headings travel as query parameters.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.checks import TRIMMED_TYPES, Check, ident, raw_name, typed_value
from yardstick.datasets.contract import Column, Contract
from yardstick.datasets.sources import Source

DIALECT = "duckdb"
_SOURCE_SLOT = "__source_slot"


def sql_text(tree: exp.Expr) -> str:
    """A SQLGlot tree as DuckDB SQL."""
    return tree.sql(dialect=DIALECT)


def staging_query(
    contract: Contract, source: Source, positions: list[int], checks: list[Check]
) -> tuple[str, dict[str, object]]:
    """``SELECT`` producing the staged rows, and its parameters."""
    raw = [
        exp.alias_(
            _raw_text(exp.column(exp.to_identifier(f"c{position}", quoted=True)), column),
            raw_name(index),
            quoted=True,
        )
        for index, (position, column) in enumerate(zip(positions, contract.columns, strict=True))
    ]
    numbered = exp.select(*raw).from_(_SOURCE_SLOT)
    typed = exp.select(
        *(
            exp.alias_(typed_value(column, ident(raw_name(i))), column.name, quoted=True)
            for i, column in enumerate(contract.columns)
        ),
        *(ident(raw_name(i)) for i in range(len(contract.columns))),
    ).from_(numbered.subquery("numbered"))
    checked = exp.select(
        *(ident(name) for name in contract.column_names),
        exp.alias_(_fault_codes(checks), "__faults"),
        *(ident(raw_name(i)) for i in range(len(contract.columns))),
    ).from_(typed.subquery("typed"))
    staged = exp.select(
        *(ident(name) for name in contract.column_names),
        "__faults",
        exp.alias_(
            exp.case().when(
                exp.not_(exp.Is(this=exp.column("__faults"), expression=exp.null())),
                _raw_struct(len(contract.columns)),
            ),
            "__raw",
        ),
    ).from_(checked.subquery("checked"))
    reader, params = source.relation_sql()
    names = ", ".join(f"c{index}" for index in range(len(source.header)))
    return sql_text(staged).replace(_SOURCE_SLOT, f"{reader} AS src({names})", 1), params


def _raw_text(value: exp.Expr, column: Column) -> exp.Expr:
    """The field as text, NULL when empty; trimmed for text and yes/no columns (the casts of
    numbers and dates skip surrounding spaces themselves, so trimming them would be wasted)."""
    text: exp.Expr = exp.cast(value, "VARCHAR")
    if column.type in TRIMMED_TYPES:
        text = exp.Trim(this=text)
    return exp.Nullif(this=text, expression=exp.Literal.string(""))


def _fault_codes(checks: list[Check]) -> exp.Expr:
    """The codes of the checks a row fails, or NULL when it fails none."""
    if not checks:
        return exp.cast(exp.null(), "INTEGER[]")
    failing = exp.func(
        "coalesce", exp.or_(*(check.condition.copy() for check in checks)), exp.false()
    )
    codes = exp.Array(
        expressions=[
            exp.case().when(check.condition.copy(), exp.convert(check.code)) for check in checks
        ]
    )
    return exp.case().when(failing, exp.func("list_distinct", codes))


def _raw_struct(count: int) -> exp.Expr:
    fields = [
        exp.PropertyEQ(
            this=exp.to_identifier(raw_name(i), quoted=True), expression=ident(raw_name(i))
        )
        for i in range(count)
    ]
    return exp.func("struct_pack", *fields)


def stage_rows(
    connection: duckdb.DuckDBPyConnection,
    contract: Contract,
    source: Source,
    positions: list[int],
    checks: list[Check],
    staged_path: Path,
) -> int:
    """Read, type and check every row into the Parquet file ``staged_path`` (in file order),
    seen from then on as the view ``staged``; the number of rows read."""
    query, params = staging_query(contract, source, positions, checks)
    copied = connection.execute(
        f"COPY ({query}) TO $staged (FORMAT parquet)", {**params, "staged": str(staged_path)}
    ).fetchone()
    reader = exp.func(
        "read_parquet",
        exp.Literal.string(str(staged_path)),
        exp.EQ(this=exp.column("file_row_number"), expression=exp.true()),
    )
    connection.execute(f"CREATE OR REPLACE TEMP VIEW staged AS SELECT * FROM {sql_text(reader)}")
    return int(copied[0]) if copied else 0


def uniqueness_groups(contract: Contract) -> list[list[str]]:
    """The column sets whose values must not repeat: the key, then each ``unique`` column."""
    groups = [list(contract.key)]
    for column in contract.columns:
        if column.unique and [column.name] not in groups:
            groups.append([column.name])
    return groups


def duplicates_table(index: int) -> str:
    return f"duplicates_{index}"


def find_duplicates(connection: duckdb.DuckDBPyConnection, contract: Contract) -> list[list[str]]:
    """Tables ``duplicates_<i>`` of repeated key values; the groups that have any."""
    repeated = []
    for index, group in enumerate(uniqueness_groups(contract)):
        columns = [ident(name) for name in group]
        query = (
            exp.select(*columns, exp.alias_(exp.Count(this=exp.Star()), "__times"))
            .from_("staged")
            .where(
                exp.and_(*(exp.not_(exp.Is(this=c.copy(), expression=exp.null())) for c in columns))
            )
            .group_by(*(c.copy() for c in columns))
            .having(exp.GT(this=exp.Count(this=exp.Star()), expression=exp.convert(1)))
        )
        table = duplicates_table(index)
        connection.execute(f"CREATE OR REPLACE TEMP TABLE {table} AS {sql_text(query)}")
        found = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        if found and found[0]:
            repeated.append(group)
    return repeated


def duplicate_join(group: list[str], index: int) -> exp.Expr:
    return exp.and_(
        *(
            exp.EQ(
                this=exp.column(name, "s", quoted=True),
                expression=exp.column(name, "d", quoted=True),
            )
            for name in group
        )
    )


def _good_rows(contract: Contract, duplicates: list[list[str]]) -> exp.Select:
    groups = uniqueness_groups(contract)
    query = exp.select(
        *(exp.column(name, "s", quoted=True) for name in contract.column_names)
    ).from_(exp.alias_(exp.to_table("staged"), "s", table=True))
    query = query.where(exp.Is(this=exp.column("__faults", "s"), expression=exp.null()))
    for group in duplicates:
        index = groups.index(group)
        repeated = exp.select("1").from_(
            exp.alias_(exp.to_table(duplicates_table(index)), "d", table=True)
        )
        query = query.where(exp.not_(exp.Exists(this=repeated.where(duplicate_join(group, index)))))
    return query


def write_accepted(
    connection: duckdb.DuckDBPyConnection,
    contract: Contract,
    duplicates: list[list[str]],
    path: Path,
) -> int:
    """Copy the rows that pass every check to Parquet at ``path``; how many there were."""
    query = sql_text(_good_rows(contract, duplicates))
    row = connection.execute(
        f"COPY ({query}) TO $path (FORMAT parquet)", {"path": str(path)}
    ).fetchone()
    return int(row[0]) if row else 0
