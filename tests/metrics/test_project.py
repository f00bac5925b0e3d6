"""From an agency's extract to a KPI value: ingest a CSV, compute, explain, withdraw."""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from tests.conftest import REPO
from tests.deployment import PLAN, run
from tests.sites import Site
from yardstick.calendar import YearRange
from yardstick.datasets.contract import Contract
from yardstick.datasets.ingest import ingest_file
from yardstick.datasets.registry_files import FileBatchRegistry
from yardstick.metrics.engines import QueryFailed
from yardstick.metrics.errors import BatchReadError, DefinitionError
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


def _extract(tmp_path: Path) -> Path:
    """The agency's extract of ROWS, as a CSV with a byte-order mark."""
    extract = tmp_path / "extract-109.csv"
    with extract.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    return extract


@pytest.fixture
def project(tmp_path: Path) -> Project:
    extract = _extract(tmp_path)
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


@pytest.fixture
def deployed(db: None, settings: Any, tmp_path: Path) -> Any:
    """The deployment (accounts, the MOJ plan stored) with the extract ingested by MOJ.AEA's
    data officer: what the command line works on. Its storage folder is its own."""
    from tests.deployment import set_up

    settings.YARDSTICK_DATA_DIR = tmp_path / "deployment"
    storage = set_up(tmp_path / "deployment")
    ingested = run(
        "data", "ingest", "enforcement_cases", str(_extract(tmp_path)), "--org-unit", "MOJ.AEA",
        as_="aea-officer",
    )  # fmt: skip
    assert ingested.exit_code == 0, ingested.error
    assert "rows quarantined: 0" in ingested.output
    return storage


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


def test_compute_and_explain_from_the_command_line(deployed: Any) -> None:
    computed = run("kpi", "compute", "--year", "109")
    assert computed.exit_code == 0, computed.error
    assert "50.00% ✓" in computed.output
    explained = run("kpi", "explain", "8-1", "--year", "109")
    assert explained.exit_code == 0, explained.error
    for expected in (
        "當年度有效結案件數",
        "numerator",
        "GROUPING SETS",
        "extract-109.csv",
        "sample records counted in numerator",
        "A3",
    ):
        assert expected in explained.output
    postgres = run("kpi", "explain", "8-1", "--year", "109", "--dialect", "postgres")
    assert postgres.exit_code == 0 and "FILTER" in postgres.output
    spark = run("kpi", "explain", "8-1", "--year", "109", "--dialect", "spark")
    assert spark.exit_code == 0 and "GROUPING SETS" in spark.output


