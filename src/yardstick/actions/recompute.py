"""Keeping values fresh: a change enqueues the recompute of the (KPI, year) pairs it made stale,
in the change's own transaction; the worker runs it.

A batch's arrival or withdrawal makes stale exactly the pairs whose values rest on it (the rule
their fingerprints are made of); an approved value, the manual KPIs that weigh its element for
its year. The recompute itself compares fingerprints again, so a job that runs twice, or after a
later change, does no harm.
"""

from __future__ import annotations

from collections.abc import Iterable

from yardstick.calendar import YearRange
from yardstick.metrics.project import Project
from yardstick.metrics.service import ComputeReport, cells_resting_on
from yardstick.state.jobs import RECOMPUTE, Job
from yardstick.state.storage import Storage

Cell = tuple[str, int]


def cells_on_batches(project: Project, batch_ids: Iterable[str]) -> set[Cell]:
    """The (KPI, year) pairs of the project whose values rest on these (active) batches."""
    return cells_resting_on(
        list(project.definitions.values()),
        project.inputs(),
        project.store,
        batch_ids,
        project.computed_years().years,
    )


def enqueue_recompute(
    storage: Storage, plan: str, cells: Iterable[Cell], actor: str, reason: str
) -> Job | None:
    """Queue the recompute of ``cells`` (nothing when there are none)."""
    ordered = sorted(set(cells), key=lambda cell: (_kpi_order(cell[0]), cell[1]))
    if not ordered:
        return None
    payload = {"cells": [[kpi, year] for kpi, year in ordered]}
    job = storage.jobs.enqueue(RECOMPUTE, plan, payload, actor, reason)
    storage.audit.record(
        actor, "job.enqueued", "job", str(job.id), plan=plan, new=payload, reason=reason
    )
    return job


def run_recompute(project: Project, job: Job) -> ComputeReport:
    """Recompute what a job names (pairs still fresh are reused, not recomputed)."""
    cells = [(str(kpi), int(year)) for kpi, year in job.payload.get("cells", [])]
    if not cells:
        return ComputeReport(values=[])
    years = [year for _, year in cells]
    kpis = sorted({kpi for kpi, _ in cells})
    return project.compute(YearRange(min(years), max(years)), kpis=kpis)


def _kpi_order(code: str) -> tuple[int, ...]:
    return tuple(int(part) if part.isdigit() else 0 for part in code.split("-"))
