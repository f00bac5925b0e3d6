"""Docs move with code: every CLI command is documented in the README."""

from __future__ import annotations

import typer

from tests.conftest import REPO
from yardstick.cli import app


def _commands(typer_app: typer.Typer, prefix: str = "") -> list[str]:
    names = []
    for command in typer_app.registered_commands:
        name = command.name or (
            command.callback.__name__.replace("_", "-") if command.callback else ""
        )
        names.append(f"{prefix}{name}")
    for group in typer_app.registered_groups:
        assert group.typer_instance is not None
        names += _commands(group.typer_instance, f"{prefix}{group.name} ")
    return names


DATABASE_COMMANDS = [
    "plan load", "plan dump", "plan versions", "plan target", "kpi approve",
    "db migrate", "db import-legacy", "user add", "user grant", "user list",
    "worker", "backup", "restore",
]  # fmt: skip
"""The commands of the deployment's database, which the README must show as well."""


def test_every_cli_command_is_in_the_readme() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    commands = _commands(app)
    assert "plan import" in commands
    assert set(DATABASE_COMMANDS) <= set(commands), "the collection of commands misses some"
    missing = [name for name in commands if f"yardstick {name}" not in readme]
    assert missing == [], f"undocumented commands: {missing}"


def test_readme_starts_with_the_two_setup_commands() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up and run (fresh machine)", 1)[1].split("##", 1)[0]
    commands = [line.strip() for line in section.splitlines() if line.startswith("    ")]
    assert [command.split("#")[0].strip() for command in commands] == ["make demo", "make test"]
    assert "make test" in (REPO / ".ci" / "run").read_text(encoding="utf-8")
