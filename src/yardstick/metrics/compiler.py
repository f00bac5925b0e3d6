"""Compile metric aggregates into one SQL query per dataset scan, as SQLGlot trees.

All aggregates that read the same dataset with the same period column (and the same snapshot
rule) are computed in a single pass: one ``SELECT … GROUP BY GROUPING SETS`` with a
``FILTER (WHERE …)`` per aggregate, grouped by ROC year and by every level of the org-unit
hierarchy (a record's unit joined to its ancestors), so a parent's value is computed from its
records — a ratio of sums, never an average of ratios. Nothing is pasted into SQL as text:
expressions arrive as checked trees, and names and values enter as identifier and literal nodes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from sqlglot import exp

from yardstick.calendar import ROC_EPOCH_OFFSET
from yardstick.metrics.definition import Aggregate, AggregateFunction, Window
from yardstick.metrics.expressions import check_expression

PERIOD_YEAR = "period_year"
GROUPING_LEVEL = "grouping_level"
RECORD_UNIT = "record_unit"
PERIOD_MONTH = "period_month"


@dataclass(frozen=True)
class ScanKey:
    """Aggregates that can share one pass over a dataset."""

    dataset: str
    period_column: str
    at: str


@dataclass(frozen=True)
class NamedAggregate:
    """An aggregate of a KPI, with the column name it gets in the scan's result."""

    kpi: str
    name: str
    aggregate: Aggregate
    column: str


@dataclass
class Scan:
    """One pass over a dataset computing several aggregates."""

    key: ScanKey
    aggregates: list[NamedAggregate] = field(default_factory=list)

    @property
    def first_year_needed(self) -> int | None:
        """The earliest ROC year a cumulative aggregate reaches back to, if any."""
        starts = [a.aggregate.since_month.year for a in self.aggregates if a.aggregate.since_month]
        return min(starts) if starts else None


@dataclass(frozen=True)
class DatasetShape:
    """What the compiler needs of a dataset's contract."""

    columns: Mapping[str, str]
    period_column: str
    org_unit_column: str


def plan_scans(
    aggregates: Sequence[tuple[str, str, Aggregate]], shapes: Mapping[str, DatasetShape]
) -> list[Scan]:
    """Group ``(kpi, name, aggregate)`` triples into scans, one per dataset / period column / rule."""
    scans: dict[ScanKey, Scan] = {}
    for kpi, name, aggregate in aggregates:
        shape = shapes[aggregate.dataset]
        key = ScanKey(
            aggregate.dataset, aggregate.period_column or shape.period_column, aggregate.at
        )
        scan = scans.setdefault(key, Scan(key))
        scan.aggregates.append(NamedAggregate(kpi, name, aggregate, f"a{len(scan.aggregates)}"))
    return list(scans.values())


def compile_scan(
    scan: Scan,
    shape: DatasetShape,
    source: exp.Expr,
    unit_paths: exp.Expr,
    depth: int,
    years: tuple[int, int],
) -> exp.Select:
    """The query for one scan: rows of (year, grouping mask, level_1 … level_depth, aggregates…).

    Two phases, as an expert would write it: one pass over the records aggregates by (year, org
    unit) with a ``FILTER`` per aggregate; the small result is then joined to the units'
    ancestors and rolled up with ``GROUPING SETS``. Every aggregate is decomposable (a count or
    sum adds up, a mean is carried as sum and count, min and max stay min and max), so a parent's
    value is exactly the value over its records.

    The grouping mask is a bit mask (see :func:`grouping_mask`): for the grouping set that stops
    at level ``d`` the bits of the levels below ``d`` are set. :func:`unit_of_row` turns a row
    into its org unit.
    """
    first = min(years[0], scan.first_year_needed or years[0])
    per_unit = _per_unit(scan, shape, source, (first, years[1]))
    levels = [exp.column(f"level_{d}", table="paths") for d in range(1, depth + 1)]
    year = exp.column(PERIOD_YEAR, table="per_unit")
    grouping_sets = [exp.Tuple(expressions=[year.copy(), *levels[:d]]) for d in range(1, depth + 1)]
    select = exp.select(
        year,
        exp.alias_(grouping_mask(levels), GROUPING_LEVEL),
        *levels,
        *(exp.alias_(_roll_up(named), named.column) for named in scan.aggregates),
    )
    select = select.from_(exp.alias_(exp.Subquery(this=per_unit), "per_unit", table=True)).join(
        exp.alias_(unit_paths, "paths", table=True),
        on=exp.EQ(
            this=exp.column(RECORD_UNIT, table="per_unit"),
            expression=exp.column("unit", table="paths"),
        ),
    )
    return select.group_by(exp.GroupingSets(expressions=grouping_sets))


