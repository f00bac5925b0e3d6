"""Mutants of real extracts, and what ingest must make of any of them.

Shared by the fuzz tests (``tests/datasets/test_fuzz_extracts.py``, seeded and short) and the
longer run (``benchmarks/fuzz_extracts.py``). The extracts are real ones — rows of the demo
generator's record sets and the Big5 fixture — written as CSV (UTF-8 or Big5), XLSX or Parquet;
hypothesis then changes cells (random Unicode, huge numbers, bad dates, formulas, quotes, line
breaks), columns (added, dropped, renamed, repeated header), the encoding, the line ends, the
bytes (flipped, inserted, deleted, cut short) and the file's extension.

:func:`check_ingest` runs ``ingest_file`` on a mutant and asserts that the outcome is either a
batch whose quarantine names a row and a reason for every bad row, or one of our own errors
(one line, no server path) that leaves no batch, folder or work file behind.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
from hypothesis import strategies as st

from tests.conftest import FIXTURES, REPO
from yardstick.datasets import (
    Contract,
    FileBatchRegistry,
    IngestStatus,
    OrgUnits,
    ingest_file,
    load_contracts,
    load_org_units,
)
from yardstick.errors import YardstickError

PLAN = REPO / "plans" / "moj-106-109"
DATASETS = (
    "enforcement_cases",
    "legal_assistance_cases",
    "prison_population",
    "capital_budget_execution",
)
ROWS = 12
"""Rows of each real extract that mutants start from."""


@functools.cache
def org_units() -> OrgUnits:
    return load_org_units(PLAN / "orgunits.yaml")


@functools.cache
def contract(dataset: str) -> Contract:
    loaded = load_contracts(PLAN / "datasets")[dataset]
    assert isinstance(loaded, Contract)
    return loaded


@functools.cache
def real_rows(dataset: str) -> pa.Table:
    """The first rows of the demo generator's record set (plausible, mostly valid records)."""
    from yardstick.demo.generate import record_sets

    make = record_sets(0.0005, org_units())[dataset]
    return make(np.random.default_rng([106, DATASETS.index(dataset)])).slice(0, ROWS)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _cells(dataset: str) -> list[list[str]]:
    """The extract as text cells, header first."""
    if dataset == "fixture":
        text = (FIXTURES / "datasets" / "enforcement_cases_big5.csv").read_bytes().decode("cp950")
        return list(csv.reader(io.StringIO(text)))
    table = real_rows(dataset)
    return [table.column_names, *([_text(v) for v in row.values()] for row in table.to_pylist())]


ODD_VALUES = st.sampled_from(
    [
        "9" * 400,
        "1e309",
        "-1e400",
        "NaN",
        "inf",
        "-0",
        "0x1F",
        "1,2,3",
        "9223372036854775808",
        "-9223372036854775809",
        "2017-02-30",
        "106/13/40",
        "0000-00-00",
        "99999999",
        "infinity",
        "epoch",
        "10000-01-01",
        "0106/01/05",
        "=cmd|'/c calc'!A1",
        "＝1+1",
        '"',
        '""',
        ",",
        "\t",
        "\r",
        "\n",
        "\r\n",
        "\x00",
        "\ufeff",
        " ",
        "是",
        "TRUE",
        "x" * 70_000,
    ]
)
CELL_VALUES = st.one_of(ODD_VALUES, st.text(max_size=20), st.integers().map(str))


@dataclass(frozen=True)
class Mutant:
    """A file to ingest: its name, its bytes, how it was made, how to ingest it."""

    dataset: str
    name: str
    content: bytes
    steps: tuple[str, ...]
    encoding: str = "auto"
    strict: bool = False

    def __str__(self) -> str:
        return f"{self.name} ({self.dataset}; {' → '.join(self.steps)}; {len(self.content)} bytes)"


_CELL_EDITS = ["cell"] * 8 + ["raw"] * 3 + ["add column", "drop column", "rename", "header twice"]
"""Mostly values (which reach the checks), sometimes the columns (which the header stops)."""


