"""``kpi explain``: where does this number come from?

Shows the KPI's 衡量標準 as published, the definition with its interpretation, the compiled SQL
(in the dialect of one of the engines: SQL no test runs is not offered), the batches used (id, file, checksum, rows), the named inputs
(numerator and denominator for a ratio) and a handful of the records that contribute.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text
from sqlglot import exp

from yardstick.calendar import ROC_EPOCH_OFFSET, YearRange
from yardstick.datasets.contract import Contract
from yardstick.metrics.catalog import COMPUTED, shape_of
from yardstick.metrics.compiler import aliased, compile_scan, plan_scans
from yardstick.metrics.definition import Aggregate, ComputedDefinition
from yardstick.metrics.engines import QueryFailed
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.engines.rendering import render
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.results import KpiValue

if TYPE_CHECKING:
    from yardstick.metrics.project import Project

SAMPLE_ROWS = 5


def explain_kpi(
    project: Project, code: str, year: int, org_unit: str, dialect: str, console: Console
) -> None:
    """Print the explanation of one KPI value."""
    from yardstick.metrics.project import DIALECTS

    if dialect not in DIALECTS:
        raise DefinitionError(
            f"no SQL for the dialect {dialect!r}; offered: {', '.join(DIALECTS)} "
            "(the dialects of the engines, whose SQL the tests run)"
        )
    try:
        kpi, definition = project.plan.kpi(code), project.definitions[code]
    except KeyError:
        raise DefinitionError(f"no KPI {code!r} with a definition in plan {project.code}") from None
    console.print(
        Panel(
            escape(kpi.measurement_standard), title=escape(f"KPI {kpi.code} {kpi.name} — 衡量標準")
        )
    )
    source = project.bundle.definition_text(code)
    console.print(Syntax(source or "", "yaml", word_wrap=True))
    report = project.compute(YearRange(year, year), kpis=[code])
    value = next((v for v in report.values if v.org_unit == org_unit), None)
    if value is None:
        console.print(
            f"no value for {org_unit} in {year}年 (the unit has no records for this KPI)",
            markup=False,
        )
        return
    _print_value(value, console)
    if isinstance(definition, COMPUTED):
        _print_sql(project, definition, year, dialect, console)
        for name, aggregate in definition.aggregates().items():
            _print_sample(project, name, aggregate, year, org_unit, console)


def _print_value(value: KpiValue, console: Console) -> None:
    table = Table(
        "input",
        "value",
        title=escape(f"{value.kpi} {value.year}年 {value.org_unit}: {value.shown()}"),
    )
    for name, number in value.inputs.items():
        table.add_row(
            Text(name), "—" if number is None else f"{number:,.4f}".rstrip("0").rstrip(".")
        )
    console.print(table)
    if value.lineage is None:
        return
    lineage = value.lineage
    console.print(
        f"definition v{lineage.definition_version} ({lineage.definition_hash}), engine {lineage.engine}, formula {lineage.formula}, computed {lineage.computed_at}",
        markup=False,
    )
    batches = Table("dataset", "batch", "file", "checksum", "rows", title="batches used")
    for batch in lineage.batches:
        batches.add_row(
            batch.dataset,
            batch.batch_id,
            Text(batch.source),
            batch.checksum[:23],
            f"{batch.rows:,}",
        )
    console.print(batches)


def _print_sql(
    project: Project, definition: ComputedDefinition, year: int, dialect: str, console: Console
) -> None:
    """The scans compiled for ``dialect`` over tables named after the datasets."""
    shapes = {
        name: shape_of(c)
        for name, c in project.contracts.items()
        if name in _datasets(definition) and isinstance(c, Contract)
    }
    triples = [(definition.kpi, name, agg) for name, agg in definition.aggregates().items()]
    for scan in plan_scans(triples, shapes):
        query = compile_scan(
            scan,
            shapes[scan.key.dataset],
            exp.to_table(scan.key.dataset),
            exp.to_table("unit_paths"),
            project.org_units.depth,
            (year, year),
        )
        console.print(Syntax(render(query, dialect, pretty=True), "sql", word_wrap=True))


def _datasets(definition: ComputedDefinition) -> set[str]:
    return {aggregate.dataset for aggregate in definition.aggregates().values()}


def _print_sample(
    project: Project, name: str, aggregate: Aggregate, year: int, org_unit: str, console: Console
) -> None:
    """A handful of records that count towards one input, for the year and the unit's subtree."""
    contract = project.contracts[aggregate.dataset]
    batches = project.active_batches().get(aggregate.dataset, [])
    if not batches:
        return
    if not isinstance(contract, Contract):
        return
    shape = shape_of(contract)
    period = exp.column(aggregate.period_column or shape.period_column)
    condition: exp.Expr = exp.EQ(
        this=exp.Year(this=period), expression=exp.Literal.number(year + ROC_EPOCH_OFFSET)
    )
    if aggregate.window.value == "cumulative":
        condition = exp.LTE(
            this=exp.Year(this=period.copy()),
            expression=exp.Literal.number(year + ROC_EPOCH_OFFSET),
        )
    if aggregate.filter:
        condition = exp.and_(
            condition, exp.Paren(this=check_expression(aggregate.filter, shape.columns))
        )
    units = [exp.Literal.string(code) for code in project.org_units.subtree_codes(org_unit)]
    condition = exp.and_(condition, exp.column(shape.org_unit_column).isin(*units))
    engine = DuckDBEngine({aggregate.dataset: batches}, [])
    try:
        columns = list(shape.columns)
        query = (
            exp.select(*(exp.column(column, quoted=True) for column in columns))
            .from_(aliased(engine.source(aggregate.dataset), "source"))
            .where(condition)
            .limit(SAMPLE_ROWS)
        )
        rows = engine.fetch(query)
    except QueryFailed as failure:
        console.print(f"sample records of {name} cannot be shown: {failure.reason}", markup=False)
        return
    finally:
        engine.close()
    table = Table(*columns, title=f"sample records counted in {name}")
    for row in rows:
        table.add_row(*(Text("" if cell is None else str(cell)) for cell in row))
    console.print(table)