def grouping_mask(levels: Sequence[exp.Expr]) -> exp.Expr:
    """``GROUPING(level_1, …, level_n)`` written as ``GROUPING(level_1) * 2^(n-1) + … +
    GROUPING(level_n)``: the same number on every engine, and every dialect accepts a GROUPING of
    one column (Spark's ``grouping()`` takes no more)."""
    depth = len(levels)
    terms: list[exp.Expr] = []
    for index, level in enumerate(levels, start=1):
        bit: exp.Expr = exp.Grouping(expressions=[level.copy()])
        weight = 2 ** (depth - index)
        terms.append(
            bit if weight == 1 else exp.Mul(this=bit, expression=exp.Literal.number(weight))
        )
    mask = terms[0]
    for term in terms[1:]:
        mask = exp.Add(this=mask, expression=term)
    return mask


def _per_unit(
    scan: Scan, shape: DatasetShape, source: exp.Expr, years: tuple[int, int]
) -> exp.Select:
    """The heavy pass: every aggregate's partial value by (year, the record's own org unit)."""
    records = records_of(scan, shape, source, years)
    partials: list[exp.Expr] = []
    for named in scan.aggregates:
        partials += [exp.alias_(node, column) for column, node in partial_aggregates(named, shape)]
    select = exp.select(exp.column(PERIOD_YEAR), exp.column(RECORD_UNIT), *partials)
    return select.from_(exp.alias_(exp.Subquery(this=records), "records", table=True)).group_by(
        exp.column(PERIOD_YEAR), exp.column(RECORD_UNIT)
    )


def partial_aggregates(named: NamedAggregate, shape: DatasetShape) -> list[tuple[str, exp.Expr]]:
    """Columns of a decomposable partial aggregate: one, or a sum and a count for a mean."""
    aggregate = named.aggregate
    if aggregate.function is not AggregateFunction.MEAN:
        return [(named.column, aggregate_expression(aggregate, shape))]
    as_sum = aggregate.model_copy(update={"function": AggregateFunction.SUM})
    value = check_expression(aggregate.expression or "", shape.columns)
    count = _filtered(exp.Count(this=value), aggregate, shape)
    return [
        (f"{named.column}_sum", aggregate_expression(as_sum, shape)),
        (f"{named.column}_n", count),
    ]


def _roll_up(named: NamedAggregate) -> exp.Expr:
    column = exp.column(named.column, table="per_unit")
    function = named.aggregate.function
    if function is AggregateFunction.MEAN:
        total = exp.Sum(
            this=exp.cast(exp.column(f"{named.column}_sum", table="per_unit"), "DOUBLE")
        )
        count = exp.Sum(this=exp.column(f"{named.column}_n", table="per_unit"))
        return exp.Div(
            this=total,
            expression=exp.Nullif(this=exp.cast(count, "DOUBLE"), expression=exp.Literal.number(0)),
        )
    if function is AggregateFunction.MIN:
        return exp.Min(this=column)
    if function is AggregateFunction.MAX:
        return exp.Max(this=column)
    return exp.Sum(this=column)


def unit_of_row(mask: int, levels: Sequence[str | None]) -> str | None:
    """The org unit a result row is for; None for a row that repeats a shallower unit's group."""
    depth = len(levels)
    grouped_out = 0
    while grouped_out < depth and mask & (1 << grouped_out):
        grouped_out += 1
    level = depth - grouped_out
    return levels[level - 1] if level >= 1 else None


