"""Loading and checking metric definitions without data."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.conftest import REPO
from yardstick.cli import app
from yardstick.datasets.contract import load_contracts
from yardstick.metrics.catalog import check_folder, load_definition, load_definitions
from yardstick.metrics.errors import DefinitionError
from yardstick.plan.yamlio import load_plan

PLAN_DIR = REPO / "plans" / "moj-106-109"
CONTRACTS = load_contracts(PLAN_DIR / "datasets")
RATIO = """kpi: 8-1
version: 1
kind: ratio
unit: "%"
scale: 100
interpretation: {zh: 測試, en: test}
numerator: {dataset: enforcement_cases, function: count, filter: "closure = '完全繳清'"}
denominator: {dataset: enforcement_cases, function: count}
"""


def test_every_shipped_definition_is_sound() -> None:
    definitions = load_definitions(PLAN_DIR / "metrics")
    plan = load_plan(PLAN_DIR / "plan.yaml")
    assert list(definitions) == [kpi.code for kpi in plan.kpis]
    assert check_folder(PLAN_DIR / "metrics", CONTRACTS, plan) == []
    for definition in definitions.values():
        assert definition.interpretation.zh and definition.interpretation.en


def _write(tmp_path: Path, text: str, name: str = "8-1") -> Path:
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (RATIO.replace("kind: ratio", "kind: average"), "kind: Input tag 'average' found"),
        (
            RATIO.replace("function: count}\n", "function: count, expression: x}\n"),
            "count takes no expression",
        ),
        (
            RATIO.replace("version: 1", "version: 0"),
            "version: Input should be greater than or equal to 1",
        ),
        (RATIO + "extra: 1\n", "extra: Extra inputs are not permitted"),
        ("kpi: x\nversion: 1\n  bad: [\n", "not valid YAML"),
    ],
)
def test_a_bad_file_names_the_file_and_field(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(DefinitionError) as caught:
        load_definition(path)
    assert str(caught.value).startswith(str(path))
    assert message in str(caught.value)


def test_the_file_name_must_be_the_kpi(tmp_path: Path) -> None:
    with pytest.raises(DefinitionError, match="must match the file name '8-2'"):
        load_definition(_write(tmp_path, RATIO, "8-2"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("enforcement_cases, function: count}", "enforcement_case, function: count}"),
            "denominator: no dataset contract 'enforcement_case'",
        ),
        (
            ("closure = '完全繳清'", "closur = '完全繳清'"),
            "numerator.filter: unknown column 'closur' (did you mean 'closure'?) at position 1",
        ),
        (
            ("closure = '完全繳清'", "closure IN (SELECT 1)"),
            "numerator.filter: IN takes a list of values",
        ),
    ],
)
def test_check_reports_each_problem(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    _write(
        tmp_path,
        RATIO.replace(*change, 1) if "denominator" not in message else RATIO.replace(*change),
    )
    problems = check_folder(tmp_path, CONTRACTS, None)
    assert any(message in str(p) for p in problems), problems


def test_kpi_check_exits_non_zero_with_one_line_per_problem(tmp_path: Path) -> None:
    _write(tmp_path, RATIO.replace("closure = '完全繳清'", "closur = 1"))
    result = CliRunner().invoke(app, ["kpi", "check", str(tmp_path), "--plan-dir", str(PLAN_DIR)])
    assert result.exit_code != 0
    assert "unknown column 'closur'" in result.output


def test_kpi_list_shows_every_kpi_with_its_status() -> None:
    result = CliRunner().invoke(app, ["kpi", "list", "--plan-dir", str(PLAN_DIR)])
    assert result.exit_code == 0
    assert result.output.count("defined") == 16
