"""The MOJ KPIs people enter: 3-1 (milestones), 6-1 (two surveys, 50% each), 7-1 (one survey)."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from yardstick.calendar import YearRange
from yardstick.datasets.contract import DataElement, load_contract, load_contracts
from yardstick.metrics.catalog import load_definition
from yardstick.metrics.definition import ManualDefinition
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.manual import compute_manual
from yardstick.metrics.results import KpiValue

PLAN_DIR = REPO / "plans" / "moj-106-109"
ENTERED_AT = {
    name: c.org_unit
    for name, c in load_contracts(PLAN_DIR / "datasets").items()
    if isinstance(c, DataElement)
}


def _manual(code: str) -> ManualDefinition:
    definition = load_definition(PLAN_DIR / "metrics" / f"{code}.yaml")
    assert isinstance(definition, ManualDefinition)
    return definition


def _entered(
    element: str, year: int, value: float, unit: str | None = None
) -> tuple[tuple[str, int, str], ElementValue]:
    """An approved value, entered by the element's own unit unless ``unit`` says otherwise."""
    at = unit or ENTERED_AT[element]
    return (element, year, at), ElementValue(element, year, at, value, "officer", "reviewer", "t")


def _compute(
    code: str, values: dict[tuple[str, int, str], ElementValue], years: YearRange
) -> list[KpiValue]:
    return compute_manual(_manual(code), values, years, "MOJ", ENTERED_AT)


def test_3_1_is_the_last_milestone_reached() -> None:
    progress = load_contract(PLAN_DIR / "datasets" / "integrity_evaluation_progress.yaml")
    assert isinstance(progress, DataElement)
    assert [m.percent for m in progress.milestones] == [90, 95, 100]
    values = dict(
        [
            _entered("integrity_evaluation_progress", 108, 95),
            _entered("integrity_evaluation_progress", 109, 100),
        ]
    )
    by_year = {v.year: v for v in _compute("3-1", values, YearRange(107, 109))}
    assert (by_year[108].value, by_year[109].value) == (95, 100)
    assert by_year[108].org_unit == "MOJ"
    assert by_year[108].lineage is not None
    assert by_year[108].lineage.formula == "1 × integrity_evaluation_progress (at MOJ.AAC)"
    assert (
        by_year[107].value is None
        and by_year[107].reason
        == "no approved value of integrity_evaluation_progress at MOJ.AAC for 107年"
    )


def test_each_element_is_read_at_the_unit_that_enters_it_and_nowhere_else() -> None:
    values = dict(
        [
            _entered("integrity_evaluation_progress", 109, 90, unit="MOJ"),  # not the AAC's
            _entered("community_service_satisfaction", 109, 80.0, unit="MOJ.AAC"),  # not MOJ's
            _entered("community_service_satisfaction", 109, 88.0),
            _entered("legal_aid_satisfaction", 109, 92.0),
        ]
    )
    [progress] = _compute("3-1", values, YearRange(109, 109))
    assert progress.value is None and "at MOJ.AAC" in (progress.reason or "")
    [surveys] = _compute("6-1", values, YearRange(109, 109))
    assert surveys.value == pytest.approx(90.0)


def test_6_1_weighs_the_two_surveys_half_each() -> None:
    values = dict(
        [
            _entered("community_service_satisfaction", 109, 88.4),
            _entered("legal_aid_satisfaction", 109, 93.0),
        ]
    )
    [value] = _compute("6-1", values, YearRange(109, 109))
    assert value.value == pytest.approx(90.7)
    assert value.inputs == {"community_service_satisfaction": 88.4, "legal_aid_satisfaction": 93.0}


def test_7_1_is_the_approved_survey_result() -> None:
    values = dict([_entered("human_rights_event_satisfaction", 109, 86.25)])
    [value] = _compute("7-1", values, YearRange(109, 109))
    assert value.value == 86.25 and value.shown() == "86.3%"  # 四捨五入
