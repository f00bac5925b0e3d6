"""矯正: daily head-counts against approved capacity by facility, and employment referrals.

Approved capacity totals 56,877 in 106 (the published figure) and grows as expansions open
(宜蘭 in 108, 雲林第二監獄 in 109). Inmates drift from the 106 to the 109 overcrowding level with
weekly noise; on 31 December of each year the total is set to the calibrated rate exactly.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, exact_share, ids, pick_units, unit_weights
from yardstick.demo.tables import column, table

EXPANSIONS = {108: 450, 109: 1_250}  # added capacity from 1 January of the year
SERVICE_POINTS = np.array(
    [
        "臺北市",
        "新北市",
        "桃園市",
        "臺中市",
        "臺南市",
        "高雄市",
        "彰化縣",
        "屏東縣",
        "花蓮縣",
        "宜蘭縣",
    ]
)


def population(rng: np.random.Generator, facilities: Sequence[str]) -> pa.Table:
    shares = unit_weights(rng, len(facilities), 0.5)
    base = _integers(shares * calibration.APPROVED_CAPACITY, calibration.APPROVED_CAPACITY)
    offsets = rng.normal(0, 0.06, len(facilities))
    parts = []
    capacity = base.copy()
    for year in calibration.YEARS:
        capacity = capacity + _integers(shares, EXPANSIONS.get(year, 0))
        days = np.arange(
            np.datetime64(f"{year + 1911}-01-01"), np.datetime64(f"{year + 1912}-01-01")
        )
        level = np.linspace(
            calibration.OVERCROWDING.get(year - 1, calibration.OVERCROWDING[year]),
            calibration.OVERCROWDING[year],
            len(days),
        )
        noise = rng.normal(0, 0.004, (len(days), len(facilities)))
        inmates = np.round(capacity * (1 + level[:, None] + offsets + noise)).astype(np.int64)
        inmates[-1] = _year_end(capacity, offsets, calibration.OVERCROWDING[year])
        parts.append(
            table(
                {
                    "facility": np.tile(np.asarray(facilities), len(days)),
                    "counted_on": np.repeat(days, len(facilities)),
                    "inmates": inmates.ravel(),
                    "approved_capacity": np.tile(capacity, len(days)),
                }
            )
        )
    return pa.concat_tables(parts)


def _year_end(capacity: np.ndarray, offsets: np.ndarray, rate: float) -> np.ndarray:
    """Head-counts on 31 December whose total over capacity is ``rate`` exactly (to a person)."""
    total = int(round(capacity.sum() * (1 + rate)))
    return _integers(capacity * (1 + offsets), total)


def _integers(weights: np.ndarray, total: int) -> np.ndarray:
    """Whole numbers proportional to ``weights`` adding up to ``total`` (largest remainder)."""
    exact = weights / weights.sum() * total
    whole: np.ndarray = np.floor(exact).astype(np.int64)
    whole[np.argsort(exact - whole)[::-1][: total - int(whole.sum())]] += 1
    return whole


def referrals(rng: np.random.Generator, facilities: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(facilities))
    parts = []
    for year in calibration.YEARS:
        count = int(rng.normal(9_000, 250))
        released = dates_in_year(rng, year, count)
        referred = released + rng.integers(0, 5, count).astype("timedelta64[D]")
        referred = np.minimum(referred, np.datetime64(f"{year + 1911}-12-31"))
        opened = exact_share(rng, count, calibration.REFERRALS_OPENED[year])
        opened_on = referred + rng.gamma(1.5, 8, count).astype(int).astype("timedelta64[D]")
        parts.append(
            table(
                {
                    "referral_id": ids(f"{year}轉", count),
                    "person_id": ids("R", count),
                    "facility": pick_units(rng, facilities, weights, count),
                    "released_on": released,
                    "referred_on": referred,
                    "service_point": SERVICE_POINTS[rng.choice(len(SERVICE_POINTS), count)],
                    "case_opened": opened,
                    "case_opened_on": column(opened_on, null=~opened),
                }
            )
        )
    return pa.concat_tables(parts)
