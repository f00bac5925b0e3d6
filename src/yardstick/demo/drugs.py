"""毒品: first-instance judgments per defendant, and seizures with net weight and purity.

Each year exactly the calibrated number of defendants are sentenced for making, selling or
transporting drugs; around them sit acquittals, guilty-but-exempt defendants and the larger
numbers judged for possession, use and transfer. Seizures are log-normal in weight, with purity
by schedule, scaled so that the year's pure net weight is the calibrated one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, ids, pick_units, unit_weights
from yardstick.demo.tables import table

DEALING = np.array(["製造", "販賣", "運輸"])
OTHER_OFFENCES = np.array(["轉讓", "持有", "施用", "其他"])
DRUGS = [
    ("海洛因", 1, 0.55),
    ("安非他命", 2, 0.75),
    ("甲基安非他命", 2, 0.8),
    ("大麻", 2, 0.3),
    ("MDMA", 2, 0.5),
    ("愷他命", 3, 0.7),
    ("硝甲西泮", 4, 0.6),
]
AGENCIES = np.array(["調查局", "警政署", "海巡署", "憲兵指揮部", "關務署", "其他"])


def judgments(rng: np.random.Generator, offices: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(offices))
    parts = []
    for year in calibration.YEARS:
        sentenced = calibration.DRUG_DEALERS_SENTENCED[year]
        others = int(sentenced * 0.12)  # dealers acquitted, exempt or otherwise judged
        minor = int(rng.normal(7_000, 300))
        count = sentenced + others + minor
        offence = np.concatenate(
            [
                DEALING[rng.choice(3, sentenced + others, p=[0.05, 0.85, 0.1])],
                OTHER_OFFENCES[rng.choice(4, minor, p=[0.1, 0.35, 0.5, 0.05])],
            ]
        )
        verdict = np.full(count, "有罪", dtype="<U3")
        verdict[sentenced : sentenced + others] = rng.choice(
            np.array(["無罪", "有罪", "免訴", "不受理", "其他"]),
            others,
            p=[0.6, 0.2, 0.05, 0.1, 0.05],
        )
        verdict[sentenced + others :] = rng.choice(
            np.array(["有罪", "無罪"]), minor, p=[0.93, 0.07]
        )
        is_sentenced = verdict == "有罪"
        is_sentenced[sentenced : sentenced + others] = False  # guilty but exempt from punishment
        parts.append(
            table(
                {
                    "case_id": ids(f"{year}訴", count),
                    "defendant_id": ids("D", count),
                    "prosecutors_office": pick_units(rng, offices, weights, count),
                    "judged_on": dates_in_year(rng, year, count),
                    "offence": offence,
                    "drug_schedule": rng.choice(4, count, p=[0.3, 0.55, 0.1, 0.05]) + 1,
                    "verdict": verdict,
                    "sentenced": is_sentenced,
                }
            )
        )
    return pa.concat_tables(parts)


def seizures(rng: np.random.Generator, offices: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(offices))
    parts = []
    for year in calibration.YEARS:
        count = int(rng.normal(4_200, 150))
        kinds = rng.choice(len(DRUGS), count, p=[0.08, 0.3, 0.2, 0.12, 0.05, 0.2, 0.05])
        purity = np.clip(
            rng.beta(6, 3, count) * np.array([d[2] for d in DRUGS])[kinds] / 0.667, 0.01, 1.0
        )
        net = rng.lognormal(-1.0, 2.2, count)
        net *= calibration.PURE_KG_SEIZED[year] / float((net * purity).sum())
        parts.append(
            table(
                {
                    "seizure_id": ids(f"{year}查", count),
                    "prosecutors_office": pick_units(rng, offices, weights, count),
                    "seizing_agency": AGENCIES[
                        rng.choice(6, count, p=[0.2, 0.45, 0.15, 0.03, 0.15, 0.02])
                    ],
                    "seized_on": dates_in_year(rng, year, count, seasonal=False),
                    "drug_name": np.array([d[0] for d in DRUGS])[kinds],
                    "drug_schedule": np.array([d[1] for d in DRUGS])[kinds],
                    "net_weight_kg": np.maximum(np.round(net, 4), 0.0001),
                    "purity": np.round(purity, 4),
                }
            )
        )
    return pa.concat_tables(parts)
