"""The PostgreSQL login a run's queries use: it can read the run's schema and nothing else.

Why a login of its own, not ``SET ROLE``: a role set within a session can be reset by the very
SQL it is meant to confine (``RESET ROLE``). The records are loaded by the owner connection; the
queries run on a second connection that logged in as the reader, each inside a READ ONLY
transaction with a statement timeout, and as a prepared statement (one statement, never two).

By default the reader is a role created for the run (``yardstick_reader_<run>``, with a random
password, so it logs in under password as well as trust authentication), granted USAGE on the
run's schema and SELECT on its tables, and dropped with the schema: no other run's records are
ever granted to it, and runs never race to create one shared role. Where a DBA provisions the
reader instead, ``YARDSTICK_POSTGRES_READER_DSN`` names its login; it is then granted the run's
schema and loses it when the schema is dropped, but is never created or dropped here.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

import psycopg
from psycopg import sql
from psycopg.conninfo import make_conninfo

from yardstick.metrics.errors import QueryTimeLimitError, UnsafeQueryError

READER_DSN_VARIABLE = "YARDSTICK_POSTGRES_READER_DSN"
_PRIVILEGES = ("USAGE ON SCHEMA {}", "SELECT ON ALL TABLES IN SCHEMA {}")
_ROLE_OPTIONS = "LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT NOREPLICATION NOBYPASSRLS"


class Reader:
    """A read-only connection to one run's schema, and the role it logged in as."""

    def __init__(
        self, owner: psycopg.Connection[Any], owner_dsn: str, schema: str, seconds: float
    ) -> None:
        self.owner, self.schema, self.seconds = owner, schema, seconds
        provisioned = os.environ.get(READER_DSN_VARIABLE, "").strip()
        self.created = not provisioned
        self.role, dsn = self._create_role(owner_dsn) if self.created else ("", provisioned)
        try:
            self.connection = psycopg.connect(dsn)
            self.connection.read_only = True
            self.role = self.role or self._current_user()
            self._set_privileges("GRANT {privilege} TO {role}")
        except BaseException:
            self._drop_role()
            raise

    def _create_role(self, owner_dsn: str) -> tuple[str, str]:
        role = f"yardstick_reader_{self.schema.rsplit('_', 1)[-1]}"
        password = secrets.token_urlsafe(24)
        self.owner.execute(
            sql.SQL("CREATE ROLE {} " + _ROLE_OPTIONS + " PASSWORD {}").format(
                sql.Identifier(role), sql.Literal(password)
            )
        )
        return role, make_conninfo(owner_dsn, user=role, password=password)

    def _current_user(self) -> str:
        row = self.connection.execute("SELECT current_user").fetchone()
        self.connection.rollback()
        return str(row[0]) if row else ""

    def _set_privileges(self, statement: str) -> None:
        for privilege in _PRIVILEGES:
            self.owner.execute(
                sql.SQL(statement).format(
                    privilege=sql.SQL(privilege).format(sql.Identifier(self.schema)),
                    role=sql.Identifier(self.role),
                )
            )

    def fetch(self, text: str) -> list[tuple[Any, ...]]:
        """Run one statement read-only within the time limit, then roll back."""
        try:
            self.connection.execute(
                "SELECT set_config('statement_timeout', %s, true)", [f"{self.seconds * 1000:.0f}"]
            )
            return self.connection.execute(text, prepare=True).fetchall()
        except psycopg.errors.QueryCanceled:
            raise QueryTimeLimitError(
                f"the query ran longer than the time limit of {self.seconds:g} s "
                "(YARDSTICK_QUERY_TIME_LIMIT) and was stopped"
            ) from None
        except (
            psycopg.errors.InsufficientPrivilege,
            psycopg.errors.ReadOnlySqlTransaction,
        ) as error:
            raise UnsafeQueryError(f"PostgreSQL refused the query: {error}") from None
        finally:
            if not self.connection.closed:
                self.connection.rollback()

    def close(self) -> None:
        """Log out and take the grants back; a role created for the run is dropped."""
        self.connection.close()
        self._set_privileges("REVOKE {privilege} FROM {role}")
        self._drop_role()

    def _drop_role(self) -> None:
        if self.created and self.role:
            self.owner.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(self.role)))
