"""司法互助: mutual legal assistance requests with foreign countries and across the Strait.

Each year exactly the calibrated numbers of foreign and cross-strait cases are handled; a share
of the requests received late in 109 are still being handled.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, ids
from yardstick.demo.tables import column, table

COUNTRIES = np.array(
    ["美國", "日本", "越南", "菲律賓", "泰國", "印尼", "德國", "英國", "澳洲", "馬來西亞"]
)
TYPES = np.array(
    ["送達文書", "調查取證", "罪犯接返", "裁判認可", "人員遣返", "犯罪情資交換", "其他"]
)


def generate(rng: np.random.Generator, units: Sequence[str]) -> pa.Table:
    parts = []
    for year in calibration.YEARS:
        for channel, count in (
            ("外國", calibration.FOREIGN_ASSISTANCE[year]),
            ("兩岸", calibration.CROSS_STRAIT_ASSISTANCE[year]),
        ):
            parts.append(_requests(rng, year, channel, count, units, handled=True))
    parts.append(_requests(rng, 109, "兩岸", 400, units, handled=False))
    return pa.concat_tables(parts)


def _requests(
    rng: np.random.Generator,
    year: int,
    channel: str,
    count: int,
    units: Sequence[str],
    handled: bool,
) -> pa.Table:
    handled_on = dates_in_year(rng, year, count)
    received = handled_on - rng.gamma(1.5, 30, count).astype(int).astype("timedelta64[D]")
    counterpart = (
        np.full(count, "中國大陸")
        if channel == "兩岸"
        else COUNTRIES[rng.choice(len(COUNTRIES), count)]
    )
    weights = np.array([0.7] + [0.3 / (len(units) - 1)] * (len(units) - 1))
    return table(
        {
            "request_id": ids(f"{year}{channel}{'辦' if handled else '未'}", count),
            "handling_unit": np.asarray(units)[rng.choice(len(units), count, p=weights)],
            "channel": np.full(count, channel),
            "counterpart": counterpart,
            "matter": rng.choice(np.array(["民事", "刑事"]), count, p=[0.45, 0.55]),
            "direction": rng.choice(np.array(["請求", "受請求"]), count),
            "assistance_type": TYPES[rng.choice(len(TYPES), count)],
            "received_on": received if handled else handled_on,
            "handled_on": column(handled_on, null=None if handled else np.ones(count, dtype=bool)),
        }
    )
