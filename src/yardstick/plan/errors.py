"""Errors of the plan part: a document that does not fit the layout, a plan file that is wrong."""

from __future__ import annotations

from yardstick.errors import YardstickError


class PlanDocumentError(YardstickError):
    """A published plan document that does not fit the layout, at a given line (1-based)."""

    def __init__(self, line: int, expected: str, found: str) -> None:
        shown = found if len(found) <= 80 else found[:77] + "…"
        super().__init__(f"line {line}: expected {expected}, found {shown!r}")
        self.line = line
        self.expected = expected
        self.found = found


class PlanFileError(YardstickError):
    """A plan file (plan.yaml) that cannot be read or does not describe a valid plan."""
