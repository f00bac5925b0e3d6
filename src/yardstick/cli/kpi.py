"""``yardstick kpi …``: list, check, compute and explain a stored plan's KPIs; enter and approve
the values of data elements."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from yardstick.actions.values import approve_value, enter_value
from yardstick.calendar import parse_year_range
from yardstick.cli.context import ActorOption, PlanOption, acting, open_project, open_storage
from yardstick.datasets.contract import DataElement
from yardstick.metrics.bundle import PlanBundle
from yardstick.metrics.catalog import check_definition, check_folder
from yardstick.metrics.errors import DefinitionError
from yardstick.metrics.explain import explain_kpi
from yardstick.metrics.project import Project, default_engine
from yardstick.metrics.results import KpiValue

app = typer.Typer(
    help="KPIs computed from records: list, check, compute, explain; enter and approve values.",
    no_args_is_help=True,
)
console = Console()


@app.command("list")
def list_command(plan: PlanOption = None) -> None:
    """The plan's KPIs, each with its definition status (kind, or what is wrong)."""
    project = open_project(open_storage(), plan)
    stored = project.bundle.definitions  # as stored: a definition with problems is listed too
    names = {kpi.code: kpi.name for kpi in project.plan.kpis}
    table = Table("KPI", "name", "kind", "datasets / elements", "status")
    for code in [*names, *(code for code in stored if code not in names)]:
        definition = stored.get(code)
        if definition is None:
            table.add_row(Text(code), Text(names[code]), "—", "", Text("not yet defined", "red"))
            continue
        problems = [
            f.message for f in check_definition(definition, project.contracts, project.plan)
        ]
        status = Text("; ".join(problems), style="red") if problems else Text("defined", "green")
        inputs = ", ".join(project.inputs_of(definition))
        table.add_row(Text(code), Text(names.get(code, "")), definition.kind, Text(inputs), status)
    console.print(table)


@app.command("check")
def check_command(
    folder: Annotated[
        Path | None,
        typer.Argument(
            help="a plan folder's metrics/ to check before it is loaded (default: the stored plan)"
        ),
    ] = None,
    plan: PlanOption = None,
) -> None:
    """Validate definitions without running them: KPI codes, datasets, columns, expressions, formulas."""
    if folder is not None:
        _check_folder(folder)
        return
    project = open_project(open_storage(), plan)
    stored = project.bundle.definitions  # as stored: project.definitions refuses any problem
    problems = [
        f"{code}: {fault.message}" + (f"\n{fault.pointer}" if fault.pointer else "")
        for code, definition in stored.items()
        for fault in check_definition(definition, project.contracts, project.plan)
    ]
    for problem in problems:
        console.print(problem, markup=False)
    count = len(stored)
    if problems:
        raise DefinitionError(f"{len(problems)} problem(s) in {count} definition(s)")
    console.print(f"{count} definitions of plan {project.code} checked: all sound")


def _check_folder(folder: Path) -> None:
    """A folder of definitions, against the contracts and plan of the plan folder it sits in."""
    if not folder.is_dir():
        raise DefinitionError(f"{folder}: not a folder of metric definitions")
    bundle = PlanBundle.read_folder(folder.parent, definitions=False)
    problems = check_folder(folder, bundle.contracts, bundle.plan)
    for problem in problems:
        console.print(problem.report(), markup=False)
    count = len(list(folder.glob("*.yaml")))
    if problems:
        raise DefinitionError(f"{len(problems)} problem(s) in {count} definition(s)")
    console.print(f"{count} definitions checked: all sound")


@app.command("compute")
def compute_command(
    year: Annotated[str, typer.Option("--year", help="ROC years, e.g. 106-109 or 109")] = "106-109",
    engine: Annotated[
        str | None,
        typer.Option(
            help="duckdb (embedded), postgresql or spark (YARDSTICK_SPARK_MASTER); "
            "default: YARDSTICK_ENGINE, else duckdb"
        ),
    ] = None,
    fresh: Annotated[
        bool, typer.Option("--fresh", help="recompute everything, ignoring stored values")
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Compute every KPI for every year and org unit; print the ministry's values against targets
    (and store the year-to-date months of the record-based KPIs for the site's projections)."""
    project = open_project(open_storage(), plan)
    from yardstick.web.dashboard.months import refresh_months

    years = parse_year_range(year)
    engine = engine or default_engine()
    report = project.compute(years, engine=engine, reuse=not fresh)
    months = refresh_months(project, engine)
    console.print(
        values_table(
            project,
            [v for v in report.values if v.org_unit == project.org_units.root.code],
            years.years,
        )
    )
    units = len({v.org_unit for v in report.values})
    console.print(
        f"{len(report.values)} values for {units} org units; recomputed {len(report.recomputed)} (KPI, year) on {engine}, "
        f"reused {len(report.reused)}; stored for plan {project.code}"
        + (f" (with the months of {len(months)} (KPI, year))" if months else ""),
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
        str, typer.Option(help="SQL dialect to show: duckdb, postgres or spark (the engines' own)")
    ] = "duckdb",
    plan: PlanOption = None,
) -> None:
    """Where a number comes from: 衡量標準, definition, SQL, batches, inputs and sample records."""
    project = open_project(open_storage(), plan)
    explain_kpi(project, kpi, year, org_unit or project.org_units.root.code, dialect, console)


@app.command("enter")
def enter_command(
    element: Annotated[
        str, typer.Argument(help="a data element, e.g. community_service_satisfaction")
    ],
    year: Annotated[int, typer.Option("--year", help="ROC year")],
    value: Annotated[float, typer.Option("--value", help="the value, in the element's unit")],
    org_unit: Annotated[
        str | None,
        typer.Option(
            "--org-unit", help="org unit code (default, and the only one allowed: the element's)"
        ),
    ] = None,
    note: Annotated[str | None, typer.Option(help="a note kept with the value")] = None,
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Enter a value of a data element (a survey result, milestone progress) for a year; KPIs
    use it once another person approves it (`yardstick kpi approve`)."""
    storage = open_storage()
    project = open_project(storage, plan)
    actor = acting(storage, actor_name)
    stored = enter_value(
        storage, actor, project, element, year, value, org_unit=org_unit, note=note
    )
    console.print(
        f"{stored.element} {year}年 {stored.org_unit}: {value:g}{_unit(project, element)} "
        f"entered by {actor.username}, waiting for approval (KPIs use approved values only)",
        markup=False,
    )


@app.command("approve")
def approve_command(
    element: Annotated[str, typer.Argument(help="a data element")],
    year: Annotated[int, typer.Option("--year", help="ROC year")],
    org_unit: Annotated[
        str | None, typer.Option("--org-unit", help="org unit code (default: the element's)")
    ] = None,
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Approve the newest value entered for the element and year (never one you entered)."""
    storage = open_storage()
    project = open_project(storage, plan)
    actor = acting(storage, actor_name)
    approved = approve_value(storage, actor, project, element, year, org_unit=org_unit)
    console.print(
        f"{approved.element} {year}年 {approved.org_unit}: "
        f"{approved.value:g}{_unit(project, element)} entered by {approved.entered_by}, "
        f"approved by {actor.username}; its KPIs are queued for recompute",
        markup=False,
    )


def _unit(project: Project, element: str) -> str:
    """The element's declared unit (``%``, ``分``), shown after its value."""
    declared = project.contracts.get(element)
    return declared.unit if isinstance(declared, DataElement) else ""


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
