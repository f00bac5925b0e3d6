"""Repeated keys across good and bad rows: every occurrence is quarantined with its row."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from tests.datasets.conftest import MOJ_DATASETS
from yardstick.datasets import ingest_file, load_dataset_contract

CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
HEADER = "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure"


def _row(case: str, *, bad: bool = False) -> str:
    paid = 5000 if bad else 1000
    return f"{case},MOJ.AEA.TPE,稅款,2017-01-01,2017-12-31,1000,{paid},完全繳清"


def _ingest(tmp_path: Path, rows: list[str]) -> tuple[list[tuple[int, str]], list[str], int]:
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = ingest_file(CONTRACT, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None and result.batch is not None
    with result.quarantine_path.open(encoding="utf-8-sig", newline="") as handle:
        faults = [(int(f["row"]), f["rule"]) for f in csv.DictReader(handle)]
    kept = duckdb.execute(
        "SELECT case_id FROM read_parquet($p)", {"p": str(result.batch.parquet_path)}
    ).fetchall()
    return faults, [str(row[0]) for row in kept], result.rows_quarantined


def test_a_key_repeated_by_a_bad_row_quarantines_the_good_one_too(tmp_path: Path) -> None:
    faults, kept, quarantined = _ingest(tmp_path, [_row("A"), _row("B"), _row("A", bad=True)])
    assert kept == ["B"] and quarantined == 2
    assert (2, "duplicate_key") in faults and (4, "duplicate_key") in faults
    assert (4, "paid_within_referred") in faults


def test_good_rows_repeating_a_key_after_bad_rows_get_their_own_row_numbers(
    tmp_path: Path,
) -> None:
    bad = {i for i in range(3000) if i % 7 == 3}
    rows = [_row(f"C{i}", bad=i in bad) for i in range(3000)]
    rows[2500] = _row("C12")  # repeats a good row's key; the bad rows before shift its place
    bad.discard(2500)
    faults, kept, quarantined = _ingest(tmp_path, rows)
    repeated = sorted(row for row, rule in faults if rule == "duplicate_key")
    assert repeated == [14, 2502]
    assert "C12" not in kept
    assert quarantined == len(bad) + 2
    assert len(kept) == 3000 - quarantined
