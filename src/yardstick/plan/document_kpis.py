"""The KPI section (貳、關鍵績效指標) of a plan document: the KPI table and the 註 on mechanisms.

Columns: goal number | goal name | KPI number | KPI name | 評估體制 | 評估方式 | 衡量標準 |
one target column per year (``109年度目標值``). The header names the goal and KPI columns once
each (merged cells), so a data row has three cells more than the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from yardstick.calendar import PeriodError, normalize_digits, roc_to_gregorian
from yardstick.plan.document_cells import validated, whole_number
from yardstick.plan.errors import PlanDocumentError
from yardstick.plan.model import KPI, StrategicGoal, Target
from yardstick.plan.tables import Cell, Line, Row, read_rows
from yardstick.plan.targets import TargetTextError, parse_target_text, suggested_by_name

HEADER = ("關鍵策略目標", "關鍵績效指標", "評估體制", "評估方式", "衡量標準")
_TARGET_HEADER = re.compile(r"^([0-9]{1,3})年度?目標值$")
_FIXED_CELLS = (
    "goal number",
    "goal name",
    "KPI number",
    "KPI name",
    "評估體制",
    "評估方式",
    "衡量標準",
)
_MECHANISM = re.compile(r"^([0-9０-９]{1,3})\s*[.．、]\s*(.+)$")
_NOTE_TITLE = re.compile(r"^註\s*[:：]?\s*$")
_MECHANISM_LINE = "a 評估體制 code and its meaning, like '1.指…'"


@dataclass
class KpiSection:
    """What the KPI section holds."""

    goals: list[StrategicGoal]
    kpis: list[KPI]
    target_years: list[int]
    mechanisms_intro: str
    mechanisms: dict[int, str]
    header_line: int = 1


@dataclass
class _Table:
    """The KPI rows read so far, with the goals and codes they used (looked up, not scanned)."""

    target_years: list[int]
    goals: dict[int, StrategicGoal] = field(default_factory=dict)
    kpis: list[KPI] = field(default_factory=list)
    codes: set[str] = field(default_factory=set)


def read_kpi_section(lines: list[Line], end_line: int) -> KpiSection:
    """Read the KPI table and the mechanism notes that follow it."""
    rows, rest = read_rows(_skip_blank(lines))
    if not rows:
        raise PlanDocumentError(_first_line(lines, end_line), "the KPI table header", _found(lines))
    table = _Table(_read_header(rows[0]))
    for row in rows[1:]:
        _read_kpi_row(row, table)
    if not table.kpis:
        raise PlanDocumentError(rows[0].last_line + 1, "at least one KPI row", "none")
    intro, mechanisms = _read_mechanisms(rest, end_line)
    for kpi in table.kpis:
        if kpi.evaluation_mechanism not in mechanisms:
            raise PlanDocumentError(
                end_line,
                f"a 註 giving the meaning of 評估體制 {kpi.evaluation_mechanism}",
                f"codes {sorted(mechanisms)} only",
            )
    goals = list(table.goals.values())
    return KpiSection(goals, table.kpis, table.target_years, intro, mechanisms, rows[0].line)


def _skip_blank(lines: list[Line]) -> list[Line]:
    index = next((i for i, line in enumerate(lines) if not line.is_blank), len(lines))
    return lines[index:]


def _first_line(lines: list[Line], end_line: int) -> int:
    return next((line.number for line in lines if not line.is_blank), end_line)


def _found(lines: list[Line]) -> str:
    return next((line.text for line in lines if not line.is_blank), "nothing")


def _read_header(row: Row) -> list[int]:
    texts = [re.sub(r"\s+", "", normalize_digits(text)) for text in row.texts()]
    while texts and not texts[-1]:
        texts.pop()
    expected = "the KPI table header " + " | ".join((*HEADER, "NNN年度目標值"))
    if tuple(texts[: len(HEADER)]) != HEADER or len(texts) == len(HEADER):
        raise PlanDocumentError(row.line, expected, " | ".join(texts))
    # texts has lost its trailing blank cells; the cells beyond it are those blanks
    target_cells = row.cells[len(HEADER) : len(texts)]
    years = [
        _target_year(cell, text)
        for cell, text in zip(target_cells, texts[len(HEADER) :], strict=True)
    ]
    if len(set(years)) != len(years):
        raise PlanDocumentError(row.line, "one target column per year", " | ".join(texts))
    return years


def _target_year(cell: Cell, text: str) -> int:
    match = _TARGET_HEADER.match(text)
    if not match:
        raise PlanDocumentError(cell.line, "a target column header like '109年度目標值'", text)
    year = int(match.group(1))
    try:
        roc_to_gregorian(year)
    except PeriodError as error:
        raise PlanDocumentError(
            cell.line, f"a target column header like '109年度目標值' ({error.reason})", text
        ) from None
    return year


def _read_kpi_row(row: Row, table: _Table) -> None:
    width = len(_FIXED_CELLS) + len(table.target_years)
    row = row.without_trailing_blanks(width)
    if len(row.cells) != width:
        names = ", ".join((*_FIXED_CELLS, *(f"{year}年度目標值" for year in table.target_years)))
        raise PlanDocumentError(
            row.line,
            f"a KPI row of {width} cells ({names})",
            f"{len(row.cells)} cells: " + " | ".join(row.texts()),
        )
    goal_no, goal_name, kpi_no, name, mechanism, method, standard, *target_cells = row.cells
    goal = _goal_of_row(goal_no, goal_name, table.goals)
    previous = table.kpis[-1] if table.kpis else None
    number = whole_number(kpi_no.text, kpi_no.line, "a KPI number")
    kpi_name = _required(name, "a KPI name")
    kpi = validated(
        KPI,
        row.line,
        "a KPI row the plan can hold",
        {
            "goal": goal.number,
            "number": number,
            "name": kpi_name,
            "evaluation_mechanism": _same_or_number(mechanism, previous),
            "evaluation_method": _same_or_text(method, previous),
            "measurement_standard": _required(standard, "a measurement standard (衡量標準)"),
            "targets": [
                _target(cell, year, kpi_name)
                for cell, year in zip(target_cells, table.target_years, strict=True)
            ],
        },
    )
    if kpi.code in table.codes:
        raise PlanDocumentError(
            kpi_no.line, f"a KPI number not yet used in goal {kpi.goal}", kpi_no.text
        )
    table.codes.add(kpi.code)
    table.kpis.append(kpi)


def _goal_of_row(number: Cell, name: Cell, goals: dict[int, StrategicGoal]) -> StrategicGoal:
    if not number.text and not name.text:
        if not goals:
            raise PlanDocumentError(
                number.line, "a strategic goal number on the first KPI row", "a blank cell"
            )
        return next(reversed(goals.values()))
    goal_number = whole_number(number.text, number.line, "a strategic goal number")
    if goal_number in goals:
        raise PlanDocumentError(
            number.line, f"a new strategic goal number (not {goal_number} again)", number.text
        )
    goal = validated(
        StrategicGoal,
        number.line,
        "a strategic goal the plan can hold",
        {"number": goal_number, "name": _required(name, "a strategic goal name")},
    )
    goals[goal.number] = goal
    return goal


def _required(cell: Cell, expected: str) -> str:
    if not cell.text:
        raise PlanDocumentError(cell.line, expected, "a blank cell")
    return cell.text


def _same_or_number(cell: Cell, previous: KPI | None) -> int:
    if not cell.text and previous is not None:
        return previous.evaluation_mechanism
    return whole_number(cell.text, cell.line, "an evaluation mechanism code (評估體制, e.g. 1)")


def _same_or_text(cell: Cell, previous: KPI | None) -> str:
    if not cell.text and previous is not None:
        return previous.evaluation_method
    return _required(cell, "an evaluation method (評估方式, e.g. 統計數據)")


def _target(cell: Cell, year: int, kpi_name: str) -> Target:
    expected = f"a {year}年度 target such as '4,000人' or '8%以下'"
    try:
        parsed = suggested_by_name(parse_target_text(cell.text), kpi_name)
    except TargetTextError as error:
        raise PlanDocumentError(
            cell.line, f"{expected}: {error}", cell.text or "a blank cell"
        ) from None
    return validated(
        Target,
        cell.line,
        expected,
        {
            "year": year,
            "text": cell.text,
            "value": parsed.value,
            "unit": parsed.unit,
            "direction": parsed.direction,
            "direction_source": parsed.direction_source,
        },
    )


def _read_mechanisms(lines: list[Line], end_line: int) -> tuple[str, dict[int, str]]:
    content = [line for line in lines if not line.is_blank]
    if not content:
        raise PlanDocumentError(end_line, "the 註 on 評估體制 codes after the KPI table", "nothing")
    title, *rest = content
    if not _NOTE_TITLE.match(title.text.strip()):
        raise PlanDocumentError(title.number, "'註：' (the notes on 評估體制 codes)", title.text)
    if not rest:
        raise PlanDocumentError(title.number + 1, "the meanings of the 評估體制 codes", "nothing")
    intro_line, *code_lines = rest
    mechanisms: dict[int, str] = {}
    for line in code_lines:
        code, meaning = _mechanism(line)
        if code in mechanisms:
            raise PlanDocumentError(
                line.number, f"the meaning of a new 評估體制 code (not {code} again)", line.text
            )
        mechanisms[code] = meaning
    if not mechanisms:
        raise PlanDocumentError(intro_line.number + 1, _MECHANISM_LINE, "nothing")
    return intro_line.text.strip(), mechanisms


def _mechanism(line: Line) -> tuple[int, str]:
    match = _MECHANISM.match(line.text.strip(" \u3000"))
    if not match or line.is_cell:
        raise PlanDocumentError(line.number, _MECHANISM_LINE, line.text)
    return whole_number(match.group(1), line.number, _MECHANISM_LINE), match.group(2).strip()
