"""The flattened tables of a published plan document.

Exported tables come out one cell per line: each cell line starts with a tab, rows are separated
by blank lines, and a cell whose text wraps continues on a line without a tab (the header cell
``109年度`` / ``目標值``). Several tab-separated cells on one line are split as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Line:
    """A line of the document with its 1-based number, leading and trailing spaces removed."""

    number: int
    text: str

    @property
    def is_blank(self) -> bool:
        return not self.text.strip(" \t\u3000")

    @property
    def is_cell(self) -> bool:
        return self.text.startswith("\t")


@dataclass
class Cell:
    """One table cell: its text (continuation lines joined by a newline) and its first line."""

    line: int
    text: str


@dataclass
class Row:
    """One table row: its cells in order, and the line it starts on."""

    line: int
    cells: list[Cell] = field(default_factory=list)

    @property
    def last_line(self) -> int:
        return max(cell.line for cell in self.cells) if self.cells else self.line

    def texts(self) -> list[str]:
        return [cell.text for cell in self.cells]

    def without_trailing_blanks(self, keep: int) -> Row:
        """Drop empty cells past the first ``keep`` (exports often add trailing blank cells)."""
        cells = list(self.cells)
        while len(cells) > keep and not cells[-1].text:
            cells.pop()
        return Row(self.line, cells)


def read_rows(lines: list[Line]) -> tuple[list[Row], list[Line]]:
    """Read table rows from the start of ``lines``.

    Returns the rows and the lines after the table (from the first line that is neither a
    cell, a continuation nor a blank line, such as ``註：``).
    """
    rows: list[Row] = []
    current: Row | None = None
    for index, line in enumerate(lines):
        if line.is_blank and not line.is_cell:
            current = None
        elif line.is_cell:
            if current is None:
                current = Row(line.number)
                rows.append(current)
            for text in line.text.split("\t")[1:]:
                current.cells.append(Cell(line.number, _clean(text)))
        elif current is not None and current.cells:
            last = current.cells[-1]
            last.text = f"{last.text}\n{_clean(line.text)}" if last.text else _clean(line.text)
        else:
            return rows, lines[index:]
    return rows, []


def _clean(text: str) -> str:
    return text.strip(" \t\u3000")
