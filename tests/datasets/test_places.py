"""Row numbers of the rows set aside: found again by their lines, their fields or (Parquet) the
file's own numbering, in files big enough that DuckDB reads them in parallel."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.datasets.conftest import MOJ_DATASETS, write_enforcement_cases
from yardstick.datasets import ingest_file, load_dataset_contract
from yardstick.datasets.errors import IngestError
from yardstick.datasets.places import SET_ASIDE, place_rows
from yardstick.datasets.sources import open_source

CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
ROWS = 200_000
BAD = [0, 7, 65_536, 131_071, ROWS - 1]


def _rows_of(path: Path) -> list[int]:
    """The rows named in the quarantine report, each once, in order."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sorted({int(fault["row"]) for fault in csv.DictReader(handle)})


def _write_csv(path: Path, bad: list[int], options: str = "") -> Path:
    return write_enforcement_cases(path, ROWS, bad, options)


def test_rows_of_a_file_without_quotes_are_found_by_their_lines(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "plain.csv", BAD)
    assert b'"' not in path.read_bytes()
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.rows_accepted == ROWS - len(BAD)
    assert result.quarantine_path is not None
    assert _rows_of(result.quarantine_path) == [index + 2 for index in BAD]


def test_rows_of_a_file_with_quotes_are_found_by_their_fields(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "quoted.csv", BAD, "FORCE_QUOTE *")
    assert path.read_bytes().count(b'"') > ROWS
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None
    assert _rows_of(result.quarantine_path) == [index + 2 for index in BAD]


def test_a_quoted_line_break_and_crlf_line_ends_keep_row_numbers(tmp_path: Path) -> None:
    header = (
        "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure"
    )
    lines = [header]
    for index in range(2000):
        paid = 5000 if index in (3, 1500) else 1000
        case = f'"C{index}\nsecond line"' if index == 2 else f"C{index}"
        lines.append(f"{case},MOJ.AEA.TPE,稅款,2017-01-01,2017-12-31,1000,{paid},完全繳清")
    path = tmp_path / "crlf.csv"
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode())
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None
    # rows as a spreadsheet numbers them: the record with a line break is one row
    assert _rows_of(result.quarantine_path) == [3 + 2, 1500 + 2]


def test_empty_lines_are_not_rows(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "plain.csv", [10, 20])
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(5, "")  # an empty line between records 3 and 4
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None
    assert _rows_of(result.quarantine_path) == [12, 22]


def test_identical_bad_rows_each_get_their_own_row_number(tmp_path: Path) -> None:
    header = (
        "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure"
    )
    same = "X,MOJ.AEA.TPE,稅款,2017-01-01,2017-12-31,1000,5000,完全繳清"
    lines = [
        header,
        *(f"C{i},MOJ.AEA.TPE,稅款,2017-01-01,2017-12-31,1000,1000,完全繳清" for i in range(50)),
    ]
    lines[10] = lines[30] = same
    path = tmp_path / "twice.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None
    assert _rows_of(result.quarantine_path) == [11, 31]
    with result.quarantine_path.open(encoding="utf-8-sig", newline="") as handle:
        rules = {(f["row"], f["rule"]) for f in csv.DictReader(handle)}
    assert ("11", "duplicate_key") in rules and ("31", "paid_within_referred") in rules


def test_a_parquet_source_numbers_its_rows_itself(tmp_path: Path) -> None:
    path = write_enforcement_cases(tmp_path / "cases.parquet", ROWS, BAD, "ROW_GROUP_SIZE 10000")
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None
    assert _rows_of(result.quarantine_path) == [index + 1 for index in BAD]


def _set_aside(connection: duckdb.DuckDBPyConnection, path: Path, *, lines_right: bool) -> None:
    """A ``set_aside`` table for rows 2 and 5 of ``path``, as validation would leave it, but
    with wrong line fingerprints unless ``lines_right``."""
    names = ", ".join(f"c{i}" for i in range(8))
    line = " || ',' || ".join(f"coalesce(c{i}, '')" for i in range(8))
    reader = f"read_csv($p, all_varchar = true, header = true) AS src({names})"
    line_hash = f"hash({line})" if lines_right else "hash('not a line')"
    connection.execute(
        f"CREATE TEMP TABLE {SET_ASIDE} AS SELECT row_number() OVER () AS id, "
        f"{{'line': {line_hash}, 'fields': hash({names})}} AS place "
        f"FROM {reader} WHERE c0 IN ('C2', 'C5')",
        {"p": str(path)},
    )


@pytest.mark.parametrize("lines_right", [True, False])
def test_rows_the_lines_cannot_place_are_placed_by_their_fields(
    tmp_path: Path, lines_right: bool
) -> None:
    path = _write_csv(tmp_path / "plain.csv", [])
    connection = duckdb.connect()
    _set_aside(connection, path, lines_right=lines_right)
    place_rows(connection, open_source(path, tmp_path))
    placed = connection.execute("SELECT position FROM set_aside_placed ORDER BY 1").fetchall()
    assert placed == [(2,), (5,)]


def test_rows_that_cannot_be_placed_stop_the_ingest(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "plain.csv", [])
    connection = duckdb.connect()
    connection.execute(
        f"CREATE TEMP TABLE {SET_ASIDE} AS SELECT 1 AS id, "
        "{'line': hash('x'), 'fields': hash('y')} AS place"
    )
    with pytest.raises(IngestError, match="row numbers"):
        place_rows(connection, open_source(path, tmp_path))
