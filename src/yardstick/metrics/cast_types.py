"""The types a metric expression may ``CAST`` to: those of the contracts' columns, nothing else.

SQLGlot keeps a type it does not know (``CAST(0 AS "…")``, ``oid``) as raw text and writes it back
unquoted, so a quoted "type" can carry a subquery or a second statement into the SQL. A type is
therefore checked like a function: one of :data:`CAST_TYPES`, only as the target of a CAST, with
parameters only for ``DECIMAL(precision, scale)``.
"""

from __future__ import annotations

import re

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.expressions.datatypes import DType
from sqlglot.tokenizer_core import TokenType

from yardstick.metrics.errors import ExpressionError

# a type CAST may target → the contract column type it is
CAST_TYPES: dict[DType, str] = {
    DType.TEXT: "string",
    DType.INT: "integer",
    DType.BIGINT: "integer",
    DType.DECIMAL: "decimal",
    DType.DOUBLE: "decimal",
    DType.BOOLEAN: "boolean",
    DType.DATE: "date",
    DType.TIMESTAMP: "timestamp",
    DType.TIMESTAMPNTZ: "timestamp",
}
CAST_TYPE_NAMES = "VARCHAR, INTEGER, BIGINT, DECIMAL(p, s), DOUBLE, BOOLEAN, DATE, TIMESTAMP"
_MAX_DECIMAL_PRECISION = 38
_CAST_ARGS = {"this", "to"}
_DIALECT = "duckdb"
_BEFORE_A_TYPE = (TokenType.ALIAS, TokenType.DCOLON)  # CAST(x AS type), x::type
_SMALL = re.compile(r"[0-9]{1,3}")


def check_unquoted_types(text: str) -> None:
    """A type is written as a word. In quotes, SQLGlot takes the quoted text for a type of its own
    making: an unknown name kept as raw text, or the type the text starts with, the rest dropped
    (``x::"DOUBLE) + (SELECT 1"`` reads as ``x::DOUBLE``), so what runs is not what was written."""
    tokens = Dialect.get_or_raise(_DIALECT).tokenize(text)
    for before, token in zip(tokens, tokens[1:], strict=False):
        if before.token_type in _BEFORE_A_TYPE and token.token_type is TokenType.IDENTIFIER:
            raise ExpressionError(text, token.start, "write the type of a CAST without quotes")


def check_cast(text: str, node: exp.Cast, position: int) -> None:
    """A plain ``CAST(x AS type)``: no FORMAT, no DEFAULT, nothing but the value and the type."""
    extra = sorted(key for key, value in node.args.items() if value and key not in _CAST_ARGS)
    if type(node.to) is not exp.DataType:
        extra.insert(0, "a type SQLGlot does not know")
    if extra:
        raise ExpressionError(text, position, f"CAST takes a value and a type only, not {extra[0]}")


def check_type(text: str, node: exp.DataType) -> None:
    """A type only as the target of CAST, one of :data:`CAST_TYPES`, parameters only for DECIMAL."""
    allowed = (
        isinstance(node.parent, exp.Cast)
        and node.arg_key == "to"
        and node.this in CAST_TYPES
        and not any(
            node.args.get(key) for key in ("kind", "values", "nested", "nullable", "collate")
        )
        and (not node.expressions or node.this is DType.DECIMAL)
    )
    if not allowed:
        raise ExpressionError(
            text,
            _type_position(text, node),
            f"CAST to {_type_name(node)} is not allowed (types: {CAST_TYPE_NAMES})",
        )


def check_type_parameter(text: str, node: exp.DataTypeParam) -> None:
    """``DECIMAL(precision, scale)``: whole numbers, the precision 1–38, the scale up to it."""
    parent = node.parent
    digits = [p.this for p in parent.expressions] if isinstance(parent, exp.DataType) else []
    numbers = [int(d.this) for d in digits if type(d) is exp.Literal and _SMALL.fullmatch(d.this)]
    if (
        not isinstance(parent, exp.DataType)
        or node.args.get("expression")
        or len(numbers) != len(digits)
        or len(numbers) > 2
        or not 1 <= numbers[0] <= _MAX_DECIMAL_PRECISION
        or (len(numbers) == 2 and numbers[1] > numbers[0])
    ):
        raise ExpressionError(
            text,
            _type_position(text, parent) if isinstance(parent, exp.DataType) else 0,
            f"DECIMAL takes a precision of 1 to {_MAX_DECIMAL_PRECISION} and a scale up to it",
        )


def _type_name(node: exp.DataType) -> str:
    kind = node.args.get("kind")
    shown = kind if isinstance(kind, str) else node.sql(dialect="duckdb")
    return repr(shown if len(shown) <= 40 else shown[:37] + "...")


def _type_position(text: str, node: exp.DataType) -> int:
    """Types carry no position: find the type's own text (a quoted name from its quote)."""
    kind = node.args.get("kind")
    if isinstance(kind, str):
        found = text.find(kind)
        return found - 1 if found > 0 and text[found - 1] == '"' else max(found, 0)
    written = node.sql(dialect="duckdb").lower()
    found = text.lower().find(written)
    if found < 0:  # written back differently (spaces, case): look for its first word
        found = text.lower().find(written.split("(")[0].split("[")[0])
    return max(found, 0)
