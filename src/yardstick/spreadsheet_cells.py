"""Cells of the spreadsheets we write (CSV meant for Excel, XLSX): text never runs as a formula.

Values from agencies' extracts and plan documents end up in our files: a rejected value
``=cmd|'/c calc'!A1`` in the quarantine report is a formula to Excel, which may run it (CSV or
formula injection). As OWASP recommends, text that starts with ``=``, ``+``, ``-``, ``@``, a
tab or a carriage return — or the full-width ``＝ ＋ － ＠`` that Excel also reads as operators —
is written with a single quote before it. A number is never changed: a number stored as a
number is not text, and text that is a plain number (``-5``, ``+1,234.5``, ``-3.2%``) cannot
be a formula. Every CSV and XLSX writer goes through :func:`neutralise` (Python values),
:func:`neutralised_sql` (DuckDB's ``COPY … TO``) or :func:`workbook_bytes` (openpyxl).
"""

from __future__ import annotations

import re
from io import BytesIO
from typing import TYPE_CHECKING, TypeVar

from sqlglot import exp

if TYPE_CHECKING:
    from openpyxl import Workbook

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
"""First characters that make a spreadsheet read text as a formula."""
PLAIN_NUMBER = (
    r"[+-]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?%?"
    r"|[+-]?\.[0-9]+(?:[eE][+-]?[0-9]+)?%?"
)
"""Text that is a number as written (sign, digits, thousands separators, decimals, exponent,
percent sign): the same pattern for Python's ``re`` and DuckDB's RE2."""
QUOTE = "'"
_NUMBER = re.compile(PLAIN_NUMBER)

T = TypeVar("T")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula."""
    return text.startswith(FORMULA_STARTS) and _NUMBER.fullmatch(text) is None


def neutralise(value: T) -> T | str:
    """``value`` as a cell: text that a spreadsheet would run gets a single quote before it."""
    if isinstance(value, str) and is_formula_like(value):
        return QUOTE + value
    return value


def neutralised_sql(text: exp.Expr) -> exp.Expr:
    """:func:`neutralise` as a SQL expression over a text column (for DuckDB's ``COPY``)."""
    first = exp.func("left", text.copy(), exp.Literal.number(1))
    number = exp.func("regexp_full_match", text.copy(), exp.Literal.string(PLAIN_NUMBER))
    formula = exp.and_(
        first.isin(*(exp.Literal.string(start) for start in FORMULA_STARTS)), exp.not_(number)
    )
    quoted = exp.DPipe(this=exp.Literal.string(QUOTE), expression=text.copy())
    return exp.case().when(formula, quoted).else_(text.copy())


def workbook_bytes(workbook: Workbook) -> bytes:
    """The workbook as XLSX bytes, every formula-like text cell neutralised and typed as text.

    openpyxl stores a string that starts with ``=`` as a formula; we write no formulas, so any
    such cell came from data.
    """
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    cell.value = QUOTE + cell.value
                    cell.data_type = "s"
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
