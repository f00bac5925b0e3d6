"""Small record sets written to Parquet, and a runner over them, for hand-worked KPI tests."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from yardstick.calendar import YearRange
from yardstick.metrics.compiler import DatasetShape
from yardstick.metrics.definition import ComputedDefinition, definition_from_data
from yardstick.metrics.engines import BatchInput
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.postgres import PostgresEngine
from yardstick.metrics.engines.spark import SparkEngine
from yardstick.metrics.engines.spark_session import settings_from_environment
from yardstick.metrics.results import KpiValue
from yardstick.metrics.run import EngineFactory, MetricInputs, compute_values

# A three-level hierarchy: the ministry, two agencies, branches under one of them.
UNIT_PATHS = [
    ("MOJ", "MOJ", None, None),
    ("AEA", "MOJ", "AEA", None),
    ("AEA.TPE", "MOJ", "AEA", "AEA.TPE"),
    ("AEA.KHH", "MOJ", "AEA", "AEA.KHH"),
    ("IB", "MOJ", "IB", None),
]


def metrics_beside_the_moj_plan(root: Path) -> Path:
    """An empty ``metrics/`` in a plan folder holding the MOJ plan.yaml and contracts: what
    ``yardstick kpi check FOLDER`` checks definitions against (the folder's parent)."""
    import shutil

    from tests.conftest import REPO

    moj = REPO / "plans" / "moj-106-109"
    plan = root / "plan"
    plan.mkdir()
    shutil.copy(moj / "plan.yaml", plan / "plan.yaml")
    shutil.copytree(moj / "datasets", plan / "datasets")
    (plan / "metrics").mkdir()
    return plan / "metrics"


def write_parquet(
    path: Path, columns: dict[str, str], rows: Sequence[tuple[Any, ...]]
) -> BatchInput:
    """Rows → a Parquet file with the given DuckDB column types."""
    connection = duckdb.connect()
    definition = ", ".join(f'"{name}" {kind}' for name, kind in columns.items())
    connection.execute(f"CREATE TABLE t ({definition})")
    if rows:
        marks = ", ".join("?" for _ in columns)
        connection.executemany(f"INSERT INTO t VALUES ({marks})", [list(row) for row in rows])
    connection.execute(f"COPY t TO '{path}' (FORMAT parquet)")
    return BatchInput(path.stem, f"batch-{path.stem}", path, "sha256:test", len(rows))


Compute = Callable[..., list[KpiValue]]


def _postgres(inputs: MetricInputs) -> PostgresEngine:
    return PostgresEngine(inputs.batches, inputs.unit_paths)


def _duckdb(inputs: MetricInputs) -> DuckDBEngine:
    return DuckDBEngine(inputs.batches, inputs.unit_paths)


def _spark(inputs: MetricInputs) -> SparkEngine:
    return SparkEngine(inputs.batches, inputs.unit_paths, settings_from_environment())


ENGINES: dict[str, EngineFactory] = {"duckdb": _duckdb, "postgresql": _postgres, "spark": _spark}


@pytest.fixture
def compute(tmp_path: Path) -> Compute:
    """compute(definition_data, {dataset: (columns, period_column, unit_column, rows)}, years,
    engine) on the engine named (``duckdb``, ``postgresql`` or ``spark``)."""

    def run(
        definition: dict[str, Any] | ComputedDefinition,
        datasets: dict[str, tuple[dict[str, str], str, str, Sequence[tuple[Any, ...]]]],
        years: str = "106-109",
        engine: str = "duckdb",
    ) -> list[KpiValue]:
        parsed = (
            definition if not isinstance(definition, dict) else definition_from_data(definition)
        )
        shapes, batches = {}, {}
        for name, (columns, period, unit, rows) in datasets.items():
            shapes[name] = DatasetShape(columns, period, unit)
            batches[name] = (
                [write_parquet(tmp_path / f"{name}.parquet", columns, rows)]
                if rows is not None
                else []
            )
        inputs = MetricInputs(shapes, batches, UNIT_PATHS, "MOJ")
        from yardstick.calendar import parse_year_range

        period: YearRange = parse_year_range(years)
        return compute_values([parsed], inputs, period, ENGINES[engine])  # type: ignore[list-item]

    return run


def assert_inputs_agree(a: KpiValue, b: KpiValue) -> None:
    """Two engines' named inputs of one value agree before any rounding: counts exactly, sums
    and the like as DECIMAL within 1e-12 of their size (each engine adds floating-point values
    in an order of its own, so the last bits of a double may differ, nothing more)."""
    assert a.inputs.keys() == b.inputs.keys(), (a.kpi, a.year, a.org_unit)
    for name, x in a.inputs.items():
        y = b.inputs[name]
        if x is None or y is None or (float(x).is_integer() and float(y).is_integer()):
            assert x == y, (a.kpi, a.year, a.org_unit, name)
        else:
            difference = abs(Decimal(x) - Decimal(y))
            bound = Decimal("1e-12") * max(Decimal(1), abs(Decimal(x)))
            assert difference <= bound, (a.kpi, a.year, a.org_unit, name, x, y)


def value_of(values: list[KpiValue], year: int, unit: str = "MOJ") -> KpiValue:
    [found] = [v for v in values if v.year == year and v.org_unit == unit]
    return found


PLAN_DIR = Path(__file__).resolve().parents[2] / "plans" / "moj-106-109"
DUCKDB_TYPES = {
    "string": "VARCHAR",
    "integer": "BIGINT",
    "decimal": "DECIMAL(18,2)",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
}


@pytest.fixture
def compute_kpi(compute: Compute) -> Callable[..., list[KpiValue]]:
    """compute_kpi("8-1", {"enforcement_cases": [{column: value, …}, …]}, years="109").

    Uses the shipped definition and the shipped contracts' columns; unspecified columns are NULL.
    """
    from yardstick.datasets.contract import Contract, load_contract
    from yardstick.metrics.catalog import load_definition

    def run(
        code: str,
        records: dict[str, list[dict[str, Any]]],
        years: str = "109",
        engine: str = "duckdb",
    ) -> list[KpiValue]:
        definition = load_definition(PLAN_DIR / "metrics" / f"{code}.yaml")
        datasets = {}
        for name, rows in records.items():
            contract = load_contract(PLAN_DIR / "datasets" / f"{name}.yaml")
            assert isinstance(contract, Contract)
            columns = {c.name: DUCKDB_TYPES[c.type.value] for c in contract.columns}
            tuples = [tuple(row.get(column) for column in columns) for row in rows]
            datasets[name] = (columns, contract.period_column, contract.org_unit_column, tuples)
        return compute(definition, datasets, years=years, engine=engine)

    return run


def cumulative_sum(column: str, since: str) -> dict[str, Any]:
    """An aggregate summing ``column`` of the test dataset ``cases`` from ``since`` to each year end."""
    return {
        "dataset": "cases",
        "function": "sum",
        "expression": column,
        "window": "cumulative",
        "since": since,
    }


def cumulative_ratio(since: str) -> dict[str, Any]:
    """paid ÷ amount, both cumulative from ``since`` (the shape of KPI 1-3), × 100."""
    return {
        "kind": "ratio",
        "scale": 100,
        "numerator": cumulative_sum("paid", since),
        "denominator": cumulative_sum("amount", since),
    }
