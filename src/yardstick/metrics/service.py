"""Compute a plan's KPIs from its definitions, contracts, org units and active batches, reusing
stored values whose inputs have not changed.

A (KPI, year) is recomputed when its fingerprint changed: the definition changed, or a batch that
can change that year's value arrived or was withdrawn. A batch can change a year when it holds
records placed in that year by one of the KPI's period columns — or, for a cumulative window, in
that year or before. A value's lineage lists exactly those batches, the ones its fingerprint is
made of: a value reused after a withdrawal never names the withdrawn batch.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import duckdb
from sqlglot import exp

from yardstick.calendar import ROC_EPOCH_OFFSET, YearRange
from yardstick.datasets.contract import Contract, DataElement
from yardstick.datasets.orgunits import OrgUnits
from yardstick.metrics.catalog import COMPUTED, shape_of
from yardstick.metrics.definition import (
    ComputedDefinition,
    ManualDefinition,
    MetricDefinition,
    Window,
    content_hash,
)
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.engines import BatchInput, engine_reason
from yardstick.metrics.engines.rendering import render
from yardstick.metrics.engines.sandbox import Sandbox
from yardstick.metrics.errors import BatchReadError
from yardstick.metrics.manual import compute_manual
from yardstick.metrics.results import KpiValue
from yardstick.metrics.run import EngineFactory, MetricInputs, compute_values
from yardstick.metrics.store import ResultStore, fingerprint


@dataclass
class ComputeReport:
    """What a computation did: the values, and which (KPI, year) it recomputed or reused."""

    values: list[KpiValue]
    recomputed: list[tuple[str, int]] = field(default_factory=list)
    reused: list[tuple[str, int]] = field(default_factory=list)


def unit_paths(org_units: OrgUnits) -> list[tuple[str | None, ...]]:
    """(unit, level_1 … level_depth) for every org unit, None past its own depth."""
    depth = org_units.depth
    rows: list[tuple[str | None, ...]] = []
    for unit in org_units:
        path: list[str | None] = list(org_units.path(unit.code))
        rows.append((unit.code, *path, *([None] * (depth - len(path)))))
    return rows


def metric_inputs(
    contracts: Mapping[str, Contract | DataElement],
    org_units: OrgUnits,
    batches: Mapping[str, Sequence[BatchInput]],
) -> MetricInputs:
    shapes = {name: shape_of(c) for name, c in contracts.items() if isinstance(c, Contract)}
    entered_at = {name: c.org_unit for name, c in contracts.items() if isinstance(c, DataElement)}
    return MetricInputs(shapes, batches, unit_paths(org_units), org_units.root.code, entered_at)


def compute_plan(
    definitions: Sequence[MetricDefinition],
    inputs: MetricInputs,
    elements: Mapping[tuple[str, int, str], ElementValue],
    years: YearRange,
    store: ResultStore,
    engine_factory: EngineFactory,
    reuse: bool = True,
    engine_name: str = "duckdb",
) -> ComputeReport:
    """Every definition for every year; recompute only what changed (unless ``reuse`` is off)."""
    report = ComputeReport(values=[])
    stored = store.fingerprints() if reuse else {}
    coverage = _coverage(definitions, inputs, store)
    stale: list[ComputedDefinition] = []
    prints: dict[tuple[str, int], str] = {}
    relevant: dict[tuple[str, int], list[BatchInput]] = {}
    for definition in definitions:
        if isinstance(definition, ManualDefinition):
            manual = compute_manual(definition, elements, years, inputs.root, inputs.element_units)
            store.replace(manual, {(definition.kpi, y): "manual" for y in years.years})
            report.recomputed += [(definition.kpi, y) for y in years.years]
            continue
        assert isinstance(definition, COMPUTED)
        for y in years.years:
            relevant[(definition.kpi, y)] = batches_that_can_change(definition, inputs, coverage, y)
        current = {
            y: _fingerprint(definition, relevant[(definition.kpi, y)], engine_name)
            for y in years.years
        }
        changed = [y for y in years.years if stored.get((definition.kpi, y)) != current[y]]
        report.reused += [(definition.kpi, y) for y in years.years if y not in changed]
        if changed:
            stale.append(definition)
            prints.update({(definition.kpi, y): current[y] for y in changed})
            report.recomputed += [(definition.kpi, y) for y in changed]
    if stale:
        needed = sorted({y for _, y in prints})
        values = compute_values(
            stale, inputs, YearRange(needed[0], needed[-1]), engine_factory, relevant
        )
        store.replace(values, prints)
    report.values = store.values(kpis=[d.kpi for d in definitions], years=years.years)
    return report


def batches_that_can_change(
    definition: ComputedDefinition,
    inputs: MetricInputs,
    coverage: Mapping[tuple[str, str], tuple[int | None, int | None]],
    year: int,
) -> list[BatchInput]:
    """The active batches that can change a (KPI, year): those holding records placed in the
    year by one of the KPI's period columns, or before it for a cumulative window. Both the
    fingerprint and the lineage are made of exactly these, so a value never names a batch that
    did not count, nor one withdrawn since (its fingerprint would have changed)."""
    found: dict[str, BatchInput] = {}
    for aggregate in definition.aggregates().values():
        column = aggregate.period_column or inputs.shapes[aggregate.dataset].period_column
        cumulative = aggregate.window is Window.CUMULATIVE
        for batch in inputs.batches.get(aggregate.dataset, ()):
            if batch.table:  # an external table's years are not known without a scan: all
                found.setdefault(batch.batch_id, batch)
                continue
            first, last = coverage.get((batch.batch_id, column), (None, None))
            if first is None or last is None:
                continue
            if first <= year and (cumulative or last >= year):
                found.setdefault(batch.batch_id, batch)
    return sorted(found.values(), key=lambda batch: (batch.dataset, batch.batch_id))


def _fingerprint(
    definition: ComputedDefinition, batches: Sequence[BatchInput], engine_name: str
) -> str:
    return fingerprint(
        f"{content_hash(definition)}@{engine_name}",
        {(batch.batch_id, batch.checksum) for batch in batches},
    )


def cells_resting_on(
    definitions: Sequence[MetricDefinition],
    inputs: MetricInputs,
    store: ResultStore,
    batch_ids: Iterable[str],
    years: Iterable[int],
) -> set[tuple[str, int]]:
    """The (KPI, year) pairs whose values rest on one of ``batch_ids`` (active in ``inputs``):
    exactly the pairs whose fingerprint that batch's arrival or withdrawal changes."""
    wanted = set(batch_ids)
    coverage = _coverage(definitions, inputs, store)
    cells: set[tuple[str, int]] = set()
    for definition in definitions:
        if not isinstance(definition, COMPUTED) or any(
            agg.dataset not in inputs.shapes for agg in definition.aggregates().values()
        ):
            continue
        for year in years:
            batches = batches_that_can_change(definition, inputs, coverage, year)
            if any(batch.batch_id in wanted for batch in batches):
                cells.add((definition.kpi, year))
    return cells