@pytest.mark.parametrize("dialect", ["trino", "bigquery", "hive"])
def test_explain_offers_only_the_dialects_whose_sql_a_test_runs(
    project: Project, dialect: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        explain_kpi(project, "8-1", 109, "MOJ", dialect, Console(file=io.StringIO()))
    assert str(caught.value) == (
        f"no SQL for the dialect {dialect!r}; offered: duckdb, postgres, spark "
        "(the dialects of the engines, whose SQL the tests run)"
    )


def test_entering_a_survey_value(deployed: Any) -> None:
    """Entered by one person, approved by another (two steps since the values are in the
    database); the entering account may not approve its own value even as a reviewer."""
    from yardstick.cli.context import open_project
    from yardstick.state.accounts import Assignment, Role

    deployed.accounts.grant("planner", Assignment(Role.REVIEWER), "admin")
    for element, value in (
        ("community_service_satisfaction", "90"),
        ("legal_aid_satisfaction", "93"),
    ):
        entered = run("kpi", "enter", element, "--year", "109", "--value", value, as_="planner")
        assert entered.exit_code == 0, entered.error
        assert "waiting for approval" in entered.output
        own = run("kpi", "approve", element, "--year", "109", as_="planner")
        assert own.exit_code == 2
        assert own.error == (
            "error: planner entered this value and may not approve it too (another person must)"
        )
        approved = run("kpi", "approve", element, "--year", "109", as_="reviewer")
        assert approved.exit_code == 0, approved.error
        assert f"{value}% entered by planner, approved by reviewer" in approved.output
    report = open_project(deployed, PLAN).compute(YearRange(109, 109), kpis=["6-1"])
    assert report.values[0].value == pytest.approx(91.5)
    refused = run(
        "kpi", "enter", "legal_aid_satisfaction", "--year", "109", "--value", "130", as_="planner"
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


@pytest.mark.slow
@pytest.mark.parametrize(
    "other",
    [
        pytest.param("postgresql", marks=pytest.mark.postgres),
        pytest.param("spark", marks=pytest.mark.spark),
    ],
)
def test_every_kpi_agrees_on_duckdb_and_each_other_engine_on_demo_data(
    tmp_path: Path, request: pytest.FixtureRequest, other: str
) -> None:
    """Every KPI × year × unit of the demo data: counts equal, sums equal as DECIMAL, values equal
    (the other side really ran on its engine: its lineage says so)."""
    from tests.metrics.conftest import assert_inputs_agree
    from yardstick.demo.generate import generate

    request.getfixturevalue("postgres_dsn" if other == "postgresql" else "spark_ready")
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
    on_other = project.compute(YearRange(106, 109), engine=other).values
    assert len(on_duckdb) == len(on_other) > 16 * 4
    for a, b in zip(on_duckdb, on_other, strict=True):
        assert (a.kpi, a.year, a.org_unit, a.reason) == (b.kpi, b.year, b.org_unit, b.reason)
        assert_inputs_agree(a, b)
        assert a.value == (None if b.value is None else pytest.approx(b.value, rel=1e-9))
    assert {v.kpi for v in on_duckdb if v.value is not None} == set(project.definitions)
    computed = [v for v in on_other if v.lineage and v.lineage.engine != "data elements"]
    assert len(computed) > 13 * 4 and {v.lineage.engine for v in computed if v.lineage} == {other}


def _plan_copy(tmp_path: Path, edits: dict[str, tuple[str, str]]) -> Path:
    """The shipped plan folder, copied, with ``{kpi: (old, new)}`` replaced in its definitions."""
    import shutil

    plan_dir = tmp_path / "plan"
    shutil.copytree(PLAN_DIR, plan_dir)
    for code, (old, new) in edits.items():
        path = plan_dir / "metrics" / f"{code}.yaml"
        text = path.read_text(encoding="utf-8")
        assert old in text, (code, old)
        path.write_text(text.replace(old, new), encoding="utf-8")
    return plan_dir


BROKEN = {
    "2-1": ("dataset: legal_assistance_cases", "dataset: legal_assistance_case"),
    "5-2": ("period_column: case_opened_on", "period_column: case_opened"),
    "2-2": ("filter: channel = '兩岸'", 'filter: "channel = \'兩岸"'),
}


def _load(plan_dir: Path, code: str = "edited") -> None:
    """Store the edited plan folder as a plan of its own (the commands then name it)."""
    loaded = run("plan", "load", str(plan_dir), "--code", code)
    assert loaded.exit_code == 0, loaded.error


@pytest.mark.parametrize("command", ["compute", "explain", "watch"])
def test_every_computing_command_runs_the_checks_first_and_names_every_problem(
    deployed: Any, tmp_path: Path, command: str
) -> None:
    plan_dir = _plan_copy(tmp_path, BROKEN)
    (plan_dir / "metrics" / "x.yaml").write_text(
        (plan_dir / "metrics" / "1-1.yaml")
        .read_text(encoding="utf-8")
        .replace("kpi: 1-1", "kpi: x"),
        encoding="utf-8",
    )
    _load(plan_dir)  # definitions that load are stored, problems and all
    args = {
        "compute": ["kpi", "compute", "--year", "109"],
        "explain": ["kpi", "explain", "8-1", "--year", "109"],
        "watch": ["watch", "--as-of", "109-09"],
    }[command]
    result = run(*args, "--plan", "edited")
    assert result.exit_code != 0
    error = result.exception
    assert isinstance(error, DefinitionError), result.output  # the CLI prints it as one line
    message = str(error)
    assert "\n" not in message
    assert message.startswith("4 problem(s) in the metric definitions")
    for (
        expected
    ) in (  # a stored definition is named by its KPI code (its file: metrics/<code>.yaml)
        "2-1: measure: no dataset contract 'legal_assistance_case'",
        "5-2: numerator.period_column: 'case_opened' is not a date column",
        "2-2: measure.filter: a string opened here is never closed (a ' is missing) at position 11",
        "x: KPI x is not in the plan",
    ):
        assert expected in message


def test_the_cli_turns_a_definition_problem_into_one_line_and_exit_code_2(
    process_site: Site, tmp_path: Path
) -> None:
    plan_dir = _plan_copy(tmp_path, {"2-1": BROKEN["2-1"]})
    loaded = process_site.run("plan", "load", str(plan_dir), "--code", "edited")
    assert loaded.returncode == 0, loaded.stderr
    done = process_site.run("kpi", "compute", "--year", "109", "--plan", "edited")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and done.stderr.startswith("error: 1 problem(s)")
    assert "Traceback" not in done.stderr


def test_kpi_list_shows_a_broken_definition_and_keeps_working(
    deployment: Any, tmp_path: Path
) -> None:
    plan_dir = _plan_copy(tmp_path, {"2-1": BROKEN["2-1"]})
    (plan_dir / "metrics" / "x.yaml").write_text("kpi: x\nversion: [\n", encoding="utf-8")
    refused = run("plan", "load", str(plan_dir), "--code", "edited")  # a file that does not load
    assert refused.exit_code == 2 and "x.yaml" in refused.error
    assert "not valid YAML" in refused.error and "\n" not in refused.error
    (plan_dir / "metrics" / "x.yaml").write_text(  # one that loads, for a KPI not in the plan
        (plan_dir / "metrics" / "1-1.yaml")
        .read_text(encoding="utf-8")
        .replace("kpi: 1-1", "kpi: x"),
        encoding="utf-8",
    )
    _load(plan_dir)
    result = run("kpi", "list", "--plan", "edited")
    assert result.exit_code == 0, result.error
    assert result.output.count("defined") == 15
    assert "no dataset contract 'legal_assistance_case'" in result.output
    assert "KPI x is not in the plan" in result.output  # x is listed although it is not a plan KPI


def test_an_engine_failure_on_the_records_fails_only_that_kpi(
    project: Project, deployed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An overflow only the records reveal: 8-1 says why in one line, and the command works."""
    from yardstick.cli import kpi

    plan_dir = _plan_copy(
        tmp_path,
        {"8-1": ("closure = '完全繳清'", "length(closure) * 9223372036854775807 > 1")},
    )
    edited = Project.from_folder(plan_dir, project.data_dir)
    report = edited.compute(YearRange(109, 109), kpis=["8-1", "5-1"])
    [value] = [v for v in report.values if v.kpi == "8-1"]
    assert value.value is None
    reason = value.reason or ""
    assert reason.startswith("numerator: the duckdb engine failed: Out of Range Error: Overflow")
    assert "\n" not in reason and str(tmp_path) not in reason
    _load(plan_dir)
    monkeypatch.setattr(kpi.console, "width", 400)
    computed = run("kpi", "compute", "--year", "109", "--plan", "edited")
    assert computed.exit_code == 0, computed.error
    assert "cannot compute numerator: the duckdb engine failed" in computed.output


def test_an_unreachable_postgresql_is_a_user_error(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("YARDSTICK_POSTGRES_DSN", "host=127.0.0.1 port=1 connect_timeout=2")
    with pytest.raises(QueryFailed, match="the postgresql engine failed: cannot load the records"):
        project.compute(YearRange(109, 109), engine="postgresql", kpis=["8-1"])


def test_explain_shows_why_an_engine_failed_and_the_sql(
    deployed: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from yardstick.cli import kpi

    plan_dir = _plan_copy(
        tmp_path, {"8-1": ("closure = '完全繳清'", "length(closure) * 9223372036854775807 > 1")}
    )
    _load(plan_dir)
    monkeypatch.setattr(kpi.console, "width", 400)
    explained = run("kpi", "explain", "8-1", "--year", "109", "--plan", "edited")
    assert explained.exit_code == 0, explained.error
    words = " ".join(explained.output.split())  # the value's title wraps
    assert "8-1 109年 MOJ: cannot compute: numerator: the duckdb engine failed" in words
    assert "GROUPING SETS" in explained.output
    assert "sample records of numerator cannot be shown: Out of Range Error" in explained.output
    assert "sample records counted in denominator" in explained.output


def test_a_damaged_batch_file_is_named_not_a_traceback(project: Project) -> None:
    [batch] = FileBatchRegistry(project.data_dir).active_batches("enforcement_cases")
    batch.parquet_path.write_bytes(b"not parquet")
    with pytest.raises(BatchReadError) as caught:
        project.compute(YearRange(109, 109), kpis=["8-1"])
    message = str(caught.value)
    assert message.startswith(f"batch {batch.id} of enforcement_cases cannot be read")
    assert str(project.data_dir) not in message and "\n" not in message


def test_kpi_check_of_a_missing_folder_says_so(tmp_path: Path) -> None:
    result = run("kpi", "check", str(tmp_path / "none"))
    assert isinstance(result.exception, DefinitionError)
    assert "not a folder of metric definitions" in str(result.exception)
    assert "all sound" not in result.output


def test_kpi_check_of_a_stored_plan_prints_each_problem_on_a_line_of_its_own(
    deployment: Any, tmp_path: Path
) -> None:
    _load(_plan_copy(tmp_path, {k: BROKEN[k] for k in ("2-1", "5-2")}))
    result = run("kpi", "check", "--plan", "edited")
    assert isinstance(result.exception, DefinitionError)
    assert result.error == "error: 2 problem(s) in 16 definition(s)"
    assert "2-1: measure: no dataset contract 'legal_assistance_case'" in result.output.splitlines()
    assert any(
        line.startswith("5-2: numerator.period_column:") for line in result.output.splitlines()
    )
    sound = run("kpi", "check", "--plan", PLAN)
    assert (
        sound.exit_code == 0 and f"16 definitions of plan {PLAN} checked: all sound" in sound.output
    )
