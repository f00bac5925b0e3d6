"""Cross-column rules: what a rule may use, and the position of what it may not."""

from __future__ import annotations

import pytest

from yardstick.datasets.errors import RuleExpressionError
from yardstick.datasets.rules import parse_rule, referenced_columns

COLUMNS = ["received_on", "closed_on", "paid_amount", "referred_amount", "closure", "sentenced"]


@pytest.mark.parametrize(
    "expression",
    [
        "closed_on >= received_on",
        "paid_amount <= referred_amount * 1.0 + 0",
        "closure IS NULL OR closure IN ('完全繳清', '部分繳清')",
        "NOT sentenced OR closure = '有罪'",
        "paid_amount BETWEEN 0 AND referred_amount",
        "closed_on IS NOT NULL AND closed_on >= DATE '2008-01-01'",
        "(paid_amount > 0) = TRUE",
        "-paid_amount < 1 AND paid_amount % 2 <> 3 AND paid_amount / 2 - 1 > 0",
    ],
)
def test_it_accepts_columns_literals_comparisons_and_logic(expression: str) -> None:
    assert parse_rule(expression, COLUMNS) is not None


@pytest.mark.parametrize(
    ("expression", "expected"),
    [
        ("upper(closure) = 'X'", r"the function UPPER is not allowed in a rule \(at column 1"),
        ("closure LIKE '%x'", r"LIKE is not allowed"),
        ("paid_amount = (SELECT 1)", r"SUBQUERY is not allowed"),
        ("CAST(paid_amount AS INT) > 1", r"CAST is not allowed"),
        ("CASE WHEN sentenced THEN 1 END = 1", r"CASE is not allowed"),
        ("t.paid_amount > 0", r"names a table"),
        ("paid > 0", r"unknown column 'paid' \(at column 1\)"),
        ("closed_on >= ", r"not a valid expression at column"),
        ("paid_amount > 0; DROP TABLE x", r"not a valid expression|is not allowed"),
    ],
)
def test_it_rejects_anything_else_with_the_position(expression: str, expected: str) -> None:
    with pytest.raises(RuleExpressionError, match=expected):
        parse_rule(expression, COLUMNS, "r")


def test_it_lists_the_columns_a_rule_reads_in_order() -> None:
    tree = parse_rule("paid_amount <= referred_amount AND paid_amount >= 0", COLUMNS)
    assert referenced_columns(tree) == ["paid_amount", "referred_amount"]