def _often(common: object, *others: object) -> st.SearchStrategy[object]:
    """``common`` two times in three, else one of ``others``."""
    return st.sampled_from([common] * 2 * len(others) + list(others))


@st.composite
def _cell_edits(draw: st.DrawFn, cells: list[list[str]]) -> tuple[list[list[str]], list[str]]:
    """Cells changed in place (escaped as CSV, or pasted raw into the line) and columns moved."""
    steps: list[str] = []
    rows = [list(row) for row in cells]
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(_CELL_EDITS))
        row = draw(st.integers(min(1, len(rows) - 1), len(rows) - 1))  # "rename" does headers
        column = draw(st.integers(0, len(rows[0]) - 1))
        if kind in ("cell", "raw") and row < len(rows) and column < len(rows[row]):
            value = draw(CELL_VALUES)
            rows[row][column] = value if kind == "cell" else "\x02RAW" + value + "\x03"
            steps.append(f"{kind} [{row},{column}] = {value[:30]!r}")
        elif kind == "add column":
            heading = draw(st.sampled_from(["note", rows[0][column], "", "備註"]))
            rows = [[*r, heading if i == 0 else draw(CELL_VALUES)] for i, r in enumerate(rows)]
            steps.append(f"add column {heading!r}")
        elif kind == "drop column":
            rows = [[c for j, c in enumerate(r) if j != column] for r in rows]
            steps.append(f"drop column {column}")
            if not rows[0]:
                rows = [[""]]
        elif kind == "rename":
            rows[0][column] = draw(st.sampled_from(["", rows[0][column].upper(), "案號"]))
            steps.append(f"rename column {column} to {rows[0][column]!r}")
        else:
            rows.insert(draw(st.integers(1, len(rows))), list(rows[0]))
            steps.append("header repeated")
    return rows, steps


def _csv_text(rows: list[list[str]], delimiter: str, end: str) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator=end).writerows(rows)
    text = buffer.getvalue()
    while "\x02RAW" in text:  # a raw value breaks out of its field: quotes, delimiters, line ends
        start = text.index("\x02RAW")
        end_at = text.index("\x03", start)
        value = text[start + 4 : end_at].replace('""', '"')
        text = text[:start].rstrip('"') + value + text[end_at + 1 :].lstrip('"')
    return text


_ENCODINGS = ["utf-8", "utf-8-sig", "cp950", "utf-16", "utf-16-le"]
"""How the CSV is written (UTF-16 LE without a byte-order mark must be named to be read)."""


@st.composite
def csv_mutants(draw: st.DrawFn) -> Mutant:
    """A real extract as CSV, then mutated."""
    dataset = draw(st.sampled_from([*DATASETS, "fixture"]))
    rows, steps = draw(_cell_edits(_cells(dataset)))
    delimiter = draw(st.sampled_from([",", ",", "\t", ";"]))
    end = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    text = _csv_text(rows, delimiter, end)
    if draw(st.booleans()):
        lines = text.split(end)
        line = draw(st.integers(0, max(len(lines) - 1, 0)))
        lines[line] += draw(st.sampled_from(["\n", "\r", "\r\n"]))
        text = end.join(lines)
        steps.append(f"stray line end after line {line + 1}")
    encoding = str(draw(_often("utf-8", *_ENCODINGS[1:])))
    content = text.encode(encoding, errors="replace")
    steps.insert(0, f"{dataset} as CSV ({encoding}, {delimiter!r}, {end!r})")
    content = draw(_byte_edits(content, steps))
    name = str(draw(_often("x.csv", "x.tsv", "x.txt", "x.parquet", "x.xlsx")))
    forced = str(draw(_often("auto", "utf-8", "big5", "utf-16", "latin-1")))
    strict = bool(draw(_often(False, True)))
    return Mutant(dataset, name, content, tuple(steps), forced, strict)


