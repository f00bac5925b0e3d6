"""Shared test fixtures: paths of the published MOJ document and of our own fixture files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from yardstick.metrics.project import Project

# Rich tables wrap at the terminal's width; tests read whole cells, so give them room.
os.environ["COLUMNS"] = "200"

REPO = Path(__file__).resolve().parent.parent
FIXTURES = REPO / "tests" / "fixtures"
MOJ_DOCUMENT = REPO.parent / "shared" / "plans" / "moj-106-109.txt"
MOJ_PLAN_YAML = REPO / "plans" / "moj-106-109" / "plan.yaml"


_DATABASE_FIXTURES = {"db", "transactional_db", "deployment", "demo_deployment", "demo_snapshot"}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark every test that uses the database, so `make test` can run them on PostgreSQL too."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if names & _DATABASE_FIXTURES or item.get_closest_marker("django_db"):
            item.add_marker(pytest.mark.database)


@pytest.fixture
def moj_document() -> Path:
    """The MOJ plan document as published; the project does not copy it into its tree."""
    if not MOJ_DOCUMENT.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{MOJ_DOCUMENT} is missing in CI, where shared/ sits beside the repo")
        pytest.skip(
            f"the published MOJ document is not at {MOJ_DOCUMENT} (it lives in ../shared/plans/)"
        )
    return MOJ_DOCUMENT


@pytest.fixture
def postgres_dsn() -> str:
    """The local PostgreSQL server; tests skip without it outside CI and fail in CI."""
    import psycopg

    from yardstick.metrics.engines.postgres import dsn_from_environment

    dsn = dsn_from_environment()
    try:
        psycopg.connect(dsn, connect_timeout=3).close()
    except psycopg.OperationalError as error:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is not reachable in CI at {dsn}: {error}")
        pytest.skip(
            f"PostgreSQL is not reachable at {dsn} (start it, or set YARDSTICK_POSTGRES_DSN)"
        )
    return dsn


@pytest.fixture(scope="session")
def spark_ready() -> None:
    """Local Spark can start (pyspark installed, Java on the path); tests skip without it outside
    CI and fail in CI. The session is small: local[2], two shuffle partitions, no UI."""
    import importlib.util
    import shutil

    missing = None
    if importlib.util.find_spec("pyspark") is None:
        missing = "pyspark is not installed (pip install -e '.[spark]', as `make test` does)"
    elif shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        missing = "Java is not installed (Debian: openjdk-17-jre-headless, as `make test` installs)"
    if missing:
        if os.environ.get("CI"):
            pytest.fail(f"the Spark tests cannot run in CI: {missing}")
        pytest.skip(f"the Spark tests need local Spark: {missing}")
    os.environ.setdefault("YARDSTICK_SPARK_MASTER", "local[2]")
    os.environ.setdefault("YARDSTICK_SPARK_SHUFFLE_PARTITIONS", "2")


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A small generated demo data set (scale 0.002), ingested once for the session."""
    from yardstick.demo.generate import generate
    from yardstick.metrics.project import Project

    root = tmp_path_factory.mktemp("demo-project")
    project = Project.from_folder(REPO / "plans" / "moj-106-109", root / "data")
    generate(
        root / "files", 0.002, 106, project.contracts, project.org_units, data_dir=project.data_dir
    )
    return project


@dataclass(frozen=True)
class DemoSnapshot:
    """The rows of a demo deployment and the folder of its batch files, built once a session."""

    rows: bytes
    data_dir: Path


@pytest.fixture(scope="session")
def demo_snapshot(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> DemoSnapshot:
    """Built inside a transaction that is rolled back: the database stays empty for other tests."""
    from django.db import transaction

    from tests.deployment import fill_with_demo_data, set_up
    from yardstick.web.backup import dump_rows

    root = tmp_path_factory.mktemp("demo-deployment")
    with django_db_blocker.unblock(), transaction.atomic():
        storage = set_up(root / "data")
        fill_with_demo_data(storage, root / "files")
        rows = dump_rows()
        transaction.set_rollback(True)
    return DemoSnapshot(rows, root / "data")


@pytest.fixture
def deployment(db: None, settings: Any, tmp_path: Path) -> Any:
    """Accounts and the MOJ plan, no data yet; batch files under the test's own folder."""
    from tests.deployment import set_up

    settings.YARDSTICK_DATA_DIR = tmp_path / "data"
    return set_up(tmp_path / "data")


@pytest.fixture
def demo_deployment(db: None, settings: Any, demo_snapshot: DemoSnapshot) -> Any:
    """The demo deployment (accounts, plan, demo batches, computed values), rolled back after."""
    from yardstick.web.backup import load_rows
    from yardstick.web.storage import DjangoStorage

    load_rows(demo_snapshot.rows)
    settings.YARDSTICK_DATA_DIR = demo_snapshot.data_dir
    return DjangoStorage(demo_snapshot.data_dir)


@pytest.fixture(scope="session")
def site_template(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """A deployment on a SQLite file of its own, for the real process; set up once a session."""
    from tests.sites import set_up_site

    return set_up_site(tmp_path_factory.mktemp("site-template"))


@pytest.fixture
def process_site(site_template: Any, tmp_path: Path) -> Any:
    """A copy of the template deployment for one test (see :mod:`tests.sites`)."""
    return site_template.copy(tmp_path / "site")
