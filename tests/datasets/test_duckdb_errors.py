"""Files DuckDB cannot read end in one line of our own: the file's name as given, the line where
DuckDB knows it, the reason in words; never DuckDB's advice, options or the server's paths."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from tests.datasets.conftest import MOJ_DATASETS
from yardstick.datasets import FileBatchRegistry, ingest_file, load_dataset_contract
from yardstick.datasets.errors import IngestError

CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
HEADER = "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure"
ROWS = [
    "106年度營所稅執字第00001號,MOJ.AEA.TPE,稅款,2017-01-05,2017-03-01,150000,150000,完全繳清",
    "106年度健保執字第00002號,MOJ.AEA.TPE,健保費,2017-01-06,2017-05-02,180000,120000,部分繳清",
    "106年度罰執字第00003號,MOJ.AEA.TPE,罰鍰,2017-02-01,2017-06-30,90000,0,發憑證",
]


def _text(rows: list[str] = ROWS, end: str = "\r\n") -> str:
    return end.join([HEADER, *rows]) + end


def _zip_without_a_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


FILES: list[tuple[str, Callable[[], bytes], str]] = [
    (
        "extra.csv",
        lambda: _text([ROWS[0], ROWS[1] + ",extra", ROWS[2]]).encode(),
        "extra.csv: line 3: it has 9 fields, the header has 8",
    ),
    (
        "short.csv",
        lambda: _text([ROWS[0], ROWS[1].rsplit(",", 2)[0]]).encode(),
        "short.csv: line 3: it has 6 fields, the header has 8",
    ),
    (
        "quote.csv",
        lambda: _text([ROWS[0].replace(",稅款", ',"稅款'), *ROWS[1:]]).encode(),
        'quote.csv: line 2: a field opens a quote (") that does not close',
    ),
    (
        "huge.csv",
        lambda: _text([ROWS[0].replace("稅款", "稅款" + "x" * 3_000_000)]).encode(),
        "huge.csv: line 2: the line is over 2,000,000 bytes long",
    ),
    (
        "big5-wide.csv",
        lambda: _text([*ROWS, ROWS[0] + ",x"]).encode("cp950"),  # read from a work copy
        "big5-wide.csv: line 5: it has 9 fields, the header has 8",
    ),
    (
        "late-big5.csv",
        lambda: _text(ROWS * 3000).encode() + _text(ROWS[:1]).encode("cp950"),
        "late-big5.csv: line 9003: bytes that are not UTF-8 (if the file is Big5, ingest it "
        "with --encoding big5)",
    ),
    (
        "mixed.csv",
        lambda: (_text(ROWS[:2], "\n") + _text(ROWS[2:], "\r\n").split("\r\n", 1)[1]).encode(),
        "mixed.csv: line 4: it ends with CRLF, line 1 with LF; save the file again with one kind "
        "of line end",
    ),
    (
        "cr-inside.csv",
        lambda: _text([ROWS[0].replace("稅款", "稅\r款"), *ROWS[1:]], "\n").encode(),
        "cr-inside.csv: line 2: it ends with CR, line 1 with LF",
    ),
    (
        "text.parquet",
        lambda: _text().encode(),
        "text.parquet: not a Parquet file (cut short, or another kind of file named .parquet)",
    ),
    ("empty.parquet", lambda: b"", "empty.parquet: not a Parquet file"),
    ("magic.parquet", lambda: b"PAR1" + b"\0" * 64 + b"PAR1", "magic.parquet: "),
    ("empty.csv", lambda: b"", "empty.csv: the file is empty"),
    ("zip.xlsx", _zip_without_a_workbook, "zip.xlsx: not a readable XLSX workbook"),
    ("text.xlsx", lambda: _text().encode(), "text.xlsx: not a readable XLSX workbook (it is not"),
]


@pytest.mark.parametrize(("name", "content", "expected"), FILES, ids=[f[0] for f in FILES])
def test_an_unreadable_file_is_one_line_naming_the_file_the_line_and_the_reason(
    tmp_path: Path, name: str, content: Callable[[], bytes], expected: str
) -> None:
    path = tmp_path / "upload" / name
    path.parent.mkdir()
    path.write_bytes(content())
    data = tmp_path / "data"
    with pytest.raises(IngestError) as raised:
        ingest_file(CONTRACT, path, data_dir=data)
    message = str(raised.value)
    assert message.startswith(expected)
    assert "\n" not in message and len(message) < 400
    assert str(tmp_path) not in message and "Possible" not in message
    assert FileBatchRegistry(data).batches() == []
    assert list((data / "tmp").iterdir()) == [] and list((data / "batches").iterdir()) == []


def test_a_parquet_file_cut_short_is_not_a_parquet_file(tmp_path: Path) -> None:
    whole = tmp_path / "whole.parquet"
    duckdb.execute(
        "COPY (SELECT 'A' || i AS case_id FROM range(1000) t(i)) TO $p (FORMAT parquet)",
        {"p": str(whole)},
    )
    cut = tmp_path / "cut.parquet"
    cut.write_bytes(whole.read_bytes()[:-100])
    with pytest.raises(IngestError, match=r"^cut.parquet: not a Parquet file \(cut short"):
        ingest_file(CONTRACT, cut, data_dir=tmp_path / "data")


def test_the_lines_own_text_cannot_pass_for_the_reason(tmp_path: Path) -> None:
    disguised = ROWS[0].replace(",稅款", ',"Expected Number of Columns: 1 Found: 2 稅款')
    path = tmp_path / "disguised.csv"
    path.write_text(_text([disguised]), encoding="utf-8")
    with pytest.raises(IngestError, match=r"line 2: a field opens a quote"):
        ingest_file(CONTRACT, path, data_dir=tmp_path / "data")


def test_a_damaged_parquet_file_is_one_line_without_control_characters(tmp_path: Path) -> None:
    good = tmp_path / "good.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM read_csv($csv)) TO $p (FORMAT parquet)",
        {"csv": str(_written(tmp_path / "good.csv", _text().encode())), "p": str(good)},
    )
    original = good.read_bytes()
    messages = set()
    for at in range(8, len(original) - 8, max(1, len(original) // 30)):
        damaged = tmp_path / "damaged.parquet"
        damaged.write_bytes(original[:at] + bytes([original[at] ^ 0x5A]) + original[at + 1 :])
        try:
            ingest_file(CONTRACT, damaged, data_dir=tmp_path / f"data{at}")
        except IngestError as error:
            messages.add(str(error))
    assert any(m.startswith("damaged.parquet: a damaged Parquet file (") for m in messages)
    for message in messages:
        assert message.isprintable() and str(tmp_path) not in message, message


def _written(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path