@st.composite
def _byte_edits(draw: st.DrawFn, content: bytes, steps: list[str]) -> bytes:
    for _ in range(int(draw(_often(0, 1, 2)))):
        if not content:
            break
        at = draw(st.integers(0, len(content) - 1))
        kind = draw(st.sampled_from(["flip", "insert", "delete", "truncate", "duplicate"]))
        if kind == "flip":
            content = (
                content[:at] + bytes([content[at] ^ draw(st.integers(1, 255))]) + content[at + 1 :]
            )
        elif kind == "insert":
            content = content[:at] + draw(st.binary(min_size=1, max_size=8)) + content[at:]
        elif kind == "delete":
            content = content[:at] + content[at + draw(st.integers(1, 64)) :]
        elif kind == "truncate":
            content = content[:at]
        else:
            content = content[:at] + content[at : at + 200] + content[at:]
        steps.append(f"{kind} bytes at {at}")
    return content


@st.composite
def xlsx_mutants(draw: st.DrawFn) -> Mutant:
    """A real extract as a workbook (cells typed as Excel types them), then mutated."""
    from openpyxl import Workbook

    dataset = draw(st.sampled_from(DATASETS))
    rows, steps = draw(_cell_edits(_cells(dataset)))
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    if draw(_often(False, True)):
        sheet.title = "說明"
        sheet.append(["extract of", dataset])
        sheet = workbook.create_sheet("data")
        steps.append("a note sheet first")
    sheet.append([_excel_text(cell) for cell in rows[0]])
    for row in rows[1:]:
        sheet.append([_excel_value(draw, cell) for cell in row])
    if draw(st.booleans()) and sheet.max_row > 2:
        sheet.merge_cells(start_row=2, start_column=1, end_row=3, end_column=2)
        steps.append("merged A2:B3")
    buffer = io.BytesIO()
    workbook.save(buffer)
    steps.insert(0, f"{dataset} as XLSX")
    content = draw(_byte_edits(buffer.getvalue(), steps))
    name = str(draw(_often("x.xlsx", "x.xlsm", "x.csv", "x.parquet")))
    return Mutant(dataset, name, content, tuple(steps))


def _excel_text(cell: str) -> str:
    """Text a worksheet can hold (XML has no control characters)."""
    cell = cell.replace("\x02RAW", "").replace("\x03", "")
    return "".join(c for c in cell if c >= " " or c in "\t\n\r")


def _excel_value(draw: st.DrawFn, cell: str) -> object:
    """A cell as a spreadsheet holds it: a number, a date, a formula, or text."""
    cell = _excel_text(cell)
    choice = draw(st.integers(0, 5))
    if choice == 0:
        try:
            number = float(cell) if "." in cell else int(cell)
        except ValueError:
            return cell
        return number if abs(number) < 2**53 else cell  # Excel holds doubles
    if choice == 1:
        try:
            return dt.date.fromisoformat(cell)
        except ValueError:
            return cell
    if choice == 2:
        return draw(
            st.sampled_from(["=1/0", "=A1", None, True, 1e308, -1, dt.datetime(1900, 1, 1)])
        )
    return cell


@st.composite
def parquet_mutants(draw: st.DrawFn) -> Mutant:
    """A real extract as typed Parquet, columns retyped, renamed or nulled, then mutated."""
    dataset = draw(st.sampled_from(DATASETS))
    table = real_rows(dataset)
    steps = [f"{dataset} as Parquet"]
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, table.num_columns - 1))
        name = table.column_names[index]
        kind = draw(
            st.sampled_from(
                ["as text", "as int", "as binary", "nulls", "rename", "drop", "random text"]
            )
        )
        column: pa.Array | pa.ChunkedArray = table.column(index)
        if kind == "as text":
            column = pa.array([_text(v) for v in column.to_pylist()], pa.string())
        elif kind == "as int":
            column = pa.array(range(table.num_rows), pa.int64())
        elif kind == "as binary":
            column = pa.array([draw(st.binary(max_size=6)) for _ in range(table.num_rows)])
        elif kind == "nulls":
            column = pa.nulls(table.num_rows, column.type)
        elif kind == "random text":
            column = pa.array([draw(CELL_VALUES) for _ in range(table.num_rows)], pa.string())
        if kind == "rename":
            table = table.rename_columns(
                [*table.column_names[:index], "renamed", *table.column_names[index + 1 :]]
            )
        elif kind == "drop" and table.num_columns > 1:
            table = table.remove_column(index)
        elif kind != "drop":
            table = table.set_column(index, name, column)
        steps.append(f"{kind} {name}")
    buffer = io.BytesIO()
    pq.write_table(table, buffer)
    content = draw(_byte_edits(buffer.getvalue(), steps))
    name = str(draw(_often("x.parquet", "x.pq", "x.csv", "x.xlsx")))
    return Mutant(dataset, name, content, tuple(steps))


