"""The checks (檢核) a contract asks of every row, as SQLGlot conditions that are TRUE on a fault.

Per column: the value's type (``type``), emptiness (``required``), ``allowed_values``,
``minimum`` / ``maximum`` and, for the org-unit column, membership of the org units the batch may
hold (``org_unit``); then each cross-column rule of the contract under its own name. Keys and
``unique`` columns are checked across rows by the validator, not here.

Conditions read two sets of columns: the typed value under the contract's column name, and the
text as it came in under :func:`raw_name`. Everything from the contract (names, allowed values,
bounds, messages) enters the query as SQLGlot identifiers and literals, quoted by SQLGlot.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlglot import exp

from yardstick.datasets.contract import Bound, Column, ColumnType, Contract
from yardstick.datasets.rules import parse_rule, referenced_columns

TRUE_WORDS = ("true", "t", "1", "y", "yes", "是", "有", "v")
FALSE_WORDS = ("false", "f", "0", "n", "no", "否", "無")

_TYPE_NAMES = {
    ColumnType.STRING: ("text", "文字"),
    ColumnType.INTEGER: ("whole number", "整數"),
    ColumnType.DECIMAL: ("number", "數值"),
    ColumnType.BOOLEAN: ("yes/no value (true/false, 是/否)", "是否值（true/false、是/否）"),
    ColumnType.DATE: ("date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    ColumnType.TIMESTAMP: ("date and time (YYYY-MM-DD HH:MM:SS)", "日期時間"),
}
_THOUSANDS = r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?"
TRIMMED_TYPES = {ColumnType.STRING, ColumnType.BOOLEAN}
"""Column types whose text is trimmed before it is judged; the others may carry spaces."""


@dataclass(frozen=True)
class Check:
    """One check: TRUE ``condition`` means the row breaks it; ``value`` shows what was found."""

    code: int
    column: str
    rule: str
    message_en: str
    message_zh: str
    condition: exp.Expr
    value: exp.Expr


def raw_name(index: int) -> str:
    """The name under which the ``index``-th column's text travels next to its typed value."""
    return f"__raw_{index}"


def ident(name: str) -> exp.Column:
    """A quoted column reference."""
    return exp.column(exp.to_identifier(name, quoted=True))


def typed_value(column: Column, raw: exp.Expr) -> exp.Expr:
    """The typed value of a column from its trimmed, non-empty text (NULL when it does not parse)."""
    match column.type:
        case ColumnType.STRING:
            return raw
        case ColumnType.INTEGER:
            whole = _number(raw, "BIGINT")
            number = _number(raw, "DOUBLE")  # BIGINT rounds 1.5 to 2: only whole numbers
            return exp.case().when(exp.EQ(this=number, expression=whole.copy()), whole, copy=False)
        case ColumnType.DECIMAL:
            number = _number(raw, "DOUBLE")
            return exp.case().when(exp.func("isfinite", number.copy(), copy=False), number)
        case ColumnType.BOOLEAN:
            lowered = exp.Lower(this=raw)
            return (
                exp.case()
                .when(lowered.copy().isin(*TRUE_WORDS), exp.true(), copy=False)
                .when(lowered.copy().isin(*FALSE_WORDS), exp.false(), copy=False)
            )
        case ColumnType.DATE:
            # ISO first, as DuckDB casts it; the ROC patterns only where that gives nothing
            roc = exp.TryCast(this=roc_or_gregorian_date(raw), to=exp.DataType.build("DATE"))
            return exp.Coalesce(this=_gregorian_date(raw), expressions=[roc])
        case ColumnType.TIMESTAMP:
            return exp.TryCast(this=raw, to=exp.DataType.build("TIMESTAMP"))


def _gregorian_date(raw: exp.Expr) -> exp.Expr:
    """The date DuckDB casts the text to (``2017-01-05``, ``2017/1/5``), if its year has four
    digits: ``106/01/05`` casts to the year 106 and is left to the ROC patterns. DuckDB also
    reads the word ``epoch`` as 1970-01-01 and ``infinity`` as a date; neither is a date here.
    """
    date = exp.TryCast(this=raw.copy(), to=exp.DataType.build("DATE"))
    epoch = _date("1970-01-01")
    plausible = exp.and_(
        exp.Between(this=date.copy(), low=_date("1000-01-01"), high=_date("9999-12-31")),
        exp.or_(
            exp.NEQ(this=date.copy(), expression=epoch),
            exp.func("contains", raw.copy(), exp.Literal.string("1970"), copy=False),
        ),
    )
    return exp.case().when(plausible, date, copy=False)


def _date(text: str) -> exp.Expr:
    return exp.cast(exp.Literal.string(text), "DATE")


_ROC_DATE = r"([0-9]{2,3})[/.\-]([0-9]{1,2})[/.\-]([0-9]{1,2})"
_ROC_COMPACT = r"([0-9]{3})([0-9]{2})([0-9]{2})"
_GREGORIAN_COMPACT = r"([0-9]{4})([0-9]{2})([0-9]{2})"


