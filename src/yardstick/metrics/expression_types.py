"""The type of every node of a metric expression, inferred from the contract's column types.

The node whitelist (:mod:`yardstick.metrics.expressions`) says which constructs may appear; this
says whether they can work on the values they get. An engine refuses text cast to a number,
arithmetic on text, a date compared with a number, a modulus by 0 or ``round(x, 999999999999)``
only once the query runs — over the records, with its own multi-line message. Here each is
refused with its position before any data is read. What still depends on the records (an
overflow, a zero in a column used as a divisor) is reported by the runner, for that KPI alone.

Types are the families of :mod:`.sql_types`; which casts work is :mod:`.type_conversions`. A
construct this module does not know is typed ``ANY`` and fits anywhere: the whitelist is what
refuses it.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from enum import Enum
from typing import NoReturn

from sqlglot import exp

from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expression_limits import node_start
from yardstick.metrics.sql_types import (
    BIGINT_MAX,
    NUMBERS,
    OPEN,
    TEMPORAL,
    SqlType,
    column_type,
    family,
    shown,
    widest,
)
from yardstick.metrics.type_conversions import (
    cast_problem,
    cast_target,
    is_text_literal,
    number_of,
    reads_as,
)

ROUND_DIGITS = 20
"""round(x, d) takes d from −20 to 20: a double has 17 significant digits."""


class Role(Enum):
    """What a whole expression must be: a filter is a condition, an aggregated value a number."""

    CONDITION = "a filter must be a condition (true or false)"
    NUMBER = "the value to aggregate must be a number"


_WANTED = {Role.CONDITION: frozenset({SqlType.BOOLEAN}), Role.NUMBER: NUMBERS}
_FITS = {role: frozenset({SqlType.ANY}) for role in Role}  # NULL has no type: sum(NULL) fails
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
            self.refuse(node, f"{what}, not {kind.value}: {shown(node)}")
        return kind

    def comparable(self, left: exp.Expr, right: exp.Expr) -> None:
        """Two values that SQL can compare (a text literal reads as a date if it is one)."""
        a, b = self.of(left), self.of(right)
        if a in OPEN or b in OPEN or family(a) == family(b):
            return
        for literal, other in ((left, b), (right, a)):
            if other in TEMPORAL and is_text_literal(literal):
                if not reads_as(literal.name, other):
                    self.refuse(literal, f"{shown(literal)} is not {other.value} (YYYY-MM-DD)")
                return
        self.refuse(right, f"cannot compare {a.value} with {b.value}: {shown(right)}")

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
            if family(kind) != family(first):
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
                node, f"the whole number {shown(node)} is beyond 64 bits (±{BIGINT_MAX:,})"
            )
        return SqlType.INTEGER
    try:
        value = float(digits)
    except ValueError:
        return SqlType.ANY
    if not math.isfinite(value):
        types.refuse(node, f"the number {shown(node)} is too large (beyond ±1.8e308)")
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
    return widest(left, right)


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
    return SqlType.DECIMAL if isinstance(node, exp.Div) else widest(left, right)


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
        value = number_of(digits)
        if not isinstance(value, int) or abs(value) > ROUND_DIGITS:
            types.refuse(
                digits,
                f"round()'s digits must be a whole number from {-ROUND_DIGITS} to {ROUND_DIGITS}, "
                f"not {shown(digits)}",
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
    """CAST(value AS type): refused where the value could not convert (see type_conversions)."""
    if any(node.args.get(arg) is not None for arg in ("format", "default", "action")):
        types.refuse(node, "CAST takes a value and a type, nothing more")
    to = node.args["to"]
    target = cast_target(to)
    source = types.of(node.this)
    if target in OPEN or source in OPEN:
        return target
    problem = cast_problem(node.this, source, to, target)
    if problem is not None:
        types.refuse(node.this, problem)
    return target


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


def _is_zero(node: exp.Expr) -> bool:
    while isinstance(node, exp.Cast):
        node = node.this
    return number_of(node) == 0


def _name(node: exp.Expr) -> str:
    if isinstance(node, exp.Case | exp.If):
        return node.key.upper()
    return node.sql_name().lower() if isinstance(node, exp.Func) else node.key.upper()
