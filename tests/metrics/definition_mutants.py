"""Mutants of the shipped metric definitions, and a sandbox that runs them as users would.

Every mutant starts from a real definition in ``plans/moj-106-109/metrics/`` and changes its YAML
text (truncated, a line lost or doubled, characters typed in, a value replaced) or its structure
(a kind swapped, an expression replaced by generated SQL, a number made huge, NaN or infinite, a
dataset or column that does not exist, a value of the wrong type). The sandbox loads, checks and
computes a mutant over real batches, and runs the CLI on it; the property is that only our own
errors (:class:`~yardstick.errors.YardstickError`, one line) or values come out.

Shared by ``tests/metrics/test_fuzz_definitions.py`` (seeded, a few seconds) and
``benchmarks/fuzz_definitions.py`` (as many examples as asked).
"""

from __future__ import annotations

import math
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

from tests.deployment import Ran, run
from yardstick.calendar import YearRange
from yardstick.errors import YardstickError
from yardstick.metrics.catalog import COMPUTED, check_definition, load_definition
from yardstick.metrics.definition import ManualDefinition
from yardstick.metrics.engines.duckdb import DuckDBEngine
from yardstick.metrics.manual import compute_manual
from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue
from yardstick.metrics.run import compute_values

PLAN_DIR = Path(__file__).resolve().parents[2] / "plans" / "moj-106-109"
SHIPPED = {path.stem: path.read_text(encoding="utf-8") for path in PLAN_DIR.glob("metrics/*.yaml")}
CODES = sorted(SHIPPED)
YEARS = YearRange(108, 109)
PLAN_CODE = "fuzz"
"""The code the sandbox stores its mutated plan folder under."""
DATASET_COLUMNS = {
    data["name"]: [column["name"] for column in data.get("columns", [])]
    for data in (
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in PLAN_DIR.glob("datasets/*.yaml")
    )
}
DATASETS = sorted(DATASET_COLUMNS)
COLUMNS = sorted({column for columns in DATASET_COLUMNS.values() for column in columns})
UNKNOWN_NAMES = ["x", "amount", "Closure", "種類", '"closure"', "t.closure", "select", "year"]
FUNCTIONS = [
    "abs", "round", "coalesce", "nullif", "least", "greatest", "year", "month", "date_diff",
    "lower", "upper", "length", "floor", "ceil", "sum", "count", "read_text", "system", "now",
    "random", "concat", "strftime", "try_cast", "regexp_matches",
]  # fmt: skip
TYPES = ["INTEGER", "BIGINT", "TINYINT", "DOUBLE", "DECIMAL(2,1)", "VARCHAR", "DATE", "TIMESTAMP",
         "BOOLEAN", "INTERVAL", '"oid"', "BOGUS", "INT[]"]  # fmt: skip
OPERATORS = ["+", "-", "*", "/", "%", "=", "<>", "<", ">=", "AND", "OR", "||", "::INT +", "IS"]
NUMBERS = ["0", "0.0", "-0", "1", "2", "0.5", "1e309", "-1e309", "1e308", "1e-400", "nan", "inf",
           "9223372036854775807", "9223372036854775808", "-9223372036854775808",
           "99999999999999999999999999999999999999", "1" * 50, "999999999999"]  # fmt: skip
WORDS = ["完全繳清", "兩岸", "有罪", "x", "", "it''s", "2020-01-01", "2020-13-45", "a;b", "[/b]"]
KINDS = ["ratio", "aggregate", "formula", "manual", "average", None, 1]


@dataclass(frozen=True)
class Mutant:
    """A definition file as a user might leave it: its name (usually the KPI's) and its text."""

    file: str
    text: str
    how: str

    def __str__(self) -> str:
        return f"{self.file}.yaml ({self.how}):\n{self.text}"


