"""Keys across batches (跨批次重複鍵值): a case is counted once, whichever batch holds it.

Keys are unique within a file (:mod:`~yardstick.datasets.duplicates`), but an agency that sends
a corrected re-extract of the same cases makes a second batch holding them again; with both
active every case would be counted twice. So a new batch whose keys are in an active batch of
the same dataset is refused (:class:`~yardstick.datasets.errors.KeyOverlapError`), unless it is
ingested as replacing that batch. The check compares 64-bit hashes of the keys of the new
``data.parquet`` with those of the active batches' files (a semi-join on integers, cheap at
millions of rows); only the rows whose hash matches have their key values compared, so a hash
collision never refuses a batch. :class:`OverlapGuard` runs it before the registry's write lock
against the batches active then (the long part), and again under the lock
(:meth:`~yardstick.datasets.registry.BatchRegistry.register`) against any batch registered
since, so two ingests at once cannot both pass it and the lock is held only briefly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from sqlglot import exp

from yardstick.datasets.contract import Contract
from yardstick.datasets.errors import KeyOverlapError
from yardstick.datasets.registry import Batch

EXAMPLES = 3
"""Overlapping keys named in the refusal, per batch."""


@dataclass(frozen=True)
class Overlap:
    """Keys of the new batch that an active batch already holds: how many, and a few."""

    batch: Batch
    keys: int
    examples: list[str]


@dataclass
class OverlapGuard:
    """The key check of one new batch (``data``, from the file ``name``): call it with active
    batches; it raises :class:`KeyOverlapError` if they hold some of its keys, and checks each
    batch once however often it is called."""

    contract: Contract
    name: str
    data: Path
    memory_limit: str = "1GB"
    checked: set[str] = field(default_factory=set)

    def __call__(self, active: list[Batch]) -> None:
        unchecked = [batch for batch in active if batch.id not in self.checked]
        overlaps = find_overlaps(self.contract, self.data, unchecked, self.memory_limit)
        if overlaps:
            raise KeyOverlapError(overlap_message(self.name, self.contract, overlaps))
        self.checked |= {batch.id for batch in unchecked}


def overlap_message(name: str, contract: Contract, overlaps: list[Overlap]) -> str:
    """The refusal: how many keys, which batches hold them, a few of them, what to do."""
    total = sum(overlap.keys for overlap in overlaps)
    held = "; ".join(
        f"batch {o.batch.id} ({o.batch.source_name}) holds {o.keys:,}: "
        f"{', '.join(o.examples)}{', …' if o.keys > len(o.examples) else ''}"
        for o in overlaps
    )
    ids = " ".join(f"--replaces {o.batch.id}" for o in overlaps)
    return (
        f"{name}: {total:,} key{'s' * (total != 1)} ({', '.join(contract.key)}) already in "
        f"active batches of {contract.name}, which would count those records twice — {held}; "
        f'if this file corrects them, ingest it with {ids} --reason "…"'
    )


def find_overlaps(
    contract: Contract, data: Path, active: list[Batch], memory_limit: str = "1GB"
) -> list[Overlap]:
    """The active batches (of ``contract``'s dataset) holding keys of the rows in ``data``.

    Batches written under the contract's version have its columns; those of other versions
    are compared only if they have the key columns, and their files are then read by name.
    """
    files = [batch for batch in active if batch.parquet_path.is_file()]
    if not files or not contract.key:
        return []
    with duckdb.connect(":memory:") as connection:
        connection.execute("SET memory_limit = $limit", {"limit": memory_limit})
        older = [b for b in files if b.contract_version != contract.version]
        keyless = {b.id for b in older if not _has_columns(connection, b, contract.key)}
        by_file = {str(b.parquet_path): b for b in files if b.id not in keyless}
        if not by_file:
            return []
        query = overlap_query(contract.key, by_name=len(older) > len(keyless))
        rows = connection.execute(
            query.sql("duckdb"), {"new": str(data), "old": list(by_file), "examples": EXAMPLES}
        ).fetchall()
    return [Overlap(by_file[str(name)], int(count), list(shown)) for name, count, shown in rows]


def _has_columns(connection: duckdb.DuckDBPyConnection, batch: Batch, names: list[str]) -> bool:
    rows = connection.execute(
        "SELECT name FROM parquet_schema($path)", {"path": str(batch.parquet_path)}
    ).fetchall()
    return set(names) <= {str(row[0]) for row in rows}


def _keys(alias: str, key: list[str]) -> list[exp.Expr]:
    return [exp.column(name, alias, quoted=True) for name in key]


def _hash(alias: str, key: list[str]) -> exp.Expr:
    return exp.func("hash", *_keys(alias, key))


def _present(alias: str, key: list[str]) -> exp.Expr:
    return exp.and_(*(exp.not_(exp.Is(this=k, expression=exp.null())) for k in _keys(alias, key)))


def _parquet(parameter: str, alias: str, *options: exp.Expr) -> exp.Expr:
    reader = exp.func("read_parquet", exp.Placeholder(this=parameter), *options)
    return exp.Table(this=reader, alias=exp.TableAlias(this=exp.to_identifier(alias)))


def _shown(alias: str, key: list[str]) -> exp.Expr:
    """A key as the refusal shows it: the value, or ``(a=1, b=2)`` for a key of several columns."""
    values = [exp.cast(k, "VARCHAR") for k in _keys(alias, key)]
    if len(values) == 1:
        return values[0]
    shown: exp.Expr = exp.Literal.string("(")
    for index, (name, value) in enumerate(zip(key, values, strict=True)):
        label = f"{', ' if index else ''}{name}="
        shown = exp.DPipe(
            this=exp.DPipe(this=shown, expression=exp.Literal.string(label)), expression=value
        )
    return exp.DPipe(this=shown, expression=exp.Literal.string(")"))


def overlap_query(key: list[str], *, by_name: bool = False) -> exp.Select:
    """Per active file (``$old``) holding keys of ``$new``: its name, how many, a few of them.

    The old rows are first narrowed to those whose key hash is among the new hashes; only
    those are joined on the key values themselves. ``by_name``: the files' columns differ
    (other contract versions) and are matched by name (it costs a read of every schema).
    """
    options = [exp.PropertyEQ(this=exp.to_identifier("filename"), expression=exp.true())]
    if by_name:
        options.append(
            exp.PropertyEQ(this=exp.to_identifier("union_by_name"), expression=exp.true())
        )
    new_hashes = (
        exp.select(exp.alias_(_hash("n", key), "h"))
        .from_(_parquet("new", "n"))
        .where(_present("n", key))
    )
    candidates = (
        exp.select(exp.column("filename", "o"), *_keys("o", key))
        .from_(_parquet("old", "o", *options))
        .where(_hash("o", key).isin(query=new_hashes))
    )
    same_key = exp.and_(
        *(
            exp.EQ(this=c, expression=n)
            for c, n in zip(_keys("c", key), _keys("n", key), strict=True)
        )
    )
    # the first few keys in order: DuckDB's min(x, n), without gathering all of them
    shown = exp.Anonymous(
        this="min", expressions=[_shown("c", key), exp.Placeholder(this="examples")]
    )
    return (
        exp.select(
            exp.column("filename", "c"), exp.func("count", exp.Star()), exp.alias_(shown, "shown")
        )
        .from_(candidates.subquery("c"))
        .join(_parquet("new", "n"), on=same_key)
        .group_by(exp.column("filename", "c"))
        .order_by(exp.column("filename", "c"))
    )
