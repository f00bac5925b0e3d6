"""Year-to-date KPI values month by month, for watching the year in progress (in-year projection).

For each ROC year and month ``m`` the value is the KPI computed on the records placed from January
to the end of month ``m`` (for a cumulative window: from its first month). One query per scan
groups the records by (year, month) at ministry level; the months are then accumulated exactly:
counts and sums add up, a mean is the accumulated sum over the accumulated count. A month with no
records in a year that has some carries the year-to-date value forward. A year-end snapshot is
the month-end snapshot instead: each unit's last count in month ``m``, summed; a unit that counted
earlier in the year but not in ``m`` makes it incomplete, with the reason naming the unit (see
:mod:`yardstick.metrics.snapshots`), so December agrees with the yearly value.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from yardstick.calendar import YearRange
from yardstick.metrics.compiler import (
    PERIOD_MONTH,
    PERIOD_YEAR,
    DatasetShape,
    Scan,
    partial_aggregates,
    plan_scans,
    records_of,
)
from yardstick.metrics.definition import Aggregate, AggregateFunction, ComputedDefinition, Window
from yardstick.metrics.engines import Engine, as_number
from yardstick.metrics.formula import CannotCompute, check_formula, evaluate_formula
from yardstick.metrics.isolation import run_isolated
from yardstick.metrics.run import EngineFactory, MetricInputs, years_text
from yardstick.metrics.snapshots import Presence, incomplete_reason, presence_query

Month = tuple[int, int]  # (ROC year, month)


@dataclass(frozen=True)
class MonthlyValue:
    """A KPI's year-to-date value at the end of a month, at ministry level."""

    kpi: str
    year: int
    month: int
    value: float | None
    inputs: dict[str, float | None] = field(default_factory=dict)
    reason: str | None = None


@dataclass
class _Partial:
    """Per-month aggregates of one input: value, or (sum, count) for a mean; for a snapshot,
    which units counted in which months."""

    values: dict[Month, float | None] = field(default_factory=dict)
    counts: dict[Month, float] = field(default_factory=dict)
    presence: Presence | None = None


def compute_monthly(
    definitions: Sequence[ComputedDefinition],
    inputs: MetricInputs,
    years: YearRange,
    engine_factory: EngineFactory,
) -> list[MonthlyValue]:
    """Year-to-date values for every month of ``years`` (ministry level)."""
    ready = [
        d
        for d in definitions
        if all(inputs.batches.get(a.dataset) for a in d.aggregates().values())
    ]
    if not ready:
        return []
    triples = [(d.kpi, name, agg) for d in ready for name, agg in d.aggregates().items()]
    engine = engine_factory(inputs)
    try:
        outcome = run_isolated(
            plan_scans(triples, inputs.shapes),
            lambda scan: _run(scan, inputs.shapes[scan.key.dataset], engine, years),
        )
    finally:
        engine.close()
    partials: dict[tuple[str, str], _Partial] = {}
    for result in outcome.results:
        partials.update(result)
    values = []
    for definition in ready:
        failure = outcome.failure_of(definition.kpi, list(definition.aggregates()))
        values += (
            _failed(definition, years, failure)
            if failure is not None
            else _evaluate(definition, partials, years)
        )
    return values


def _failed(definition: ComputedDefinition, years: YearRange, reason: str) -> list[MonthlyValue]:
    return [
        MonthlyValue(definition.kpi, year, m, None, reason=reason)
        for year in years.years
        for m in range(1, 13)
    ]


def _run(
    scan: Scan, shape: DatasetShape, engine: Engine, years: YearRange
) -> dict[tuple[str, str], _Partial]:
    first = min(years.start, scan.first_year_needed or years.start)
    query = _monthly_query(scan, shape, engine.source(scan.key.dataset), (first, years.end))
    partials: dict[tuple[str, str], _Partial] = defaultdict(_Partial)
    presence = None
    if scan.key.at == "year_end":
        source = engine.source(scan.key.dataset)
        presence = Presence.from_rows(
            engine.fetch(presence_query(scan, shape, source, (first, years.end)))
        )
    for named in scan.aggregates:
        partials[(named.kpi, named.name)].presence = presence
    for row in engine.fetch(query):
        month: Month = (int(row[0]), int(row[1]))
        cells = iter(row[2:])
        for named in scan.aggregates:
            partial = partials[(named.kpi, named.name)]
            value = next(cells)
            partial.values[month] = None if value is None else as_number(engine.name, value)
            if named.aggregate.function is AggregateFunction.MEAN:
                partial.counts[month] = as_number(engine.name, next(cells) or 0)
    return partials


def _monthly_query(
    scan: Scan, shape: DatasetShape, source: exp.Expr, years: tuple[int, int]
) -> exp.Select:
    records = records_of(scan, shape, source, years, by_month=True)
    columns: list[exp.Expr] = [exp.column(PERIOD_YEAR), exp.column(PERIOD_MONTH)]
    for named in scan.aggregates:
        columns += [exp.alias_(node, column) for column, node in partial_aggregates(named, shape)]
    return (
        exp.select(*columns)
        .from_(exp.alias_(exp.Subquery(this=records), "records", table=True))
        .group_by(exp.column(PERIOD_YEAR), exp.column(PERIOD_MONTH))
    )


