"""Compute KPI values: plan the scans, run them on an engine, evaluate each formula per year and unit.

Values come for every year asked and every org unit that has records, the ministry (root) always
included. A KPI whose inputs are missing for a year (or for a year of its cumulative window),
whose year-end snapshot lacks a unit's December count, whose batches are all withdrawn, whose
formula divides by zero, or whose aggregate the engine cannot compute (an overflow or a
conversion error on some record) gets a value of ``None`` with the reason — never an exception,
never 0, never a partial sum — and the other KPIs compute as usual.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

from yardstick.calendar import RocMonth, YearRange
from yardstick.metrics.compiler import DatasetShape, Scan, compile_scan, plan_scans, unit_of_row
from yardstick.metrics.definition import (
    AggregateFunction,
    ComputedDefinition,
    Window,
    content_hash,
)
from yardstick.metrics.engines import BatchInput, Engine, as_number
from yardstick.metrics.formula import CannotCompute, check_formula, evaluate_formula
from yardstick.metrics.isolation import run_isolated
from yardstick.metrics.results import BatchUsed, KpiValue, Lineage
from yardstick.metrics.snapshots import Presence, incomplete_cells, presence_query

Cell = tuple[int, str]  # (ROC year, org unit)


@dataclass(frozen=True)
class MetricInputs:
    """Everything a computation reads besides the definitions."""

    shapes: Mapping[str, DatasetShape]
    batches: Mapping[str, Sequence[BatchInput]]
    unit_paths: Sequence[tuple[str | None, ...]]  # (unit, level_1 … level_n), None past its depth
    root: str
    element_units: Mapping[str, str] = field(
        default_factory=dict
    )  # data element → unit entering it


EngineFactory = Callable[[MetricInputs], Engine]


@dataclass
class _Input:
    """One named aggregate of a KPI by (year, unit), and why a cell has no value where known."""

    values: dict[Cell, float | None]
    unknown: dict[Cell, str] = field(default_factory=dict)

    def set_unknown(self, cell: Cell, reason: str) -> None:
        self.values[cell] = None
        self.unknown[cell] = reason


@dataclass
class _ScanResult:
    sql: tuple[str, ...]  # the scan's query, and the snapshot's presence query if any
    names: frozenset[tuple[str, str]]  # the (kpi, name) aggregates it computes
    values: dict[tuple[str, str], dict[Cell, float | None]]  # (kpi, name) → cell → value
    incomplete: dict[Cell, str] = field(default_factory=dict)  # snapshot cells lacking a count


BatchesUsed = Mapping[tuple[str, int], Sequence[BatchInput]]  # (KPI, year) → its batches


def compute_values(
    definitions: Sequence[ComputedDefinition],
    inputs: MetricInputs,
    years: YearRange,
    engine_factory: EngineFactory,
    batches_used: BatchesUsed | None = None,
) -> list[KpiValue]:
    """Compute every definition for every year in ``years`` and every org unit.

    ``batches_used`` names, per (KPI, year), the batches its lineage lists — those that can
    change it (see :func:`yardstick.metrics.service.batches_that_can_change`); without it, every
    active batch of the KPI's datasets."""
    ready = [d for d in definitions if not _missing_datasets(d, inputs)]
    values = [v for d in definitions if d not in ready for v in _unavailable(d, inputs, years)]
    if not ready:
        return values
    triples = [(d.kpi, name, agg) for d in ready for name, agg in d.aggregates().items()]
    scans = plan_scans(triples, inputs.shapes)
    engine = engine_factory(inputs)
    try:
        outcome = run_isolated(scans, lambda scan: _run_scan(scan, inputs, engine, years))
    finally:
        engine.close()
    computed_at = datetime.now(UTC).isoformat(timespec="seconds")
    for definition in ready:
        failure = outcome.failure_of(definition.kpi, list(definition.aggregates()))
        if failure is not None:
            values += _failed(definition, inputs, years, failure)
            continue
        values += _evaluate(
            definition, outcome.results, inputs, years, engine.name, computed_at, batches_used
        )
    return values


