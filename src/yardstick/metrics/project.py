"""A plan's content and the stores it computes from and into: what every ``kpi`` command and
every page starts from.

The content is a :class:`~yardstick.metrics.bundle.PlanBundle` (plan.yaml, metric definitions,
dataset contracts) with the deployment's org units; the stores are interfaces — the batch
registry, the entered values, the computed values — which the deployment's database implements
(``yardstick.web``). :meth:`Project.from_folder` opens a plan folder with the SQLite files of a
data folder instead, for tests and scripts that need no database.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import psycopg

from yardstick.calendar import YearRange
from yardstick.datasets.contract import Contract, DataElement
from yardstick.datasets.orgunits import OrgUnits, load_org_units
from yardstick.datasets.registry import BatchRegistry
from yardstick.datasets.registry_files import FileBatchRegistry
from yardstick.metrics.bundle import ORG_UNITS_FILE, PlanBundle
from yardstick.metrics.catalog import COMPUTED, sound_definitions
from yardstick.metrics.definition import ManualDefinition, MetricDefinition
from yardstick.metrics.elements import ElementStore, FileElementStore
from yardstick.metrics.engines import BatchInput, QueryFailed, spark_message
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.postgres import PostgresEngine
from yardstick.metrics.engines.spark import SparkEngine
from yardstick.metrics.engines.spark_session import settings_from_environment, spark_session
from yardstick.metrics.engines.spark_tables import bindings_from_environment, external_input
from yardstick.metrics.errors import DefinitionError, SettingError
from yardstick.metrics.monthly import MonthlyValue, compute_monthly
from yardstick.metrics.run import EngineFactory, MetricInputs
from yardstick.metrics.service import ComputeReport, compute_plan, metric_inputs
from yardstick.metrics.store import FileResultStore, ResultStore
from yardstick.plan.model import Plan

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


def _spark(inputs: MetricInputs) -> SparkEngine:
    """The Spark engine, on the process's session (``YARDSTICK_SPARK_MASTER``); records Spark
    cannot read (a batch file gone) are the user's error, in one line."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    settings = settings_from_environment()
    try:
        return SparkEngine(inputs.batches, inputs.unit_paths, settings)
    except (PySparkException, Py4JError) as error:
        raise QueryFailed("spark", f"cannot read the records: {spark_message(error)}") from None


ENGINES: dict[str, EngineFactory] = {"duckdb": _duckdb, "postgresql": _postgres, "spark": _spark}
# The SQL dialects ``kpi explain --dialect`` offers: those of the engines, whose SQL the engine
# equality tests run. Any other dialect SQLGlot writes would be SQL no test has executed.
DIALECTS: tuple[str, ...] = (DuckDBEngine.dialect, PostgresEngine.dialect, SparkEngine.dialect)


ENGINE_VARIABLE = "YARDSTICK_ENGINE"


def default_engine() -> str:
    """The deployment's engine (``YARDSTICK_ENGINE``, default ``duckdb``): what the worker, the
    site, ``assess`` and every command without ``--engine`` compute on. One engine for all, since
    a value's fingerprint names its engine: two engines taking turns would recompute each other's
    values."""
    name = os.environ.get(ENGINE_VARIABLE, "").strip() or "duckdb"
    if name not in ENGINES:
        raise SettingError(f"{ENGINE_VARIABLE}={name!r}: choose from {', '.join(ENGINES)}")
    return name


HISTORY_YEARS = 3
"""Years before the plan computed too, so the first plan year has a trend (106 compares to 103)."""


def _engine(name: str | None) -> str:
    """``name``, or the deployment's engine; an unknown one is refused naming the choices."""
    if name is None:
        return default_engine()
    if name not in ENGINES:
        raise DefinitionError(f"unknown engine {name!r}; choose from {', '.join(ENGINES)}")
    return name


