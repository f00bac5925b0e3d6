"""A plan folder and a data directory, loaded together: what every ``kpi`` command starts from.

``plans/<plan>/`` holds plan.yaml, metrics/, datasets/ and orgunits.yaml; the data directory holds
the batch registry, the entered data element values and the stored results.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cached_property
from pathlib import Path

import psycopg

from yardstick.calendar import YearRange
from yardstick.datasets.contract import Contract, DataElement, load_contracts
from yardstick.datasets.orgunits import OrgUnits, load_org_units
from yardstick.metrics.catalog import COMPUTED, load_checked_definitions
from yardstick.metrics.definition import ManualDefinition, MetricDefinition
from yardstick.metrics.elements import ElementStore
from yardstick.metrics.engines import BatchInput, QueryFailed
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.postgres import PostgresEngine
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.monthly import MonthlyValue, compute_monthly
from yardstick.metrics.run import EngineFactory, MetricInputs
from yardstick.metrics.service import ComputeReport, compute_plan, metric_inputs
from yardstick.metrics.store import ResultStore
from yardstick.plan.model import Plan
from yardstick.plan.yamlio import load_plan

DEFAULT_PLAN_DIR = Path("plans/moj-106-109")
DEFAULT_DATA_DIR = Path("var/data")


def _duckdb(inputs: MetricInputs) -> DuckDBEngine:
    return DuckDBEngine(inputs.batches, inputs.unit_paths)


def _postgres(inputs: MetricInputs) -> PostgresEngine:
    """The PostgreSQL engine; a server that cannot be reached is the user's error, in one line."""
    try:
        return PostgresEngine(inputs.batches, inputs.unit_paths)
    except psycopg.Error as error:
        raise QueryFailed("postgresql", f"cannot load the records: {error}") from None


ENGINES: dict[str, EngineFactory] = {"duckdb": _duckdb, "postgresql": _postgres}
# The SQL dialects ``kpi explain --dialect`` offers: those of the engines, whose SQL the engine
# equality tests run. Any other dialect SQLGlot writes would be SQL no test has executed.
DIALECTS: tuple[str, ...] = (DuckDBEngine.dialect, PostgresEngine.dialect)


class Project:
    """The plan folder and data directory a command works on."""

    def __init__(self, plan_dir: Path, data_dir: Path) -> None:
        self.plan_dir = plan_dir
        self.data_dir = data_dir

    @cached_property
    def plan(self) -> Plan:
        return load_plan(self.plan_dir / "plan.yaml")

    @cached_property
    def definitions(self) -> dict[str, MetricDefinition]:
        """The plan's definitions, checked as ``kpi check`` checks them (every problem refused)."""
        return load_checked_definitions(self.plan_dir / "metrics", self.contracts, self.plan)

    @cached_property
    def contracts(self) -> dict[str, Contract | DataElement]:
        return load_contracts(self.plan_dir / "datasets")

    @cached_property
    def org_units(self) -> OrgUnits:
        return load_org_units(self.plan_dir / "orgunits.yaml")

    @cached_property
    def store(self) -> ResultStore:
        return ResultStore(self.data_dir)

    def active_batches(self) -> dict[str, list[BatchInput]]:
        """The batches in use (not withdrawn), by dataset, from the batch registry."""
        from yardstick.datasets.registry import BatchRegistry

        registry = BatchRegistry(self.data_dir)
        found: dict[str, list[BatchInput]] = {}
        for name, contract in self.contracts.items():
            if isinstance(contract, Contract):
                found[name] = [
                    BatchInput(
                        name,
                        batch.id,
                        batch.parquet_path,
                        batch.checksum,
                        batch.rows_accepted,
                        batch.source_name,
                    )
                    for batch in registry.active_batches(name)
                ]
        return found

    def inputs(self) -> MetricInputs:
        return metric_inputs(self.contracts, self.org_units, self.active_batches())

    def inputs_of(self, definition: MetricDefinition) -> list[str]:
        """The datasets or data elements a definition reads."""
        if isinstance(definition, ManualDefinition):
            return [element.element for element in definition.elements]
        assert isinstance(definition, COMPUTED)
        return sorted({aggregate.dataset for aggregate in definition.aggregates().values()})

    def monthly(self, years: YearRange, engine: str = "duckdb") -> list[MonthlyValue]:
        """Year-to-date values month by month (ministry level) of the record-based KPIs."""
        computed = [d for d in self.definitions.values() if isinstance(d, COMPUTED)]
        return compute_monthly(computed, self.inputs(), years, ENGINES[engine])

    def compute(
        self,
        years: YearRange,
        engine: str = "duckdb",
        reuse: bool = True,
        kpis: Sequence[str] | None = None,
    ) -> ComputeReport:
        """Compute (or reuse) the values of the plan's KPIs for ``years``."""
        if engine not in ENGINES:
            raise DefinitionError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
        definitions = [d for code, d in self.definitions.items() if kpis is None or code in kpis]
        elements = ElementStore(self.data_dir).approved()
        return compute_plan(
            definitions, self.inputs(), elements, years, self.store, ENGINES[engine], reuse, engine
        )
