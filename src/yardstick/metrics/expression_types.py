"""The type of every node of a metric expression, inferred from the contract's column types.

The node whitelist (:mod:`yardstick.metrics.expressions`) says which constructs may appear; this
says whether they can work on the values they get. An engine refuses text cast to a number,
arithmetic on text, a date compared with a number, a modulus by 0 or ``round(x, 999999999999)``
only once the query runs — over the records, with its own multi-line message. Here each is
refused with its position before any data is read. What still depends on the records (an
overflow, a zero in a column used as a divisor) is reported by the runner, for that KPI alone.

Types are the families both engines agree on: number (integer or decimal, kept apart where it
matters: round's digits, a date plus days), text, boolean, date and timestamp. A construct this
module does not know is typed ``ANY`` and fits anywhere: the whitelist is what refuses it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from enum import Enum, StrEnum
from typing import NoReturn

from sqlglot import exp

from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expression_limits import node_start

BIGINT_MAX = 2**63 - 1
ROUND_DIGITS = 20
"""round(x, d) takes d from −20 to 20: a double has 17 significant digits."""


class SqlType(StrEnum):
    """What a node evaluates to."""

    INTEGER = "a whole number"
    DECIMAL = "a number"
    TEXT = "text"
    BOOLEAN = "a condition (true or false)"
    DATE = "a date"
    TIMESTAMP = "a timestamp"
    NULL = "NULL"  # the NULL literal: fits anywhere
    ANY = "a value"  # not typed here: fits anywhere


class Role(Enum):
    """What a whole expression must be: a filter is a condition, an aggregated value a number."""

    CONDITION = "a filter must be a condition (true or false)"
    NUMBER = "the value to aggregate must be a number"


NUMBERS = frozenset({SqlType.INTEGER, SqlType.DECIMAL})
TEMPORAL = frozenset({SqlType.DATE, SqlType.TIMESTAMP})
OPEN = frozenset({SqlType.NULL, SqlType.ANY})
_WANTED = {Role.CONDITION: frozenset({SqlType.BOOLEAN}), Role.NUMBER: NUMBERS}
_FITS = {role: frozenset({SqlType.ANY}) for role in Role}  # NULL has no type: sum(NULL) fails
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
_INTEGER_BITS = {
    exp.DataType.Type.TINYINT: 8,
    exp.DataType.Type.SMALLINT: 16,
    exp.DataType.Type.INT: 32,
    exp.DataType.Type.BIGINT: 64,
}
_CASTS = {
    SqlType.INTEGER: {SqlType.INTEGER, SqlType.DECIMAL, SqlType.TEXT},  # PostgreSQL: no bigint→bool
    SqlType.DECIMAL: {SqlType.INTEGER, SqlType.DECIMAL, SqlType.TEXT},
    SqlType.TEXT: {SqlType.TEXT},
    SqlType.BOOLEAN: {SqlType.BOOLEAN, SqlType.INTEGER, SqlType.TEXT},
    SqlType.DATE: {SqlType.DATE, SqlType.TIMESTAMP, SqlType.TEXT},
    SqlType.TIMESTAMP: {SqlType.DATE, SqlType.TIMESTAMP, SqlType.TEXT},
}
_FLAGS = frozenset({"date_part_boundary", "ignore_nulls", "is_nvl", "is_null", "safe", "big_int"})
"""Options SQLGlot's parser sets itself; not arguments a user wrote."""
_ONE = frozenset({"this"})
_ARGUMENTS: dict[type[exp.Expr], frozenset[str]] = {
    **dict.fromkeys((exp.Abs, exp.Floor, exp.Ceil, exp.Year, exp.Month), _ONE),
    **dict.fromkeys((exp.Lower, exp.Upper, exp.Length), _ONE),
    exp.Round: frozenset({"this", "decimals"}),
    exp.DateDiff: frozenset({"this", "expression", "unit"}),
    exp.Nullif: frozenset({"this", "expression"}),
    **dict.fromkeys((exp.Coalesce, exp.Least, exp.Greatest), frozenset({"this", "expressions"})),
}
_ARITY: dict[type[exp.Expr], str] = {
    **dict.fromkeys(
        (exp.Abs, exp.Floor, exp.Ceil, exp.Year, exp.Month, exp.Lower, exp.Upper, exp.Length),
        "one argument",
    ),
    exp.Round: "a number and its digits",
    exp.DateDiff: "a unit and two dates",
    exp.Nullif: "two arguments",
}
_DATE_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}")
_TIMESTAMP_TEXT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[ T]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?")
_INTEGER_TEXT = re.compile(r"[+-]?\d{1,19}")


