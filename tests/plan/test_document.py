"""The published-document parser, on the MOJ document, our own fixtures and malformed documents."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from yardstick.plan import (
    Direction,
    DirectionSource,
    Plan,
    PlanDocumentError,
    ProgrammeCategory,
    parse_document,
    read_document,
)

MOE = FIXTURES / "plans" / "moe-110-113-crlf.txt"
MOHW = FIXTURES / "plans" / "mohw-112-113-big5.txt"


@pytest.fixture
def moj(moj_document: Path) -> Plan:
    return read_document(moj_document, ministry="法務部", period="106-109")


def _moj_text(moj_document: Path) -> str:
    return moj_document.read_text(encoding="utf-8")


# --- the MOJ document -------------------------------------------------------------------------


def test_it_finds_every_part_of_the_moj_plan(moj: Plan) -> None:
    assert len(moj.outline) == 5
    assert len(moj.goals) == 9
    assert len(moj.kpis) == 16
    assert len(moj.programmes) == 60
    assert len(moj.evaluation_mechanisms) == 5
    assert (moj.start_year, moj.end_year) == (106, 109)


def test_it_reads_the_outline_levels(moj: Plan) -> None:
    first = moj.outline[0]
    assert (first.level, first.number, first.text) == (1, "一", "嚴正執行法律、推動司法互助")
    assert [item.text for item in first.items] == [
        "防制毒品沒收犯罪所得",
        "推動並深化國際及兩岸司法互助",
    ]
    assert len(first.items[1].items) == 5
    assert first.items[0].items[1].text.startswith("強化沒收效率，斷絕犯罪利基")


def test_heading_five_has_an_unnumbered_sub_heading(moj: Plan) -> None:
    five = moj.outline[4]
    assert (five.number, five.text) == ("五", "提升資源配置效率")
    [sub] = five.items
    assert (sub.level, sub.number, sub.text) == (2, None, "妥適配置預算資源，提升預算執行效率")
    assert [item.number for item in sub.items] == ["１", "２"]


def test_goals_link_to_the_outline_items_of_the_same_name(moj: Plan) -> None:
    assert moj.goal(1).outline_item == "一/一"
    assert moj.goal(4).name == "提升檢察效能、創新資訊服務價值"
    assert moj.goal(4).outline_item == "二/二"
    assert moj.goal(9).outline_item == "五/"


def test_kpi_1_3_keeps_its_whole_measurement_standard(moj: Plan) -> None:
    kpi = moj.kpi("1-3")
    assert kpi.name == "犯罪所得沒收之實現率"
    assert "97年1月起" in kpi.measurement_standard
    assert kpi.measurement_standard.endswith("（已收金額÷應收金額）×100%")


def test_kpi_5_1_target_is_8_percent_at_most(moj: Plan) -> None:
    [target] = moj.kpi("5-1").targets
    assert (target.year, target.value, target.unit, target.text) == (109, 8.0, "%", "8%以下")
    assert target.direction is Direction.AT_MOST
    assert target.direction_source is DirectionSource.WORDING


@pytest.mark.parametrize(
    ("code", "value", "unit"),
    [
        ("1-1", 4000, "人"),
        ("1-2", 4200, "公斤"),
        ("1-3", 53, "%"),
        ("2-2", 9300, "件"),
        ("3-2", 87.11, "%"),
        ("3-1", 100, "%"),
        ("4-1", 50.5, "日"),
        ("9-2", 4.7, "%"),
    ],
)
def test_it_reads_targets_with_value_and_unit(
    moj: Plan, code: str, value: float, unit: str
) -> None:
    [target] = moj.kpi(code).targets
    assert (target.value, target.unit, target.year) == (value, unit, 109)


def test_targets_without_direction_words_default_to_at_least(moj: Plan) -> None:
    [target] = moj.kpi("1-1").targets
    assert target.direction is Direction.AT_LEAST
    assert target.direction_source is DirectionSource.DEFAULT


def test_a_name_that_counts_days_suggests_at_most_still_unreviewed(moj: Plan) -> None:
    [target] = moj.kpi("4-1").targets  # 檢察官辦案日數 50.5日: fewer days is better
    assert target.direction is Direction.AT_MOST
    assert target.direction_source is DirectionSource.NAME
    assert target.direction_unreviewed


def test_the_wording_wins_over_the_name(moj: Plan) -> None:
    [target] = moj.kpi("5-1").targets  # 紓解矯正機關超收擁擠問題 8%以下
    assert (target.direction, target.direction_source) == (
        Direction.AT_MOST,
        DirectionSource.WORDING,
    )
    assert not target.direction_unreviewed


def test_it_reads_mechanism_codes_and_their_meanings(moj: Plan) -> None:
    assert sorted(moj.evaluation_mechanisms) == [1, 2, 3, 4, 5]
    assert moj.evaluation_mechanisms[3] == "指實際評估作業係透過第三者方式（如由專家學者）進行。"
    assert moj.evaluation_mechanisms[5] == "其它。"
    assert all(kpi.evaluation_mechanism == 1 for kpi in moj.kpis)


def test_embedded_notes_stay_in_the_standard_and_are_found(moj: Plan) -> None:
    assert moj.kpi("6-1").note == "問卷設計須經學者專家認證"
    assert moj.kpi("8-1").note is not None
    assert moj.kpi("8-1").note.startswith("有效結案件數：終結情形為完全繳清")
    assert "【註】" in moj.kpi("8-1").measurement_standard
    assert moj.kpi("1-1").note is None


def test_programme_zhonghe_campus(moj: Plan) -> None:
    [programme] = [
        p for p in moj.programmes if p.name == "法務部調查局中和調查園區新建辦公大樓計畫"
    ]
    assert (programme.start_year, programme.end_year) == (105, 113)
    assert programme.category is ProgrammeCategory.PUBLIC_CONSTRUCTION
    assert programme.kpis == ["4-1"]
    assert moj.kpi("4-1").name == "檢察官辦案日數"
    assert programme.outline_heading == "建立廉能政府、重建司法信賴"


def test_two_programmes_are_linked_to_no_kpi(moj: Plan) -> None:
    unlinked = [p.name for p in moj.programmes if not p.kpis]
    assert unlinked == [
        "實施更生人認輔制度，推動個人及家庭整合性服務",
        "推動各地毒品危害防制中心辦理強化藥癮者輔導處遇工作，協助藥癮者復歸社會",
    ]


def test_links_with_commas_in_kpi_names_resolve(moj: Plan) -> None:
    [programme] = [p for p in moj.programmes if p.name == "建立打擊跨境犯罪模式，共同打擊不法"]
    assert programme.kpis == ["2-1", "2-2"]
    [drugs] = [p for p in moj.programmes if p.name == "執行反毒策略"]
    assert drugs.kpis == ["1-2", "1-1"]


def test_every_programme_sits_under_an_outline_heading(moj: Plan) -> None:
    headings = {item.text for item in moj.outline}
    assert {p.outline_heading for p in moj.programmes} == headings - {"提升資源配置效率"}
    assert sum(p.outline_heading == "推動獄政改革、深化司法保護" for p in moj.programmes) == 8


def test_the_plan_period_defaults_to_four_years_ending_with_the_target_year(
    moj_document: Path,
) -> None:
    plan = read_document(moj_document)
    assert (plan.start_year, plan.end_year) == (106, 109)
    assert plan.ministry is None


# --- real-export tolerance ------------------------------------------------------------------


def test_it_tolerates_crlf_bom_leading_spaces_and_trailing_blank_cells(moj_document: Path) -> None:
    text = _moj_text(moj_document)
    messy = "\ufeff" + "\r\n".join(
        ("  " + line + ("\r\n\t" if line.startswith("\t4,000") else ""))
        for line in text.split("\n")
    )
    assert parse_document(messy) == read_document(moj_document)


def test_it_tolerates_trailing_blank_cells_in_the_kpi_header(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t109年度\n目標值\n", "\t109年度\n目標值\n\t\n\t\n", 1)
    assert parse_document(text) == read_document(moj_document)


def test_it_tolerates_full_width_digits_in_numbers(moj_document: Path) -> None:
    text = (
        _moj_text(moj_document)
        .replace("\t4,000人", "\t４，０００人")
        .replace("\t106-109\n", "\t１０６－１０９\n")
    )
    plan, original = parse_document(text), read_document(moj_document)
    [target] = plan.kpi("1-1").targets
    assert (target.value, target.unit, target.text) == (4000, "人", "４，０００人")
    assert plan.programmes == original.programmes


def test_the_moe_fixture_differs_and_parses() -> None:
    plan = read_document(MOE, ministry="教育部")
    assert (len(plan.outline), len(plan.goals), len(plan.kpis), len(plan.programmes)) == (
        3,
        3,
        5,
        4,
    )
    assert (plan.start_year, plan.end_year) == (110, 113)
    assert plan.kpi("1-1").targets[0].value == 85
    assert plan.kpi("3-1").targets[0].value == 12000
    assert plan.kpi("3-1").targets[0].unit == "人次"
    assert plan.kpi("3-2").evaluation_mechanism == 2  # blank cell: same as the row above
    assert plan.kpi("1-2").note == "問卷經專家審查"


def test_items_can_hang_directly_under_a_heading() -> None:
    plan = read_document(MOE)
    two = plan.outline[1]
    assert [(item.level, item.number) for item in two.items] == [(3, "１"), (3, "２")]


def test_kpi_names_may_contain_the_link_separator() -> None:
    plan = read_document(MOE)
    assert plan.kpi("1-2").name == "師資培育、甄選及進修滿意度"
    assert plan.programmes[0].kpis == ["1-1", "1-2"]


def test_a_programme_linked_to_none_and_the_other_spelling_of_other() -> None:
    plan = read_document(MOE)
    assert plan.programmes[2].kpis == []
    assert plan.programmes[3].category is ProgrammeCategory.OTHER
    assert (plan.programmes[1].start_year, plan.programmes[1].end_year) == (110, 113)


def test_a_big5_plan_with_two_target_years() -> None:
    plan = read_document(MOHW, period="112-115")
    assert (plan.start_year, plan.end_year) == (112, 115)
    er = plan.kpi("1-1")
    assert [(t.year, t.value, t.direction) for t in er.targets] == [
        (112, 3.0, Direction.AT_MOST),
        (113, 2.5, Direction.AT_MOST),
    ]
    assert plan.kpi("2-1").targets[0].direction_source is DirectionSource.DEFAULT
    assert plan.kpi("2-1").targets[1].direction_source is DirectionSource.WORDING
    assert plan.kpi("2-2").targets[1].text == "20小時以內"
    assert plan.section_titles.programmes == "參、112至115年重要計畫"
    assert sorted(plan.evaluation_mechanisms) == [1, 4]


# --- malformed documents --------------------------------------------------------------------


def _error(text: str) -> PlanDocumentError:
    with pytest.raises(PlanDocumentError) as caught:
        parse_document(text)
    return caught.value


def test_an_empty_document_says_so() -> None:
    error = _error("")
    assert error.line == 1
    assert "壹、施政綱要" in error.expected
    assert error.found == "an empty document"


def test_a_missing_section_names_it(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("參、未來四年重要計畫", "參、附錄")
    error = _error(text)
    assert "參、…重要計畫" in error.expected
    assert error.found == "the end of the document"


def test_a_kpi_row_with_a_missing_cell_names_its_line(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace(
        "\t統計數據\n\t查獲毒品公斤數（純質淨重）\n", "\t查獲毒品公斤數（純質淨重）\n"
    )
    error = _error(text)
    line = text.split("\n").index("\t加強毒品查緝工作") - 2  # the row's first cell, 1-based
    assert error.line == line
    assert "KPI row of 8 cells" in error.expected
    assert error.found.startswith("7 cells")


def test_a_programme_linked_to_an_unknown_kpi_names_the_nearest(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t提升貪瀆定罪率\n\n", "\t提升貪污定罪率\n\n")
    error = _error(text)
    assert error.found == "提升貪污定罪率"
    assert "nearest: 提升貪瀆定罪率" in error.expected
    assert text.split("\n")[error.line - 1] == "\t提升貪污定罪率"


def test_a_bad_target_names_the_year_and_line(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t4,200公斤", "\t很多公斤")
    error = _error(text)
    assert "109年度 target" in error.expected
    assert error.found == "很多公斤"
    assert text.split("\n")[error.line - 1] == "\t很多公斤"


def test_a_bad_period_names_the_line(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t105-113\n", "\t113-105\n")
    error = _error(text)
    assert "計畫期程" in error.expected and "before it starts" in error.expected
    assert error.found == "113-105"


def test_an_unknown_category_lists_the_allowed_ones(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t公共建設\n", "\t公共工程\n", 1)
    error = _error(text)
    assert "公共建設、科技發展、社會發展、其它" in error.expected


def test_an_unknown_outline_heading_in_the_programme_table(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t推動獄政改革、深化司法保護\n", "\t推動獄政革新\n")
    error = _error(text)
    assert "outline heading" in error.expected and "推動獄政改革、深化司法保護" in error.expected


def test_an_unplaceable_outline_line(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("２、健全國內相關法制", "健全國內相關法制")
    error = _error(text)
    assert "outline item" in error.expected
    assert error.found.startswith("健全國內相關法制")


def test_text_after_the_programme_table_is_not_skipped(moj_document: Path) -> None:
    error = _error(_moj_text(moj_document) + "\n附註：本表僅供參考\n")
    assert error.found == "附註：本表僅供參考"


def test_a_mechanism_code_without_a_meaning(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\t查緝製賣運輸藥頭\n\t1\n", "\t查緝製賣運輸藥頭\n\t7\n")
    error = _error(text)
    assert "評估體制 7" in error.expected


def test_a_binary_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(PlanDocumentError, match="binary data"):
        read_document(path)


def test_undecodable_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes("壹、施政綱要\n".encode() + b"\xff\xfe\xfa\xfb\n")
    with pytest.raises(PlanDocumentError, match="UTF-8 or Big5"):
        read_document(path)


def test_a_5_mb_file_is_refused_fast(tmp_path: Path) -> None:
    path = tmp_path / "plan.txt"
    path.write_bytes((("壹、施政綱要\n" + "一、" + "字" * 100 + "\n") * 16_000).encode())
    assert path.stat().st_size > 5_000_000
    started = time.perf_counter()
    with pytest.raises(PlanDocumentError, match="at most 2 MiB"):
        read_document(path)
    assert time.perf_counter() - started < 1.0


def test_a_large_document_under_the_limit_fails_on_structure_fast() -> None:
    text = "壹、施政綱要\n" + "".join(f"一、項目{i}\n" for i in range(40_000))
    started = time.perf_counter()
    error = _error(text)
    assert "貳、關鍵績效指標" in error.expected
    assert time.perf_counter() - started < 5.0


# --- numbers and values that are not what they look like (each a PlanDocumentError) ----------


def _replace_line(text: str, old: str, new: str, occurrence: int = 0) -> tuple[str, int]:
    """``text`` with one whole line changed, and that line's number."""
    lines = text.split("\n")
    index = [i for i, line in enumerate(lines) if line == old][occurrence]
    lines[index] = new
    return "\n".join(lines), index + 1


