"""The value types of metric expressions: the families DuckDB and PostgreSQL agree on.

Number (whole or decimal, kept apart where it matters: round's digits, a date plus days), text,
condition (boolean), date and timestamp — what a contract's column types become, and what the
type check (:mod:`.expression_types`) infers for every node.
"""

from __future__ import annotations

from enum import StrEnum

from sqlglot import exp

BIGINT_MAX = 2**63 - 1


class SqlType(StrEnum):
    """What a node evaluates to, named as a message to a user says it."""

    INTEGER = "a whole number"
    DECIMAL = "a number"
    TEXT = "text"
    BOOLEAN = "a condition (true or false)"
    DATE = "a date"
    TIMESTAMP = "a timestamp"
    NULL = "NULL"  # the NULL literal: fits anywhere
    ANY = "a value"  # not typed here: fits anywhere


NUMBERS = frozenset({SqlType.INTEGER, SqlType.DECIMAL})
TEMPORAL = frozenset({SqlType.DATE, SqlType.TIMESTAMP})
OPEN = frozenset({SqlType.NULL, SqlType.ANY})
_COLUMN_TYPES = {
    "string": SqlType.TEXT,
    "varchar": SqlType.TEXT,
    "text": SqlType.TEXT,
    "integer": SqlType.INTEGER,
    "bigint": SqlType.INTEGER,
    "int": SqlType.INTEGER,
    "smallint": SqlType.INTEGER,
    "decimal": SqlType.DECIMAL,
    "double": SqlType.DECIMAL,
    "boolean": SqlType.BOOLEAN,
    "date": SqlType.DATE,
    "timestamp": SqlType.TIMESTAMP,
}


def column_type(name: str) -> SqlType:
    """A contract column type (``decimal``) or a DuckDB one (``DECIMAL(14,2)``) as a family."""
    base = name.split("(")[0].strip().lower()
    if base.startswith("timestamp"):
        return SqlType.TIMESTAMP
    return _COLUMN_TYPES.get(base, SqlType.ANY)


def family(kind: SqlType) -> str:
    """What can be compared with what: numbers with numbers, dates with timestamps."""
    if kind in NUMBERS:
        return "number"
    if kind in TEMPORAL:
        return "time"
    return kind.name


def widest(*kinds: SqlType) -> SqlType:
    """The type of arithmetic over ``kinds``: decimal if any is, else whole."""
    numbers = [kind for kind in kinds if kind in NUMBERS]
    if SqlType.DECIMAL in numbers:
        return SqlType.DECIMAL
    if numbers:
        return SqlType.INTEGER
    return SqlType.NULL if all(kind is SqlType.NULL for kind in kinds) else SqlType.ANY


def shown(node: exp.Expr) -> str:
    """The node as the user wrote it, shortened, for a message."""
    text = node.sql(dialect="duckdb")
    return text if len(text) <= 40 else text[:39] + "…"
