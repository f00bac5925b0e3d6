"""A deployment for tests: the database (pytest-django's test database), named accounts, the MOJ
plan loaded, and the command line run in-process as a user would run it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from tests.conftest import REPO
from yardstick.state.accounts import Assignment, Role

MOJ_FOLDER = REPO / "plans" / "moj-106-109"
PLAN = "moj-106-109"
PASSWORD = "a long enough test password 12"

ACCOUNTS: dict[str, Assignment] = {
    "admin": Assignment(Role.ADMINISTRATOR),
    "planner": Assignment(Role.PLANNING_OFFICER),
    "aea-officer": Assignment(Role.DATA_OFFICER, None, "MOJ.AEA"),
    "aoc-officer": Assignment(Role.DATA_OFFICER, None, "MOJ.AOC"),
    "reviewer": Assignment(Role.REVIEWER),
    "auditor": Assignment(Role.AUDITOR),
}
"""Named people, one per role; aoc-officer is the outsider to MOJ.AEA's data."""


@dataclass
class Ran:
    """What a command printed and how it ended (2 for our own errors, as the shell sees it)."""

    exit_code: int
    output: str
    error: str
    exception: BaseException | None = None
    """Our own error, when the command ended with one (its class is part of what is tested)."""


def run(*args: str, as_: str | None = "planner") -> Ran:
    """Run ``yardstick ARGS`` in this process, as ``as_`` (None: no account named)."""
    from yardstick.cli import app
    from yardstick.errors import YardstickError

    env = {"YARDSTICK_USER": as_} if as_ else {"YARDSTICK_USER": ""}
    result = CliRunner().invoke(app, list(args), env=env)
    if isinstance(result.exception, YardstickError):
        return Ran(2, result.stdout, f"error: {result.exception}", result.exception)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Ran(result.exit_code, result.stdout, result.stderr)


def set_up(data_dir: Path):  # type: ignore[no-untyped-def]
    """Accounts and the MOJ plan in the (test) database; the storage over it."""
    from yardstick.actions.plans import load_plan_folder
    from yardstick.web.storage import DjangoStorage

    storage = DjangoStorage(data_dir)
    storage.accounts.create("admin", PASSWORD, "setup")
    storage.accounts.grant("admin", ACCOUNTS["admin"], "setup")
    for name, assignment in ACCOUNTS.items():
        if name != "admin":
            storage.accounts.create(name, PASSWORD, "admin")
            if assignment.org_unit is None:
                storage.accounts.grant(name, assignment, "admin")
    load_plan_folder(storage, storage.accounts.actor("planner"), MOJ_FOLDER)
    for name, assignment in ACCOUNTS.items():
        if assignment.org_unit is not None:  # org units exist once the plan is loaded
            storage.accounts.grant(name, assignment, "admin")
    return storage


def fill_with_demo_data(storage, files: Path) -> None:  # type: ignore[no-untyped-def]
    """Generate a small demo (scale 0.002) and bring it in through the actions, then compute."""
    from yardstick.cli.context import open_project
    from yardstick.cli.demo import DatabaseSink
    from yardstick.demo.generate import generate
    from yardstick.web.dashboard.months import refresh_months

    project = open_project(storage, PLAN)
    sink = DatabaseSink(
        storage, project, storage.accounts.actor("planner"), storage.accounts.actor("reviewer")
    )
    generate(files, 0.002, 106, project.contracts, project.org_units, sink=sink)
    project.compute(project.computed_years())
    refresh_months(project)  # as the worker does after it recomputes
