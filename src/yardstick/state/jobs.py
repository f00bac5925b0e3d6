"""The job queue: work taken off the request path, drained by ``yardstick worker``.

A job is claimed with a lease (a time until which it belongs to one worker). A worker that dies
mid-job (SIGKILL, power cut) stops renewing the lease; when it runs out, another worker takes the
job again. Every job is idempotent: a recompute rewrites whole (KPI, year) pairs in one transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol


class JobStatus(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


RECOMPUTE = "recompute"
"""Recompute a plan's (KPI, year) pairs: payload ``{"cells": [[kpi, year], …]}``."""

REPORT = "report"
"""Render a plan year's annual report from the stored values: payload ``{"year": 109, "format": "pdf"}``."""


@dataclass(frozen=True)
class Job:
    id: int
    kind: str
    plan: str
    payload: dict[str, Any]
    status: JobStatus
    attempts: int
    enqueued_by: str
    reason: str
    created_at: datetime
    error: str = ""
    worker: str = ""
    lease_until: datetime | None = None
    finished_at: datetime | None = None


class JobQueue(Protocol):
    def enqueue(
        self, kind: str, plan: str, payload: dict[str, Any], enqueued_by: str, reason: str
    ) -> Job:
        """Queue a job (inside the caller's transaction, when there is one)."""
        ...

    def claim(self, worker: str, lease_seconds: float) -> Job | None:
        """Take the oldest job that is queued, or running with an expired lease; None if none."""
        ...

    def renew(self, job_id: int, worker: str, lease_seconds: float) -> bool:
        """Extend the lease; False when the job is no longer this worker's."""
        ...

    def finish(self, job_id: int, worker: str) -> None: ...

    def fail(self, job_id: int, worker: str, error: str, retry_in_seconds: float) -> Job:
        """Record the error; queue the job again until its attempts are used up."""
        ...

    def jobs(self, status: JobStatus | None = None) -> Sequence[Job]: ...
