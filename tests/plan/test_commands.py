"""``yardstick plan …`` as a user runs it: our one-line errors, never a traceback; guesses said aloud."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tests.conftest import MOJ_PLAN_YAML
from yardstick.cli import main


def _yardstick(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """Run the command as the console script does; (exit code, stdout, stderr)."""
    argv = sys.argv
    sys.argv = ["yardstick", *args]
    try:
        with pytest.raises(SystemExit) as exited:
            main()
    finally:
        sys.argv = argv
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def _edited(tmp_path: Path, old: str, new: str) -> Path:
    text = MOJ_PLAN_YAML.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "plan.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _commands_on(path: Path, tmp_path: Path) -> list[list[str]]:
    return [
        ["plan", "show", str(path)],
        ["plan", "export", str(path), "-f", "md"],
        ["plan", "export", str(path), "-f", "xlsx", "-o", str(tmp_path / "plan.xlsx")],
        ["plan", "export", str(path), "-f", "document"],
        ["plan", "diff", str(path), str(MOJ_PLAN_YAML)],
    ]


@pytest.mark.parametrize(
    ("old", "new", "field"),
    [
        ("start_year: 106", "start_year: " + "1" * 5000, "line 3"),
        ("    value: 4000\n", "    value: .inf\n", "kpis.0.targets.0.value"),
        ("    value: 4000\n", "    value: 1e400\n", "kpis.0.targets.0.value"),
        ("  - year: 109\n", "  - year: 99999\n", "kpis.0.targets.0.year"),
        ("  name: 查緝製賣運輸藥頭\n", '  name: "查緝\\x01藥頭"\n', "kpis.0.name"),
    ],
)
def test_a_hand_edited_plan_with_a_bad_value_is_one_line_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, old: str, new: str, field: str
) -> None:
    path = _edited(tmp_path, old, new)
    for args in _commands_on(path, tmp_path):
        code, _, err = _yardstick(capsys, *args)
        assert code == 2, args
        assert err.startswith(f"error: {path}: {field}"), err
        assert err.count("\n") == 1 and "Traceback" not in err


def test_markup_in_plan_text_is_shown_as_written(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = _edited(tmp_path, "  name: 查緝製賣運輸藥頭\n", "  name: 查緝[/]藥頭[bold]\n")
    for args in _commands_on(path, tmp_path):
        code, out, err = _yardstick(capsys, *args)
        assert code in (0, 1), (args, err)  # diff exits 1: the plans differ
    code, out, _ = _yardstick(capsys, "plan", "show", str(path))
    assert "KPI 1-1 查緝[/]藥頭[bold]" in out


def test_a_document_with_a_circled_kpi_number_is_one_line_naming_its_line(
    capsys: pytest.CaptureFixture[str], moj_document: Path, tmp_path: Path
) -> None:
    text = moj_document.read_text(encoding="utf-8")
    bad = tmp_path / "plan.txt"
    bad.write_text(text.replace("\t1\n\t查緝製賣運輸藥頭\n", "\t②\n\t查緝製賣運輸藥頭\n"), "utf-8")
    code, _, err = _yardstick(capsys, "plan", "import", str(bad))
    line = text.split("\n").index("\t查緝製賣運輸藥頭")  # the cell before it, 1-based
    assert code == 2
    assert (
        err
        == f"error: line {line}: expected a KPI number: a whole number from 1 to 999, found '②'\n"
    )


def test_an_output_that_cannot_be_written_is_our_error(
    capsys: pytest.CaptureFixture[str], moj_document: Path, tmp_path: Path
) -> None:
    code, _, err = _yardstick(capsys, "plan", "import", str(moj_document), "-o", str(tmp_path))
    assert code == 2
    assert err.splitlines()[-1].startswith(f"error: {tmp_path}: cannot write")
    assert not list(tmp_path.parent.glob(".*.tmp")), "the temporary file is left behind"
    code, _, err = _yardstick(
        capsys, "plan", "export", str(MOJ_PLAN_YAML), "-f", "md", "-o", str(tmp_path)
    )
    assert code == 2 and "cannot write" in err


# --- the directions an import guessed ---------------------------------------------------------


def test_import_lists_the_directions_it_guessed(
    capsys: pytest.CaptureFixture[str], moj_document: Path, tmp_path: Path
) -> None:
    output = tmp_path / "plan.yaml"
    code, _, err = _yardstick(capsys, "plan", "import", str(moj_document), "-o", str(output))
    assert code == 0
    assert "15 target(s) have a direction their wording does not state" in err
    assert (
        "  4-1 檢察官辦案日數 109年度 50.5日: 以下（越低越好）, suggested by the name (日數)\n"
        in err
    )
    assert "  1-1 查緝製賣運輸藥頭 109年度 4,000人: 以上（越高越好）, the default\n" in err
    assert "5-1" not in err  # 8%以下: the wording says it
    assert "at_least" not in err and "at_most" not in err


def test_import_with_kept_reviews_has_nothing_left_to_guess(
    capsys: pytest.CaptureFixture[str], moj_document: Path, tmp_path: Path
) -> None:
    args = ["--ministry", "法務部", "--period", "106-109", "--keep-reviews", str(MOJ_PLAN_YAML)]
    output = tmp_path / "plan.yaml"
    code, _, err = _yardstick(capsys, "plan", "import", str(moj_document), *args, "-o", str(output))
    assert code == 0
    assert "does not state" not in err
    assert output.read_text(encoding="utf-8") == MOJ_PLAN_YAML.read_text(encoding="utf-8")


def test_show_marks_unreviewed_directions_and_says_what_the_mark_means(
    capsys: pytest.CaptureFixture[str], moj_document: Path, tmp_path: Path
) -> None:
    output = tmp_path / "plan.yaml"
    _yardstick(capsys, "plan", "import", str(moj_document), "-o", str(output))
    _, out, _ = _yardstick(capsys, "plan", "show", str(output))
    assert "目標值 109年度 50.5日（以下，越低越好）※" in out.replace("\n", "").replace("│", "")
    assert "※ 方向未經複核" in out
    _, reviewed, _ = _yardstick(capsys, "plan", "show", str(MOJ_PLAN_YAML))
    assert "※" not in reviewed and "50.5日（以下，越低越好）" in reviewed.replace("\n", "")
    assert "at_least" not in reviewed and "≥" not in reviewed
