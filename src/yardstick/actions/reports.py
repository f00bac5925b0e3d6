"""Asking for an annual report (年度施政績效報告): a job for the worker, never work on a request.

Rendering a PDF takes seconds, so a request only queues a ``report`` job (audited); the worker
renders the report from the stored values and keeps the file until its inputs change. A report
already queued or being rendered for the same year and format is not queued twice.
"""

from __future__ import annotations

from yardstick.errors import YardstickError
from yardstick.reports.formats import FORMATS
from yardstick.state.accounts import Actor, PermissionDenied
from yardstick.state.jobs import REPORT, Job, JobQueue, JobStatus
from yardstick.state.storage import Storage


class ReportRequestError(YardstickError):
    """A report asked for in a format there is none of."""


def report_payload(year: int, format_name: str) -> dict[str, object]:
    return {"year": year, "format": format_name}


def request_report(
    storage: Storage, actor: Actor, plan: str, year: int, format_name: str
) -> tuple[Job, bool]:
    """Queue the rendering of ``plan``'s report for ``year``; (the job, whether it is new).

    Anyone holding a role for the plan may ask: the report shows the values they may see.
    """
    if not any(a.plan in (None, plan) for a in actor.assignments):
        raise PermissionDenied(f"{actor.username} may not render the reports of plan {plan}")
    if format_name not in FORMATS:
        raise ReportRequestError(
            f"no report format {format_name!r}; choose from {', '.join(FORMATS)}"
        )
    payload = report_payload(year, format_name)
    with storage.atomic():
        pending = pending_report(storage.jobs, plan, payload)
        if pending is not None:
            return pending, False
        reason = f"annual report {year} ({format_name}) requested"
        job = storage.jobs.enqueue(REPORT, plan, payload, actor.username, reason)
        storage.audit.record(
            actor.username,
            "job.enqueued",
            "job",
            str(job.id),
            plan=plan,
            new=payload,
            reason=reason,
        )
    return job, True


def pending_report(jobs: JobQueue, plan: str, payload: dict[str, object]) -> Job | None:
    """A report job for the same plan, year and format that is queued or running."""
    for status in (JobStatus.QUEUED, JobStatus.RUNNING):
        for job in jobs.jobs(status):
            if job.kind == REPORT and job.plan == plan and job.payload == payload:
                return job
    return None
