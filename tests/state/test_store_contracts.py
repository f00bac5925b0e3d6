"""The promises every implementation of the state interfaces keeps (fake and database alike)."""

from __future__ import annotations

import time

import pytest

from tests.conftest import REPO
from tests.state.conftest import Stores
from yardstick.datasets.orgunits import OrgUnit, OrgUnitKind, load_org_units
from yardstick.metrics.bundle import PlanBundle
from yardstick.state.jobs import JobStatus
from yardstick.state.plans import UnknownPlan

MOJ = REPO / "plans" / "moj-106-109"


@pytest.fixture(scope="module")
def moj_bundle() -> PlanBundle:
    return PlanBundle.read_folder(MOJ)


def test_audit_entries_are_kept_in_order_and_unknown_actions_refused(stores: Stores) -> None:
    stores.audit.record("alice", "batch.ingested", "batch", "b1", new={"rows": 3})
    stores.audit.record(
        "bob", "batch.withdrawn", "batch", "b1", old="active", new="withdrawn", reason="wrong year"
    )
    stores.audit.record("bob", "batch.ingested", "batch", "b2")
    entries = stores.audit.entries("batch", "b1")
    assert [(e.actor, e.action, e.reason) for e in entries] == [
        ("alice", "batch.ingested", ""),
        ("bob", "batch.withdrawn", "wrong year"),
    ]
    assert entries[0].new == {"rows": 3}
    with pytest.raises(ValueError, match="unknown audit action"):
        stores.audit.record("alice", "batch.deleted", "batch", "b1")


def test_a_job_is_claimed_once_and_finished(stores: Stores) -> None:
    job = stores.jobs.enqueue("recompute", "moj", {"cells": [["8-1", 109]]}, "alice", "ingested")
    claimed = stores.jobs.claim("w1", 60)
    assert claimed is not None and claimed.id == job.id and claimed.attempts == 1
    assert claimed.payload == {"cells": [["8-1", 109]]}
    assert stores.jobs.claim("w2", 60) is None
    assert stores.jobs.renew(job.id, "w1", 60)
    assert not stores.jobs.renew(job.id, "w2", 60)
    stores.jobs.finish(job.id, "w1")
    assert [j.status for j in stores.jobs.jobs()] == [JobStatus.DONE]


def test_a_job_whose_lease_ran_out_is_claimed_again(stores: Stores) -> None:
    job = stores.jobs.enqueue("recompute", "moj", {}, "alice", "ingested")
    assert stores.jobs.claim("dead-worker", 0.05) is not None
    time.sleep(0.1)
    again = stores.jobs.claim("w2", 60)
    assert again is not None and again.id == job.id
    assert again.attempts == 2 and again.worker == "w2"
    assert not stores.jobs.renew(job.id, "dead-worker", 60)


def test_a_failed_job_is_retried_then_given_up(stores: Stores) -> None:
    job = stores.jobs.enqueue("recompute", "moj", {}, "alice", "ingested")
    for attempt in range(1, 6):
        claimed = stores.jobs.claim("w1", 60)
        assert claimed is not None and claimed.attempts == attempt
        failed = stores.jobs.fail(job.id, "w1", f"boom {attempt}", retry_in_seconds=0)
    assert failed.status is JobStatus.FAILED and failed.error == "boom 5"
    assert stores.jobs.claim("w1", 60) is None


def test_a_failed_job_waits_before_its_retry(stores: Stores) -> None:
    job = stores.jobs.enqueue("recompute", "moj", {}, "alice", "ingested")
    stores.jobs.claim("w1", 60)
    assert stores.jobs.fail(job.id, "w1", "boom", retry_in_seconds=3600).status is JobStatus.QUEUED
    assert stores.jobs.claim("w1", 60) is None


def test_plan_versions_are_numbered_and_identical_content_is_not_stored_twice(
    stores: Stores, moj_bundle: PlanBundle
) -> None:
    first = stores.plans.save("moj-106-109", moj_bundle, "alice", "first load")
    again = stores.plans.save("moj-106-109", moj_bundle, "bob", "same folder again")
    assert (first.number, again.number) == (1, 1)
    kpi = moj_bundle.plan.kpis[0]
    edited_target = kpi.targets[0].model_copy(update={"value": kpi.targets[0].value + 1})
    edited_kpi = kpi.model_copy(update={"targets": [edited_target]})
    plan = moj_bundle.plan.model_copy(update={"kpis": [edited_kpi, *moj_bundle.plan.kpis[1:]]})
    second = stores.plans.save("moj-106-109", moj_bundle.with_plan(plan), "bob", "target edited")
    assert second.number == 2 and second.sha256 != first.sha256
    assert (
        stores.plans.current("moj-106-109").bundle.plan.kpis[0].targets[0].value
        == edited_target.value
    )
    assert stores.plans.version("moj-106-109", 1).bundle.plan == moj_bundle.plan
    assert [p.versions for p in stores.plans.plans()] == [2]
    saved = list(stores.audit.entries("plan", "moj-106-109"))
    assert [(e.actor, e.reason) for e in saved] == [
        ("alice", "first load"),
        ("bob", "target edited"),
    ]


def test_a_stored_version_reads_back_equal_to_the_folder(
    stores: Stores, moj_bundle: PlanBundle
) -> None:
    stores.plans.save("moj-106-109", moj_bundle, "alice", "load")
    back = stores.plans.current("moj-106-109").bundle
    assert back == moj_bundle
    assert back.sha256() == moj_bundle.sha256()


def test_an_unknown_plan_is_our_error(stores: Stores) -> None:
    with pytest.raises(UnknownPlan):
        stores.plans.current("nope")


def test_org_units_merge_adds_and_renames_and_keeps_the_rest(stores: Stores) -> None:
    units = list(load_org_units(MOJ / "orgunits.yaml"))
    assert len(stores.org_units.merge(units, "alice", "plan load")) == len(units)
    assert stores.org_units.merge(units, "alice", "again") == []
    renamed = units[1].model_copy(update={"name_zh": units[1].name_zh + "（改制）"})
    new = OrgUnit(
        code=f"{units[0].code}.NEW",
        name_zh="新機關",
        name_en="New agency",
        kind=OrgUnitKind.AGENCY,
        parent=units[0].code,
    )
    assert stores.org_units.merge([renamed, new], "bob", "reorganised") == [renamed.code, new.code]
    hierarchy = stores.org_units.org_units()
    assert hierarchy.get(renamed.code).name_zh.endswith("（改制）")
    assert len(hierarchy) == len(units) + 1
    assert [e.action for e in stores.audit.entries("orgunit", renamed.code)] == [
        "orgunit.created",
        "orgunit.changed",
    ]