def roc_or_gregorian_date(raw: exp.Expr) -> exp.Expr:
    """Date text that is not ISO, as ISO: ROC dates as Taiwanese systems export them
    (``106/01/05``, ``106.1.5``, ``1060105``) become ``2017-01-05``, and ``20170105`` becomes
    ``2017-01-05``; anything else becomes NULL (a type fault)."""

    def iso(pattern: str, roc: bool) -> exp.Expr:
        group = _group(raw, pattern, 1)
        year: exp.Expr = exp.TryCast(this=group, to=exp.DataType.build("INT"))
        if roc:
            year = exp.Add(this=year, expression=exp.Literal.number(1911))
        text: exp.Expr = exp.cast(year, "VARCHAR")
        for index in (2, 3):
            part = _group(raw, pattern, index)
            padded = exp.func(
                "lpad", part, exp.Literal.number(2), exp.Literal.string("0"), copy=False
            )
            text = exp.DPipe(
                this=exp.DPipe(this=text, expression=exp.Literal.string("-")), expression=padded
            )
        return text

    def matches(pattern: str) -> exp.Expr:
        return exp.func("regexp_full_match", raw.copy(), exp.Literal.string(pattern), copy=False)

    return (
        exp.case()
        .when(matches(_ROC_DATE), iso(_ROC_DATE, roc=True), copy=False)
        .when(matches(_ROC_COMPACT), iso(_ROC_COMPACT, roc=True), copy=False)
        .when(matches(_GREGORIAN_COMPACT), iso(_GREGORIAN_COMPACT, roc=False), copy=False)
    )


def _group(raw: exp.Expr, pattern: str, index: int) -> exp.Expr:
    return exp.RegexpExtract(
        this=raw.copy(), expression=exp.Literal.string(pattern), group=exp.Literal.number(index)
    )


def _number(raw: exp.Expr, to: str) -> exp.Expr:
    """The text as a number of type ``to``: as DuckDB casts it, else with thousands separators
    (``1,234,567.5``) taken out; NULL when neither works. The second try runs only on the rows
    where the first gave NULL."""
    cast = exp.TryCast(this=raw.copy(), to=exp.DataType.build(to))
    grouped = exp.and_(
        exp.func("contains", raw.copy(), exp.Literal.string(","), copy=False),
        exp.func("regexp_full_match", raw.copy(), exp.Literal.string(_THOUSANDS), copy=False),
    )
    stripped = exp.func(
        "replace", raw.copy(), exp.Literal.string(","), exp.Literal.string(""), copy=False
    )
    without = exp.TryCast(
        this=exp.case().when(grouped, stripped, copy=False), to=exp.DataType.build(to)
    )
    return exp.Coalesce(this=cast, expressions=[without])


def literal(value: Bound | str) -> exp.Expr:
    """A contract value as an SQL literal (dates as typed ``DATE '…'`` literals)."""
    if isinstance(value, dt.datetime):
        return exp.cast(exp.Literal.string(value.isoformat(" ")), "TIMESTAMP")
    if isinstance(value, dt.date):
        return exp.cast(exp.Literal.string(value.isoformat()), "DATE")
    return exp.convert(value)


def contract_checks(contract: Contract, org_unit_codes: Sequence[str] | None = None) -> list[Check]:
    """Every per-row check of ``contract``, numbered from 1 in a stable order.

    ``org_unit_codes``: the codes the org-unit column may hold (None: not checked).
    """
    checks: list[Check] = []
    for index, column in enumerate(contract.columns):
        checks.extend(_column_checks(column, index))
    if org_unit_codes is not None:
        checks.append(_org_unit_check(contract, org_unit_codes))
    checks.extend(_rule_checks(contract))
    return [replace(check, code=code) for code, check in enumerate(checks, start=1)]


def _is_null(value: exp.Expr) -> exp.Expr:
    return exp.Is(this=value.copy(), expression=exp.null())


def _only_if(gate: exp.Expr, condition: exp.Expr) -> exp.Expr:
    """``gate AND condition``, with ``condition`` evaluated only on the rows where ``gate`` holds.

    DuckDB evaluates both sides of an ``AND`` on every row; a ``CASE`` evaluates its branch only
    on the rows its ``WHEN`` selects, which matters when ``condition`` copies strings (``TRIM``).
    """
    return exp.case().when(gate, condition, copy=False).else_(exp.false())


def _blank(raw: exp.Expr) -> exp.Expr:
    """Only spaces: empty (for the types whose text is not trimmed before it is judged)."""
    return exp.EQ(this=exp.Trim(this=raw.copy()), expression=exp.Literal.string(""))


