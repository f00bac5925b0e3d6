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


def _plan_dir_with_guessed_directions(tmp_path: Path, moj_document: Path) -> Path:
    """The MOJ plan folder with plan.yaml as imported: no direction reviewed yet."""
    import shutil

    from yardstick.plan import read_document
    from yardstick.plan.yamlio import save_plan

    plan_dir = tmp_path / "moj"
    shutil.copytree(PLAN_DIR, plan_dir)
    save_plan(
        read_document(moj_document, ministry="法務部", period="106-109"), plan_dir / "plan.yaml"
    )
    return plan_dir


def test_assess_marks_lights_that_rest_on_an_unreviewed_direction(
    demo_project: Project, tmp_path: Path, moj_document: Path
) -> None:
    plan_dir = _plan_dir_with_guessed_directions(tmp_path, moj_document)
    args = ["--plan-dir", str(plan_dir), "--data-dir", str(demo_project.data_dir)]
    result = runner.invoke(app, ["assess", "--year", "109", *args])
    assert result.exit_code == 0, result.output
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "※" in rows["4-1"] and "50.5日（以下）" in rows["4-1"]
    assert "※" in rows["8-1"] and "26%（以上）" in rows["8-1"]
    assert "※" not in rows["5-1"] and "8%以下（以下）" in rows["5-1"]  # the wording says it
    assert "※ 方向未經複核" in result.output


def test_assess_on_the_reviewed_plan_has_no_mark(demo_project: Project) -> None:
    result = runner.invoke(app, ["assess", "--year", "109", *_args(demo_project)])
    assert result.exit_code == 0, result.output
    assert "※" not in result.output and "at_least" not in result.output
