"""Header matching: names or Chinese labels, any order, every mismatch at once with the nearest."""

from __future__ import annotations

import pytest

from tests.datasets.conftest import MOJ_DATASETS
from yardstick.datasets import load_dataset_contract
from yardstick.datasets.errors import HeaderMismatchError
from yardstick.datasets.header import match_header

CONTRACT = load_dataset_contract(MOJ_DATASETS, "prison_population")


def test_headings_match_names_or_labels_in_any_order_and_case() -> None:
    header = ["核定容額", " Facility ", "inmates", "統計日"]
    assert match_header(CONTRACT, header) == [1, 3, 2, 0]


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (
            ["facility", "counted_on", "inmate", "approved_capacity"],
            "unexpected column 'inmate' (did you mean 'inmates'?); missing column inmates",
        ),
        (
            ["facility", "counted_on", "inmates", "approved_capacity", "note"],
            "unexpected column 'note'",
        ),
        (["facility", "counted_on", "inmates"], "missing column approved_capacity"),
        (
            ["facility", "counted_on", "實際收容人", "approved_capacity"],
            "unexpected column '實際收容人' (did you mean '實際收容人數'?)",
        ),
        (
            ["facility", "facility", "counted_on", "inmates", "approved_capacity"],
            "column facility is in the header twice (fields 1 and 2)",
        ),
        (
            ["facility", "counted_on", "inmates", "approved_capacity", "x" * 70_000],
            "unexpected column '" + "x" * 60 + "…'",
        ),
        (
            ["facility", "counted_on", "inmates", "approved_capacity", *map(str, range(10_000))],
            "unexpected column '9'; 9,990 more unexpected columns",
        ),
    ],
)
def test_a_mismatch_names_every_problem_and_the_nearest_name(
    header: list[str], expected: str
) -> None:
    with pytest.raises(HeaderMismatchError) as raised:
        match_header(CONTRACT, header)
    assert "the header does not match the contract 'prison_population'" in str(raised.value)
    assert expected in str(raised.value)


def test_a_header_of_junk_gives_a_short_message() -> None:
    with pytest.raises(HeaderMismatchError) as raised:
        match_header(CONTRACT, ["x" * 70_000] * 3 + [str(i) for i in range(10_000)])
    assert len(str(raised.value)) < 1_000
