"""The plan in the published document layout (UTF-8 text)."""

from __future__ import annotations

from yardstick.plan.document_render import render_document
from yardstick.plan.model import Plan

MEDIA_TYPE = "text/plain; charset=utf-8"
SUFFIX = ".txt"


def render(plan: Plan) -> bytes:
    return render_document(plan).encode("utf-8")
