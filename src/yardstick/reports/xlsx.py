"""The report as an Excel workbook: 總覽 (lights by goal), 關鍵績效指標, 機關別, 重要計畫."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from yardstick.plan.model import UNREVIEWED_MARK
from yardstick.plan.rating import Light
from yardstick.reports.model import AnnualReport
from yardstick.spreadsheet_cells import workbook_bytes

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SUFFIX = ".xlsx"

FILLS = {Light.GREEN: "C8E6C9", Light.YELLOW: "FFF59D", Light.RED: "FFCDD2", Light.WHITE: "EEEEEE"}
KPI_COLUMNS = (
    "KPI",
    "關鍵績效指標",
    "目標值",
    "方向",
    "實際值",
    "數值",
    "單位",
    "達成度",
    "燈號",
    "方向未經複核",
    "較上年度",
    "說明",
    "無法評估原因",
)


def render(report: AnnualReport) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    assert summary is not None
    summary.title = "總覽"
    summary.append([report.title])
    summary.append(["關鍵策略目標", *(light.zh for light in Light)])
    for goal in report.goals:
        summary.append([f"{goal.goal.number} {goal.goal.name}", *goal.counts.values()])
    summary.append(["合計", *report.totals.values()])
    kpis = workbook.create_sheet("關鍵績效指標")
    kpis.append(list(KPI_COLUMNS))
    units = workbook.create_sheet("機關別")
    units.append(["KPI", "機關代碼", "機關", "實際值"])
    for goal in report.goals:
        for section in goal.kpis:
            _kpi_row(kpis, section)
            for row in section.units:
                units.append([section.item.kpi.code, row.code, row.name, row.shown])
    if report.unreviewed_note:
        kpis.append([])
        kpis.append([f"{report.unreviewed_mark} {report.unreviewed_note}"])
    programmes = workbook.create_sheet("重要計畫")
    programmes.append(["施政綱要", "重要計畫項目", "起年", "迄年", "計畫類別", "與KPI關聯"])
    for p in report.programmes:
        programmes.append(
            [
                p.outline_heading,
                p.name,
                p.start_year,
                p.end_year,
                p.category.value,
                "、".join(p.kpis) or "無",
            ]
        )
    for sheet in workbook.worksheets:
        for cell in sheet[1]:
            cell.font = Font(bold=True)
    return workbook_bytes(workbook)


def _kpi_row(sheet: object, section: object) -> None:
    from openpyxl.worksheet.worksheet import Worksheet

    from yardstick.reports.model import KpiSection

    assert isinstance(sheet, Worksheet) and isinstance(section, KpiSection)
    a, kpi = section.item.assessment, section.item.kpi
    sheet.append(
        [
            kpi.code,
            kpi.name,
            a.target.text if a.target else None,
            section.direction,
            a.shown,
            a.actual,
            a.target.unit if a.target else None,
            None if a.achievement is None else round(a.achievement, 4),
            a.light.zh,
            UNREVIEWED_MARK if a.rests_on_unreviewed_direction else None,
            section.item.trend.change_text,
            section.narrative,
            a.reason,
        ]
    )
    sheet.cell(row=sheet.max_row, column=9).fill = PatternFill("solid", fgColor=FILLS[a.light])
    sheet.cell(row=sheet.max_row, column=8).number_format = "0.0%"
