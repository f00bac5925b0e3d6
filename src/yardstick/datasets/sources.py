"""Source files as agencies send them: CSV (UTF-8, Big5/CP950, UTF-16), XLSX, Parquet.

:func:`open_source` turns a file into a :class:`Source`: the file DuckDB reads (the original, or
a UTF-8 copy written in a work folder for other encodings and for spreadsheets), its header,
and how to read it. Whatever the file holds, what comes out is a :class:`Source` or an
:class:`~yardstick.datasets.errors.IngestError` naming the file as the user gave it; text
encodings are in :mod:`~yardstick.datasets.encodings`.
"""

from __future__ import annotations

import csv
import datetime as dt
import zipfile
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from yardstick.datasets.duckdb_errors import reading
from yardstick.datasets.encodings import (
    UTF8,
    codec_name,
    detect_encoding,
    first_line,
    transcode_to_utf8,
)
from yardstick.datasets.errors import IngestError

_DELIMITERS = (",", "\t", ";", "|")


class SourceFormat(StrEnum):
    """The kinds of file ingest reads."""

    CSV = "csv"
    XLSX = "xlsx"
    PARQUET = "parquet"


@dataclass(frozen=True)
class Source:
    """A file ready for DuckDB: the path it reads, the header, and the row number of record 1."""

    original: Path
    format: SourceFormat
    encoding: str
    readable: Path
    header: list[str]
    delimiter: str = ","
    first_row: int = 2
    """Row number (as a spreadsheet shows it) of the first record: 2 below a header, 1 in Parquet."""

    def reading(self) -> AbstractContextManager[None]:
        """A context in which DuckDB's errors about this file become our own
        (:func:`~yardstick.datasets.duckdb_errors.reading`)."""
        parquet = self.format is SourceFormat.PARQUET
        return reading(self.original.name, self.original, self.readable, parquet=parquet)

    def relation_sql(self) -> tuple[str, dict[str, object]]:
        """A ``FROM`` item reading every column (as text, from CSV), and its query parameters.

        Parquet rows come with their number in the file (``file_row_number``, after the columns).
        """
        if self.format is SourceFormat.PARQUET:
            return "read_parquet($source, file_row_number = true)", {"source": str(self.readable)}
        params: dict[str, object] = {
            "source": str(self.readable),
            "columns": {f"c{index}": "VARCHAR" for index in range(len(self.header))},
            "delimiter": self.delimiter,
        }
        reader = (
            "read_csv($source, columns = $columns, header = true, auto_detect = false, "
            "delim = $delimiter, quote = '\"', escape = '\"', strict_mode = true)"
        )
        return reader, params


def source_format(path: Path) -> SourceFormat:
    """The format, from the file name's suffix."""
    suffix = path.suffix.lower().lstrip(".")
    aliases = {"txt": "csv", "tsv": "csv", "xlsm": "xlsx", "pq": "parquet"}
    try:
        return SourceFormat(aliases.get(suffix, suffix))
    except ValueError:
        raise IngestError(
            f"{path.name}: cannot read .{suffix} files; send CSV, XLSX or Parquet"
        ) from None


def open_source(path: Path, work: Path, encoding: str = "auto") -> Source:
    """Prepare ``path`` for reading, writing any transcoded copy into the folder ``work``."""
    if not path.is_file():
        raise IngestError(f"{path}: no such file")
    fmt = source_format(path)
    try:
        if fmt is SourceFormat.PARQUET:
            return _parquet_source(path)
        if fmt is SourceFormat.XLSX:
            return _csv_source(path, xlsx_to_csv(path, work / "source.csv"), "xlsx", fmt)
        chosen = detect_encoding(path) if encoding == "auto" else codec_name(encoding)
        readable = path
        if chosen != UTF8:
            readable = transcode_to_utf8(path, work / "source.csv", chosen)
        return _csv_source(path, readable, chosen, fmt)
    except OSError as error:
        raise IngestError(f"{path.name}: cannot read the file: {error.strerror}") from None


def _csv_source(original: Path, readable: Path, encoding: str, fmt: SourceFormat) -> Source:
    first = first_line(readable, original.name)
    if not first.strip():
        raise IngestError(f"{original.name}: the file is empty; the first line must be the header")
    delimiter = max(_DELIMITERS, key=first.count)
    try:
        header = next(csv.reader([first], delimiter=delimiter))
    except csv.Error as error:
        raise IngestError(f"{original.name}: line 1 is not a header: {error}") from None
    return Source(original, fmt, encoding, readable, [name.strip() for name in header], delimiter)


def _parquet_source(path: Path) -> Source:
    with reading(path.name, path, parquet=True), duckdb.connect() as connection:
        query = "DESCRIBE SELECT * FROM read_parquet($p)"
        rows = connection.execute(query, {"p": str(path)}).fetchall()
    header = [str(row[0]) for row in rows]
    return Source(path, SourceFormat.PARQUET, "binary", path, header, first_row=1)


def xlsx_to_csv(path: Path, target: Path) -> Path:
    """The first sheet of a workbook as UTF-8 CSV, dates written ISO (2017-01-05).

    Cells hold their values as Excel last computed them (a formula's cached result; empty if
    the file was never opened in Excel); a merged range has its value in its first cell only.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise IngestError(
            f"{path.name}: not a readable XLSX workbook ({_why(error, path)})"
        ) from None
    try:
        if not workbook.worksheets:
            raise IngestError(f"{path.name}: the workbook has no worksheet")
        _write_sheet_csv(workbook.worksheets[0].iter_rows(values_only=True), target)
    except IngestError:
        raise
    except Exception as error:  # a damaged sheet fails as it is read, with openpyxl's own kinds
        raise IngestError(
            f"{path.name}: the first sheet cannot be read ({_why(error, path)})"
        ) from None
    finally:
        workbook.close()
    return target


def _why(error: Exception, path: Path) -> str:
    """openpyxl's or zipfile's reason in one line, without the server's path."""
    if isinstance(error, zipfile.BadZipFile):
        return "it is not a zip archive, as an XLSX file is; an old .xls or another file renamed?"
    text = str(error).replace(str(path), path.name).strip().splitlines()
    return (text[0][:200] if text else type(error).__name__).strip("\"'")


def _write_sheet_csv(rows: Iterator[tuple[object, ...]], target: Path) -> None:
    header = [_cell_text(value) for value in next(rows, ())]
    while header and not header[-1].strip():
        header.pop()
    with target.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        blank_rows = 0  # written only if a filled row follows, so row numbers stay Excel's
        for row in rows:
            cells = [_cell_text(value) for value in row[: len(header)]]
            if not any(cells):
                blank_rows += 1
                continue
            writer.writerows([[""] * len(header)] * blank_rows)
            blank_rows = 0
            writer.writerow(cells + [""] * (len(header) - len(cells)))


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