def records_of(
    scan: Scan,
    shape: DatasetShape,
    source: exp.Expr,
    years: tuple[int, int],
    by_month: bool = False,
) -> exp.Select:
    """The scan's records in ``years``: ROC year (and month), org unit and the columns needed.

    Records are placed by a range on the period column itself (so Parquet statistics can skip
    row groups). A year-end snapshot keeps, for each org unit of a record (each facility), only
    its last count in December of each year — not the dataset's last date, which a facility that
    counted a day earlier would miss; with ``by_month``, each unit's last count in each month.
    A unit with no December count has no rows here: :mod:`yardstick.metrics.snapshots` finds it.
    """
    period = exp.column(scan.key.period_column, table="source")
    year = exp.Sub(
        this=exp.cast(exp.Year(this=period), "INT"), expression=exp.Literal.number(ROC_EPOCH_OFFSET)
    )
    month = exp.cast(exp.Month(this=period.copy()), "INT")
    unit = exp.column(shape.org_unit_column, table="source")
    columns = sorted(columns_needed(scan, shape))
    select = exp.select(
        exp.alias_(year, PERIOD_YEAR),
        *([exp.alias_(month, PERIOD_MONTH)] if by_month else []),
        exp.alias_(unit, RECORD_UNIT),
        *(exp.column(name, table="source") for name in columns),
    )
    snapshot = scan.key.at == "year_end"
    if snapshot:
        partition = [year.copy(), *([month.copy()] if by_month else []), unit.copy()]
        last = exp.Window(this=exp.Max(this=period.copy()), partition_by=partition)
        select = select.select(exp.alias_(last, "last_date"))
    select = select.from_(aliased(source, "source")).where(
        exp.and_(*_placed_in(period, years, december_only=snapshot and not by_month))
    )
    if snapshot:
        outer = exp.select("*").from_(exp.alias_(exp.Subquery(this=select), "snapshot", table=True))
        return outer.where(
            exp.EQ(this=exp.column(scan.key.period_column), expression=exp.column("last_date"))
        )
    return select


def _placed_in(period: exp.Column, years: tuple[int, int], december_only: bool) -> list[exp.Expr]:
    """Conditions placing a record in ``years`` by its period column (and in December only)."""
    start = exp.cast(exp.Literal.string(f"{years[0] + ROC_EPOCH_OFFSET}-01-01"), "DATE")
    end = exp.cast(exp.Literal.string(f"{years[1] + ROC_EPOCH_OFFSET + 1}-01-01"), "DATE")
    conditions: list[exp.Expr] = [
        exp.GTE(this=period.copy(), expression=start),
        exp.LT(this=period.copy(), expression=end),
    ]
    if december_only:
        december = exp.EQ(this=exp.Month(this=period.copy()), expression=exp.Literal.number(12))
        conditions.append(december)
    return conditions


def aliased(relation: exp.Expr, alias: str) -> exp.Expr:
    """``relation AS alias`` for a table or a table function such as read_parquet(…)."""
    table = relation.copy() if isinstance(relation, exp.Table) else exp.Table(this=relation.copy())
    table.set("alias", exp.TableAlias(this=exp.to_identifier(alias)))
    return table


def columns_needed(scan: Scan, shape: DatasetShape) -> set[str]:
    needed = {scan.key.period_column}
    for named in scan.aggregates:
        for text in (named.aggregate.expression, named.aggregate.filter):
            if text:
                tree = check_expression(text, shape.columns)
                needed |= {column.name for column in tree.find_all(exp.Column)}
    return needed


def aggregate_expression(aggregate: Aggregate, shape: DatasetShape) -> exp.Expr:
    function = aggregate.function
    node: exp.Expr
    if function is AggregateFunction.COUNT or aggregate.expression is None:
        node = exp.Count(this=exp.Star())
        return _filtered(node, aggregate, shape)
    value = check_expression(aggregate.expression, shape.columns)
    if function is AggregateFunction.SUM:
        node = exp.Sum(this=value)
    elif function is AggregateFunction.MEAN:
        node = exp.Avg(this=exp.cast(value, "DOUBLE"))
    elif function is AggregateFunction.MIN:
        node = exp.Min(this=value)
    else:
        node = exp.Max(this=value)
    return _filtered(node, aggregate, shape)


def _filtered(node: exp.Expr, aggregate: Aggregate, shape: DatasetShape) -> exp.Expr:
    condition = _condition(aggregate, shape)
    return (
        exp.Filter(this=node, expression=exp.Where(this=condition))
        if condition is not None
        else node
    )


def _condition(aggregate: Aggregate, shape: DatasetShape) -> exp.Expr | None:
    parts: list[exp.Expr] = []
    if aggregate.filter:
        parts.append(exp.Paren(this=check_expression(aggregate.filter, shape.columns)))
    since = aggregate.since_month
    if aggregate.window is Window.CUMULATIVE and since is not None:
        period = exp.column(aggregate.period_column or shape.period_column)
        parts.append(
            exp.GTE(
                this=period,
                expression=exp.cast(exp.Literal.string(since.first_day.isoformat()), "DATE"),
            )
        )
    if not parts:
        return None
    condition = parts[0]
    for part in parts[1:]:
        condition = exp.And(this=condition, expression=part)
    return condition
