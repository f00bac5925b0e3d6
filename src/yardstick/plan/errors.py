"""Errors of the plan part: a document that does not fit the layout, a plan file that is wrong."""

from __future__ import annotations

from yardstick.errors import YardstickError


class PlanDocumentError(YardstickError):
    """A published plan document that does not fit the layout, at a given line (1-based)."""

    def __init__(self, line: int, expected: str, found: str) -> None:
        shown = found if len(found) <= 80 else found[:77] + "…"
        super().__init__(f"line {line}: expected {_one_line(expected)}, found {shown!r}")
        self.line = line
        self.expected = expected
        self.found = found


class PlanFileError(YardstickError):
    """A plan file (plan.yaml) that cannot be read or does not describe a valid plan."""


def _one_line(text: str) -> str:
    """The CLI prints one line per error: line breaks inside document text (a wrapped cell named
    in ``expected``) are shown escaped, as ``found``'s repr shows them."""
    return text.translate({0x0A: "\\n", 0x0D: "\\r", 0x2028: "\\u2028", 0x2029: "\\u2029"})
