"""Report formats. Each is a module with ``MEDIA_TYPE``, ``SUFFIX`` and ``render(report) -> bytes``.

Adding one: copy ``html.py``, register it here, and add a test that reads the output back.
"""

from __future__ import annotations

from types import ModuleType

from yardstick.errors import YardstickError
from yardstick.reports import html, pdf, xlsx
from yardstick.reports.model import AnnualReport

FORMATS: dict[str, ModuleType] = {"pdf": pdf, "xlsx": xlsx, "html": html}


def render_report(report: AnnualReport, format_name: str) -> bytes:
    try:
        module = FORMATS[format_name]
    except KeyError:
        raise YardstickError(
            f"unknown report format {format_name!r}; choose from {', '.join(FORMATS)}"
        ) from None
    rendered: bytes = module.render(report)
    return rendered
