"""Computing a plan: org-unit paths, stored values, and recomputing only what a new batch changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.metrics.conftest import write_parquet
from yardstick.calendar import YearRange
from yardstick.datasets.orgunits import OrgUnit, OrgUnitKind, OrgUnits
from yardstick.metrics.compiler import DatasetShape
from yardstick.metrics.definition import definition_from_data
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.engines import BatchInput
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.results import KpiValue
from yardstick.metrics.run import MetricInputs
from yardstick.metrics.service import compute_plan, unit_paths
from yardstick.metrics.store import FileResultStore, ResultStore, fingerprint

UNITS = OrgUnits(
    [
        OrgUnit(code="MOJ", name_zh="法務部", name_en="MOJ", kind=OrgUnitKind.MINISTRY),
        OrgUnit(
            code="MOJ.AEA",
            name_zh="行政執行署",
            name_en="AEA",
            kind=OrgUnitKind.AGENCY,
            parent="MOJ",
        ),
        OrgUnit(
            code="MOJ.AEA.TPE",
            name_zh="臺北分署",
            name_en="Taipei",
            kind=OrgUnitKind.ENFORCEMENT_BRANCH,
            parent="MOJ.AEA",
        ),
    ]
)
CASES = {"case_id": "VARCHAR", "branch": "VARCHAR", "closed_on": "DATE", "paid": "DOUBLE"}
SHAPE = DatasetShape(
    {"case_id": "string", "branch": "string", "closed_on": "date", "paid": "decimal"},
    "closed_on",
    "branch",
)
YEARLY = definition_from_data(
    {
        "kpi": "1-1",
        "version": 1,
        "kind": "aggregate",
        "unit": "件",
        "interpretation": {"zh": "z", "en": "e"},
        "measure": {"dataset": "cases", "function": "count"},
    }
)
CUMULATIVE = definition_from_data(
    {
        "kpi": "1-2",
        "version": 1,
        "kind": "aggregate",
        "unit": "元",
        "interpretation": {"zh": "z", "en": "e"},
        "measure": {
            "dataset": "cases",
            "function": "sum",
            "expression": "paid",
            "window": "cumulative",
            "since": "108年1月",
        },
    }
)
SURVEY = definition_from_data(
    {
        "kpi": "2-1",
        "version": 1,
        "kind": "manual",
        "unit": "%",
        "interpretation": {"zh": "z", "en": "e"},
        "elements": [{"element": "a", "weight": 0.5}, {"element": "b", "weight": 0.5}],
    }
)


def test_unit_paths_pad_shallow_units() -> None:
    assert unit_paths(UNITS) == [
        ("MOJ", "MOJ", None, None),
        ("MOJ.AEA", "MOJ", "MOJ.AEA", None),
        ("MOJ.AEA.TPE", "MOJ", "MOJ.AEA", "MOJ.AEA.TPE"),
    ]


def _engine(inputs: MetricInputs) -> DuckDBEngine:
    return DuckDBEngine(inputs.batches, inputs.unit_paths)


def test_a_new_batch_recomputes_only_the_years_it_can_change(tmp_path: Path) -> None:
    store = FileResultStore(tmp_path / "data")
    years = YearRange(108, 109)
    first = write_parquet(
        tmp_path / "b1.parquet",
        CASES,
        [("1", "MOJ.AEA.TPE", date(2019, 5, 1), 10.0), ("2", "MOJ.AEA.TPE", date(2020, 5, 1), 5.0)],
    )
    inputs = MetricInputs({"cases": SHAPE}, {"cases": [first]}, unit_paths(UNITS), "MOJ")
    report = compute_plan([YEARLY, CUMULATIVE], inputs, {}, years, store, _engine)
    assert sorted(report.recomputed) == [("1-1", 108), ("1-1", 109), ("1-2", 108), ("1-2", 109)]

    again = compute_plan([YEARLY, CUMULATIVE], inputs, {}, years, store, _engine)
    assert again.recomputed == [] and len(again.reused) == 4
    assert [(v.kpi, v.year, v.org_unit, v.value) for v in again.values if v.org_unit == "MOJ"] == [
        ("1-1", 108, "MOJ", 1.0),
        ("1-1", 109, "MOJ", 1.0),
        ("1-2", 108, "MOJ", 10.0),
        ("1-2", 109, "MOJ", 15.0),
    ]

    # A batch with records of 109 only: 1-1 changes in 109 only; the cumulative 1-2 in 109 only too.
    second = write_parquet(
        tmp_path / "b2.parquet", CASES, [("3", "MOJ.AEA.TPE", date(2020, 8, 1), 1.0)]
    )
    second = second.__class__("cases", "batch-2", second.path, "sha256:other", 1)
    inputs = MetricInputs({"cases": SHAPE}, {"cases": [first, second]}, unit_paths(UNITS), "MOJ")
    report = compute_plan([YEARLY, CUMULATIVE], inputs, {}, years, store, _engine)
    assert sorted(report.recomputed) == [("1-1", 109), ("1-2", 109)]
    values = {(v.kpi, v.year): v.value for v in report.values if v.org_unit == "MOJ"}
    assert values == {("1-1", 108): 1.0, ("1-1", 109): 2.0, ("1-2", 108): 10.0, ("1-2", 109): 16.0}

    # Withdrawing the first batch changes everything it covered.
    inputs = MetricInputs({"cases": SHAPE}, {"cases": [second]}, unit_paths(UNITS), "MOJ")
    report = compute_plan([YEARLY, CUMULATIVE], inputs, {}, years, store, _engine)
    assert sorted(report.recomputed) == [("1-1", 108), ("1-1", 109), ("1-2", 108), ("1-2", 109)]
    withdrawn = {(v.kpi, v.year): v for v in report.values if v.org_unit == "MOJ"}
    assert withdrawn[("1-1", 108)].value is None and "no records for 108年" in (
        withdrawn[("1-1", 108)].reason or ""
    )


def test_a_weighted_survey_needs_both_approved_values(tmp_path: Path) -> None:
    store = FileResultStore(tmp_path / "data")
    inputs = MetricInputs({}, {}, unit_paths(UNITS), "MOJ")
    entered = {
        ("a", 109, "MOJ"): ElementValue("a", 109, "MOJ", 90.0, "officer", "reviewer", "now"),
        ("b", 109, "MOJ"): ElementValue("b", 109, "MOJ", 93.0, "officer", "reviewer", "now"),
        ("a", 108, "MOJ"): ElementValue("a", 108, "MOJ", 88.0, "officer", "reviewer", "now"),
    }
    report = compute_plan([SURVEY], inputs, entered, YearRange(108, 109), store, _engine)
    by_year = {v.year: v for v in report.values}
    assert by_year[109].value == pytest.approx(91.5)
    assert (
        by_year[108].value is None
        and by_year[108].reason == "no approved value of b at MOJ for 108年"
    )


def _lineage_batches(values: list[KpiValue]) -> dict[tuple[str, int], list[str]]:
    """The batch ids each (KPI, year)'s ministry value names in its lineage."""
    return {
        (v.kpi, v.year): [b.batch_id for b in v.lineage.batches] if v.lineage else []
        for v in values
        if v.org_unit == "MOJ"
    }


