"""Metric definitions: a KPI's 衡量標準 as data, one YAML file per KPI.

Every computed kind is a formula over named aggregates; the kinds are shorthands:

- ``ratio``: ``numerator ÷ denominator × scale`` (two aggregates, usually from one dataset);
- ``aggregate``: one aggregate (count / sum / mean …) × scale;
- ``formula``: arithmetic over named aggregates, possibly from several datasets;
- ``manual``: a weighted combination of data elements entered and approved by people. Milestone
  KPIs (廉政評鑑 90% / 95% / 100%) are manual over a data element that declares its milestones:
  the value entered is the percent of the last milestone reached.

An aggregate reads one dataset, optionally filtered, and places each record in a year by a date
column (the contract's ``period_column`` unless overridden). ``window: cumulative`` with ``since``
counts every record from that month to the end of each year (犯罪所得沒收之實現率: 97年1月起).
``at: year_end`` keeps, for each org unit, only its last records in December of each year (a
head-count snapshot); a unit that has records in the year but none in December makes its value,
and every parent's, incomplete (see :mod:`yardstick.metrics.snapshots`).
"""

from __future__ import annotations

import hashlib
import json
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from yardstick.calendar import RocMonth, parse_roc_month

MAX_VERSION = 2**31 - 1
"""A definition's version is stored as an integer column: far beyond any real edit count."""


def _number(value: float) -> str:
    """A scale as formula text: ``100``, ``1e-06`` — the same number, never rounded (``%g`` is)."""
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    short = f"{value:g}"
    return short if float(short) == value else repr(value)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AggregateFunction(StrEnum):
    """What an aggregate computes over the records it keeps."""

    COUNT = "count"
    SUM = "sum"
    MEAN = "mean"
    MIN = "min"
    MAX = "max"


class Window(StrEnum):
    """Which records of a year an aggregate sees."""

    YEAR = "year"  # records whose date falls in the year
    CUMULATIVE = "cumulative"  # records from `since` to the end of the year


class Interpretation(_Model):
    """Every choice the 衡量標準 text leaves open, stated for a reviewer, in Chinese and English."""

    zh: str
    en: str


class Aggregate(_Model):
    """A named aggregate over one dataset."""

    dataset: str
    function: AggregateFunction
    expression: str | None = Field(None, description="the value to aggregate; not for count")
    filter: str | None = Field(None, description="which records count (SQL boolean expression)")
    period_column: str | None = Field(None, description="date column placing a record in a year")
    window: Window = Window.YEAR
    since: str | None = Field(None, description="first month of a cumulative window, e.g. 97年1月")
    at: Literal["any", "year_end"] = "any"

    @model_validator(mode="after")
    def _consistent(self) -> Aggregate:
        if self.function is AggregateFunction.COUNT and self.expression is not None:
            raise ValueError("count takes no expression (use a filter)")
        if self.function is not AggregateFunction.COUNT and self.expression is None:
            raise ValueError(f"{self.function.value} needs an expression")
        if (self.window is Window.CUMULATIVE) != (self.since is not None):
            raise ValueError("a cumulative window needs `since` (e.g. 97年1月), and only it")
        if self.since is not None:
            parse_roc_month(self.since)
        return self

    @property
    def since_month(self) -> RocMonth | None:
        return parse_roc_month(self.since) if self.since else None


Version = Annotated[int, Field(ge=1, le=MAX_VERSION)]
Decimals = Annotated[int, Field(ge=0, le=6, description="decimals the value is reported with")]


class _Computed(_Model):
    kpi: str
    version: Version
    unit: str
    interpretation: Interpretation
    scale: float = Field(1.0, allow_inf_nan=False, description="a finite number")
    decimals: Decimals = 2


class RatioDefinition(_Computed):
    kind: Literal["ratio"]
    numerator: Aggregate
    denominator: Aggregate

    def aggregates(self) -> dict[str, Aggregate]:
        return {"numerator": self.numerator, "denominator": self.denominator}

    @property
    def formula(self) -> str:
        return f"numerator / denominator * {_number(self.scale)}"


class AggregateDefinition(_Computed):
    kind: Literal["aggregate"]
    measure: Aggregate

    def aggregates(self) -> dict[str, Aggregate]:
        return {"measure": self.measure}

    @property
    def formula(self) -> str:
        return f"measure * {_number(self.scale)}" if self.scale != 1 else "measure"


class FormulaDefinition(_Computed):
    kind: Literal["formula"]
    inputs: dict[str, Aggregate]
    expression: str = Field(description="arithmetic over the names of `inputs`")

    def aggregates(self) -> dict[str, Aggregate]:
        return dict(self.inputs)

    @property
    def formula(self) -> str:
        return self.expression


class WeightedElement(_Model):
    element: str
    weight: float = Field(gt=0, le=1)


class ManualDefinition(_Model):
    kpi: str
    version: Version
    kind: Literal["manual"]
    unit: str
    interpretation: Interpretation
    elements: list[WeightedElement] = Field(min_length=1)
    decimals: Decimals = 2

    @model_validator(mode="after")
    def _weights_sum_to_one(self) -> ManualDefinition:
        if abs(sum(element.weight for element in self.elements) - 1) > 1e-9:
            raise ValueError("element weights must add up to 1")
        return self


ComputedDefinition = RatioDefinition | AggregateDefinition | FormulaDefinition
MetricDefinition = Annotated[
    RatioDefinition | AggregateDefinition | FormulaDefinition | ManualDefinition,
    Field(discriminator="kind"),
]


class _Envelope(BaseModel):
    definition: MetricDefinition


def definition_from_data(data: object) -> MetricDefinition:
    """Validate parsed YAML as a metric definition (raises pydantic's ValidationError)."""
    return _Envelope.model_validate({"definition": data}).definition


def content_hash(definition: BaseModel) -> str:
    """A stable hash of a definition's content, recorded in every value's lineage."""
    canonical = json.dumps(definition.model_dump(mode="json"), sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]
