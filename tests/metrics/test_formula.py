"""A formula is checked like any expression, and evaluating it raises only CannotCompute."""

from __future__ import annotations

import math

import pytest

from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.formula import CannotCompute, check_formula, evaluate_formula


@pytest.mark.parametrize(
    ("formula", "position", "reason"),
    [
        ("1e309 * inmates", 0, "the number 1e309 is too large"),
        ("inmates / 0", 10, "division by zero: the divisor is 0"),
        ("inmates * 99999999999999999999", 10, "beyond 64 bits"),
        ("inmates > capacity", 0, "GT is not allowed in a formula"),
        ("inmates + x.capacity", 10, "unknown name 'x.capacity'"),
        ("inmates + 'a'", 10, "LITERAL is not allowed in a formula"),
    ],
)
def test_a_formula_that_cannot_work_is_refused_at_its_position(
    formula: str, position: int, reason: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_formula(formula, ["inmates", "capacity"])
    assert reason in caught.value.reason
    assert caught.value.position == position


@pytest.mark.parametrize(
    ("formula", "inputs"),
    [
        ("a * 1e308 * 10", {"a": 1.0}),  # overflows to inf
        ("a * 1e308 - a * 1e308 * 10", {"a": 1.0}),  # inf − inf is nan
        ("a / (b * 1e308 * 10)", {"a": 1.0, "b": 1.0}),  # a finite result through inf
        ("a / b", {"a": 1.0, "b": 1e-320}),
        ("a + b", {"a": math.inf, "b": 1.0}),
        ("a + b", {"a": math.nan, "b": 1.0}),
    ],
)
def test_evaluation_beyond_a_float_is_cannot_compute_not_inf(
    formula: str, inputs: dict[str, float]
) -> None:
    with pytest.raises(CannotCompute) as caught:
        evaluate_formula(check_formula(formula, list(inputs)), inputs)
    assert "beyond the range" in caught.value.reason or "not a finite number" in caught.value.reason


def test_a_ratio_scale_of_1e308_gives_a_reason_not_an_invalid_operation() -> None:
    from yardstick.metrics.definition import definition_from_data

    definition = definition_from_data(
        {
            "kpi": "t-1",
            "version": 1,
            "kind": "ratio",
            "unit": "%",
            "scale": 1e308,
            "interpretation": {"zh": "測試", "en": "test"},
            "numerator": {"dataset": "cases", "function": "count"},
            "denominator": {"dataset": "cases", "function": "count"},
        }
    )
    tree = check_formula(definition.formula, list(definition.aggregates()))
    with pytest.raises(CannotCompute, match="beyond the range"):
        evaluate_formula(tree, {"numerator": 30.0, "denominator": 3.0})
