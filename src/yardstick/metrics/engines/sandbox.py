"""DuckDB with least privilege: it reads the files it is given, and nothing else, for a time.

Why: the SQL an engine runs is built from metric definitions that planners edit. The expression
checker and the re-read of the SQL (:mod:`.rendering`) keep their text out of it; this is the
layer behind them. The connection may read only the listed files (``allowed_paths``), then
``enable_external_access`` is switched off — no other file, no ``COPY … TO``, ``ATTACH``,
``INSTALL`` / ``LOAD``, no network — and ``lock_configuration`` on, so no ``SET`` can undo it.
DuckDB has no statement timeout: a timer interrupts a query that outlives the time limit.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from yardstick.metrics.engines.limits import Limits, limits_from_environment
from yardstick.metrics.errors import QueryTimeLimitError, UnsafeQueryError


class Sandbox:
    """An in-memory DuckDB connection locked down to read ``paths``."""

    def __init__(
        self, paths: Sequence[Path], limits: Limits | None = None, threads: int | None = None
    ) -> None:
        self.limits = limits or limits_from_environment()
        self._spill = tempfile.mkdtemp(prefix="yardstick-duckdb-")
        self.connection = duckdb.connect()
        settings: list[tuple[str, object]] = [
            ("allowed_paths", sorted({form for path in paths for form in _spellings(path)})),
            ("temp_directory", self._spill),
            ("memory_limit", self.limits.memory),
            *([("threads", threads)] if threads else []),
            ("autoinstall_known_extensions", False),
            ("autoload_known_extensions", False),
            ("enable_external_access", False),  # after allowed_paths: it cannot be set later
            ("lock_configuration", True),
        ]
        for name, value in settings:
            self.connection.execute(f"SET {name} = ?", [value])

    def run(self, text: str, parameters: Sequence[object] = ()) -> list[tuple[Any, ...]]:
        """Run SQL text within the time limit; a refused file access is our own error."""
        deadline = _Deadline(self.connection, self.limits.seconds)
        try:
            with deadline:
                return self.connection.execute(text, list(parameters)).fetchall()
        except duckdb.InterruptException:
            if not deadline.expired:
                raise
            raise QueryTimeLimitError(
                f"the query ran longer than the time limit of {self.limits.seconds:g} s "
                "(YARDSTICK_QUERY_TIME_LIMIT) and was stopped"
            ) from None
        except duckdb.PermissionException as error:
            raise UnsafeQueryError(
                f"DuckDB refused the query: {str(error).splitlines()[0]}"
            ) from None

    def close(self) -> None:
        self.connection.close()
        shutil.rmtree(self._spill, ignore_errors=True)


def _spellings(path: Path) -> tuple[str, str]:
    """A file as the query names it and as the file system resolves it (both are checked)."""
    return str(path), str(path.resolve())


class _Deadline:
    """Interrupts the connection if the query in hand is still running after ``seconds``."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self.connection = connection
        self.expired = False
        self._lock = threading.Lock()
        self._running = False
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._running = True
        self._timer.start()
        return self

    def __exit__(self, *_: object) -> None:
        with self._lock:  # once this returns, no interrupt can reach a later query
            self._running = False
        self._timer.cancel()

    def _expire(self) -> None:
        with self._lock:
            if self._running:
                self.expired = True
                self.connection.interrupt()
