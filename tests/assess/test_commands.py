"""assess, report and watch as a user runs them, on a small generated data set."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from tests.reports.conftest import PLAN_DIR
from yardstick.cli import app
from yardstick.metrics.project import Project

runner = CliRunner()


def _args(project: Project) -> list[str]:
    return ["--plan-dir", str(PLAN_DIR), "--data-dir", str(project.data_dir)]


def test_assess_prints_every_kpi_with_its_light(demo_project: Project) -> None:
    result = runner.invoke(app, ["assess", "--year", "109", *_args(demo_project)])
    assert result.exit_code == 0, result.output
    assert "8-1" in result.output and "綠燈" in result.output
    assert result.output.count("燈") >= 16


def test_watch_projects_and_lists_early_warnings(demo_project: Project) -> None:
    result = runner.invoke(app, ["watch", "--as-of", "109-09", *_args(demo_project)])
    assert result.exit_code == 0, result.output
    assert "seasonal ratio from 3 earlier year(s)" in result.output
    assert (
        "early warnings: " in result.output and "2-2" in result.output.split("early warnings: ")[1]
    )


def test_report_writes_the_chosen_format(demo_project: Project, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = runner.invoke(
        app, ["report", "--year", "109", "--format", "xlsx", "-o", str(out), *_args(demo_project)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"


def test_a_bad_month_is_a_clear_error(demo_project: Project) -> None:
    result = runner.invoke(app, ["watch", "--as-of", "109-13", *_args(demo_project)])
    assert result.exit_code != 0
    assert "month 13" in str(result.exception)
