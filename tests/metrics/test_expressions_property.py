"""Property: an expression the checker accepts runs on the sandboxed DuckDB without touching a file;
an expression holding a hostile fragment is refused, with a position in its text.

Sound expressions come from a small grammar over the columns of a real contract
(enforcement_cases): columns, literals, operators, the allowed functions and casts. Hostile ones
are sound ones with one fragment put in a hole a few levels deep: a function that reads a file or
the environment, a subquery, a second statement, a cast to an unknown, nested or quoted type.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.conftest import REPO
from tests.metrics.conftest import UNIT_PATHS, write_parquet
from yardstick.calendar import YearRange
from yardstick.datasets.contract import ColumnType, Contract, load_contract
from yardstick.errors import YardstickError
from yardstick.metrics.catalog import shape_of
from yardstick.metrics.definition import definition_from_data
from yardstick.metrics.engines import BatchInput
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.errors import ExpressionError, QueryTimeLimitError, UnsafeQueryError
from yardstick.metrics.expressions import check_expression
from yardstick.metrics.run import MetricInputs, compute_values

CONTRACT = load_contract(REPO / "plans" / "moj-106-109" / "datasets" / "enforcement_cases.yaml")
assert isinstance(CONTRACT, Contract)
SHAPE = shape_of(CONTRACT)
PARQUET_TYPES = {"string": "VARCHAR", "decimal": "DOUBLE", "date": "DATE"}  # as ingest writes them


def _columns(kind: ColumnType) -> list[str]:
    return [column.name for column in CONTRACT.columns if column.type is kind]


NUMBERS, TEXTS, DATES = (
    _columns(ColumnType.DECIMAL),
    _columns(ColumnType.STRING),
    _columns(ColumnType.DATE),
)
SECRET, WRITTEN = "%SECRET%", "%WRITTEN%"  # replaced by paths in the test's own folder


def _join(template: str) -> Callable[[tuple[str, ...]], str]:
    return lambda parts: template.format(*parts)


DECIMALS = st.builds(lambda a, b: f"{a}.{b}", st.integers(0, 999), st.integers(1, 9))
WORDS = st.sampled_from(["完全繳清", "部分繳清", "撤回", "a", "it''s", "x;y", "-- z", "/* w */"])
JUNK_TYPES = st.one_of(
    st.sampled_from(
        ["JSON", "BLOB", "INT[]", "STRUCT(a INT)", "MAP(INT, INT)", "TIMESTAMPTZ", "UUID"]
        + ["INTERVAL", "HUGEINT", "DECIMAL(99, 1)", "TIMESTAMP(3)", "oid", "main.oid"]
    ),
    st.from_regex(r"x_[a-z]{1,6}", fullmatch=True),
    st.text(st.sampled_from("abcXYZ019 ()*+-/;,.'=<>$_中"), max_size=30).map(
        lambda junk: f'"x {junk}"'
    ),
    st.sampled_from(["DOUBLE", "INTEGER", "VARCHAR"]).map(lambda known: f'"{known}"'),
)
ATTACKS = [
    f"length(read_text('{SECRET}'))",
    f"(SELECT count(*) FROM read_csv('{SECRET}'))",
    f"length(read_blob('{SECRET}'))",
    "(SELECT 1)",
    "random()",
    "length(getenv('HOME'))",
    "length(current_setting('threads'))",
    f"length(pg_read_file('{SECRET}'))",
    f"paid_amount; COPY (SELECT 42) TO '{WRITTEN}'",
]


@cache
def numbers(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(NUMBERS), DECIMALS)
    if depth == 0:
        return leaf
    sub, flag, text, day = numbers(depth - 1), booleans(depth - 1), texts(depth - 1), dates()
    return st.one_of(
        leaf,
        st.tuples(sub, st.sampled_from("+-*"), sub).map(_join("({} {} {})")),
        st.tuples(sub, DECIMALS).map(_join("({} / {})")),
        st.tuples(sub).map(_join("abs({})")),
        st.tuples(sub, st.integers(0, 4).map(str)).map(_join("round({}, {})")),
        st.tuples(sub, sub).map(_join("coalesce({}, {})")),
        st.tuples(sub, sub).map(_join("least({}, {})")),
        st.tuples(sub, sub).map(_join("greatest({}, {})")),
        st.tuples(sub).map(_join("floor({})")),
        st.tuples(sub).map(_join("ceil({})")),
        st.tuples(sub, st.sampled_from(["DOUBLE", "DECIMAL(18, 2)"])).map(_join("CAST({} AS {})")),
        st.tuples(day, day).map(_join("date_diff('day', {}, {})")),
        st.tuples(day).map(_join("year({})")),
        st.tuples(day).map(_join("month({})")),
        st.tuples(text).map(_join("length({})")),
        st.tuples(flag, sub, sub).map(_join("CASE WHEN {} THEN {} ELSE {} END")),
    )


@cache
def texts(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(st.sampled_from(TEXTS), WORDS.map(lambda word: f"'{word}'"))
    if depth == 0:
        return leaf
    sub = texts(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub).map(_join("lower({})")),
        st.tuples(sub).map(_join("upper({})")),
        st.tuples(sub, sub).map(_join("coalesce({}, {})")),
        st.tuples(sub).map(_join("CAST({} AS VARCHAR)")),
    )


@cache
def dates() -> st.SearchStrategy[str]:
    return st.sampled_from([*DATES, "DATE '2020-01-01'"])


@cache
def booleans(depth: int) -> st.SearchStrategy[str]:
    number, text = numbers(max(depth - 1, 0)), texts(max(depth - 1, 0))
    leaf = st.one_of(
        st.tuples(number, st.sampled_from(["=", "<>", "<", "<=", ">", ">="]), number).map(
            _join("{} {} {}")
        ),
        st.tuples(text, st.sampled_from(["=", "<>"]), text).map(_join("{} {} {}")),
        st.tuples(text, WORDS, WORDS).map(_join("{} IN ('{}', '{}')")),
        st.tuples(number, number, number).map(_join("{} BETWEEN {} AND {}")),
        st.sampled_from(NUMBERS + TEXTS + DATES).map(lambda column: f"{column} IS NULL"),
        st.tuples(dates(), dates()).map(_join("{} < {}")),
    )
    if depth == 0:
        return leaf
    sub = booleans(depth - 1)
    return st.one_of(
        leaf,
        st.tuples(sub).map(_join("NOT ({})")),
        st.tuples(sub, st.sampled_from(["AND", "OR"]), sub).map(_join("({} {} {})")),
    )


HOLES = [
    "({} + {})",
    "coalesce({}, {})",
    "CASE WHEN {} > {} THEN 1 ELSE 0 END",
    "greatest(abs({}), {})",
    "round({}, 2) - {}",
]


@cache
def hostile(depth: int) -> st.SearchStrategy[str]:
    """A number expression holding exactly one hostile fragment, ``depth`` holes deep."""
    if depth == 0:
        junk_cast = st.tuples(numbers(1), JUNK_TYPES).map(_join("CAST({} AS {})"))
        return st.one_of(junk_cast, st.sampled_from(ATTACKS))
    inner = hostile(depth - 1)
    placed = st.tuples(st.sampled_from(HOLES), inner, numbers(1), st.booleans())
    return st.one_of(
        inner,
        placed.map(lambda p: p[0].format(*((p[1], p[2]) if p[3] else (p[2], p[1])))),
    )


SOUND = st.one_of(
    st.tuples(st.just("filter"), booleans(3)), st.tuples(st.just("expression"), numbers(3))
)
HOSTILE = st.one_of(
    hostile(3).map(lambda text: ("expression", text)),
    st.tuples(booleans(1), hostile(2)).map(lambda p: ("filter", f"{p[0]} AND {p[1]} > 0")),
    booleans(2).map(lambda text: ("filter", f"{text}; COPY (SELECT 42) TO '{WRITTEN}'")),
)


@pytest.fixture(scope="module")
def engine(folder: Path) -> Iterator[_Shared]:
    batches = {"enforcement_cases": [_batch(folder)]}
    engine = _Shared(batches, UNIT_PATHS, time_limit=10)
    yield engine
    engine.really_close()


def _batch(folder: Path) -> BatchInput:
    return BatchInput("enforcement_cases", "b", folder / "enforcement_cases.parquet", "x", 2)


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("property")
    (root / "secret.txt").write_text("not for metric definitions")
    columns = {c.name: PARQUET_TYPES[c.type.value] for c in CONTRACT.columns}
    row = {
        "case_id": "A1",
        "branch": "AEA.TPE",
        "obligation_type": "稅款",
        "received_on": date(2019, 3, 1),
        "closed_on": date(2020, 5, 6),
        "referred_amount": 150000.0,
        "paid_amount": 80000.0,
        "closure": "部分繳清",
    }
    rows = [tuple(row[name] for name in columns), tuple(None for _ in columns)]
    write_parquet(root / "enforcement_cases.parquet", columns, rows)
    return root


class _Shared(DuckDBEngine):
    """One engine for every example (it is the slow part to set up): each run's ``close`` only
    records whether the sandbox is still locked; the fixture closes it at the end."""

    locked: list[bool] = []

    def close(self) -> None:
        [(external, locked)] = self.sandbox.run(
            "SELECT current_setting('enable_external_access'), current_setting('lock_configuration')"
        )
        self.locked.append(not external and locked)

    def really_close(self) -> None:
        super().close()


def _files(folder: Path) -> set[Path]:
    return set(folder.rglob("*"))


def _run(engine: _Shared, field: str, text: str) -> None:
    aggregate: dict[str, object] = {"dataset": "enforcement_cases", "function": "count"}
    if field == "expression":
        aggregate = {**aggregate, "function": "sum", "expression": text}
    else:
        aggregate["filter"] = text
    definition = definition_from_data(
        {
            "kpi": "t-1",
            "version": 1,
            "unit": "",
            "interpretation": {"zh": "測試", "en": "test"},
            "kind": "aggregate",
            "measure": aggregate,
        }
    )
    inputs = MetricInputs({"enforcement_cases": SHAPE}, engine.inputs, UNIT_PATHS, "MOJ")
    compute_values([definition], inputs, YearRange(109, 109), lambda _: engine)  # type: ignore[list-item]


def _placed(folder: Path, template: str) -> str:
    text = template.replace(SECRET, str(folder / "secret.txt"))
    return text.replace(WRITTEN, str(folder / "written.csv"))


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(case=SOUND)
def test_a_sound_expression_is_accepted_and_runs_sandboxed_touching_no_file(
    folder: Path, engine: _Shared, case: tuple[str, str]
) -> None:
    field, text = case
    check_expression(text, SHAPE.columns)
    before = _files(folder)
    with contextlib.chdir(folder):
        try:
            _run(engine, field, text)
        except (UnsafeQueryError, QueryTimeLimitError):
            raise
        except (YardstickError, duckdb.ConversionException, duckdb.OutOfRangeException):
            pass  # a data error (a value the cast or the arithmetic cannot hold), not a way out
    assert _files(folder) == before
    assert engine.locked and all(engine.locked)


@settings(max_examples=300, deadline=None, derandomize=True, database=None)
@given(case=HOSTILE)
def test_an_expression_holding_a_hostile_fragment_is_refused_with_a_position(
    folder: Path, case: tuple[str, str]
) -> None:
    _, template = case
    text = _placed(folder, template)
    with pytest.raises(ExpressionError) as caught:
        check_expression(text, SHAPE.columns)
    assert 0 <= caught.value.position <= len(text), (text, caught.value.position)
