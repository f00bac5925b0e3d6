"""Annual reports on the site: asked for on the page, rendered by the worker's ``report`` job from
the stored values, served while their inputs stay the same (``yardstick.web.dashboard.reports``)."""

from __future__ import annotations

import dataclasses
import signal
from collections.abc import Callable, Iterator
from io import BytesIO
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from openpyxl import load_workbook

from tests.conftest import FIXTURES
from tests.deployment import PASSWORD, PLAN, run
from yardstick.actions.plans import import_plan_document
from yardstick.actions.reports import ReportRequestError, request_report
from yardstick.actions.worker import run_jobs
from yardstick.assess.plan_year import assess_plan
from yardstick.metrics.results import KpiValue
from yardstick.plan.document import read_document
from yardstick.state.accounts import PermissionDenied
from yardstick.state.jobs import REPORT, JobStatus
from yardstick.web.dashboard import report_jobs
from yardstick.web.dashboard.models import ReportFile
from yardstick.web.dashboard.report_jobs import run_report
from yardstick.web.jobs.models import Job as JobRow
from yardstick.web.storage import DjangoStorage

Clients = Callable[[str | None], Client]
REPORTS = f"/plans/{PLAN}/reports/"


@pytest.fixture
def storage(
    demo_deployment: Any, settings: Any, site_settings: Any, tmp_path: Path
) -> DjangoStorage:
    """The demo deployment with reports rendered into this test's own storage folder (the demo's
    batch folder is shared by the session; reports read no batch). The demo computed its values
    directly: the recompute jobs its ingests queued are done."""
    settings.YARDSTICK_DATA_DIR = tmp_path / "data"
    JobRow.objects.exclude(kind=REPORT).update(status=JobStatus.DONE.value)
    return DjangoStorage(tmp_path / "data")


def _html(response: Any) -> str:
    return str(response.content.decode("utf-8"))


def _token(client: Client) -> str:
    client.get(f"/plans/{PLAN}/plan/")  # a public page with a form
    return str(client.cookies["csrftoken"].value)


def _ask(client: Client, year: int, fmt: str) -> Any:
    return client.post(
        f"/plans/{PLAN}/reports/{year}/render",
        {"format": fmt, "csrfmiddlewaretoken": _token(client)},
    )


def _work(storage: DjangoStorage) -> list[int]:
    """Run the queued jobs as the worker does; the ids of those done."""
    done = run_jobs(storage.jobs, {REPORT: lambda job: run_report(storage, job)}, until_idle=True)
    assert not done.failed, done.failed
    return done.done


def _state_of(html: str, year: int, label: str) -> str:
    section = html[html.index(f'id="year-{year}"') :]
    row = section[section.index(f'<th scope="row">{label}</th>') :]
    return row[: row.index("</tr>")]


def _stored_at_root(storage: DjangoStorage, year: int) -> tuple[Any, list[KpiValue], str]:
    plan = storage.plans.current(PLAN).bundle.plan
    root = storage.org_units.org_units().root.code
    values = storage.results(PLAN).values(years=range(plan.start_year - 3, year + 1))
    return plan, values, root


def test_the_public_is_sent_to_sign_in(storage: DjangoStorage, client_as: Clients) -> None:
    client = client_as(None)
    for response in (
        client.get(REPORTS),
        client.get(f"/plans/{PLAN}/reports/109.pdf"),
        _ask(client, 109, "pdf"),
    ):
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not JobRow.objects.filter(kind=REPORT).exists()


