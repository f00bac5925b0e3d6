"""Rows set aside (隔離列) while they stream past: the bad rows of a file, taken out of the one
pass that writes the good ones.

Validation is a single DuckDB ``COPY`` from the source file to the batch's ``data.parquet``. Its
filter calls a Python function, registered on the connection as :data:`FUNCTION`, on the rows
that fail a check and on no other row (it sits in the branch of a ``CASE`` that only bad rows
reach). The function gets what the quarantine report will need of each row — its faults, the
values of its key and ``unique`` columns, and how to find its place in the file — as one line
of JSON, which it appends to a work file, and answers FALSE, so that the row is not written.
Memory stays flat however many rows are bad; :func:`load_set_aside` reads the lines back into
a table.

DuckDB can call a Python function once per row (each call cheap: a few microseconds) or once per
chunk of up to 2,048 rows (each call dear: the chunk crosses to Arrow and back, and DuckDB's two
threads queue for Python's lock). Bad rows are usually few and scattered — one or two in a
chunk — so the function is first registered per row; if more than :data:`PER_ROW_LIMIT` rows
turn out bad, it stops the query (:class:`TooManyForRows`) and validation runs again with the
function per chunk.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from types import TracebackType
from typing import Any

import duckdb
import pyarrow as pa
from duckdb.func import FunctionNullHandling, PythonUDFType
from duckdb.sqltypes import BOOLEAN

FUNCTION = "yardstick_set_aside"
"""The function on the connection: ``yardstick_set_aside(row_as_json, padded_columns)``, the
second argument naming, comma-separated, the text columns read untrimmed that have a value
with spaces around it in that row."""

PER_ROW_LIMIT = 100_000
"""Bad rows taken one call each before validation switches to one call per chunk."""
_CHUNK_ROWS = 2048
"""DuckDB's vector size: the most rows one call gets."""


class TooManyForRows(Exception):
    """Raised inside the per-row function to stop the query (see the module's docstring)."""


class PaddedText(Exception):
    """Raised when a text column read untrimmed has spaces around a value: the query stops and
    validation starts again trimming that column (see
    :func:`~yardstick.datasets.validation.untrimmed_columns`)."""


class SetAsideRows:
    """The sink of bad rows: :meth:`register` it on a connection, run the query, :meth:`close`."""

    def __init__(self, path: Path, *, per_row: bool) -> None:
        self.path = path
        self.per_row = per_row
        self.rows = 0
        self.overflowed = False
        self.padded: frozenset[str] = frozenset()
        """Text columns read untrimmed that turned out to have a value with spaces around it."""
        self._lock = threading.Lock()
        self._file = path.open("w", encoding="utf-8")
        self._false = _falses(_CHUNK_ROWS)

    def register(self, connection: duckdb.DuckDBPyConnection) -> None:
        """Make :data:`FUNCTION` callable in ``connection``'s queries."""
        take: Callable[..., Any] = self._take_row if self.per_row else self._take_chunk
        connection.create_function(
            FUNCTION,
            take,
            None,
            BOOLEAN,
            type=PythonUDFType.NATIVE if self.per_row else PythonUDFType.ARROW,
            null_handling=FunctionNullHandling.SPECIAL,  # called even where a key is NULL
            side_effects=True,  # never folded, cached or skipped
        )

    def _take_row(self, row: str, padded: str) -> bool:
        """Store one bad row; FALSE, so that it is not written."""
        if padded:
            self._stop_for_padding(padded.split(","))
        with self._lock:
            if self.rows >= PER_ROW_LIMIT:
                self.overflowed = True
                raise TooManyForRows(f"more than {PER_ROW_LIMIT} rows set aside")
            self._file.write(row + "\n")
            self.rows += 1
        return False

    def _take_chunk(
        self, rows: pa.StringArray | pa.ChunkedArray, padded: pa.StringArray | pa.ChunkedArray
    ) -> pa.BooleanArray:
        """Store the rows of a chunk (all bad); FALSE for each, so that none is written."""
        count = len(rows)
        names = {name for names in padded.to_pylist() if names for name in names.split(",")}
        if names:
            self._stop_for_padding(names)
        lines = rows.to_pylist()
        with self._lock:
            self._file.write("\n".join(lines) + "\n")
            self.rows += count
        if count > len(self._false):
            self._false = _falses(count)
        return self._false.slice(0, count)

    def _stop_for_padding(self, columns: Iterable[str]) -> None:
        with self._lock:
            self.padded = self.padded | frozenset(columns)
        raise PaddedText(f"spaces around values of {', '.join(sorted(self.padded))}")

    def close(self) -> int:
        """Finish the work file; the number of rows set aside."""
        with self._lock:
            self._file.close()
        return self.rows

    def __enter__(self) -> SetAsideRows:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


def load_set_aside(
    connection: duckdb.DuckDBPyConnection, path: Path, table: str, columns: dict[str, str]
) -> None:
    """Create ``table`` (``id`` and ``columns``, DuckDB types) from the lines written at ``path``."""
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {table} AS SELECT row_number() OVER () AS id, * "
        "FROM read_json($path, format = 'newline_delimited', columns = $columns)",
        {"path": str(path), "columns": columns},
    )


def _falses(count: int) -> pa.BooleanArray:
    """``count`` FALSE values, built from a zeroed buffer (``pa.array`` would import pandas)."""
    bits = pa.py_buffer(bytes((count + 7) // 8))
    return pa.BooleanArray.from_buffers(pa.bool_(), count, [None, bits])
