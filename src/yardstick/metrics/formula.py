"""Evaluate a definition's formula over its named aggregates, for one year and org unit.

The formula is parsed and checked with SQLGlot like any expression (only the names of the
definition's aggregates, numbers and + − × ÷), then evaluated exactly in Python so that every
engine gives the same value from the same aggregates. A division by zero or a missing input is
not an exception and not 0: it is a :class:`CannotCompute` with the reason.
"""

from __future__ import annotations

from collections.abc import Mapping

from sqlglot import exp

from yardstick.metrics.errors import ExpressionError
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


class CannotCompute(Exception):
    """A value that cannot be computed, and why (shown to users instead of a number)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def check_formula(text: str, names: list[str]) -> exp.Expr:
    """Parse a formula; only arithmetic over ``names`` and numbers is allowed."""
    tree = parse_expression(text)
    for node in tree.walk():
        if not isinstance(node, _ARITHMETIC) or (isinstance(node, exp.Literal) and node.is_string):
            raise ExpressionError(
                text, 0, f"{node.key.upper()} is not allowed in a formula (only + - * / and names)"
            )
        if isinstance(node, exp.Column) and node.name not in names:
            start = node.this.meta.get("start", 0) if isinstance(node.this, exp.Identifier) else 0
            raise ExpressionError(
                text, start, f"unknown name {node.name!r} (inputs: {', '.join(names)})"
            )
    return tree


def evaluate_formula(tree: exp.Expr, inputs: Mapping[str, float | None]) -> float:
    """The formula's value; :class:`CannotCompute` on a missing input or a division by zero."""
    if isinstance(tree, exp.Paren):
        return evaluate_formula(tree.this, inputs)
    if isinstance(tree, exp.Literal):
        return float(tree.this)
    if isinstance(tree, exp.Column):
        value = inputs.get(tree.name)
        if value is None:
            raise CannotCompute(f"no data for {tree.name}")
        return float(value)
    if isinstance(tree, exp.Neg):
        return -evaluate_formula(tree.this, inputs)
    left, right = evaluate_formula(tree.this, inputs), evaluate_formula(tree.expression, inputs)
    if isinstance(tree, exp.Add):
        return left + right
    if isinstance(tree, exp.Sub):
        return left - right
    if isinstance(tree, exp.Mul):
        return left * right
    if right == 0:
        raise CannotCompute(f"division by zero: {tree.expression.sql()} is 0")
    return left / right
