"""``yardstick user …``: accounts and their role assignments."""

from __future__ import annotations

import getpass
import os
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from yardstick.cli.context import ActorOption, acting, open_storage
from yardstick.errors import YardstickError
from yardstick.state.accounts import MANAGE_ACCOUNTS, Assignment, Role

app = typer.Typer(
    help="Accounts and roles (研考 / 填報 / 審核 / 稽核 / 管理).", no_args_is_help=True
)
console = Console()


class AccountError(YardstickError):
    """An account change that cannot be made as asked."""


@app.command("add")
def add_command(
    username: Annotated[str, typer.Argument(help="the account name")],
    role: Annotated[Role | None, typer.Option(help="a first role to grant")] = None,
    org_unit: Annotated[
        str | None, typer.Option("--org-unit", help="the role's org-unit subtree (default: all)")
    ] = None,
    plan: Annotated[str | None, typer.Option(help="the role's plan (default: all plans)")] = None,
    password_env: Annotated[
        str | None,
        typer.Option("--password-env", help="read the password from this environment variable"),
    ] = None,
    actor_name: ActorOption = None,
) -> None:
    """Create an account (the password is asked for, or read from --password-env)."""
    storage = open_storage()
    _administrator(storage, actor_name)
    password = _password(password_env)
    with storage.atomic():
        storage.accounts.create(username, password, _who(actor_name))
        if role is not None:
            storage.accounts.grant(username, Assignment(role, plan, org_unit), _who(actor_name))
    console.print(f"account {username} created" + (f" as {role.value}" if role else ""))


@app.command("grant")
def grant_command(
    username: Annotated[str, typer.Argument(help="the account name")],
    role: Annotated[Role, typer.Option(help="the role to grant")],
    org_unit: Annotated[
        str | None, typer.Option("--org-unit", help="the role's org-unit subtree (default: all)")
    ] = None,
    plan: Annotated[str | None, typer.Option(help="the role's plan (default: all plans)")] = None,
    actor_name: ActorOption = None,
) -> None:
    """Give an account a role for a plan (or all) over an org-unit subtree (or all)."""
    storage = open_storage()
    _administrator(storage, actor_name)
    if org_unit is not None:
        storage.org_units.org_units().get(org_unit)
    if plan is not None:
        storage.plans.current(plan)
    fresh = storage.accounts.grant(username, Assignment(role, plan, org_unit), _who(actor_name))
    console.print(f"{username}: {role.value} {'granted' if fresh else 'already held'}")


@app.command("list")
def list_command() -> None:
    """Every account with its role assignments."""
    from django.contrib.auth import get_user_model

    storage = open_storage()
    table = Table("account", "active", "roles (plan / org unit)")
    for user in get_user_model().objects.order_by("username"):
        name = user.get_username()
        actor = storage.accounts.actor(name) if user.is_active else None
        roles = (
            "; ".join(f"{a.role.value} ({a.plan or 'all plans'} / {a.org_unit or 'all units'})"
                      for a in actor.assignments)
            if actor else ""
        )  # fmt: skip
        table.add_row(name, "yes" if user.is_active else "no", roles)
    console.print(table)


def _administrator(storage: object, actor_name: str | None) -> None:
    """Account changes need an administrator — except the very first account of a deployment."""
    from django.contrib.auth import get_user_model

    if not get_user_model().objects.exists():
        return
    acting(storage, actor_name).require(MANAGE_ACCOUNTS, None, None, "manage accounts")  # type: ignore[arg-type]


def _who(actor_name: str | None) -> str:
    return actor_name or os.environ.get("YARDSTICK_USER") or "setup"


def _password(variable: str | None) -> str:
    if variable is not None:
        value = os.environ.get(variable)
        if not value:
            raise AccountError(f"the environment variable {variable} is not set")
        return value
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise AccountError("the two passwords differ")
    return first
