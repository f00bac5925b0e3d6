"""Data contracts (資料集契約): what a record set must look like before a KPI may read it.

A :class:`Contract` (``kind: dataset``) names a record set that agencies extract from their
systems (e.g. 行政執行案件): its typed columns with their allowed values and ranges, the key
columns, the date column that places a record in a period (``period_column``), the column that
names the org unit (``org_unit_column``) and cross-column rules. A :class:`DataElement`
(``kind: data_element``) is a single value people enter by hand each period (a survey result, the
progress of milestones), with its unit, allowed range (or milestones) and the org unit that
enters it.

Contracts are YAML files, one per record set, loaded with :func:`load_contract` /
:func:`load_contracts`; every fault names the file and the field.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from difflib import get_close_matches
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, model_validator

from yardstick.datasets.errors import ContractError, RuleExpressionError
from yardstick.datasets.rules import parse_rule
from yardstick.yamlfile import read_yaml

NAME_PATTERN = r"^[a-z][a-z0-9_]*$"
"""Dataset, column and rule names: English snake_case."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ColumnType(StrEnum):
    """The type of a column's values once ingested."""

    STRING = "string"
    INTEGER = "integer"
    DECIMAL = "decimal"
    BOOLEAN = "boolean"
    DATE = "date"
    TIMESTAMP = "timestamp"


_ORDERED = {ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.DATE, ColumnType.TIMESTAMP}
_ENUMERABLE = {ColumnType.STRING, ColumnType.INTEGER}
_DATES = {ColumnType.DATE, ColumnType.TIMESTAMP}

Bound = int | float | dt.date | dt.datetime


class Column(_Model):
    """One column (欄位): its type, whether it may be empty, its allowed values or range."""

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    type: ColumnType
    doc_zh: Annotated[str, Field(min_length=1)]
    doc_en: Annotated[str, Field(min_length=1)]
    label_zh: str | None = None
    """The column's heading in agencies' own extracts (e.g. 移送金額), accepted as a header."""
    nullable: bool = False
    unique: bool = False
    allowed_values: list[str | int] | None = None
    minimum: Bound | None = None
    maximum: Bound | None = None

    @model_validator(mode="after")
    def _check_constraints_fit_the_type(self) -> Column:
        if self.allowed_values is not None:
            if self.type not in _ENUMERABLE:
                raise ValueError(
                    f"allowed_values needs a string or integer column, not {self.type}"
                )
            if not self.allowed_values:
                raise ValueError("allowed_values is empty; leave it out to allow any value")
            expected = str if self.type is ColumnType.STRING else int
            wrong = [v for v in self.allowed_values if not isinstance(v, expected)]
            if wrong:
                raise ValueError(
                    f"allowed value {wrong[0]!r} is not a {self.type.value}; quote text in YAML"
                )
            padded = [v for v in self.allowed_values if isinstance(v, str) and v != v.strip()]
            if padded or "" in self.allowed_values:
                raise ValueError(
                    f"allowed value {(padded or [''])[0]!r} has spaces around it or is empty; "
                    "values are compared trimmed, and an empty one is NULL (use nullable)"
                )
        bounds = [b for b in (self.minimum, self.maximum) if b is not None]
        if bounds and self.type not in _ORDERED:
            raise ValueError(f"minimum/maximum need a number or date column, not {self.type}")
        for bound in bounds:
            _check_bound_type(self.type, bound)
        if self.minimum is not None and self.maximum is not None:
            if self.minimum > self.maximum:  # type: ignore[operator]
                raise ValueError(f"minimum {self.minimum} is above maximum {self.maximum}")
        return self


def _check_bound_type(column_type: ColumnType, bound: Bound) -> None:
    is_date = isinstance(bound, dt.date)
    if (column_type in _DATES) != is_date:
        raise ValueError(f"bound {bound!r} does not fit a {column_type} column")


class Rule(_Model):
    """A cross-column rule (跨欄位檢核): a row must not make ``expression`` FALSE."""

    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    expression: Annotated[str, Field(min_length=1)]
    message_zh: Annotated[str, Field(min_length=1)]
    message_en: Annotated[str, Field(min_length=1)]


class Contract(_Model):
    """A dataset's contract (資料集): the shape every batch of that record set must have."""

    kind: Literal["dataset"] = "dataset"
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    title_zh: Annotated[str, Field(min_length=1)]
    title_en: Annotated[str, Field(min_length=1)]
    description: Annotated[str, Field(min_length=1)]
    version: Annotated[int, Field(ge=1)]
    kpis: list[str] = []
    """The KPIs (e.g. ``8-1``) whose 衡量標準 read this record set; documentation only."""
    columns: Annotated[list[Column], Field(min_length=1)]
    key: Annotated[list[str], Field(min_length=1)]
    period_column: str
    org_unit_column: str
    rules: list[Rule] = []

    @model_validator(mode="after")
    def _check_references(self) -> Contract:
        names = [column.name for column in self.columns]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"columns named more than once: {', '.join(duplicates)}")
        for field in ("key", "period_column", "org_unit_column"):
            value = getattr(self, field)
            for name in value if isinstance(value, list) else [value]:
                if name not in names:
                    raise ValueError(f"{field} names {name!r}, which is not a column")
        if self.column(self.period_column).type not in _DATES:
            raise ValueError(f"period_column {self.period_column!r} must be a date or timestamp")
        if self.column(self.org_unit_column).type is not ColumnType.STRING:
            raise ValueError(f"org_unit_column {self.org_unit_column!r} must be a string")
        for index, rule in enumerate(self.rules):
            try:
                parse_rule(rule.expression, names, rule.name)
            except RuleExpressionError as error:
                raise ValueError(f"rules.{index}.expression: {error}") from None
        return self

    def column(self, name: str) -> Column:
        """The column called ``name`` (KeyError if there is none)."""
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        """The columns' names in contract order."""
        return [column.name for column in self.columns]


