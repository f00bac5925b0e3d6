"""Fuzz run: many mutants of the shipped metric definitions, through load, check, compute, CLI.

The same mutants as ``tests/metrics/test_fuzz_definitions.py`` (see
``tests/metrics/definition_mutants.py``), for as long as asked, over the demo generator's batches
at a tiny scale. Every mutant is loaded, checked and computed in process; every
``--cli-every``-th one also goes through ``kpi check`` and, stored with ``plan load`` in a
SQLite database of the run's own, ``kpi list`` and ``kpi compute``.
Prints each failure — anything but our own one-line error or a value — with its mutant and
traceback, and the engine refusals the checker let through (a value whose reason is an engine
failure: a hole in the checker unless it is about the records). Exit status 1 if anything
failed.

``--expressions N`` also probes the checker alone: N generated expressions over a small typed
table; each one the checker accepts runs on DuckDB (and PostgreSQL with ``--postgres``), and
every engine error is printed once by kind — the checker's holes, or what only the records
decide (an overflow, a cast of a too-large value)::

    .venv/bin/python benchmarks/fuzz_definitions.py --examples 2000 --seed 7
    .venv/bin/python benchmarks/fuzz_definitions.py --examples 0 --expressions 20000 --postgres
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
import traceback
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))  # the mutants live with the tests

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.metrics.definition_mutants import (  # noqa: E402
    Mutant,
    Sandbox,
    engine_refusals,
    mutants,
)

COMMANDS = ("list", "check", "compute")


def _sandbox(root: Path, scale: float) -> Sandbox:
    from yardstick.demo.generate import generate
    from yardstick.metrics.project import Project

    project = Project.from_folder(REPO / "plans" / "moj-106-109", root / "batches")
    generate(root / "files", scale, 106, project.contracts, project.org_units, project.data_dir)
    _deployment(root / "deployment", project.data_dir)
    return Sandbox(root / "sandbox", project.data_dir)


def _deployment(root: Path, batches: Path) -> None:
    """The database ``kpi list`` and ``kpi compute`` run on (a SQLite file of the run's own): the
    test accounts, the MOJ plan, and the same batches, brought in with ``db import-legacy``."""
    import os

    os.environ.update(
        DATABASE_URL=f"sqlite:///{root / 'yardstick.sqlite3'}",
        YARDSTICK_HOME=str(root),
        YARDSTICK_DATA_DIR=str(root / "storage"),
    )
    from tests.deployment import PLAN, run, set_up
    from yardstick.web.bootstrap import migrate, setup_django

    setup_django()
    migrate()
    set_up(root / "storage")
    imported = run("db", "import-legacy", str(batches), "--plan", PLAN)
    if imported.exit_code != 0:
        raise SystemExit(f"the fuzz run's database cannot be set up: {imported.error}")


class Run:
    """Counts, failures and engine refusals of one fuzz run."""

    def __init__(self, sandbox: Sandbox, cli_every: int) -> None:
        self.sandbox = sandbox
        self.cli_every = cli_every
        self.examples = 0
        self.outcomes: Counter[str] = Counter()
        self.failures: list[tuple[Mutant, str]] = []
        self.refusals: dict[str, Mutant] = {}

    def one(self, mutant: Mutant) -> None:
        self.examples += 1
        try:
            values = self.sandbox.exercise(mutant)
            self.outcomes["computed" if values else "refused"] += 1
            for reason in engine_refusals(values):
                self.refusals.setdefault(reason, mutant)
            if self.cli_every and self.examples % self.cli_every == 0:
                for command in COMMANDS:
                    self.sandbox.run_cli(mutant, command)
        except Exception:  # the harness reports every failure instead of stopping at one
            self.failures.append((mutant, traceback.format_exc(limit=-6)))

    def report(self, seconds: float) -> int:
        print(
            f"{self.examples} mutants in {seconds:.1f} s: {self.outcomes['computed']} computed, "
            f"{self.outcomes['refused']} refused with our error, {len(self.failures)} failures"
        )
        for mutant, trace in self.failures:
            print(f"\n=== FAILURE: {mutant}\n{trace}")
        for reason, mutant in self.refusals.items():
            print(f"\n--- the checker passed what the engine refused: {reason}\n{mutant}")
        return 1 if self.failures else 0


class Probe:
    """Expressions the checker accepts, run on a small table on each engine."""

    def __init__(self, postgres: bool) -> None:
        import duckdb

        from tests.metrics.test_expression_types import DUCKDB_TYPES, ROWS

        self.duckdb = duckdb.connect()
        columns = ", ".join(f'"{name}" {kind}' for name, kind in DUCKDB_TYPES.items())
        self.duckdb.execute(f"CREATE TABLE t ({columns})")
        self.duckdb.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", [list(r) for r in ROWS])
        self.postgres = self._postgres(DUCKDB_TYPES, ROWS) if postgres else None
        self.accepted = 0
        self.holes: dict[tuple[str, str], str] = {}

    @staticmethod
    def _postgres(types: dict[str, str], rows: list[tuple[object, ...]]) -> object:
        import psycopg

        from yardstick.metrics.engines.postgres import dsn_from_environment

        connection = psycopg.connect(dsn_from_environment(), autocommit=True)
        kinds = {**types, "channel": "text", "amount": "numeric(14,2)"}
        columns = ", ".join(f'"{name}" {kind}' for name, kind in kinds.items())
        connection.execute(f"CREATE TEMP TABLE t ({columns})")
        with connection.cursor() as cursor:
            cursor.executemany("INSERT INTO t VALUES (%s, %s, %s, %s, %s, %s)", rows)
        return connection

    def one(self, text: str, condition: bool) -> None:
        from sqlglot import exp

        from tests.metrics.test_expression_types import COLUMNS
        from yardstick.errors import YardstickError
        from yardstick.metrics.expression_types import Role
        from yardstick.metrics.expressions import check_expression

        try:
            tree = check_expression(text, COLUMNS, Role.CONDITION if condition else Role.NUMBER)
        except YardstickError:
            return
        self.accepted += 1
        query = exp.select(exp.Count(this=exp.Star())).from_("t")
        query = query.where(tree) if condition else exp.select(exp.Sum(this=tree)).from_("t")
        engines = [("duckdb", self.duckdb, "duckdb"), ("postgresql", self.postgres, "postgres")]
        for name, connection, dialect in engines:
            if connection is None:
                continue
            try:
                connection.execute(query.sql(dialect=dialect)).fetchall()  # type: ignore[attr-defined]
            except Exception as error:  # every engine error is a finding here
                first = str(error).splitlines()[0]
                self.holes.setdefault((name, first.split(":")[0]), f"{first[:160]} | {text[:160]}")

    def report(self, examples: int) -> None:
        print(f"\n{examples} expressions, {self.accepted} accepted by the checker")
        for (engine, kind), example in sorted(self.holes.items()):
            print(f"--- accepted, refused by {engine} ({kind}): {example}")


def probe(examples: int, seed_value: int, postgres: bool) -> None:
    from hypothesis import strategies as st

    from tests.metrics.definition_mutants import sql_fragments
    from tests.metrics.test_expression_types import COLUMNS

    checker = Probe(postgres)

    @seed(seed_value)
    @settings(
        max_examples=examples,
        deadline=None,
        database=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(text=sql_fragments(list(COLUMNS)), condition=st.booleans())
    def run(text: str, condition: bool) -> None:
        checker.one(text, condition)

    run()
    checker.report(examples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--examples", type=int, default=500, help="mutants to try")
    parser.add_argument("--seed", type=int, default=0, help="the run's random seed")
    parser.add_argument("--cli-every", type=int, default=25, help="0: never through the CLI")
    parser.add_argument("--scale", type=float, default=0.002, help="demo data scale")
    parser.add_argument("--expressions", type=int, default=0, help="expressions to probe")
    parser.add_argument("--postgres", action="store_true", help="probe PostgreSQL too")
    args = parser.parse_args()
    if args.expressions:
        probe(args.expressions, args.seed, args.postgres)
    if not args.examples:
        return 0
    with tempfile.TemporaryDirectory(prefix="fuzz-definitions-") as folder:
        run = Run(_sandbox(Path(folder), args.scale), args.cli_every)

        @seed(args.seed)
        @settings(
            max_examples=args.examples,
            deadline=None,
            database=None,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(mutant=mutants())
        def fuzz(mutant: Mutant) -> None:
            run.one(mutant)

        started = time.perf_counter()
        fuzz()
        return run.report(time.perf_counter() - started)


if __name__ == "__main__":
    sys.exit(main())
