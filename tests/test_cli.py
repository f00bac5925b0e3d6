"""The ``yardstick`` command as a user runs it: help, exit codes, one-line errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import MOJ_PLAN_YAML
from yardstick.cli import app

runner = CliRunner()


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "yardstick.cli", *args], capture_output=True, text=True, timeout=60
    )


def test_plan_import_writes_yaml_and_show_prints_the_tree(
    moj_document: Path, tmp_path: Path
) -> None:
    output = tmp_path / "plan.yaml"
    result = runner.invoke(
        app, ["plan", "import", str(moj_document), "--ministry", "法務部", "-o", str(output)]
    )
    assert result.exit_code == 0, result.output
    shown = runner.invoke(app, ["plan", "show", str(output)])
    assert shown.exit_code == 0
    assert "目標 9 妥適配置預算資源" in shown.output
    assert "KPI 5-1 紓解矯正機關超收擁擠問題" in shown.output
    assert "5 policy headings, 9 strategic goals, 16 KPIs, 60 programmes" in shown.output.replace(
        "\n", " "
    )


def test_import_keeps_reviews_and_diff_finds_no_change(moj_document: Path, tmp_path: Path) -> None:
    output = tmp_path / "plan.yaml"
    args = ["plan", "import", str(moj_document), "--ministry", "法務部", "--period", "106-109"]
    result = runner.invoke(app, [*args, "--keep-reviews", str(MOJ_PLAN_YAML), "-o", str(output)])
    assert result.exit_code == 0, result.output
    diff = runner.invoke(app, ["plan", "diff", str(MOJ_PLAN_YAML), str(output)])
    assert diff.exit_code == 0 and "the plans are the same" in diff.output


def test_diff_lists_changed_fields_and_exits_1(tmp_path: Path) -> None:
    changed = tmp_path / "plan.yaml"
    changed.write_text(
        MOJ_PLAN_YAML.read_text(encoding="utf-8").replace("text: 4,000人", "text: 4,100人"),
        encoding="utf-8",
    )
    diff = runner.invoke(app, ["plan", "diff", str(MOJ_PLAN_YAML), str(changed)])
    assert diff.exit_code == 1
    assert "kpis[0].targets[0].text: '4,000人' → '4,100人'" in diff.output


def test_export_writes_each_format(tmp_path: Path) -> None:
    for name in ("md", "json", "xlsx", "document"):
        output = tmp_path / f"plan.{name}"
        result = runner.invoke(
            app, ["plan", "export", str(MOJ_PLAN_YAML), "--format", name, "-o", str(output)]
        )
        assert result.exit_code == 0, result.output
        assert output.stat().st_size > 1000


def test_a_user_error_is_one_line_and_exit_2_without_traceback(tmp_path: Path) -> None:
    bad = tmp_path / "bad.txt"
    bad.write_text("壹、施政綱要\n一、標題\n", encoding="utf-8")
    result = _run("plan", "import", str(bad))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "error: line 3: expected the section title '貳、關鍵績效指標', found 'the end of the document'"
    )


def test_a_missing_file_is_a_usage_error(tmp_path: Path) -> None:
    result = _run("plan", "import", str(tmp_path / "none.txt"))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr


def test_every_command_has_help() -> None:
    from tests.test_docs import _commands

    commands = [name.split() for name in _commands(app)]
    assert ["kpi", "compute"] in commands and ["watch"] in commands and len(commands) > 15
    for command in [["plan"], ["data"], ["kpi"], ["demo"], *commands]:
        result = runner.invoke(app, [*command, "--help"])
        assert result.exit_code == 0, command
        assert "Usage" in result.output