class Milestone(_Model):
    """A milestone of a ``milestones`` data element: reaching it means ``percent`` done."""

    percent: Annotated[float, Field(gt=0, le=100)]
    title_zh: Annotated[str, Field(min_length=1)]
    title_en: Annotated[str, Field(min_length=1)]


class DataElement(_Model):
    """A value entered by people each period (資料項目), e.g. a survey's satisfaction result."""

    kind: Literal["data_element"]
    name: Annotated[str, Field(pattern=NAME_PATTERN)]
    title_zh: Annotated[str, Field(min_length=1)]
    title_en: Annotated[str, Field(min_length=1)]
    description: Annotated[str, Field(min_length=1)]
    version: Annotated[int, Field(ge=1)]
    kpis: list[str] = []
    unit: Annotated[str, Field(min_length=1)]
    value_type: Literal[ColumnType.INTEGER, ColumnType.DECIMAL] = ColumnType.DECIMAL
    minimum: float
    maximum: float
    frequency: Literal["year", "half_year", "quarter", "month"] = "year"
    org_unit: Annotated[str, Field(min_length=1)]
    """The org unit that enters the value: the only one whose values KPIs read, so the only one
    allowed to enter it (a value entered elsewhere would be kept and never used)."""
    milestones: list[Milestone] = []

    @model_validator(mode="after")
    def _check_range(self) -> DataElement:
        if self.minimum > self.maximum:
            raise ValueError(f"minimum {self.minimum} is above maximum {self.maximum}")
        percents = [m.percent for m in self.milestones]
        if percents != sorted(set(percents)):
            raise ValueError("milestones must be listed in rising order of percent")
        for percent in percents:
            if not self.minimum <= percent <= self.maximum:
                raise ValueError(f"milestone {percent} is outside {self.minimum}–{self.maximum}")
        return self

    @property
    def accepted_values(self) -> list[float] | None:
        """The only values a milestone element takes: its minimum (no milestone reached yet) and
        each milestone's percent; None for an element that takes any value in its range."""
        if not self.milestones:
            return None
        percents = [m.percent for m in self.milestones]
        return percents if percents[0] == self.minimum else [self.minimum, *percents]


AnyContract = Annotated[Contract | DataElement, Field(discriminator="kind")]
_ANY_CONTRACT: TypeAdapter[Contract | DataElement] = TypeAdapter(AnyContract)


def load_contract(path: Path) -> Contract | DataElement:
    """Load one contract YAML file; faults name the file and the field."""
    data: Any = read_yaml(path, ContractError)
    if not isinstance(data, dict):
        raise ContractError(
            f"{path}: expected a mapping of contract fields, found {type(data).__name__}"
        )
    data.setdefault("kind", "dataset")
    try:
        contract = _ANY_CONTRACT.validate_python(data)
    except ValidationError as error:
        raise ContractError(f"{path}: {_first_fault(error)}") from None
    if contract.name != path.stem:
        raise ContractError(
            f"{path}: name {contract.name!r} must match the file name {path.stem!r}"
        )
    return contract


def _first_fault(error: ValidationError) -> str:
    first = error.errors()[0]
    where = ".".join(str(part) for part in first["loc"] if part not in ("dataset", "data_element"))
    message = first["msg"].removeprefix("Value error, ")
    more = f" (and {error.error_count() - 1} more)" if error.error_count() > 1 else ""
    return f"{where or '(contract)'}: {message}{more}"


def load_contracts(folder: Path) -> dict[str, Contract | DataElement]:
    """Every ``*.yaml`` contract in ``folder``, by name, in name order."""
    if not folder.is_dir():
        raise ContractError(f"{folder}: not a folder of contracts")
    contracts = [load_contract(path) for path in sorted(folder.glob("*.yaml"))]
    return {contract.name: contract for contract in contracts}


def load_dataset_contract(folder: Path, name: str) -> Contract:
    """The dataset contract called ``name`` in ``folder``, with the nearest name if it is absent."""
    return dataset_contract(load_contracts(folder), name, str(folder))


def dataset_contract(
    contracts: Mapping[str, Contract | DataElement], name: str, where: str
) -> Contract:
    """The dataset contract called ``name`` among ``contracts`` (of ``where``), or the nearest."""
    contract = contracts.get(name)
    if isinstance(contract, Contract):
        return contract
    if isinstance(contract, DataElement):
        raise ContractError(f"{name!r} is a data element, entered by hand, not a dataset to ingest")
    datasets = [n for n, c in contracts.items() if isinstance(c, Contract)]
    raise ContractError(f"no dataset contract {name!r} in {where}{_nearest(name, datasets)}")


def _nearest(name: str, names: list[str]) -> str:
    close = get_close_matches(name, names, n=1)
    return f"; did you mean {close[0]!r}?" if close else f"; known: {', '.join(names)}"
