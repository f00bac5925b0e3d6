"""Expressions in metric definitions: SQL expressions, parsed and checked with SQLGlot.

Allowed: columns of the dataset's contract, literals, arithmetic, comparisons, AND / OR / NOT,
IN (a list of literals), BETWEEN, CASE, IS NULL, CAST to one of the types the contracts use, and a
short list of functions. Anything else — a subquery, an unknown function, a type SQLGlot does not
know, a second statement — is refused with its position, so nothing from a definition is ever
pasted into SQL as text: the compiler puts the checked tree into the query it builds.

The check is a whitelist of node classes (exact classes: a subclass is a different construct) and
of the text a node may carry, since SQLGlot writes some text back as it is. Types are checked as
strictly as functions (:mod:`.cast_types`): a quoted "type" once carried a subquery into the SQL.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping

import sqlglot
from sqlglot import exp

from yardstick.metrics.cast_types import (
    check_cast,
    check_type,
    check_type_parameter,
    check_unquoted_types,
)
from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expression_limits import check_tree_size, tokens_of, too_deep
from yardstick.metrics.expression_types import Role, check_types

ALLOWED_NODES: tuple[type[exp.Expr], ...] = (
    exp.Column, exp.Identifier, exp.Literal, exp.Boolean, exp.Null, exp.Paren,
    exp.Add, exp.Sub, exp.Mul, exp.Div, exp.Mod, exp.Neg,
    exp.EQ, exp.NEQ, exp.GT, exp.GTE, exp.LT, exp.LTE, exp.Is,
    exp.And, exp.Or, exp.Not, exp.In, exp.Between, exp.Case, exp.If, exp.Tuple,
    exp.Cast,
    exp.Abs, exp.Round, exp.Coalesce, exp.Nullif, exp.Least, exp.Greatest,
    exp.Year, exp.Month, exp.DateDiff, exp.Lower, exp.Upper, exp.Length, exp.Floor, exp.Ceil,
)  # fmt: skip
FUNCTION_NAMES = (
    "abs, round, coalesce, nullif, least, greatest, year, month, date_diff, lower, upper, length, "
    "floor, ceil"
)
_DATE_UNITS = {"day", "month", "year"}
_TEXT_ARGS = {(exp.Identifier, "this"), (exp.Literal, "this"), (exp.Var, "this")}
_NUMBER = re.compile(r"(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def parse_expression(text: str) -> exp.Expr:
    """Parse one SQL expression (DuckDB syntax); a second statement or bad syntax is an error."""
    if ";" in _outside_strings(text):
        raise ExpressionError(
            text, _outside_strings(text).index(";"), "';' is not allowed (one expression only)"
        )
    if not text.strip():
        raise ExpressionError(text, 0, "an empty expression")
    tokens_of(text)
    try:
        tree = sqlglot.parse_one(text, read="duckdb")
    except sqlglot.errors.ParseError as error:
        first = error.errors[0] if error.errors else {}
        raise ExpressionError(
            text, _offset(text, first), f"not a valid expression: {first.get('description', error)}"
        ) from None
    except RecursionError:
        raise too_deep(text) from None
    except sqlglot.errors.TokenError:  # text SQLGlot reads again on its own (a quoted type's)
        raise ExpressionError(text, 0, "not a valid expression: it cannot be read") from None
    if isinstance(tree, exp.Query | exp.Command | exp.DDL | exp.DML):
        raise ExpressionError(text, 0, f"a {tree.key.upper()} statement is not an expression")
    check_tree_size(text, tree)
    return tree


def check_expression(text: str, columns: Mapping[str, str], expect: Role | None = None) -> exp.Expr:
    """Parse ``text``, check every node against the allowed constructs and ``columns``, then
    check that the types fit (and that the whole is ``expect``: a condition or a number)."""
    tokens_of(text)  # length, strings and comments left open, nesting: each our own error
    check_unquoted_types(text)  # before parsing: SQLGlot reads a quoted type's text on its own
    tree = parse_expression(text)
    for node in tree.walk():
        _check_node(text, node, columns)
    check_types(text, tree, columns, expect)
    return tree


def referenced_columns(tree: exp.Expr) -> set[str]:
    """The column names an expression reads."""
    return {column.name for column in tree.find_all(exp.Column)}


def _check_node(text: str, node: exp.Expr, columns: Mapping[str, str]) -> None:
    if isinstance(node, exp.Subquery | exp.Select | exp.Query):
        raise ExpressionError(text, _position(text, node), "a subquery is not allowed")
    if type(node) is exp.Column:
        _check_column(text, node, columns)
    elif type(node) is exp.Var:
        _check_var(text, node)
    elif type(node) is exp.DataType:
        check_type(text, node)
    elif type(node) is exp.DataTypeParam:
        check_type_parameter(text, node)
    elif isinstance(node, exp.In) and (node.args.get("query") or node.args.get("unnest")):
        raise ExpressionError(text, _position(text, node), "IN takes a list of values, not a query")
    elif type(node) not in ALLOWED_NODES:
        raise ExpressionError(text, _position(text, node), _refusal(node))
    elif isinstance(node, exp.Cast):
        check_cast(text, node, _position(text, node))
    _check_text_args(text, node)


def _check_text_args(text: str, node: exp.Expr) -> None:
    """Only identifiers, literals and date units carry text of their own (it is quoted or checked
    when written back); any other text in a node would be written into the SQL as it is."""
    for key, value in node.args.items():
        if isinstance(value, str) and (type(node), key) not in _TEXT_ARGS:
            raise ExpressionError(text, _position(text, node), _refusal(node))
    if type(node) is exp.Literal and not node.is_string and not _NUMBER.fullmatch(node.this):
        raise ExpressionError(text, _position(text, node), f"not a number: {node.this!r}")


def _check_column(text: str, column: exp.Column, columns: Mapping[str, str]) -> None:
    if column.table:
        raise ExpressionError(
            text, _position(text, column), f"write the column without a table name: {column.name!r}"
        )
    if column.name not in columns:
        nearest = difflib.get_close_matches(column.name, list(columns), n=1, cutoff=0.5)
        hint = (
            f" (did you mean {nearest[0]!r}?)" if nearest else f" (columns: {', '.join(columns)})"
        )
        raise ExpressionError(
            text, _position(text, column), f"unknown column {column.name!r}{hint}"
        )


def _check_var(text: str, node: exp.Var) -> None:
    if not isinstance(node.parent, exp.DateDiff) or node.name.lower() not in _DATE_UNITS:
        raise ExpressionError(text, _position(text, node), f"unknown name {node.name!r}")


def _refusal(node: exp.Expr) -> str:
    if isinstance(node, exp.Func):
        name = (
            node.sql_name().lower()
            if not isinstance(node, exp.Anonymous)
            else str(node.this).lower()
        )
        return f"function {name}() is not allowed (allowed: {FUNCTION_NAMES})"
    return f"{node.key.upper()} is not allowed in a metric expression"


def _position(text: str, node: exp.Expr) -> int:
    """The node's 0-based character offset: from the parser's token meta, else by searching."""
    for candidate in (node, *node.find_all(exp.Identifier)):
        start = candidate.meta.get("start") if candidate.meta else None
        if isinstance(start, int):
            return start if candidate is node else _first_word_before(text, node, start)
    found = text.lower().find(node.sql(dialect="duckdb").lower()[:12])
    return max(found, 0)


def _first_word_before(text: str, node: exp.Expr, start: int) -> int:
    """For a function call the identifier meta points inside it; back up to the function name."""
    if isinstance(node, exp.Func):
        match = re.search(r"[A-Za-z_]\w*\s*\($", text[:start].rstrip())
        if match and not isinstance(node, exp.Column):
            return match.start()
    return start


def _offset(text: str, error: Mapping[str, object]) -> int:
    line, col = error.get("line"), error.get("col")
    if not isinstance(line, int) or not isinstance(col, int):
        return 0
    lines = text.split("\n")
    return min(
        sum(len(previous) + 1 for previous in lines[: line - 1]) + max(col - 1, 0), len(text)
    )


def _outside_strings(text: str) -> str:
    """The text with the content of '…' string literals blanked, same length."""
    return re.sub(r"'(?:[^']|'')*'", lambda match: "'" + " " * (len(match.group()) - 2) + "'", text)
