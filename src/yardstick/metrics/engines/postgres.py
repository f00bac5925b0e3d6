"""PostgreSQL, the server database: the batches' records are loaded into tables of a schema.

Each engine works in a schema of its own (``yardstick_run_<random>``), dropped on close, so runs
never see each other's records. Names enter SQL as psycopg identifiers, values as parameters.
The owner connection (``YARDSTICK_POSTGRES_DSN``) loads the records; the queries run on a second,
read-only connection that can read that schema only (:mod:`.postgres_reader`).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping, Sequence
from typing import Any

import psycopg
from psycopg import sql
from sqlglot import exp

from yardstick.metrics.engines import BatchInput, QueryFailed, limits
from yardstick.metrics.engines.postgres_reader import Reader
from yardstick.metrics.engines.rendering import render
from yardstick.metrics.engines.sandbox import Sandbox

DEFAULT_DSN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
UNIT_PATHS_TABLE = "unit_paths"
_TYPES = {
    "VARCHAR": "text",
    "DATE": "date",
    "DOUBLE": "double precision",
    "FLOAT": "real",
    "BIGINT": "bigint",
    "INTEGER": "integer",
    "SMALLINT": "smallint",
    "BOOLEAN": "boolean",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


def dsn_from_environment() -> str:
    """``YARDSTICK_POSTGRES_DSN`` if set, else the local server with trust auth."""
    return os.environ.get("YARDSTICK_POSTGRES_DSN", DEFAULT_DSN)


def _postgres_type(duckdb_type: str) -> str:
    if duckdb_type.startswith("DECIMAL"):
        return duckdb_type.replace("DECIMAL", "numeric")
    return _TYPES.get(duckdb_type, "text")


class PostgresEngine:
    """Loads the batches into a private schema and runs compiled queries there."""

    name = "postgresql"
    dialect = "postgres"

    def __init__(
        self,
        inputs: Mapping[str, Sequence[BatchInput]],
        unit_paths: Sequence[Sequence[str | None]],
        dsn: str | None = None,
        time_limit: float | None = None,
    ) -> None:
        self.schema = f"yardstick_run_{secrets.token_hex(4)}"
        owner_dsn = dsn or dsn_from_environment()
        self.connection = psycopg.connect(owner_dsn, autocommit=True)
        self.connection.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(self.schema)))
        self.reader: Reader | None = None
        try:
            self._load_unit_paths(unit_paths)
            for dataset, batches in inputs.items():
                if batches:
                    self._load_dataset(dataset, batches)
            self.reader = Reader(
                self.connection, owner_dsn, self.schema, time_limit or limits.time_limit()
            )
        except BaseException:
            self.close()
            raise

    def _table(self, name: str) -> sql.Composed:
        return sql.SQL("{}.{}").format(sql.Identifier(self.schema), sql.Identifier(name))

    def _load_unit_paths(self, rows: Sequence[Sequence[str | None]]) -> None:
        depth = len(rows[0]) - 1 if rows else 1
        names = ["unit", *(f"level_{d}" for d in range(1, depth + 1))]
        columns = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(n)) for n in names)
        self.connection.execute(
            sql.SQL("CREATE TABLE {} ({})").format(self._table(UNIT_PATHS_TABLE), columns)
        )
        with self.connection.cursor().copy(
            sql.SQL("COPY {} FROM STDIN").format(self._table(UNIT_PATHS_TABLE))
        ) as copy:
            for row in rows:
                copy.write_row(list(row))

    def _load_dataset(self, dataset: str, batches: Sequence[BatchInput]) -> None:
        """Stream the batches' rows into a table; DuckDB reads them, sandboxed to their files."""
        sandbox = Sandbox([batch.path for batch in batches])
        try:
            self._copy_in(dataset, sandbox, [str(batch.path) for batch in batches])
        finally:
            sandbox.close()
        self.connection.execute(sql.SQL("ANALYZE {}").format(self._table(dataset)))

    def _copy_in(self, dataset: str, sandbox: Sandbox, paths: list[str]) -> None:
        reader = sandbox.connection
        schema = reader.execute(
            "DESCRIBE SELECT * FROM read_parquet(?, union_by_name = true)", [paths]
        ).fetchall()
        columns = sql.SQL(", ").join(
            sql.SQL("{} {}").format(sql.Identifier(name), sql.SQL(_postgres_type(kind)))
            for name, kind, *_ in schema
        )
        table = self._table(dataset)
        self.connection.execute(sql.SQL("CREATE TABLE {} ({})").format(table, columns))
        result = reader.execute("SELECT * FROM read_parquet(?, union_by_name = true)", [paths])
        with self.connection.cursor().copy(sql.SQL("COPY {} FROM STDIN").format(table)) as copy:
            while chunk := result.fetchmany(50_000):
                for row in chunk:
                    copy.write_row(row)

    def source(self, dataset: str) -> exp.Expr:
        return exp.to_table(f"{self.schema}.{dataset}", dialect="postgres")

    def unit_paths(self) -> exp.Expr:
        return exp.to_table(f"{self.schema}.{UNIT_PATHS_TABLE}", dialect="postgres")

    def fetch(self, query: exp.Expr) -> list[tuple[Any, ...]]:
        assert self.reader is not None, "the engine was closed"
        text = render(query, self.dialect)
        try:
            return self.reader.fetch(text)
        except psycopg.Error as error:
            raise QueryFailed(self.name, error.diag.message_primary or str(error)) from None

    def close(self) -> None:
        if self.reader is not None:
            self.reader.close()
            self.reader = None
        self.connection.execute(
            sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(self.schema))
        )
        self.connection.close()
