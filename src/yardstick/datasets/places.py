"""Where each set-aside row stands in its file: the row number the quarantine report shows.

DuckDB reads a CSV file in parallel and gives its rows no number. The one pass that validates a
file therefore stores, for each bad row only, a fingerprint of it (its ``place``): a hash of the
row's line as it stands in the file (``line``) and a hash of its fields (``fields``). When the
file had bad rows, one more pass puts every row's fingerprint in a table, in file order (a
plain projection, which DuckDB keeps in order); the row ids of the bad rows' fingerprints in
that table are their positions.

- **lines** (the file has no quote character): each line is a row, read whole without
  splitting it into fields — the cheap pass. A row's line is its fields joined by the
  delimiter, empty fields as empty text.
- **fields** (the file has quotes, which may hold delimiters or line breaks): the fields are
  read as validation read them and hashed together.
- Parquet files number their rows themselves (``file_row_number``); no pass is needed.

Rows with the same fingerprint are the same text, hence the same faults, so which of them gets
which position does not matter; but every bad row must find exactly one position. If the lines
pass cannot place them all (a file whose lines DuckDB splits differently from its rows), the
fields pass is run; if that fails too (two different rows with one 64-bit hash), the ingest
stops with an error rather than report a wrong row.
"""

from __future__ import annotations

import mmap
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.errors import IngestError
from yardstick.datasets.sources import Source, SourceFormat

SET_ASIDE = "set_aside"
"""The table of set-aside rows: ``id``, ``faults``, ``keys``, ``place`` (and ``position``)."""
PLACED = "set_aside_placed"
"""The table giving each set-aside row its position (0 = the first record): ``id, position``."""

_LINE_DELIMITER = "\x01"
"""Splits nothing: a byte that is never in text, so that a line is read as one field."""


class PlaceKind(StrEnum):
    """How rows are found in the file again."""

    LINES = "line"
    FIELDS = "fields"
    ROW_NUMBER = "row"


def place_expression(source: Source, fields: Sequence[exp.Expr] | None = None) -> exp.Expr:
    """The ``place`` of a row as the validating query computes it (for bad rows only).

    ``fields``: how the query refers to the file's fields as DuckDB read them, in file order
    (default: the columns of the source relation).
    """
    if source.format is SourceFormat.PARQUET:
        return exp.func(
            "struct_pack",
            exp.PropertyEQ(this=exp.to_identifier("row"), expression=exp.column("file_row_number")),
            copy=False,
        )
    fields = fields if fields is not None else _fields(source)
    return exp.func(
        "struct_pack",
        exp.PropertyEQ(this=exp.to_identifier("line"), expression=_line_hash(source, fields)),
        exp.PropertyEQ(this=exp.to_identifier("fields"), expression=_fields_hash(fields)),
        copy=False,
    )


def source_column(index: int) -> str:
    """The name under which the query reads the ``index``-th column of the file."""
    return f"c{index}"


def _fields(source: Source) -> list[exp.Expr]:
    return [exp.column(source_column(i), quoted=True) for i in range(len(source.header))]


def _fields_hash(fields: Sequence[exp.Expr]) -> exp.Expr:
    return exp.func("hash", *(field.copy() for field in fields), copy=False)


def _line_hash(source: Source, fields: Sequence[exp.Expr]) -> exp.Expr:
    """The hash of the row's line: its fields joined by the delimiter (DuckDB reads an empty
    field as NULL, written back as nothing)."""
    line: exp.Expr | None = None
    for field in fields:
        text = exp.func("coalesce", field.copy(), exp.Literal.string(""), copy=False)
        line = (
            text
            if line is None
            else exp.DPipe(
                this=exp.DPipe(this=line, expression=exp.Literal.string(source.delimiter)),
                expression=text,
            )
        )
    return exp.func("hash", line, copy=False)


def place_rows(connection: duckdb.DuckDBPyConnection, source: Source) -> None:
    """Create :data:`PLACED` (``id, position``) for every row of :data:`SET_ASIDE`."""
    if source.format is SourceFormat.PARQUET:
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {PLACED} AS "
            f"SELECT id, place.row AS position FROM {SET_ASIDE}"
        )
        return
    kinds = [PlaceKind.FIELDS]
    if not _holds_any(source.readable, (b'"', _LINE_DELIMITER.encode())):
        kinds.insert(0, PlaceKind.LINES)
    for kind in kinds:
        if _place_by(connection, source, kind):
            return
    raise IngestError(
        f"{source.original.name}: cannot tell the row numbers of the rows that break the "
        "contract (two different rows look alike to the hash); please report this file"
    )


def _holds_any(path: Path, needles: tuple[bytes, ...]) -> bool:
    with path.open("rb") as handle:
        if path.stat().st_size == 0:
            return False
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            return any(data.find(needle) >= 0 for needle in needles)


def _reader(source: Source, kind: PlaceKind) -> tuple[str, dict[str, object]]:
    """A ``FROM`` item over the file's rows, with a ``fingerprint`` column, in file order."""
    if kind is PlaceKind.FIELDS:
        relation, params = source.relation_sql()
        names = ", ".join(source_column(index) for index in range(len(source.header)))
        fingerprint = _fields_hash(_fields(source)).sql(dialect="duckdb")
        return (
            f"(SELECT {fingerprint} AS fingerprint FROM {relation} AS src({names}))",
            params,
        )
    relation = (
        "read_csv($source, columns = {'line': 'VARCHAR'}, header = true, auto_detect = false, "
        "delim = $line_delimiter, quote = '', escape = '', strict_mode = false)"
    )
    # DuckDB skips empty lines when it reads rows, so they are no rows here either
    return (
        f"(SELECT hash(line) AS fingerprint FROM {relation} WHERE line IS NOT NULL)",
        {"source": str(source.readable), "line_delimiter": _LINE_DELIMITER},
    )


_FINGERPRINTS = "source_fingerprints"


def _place_by(connection: duckdb.DuckDBPyConnection, source: Source, kind: PlaceKind) -> bool:
    """Place every set-aside row by ``kind``; False (and nothing created) if some row finds no
    position or too many."""
    reader, params = _reader(source, kind)
    # a table keeps the order of a plain projection (row ids in file order); a join would not
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {_FINGERPRINTS} AS SELECT fingerprint FROM {reader}",
        params,
    )
    found = (
        "SELECT rowid AS position, fingerprint, "
        "row_number() OVER (PARTITION BY fingerprint ORDER BY rowid) AS nth "
        f"FROM {_FINGERPRINTS} "
        f"WHERE fingerprint IN (SELECT place.{kind.value} FROM {SET_ASIDE})"
    )
    rows = (
        f"SELECT id, place.{kind.value} AS fingerprint, "
        f"row_number() OVER (PARTITION BY place.{kind.value} ORDER BY id) AS nth FROM {SET_ASIDE}"
    )
    try:
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {PLACED} AS SELECT r.id, f.position "
            f"FROM ({rows}) r JOIN ({found}) f USING (fingerprint, nth)"
        )
        counts = connection.execute(
            f"SELECT (SELECT count(*) FROM ({found})), (SELECT count(*) FROM {SET_ASIDE}), "
            f"(SELECT count(*) FROM {PLACED})"
        ).fetchone()
    finally:
        connection.execute(f"DROP TABLE IF EXISTS {_FINGERPRINTS}")
    if counts is None or not counts[0] == counts[1] == counts[2]:
        connection.execute(f"DROP TABLE IF EXISTS {PLACED}")
        return False
    return True