def _missing_datasets(definition: ComputedDefinition, inputs: MetricInputs) -> list[str]:
    datasets = {agg.dataset for agg in definition.aggregates().values()}
    return sorted(d for d in datasets if not inputs.batches.get(d))


def _unavailable(
    definition: ComputedDefinition, inputs: MetricInputs, years: YearRange
) -> list[KpiValue]:
    missing = ", ".join(_missing_datasets(definition, inputs))
    return _failed(
        definition,
        inputs,
        years,
        f"no active batches of {missing} (none ingested, or all withdrawn)",
    )


def _failed(
    definition: ComputedDefinition, inputs: MetricInputs, years: YearRange, reason: str
) -> list[KpiValue]:
    """The ministry's value for every year: None, with why."""
    return [
        KpiValue(
            definition.kpi,
            year,
            inputs.root,
            None,
            definition.unit,
            definition.decimals,
            reason=reason,
        )
        for year in years.years
    ]


def _run_scan(scan: Scan, inputs: MetricInputs, engine: Engine, years: YearRange) -> _ScanResult:
    shape = inputs.shapes[scan.key.dataset]
    depth = len(inputs.unit_paths[0]) - 1
    query = compile_scan(
        scan,
        shape,
        engine.source(scan.key.dataset),
        engine.unit_paths(),
        depth,
        (years.start, years.end),
    )
    values: dict[tuple[str, str], dict[Cell, float | None]] = defaultdict(dict)
    for row in engine.fetch(query):
        year, mask, levels, aggregates = row[0], row[1], row[2 : 2 + depth], row[2 + depth :]
        unit = unit_of_row(int(mask), list(levels))
        if unit is None:
            continue
        for named, value in zip(scan.aggregates, aggregates, strict=True):
            values[(named.kpi, named.name)][(int(year), unit)] = _number(
                value, named.aggregate.function, engine.name
            )
    names = frozenset((named.kpi, named.name) for named in scan.aggregates)
    result = _ScanResult((query.sql(dialect=engine.dialect, pretty=True),), names, values)
    if scan.key.at == "year_end":
        _check_snapshot(result, scan, inputs, engine, years)
    return result


def _check_snapshot(
    result: _ScanResult, scan: Scan, inputs: MetricInputs, engine: Engine, years: YearRange
) -> None:
    """Mark the cells whose year-end snapshot lacks a unit's December count (see snapshots)."""
    shape = inputs.shapes[scan.key.dataset]
    source = engine.source(scan.key.dataset)
    query = presence_query(scan, shape, source, (years.start, years.end))
    presence = Presence.from_rows(engine.fetch(query))
    result.incomplete = incomplete_cells(presence, inputs.unit_paths, years.years)
    result.sql += (query.sql(dialect=engine.dialect, pretty=True),)


def _number(value: object, function: AggregateFunction, engine: str) -> float | None:
    if value is None:
        summable = function in (AggregateFunction.COUNT, AggregateFunction.SUM)
        return 0.0 if summable else None  # the group has records, none of them match
    return as_number(engine, value)


def _evaluate(
    definition: ComputedDefinition,
    results: list[_ScanResult],
    inputs: MetricInputs,
    years: YearRange,
    engine: str,
    computed_at: str,
    batches_used: BatchesUsed | None,
) -> list[KpiValue]:
    names = list(definition.aggregates())
    per_name = {name: _values_of(definition, name, results, years) for name in names}
    formula = check_formula(definition.formula, names)
    lineage = Lineage(
        definition_version=definition.version,
        definition_hash=content_hash(definition),
        engine=engine,
        formula=definition.formula,
        sql=_sql_of(definition, results),
        batches=(),
        computed_at=computed_at,
    )
    by_year = {
        year: replace(lineage, batches=_batches_used(definition, inputs, year, batches_used))
        for year in years.years
    }
    cells = {cell for each in per_name.values() for cell in each.values if cell[0] in years}
    cells |= {(year, inputs.root) for year in years.years}
    out = []
    for year, unit in sorted(cells):
        named = {name: per_name[name].values.get((year, unit)) for name in names}
        why = {name: per_name[name].unknown.get((year, unit)) for name in names}
        out.append(_value(definition, year, unit, named, formula, by_year[year], why))
    return out


