"""An expression too long, too deep or unterminated is refused with a position, never a traceback."""

from __future__ import annotations

import pytest

from tests.metrics.conftest import Compute, value_of
from yardstick.metrics.catalog import check_definition
from yardstick.metrics.definition import definition_from_data
from yardstick.metrics.errors import ExpressionError
from yardstick.metrics.expression_limits import MAX_DEPTH, MAX_LENGTH, MAX_NESTING, MAX_NODES
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.formula import check_formula

COLUMNS = {"channel": "string", "amount": "decimal", "ok": "boolean", "x": "integer"}


@pytest.mark.parametrize(
    ("text", "position", "reason"),
    [
        ("channel = 'abc", 10, "a string opened here is never closed (a ' is missing)"),
        ("channel = 'it''s", 10, "a string opened here is never closed"),
        ("amount > 1 /* y", 11, "a comment opened here is never closed (*/ is missing)"),
        ('"amount > 1', 0, 'a quoted name opened here is never closed (a " is missing)'),
        ("channel = 'a' AND channel = e'b\\'", 28, "a string opened here is never closed"),
    ],
)
def test_an_unterminated_string_or_comment_is_refused_where_it_opens(
    text: str, position: int, reason: str
) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, COLUMNS)
    assert caught.value.position == position
    assert reason in caught.value.reason


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("(" * 5000 + "amount" + ")" * 5000 + " > 1", f"deeper than {MAX_NESTING} levels"),
        ("abs(" * 2000 + "amount" + ")" * 2000 + " > 1", f"deeper than {MAX_NESTING} levels"),
        ("NOT " * 4000 + "ok", f"deeper than {MAX_NESTING} levels"),
        ("- " * 5000 + "amount > 1", f"deeper than {MAX_NESTING} levels"),
        ("CASE WHEN ok THEN " * 800 + "1" + " END" * 800 + " > 0", "deeper than"),
        ("+".join(["x"] * 5000) + " > 1", f"deeper than {MAX_DEPTH} levels"),
        (" OR ".join(["ok"] * 3000), f"deeper than {MAX_DEPTH} levels"),
        ("channel IN (" + ", ".join(["'a'"] * 3000) + ")", f"more than {MAX_NODES:,} parts"),
        ("amount > " + "1" * (MAX_LENGTH + 1), f"at most {MAX_LENGTH:,}"),
        ("x" + "[1]" * 3000 + " > 1", "nests too deeply to read"),  # the parser recurses
        ("x" + "::INT" * 3000 + " > 1", f"deeper than {MAX_DEPTH} levels"),
    ],
    ids=[
        "parens",
        "functions",
        "not",
        "signs",
        "case",
        "sum",
        "or",
        "in-list",
        "length",
        "subscripts",
        "casts",
    ],  # fmt: skip
)
def test_a_huge_or_deep_expression_is_refused_not_a_recursion_error(text: str, reason: str) -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, COLUMNS)
    assert reason in caught.value.reason


def test_the_nesting_error_points_at_the_first_level_too_many() -> None:
    with pytest.raises(ExpressionError) as caught:
        check_expression("(" * 5000 + "amount" + ")" * 5000 + " > 1", COLUMNS)
    assert caught.value.position == MAX_NESTING


def test_a_5000_term_formula_is_refused_by_kpi_check() -> None:
    formula = "+".join(["a"] * 5000)
    with pytest.raises(ExpressionError, match=f"deeper than {MAX_DEPTH} levels"):
        check_formula(formula, ["a"])
    definition = definition_from_data(
        {
            "kpi": "t-1",
            "version": 1,
            "kind": "formula",
            "unit": "件",
            "interpretation": {"zh": "測試", "en": "test"},
            "inputs": {"a": {"dataset": "cases", "function": "count"}},
            "expression": formula,
        }
    )
    [fault] = check_definition(definition, {}, None)[1:]
    assert fault.message.startswith("formula: the expression nests deeper than")


def test_what_the_limits_accept_compiles_and_runs_on_duckdb(compute: Compute) -> None:
    """At the limits, nothing in checking, compiling, rendering or running recurses too far."""
    nested = "(" * (MAX_NESTING - 1) + "amount" + ")" * (MAX_NESTING - 1) + " > 0"
    chain = " + ".join(["amount"] * (MAX_DEPTH - 8)) + " > 0"
    definition = {
        "kpi": "t-1",
        "version": 1,
        "unit": "件",
        "interpretation": {"zh": "測試", "en": "test"},
        "kind": "formula",
        "inputs": {
            "nested": {"dataset": "cases", "function": "count", "filter": nested},
            "chain": {"dataset": "cases", "function": "count", "filter": chain},
        },
        "expression": " + ".join(["nested"] * 30) + " - " + " - ".join(["chain"] * 29),
    }
    rows = [("1", "AEA.TPE", "2020-03-01", 5), ("2", "IB", "2020-04-01", -5)]
    columns = {"case_id": "VARCHAR", "branch": "VARCHAR", "closed_on": "DATE", "amount": "BIGINT"}
    values = compute(definition, {"cases": (columns, "closed_on", "branch", rows)}, years="109")
    assert value_of(values, 109).value == 1.0
    assert value_of(values, 109, "AEA").value == 1.0


def test_checking_takes_time_linear_in_the_expression() -> None:
    """Each node is typed once: typing an operand again per parent would double per level."""
    import time

    started = time.perf_counter()
    check_expression(" + ".join(["amount"] * 22) + " > 0", COLUMNS)
    check_expression("x IN (" + ", ".join(["x + x"] * 200) + ")", COLUMNS)
    assert time.perf_counter() - started < 1.0