def _column_checks(column: Column, index: int) -> list[Check]:
    """Type and emptiness first, then allowed values and bounds.

    A type or emptiness fault needs ``typed IS NULL``, false on almost every row; the rest of
    the condition is evaluated only where it holds (see :func:`_only_if`).
    """
    raw, typed, name = ident(raw_name(index)), ident(column.name), column.name
    type_en, type_zh = _TYPE_NAMES[column.type]
    checks = []
    if column.type is ColumnType.STRING:
        checks.append(_nul_check(name, raw))
    else:
        not_blank = [] if column.type in TRIMMED_TYPES else [exp.not_(_blank(raw))]
        checks.append(
            Check(
                0,
                name,
                "type",
                f"not a valid {type_en}",
                f"不是有效的{type_zh}",
                _only_if(_is_null(typed), exp.and_(exp.not_(_is_null(raw)), *not_blank)),
                raw,
            )
        )
    if not column.nullable:
        empty = (
            _is_null(raw)
            if column.type in TRIMMED_TYPES
            else _only_if(_is_null(typed), exp.or_(_is_null(raw), _blank(raw)))
        )
        checks.append(
            Check(0, name, "required", "empty, but a value is required", "必填欄位空白", empty, raw)
        )
    if column.allowed_values is not None:
        shown = ", ".join(str(value) for value in column.allowed_values)
        allowed = [literal(value) for value in column.allowed_values]
        checks.append(
            Check(
                0,
                name,
                "allowed_values",
                f"not one of: {shown}",
                f"不在允許值內：{shown}",
                exp.not_(typed.copy().isin(*allowed)),
                raw,
            )
        )
    if column.minimum is not None:
        checks.append(
            Check(
                0,
                name,
                "minimum",
                f"below the minimum {column.minimum}",
                f"小於最小值 {column.minimum}",
                exp.LT(this=typed.copy(), expression=literal(column.minimum)),
                raw,
            )
        )
    if column.maximum is not None:
        checks.append(
            Check(
                0,
                name,
                "maximum",
                f"above the maximum {column.maximum}",
                f"大於最大值 {column.maximum}",
                exp.GT(this=typed.copy(), expression=literal(column.maximum)),
                raw,
            )
        )
    return checks


def _nul_check(name: str, raw: exp.Expr) -> Check:
    """Text is valid text, but for the NUL character (a damaged or binary file): no database
    column holds it (PostgreSQL refuses it), so it never reaches a batch."""
    nul = exp.func("contains", raw.copy(), exp.func("chr", exp.Literal.number(0)), copy=False)
    return Check(
        0,
        name,
        "type",
        "text holding a NUL character (0x00), which no database column holds",
        "文字含 NUL 字元（0x00），資料庫欄位無法存放",
        nul,
        raw,
    )


def _org_unit_check(contract: Contract, codes: Sequence[str]) -> Check:
    index = contract.column_names.index(contract.org_unit_column)
    typed = ident(contract.org_unit_column)
    condition = exp.not_(typed.isin(*(exp.Literal.string(code) for code in codes)))
    return Check(
        0,
        contract.org_unit_column,
        "org_unit",
        "not the code of an org unit this batch may hold (see orgunits.yaml)",
        "不是本批次所屬機關之代碼（見 orgunits.yaml）",
        condition,
        ident(raw_name(index)),
    )


def _rule_checks(contract: Contract) -> list[Check]:
    checks = []
    for rule in contract.rules:
        tree = parse_rule(rule.expression, contract.column_names, rule.name)
        columns = referenced_columns(tree)
        quoted = tree.transform(_quote_columns)
        checks.append(
            Check(
                0,
                ", ".join(columns),
                rule.name,
                rule.message_en,
                rule.message_zh,
                exp.not_(exp.paren(quoted)),
                _shown_values(contract, columns),
            )
        )
    return checks


def _quote_columns(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Column):
        return ident(node.name)
    return node


def _shown_values(contract: Contract, columns: list[str]) -> exp.Expr:
    """``paid_amount=500; referred_amount=300``: the texts a rule read, for the report."""
    parts: list[exp.Expr] = []
    for name in columns:
        raw = ident(raw_name(contract.column_names.index(name)))
        text = exp.func("coalesce", raw, exp.Literal.string(""), copy=False)
        parts.append(exp.DPipe(this=exp.Literal.string(f"{name}="), expression=text))
    return exp.Anonymous(this="concat_ws", expressions=[exp.Literal.string("; "), *parts])


def fault_screen(contract: Contract, checks: Sequence[Check]) -> exp.Expr:
    """A condition true exactly on the rows that fail at least one of ``checks``, cheaper to
    evaluate on every row than the ``OR`` of their conditions.

    On a column that may not be empty, the ``type`` and ``required`` checks together fail
    exactly when the typed value is NULL (empty text fails ``required``, text that does not
    parse fails ``type``), so one ``IS NULL`` stands for both — but for text, which is typed as
    itself: its ``type`` check (a NUL character) is screened on its own.
    """
    required = {column.name for column in contract.columns if not column.nullable}
    screens: list[exp.Expr] = [
        _is_null(ident(name)) for name in contract.column_names if name in required
    ]
    text = {column.name for column in contract.columns if column.type is ColumnType.STRING}
    for check in checks:
        if check.rule in ("type", "required") and check.column in required:
            if not (check.rule == "type" and check.column in text):  # text's NUL check
                continue
        screens.append(check.condition.copy())
    return exp.or_(*screens) if screens else exp.false()
