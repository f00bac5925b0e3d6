"""``yardstick plan load / dump / versions / target``: plans in the database.

The other ``plan`` commands (import, show, export, diff) work on files and live with the plan
part; these are mounted on the same command group.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from yardstick.actions.plans import dump_plan_folder, edit_target, load_plan_folder
from yardstick.cli.context import ActorOption, PlanOption, acting, open_storage, plan_code

console = Console()


def load_command(
    folder: Annotated[
        Path,
        typer.Argument(
            help="a plan folder (plan.yaml, metrics/, datasets/, orgunits.yaml)", file_okay=False
        ),
    ],
    code: Annotated[
        str | None, typer.Option("--code", help="the plan's code (default: the folder's name)")
    ] = None,
    reason: Annotated[
        str, typer.Option(help="why this version is stored")
    ] = "loaded from a plan folder",
    document: Annotated[
        Path | None,
        typer.Option(help="the published document the plan was imported from", dir_okay=False),
    ] = None,
    if_absent: Annotated[
        bool, typer.Option("--if-absent", help="leave a plan already stored as it is")
    ] = False,
    actor_name: ActorOption = None,
) -> None:
    """Store a plan folder as the plan's next version (nothing when its content is unchanged)."""
    storage = open_storage()
    actor = acting(storage, actor_name)
    text = document.read_text(encoding="utf-8") if document else None
    version, changed = load_plan_folder(
        storage, actor, folder, code=code, reason=reason, document=text, only_if_absent=if_absent
    )
    state = "stored" if changed else "unchanged"
    console.print(
        f"plan {version.plan} version {version.number} ({state}; sha256 {version.sha256[:12]}…)"
    )


def dump_command(
    folder: Annotated[Path, typer.Argument(help="where to write the plan folder", file_okay=False)],
    plan: PlanOption = None,
    version: Annotated[
        int | None, typer.Option(help="a stored version (default: the current one)")
    ] = None,
) -> None:
    """Write a stored version back as a plan folder (the interchange form)."""
    storage = open_storage()
    written = dump_plan_folder(storage, plan_code(storage, plan), folder, version)
    console.print(f"{folder}: {len(written)} files")


def versions_command(plan: PlanOption = None) -> None:
    """A plan's versions: number, when, who, why, content hash."""
    storage = open_storage()
    code = plan_code(storage, plan)
    table = Table("version", "stored", "by", "reason", "sha256", title=f"plan {code}")
    for version in storage.plans.versions(code):
        table.add_row(
            str(version.number),
            f"{version.created_at:%Y-%m-%d %H:%M}",
            version.author,
            version.reason,
            version.sha256[:12],
        )
    console.print(table)


def target_command(
    kpi: Annotated[str, typer.Argument(help="KPI code, e.g. 8-1")],
    year: Annotated[int, typer.Option("--year", help="ROC year")],
    text: Annotated[
        str, typer.Option("--target", help="the target as the plan prints it, e.g. 27%以上")
    ],
    reason: Annotated[str, typer.Option(help="why the target changes")],
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Set a KPI's target for a year (a new plan version, audited)."""
    storage = open_storage()
    actor = acting(storage, actor_name)
    version = edit_target(storage, actor, plan_code(storage, plan), kpi, year, text, reason)
    console.print(f"{kpi} {year}年 target {text}: plan {version.plan} version {version.number}")
