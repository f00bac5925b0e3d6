"""The plan as an Excel workbook with sheets 施政綱要, 關鍵績效指標 and 重要計畫."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from yardstick.plan.model import OutlineItem, Plan, Target
from yardstick.spreadsheet_cells import workbook_bytes

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIX = ".xlsx"

OUTLINE_COLUMNS = ("層級", "編號", "內容")
KPI_COLUMNS = (
    "關鍵策略目標編號",
    "關鍵策略目標",
    "KPI 編號",
    "關鍵績效指標",
    "評估體制",
    "評估方式",
    "衡量標準",
    "目標值年度",
    "目標值",
    "數值",
    "單位",
    "方向",
    "方向來源",
    "備註",
)
PROGRAMME_COLUMNS = (
    "施政綱要",
    "重要計畫項目",
    "計畫期程",
    "起年",
    "迄年",
    "計畫類別",
    "與KPI關聯",
    "KPI 編號",
)


def render(plan: Plan) -> bytes:
    workbook = Workbook()
    outline = workbook.active
    assert outline is not None
    outline.title = "施政綱要"
    _fill(
        outline,
        OUTLINE_COLUMNS,
        [row for heading in plan.outline for row in _outline_rows(heading)],
    )
    _fill(workbook.create_sheet("關鍵績效指標"), KPI_COLUMNS, _kpi_rows(plan))
    _fill(workbook.create_sheet("重要計畫"), PROGRAMME_COLUMNS, _programme_rows(plan))
    return workbook_bytes(workbook)


def _outline_rows(item: OutlineItem) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = [(item.level, item.label, item.text)]
    for child in item.items:
        rows += _outline_rows(child)
    return rows


def _kpi_rows(plan: Plan) -> list[tuple[object, ...]]:
    rows: list[tuple[object, ...]] = []
    for kpi in plan.kpis:
        targets: list[Target | None] = list(kpi.targets) or [None]
        for target in targets:
            rows.append(
                (
                    kpi.goal,
                    plan.goal(kpi.goal).name,
                    kpi.code,
                    kpi.name,
                    kpi.evaluation_mechanism,
                    kpi.evaluation_method,
                    kpi.measurement_standard,
                    *(
                        (
                            target.year,
                            target.text,
                            target.value,
                            target.unit,
                            f"{target.direction.zh}（{target.direction.reading}）",
                            target.direction_source.zh,
                            target.note or "",
                        )
                        if target
                        else ("",) * 7
                    ),
                )
            )
    return rows


def _programme_rows(plan: Plan) -> list[tuple[object, ...]]:
    return [
        (
            programme.outline_heading,
            programme.name,
            str(programme.period),
            programme.start_year,
            programme.end_year,
            programme.category.value,
            "、".join(plan.kpi(code).name for code in programme.kpis) or "無",
            "、".join(programme.kpis),
        )
        for programme in plan.programmes
    ]


def _fill(sheet: Worksheet, columns: tuple[str, ...], rows: list[tuple[object, ...]]) -> None:
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    for index, column in enumerate(sheet.columns, start=1):
        letter = get_column_letter(index)
        longest = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[letter].width = min(60, max(8, longest * 2))
        for cell in column[1:]:
            cell.alignment = Alignment(wrap_text=longest > 30, vertical="top")
    sheet.freeze_panes = "A2"
