"""``yardstick data …`` as a user runs it: output, exit codes, one-line errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import FIXTURES
from tests.deployment import run
from tests.sites import Site
from yardstick.datasets.errors import KeyOverlapError

BIG5_FIXTURE = FIXTURES / "datasets" / "enforcement_cases_big5.csv"
OFFICER = "aea-officer"
"""The data officer of MOJ.AEA (and the branches under it)."""


def _ingest(*args: str, as_: str = OFFICER) -> str:
    result = run("data", "ingest", *args, as_=as_)
    assert result.exit_code == 0, result.error
    return result.output


def test_contracts_lists_datasets_and_data_elements(deployment: Any) -> None:
    result = run("data", "contracts")
    assert result.exit_code == 0
    assert "enforcement_cases" in result.output and "data_element" in result.output


def test_ingest_prints_counts_and_batch_then_batches_and_withdraw(deployment: Any) -> None:
    output = _ingest("enforcement_cases", str(BIG5_FIXTURE), "--org-unit", "MOJ.AEA.TPE")
    assert "rows accepted: 5" in output and "rows quarantined: 0" in output
    batch_id = output.split("batch: ")[1].split()[0]
    again = _ingest("enforcement_cases", str(BIG5_FIXTURE), "--org-unit", "MOJ.AEA.TPE")
    assert f"already ingested: batch {batch_id}" in again
    listed = run("data", "batches", "--dataset", "enforcement_cases")
    assert batch_id[:5] in listed.output and "active" in listed.output
    withdrawn = run("data", "withdraw", batch_id, "--reason", "wrong year", as_=OFFICER)
    assert withdrawn.exit_code == 0 and f"batch {batch_id}" in withdrawn.output
    assert f"withdrawn by {OFFICER}" in withdrawn.output
    listed = run("data", "batches")
    assert f"withdrawn by {OFFICER}" in listed.output and "wrong year" in listed.output


def test_ingest_shows_the_reasons_and_the_report_of_quarantined_rows(
    deployment: Any, tmp_path: Path
) -> None:
    text = BIG5_FIXTURE.read_bytes().decode("cp950").replace("2500000,2500000", "2500000,2600000")
    path = tmp_path / "cases.csv"
    path.write_text(text, encoding="utf-8")
    output = _ingest("enforcement_cases", str(path), "--org-unit", "MOJ.AEA")
    assert "rows accepted: 4" in output and "rows quarantined: 1" in output
    assert "paid_within_referred" in output and "row 6" in output
    assert "quarantine.csv" in output.replace("\n", "")


def test_user_errors_are_one_line_with_exit_2(process_site: Site, tmp_path: Path) -> None:
    missing = process_site.run("data", "ingest", "enforcement_casez", str(BIG5_FIXTURE))
    assert missing.returncode == 2 and "Traceback" not in missing.stderr
    assert missing.stderr.strip().startswith("error: no dataset contract 'enforcement_casez'")
    assert "did you mean 'enforcement_cases'?" in missing.stderr
    strict_file = tmp_path / "bad.csv"
    strict_file.write_text(
        BIG5_FIXTURE.read_bytes().decode("cp950").replace("稅款", "稅金"), encoding="utf-8"
    )
    strict = process_site.run("data", "ingest", "enforcement_cases", str(strict_file), "--strict")
    assert strict.returncode == 2
    assert (
        strict.stderr.strip()
        .splitlines()[-1]
        .startswith("error: bad.csv: refused (--strict): 2 of 5 rows break the contract; see ")
    )
    unknown = process_site.run("data", "withdraw", "nope", "--reason", "x")
    assert unknown.returncode == 2 and unknown.stderr.strip().startswith("error: no batch 'nope'")


def test_every_data_command_has_help() -> None:
    for command in ("contracts", "ingest", "batches", "withdraw"):
        result = run("data", command, "--help")
        assert result.exit_code == 0 and "Usage" in result.output


def test_a_corrected_extract_replaces_its_batch_and_batches_shows_by_what(
    deployment: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yardstick.cli import data

    monkeypatch.setattr(data.console, "width", 400)  # whole cells, on one line each
    output = _ingest("enforcement_cases", str(BIG5_FIXTURE), "--org-unit", "MOJ.AEA.TPE")
    first = output.split("batch: ")[1].split()[0]
    corrected = tmp_path / "corrected.csv"
    text = BIG5_FIXTURE.read_bytes().decode("cp950").replace("180000,120000", "180000,120001")
    corrected.write_text(text, encoding="utf-8")
    refused = run("data", "ingest", "enforcement_cases", str(corrected), as_="planner")
    assert refused.exit_code != 0 and isinstance(refused.exception, KeyOverlapError)
    assert f"--replaces {first}" in refused.error
    output = _ingest(
        "enforcement_cases",
        str(corrected),
        "--org-unit",
        "MOJ.AEA.TPE",
        "--replaces",
        first,
        "--reason",
        "case 2 paid one more dollar",
    )
    second = output.split("batch: ")[1].split()[0]
    assert f"replaced (now withdrawn): {first}" in output
    listed = run("data", "batches").output
    assert f"replaced by {second} ({OFFICER}" in listed and "case 2 paid one more dollar" in listed


def test_ingest_errors_of_every_kind_are_one_line_with_exit_2(
    process_site: Site, tmp_path: Path
) -> None:
    wide = tmp_path / "wide.csv"
    wide.write_bytes(BIG5_FIXTURE.read_bytes().replace(b"closure", b"closure," + b"x" * 70_000, 1))
    not_parquet = tmp_path / "cases.parquet"
    not_parquet.write_bytes(BIG5_FIXTURE.read_bytes())
    cases = [
        (["--encoding", "utf-16"], BIG5_FIXTURE, "does not start with a UTF-16 byte-order mark"),
        ([], wide, "unexpected column 'xxxx"),
        ([], not_parquet, "cases.parquet: not a Parquet file"),
        (["--replaces", "nope", "--reason", "x"], BIG5_FIXTURE, "no batch 'nope'"),
    ]
    for options, path, expected in cases:
        done = process_site.run("data", "ingest", "enforcement_cases", str(path), *options)
        assert done.returncode == 2 and "Traceback" not in done.stderr, done.stderr
        [line] = [line for line in done.stderr.splitlines() if line.strip()]
        assert line.startswith("error: ") and expected in line
        assert str(tmp_path) not in line
