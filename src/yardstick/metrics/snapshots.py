"""Snapshot completeness: which org units lack the count a year-end (or month-end) snapshot needs.

A head-count KPI (5-1 超收率) sums each facility's last count in December. A facility that
counted earlier in the year but not in December has no year-end figure of its own; summing the
other facilities would make its parents' values — up to the ministry — silently partial. So
such a value is incomplete: ``None``, with a reason naming the facilities (and 白燈 when
assessed), never a partial sum. In-year, month ``m``'s snapshot likewise needs a count in ``m``
from every unit that counted earlier in the year.

Presence is read with one small query per snapshot scan: the (year, month, unit) triples that
have records at all.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlglot import exp

from yardstick.metrics.compiler import (
    PERIOD_MONTH,
    PERIOD_YEAR,
    RECORD_UNIT,
    DatasetShape,
    Scan,
    ScanKey,
    records_of,
)

NAMED_AT_MOST = 5  # units named in a reason; the rest are counted


def presence_query(
    scan: Scan, shape: DatasetShape, source: exp.Expr, years: tuple[int, int]
) -> exp.Select:
    """``SELECT DISTINCT year, month, unit`` over every record of the scan's dataset in ``years``."""
    every_record = Scan(ScanKey(scan.key.dataset, scan.key.period_column, "any"))
    records = records_of(every_record, shape, source, years, by_month=True)
    columns = [exp.column(PERIOD_YEAR), exp.column(PERIOD_MONTH), exp.column(RECORD_UNIT)]
    return (
        exp.select(*columns)
        .distinct()
        .from_(exp.alias_(exp.Subquery(this=records), "records", table=True))
    )


@dataclass
class Presence:
    """The months in which each unit has records, by ROC year."""

    months: dict[tuple[int, str], set[int]] = field(default_factory=lambda: defaultdict(set))

    @classmethod
    def from_rows(cls, rows: Iterable[Sequence[Any]]) -> Presence:
        """From the rows of :func:`presence_query`."""
        presence = cls()
        for year, month, unit in rows:
            presence.months[(int(year), str(unit))].add(int(month))
        return presence

    def missing(self, year: int, month: int) -> list[str]:
        """Units with records earlier in ``year`` but none in ``month``."""
        return sorted(
            unit
            for (y, unit), months in self.months.items()
            if y == year and month not in months and min(months) < month
        )


def incomplete_cells(
    presence: Presence, unit_paths: Sequence[Sequence[str | None]], years: Iterable[int]
) -> dict[tuple[int, str], str]:
    """(year, unit) → reason, for each unit without a December count and every unit above it
    (a unit outside the hierarchy counts nowhere, so it makes nothing incomplete)."""
    path_of = {str(path[0]): [u for u in path[1:] if u is not None] for path in unit_paths}
    out: dict[tuple[int, str], str] = {}
    for year in years:
        below: dict[str, list[str]] = defaultdict(list)
        for unit in presence.missing(year, 12):
            for above in path_of.get(unit, []):
                below[above].append(unit)
        out |= {(year, unit): incomplete_reason(units, year, 12) for unit, units in below.items()}
    return out


def incomplete_reason(units: Sequence[str], year: int, month: int) -> str:
    """``incomplete: MOJ.AOC.A, MOJ.AOC.B have no count in 109年12月``."""
    named = ", ".join(units[:NAMED_AT_MOST])
    if len(units) > NAMED_AT_MOST:
        named += f" and {len(units) - NAMED_AT_MOST} more"
    verb = "has" if len(units) == 1 else "have"
    return f"incomplete: {named} {verb} no count in {year}年{month}月"
