"""Progress of a long ingest, reported as (stage, fraction done) to whoever shows it.

The CLI draws a Rich progress bar from these reports; the API takes any callable. While DuckDB
runs a statement, :func:`watch_query` polls the connection's own progress from a thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import duckdb

Progress = Callable[[str, float], None]
"""Called with a stage name (checksum, validate, write, register) and the fraction done, 0–1."""

_POLL_SECONDS = 0.2


@contextmanager
def watch_query(
    connection: duckdb.DuckDBPyConnection, stage: str, progress: Progress | None
) -> Iterator[None]:
    """Report ``stage`` progress from DuckDB's query progress while the block runs."""
    if progress is None:
        yield
        return
    done = threading.Event()

    def poll() -> None:
        while not done.wait(_POLL_SECONDS):
            percent = connection.query_progress()
            if percent >= 0:
                progress(stage, min(percent / 100.0, 1.0))

    progress(stage, 0.0)
    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    try:
        yield
    finally:
        done.set()
        watcher.join()
        progress(stage, 1.0)
