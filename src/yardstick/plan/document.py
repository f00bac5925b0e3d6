"""Read a published plan document (中程施政計畫) into a :class:`~yardstick.plan.model.Plan`.

The layout, as ministries publish it::

    壹、施政綱要            outline: 一、 / （一） / １、 lines
    貳、關鍵績效指標        table: goal no. | goal | KPI no. | KPI | 評估體制 | 評估方式 | 衡量標準 | NNN年度目標值 …
    註： …                  the meanings of the 評估體制 codes
    參、未來四年重要計畫    table: 施政綱要 | 重要計畫項目 | 計畫期程 | 計畫類別 | 與KPI關聯

Tables are flattened one cell per line (see :mod:`yardstick.plan.tables`); a blank grouping cell
means "same as the row above". Every line ends up in a field of the plan, or reading stops with a
:class:`PlanDocumentError` naming the line, what was expected and what was found.
"""

from __future__ import annotations

import re
from pathlib import Path

from yardstick.calendar import PeriodError, YearRange, normalize_digits, parse_year_range
from yardstick.plan.document_cells import validated
from yardstick.plan.document_kpis import KpiSection, read_kpi_section
from yardstick.plan.document_outline import read_outline
from yardstick.plan.document_programmes import read_programme_section
from yardstick.plan.errors import PlanDocumentError, PlanFileError
from yardstick.plan.model import (
    CONTROL_CHARACTERS,
    OutlineItem,
    Plan,
    SectionTitles,
    StrategicGoal,
    control_character_in,
)
from yardstick.plan.tables import Line

MAX_DOCUMENT_BYTES = 2 * 1024 * 1024
"""A plan document is tens of kilobytes; anything over 2 MiB is not one."""

_SECTIONS = (
    ("outline", re.compile(r"^壹、\s*施政綱要\s*$"), "the section title '壹、施政綱要'"),
    ("kpis", re.compile(r"^貳、\s*關鍵績效指標\s*$"), "the section title '貳、關鍵績效指標'"),
    ("programmes", re.compile(r"^參、.*重要計畫\s*$"), "the section title '參、…重要計畫'"),
)


def read_document(path: Path, ministry: str | None = None, period: str | None = None) -> Plan:
    """Read a plan document from a file (UTF-8 with or without BOM, or Big5/CP950)."""
    try:
        size = path.stat().st_size
        if size > MAX_DOCUMENT_BYTES:
            raise PlanDocumentError(
                1,
                f"a plan document of at most {MAX_DOCUMENT_BYTES // 1024 // 1024} MiB",
                f"a file of {size / 1024 / 1024:.1f} MiB",
            )
        data = path.read_bytes()
    except OSError as failure:
        raise PlanFileError(f"{path}: cannot read: {failure.strerror}") from None
    return parse_document(decode_document(data), ministry=ministry, period=period)


