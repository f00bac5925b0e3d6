"""Evaluate a definition's formula over its named aggregates, for one year and org unit.

The formula is parsed and checked with SQLGlot like any expression (only the names of the
definition's aggregates, numbers and + − × ÷), then evaluated exactly in Python so that every
engine gives the same value from the same aggregates. A division by zero, a missing input or a
result too large for a float (``1e308 * inmates``) is not an exception, not 0 and not infinity:
it is a :class:`CannotCompute` with the reason — the only exception evaluation raises.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from sqlglot import exp

from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expression_limits import node_start
from yardstick.metrics.expression_types import check_types
from yardstick.metrics.expressions import parse_expression

_ARITHMETIC = (
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Neg,
    exp.Paren,
    exp.Literal,
    exp.Column,
    exp.Identifier,
)


_TOO_LARGE = "the value is beyond the range of a number (±1.8e308)"


class CannotCompute(Exception):
    """A value that cannot be computed, and why (shown to users instead of a number)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_formula(text: str, names: list[str]) -> exp.Expr:
    """Parse a formula; only arithmetic over ``names`` and finite numbers is allowed (no literal
    divisor of 0), each fault at its position."""
    tree = parse_expression(text)
    for node in tree.walk():
        if not isinstance(node, _ARITHMETIC) or (isinstance(node, exp.Literal) and node.is_string):
            raise ExpressionError(
                text,
                node_start(text, node),
                f"{node.key.upper()} is not allowed in a formula (only + - * / and names)",
            )
        if isinstance(node, exp.Column) and (node.table or node.name not in names):
            raise ExpressionError(
                text,
                node_start(text, node),
                f"unknown name {node.sql()!r} (inputs: {', '.join(names)})",
            )
    check_types(text, tree, dict.fromkeys(names, "decimal"))
    return tree


def evaluate_formula(tree: exp.Expr, inputs: Mapping[str, float | None]) -> float:
    """The formula's value; :class:`CannotCompute` on a missing or non-finite input, a division
    by zero or a result beyond a float's range."""
    value = _evaluate(tree, inputs)
    if not math.isfinite(value):
        raise CannotCompute(_TOO_LARGE)
    return value


def _evaluate(tree: exp.Expr, inputs: Mapping[str, float | None]) -> float:
    """The value of one node; every step stays finite (a float overflows to inf silently)."""
    if isinstance(tree, exp.Paren):
        return _evaluate(tree.this, inputs)
    if isinstance(tree, exp.Literal):
        return _finite(float(tree.this))
    if isinstance(tree, exp.Column):
        return _input(tree.name, inputs)
    if isinstance(tree, exp.Neg):
        return -_evaluate(tree.this, inputs)
    left, right = _evaluate(tree.this, inputs), _evaluate(tree.expression, inputs)
    if isinstance(tree, exp.Add):
        return _finite(left + right)
    if isinstance(tree, exp.Sub):
        return _finite(left - right)
    if isinstance(tree, exp.Mul):
        return _finite(left * right)
    if right == 0:
        raise CannotCompute(f"division by zero: {tree.expression.sql()[:60]} is 0")
    return _finite(left / right)


def _finite(value: float) -> float:
    if not math.isfinite(value):
        raise CannotCompute(_TOO_LARGE)
    return value


def _input(name: str, inputs: Mapping[str, float | None]) -> float:
    value = inputs.get(name)
    if value is None:
        raise CannotCompute(f"no data for {name}")
    number = float(value)
    if not math.isfinite(number):
        raise CannotCompute(f"{name} is not a finite number ({number})")
    return number
