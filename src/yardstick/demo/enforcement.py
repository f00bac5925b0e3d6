"""行政執行案件: cases referred to the enforcement branches, closed (or still open) 106–109.

Referred amounts are log-normal (most cases are small tax or premium debts, a long tail of large
ones). Closures: paid in full, partly paid (the rest by certificate, withdrawal or return), a
certificate of debt with nothing paid, withdrawn, returned. A partly paid case is recorded the two
ways agencies' extracts do: as 部分繳清, or by the closure that ended it (發憑證, 撤回, 退回) with
the amount paid — KPI 8-1 tells them apart by the amounts, so both must turn up. The effective
closures of each year are set to the calibrated share exactly, and records sit on every band
boundary (20萬, 100萬, and a payment of exactly 0.5 / 0.6 / 0.75 of the amount referred), in both
recordings.
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
FINAL_CLOSURES = OTHER_CLOSURES[:3]  # how a partly paid case may be recorded instead of 部分繳清
RECORDED_BY_FINAL_CLOSURE = 0.4  # share of partly paid cases recorded that way
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
    edge_referred, edge_paid, edge_closure = _boundary_cases()
    edge = len(edge_referred)
    referred[:edge] = edge_referred
    wanted = int(round(calibration.EFFECTIVE_CLOSURE[year] * count)) - int(
        _effective(edge_referred, edge_paid).sum()
    )
    closure, paid = _closures(rng, referred[edge:], wanted)
    return table(
        {
            "case_id": ids(f"{year}執", count),
            "branch": pick_units(rng, branches, weights, count),
            "obligation_type": OBLIGATIONS[rng.choice(5, count, p=[0.45, 0.25, 0.1, 0.15, 0.05])],
            "received_on": received,
            "closed_on": closed,
            "referred_amount": referred,
            "paid_amount": np.concatenate([edge_paid, paid]),
            "closure": np.concatenate([edge_closure, closure]),
        }
    )


def _boundary_cases() -> tuple[NDArray[np.float64], NDArray[np.float64], NDArray[np.str_]]:
    """Every band boundary twice: recorded as 部分繳清, and by its final closure."""
    amounts = np.array([amount for amount, _ in BOUNDARIES] * 2, dtype=np.float64)
    payments = np.array([payment for _, payment in BOUNDARIES] * 2, dtype=np.float64)
    closures = np.concatenate(
        [np.full(len(BOUNDARIES), "部分繳清"), np.resize(FINAL_CLOSURES, len(BOUNDARIES))]
    ).astype("<U4")
    return amounts, payments, closures


def _closures(
    rng: np.random.Generator, referred: NDArray[np.float64], wanted: int
) -> tuple[NDArray[np.str_], NDArray[np.float64]]:
    """Closure kinds and amounts paid, with exactly ``wanted`` of the cases effective."""
    count = len(referred)
    partly = rng.random(count) < 0.2
    share = rng.uniform(0.02, 0.98, count)
    paid = np.where(partly, np.clip(np.round(referred * share), 1, referred - 1), 0.0)
    closure = np.where(
        partly, "部分繳清", OTHER_CLOSURES[rng.choice(4, count, p=[0.6, 0.2, 0.12, 0.08])]
    ).astype("<U4")
    by_final = partly & (rng.random(count) < RECORDED_BY_FINAL_CLOSURE)
    closure[by_final] = FINAL_CLOSURES[rng.choice(len(FINAL_CLOSURES), int(by_final.sum()))]
    effective = partly & _effective(referred, paid)
    candidates = np.flatnonzero(~partly)
    full = rng.permutation(candidates)[: max(0, wanted - int(effective.sum()))]
    closure[full], paid[full] = "完全繳清", referred[full]
    return closure, paid


def _effective(referred: NDArray[np.float64], paid: NDArray[np.float64]) -> NDArray[np.bool_]:
    """Paid above the band's share, compared in integers as KPI 8-1 compares them."""
    effective: NDArray[np.bool_] = np.where(
        referred < 200_000,
        paid * 2 > referred,
        np.where(referred < 1_000_000, paid * 5 > referred * 3, paid * 4 > referred * 3),
    )
    return effective


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
