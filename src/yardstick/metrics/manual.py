"""KPIs made of values people enter (``manual``): a weighted combination of data elements.

6-1 is 0.5 × one survey + 0.5 × another; 3-1 and 7-1 take one element with weight 1. Each
element is read at the org unit its declaration says enters it (3-1's milestones at the Agency
Against Corruption, MOJ.AAC; the surveys at the ministry); the KPI's value is the ministry's. A
missing approved value for any element makes the year "cannot compute", naming the element and
the unit it is read at.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, datetime

from yardstick.calendar import YearRange
from yardstick.metrics.definition import ManualDefinition, MetricDefinition, content_hash
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.results import KpiValue, Lineage


def compute_manual(
    definition: ManualDefinition,
    values: Mapping[tuple[str, int, str], ElementValue],
    years: YearRange,
    root: str,
    entered_at: Mapping[str, str] | None = None,
) -> list[KpiValue]:
    """The definition's value for each year at the root unit, each element read at the unit that
    enters it (``entered_at``: element → org unit; the root when not given)."""
    units = {e.element: (entered_at or {}).get(e.element, root) for e in definition.elements}
    formula = " + ".join(
        f"{e.weight:g} × {e.element} (at {units[e.element]})" for e in definition.elements
    )
    lineage = Lineage(
        definition_version=definition.version,
        definition_hash=content_hash(definition),
        engine="data elements",
        formula=formula,
        sql=(),
        batches=(),
        computed_at=datetime.now(UTC).isoformat(timespec="seconds"),
    )
    out = []
    for year in years.years:
        entered = {name: values.get((name, year, unit)) for name, unit in units.items()}
        inputs = {name: (v.value if v else None) for name, v in entered.items()}
        missing = [f"{name} at {units[name]}" for name, v in entered.items() if v is None]
        if missing:
            reason = f"no approved value of {', '.join(missing)} for {year}年"
            out.append(
                KpiValue(
                    definition.kpi,
                    year,
                    root,
                    None,
                    definition.unit,
                    definition.decimals,
                    inputs,
                    reason,
                    lineage,
                )
            )
            continue
        total = sum(e.weight * (inputs[e.element] or 0.0) for e in definition.elements)
        out.append(
            KpiValue(
                definition.kpi,
                year,
                root,
                total,
                definition.unit,
                definition.decimals,
                inputs,
                None,
                lineage,
            )
        )
    return out


def kpis_weighing(definitions: Iterable[MetricDefinition], element: str) -> list[str]:
    """The manual KPIs a value of ``element`` counts in (an entered value makes them stale)."""
    return [
        d.kpi
        for d in definitions
        if isinstance(d, ManualDefinition) and any(e.element == element for e in d.elements)
    ]