def _string_literals() -> st.SearchStrategy[str]:
    closed = st.sampled_from(WORDS).map(lambda w: f"'{w}'")
    typed = st.sampled_from(["DATE '2020-01-01'", "DATE 'x'", "TIMESTAMP '2020-01-01 10:00'"])
    broken = st.sampled_from(["'abc", "e'x\\'", "'a''", '"closure', "/* c", "-- c", "$$x"])
    return st.one_of(closed, typed, broken)


def _atoms(columns: list[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(columns),
        st.sampled_from(columns),
        st.sampled_from(UNKNOWN_NAMES),
        st.sampled_from(NUMBERS),
        st.integers(-(2**70), 2**70).map(str),
        st.floats().map(repr),
        _string_literals(),
        st.sampled_from(["NULL", "TRUE", "FALSE", "*", "?", "$1", "(SELECT 1)", ";"]),
    )


def _combine(parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    def call(args: tuple[str, list[str]]) -> str:
        return f"{args[0]}({', '.join(args[1])})"

    return st.one_of(
        st.tuples(parts, st.sampled_from(OPERATORS), parts).map(" ".join),
        parts.map(lambda p: f"NOT {p}"),
        parts.map(lambda p: f"-{p}"),
        parts.map(lambda p: f"({p})"),
        st.tuples(st.sampled_from(FUNCTIONS), st.lists(parts, max_size=3)).map(call),
        st.tuples(parts, st.sampled_from(TYPES)).map(lambda t: f"CAST({t[0]} AS {t[1]})"),
        st.tuples(parts, parts, parts).map(
            lambda t: f"CASE WHEN {t[0]} THEN {t[1]} ELSE {t[2]} END"
        ),
        st.tuples(parts, st.lists(parts, min_size=1, max_size=3)).map(
            lambda t: f"{t[0]} IN ({', '.join(t[1])})"
        ),
        st.tuples(parts, parts, parts).map(lambda t: f"{t[0]} BETWEEN {t[1]} AND {t[2]}"),
        parts.map(lambda p: f"{p} IS NOT NULL"),
    )


def _deep(columns: list[str]) -> st.SearchStrategy[str]:
    """Nesting and chains around the limits (and far past them)."""
    depth = st.sampled_from([15, 19, 20, 21, 60, 500, 5000])
    opener = st.sampled_from(["(", "abs(", "NOT ", "- "])

    def nest(args: tuple[str, int, str]) -> str:
        opener, n, core = args
        closer = ")" if opener.endswith("(") else ""
        return opener * n + core + closer * n

    chain = st.tuples(st.sampled_from(columns), st.sampled_from([10, 60, 64, 65, 5000])).map(
        lambda t: " + ".join([t[0]] * t[1])
    )
    return st.one_of(st.tuples(opener, depth, st.sampled_from(columns)).map(nest), chain)


def sql_fragments(columns: list[str] | None = None) -> st.SearchStrategy[str]:
    """SQL-ish expressions: mostly well formed over ``columns`` (else any dataset's) and unknown
    names, some broken."""
    names = columns or COLUMNS
    tree = st.recursive(_atoms(names), _combine, max_leaves=10)
    noisy = st.tuples(tree, st.text(max_size=6)).map(lambda t: t[0] + t[1])
    return st.one_of(tree, tree, tree, noisy, _deep(names))


def _values(columns: list[str] | None = None) -> st.SearchStrategy[Any]:
    """What a field may be replaced with: SQL, numbers of every size, the wrong type."""
    return st.one_of(
        sql_fragments(columns),
        st.sampled_from(NUMBERS).map(float),
        st.integers(-(2**70), 2**70),
        st.floats(),
        st.sampled_from(KINDS),
        st.sampled_from(DATASETS + ["no_such_dataset", "integrity_evaluation_progress"]),
        st.sampled_from(COLUMNS + ["no_such_column"]),
        st.sampled_from(["count", "sum", "mean", "min", "max", "median"]),
        st.sampled_from(["cumulative", "year", "97年1月", "300年1月", "97年13月", "year_end"]),
        st.none(),
        st.booleans(),
        st.lists(st.integers(), max_size=2),
        st.dictionaries(
            st.sampled_from(["dataset", "function", "x"]), st.text(max_size=4), max_size=2
        ),
        st.text(max_size=20),
    )


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every key path in nested mappings and lists."""
    found = [prefix] if prefix else []
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _columns_at(data: Any, path: tuple[Any, ...]) -> list[str] | None:
    """The columns of the dataset of the aggregate holding ``path``, when it is an expression."""
    if path[-1] not in ("expression", "filter"):
        return None
    for key in path[:-1]:
        data = data[key]
    dataset = data.get("dataset") if isinstance(data, dict) else None
    return DATASET_COLUMNS.get(dataset) if isinstance(dataset, str) else None


def _set(data: Any, path: tuple[Any, ...], value: Any, delete: bool) -> None:
    for key in path[:-1]:
        data = data[key]
    if delete and isinstance(data, dict):
        del data[path[-1]]
    else:
        data[path[-1]] = value


@st.composite
def structure_mutants(draw: st.DrawFn) -> Mutant:
    """A shipped definition with one to three fields replaced, deleted or added."""
    code = draw(st.sampled_from(CODES))
    data = yaml.safe_load(SHIPPED[code])
    changes = []
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        if not paths or draw(st.integers(0, 9)) == 0:
            key = draw(st.sampled_from(["extra", "scale", "decimals", "window", "since", "at"]))
            data[key] = draw(_values())
            changes.append(f"add {key}")
            continue
        path = draw(st.sampled_from(paths))
        delete = draw(st.integers(0, 4)) == 0
        columns = _columns_at(data, path)
        value = draw(
            sql_fragments(columns) if columns and draw(st.booleans()) else _values(columns)
        )
        _set(data, path, value, delete)
        changes.append(("delete " if delete else "replace ") + ".".join(map(str, path)))
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    return Mutant(draw(_file_names(code)), text, "; ".join(changes))


@st.composite
def text_mutants(draw: st.DrawFn) -> Mutant:
    """A shipped definition's text cut short, a line lost, doubled or swapped, or typed into."""
    code = draw(st.sampled_from(CODES))
    text = SHIPPED[code]
    lines = text.splitlines(keepends=True)
    how = draw(
        st.sampled_from(["truncate", "drop line", "double line", "swap lines", "insert", "value"])
    )
    at = draw(st.integers(0, len(lines) - 1))
    if how == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif how == "drop line":
        text = "".join(lines[:at] + lines[at + 1 :])
    elif how == "double line":
        text = "".join(lines[: at + 1] + lines[at:])
    elif how == "swap lines":
        other = draw(st.integers(0, len(lines) - 1))
        lines[at], lines[other] = lines[other], lines[at]
        text = "".join(lines)
    elif how == "insert":
        where = draw(st.integers(0, len(text)))
        text = text[:where] + draw(st.text(max_size=8)) + text[where:]
    else:
        text = _replace_a_value(draw, lines)
    return Mutant(draw(_file_names(code)), text, how)


def _replace_a_value(draw: st.DrawFn, lines: list[str]) -> str:
    """A ``key: value`` line with its value replaced by generated SQL or a number, written as
    a double-quoted YAML string or as it is (which may not be YAML at all)."""
    candidates = [i for i, line in enumerate(lines) if ": " in line and not line.startswith("#")]
    index = draw(st.sampled_from(candidates))
    key = lines[index].split(": ", 1)[0]
    value = draw(st.one_of(sql_fragments(), st.sampled_from(NUMBERS)))
    if draw(st.booleans()):
        value = '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    lines[index] = f"{key}: {value}\n"
    return "".join(lines)


def _file_names(code: str) -> st.SearchStrategy[str]:
    return st.sampled_from([code, code, code, code, "x", "10-1", "1-1-1"])


def mutants() -> st.SearchStrategy[Mutant]:
    return st.one_of(structure_mutants(), text_mutants())


class Sandbox:
    """A copy of the shipped plan folder and a data directory of real batches to run mutants in."""

    def __init__(self, root: Path, batches_from: Path) -> None:
        self.plan_dir = root / "plan"
        self.data_dir = root / "data"
        shutil.copytree(PLAN_DIR, self.plan_dir)
        shutil.copytree(
            batches_from, self.data_dir, ignore=shutil.ignore_patterns("results.sqlite*")
        )
        project = Project.from_folder(self.plan_dir, self.data_dir)
        self.contracts, self.plan = project.contracts, project.plan
        self.inputs = project.inputs()
        self.root = project.org_units.root.code

    def place(self, mutant: Mutant) -> Path:
        path = self.plan_dir / "metrics" / f"{mutant.file}.yaml"
        path.write_text(mutant.text, encoding="utf-8")
        return path

    def restore(self, mutant: Mutant) -> None:
        path = self.plan_dir / "metrics" / f"{mutant.file}.yaml"
        if mutant.file in SHIPPED:
            path.write_text(SHIPPED[mutant.file], encoding="utf-8")
        else:
            path.unlink()

    def exercise(self, mutant: Mutant) -> list[KpiValue]:
        """Load, check and compute the mutant in process; anything but our error propagates."""
        path = self.place(mutant)
        try:
            return self._load_check_compute(path)
        finally:
            self.restore(mutant)

    def _load_check_compute(self, path: Path) -> list[KpiValue]:
        try:
            definition = load_definition(path)
        except YardstickError as error:
            _one_line(str(error))
            return []
        faults = check_definition(definition, self.contracts, self.plan)
        for fault in faults:
            _one_line(fault.message)
        if faults:
            return []
        if isinstance(definition, ManualDefinition):
            values = compute_manual(definition, {}, YEARS, self.root)
        else:
            assert isinstance(definition, COMPUTED)
            values = compute_values(
                [definition], self.inputs, YEARS, lambda i: DuckDBEngine(i.batches, i.unit_paths)
            )
        for value in values:
            assert value.value is None or math.isfinite(value.value), value
            _one_line(value.shown())
        return values

    def run_cli(self, mutant: Mutant, command: str) -> None:
        """``kpi check`` on the folder; ``kpi list`` and ``kpi compute`` on the folder stored in
        the deployment's database with ``plan load`` as plan ``fuzz`` (a refused load is our
        error too, and they then run on the version stored before). ``list`` keeps working;
        every command succeeds or fails with one line of our error. Needs the database (the
        test database, or the benchmark's own) with the planner's account."""
        if command != "check":  # the shipped definitions first, so a version is always stored
            shipped = run("plan", "load", str(self.plan_dir), "--code", PLAN_CODE, "--if-absent")
            assert shipped.exit_code == 0, shipped.error
        self.place(mutant)
        try:
            if command == "check":
                result = run("kpi", "check", str(self.plan_dir / "metrics"))
            else:
                loaded = run("plan", "load", str(self.plan_dir), "--code", PLAN_CODE)
                _ours(loaded)
        finally:
            self.restore(mutant)
        if command == "list":
            result = run("kpi", "list", "--plan", PLAN_CODE)
            assert result.exit_code == 0, result.error
        elif command == "compute":
            result = run("kpi", "compute", "--year", str(YEARS), "--plan", PLAN_CODE)
        _ours(result)


def engine_refusals(values: list[KpiValue]) -> list[str]:
    """Reasons of values the engine could not compute: the checker passed what the engine refused
    (a hole in the checker when the reason is not about the records themselves)."""
    return sorted({v.reason for v in values if v.reason and "engine failed" in v.reason})


def _one_line(message: str) -> None:
    assert "\n" not in message, message


def _ours(ran: Ran) -> None:
    """A command that worked, or ended with one line of our error (``run`` raises any other)."""
    if ran.exit_code != 0:
        assert isinstance(ran.exception, YardstickError), ran.error
        _one_line(ran.error)
