"""External tables: a dataset whose records already live in the Spark catalog, read where they are.

A deployment binds a dataset to a table of its cluster's catalog (a metastore, a lakehouse) with
``YARDSTICK_SPARK_TABLES``, e.g. ``cases=lake.moj.enforcement_cases, inmates=lake.moj.inmates``.
On the ``spark`` engine such a dataset reads that table instead of its yardstick batches.

Before any KPI reads it, the table is checked against the dataset's contract: every contract
column must be there with a type that holds the contract's values (an ``integer`` column must be
integral, a ``date`` a DATE…); a wrong or missing column is refused, named. The table's records
were not ingested by yardstick, so the contract's row rules (allowed values, ranges, uniqueness,
cross-column rules) are the table owner's to keep; the README says so.

The lineage names the table and, where its format keeps versions, the version read: a Delta
table's version, an Iceberg table's current snapshot. The engine then reads exactly that version
(time travel), so the value and its lineage agree even while the table is being written. A table
without versions is named with the time it was read, and its values are recomputed on every run
(nothing proves that the table is unchanged).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from yardstick.datasets.contract import ColumnType, Contract
from yardstick.metrics.engines import BatchInput, engine_reason, spark_message
from yardstick.metrics.errors import SettingError

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

TABLES_VARIABLE = "YARDSTICK_SPARK_TABLES"
_TABLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}")
_PART = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_BINDING = re.compile(r"\s*([a-z][a-z0-9_]*)\s*=\s*(\S+)\s*")

# The Spark types that hold each contract type's values (by Spark's simpleString, without
# parameters: decimal(14,2) is "decimal").
_HOLDS: dict[ColumnType, frozenset[str]] = {
    ColumnType.STRING: frozenset({"string", "varchar", "char"}),
    ColumnType.INTEGER: frozenset({"bigint", "int", "smallint", "tinyint"}),
    ColumnType.DECIMAL: frozenset(
        {"double", "float", "decimal", "bigint", "int", "smallint", "tinyint"}
    ),
    ColumnType.BOOLEAN: frozenset({"boolean"}),
    ColumnType.DATE: frozenset({"date"}),
    ColumnType.TIMESTAMP: frozenset({"timestamp", "timestamp_ntz"}),
}


class ExternalTableError(SettingError):
    """An external table that is missing, or does not fit its dataset's contract."""


@dataclass(frozen=True)
class ExternalTable:
    """A bound table as read: its format and the version read (None where it keeps none)."""

    dataset: str
    table: str
    provider: str
    version: str | None

    @property
    def reader_options(self) -> dict[str, str]:
        """The time-travel option that pins a read to :attr:`version`."""
        if self.version is None:
            return {}
        return {"versionAsOf" if self.provider == "delta" else "snapshot-id": self.version}


def bindings_from_environment(datasets: set[str]) -> dict[str, str]:
    """``YARDSTICK_SPARK_TABLES`` as {dataset: table}; an unknown dataset or a bad name is refused."""
    text = os.environ.get(TABLES_VARIABLE, "").strip()
    bindings: dict[str, str] = {}
    for part in filter(str.strip, text.split(",")):
        match = _BINDING.fullmatch(part)
        if match is None or not _TABLE_NAME.fullmatch(match.group(2)):
            raise SettingError(
                f"{TABLES_VARIABLE}: {part.strip()!r} is not dataset=catalog.schema.table "
                "(names of letters, digits and underscores)"
            )
        dataset, table = match.groups()
        if dataset not in datasets:
            raise SettingError(
                f"{TABLES_VARIABLE}: {dataset!r} is not a dataset of this plan "
                f"(datasets: {', '.join(sorted(datasets))})"
            )
        if dataset in bindings:
            raise SettingError(f"{TABLES_VARIABLE}: {dataset!r} is bound twice")
        bindings[dataset] = table
    return bindings


