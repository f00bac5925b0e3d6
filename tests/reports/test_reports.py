"""The annual report in every format holds the same figures as ``assess``."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.conftest import artifact_dir
from yardstick.assess.plan_year import PlanYear
from yardstick.plan.rating import Light
from yardstick.reports import html, pdf, xlsx
from yardstick.reports.formats import render_report
from yardstick.reports.model import AnnualReport
from yardstick.reports.narrative import narrative


def test_every_kpi_is_assessed_with_a_light(assessed: PlanYear) -> None:
    assert len(assessed.kpis) == 16
    assert sum(assessed.light_counts().values()) == 16
    assert assessed.light_counts()[Light.WHITE] == 0
    assert {Light.GREEN, Light.YELLOW, Light.RED} <= {k.assessment.light for k in assessed.kpis}


def test_the_narrative_states_the_figures(assessed: PlanYear) -> None:
    [item] = [k for k in assessed.kpis if k.kpi.code == "8-1"]
    text = narrative(item, 109)
    assert text.startswith(f"109年度實際值為{item.assessment.shown}，較108年度")
    assert "個百分點" in text and "目標值26%以上" in text and item.assessment.light.zh in text


def test_the_html_holds_every_kpi_chart_and_explanation(report: AnnualReport) -> None:
    page = html.render(report).decode()
    assert page.count("<svg") == 17  # one per KPI and the summary
    for goal in report.goals:
        for section in goal.kpis:
            assert section.item.kpi.name in page and section.item.assessment.shown in page
    assert "本署持續推動多元繳款" in page
    assert "（承辦機關說明，由系統填報）" in page


def test_the_xlsx_holds_the_same_figures_as_assess(
    report: AnnualReport, assessed: PlanYear
) -> None:
    workbook = load_workbook(BytesIO(xlsx.render(report)))
    assert workbook.sheetnames == ["總覽", "關鍵績效指標", "機關別", "重要計畫"]
    rows = list(workbook["關鍵績效指標"].iter_rows(values_only=True))
    header, body = rows[0], rows[1:]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in body}
    for item in assessed.kpis:
        row = by_code[item.kpi.code]
        assert row["實際值"] == item.assessment.shown
        assert row["數值"] == item.assessment.actual
        assert row["燈號"] == item.assessment.light.zh
        assert row["達成度"] == (
            None if item.assessment.achievement is None else round(item.assessment.achievement, 4)
        )
    summary = list(workbook["總覽"].iter_rows(values_only=True))
    assert summary[-1] == ("合計", *assessed.light_counts().values())
    assert len(list(workbook["重要計畫"].iter_rows())) == 61


def test_the_xlsx_writes_text_that_excel_would_run_as_text(report: AnnualReport) -> None:
    attack = "=cmd|'/c calc'!A1"
    programme = report.programmes[0].model_copy(update={"name": attack})
    hostile = dataclasses.replace(report, programmes=(programme, *report.programmes[1:]))
    sheet = load_workbook(BytesIO(xlsx.render(hostile)))["重要計畫"]
    assert (sheet["B2"].value, sheet["B2"].data_type) == ("'" + attack, "s")
    assert sheet["C2"].data_type == "n"  # years stay numbers


def test_an_unknown_format_is_refused(report: AnnualReport) -> None:
    from yardstick.errors import YardstickError

    with pytest.raises(YardstickError, match="choose from pdf, xlsx, html"):
        render_report(report, "docx")


@pytest.mark.slow
def test_the_pdf_has_every_kpi_and_value_in_an_embedded_cjk_font(report: AnnualReport) -> None:
    document = pdf.render(report)
    out = artifact_dir() / "report-109.pdf"
    out.write_bytes(document)
    text = re.sub(
        r"\s+", "", "".join(page.extract_text() for page in PdfReader(BytesIO(document)).pages)
    )
    for goal in report.goals:
        assert re.sub(r"\s+", "", goal.goal.name) in text
        for section in goal.kpis:
            assert re.sub(r"\s+", "", section.item.kpi.name) in text, section.item.kpi.name
            assert section.item.assessment.shown in text
    assert "法務部109年度施政績效報告" in text and "綠燈" in text
    assert "\ufffd" not in text  # no tofu
    if shutil.which("pdffonts"):
        fonts = subprocess.run(
            ["pdffonts", str(out)], capture_output=True, text=True, check=True
        ).stdout
        cjk = [line for line in fonts.splitlines() if "CJK" in line]
        assert cjk and all(" yes yes " in line for line in cjk)  # embedded, subset
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "4",
                str(out),
                str(artifact_dir() / "report-109-page"),
            ],
            check=True,
        )
        assert (artifact_dir() / "report-109-page-02.png").exists()
