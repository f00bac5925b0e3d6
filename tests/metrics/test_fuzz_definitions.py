"""Mutants of the shipped definitions, through load, check, compute and the CLI: only our errors.

Seeded and bounded so the suite stays fast; ``benchmarks/fuzz_definitions.py`` runs the same
mutants for as long as asked.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

from tests.metrics.definition_mutants import SHIPPED, Mutant, Sandbox, mutants
from yardstick.metrics.project import Project

FUZZ = settings(
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def sandbox(demo_project: Project, tmp_path_factory: pytest.TempPathFactory) -> Sandbox:
    return Sandbox(tmp_path_factory.mktemp("fuzz-definitions"), demo_project.data_dir)


def test_the_sandbox_computes_every_shipped_definition(sandbox: Sandbox) -> None:
    """The harness itself works: unmutated, every record-based KPI gets values."""
    for code, text in SHIPPED.items():
        values = sandbox.exercise(Mutant(code, text, "unchanged"))
        assert any(v.value is not None for v in values) or "kind: manual" in text, code


@settings(FUZZ, max_examples=120)
@given(mutant=mutants())
def test_a_mutated_definition_loads_checks_and_computes_or_gives_our_error(
    sandbox: Sandbox, mutant: Mutant
) -> None:
    sandbox.exercise(mutant)


@settings(
    FUZZ,
    max_examples=6,
    # the database fixture is rolled back after the test, not after each example: the examples
    # store their versions of plan "fuzz" one after the other, as a deployment would
    suppress_health_check=[*FUZZ.suppress_health_check, HealthCheck.function_scoped_fixture],
)
@given(mutant=mutants())
@pytest.mark.parametrize("command", ["list", "check", "compute"])
def test_the_cli_on_a_mutated_definition_gives_one_line_of_our_error(
    sandbox: Sandbox, demo_deployment: Any, command: str, mutant: Mutant
) -> None:
    sandbox.run_cli(mutant, command)


@pytest.mark.parametrize(
    ("file", "text"),
    [
        ("2-2", SHIPPED["2-2"].replace("channel = '兩岸'", '"channel = \'兩岸"')),
        ("2-2", SHIPPED["2-2"].replace("channel = '兩岸'", '"channel /* x"')),
        ("5-1", SHIPPED["5-1"].replace("(inmates - capacity)", "1e309 * (inmates - capacity)")),
        ("3-2", SHIPPED["3-2"].replace("scale: 100", "scale: 1.0e308")),
        ("3-2", SHIPPED["3-2"].replace("scale: 100", "scale: 1e308")),
        ("x", SHIPPED["1-1"].replace("kpi: 1-1", "kpi: x")),
        ("2-1", SHIPPED["2-1"].replace("legal_assistance_cases", "no_such_dataset")),
        ("5-2", SHIPPED["5-2"].replace("case_opened_on", "case_opened")),
        ("9-2", SHIPPED["9-2"].replace("(estimate - ceiling)", "+".join(["estimate"] * 5000))),
    ],
)
def test_the_issues_reproducers_give_our_error_or_a_reason(
    sandbox: Sandbox, demo_deployment: Any, file: str, text: str
) -> None:
    mutant = Mutant(file, text, "reproducer")
    sandbox.exercise(mutant)
    for command in ("list", "check", "compute"):
        sandbox.run_cli(mutant, command)


def test_a_value_beyond_a_float_is_a_reason_and_a_huge_one_is_shown(sandbox: Sandbox) -> None:
    overflow = SHIPPED["5-1"].replace("* 100", "* 1e308 * 1e10")
    values = sandbox.exercise(Mutant("5-1", overflow, "overflow"))
    assert values and all(v.value is None for v in values)
    assert {v.reason for v in values} == {"the value is beyond the range of a number (±1.8e308)"}
    huge = sandbox.exercise(Mutant("3-2", SHIPPED["3-2"].replace("scale: 100", "scale: 1e308"), ""))
    assert any(v.value is not None and v.value > 1e300 for v in huge)
    assert all(v.shown().endswith("%") for v in huge if v.value is not None)


def test_mutants_are_written_back(sandbox: Sandbox) -> None:
    sandbox.exercise(Mutant("x", "kpi: x\n", "extra file"))
    sandbox.exercise(Mutant("8-1", "garbage: [", "broken"))
    assert not (sandbox.plan_dir / "metrics" / "x.yaml").exists()
    assert (sandbox.plan_dir / "metrics" / "8-1.yaml").read_text(encoding="utf-8") == SHIPPED["8-1"]
