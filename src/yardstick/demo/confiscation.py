"""犯罪所得沒收帳冊: amounts due when judgments became final (97–109) and collections after.

Each year's finalised cases owe log-normal amounts; about 62 % of what is owed is collected in
the end, spread over the year of finality and the five after it, so the cumulative realisation
rate since 97年1月 climbs slowly towards the 53 % target. Collections after 109 are not yet in
the ledger.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, ids, pick_units, unit_weights
from yardstick.demo.tables import table

FIRST_YEAR = 97
LAST_YEAR = 109
LAG_SHARES = np.array([0.3, 0.22, 0.16, 0.12, 0.1, 0.1])


def generate(rng: np.random.Generator, offices: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(offices))
    parts = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        cases = int(rng.normal(3_000 + 80 * (year - FIRST_YEAR), 100))
        finalised = dates_in_year(rng, year, cases)
        due = np.round(rng.lognormal(11.5, 1.6, cases))
        case_ids = ids(f"{year}執沒", cases)
        units = pick_units(rng, offices, weights, cases)
        parts.append(
            _entries(case_ids, units, finalised, finalised, due, np.zeros(cases), f"{year}D")
        )
        share = rng.beta(2.2, 1.35, cases) * calibration.CONFISCATION_COLLECTED_SHARE / (2.2 / 3.55)
        for lag, lag_share in enumerate(LAG_SHARES):
            if year + lag > LAST_YEAR:
                break
            paying = rng.random(cases) < 0.7
            amount = np.round(due * np.minimum(share, 1.0) * lag_share / 0.7)[paying]
            when = np.maximum(dates_in_year(rng, year + lag, int(paying.sum())), finalised[paying])
            keep = amount > 0
            parts.append(
                _entries(
                    case_ids[paying][keep],
                    units[paying][keep],
                    finalised[paying][keep],
                    when[keep],
                    np.zeros(int(keep.sum())),
                    amount[keep],
                    f"{year}C{lag}",
                )
            )
    return pa.concat_tables(parts)


def _entries(
    case_ids: np.ndarray,
    units: np.ndarray,
    finalised: np.ndarray,
    on: np.ndarray,
    due: np.ndarray,
    collected: np.ndarray,
    tag: str,
) -> pa.Table:
    return table(
        {
            "entry_id": ids(f"{tag}-", len(case_ids)),
            "case_id": case_ids,
            "prosecutors_office": units,
            "finalised_on": finalised,
            "entry_on": on,
            "amount_due": due,
            "amount_collected": collected,
        }
    )
