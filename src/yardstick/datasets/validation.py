"""Validation (檢核) in DuckDB: one vectorised pass types and checks every row of a source and
writes the good ones.

:func:`validate` runs a single ``COPY`` from the source to the batch's ``data.parquet``. Its query
has three layers: the fields as text (``__raw_<i>``, NULL when empty), their typed values under
the contract's names, and a screen — one cheap condition, true exactly on the rows that fail a
check (:func:`~yardstick.datasets.checks.fault_screen`), or has a space around a text value read
untrimmed (:func:`untrimmed_columns`: such a value restarts the pass, trimming its column). Good
rows are written; each bad row is handed, with the list of its faults, its key values and its
fingerprint, to :mod:`~yardstick.datasets.setaside` and not written. Nothing is written twice and nothing but the
bad rows is kept aside, so the pass costs about what a plain copy of the file costs. Keys and
``unique`` columns are checked across rows afterwards (:mod:`~yardstick.datasets.duplicates`),
bad rows find their row numbers in :mod:`~yardstick.datasets.places`.

All SQL is built with SQLGlot from the contract; file paths travel as query parameters.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.checks import (
    TRIMMED_TYPES,
    Check,
    fault_screen,
    ident,
    raw_name,
    typed_value,
)
from yardstick.datasets.contract import Column, ColumnType, Contract
from yardstick.datasets.places import SET_ASIDE, place_expression, source_column
from yardstick.datasets.setaside import FUNCTION, SetAsideRows, load_set_aside
from yardstick.datasets.sources import Source, SourceFormat

DIALECT = "duckdb"
_SOURCE_SLOT = "__source_slot"
_BAD = "__bad"


def sql_text(tree: exp.Expr) -> str:
    """A SQLGlot tree as DuckDB SQL."""
    return tree.sql(dialect=DIALECT)


def uniqueness_groups(contract: Contract) -> list[list[str]]:
    """The column sets whose values must not repeat: the key, then each ``unique`` column."""
    groups = [list(contract.key)]
    for column in contract.columns:
        if column.unique and [column.name] not in groups:
            groups.append([column.name])
    return groups


def _key_columns(contract: Contract) -> list[str]:
    """The columns of every uniqueness group, once each."""
    return list(dict.fromkeys(name for group in uniqueness_groups(contract) for name in group))


def validation_query(
    contract: Contract,
    source: Source,
    positions: list[int],
    checks: list[Check],
    as_read: frozenset[str] = frozenset(),
) -> tuple[str, dict[str, object]]:
    """``SELECT`` of the good rows, typed, that sets the bad ones aside; and its parameters.

    ``as_read``: text columns taken as DuckDB read them, without trimming (see
    :func:`untrimmed_columns`); a value with a space at either end stops the pass.
    """
    count = len(contract.columns)
    # the file's fields as read, for the fingerprint of a bad row: a column's text where it is
    # the field untouched (CSV, not trimmed), else the field itself, carried along
    as_is = {
        positions[i]: ident(raw_name(i))
        for i, column in enumerate(contract.columns)
        if source.format is not SourceFormat.PARQUET
        and (column.type not in TRIMMED_TYPES or column.name in as_read)
    }
    fields = [
        as_is.get(j, exp.column(source_column(j), quoted=True)) for j in range(len(source.header))
    ]
    passed = [exp.column(source_column(j), quoted=True) for j in range(len(source.header))]
    passed = [field for j, field in enumerate(passed) if j not in as_is]
    if source.format is SourceFormat.PARQUET:
        passed = [exp.column("file_row_number")]
    raw = [
        exp.alias_(
            _raw_text(
                exp.column(source_column(position), quoted=True),
                column,
                source,
                trim=column.name not in as_read,
            ),
            raw_name(index),
            quoted=True,
        )
        for index, (position, column) in enumerate(zip(positions, contract.columns, strict=True))
    ]
    texts = exp.select(*raw, *passed, copy=False).from_(_SOURCE_SLOT, copy=False)
    typed = exp.select(
        *(
            exp.alias_(typed_value(column, ident(raw_name(i))), column.name, quoted=True)
            for i, column in enumerate(contract.columns)
        ),
        *(ident(raw_name(i)) for i in range(count)),
        *(p.copy() for p in passed),
        copy=False,
    ).from_(texts.subquery("texts", copy=False), copy=False)
    padded = {
        name: _padded(ident(raw_name(contract.column_names.index(name))))
        for name in contract.column_names
        if name in as_read
    }
    # a padded value of a column checked against a list fails that check: no guard needed
    listed = {check.column for check in checks if check.rule in ("allowed_values", "org_unit")}
    guards = [guard.copy() for name, guard in padded.items() if name not in listed]
    screen = exp.or_(fault_screen(contract, checks), *guards, copy=False)
    screened = exp.select(exp.Star(), exp.alias_(screen, _BAD, copy=False), copy=False).from_(
        typed.subquery("typed", copy=False), copy=False
    )
    keys = exp.func(
        "struct_pack",
        *(
            exp.PropertyEQ(this=exp.to_identifier(name, quoted=True), expression=ident(name))
            for name in _key_columns(contract)
        ),
        copy=False,
    )
    row = _concat(  # one line of JSON: {"faults": [...], "keys": {...}, "place": {...}}
        exp.Literal.string('{"faults":'),
        _faults(checks),
        exp.Literal.string(',"keys":'),
        exp.func("to_json", keys, copy=False),
        exp.Literal.string(',"place":'),
        exp.func("to_json", place_expression(source, fields), copy=False),
        exp.Literal.string("}"),
    )
    set_aside = exp.Anonymous(this=FUNCTION, expressions=[row, _names_where(padded)])
    good = (
        exp.select(*(ident(name) for name in contract.column_names), copy=False)
        .from_(screened.subquery("screened", copy=False), copy=False)
        .where(
            exp.case().when(exp.column(_BAD), set_aside, copy=False).else_(exp.true()),
            copy=False,
        )
    )
    reader, params = source.relation_sql()
    names = ", ".join(source_column(index) for index in range(len(source.header)))
    relation = f"{reader} AS src({names})"
    return sql_text(good).replace(_SOURCE_SLOT, relation, 1), params


def _raw_text(value: exp.Expr, column: Column, source: Source, *, trim: bool) -> exp.Expr:
    """The field as text, NULL when empty; trimmed for text and yes/no columns (the casts of
    numbers and dates skip surrounding spaces themselves, so trimming them would be wasted).

    DuckDB reads an empty CSV field as NULL already; a Parquet file may hold empty strings.
    ``TRIM`` copies every string, so it runs only on the fields that start or end with a space;
    even so it costs, and ``trim=False`` leaves the text as it is.
    """
    from_csv = source.format is not SourceFormat.PARQUET
    text: exp.Expr = value if from_csv else exp.cast(value, "VARCHAR")
    empty = exp.Literal.string("")
    if column.type not in TRIMMED_TYPES or not trim:
        return text if from_csv else exp.Nullif(this=text, expression=empty)
    padded = exp.or_(
        _padded(text),
        *([] if from_csv else [exp.EQ(this=text.copy(), expression=empty.copy())]),
    )
    trimmed = exp.Nullif(this=exp.Trim(this=text.copy()), expression=empty.copy())
    return exp.case().when(padded, trimmed, copy=False).else_(text)


def _padded(text: exp.Expr) -> exp.Expr:
    """The text starts or ends with a space."""
    return exp.or_(
        exp.func("starts_with", text.copy(), exp.Literal.string(" "), copy=False),
        exp.func("ends_with", text.copy(), exp.Literal.string(" "), copy=False),
    )


def _names_where(conditions: dict[str, exp.Expr]) -> exp.Expr:
    """The names whose condition holds, joined by commas (empty text when there are none)."""
    entries = [
        exp.case().when(condition.copy(), exp.Literal.string(name), copy=False)
        for name, condition in conditions.items()
    ]
    if not entries:
        return exp.cast(exp.null(), "VARCHAR")
    return exp.Anonymous(this="concat_ws", expressions=[exp.Literal.string(","), *entries])


def untrimmed_columns(contract: Contract, source: Source) -> frozenset[str]:
    """The text columns first read without trimming: all of them, from CSV.

    Most extracts have no spaces around their values, and trimming every field costs a sixth
    of a plain copy of the file; so text is first taken as read, with a check for a space at
    either end (none where the column is checked against a list of values, which no padded
    value is in). The first such value stops the pass (usually within its first rows, as
    padded exports pad every row), and validation starts again trimming that column.
    """
    if source.format is SourceFormat.PARQUET:
        return frozenset()
    return frozenset(c.name for c in contract.columns if c.type is ColumnType.STRING)


def _faults(checks: list[Check]) -> exp.Expr:
    """The ``{code, value}`` of each check a (bad) row fails, ``value`` being the text as it
    came: a JSON array, built as text (no lambda, no nested struct: it runs on every chunk that
    holds a bad row)."""
    entries = [
        exp.case().when(
            check.condition.copy(),
            _concat(
                exp.Literal.string(f'{{"code":{check.code},"value":'),
                exp.func(
                    "coalesce",
                    exp.func("to_json", exp.cast(check.value.copy(), "VARCHAR"), copy=False),
                    exp.Literal.string("null"),
                    copy=False,
                ),
                exp.Literal.string("}"),
            ),
            copy=False,
        )
        for check in checks
    ]
    if not entries:
        return exp.Literal.string("[]")
    listed = exp.Anonymous(this="concat_ws", expressions=[exp.Literal.string(","), *entries])
    return _concat(exp.Literal.string("["), listed, exp.Literal.string("]"))


def _concat(*parts: exp.Expr) -> exp.Expr:
    joined = parts[0]
    for part in parts[1:]:
        joined = exp.DPipe(this=joined, expression=part)
    return joined


def set_aside_columns(contract: Contract, source: Source) -> dict[str, str]:
    """The DuckDB types of a set-aside row: its faults, key values and fingerprint."""
    keys = ", ".join(
        f"{exp.to_identifier(name, quoted=True).sql(dialect=DIALECT)} "
        f"{_DUCKDB_TYPES[contract.column(name).type]}"
        for name in _key_columns(contract)
    )
    place = (
        "STRUCT(row BIGINT)"
        if source.format is SourceFormat.PARQUET
        else "STRUCT(line UBIGINT, fields UBIGINT)"
    )
    return {
        "faults": "STRUCT(code INTEGER, value VARCHAR)[]",
        "keys": f"STRUCT({keys})",
        "place": place,
    }


_DUCKDB_TYPES = {
    ColumnType.STRING: "VARCHAR",
    ColumnType.INTEGER: "BIGINT",
    ColumnType.DECIMAL: "DOUBLE",
    ColumnType.BOOLEAN: "BOOLEAN",
    ColumnType.DATE: "DATE",
    ColumnType.TIMESTAMP: "TIMESTAMP",
}


def validate(
    connection: duckdb.DuckDBPyConnection,
    contract: Contract,
    source: Source,
    positions: list[int],
    checks: list[Check],
    target: Path,
    set_aside_path: Path,
) -> tuple[int, int]:
    """Write the good rows of ``source`` to the Parquet file ``target`` and create the table
    ``set_aside`` of the bad ones (``id``, ``faults``, ``keys``, ``place``); the numbers of rows
    written and set aside. Raises :class:`duckdb.Error` when DuckDB cannot read the file."""
    as_read = untrimmed_columns(contract, source)
    per_row = True
    while True:
        query, params = validation_query(contract, source, positions, checks, as_read)
        sink = SetAsideRows(set_aside_path, per_row=per_row)
        sink.register(connection)
        try:
            row = connection.execute(
                f"COPY ({query}) TO $target (FORMAT parquet)", {**params, "target": str(target)}
            ).fetchone()
            break
        except duckdb.Error:
            if sink.padded & as_read:  # each restart trims at least one more column
                as_read -= sink.padded
            elif sink.overflowed and per_row:
                per_row = False
            else:
                raise
        finally:
            connection.remove_function(FUNCTION)
            sink.close()
    written = int(row[0]) if row else 0
    if sink.rows:
        load_set_aside(connection, set_aside_path, SET_ASIDE, set_aside_columns(contract, source))
        empty = connection.execute(
            f"SELECT count(*) FROM {SET_ASIDE} WHERE len(faults) = 0"
        ).fetchone()
        if empty and empty[0]:  # the screen and the checks disagree: a bug, never a bad file
            raise AssertionError(f"{empty[0]} rows set aside without a fault")
    return written, sink.rows
