"""Snapshot completeness: which units lack the count a year-end or month-end snapshot needs."""

from __future__ import annotations

from tests.metrics.conftest import UNIT_PATHS
from yardstick.metrics.snapshots import Presence, incomplete_cells, incomplete_reason


def test_a_unit_is_missing_from_a_month_only_after_counting_earlier_in_the_year() -> None:
    presence = Presence.from_rows(
        [(109, 1, "A"), (109, 3, "A"), (109, 3, "B"), (109, 12, "B"), (108, 12, "C")]
    )
    assert presence.missing(109, 1) == []
    assert presence.missing(109, 2) == ["A"]  # B starts in March
    assert presence.missing(109, 3) == []
    assert presence.missing(109, 12) == ["A"]  # C counted in 108 only
    assert presence.missing(108, 12) == []


def test_a_missing_unit_marks_itself_and_every_unit_above_it() -> None:
    presence = Presence.from_rows(
        [(109, 11, "AEA.KHH"), (109, 12, "AEA.TPE"), (109, 6, "IB"), (109, 6, "NOWHERE")]
    )  # a unit outside the hierarchy counts nowhere, so it makes nothing incomplete
    cells = incomplete_cells(presence, UNIT_PATHS, [109])
    assert cells == {
        (109, "AEA.KHH"): "incomplete: AEA.KHH has no count in 109年12月",
        (109, "AEA"): "incomplete: AEA.KHH has no count in 109年12月",
        (109, "IB"): "incomplete: IB has no count in 109年12月",
        (109, "MOJ"): "incomplete: AEA.KHH, IB have no count in 109年12月",
    }


def test_a_reason_names_five_units_and_counts_the_rest() -> None:
    units = [f"U{n}" for n in range(1, 8)]
    assert incomplete_reason(units, 109, 12) == (
        "incomplete: U1, U2, U3, U4, U5 and 2 more have no count in 109年12月"
    )
