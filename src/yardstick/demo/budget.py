"""預算: capital-budget execution by unit and line, and expenditure estimates vs the ceiling.

Each year's executed share of the capital budget (9-1) and the amount by which the estimates
exceed the medium-term ceiling (9-2) are the calibrated ones; units differ around them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pyarrow as pa

from yardstick.demo import calibration
from yardstick.demo.tables import table

LINES = np.array(["營建工程", "資訊設備", "交通及運輸設備", "其他設備", "土地購置"])


def capital(rng: np.random.Generator, units: Sequence[str]) -> pa.Table:
    parts = []
    for year in calibration.YEARS:
        count = len(units) * len(LINES)
        original = np.round(rng.lognormal(17.0, 1.0, count), -3)
        supplementary = np.round(
            original * rng.uniform(0, 0.05, count) * (rng.random(count) < 0.2), -3
        )
        carried = np.round(original * rng.uniform(0, 0.3, count), -3)
        budget = original + supplementary + carried
        executed = budget * np.clip(
            rng.normal(calibration.CAPITAL_EXECUTION[year], 0.05, count), 0.4, 1.0
        )
        executed *= calibration.CAPITAL_EXECUTION[year] * budget.sum() / executed.sum()
        executed = np.minimum(executed, budget)
        payables = np.round(executed * rng.uniform(0.02, 0.1, count))
        savings = np.round(executed * rng.uniform(0.0, 0.03, count))
        parts.append(
            table(
                {
                    "org_unit": np.repeat(np.asarray(units), len(LINES)),
                    "fiscal_year": np.full(count, year),
                    "stated_on": np.full(count, np.datetime64(f"{year + 1911}-12-31")),
                    "budget_line": np.tile(LINES, len(units)),
                    "original_budget": original,
                    "supplementary_budget": supplementary,
                    "carried_over_budget": carried,
                    "actual_expenditure": np.round(executed) - payables - savings,
                    "payables": payables,
                    "savings": savings,
                }
            )
        )
    return pa.concat_tables(parts)


def estimates(rng: np.random.Generator, units: Sequence[str]) -> pa.Table:
    parts = []
    for year in calibration.YEARS:
        count = len(units)
        ceiling = np.round(rng.lognormal(20.0, 1.0, count), -3)
        over = rng.normal(calibration.ESTIMATE_OVER_CEILING[year], 0.04, count)
        excess = ceiling * over
        excess *= calibration.ESTIMATE_OVER_CEILING[year] * ceiling.sum() / excess.sum()
        parts.append(
            table(
                {
                    "org_unit": np.asarray(units),
                    "fiscal_year": np.full(count, year + 1),
                    "submitted_on": np.full(count, np.datetime64(f"{year + 1911}-03-15")),
                    "estimate_amount": np.round(ceiling + excess),
                    "ceiling_amount": ceiling,
                }
            )
        )
    return pa.concat_tables(parts)
