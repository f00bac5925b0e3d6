"""Start Django for the command line and the worker: settings, apps, a migrated database."""

from __future__ import annotations

import os

from yardstick.errors import YardstickError


class DatabaseNotReady(YardstickError):
    """The database cannot be reached, or its tables are missing or out of date."""


def setup_django() -> None:
    """Configure Django once per process (the settings module may be chosen by the caller)."""
    import django
    from django.apps import apps

    if apps.ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yardstick.web.settings")
    django.setup()
    _make_sqlite_folder()


def _make_sqlite_folder() -> None:
    """The folder of a SQLite database file exists before the first connection."""
    from pathlib import Path

    from django.db import connections

    settings = connections["default"].settings_dict
    if settings["ENGINE"].endswith("sqlite3") and not str(settings["NAME"]).startswith(":"):
        Path(settings["NAME"]).parent.mkdir(parents=True, exist_ok=True)


def unapplied_migrations() -> list[str]:
    """Migrations the database has not had yet (``app.name``), in the order they would apply."""
    from django.db import DEFAULT_DB_ALIAS, connections
    from django.db.migrations.executor import MigrationExecutor
    from django.db.utils import OperationalError

    try:
        executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
        targets = executor.loader.graph.leaf_nodes()
        return [f"{m.app_label}.{m.name}" for m, _ in executor.migration_plan(targets)]
    except OperationalError as error:
        raise DatabaseNotReady(f"cannot open the database: {error}") from None


def migrate(verbosity: int = 0) -> list[str]:
    """Apply every unapplied migration; the ones applied."""
    from django.core.management import call_command

    pending = unapplied_migrations()
    if pending:
        call_command("migrate", interactive=False, verbosity=verbosity)
    return pending
