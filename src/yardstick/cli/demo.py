"""``yardstick demo …``: realistic MOJ operational data for trying yardstick out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yardstick.actions.batches import ingest_batch
from yardstick.actions.values import approve_value, enter_value
from yardstick.cli.context import ActorOption, PlanOption, acting, open_project, open_storage
from yardstick.datasets.contract import Contract, DataElement
from yardstick.datasets.ingest import IngestResult
from yardstick.demo.generate import REGENERATED, GeneratedFile, demo_org_unit, generate
from yardstick.metrics.project import Project
from yardstick.state.accounts import Actor
from yardstick.state.storage import Storage

app = typer.Typer(
    help="Demo data: realistic MOJ record sets, generated and ingested.", no_args_is_help=True
)
console = Console()


class DatabaseSink:
    """The generated records and values go in through the same actions people use."""

    def __init__(self, storage: Storage, project: Project, officer: Actor, reviewer: Actor) -> None:
        self.storage, self.project = storage, project
        self.officer, self.reviewer = officer, reviewer

    def ingest(self, contract: Contract, path: Path) -> IngestResult:
        earlier = tuple(
            batch.id
            for batch in self.storage.registry.active_batches(contract.name)
            if batch.ingested_by == self.officer.username
        )
        return ingest_batch(
            self.storage,
            self.officer,
            self.project,
            contract.name,
            path,
            org_unit=demo_org_unit(contract.name, self.project.org_units),
            replaces=earlier,
            reason=REGENERATED if earlier else "",
        )

    def entered(self) -> set[tuple[str, int, str]]:
        return set(self.project.elements.approved())

    def enter(self, element: DataElement, year: int, value: float) -> None:
        enter_value(
            self.storage, self.officer, self.project, element.name, year, value, note="demo data"
        )
        approve_value(self.storage, self.reviewer, self.project, element.name, year)


@app.command("generate")
def generate_command(
    scale: Annotated[
        float, typer.Option(help="size of the big record sets; 1 = national volume")
    ] = 0.02,
    seed: Annotated[int, typer.Option(help="same seed, same files")] = 106,
    out: Annotated[Path, typer.Option(help="where the generated files go")] = Path("var/demo"),
    ingest: Annotated[
        bool, typer.Option("--ingest/--no-ingest", help="ingest the files as batches")
    ] = True,
    reviewer: Annotated[
        str, typer.Option(help="the account approving the entered survey values")
    ] = "reviewer",
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Generate every record set the MOJ KPIs need (ROC 106–109; the ledger from 97) and ingest
    them as the acting account; survey values are entered by it and approved by ``--reviewer``."""
    storage = open_storage()
    project = open_project(storage, plan)
    sink = None
    if ingest:
        sink = DatabaseSink(
            storage, project, acting(storage, actor_name), storage.accounts.actor(reviewer)
        )

    def report(generated: GeneratedFile) -> None:
        result = generated.ingest
        ingested = (
            ""
            if result is None
            else f" → batch {result.batch.id if result.batch else '—'} ({result.status.value}, {result.rows_quarantined} quarantined)"
        )
        console.print(
            f"{generated.dataset:28} {generated.rows:>10,} rows {generated.seconds:6.1f} s{ingested}"
        )

    generate(out, scale, seed, project.contracts, project.org_units, report=report, sink=sink)


@app.command("accounts")
def accounts_command(
    plan_folder: Annotated[
        Path, typer.Option("--plan-folder", help="the plan folder whose org units the roles need")
    ] = Path("plans/moj-106-109"),
    secrets_file: Annotated[
        Path, typer.Option("--secrets-file", help="where the generated passwords are kept (0600)")
    ] = Path("var/demo-accounts.json"),
) -> None:
    """One demo account per role, with generated passwords (kept in var/, never in the repo)."""
    from rich.table import Table

    from yardstick.datasets.orgunits import load_org_units
    from yardstick.metrics.bundle import ORG_UNITS_FILE
    from yardstick.web.accounts.demo import ensure_demo_accounts

    storage = open_storage()
    units = load_org_units(plan_folder / ORG_UNITS_FILE)
    with storage.atomic():
        storage.org_units.merge(list(units), "setup", "org units of the demo plan")
        made = ensure_demo_accounts(storage.accounts, secrets_file, "setup")
    table = Table("account", "password", "role", "org unit", title="demo accounts")
    for account in made:
        table.add_row(
            account.username, account.password, account.description, account.org_unit or "all"
        )
    console.print(table)
    console.print(f"(passwords kept in {secrets_file}, readable by you only)")
