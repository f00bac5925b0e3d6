"""The year-to-date months stored for the KPI pages: by the worker after a recompute, by
``yardstick kpi compute``; kept per (KPI, year) with the fingerprint of the value."""

from __future__ import annotations

from typing import Any

from tests.deployment import PLAN, run
from yardstick.calendar import YearRange
from yardstick.state.jobs import RECOMPUTE
from yardstick.web.dashboard.models import MonthlyValue
from yardstick.web.dashboard.months import OrmMonthStore, stale_cells
from yardstick.web.projects import open_project
from yardstick.web.values.models import ComputedCell


def _months(kpi: str, year: int) -> dict[int, float | None]:
    rows = MonthlyValue.objects.filter(plan__code=PLAN, kpi=kpi, year=year)
    return dict(rows.values_list("month", "value"))


def test_the_demo_keeps_the_months_of_every_record_based_kpi_year(demo_deployment: Any) -> None:
    project = open_project(demo_deployment, PLAN)
    assert stale_cells(project, OrmMonthStore(PLAN)) == set()
    computed = project.monthly(YearRange(109, 109), kpis=["8-1"])
    assert _months("8-1", 109) == {m.month: m.value for m in computed}
    assert not MonthlyValue.objects.filter(kpi="3-1").exists()  # entered values have no months


def test_the_workers_recompute_stores_the_months_of_what_changed(demo_deployment: Any) -> None:
    from yardstick.actions.worker import run_jobs
    from yardstick.cli.worker import recompute_job

    before = _months("8-1", 109)
    MonthlyValue.objects.filter(kpi="8-1", year=109).delete()

    def computed_at() -> set[Any]:
        rows = MonthlyValue.objects.filter(kpi="1-1", year=108)
        return set(rows.values_list("computed_at", flat=True))

    kept = computed_at()
    demo_deployment.jobs.enqueue(RECOMPUTE, PLAN, {"cells": [["8-1", 109]]}, "planner", "test")
    report = run_jobs(
        demo_deployment.jobs,
        {RECOMPUTE: lambda job: recompute_job(demo_deployment, job)},
        until_idle=True,
    )
    assert report.done and not report.failed
    assert _months("8-1", 109) == before and len(before) == 12
    assert computed_at() == kept  # fresh months are not computed again


def test_months_of_a_changed_value_are_computed_again(demo_deployment: Any) -> None:
    from yardstick.web.dashboard.months import refresh_months

    project = open_project(demo_deployment, PLAN)
    ComputedCell.objects.filter(kpi="4-1", year=107).update(fingerprint="a-new-state")
    assert stale_cells(project, OrmMonthStore(PLAN)) == {("4-1", 107)}
    assert refresh_months(project) == [("4-1", 107)]
    prints = set(
        MonthlyValue.objects.filter(kpi="4-1", year=107).values_list("fingerprint", flat=True)
    )
    assert prints == {"a-new-state"}
    assert refresh_months(project) == []


def test_kpi_compute_stores_the_months_too(demo_deployment: Any) -> None:
    from yardstick.metrics.catalog import COMPUTED

    MonthlyValue.objects.filter(year=108).delete()
    ran = run("kpi", "compute", "--year", "108")
    assert ran.exit_code == 0, ran.output
    assert "with the months of" in ran.output
    project = open_project(demo_deployment, PLAN)
    record_based = {c for c, d in project.definitions.items() if isinstance(d, COMPUTED)}
    stored = set(MonthlyValue.objects.filter(year=108).values_list("kpi", flat=True))
    assert stored == record_based and "8-1" in stored and "3-1" not in stored
