"""貪瀆: persons in 廉查 cases closed by the prosecutors, and persons with final judgments.

The shares prosecuted (3-2) and convicted (3-3) are the calibrated ones exactly; dismissals and
other outcomes, and a few cases indicted before the 98-07-08 action plan, sit beside them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, exact_share, ids, pick_units, unit_weights
from yardstick.demo.tables import table

PROSECUTED = np.array(["起訴", "緩起訴", "職權不起訴"])
NOT_PROSECUTED = np.array(["不起訴", "簽結", "其他"])
OFFENCES = np.array(["圖利罪", "非圖利罪", "非貪瀆罪"])
ACTION_PLAN = np.datetime64("2009-07-08")  # 國家廉政建設行動方案


def investigations(rng: np.random.Generator, offices: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(offices))
    parts = []
    for year in calibration.YEARS:
        count = int(rng.normal(1_600, 60))
        prosecuted = exact_share(rng, count, calibration.CORRUPTION_PROSECUTED[year])
        disposition = np.where(
            prosecuted,
            PROSECUTED[rng.choice(3, count, p=[0.72, 0.12, 0.16])],
            NOT_PROSECUTED[rng.choice(3, count, p=[0.8, 0.15, 0.05])],
        )
        closed = dates_in_year(rng, year, count)
        parts.append(
            table(
                {
                    "case_id": ids(f"{year}廉", count),
                    "person_id": ids("P", count),
                    "prosecutors_office": pick_units(rng, offices, weights, count),
                    "referred_on": closed
                    - rng.gamma(2.0, 90, count).astype(int).astype("timedelta64[D]"),
                    "closed_on": closed,
                    "disposition": disposition,
                }
            )
        )
    return pa.concat_tables(parts)


def judgments(rng: np.random.Generator, offices: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(offices))
    parts = []
    for year in calibration.YEARS:
        decided = int(rng.normal(900, 40))
        others = int(decided * 0.06)
        count = decided + others
        convicted = np.concatenate(
            [
                exact_share(rng, decided, calibration.CORRUPTION_CONVICTED[year]),
                np.zeros(others, dtype=bool),
            ]
        )
        outcome = np.where(convicted, "有罪", "無罪").astype("<U3")
        outcome[decided:] = rng.choice(np.array(["不受理", "其他"]), others)
        finalised = dates_in_year(rng, year, count)
        indicted = finalised - rng.gamma(3.0, 420, count).astype(int).astype("timedelta64[D]")
        indicted = np.maximum(
            indicted, ACTION_PLAN
        )  # the contract holds cases since the action plan
        parts.append(
            table(
                {
                    "case_id": ids(f"{year}貪", count),
                    "defendant_id": ids("J", count),
                    "prosecutors_office": pick_units(rng, offices, weights, count),
                    "indicted_on": indicted,
                    "finalised_on": finalised,
                    "outcome": outcome,
                    "convicted_offence": _offences(rng, convicted),
                }
            )
        )
    return pa.concat_tables(parts)


def _offences(rng: np.random.Generator, convicted: np.ndarray) -> pa.Array:
    from yardstick.demo.tables import column

    return column(OFFENCES[rng.choice(3, len(convicted), p=[0.15, 0.55, 0.3])], null=~convicted)
