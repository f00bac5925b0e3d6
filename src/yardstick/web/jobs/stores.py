"""The job queue over the ORM.

Claiming is one transaction: on PostgreSQL ``SELECT … FOR UPDATE SKIP LOCKED`` lets several
workers take different jobs at once; on SQLite the transaction starts with ``BEGIN IMMEDIATE``
(see the settings), so claims are serialised by the database's write lock.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from yardstick.state.jobs import Job, JobStatus
from yardstick.web.jobs.models import Job as JobRow


class OrmJobQueue:
    def enqueue(
        self, kind: str, plan: str, payload: dict[str, Any], enqueued_by: str, reason: str
    ) -> Job:
        now = timezone.now()
        row = JobRow.objects.create(
            kind=kind,
            plan=plan,
            payload=payload,
            status=JobStatus.QUEUED.value,
            run_after=now,
            enqueued_by=enqueued_by,
            reason=reason,
            created_at=now,
        )
        return _job(row)

    def claim(self, worker: str, lease_seconds: float) -> Job | None:
        with transaction.atomic():
            now = timezone.now()
            ready = Q(status=JobStatus.QUEUED.value, run_after__lte=now) | Q(
                status=JobStatus.RUNNING.value, lease_until__lt=now
            )
            rows = JobRow.objects.filter(ready).order_by("id")
            if connection.vendor == "postgresql":
                rows = rows.select_for_update(skip_locked=True)
            row = rows.first()
            if row is None:
                return None
            if row.attempts >= row.max_attempts:  # its last worker died on every attempt
                row.status, row.finished_at = JobStatus.FAILED.value, now
                row.error = row.error or "the worker stopped before finishing, on every attempt"
                row.save()
                return self.claim(worker, lease_seconds)
            row.status, row.worker = JobStatus.RUNNING.value, worker
            row.attempts += 1
            row.started_at, row.lease_until = now, now + timedelta(seconds=lease_seconds)
            row.save()
            return _job(row)

    def renew(self, job_id: int, worker: str, lease_seconds: float) -> bool:
        until = timezone.now() + timedelta(seconds=lease_seconds)
        with transaction.atomic():
            mine = JobRow.objects.filter(id=job_id, worker=worker, status=JobStatus.RUNNING.value)
            return mine.update(lease_until=until) == 1

    def finish(self, job_id: int, worker: str) -> None:
        with transaction.atomic():
            JobRow.objects.filter(id=job_id, worker=worker).update(
                status=JobStatus.DONE.value, finished_at=timezone.now(), lease_until=None
            )

    def fail(self, job_id: int, worker: str, error: str, retry_in_seconds: float) -> Job:
        with transaction.atomic():
            row = JobRow.objects.get(id=job_id)
            now = timezone.now()
            row.error, row.lease_until = error, None
            if row.attempts < row.max_attempts:
                row.status = JobStatus.QUEUED.value
                row.run_after = now + timedelta(seconds=retry_in_seconds)
            else:
                row.status, row.finished_at = JobStatus.FAILED.value, now
            row.save()
            return _job(row)

    def jobs(self, status: JobStatus | None = None) -> Sequence[Job]:
        rows = JobRow.objects.all()
        if status is not None:
            rows = rows.filter(status=status.value)
        return [_job(row) for row in rows.order_by("id")]


def _job(row: JobRow) -> Job:
    return Job(
        id=row.id,
        kind=row.kind,
        plan=row.plan,
        payload=row.payload,
        status=JobStatus(row.status),
        attempts=row.attempts,
        enqueued_by=row.enqueued_by,
        reason=row.reason,
        created_at=row.created_at,
        error=row.error,
        worker=row.worker,
        lease_until=row.lease_until,
        finished_at=row.finished_at,
    )