def column_type(name: str) -> SqlType:
    """A contract column type (``decimal``) or a DuckDB one (``DECIMAL(14,2)``) as a family."""
    base = name.split("(")[0].strip().lower()
    if base.startswith("timestamp"):
        return SqlType.TIMESTAMP
    return _COLUMN_TYPES.get(base, SqlType.ANY)


def check_types(
    text: str, tree: exp.Expr, columns: Mapping[str, str], expect: Role | None = None
) -> SqlType:
    """The expression's type; a node whose operands cannot work is refused at its position."""
    kind = _Types(text, columns).of(tree)
    if expect is not None and kind not in _WANTED[expect] | _FITS[expect]:
        raise ExpressionError(text, 0, f"{expect.value}, not {kind.value}")
    return kind


class _Types:
    """Types the nodes of one expression, refusing the first that cannot work."""

    def __init__(self, text: str, columns: Mapping[str, str]) -> None:
        self.text = text
        self.columns = columns
        self.known: dict[int, SqlType] = {}  # by node id: each node is typed once, however asked

    def of(self, node: exp.Expr) -> SqlType:
        if id(node) not in self.known:
            self.known[id(node)] = self._infer(node)
        return self.known[id(node)]

    def _infer(self, node: exp.Expr) -> SqlType:
        for cls in type(node).__mro__:
            rule = _RULES.get(cls)
            if rule is not None:
                if isinstance(node, exp.Func):
                    self._check_arguments(node, cls)
                return rule(self, node)
        return SqlType.ANY

    def _check_arguments(self, node: exp.Func, cls: type[exp.Expr]) -> None:
        """A function with an argument missing or one it does not take (SQLGlot maps extra
        arguments to options such as length's encoding) fails in the engine: refuse it here."""
        given = {key for key, value in node.args.items() if isinstance(value, exp.Expr) or value}
        given -= _FLAGS
        required = {key for key, needed in node.arg_types.items() if needed} - _FLAGS
        if required - given:
            self.refuse(node, f"{_name(node)}() is missing an argument")
        if given - _ARGUMENTS.get(cls, given):
            self.refuse(node, f"{_name(node)}() takes {_ARITY.get(cls, 'fewer arguments')}")

    def need_typed(self, node: exp.Expr, allowed: frozenset[SqlType], what: str) -> SqlType:
        """Like :meth:`need`, but an untyped NULL is refused too (no engine can pick a function)."""
        if self.of(node) is SqlType.NULL:
            self.refuse(node, f"{what}, not an untyped NULL (write CAST(NULL AS …))")
        return self.need(node, allowed, what)

    def refuse(self, node: exp.Expr, reason: str) -> NoReturn:
        raise ExpressionError(self.text, node_start(self.text, node), reason)

    def need(self, node: exp.Expr, allowed: frozenset[SqlType], what: str) -> SqlType:
        """The node's type, which must be one of ``allowed`` (or NULL, or unknown)."""
        kind = self.of(node)
        if kind not in allowed | OPEN:
            self.refuse(node, f"{what}, not {kind.value}: {_shown(node)}")
        return kind

    def comparable(self, left: exp.Expr, right: exp.Expr) -> None:
        """Two values that SQL can compare (a text literal reads as a date if it is one)."""
        a, b = self.of(left), self.of(right)
        if a in OPEN or b in OPEN or _family(a) == _family(b):
            return
        for literal, other in ((left, b), (right, a)):
            if other in TEMPORAL and _is_text_literal(literal):
                if not _reads_as(literal.name, other):
                    self.refuse(literal, f"{_shown(literal)} is not {other.value} (YYYY-MM-DD)")
                return
        self.refuse(right, f"cannot compare {a.value} with {b.value}: {_shown(right)}")

    def all_comparable(self, values: Sequence[exp.Expr]) -> None:
        """Values that IN or BETWEEN compare: each with the first, and with the first typed one
        (``NULL BETWEEN 0 AND channel`` cannot work either)."""
        typed = next((v for v in values if self.of(v) not in OPEN), values[0])
        for value in values[1:]:
            self.comparable(values[0], value)
            self.comparable(typed, value)

    def common(self, node: exp.Expr, parts: Sequence[exp.Expr]) -> SqlType:
        """The type all ``parts`` share (numbers and times widen); mixed families are refused."""
        kinds = [(part, self.of(part)) for part in parts]
        known = [(part, kind) for part, kind in kinds if kind not in OPEN]
        if not known:
            return SqlType.NULL if all(kind is SqlType.NULL for _, kind in kinds) else SqlType.ANY
        first = known[0][1]
        for part, kind in known[1:]:
            if _family(kind) != _family(first):
                self.refuse(part, f"{_name(node)}: cannot mix {first.value} and {kind.value}")
        found = {kind for _, kind in known}
        for wide in (SqlType.DECIMAL, SqlType.TIMESTAMP):
            if wide in found:
                return wide
        return first


