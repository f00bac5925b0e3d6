"""Expressions are checked against the contract: unknown columns, forbidden constructs, positions."""

from __future__ import annotations

import pytest

from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.formula import CannotCompute, check_formula, evaluate_formula

COLUMNS = {
    "closure": "string",
    "referred_amount": "decimal",
    "paid_amount": "decimal",
    "closed_on": "date",
    "received_on": "date",
}


@pytest.mark.parametrize(
    "text",
    [
        "closure = '完全繳清' OR paid_amount > 0.5 * referred_amount",
        "closure IN ('部分繳清', '完全繳清') AND paid_amount BETWEEN 1 AND 100",
        "closed_on >= DATE '2008-01-01' AND closed_on IS NOT NULL",
        "date_diff('day', received_on, closed_on) > 30",
        "CASE WHEN referred_amount < 200000 THEN paid_amount * 2 > referred_amount ELSE FALSE END",
        "abs(round(paid_amount, 0)) >= coalesce(referred_amount, 0)",
        "NOT (closure = '撤回') AND year(closed_on) = 2020",
        "closure = 'a;b'",
    ],
)
def test_allowed_expressions_pass(text: str) -> None:
    check_expression(text, COLUMNS)


@pytest.mark.parametrize(
    ("text", "position", "message"),
    [
        ("paid_amont > 1", 0, "unknown column 'paid_amont' (did you mean 'paid_amount'?)"),
        ("closure = 'x' AND nonsense > 1", 18, "unknown column 'nonsense'"),
        ("paid_amount > (SELECT 1)", 14, "a subquery is not allowed"),
        ("paid_amount IN (SELECT 1)", 0, "IN takes a list of values"),
        ("system('rm') > 1", 0, "function system() is not allowed"),
        ("paid_amount > 1; DROP TABLE x", 15, "';' is not allowed"),
        ("paid_amount > ", 12, "not a valid expression"),
        ("", 0, "an empty expression"),
        ("t.paid_amount > 1", 2, "without a table name"),
    ],
)
def test_a_bad_expression_names_the_position_of_the_fault(
    text: str, position: int, message: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, COLUMNS)
    assert caught.value.position == position
    assert message in caught.value.reason
    assert f"at position {position + 1}" in str(caught.value)


def test_the_error_points_at_the_fault_under_the_text() -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression("closure = '完全' AND nonsense", COLUMNS)
    text, pointer = str(caught.value).split("\n")[1:]
    assert text == "closure = '完全' AND nonsense"
    assert pointer == " " * 21 + "^"  # each CJK character takes two columns


@pytest.mark.parametrize(
    ("formula", "inputs", "expected"),
    [
        ("numerator / denominator * 100", {"numerator": 1, "denominator": 4}, 25.0),
        ("(a - b) / b * 100", {"a": 62315, "b": 56877}, (62315 - 56877) / 56877 * 100),
        ("-a + 2", {"a": 5}, -3.0),
    ],
)
def test_formulas_evaluate_exactly(formula: str, inputs: dict[str, float], expected: float) -> None:
    assert evaluate_formula(check_formula(formula, list(inputs)), inputs) == pytest.approx(expected)


def test_a_formula_names_only_its_inputs() -> None:
    with pytest.raises(ExpressionError, match="unknown name 'c'"):
        check_formula("a / c", ["a", "b"])
    with pytest.raises(ExpressionError, match="not allowed in a formula"):
        check_formula("a > b", ["a", "b"])


@pytest.mark.parametrize(
    ("inputs", "reason"),
    [
        ({"a": 1.0, "b": 0.0}, "division by zero: b is 0"),
        ({"a": 1.0, "b": None}, "no data for b"),
    ],
)
def test_a_formula_that_cannot_be_computed_says_why(
    inputs: dict[str, float | None], reason: str
) -> None:
    with pytest.raises(CannotCompute) as caught:
        evaluate_formula(check_formula("a / b", ["a", "b"]), inputs)
    assert caught.value.reason == reason
