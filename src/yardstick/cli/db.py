"""``yardstick db …``: set up the database, and bring in the files of earlier versions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yardstick.cli.context import ActorOption, PlanOption, acting, open_storage, plan_code
from yardstick.state.accounts import EDIT_PLAN

app = typer.Typer(
    help="The deployment's database: migrate, import legacy data.", no_args_is_help=True
)
console = Console()


@app.command("migrate")
def migrate_command() -> None:
    """Create or update the database's tables (SQLite by default; DATABASE_URL for PostgreSQL)."""
    from yardstick.web.bootstrap import migrate, setup_django

    setup_django()
    applied = migrate()
    from django.db import connection

    where = connection.settings_dict["NAME"]
    if applied:
        console.print(f"{connection.vendor} {where}: applied {len(applied)} migrations")
    else:
        console.print(f"{connection.vendor} {where}: up to date")


@app.command("import-legacy")
def import_legacy_command(
    folder: Annotated[Path, typer.Argument(help="a data folder of earlier versions (var/data)")],
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Move registry.sqlite, elements.sqlite and results.sqlite into the database."""
    storage = open_storage()
    from yardstick.web.legacy import import_legacy

    code = plan_code(storage, plan)
    actor = acting(storage, actor_name)
    actor.require(EDIT_PLAN, code, None, "import legacy data")
    with storage.atomic():
        report = import_legacy(folder, storage.data_dir, code)
        storage.audit.record(
            actor.username, "data.imported", "deployment", str(folder), plan=code,
            new=vars(report), reason="legacy data folder imported",
        )  # fmt: skip
    console.print(
        f"imported {report.batches} batches ({report.events} events; "
        f"{report.skipped_batches} already there), {report.entered_values} entered values, "
        f"{report.computed_values} computed values into plan {code}"
    )
