"""From an agency's extract to a KPI value: ingest a CSV, compute, explain, withdraw."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from tests.conftest import REPO
from yardstick.calendar import YearRange
from yardstick.cli import app
from yardstick.datasets.contract import Contract
from yardstick.datasets.ingest import ingest_file
from yardstick.datasets.registry_files import FileBatchRegistry
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.explain import explain_kpi
from yardstick.metrics.project import Project

PLAN_DIR = REPO / "plans" / "moj-106-109"
ROWS = [
    # case_id, branch, obligation_type, received_on, closed_on, referred, paid, closure
    ("A1", "MOJ.AEA.TPE", "稅款", "2019-03-01", "2020-02-01", "150000", "150000", "完全繳清"),
    (
        "A2",
        "MOJ.AEA.TPE",
        "稅款",
        "2019-03-01",
        "2020-02-01",
        "150000",
        "75000",
        "部分繳清",
    ),  # = 0.5×: no
    (
        "A3",
        "MOJ.AEA.TPE",
        "罰鍰",
        "2019-03-01",
        "2020-12-31",
        "200000",
        "120001",
        "部分繳清",
    ),  # > 0.6×: yes
    ("A4", "MOJ.AEA.KHH", "健保費", "2019-03-01", "2020-06-01", "1000000", "0", "發憑證"),
    (
        "A5",
        "MOJ.AEA.KHH",
        "稅款",
        "2019-03-01",
        "2021-01-01",
        "50000",
        "50000",
        "完全繳清",
    ),  # next year
    ("A6", "MOJ.AEA.KHH", "稅款", "2019-03-01", "", "50000", "100", ""),  # open
]
HEADER = [
    "case_id",
    "branch",
    "obligation_type",
    "received_on",
    "closed_on",
    "referred_amount",
    "paid_amount",
    "closure",
]


@pytest.fixture
def project(tmp_path: Path) -> Project:
    extract = tmp_path / "extract-109.csv"
    with extract.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    project = Project.from_folder(PLAN_DIR, tmp_path / "data")
    contract = project.contracts["enforcement_cases"]
    assert isinstance(contract, Contract)
    result = ingest_file(
        contract,
        extract,
        data_dir=project.data_dir,
        org_units=project.org_units,
        org_unit="MOJ.AEA",
    )
    assert result.rows_quarantined == 0
    return project


def test_an_ingested_extract_gives_the_hand_worked_value(project: Project) -> None:
    report = project.compute(YearRange(109, 109), kpis=["8-1"])
    by_unit = {v.org_unit: v for v in report.values}
    assert by_unit["MOJ"].inputs == {"numerator": 2.0, "denominator": 4.0}
    assert by_unit["MOJ"].value == 50.0
    assert by_unit["MOJ.AEA"].value == 50.0
    assert by_unit["MOJ.AEA.TPE"].value == pytest.approx(200 / 3)
    assert by_unit["MOJ.AEA.KHH"].value == 0.0
    lineage = by_unit["MOJ"].lineage
    assert lineage is not None and lineage.batches[0].source == "extract-109.csv"
    assert lineage.batches[0].rows == 6


def test_kpis_without_batches_say_so(project: Project) -> None:
    report = project.compute(YearRange(109, 109))
    by_kpi = {v.kpi: v for v in report.values if v.org_unit == "MOJ"}
    assert by_kpi["4-1"].value is None
    assert (
        by_kpi["4-1"].reason
        == "no active batches of prosecution_cases (none ingested, or all withdrawn)"
    )
    assert (
        by_kpi["6-1"].reason
        == "no approved value of community_service_satisfaction at MOJ, legal_aid_satisfaction at MOJ for 109年"
    )
    assert len(by_kpi) == 16


def test_a_withdrawn_batch_is_no_longer_used(project: Project) -> None:
    project.compute(YearRange(109, 109), kpis=["8-1"])
    registry = FileBatchRegistry(project.data_dir)
    [batch] = registry.active_batches("enforcement_cases")
    registry.withdraw(batch.id, "wrong extract", "officer")
    report = project.compute(YearRange(109, 109), kpis=["8-1"])
    [value] = report.values
    assert value.value is None and "no active batches of enforcement_cases" in (value.reason or "")
    assert report.recomputed == [("8-1", 109)]


def test_a_value_reused_after_a_withdrawal_names_only_the_batches_it_still_rests_on(
    project: Project, tmp_path: Path
) -> None:
    extract = tmp_path / "extract-108.csv"
    with extract.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerow(
            ("B1", "MOJ.AEA.TPE", "稅款", "2018-03-01", "2019-02-01", "100", "100", "完全繳清")
        )
    contract = project.contracts["enforcement_cases"]
    assert isinstance(contract, Contract)
    of_108 = ingest_file(
        contract,
        extract,
        data_dir=project.data_dir,
        org_units=project.org_units,
        org_unit="MOJ.AEA",
    )
    project.compute(YearRange(108, 109), kpis=["8-1"])
    assert of_108.batch is not None
    FileBatchRegistry(project.data_dir).withdraw(of_108.batch.id, "wrong year extracted", "officer")
    report = project.compute(YearRange(108, 109), kpis=["8-1"])
    assert report.reused == [("8-1", 109)]
    [value] = [v for v in report.values if v.year == 109 and v.org_unit == "MOJ"]
    assert value.lineage is not None
    assert [b.source for b in value.lineage.batches] == ["extract-109.csv"]


def test_compute_and_explain_from_the_command_line(project: Project) -> None:
    runner = CliRunner()
    args = ["--plan-dir", str(PLAN_DIR), "--data-dir", str(project.data_dir)]
    computed = runner.invoke(app, ["kpi", "compute", "--year", "109", *args])
    assert computed.exit_code == 0, computed.output
    assert "50.00% ✓" in computed.output
    explained = runner.invoke(
        app, ["kpi", "explain", "8-1", "--year", "109", *args], terminal_width=200
    )
    assert explained.exit_code == 0, explained.output
    for expected in (
        "當年度有效結案件數",
        "numerator",
        "GROUPING SETS",
        "extract-109.csv",
        "sample records counted in numerator",
        "A3",
    ):
        assert expected in explained.output
    postgres = runner.invoke(
        app,
        ["kpi", "explain", "8-1", "--year", "109", "--dialect", "postgres", *args],
        terminal_width=200,
    )
    assert postgres.exit_code == 0 and "FILTER" in postgres.output


@pytest.mark.parametrize("dialect", ["spark", "trino", "bigquery"])
def test_explain_offers_only_the_dialects_whose_sql_a_test_runs(
    project: Project, dialect: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        explain_kpi(project, "8-1", 109, "MOJ", dialect, Console(file=io.StringIO()))
    assert str(caught.value) == (
        f"no SQL for the dialect {dialect!r}; offered: duckdb, postgres "
        "(the dialects of the engines, whose SQL the tests run)"
    )


def test_entering_a_survey_value(project: Project) -> None:
    runner = CliRunner()
    args = ["--plan-dir", str(PLAN_DIR), "--data-dir", str(project.data_dir)]
    for element, value in (
        ("community_service_satisfaction", "90"),
        ("legal_aid_satisfaction", "93"),
    ):
        result = runner.invoke(
            app,
            [
                "kpi",
                "enter",
                element,
                "--year",
                "109",
                "--value",
                value,
                "--entered-by",
                "officer",
                "--approved-by",
                "reviewer",
                *args,
            ],
        )
        assert result.exit_code == 0, result.output
    report = project.compute(YearRange(109, 109), kpis=["6-1"])
    assert report.values[0].value == pytest.approx(91.5)
    refused = runner.invoke(
        app,
        [
            "kpi",
            "enter",
            "legal_aid_satisfaction",
            "--year",
            "109",
            "--value",
            "130",
            "--entered-by",
            "x",
            *args,
        ],
    )
    assert refused.exit_code != 0


@pytest.mark.postgres
def test_postgresql_gives_the_same_values_from_the_same_batches(
    project: Project, postgres_dsn: str
) -> None:
    on_duckdb = project.compute(YearRange(108, 109), engine="duckdb").values
    on_postgres = project.compute(YearRange(108, 109), engine="postgresql").values
    assert [(v.kpi, v.year, v.org_unit, v.value, v.reason) for v in on_duckdb] == [
        (v.kpi, v.year, v.org_unit, v.value, v.reason) for v in on_postgres
    ]
    assert {v.lineage.engine for v in on_postgres if v.lineage and v.kpi == "8-1"} == {"postgresql"}


@pytest.mark.postgres
@pytest.mark.slow
def test_every_kpi_agrees_on_duckdb_and_postgresql_on_demo_data(
    tmp_path: Path, postgres_dsn: str
) -> None:
    from yardstick.demo.generate import generate

    project = Project.from_folder(PLAN_DIR, tmp_path / "data")
    generate(
        tmp_path / "files",
        0.002,
        106,
        project.contracts,
        project.org_units,
        data_dir=project.data_dir,
    )
    on_duckdb = project.compute(YearRange(106, 109), engine="duckdb").values
    on_postgres = project.compute(YearRange(106, 109), engine="postgresql").values
    assert len(on_duckdb) == len(on_postgres) > 16 * 4
    for a, b in zip(on_duckdb, on_postgres, strict=True):
        assert (a.kpi, a.year, a.org_unit, a.reason) == (b.kpi, b.year, b.org_unit, b.reason)
        assert a.value == (None if b.value is None else pytest.approx(b.value, rel=1e-9))
    assert {v.kpi for v in on_duckdb if v.value is not None} == set(project.definitions)
