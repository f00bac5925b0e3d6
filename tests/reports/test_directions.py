"""The report says each target's direction in the reader's words, and marks a guessed one."""

from __future__ import annotations

import re
from dataclasses import replace
from io import BytesIO

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from yardstick.assess.plan_year import PlanYear
from yardstick.metrics.project import Project
from yardstick.plan.model import DirectionSource
from yardstick.reports import html, pdf, xlsx
from yardstick.reports.model import AnnualReport, build_report

INTERNAL_CODES = ("at_least", "at_most", "direction_source", "wording", "reviewed")


@pytest.fixture(scope="module")
def guessed(assessed: PlanYear, demo_project: Project) -> AnnualReport:
    """The demo report as if 4-1's direction had only been suggested by its name (日數)."""
    items = []
    for item in assessed.kpis:
        if item.kpi.code == "4-1":
            assert item.assessment.target is not None
            target = item.assessment.target.model_copy(
                update={"direction_source": DirectionSource.NAME, "note": None}
            )
            item = replace(item, assessment=replace(item.assessment, target=target))
        items.append(item)
    return build_report(replace(assessed, kpis=tuple(items)), demo_project.org_units)


def test_a_reviewed_plan_has_no_mark(report: AnnualReport) -> None:
    page = html.render(report).decode()
    assert report.unreviewed_note is None
    assert "※" not in page and "方向未經複核" not in page
    assert "目標方向" in page and "以下（越低越好）" in page and "以上（越高越好）" in page


def test_the_html_marks_the_light_that_rests_on_a_guess(guessed: AnnualReport) -> None:
    page = html.render(guessed).decode()
    [heading] = [line for line in page.splitlines() if "<h3>4-1" in line]
    assert '<span class="mark">※</span>' in heading
    assert page.count('<span class="mark">※</span>') == 2  # the summary table and the KPI
    assert "※ 方向未經複核：目標值文字未載明以上或以下" in page
    assert not any(code in page for code in INTERNAL_CODES)


def test_the_xlsx_says_the_direction_in_words_and_marks_the_guess(
    guessed: AnnualReport, report: AnnualReport
) -> None:
    for each, marked in ((guessed, {"4-1"}), (report, set())):
        rows = list(
            load_workbook(BytesIO(xlsx.render(each)))["關鍵績效指標"].iter_rows(values_only=True)
        )
        header, body = rows[0], rows[1:]
        by_code = {row[0]: dict(zip(header, row, strict=True)) for row in body if row[1]}
        assert by_code["4-1"]["方向"] == "以下（越低越好）"
        assert by_code["8-1"]["方向"] == "以上（越高越好）"
        assert {code for code, row in by_code.items() if row["方向未經複核"] == "※"} == marked
        cells = {str(cell) for row in rows for cell in row if cell is not None}
        assert not cells & set(INTERNAL_CODES)
        footnotes = [cell for cell in cells if cell.startswith("※ 方向未經複核")]
        assert len(footnotes) == len(marked)


@pytest.mark.slow
def test_the_pdf_marks_the_light_and_explains_the_mark(guessed: AnnualReport) -> None:
    pages = PdfReader(BytesIO(pdf.render(guessed))).pages
    text = re.sub(r"\s+", "", "".join(page.extract_text() for page in pages))
    assert "※方向未經複核" in text and "目標方向以下（越低越好）" in text
    assert "at_least" not in text and "at_most" not in text
