"""``yardstick plan …``: import the published document, show, export and compare plans."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.tree import Tree

from yardstick.plan.diff import plan_differences
from yardstick.plan.document import read_document
from yardstick.plan.exports import FORMATS, export_plan
from yardstick.plan.model import Plan
from yardstick.plan.review import keep_reviews
from yardstick.plan.yamlio import dump_plan, load_plan, save_plan

app = typer.Typer(
    help="The plan as data: import the published document, show, export.", no_args_is_help=True
)
console = Console()
err_console = Console(stderr=True)


@app.command("import")
def import_command(
    document: Annotated[
        Path,
        typer.Argument(
            help="the published plan document (text: UTF-8 or Big5)", exists=True, dir_okay=False
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="plan.yaml to write (default: print)")
    ] = None,
    ministry: Annotated[str | None, typer.Option(help="the ministry, e.g. 法務部")] = None,
    period: Annotated[
        str | None,
        typer.Option(
            help="the plan's ROC years, e.g. 106-109 (default: four years ending with the last target year)"
        ),
    ] = None,
    reviews_from: Annotated[
        Path | None,
        typer.Option(
            "--keep-reviews",
            help="an earlier plan.yaml whose reviewed target directions are carried over",
        ),
    ] = None,
) -> None:
    """Import a published plan document into plan.yaml; every line is placed or the import fails."""
    plan = read_document(document, ministry=ministry, period=period)
    if reviews_from is not None and reviews_from.exists():
        plan, dropped = keep_reviews(plan, load_plan(reviews_from))
        for review in dropped:
            err_console.print(
                f"[yellow]review of {review.kpi} ({review.year}) not kept: {review.reason}"
            )
    if output is None:
        console.out(dump_plan(plan), end="")
        return
    save_plan(plan, output)
    err_console.print(f"wrote {output}: {_counts(plan)}")


@app.command("show")
def show_command(
    plan_file: Annotated[Path, typer.Argument(help="plan.yaml")],
) -> None:
    """Show the plan as a tree: headings → strategic goals → KPIs (targets) → programmes."""
    plan = load_plan(plan_file)
    console.print(plan_tree(plan))
    console.print(_counts(plan))


@app.command("export")
def export_command(
    plan_file: Annotated[Path, typer.Argument(help="plan.yaml")],
    format_name: Annotated[
        str, typer.Option("--format", "-f", help=f"one of: {', '.join(FORMATS)}")
    ] = "md",
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="file to write (default: stdout, text formats only)"),
    ] = None,
) -> None:
    """Export the plan as Markdown, JSON, XLSX or the published document layout."""
    data = export_plan(load_plan(plan_file), format_name)
    if output is None:
        if format_name == "xlsx":
            raise typer.BadParameter("xlsx needs -o FILE", param_hint="--output")
        console.out(data.decode("utf-8"), end="")
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(data)
    err_console.print(f"wrote {output}")


@app.command("diff")
def diff_command(
    old: Annotated[Path, typer.Argument(help="a plan.yaml")],
    new: Annotated[Path, typer.Argument(help="another plan.yaml")],
) -> None:
    """List the fields in which two plans differ (exit 1 if they differ)."""
    differences = plan_differences(load_plan(old), load_plan(new))
    for path, before, after in differences:
        console.print(f"{path}: {before!r} → {after!r}", markup=False)
    if differences:
        raise typer.Exit(1)
    console.print("the plans are the same")


def _counts(plan: Plan) -> str:
    return (
        f"{len(plan.outline)} policy headings, {len(plan.goals)} strategic goals, "
        f"{len(plan.kpis)} KPIs, {len(plan.programmes)} programmes, "
        f"{len(plan.evaluation_mechanisms)} evaluation mechanism codes"
    )


def plan_tree(plan: Plan) -> Tree:
    """Headings → goals → KPIs with targets → programmes; programmes linked to no KPI under their heading."""
    title = f"{plan.ministry or ''}中程施政計畫 {plan.start_year}–{plan.end_year}年度"
    tree = Tree(f"[bold]{title}")
    placed: set[int] = set()
    for heading in plan.outline:
        branch = tree.add(f"[bold]{heading.label}{heading.text}")
        for goal in plan.goals:
            if goal.outline_item and goal.outline_item.split("/")[0] == heading.number:
                _add_goal(branch, plan, goal.number, placed)
        for programme in plan.programmes:
            if not programme.kpis and programme.outline_heading == heading.text:
                branch.add(
                    f"[dim]計畫 {programme.name}（{programme.period}，{programme.category.value}，未連結 KPI）"
                )
    loose = [goal for goal in plan.goals if goal.number not in placed]
    if loose:
        branch = tree.add("[bold]未對應施政綱要的目標")
        for goal in loose:
            _add_goal(branch, plan, goal.number, placed)
    return tree


def _add_goal(branch: Tree, plan: Plan, number: int, placed: set[int]) -> None:
    goal = plan.goal(number)
    placed.add(number)
    goal_branch = branch.add(f"[cyan]目標 {goal.number} {goal.name}")
    for kpi in plan.kpis_of(goal):
        targets = "；".join(
            f"{t.year}年度 {t.text}（{'≥' if t.direction.value == 'at_least' else '≤'}）"
            for t in kpi.targets
        )
        kpi_branch = goal_branch.add(f"[green]KPI {kpi.code} {kpi.name}[/]  目標值 {targets}")
        for programme in plan.programmes_of(kpi):
            kpi_branch.add(
                f"[dim]計畫 {programme.name}（{programme.period}，{programme.category.value}）"
            )
