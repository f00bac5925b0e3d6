"""``yardstick plan …``: import the published document, show, export and compare plans."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.tree import Tree

from yardstick.plan.diff import plan_differences
from yardstick.plan.document import read_document
from yardstick.plan.errors import PlanFileError
from yardstick.plan.exports import FORMATS, export_plan
from yardstick.plan.model import (
    UNREVIEWED_MARK,
    UNREVIEWED_NOTE,
    DirectionSource,
    Plan,
    Target,
)
from yardstick.plan.review import keep_reviews, unreviewed_directions
from yardstick.plan.targets import name_word
from yardstick.plan.yamlio import dump_plan, load_plan, save_plan

HOW_TO_REVIEW = "複核：於 plan.yaml 設 direction_source: reviewed，並以 note 說明理由。"

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
                f"[yellow]review of {review.kpi} ({review.year}) not kept: {escape(review.reason)}"
            )
    _print_guessed_directions(plan)
    if output is None:
        console.out(dump_plan(plan), end="")
        return
    _write(output, lambda: save_plan(plan, output))
    err_console.print(f"wrote {escape(str(output))}: {_counts(plan)}")


def _print_guessed_directions(plan: Plan) -> None:
    """Say which directions the import guessed, so that they are reviewed before use."""
    guessed = unreviewed_directions(plan)
    if not guessed:
        return
    err_console.print(
        f"[yellow]{len(guessed)} target(s) have a direction their wording does not state; "
        "review each in plan.yaml (direction_source: reviewed, with a note):",
        soft_wrap=True,
    )
    for kpi, target in guessed:
        why = (
            f"suggested by the name ({name_word(kpi.name)})"
            if target.direction_source is DirectionSource.NAME
            else "the default"
        )
        err_console.print(
            f"  {kpi.code} {kpi.name} {target.year}年度 {target.text}: "
            f"{target.direction.zh}（{target.direction.reading}）, {why}",
            markup=False,
            soft_wrap=True,
        )


def _write(path: Path, write: Callable[[], None]) -> None:
    """Run ``write``; a path that cannot be written is the user's to fix, not a traceback."""
    try:
        write()
    except OSError as failure:
        raise PlanFileError(f"{path}: cannot write: {failure.strerror}") from None


@app.command("show")
def show_command(
    plan_file: Annotated[Path, typer.Argument(help="plan.yaml")],
) -> None:
    """Show the plan as a tree: headings → strategic goals → KPIs (targets) → programmes."""
    plan = load_plan(plan_file)
    console.print(plan_tree(plan))
    if unreviewed_directions(plan):
        console.print(f"{UNREVIEWED_MARK} {UNREVIEWED_NOTE}{HOW_TO_REVIEW}", markup=False)
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
    _write(output, lambda: _write_bytes(output, data))
    err_console.print(f"wrote {escape(str(output))}")


def _write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


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
    tree = Tree(f"[bold]{escape(title)}")
    placed: set[int] = set()
    for heading in plan.outline:
        branch = tree.add(f"[bold]{escape(heading.label + heading.text)}")
        for goal in plan.goals:
            if goal.outline_item and goal.outline_item.split("/")[0] == heading.number:
                _add_goal(branch, plan, goal.number, placed)
        for programme in plan.programmes:
            if not programme.kpis and programme.outline_heading == heading.text:
                branch.add(
                    f"[dim]計畫 {escape(programme.name)}（{programme.period}，{programme.category.value}，未連結 KPI）"
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
    goal_branch = branch.add(f"[cyan]目標 {goal.number} {escape(goal.name)}")
    for kpi in plan.kpis_of(goal):
        targets = "；".join(_target_shown(target) for target in kpi.targets)
        kpi_branch = goal_branch.add(
            f"[green]KPI {kpi.code} {escape(kpi.name)}[/]  目標值 {escape(targets)}"
        )
        for programme in plan.programmes_of(kpi):
            kpi_branch.add(
                f"[dim]計畫 {escape(programme.name)}（{programme.period}，{programme.category.value}）"
            )


def _target_shown(target: Target) -> str:
    """``109年度 50.5日（以下，越低越好）※``: the direction as users read it, marked if guessed."""
    mark = UNREVIEWED_MARK if target.direction_unreviewed else ""
    return (
        f"{target.year}年度 {target.text}"
        f"（{target.direction.zh}，{target.direction.reading}）{mark}"
    )