def _evaluate(
    definition: ComputedDefinition, partials: Mapping[tuple[str, str], _Partial], years: YearRange
) -> list[MonthlyValue]:
    names = list(definition.aggregates())
    formula = check_formula(definition.formula, names)
    accumulated: dict[str, dict[Month, float | None]] = {}
    gaps: dict[str, dict[Month, str]] = {}
    for n in names:
        partial = partials.get((definition.kpi, n), _Partial())
        accumulated[n], gaps[n] = _year_to_date(definition.aggregates()[n], partial, years)
    out = []
    for year in years.years:
        for m in range(1, 13):
            named = {n: accumulated[n].get((year, m)) for n in names}
            try:
                missing = [n for n, v in named.items() if v is None]
                if missing:
                    raise CannotCompute(_why_missing(year, m, missing, gaps))
                out.append(
                    MonthlyValue(definition.kpi, year, m, evaluate_formula(formula, named), named)
                )
            except CannotCompute as cannot:
                out.append(MonthlyValue(definition.kpi, year, m, None, named, cannot.reason))
    return out


def _year_to_date(
    aggregate: Aggregate, partial: _Partial, years: YearRange
) -> tuple[dict[Month, float | None], dict[Month, str]]:
    """An input's year-to-date values, unknown — with the reason — where a snapshot misses a
    unit or a cumulative window misses a year."""
    values = _accumulate(aggregate, partial, years)
    gaps = _snapshot_gaps(partial, years) | _window_gaps(aggregate, partial, years)
    values.update(dict.fromkeys(gaps))
    return values, gaps


def _why_missing(
    year: int, month: int, missing: Sequence[str], gaps: Mapping[str, Mapping[Month, str]]
) -> str:
    """``no records up to 109年2月 (numerator)``, or a snapshot's own reason, grouped by reason."""
    by_reason: dict[str, list[str]] = {}
    for name in missing:
        reason = gaps[name].get((year, month)) or f"no records up to {year}年{month}月"
        by_reason.setdefault(reason, []).append(name)
    return "; ".join(f"{reason} ({', '.join(names)})" for reason, names in by_reason.items())


def _snapshot_gaps(partial: _Partial, years: YearRange) -> dict[Month, str]:
    """Months whose snapshot lacks a count from a unit that counted earlier in the year."""
    if partial.presence is None:
        return {}
    out: dict[Month, str] = {}
    for year in years.years:
        for m in range(1, 13):
            if units := partial.presence.missing(year, m):
                out[(year, m)] = incomplete_reason(units, year, m)
    return out


def _window_gaps(aggregate: Aggregate, partial: _Partial, years: YearRange) -> dict[Month, str]:
    """Months whose cumulative window holds an earlier year with no records at all (unknown,
    as in the yearly value, and the reason names those years)."""
    since = aggregate.since_month
    if aggregate.window is not Window.CUMULATIVE or since is None:
        return {}
    with_data = {year for year, _ in partial.values}
    out: dict[Month, str] = {}
    for year in years.years:
        if gaps := [y for y in range(since.year, year) if y not in with_data]:
            for m in range(1, 13):
                span = f"the window {since}–{year}年{m}月"
                out[(year, m)] = f"no records for {years_text(gaps)} of {span}"
    return out


def _accumulate(
    aggregate: Aggregate, partial: _Partial, years: YearRange
) -> dict[Month, float | None]:
    """Year-to-date values from per-month ones, by the aggregate's function and window."""
    months_with_data = sorted(partial.values)
    out: dict[Month, float | None] = {}
    for year in years.years:
        if not any(y == year for y, _ in months_with_data):
            continue
        for m in range(1, 13):
            window = [k for k in months_with_data if _in_window(k, year, m, aggregate)]
            if not window:
                out[(year, m)] = None
            elif aggregate.at == "year_end":  # the month's own snapshot (see _snapshot_gaps)
                out[(year, m)] = partial.values.get((year, m))
            else:
                out[(year, m)] = _combine(aggregate, partial, window)
    return out


def _in_window(month: Month, year: int, m: int, aggregate: Aggregate) -> bool:
    if aggregate.window is Window.CUMULATIVE and aggregate.since_month is not None:
        since = aggregate.since_month
        return (since.year, since.month) <= month <= (year, m)
    return month[0] == year and month[1] <= m


def _combine(aggregate: Aggregate, partial: _Partial, window: list[Month]) -> float | None:
    values = [partial.values[k] for k in window]
    function = aggregate.function
    if function is AggregateFunction.MEAN:
        count = sum(partial.counts.get(k, 0.0) for k in window)
        return sum(v or 0.0 for v in values) / count if count else None
    present = [v for v in values if v is not None]
    if function is AggregateFunction.MIN:
        return min(present) if present else None
    if function is AggregateFunction.MAX:
        return max(present) if present else None
    return sum(present)
