"""Plan exports. Each format is a module with ``MEDIA_TYPE``, ``SUFFIX`` and ``render(plan) -> bytes``.

Adding a format: copy one module, register it in :data:`FORMATS`, add a test in
``tests/plan/exports/`` (see CONTRIBUTING.md).
"""

from __future__ import annotations

from types import ModuleType

from yardstick.plan.errors import PlanFileError
from yardstick.plan.exports import document, json, markdown, xlsx
from yardstick.plan.model import Plan

FORMATS: dict[str, ModuleType] = {
    "md": markdown,
    "json": json,
    "xlsx": xlsx,
    "document": document,
}


def export_plan(plan: Plan, format_name: str) -> bytes:
    """The plan in one of :data:`FORMATS`."""
    try:
        module = FORMATS[format_name]
    except KeyError:
        raise PlanFileError(
            f"unknown export format {format_name!r}; choose from {', '.join(FORMATS)}"
        ) from None
    rendered: bytes = module.render(plan)
    return rendered
