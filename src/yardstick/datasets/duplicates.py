"""Keys and ``unique`` columns across rows (重複鍵值): every row whose key repeats is quarantined.

Run after validation, over the good rows written to ``data.parquet`` and the rows set aside: a
value repeated between a good and a bad row is a repetition all the same. The distinct 64-bit
hashes of the values are counted first (cheap); only if some hash repeats are the values
themselves grouped.
When good rows repeat a key, they are taken out of ``data.parquet`` (rewritten without them) and
their row numbers in the source recovered from their order among the good rows and the row
numbers of the bad ones.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.contract import Contract
from yardstick.datasets.places import PLACED, SET_ASIDE

DUPLICATE_ROWS = "duplicate_rows"
"""Every row whose key repeats: ``position`` (0 = first record), ``group_index``, ``shown``
(the values as ``name=value; …``) and ``times`` (how many rows share them)."""


@dataclass(frozen=True)
class RepeatedGroup:
    """A set of columns (the key, or one ``unique`` column) whose values repeat in the file."""

    index: int
    columns: list[str]

    @property
    def table(self) -> str:
        """The temp table of its repeated values and how often each occurs."""
        return f"duplicates_{self.index}"


def _quoted(name: str) -> str:
    return exp.to_identifier(name, quoted=True).sql(dialect="duckdb")


def _all_values(columns: list[str], with_set_aside: bool) -> str:
    """The values of ``columns`` in every row: good rows (data.parquet) and set-aside ones."""
    names = ", ".join(_quoted(name) for name in columns)
    good = f"SELECT {names} FROM read_parquet($data)"
    if not with_set_aside:
        return good
    aside = ", ".join(f"keys.{_quoted(name)} AS {_quoted(name)}" for name in columns)
    return f"{good} UNION ALL SELECT {aside} FROM {SET_ASIDE}"


def find_repeated(
    connection: duckdb.DuckDBPyConnection,
    groups: list[list[str]],
    data: Path,
    with_set_aside: bool,
) -> list[RepeatedGroup]:
    """The groups whose values repeat, each with its table of repeated values (and ``__times``)."""
    repeated = []
    for index, columns in enumerate(groups):
        names = ", ".join(_quoted(name) for name in columns)
        present = " AND ".join(f"{_quoted(name)} IS NOT NULL" for name in columns)
        rows = f"SELECT * FROM ({_all_values(columns, with_set_aside)}) WHERE {present}"
        params = {"data": str(data)}
        found = connection.execute(  # a DISTINCT count is cheaper than a GROUP BY
            f"SELECT count(*) - count(DISTINCT hash({names})) FROM ({rows})", params
        ).fetchone()
        if not found or not found[0]:
            continue
        candidates = f"SELECT hash({names}) AS h FROM ({rows}) GROUP BY h HAVING count(*) > 1"
        group = RepeatedGroup(index, columns)
        connection.execute(
            f"CREATE OR REPLACE TEMP TABLE {group.table} AS SELECT {names}, count(*) AS __times "
            f"FROM ({rows}) WHERE hash({names}) IN ({candidates}) "
            f"GROUP BY ALL HAVING count(*) > 1",
            params,
        )
        counted = connection.execute(f"SELECT count(*) FROM {group.table}").fetchone()
        if counted and counted[0]:
            repeated.append(group)
    return repeated


def _join(columns: list[str], left: str, right: str) -> str:
    return " AND ".join(f"{left}.{_quoted(n)} = {right}.{_quoted(n)}" for n in columns)


def _shown(columns: list[str], table: str) -> str:
    parts = [
        f"{exp.Literal.string(name + '=').sql()} || CAST({table}.{_quoted(name)} AS VARCHAR)"
        for name in columns
    ]
    return f"concat_ws('; ', {', '.join(parts)})"


def collect_duplicate_rows(
    connection: duckdb.DuckDBPyConnection,
    groups: list[RepeatedGroup],
    data: Path,
    with_set_aside: bool,
) -> int:
    """Create :data:`DUPLICATE_ROWS`; the number of good rows among them (to be taken out).

    A good row's position in the source is its position among the good rows (``d``) plus the
    number of bad rows before it: the bad row at position ``p`` with ``j`` bad rows before it has
    ``p - j`` good rows before it, so it precedes the good row ``d`` exactly when ``p - j <= d``.
    """
    parts = []
    for group in groups:
        good_key = _join(group.columns, "g", "r")
        parts.append(
            f"SELECT g.file_row_number AS good_row, NULL::BIGINT AS position, "
            f"{group.index} AS group_index, {_shown(group.columns, 'g')} AS shown, "
            f"r.__times AS times "
            f"FROM read_parquet($data, file_row_number = true) g JOIN {group.table} r "
            f"ON {good_key}"
        )
        if with_set_aside:
            keys = " AND ".join(f"s.keys.{_quoted(n)} = r.{_quoted(n)}" for n in group.columns)
            shown = _shown(group.columns, "r")
            parts.append(
                f"SELECT NULL::BIGINT, p.position, {group.index}, {shown}, r.__times "
                f"FROM {SET_ASIDE} s JOIN {PLACED} p USING (id) JOIN {group.table} r ON {keys}"
            )
    found = " UNION ALL ".join(parts)
    if with_set_aside:
        before = (
            f"SELECT position - (row_number() OVER (ORDER BY position) - 1) AS good_before "
            f"FROM {PLACED}"
        )
        shift = f"(SELECT count(*) FROM ({before}) b WHERE b.good_before <= f.good_row)"
    else:
        shift = "0"
    connection.execute(
        f"CREATE OR REPLACE TEMP TABLE {DUPLICATE_ROWS} AS "
        f"SELECT good_row, coalesce(position, good_row + {shift}) AS position, group_index, "
        f"shown, times FROM ({found}) f",
        {"data": str(data)},
    )
    row = connection.execute(f"SELECT count(DISTINCT good_row) FROM {DUPLICATE_ROWS}").fetchone()
    return int(row[0]) if row else 0


def remove_duplicate_rows(
    connection: duckdb.DuckDBPyConnection, contract: Contract, data: Path
) -> int:
    """Rewrite ``data`` without the good rows of :data:`DUPLICATE_ROWS`; the rows kept."""
    names = ", ".join(_quoted(name) for name in contract.column_names)
    rewritten = data.with_suffix(".dedup.parquet")
    row = connection.execute(
        f"COPY (SELECT {names} FROM read_parquet($data, file_row_number = true) "
        f"WHERE file_row_number NOT IN (SELECT good_row FROM {DUPLICATE_ROWS} "
        f"WHERE good_row IS NOT NULL)) TO $target (FORMAT parquet)",
        {"data": str(data), "target": str(rewritten)},
    ).fetchone()
    rewritten.replace(data)
    return int(row[0]) if row else 0