def external_input(session: SparkSession, contract: Contract, table: str) -> BatchInput:
    """The bound table checked against the contract, as the input a computation and its lineage
    name: ``batch_id`` is the table and version, ``checksum`` what proves that version (with the
    table's location and creation time, so a table dropped and made again, whose versions start
    over, is not taken for the one before). Spark's failures are our one-line error."""
    if not _TABLE_NAME.fullmatch(table):
        raise ExternalTableError(f"{table!r} is not a table name")
    with _spark_errors(contract.name, table):
        provider, version, identity = _version(session, table)
        found = ExternalTable(contract.name, table, provider, version)
        frame = _read(session, found.reader_options, table)  # the version the KPIs will read
        check_schema(contract, table, frame)
        rows = int(frame.count())
    read_at = datetime.now(UTC).isoformat(timespec="microseconds")
    if found.version is None:
        batch_id, checksum = table, f"unversioned:{table}@{read_at}"
        source = f"Spark table {table} ({found.provider}, no versions: as read at {read_at[:19]}Z)"
    else:
        batch_id = f"{table}@{found.version}"
        checksum = f"{found.provider}:{found.version}:{identity}"
        source = f"Spark table {table} ({found.provider} version {found.version})"
    return BatchInput(
        contract.name,
        batch_id,
        Path(),
        checksum,
        rows,
        source,
        table=table,
        table_options=tuple(found.reader_options.items()),
    )


@contextmanager
def _spark_errors(dataset: str, table: str) -> Iterator[None]:
    """Spark's and Py4J's errors while reading a bound table, as :class:`ExternalTableError`."""
    from py4j.protocol import Py4JError
    from pyspark.errors import PySparkException

    try:
        yield
    except (PySparkException, Py4JError) as error:
        raise ExternalTableError(
            f"the external table {table} of dataset {dataset} cannot be read: "
            f"{engine_reason(spark_message(error))}"
        ) from None


def read_table(session: SparkSession, batch: BatchInput) -> DataFrame:
    """An external input's table, at the version its lineage names."""
    with _spark_errors(batch.dataset, batch.table):
        return _read(session, dict(batch.table_options), batch.table)


def check_schema(contract: Contract, table: str, frame: DataFrame) -> None:
    """Refuse a table lacking a contract column, or holding one in a type that does not fit."""
    types = {field.name.lower(): field.dataType.simpleString() for field in frame.schema.fields}
    for column in contract.columns:
        found = types.get(column.name)
        if found is None:
            raise ExternalTableError(
                f"the external table {table} of dataset {contract.name} has no column "
                f"{column.name!r} (the contract's {column.type.value} column)"
            )
        if found.split("(")[0] not in _HOLDS[column.type]:
            raise ExternalTableError(
                f"the external table {table} of dataset {contract.name}: column {column.name!r} "
                f"is {found}, the contract wants {column.type.value} "
                f"({' or '.join(sorted(_HOLDS[column.type]))})"
            )


def _read(session: SparkSession, options: dict[str, str], table: str) -> DataFrame:
    return session.read.options(**options).table(table)


def _version(session: SparkSession, table: str) -> tuple[str, str | None, str]:
    """The table's format (provider), its current version where the format keeps versions, and
    what identifies the table itself (its location and creation time).

    The statements are text: Spark has no API for them and SQLGlot cannot write ``DESCRIBE
    HISTORY``. The only part not fixed is the table name, checked to be names of letters, digits
    and underscores and written each in backticks (:func:`_quoted`)."""
    name = _quoted(table)
    details = _details(session.sql(f"DESCRIBE TABLE EXTENDED {name}").collect())
    provider = details.get("provider", "unknown").lower()
    identity = f"{details.get('location', '')}|{details.get('created time', '')}"
    if provider == "delta":
        history = session.sql(f"DESCRIBE HISTORY {name} LIMIT 1").collect()
        return provider, (str(history[0]["version"]) if history else None), identity
    if provider == "iceberg":
        refs = _quoted(f"{table}.refs")
        rows = session.sql(f"SELECT snapshot_id FROM {refs} WHERE name = 'main'").collect()
        return provider, (str(rows[0]["snapshot_id"]) if rows else None), identity
    return provider, None, identity


def _quoted(name: str) -> str:
    """A table name, checked to be parts of letters, digits and underscores, each in backticks."""
    parts = name.split(".")
    if not all(_PART.fullmatch(part) for part in parts):
        raise ExternalTableError(f"{name!r} is not a table name")
    return ".".join(f"`{part}`" for part in parts)


def _details(rows: list[Any]) -> dict[str, str]:
    """The ``# Detailed Table Information`` lines of ``DESCRIBE TABLE EXTENDED`` (Provider,
    Location, Created Time …), by lower-case name."""
    return {str(row[0]).strip().lower(): str(row[1]).strip() for row in rows if row[0]}
