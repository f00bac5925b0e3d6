"""Casts both engines make, and literals that fit their type."""

from __future__ import annotations

import pytest
import sqlglot
from sqlglot import exp

from yardstick.metrics.sql_types import SqlType
from yardstick.metrics.type_conversions import cast_problem, cast_target


def _cast(text: str) -> exp.Cast:
    tree = sqlglot.parse_one(text, read="duckdb")
    assert isinstance(tree, exp.Cast)
    return tree


@pytest.mark.parametrize(
    ("text", "source", "problem"),
    [
        ("CAST(x AS VARCHAR)", SqlType.INTEGER, None),
        ("CAST(x AS DECIMAL(10, 2))", SqlType.INTEGER, None),
        ("CAST(x AS BOOLEAN)", SqlType.INTEGER, "a whole number cannot be cast to a condition"),
        ("CAST(x AS INTEGER)", SqlType.BOOLEAN, None),
        ("CAST(x AS BIGINT)", SqlType.BOOLEAN, "a condition (true or false) cannot be cast"),
        ("CAST(x AS DATE)", SqlType.TEXT, "text cannot be cast to a date: x"),
        ("CAST(x AS TIMESTAMP)", SqlType.DATE, None),
        ("CAST(x AS INTEGER)", SqlType.DATE, "a date cannot be cast to a whole number"),
        ("CAST('2020-02-29' AS DATE)", SqlType.TEXT, None),
        ("CAST('2021-02-29' AS DATE)", SqlType.TEXT, "'2021-02-29' cannot be cast to DATE"),
        ("CAST('12' AS BIGINT)", SqlType.TEXT, None),
        ("CAST('1.5' AS BIGINT)", SqlType.TEXT, "'1.5' cannot be cast to BIGINT"),
        ("CAST('true' AS BOOLEAN)", SqlType.TEXT, None),
        ("CAST(99 AS DECIMAL(2, 0))", SqlType.INTEGER, None),
        ("CAST(100 AS DECIMAL(2, 0))", SqlType.INTEGER, "100 cannot be cast to DECIMAL(2, 0)"),
        ("CAST(-2147483648 AS INTEGER)", SqlType.INTEGER, "cannot be cast to INT"),
    ],
)
def test_a_cast_works_on_both_engines_or_says_why_not(
    text: str, source: SqlType, problem: str | None
) -> None:
    cast = _cast(text)
    found = cast_problem(cast.this, source, cast.args["to"], cast_target(cast.args["to"]))
    if problem is None:
        assert found is None
    else:
        assert found is not None and problem in found


def test_an_unknown_type_is_left_to_the_whitelist() -> None:
    assert cast_target(_cast("CAST(x AS INTERVAL)").args["to"]) is SqlType.ANY
