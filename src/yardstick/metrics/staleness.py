"""Which (KPI, year) values a change can make stale: a batch arriving or withdrawn, a value entered.

The rule is the one each value's fingerprint is made of: a batch can change a year when it holds
records placed in that year by one of the KPI's period columns — or, for a cumulative window, in
that year or before. A data element's value changes the manual KPIs that weigh it, for its year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from yardstick.metrics.definition import (
    ComputedDefinition,
    ManualDefinition,
    MetricDefinition,
    Window,
)

Cell = tuple[str, int]  # (KPI, ROC year)
Span = tuple[int | None, int | None]  # first and last ROC year of a batch's records


def can_change(span: Span, year: int, cumulative: bool) -> bool:
    """Whether a batch whose records span ``span`` (by one period column) can change ``year``."""
    first, last = span
    if first is None or last is None:
        return False
    return first <= year and (cumulative or last >= year)


def cells_of_batch(
    definitions: Iterable[MetricDefinition],
    dataset: str,
    period_columns: Mapping[str, str],
    spans: Mapping[str, Span],
    years: Iterable[int],
) -> set[Cell]:
    """The (KPI, year) pairs a batch of ``dataset`` can change.

    ``period_columns``: each dataset's default period column; ``spans``: the batch's first and
    last year by each period column it was measured on.
    """
    cells: set[Cell] = set()
    years = list(years)
    for definition in definitions:
        if isinstance(definition, ManualDefinition):
            continue
        for aggregate in _aggregates(definition):
            if aggregate.dataset != dataset:
                continue
            column = aggregate.period_column or period_columns[dataset]
            cumulative = aggregate.window is Window.CUMULATIVE
            span = spans.get(column, (None, None))
            cells |= {(definition.kpi, y) for y in years if can_change(span, y, cumulative)}
    return cells


def cells_of_element(definitions: Iterable[MetricDefinition], element: str, year: int) -> set[Cell]:
    """The manual KPIs that weigh ``element``, for ``year``."""
    return {
        (d.kpi, year)
        for d in definitions
        if isinstance(d, ManualDefinition) and any(e.element == element for e in d.elements)
    }


def _aggregates(definition: ComputedDefinition) -> list:  # type: ignore[type-arg]
    return list(definition.aggregates().values())
