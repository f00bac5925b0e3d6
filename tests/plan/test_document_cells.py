"""Numbers and plan objects read from a document's cells: our error at the line, or the value."""

from __future__ import annotations

import pytest

from yardstick.plan import OutlineItem, PlanDocumentError, Target
from yardstick.plan.document_cells import validated, whole_number


@pytest.mark.parametrize(("text", "value"), [("1", 1), (" 12 ", 12), ("９９９", 999), ("０７", 7)])
def test_a_whole_number_in_ascii_or_full_width_digits(text: str, value: int) -> None:
    assert whole_number(text, 3, "a KPI number") == value


@pytest.mark.parametrize("text", ["", "0", "1000", "②", "²", "٣", "१", "1.5", "-1", "1" * 5000])
def test_anything_else_is_refused_at_its_line(text: str) -> None:
    with pytest.raises(PlanDocumentError) as caught:
        whole_number(text, 7, "a KPI number")
    assert caught.value.line == 7
    assert caught.value.expected == "a KPI number: a whole number from 1 to 999"


def test_what_the_model_refuses_is_our_error_at_the_line() -> None:
    with pytest.raises(PlanDocumentError) as caught:
        validated(OutlineItem, 12, "an outline item", {"level": 4, "number": "一", "text": "x"})
    assert (caught.value.line, caught.value.expected) == (12, "an outline item")
    assert caught.value.found == "level: Input should be less than or equal to 3"


def test_a_target_year_outside_the_roc_years_is_our_error() -> None:
    fields = {
        "year": 301,
        "text": "5%",
        "value": 5,
        "unit": "%",
        "direction": "at_least",
        "direction_source": "default",
    }
    with pytest.raises(PlanDocumentError, match=r"line 9: .*year: .*ROC year 301 is outside 1–300"):
        validated(Target, 9, "a target", fields)
    assert validated(Target, 9, "a target", {**fields, "year": 109}).year == 109
