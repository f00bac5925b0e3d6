"""``yardstick worker``: drain the job queue — recomputes, so values stay fresh without a nightly
run, and annual reports asked for on the site."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated

import typer
from rich.console import Console

from yardstick.actions.recompute import run_recompute
from yardstick.actions.worker import LEASE_SECONDS, run_jobs
from yardstick.cli.context import open_project, open_storage
from yardstick.state.jobs import RECOMPUTE, REPORT, Job
from yardstick.state.storage import Storage

console = Console(stderr=True)


def worker_command(
    until_idle: Annotated[
        bool,
        typer.Option("--until-idle", help="stop once no job is waiting (else run until Ctrl-C)"),
    ] = False,
    lease: Annotated[
        float, typer.Option(help="seconds a claimed job stays this worker's without renewal")
    ] = LEASE_SECONDS,
) -> None:
    """Run queued jobs: recomputes of exactly the (KPI, year) pairs a change made stale, and reports."""
    from django.db import connections

    storage = open_storage()
    from yardstick.web.dashboard.report_jobs import run_report  # Django is set up by now

    stopping = {"now": False}

    def stop(signum: int, _: FrameType | None) -> None:
        stopping["now"] = True
        console.print(f"worker: {signal.Signals(signum).name}, stopping after the current job")

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)

    def recompute(job: Job) -> None:
        recompute_job(storage, job)

    def render(job: Job) -> None:
        rendered = run_report(storage, job)
        state = "rendered" if rendered.rendered else "already current"
        console.print(f"job {job.id}: report {rendered.path} ({rendered.size:,} bytes, {state})")

    report = run_jobs(
        storage.jobs,
        {RECOMPUTE: recompute, REPORT: render},
        lease_seconds=lease,
        until_idle=until_idle,
        should_stop=lambda: stopping["now"],
        on_thread_end=lambda: connections.close_all(),  # the lease thread's own connection
        log=lambda line: console.print(f"worker: {line}", markup=False),
    )
    console.print(f"worker: {len(report.done)} jobs done, {len(report.failed)} failed")


def recompute_job(storage: Storage, job: Job) -> None:
    """A recompute job: the (KPI, year) pairs it names, then the year-to-date months of those
    whose values changed (stored for the KPI pages' projections)."""
    from yardstick.web.dashboard.months import refresh_months

    project = open_project(storage, job.plan)
    report = run_recompute(project, job)
    months = refresh_months(project)
    console.print(
        f"job {job.id}: recomputed {len(report.recomputed)} (KPI, year), "
        f"reused {len(report.reused)}; months of {len(months)} (KPI, year) stored"
    )
