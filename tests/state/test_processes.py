"""Several processes on one database, as a deployment runs: two writers ingesting and computing
at once beside a worker, and a worker killed mid-recompute. On SQLite (a file) and PostgreSQL.

Each test runs the real command line in subprocesses against a database of its own.
"""

from __future__ import annotations

import os
import secrets
import shlex
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.deployment import MOJ_FOLDER, PASSWORD

pytestmark = pytest.mark.slow

FIRST = ("enforcement_cases", "drug_judgments", "drug_seizures", "confiscation_ledger")
SECOND = ("prosecution_cases", "prison_population", "employment_referrals", "corruption_judgments")


@dataclass
class Site:
    """A deployment of its own: database URL, storage folder, environment for the commands."""

    env: dict[str, str]
    data_dir: Path
    url: str

    def run(
        self, *args: str, user: str = "planner", check: bool = True
    ) -> subprocess.CompletedProcess[str]:
        env = {**self.env, "YARDSTICK_USER": user}
        done = subprocess.run(
            [sys.executable, "-m", "yardstick.cli", *args],
            env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if check:
            assert done.returncode == 0, done.stderr
        return done

    def start_script(self, *commands: list[str], user: str = "planner") -> subprocess.Popen[str]:
        """The commands one after the other in one shell, stopping at the first that fails."""
        script = " && ".join(
            shlex.join([sys.executable, "-m", "yardstick.cli", *c]) for c in commands
        )
        return subprocess.Popen(
            ["sh", "-c", script],
            env={**self.env, "YARDSTICK_USER": user},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip

    def start(self, *args: str, user: str = "planner") -> subprocess.Popen[str]:
        return subprocess.Popen(
            [sys.executable, "-m", "yardstick.cli", *args],
            env={**self.env, "YARDSTICK_USER": user},
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip


@pytest.fixture(scope="module")
def demo_files(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo's record sets as files (scale 0.002), written once."""
    from yardstick.datasets.contract import load_contracts
    from yardstick.datasets.orgunits import load_org_units
    from yardstick.demo.generate import generate

    out = tmp_path_factory.mktemp("demo-files")
    generate(
        out,
        0.002,
        106,
        load_contracts(MOJ_FOLDER / "datasets"),
        load_org_units(MOJ_FOLDER / "orgunits.yaml"),
    )
    return out


def _postgres_database() -> Iterator[str]:
    import psycopg

    from yardstick.metrics.engines.postgres import dsn_from_environment

    name = f"yardstick_proc_{secrets.token_hex(4)}"
    try:
        admin = psycopg.connect(dsn_from_environment(), autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable in CI: {error}")
        pytest.skip(f"PostgreSQL is not reachable: {error}")
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgres://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def site(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Site]:
    if request.param == "sqlite":
        urls: Iterator[str] = iter([f"sqlite:///{tmp_path}/yardstick.sqlite3"])
    else:
        urls = _postgres_database()
    url = next(urls)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "YARDSTICK_HOME": str(tmp_path),
        "YARDSTICK_DATA_DIR": str(tmp_path / "data"),
        "PW": PASSWORD,
        "COLUMNS": "200",
    }
    here = Site(env, tmp_path / "data", url)
    here.run("db", "migrate")
    here.run("user", "add", "admin", "--role", "administrator", "--password-env", "PW", user="")
    for name, role in (("planner", "planning_officer"), ("reviewer", "reviewer")):
        here.run("user", "add", name, "--role", role, "--password-env", "PW", user="admin")
    here.run("plan", "load", str(MOJ_FOLDER))
    yield here
    for _ in urls:  # drop the PostgreSQL database
        pass


def _file(files: Path, dataset: str) -> Path:
    return next(files.glob(f"{dataset}.*"))


def _values(site: Site) -> dict[tuple[str, int, str], tuple[float | None, str]]:
    """Every stored value with its reason, read through Django in a process of its own."""
    script = (
        "from yardstick.web.bootstrap import setup_django; setup_django();"
        "from yardstick.web.values.models import ComputedValue as V;"
        "import json; print(json.dumps([[v.cell.kpi, v.cell.year, v.org_unit, v.value, v.reason]"
        " for v in V.objects.select_related('cell')]))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=site.env, capture_output=True, text=True, check=True
    )
    import json

    return {(k, y, u): (v, r) for k, y, u, v, r in json.loads(done.stdout)}


def _same(
    fresh: dict[tuple[str, int, str], tuple[float | None, str]],
    kept: dict[tuple[str, int, str], tuple[float | None, str]],
) -> bool:
    """Every value kept equals the fresh one (sums of doubles may differ in the last bits, by
    the order DuckDB's threads add them in); a cell only the fresh compute has is a year no
    batch reaches, which has no value."""
    if not kept.keys() <= fresh.keys():
        return False
    if any(fresh[cell][0] is not None for cell in fresh.keys() - kept.keys()):
        return False
    b = kept
    for cell, (value, reason) in ((c, fresh[c]) for c in kept):
        other, other_reason = b[cell]
        if reason != other_reason or (value is None) != (other is None):
            return False
        if (
            value is not None
            and other is not None
            and abs(value - other) > 1e-9 * max(1.0, abs(value))
        ):
            return False
    return True


def _batches_and_folders(site: Site) -> tuple[set[str], set[str], list[str]]:
    script = (
        "from yardstick.web.bootstrap import setup_django; setup_django();"
        "from yardstick.web.datasets.models import Batch;"
        "print('\\n'.join(f'{b.dataset}/{b.id}' for b in Batch.objects.all()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=site.env, capture_output=True, text=True, check=True
    )
    rows = set(done.stdout.split())
    folders = {
        f"{p.parent.name}/{p.name}" for p in (site.data_dir / "batches").glob("*/*") if p.is_dir()
    }
    without_files = [
        row for row in rows if not (site.data_dir / "batches" / row / "data.parquet").exists()
    ]
    return rows, folders, without_files


def test_two_writers_and_a_worker_at_once_lose_nothing(site: Site, demo_files: Path) -> None:
    worker = site.start("worker", "--lease", "30")
    writers = [
        site.start("data", "ingest", name, str(_file(demo_files, name)), "--org-unit", "MOJ")
        for name in FIRST[:1] + SECOND[:1]
    ]
    for writer in writers:
        _, error = writer.communicate(timeout=300)
        assert writer.returncode == 0, error
    rest = [
        site.start_script(*_ingest_then_compute(demo_files, group))
        for group in (FIRST[1:], SECOND[1:])
    ]
    for process in rest:
        _, error = process.communicate(timeout=300)
        assert process.returncode == 0, error
    _drain(site, worker)
    rows, folders, without_files = _batches_and_folders(site)
    assert len(rows) == len(FIRST) + len(SECOND)
    assert rows == folders, "every batch has its folder and every folder its batch"
    assert without_files == []
    stored = _values(site)
    site.run("kpi", "compute", "--year", "103-109", "--fresh")
    assert _same(_values(site), stored), "the values kept fresh equal a recompute from scratch"


def _ingest_then_compute(files: Path, datasets: tuple[str, ...]) -> list[list[str]]:
    ingests = [
        ["data", "ingest", name, str(_file(files, name)), "--org-unit", "MOJ"] for name in datasets
    ]
    return [*ingests, ["kpi", "compute", "--year", "106-109"]]


def _drain(site: Site, worker: subprocess.Popen[str]) -> None:
    """Wait until no job is queued or running, then stop the worker."""
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        if _pending_jobs(site) == 0:
            break
        time.sleep(0.5)
    worker.send_signal(signal.SIGTERM)
    worker.communicate(timeout=60)
    assert _pending_jobs(site) == 0


def _pending_jobs(site: Site) -> int:
    script = (
        "from yardstick.web.bootstrap import setup_django; setup_django();"
        "from yardstick.web.jobs.models import Job;"
        "print(Job.objects.filter(status__in=['queued', 'running']).count())"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=site.env, capture_output=True, text=True, check=True
    )
    return int(done.stdout)


def test_a_worker_killed_mid_recompute_is_followed_by_a_retry_with_the_same_values(
    site: Site, demo_files: Path
) -> None:
    for name in FIRST + SECOND:
        site.run("data", "ingest", name, str(_file(demo_files, name)), "--org-unit", "MOJ")
    killed = False
    for _attempt in range(5):
        worker = site.start("worker", "--lease", "2")
        if _wait_for_running_job(site, worker):
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=30)
            killed = True
            break
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    assert killed, "a job was seen running and its worker killed"
    time.sleep(2.5)  # the dead worker's lease runs out
    site.run("worker", "--until-idle", "--lease", "30")
    attempts = _job_attempts(site)
    assert max(attempts) >= 2, "the job the killed worker held was claimed again"
    assert _pending_jobs(site) == 0
    stored = _values(site)
    site.run("kpi", "compute", "--year", "103-109", "--fresh")
    assert _same(_values(site), stored)


def _wait_for_running_job(site: Site, worker: subprocess.Popen[str]) -> bool:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and worker.poll() is None:
        if _running_jobs(site):
            return True
        time.sleep(0.02)
    return False


def _running_jobs(site: Site) -> int:
    if site.url.startswith("sqlite"):
        path = site.url.removeprefix("sqlite:///")
        with sqlite3.connect(path, timeout=10) as db:
            return int(
                db.execute("SELECT count(*) FROM jobs_job WHERE status = 'running'").fetchone()[0]
            )
    import psycopg

    with psycopg.connect(site.url.replace("postgres://", "postgresql://")) as db:
        row = db.execute("SELECT count(*) FROM jobs_job WHERE status = 'running'").fetchone()
        return int(row[0]) if row else 0


def _job_attempts(site: Site) -> list[int]:
    script = (
        "from yardstick.web.bootstrap import setup_django; setup_django();"
        "from yardstick.web.jobs.models import Job;"
        "print(' '.join(str(j.attempts) for j in Job.objects.all()))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], env=site.env, capture_output=True, text=True, check=True
    )
    return [int(a) for a in done.stdout.split()]
