"""SQL engines. Each is a small module with a class of the same shape (see :class:`Engine`).

Adding one: copy ``duckdb.py``, implement ``source``, ``unit_paths`` and ``fetch`` for the new
database (``fetch`` turns the driver's errors into :class:`QueryFailed`), register it in
:data:`ENGINES`, and add it to the engine-equality test.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Protocol

from sqlglot import exp

from yardstick.errors import YardstickError

_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s'\"\\/]+){2,}[\\/]?")
_LONGEST_REASON = 240


class QueryFailed(YardstickError):
    """A compiled query that the engine refused or could not finish (an overflow on some record,
    a conversion error, a time limit), in one line: the engine's first line, without server file
    paths. The runner turns it into that KPI's reason; the other KPIs still compute."""

    def __init__(self, engine: str, message: str) -> None:
        self.engine = engine
        self.reason = engine_reason(message)
        super().__init__(f"the {engine} engine failed: {self.reason}")


def as_number(engine: str, value: object) -> float:
    """An aggregate's value as the driver gives it (int, Decimal, float) as a float; anything
    else means the query did not compute a number, a failure like any other."""
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise QueryFailed(engine, f"the aggregate gave {type(value).__name__}, not a number")
    return float(value)


def engine_reason(message: str) -> str:
    """An engine's message as one short line: its first line, file paths replaced by ``…``."""
    first = next((line.strip() for line in message.splitlines() if line.strip()), "no reason given")
    short = _PATH.sub("…", first)
    return short if len(short) <= _LONGEST_REASON else short[: _LONGEST_REASON - 1] + "…"


def spark_message(error: BaseException) -> str:
    """A Spark or Py4J error's own message: a Java error Spark does not map to one of its own
    (a stage aborted, a damaged file) reaches Python as "An error occurred while calling o87…",
    with the Java exception's message inside."""
    java = getattr(error, "java_exception", None)
    if java is not None:
        try:
            return str(java.getMessage() or java.toString())
        except Exception:  # the JVM is gone: the Python side's text is all there is
            pass
    return str(error)


@dataclass(frozen=True)
class BatchInput:
    """An ingested batch a computation reads: its id, Parquet file, checksum and row count.

    Or, on the Spark engine, a dataset's external table (``table``, read with ``table_options``:
    the version the lineage names); its ``path`` is then empty."""

    dataset: str
    batch_id: str
    path: Path
    checksum: str
    rows: int
    source: str = ""
    table: str = ""
    table_options: tuple[tuple[str, str], ...] = ()


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
        """Run a query built by the compiler and return its rows; :class:`QueryFailed` when the
        engine refuses it or fails while running it."""
        ...

    def close(self) -> None:
        """Release the connection (and anything the engine loaded)."""
        ...
