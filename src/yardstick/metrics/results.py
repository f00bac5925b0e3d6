"""Computed KPI values and their lineage: where every number comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Context, Decimal

_EXACT = Context(prec=400)
"""Enough digits for any finite float with 6 decimals (a float is below 1.8e308)."""


@dataclass(frozen=True)
class BatchUsed:
    """An input batch a value was computed from."""

    dataset: str
    batch_id: str
    checksum: str
    rows: int
    source: str = ""


@dataclass(frozen=True)
class Lineage:
    """How a value was computed: definition version and hash, engine, SQL, input batches, time."""

    definition_version: int
    definition_hash: str
    engine: str
    formula: str
    sql: tuple[str, ...]
    batches: tuple[BatchUsed, ...]
    computed_at: str


@dataclass(frozen=True)
class KpiValue:
    """A KPI's value for one ROC year and org unit, or the reason it cannot be computed.

    ``inputs`` are the named aggregates the formula used (for a ratio: numerator, denominator).
    """

    kpi: str
    year: int
    org_unit: str
    value: float | None
    unit: str
    decimals: int
    inputs: dict[str, float | None] = field(default_factory=dict)
    reason: str | None = None
    lineage: Lineage | None = None

    @property
    def computed(self) -> bool:
        return self.value is not None

    def shown(self) -> str:
        """The value as a user sees it (``25.31%``), or ``cannot compute: …``."""
        if self.value is None:
            return f"cannot compute: {self.reason}"
        return f"{round_half_up(self.value, self.decimals):,.{self.decimals}f}{self.unit}"


def round_half_up(value: float, decimals: int) -> Decimal:
    """四捨五入, as government statistics round (86.25 → 86.3, not Python's 86.2).

    Exact for any finite float: the default context's 28 digits would make a value such as
    1e300 raise ``InvalidOperation`` instead of being shown.
    """
    return Decimal(repr(value)).quantize(
        Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP, context=_EXACT
    )
