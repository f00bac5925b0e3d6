"""The metric definitions of a plan: ``plans/<plan>/metrics/<kpi>.yaml``, loaded and checked.

Checking a definition needs no data: every KPI code is one of the plan's, every dataset has a
contract, every expression compiles against that contract's columns and has the right type (a
filter is a condition, an aggregated value a number), every formula names only the definition's
inputs, and every data element is declared. Every command that computes runs these checks first
(:func:`load_checked_definitions`), so a definition ``kpi check`` refuses never reaches an engine.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from yardstick.datasets.contract import Contract, DataElement
from yardstick.errors import YardstickError
from yardstick.metrics.compiler import DatasetShape
from yardstick.metrics.definition import (
    Aggregate,
    AggregateDefinition,
    FormulaDefinition,
    ManualDefinition,
    MetricDefinition,
    RatioDefinition,
    definition_from_data,
)
from yardstick.metrics.errors import DefinitionError, ExpressionError
from yardstick.metrics.expression_types import Role
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.formula import check_formula
from yardstick.plan.model import Plan
from yardstick.yamlfile import read_yaml

COMPUTED = (RatioDefinition, AggregateDefinition, FormulaDefinition)
_NUMBER = re.compile(r"[0-9]{1,9}")


@dataclass(frozen=True)
class Fault:
    """One thing wrong in a definition: field and reason in one line, and where in the text."""

    message: str
    pointer: str = ""  # an expression with a caret under the fault, when there is one

    @classmethod
    def of(cls, field: str, error: YardstickError) -> Fault:
        if isinstance(error, ExpressionError):
            return cls(f"{field}: {error.summary}", error.pointer)
        return cls(f"{field}: {_one_line(str(error))}")


@dataclass(frozen=True)
class DefinitionProblem:
    """Something wrong with one definition file."""

    path: Path
    message: str
    pointer: str = ""

    def __str__(self) -> str:
        return f"{self.path}: {self.message}"

    def report(self) -> str:
        """The problem with the expression and a caret under the fault, for ``kpi check``."""
        return str(self) + (f"\n{self.pointer}" if self.pointer else "")


def load_definition(path: Path) -> MetricDefinition:
    """Load one definition; faults name the file and the field."""
    data = read_yaml(path, DefinitionError)
    try:
        definition = definition_from_data(data)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"][2:]) or "kind"
        message = _one_line(first["msg"].removeprefix("Value error, "))
        raise DefinitionError(f"{path}: {where}: {message}") from None
    if definition.kpi != path.stem:
        raise DefinitionError(
            f"{path}: kpi {definition.kpi!r} must match the file name {path.stem!r}"
        )
    return definition


def load_definitions(folder: Path) -> dict[str, MetricDefinition]:
    """Every definition in ``folder`` by KPI code, in plan-code order (8-1 before 10-1)."""
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: not a folder of metric definitions")
    definitions = [load_definition(path) for path in folder.glob("*.yaml")]
    return {d.kpi: d for d in sorted(definitions, key=lambda d: code_order(d.kpi))}


def load_checked_definitions(
    folder: Path, contracts: Mapping[str, Contract | DataElement], plan: Plan | None
) -> dict[str, MetricDefinition]:
    """The definitions, once every one is sound: what compute, explain and watch start from.

    Raises one :class:`DefinitionError` listing every problem ``kpi check`` would report, so
    nothing unchecked reaches the compiler or an engine.
    """
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: not a folder of metric definitions")
    problems = check_folder(folder, contracts, plan)
    if problems:
        listed = "; ".join(str(problem) for problem in problems)
        raise DefinitionError(
            f"{len(problems)} problem(s) in the metric definitions (see `yardstick kpi check`): "
            f"{listed}"
        )
    return load_definitions(folder)


def sound_definitions(
    definitions: Mapping[str, MetricDefinition],
    contracts: Mapping[str, Contract | DataElement],
    plan: Plan | None,
) -> dict[str, MetricDefinition]:
    """``definitions`` once every one is sound (a stored plan's, as ``kpi check`` checks them);
    else one :class:`DefinitionError` listing every problem."""
    problems = [
        f"{code}: {fault.message}"
        for code, definition in definitions.items()
        for fault in check_definition(definition, contracts, plan)
    ]
    if problems:
        raise DefinitionError(
            f"{len(problems)} problem(s) in the metric definitions (see `yardstick kpi check`): "
            + "; ".join(problems)
        )
    return dict(definitions)


def readable_definitions(folder: Path) -> dict[str, MetricDefinition]:
    """The definitions that load, by file name, skipping broken files (``kpi list`` shows those)."""
    found: dict[str, MetricDefinition] = {}
    for path in sorted(folder.glob("*.yaml")):
        try:
            found[path.stem] = load_definition(path)
        except DefinitionError:
            continue
    return found


def code_order(code: str) -> tuple[tuple[int, int | str], ...]:
    """A sort key for KPI codes: numbered parts as numbers (9-2 before 10-1), others after."""
    return tuple(
        (0, int(part)) if _NUMBER.fullmatch(part) else (1, part) for part in code.split("-")
    )


def shape_of(contract: Contract) -> DatasetShape:
    """What the compiler needs of a dataset contract."""
    columns = {column.name: column.type.value for column in contract.columns}
    return DatasetShape(columns, contract.period_column, contract.org_unit_column)


def check_definition(
    definition: MetricDefinition, contracts: Mapping[str, Contract | DataElement], plan: Plan | None
) -> list[Fault]:
    """Problems of one definition (empty when it is sound)."""
    faults: list[Fault] = []
    if plan is not None and definition.kpi not in {kpi.code for kpi in plan.kpis}:
        faults.append(Fault(f"KPI {definition.kpi} is not in the plan"))
    if isinstance(definition, COMPUTED):
        faults += _check_computed(definition, contracts)
    elif isinstance(definition, ManualDefinition):
        faults += [
            Fault(f"no data element {e.element!r} is declared")
            for e in definition.elements
            if not isinstance(contracts.get(e.element), DataElement)
        ]
    return faults


def _check_computed(
    definition: RatioDefinition | AggregateDefinition | FormulaDefinition,
    contracts: Mapping[str, Contract | DataElement],
) -> list[Fault]:
    faults = []
    for name, aggregate in definition.aggregates().items():
        contract = contracts.get(aggregate.dataset)
        if not isinstance(contract, Contract):
            faults.append(Fault(f"{name}: no dataset contract {aggregate.dataset!r}"))
            continue
        faults += _check_aggregate(name, aggregate, shape_of(contract))
    try:
        check_formula(definition.formula, list(definition.aggregates()))
    except YardstickError as error:
        faults.append(Fault.of("formula", error))
    return faults


def _check_aggregate(name: str, aggregate: Aggregate, shape: DatasetShape) -> list[Fault]:
    """The value must be a number and the filter a condition, over the dataset's columns."""
    faults = []
    for field, text, role in (
        ("expression", aggregate.expression, Role.NUMBER),
        ("filter", aggregate.filter, Role.CONDITION),
    ):
        if text is not None:
            try:
                check_expression(text, shape.columns, role)
            except YardstickError as error:
                faults.append(Fault.of(f"{name}.{field}", error))
    period = aggregate.period_column or shape.period_column
    if shape.columns.get(period) not in ("date", "timestamp"):
        faults.append(
            Fault(f"{name}.period_column: {period!r} is not a date column of {aggregate.dataset}")
        )
    return faults


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
            DefinitionProblem(path, fault.message, fault.pointer)
            for fault in check_definition(definition, contracts, plan)
        ]
    return problems


def _one_line(text: str) -> str:
    """A library's message on one line (a CLI error is one line)."""
    return " ".join(text.split())
