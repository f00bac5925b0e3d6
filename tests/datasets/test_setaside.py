"""Bad rows set aside while they stream past: one call per row, or per chunk when there are
many; text taken untrimmed until a value with spaces around it asks for trimming."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from tests.datasets.conftest import MOJ_DATASETS
from yardstick.datasets import ingest_file, load_dataset_contract, setaside

CONTRACT = load_dataset_contract(MOJ_DATASETS, "enforcement_cases")
HEADER = "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure"


def _row(index: int, *, bad: bool = False, branch: str = "MOJ.AEA.TPE") -> str:
    paid = 5000 if bad else 1000
    return f"C{index},{branch},稅款,2017-01-01,2017-12-31,1000,{paid},完全繳清"


def _write(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _report(path: Path | None) -> list[tuple[str, str, str]]:
    assert path is not None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [(f["row"], f["column"], f["rule"]) for f in csv.DictReader(handle)]


def test_many_bad_rows_switch_to_one_call_per_chunk_with_the_same_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = [_row(i, bad=i % 3 == 0) for i in range(30_000)]
    path = _write(tmp_path / "cases.csv", rows)
    per_row = ingest_file(CONTRACT, path, data_dir=tmp_path / "a")
    monkeypatch.setattr(setaside, "PER_ROW_LIMIT", 100)
    per_chunk = ingest_file(CONTRACT, path, data_dir=tmp_path / "b")
    assert per_row.rows_quarantined == per_chunk.rows_quarantined == 10_000
    assert per_row.rows_accepted == per_chunk.rows_accepted == 20_000
    assert _report(per_row.quarantine_path) == _report(per_chunk.quarantine_path)


def test_a_padded_value_deep_in_the_file_is_trimmed_all_the_same(tmp_path: Path) -> None:
    rows = [_row(i) for i in range(150_000)]
    rows[140_000] = _row(140_000, branch=" MOJ.AEA.TPE  ")
    rows[140_001] = " C140001 ," + rows[140_001].split(",", 1)[1]
    result = ingest_file(CONTRACT, _write(tmp_path / "cases.csv", rows), data_dir=tmp_path / "d")
    assert (result.rows_accepted, result.rows_quarantined) == (150_000, 0)
    assert result.batch is not None
    stored = duckdb.execute(
        "SELECT case_id, branch FROM read_parquet($p) WHERE case_id IN ('C140000', 'C140001')",
        {"p": str(result.batch.parquet_path)},
    ).fetchall()
    assert sorted(stored) == [("C140000", "MOJ.AEA.TPE"), ("C140001", "MOJ.AEA.TPE")]


def test_a_value_of_spaces_alone_in_a_required_text_column_is_empty(tmp_path: Path) -> None:
    rows = [_row(i) for i in range(10)]
    rows[4] = "   ," + rows[4].split(",", 1)[1]
    result = ingest_file(CONTRACT, _write(tmp_path / "cases.csv", rows), data_dir=tmp_path / "d")
    assert _report(result.quarantine_path) == [("6", "case_id", "required")]


def test_bad_rows_keep_their_row_numbers_when_the_pass_restarts_trimmed(tmp_path: Path) -> None:
    rows = [_row(i, bad=i in (3, 70_000)) for i in range(80_000)]
    rows[50_000] = f" C50000 ,{rows[50_000].split(',', 1)[1]}"
    rows[70_000] = f"C70000  ,{rows[70_000].split(',', 1)[1]}"  # padded and bad
    result = ingest_file(CONTRACT, _write(tmp_path / "cases.csv", rows), data_dir=tmp_path / "d")
    assert (result.rows_accepted, result.rows_quarantined) == (79_998, 2)
    assert [row for row, _, _ in _report(result.quarantine_path)][::2] == ["5", "70002"]