class Project:
    """A plan's content, the deployment's org units, and the stores computations use."""

    def __init__(
        self,
        bundle: PlanBundle,
        org_units: OrgUnits,
        registry: BatchRegistry,
        elements: ElementStore,
        store: ResultStore,
        code: str = "",
    ) -> None:
        self.bundle = bundle
        self.org_units = org_units
        self.registry = registry
        self.elements = elements
        self.store = store
        self.code = code or f"plan-{bundle.plan.start_year}-{bundle.plan.end_year}"
        self._sound: dict[str, MetricDefinition] | None = None
        self._external: dict[str, list[BatchInput]] | None = None

    @classmethod
    def from_folder(cls, plan_dir: Path, data_dir: Path) -> Project:
        """A plan folder, with the batches and values in the SQLite files under ``data_dir``."""
        return cls(
            PlanBundle.read_folder(plan_dir),
            load_org_units(plan_dir / ORG_UNITS_FILE),
            FileBatchRegistry(data_dir),
            FileElementStore(data_dir),
            FileResultStore(data_dir),
            code=plan_dir.resolve().name,
        )

    @property
    def data_dir(self) -> Path:
        """The storage folder of the batches' files."""
        return self.registry.root.path

    @property
    def plan(self) -> Plan:
        return self.bundle.plan

    @property
    def definitions(self) -> dict[str, MetricDefinition]:
        """The plan's definitions, checked as ``kpi check`` checks them (every problem refused,
        so nothing unchecked reaches the compiler or an engine); ``bundle.definitions`` has them
        as stored."""
        if self._sound is None:
            self._sound = sound_definitions(self.bundle.definitions, self.contracts, self.plan)
        return self._sound

    @property
    def contracts(self) -> dict[str, Contract | DataElement]:
        return self.bundle.contracts

    def computed_years(self) -> YearRange:
        """The years values are kept for: the plan's, and a few before it for trends."""
        return YearRange(self.plan.start_year - HISTORY_YEARS, self.plan.end_year)

    def active_batches(self) -> dict[str, list[BatchInput]]:
        """The batches in use (not withdrawn), by dataset, from the batch registry."""
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
                    for batch in self.registry.active_batches(name)
                ]
        return found

    def inputs(self, engine: str = "duckdb") -> MetricInputs:
        """What a computation on ``engine`` reads. On Spark, a dataset bound to an external table
        (``YARDSTICK_SPARK_TABLES``) reads that table, checked against its contract, instead of
        its batches."""
        batches = self.active_batches()
        if engine == SparkEngine.name:
            batches.update(self.external_tables())
        return metric_inputs(self.contracts, self.org_units, batches)

    def external_tables(self) -> dict[str, list[BatchInput]]:
        """The datasets bound to tables of the Spark catalog, each as its one checked input;
        read once per project (a command, a worker job), so the values and the months of one
        computation rest on the same version of each table."""
        if self._external is None:
            self._external = self._read_external_tables()
        return self._external

    def _read_external_tables(self) -> dict[str, list[BatchInput]]:
        datasets = {n for n, c in self.contracts.items() if isinstance(c, Contract)}
        bindings = bindings_from_environment(datasets)
        if not bindings:
            return {}
        session = spark_session(settings_from_environment())
        found: dict[str, list[BatchInput]] = {}
        for dataset, table in bindings.items():
            contract = self.contracts[dataset]
            assert isinstance(contract, Contract)
            found[dataset] = [external_input(session, contract, table)]
        return found

    def inputs_of(self, definition: MetricDefinition) -> list[str]:
        """The datasets or data elements a definition reads."""
        if isinstance(definition, ManualDefinition):
            return [element.element for element in definition.elements]
        assert isinstance(definition, COMPUTED)
        return sorted({aggregate.dataset for aggregate in definition.aggregates().values()})

    def monthly(
        self, years: YearRange, engine: str | None = None, kpis: Sequence[str] | None = None
    ) -> list[MonthlyValue]:
        """Year-to-date values month by month (ministry level) of the record-based KPIs (all of
        them, or those of ``kpis``)."""
        computed = [
            d
            for code, d in self.definitions.items()
            if isinstance(d, COMPUTED) and (kpis is None or code in kpis)
        ]
        engine = _engine(engine)
        return compute_monthly(computed, self.inputs(engine), years, ENGINES[engine])

    def compute(
        self,
        years: YearRange,
        engine: str | None = None,
        reuse: bool = True,
        kpis: Sequence[str] | None = None,
    ) -> ComputeReport:
        """Compute (or reuse) the values of the plan's KPIs for ``years``."""
        engine = _engine(engine)
        definitions = [d for code, d in self.definitions.items() if kpis is None or code in kpis]
        return compute_plan(
            definitions,
            self.inputs(engine),
            self.elements.approved(),
            years,
            self.store,
            ENGINES[engine],
            reuse,
            engine,
        )
