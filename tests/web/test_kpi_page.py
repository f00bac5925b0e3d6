"""A KPI's page and its figures: 衡量標準, definition, targets; values by year and by org unit; the
months with their projection; where the number comes from; CSV and XLSX; who sees what."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from openpyxl import load_workbook

from tests.deployment import PASSWORD, PLAN
from tests.web.pages import row_with, section, text
from yardstick.assess.plan_year import assess_plan
from yardstick.metrics.results import KpiValue, round_half_up
from yardstick.web.layout.templatetags.yardstick import number, without_paths
from yardstick.web.projects import open_project

Clients = Callable[[str | None], Client]


def _url(kpi: str, query: str = "") -> str:
    return f"/plans/{PLAN}/kpis/{kpi}/{query}"


def _page(client: Client, kpi: str, query: str = "") -> str:
    response = client.get(_url(kpi, query))
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _stored(storage: Any, kpi: str) -> dict[tuple[int, str], KpiValue]:
    return {(v.year, v.org_unit): v for v in storage.results(PLAN).values(kpis=[kpi])}


def test_it_shows_the_measurement_standard_its_interpretation_and_targets(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    kpi, definition = project.plan.kpi("8-1"), project.bundle.definitions["8-1"]
    page = text(_page(client_as("reviewer"), "8-1"))
    assert text(kpi.measurement_standard) in page
    assert text(definition.interpretation.zh) in page
    targets = section(_page(client_as("reviewer"), "8-1"), "targets")
    for target in kpi.targets:
        row = row_with(targets, f"民國{target.year}年")
        assert target.text in row and "以上（越高越好）" in row and "已複核" in row
        assert "at_least" not in row


def test_actual_against_target_by_year_is_the_stored_values_as_assessed(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    stored = _stored(demo_deployment, "8-1")
    by_year = section(_page(client_as("reviewer"), "8-1"), "by-year")
    for year in range(106, 110):
        assert stored[(year, "MOJ")].shown() in row_with(by_year, f"民國{year}年")
    item = next(
        k
        for k in assess_plan(project.plan, project.store.values(), 109, "MOJ").kpis
        if k.kpi.code == "8-1"
    )
    row = row_with(by_year, "民國109年")
    assert item.assessment.achievement is not None
    assert f"{round_half_up(item.assessment.achievement * 100, 1)}%" in row
    assert item.assessment.light.zh in row
    spec = json.loads(re.findall(r'id="trend-chart-spec"[^>]*>(.*?)</script>', by_year, re.S)[0])
    drawn = {p["年度"]: p["實際值"] for p in spec["layer"][0]["data"]["values"]}
    assert drawn == {f"{y}年": stored[(y, "MOJ")].value for y in range(106, 110)}


def test_the_breakdown_drills_down_the_hierarchy(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    stored = _stored(demo_deployment, "8-1")
    client = client_as("reviewer")
    top = section(_page(client, "8-1"), "by-unit")
    assert stored[(109, "MOJ.AEA")].shown() in row_with(top, "法務部行政執行署<")
    assert "?year=109&amp;unit=MOJ.AEA" in top
    agency = section(_page(client, "8-1", "?year=109&unit=MOJ.AEA"), "by-unit")
    trail = text(agency.split('class="breadcrumb"')[1].split("<ol>")[1].split("</ol>")[0])
    assert trail.startswith("法務部") and trail.endswith("法務部行政執行署")
    project = open_project(demo_deployment, PLAN)
    branches = project.org_units.children("MOJ.AEA")
    assert branches and "<table data-sortable>" in agency and 'id="breakdown-chart-spec"' in agency
    for branch in branches:
        value = stored[(109, branch.code)]
        row = row_with(agency, f">{branch.name_zh}<")
        assert value.shown() in row
        assert f"分子 {number(value.inputs['numerator'])}" in row


def test_the_months_and_their_projection_are_what_watch_computes(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    from yardstick.assess.watch import watch

    project = open_project(demo_deployment, PLAN)
    months = section(_page(client_as("reviewer"), "8-1", "?year=109"), "months")
    for month in (3, 9):
        expected = next(p for p in watch(project, 109, month) if p.kpi == "8-1")
        assert expected.projected is not None and expected.low is not None
        assert expected.high is not None and expected.year_to_date is not None
        row = row_with(months, f">{month}月<")
        assert number(expected.year_to_date, 2) in row
        assert number(expected.projected, 2) in row
        assert f"{number(expected.low, 2)} – {number(expected.high, 2)}" in row
        assert expected.light.zh in row


def test_months_without_records_of_their_own_project_nothing(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    from django.utils import timezone

    from yardstick.assess.watch import watch
    from yardstick.web.dashboard.models import MonthlyValue

    september = MonthlyValue.objects.get(kpi="8-1", year=109, month=9)
    MonthlyValue.objects.filter(kpi="8-1", year=109, month__gt=9).update(
        value=september.value, inputs=september.inputs, computed_at=timezone.now()
    )  # the year's records stop in September
    months = section(_page(client_as("reviewer"), "8-1", "?year=109"), "months")
    expected = next(p for p in watch(open_project(demo_deployment, PLAN), 109, 9) if p.kpi == "8-1")
    assert expected.projected is not None
    assert f"依 9 月資料推估年底值： <strong>{number(expected.projected, 2)}</strong>" in months
    for month in (10, 11, 12):
        assert "本月無新紀錄" in row_with(months, f">{month}月<")
    assert "本月無新紀錄" not in row_with(months, ">9月<")


def test_where_the_number_comes_from(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    from yardstick.web.datasets.models import Batch

    value = _stored(demo_deployment, "8-1")[(109, "MOJ")]
    assert value.lineage is not None and value.lineage.batches
    html = _page(client_as("reviewer"), "8-1", "?year=109")
    provenance = section(html, "provenance")
    facts = text(provenance)
    assert f"第 {value.lineage.definition_version} 版" in facts
    assert value.lineage.definition_hash in facts and value.lineage.formula in facts
    assert f"分子 {number(value.inputs['numerator'])}" in facts
    assert f"分母 {number(value.inputs['denominator'])}" in facts
    for used in value.lineage.batches:
        batch = Batch.objects.get(id=used.batch_id)
        row = row_with(provenance, used.checksum)
        assert used.source in row and batch.ingested_by in row and number(used.rows) in row
        assert f"/batches/{used.batch_id}/" in provenance  # a reviewer may open the batch
    assert '<pre class="sql">' in provenance
    shown = without_paths(value.lineage.sql[0])
    assert f'<pre class="sql">{escape(shown)}</pre>' in provenance
    assert str(demo_deployment.data_dir) not in provenance, "no server path on the page"
    assert all(f"'batch {b.batch_id}'" in shown for b in value.lineage.batches)


def test_only_those_who_may_see_records_get_links_to_the_batches(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    value = _stored(demo_deployment, "8-1")[(109, "MOJ")]
    assert value.lineage is not None
    batch = value.lineage.batches[0].batch_id
    for account, links in [("auditor", True), ("planner", False), ("aoc-officer", False)]:
        provenance = section(_page(client_as(account), "8-1"), "provenance")
        assert (f"/batches/{batch}/" in provenance) is links, account


def test_a_manual_kpi_names_who_entered_and_who_approved_its_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    entered = [v for v in project.elements.approved().values() if v.year == 109]
    provenance = section(_page(client_as("reviewer"), "3-1", "?year=109"), "provenance")
    milestones = [v for v in entered if v.element == "integrity_evaluation_progress"]
    assert milestones
    for value in milestones:
        row = row_with(provenance, f">{value.element}<")
        assert value.entered_by in row and str(value.approved_by) in row
    assert 'aria-labelledby="months"' not in _page(client_as("reviewer"), "3-1")  # no records


def test_the_programmes_linked_to_the_kpi_are_links(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    linked = [(n, p) for n, p in enumerate(project.plan.programmes, 1) if "8-1" in p.kpis]
    programmes = section(_page(client_as(None), "8-1"), "programmes")
    assert linked
    for n, programme in linked:
        assert f'href="/plans/{PLAN}/plan/programmes/{n}/">{programme.name}<' in programmes


def test_the_public_sees_the_standard_and_targets_but_no_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    html = _page(client_as(None), "8-1")
    assert text(project.plan.kpi("8-1").measurement_standard) in text(html)
    assert 'aria-labelledby="targets"' in html and "/accounts/login/?next=" in html
    for hidden in ("by-year", "by-unit", "months", "provenance", "downloads"):
        assert f'aria-labelledby="{hidden}"' not in html
    assert _stored(demo_deployment, "8-1")[(109, "MOJ")].shown() not in html
    response = client_as(None).get(_url("8-1", "?unit=MOJ.AEA"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_without_a_role_sees_no_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    demo_deployment.accounts.create("nobody", PASSWORD, "admin")
    client = client_as("nobody")
    assert 'aria-labelledby="provenance"' not in _page(client, "8-1")
    assert client.get(_url("8-1", "?unit=MOJ.AEA")).status_code == 403
    assert client.get(_url("8-1", "figures.csv")).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        _url("99-1"),
        _url("8-1", "?unit=MOJ.NOPE"),
        _url("8-1", "?year=abc"),
        _url("8-1", "?year=200"),
        _url("99-1", "figures.csv"),
        _url("8-1", "figures.pdf"),
        "/plans/no-such-plan/kpis/8-1/",
    ],
)
def test_unknown_kpis_units_years_and_formats_are_404(
    demo_deployment: Any, client_as: Clients, site_settings: Any, url: str
) -> None:
    assert client_as("reviewer").get(url).status_code == 404


def test_the_figures_download_as_csv_with_every_year_unit_and_input(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    stored = _stored(demo_deployment, "8-1")
    response = client_as("aea-officer").get(_url("8-1", "figures.csv"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    with translation.override("zh-hant"):
        names = [_(n) for n in ("KPI", "ROC year", "Org unit code", "Org unit")]
        names += [pgettext("a KPI figure", "Value"), _("Unit")]
    assert header[:6] == names and names[1] == "年度（民國）" and names[4] == "數值"
    assert "numerator" in header and "denominator" in header
    assert len(body) == len(stored)
    row = next(r for r in body if r[1] == "109" and r[2] == "MOJ.AEA")
    value = stored[(109, "MOJ.AEA")]
    assert value.value is not None
    assert float(row[4]) == float(round_half_up(value.value, value.decimals))
    assert float(row[header.index("numerator")]) == value.inputs["numerator"]
    assert row[3] == "法務部行政執行署"


def test_the_xlsx_holds_the_same_figures_as_the_csv(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("reviewer")
    csv_rows = list(
        csv.reader(io.StringIO(client.get(_url("1-3", "figures.csv")).content.decode("utf-8-sig")))
    )
    response = client.get(_url("1-3", "figures.xlsx"))
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    xlsx_rows = [
        ["" if cell is None else str(cell) for cell in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert len(xlsx_rows) == len(csv_rows)
    for from_xlsx, from_csv in zip(xlsx_rows, csv_rows, strict=True):
        assert [c.removesuffix(".0") for c in from_xlsx] == [c.removesuffix(".0") for c in from_csv]


def test_text_in_the_figures_never_runs_as_a_formula(demo_deployment: Any) -> None:
    from yardstick.web.dashboard.figures import figures_file

    project = open_project(demo_deployment, PLAN)
    trap = KpiValue("8-1", 109, "MOJ", None, "%", 2, {}, '=HYPERLINK("http://x")')
    content, _ = figures_file(project, "8-1", [trap], "csv", True)
    row = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))[1]
    assert row[-1] == '\'=HYPERLINK("http://x")'
    content, _ = figures_file(project, "8-1", [trap], "xlsx", True)
    sheet = load_workbook(io.BytesIO(content)).active
    assert sheet is not None and sheet.cell(2, sheet.max_column).value == row[-1]


def test_the_figures_send_the_public_to_sign_in(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as(None).get(_url("8-1", "figures.xlsx"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_months_computed_before_the_latest_value_are_marked_stale(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    from django.utils import timezone

    from yardstick.web.values.models import ComputedCell

    recomputed = {"fingerprint": "changed-since", "computed_at": timezone.now()}
    ComputedCell.objects.filter(kpi="8-1", year=109).update(**recomputed)
    months = section(_page(client_as("reviewer"), "8-1", "?year=109"), "months")
    assert "系統將重新計算" in months
    fresh = section(_page(client_as("reviewer"), "8-1", "?year=108"), "months")
    assert "系統將重新計算" not in fresh


def test_the_interpretation_is_in_english_when_asked(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    client = client_as("reviewer")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(_page(client, "8-1"))
    assert text(project.bundle.definitions["8-1"].interpretation.en) in page
    assert "Where the number comes from" in page and "ROC 109 (2020)" in page


def test_the_kpi_page_costs_a_bounded_number_of_queries(
    demo_deployment: Any,
    client_as: Clients,
    site_settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as("reviewer")
    client.get(_url("8-1"))  # the plan's content is parsed once per process
    with django_assert_max_num_queries(18):
        assert client.get(_url("8-1", "?unit=MOJ.AEA")).status_code == 200
    with django_assert_max_num_queries(12):  # rendered already, the values unchanged
        assert client.get(_url("8-1", "?unit=MOJ.AEA")).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(_url("8-1", "figures.csv")).status_code == 200


def test_a_recompute_shows_the_new_value_on_the_next_request(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    client = client_as("reviewer")
    before = _stored(demo_deployment, "8-1")[(109, "MOJ")]
    assert before.shown() in section(_page(client, "8-1"), "provenance")
    changed = KpiValue(**{**before.__dict__, "value": 12.3456})
    project.store.replace([changed], {("8-1", 109): "a-new-fingerprint"})
    provenance = section(_page(client, "8-1"), "provenance")
    assert changed.shown() in provenance and before.shown() not in provenance


def test_a_kpi_without_a_definition_says_it_cannot_be_computed(
    deployment: Any, client_as: Clients, site_settings: Any, tmp_path: Any
) -> None:
    import shutil

    from tests.deployment import MOJ_FOLDER
    from yardstick.actions.plans import load_plan_folder

    folder = tmp_path / "bare-106-109"
    folder.mkdir()
    for name in ("plan.yaml", "orgunits.yaml"):
        shutil.copy(MOJ_FOLDER / name, folder / name)
    load_plan_folder(deployment, deployment.accounts.actor("planner"), folder)
    response = client_as("reviewer").get("/plans/bare-106-109/kpis/8-1/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "本指標尚未撰寫定義，無法計算" in html and "尚未定義" in html
    assert "本機關 民國109年 無已儲存之數值" in html
