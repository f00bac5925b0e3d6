"""The report's Vega-Lite specs for the pages, kept per process by what they show.

Building a spec with Altair takes milliseconds (schema validation); the same figures give the
same spec, so a page asks for it by its data and builds it once.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

from yardstick.assess.trend import Trend
from yardstick.plan.model import Target
from yardstick.plan.rating import Light
from yardstick.reports.charts import breakdown_spec, lights_spec, trend_spec

Spec = dict[str, Any]


class _Specs:
    """A bounded, thread-safe memo of specs by key (least recently used dropped first)."""

    def __init__(self, size: int = 512) -> None:
        self._size = size
        self._specs: OrderedDict[Hashable, Spec] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Hashable, build: Callable[[], Spec]) -> Spec:
        with self._lock:
            if key in self._specs:
                self._specs.move_to_end(key)
                return self._specs[key]
        spec = build()
        with self._lock:
            self._specs[key] = spec
            while len(self._specs) > self._size:
                self._specs.popitem(last=False)
        return spec


_specs = _Specs()


def _target_key(target: Target | None) -> Hashable:
    return None if target is None else (target.value, target.unit, target.direction.value)


def trend_chart(trend: Trend, target: Target | None) -> Spec:
    """The KPI by ROC year with its target line (reports.charts.trend_spec)."""
    key = ("trend", trend.unit, trend.points, _target_key(target))
    return _specs.get(key, lambda: trend_spec(trend, target))


def lights_chart(counts_by_goal: list[tuple[str, dict[Light, int]]]) -> Spec:
    """Lights per strategic goal as stacked bars (reports.charts.lights_spec)."""
    key = ("lights", tuple((goal, tuple(counts.items())) for goal, counts in counts_by_goal))
    return _specs.get(key, lambda: lights_spec(counts_by_goal))


def breakdown_chart(rows: list[tuple[str, float]], unit: str, target: Target | None) -> Spec:
    """A KPI's value per org unit as bars (reports.charts.breakdown_spec)."""
    key = ("breakdown", tuple(rows), unit, _target_key(target))
    return _specs.get(key, lambda: breakdown_spec(rows, unit, target))
