"""A KPI's figures as a download: every stored year × org unit, its value, unit and inputs.

Values are rounded half up (四捨五入) to the definition's decimals, as the site and the report
show them; the inputs (numerator, denominator …) are as computed. Text that a spreadsheet would
run as a formula is neutralised (:mod:`yardstick.spreadsheet_cells`).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import Workbook

from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue, round_half_up
from yardstick.spreadsheet_cells import neutralise, workbook_bytes

CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

Cell = str | int | float | None


def figure_rows(
    project: Project, kpi: str, values: Sequence[KpiValue], chinese: bool
) -> list[list[Cell]]:
    """The header and one row per (ROC year, org unit), in year and hierarchy order."""
    inputs = list(dict.fromkeys(name for v in values for name in v.inputs))
    header: list[Cell] = [
        _("KPI"),
        _("ROC year"),
        _("Org unit code"),
        _("Org unit"),
        pgettext("a KPI figure", "Value"),
        _("Unit"),
        *inputs,
        _("Why there is no value"),
    ]
    units = project.org_units
    order = {unit.code: n for n, unit in enumerate(units)}
    rows: list[list[Cell]] = [header]
    for v in sorted(values, key=lambda v: (v.year, order.get(v.org_unit, len(order)))):
        unit = units.get(v.org_unit) if v.org_unit in units else None
        name = "" if unit is None else (unit.name_zh if chinese else unit.name_en)
        value = None if v.value is None else float(round_half_up(v.value, v.decimals))
        row: list[Cell] = [kpi, v.year, v.org_unit, name, value, v.unit]
        rows.append(row + [v.inputs.get(n) for n in inputs] + [v.reason or ""])
    return rows


def figures_file(
    project: Project, kpi: str, values: Sequence[KpiValue], fmt: str, chinese: bool
) -> tuple[bytes, str]:
    """The figures as ``fmt`` (csv or xlsx): the file's bytes and its media type."""
    rows = figure_rows(project, kpi, values, chinese)
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\r\n")
        writer.writerows([[neutralise(cell) for cell in row] for row in rows])
        return buffer.getvalue().encode("utf-8-sig"), CSV_TYPE
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = kpi
    for row in rows:
        sheet.append(row)
    return workbook_bytes(workbook), XLSX_TYPE
