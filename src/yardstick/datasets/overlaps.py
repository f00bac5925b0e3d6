"""Keys across batches (跨批次重複鍵值): a case is counted once, whichever batch holds it.

Keys are unique within a file (:mod:`~yardstick.datasets.duplicates`), but an agency that sends
a corrected re-extract of the same cases makes a second batch holding them again; with both
active every case would be counted twice. So a new batch whose keys are in an active batch of
the same dataset is refused (:class:`~yardstick.datasets.errors.KeyOverlapError`), unless it is
ingested as replacing that batch. The check compares 64-bit hashes of the keys of the new
``data.parquet`` with those of the active batches' files (a semi-join on integers, cheap at
millions of rows); only the rows whose hash matches have their key values compared, so a hash
collision never refuses a batch. It runs under the registry's write lock
(:meth:`~yardstick.datasets.registry.BatchRegistry.register`), so two ingests at once cannot
both pass it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
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


def overlap_guard(
    contract: Contract, name: str, data: Path, memory_limit: str = "1GB"
) -> Callable[[list[Batch]], None]:
    """The registry's guard for the new batch ``data`` (from the file ``name``): it raises
    :class:`KeyOverlapError` when the batches that stay active hold some of its keys."""

    def refuse_overlaps(active: list[Batch]) -> None:
        overlaps = find_overlaps(contract, data, active, memory_limit)
        if overlaps:
            raise KeyOverlapError(overlap_message(name, contract, overlaps))

    return refuse_overlaps


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
    """The active batches (of ``contract``'s dataset) holding keys of the rows in ``data``."""
    files = [batch for batch in active if batch.parquet_path.is_file()]
    if not files or not contract.key:
        return []
    by_file = {str(batch.parquet_path): batch for batch in files}
    with duckdb.connect(":memory:") as connection:
        connection.execute("SET memory_limit = $limit", {"limit": memory_limit})
        rows = connection.execute(
            overlap_query(contract.key).sql("duckdb"),
            {"new": str(data), "old": list(by_file), "examples": EXAMPLES},
        ).fetchall()
    return [Overlap(by_file[str(name)], int(count), list(shown)) for name, count, shown in rows]


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


def overlap_query(key: list[str]) -> exp.Select:
    """Per active file (``$old``) holding keys of ``$new``: its name, how many, a few of them.

    The old rows are first narrowed to those whose key hash is among the new hashes; only
    those are joined on the key values themselves.
    """
    named = exp.PropertyEQ(this=exp.to_identifier("filename"), expression=exp.true())
    by_name = exp.PropertyEQ(this=exp.to_identifier("union_by_name"), expression=exp.true())
    new_hashes = (
        exp.select(exp.alias_(_hash("n", key), "h"))
        .from_(_parquet("new", "n"))
        .where(_present("n", key))
    )
    candidates = (
        exp.select(exp.column("filename", "o"), *_keys("o", key))
        .from_(_parquet("old", "o", named, by_name))
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
