"""Ingest: typed Parquet out, bad rows quarantined by rule, strict mode, idempotence, encodings."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import sqlite3
from pathlib import Path

import duckdb
import pytest

from tests.datasets.conftest import MOJ_DATASETS, MOJ_ORG_UNITS
from yardstick.datasets import (
    Contract,
    FileBatchRegistry,
    IngestStatus,
    ingest_file,
    load_contract,
    load_dataset_contract,
    load_org_units,
)
from yardstick.datasets.errors import (
    HeaderMismatchError,
    IngestError,
    KeyOverlapError,
    OrgUnitError,
    StrictModeRefusal,
)

HEADER = "case_id,branch,received_on,closed_on,referred_amount,paid_amount,closure"
GOOD = [
    "A1,MOJ.AEA.TPE,2017-01-05,2017-03-01,1000,1000,完全繳清",
    "A2,MOJ.AEA.TPE,2017-02-05,,500,0,",
]


@pytest.fixture
def contract(contract_folder: Path) -> Contract:
    loaded = load_contract(contract_folder / "cases.yaml")
    assert isinstance(loaded, Contract)
    return loaded


def _csv(tmp_path: Path, rows: list[str], header: str = HEADER, name: str = "cases.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def _rows(path: Path) -> list[tuple[object, ...]]:
    return duckdb.execute("SELECT * FROM read_parquet($p)", {"p": str(path)}).fetchall()


def _quarantine(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_it_writes_good_rows_as_typed_parquet_and_registers_the_batch(
    contract: Contract, tmp_path: Path
) -> None:
    result = ingest_file(contract, _csv(tmp_path, GOOD), data_dir=tmp_path / "data", user="officer")
    assert result.status is IngestStatus.INGESTED
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (2, 2, 0)
    assert result.batch is not None and result.quarantine_path is None
    rows = sorted(_rows(result.batch.parquet_path))
    assert rows[0] == (
        "A1",
        "MOJ.AEA.TPE",
        dt.date(2017, 1, 5),
        dt.date(2017, 3, 1),
        1000.0,
        1000.0,
        "完全繳清",
    )
    assert rows[1][3] is None and rows[1][6] is None
    [batch] = FileBatchRegistry(tmp_path / "data").active_batches("cases")
    assert batch.id == result.batch.id and batch.ingested_by == "officer"
    assert len(batch.checksum) == 64 and batch.manifest_path.exists()


BAD_ROWS = [
    ("A9,MOJ.AEA.TPE,2017-02-30,,500,0,", "received_on", "type", "2017-02-30"),
    ("A9,MOJ.AEA.TPE,,,500,0,", "received_on", "required", ""),
    (
        "A9,MOJ.AEA.TPE,2017-01-05,2017-03-01,500,500,全部繳清",
        "closure",
        "allowed_values",
        "全部繳清",
    ),
    ("A9,MOJ.AEA.TPE,2017-01-05,,500,-5,", "paid_amount", "minimum", "-5"),
    ("A9,MOJ.AEA.TPE,2017-01-05,,12.5.1,0,", "referred_amount", "type", "12.5.1"),
    (
        "A9,MOJ.AEA.TPE,2017-01-05,,500,600,",
        "paid_amount, referred_amount",
        "paid_within_referred",
        "paid_amount=600; referred_amount=500",
    ),
]


@pytest.mark.parametrize(("row", "column", "rule", "value"), BAD_ROWS)
def test_it_quarantines_a_row_that_breaks_a_check_and_keeps_the_others(
    contract: Contract, tmp_path: Path, row: str, column: str, rule: str, value: str
) -> None:
    result = ingest_file(contract, _csv(tmp_path, [*GOOD, row]), data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (2, 1)
    assert result.quarantine_path is not None
    [fault] = _quarantine(result.quarantine_path)
    assert (fault["row"], fault["column"], fault["rule"], fault["value"]) == (
        "4",
        column,
        rule,
        value,
    )
    assert fault["message_en"] and fault["message_zh"]
    assert sorted(r[0] for r in _rows(result.batch.parquet_path)) == ["A1", "A2"]  # type: ignore[union-attr]


def test_it_quarantines_a_row_whose_paid_amount_exceeds_referred(
    contract: Contract, tmp_path: Path
) -> None:
    row = "A3,MOJ.AEA.TPE,2017-01-05,,1000,1500,"
    result = ingest_file(contract, _csv(tmp_path, [row]), data_dir=tmp_path / "data")
    assert result.rows_quarantined == 1 and result.rows_accepted == 0
    assert result.first_faults[0].rule == "paid_within_referred"
    assert result.first_faults[0].message_zh == "清償金額大於移送金額"


def test_every_occurrence_of_a_duplicate_key_is_quarantined(
    contract: Contract, tmp_path: Path
) -> None:
    rows = [*GOOD, "A1,MOJ.AEA.TPE,2017-01-06,,10,0,"]
    result = ingest_file(contract, _csv(tmp_path, rows), data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (1, 2)
    faults = _quarantine(result.quarantine_path)  # type: ignore[arg-type]
    assert [(f["row"], f["rule"]) for f in faults] == [
        ("2", "duplicate_key"),
        ("4", "duplicate_key"),
    ]
    assert "2 rows" in faults[0]["message_en"]


def test_one_row_can_break_several_checks_and_counts_once(
    contract: Contract, tmp_path: Path
) -> None:
    row = "A9,MOJ.AEA.TPE,notadate,,-1,x,其他"
    result = ingest_file(contract, _csv(tmp_path, [row]), data_dir=tmp_path / "data")
    assert result.rows_quarantined == 1
    rules = {(f.column, f.rule) for f in result.first_faults}
    assert rules == {
        ("received_on", "type"),
        ("referred_amount", "minimum"),
        ("paid_amount", "type"),
        ("closure", "allowed_values"),
    }


def test_the_org_unit_column_must_name_the_batch_unit_or_one_below_it(tmp_path: Path) -> None:
    contract = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
    header = "案號,分署,義務類別,移送日,終結日,移送金額,清償金額,終結情形"
    rows = [
        "106-1,MOJ.AEA.TPE,稅款,2017-01-05,2017-03-01,1000,1000,完全繳清",
        "106-2,MOJ.AEA.KHH,稅款,2017-01-05,,1000,0,",
    ]
    result = ingest_file(
        contract,
        _csv(tmp_path, rows, header),
        org_unit="MOJ.AEA.TPE",
        org_units=load_org_units(MOJ_ORG_UNITS),
        data_dir=tmp_path / "data",
    )
    assert (result.rows_accepted, result.rows_quarantined) == (1, 1)
    assert (result.first_faults[0].rule, result.first_faults[0].value) == (
        "org_unit",
        "MOJ.AEA.KHH",
    )


def test_an_unknown_batch_org_unit_is_refused_before_reading(
    contract: Contract, tmp_path: Path
) -> None:
    with pytest.raises(
        OrgUnitError, match="unknown org unit 'MOJ.AEA.TPX'; did you mean 'MOJ.AEA.TPE'"
    ):
        ingest_file(
            contract,
            _csv(tmp_path, GOOD),
            org_unit="MOJ.AEA.TPX",
            org_units=load_org_units(MOJ_ORG_UNITS),
            data_dir=tmp_path / "data",
        )


def test_strict_mode_writes_nothing_but_the_quarantine_report(
    contract: Contract, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    path = _csv(tmp_path, [*GOOD, "A9,MOJ.AEA.TPE,2017-01-05,,500,600,"])
    with pytest.raises(StrictModeRefusal, match=r"refused \(--strict\): 1 of 3 rows") as raised:
        ingest_file(contract, path, strict=True, data_dir=data)
    result = raised.value.result
    assert result.status is IngestStatus.REFUSED and result.batch is None
    assert result.quarantine_path is not None and result.quarantine_path.is_relative_to(
        data / "refused"
    )
    assert _quarantine(result.quarantine_path)[0]["rule"] == "paid_within_referred"
    assert not list((data / "batches").rglob("*.parquet"))
    assert not list(result.quarantine_path.parent.glob("*.parquet"))
    assert FileBatchRegistry(data).batches() == []
    assert list((data / "tmp").iterdir()) == []


def test_strict_mode_accepts_a_clean_file(contract: Contract, tmp_path: Path) -> None:
    result = ingest_file(contract, _csv(tmp_path, GOOD), strict=True, data_dir=tmp_path / "data")
    assert result.status is IngestStatus.INGESTED and result.rows_accepted == 2


def test_the_same_file_again_returns_the_existing_batch_and_changes_nothing(
    contract: Contract, tmp_path: Path
) -> None:
    data, path = tmp_path / "data", _csv(tmp_path, GOOD)
    first = ingest_file(contract, path, org_unit="MOJ.AEA.TPE", data_dir=data)
    registry = (data / "registry.sqlite").read_bytes()
    again = ingest_file(contract, path, org_unit="MOJ.AEA.TPE", data_dir=data)
    assert again.status is IngestStatus.ALREADY_INGESTED
    assert again.batch is not None and first.batch is not None and again.batch.id == first.batch.id
    assert (data / "registry.sqlite").read_bytes() == registry
    assert len(FileBatchRegistry(data).batches()) == 1
    with pytest.raises(KeyOverlapError, match="2 keys"):  # the same cases for another unit
        ingest_file(contract, path, org_unit="MOJ.AEA.KHH", data_dir=data)
    assert len(FileBatchRegistry(data).batches()) == 1


def test_the_checksum_taken_during_validation_is_the_files_sha256(
    contract: Contract, tmp_path: Path
) -> None:
    path = _csv(tmp_path, GOOD)
    result = ingest_file(contract, path, data_dir=tmp_path / "data")
    assert result.batch is not None
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert result.checksum == result.batch.checksum == expected
    assert result.batch.source_bytes == path.stat().st_size
    manifest = json.loads(result.batch.manifest_path.read_text(encoding="utf-8"))
    assert manifest["checksum_sha256"] == expected


def test_a_registry_from_before_file_sizes_were_kept_still_knows_the_file(
    contract: Contract, tmp_path: Path
) -> None:
    data, path = tmp_path / "data", _csv(tmp_path, GOOD)
    first = ingest_file(contract, path, data_dir=data)
    with sqlite3.connect(data / "registry.sqlite") as db:
        db.execute("ALTER TABLE batches DROP COLUMN source_bytes")
    again = ingest_file(contract, path, data_dir=data)
    assert again.status is IngestStatus.ALREADY_INGESTED
    assert again.batch is not None and first.batch is not None
    assert (again.batch.id, again.batch.source_bytes) == (first.batch.id, None)


def test_a_big5_file_with_chinese_values_survives_byte_exact(
    contract: Contract, tmp_path: Path
) -> None:
    text = (
        "\r\n".join([HEADER, *GOOD, "A3,MOJ.AEA.TPE,2017-01-05,2017-02-01,900,300,部分繳清"])
        + "\r\n"
    )
    path = tmp_path / "big5.csv"
    path.write_bytes(text.encode("cp950"))
    result = ingest_file(contract, path, data_dir=tmp_path / "data")
    assert result.rows_accepted == 3
    closures = {r[0]: r[6] for r in _rows(result.batch.parquet_path)}  # type: ignore[union-attr]
    for line in path.read_bytes().split(b"\r\n")[1:-1]:
        fields = line.split(b",")
        if fields[-1]:
            assert closures[fields[0].decode()].encode("cp950") == fields[-1]
    assert "big5" in result.batch.manifest_path.read_text(
        "utf-8"
    ) or "cp950" in result.batch.manifest_path.read_text("utf-8")  # type: ignore[union-attr]


def test_a_byte_that_is_not_big5_names_its_line(contract: Contract, tmp_path: Path) -> None:
    path = tmp_path / "broken.csv"
    path.write_bytes(
        (HEADER + "\r\n" + GOOD[0] + "\r\n").encode("cp950")
        + b"A2,\xff\xff,x\r\n"
        + "終結".encode("cp950")
    )
    with pytest.raises(IngestError, match=r"broken.csv: line 3: bytes that are not Big5 \(ff\)"):
        ingest_file(contract, path, encoding="big5", data_dir=tmp_path / "data")


def test_a_utf8_file_with_bom_and_chinese_headings(contract: Contract, tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    header = "案號,branch,received_on,closed_on,referred_amount,paid_amount,closure"
    path.write_text("\ufeff" + "\n".join([header, *GOOD]) + "\n", encoding="utf-8")
    assert ingest_file(contract, path, data_dir=tmp_path / "data").rows_accepted == 2


def test_a_header_mismatch_is_reported_up_front_with_the_nearest_name(
    contract: Contract, tmp_path: Path
) -> None:
    header = HEADER.replace("referred_amount", "refered_amount").replace(",closure", ",note")
    with pytest.raises(HeaderMismatchError) as raised:
        ingest_file(contract, _csv(tmp_path, [], header), data_dir=tmp_path / "data")
    message = str(raised.value)
    assert "unexpected column 'refered_amount' (did you mean 'referred_amount'?)" in message
    assert "unexpected column 'note'" in message
    assert "missing columns referred_amount, closure" in message


def test_a_row_with_too_many_fields_stops_the_ingest_with_its_line(
    contract: Contract, tmp_path: Path
) -> None:
    path = _csv(tmp_path, [*GOOD, GOOD[0] + ",extra"])
    with pytest.raises(
        IngestError,
        match=r"^cases.csv: line 4: it has 8 fields, the header has 7$",
    ):
        ingest_file(contract, path, data_dir=tmp_path / "data")
    assert FileBatchRegistry(tmp_path / "data").batches() == []


def test_xlsx_and_parquet_sources(contract: Contract, tmp_path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(HEADER.split(","))
    sheet.append(
        [
            "A1",
            "MOJ.AEA.TPE",
            dt.datetime(2017, 1, 5),
            dt.date(2017, 3, 1),
            1000,
            1000.0,
            "完全繳清",
        ]
    )
    sheet.append([None] * 7)
    sheet.append(["A2", "MOJ.AEA.TPE", dt.date(2017, 1, 5), None, 500, 600, None])
    workbook.save(tmp_path / "cases.xlsx")
    result = ingest_file(contract, tmp_path / "cases.xlsx", data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (1, 2)
    assert sorted((f.row, f.rule) for f in result.first_faults)[:2] == [
        (3, "required"),
        (3, "required"),
    ]
    assert result.first_faults[-1].row == 4
    parquet = tmp_path / "cases.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM read_parquet($a)) TO $b (FORMAT parquet)",
        {"a": str(result.batch.parquet_path), "b": str(parquet)},
    )  # type: ignore[union-attr]
    again = ingest_file(contract, parquet, data_dir=tmp_path / "other-data")
    assert again.status is IngestStatus.INGESTED and again.rows_accepted == 1


def test_an_empty_missing_or_unknown_file_is_a_user_error(
    contract: Contract, tmp_path: Path
) -> None:
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    with pytest.raises(IngestError, match="empty.csv: the file is empty"):
        ingest_file(contract, tmp_path / "empty.csv", data_dir=tmp_path / "data")
    (tmp_path / "cases.json").write_text("{}", encoding="utf-8")
    with pytest.raises(IngestError, match=r"cannot read .json files"):
        ingest_file(contract, tmp_path / "cases.json", data_dir=tmp_path / "data")
    with pytest.raises(IngestError, match=r"missing.csv: no such file"):
        ingest_file(contract, tmp_path / "missing.csv", data_dir=tmp_path / "data")


def test_spaces_around_values_are_ignored_and_spaces_alone_count_as_empty(
    contract: Contract, tmp_path: Path
) -> None:
    rows = [
        " A1 , MOJ.AEA.TPE ,2017-01-05,   , 500 ,0,  ",
        "A2,MOJ.AEA.TPE,2017-01-05,,   ,0,",
    ]
    result = ingest_file(contract, _csv(tmp_path, rows), data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (1, 1)
    [(case_id, branch, _, closed_on, referred, _, closure)] = _rows(result.batch.parquet_path)  # type: ignore[union-attr]
    assert (case_id, branch, closed_on, referred, closure) == (
        "A1",
        "MOJ.AEA.TPE",
        None,
        500.0,
        None,
    )
    assert [(f.row, f.column, f.rule) for f in result.first_faults] == [
        (3, "referred_amount", "required")
    ]


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        ("106/01/05", dt.date(2017, 1, 5)),  # ROC, as Taiwanese systems export
        ("106.1.5", dt.date(2017, 1, 5)),
        ("1060105", dt.date(2017, 1, 5)),
        ("97/12/31", dt.date(2008, 12, 31)),
        ("20170105", dt.date(2017, 1, 5)),
        ("2017/01/05", dt.date(2017, 1, 5)),
        ("2017-01-05", dt.date(2017, 1, 5)),
    ],
)
def test_roc_and_compact_dates_are_read(
    contract: Contract, tmp_path: Path, received: str, expected: dt.date
) -> None:
    row = f"A1,MOJ.AEA.TPE,{received},,1000,0,"
    result = ingest_file(contract, _csv(tmp_path, [row]), data_dir=tmp_path / "data")
    assert result.rows_quarantined == 0 and result.batch is not None
    assert _rows(result.batch.parquet_path)[0][2] == expected


def test_an_impossible_roc_date_is_quarantined(contract: Contract, tmp_path: Path) -> None:
    result = ingest_file(
        contract, _csv(tmp_path, ["A1,MOJ.AEA.TPE,106/02/30,,1000,0,"]), data_dir=tmp_path / "data"
    )
    assert result.rows_quarantined == 1
    assert [(f.column, f.rule, f.value) for f in result.first_faults] == [
        ("received_on", "type", "106/02/30")
    ]


def test_text_holding_a_nul_character_is_quarantined(contract: Contract, tmp_path: Path) -> None:
    rows = [
        *GOOD,
        "A\x003,MOJ.AEA.TPE,2017-01-05,,500,0,",
        "A4,MOJ.AEA.TPE,2017-01-05,,500,0,發\x00憑證",
    ]
    result = ingest_file(contract, _csv(tmp_path, rows), data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (2, 2)
    faults = {(f.row, f.column, f.rule) for f in result.first_faults}
    assert {
        (4, "case_id", "type"),
        (5, "closure", "type"),
        (5, "closure", "allowed_values"),
    } == faults
    assert "NUL" in result.first_faults[0].message_en
    assert not any("\x00" in str(row) for row in _rows(result.batch.parquet_path))  # type: ignore[union-attr]


def test_a_parquet_file_with_other_column_types_is_checked_as_text(
    contract: Contract, tmp_path: Path
) -> None:
    path = tmp_path / "typed.parquet"
    duckdb.execute(
        "COPY (SELECT * FROM (VALUES "
        "(1, 'MOJ.AEA.TPE', 20170105, NULL::DATE, [1, 2], 'x'::BLOB, TRUE), "
        "(2, 'MOJ.AEA.TPE', 20170106, DATE '2017-03-01', [3], '0'::BLOB, NULL)"
        ") t(case_id, branch, received_on, closed_on, referred_amount, paid_amount, closure)) "
        "TO $p (FORMAT parquet)",
        {"p": str(path)},
    )
    result = ingest_file(contract, path, data_dir=tmp_path / "data")
    assert (result.rows_accepted, result.rows_quarantined) == (0, 2)
    faults = {(f.row, f.column, f.rule) for f in result.first_faults}
    assert faults == {
        (1, "referred_amount", "type"),  # a list
        (1, "paid_amount", "type"),  # bytes that are no number
        (1, "closure", "allowed_values"),  # TRUE, read as the text 'true'
        (2, "referred_amount", "type"),
    }  # integers such as 20170105 are compact dates
