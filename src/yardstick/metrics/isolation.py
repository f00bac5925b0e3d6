"""Run scans so that an aggregate the engine cannot compute takes down only its own KPI.

A scan computes the aggregates of several KPIs in one pass over a dataset, so one failing
expression (an overflow on some record, a conversion error, a time limit) would otherwise fail
them all — or end the whole command. When a scan fails it is run again one aggregate at a time:
the aggregates that work give their values, and each one that fails is named with the engine's
reason, for the runner to report as that KPI's value that cannot be computed. A failure costs
one more pass per aggregate of the failed scan; a run without failures costs nothing extra.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from yardstick.metrics.compiler import Scan
from yardstick.metrics.engines import QueryFailed

Result = TypeVar("Result")
AggregateKey = tuple[str, str]  # (KPI, aggregate name)


@dataclass
class ScanOutcome(Generic[Result]):
    """What the scans gave: the results that worked, and why each failed aggregate failed."""

    results: list[Result] = field(default_factory=list)
    failures: dict[AggregateKey, str] = field(default_factory=dict)

    def failure_of(self, kpi: str, names: Sequence[str]) -> str | None:
        """Why a KPI cannot be computed when one of its aggregates failed, else None."""
        failed = [
            f"{name}: {self.failures[(kpi, name)]}"
            for name in names
            if (kpi, name) in self.failures
        ]
        return "; ".join(failed) if failed else None


def run_isolated(scans: Sequence[Scan], run: Callable[[Scan], Result]) -> ScanOutcome[Result]:
    """``run`` every scan; a failed scan is split into one scan per aggregate and run again."""
    outcome: ScanOutcome[Result] = ScanOutcome()
    pending = list(scans)
    while pending:
        scan = pending.pop(0)
        try:
            outcome.results.append(run(scan))
        except QueryFailed as failure:
            if len(scan.aggregates) > 1:
                pending += [Scan(scan.key, [named]) for named in scan.aggregates]
                continue
            [named] = scan.aggregates
            outcome.failures[(named.kpi, named.name)] = str(failure)
    return outcome