def test_someone_without_a_role_for_the_plan_is_refused(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    storage.accounts.create("visitor", PASSWORD, "admin")
    client = client_as("visitor")
    assert client.get(REPORTS).status_code == 403
    assert _ask(client, 109, "html").status_code == 403
    assert client.get(f"/plans/{PLAN}/reports/109.html").status_code == 403
    assert not JobRow.objects.filter(kind=REPORT).exists()


def test_the_report_action_checks_the_role_itself(storage: DjangoStorage) -> None:
    storage.accounts.create("visitor", PASSWORD, "admin")
    with pytest.raises(PermissionDenied, match="visitor may not render the reports"):
        request_report(storage, storage.accounts.actor("visitor"), PLAN, 109, "pdf")
    with pytest.raises(ReportRequestError, match="no report format 'docx'"):
        request_report(storage, storage.accounts.actor("reviewer"), PLAN, 109, "docx")
    assert not JobRow.objects.filter(kind=REPORT).exists()


@pytest.mark.parametrize("name", ["planner", "aea-officer", "aoc-officer", "reviewer", "auditor"])
def test_everyone_with_a_role_sees_each_plan_years_reports(
    storage: DjangoStorage, client_as: Clients, site_settings: Any, name: str
) -> None:
    response = client_as(name).get(REPORTS)
    assert response.status_code == 200
    html = _html(response)
    for year in (106, 107, 108, 109):
        assert f"{year}年度施政績效報告" in html
        for label in ("PDF", "Excel (XLSX)", "HTML"):
            assert "尚未產製。" in _state_of(html, year, label)
    assert 'data-pending="false"' in html


def test_asking_queues_one_audited_report_job_and_shows_it_queued(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("aea-officer")
    response = _ask(client, 109, "html")
    assert response.status_code == 302 and response["Location"] == REPORTS
    [job] = JobRow.objects.filter(kind=REPORT)
    assert (job.plan, job.payload, job.status, job.enqueued_by) == (
        PLAN,
        {"year": 109, "format": "html"},
        "queued",
        "aea-officer",
    )
    [entry] = storage.audit.entries("job", str(job.id))
    assert (entry.action, entry.actor, entry.new) == ("job.enqueued", "aea-officer", job.payload)
    html = _html(client.get(REPORTS))
    assert "HTML 格式之民國109年報告已排入產製。" in html
    assert "已排入產製佇列。" in _state_of(html, 109, "HTML")
    assert 'data-pending="true"' in html and "yardstick/js/reports.js" in html

    again = _ask(client_as("reviewer"), 109, "html")
    assert again.status_code == 302
    assert JobRow.objects.filter(kind=REPORT).count() == 1


@pytest.mark.parametrize(
    ("year", "fmt"), [(105, "html"), (110, "pdf"), (109, "docx"), (109, ""), (109, "../x")]
)
def test_a_year_outside_the_plan_or_an_unknown_format_is_a_404(
    storage: DjangoStorage, client_as: Clients, site_settings: Any, year: int, fmt: str
) -> None:
    client = client_as("reviewer")
    assert _ask(client, year, fmt).status_code == 404
    assert not JobRow.objects.filter(kind=REPORT).exists()
    if fmt and "/" not in fmt:
        assert client.get(f"/plans/{PLAN}/reports/{year}.{fmt}").status_code == 404


def test_an_unknown_plan_is_a_404(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    assert client_as("reviewer").get("/plans/moj-999-999/reports/").status_code == 404


def test_render_answers_only_post(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    assert client_as("reviewer").get(f"/plans/{PLAN}/reports/109/render").status_code == 405


def test_a_report_not_rendered_yet_is_not_served(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    assert client_as("reviewer").get(f"/plans/{PLAN}/reports/109.html").status_code == 404


def test_the_worker_renders_the_report_from_the_stored_values_and_the_site_serves_it(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("reviewer")
    _ask(client, 109, "xlsx")
    [job_id] = _work(storage)
    assert JobRow.objects.get(id=job_id).status == JobStatus.DONE.value
    row = ReportFile.objects.get(plan__code=PLAN, year=109, format="xlsx")
    assert row.job_id == job_id and (storage.data_dir / row.path).is_file()
    assert row.path.startswith(f"reports/{PLAN}/109-")

    html = _html(client.get(REPORTS))
    assert "已可下載：" in _state_of(html, 109, "Excel (XLSX)")
    assert f'href="/plans/{PLAN}/reports/109.xlsx"' in html
    response = client.get(f"/plans/{PLAN}/reports/109.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert response["Content-Disposition"].startswith("attachment;")
    data = response.content
    assert len(data) == row.size

    plan, values, root = _stored_at_root(storage, 109)
    assessed = assess_plan(plan, values, 109, root)
    rows = list(load_workbook(BytesIO(data))["關鍵績效指標"].iter_rows(values_only=True))
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert len(by_code) == len(assessed.kpis) == 16
    for item in assessed.kpis:
        assert by_code[item.kpi.code]["實際值"] == item.assessment.shown
        assert by_code[item.kpi.code]["燈號"] == item.assessment.light.zh
    assert any(item.assessment.actual is not None for item in assessed.kpis)


def test_a_report_goes_stale_when_a_value_it_rests_on_changes(
    storage: DjangoStorage,
    client_as: Clients,
    site_settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    client = client_as("planner")
    for year in (108, 109):
        _ask(client, year, "html")
    _work(storage)
    first = ReportFile.objects.get(year=109, format="html")
    assert client.get(f"/plans/{PLAN}/reports/109.html").status_code == 200

    root = storage.org_units.org_units().root.code
    [changed] = [
        v for v in storage.results(PLAN).values(kpis=["8-1"], years=[109]) if v.org_unit == root
    ]
    assert changed.value is not None
    moved = dataclasses.replace(changed, value=changed.value + 1)
    storage.results(PLAN).replace([moved], {("8-1", 109): "a new batch arrived"})

    html = _html(client.get(REPORTS))
    assert "已過時：" in _state_of(html, 109, "HTML")
    assert "已可下載：" in _state_of(html, 108, "HTML"), "a 109 value is not an input of 108"
    assert client.get(f"/plans/{PLAN}/reports/109.html").status_code == 404
    assert client.get(f"/plans/{PLAN}/reports/108.html").status_code == 200

    _ask(client, 109, "html")
    with django_capture_on_commit_callbacks(execute=True):
        _work(storage)
    second = ReportFile.objects.get(year=109, format="html")
    assert second.inputs_fingerprint != first.inputs_fingerprint
    assert not (storage.data_dir / first.path).exists()
    served = client.get(f"/plans/{PLAN}/reports/109.html").content.decode("utf-8")
    assert moved.shown() in served


def test_a_report_asked_for_twice_is_rendered_once(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    _ask(client_as("reviewer"), 109, "html")
    _work(storage)
    job = storage.jobs.enqueue(REPORT, PLAN, {"year": 109, "format": "html"}, "reviewer", "again")
    with mock.patch.object(report_jobs, "render_report", autospec=True) as render:
        _work(storage)
    render.assert_not_called()
    assert JobRow.objects.get(id=job.id).status == JobStatus.DONE.value


def test_a_failed_rendering_shows_its_error_and_offers_to_try_again(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("reviewer")
    _ask(client, 109, "pdf")
    JobRow.objects.filter(kind=REPORT).update(max_attempts=1)
    with mock.patch.object(
        report_jobs, "render_report", autospec=True, side_effect=OSError("no CJK font installed")
    ):
        report = run_jobs(
            storage.jobs, {REPORT: lambda job: run_report(storage, job)}, until_idle=True
        )
    assert [error for _, error in report.failed] == ["OSError: no CJK font installed"]
    html = _html(client.get(REPORTS))
    state = _state_of(html, 109, "PDF")
    assert "產製失敗：" in state and "OSError: no CJK font installed" in state
    assert "重新產製 PDF" in state
    assert not ReportFile.objects.exists()


@pytest.mark.slow
def test_the_pdf_report_is_served_as_a_pdf(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("auditor")
    _ask(client, 109, "pdf")
    _work(storage)
    response = client.get(f"/plans/{PLAN}/reports/109.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


@pytest.fixture
def signals_restored() -> Iterator[None]:
    """The worker command sets SIGINT/SIGTERM handlers; the test session keeps its own."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    yield
    for sig, handler in saved.items():
        signal.signal(sig, handler)


def test_yardstick_worker_runs_report_jobs(
    storage: DjangoStorage, client_as: Clients, site_settings: Any, signals_restored: None
) -> None:
    _ask(client_as("reviewer"), 108, "html")
    ran = run("worker", "--until-idle", as_=None)
    assert ran.exit_code == 0, ran.error
    assert JobRow.objects.get(kind=REPORT).status == JobStatus.DONE.value
    row = ReportFile.objects.get(year=108, format="html")
    assert (storage.data_dir / row.path).is_file()


def test_a_plan_without_definitions_has_reports_too(
    storage: DjangoStorage, client_as: Clients, site_settings: Any
) -> None:
    document = FIXTURES / "plans" / "moe-110-113-crlf.txt"
    plan = read_document(document, ministry="教育部", period="110-113")
    import_plan_document(
        storage,
        storage.accounts.actor("planner"),
        "moe-110-113",
        plan,
        document.read_text("utf-8-sig"),
    )
    client = client_as("reviewer")
    assert client.get("/plans/moe-110-113/reports/").status_code == 200
    client.post(
        "/plans/moe-110-113/reports/113/render",
        {"format": "html", "csrfmiddlewaretoken": _token(client)},
    )
    _work(storage)
    served = client.get("/plans/moe-110-113/reports/113.html")
    assert served.status_code == 200
    assert "教師專業發展參與率" in served.content.decode("utf-8")
