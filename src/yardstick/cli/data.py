"""``yardstick data …``: list contracts, ingest files into batches, list and withdraw batches."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from yardstick.actions.batches import ingest_batch, withdraw_batch
from yardstick.cli.context import ActorOption, PlanOption, acting, open_project, open_storage
from yardstick.datasets.contract import Contract
from yardstick.datasets.errors import StrictModeRefusal
from yardstick.datasets.ingest import IngestResult, IngestStatus
from yardstick.datasets.progress import Progress as ProgressCallback
from yardstick.datasets.registry import Batch, BatchRegistry, BatchStatus

app = typer.Typer(
    help="Operational data: contracts, validated ingest into batches, the batch registry.",
    no_args_is_help=True,
)
console = Console()
err_console = Console(stderr=True)

SHOWN_FAULTS = 10


def _table(*headers: str) -> Table:
    """A table whose cells wrap rather than cut (ids and names must stay whole)."""
    table = Table()
    for header in headers:
        table.add_column(header, overflow="fold")
    return table


@app.command("contracts")
def contracts_command(plan: PlanOption = None) -> None:
    """List the data contracts (資料集) and data elements of a plan."""
    table = _table("name", "kind", "v", "title", "KPIs", "columns / unit")
    for contract in open_project(open_storage(), plan).contracts.values():
        shape = str(len(contract.columns)) if isinstance(contract, Contract) else contract.unit
        table.add_row(
            contract.name,
            contract.kind,
            str(contract.version),
            f"{contract.title_zh} {contract.title_en}",
            " ".join(contract.kpis),
            shape,
        )
    console.print(table)


@app.command("ingest")
def ingest_command(
    dataset: Annotated[str, typer.Argument(help="the contract's name, e.g. enforcement_cases")],
    file: Annotated[
        Path, typer.Argument(help="CSV (UTF-8 or Big5), XLSX or Parquet", dir_okay=False)
    ],
    org_unit: Annotated[
        str | None, typer.Option("--org-unit", help="code of the org unit the file is for")
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="refuse the whole file if any row is bad")
    ] = False,
    encoding: Annotated[
        str, typer.Option(help="text encoding of a CSV: auto, utf-8 or big5")
    ] = "auto",
    replaces: Annotated[
        list[str] | None,
        typer.Option(
            "--replaces",
            help="id of an active batch this file corrects (repeatable): withdrawn when the "
            "file is registered; only these may hold the file's keys",
        ),
    ] = None,
    reason: Annotated[
        str, typer.Option(help="why the batches named by --replaces are replaced")
    ] = "",
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Validate a file against its contract and store it as a batch, quarantining bad rows.

    A file whose keys are already in an active batch of the dataset is refused, unless it
    replaces that batch (--replaces ID --reason "...").
    """
    storage = open_storage()
    project = open_project(storage, plan)
    actor = acting(storage, actor_name)
    with _progress_bar() as progress:
        try:
            result = ingest_batch(
                storage,
                actor,
                project,
                dataset,
                file,
                org_unit=org_unit,
                strict=strict,
                encoding=encoding,
                progress=progress,
                replaces=tuple(replaces or ()),
                reason=reason,
            )
        except StrictModeRefusal as refusal:
            _print_faults(refusal.result)
            raise
    _print_result(result)
    if replaces and result.status is IngestStatus.INGESTED:
        console.print(f"replaced (now withdrawn): {', '.join(dict.fromkeys(replaces))}")


@contextmanager
def _progress_bar() -> Iterator[ProgressCallback]:
    columns = (TextColumn("{task.description:<9}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task("checksum", total=1.0)

        def report(stage: str, fraction: float) -> None:
            bar.update(task, description=stage, completed=fraction)

        yield report


def _print_result(result: IngestResult) -> None:
    batch = result.batch
    assert batch is not None
    if result.status is IngestStatus.ALREADY_INGESTED:
        console.print(
            f"already ingested: batch {batch.id} ({batch.status}) holds this file "
            f"(sha256 {result.checksum[:12]}…); nothing changed"
        )
        return
    console.print(f"rows accepted: {result.rows_accepted:,}")
    console.print(f"rows quarantined: {result.rows_quarantined:,}")
    _print_faults(result)
    console.print(f"batch: {batch.id}")


def _print_faults(result: IngestResult) -> None:
    if not result.first_faults:
        return
    for count in result.faults:
        console.print(f"  {count.rows:>8,} rows  {count.column}: {count.rule} — {count.message_en}")
    console.print(f"first {min(SHOWN_FAULTS, len(result.first_faults))} faults:")
    for fault in result.first_faults[:SHOWN_FAULTS]:
        console.print(
            f"  row {fault.row}, {fault.column} = {fault.value!r}: {fault.rule} "
            f"({fault.message_zh})",
            markup=False,
        )
    console.print(f"full quarantine report: {result.quarantine_path}")


@app.command("batches")
def batches_command(
    dataset: Annotated[str | None, typer.Option(help="only this dataset's batches")] = None,
) -> None:
    """List the batches (批次), oldest first."""
    registry = open_storage().registry
    table = _table(
        "id", "dataset", "org unit", "file", "accepted", "quarantined", "by", "at", "status"
    )
    for batch in registry.batches(dataset):
        table.add_row(
            batch.id,
            batch.dataset,
            batch.org_unit or "",
            batch.source_name,
            f"{batch.rows_accepted:,}",
            f"{batch.rows_quarantined:,}",
            batch.ingested_by,
            batch.ingested_at.strftime("%Y-%m-%d %H:%M"),
            _status(registry, batch),
        )
    console.print(table)


def _status(registry: BatchRegistry, batch: Batch) -> str:
    """``active``, or ``withdrawn`` (or ``replaced by`` the batch correcting it) with who, when
    and why."""
    if batch.status is BatchStatus.ACTIVE:
        return batch.status.value
    last = registry.events(batch.id)[-1]
    if last.replaced_by:
        return f"replaced by {last.replaced_by} ({last.actor} {last.at:%Y-%m-%d}): {last.reason}"
    return f"withdrawn by {last.actor} {last.at:%Y-%m-%d}: {last.reason}"


@app.command("withdraw")
def withdraw_command(
    batch_id: Annotated[str, typer.Argument(help="the batch's id (see `yardstick data batches`)")],
    reason: Annotated[str, typer.Option(help="why the batch is taken out of use")],
    plan: PlanOption = None,
    actor_name: ActorOption = None,
) -> None:
    """Take a batch out of use; its files stay and the withdrawal is recorded (who, when, why).
    The values that rested on it are queued for recompute."""
    storage = open_storage()
    actor = acting(storage, actor_name)
    batch = withdraw_batch(storage, actor, open_project(storage, plan), batch_id, reason)
    console.print(
        f"batch {batch.id} ({batch.dataset}, {batch.source_name}) withdrawn by {actor.username}"
    )
