"""Org units: the MOJ hierarchy, its codes, ancestors, descendants and roll-up paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.datasets.conftest import MOJ_ORG_UNITS
from yardstick.datasets import OrgUnit, OrgUnitKind, OrgUnits, load_org_units
from yardstick.datasets.errors import OrgUnitError


@pytest.fixture(scope="module")
def moj() -> OrgUnits:
    return load_org_units(MOJ_ORG_UNITS)


def test_the_moj_hierarchy_has_its_agencies_offices_branches_and_facilities(moj: OrgUnits) -> None:
    assert moj.root.code == "MOJ" and moj.root.name_zh == "法務部"
    kinds = [unit.kind for unit in moj]
    assert kinds.count(OrgUnitKind.ENFORCEMENT_BRANCH) == 13
    assert 45 <= kinds.count(OrgUnitKind.CORRECTIONAL_FACILITY) <= 60
    districts = [u for u in moj if u.name_zh.endswith("地方檢察署")]
    assert len(districts) == 22
    assert {"MOJ.MJIB", "MOJ.AAC", "MOJ.AOC", "MOJ.AEA", "MOJ.SPO", "MOJ.HPO"} <= {
        u.code for u in moj.children("MOJ")
    }
    assert len({u.name_zh for u in moj}) == len(moj)


def test_ancestors_run_from_the_parent_up_to_the_ministry(moj: OrgUnits) -> None:
    assert [u.code for u in moj.ancestors("MOJ.HPO.KHH")] == ["MOJ.HPO", "MOJ"]
    assert moj.ancestors("MOJ") == []


def test_descendants_and_subtree(moj: OrgUnits) -> None:
    branches = moj.descendants("MOJ.AEA")
    assert len(branches) == 13 and branches[0].code == "MOJ.AEA.TPE"
    assert moj.subtree_codes("MOJ.AEA")[0] == "MOJ.AEA"
    assert len(moj.descendants("MOJ")) == len(moj) - 1


def test_the_rollup_maps_every_unit_to_itself_and_all_its_ancestors(moj: OrgUnits) -> None:
    rollup = moj.rollup()
    assert rollup["MOJ.AOC.TPE_P"] == ("MOJ", "MOJ.AOC", "MOJ.AOC.TPE_P")
    assert rollup["MOJ"] == ("MOJ",)
    assert len(rollup) == len(moj) and moj.depth == 3


def test_an_unknown_code_names_the_nearest(moj: OrgUnits) -> None:
    with pytest.raises(
        OrgUnitError, match="unknown org unit 'MOJ.AEA.TPX'; did you mean 'MOJ.AEA.TPE'"
    ):
        moj.get("MOJ.AEA.TPX")


def _unit(code: str, parent: str | None = None) -> OrgUnit:
    return OrgUnit(code=code, parent=parent, name_zh=code, name_en=code, kind=OrgUnitKind.AGENCY)


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        ([_unit("A"), _unit("A.B", "A"), _unit("A.B", "A")], "'A.B' is listed twice"),
        ([_unit("A"), _unit("A.B.C", "A.B")], "parent 'A.B' is not listed before it"),
        (
            [_unit("A"), _unit("X.B", "A")],
            "code must be its parent's code 'A' and one more segment",
        ),
        ([_unit("A"), _unit("B")], "exactly one root org unit, found ['A', 'B']"),
    ],
)
def test_it_rejects_a_broken_hierarchy(units: list[OrgUnit], expected: str) -> None:
    with pytest.raises(OrgUnitError) as raised:
        OrgUnits(units)
    assert expected in str(raised.value)


def test_a_bad_file_names_the_file_and_field(tmp_path: Path) -> None:
    path = tmp_path / "orgunits.yaml"
    path.write_text(
        "units:\n- {code: moj, name_zh: 法務部, name_en: MOJ, kind: ministry}\n", "utf-8"
    )
    with pytest.raises(OrgUnitError, match=r"orgunits.yaml: units.0.code: String should match"):
        load_org_units(path)
