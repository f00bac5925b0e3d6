"""The site's tests: clients that enforce CSRF, signed in as one of the named accounts."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.test import Client

if TYPE_CHECKING:
    from yardstick.datasets.registry import Batch


@pytest.fixture
def client_as(db: None) -> Callable[[str | None], Client]:
    """``client_as("reviewer")``: a client that enforces CSRF, signed in as that account of
    tests/deployment.py's ACCOUNTS (``None``: the public)."""

    def make(username: str | None) -> Client:
        from django.contrib.auth import get_user_model

        client = Client(enforce_csrf_checks=True)
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


@pytest.fixture
def site_settings(settings: Any) -> Any:
    """Static files served from the app folders, as in debug (no collectstatic in tests)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


@pytest.fixture(autouse=True)
def fresh_page_cache() -> None:
    """Pages cache their content by the state of the values; every test starts without any."""
    from django.core.cache import cache

    cache.clear()


ENFORCEMENT_HEADER = (
    "case_id,branch,obligation_type,received_on,closed_on,referred_amount,paid_amount,closure\n"
)


@dataclass(frozen=True)
class SampleBatches:
    """Batches of the demo deployment's units beside the ministry's: AEA's first extract (with
    quarantined rows), its corrected re-extract that replaced it, and one of AOC's."""

    aea_replaced: Batch
    aea_active: Batch
    aoc: Batch
    moj: Batch


def _ingest(
    storage: Any, account: str, dataset: str, path: Path, unit: str, **kwargs: Any
) -> Batch:
    from yardstick.actions.batches import ingest_batch
    from yardstick.web.projects import open_project

    project = open_project(storage, "moj-106-109")
    actor = storage.accounts.actor(account)
    result = ingest_batch(storage, actor, project, dataset, path, org_unit=unit, **kwargs)
    assert result.batch is not None
    return result.batch


@pytest.fixture
def sample_batches(demo_deployment: Any, tmp_path: Path) -> Iterator[SampleBatches]:
    """Ingested through the actions, as the officers would; their folders are removed after."""
    first = tmp_path / "aea-cases.csv"
    first.write_text(
        ENFORCEMENT_HEADER
        + "TEST-AEA-1,MOJ.AEA.TPE,稅款,2020-01-06,2020-03-02,1000,1000,完全繳清\n"
        + "TEST-AEA-2,MOJ.AEA.TPE,稅款,2020-01-06,2019-03-02,1000,1000,完全繳清\n"
        + "TEST-AEA-3,MOJ.AEA.TPE,罰金,2020-02-06,2020-04-02,500,900,部分繳清\n",
        encoding="utf-8",
    )
    corrected = tmp_path / "aea-cases-corrected.csv"
    corrected.write_text(
        ENFORCEMENT_HEADER
        + "TEST-AEA-1,MOJ.AEA.TPE,稅款,2020-01-06,2020-03-02,1000,1000,完全繳清\n"
        + "TEST-AEA-2,MOJ.AEA.TPE,稅款,2020-01-06,2020-03-02,1000,1000,完全繳清\n"
        + "TEST-AEA-3,MOJ.AEA.TPE,罰鍰,2020-02-06,2020-04-02,900,500,部分繳清\n",
        encoding="utf-8",
    )
    prisons = tmp_path / "aoc-population.csv"
    prisons.write_text(
        "facility,counted_on,inmates,approved_capacity\n"
        "MOJ.AOC.TPE_P,2021-01-31,3100,3000\n"
        "MOJ.AOC.TPE_P,2021-02-28,3050,3000\n",
        encoding="utf-8",
    )
    storage = demo_deployment
    replaced = _ingest(storage, "aea-officer", "enforcement_cases", first, "MOJ.AEA.TPE")
    active = _ingest(
        storage, "aea-officer", "enforcement_cases", corrected, "MOJ.AEA.TPE",
        replaces=(replaced.id,), reason="dates and amounts corrected by the branch",
    )  # fmt: skip
    aoc = _ingest(storage, "aoc-officer", "prison_population", prisons, "MOJ.AOC.TPE_P")
    moj = next(  # a demo batch the ministry sent for all its units
        b for b in storage.registry.active_batches("prosecution_cases") if b.org_unit == "MOJ"
    )
    made = SampleBatches(storage.registry.get(replaced.id), active, aoc, moj)
    yield made
    for batch in (made.aea_replaced, made.aea_active, made.aoc):
        shutil.rmtree(batch.folder, ignore_errors=True)
