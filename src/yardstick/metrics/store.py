"""Computed KPI values with their lineage, kept in ``results.sqlite`` under the data directory.

Each stored (KPI, year) carries a fingerprint: the definition's content hash and the id and
checksum of every batch that can change that year's value (for a cumulative window, every batch
up to the year's end). Recomputing after a new batch touches only the (KPI, year) pairs whose
fingerprint changed; the rest are read back as they were.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, Protocol

from yardstick.metrics.results import BatchUsed, KpiValue, Lineage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS kpi_values (
    kpi TEXT NOT NULL,
    year INTEGER NOT NULL,
    org_unit TEXT NOT NULL,
    value REAL,
    unit TEXT NOT NULL,
    decimals INTEGER NOT NULL,
    inputs TEXT NOT NULL,
    reason TEXT,
    lineage TEXT,
    fingerprint TEXT NOT NULL,
    PRIMARY KEY (kpi, year, org_unit)
);
CREATE TABLE IF NOT EXISTS batch_years (
    batch_id TEXT NOT NULL,
    period_column TEXT NOT NULL,
    first_year INTEGER,
    last_year INTEGER,
    PRIMARY KEY (batch_id, period_column)
);
"""


def fingerprint(definition_hash: str, batches: Iterable[tuple[str, str]]) -> str:
    """A (KPI, year)'s fingerprint from its definition and the (id, checksum) of its batches."""
    text = json.dumps([definition_hash, sorted(batches)])
    return hashlib.sha256(text.encode()).hexdigest()[:20]


class ResultStore(Protocol):
    """KPI values by (KPI, ROC year, org unit), replaced a whole (KPI, year) at a time (the
    interface; implemented by the SQLite file below and by the deployment's database)."""

    def fingerprints(self) -> dict[tuple[str, int], str]:
        """The stored fingerprint of every (KPI, year)."""
        ...

    def replace(self, values: Sequence[KpiValue], prints: dict[tuple[str, int], str]) -> None:
        """Store the values of the (KPI, year) pairs in ``prints``, removing their old rows, at once."""
        ...

    def values(
        self, kpis: Iterable[str] | None = None, years: Iterable[int] | None = None
    ) -> list[KpiValue]:
        """Stored values, optionally only some KPIs and years, ordered by KPI, year and unit."""
        ...

    def batch_years(self) -> dict[tuple[str, str], tuple[int | None, int | None]]:
        """Cached first and last ROC year of each batch's records, by (batch, period column)."""
        ...

    def remember_batch_years(
        self, batch_id: str, column: str, first: int | None, last: int | None
    ) -> None: ...


class FileResultStore:
    """KPI values in ``results.sqlite`` under the data directory."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "results.sqlite"
        with self._connect() as connection:
            connection.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path)
        connection.execute("PRAGMA journal_mode=WAL")
        return connection

    def fingerprints(self) -> dict[tuple[str, int], str]:
        """The stored fingerprint of every (KPI, year)."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT DISTINCT kpi, year, fingerprint FROM kpi_values"
            ).fetchall()
        return {(kpi, year): print_ for kpi, year, print_ in rows}

    def replace(self, values: Sequence[KpiValue], prints: dict[tuple[str, int], str]) -> None:
        """Store the values of the (KPI, year) pairs in ``prints``, removing their old rows, at once."""
        with self._connect() as connection:
            for kpi, year in prints:
                connection.execute("DELETE FROM kpi_values WHERE kpi = ? AND year = ?", (kpi, year))
            connection.executemany(
                "INSERT INTO kpi_values VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    _row(value, prints[(value.kpi, value.year)])
                    for value in values
                    if (value.kpi, value.year) in prints
                ],
            )

    def values(
        self, kpis: Iterable[str] | None = None, years: Iterable[int] | None = None
    ) -> list[KpiValue]:
        """Stored values, optionally only some KPIs and years, ordered by KPI, year and unit."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT kpi, year, org_unit, value, unit, decimals, inputs, reason, lineage FROM kpi_values"
            ).fetchall()
        wanted_kpis, wanted_years = set(kpis or []), set(years or [])
        found = [_value(row) for row in rows]
        found = [
            v
            for v in found
            if (not wanted_kpis or v.kpi in wanted_kpis)
            and (not wanted_years or v.year in wanted_years)
        ]
        return sorted(
            found, key=lambda v: (tuple(int(p) for p in v.kpi.split("-")), v.year, v.org_unit)
        )

    def batch_years(self) -> dict[tuple[str, str], tuple[int | None, int | None]]:
        """Cached first and last ROC year of each batch's records, by (batch, period column)."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT batch_id, period_column, first_year, last_year FROM batch_years"
            ).fetchall()
        return {(batch, column): (first, last) for batch, column, first, last in rows}

    def remember_batch_years(
        self, batch_id: str, column: str, first: int | None, last: int | None
    ) -> None:
        with self._connect() as connection:
            connection.execute(
                "INSERT OR REPLACE INTO batch_years VALUES (?, ?, ?, ?)",
                (batch_id, column, first, last),
            )


def _row(value: KpiValue, print_: str) -> tuple[object, ...]:
    lineage = json.dumps(asdict(value.lineage), ensure_ascii=False) if value.lineage else None
    inputs = json.dumps(value.inputs, ensure_ascii=False)
    return (
        value.kpi,
        value.year,
        value.org_unit,
        value.value,
        value.unit,
        value.decimals,
        inputs,
        value.reason,
        lineage,
        print_,
    )


def _value(row: Sequence[object]) -> KpiValue:
    kpi, year, unit_code, value, unit, decimals, inputs, reason, lineage = row
    return KpiValue(
        kpi=str(kpi),
        year=int(year),  # type: ignore[call-overload]
        org_unit=str(unit_code),
        value=None if value is None else float(value),  # type: ignore[arg-type]
        unit=str(unit),
        decimals=int(decimals),  # type: ignore[call-overload]
        inputs=json.loads(str(inputs)),
        reason=None if reason is None else str(reason),
        lineage=_lineage(json.loads(str(lineage))) if lineage else None,
    )


def _lineage(data: dict[str, Any]) -> Lineage:
    batches = tuple(BatchUsed(**batch) for batch in data["batches"])
    return Lineage(**{**data, "sql": tuple(data["sql"]), "batches": batches})
