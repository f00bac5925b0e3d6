"""The metric definitions of a plan: ``plans/<plan>/metrics/<kpi>.yaml``, loaded and checked.

Checking a definition needs no data: every KPI code is one of the plan's, every dataset has a
contract, every expression compiles against that contract's columns, every formula names only the
definition's inputs, and every data element is declared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from yardstick.datasets.contract import Contract, DataElement
from yardstick.errors import YardstickError
from yardstick.metrics.compiler import DatasetShape
from yardstick.metrics.definition import (
    AggregateDefinition,
    FormulaDefinition,
    ManualDefinition,
    MetricDefinition,
    RatioDefinition,
    definition_from_data,
)
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.formula import check_formula
from yardstick.plan.model import Plan
from yardstick.yamlfile import read_yaml

COMPUTED = (RatioDefinition, AggregateDefinition, FormulaDefinition)


@dataclass(frozen=True)
class DefinitionProblem:
    """Something wrong with one definition file."""

    path: Path
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"


def load_definition(path: Path) -> MetricDefinition:
    """Load one definition; faults name the file and the field."""
    data = read_yaml(path, DefinitionError)
    try:
        definition = definition_from_data(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"][2:]) or "kind"
        raise DefinitionError(
            f"{path}: {where}: {first['msg'].removeprefix('Value error, ')}"
        ) from None
    if definition.kpi != path.stem:
        raise DefinitionError(
            f"{path}: kpi {definition.kpi!r} must match the file name {path.stem!r}"
        )
    return definition


def load_definitions(folder: Path) -> dict[str, MetricDefinition]:
    """Every definition in ``folder`` by KPI code, in plan-code order."""
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: not a folder of metric definitions")
    definitions = [load_definition(path) for path in folder.glob("*.yaml")]
    return {
        d.kpi: d for d in sorted(definitions, key=lambda d: tuple(int(p) for p in d.kpi.split("-")))
    }


def shape_of(contract: Contract) -> DatasetShape:
    """What the compiler needs of a dataset contract."""
    columns = {column.name: column.type.value for column in contract.columns}
    return DatasetShape(columns, contract.period_column, contract.org_unit_column)


def check_definition(
    definition: MetricDefinition, contracts: Mapping[str, Contract | DataElement], plan: Plan | None
) -> list[str]:
    """Problems of one definition (empty when it is sound)."""
    problems: list[str] = []
    if plan is not None and definition.kpi not in {kpi.code for kpi in plan.kpis}:
        problems.append(f"KPI {definition.kpi} is not in the plan")
    if isinstance(definition, COMPUTED):
        problems += _check_computed(definition, contracts)
    elif isinstance(definition, ManualDefinition):
        problems += [
            _element_problem(e.element, contracts)
            for e in definition.elements
            if _element_problem(e.element, contracts)
        ]
    return problems


def _check_computed(
    definition: RatioDefinition | AggregateDefinition | FormulaDefinition,
    contracts: Mapping[str, Contract | DataElement],
) -> list[str]:
    problems = []
    for name, aggregate in definition.aggregates().items():
        contract = contracts.get(aggregate.dataset)
        if not isinstance(contract, Contract):
            problems.append(f"{name}: no dataset contract {aggregate.dataset!r}")
            continue
        shape = shape_of(contract)
        for field, text in (("expression", aggregate.expression), ("filter", aggregate.filter)):
            if text is not None:
                try:
                    check_expression(text, shape.columns)
                except YardstickError as error:
                    problems.append(f"{name}.{field}: {error}")
        period = aggregate.period_column or shape.period_column
        if shape.columns.get(period) not in ("date", "timestamp"):
            problems.append(
                f"{name}.period_column: {period!r} is not a date column of {aggregate.dataset}"
            )
    try:
        check_formula(definition.formula, list(definition.aggregates()))
    except YardstickError as error:
        problems.append(f"formula: {error}")
    return problems


def _element_problem(element: str, contracts: Mapping[str, Contract | DataElement]) -> str:
    return (
        ""
        if isinstance(contracts.get(element), DataElement)
        else f"no data element {element!r} is declared"
    )


def check_folder(
    folder: Path, contracts: Mapping[str, Contract | DataElement], plan: Plan | None
) -> list[DefinitionProblem]:
    """Check every definition file in ``folder``; load errors are problems too."""
    problems = []
    for path in sorted(folder.glob("*.yaml")):
        try:
            definition = load_definition(path)
        except DefinitionError as error:
            problems.append(DefinitionProblem(path, str(error).removeprefix(f"{path}: ")))
            continue
        problems += [
            DefinitionProblem(path, message)
            for message in check_definition(definition, contracts, plan)
        ]
    return problems