def _sql_of(definition: ComputedDefinition, results: list[_ScanResult]) -> tuple[str, ...]:
    """The queries of the scans computing the definition's aggregates, each once."""
    mine = [r for r in results if any(kpi == definition.kpi for kpi, _ in r.names)]
    return tuple(dict.fromkeys(sql for result in mine for sql in result.sql))


def _value(
    definition: ComputedDefinition,
    year: int,
    unit: str,
    named: dict[str, float | None],
    formula: object,
    lineage: Lineage,
    why: Mapping[str, str | None],
) -> KpiValue:
    from sqlglot import exp

    assert isinstance(formula, exp.Expr)
    missing = [name for name, value in named.items() if value is None]
    try:
        if missing:
            raise CannotCompute(_why_missing(year, missing, why))
        value: float | None = evaluate_formula(formula, named)
        reason = None
    except CannotCompute as cannot:
        value, reason = None, cannot.reason
    return KpiValue(
        definition.kpi,
        year,
        unit,
        value,
        definition.unit,
        definition.decimals,
        named,
        reason,
        lineage,
    )


def _why_missing(year: int, missing: Sequence[str], why: Mapping[str, str | None]) -> str:
    """``no records for 109年 (numerator)``, or each input's own reason, inputs grouped by it."""
    by_reason: dict[str, list[str]] = {}
    for name in missing:
        by_reason.setdefault(why.get(name) or f"no records for {year}年", []).append(name)
    return "; ".join(f"{reason} ({', '.join(names)})" for reason, names in by_reason.items())


def _values_of(
    definition: ComputedDefinition, name: str, results: list[_ScanResult], years: YearRange
) -> _Input:
    raw: dict[Cell, float | None] = {}
    incomplete: dict[Cell, str] = {}
    for result in results:
        if (definition.kpi, name) in result.names:
            raw.update(result.values.get((definition.kpi, name), {}))
            incomplete.update(result.incomplete)
    aggregate = definition.aggregates()[name]
    if aggregate.window is not Window.CUMULATIVE or aggregate.since_month is None:
        found = _Input(raw)
    else:
        found = _cumulative(raw, aggregate.since_month, years)
    for cell, reason in incomplete.items():
        found.set_unknown(cell, reason)
    return found


def _cumulative(raw: Mapping[Cell, float | None], since: RocMonth, years: YearRange) -> _Input:
    """Running totals from ``since`` to each year end. A year of the window with no records at
    all makes the total unknown, and the reason names those years (not the year computed)."""
    units = {unit for _, unit in raw}
    years_with_data = {year for year, _ in raw}
    out = _Input({})
    for year in years.years:
        window = range(since.year, year + 1)
        span = f"the window {since}–{year}年12月"
        gaps = [y for y in window if y not in years_with_data]
        for unit in units:
            if gaps:
                out.set_unknown((year, unit), f"no records for {years_text(gaps)} of {span}")
            elif any((y, unit) in raw for y in window):
                out.values[(year, unit)] = sum((raw.get((y, unit)) or 0.0) for y in window)
            else:
                out.set_unknown((year, unit), f"no records in {span}")
    return out


def years_text(years: Sequence[int]) -> str:
    """``100年, 101年``: ROC years as a reader writes them."""
    return ", ".join(f"{year}年" for year in years)


def _batches_used(
    definition: ComputedDefinition,
    inputs: MetricInputs,
    year: int,
    chosen: BatchesUsed | None,
) -> tuple[BatchUsed, ...]:
    """The batches a (KPI, year)'s lineage names: ``chosen`` ones, else every active batch read."""
    if chosen is not None:
        batches: Sequence[BatchInput] = chosen.get((definition.kpi, year), ())
    else:
        datasets = sorted({agg.dataset for agg in definition.aggregates().values()})
        batches = [b for dataset in datasets for b in inputs.batches.get(dataset, ())]
    return tuple(
        BatchUsed(b.dataset, b.batch_id, b.checksum, b.rows, b.source or b.path.name)
        for b in batches
    )
