"""The quarantine report as Excel opens it: rejected values that look like formulas stay text."""

from __future__ import annotations

import csv
from pathlib import Path

from yardstick.datasets import Contract, ingest_file, load_contract

HEADER = "case_id,branch,received_on,closed_on,referred_amount,paid_amount,closure"


def test_a_rejected_value_that_excel_would_run_is_written_as_text(
    contract_folder: Path, tmp_path: Path
) -> None:
    contract = load_contract(contract_folder / "cases.yaml")
    assert isinstance(contract, Contract)
    rows = [
        "A1,MOJ.AEA.TPE,2017-01-05,,500,0,\"=cmd|'/c calc'!A1\"",  # not an allowed value
        "A2,MOJ.AEA.TPE,2017-01-05,,500,-5,",  # below the minimum: a genuine negative number
        'A3,MOJ.AEA.TPE,2017-01-05,,500,0,＝HYPERLINK("http://x")',  # full-width =
        "A4,MOJ.AEA.TPE,@SUM(1+1),,500,0,",  # not a date
        "A5,MOJ.AEA.TPE,2017-01-05,,500,-1+2,",  # not a number
    ]
    path = tmp_path / "cases.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    result = ingest_file(contract, path, data_dir=tmp_path / "data")
    assert result.quarantine_path is not None
    assert result.quarantine_path.read_bytes().startswith(b"\xef\xbb\xbf")
    with result.quarantine_path.open(encoding="utf-8-sig", newline="") as handle:
        values = [(row["row"], row["value"]) for row in csv.DictReader(handle)]
    assert values == [
        ("2", "'=cmd|'/c calc'!A1"),
        ("3", "-5"),
        ("4", '\'＝HYPERLINK("http://x")'),
        ("5", "'@SUM(1+1)"),
        ("6", "'-1+2"),
    ]
