"""What every command that works on the deployment starts from: the database (Django set up on
the default SQLite file, or ``DATABASE_URL``), the plan it names, and the account acting."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from yardstick.errors import YardstickError
from yardstick.metrics.project import Project
from yardstick.state.accounts import Actor
from yardstick.state.plans import UnknownPlan
from yardstick.state.storage import Storage

ENV_PLAN = "YARDSTICK_PLAN"
ENV_USER = "YARDSTICK_USER"

PlanOption = Annotated[
    str | None,
    typer.Option(
        "--plan",
        envvar=ENV_PLAN,
        help="the stored plan's code, e.g. moj-106-109 (default: the only plan stored)",
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar=ENV_USER,
        help=f"the account making the change (default: ${ENV_USER})",
    ),
]


class NoActor(YardstickError):
    """A change was asked for without naming the account that makes it."""


def open_storage() -> Storage:
    """The deployment's storage (Django is set up on first use, so `--help` stays fast)."""
    from yardstick.web.bootstrap import setup_django

    setup_django()
    from yardstick.web.storage import DjangoStorage

    return DjangoStorage()


def plan_code(storage: Storage, explicit: str | None) -> str:
    """``--plan``, else the only stored plan; several stored plans must be told apart."""
    if explicit:
        return explicit
    stored = [summary.code for summary in storage.plans.plans()]
    if len(stored) == 1:
        return stored[0]
    if not stored:
        raise UnknownPlan("no plan is stored yet; `yardstick plan load plans/<plan>` stores one")
    raise UnknownPlan(f"several plans are stored ({', '.join(stored)}); name one with --plan")


def open_project(storage: Storage, explicit: str | None) -> Project:
    """The current version of the plan, with the deployment's org units and stores."""
    from yardstick.web.projects import open_project as open_stored

    return open_stored(storage, plan_code(storage, explicit))


def acting(storage: Storage, username: str | None) -> Actor:
    """The account named by ``--as`` (or ``$YARDSTICK_USER``), with its roles."""
    name = username or os.environ.get(ENV_USER)
    if not name:
        raise NoActor(
            f"name the account making this change with --as USER (or set {ENV_USER}); "
            "`yardstick user list` shows the accounts"
        )
    return storage.accounts.actor(name)
