"""The report as one self-contained HTML page (charts inline as SVG)."""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

from yardstick.reports.model import AnnualReport

MEDIA_TYPE = "text/html; charset=utf-8"
SUFFIX = ".html"

_ENVIRONMENT = Environment(
    loader=PackageLoader("yardstick.reports", "templates"),
    autoescape=select_autoescape(["html", "j2"]),
)


def render_text(report: AnnualReport) -> str:
    return _ENVIRONMENT.get_template("report.html.j2").render(report=report)


def render(report: AnnualReport) -> bytes:
    return render_text(report).encode("utf-8")
