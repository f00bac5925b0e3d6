"""Cross-column rules (跨欄位檢核規則): small SQL boolean expressions checked with SQLGlot.

A rule such as ``closed_on >= received_on`` may use only column references, literals
(numbers, strings, booleans, NULL, typed ``DATE '2008-01-01'`` literals), comparisons,
arithmetic, ``AND`` / ``OR`` / ``NOT``, ``IS [NOT] NULL``, ``IN (…)`` and ``BETWEEN``. Anything
else (functions, subqueries, casts of columns, ``LIKE`` …) is refused with its position. The
checked tree is what the validator embeds in its query; the rule text itself is never pasted
into SQL.

A row breaks a rule only when the expression is FALSE: as in an SQL ``CHECK`` constraint, a rule
that evaluates to NULL (because a column it reads is empty) is not broken.
"""

from __future__ import annotations

from collections.abc import Iterable

import sqlglot
from sqlglot import exp
from sqlglot.errors import ParseError

from yardstick.datasets.errors import RuleExpressionError

DIALECT = "duckdb"

_ALLOWED: tuple[type[exp.Expr], ...] = (
    exp.Column,
    exp.Identifier,
    exp.Literal,
    exp.Boolean,
    exp.Null,
    exp.Paren,
    exp.Neg,
    exp.Add,
    exp.Sub,
    exp.Mul,
    exp.Div,
    exp.Mod,
    exp.EQ,
    exp.NEQ,
    exp.GT,
    exp.GTE,
    exp.LT,
    exp.LTE,
    exp.And,
    exp.Or,
    exp.Not,
    exp.Is,
    exp.In,
    exp.Between,
)

_TYPED_LITERALS = {exp.DataType.Type.DATE, exp.DataType.Type.TIMESTAMP}


def parse_rule(expression: str, columns: Iterable[str], rule: str = "rule") -> exp.Expr:
    """Parse and check a rule's expression against the contract's column names.

    Raises :class:`RuleExpressionError` naming the rule and the position (column in the text).
    """
    try:
        tree = sqlglot.parse_one(expression, dialect=DIALECT)
    except ParseError as error:
        detail = error.errors[0] if error.errors else {}
        where = f" at column {detail['col']}" if "col" in detail else ""
        raise RuleExpressionError(
            f"rule {rule!r}: not a valid expression{where}: {expression!r}"
        ) from None
    _check_nodes(tree, rule, expression)
    _check_columns(tree, set(columns), rule)
    return tree


def _check_nodes(tree: exp.Expr, rule: str, text: str) -> None:
    for node in tree.walk():
        if isinstance(node, exp.Cast) and _is_typed_literal(node):
            continue
        if isinstance(node, exp.DataType) and isinstance(node.parent, exp.Cast):
            continue
        if not isinstance(node, _ALLOWED):
            raise RuleExpressionError(
                f"rule {rule!r}: {_describe(node)} is not allowed in a rule "
                f"(at column {_position(node)} of {text!r}); use columns, literals, "
                "comparisons, arithmetic, AND/OR/NOT, IS NULL, IN and BETWEEN"
            )


def _is_typed_literal(node: exp.Cast) -> bool:
    """``DATE '2008-01-01'`` parses as a cast of a string literal: allowed."""
    target = node.to
    return (
        isinstance(node.this, exp.Literal)
        and node.this.is_string
        and isinstance(target, exp.DataType)
        and target.this in _TYPED_LITERALS
    )


def _check_columns(tree: exp.Expr, known: set[str], rule: str) -> None:
    for column in tree.find_all(exp.Column):
        if column.table:
            raise RuleExpressionError(
                f"rule {rule!r}: {column.sql()!r} names a table; use the bare column name "
                f"(at column {_position(column)})"
            )
        if column.name not in known:
            raise RuleExpressionError(
                f"rule {rule!r}: unknown column {column.name!r} (at column {_position(column)}); "
                f"the contract has {', '.join(sorted(known))}"
            )


def _describe(node: exp.Expr) -> str:
    if isinstance(node, exp.Func):
        return f"the function {node.sql_name()}"
    return node.key.upper()


def _position(node: exp.Expr) -> int:
    """1-based column of the node in the rule text, or of the first part of it that has one."""
    for part in node.walk():
        for candidate in (part, part.args.get("this")):
            if isinstance(candidate, exp.Expr) and "start" in candidate.meta:
                return int(candidate.meta["start"]) + 1
    return 1


def referenced_columns(tree: exp.Expr) -> list[str]:
    """The columns a checked rule reads, in order of first use."""
    seen: dict[str, None] = {}
    for column in tree.find_all(exp.Column):
        seen.setdefault(column.name, None)
    return list(seen)
