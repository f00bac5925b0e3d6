"""行政執行案件: cases referred to the enforcement branches, closed (or still open) 106–109.

Referred amounts are log-normal (most cases are small tax or premium debts, a long tail of large
ones). Closures: paid in full, partly paid (the rest by certificate, withdrawal or return), a
certificate of debt with nothing paid, withdrawn, returned. The effective closures of each year are
set to the calibrated share exactly, and records sit on every band boundary (20萬, 100萬, and a
payment of exactly 0.5 / 0.6 / 0.75 of the amount referred).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from yardstick.demo import calibration
from yardstick.demo.draw import dates_in_year, exact_share, ids, jitter, pick_units, unit_weights
from yardstick.demo.tables import column, table

OBLIGATIONS = np.array(["稅款", "健保費", "勞保費", "罰鍰", "其他"])
OTHER_CLOSURES = np.array(["發憑證", "撤回", "退回", "其他"])
BOUNDARIES = [
    (200_000, 100_001),
    (200_000, 120_000),
    (1_000_000, 750_000),
    (199_998, 99_999),
    (999_999, 600_000),
]


def generate(rng: np.random.Generator, scale: float, branches: Sequence[str]) -> pa.Table:
    weights = unit_weights(rng, len(branches))
    parts = [_year(rng, year, scale, branches, weights) for year in calibration.YEARS]
    parts.append(_open_cases(rng, scale, branches, weights))
    return pa.concat_tables(parts)


def _year(
    rng: np.random.Generator,
    year: int,
    scale: float,
    branches: Sequence[str],
    weights: NDArray[np.float64],
) -> pa.Table:
    count = jitter(rng, calibration.ENFORCEMENT_CLOSED_PER_YEAR * scale, 0.03)
    closed = dates_in_year(rng, year, count)
    received = closed - rng.gamma(1.3, 150, count).astype(int).astype("timedelta64[D]")
    referred = np.maximum(np.round(rng.lognormal(9.6, 1.5, count)), 100.0)
    referred[: len(BOUNDARIES)] = [amount for amount, _ in BOUNDARIES]
    closure, paid = _closures(rng, referred, calibration.EFFECTIVE_CLOSURE[year])
    paid[: len(BOUNDARIES)] = [payment for _, payment in BOUNDARIES]
    closure[: len(BOUNDARIES)] = "部分繳清"
    return table(
        {
            "case_id": ids(f"{year}執", count),
            "branch": pick_units(rng, branches, weights, count),
            "obligation_type": OBLIGATIONS[rng.choice(5, count, p=[0.45, 0.25, 0.1, 0.15, 0.05])],
            "received_on": received,
            "closed_on": closed,
            "referred_amount": referred,
            "paid_amount": paid,
            "closure": closure,
        }
    )


def _closures(
    rng: np.random.Generator, referred: NDArray[np.float64], effective_share: float
) -> tuple[NDArray[np.str_], NDArray[np.float64]]:
    """Closure kinds and amounts paid, with exactly ``effective_share`` of the cases effective."""
    count = len(referred)
    partly = rng.random(count) < 0.2
    share = rng.uniform(0.02, 0.98, count)
    paid = np.where(partly, np.clip(np.round(referred * share), 1, referred - 1), 0.0)
    closure = np.where(
        partly, "部分繳清", OTHER_CLOSURES[rng.choice(4, count, p=[0.6, 0.2, 0.12, 0.08])]
    ).astype("<U4")
    effective = partly & (paid > referred * _threshold(referred))
    wanted = int(round(effective_share * count))
    candidates = np.flatnonzero(~partly)
    full = rng.permutation(candidates)[: max(0, wanted - int(effective.sum()))]
    closure[full], paid[full] = "完全繳清", referred[full]
    return closure, paid


def _threshold(referred: NDArray[np.float64]) -> NDArray[np.float64]:
    return np.where(referred < 200_000, 0.5, np.where(referred < 1_000_000, 0.6, 0.75))


def _open_cases(
    rng: np.random.Generator, scale: float, branches: Sequence[str], weights: NDArray[np.float64]
) -> pa.Table:
    count = max(1, int(calibration.ENFORCEMENT_CLOSED_PER_YEAR * scale * 0.06))
    received = dates_in_year(rng, 109, count)
    referred = np.maximum(np.round(rng.lognormal(9.6, 1.5, count)), 100.0)
    none = np.ones(count, dtype=bool)
    return table(
        {
            "case_id": ids("109執未結", count),
            "branch": pick_units(rng, branches, weights, count),
            "obligation_type": OBLIGATIONS[rng.choice(5, count)],
            "received_on": received,
            "closed_on": column(received, null=none),
            "referred_amount": referred,
            "paid_amount": np.round(
                referred * rng.uniform(0, 0.3, count) * exact_share(rng, count, 0.3)
            ),
            "closure": column(np.full(count, ""), null=none),
        }
    )
