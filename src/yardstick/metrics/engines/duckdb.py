"""DuckDB, embedded: reads the Parquet batches in place, streaming, within a memory limit.

The connection is a :class:`~.sandbox.Sandbox`: it may read the batches' files and nothing else,
and a query stops at the time limit.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
from sqlglot import exp

from yardstick.metrics.engines import BatchInput, QueryFailed
from yardstick.metrics.engines.limits import Limits, limits_from_environment
from yardstick.metrics.engines.rendering import render
from yardstick.metrics.engines.sandbox import Sandbox

UNIT_PATHS_TABLE = "unit_paths"


class DuckDBEngine:
    """Runs compiled queries on an in-process DuckDB over the batches' Parquet files."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        inputs: Mapping[str, Sequence[BatchInput]],
        unit_paths: Sequence[Sequence[str | None]],
        memory_limit: str | None = None,
        threads: int | None = None,
        time_limit: float | None = None,
    ) -> None:
        self.inputs = inputs
        limits = limits_from_environment()
        limits = Limits(time_limit or limits.seconds, memory_limit or limits.memory)
        paths = [batch.path for batches in inputs.values() for batch in batches]
        self.sandbox = Sandbox(paths, limits, threads)
        self._load_unit_paths(unit_paths)

    def _load_unit_paths(self, rows: Sequence[Sequence[str | None]]) -> None:
        depth = len(rows[0]) - 1 if rows else 1
        columns = ", ".join(["unit VARCHAR", *(f"level_{d} VARCHAR" for d in range(1, depth + 1))])
        connection = self.sandbox.connection
        connection.execute(f"CREATE TEMP TABLE {UNIT_PATHS_TABLE} ({columns})")
        marks = ", ".join("?" for _ in range(depth + 1))
        if rows:
            connection.executemany(
                f"INSERT INTO {UNIT_PATHS_TABLE} VALUES ({marks})", [list(row) for row in rows]
            )

    def source(self, dataset: str) -> exp.Expr:
        paths = [exp.Literal.string(str(batch.path)) for batch in self.inputs[dataset]]
        return exp.ReadParquet(
            expressions=[
                exp.Array(expressions=paths),
                exp.EQ(this=exp.column("union_by_name"), expression=exp.true()),
            ],
        )

    def unit_paths(self) -> exp.Expr:
        return exp.to_table(UNIT_PATHS_TABLE)

    def fetch(self, query: exp.Expr) -> list[tuple[Any, ...]]:
        text = render(query, self.dialect)
        try:
            return self.sandbox.run(text)
        except duckdb.Error as error:
            raise QueryFailed(self.name, str(error)) from None

    def close(self) -> None:
        self.sandbox.close()