def _column(types: _Types, node: exp.Expr) -> SqlType:
    return column_type(types.columns.get(node.name, ""))


def _literal(types: _Types, node: exp.Expr) -> SqlType:
    if node.args.get("is_string"):
        return SqlType.TEXT
    digits = node.name
    if digits.isascii() and digits.isdigit():
        if len(digits) > 19 or int(digits) > BIGINT_MAX:
            types.refuse(
                node, f"the whole number {_shown(node)} is beyond 64 bits (±{BIGINT_MAX:,})"
            )
        return SqlType.INTEGER
    try:
        value = float(digits)
    except ValueError:
        return SqlType.ANY
    if not math.isfinite(value):
        types.refuse(node, f"the number {_shown(node)} is too large (beyond ±1.8e308)")
    return SqlType.DECIMAL


def _sign(types: _Types, node: exp.Expr) -> SqlType:
    return types.need_typed(node.this, NUMBERS, "a sign (-) needs a number")


def _untyped(types: _Types, node: exp.Expr, left: SqlType, right: SqlType) -> None:
    if left is right is SqlType.NULL:
        types.refuse(node, "arithmetic on NULL and NULL has no type (write CAST(NULL AS …))")


def _add_or_subtract(types: _Types, node: exp.Expr) -> SqlType:
    left, right = types.of(node.this), types.of(node.expression)
    _untyped(types, node, left, right)
    if left in TEMPORAL or right in TEMPORAL:
        return _date_arithmetic(types, node, left, right)
    types.need(node.this, NUMBERS, "arithmetic needs numbers")
    types.need(node.expression, NUMBERS, "arithmetic needs numbers")
    return _widest(left, right)


def _date_arithmetic(types: _Types, node: exp.Expr, left: SqlType, right: SqlType) -> SqlType:
    """date ± whole days is a date, date − date whole days; anything else with times is refused."""
    subtract = isinstance(node, exp.Sub)
    if subtract and left is SqlType.DATE and right in {SqlType.DATE} | OPEN:
        return SqlType.INTEGER
    if left is SqlType.DATE and right in {SqlType.INTEGER} | OPEN:
        return SqlType.DATE
    if not subtract and right is SqlType.DATE and left in {SqlType.INTEGER} | OPEN:
        return SqlType.DATE
    types.refuse(
        node,
        "only whole days can be added to or taken from a date, and only a date from a date "
        "(for other spans use date_diff('day', a, b))",
    )


def _multiply_or_divide(types: _Types, node: exp.Expr) -> SqlType:
    what = "arithmetic needs numbers"
    left = types.need(node.this, NUMBERS, what)
    right = types.need(node.expression, NUMBERS, what)
    _untyped(types, node, left, right)
    if isinstance(node, exp.Div | exp.Mod) and _is_zero(node.expression):
        types.refuse(node.expression, "division by zero: the divisor is 0")
    return SqlType.DECIMAL if isinstance(node, exp.Div) else _widest(left, right)


def _comparison(types: _Types, node: exp.Expr) -> SqlType:
    types.comparable(node.this, node.expression)
    return SqlType.BOOLEAN


def _in(types: _Types, node: exp.Expr) -> SqlType:
    types.all_comparable([node.this, *node.expressions])
    return SqlType.BOOLEAN


def _between(types: _Types, node: exp.Expr) -> SqlType:
    types.all_comparable([node.this, node.args["low"], node.args["high"]])
    return SqlType.BOOLEAN


def _is(types: _Types, node: exp.Expr) -> SqlType:
    if not isinstance(node.expression, exp.Boolean | exp.Null):
        types.refuse(node.expression, "IS takes NULL, TRUE or FALSE (use = to compare values)")
    if isinstance(node.expression, exp.Boolean):
        types.need(node.this, frozenset({SqlType.BOOLEAN}), "IS TRUE / IS FALSE needs a condition")
    else:
        types.of(node.this)
    return SqlType.BOOLEAN


def _logic(types: _Types, node: exp.Expr) -> SqlType:
    what = f"{node.key.upper()} needs conditions (true or false)"
    for operand in (node.this, node.args.get("expression")):
        if operand is not None:
            types.need(operand, frozenset({SqlType.BOOLEAN}), what)
    return SqlType.BOOLEAN


