"""Values of data elements (資料項目) entered by people: survey results, milestone progress.

Values are stored append-only in ``elements.sqlite`` under the data directory: entering a value
again adds a row, and the newest approved row for an element, year and org unit is the one used.
The web app will add the approval workflow; until then a value entered through the CLI must name
who entered it and who approved it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from yardstick.datasets.contract import DataElement
from yardstick.errors import YardstickError

_SCHEMA = """
CREATE TABLE IF NOT EXISTS element_values (
    id INTEGER PRIMARY KEY,
    element TEXT NOT NULL,
    year INTEGER NOT NULL,
    org_unit TEXT NOT NULL,
    value REAL NOT NULL,
    entered_by TEXT NOT NULL,
    approved_by TEXT,
    entered_at TEXT NOT NULL,
    note TEXT
)
"""


class ElementValueError(YardstickError):
    """A data element value out of range, between milestones or entered by the wrong unit."""


@dataclass(frozen=True)
class ElementValue:
    """One entered value of a data element for an ROC year and org unit."""

    element: str
    year: int
    org_unit: str
    value: float
    entered_by: str
    approved_by: str | None
    entered_at: str
    note: str | None = None


def check_entry(element: DataElement, org_unit: str, value: float) -> None:
    """Refuse what a KPI would never read: another unit's entry, a value off the range or
    between milestones (3-1 knows only 90, 95 and 100: 93 means nothing)."""
    if org_unit != element.org_unit:
        raise ElementValueError(f"{element.name} is entered by {element.org_unit}, not {org_unit}")
    if not element.minimum <= value <= element.maximum:
        raise ElementValueError(
            f"{element.name}: {value:g} is outside {element.minimum:g}–{element.maximum:g} {element.unit}"
        )
    accepted = element.accepted_values
    if accepted is not None and value not in accepted:
        raise ElementValueError(
            f"{element.name}: {value:g} is not a milestone; enter {_listed(element, accepted)}"
        )


def _listed(element: DataElement, accepted: list[float]) -> str:
    """``0 (no milestone reached), 90, 95 or 100``."""
    shown = [f"{value:g}" for value in accepted]
    if accepted[0] not in (m.percent for m in element.milestones):
        shown[0] += " (no milestone reached)"
    return f"{', '.join(shown[:-1])} or {shown[-1]}" if len(shown) > 1 else shown[0]


def check_approver(entered_by: str, approved_by: str | None) -> None:
    """Four eyes: nobody approves a value they entered themselves."""
    if approved_by is not None and approved_by == entered_by:
        raise ElementValueError(
            f"{approved_by} entered this value and may not approve it too (another person must)"
        )


def nothing_to_approve(element: str, year: int, org_unit: str) -> str:
    return f"no value of {element} for {year}年 at {org_unit} is waiting for approval"


class ElementStore(Protocol):
    """Entered data element values, append-only (the interface; implemented by the SQLite file
    below and by the deployment's database)."""

    def enter(
        self,
        element: DataElement,
        year: int,
        org_unit: str,
        value: float,
        entered_by: str,
        approved_by: str | None,
        note: str | None = None,
    ) -> ElementValue:
        """Record a value after :func:`check_entry` and :func:`check_approver`."""
        ...

    def approve(self, element: str, year: int, org_unit: str, approver: str) -> ElementValue:
        """Approve the newest value entered for the cell and not yet approved."""
        ...

    def approved(self) -> dict[tuple[str, int, str], ElementValue]:
        """The newest approved value per (element, year, org unit)."""
        ...


class FileElementStore:
    """The append-only table of entered data element values in ``elements.sqlite``."""

    def __init__(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        self.path = data_dir / "elements.sqlite"
        with self._connect() as connection:
            connection.execute(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path)
        connection.execute("PRAGMA journal_mode=WAL")
        return connection

    def enter(
        self,
        element: DataElement,
        year: int,
        org_unit: str,
        value: float,
        entered_by: str,
        approved_by: str | None,
        note: str | None = None,
    ) -> ElementValue:
        """Record a value after checking it against the element's unit, range and milestones."""
        check_entry(element, org_unit, value)
        check_approver(entered_by, approved_by)
        row = ElementValue(
            element.name,
            year,
            org_unit,
            value,
            entered_by,
            approved_by,
            datetime.now(UTC).isoformat(timespec="seconds"),
            note,
        )
        with self._connect() as connection:
            connection.execute(
                "INSERT INTO element_values (element, year, org_unit, value, entered_by, approved_by, entered_at, note)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    row.element,
                    row.year,
                    row.org_unit,
                    row.value,
                    row.entered_by,
                    row.approved_by,
                    row.entered_at,
                    row.note,
                ),
            )
        return row

    def approve(self, element: str, year: int, org_unit: str, approver: str) -> ElementValue:
        with self._connect() as connection:
            row = connection.execute(
                "SELECT id, element, year, org_unit, value, entered_by, approved_by, entered_at, note"
                " FROM element_values WHERE element = ? AND year = ? AND org_unit = ?"
                " AND approved_by IS NULL ORDER BY id DESC LIMIT 1",
                (element, year, org_unit),
            ).fetchone()
            if row is None:
                raise ElementValueError(nothing_to_approve(element, year, org_unit))
            check_approver(row[5], approver)
            connection.execute(
                "UPDATE element_values SET approved_by = ? WHERE id = ?", (approver, row[0])
            )
        _, name, year_, unit, value, entered_by, _, entered_at, note = row
        return ElementValue(name, year_, unit, value, entered_by, approver, entered_at, note)

    def approved(self) -> dict[tuple[str, int, str], ElementValue]:
        """The newest approved value per (element, year, org unit)."""
        with self._connect() as connection:
            rows = connection.execute(
                "SELECT element, year, org_unit, value, entered_by, approved_by, entered_at, note"
                " FROM element_values WHERE approved_by IS NOT NULL ORDER BY id"
            ).fetchall()
        latest: dict[tuple[str, int, str], ElementValue] = {}
        for row in rows:
            value = ElementValue(*row)
            latest[(value.element, value.year, value.org_unit)] = value
        return latest