def _assert_lineage_is_the_fingerprint(store: ResultStore, values: list[KpiValue]) -> None:
    """Every stored value names exactly the batches its fingerprint is made of."""
    stored = store.fingerprints()
    for value in values:
        assert value.lineage is not None
        batches = {(b.batch_id, b.checksum) for b in value.lineage.batches}
        print_ = fingerprint(f"{value.lineage.definition_hash}@duckdb", batches)
        assert stored[(value.kpi, value.year)] == print_, (value.kpi, value.year)


def test_a_value_names_only_the_batches_that_can_change_it_even_after_a_withdrawal(
    tmp_path: Path,
) -> None:
    store = FileResultStore(tmp_path / "data")
    years = YearRange(108, 109)
    of_108 = write_parquet(
        tmp_path / "b108.parquet", CASES, [("1", "MOJ.AEA.TPE", date(2019, 5, 1), 10.0)]
    )
    of_108 = BatchInput("cases", "batch-108", of_108.path, "sha256:108", 1)
    of_109 = write_parquet(
        tmp_path / "b109.parquet", CASES, [("2", "MOJ.AEA.TPE", date(2020, 5, 1), 5.0)]
    )
    of_109 = BatchInput("cases", "batch-109", of_109.path, "sha256:109", 1)
    both = MetricInputs({"cases": SHAPE}, {"cases": [of_108, of_109]}, unit_paths(UNITS), "MOJ")
    report = compute_plan([YEARLY, CUMULATIVE], both, {}, years, store, _engine)
    assert _lineage_batches(report.values) == {
        ("1-1", 108): ["batch-108"],
        ("1-1", 109): ["batch-109"],  # a batch of 108 cannot change a yearly count of 109
        ("1-2", 108): ["batch-108"],
        ("1-2", 109): ["batch-108", "batch-109"],  # it can change a cumulative sum of 109
    }
    _assert_lineage_is_the_fingerprint(store, report.values)

    # Withdraw the batch of 108: the yearly 109 value is reused, and names only the batch of 109.
    only_109 = MetricInputs({"cases": SHAPE}, {"cases": [of_109]}, unit_paths(UNITS), "MOJ")
    report = compute_plan([YEARLY, CUMULATIVE], only_109, {}, years, store, _engine)
    assert ("1-1", 109) in report.reused
    assert _lineage_batches(report.values) == {
        ("1-1", 108): [],
        ("1-1", 109): ["batch-109"],
        ("1-2", 108): [],
        ("1-2", 109): ["batch-109"],
    }
    _assert_lineage_is_the_fingerprint(store, report.values)
