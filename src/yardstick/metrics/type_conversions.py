"""Which conversions both engines make: a type to a type, a literal's text to a value.

Why a table of our own: DuckDB and PostgreSQL cast differently (PostgreSQL turns no ``bigint``
into a boolean, DuckDB reads ``1.5`` as true), and a cast that cannot work fails only when a
query reaches the value. A cast is allowed where no value of the source can fail it; a literal,
whose value is known, where that value fits the type (``CAST('2020-13-01' AS DATE)`` does not).
"""

from __future__ import annotations

import math
import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from sqlglot import exp

from yardstick.metrics.sql_types import BIGINT_MAX, NUMBERS, TEMPORAL, SqlType, shown

CASTS = {
    SqlType.INTEGER: {SqlType.INTEGER, SqlType.DECIMAL, SqlType.TEXT},  # PostgreSQL: no bigint→bool
    SqlType.DECIMAL: {SqlType.INTEGER, SqlType.DECIMAL, SqlType.TEXT},
    SqlType.TEXT: {SqlType.TEXT},
    SqlType.BOOLEAN: {SqlType.BOOLEAN, SqlType.INTEGER, SqlType.TEXT},
    SqlType.DATE: {SqlType.DATE, SqlType.TIMESTAMP, SqlType.TEXT},
    SqlType.TIMESTAMP: {SqlType.DATE, SqlType.TIMESTAMP, SqlType.TEXT},
}
_INTEGER_BITS = {
    exp.DataType.Type.TINYINT: 8,
    exp.DataType.Type.SMALLINT: 16,
    exp.DataType.Type.INT: 32,
    exp.DataType.Type.BIGINT: 64,
}
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")
_INTEGER_TEXT = re.compile(r"[+-]?\d{1,19}")


def cast_target(to: exp.Expr) -> SqlType:
    """The family a CAST's type belongs to; ANY for a type this table does not know."""
    kind = to.this if isinstance(to, exp.DataType) else None
    if kind in exp.DataType.INTEGER_TYPES:
        return SqlType.INTEGER
    if kind in exp.DataType.REAL_TYPES:
        return SqlType.DECIMAL
    if kind in exp.DataType.TEXT_TYPES:
        return SqlType.TEXT
    if kind is exp.DataType.Type.BOOLEAN:
        return SqlType.BOOLEAN
    if kind in (exp.DataType.Type.DATE, exp.DataType.Type.DATE32):
        return SqlType.DATE
    if kind in exp.DataType.TEMPORAL_TYPES and kind not in (
        exp.DataType.Type.TIME,
        exp.DataType.Type.TIMETZ,
    ):
        return SqlType.TIMESTAMP
    return SqlType.ANY


def cast_problem(value: exp.Expr, source: SqlType, to: exp.Expr, target: SqlType) -> str | None:
    """Why ``CAST(value AS to)`` cannot work on both engines, or None when it can."""
    if is_text_literal(value) or number_of(value) is not None:
        if _literal_fits(value, to, target):
            return None
        return f"{shown(value)} cannot be cast to {to.sql(dialect='duckdb')}"
    if target not in CASTS[source] or _narrow_boolean(source, to):
        return f"{source.value} cannot be cast to {target.value}: {shown(value)}"
    return None


def _narrow_boolean(source: SqlType, to: exp.Expr) -> bool:
    """PostgreSQL casts a condition to INTEGER only (not to BIGINT or SMALLINT)."""
    return (
        source is SqlType.BOOLEAN
        and isinstance(to, exp.DataType)
        and to.this in exp.DataType.INTEGER_TYPES
        and to.this is not exp.DataType.Type.INT
    )


def _literal_fits(value: exp.Expr, to: exp.Expr, target: SqlType) -> bool:
    number = number_of(value)
    if number is not None:
        source = SqlType.INTEGER if isinstance(number, int) else SqlType.DECIMAL
        return target in CASTS[source] and abs(number) < _largest(to)
    if target in TEMPORAL:
        return reads_as(value.name, target)
    if target in NUMBERS:
        return _reads_as_number(value.name, target)
    if target is SqlType.BOOLEAN:
        return value.name.lower() in {"true", "false"}
    return True


def _largest(to: exp.Expr) -> float:
    """The bound a number's magnitude must stay under to fit the type: 2^31 for INTEGER,
    10^(p − s) for DECIMAL(p, s); no bound for others."""
    if not isinstance(to, exp.DataType):
        return math.inf
    if to.this in _INTEGER_BITS:
        return float(2 ** (_INTEGER_BITS[to.this] - 1))
    params = [number_of(p.this) for p in to.expressions if isinstance(p, exp.DataTypeParam)]
    if to.this is exp.DataType.Type.DECIMAL and params and all(isinstance(p, int) for p in params):
        precision, scale = (params + [0])[:2]
        return 10.0 ** (int(precision or 0) - int(scale or 0))
    return math.inf


def number_of(node: exp.Expr) -> int | float | None:
    """The value of a number literal, signed or in parentheses; None for anything else."""
    sign = 1
    while isinstance(node, exp.Paren | exp.Neg):
        sign = -sign if isinstance(node, exp.Neg) else sign
        node = node.this
    if not isinstance(node, exp.Literal) or node.args.get("is_string"):
        return None
    text = node.name
    if text.isascii() and text.isdigit() and len(text) <= 19:
        return sign * int(text)
    try:
        return sign * float(text)
    except ValueError:
        return None


def is_text_literal(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and bool(node.args.get("is_string"))


def reads_as(text: str, kind: SqlType) -> bool:
    """Whether a text literal is a date (YYYY-MM-DD) or a timestamp both engines read."""
    pattern = _DATE_TEXT if kind is SqlType.DATE else _TIMESTAMP_TEXT
    if not pattern.fullmatch(text):
        return False
    try:
        if kind is SqlType.DATE:
            date.fromisoformat(text)
        else:
            datetime.fromisoformat(text.replace(" ", "T"))
    except ValueError:
        return False
    return True


def _reads_as_number(text: str, kind: SqlType) -> bool:
    if kind is SqlType.INTEGER:
        return bool(_INTEGER_TEXT.fullmatch(text.strip())) and abs(int(text)) <= BIGINT_MAX
    try:
        return Decimal(text.strip()).is_finite()
    except InvalidOperation:
        return False
