"""The policy outline (壹、施政綱要) of a plan document.

Levels: ``一、`` headings, ``（一）`` sub-headings, ``１、`` items. A heading may carry an
unnumbered sub-heading on the line after it (as 五、 does), and items may hang directly under a
heading with no sub-heading at all.
"""

from __future__ import annotations

import re

from yardstick.plan.document_cells import validated
from yardstick.plan.errors import PlanDocumentError
from yardstick.plan.model import OutlineItem
from yardstick.plan.tables import Line

_CHINESE_NUMBER = "[一二三四五六七八九十百]+"
_HEADING = re.compile(rf"^({_CHINESE_NUMBER})、\s*(.+)$")
_SUB_HEADING = re.compile(rf"^[（(]({_CHINESE_NUMBER})[）)]\s*(.+)$")
_ITEM = re.compile(r"^([0-9０-９]+)\s*[、.．]\s*(.+)$")
_EXPECTED = "an outline item ('一、…', '（一）…' or '１、…')"


def read_outline(lines: list[Line]) -> list[OutlineItem]:
    """Read the outline lines (blank lines are ignored) into a tree of items."""
    headings: list[OutlineItem] = []
    previous: OutlineItem | None = None
    for line in lines:
        if line.is_blank:
            continue
        if line.is_cell:
            raise PlanDocumentError(line.number, _EXPECTED, line.text)
        previous = _place(line, headings, previous)
    if not headings:
        line_number = lines[0].number - 1 if lines else 1
        raise PlanDocumentError(line_number, "at least one outline heading ('一、…')", "none")
    return headings


def _place(line: Line, headings: list[OutlineItem], previous: OutlineItem | None) -> OutlineItem:
    text = line.text.strip()
    if match := _HEADING.match(text):
        item = _item(line, 1, match.group(1), match.group(2).strip())
        headings.append(item)
        return item
    if not headings:
        raise PlanDocumentError(line.number, "an outline heading ('一、…') first", text)
    heading = headings[-1]
    if match := _SUB_HEADING.match(text):
        item = _item(line, 2, match.group(1), match.group(2).strip())
        heading.items.append(item)
        return item
    if match := _ITEM.match(text):
        item = _item(line, 3, match.group(1), match.group(2).strip())
        parent = heading.items[-1] if heading.items and heading.items[-1].level == 2 else heading
        parent.items.append(item)
        return item
    if previous is heading:
        item = _item(line, 2, None, text)
        heading.items.append(item)
        return item
    raise PlanDocumentError(line.number, _EXPECTED, text)


def _item(line: Line, level: int, number: str | None, text: str) -> OutlineItem:
    fields = {"level": level, "number": number, "text": text}
    return validated(OutlineItem, line.number, _EXPECTED, fields)
