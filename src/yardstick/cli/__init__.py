"""The ``yardstick`` command: a thin shell over the parts and the deployment's database.

Commands that work on files alone (``plan import / show / export / diff``) come from the plan
part; every other command opens the database (Django on the default SQLite file, or
``DATABASE_URL``) through :mod:`yardstick.cli.context`. User errors
(:class:`~yardstick.errors.YardstickError`) and database faults become a one-line message on
stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from yardstick.cli import accounts, backup, data, db, demo, kpi, plans, worker
from yardstick.cli.assess import assess_command, report_command, watch_command
from yardstick.errors import YardstickError
from yardstick.plan.commands import app as plan_app

app = typer.Typer(
    name="yardstick",
    help="Performance management for government strategic plans (施政績效管理系統).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
plan_app.command("load")(plans.load_command)
plan_app.command("dump")(plans.dump_command)
plan_app.command("versions")(plans.versions_command)
plan_app.command("target")(plans.target_command)
app.add_typer(plan_app, name="plan")
app.add_typer(data.app, name="data")
app.add_typer(kpi.app, name="kpi")
app.add_typer(demo.app, name="demo")
app.add_typer(db.app, name="db")
app.add_typer(accounts.app, name="user")
app.command("assess")(assess_command)
app.command("report")(report_command)
app.command("watch")(watch_command)
app.command("worker")(worker.worker_command)
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except YardstickError as error:
        _fail(str(error))
    except Exception as error:  # a database fault reaches the user as one line, too
        from yardstick.cli.faults import database_fault

        message = database_fault(error)
        if message is None:
            raise
        _fail(message)


def _fail(message: str) -> None:
    typer.secho(f"error: {message}", err=True, fg=typer.colors.RED)
    sys.exit(2)
