"""assess, report and watch as a user runs them, on a small demo deployment."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.deployment import MOJ_FOLDER, PLAN, run


def test_assess_prints_every_kpi_with_its_light(demo_deployment: Any) -> None:
    result = run("assess", "--year", "109")
    assert result.exit_code == 0, result.error
    assert "8-1" in result.output and "綠燈" in result.output
    assert result.output.count("燈") >= 16


def test_watch_projects_and_lists_early_warnings(demo_deployment: Any) -> None:
    result = run("watch", "--as-of", "109-09")
    assert result.exit_code == 0, result.error
    assert "seasonal ratio from 3 earlier year(s)" in result.output
    assert (
        "early warnings: " in result.output and "2-2" in result.output.split("early warnings: ")[1]
    )


def test_report_writes_the_chosen_format(demo_deployment: Any, tmp_path: Path) -> None:
    out = tmp_path / "r.xlsx"
    result = run("report", "--year", "109", "--format", "xlsx", "-o", str(out))
    assert result.exit_code == 0, result.error
    assert out.read_bytes()[:2] == b"PK"


def test_a_bad_month_is_a_clear_error(demo_deployment: Any) -> None:
    result = run("watch", "--as-of", "109-13")
    assert result.exit_code != 0
    assert "month 13" in result.error


def _plan_dir_with_guessed_directions(tmp_path: Path, moj_document: Path) -> Path:
    """The MOJ plan folder with plan.yaml as imported: no direction reviewed yet."""
    import shutil

    from yardstick.plan import read_document
    from yardstick.plan.yamlio import save_plan

    plan_dir = tmp_path / PLAN
    shutil.copytree(MOJ_FOLDER, plan_dir)
    save_plan(
        read_document(moj_document, ministry="法務部", period="106-109"), plan_dir / "plan.yaml"
    )
    return plan_dir


def test_assess_marks_lights_that_rest_on_an_unreviewed_direction(
    demo_deployment: Any, tmp_path: Path, moj_document: Path
) -> None:
    plan_dir = _plan_dir_with_guessed_directions(tmp_path, moj_document)
    loaded = run("plan", "load", str(plan_dir), "--reason", "as imported, directions unreviewed")
    assert loaded.exit_code == 0, loaded.error
    assert "version 2 (stored" in loaded.output  # the demo's values stay the plan's own
    result = run("assess", "--year", "109")
    assert result.exit_code == 0, result.error
    rows = {line.split("│")[1].strip(): line for line in result.output.splitlines() if "│" in line}
    assert "※" in rows["4-1"] and "50.5日（以下）" in rows["4-1"]
    assert "※" in rows["8-1"] and "26%（以上）" in rows["8-1"]
    assert "※" not in rows["5-1"] and "8%以下（以下）" in rows["5-1"]  # the wording says it
    assert "※ 方向未經複核" in result.output


def test_assess_on_the_reviewed_plan_has_no_mark(demo_deployment: Any) -> None:
    result = run("assess", "--year", "109")
    assert result.exit_code == 0, result.error
    assert "※" not in result.output and "at_least" not in result.output
