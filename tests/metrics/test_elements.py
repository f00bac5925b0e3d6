"""Entering data elements: only at the unit that enters them, only values a KPI can read."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.deployment import Ran, run
from yardstick.calendar import YearRange
from yardstick.datasets.contract import DataElement, load_contracts
from yardstick.metrics.elements import ElementStore, ElementValueError, FileElementStore
from yardstick.metrics.project import Project

PLAN_DIR = REPO / "plans" / "moj-106-109"
ELEMENTS = {
    name: c
    for name, c in load_contracts(PLAN_DIR / "datasets").items()
    if isinstance(c, DataElement)
}
PROGRESS = ELEMENTS["integrity_evaluation_progress"]


def _enter(store: ElementStore, name: str, unit: str, value: float, year: int = 109) -> None:
    store.enter(ELEMENTS[name], year, unit, value, "officer", "reviewer")


@pytest.mark.parametrize(
    ("name", "declared"),
    [
        ("integrity_evaluation_progress", "MOJ.AAC"),
        ("community_service_satisfaction", "MOJ"),
        ("legal_aid_satisfaction", "MOJ"),
        ("human_rights_event_satisfaction", "MOJ"),
    ],
)
def test_each_moj_element_is_entered_only_by_the_unit_it_declares(
    tmp_path: Path, name: str, declared: str
) -> None:
    store = FileElementStore(tmp_path)
    assert ELEMENTS[name].org_unit == declared
    other = "MOJ" if declared != "MOJ" else "MOJ.AAC"
    with pytest.raises(ElementValueError, match=f"{name} is entered by {declared}, not {other}$"):
        _enter(store, name, other, 95)
    _enter(store, name, declared, 95)
    assert list(store.approved()) == [(name, 109, declared)]


@pytest.mark.parametrize("value", [93, 89.99, 90.5, 1, 99.999])
def test_a_milestone_element_refuses_a_value_between_its_milestones(
    tmp_path: Path, value: float
) -> None:
    with pytest.raises(
        ElementValueError,
        match=(
            f"integrity_evaluation_progress: {value:g} is not a milestone; "
            r"enter 0 \(no milestone reached\), 90, 95 or 100$"
        ),
    ):
        _enter(FileElementStore(tmp_path), "integrity_evaluation_progress", "MOJ.AAC", value)


@pytest.mark.parametrize("value", [0, 90, 95, 100])
def test_a_milestone_element_takes_each_milestone_and_none_reached(
    tmp_path: Path, value: float
) -> None:
    store = FileElementStore(tmp_path)
    _enter(store, "integrity_evaluation_progress", "MOJ.AAC", value)
    assert store.approved()[("integrity_evaluation_progress", 109, "MOJ.AAC")].value == value


@pytest.mark.parametrize("value", [-0.01, 100.01])
def test_a_milestone_element_still_refuses_values_off_its_range(
    tmp_path: Path, value: float
) -> None:
    with pytest.raises(ElementValueError, match="is outside 0–100 %"):
        _enter(FileElementStore(tmp_path), "integrity_evaluation_progress", "MOJ.AAC", value)


def test_a_survey_element_takes_any_value_in_its_range(tmp_path: Path) -> None:
    store = FileElementStore(tmp_path)
    _enter(store, "human_rights_event_satisfaction", "MOJ", 86.25)
    assert store.approved()[("human_rights_event_satisfaction", 109, "MOJ")].value == 86.25


def test_the_milestones_accepted_are_the_declared_ones_and_none_reached() -> None:
    assert PROGRESS.accepted_values == [0, 90, 95, 100]
    assert ELEMENTS["legal_aid_satisfaction"].accepted_values is None


def test_3_1_reads_the_milestone_the_agency_against_corruption_entered(tmp_path: Path) -> None:
    project = Project.from_folder(PLAN_DIR, tmp_path / "data")
    store = FileElementStore(project.data_dir)
    _enter(store, "integrity_evaluation_progress", "MOJ.AAC", 95, year=108)
    _enter(store, "integrity_evaluation_progress", "MOJ.AAC", 100, year=109)
    values = {v.year: v for v in project.compute(YearRange(107, 109), kpis=["3-1"]).values}
    assert (values[108].value, values[109].value) == (95, 100)
    assert {v.org_unit for v in values.values()} == {"MOJ"}
    assert values[107].reason == (
        "no approved value of integrity_evaluation_progress at MOJ.AAC for 107年"
    )


def _cli(*args: str) -> Ran:
    return run("kpi", "enter", *args, "--year", "109", as_="planner")


def test_kpi_enter_defaults_to_the_declared_unit_and_refuses_others_in_one_line(
    deployment: Any,
) -> None:
    entered = _cli("integrity_evaluation_progress", "--value", "95")
    assert entered.exit_code == 0, entered.error
    assert "integrity_evaluation_progress 109年 MOJ.AAC: 95% entered by planner" in entered.output
    at_root = _cli("integrity_evaluation_progress", "--value", "95", "--org-unit", "MOJ")
    assert at_root.exit_code == 2
    assert at_root.error.strip().splitlines() == [
        "error: integrity_evaluation_progress is entered by MOJ.AAC, not MOJ"
    ]
    between = _cli("integrity_evaluation_progress", "--value", "93")
    assert between.exit_code == 2
    assert between.error.strip().splitlines() == [
        "error: integrity_evaluation_progress: 93 is not a milestone; "
        "enter 0 (no milestone reached), 90, 95 or 100"
    ]
