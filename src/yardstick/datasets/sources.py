"""Source files as agencies send them: CSV (UTF-8, UTF-8 with BOM, Big5/CP950), XLSX, Parquet.

:func:`open_source` turns a file into a :class:`Source`: the file DuckDB reads (the original, or
a UTF-8 copy written in a work folder for Big5 text and for spreadsheets), its header, and how
to read it. Big5 (CP950, the encoding of Traditional-Chinese Windows) is transcoded in streaming
chunks, so memory stays flat whatever the file's size; the decoding is strict, so a byte that is
not Big5 stops the ingest with its line number instead of being replaced.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

import duckdb

from yardstick.datasets.errors import IngestError

_CHUNK = 1 << 20
_SAMPLE = 1 << 16
_DELIMITERS = (",", "\t", ";", "|")
BIG5 = "cp950"
"""Big5 as Windows writes it (CP950), a superset of plain Big5."""


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
    if fmt is SourceFormat.PARQUET:
        return _parquet_source(path)
    if fmt is SourceFormat.XLSX:
        return _csv_source(path, xlsx_to_csv(path, work / "source.csv"), "xlsx", fmt)
    chosen = detect_encoding(path) if encoding == "auto" else _codec_name(encoding)
    readable = path
    if chosen == BIG5:
        readable = transcode_to_utf8(path, work / "source.csv", BIG5)
    return _csv_source(path, readable, chosen, fmt)


def _codec_name(encoding: str) -> str:
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        raise IngestError(f"unknown encoding {encoding!r}; use utf-8 or big5") from None
    return BIG5 if name in ("big5", "cp950", "big5hkscs") else name


def detect_encoding(path: Path) -> str:
    """``utf-8`` (with or without BOM) or Big5 (``cp950``), judged from the start of the file."""
    with path.open("rb") as handle:
        sample = handle.read(_SAMPLE)
    if sample.startswith(codecs.BOM_UTF8):
        return "utf-8"
    for candidate in ("utf-8", BIG5):
        try:
            codecs.getincrementaldecoder(candidate)().decode(sample, final=False)
        except UnicodeDecodeError:
            continue
        return candidate
    raise IngestError(f"{path.name}: the text is neither UTF-8 nor Big5; save it as UTF-8")


def transcode_to_utf8(path: Path, target: Path, encoding: str) -> Path:
    """Copy ``path`` to ``target`` as UTF-8, chunk by chunk; a bad byte names its line."""
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    lines_before = 0
    with path.open("rb") as source, target.open("w", encoding="utf-8", newline="") as out:
        while chunk := source.read(_CHUNK):
            try:
                out.write(decoder.decode(chunk))
            except UnicodeDecodeError as error:
                line = lines_before + chunk.count(b"\n", 0, error.start) + 1
                raise IngestError(
                    f"{path.name}: line {line}: bytes that are not {encoding} "
                    f"({chunk[error.start : error.end].hex(' ')})"
                ) from None
            lines_before += chunk.count(b"\n")
        out.write(decoder.decode(b"", final=True))
    return target


def _csv_source(original: Path, readable: Path, encoding: str, fmt: SourceFormat) -> Source:
    with readable.open(encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    if not first.strip():
        raise IngestError(f"{original.name}: the file is empty; the first line must be the header")
    delimiter = max(_DELIMITERS, key=first.count)
    header = next(csv.reader([first], delimiter=delimiter))
    return Source(original, fmt, encoding, readable, [name.strip() for name in header], delimiter)


def _parquet_source(path: Path) -> Source:
    try:
        with duckdb.connect() as connection:
            query = "DESCRIBE SELECT * FROM read_parquet($p)"
            rows = connection.execute(query, {"p": str(path)}).fetchall()
        header = [str(row[0]) for row in rows]
    except duckdb.Error as error:
        raise IngestError(f"{path.name}: not a readable Parquet file: {error}") from None
    return Source(path, SourceFormat.PARQUET, "binary", path, header, first_row=1)


def xlsx_to_csv(path: Path, target: Path) -> Path:
    """The first sheet of a workbook as UTF-8 CSV, dates written ISO (2017-01-05)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not a workbook
        raise IngestError(f"{path.name}: not a readable XLSX workbook: {error}") from None
    try:
        sheet = workbook.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
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
    finally:
        workbook.close()
    return target


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