def decode_document(data: bytes) -> str:
    """Bytes → text: UTF-8 (BOM allowed) first, then Big5/CP950; binary data is refused."""
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise PlanDocumentError(line, "a text document", "binary data (a NUL byte)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as utf8_error:
        try:
            return data.decode("cp950")
        except UnicodeDecodeError:
            line = data[: utf8_error.start].count(b"\n") + 1
            raise PlanDocumentError(
                line, "text in UTF-8 or Big5", f"undecodable bytes at offset {utf8_error.start}"
            ) from None


def parse_document(text: str, ministry: str | None = None, period: str | None = None) -> Plan:
    """Parse the text of a plan document."""
    lines = _split_lines(text)
    sections, titles = _split_sections(lines)
    outline = read_outline(sections["outline"])
    kpi_section = read_kpi_section(sections["kpis"], end_line=_end_line(sections, "kpis", lines))
    programmes = read_programme_section(
        sections["programmes"], outline, kpi_section.kpis, end_line=len(lines)
    )
    start_year, end_year = _plan_period(period, kpi_section)
    return validated(
        Plan,
        kpi_section.header_line,
        "a plan the model can hold",
        {
            "ministry": ministry,
            "start_year": start_year,
            "end_year": end_year,
            "section_titles": titles,
            "outline": outline,
            "goals": _with_outline_items(kpi_section.goals, outline),
            "kpis": kpi_section.kpis,
            "evaluation_mechanisms_intro": kpi_section.mechanisms_intro,
            "evaluation_mechanisms": kpi_section.mechanisms,
            "programmes": programmes,
        },
    )


def _split_lines(text: str) -> list[Line]:
    normal = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    _refuse_control_characters(normal)
    return [Line(number, _trim(line)) for number, line in enumerate(normal.split("\n"), start=1)]


def _refuse_control_characters(text: str) -> None:
    """No plan text holds control characters (tab and line ends aside); say where one is."""
    found = CONTROL_CHARACTERS.search(text)
    if found is None:
        return
    start = text.rfind("\n", 0, found.start()) + 1
    raise PlanDocumentError(
        text.count("\n", 0, found.start()) + 1,
        "text without control characters (other than tabs)",
        f"{control_character_in(found.group())} at column {found.start() - start + 1}",
    )


def _trim(line: str) -> str:
    """Leading spaces go (a cell's tab stays); trailing spaces go."""
    return line.lstrip(" \u3000\ufeff").rstrip(" \u3000")


def _split_sections(lines: list[Line]) -> tuple[dict[str, list[Line]], SectionTitles]:
    starts: dict[str, int] = {}
    titles: dict[str, str] = {}
    position = 0
    for name, pattern, expected in _SECTIONS:
        found = next((i for i in range(position, len(lines)) if pattern.match(lines[i].text)), None)
        if found is None:
            raise PlanDocumentError(*_missing_section(lines, position, expected))
        _only_blank_lines_before(lines, position, found, name)
        starts[name] = found
        titles[name] = lines[found].text.strip()
        position = found + 1
    ends = {"outline": starts["kpis"], "kpis": starts["programmes"], "programmes": len(lines)}
    sections = {name: lines[starts[name] + 1 : ends[name]] for name in starts}
    line = lines[starts["outline"]].number
    return sections, validated(SectionTitles, line, "the three section titles", titles)


def _only_blank_lines_before(lines: list[Line], position: int, found: int, name: str) -> None:
    if name != "outline":
        return
    for line in lines[position:found]:
        if not line.is_blank:
            raise PlanDocumentError(line.number, "the section title '壹、施政綱要'", line.text)


def _missing_section(lines: list[Line], position: int, expected: str) -> tuple[int, str, str]:
    content = [line for line in lines[position:] if not line.is_blank]
    if position == 0 and content:
        return content[0].number, expected, content[0].text
    if position == 0:
        return 1, expected, "an empty document"
    return lines[-1].number, expected, "the end of the document"


def _end_line(sections: dict[str, list[Line]], name: str, lines: list[Line]) -> int:
    section = sections[name]
    return section[-1].number if section else len(lines)


def _plan_period(period: str | None, kpi_section: KpiSection) -> tuple[int, int]:
    """The plan's years: as given, else the four years ending with the last target year."""
    if period is not None:
        years = parse_year_range(normalize_digits(period))
        return years.start, years.end
    last = max(kpi_section.target_years)
    try:
        return YearRange(last - 3, last).start, last
    except PeriodError:
        raise PlanDocumentError(
            kpi_section.header_line,
            "target years from 4 on, so that the plan's four years (counted back from the last "
            "target year) are ROC years, or a period given with the import",
            f"the last target year {last}",
        ) from None


def _with_outline_items(
    goals: list[StrategicGoal], outline: list[OutlineItem]
) -> list[StrategicGoal]:
    """Link each goal to the outline sub-heading of the same name, where there is one."""
    paths: dict[str, str] = {}
    for heading in outline:
        for item in heading.items:
            if item.level == 2:
                paths.setdefault(item.text, f"{heading.number}/{item.number or ''}")
    return [
        goal.model_copy(update={"outline_item": paths[goal.name]}) if goal.name in paths else goal
        for goal in goals
    ]