def _kpi_cell(moj_document: Path, offset: int, new: str) -> tuple[str, int]:
    """The MOJ document with the cell ``offset`` lines after the first KPI's name replaced."""
    lines = _moj_text(moj_document).split("\n")
    index = lines.index("\t查緝製賣運輸藥頭") + offset
    lines[index] = new
    return "\n".join(lines), index + 1


@pytest.mark.parametrize(
    ("offset", "number", "expected"),
    [
        (-1, "\t②", "a KPI number"),
        (-1, "\t²", "a KPI number"),
        (-1, "\t٣", "a KPI number"),  # an Arabic-Indic 3: int() reads it, the plan must not
        (-1, "\t" + "1" * 5000, "a KPI number"),  # past Python's int-string limit
        (-1, "\t1000", "a KPI number"),
        (-3, "\t" + "1" * 5000, "a strategic goal number"),
        (-3, "\t①", "a strategic goal number"),
        (1, "\t②", "an evaluation mechanism code"),
        (1, "\t" + "9" * 4400, "an evaluation mechanism code"),
    ],
)
def test_a_number_in_another_script_or_too_long_names_its_line(
    moj_document: Path, offset: int, number: str, expected: str
) -> None:
    text, line = _kpi_cell(moj_document, offset, number)
    error = _error(text)
    assert error.line == line
    assert expected in error.expected and "whole number from 1 to 999" in error.expected