def _case(types: _Types, node: exp.Expr) -> SqlType:
    subject = node.args.get("this")
    results: list[exp.Expr] = []
    for branch in node.args.get("ifs") or []:
        if subject is not None:
            types.comparable(subject, branch.this)
        else:
            types.need(branch.this, frozenset({SqlType.BOOLEAN}), "WHEN needs a condition")
        results.append(branch.args["true"])
    if node.args.get("default") is not None:
        results.append(node.args["default"])
    return types.common(node, results)


def _if(types: _Types, node: exp.Expr) -> SqlType:
    types.need(node.this, frozenset({SqlType.BOOLEAN}), "IF needs a condition")
    branches = [node.args["true"], *([node.args["false"]] if node.args.get("false") else [])]
    return types.common(node, branches)


def _same_as_arguments(types: _Types, node: exp.Expr) -> SqlType:
    """coalesce, least, greatest: the type all arguments share."""
    return types.common(node, [node.this, *node.expressions])


def _nullif(types: _Types, node: exp.Expr) -> SqlType:
    types.comparable(node.this, node.expression)
    return types.of(node.this)


def _magnitude(types: _Types, node: exp.Expr) -> SqlType:
    """abs, floor, ceil: a number of the same type."""
    return types.need(node.this, NUMBERS, f"{_name(node)}() needs a number")


def _round(types: _Types, node: exp.Expr) -> SqlType:
    kind = types.need(node.this, NUMBERS, "round() needs a number")
    digits = node.args.get("decimals")
    if digits is not None:
        value = _number_of(digits)
        if not isinstance(value, int) or abs(value) > ROUND_DIGITS:
            types.refuse(
                digits,
                f"round()'s digits must be a whole number from {-ROUND_DIGITS} to {ROUND_DIGITS}, "
                f"not {_shown(digits)}",
            )
    return kind


def _date_part(types: _Types, node: exp.Expr) -> SqlType:
    """year(), month(): the part of a date or timestamp, a whole number."""
    types.need_typed(node.this, TEMPORAL, f"{_name(node)}() needs a date")
    return SqlType.INTEGER


def _date_diff(types: _Types, node: exp.Expr) -> SqlType:
    unit = node.args.get("unit")
    if not isinstance(unit, exp.Var):
        types.refuse(node, "date_diff() takes its unit first: 'day', 'month' or 'year'")
    types.need_typed(node.expression, TEMPORAL, "date_diff() needs dates")
    types.need_typed(node.this, TEMPORAL, "date_diff() needs dates")
    return SqlType.INTEGER


def _text_to(result: SqlType) -> Callable[[_Types, exp.Expr], SqlType]:
    def rule(types: _Types, node: exp.Expr) -> SqlType:
        types.need(node.this, frozenset({SqlType.TEXT}), f"{_name(node)}() needs text")
        return result

    return rule


def _cast(types: _Types, node: exp.Expr) -> SqlType:
    """CAST(value AS type): refused where no value of the source could convert."""
    if any(node.args.get(arg) is not None for arg in ("format", "default", "action")):
        types.refuse(node, "CAST takes a value and a type, nothing more")
    target = _cast_target(node.args["to"])
    source = types.of(node.this)
    if target in OPEN or source in OPEN:
        return target
    if _is_text_literal(node.this) or _number_of(node.this) is not None:
        _check_literal_cast(types, node.this, node.args["to"], target)
    elif target not in _CASTS[source] or _narrow_boolean(source, node.args["to"]):
        types.refuse(
            node.this, f"{source.value} cannot be cast to {target.value}: {_shown(node.this)}"
        )
    return target


def _narrow_boolean(source: SqlType, to: exp.Expr) -> bool:
    """PostgreSQL casts a condition to INTEGER only (not to BIGINT or SMALLINT)."""
    return (
        source is SqlType.BOOLEAN
        and isinstance(to, exp.DataType)
        and to.this in exp.DataType.INTEGER_TYPES
        and to.this is not exp.DataType.Type.INT
    )


def _check_literal_cast(types: _Types, value: exp.Expr, to: exp.Expr, target: SqlType) -> None:
    """A literal cast converts only if its text or number fits the type (CAST('abc' AS DATE))."""
    number = _number_of(value)
    fits = True
    if number is not None:
        source = SqlType.INTEGER if isinstance(number, int) else SqlType.DECIMAL
        fits = target in _CASTS[source] and abs(number) < _largest(to)
    elif target in TEMPORAL:
        fits = _reads_as(value.name, target)
    elif target in NUMBERS:
        fits = _reads_as_number(value.name, target)
    elif target is SqlType.BOOLEAN:
        fits = value.name.lower() in {"true", "false"}
    if not fits:
        types.refuse(value, f"{_shown(value)} cannot be cast to {to.sql(dialect='duckdb')}")


