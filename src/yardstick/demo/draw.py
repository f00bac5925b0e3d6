"""Vectorised draws the record generators share: seasonal dates, weighted units, exact shares.

Everything takes a NumPy ``Generator`` so that one seed gives the same records every time.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from yardstick.calendar import ROC_EPOCH_OFFSET

# Relative volume by month: fewer filings around the Lunar New Year (Jan/Feb), a year-end rush.
MONTH_WEIGHTS = np.array([0.95, 0.72, 1.02, 0.98, 1.03, 1.0, 1.04, 1.02, 0.99, 1.0, 1.05, 1.2])

Dates = NDArray[np.datetime64]


def dates_in_year(
    rng: np.random.Generator, roc_year: int, count: int, seasonal: bool = True
) -> Dates:
    """``count`` dates in an ROC year, by the month weights (uniform within a month)."""
    year = roc_year + ROC_EPOCH_OFFSET
    weights = MONTH_WEIGHTS / MONTH_WEIGHTS.sum() if seasonal else np.full(12, 1 / 12)
    months = rng.choice(12, size=count, p=weights)
    starts = np.array([np.datetime64(f"{year}-{m + 1:02d}-01") for m in range(12)])
    ends = np.array(
        [np.datetime64(f"{year + (m == 11)}-{(m + 1) % 12 + 1:02d}-01") for m in range(12)]
    )
    lengths = (ends - starts).astype(int)
    offsets = np.floor(rng.random(count) * lengths[months]).astype(int)
    dates: Dates = starts[months] + offsets.astype("timedelta64[D]")
    return dates


def unit_weights(rng: np.random.Generator, count: int, spread: float = 0.6) -> NDArray[np.float64]:
    """Relative sizes of ``count`` units: log-normal, so a few big offices and many small ones."""
    sizes: NDArray[np.float64] = rng.lognormal(0.0, spread, size=count)
    return sizes / float(sizes.sum())


def pick_units(
    rng: np.random.Generator, units: Sequence[str], weights: NDArray[np.float64], count: int
) -> NDArray[np.str_]:
    return np.asarray(units)[rng.choice(len(units), size=count, p=weights)]


def exact_share(rng: np.random.Generator, count: int, share: float) -> NDArray[np.bool_]:
    """A boolean mask with exactly ``round(share × count)`` True values, at random places."""
    mask = np.zeros(count, dtype=bool)
    mask[rng.permutation(count)[: int(round(share * count))]] = True
    return mask


def ids(prefix: str, count: int, start: int = 1) -> NDArray[np.str_]:
    """Stable, unique record ids: ``prefix000001`` …"""
    return np.char.add(prefix, np.char.zfill(np.arange(start, start + count).astype(str), 7))


def jitter(rng: np.random.Generator, level: float, spread: float) -> int:
    """A yearly volume near ``level``."""
    return max(1, int(round(level * (1 + rng.normal(0, spread)))))