def test_full_width_kpi_and_goal_numbers_still_read(moj_document: Path) -> None:
    text, _ = _kpi_cell(moj_document, -1, "\t１")
    text = text.replace("\t查緝製賣運輸藥頭\n\t1\n", "\t查緝製賣運輸藥頭\n\t１\n")
    assert parse_document(text) == parse_document(_moj_text(moj_document))


@pytest.mark.parametrize(
    ("header", "reason"),
    [("\t301年度", "ROC year 301 is outside 1–300"), ("\t0年度", "ROC year 0 is outside 1–300")],
)
def test_a_target_header_outside_the_roc_years_names_its_line(
    moj_document: Path, header: str, reason: str
) -> None:
    text, line = _replace_line(_moj_text(moj_document), "\t109年度", header)
    error = _error(text)
    assert error.line == line
    assert "target column header" in error.expected and reason in error.expected


def test_target_years_too_early_for_a_four_year_plan_name_the_header(moj_document: Path) -> None:
    text, line = _replace_line(_moj_text(moj_document), "\t109年度", "\t2年度")
    error = _error(text)
    assert error.line == line - 5  # the header row's first cell
    assert "target years from 4 on" in error.expected
    plan = parse_document(text, period="1-4")
    assert plan.kpi("1-1").targets[0].year == 2


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("\t" + "9" * 400 + "人", "at most 15 digits, not 400"),  # float() reads it as inf
        ("\t" + "9" * 5000 + "人", "at most 15 digits, not 5000"),
        ("\t1" + ",000" * 5 + "人", "at most 15 digits, not 16"),
        ("\t٤,٠٠٠人", "a number (digits 0–9) with its unit"),  # float() reads Arabic-Indic digits
        ("\t4٣人", "a number (digits 0–9) with its unit"),
    ],
)
def test_a_target_that_is_no_sane_figure_names_its_line(
    moj_document: Path, target: str, reason: str
) -> None:
    text, line = _replace_line(_moj_text(moj_document), "\t4,000人", target)
    error = _error(text)
    assert error.line == line
    assert "109年度 target" in error.expected and reason in error.expected


