"""How long a query may run and how much memory DuckDB may take, from the environment.

Why limits at all: the queries come from definitions that planners edit, and a query that runs
for hours or fills the server's memory is a denial of service even when it reads nothing it
should not. A bad value fails loudly instead of silently meaning "no limit".
"""

from __future__ import annotations

import math
import os
import re
from dataclasses import dataclass

from yardstick.metrics.errors import SettingError

TIME_LIMIT_VARIABLE = "YARDSTICK_QUERY_TIME_LIMIT"
MEMORY_LIMIT_VARIABLE = "YARDSTICK_DUCKDB_MEMORY_LIMIT"
DEFAULT_TIME_LIMIT = 600.0  # seconds: the full-size demo's longest scan takes well under a minute
DEFAULT_MEMORY_LIMIT = "1GB"
_SIZE = re.compile(r"\d+(?:\.\d+)?\s*(?:[KMGT]i?B|B)", re.IGNORECASE)


@dataclass(frozen=True)
class Limits:
    """A query's time limit in seconds and DuckDB's memory limit (such as ``1GB``)."""

    seconds: float = DEFAULT_TIME_LIMIT
    memory: str = DEFAULT_MEMORY_LIMIT


def limits_from_environment() -> Limits:
    """``YARDSTICK_QUERY_TIME_LIMIT`` (seconds) and ``YARDSTICK_DUCKDB_MEMORY_LIMIT``, else defaults."""
    return Limits(time_limit(), memory_limit())


def time_limit() -> float:
    text = os.environ.get(TIME_LIMIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_TIME_LIMIT
    try:
        seconds = float(text)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds > 0):
        raise SettingError(f"{TIME_LIMIT_VARIABLE}={text!r}: expected a number of seconds above 0")
    return seconds


def memory_limit() -> str:
    text = os.environ.get(MEMORY_LIMIT_VARIABLE, "").strip()
    if not text:
        return DEFAULT_MEMORY_LIMIT
    if not _SIZE.fullmatch(text):
        raise SettingError(
            f"{MEMORY_LIMIT_VARIABLE}={text!r}: expected a size such as 512MB or 4GB"
        )
    return text
