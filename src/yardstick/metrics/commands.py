"""``yardstick kpi …``: list, check, compute and explain the plan's KPIs."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from yardstick.calendar import parse_year_range
from yardstick.metrics.catalog import check_folder, load_definitions, readable_definitions
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.explain import explain_kpi
from yardstick.metrics.project import DEFAULT_DATA_DIR, DEFAULT_PLAN_DIR, Project
from yardstick.metrics.results import KpiValue

app = typer.Typer(
    help="KPIs computed from records: list, check, compute, explain.", no_args_is_help=True
)
console = Console()

PlanDir = Annotated[
    Path,
    typer.Option(
        "--plan-dir", help="the plan's folder (plan.yaml, metrics/, datasets/, orgunits.yaml)"
    ),
]
DataDir = Annotated[
    Path,
    typer.Option("--data-dir", envvar="YARDSTICK_DATA_DIR", help="where batches and results live"),
]


@app.command("list")
def list_command(plan_dir: PlanDir = DEFAULT_PLAN_DIR) -> None:
    """The plan's KPIs, each with its definition status (kind, or what is wrong)."""
    project = Project(plan_dir, DEFAULT_DATA_DIR)
    folder = plan_dir / "metrics"
    problems: dict[str, list[str]] = {}
    for problem in check_folder(folder, project.contracts, project.plan):
        problems.setdefault(problem.path.stem, []).append(problem.message)
    definitions = readable_definitions(folder)
    table = Table("KPI", "name", "kind", "datasets / elements", "status")
    names = {kpi.code: kpi.name for kpi in project.plan.kpis}
    for code in [*names, *sorted(set(problems) - set(names))]:
        definition = definitions.get(code)
        kind = definition.kind if definition else "—"
        inputs = ", ".join(project.inputs_of(definition)) if definition else ""
        if code in problems:
            status = Text("; ".join(problems[code]), style="red")
        else:
            status = Text(
                "defined" if definition else "no definition", "green" if definition else "red"
            )
        table.add_row(Text(code), Text(names.get(code, "")), kind, Text(inputs), status)
    console.print(table)


@app.command("check")
def check_command(
    folder: Annotated[
        Path, typer.Argument(help="a folder of metric definitions")
    ] = DEFAULT_PLAN_DIR / "metrics",
    plan_dir: PlanDir = DEFAULT_PLAN_DIR,
) -> None:
    """Validate definitions without running them: KPI codes, datasets, columns, expressions, formulas."""
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: not a folder of metric definitions")
    project = Project(plan_dir, DEFAULT_DATA_DIR)
    problems = check_folder(folder, project.contracts, project.plan)
    for problem in problems:
        console.print(problem.report(), markup=False)
    count = len(list(folder.glob("*.yaml")))
    if problems:
        raise DefinitionError(f"{len(problems)} problem(s) in {count} definition(s)")
    console.print(f"{count} definitions checked: all sound")
    load_definitions(folder)


