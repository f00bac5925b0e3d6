"""The MOJ KPIs people enter: 3-1 (milestones), 6-1 (two surveys, 50% each), 7-1 (one survey)."""

from __future__ import annotations

import pytest

from tests.conftest import REPO
from yardstick.calendar import YearRange
from yardstick.datasets.contract import DataElement, load_contract
from yardstick.metrics.catalog import load_definition
from yardstick.metrics.definition import ManualDefinition
from yardstick.metrics.elements import ElementValue
from yardstick.metrics.manual import compute_manual

PLAN_DIR = REPO / "plans" / "moj-106-109"


def _manual(code: str) -> ManualDefinition:
    definition = load_definition(PLAN_DIR / "metrics" / f"{code}.yaml")
    assert isinstance(definition, ManualDefinition)
    return definition


def _entered(
    element: str, year: int, value: float, approved: bool = True
) -> tuple[tuple[str, int, str], ElementValue]:
    return (element, year, "MOJ"), ElementValue(
        element, year, "MOJ", value, "officer", "reviewer" if approved else None, "t"
    )


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
    by_year = {
        v.year: v for v in compute_manual(_manual("3-1"), values, YearRange(107, 109), "MOJ")
    }
    assert (by_year[108].value, by_year[109].value) == (95, 100)
    assert (
        by_year[107].value is None
        and by_year[107].reason == "no approved value of integrity_evaluation_progress for 107年"
    )


def test_6_1_weighs_the_two_surveys_half_each() -> None:
    values = dict(
        [
            _entered("community_service_satisfaction", 109, 88.4),
            _entered("legal_aid_satisfaction", 109, 93.0),
        ]
    )
    [value] = compute_manual(_manual("6-1"), values, YearRange(109, 109), "MOJ")
    assert value.value == pytest.approx(90.7)
    assert value.inputs == {"community_service_satisfaction": 88.4, "legal_aid_satisfaction": 93.0}


def test_7_1_is_the_approved_survey_result() -> None:
    values = dict([_entered("human_rights_event_satisfaction", 109, 86.25)])
    [value] = compute_manual(_manual("7-1"), values, YearRange(109, 109), "MOJ")
    assert value.value == 86.25 and value.shown() == "86.3%"  # 四捨五入
