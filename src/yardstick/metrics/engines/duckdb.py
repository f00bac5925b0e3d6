"""DuckDB, embedded: reads the Parquet batches in place, streaming, within a memory limit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import duckdb
from sqlglot import exp

from yardstick.metrics.engines import BatchInput

UNIT_PATHS_TABLE = "unit_paths"


class DuckDBEngine:
    """Runs compiled queries on an in-process DuckDB over the batches' Parquet files."""

    name = "duckdb"
    dialect = "duckdb"

    def __init__(
        self,
        inputs: Mapping[str, Sequence[BatchInput]],
        unit_paths: Sequence[Sequence[str | None]],
        memory_limit: str = "1GB",
        threads: int | None = None,
    ) -> None:
        self.inputs = inputs
        self.connection = duckdb.connect()
        self.connection.execute("SET memory_limit = ?", [memory_limit])
        if threads:
            self.connection.execute("SET threads = ?", [threads])
        self._load_unit_paths(unit_paths)

    def _load_unit_paths(self, rows: Sequence[Sequence[str | None]]) -> None:
        depth = len(rows[0]) - 1 if rows else 1
        columns = ", ".join(["unit VARCHAR", *(f"level_{d} VARCHAR" for d in range(1, depth + 1))])
        self.connection.execute(f"CREATE TEMP TABLE {UNIT_PATHS_TABLE} ({columns})")
        marks = ", ".join("?" for _ in range(depth + 1))
        self.connection.executemany(
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
        return self.connection.execute(query.sql(dialect=self.dialect)).fetchall()

    def close(self) -> None:
        self.connection.close()
