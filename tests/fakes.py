"""In-memory fakes of the storage interfaces, for unit tests of the core.

They keep the interfaces' promises (append-only audit, leases, immutable versions) so the same
contract tests (tests/state/) run against them and against the database implementations.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

from yardstick.datasets.errors import OrgUnitError
from yardstick.datasets.orgunits import OrgUnit, OrgUnits
from yardstick.metrics.bundle import PlanBundle
from yardstick.state.audit import AuditEntry, check_action
from yardstick.state.jobs import Job, JobStatus
from yardstick.state.plans import PlanSummary, PlanVersion, UnknownPlan


def _now() -> datetime:
    return datetime.now(UTC)


class MemoryAuditLog:
    def __init__(self) -> None:
        self._entries: list[AuditEntry] = []

    def record(
        self,
        actor: str,
        action: str,
        object_type: str,
        object_id: str,
        *,
        plan: str = "",
        old: Any = None,
        new: Any = None,
        reason: str = "",
    ) -> AuditEntry:
        check_action(action)
        entry = AuditEntry(_now(), actor, action, object_type, object_id, plan, old, new, reason)
        self._entries.append(entry)
        return entry

    def entries(
        self, object_type: str | None = None, object_id: str | None = None
    ) -> Sequence[AuditEntry]:
        return [
            e
            for e in self._entries
            if (object_type is None or e.object_type == object_type)
            and (object_id is None or e.object_id == object_id)
        ]


class MemoryJobQueue:
    def __init__(self) -> None:
        self._jobs: dict[int, Job] = {}
        self._run_after: dict[int, datetime] = {}
        self._ids = itertools.count(1)
        self.max_attempts = 5

    def enqueue(
        self, kind: str, plan: str, payload: dict[str, Any], enqueued_by: str, reason: str
    ) -> Job:
        job = Job(
            next(self._ids), kind, plan, payload, JobStatus.QUEUED, 0, enqueued_by, reason, _now()
        )
        self._jobs[job.id] = job
        self._run_after[job.id] = job.created_at
        return job

    def claim(self, worker: str, lease_seconds: float) -> Job | None:
        now = _now()
        for job in self._jobs.values():
            expired = job.status is JobStatus.RUNNING and job.lease_until and job.lease_until < now
            if (job.status is JobStatus.QUEUED and self._run_after[job.id] <= now) or expired:
                if job.attempts >= self.max_attempts:
                    self._jobs[job.id] = replace(job, status=JobStatus.FAILED, finished_at=now)
                    continue
                claimed = replace(
                    job,
                    status=JobStatus.RUNNING,
                    worker=worker,
                    attempts=job.attempts + 1,
                    lease_until=now + timedelta(seconds=lease_seconds),
                )
                self._jobs[job.id] = claimed
                return claimed
        return None

    def renew(self, job_id: int, worker: str, lease_seconds: float) -> bool:
        job = self._jobs[job_id]
        if job.worker != worker or job.status is not JobStatus.RUNNING:
            return False
        self._jobs[job_id] = replace(job, lease_until=_now() + timedelta(seconds=lease_seconds))
        return True

    def finish(self, job_id: int, worker: str) -> None:
        job = self._jobs[job_id]
        if job.worker == worker:
            self._jobs[job_id] = replace(
                job, status=JobStatus.DONE, finished_at=_now(), lease_until=None
            )

    def fail(self, job_id: int, worker: str, error: str, retry_in_seconds: float) -> Job:
        job = self._jobs[job_id]
        if job.attempts < self.max_attempts:
            failed = replace(job, status=JobStatus.QUEUED, error=error, lease_until=None)
            self._run_after[job_id] = _now() + timedelta(seconds=retry_in_seconds)
        else:
            failed = replace(job, status=JobStatus.FAILED, error=error, finished_at=_now())
        self._jobs[job_id] = failed
        return failed

    def jobs(self, status: JobStatus | None = None) -> Sequence[Job]:
        return [j for j in self._jobs.values() if status is None or j.status is status]


class MemoryPlanStore:
    def __init__(self, audit: MemoryAuditLog) -> None:
        self.audit = audit
        self._versions: dict[str, list[PlanVersion]] = {}

    def plans(self) -> Sequence[PlanSummary]:
        return [
            PlanSummary(
                code,
                versions[-1].bundle.plan.ministry or "",
                versions[-1].bundle.plan.start_year,
                versions[-1].bundle.plan.end_year,
                len(versions),
            )
            for code, versions in sorted(self._versions.items())
        ]

    def current(self, code: str) -> PlanVersion:
        if code not in self._versions:
            raise UnknownPlan(f"no plan {code!r}")
        return self._versions[code][-1]

    def version(self, code: str, number: int) -> PlanVersion:
        for version in self._versions.get(code, []):
            if version.number == number:
                return version
        raise UnknownPlan(f"plan {code} has no version {number}")

    def versions(self, code: str) -> Sequence[PlanVersion]:
        return list(self._versions.get(code, []))

    def save(self, code: str, bundle: PlanBundle, author: str, reason: str) -> PlanVersion:
        versions = self._versions.setdefault(code, [])
        sha = bundle.sha256()
        if versions and versions[-1].sha256 == sha:
            return versions[-1]
        version = PlanVersion(code, len(versions) + 1, sha, author, reason, _now(), bundle)
        versions.append(version)
        self.audit.record(
            author,
            "plan.version_saved",
            "plan",
            code,
            plan=code,
            old={"version": version.number - 1} if version.number > 1 else None,
            new={"version": version.number, "sha256": sha},
            reason=reason,
        )
        return version


class MemoryOrgUnitStore:
    def __init__(self, audit: MemoryAuditLog) -> None:
        self.audit = audit
        self._units: dict[str, OrgUnit] = {}

    def org_units(self) -> OrgUnits:
        if not self._units:
            raise OrgUnitError("no org units are stored yet")
        return OrgUnits(list(self._units.values()))

    def merge(self, units: Sequence[OrgUnit], actor: str, reason: str) -> list[str]:
        changed = []
        for unit in units:
            old = self._units.get(unit.code)
            if old == unit:
                continue
            self._units[unit.code] = unit
            action = "orgunit.created" if old is None else "orgunit.changed"
            self.audit.record(
                actor, action, "orgunit", unit.code, new=unit.model_dump(mode="json"), reason=reason
            )
            changed.append(unit.code)
        return changed


@contextmanager
def no_transaction() -> Iterator[None]:
    yield
