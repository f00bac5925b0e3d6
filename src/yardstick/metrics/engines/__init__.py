"""SQL engines. Each is a small module with a class of the same shape (see :class:`Engine`).

Adding one: copy ``duckdb.py``, implement ``source``, ``unit_paths`` and ``fetch`` for the new
database, register it in :data:`ENGINES`, and add it to the engine-equality test.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp


@dataclass(frozen=True)
class BatchInput:
    """An ingested batch a computation reads: its id, Parquet file, checksum and row count."""

    dataset: str
    batch_id: str
    path: Path
    checksum: str
    rows: int
    source: str = ""


class Engine(Protocol):
    """What the metrics runner needs of a database."""

    name: str
    dialect: str

    def source(self, dataset: str) -> exp.Expr:
        """The relation holding the dataset's records (a table, or a Parquet reader)."""
        ...

    def unit_paths(self) -> exp.Expr:
        """The relation mapping each org unit to its ancestors (unit, level_1 … level_n)."""
        ...

    def fetch(self, query: exp.Expr) -> list[tuple[Any, ...]]:
        """Run a query built by the compiler and return its rows."""
        ...

    def close(self) -> None:
        """Release the connection (and anything the engine loaded)."""
        ...
