"""Formula-like text is written as text in every spreadsheet cell; numbers are left alone."""

from __future__ import annotations

import re
from io import BytesIO

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook
from sqlglot import exp

from tests.conftest import REPO
from yardstick.spreadsheet_cells import (
    FORMULA_STARTS,
    neutralise,
    neutralised_sql,
    workbook_bytes,
)

ATTACKS = [
    "=cmd|'/c calc'!A1",
    "+1+cmd|'/c calc'!A1",
    "-2+3+cmd|'/c calc'!A1",
    "@SUM(1+1)*cmd|'/c calc'!A1",
    "\t=1+1",
    "\r=1+1",
    "＝1+1",
    "＋1+1",
    "－1+1",
    "＠SUM(A1)",
    "=",
    "-",
    "-1-1",
    "+A1",
]
PLAIN = ["abc", "案號 = 1", " =1+1", "1=1", "", "-5", "+5", "-1,234.5", "-3.2%", "-.5", "-1e5", "1"]


@pytest.mark.parametrize("text", ATTACKS)
def test_formula_like_text_gets_a_single_quote(text: str) -> None:
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [*PLAIN, -5, -1.5, 0, None, True])
def test_other_text_and_numbers_are_unchanged(value: object) -> None:
    assert neutralise(value) == value


def _in_sql(texts: list[str]) -> list[str]:
    column = exp.column("t", quoted=True)
    texts_table = exp.func("unnest", exp.Placeholder(this="t")).as_("t")
    query = exp.select(neutralised_sql(column)).from_(exp.select(texts_table).subquery())
    rows = duckdb.execute(query.sql("duckdb"), {"t": texts}).fetchall()
    return [row[0] for row in rows]


def test_the_sql_form_treats_the_examples_alike() -> None:
    texts = ATTACKS + PLAIN
    assert _in_sql(texts) == [neutralise(text) for text in texts]


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    st.lists(
        st.builds(
            lambda start, rest: start + rest,
            st.sampled_from(["", *FORMULA_STARTS, "1", "１"]),
            st.text(alphabet=st.sampled_from("0123456789,.eE%+-=@ a|'!"), max_size=8),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_the_sql_form_agrees_with_python_on_any_text(texts: list[str]) -> None:
    assert _in_sql(texts) == [neutralise(text) for text in texts]


def test_a_workbook_is_saved_with_formula_like_text_as_text_and_numbers_as_numbers() -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["=cmd|'/c calc'!A1", -5, "-5", "＝1+1", "plain"])
    assert sheet["A1"].data_type == "f"  # what openpyxl makes of it on its own
    cells = load_workbook(BytesIO(workbook_bytes(workbook)))
    row = [(cell.value, cell.data_type) for cell in cells.active[1]]  # type: ignore[index]
    assert row == [
        ("'=cmd|'/c calc'!A1", "s"),
        (-5, "n"),
        ("-5", "s"),
        ("'＝1+1", "s"),
        ("plain", "s"),
    ]


WORK_COPIES = {"datasets/sources.py"}
"""Writers of files nobody opens in a spreadsheet: the UTF-8 work copy DuckDB reads of an
uploaded workbook must keep its values exactly."""


def test_every_csv_and_xlsx_writer_goes_through_the_neutraliser() -> None:
    source = REPO / "src" / "yardstick"
    writers = {
        str(path.relative_to(source))
        for path in source.rglob("*.py")
        if re.search(r"csv\.writer\(|Workbook\(\)|FORMAT csv", path.read_text("utf-8"))
    }
    assert writers >= {"datasets/quarantine.py", "plan/exports/xlsx.py", "reports/xlsx.py"}
    unguarded = {
        name
        for name in writers - WORK_COPIES
        if "yardstick.spreadsheet_cells import" not in (source / name).read_text("utf-8")
    }
    assert unguarded == set()
