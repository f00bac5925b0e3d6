"""偵查案件: cases received by the district prosecutors' offices, closed in 106–109 or pending.

Days from receipt to closure are gamma-distributed (many quick cases, a long tail) and scaled so
that each year's 偵 cases average the calibrated number of days; other case words close faster.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, ids, jitter, pick_units, unit_weights
from yardstick.demo.tables import column, table

WORDS = np.array(["偵", "他", "相", "核退", "其他"])
WORD_SHARES = [0.86, 0.09, 0.03, 0.015, 0.005]
DISPOSITIONS = np.array(
    ["起訴", "聲請簡易判決處刑", "緩起訴", "不起訴", "職權不起訴", "簽結", "移轉", "其他"]
)
DISPOSITION_SHARES = [0.22, 0.18, 0.1, 0.3, 0.05, 0.08, 0.05, 0.02]


def generate(rng: np.random.Generator, scale: float, offices: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(offices), 0.8)
    parts = []
    for year in calibration.YEARS:
        count = jitter(rng, calibration.PROSECUTION_CLOSED_PER_YEAR * scale, 0.03)
        words = WORDS[rng.choice(5, count, p=WORD_SHARES)]
        days = _days(rng, words == "偵", calibration.PROSECUTION_MEAN_DAYS[year])
        closed = dates_in_year(rng, year, count)
        parts.append(
            table(
                {
                    "case_id": ids(f"{year}偵", count),
                    "prosecutors_office": pick_units(rng, offices, weights, count),
                    "case_word": words,
                    "received_on": closed - days.astype("timedelta64[D]"),
                    "closed_on": closed,
                    "disposition": DISPOSITIONS[rng.choice(8, count, p=DISPOSITION_SHARES)],
                }
            )
        )
    pending = max(1, int(calibration.PROSECUTION_CLOSED_PER_YEAR * scale * 0.08))
    none = np.ones(pending, dtype=bool)
    received = dates_in_year(rng, 109, pending)
    parts.append(
        table(
            {
                "case_id": ids("109偵未結", pending),
                "prosecutors_office": pick_units(rng, offices, weights, pending),
                "case_word": WORDS[rng.choice(5, pending, p=WORD_SHARES)],
                "received_on": received,
                "closed_on": column(received, null=none),
                "disposition": column(np.full(pending, ""), null=none),
            }
        )
    )
    return pa.concat_tables(parts)


def _days(rng: np.random.Generator, investigations: np.ndarray, mean_days: float) -> np.ndarray:
    """Whole days; the 偵 cases' mean is ``mean_days`` (to rounding), the rest close in ~20 days."""
    raw = rng.gamma(1.1, mean_days / 1.1, len(investigations))
    scaled = raw * mean_days / raw[investigations].mean() if investigations.any() else raw
    days = np.where(investigations, scaled, rng.gamma(1.0, 20.0, len(investigations)))
    return np.round(days).astype(int)
