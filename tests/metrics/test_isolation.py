"""A failed scan is run again one aggregate at a time; only the failing aggregates are lost."""

from __future__ import annotations

import pytest

from yardstick.metrics.compiler import NamedAggregate, Scan, ScanKey
from yardstick.metrics.definition import Aggregate, AggregateFunction
from yardstick.metrics.engines import QueryFailed
from yardstick.metrics.isolation import run_isolated

COUNT = Aggregate(dataset="cases", function=AggregateFunction.COUNT)


def _scan(*names: tuple[str, str]) -> Scan:
    key = ScanKey("cases", "closed_on", "any")
    return Scan(key, [NamedAggregate(k, n, COUNT, f"a{i}") for i, (k, n) in enumerate(names)])


def test_only_the_failing_aggregate_is_lost() -> None:
    runs: list[list[str]] = []

    def run(scan: Scan) -> list[str]:
        names = [f"{a.kpi}.{a.name}" for a in scan.aggregates]
        runs.append(names)
        if "t-2.numerator" in names:
            raise QueryFailed("duckdb", "Out of Range Error: Overflow\n\nLINE 1: SELECT …")
        return names

    outcome = run_isolated([_scan(("t-1", "measure"), ("t-2", "numerator"), ("t-2", "d"))], run)
    assert outcome.results == [["t-1.measure"], ["t-2.d"]]
    assert outcome.failures == {
        ("t-2", "numerator"): "the duckdb engine failed: Out of Range Error: Overflow"
    }
    assert len(runs) == 4  # the whole scan, then each aggregate once
    assert outcome.failure_of("t-1", ["measure"]) is None
    assert outcome.failure_of("t-2", ["numerator", "d"]) == (
        "numerator: the duckdb engine failed: Out of Range Error: Overflow"
    )


def test_a_run_without_failures_runs_each_scan_once() -> None:
    runs: list[Scan] = []
    scans = [_scan(("t-1", "a"), ("t-1", "b")), _scan(("t-3", "c"))]
    outcome = run_isolated(scans, lambda scan: runs.append(scan) or len(scan.aggregates))
    assert runs == scans and outcome.results == [2, 1] and outcome.failures == {}


def test_an_error_that_is_not_the_engines_is_not_swallowed() -> None:
    def run(scan: Scan) -> None:
        raise KeyError("a bug")

    with pytest.raises(KeyError):
        run_isolated([_scan(("t-1", "a"))], run)
