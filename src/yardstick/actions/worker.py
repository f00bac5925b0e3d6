"""``yardstick worker``: drain the job queue, one job at a time, each under a renewed lease.

A job is claimed with a lease and the lease is renewed from a background thread while the job
runs. A worker killed mid-job stops renewing; once the lease has run out another worker claims
the job again (its attempt count goes up). A job that raises is queued again after a pause that
grows with its attempts, until its attempts are used up; its error is kept on the job.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from yardstick.state.jobs import Job, JobQueue

Handler = Callable[[Job], None]

LEASE_SECONDS = 120.0
IDLE_SECONDS = 1.0


def worker_name() -> str:
    """``host:pid``: unique among running workers, and says where to look for a dead one."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass
class WorkerReport:
    done: list[int] = field(default_factory=list)
    failed: list[tuple[int, str]] = field(default_factory=list)


class _Lease:
    """Renews a job's lease every third of its length until stopped."""

    def __init__(
        self,
        queue: JobQueue,
        job: Job,
        worker: str,
        seconds: float,
        on_thread_end: Callable[[], None],
    ) -> None:
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._renew, args=(queue, job, worker, seconds, on_thread_end), daemon=True
        )

    def _renew(
        self,
        queue: JobQueue,
        job: Job,
        worker: str,
        seconds: float,
        on_thread_end: Callable[[], None],
    ) -> None:
        try:
            while not self._stop.wait(seconds / 3):
                if not queue.renew(job.id, worker, seconds):
                    return
        finally:
            on_thread_end()

    def __enter__(self) -> _Lease:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()


def run_jobs(
    queue: JobQueue,
    handlers: Mapping[str, Handler],
    *,
    worker: str | None = None,
    lease_seconds: float = LEASE_SECONDS,
    until_idle: bool = False,
    should_stop: Callable[[], bool] = lambda: False,
    on_thread_end: Callable[[], None] = lambda: None,
    log: Callable[[str], None] = lambda _: None,
) -> WorkerReport:
    """Claim and run jobs until ``should_stop()`` — or, with ``until_idle``, until none is ready."""
    name = worker or worker_name()
    report = WorkerReport()
    while not should_stop():
        job = queue.claim(name, lease_seconds)
        if job is None:
            if until_idle:
                break
            time.sleep(IDLE_SECONDS)
            continue
        _run_one(queue, handlers, job, name, lease_seconds, on_thread_end, report, log)
    return report


def _run_one(
    queue: JobQueue,
    handlers: Mapping[str, Handler],
    job: Job,
    worker: str,
    lease_seconds: float,
    on_thread_end: Callable[[], None],
    report: WorkerReport,
    log: Callable[[str], None],
) -> None:
    handler = handlers.get(job.kind)
    log(f"job {job.id} {job.kind} {job.plan} (attempt {job.attempts}): {job.reason}")
    try:
        if handler is None:
            raise LookupError(f"no handler for jobs of kind {job.kind!r}")
        with _Lease(queue, job, worker, lease_seconds, on_thread_end):
            handler(job)
    except Exception as error:  # noqa: BLE001 - a failed job is recorded, the worker goes on
        message = f"{type(error).__name__}: {error}".splitlines()[0][:2000]
        failed = queue.fail(job.id, worker, message, retry_in_seconds=min(300, 5 * 2**job.attempts))
        report.failed.append((job.id, message))
        log(f"job {job.id} failed ({failed.status.value}): {message}")
        return
    queue.finish(job.id, worker)
    report.done.append(job.id)
    log(f"job {job.id} done")