@app.command("compute")
def compute_command(
    year: Annotated[str, typer.Option("--year", help="ROC years, e.g. 106-109 or 109")] = "106-109",
    engine: Annotated[str, typer.Option(help="duckdb (embedded) or postgresql")] = "duckdb",
    fresh: Annotated[
        bool, typer.Option("--fresh", help="recompute everything, ignoring stored values")
    ] = False,
    plan_dir: PlanDir = DEFAULT_PLAN_DIR,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Compute every KPI for every year and org unit; print the ministry's values against targets."""
    project = Project(plan_dir, data_dir)
    years = parse_year_range(year)
    report = project.compute(years, engine=engine, reuse=not fresh)
    console.print(
        values_table(
            project,
            [v for v in report.values if v.org_unit == project.org_units.root.code],
            years.years,
        )
    )
    units = len({v.org_unit for v in report.values})
    console.print(
        f"{len(report.values)} values for {units} org units; recomputed {len(report.recomputed)} (KPI, year), "
        f"reused {len(report.reused)}; stored in {project.store.path}",
        markup=False,
    )


@app.command("explain")
def explain_command(
    kpi: Annotated[str, typer.Argument(help="KPI code, e.g. 8-1")],
    year: Annotated[int, typer.Option("--year", help="ROC year")] = 109,
    org_unit: Annotated[
        str | None, typer.Option("--org-unit", help="org unit code (default: the ministry)")
    ] = None,
    dialect: Annotated[
        str, typer.Option(help="SQL dialect to show: duckdb or postgres (the engines' own)")
    ] = "duckdb",
    plan_dir: PlanDir = DEFAULT_PLAN_DIR,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Where a number comes from: 衡量標準, definition, SQL, batches, inputs and sample records."""
    project = Project(plan_dir, data_dir)
    explain_kpi(project, kpi, year, org_unit or project.org_units.root.code, dialect, console)


@app.command("enter")
def enter_command(
    element: Annotated[
        str, typer.Argument(help="a data element, e.g. community_service_satisfaction")
    ],
    year: Annotated[int, typer.Option("--year", help="ROC year")],
    value: Annotated[float, typer.Option("--value", help="the value, in the element's unit")],
    entered_by: Annotated[str, typer.Option("--entered-by", help="who entered it")],
    approved_by: Annotated[
        str | None,
        typer.Option("--approved-by", help="who approved it (unapproved values are not used)"),
    ] = None,
    org_unit: Annotated[
        str | None,
        typer.Option(
            "--org-unit", help="org unit code (default, and the only one allowed: the element's)"
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="a note kept with the value")] = None,
    plan_dir: PlanDir = DEFAULT_PLAN_DIR,
    data_dir: DataDir = DEFAULT_DATA_DIR,
) -> None:
    """Enter a value of a data element (a survey result, milestone progress) for a year."""
    from yardstick.datasets.contract import DataElement
    from yardstick.metrics.elements import ElementStore

    project = Project(plan_dir, data_dir)
    declared = project.contracts.get(element)
    if not isinstance(declared, DataElement):
        elements = [name for name, c in project.contracts.items() if isinstance(c, DataElement)]
        raise DefinitionError(f"no data element {element!r}; declared: {', '.join(elements)}")
    unit = project.org_units.get(org_unit or declared.org_unit).code
    stored = ElementStore(data_dir).enter(
        declared, year, unit, value, entered_by, approved_by, note
    )
    state = f"approved by {approved_by}" if approved_by else "not approved: KPIs will not use it"
    console.print(
        f"{stored.element} {year}年 {unit}: {value:g}{declared.unit} entered by {entered_by}, {state}",
        markup=False,
    )


def values_table(project: Project, values: list[KpiValue], years: list[int]) -> Table:
    """KPI × ROC year: value, target, met or not."""
    table = Table(
        "KPI",
        "name",
        *(f"{y}年" for y in years),
        "目標值",
        title=f"{project.plan.ministry or ''} KPI values",
    )
    by_key = {(v.kpi, v.year): v for v in values}
    for kpi in project.plan.kpis:
        cells = []
        for y in years:
            value = by_key.get((kpi.code, y))
            cells.append(_cell(value, kpi.target_for(y)) if value else "[dim]—")
        targets = "；".join(f"{t.year}: {t.text}" for t in kpi.targets)
        table.add_row(Text(kpi.code), Text(kpi.name), *cells, Text(targets))
    return table


def _cell(value: KpiValue, target: object) -> str:
    from yardstick.plan.model import Direction, Target

    if value.value is None:
        return f"[yellow]cannot compute[/] [dim]{escape(value.reason or '')}"
    shown = escape(value.shown())
    if not isinstance(target, Target):
        return shown
    met = (
        value.value >= target.value
        if target.direction is Direction.AT_LEAST
        else value.value <= target.value
    )
    return f"[green]{shown} ✓" if met else f"[red]{shown} ✗"
