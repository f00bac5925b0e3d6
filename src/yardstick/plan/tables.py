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
    current: _RowPieces | None = None
    for index, line in enumerate(lines):
        if line.is_cell:
            if current is None:
                current = _RowPieces(Row(line.number))
                rows.append(current.row)
            current.add_cells(line)
        elif line.is_blank:
            _closed(current)
            current = None
        elif current is not None:
            current.continue_last(line)
        else:
            return rows, lines[index:]
    _closed(current)
    return rows, []


@dataclass
class _RowPieces:
    """A row being read: each cell's pieces, joined once when the row ends.

    Joining as the lines come would copy the cell's text on every line, which is quadratic in
    the length of a cell continued over many lines.
    """

    row: Row
    pieces: list[list[str]] = field(default_factory=list)

    def add_cells(self, line: Line) -> None:
        for text in line.text.split("\t")[1:]:
            self.row.cells.append(Cell(line.number, ""))
            self.pieces.append([_clean(text)])

    def continue_last(self, line: Line) -> None:
        self.pieces[-1].append(_clean(line.text))

    def close(self) -> None:
        for cell, pieces in zip(self.row.cells, self.pieces, strict=True):
            cell.text = "\n".join(piece for piece in pieces if piece)


def _closed(row: _RowPieces | None) -> None:
    if row is not None:
        row.close()


def _clean(text: str) -> str:
    return text.strip(" \t\u3000")