MUTANTS = st.one_of(csv_mutants(), xlsx_mutants(), parquet_mutants())


def check_ingest(mutant: Mutant, folder: Path) -> str:
    """Ingest ``mutant`` into a fresh data root under ``folder``; assert what must hold.

    Returns what became of it (``ingested …`` or the error's class), for the long run's tally.
    """
    upload, data = folder / "upload", folder / "data"
    shutil.rmtree(folder, ignore_errors=True)
    upload.mkdir(parents=True)
    path = upload / mutant.name
    path.write_bytes(mutant.content)
    try:
        result = ingest_file(
            contract(mutant.dataset if mutant.dataset != "fixture" else "enforcement_cases"),
            path,
            org_unit=org_units().root.code,
            org_units=org_units(),
            data_dir=data,
            user="fuzz",
            encoding=mutant.encoding,
            strict=mutant.strict,
        )
    except YardstickError as error:
        _check_refusal(str(error), folder, data, strict=mutant.strict)
        return f"{type(error).__name__}: {_kind_of(str(error), mutant.name)}"
    assert result.status is IngestStatus.INGESTED and result.batch is not None
    _check_batch(result.batch.folder, result.rows_accepted, result.rows_quarantined)
    assert result.rows_read == result.rows_accepted + result.rows_quarantined
    assert list((data / "tmp").iterdir()) == []
    return "ingested" + (" with quarantine" if result.rows_quarantined else "")


def _kind_of(message: str, name: str) -> str:
    """The kind of a refusal, for a tally: without the file's name, numbers and details."""
    kind = re.sub(r"[0-9]+", "#", message.removeprefix(f"{name}: "))
    return re.split(r"[(:;'\"]", kind, maxsplit=1)[0].strip()[:60]


def _check_refusal(message: str, folder: Path, data: Path, strict: bool) -> None:
    assert message and "\n" not in message and "\r" not in message, repr(message)
    assert str(folder) not in message or message.count(str(folder)) == message.count(
        str(folder / "data" / "refused")
    ), message  # only --strict names its report
    assert len(message) < 3000, message[:300]
    if not data.exists():
        return
    assert FileBatchRegistry(data).batches() == []
    assert [p for p in (data / "batches").rglob("*") if p.is_file()] == []
    assert list((data / "tmp").iterdir()) == []
    refused = [p for p in (data / "refused").rglob("*") if p.is_file()]
    assert strict or refused == []


def _check_batch(folder: Path, accepted: int, quarantined: int) -> None:
    counted = duckdb.execute(
        "SELECT count(*) FROM read_parquet($p)", {"p": str(folder / "data.parquet")}
    ).fetchone()
    assert counted is not None and counted[0] == accepted
    report = folder / "quarantine.csv"
    assert report.exists() == bool(quarantined)
    if not quarantined:
        return
    with report.open(encoding="utf-8-sig", newline="") as handle:
        faults = list(csv.DictReader(handle))
    assert len({fault["row"] for fault in faults}) == quarantined
    for fault in faults:
        assert int(fault["row"]) >= 1 and fault["rule"] and fault["column"], fault
        assert fault["message_en"] and fault["message_zh"], fault