def _largest(to: exp.Expr) -> float:
    """The bound a number's magnitude must stay under to fit the type: 2^31 for INTEGER,
    10^(p − s) for DECIMAL(p, s); no bound for others."""
    if not isinstance(to, exp.DataType):
        return math.inf
    if to.this in _INTEGER_BITS:
        return float(2 ** (_INTEGER_BITS[to.this] - 1))
    params = [_number_of(p.this) for p in to.expressions if isinstance(p, exp.DataTypeParam)]
    if to.this is exp.DataType.Type.DECIMAL and params and all(isinstance(p, int) for p in params):
        precision, scale = (params + [0])[:2]
        return 10.0 ** (int(precision or 0) - int(scale or 0))
    return math.inf


def _tuple(types: _Types, node: exp.Expr) -> SqlType:
    types.refuse(node, "a list of values (…) is allowed only after IN")


def _fixed(kind: SqlType) -> Callable[[_Types, exp.Expr], SqlType]:
    return lambda types, node: kind


_RULES: dict[type[exp.Expr], Callable[[_Types, exp.Expr], SqlType]] = {
    exp.Column: _column,
    exp.Literal: _literal,
    exp.Boolean: _fixed(SqlType.BOOLEAN),
    exp.Null: _fixed(SqlType.NULL),
    exp.Paren: lambda types, node: types.of(node.this),
    exp.Neg: _sign,
    exp.Add: _add_or_subtract,
    exp.Sub: _add_or_subtract,
    exp.Mul: _multiply_or_divide,
    exp.Div: _multiply_or_divide,
    exp.Mod: _multiply_or_divide,
    exp.EQ: _comparison,
    exp.NEQ: _comparison,
    exp.GT: _comparison,
    exp.GTE: _comparison,
    exp.LT: _comparison,
    exp.LTE: _comparison,
    exp.In: _in,
    exp.Between: _between,
    exp.Is: _is,
    exp.And: _logic,
    exp.Or: _logic,
    exp.Not: _logic,
    exp.Case: _case,
    exp.If: _if,
    exp.Coalesce: _same_as_arguments,
    exp.Least: _same_as_arguments,
    exp.Greatest: _same_as_arguments,
    exp.Nullif: _nullif,
    exp.Abs: _magnitude,
    exp.Floor: _magnitude,
    exp.Ceil: _magnitude,
    exp.Round: _round,
    exp.Year: _date_part,
    exp.Month: _date_part,
    exp.DateDiff: _date_diff,
    exp.Lower: _text_to(SqlType.TEXT),
    exp.Upper: _text_to(SqlType.TEXT),
    exp.Length: _text_to(SqlType.INTEGER),
    exp.Cast: _cast,
    exp.Tuple: _tuple,
}


def _cast_target(to: exp.Expr) -> SqlType:
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


def _family(kind: SqlType) -> str:
    if kind in NUMBERS:
        return "number"
    if kind in TEMPORAL:
        return "time"
    return kind.name


def _widest(*kinds: SqlType) -> SqlType:
    numbers = [kind for kind in kinds if kind in NUMBERS]
    if SqlType.DECIMAL in numbers:
        return SqlType.DECIMAL
    if numbers:
        return SqlType.INTEGER
    return SqlType.NULL if all(kind is SqlType.NULL for kind in kinds) else SqlType.ANY


def _number_of(node: exp.Expr) -> int | float | None:
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


def _is_zero(node: exp.Expr) -> bool:
    while isinstance(node, exp.Cast):
        node = node.this
    return _number_of(node) == 0


def _is_text_literal(node: exp.Expr) -> bool:
    return isinstance(node, exp.Literal) and bool(node.args.get("is_string"))


def _reads_as(text: str, kind: SqlType) -> bool:
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


def _name(node: exp.Expr) -> str:
    if isinstance(node, exp.Case | exp.If):
        return node.key.upper()
    return node.sql_name().lower() if isinstance(node, exp.Func) else node.key.upper()


def _shown(node: exp.Expr) -> str:
    """The node as the user wrote it, shortened."""
    shown = node.sql(dialect="duckdb")
    return shown if len(shown) <= 40 else shown[:39] + "…"
