"""The report as PDF: the HTML page laid out by WeasyPrint, the CJK font embedded (subset)."""

from __future__ import annotations

from weasyprint import HTML

from yardstick.reports import html
from yardstick.reports.model import AnnualReport

MEDIA_TYPE = "application/pdf"
SUFFIX = ".pdf"


def render(report: AnnualReport) -> bytes:
    document: bytes = HTML(string=html.render_text(report)).write_pdf()
    return document
