"""Types from the contract: what cannot work on the columns is refused before a query runs."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import duckdb
import pytest
from sqlglot import exp

from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expression_types import Role, check_types
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.sql_types import SqlType

COLUMNS = {
    "channel": "string",
    "amount": "decimal",
    "n": "integer",
    "d": "date",
    "at": "timestamp",
    "ok": "boolean",
}
DUCKDB_TYPES = {
    "channel": "VARCHAR",
    "amount": "DECIMAL(14,2)",
    "n": "BIGINT",
    "d": "DATE",
    "at": "TIMESTAMP",
    "ok": "BOOLEAN",
}
ROWS = [
    ("兩岸", Decimal("150000.50"), 3, date(2020, 1, 2), datetime(2020, 1, 3, 10, 0), True),
    ("外國", Decimal("-1.25"), -7, date(2019, 12, 31), datetime(2019, 6, 1), False),
    (None, None, None, None, None, None),
]

ACCEPTED = [
    "channel = '兩岸' AND amount > 0",
    "d >= DATE '2020-01-01' AND d > '2019-12-30'",
    "at >= DATE '2020-01-01' AND at < TIMESTAMP '2020-01-04 00:00:00'",
    "d + 1 > d AND d - 1 < d AND d - d = 0",
    "date_diff('day', d, at) >= 0",
    "year(d) = 2020 OR month(at) = 6",
    "length(lower(channel)) = 2 OR upper(channel) = 'X'",
    "round(amount, 2) > 0 AND round(amount, -1) <> 1 AND round(n) > 0",
    "abs(n) > 1 AND floor(amount) < ceil(amount) + 1",
    "coalesce(amount, n, 0) > 0 AND least(n, amount) < greatest(n, 1)",
    "nullif(n, 0) IS NOT NULL",
    "CASE WHEN ok THEN amount ELSE 0 END > 1",
    "CASE channel WHEN '兩岸' THEN 1 ELSE 2 END = 1",
    "CAST(n AS VARCHAR) = '3' OR CAST(amount AS BIGINT) = 1 OR CAST(ok AS INTEGER) = 1",
    "CAST(d AS TIMESTAMP) <= at OR CAST(at AS DATE) = d",
    "CAST('2020-01-02' AS DATE) = d AND CAST('12' AS INTEGER) = 12",
    "ok IS TRUE OR ok IS NULL",
    "n IN (1, 3, 5) AND n BETWEEN -10 AND 10",
    "amount % 7 <> 0.5 AND amount / 3 > 0",
    "NOT ok AND channel IS NOT NULL",
    "amount > 9223372036854775807 - 1",
]


def _counts_on_duckdb() -> dict[str, int]:
    connection = duckdb.connect()
    columns = ", ".join(f'"{name}" {kind}' for name, kind in DUCKDB_TYPES.items())
    connection.execute(f"CREATE TABLE t ({columns})")
    connection.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [list(r) for r in ROWS])
    counts = {}
    for text in ACCEPTED:
        tree = check_expression(text, COLUMNS, Role.CONDITION)
        query = exp.select(exp.Count(this=exp.Star())).from_("t").where(tree)
        [(counts[text],)] = connection.execute(query.sql(dialect="duckdb")).fetchall()
    return counts


def test_what_the_checker_accepts_runs_on_duckdb() -> None:
    counts = _counts_on_duckdb()
    assert counts["channel = '兩岸' AND amount > 0"] == 1
    assert counts["CASE channel WHEN '兩岸' THEN 1 ELSE 2 END = 1"] == 1
    assert counts["NOT ok AND channel IS NOT NULL"] == 1
    assert sum(counts.values()) > len(ACCEPTED)  # most conditions hold for some row


@pytest.mark.postgres
def test_what_the_checker_accepts_runs_on_postgresql_with_the_same_counts(
    postgres_dsn: str,
) -> None:
    import psycopg

    types = {**DUCKDB_TYPES, "channel": "text", "amount": "numeric(14,2)", "ok": "boolean"}
    counts = {}
    with psycopg.connect(postgres_dsn) as connection:
        columns = ", ".join(f'"{name}" {kind}' for name, kind in types.items())
        connection.execute(f"CREATE TEMP TABLE t ({columns})")
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (%s, %s, %s, %s, %s, %s)", ROWS)
        for text in ACCEPTED:
            tree = check_expression(text, COLUMNS, Role.CONDITION)
            query = exp.select(exp.Count(this=exp.Star())).from_("t").where(tree)
            row = connection.execute(query.sql(dialect="postgres")).fetchone()
            assert row is not None
            counts[text] = row[0]
    assert counts == _counts_on_duckdb()


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        # the reproducers: each ran into DuckDB before
        ("CAST(channel AS INTEGER) = 1", 5, "text cannot be cast to a whole number: channel"),
        ("n % 0 = 1", 4, "division by zero: the divisor is 0"),
        ("amount / (0.0) > 1", 10, "division by zero"),
        ("round(amount, 999999999999) = 1", 14, "round()'s digits must be a whole number"),
        ("abs(-9223372036854775808) = 1", 5, "beyond 64 bits"),
        ("1e309 * amount > 1", 0, "the number 1e309 is too large"),
        # the class: text where a number, date or condition must be
        ("channel + 1 > 2", 0, "arithmetic needs numbers, not text: channel"),
        ("-channel = 'x'", 1, "a sign (-) needs a number, not text"),
        ("channel > 5", 10, "cannot compare text with a whole number: 5"),
        ("d > 5", 4, "cannot compare a date with a whole number"),
        ("d > '2020-13-01'", 4, "'2020-13-01' is not a date (YYYY-MM-DD)"),
        ("n IN (1, 'a')", 9, "cannot compare a whole number with text"),
        ("n BETWEEN 1 AND 'x'", 16, "cannot compare"),
        ("ok AND channel", 7, "AND needs conditions (true or false), not text"),
        ("NOT amount", 4, "NOT needs conditions"),
        ("n IS TRUE", 0, "IS TRUE / IS FALSE needs a condition"),
        ("year(channel) = 2020", 5, "year() needs a date, not text"),
        ("date_diff('day', d, channel) > 1", 20, "date_diff() needs dates, not text"),
        ("lower(n) = 'a'", 6, "lower() needs text, not a whole number"),
        ("CASE WHEN ok THEN 1 ELSE 'a' END = 1", 25, "CASE: cannot mix a whole number and text"),
        ("CASE WHEN amount THEN 1 END = 1", 10, "WHEN needs a condition"),
        ("CASE channel WHEN 1 THEN 1 END = 1", 18, "cannot compare text with a whole number"),
        ("least(n, channel) > 1", 9, "least: cannot mix"),
        ("CAST(n AS DATE) = d", 5, "a whole number cannot be cast to a date"),
        ("CAST(d AS INTEGER) = 1", 5, "a date cannot be cast to a whole number"),
        ("CAST('abc' AS DATE) < d", 5, "'abc' cannot be cast to DATE"),
        ("CAST(3000000000 AS INTEGER) = 1", 5, "3000000000 cannot be cast to INT"),
        ("CAST(213 AS DECIMAL(2, 1)) = 1", 5, "213 cannot be cast to DECIMAL(2, 1)"),
        ("CAST(n AS BOOLEAN)", 5, "a whole number cannot be cast to a condition"),
        ("CAST(1 AS BOOLEAN)", 5, "1 cannot be cast to BOOLEAN"),
        ("d + 1.5 > d", 0, "only whole days can be added to or taken from a date"),
        ("at - at > 1", 0, "only whole days"),
        ("floor(amount, 2) > 1", 0, "floor() takes one argument"),
        ("floor() > 1", 0, "floor() is missing an argument"),
        ("length(channel, n, 3) > 1", 0, "length() takes one argument"),
        ("round(amount, 2, 1) > 1", 0, "round() takes a number and its digits"),
        ("-NULL > 1", 1, "a sign (-) needs a number, not an untyped NULL"),
        ("NULL % NULL IS NULL", 0, "arithmetic on NULL and NULL has no type"),
        ("date_diff(DATE '2020-01-01', d, d) > 1", 0, "date_diff() takes its unit first"),
        ("-874 IS 874", 8, "IS takes NULL, TRUE or FALSE"),
        (
            "CAST(ok AS BIGINT) = 1",
            5,
            "a condition (true or false) cannot be cast to a whole number",
        ),
        ("year(NULL) = 1", 5, "year() needs a date, not an untyped NULL"),
        ("NULL BETWEEN 0.0 AND channel", 21, "cannot compare a number with text"),
        ("NULL IN (1, channel)", 12, "cannot compare a whole number with text"),
        ("round(amount, n) > 1", 14, "round()'s digits must be a whole number"),
        ("(1, 2) = (1, 2)", 1, "a list of values (…) is allowed only after IN"),
    ],
)
def test_an_expression_that_cannot_work_is_refused_at_its_position(
    text: str, position: int, reason: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, COLUMNS)
    assert reason in caught.value.reason
    assert caught.value.position == position


@pytest.mark.parametrize(
    ("text", "role", "reason"),
    [
        ("amount", Role.CONDITION, "a filter must be a condition (true or false), not a number"),
        ("channel", Role.NUMBER, "the value to aggregate must be a number, not text"),
        ("d", Role.NUMBER, "must be a number, not a date"),
        ("ok", Role.NUMBER, "must be a number, not a condition"),
        ("CASE WHEN ok THEN NULL END", Role.NUMBER, "must be a number, not NULL"),
        (
            "CASE WHEN ok THEN NULL END",
            Role.CONDITION,
            "must be a condition (true or false), not NULL",
        ),
    ],
)
def test_a_filter_is_a_condition_and_a_value_a_number(text: str, role: Role, reason: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, COLUMNS, role)
    assert reason in caught.value.reason


def test_an_unknown_construct_is_left_to_the_whitelist() -> None:
    tree = exp.Anonymous(this="mystery", expressions=[exp.column("channel")])
    assert check_types("mystery(channel)", tree, COLUMNS) is SqlType.ANY
