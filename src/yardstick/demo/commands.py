"""``yardstick demo …``: realistic MOJ operational data for trying yardstick out."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yardstick.datasets.contract import load_contracts
from yardstick.datasets.orgunits import load_org_units
from yardstick.demo.generate import GeneratedFile, generate

app = typer.Typer(
    help="Demo data: realistic MOJ record sets, generated and ingested.", no_args_is_help=True
)
console = Console()


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
    plan_dir: Annotated[Path, typer.Option("--plan-dir")] = Path("plans/moj-106-109"),
    data_dir: Annotated[Path, typer.Option("--data-dir", envvar="YARDSTICK_DATA_DIR")] = Path(
        "var/data"
    ),
) -> None:
    """Generate every record set the MOJ KPIs need (ROC 106–109; the ledger from 97) and ingest them."""
    contracts = load_contracts(plan_dir / "datasets")
    org_units = load_org_units(plan_dir / "orgunits.yaml")

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

    generate(out, scale, seed, contracts, org_units, data_dir if ingest else None, report)