def _span_query(column: str) -> exp.Select:
    """``SELECT min(year(col)), max(year(col)) FROM read_parquet(?)``, built as a tree."""
    year = exp.Year(this=exp.column(column, quoted=True))
    parquet = exp.Table(this=exp.ReadParquet(expressions=[exp.Placeholder()]))
    return exp.select(exp.Min(this=year), exp.Max(this=year.copy())).from_(parquet)


def _span(sandbox: Sandbox, batch: BatchInput, column: str) -> tuple[int | None, int | None]:
    """First and last Gregorian year of a batch's period column; a damaged file is our error."""
    try:
        [(first, last)] = sandbox.run(render(_span_query(column), "duckdb"), [str(batch.path)])
    except duckdb.Error as error:
        raise BatchReadError(
            f"batch {batch.batch_id} of {batch.dataset} cannot be read "
            f"({engine_reason(str(error))}): withdraw it and ingest its file again"
        ) from None
    return first, last


def _coverage(
    definitions: Sequence[MetricDefinition], inputs: MetricInputs, store: ResultStore
) -> dict[tuple[str, str], tuple[int | None, int | None]]:
    """First and last ROC year of each batch by each period column in use (cached per batch)."""
    known = store.batch_years()
    needed = {
        (agg.dataset, agg.period_column or inputs.shapes[agg.dataset].period_column)
        for d in definitions
        if isinstance(d, COMPUTED)
        for agg in d.aggregates().values()
        if agg.dataset in inputs.shapes
    }
    missing = [
        (batch, column)
        for dataset, column in sorted(needed)
        for batch in inputs.batches.get(dataset, ())
        if (batch.batch_id, column) not in known and not batch.table
    ]
    if not missing:
        return known
    sandbox = Sandbox([batch.path for batch, _ in missing])
    try:
        for batch, column in missing:
            first, last = _span(sandbox, batch, column)
            years = (
                None if first is None else first - ROC_EPOCH_OFFSET,
                None if last is None else last - ROC_EPOCH_OFFSET,
            )
            store.remember_batch_years(batch.batch_id, column, *years)
            known[(batch.batch_id, column)] = years
    finally:
        sandbox.close()
    return known
