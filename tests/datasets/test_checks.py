"""Typed values from text, as validation computes them in DuckDB, value by value."""

from __future__ import annotations

import datetime as dt

import duckdb
import pytest
from sqlglot import exp

from yardstick.datasets.checks import typed_value
from yardstick.datasets.contract import Column, ColumnType


def _typed(kind: ColumnType, text: str) -> object:
    column = Column(name="v", type=kind, doc_zh="值", doc_en="value")
    sql = typed_value(column, exp.column("raw")).sql(dialect="duckdb")
    row = duckdb.execute(f"SELECT {sql} FROM (SELECT $raw AS raw)", {"raw": text}).fetchone()
    assert row is not None
    return row[0]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2017-01-05", dt.date(2017, 1, 5)),
        ("2017/1/5", dt.date(2017, 1, 5)),
        (" 2017-01-05 ", dt.date(2017, 1, 5)),
        ("106/01/05", dt.date(2017, 1, 5)),  # DuckDB alone would read the year 106
        ("106.1.5", dt.date(2017, 1, 5)),
        ("1060105", dt.date(2017, 1, 5)),
        ("20170105", dt.date(2017, 1, 5)),
        ("1970-01-01", dt.date(1970, 1, 1)),
        ("9999-12-31", dt.date(9999, 12, 31)),
        ("epoch", None),  # DuckDB reads it as 1970-01-01
        ("infinity", None),
        ("2017-01-05 (BC)", None),
        ("0106-01-05", None),
        ("2017-02-30", None),
        ("106/02/30", None),
        ("not a date", None),
    ],
)
def test_dates(text: str, expected: dt.date | None) -> None:
    assert _typed(ColumnType.DATE, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1234.5", 1234.5),
        ("1,234,567.5", 1234567.5),
        (" 12 ", 12.0),
        ("-3", -3.0),
        ("1,23", None),  # not thousands
        ("12,345,67", None),
        ("inf", None),
        ("nan", None),
        ("abc", None),
    ],
)
def test_decimals(text: str, expected: float | None) -> None:
    assert _typed(ColumnType.DECIMAL, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("42", 42), ("1,000", 1000), ("3.0", 3), ("1.5", None), ("9,999,999,999", 9999999999)],
)
def test_integers(text: str, expected: int | None) -> None:
    assert _typed(ColumnType.INTEGER, text) == expected
