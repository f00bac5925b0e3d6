from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import MOJ_PLAN_YAML
from yardstick.plan import Direction, DirectionSource, PlanFileError, read_document
from yardstick.plan.review import keep_reviews
from yardstick.plan.yamlio import dump_plan, load_plan, load_plan_text, save_plan


def test_document_to_yaml_to_model_is_exact(moj_document: Path) -> None:
    plan = read_document(moj_document, ministry="法務部", period="106-109")
    assert load_plan_text(dump_plan(plan)) == plan


def test_yaml_is_readable_chinese_in_a_stable_order(moj_document: Path) -> None:
    text = dump_plan(read_document(moj_document))
    assert "查緝製賣運輸藥頭" in text and "\\u" not in text
    keys = [
        line.split(":")[0]
        for line in text.splitlines()
        if line and not line.startswith((" ", "-", "#"))
    ]
    assert keys[:5] == ["ministry", "start_year", "end_year", "section_titles", "outline"]
    assert "value: 4000\n" in text
    assert dump_plan(read_document(moj_document)) == text


def test_the_committed_plan_is_the_import_plus_its_reviews(moj_document: Path) -> None:
    committed = load_plan(MOJ_PLAN_YAML)
    imported, dropped = keep_reviews(
        read_document(moj_document, ministry="法務部", period="106-109"), committed
    )
    assert dropped == []
    assert imported == committed


def test_the_committed_plan_reviews_lower_is_better_targets() -> None:
    plan = load_plan(MOJ_PLAN_YAML)
    for code in ("4-1", "9-2"):
        [target] = plan.kpi(code).targets
        assert target.direction is Direction.AT_MOST
        assert target.direction_source is DirectionSource.REVIEWED
        assert target.note
    assert plan.kpi("5-1").targets[0].direction is Direction.AT_MOST
    assert plan.kpi("8-1").targets[0].direction is Direction.AT_LEAST


def test_a_review_is_dropped_when_the_target_changed(moj_document: Path) -> None:
    committed = load_plan(MOJ_PLAN_YAML)
    text = moj_document.read_text(encoding="utf-8").replace("\t50.5日", "\t49日")
    from yardstick.plan import parse_document

    imported, dropped = keep_reviews(parse_document(text), committed)
    assert [(d.kpi, d.year) for d in dropped] == [("4-1", 109)]
    assert "50.5日" in dropped[0].reason
    assert imported.kpi("4-1").targets[0].direction_source is DirectionSource.NAME


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    plan = load_plan(MOJ_PLAN_YAML)
    path = tmp_path / "sub" / "plan.yaml"
    save_plan(plan, path)
    assert load_plan(path) == plan
    assert not list(path.parent.glob(".*.tmp"))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("ministry: x\nstart_year: 106\n  bad: [\n", r"line \d+: not valid YAML"),
        ("- a\n- b\n", "expected a mapping"),
        ("ministry: x\n", "start_year: Field required"),
    ],
)
def test_bad_yaml_names_the_fault(text: str, message: str) -> None:
    with pytest.raises(PlanFileError, match=message):
        load_plan_text(text)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "start_year: 106",
            "start_year: " + "1" * 5000,
            "line 3: not valid YAML: an integer of 5000",
        ),
        (
            "    value: 4000\n",
            "    value: .inf\n",
            "kpis.0.targets.0.value: Input should be a finite",
        ),
        (
            "    value: 4000\n",
            "    value: 1e400\n",
            "kpis.0.targets.0.value: Input should be a finite",
        ),
        (
            "    value: 4000\n",
            "    value: 1e15\n",
            "kpis.0.targets.0.value: Input should be less than",
        ),
        (
            "    value: 4000\n",
            "    value: .nan\n",
            "kpis.0.targets.0.value: Input should be a finite",
        ),
        ("  - year: 109\n", "  - year: 99999\n", "kpis.0.targets.0.year: .*ROC year 99999"),
        (
            "  number: 1\n",
            "  number: 1000\n",
            "kpis.0.number: Input should be less than or equal to 999",
        ),
        (
            "  name: 查緝製賣運輸藥頭\n",
            '  name: "查緝\\x01藥頭"\n',
            "kpis.0.name: .*control character U\\+0001",
        ),
    ],
)
def test_a_hand_edited_value_out_of_bounds_names_its_field(
    old: str, new: str, message: str
) -> None:
    text = MOJ_PLAN_YAML.read_text(encoding="utf-8").replace(old, new, 1)
    assert text != MOJ_PLAN_YAML.read_text(encoding="utf-8")
    with pytest.raises(PlanFileError, match=message):
        load_plan_text(text)


def test_an_edit_that_breaks_a_reference_is_caught() -> None:
    text = MOJ_PLAN_YAML.read_text(encoding="utf-8").replace("- 4-1\n", "- 4-9\n", 1)
    with pytest.raises(PlanFileError, match="unknown KPIs \\['4-9'\\]"):
        load_plan_text(text)


def test_a_reviewed_direction_without_a_note_is_refused() -> None:
    text = MOJ_PLAN_YAML.read_text(encoding="utf-8")
    start = text.index("    note: '檢察官辦案日數")
    end = text.index("\n", start) + 1
    with pytest.raises(PlanFileError, match="needs a note"):
        load_plan_text(text[:start] + text[end:])


def test_a_missing_file_is_a_plan_file_error(tmp_path: Path) -> None:
    with pytest.raises(PlanFileError, match="no such file"):
        load_plan(tmp_path / "nope.yaml")
