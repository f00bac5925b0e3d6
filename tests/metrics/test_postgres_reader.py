"""PostgreSQL runs the queries as a login that can read the run's schema and nothing else.

Each attack is tried twice: as the engine runs a query (read-only transaction, one prepared
statement), and on the bare reader connection outside any transaction, as if injected SQL had
escaped both; the role's own privileges must still refuse it.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import psycopg
import pytest
import sqlglot
from psycopg import sql

from tests.metrics.conftest import UNIT_PATHS, write_parquet
from yardstick.metrics.engines import BatchInput
from yardstick.metrics.engines.postgres import PostgresEngine
from yardstick.metrics.engines.postgres_reader import READER_DSN_VARIABLE, Reader
from yardstick.metrics.errors import QueryTimeLimitError, UnsafeQueryError

pytestmark = pytest.mark.postgres
CASES = {"branch": "VARCHAR", "closed_on": "DATE", "paid_amount": "DOUBLE"}


@pytest.fixture
def batch(tmp_path: Path) -> BatchInput:
    return write_parquet(tmp_path / "cases.parquet", CASES, [("IB", date(2020, 1, 1), 5.0)])


@pytest.fixture
def engine(postgres_dsn: str, batch: BatchInput) -> Iterator[PostgresEngine]:
    engine = PostgresEngine({"cases": [batch]}, UNIT_PATHS, dsn=postgres_dsn, time_limit=0.5)
    yield engine
    engine.close()


@pytest.fixture
def owner(postgres_dsn: str) -> Iterator[psycopg.Connection[tuple[object, ...]]]:
    connection = psycopg.connect(postgres_dsn, autocommit=True)
    yield connection
    connection.close()


def _reader(engine: PostgresEngine) -> Reader:
    assert engine.reader is not None
    return engine.reader


def _fetch(engine: PostgresEngine, text: str) -> list[tuple[object, ...]]:
    return engine.fetch(sqlglot.parse_one(text, read="postgres"))


def _escaped(engine: PostgresEngine, text: str) -> None:
    """Run ``text`` on the reader's own connection, outside any read-only transaction."""
    connection = _reader(engine).connection
    connection.rollback()
    connection.autocommit = True
    try:
        connection.execute(text)
    finally:
        connection.autocommit = False


def test_queries_run_as_the_reader_and_read_the_runs_records(engine: PostgresEngine) -> None:
    [(user, session)] = _fetch(engine, "SELECT current_user, session_user")
    assert user == session == _reader(engine).role != "postgres"
    assert _fetch(engine, f"SELECT paid_amount FROM {engine.schema}.cases") == [(5.0,)]


@pytest.mark.parametrize(
    "statement",
    [
        "CREATE TABLE {schema}.planted (a int)",
        "CREATE TABLE public.planted (a int)",
        "CREATE SCHEMA planted",
        "INSERT INTO {schema}.cases (branch) VALUES ('x')",
        "UPDATE {schema}.cases SET paid_amount = 0",
        "DELETE FROM {schema}.cases",
        "SELECT pg_read_file('/etc/passwd')",
        "SELECT pg_ls_dir('/')",
        "COPY (SELECT 1) TO '/tmp/yardstick-planted.csv'",
        "SET ROLE postgres",
        "SET SESSION AUTHORIZATION postgres",
    ],
)
def test_the_reader_cannot_write_read_files_or_become_another_role(
    engine: PostgresEngine, statement: str
) -> None:
    text = statement.format(schema=engine.schema)
    with pytest.raises(psycopg.errors.InsufficientPrivilege):
        _escaped(engine, text)
    with pytest.raises(UnsafeQueryError, match="PostgreSQL refused"):
        _reader(engine).fetch(text)
    assert not Path("/tmp/yardstick-planted.csv").exists()


def test_reset_role_leaves_the_reader_what_it_was(engine: PostgresEngine) -> None:
    _escaped(engine, "RESET ROLE")
    assert _fetch(engine, "SELECT current_user") == [(_reader(engine).role,)]
    with pytest.raises(UnsafeQueryError, match="permission denied"):
        _fetch(engine, "SELECT pg_read_file('/etc/passwd')")


