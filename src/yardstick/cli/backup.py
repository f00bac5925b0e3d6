"""``yardstick backup FILE`` and ``yardstick restore FILE``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console

from yardstick.cli.context import ActorOption, acting, open_storage
from yardstick.state.accounts import MANAGE_ACCOUNTS

console = Console()


def backup_command(
    file: Annotated[Path, typer.Argument(help="the snapshot to write (.tar)", dir_okay=False)],
) -> None:
    """Write a consistent snapshot of the database and the batch files it refers to."""
    storage = open_storage()
    from yardstick.web.backup import write_backup

    manifest = write_backup(file, storage.data_dir)
    rows = sum(manifest["rows"].values())
    console.print(
        f"{file}: {rows:,} rows and {manifest['batches']} batches ({manifest['database']})"
    )


def restore_command(
    file: Annotated[Path, typer.Argument(help="a snapshot written by `yardstick backup`")],
    replace: Annotated[
        bool, typer.Option("--replace", help="empty a database that already holds data first")
    ] = False,
    actor_name: ActorOption = None,
) -> None:
    """Bring a snapshot back into this database (empty, or emptied with --replace)."""
    storage = open_storage()
    from yardstick.web.backup import restore_backup

    if replace:
        acting(storage, actor_name).require(MANAGE_ACCOUNTS, None, None, "replace the database")
    manifest = restore_backup(file, storage.data_dir, replace=replace)
    with storage.atomic():
        storage.audit.record(
            actor_name or "restore", "data.restored", "deployment", file.name,
            new={"created_at": manifest["created_at"], "rows": manifest["rows"]},
        )  # fmt: skip
    console.print(f"restored {file} (written {manifest['created_at']})")
