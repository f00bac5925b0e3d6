"""Rows set aside (隔離列) while they stream past: the bad rows of a file, taken out of the one
pass that writes the good ones.

Validation is a single DuckDB ``COPY`` from the source file to the batch's ``data.parquet``. Its
filter calls a Python function, registered on the connection as :data:`FUNCTION`, on the rows
that fail a check and on no other row (it sits in the branch of a ``CASE`` that only bad rows
reach). The function stores what the quarantine report will need of each row — its faults, the
values of its key and ``unique`` columns, and how to find its place in the file — and answers
FALSE, so that the row is not written. Stored rows go to a Parquet work file in row groups, so
memory stays flat however many rows are bad.

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
import pyarrow.parquet as pq
from duckdb.func import FunctionNullHandling, PythonUDFType
from duckdb.sqltypes import BOOLEAN

FUNCTION = "yardstick_set_aside"
"""The name of the function on the connection: ``yardstick_set_aside({faults, keys, place})``."""

PER_ROW_LIMIT = 100_000
"""Bad rows taken one call each before validation switches to one call per chunk."""
_FLUSH_ROWS = 65_536
_CHUNK_ROWS = 2048
"""DuckDB's vector size: the most rows one call gets."""


class TooManyForRows(Exception):
    """Raised inside the per-row function to stop the query (see the module's docstring)."""


class PaddedText(Exception):
    """Raised when a text column read untrimmed has spaces around a value: the query stops and
    validation starts again trimming that column (see
    :func:`~yardstick.datasets.validation.untrimmed_columns`)."""


class SetAsideRows:
    """The sink of bad rows: :meth:`register` it on a connection, run the query, :meth:`close`.

    ``schema``: the Arrow schema of a stored row (``faults``, ``keys``, ``place``).
    """

    def __init__(self, path: Path, schema: pa.Schema, *, per_row: bool) -> None:
        self.path = path
        self.schema = schema
        self.per_row = per_row
        self.rows = 0
        self.overflowed = False
        self.padded: frozenset[str] = frozenset()
        """Text columns read untrimmed that turned out to have a value with spaces around it."""
        self._lock = threading.Lock()
        self._rows: list[dict[str, Any]] = []
        self._chunks: list[pa.RecordBatch] = []
        self._pending_rows = 0
        self._writer: pq.ParquetWriter | None = None
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

    def _take_row(self, row: dict[str, Any]) -> bool:
        """Store one bad row; FALSE, so that it is not written."""
        if row["padded"]:
            self._stop_for_padding(row["padded"])
        with self._lock:
            if self.rows >= PER_ROW_LIMIT:
                self.overflowed = True
                raise TooManyForRows(f"more than {PER_ROW_LIMIT} rows set aside")
            self._rows.append(row)
            self._stored(1)
        return False

    def _take_chunk(self, rows: pa.StructArray | pa.ChunkedArray) -> pa.BooleanArray:
        """Store the rows of a chunk (all bad); FALSE for each, so that none is written."""
        count = len(rows)
        chunks = rows.chunks if isinstance(rows, pa.ChunkedArray) else [rows]
        padded = {
            name
            for chunk in chunks
            for names in chunk.field("padded").to_pylist()
            for name in names
        }
        if padded:
            self._stop_for_padding(padded)
        with self._lock:
            self._chunks.extend(pa.RecordBatch.from_struct_array(chunk) for chunk in chunks)
            self._stored(count)
        if count > len(self._false):
            self._false = _falses(count)
        return self._false.slice(0, count)

    def _stop_for_padding(self, columns: Iterable[str]) -> None:
        with self._lock:
            self.padded = self.padded | frozenset(columns)
        raise PaddedText(f"spaces around values of {', '.join(sorted(self.padded))}")

    def _stored(self, count: int) -> None:
        self.rows += count
        self._pending_rows += count
        if self._pending_rows >= _FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        tables = (
            [pa.Table.from_batches(self._chunks).select(self.schema.names).cast(self.schema)]
            if self._chunks
            else []
        )
        if self._rows:
            tables.append(pa.Table.from_pylist(self._rows, schema=self.schema))  # drops `padded`
        if not tables:
            return
        if self._writer is None:
            self._writer = pq.ParquetWriter(self.path, self.schema)
        for table in tables:
            self._writer.write_table(table)
        self._rows, self._chunks, self._pending_rows = [], [], 0

    def close(self) -> int:
        """Write what is still pending; the number of rows set aside."""
        with self._lock:
            self._flush()
            if self._writer is not None:
                self._writer.close()
                self._writer = None
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


def _falses(count: int) -> pa.BooleanArray:
    """``count`` FALSE values, built from a zeroed buffer (``pa.array`` would import pandas)."""
    bits = pa.py_buffer(bytes((count + 7) // 8))
    return pa.BooleanArray.from_buffers(pa.bool_(), count, [None, bits])