def test_the_reader_cannot_read_another_schemas_tables(
    engine: PostgresEngine, owner: psycopg.Connection[tuple[object, ...]], postgres_dsn: str
) -> None:
    secret = sql.Identifier(f"yardstick_secret_{secrets.token_hex(4)}")
    owner.execute(sql.SQL("CREATE SCHEMA {}").format(secret))
    try:
        owner.execute(sql.SQL("CREATE TABLE {}.t AS SELECT 42 AS a").format(secret))
        other = PostgresEngine({}, UNIT_PATHS, dsn=postgres_dsn)
        try:
            for table in (f"{secret.as_string(owner)}.t", f"{other.schema}.unit_paths"):
                with pytest.raises(UnsafeQueryError, match="permission denied"):
                    _fetch(engine, f"SELECT * FROM {table}")
        finally:
            other.close()
    finally:
        owner.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(secret))


def test_a_query_runs_read_only_and_as_one_statement(engine: PostgresEngine) -> None:
    with pytest.raises(UnsafeQueryError, match="read-only transaction"):
        _reader(engine).fetch("CREATE TEMP TABLE planted (a int)")
    with pytest.raises(psycopg.errors.SyntaxError, match="multiple commands"):
        _reader(engine).fetch("SELECT 1; SELECT 2")


def test_a_query_over_the_time_limit_is_stopped(engine: PostgresEngine) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeLimitError, match="time limit of 0.5 s"):
        _fetch(engine, "SELECT pg_sleep(5)")
    assert time.monotonic() - started < 4
    assert _fetch(engine, "SELECT 1") == [(1,)]


def _exists(owner: psycopg.Connection[tuple[object, ...]], catalog: str, name: str) -> bool:
    column = "rolname" if catalog == "pg_roles" else "nspname"
    query = sql.SQL("SELECT count(*) FROM {} WHERE {} = %s").format(
        sql.Identifier(catalog), sql.Identifier(column)
    )
    row = owner.execute(query, [name]).fetchone()
    return bool(row and row[0])


def test_closing_drops_the_readers_role_with_the_schema(
    postgres_dsn: str, batch: BatchInput, owner: psycopg.Connection[tuple[object, ...]]
) -> None:
    engine = PostgresEngine({"cases": [batch]}, UNIT_PATHS, dsn=postgres_dsn)
    role, schema = _reader(engine).role, engine.schema
    assert _exists(owner, "pg_roles", role) and _exists(owner, "pg_namespace", schema)
    engine.close()
    assert not _exists(owner, "pg_roles", role) and not _exists(owner, "pg_namespace", schema)


def test_concurrent_runs_each_get_a_reader_of_their_own(
    postgres_dsn: str, batch: BatchInput
) -> None:
    results: list[object] = []

    def run() -> None:
        try:
            engine = PostgresEngine({"cases": [batch]}, UNIT_PATHS, dsn=postgres_dsn)
            try:
                results.append(_fetch(engine, f"SELECT count(*) FROM {engine.schema}.cases"))
            finally:
                engine.close()
        except Exception as error:  # reported below, in the test's thread
            results.append(error)

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [[(1,)]] * 4


def test_a_reader_provisioned_by_a_dba_is_granted_the_run_and_kept(
    postgres_dsn: str,
    batch: BatchInput,
    owner: psycopg.Connection[tuple[object, ...]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    name = f"yardstick_test_dba_reader_{secrets.token_hex(4)}"
    owner.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(name)))
    try:
        monkeypatch.setenv(
            READER_DSN_VARIABLE, psycopg.conninfo.make_conninfo(postgres_dsn, user=name)
        )
        engine = PostgresEngine({"cases": [batch]}, UNIT_PATHS, dsn=postgres_dsn)
        try:
            assert _fetch(engine, "SELECT current_user") == [(name,)]
            assert _fetch(engine, f"SELECT count(*) FROM {engine.schema}.cases") == [(1,)]
        finally:
            engine.close()
        assert _exists(owner, "pg_roles", name)
    finally:
        owner.execute(sql.SQL("DROP ROLE {}").format(sql.Identifier(name)))
