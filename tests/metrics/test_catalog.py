"""Loading and checking metric definitions without data."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.deployment import run
from tests.metrics.conftest import metrics_beside_the_moj_plan
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
    metrics = metrics_beside_the_moj_plan(tmp_path)
    _write(metrics, RATIO.replace("closure = '完全繳清'", "closur = 1"))
    result = run("kpi", "check", str(metrics))
    assert result.exit_code != 0
    assert "unknown column 'closur'" in result.output


def test_kpi_list_shows_every_kpi_with_its_status(deployment: Any) -> None:
    result = run("kpi", "list")
    assert result.exit_code == 0
    assert result.output.count("defined") == 16


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("scale: 100", "scale: .inf"), "scale: Input should be a finite number"),
        (("scale: 100", "scale: .nan"), "scale: Input should be a finite number"),
        (("scale: 100", "scale: 1.0e309"), "scale: Input should be a finite number"),
        (("version: 1", "version: 99999999999"), "version: Input should be less than or equal"),
        (("version: 1", "version: " + "9" * 5000), "line 2: not valid YAML: an integer of 5000"),
        (("version: 1", "version: !!int abc"), "not valid YAML: a value cannot be read"),
        (("version: 1", "version: 2020-13-45"), "not valid YAML: a value cannot be read"),
    ],
)
def test_a_number_no_computation_can_use_is_refused_at_load(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    with pytest.raises(DefinitionError) as caught:
        load_definition(_write(tmp_path, RATIO.replace(*change)))
    assert message in str(caught.value) and "\n" not in str(caught.value)


@pytest.mark.parametrize("decimals", ["-1", "7", "1000000000"])
def test_a_manual_kpi_reports_with_0_to_6_decimals(tmp_path: Path, decimals: str) -> None:
    text = (PLAN_DIR / "metrics" / "6-1.yaml").read_text(encoding="utf-8")
    path = _write(tmp_path, text.replace("decimals: 1", f"decimals: {decimals}"), "6-1")
    with pytest.raises(DefinitionError, match="decimals: Input should be"):
        load_definition(path)


def test_a_scale_is_written_into_the_formula_exactly(tmp_path: Path) -> None:
    definition = load_definition(_write(tmp_path, RATIO.replace("scale: 100", "scale: 1234567")))
    assert definition.formula == "numerator / denominator * 1234567"
    tiny = load_definition(_write(tmp_path, RATIO.replace("scale: 100", "scale: 0.000001")))
    assert tiny.formula == "numerator / denominator * 1e-06"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ("filter: \"closure = '完全繳清'\"", 'filter: "paid_amount"'),
            "numerator.filter: a filter must be a condition (true or false), not a number at position 1",
        ),
        (
            (
                "function: count, filter: \"closure = '完全繳清'\"",
                'function: sum, expression: "closure"',
            ),
            "numerator.expression: the value to aggregate must be a number, not text at position 1",
        ),
        (
            ("closure = '完全繳清'", "CAST(closure AS INTEGER) = 1"),
            "numerator.filter: text cannot be cast to a whole number: closure at position 6",
        ),
    ],
)
def test_check_refuses_an_expression_of_the_wrong_type(
    tmp_path: Path, change: tuple[str, str], message: str
) -> None:
    _write(tmp_path, RATIO.replace(*change))
    [problem] = check_folder(tmp_path, CONTRACTS, None)
    assert problem.message == message
    expression, caret = problem.pointer.splitlines()
    assert caret.strip() == "^" and problem.report().endswith(problem.pointer)


def test_definitions_sort_by_code_even_when_a_code_is_not_numbered(tmp_path: Path) -> None:
    for code in ("10-1", "9-2", "x", "8-1", "2-a"):
        _write(tmp_path, RATIO.replace("kpi: 8-1", f"kpi: {code}"), code)
    assert list(load_definitions(tmp_path)) == ["2-a", "8-1", "9-2", "10-1", "x"]


def test_kpi_check_prints_the_expression_with_a_caret_under_the_fault(tmp_path: Path) -> None:
    metrics = metrics_beside_the_moj_plan(tmp_path)
    _write(metrics, RATIO.replace("closure = '完全繳清'", "closure = '完全繳清"))
    result = run("kpi", "check", str(metrics))
    assert result.exit_code != 0
    assert isinstance(result.exception, DefinitionError)
    lines = result.output.splitlines()
    at = next(i for i, line in enumerate(lines) if "never closed" in line)
    assert lines[at + 1] == "closure = '完全繳清"
    assert lines[at + 2] == " " * 10 + "^"
