"""Source files: format by suffix, encoding detection, Big5 transcoding, spreadsheets."""

from __future__ import annotations

import codecs
import datetime as dt
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from yardstick.datasets.encodings import BIG5, detect_encoding, transcode_to_utf8
from yardstick.datasets.errors import IngestError
from yardstick.datasets.sources import SourceFormat, open_source, source_format, xlsx_to_csv

BIG5_FIXTURE = FIXTURES / "datasets" / "enforcement_cases_big5.csv"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", SourceFormat.CSV),
        ("a.TSV", SourceFormat.CSV),
        ("a.xlsx", SourceFormat.XLSX),
        ("a.parquet", SourceFormat.PARQUET),
    ],
)
def test_the_format_comes_from_the_suffix(name: str, expected: SourceFormat) -> None:
    assert source_format(Path(name)) is expected


def test_an_old_excel_file_is_refused_with_what_to_send() -> None:
    with pytest.raises(
        IngestError, match=r"a.xls: cannot read .xls files; send CSV, XLSX or Parquet"
    ):
        source_format(Path("a.xls"))


def test_it_detects_utf8_with_or_without_bom_and_big5(tmp_path: Path) -> None:
    plain, bom = tmp_path / "plain.csv", tmp_path / "bom.csv"
    plain.write_text("案號\n一\n", encoding="utf-8")
    bom.write_bytes(codecs.BOM_UTF8 + "案號\n".encode())
    assert detect_encoding(plain) == detect_encoding(bom) == "utf-8"
    assert detect_encoding(BIG5_FIXTURE) == BIG5


def test_big5_is_transcoded_to_the_same_characters(tmp_path: Path) -> None:
    target = transcode_to_utf8(BIG5_FIXTURE, tmp_path / "utf8.csv", BIG5)
    original = BIG5_FIXTURE.read_bytes()
    assert target.read_bytes().decode("utf-8").encode(BIG5) == original


def test_a_multibyte_character_split_between_chunks_survives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yardstick.datasets.encodings as encodings

    monkeypatch.setattr(encodings, "_CHUNK", 3)
    text = "終結情形\r\n完全繳清\r\n"
    source = tmp_path / "b.csv"
    source.write_bytes(text.encode(BIG5))
    assert transcode_to_utf8(source, tmp_path / "u.csv", BIG5).read_bytes().decode() == text


def test_opening_a_big5_csv_reads_its_header(tmp_path: Path) -> None:
    source = open_source(BIG5_FIXTURE, tmp_path)
    assert source.encoding == BIG5 and source.readable == tmp_path / "source.csv"
    assert source.header[:2] == ["case_id", "branch"] and source.first_row == 2


def test_a_tab_separated_file_is_read_as_such(tmp_path: Path) -> None:
    path = tmp_path / "a.tsv"
    path.write_text("case_id\tbranch\nA\tB\n", encoding="utf-8")
    source = open_source(path, tmp_path)
    assert (source.delimiter, source.header) == ("\t", ["case_id", "branch"])


def test_a_spreadsheet_becomes_csv_with_iso_dates_whole_numbers_and_no_trailing_blanks(
    tmp_path: Path,
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["a", "b", "c", None])
    sheet.append([dt.datetime(2017, 1, 5), 3.0, True])
    sheet.append([None, None, None])
    sheet.append([dt.datetime(2017, 1, 5, 8, 30), 2.5, "是"])
    sheet.append([None, None, None])
    workbook.save(tmp_path / "a.xlsx")
    text = xlsx_to_csv(tmp_path / "a.xlsx", tmp_path / "a.csv").read_text("utf-8")
    assert text.splitlines() == ["a,b,c", "2017-01-05,3,true", ",,", "2017-01-05 08:30:00,2.5,是"]


def test_a_file_that_is_not_a_workbook_is_a_user_error(tmp_path: Path) -> None:
    (tmp_path / "a.xlsx").write_text("not a zip", encoding="utf-8")
    with pytest.raises(IngestError, match="a.xlsx: not a readable XLSX workbook"):
        open_source(tmp_path / "a.xlsx", tmp_path)


def test_a_workbook_is_read_from_its_first_sheet_with_cached_formulas_and_merged_cells(
    tmp_path: Path,
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["a", "b", "c"])
    sheet.append(["x", "=1+1", 3])  # openpyxl keeps no computed value: it reads as empty
    sheet.append(["merged", None, 4])
    sheet.merge_cells("A3:B3")
    workbook.create_sheet("second").append(["not", "read"])
    workbook.save(tmp_path / "a.xlsx")
    text = xlsx_to_csv(tmp_path / "a.xlsx", tmp_path / "a.csv").read_text("utf-8")
    assert text.splitlines() == ["a,b,c", "x,,3", "merged,,4"]


def test_a_workbook_whose_sheet_is_damaged_is_a_user_error(
    tmp_path: Path,
) -> None:
    import zipfile

    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in range(200):
        sheet.append([f"r{row}", row])
    workbook.save(tmp_path / "good.xlsx")
    with zipfile.ZipFile(tmp_path / "good.xlsx") as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"]
    parts["xl/worksheets/sheet1.xml"] = xml[: len(xml) // 2]  # rows are read as they come
    with zipfile.ZipFile(tmp_path / "damaged.xlsx", "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    with pytest.raises(IngestError, match=r"^damaged.xlsx: the first sheet cannot be read \("):
        open_source(tmp_path / "damaged.xlsx", tmp_path)