def test_a_fifteen_digit_target_is_still_a_target(moj_document: Path) -> None:
    text, _ = _replace_line(_moj_text(moj_document), "\t4,000人", "\t999,999,999,999,999人")
    [target] = parse_document(text).kpi("1-1").targets
    assert target.value == 999_999_999_999_999


def test_a_superscript_after_the_figure_is_part_of_its_unit(moj_document: Path) -> None:
    text, _ = _replace_line(_moj_text(moj_document), "\t4,000人", "\t4,000m²")
    [target] = parse_document(text).kpi("1-1").targets
    assert (target.value, target.unit) == (4000, "m²")


@pytest.mark.parametrize("character", ["\x01", "\x0b", "\x0c", "\x1b", "\x7f", "\x85"])
def test_a_control_character_names_its_line_and_column(moj_document: Path, character: str) -> None:
    text, line = _replace_line(_moj_text(moj_document), "\t4,000人", f"\t4,0{character}00人")
    error = _error(text)
    assert error.line == line
    assert error.found == f"U+{ord(character):04X} at column 5"


def test_a_repeated_mechanism_code_is_not_lost(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\u3000\u30002.指", "\u3000\u30001.指", 1)
    error = _error(text)
    assert "not 1 again" in error.expected
    assert text.split("\n")[error.line - 1].startswith("\u3000\u30001.指")


def test_a_mechanism_code_past_the_int_limit_names_its_line(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace("\u3000\u30001.指", "\u3000\u3000" + "1" * 5000 + ".指")
    error = _error(text)
    assert "評估體制 code" in error.expected
    assert text.split("\n")[error.line - 1].startswith("\u3000\u3000111")


def test_an_unreadable_document_is_a_plan_file_error(tmp_path: Path) -> None:
    from yardstick.plan import PlanFileError

    with pytest.raises(PlanFileError, match="cannot read"):
        read_document(tmp_path)


def test_an_error_naming_a_wrapped_cell_is_still_one_line(moj_document: Path) -> None:
    text = _moj_text(moj_document).replace(
        "\t提升貪瀆定罪率\n\t1\n", "\t提升貪瀆\n定罪率\n\t1\n", 1
    )
    error = _error(text)  # the programme table names it on one line: no such KPI
    assert "nearest: 提升貪瀆\n定罪率" in error.expected
    assert "\n" not in str(error) and "nearest: 提升貪瀆\\n定罪率" in str(error)
