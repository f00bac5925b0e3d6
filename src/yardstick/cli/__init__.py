"""The ``yardstick`` command: a thin shell over the parts.

Each part keeps its own commands in ``<part>/commands.py`` as a Typer app; this module only
mounts them and turns user errors (:class:`~yardstick.errors.YardstickError`) into a one-line
message on stderr and exit code 2, never a traceback.
"""

from __future__ import annotations

import sys

import typer

from yardstick.assess.commands import assess_command, report_command, watch_command
from yardstick.datasets.commands import app as data_app
from yardstick.demo.commands import app as demo_app
from yardstick.errors import YardstickError
from yardstick.metrics.commands import app as kpi_app
from yardstick.plan.commands import app as plan_app

app = typer.Typer(
    name="yardstick",
    help="Performance management for government strategic plans (施政績效管理系統).",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
app.add_typer(plan_app, name="plan")
app.add_typer(data_app, name="data")
app.add_typer(kpi_app, name="kpi")
app.add_typer(demo_app, name="demo")
app.command("assess")(assess_command)
app.command("report")(report_command)
app.command("watch")(watch_command)


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except YardstickError as error:
        typer.secho(f"error: {error}", err=True, fg=typer.colors.RED)
        sys.exit(2)


if __name__ == "__main__":
    main()
