"""The programme section (參、未來四年重要計畫) of a plan document.

Columns: 施政綱要 (the level-1 outline heading; blank = same as above) | 重要計畫項目 |
計畫期程 (``106-109``) | 計畫類別 | 與KPI關聯 (KPI names separated by ``、``, ``無`` for none).
KPI names may themselves contain ``，`` and even ``、``, so links are matched against the plan's
KPI names, joining pieces where a name contains ``、``.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from yardstick.calendar import PeriodError, parse_year_range
from yardstick.plan.document_cells import validated
from yardstick.plan.errors import PlanDocumentError
from yardstick.plan.model import KPI, OutlineItem, Programme, ProgrammeCategory
from yardstick.plan.tables import Cell, Line, Row, read_rows

HEADER = ("施政綱要", "重要計畫項目", "計畫期程", "計畫類別", "與KPI關聯")
NO_KPI = "無"
_CATEGORY_ALIASES = {"其他": ProgrammeCategory.OTHER}


def read_programme_section(
    lines: list[Line], outline: list[OutlineItem], kpis: list[KPI], end_line: int
) -> list[Programme]:
    """Read the programme table; links are resolved to KPI codes."""
    rows, rest = read_rows(_skip_blank(lines))
    leftover = next((line for line in rest if not line.is_blank), None)
    if leftover is not None:
        raise PlanDocumentError(
            leftover.number, "a programme table row (cells starting with a tab)", leftover.text
        )
    if not rows:
        raise PlanDocumentError(
            end_line, "the programme table header " + " | ".join(HEADER), "nothing"
        )
    _check_header(rows[0])
    headings = {item.text for item in outline}
    names = KpiNames.of(kpis)
    programmes: list[Programme] = []
    for row in rows[1:]:
        programmes.append(_read_row(row, headings, names, programmes))
    return programmes


def _skip_blank(lines: list[Line]) -> list[Line]:
    index = next((i for i, line in enumerate(lines) if not line.is_blank), len(lines))
    return lines[index:]


def _check_header(row: Row) -> None:
    texts = [re.sub(r"\s+", "", text) for text in row.without_trailing_blanks(len(HEADER)).texts()]
    if tuple(texts) != HEADER:
        raise PlanDocumentError(
            row.line, "the programme table header " + " | ".join(HEADER), " | ".join(texts)
        )


def _read_row(
    row: Row, headings: set[str], names: KpiNames, previous: list[Programme]
) -> Programme:
    row = row.without_trailing_blanks(len(HEADER))
    if len(row.cells) != len(HEADER):
        raise PlanDocumentError(
            row.line,
            f"a programme row of {len(HEADER)} cells ({', '.join(HEADER)})",
            f"{len(row.cells)} cells: " + " | ".join(row.texts()),
        )
    heading_cell, name, period_cell, category, links = row.cells
    heading = _heading(heading_cell, headings, previous)
    period = _period(period_cell)
    if not name.text:
        raise PlanDocumentError(name.line, "a programme name (重要計畫項目)", "a blank cell")
    return validated(
        Programme,
        row.line,
        "a programme the plan can hold",
        {
            "outline_heading": heading,
            "name": name.text,
            "start_year": period[0],
            "end_year": period[1],
            "category": _category(category),
            "kpis": resolve_kpi_links(links, names),
        },
    )


def _heading(cell: Cell, headings: set[str], previous: list[Programme]) -> str:
    if not cell.text:
        if not previous:
            raise PlanDocumentError(
                cell.line,
                "an outline heading (施政綱要) on the first programme row",
                "a blank cell",
            )
        return previous[-1].outline_heading
    if cell.text not in headings:
        nearest = difflib.get_close_matches(cell.text, sorted(headings), n=2, cutoff=0.3)
        raise PlanDocumentError(
            cell.line, "an outline heading of 壹、施政綱要" + _nearest(nearest), cell.text
        )
    return cell.text


def _period(cell: Cell) -> tuple[int, int]:
    try:
        years = parse_year_range(cell.text)
    except PeriodError as error:
        raise PlanDocumentError(
            cell.line, f"a period (計畫期程) like '106-109' ({error.reason})", cell.text
        ) from None
    return years.start, years.end


def _category(cell: Cell) -> ProgrammeCategory:
    text = cell.text.strip()
    if text in _CATEGORY_ALIASES:
        return _CATEGORY_ALIASES[text]
    try:
        return ProgrammeCategory(text)
    except ValueError:
        allowed = "、".join(category.value for category in ProgrammeCategory)
        raise PlanDocumentError(
            cell.line, f"a category (計畫類別): {allowed}", text or "a blank cell"
        ) from None


@dataclass(frozen=True)
class KpiNames:
    """The plan's KPI names → codes, built once for the whole programme table.

    ``span`` is the most ``、``-separated pieces one name has, so that matching a link cell
    tries only that many pieces from each position: linear in the cell, not cubic.
    """

    codes: dict[str, str]
    span: int
    repeated: str | None

    @classmethod
    def of(cls, kpis: list[KPI]) -> KpiNames:
        codes: dict[str, str] = {}
        repeated = None
        for kpi in kpis:
            if kpi.name in codes and repeated is None:
                repeated = kpi.name
            codes.setdefault(kpi.name, kpi.code)
        span = max((name.count("、") + 1 for name in codes), default=1)
        return cls(codes, span, repeated)


def resolve_kpi_links(cell: Cell, names: KpiNames) -> list[str]:
    """與KPI關聯 → KPI codes. ``無`` means none; an unknown name is an error with the nearest names."""
    text = cell.text.strip()
    if text == NO_KPI:
        return []
    if not text:
        raise PlanDocumentError(
            cell.line, f"linked KPI names (與KPI關聯) or '{NO_KPI}'", "a blank cell"
        )
    if names.repeated is not None:
        raise PlanDocumentError(
            cell.line,
            f"KPI names that say which KPI they mean ({names.repeated!r} names two)",
            cell.text,
        )
    pieces = [piece.strip() for piece in text.split("、")]
    codes: list[str] = []
    start = 0
    while start < len(pieces):
        end = _longest_name_from(pieces, start, names)
        if end is None:
            raise _unknown_link(cell, pieces[start], list(names.codes))
        codes.append(names.codes["、".join(pieces[start:end])])
        start = end
    return list(dict.fromkeys(codes))


def _longest_name_from(pieces: list[str], start: int, names: KpiNames) -> int | None:
    for end in range(min(len(pieces), start + names.span), start, -1):
        if "、".join(pieces[start:end]) in names.codes:
            return end
    return None


def _unknown_link(cell: Cell, piece: str, names: list[str]) -> PlanDocumentError:
    nearest = difflib.get_close_matches(piece, names, n=3, cutoff=0.3)
    return PlanDocumentError(
        cell.line, "the name of a KPI of this plan" + _nearest(nearest), piece or "an empty name"
    )


def _nearest(names: list[str]) -> str:
    return f" (nearest: {', '.join(names)})" if names else ""
