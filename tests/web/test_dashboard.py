"""The dashboard (總覽): the demo's stored values as assessed, by goal; filters; who sees what."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client

from tests.deployment import ACCOUNTS, MOJ_FOLDER, PASSWORD, PLAN
from tests.web.pages import row_with, rows, section, text
from yardstick.assess.plan_year import PlanYear, assess_plan
from yardstick.metrics.results import round_half_up
from yardstick.plan.rating import Light
from yardstick.web.projects import open_project

URL = f"/plans/{PLAN}/"
Clients = Callable[[str | None], Client]


def _assessed(storage: Any, year: int, unit: str = "MOJ") -> PlanYear:
    project = open_project(storage, PLAN)
    return assess_plan(project.plan, project.store.values(), year, unit)


def _page(client: Client, query: str = "") -> str:
    response = client.get(URL + query)
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def _kpi_link(code: str) -> str:
    return f"/kpis/{code}/?"


def test_each_kpi_shows_its_stored_value_achievement_and_light(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assessed = _assessed(demo_deployment, 109)
    html = _page(client_as("reviewer"))
    assert "民國109年" in text(html.split("</h1>")[0])  # the last plan year with values
    for item in assessed.kpis:
        row = row_with(html, _kpi_link(item.kpi.code))
        a = item.assessment
        assert item.kpi.name in row and a.shown in row and a.light.zh in row
        assert a.target is not None and a.target.text in row and a.target.direction.zh in row
        if a.achievement is not None:
            assert f"{round_half_up(a.achievement * 100, 1):,.1f}%" in row
    assert len({item.assessment.light for item in assessed.kpis}) > 1


def test_light_counts_per_goal_are_the_assessments(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assessed = _assessed(demo_deployment, 109)
    lights = section(_page(client_as("auditor")), "lights-heading")
    for goal in assessed.plan.goals:
        counts = assessed.light_counts(goal.number)
        row = row_with(lights, f"{goal.number} {goal.name}<")
        assert row.endswith(" ".join(str(counts[light]) for light in Light))
    totals = assessed.light_counts()
    assert text(lights).count(" ".join(str(totals[light]) for light in Light)) >= 1
    assert 'id="lights-chart-spec"' in lights  # the chart, with the table as its alternative


def test_another_year_shows_that_years_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assessed = _assessed(demo_deployment, 107)
    html = _page(client_as("reviewer"), "?year=107")
    for item in assessed.kpis:
        assert item.assessment.shown.split("（")[0] in row_with(html, _kpi_link(item.kpi.code))


def test_the_goal_filter_shows_only_that_goals_kpis(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _page(client_as("reviewer"), "?goal=2")
    shown = set(re.findall(r"/kpis/([0-9]+-[0-9]+)/\?", html))
    assert shown == {"2-1", "2-2"}


def test_the_light_filter_shows_only_kpis_with_that_light(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assessed = _assessed(demo_deployment, 109)
    for light in (Light.GREEN, Light.YELLOW, Light.RED):
        html = _page(client_as("reviewer"), f"?light={light.value}")
        shown = set(re.findall(r"/kpis/([0-9]+-[0-9]+)/\?", html))
        expected = {k.kpi.code for k in assessed.kpis if k.assessment.light is light}
        assert shown == expected


def test_an_org_unit_shows_its_own_values_and_leaves_out_kpis_without_any(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    stored = {
        v.kpi: v
        for v in demo_deployment.results(PLAN).values(years=[109])
        if v.org_unit == "MOJ.AEA"
    }
    html = _page(client_as("reviewer"), "?unit=MOJ.AEA")
    shown = set(re.findall(r"/kpis/([0-9]+-[0-9]+)/\?year=109&amp;unit=MOJ.AEA", html))
    assert shown == set(stored) and "8-1" in shown
    assert stored["8-1"].shown() in row_with(html, _kpi_link("8-1"))
    hidden = 16 - len(stored)
    assert f"另有 {hidden} 項指標本年度於本機關無數值" in html


def test_an_agencys_share_of_a_count_is_not_held_against_the_ministrys_target(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _page(client_as("reviewer"), "?unit=MOJ.HPO")
    count = row_with(html, _kpi_link("1-1"))  # persons: the agency's part of the total
    assert "不與部之目標值比較" in count and "燈" not in count
    rate = row_with(html, _kpi_link("3-2"))  # a rate: comparable to the target
    assessed = _assessed(demo_deployment, 109, "MOJ.HPO")
    item = next(k for k in assessed.kpis if k.kpi.code == "3-2")
    assert item.assessment.light.zh in rate and item.assessment.shown in rate


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("?year=99", "本計畫無 99 年度之數值"),
        ("?year=110", "本計畫無 110 年度之數值"),
        ("?year=abc", "本計畫無 abc 年度之數值"),
        ("?year=1e3", "本計畫無 1e3 年度之數值"),
        ("?goal=0", "本計畫無關鍵策略目標 0"),
        ("?goal=x", "本計畫無關鍵策略目標 x"),
        ("?light=blue", "無此燈號：blue"),
        ("?unit=MOJ.NOPE", "無此機關：MOJ.NOPE"),
    ],
)
def test_a_bad_query_value_is_a_404_saying_what_is_unknown(
    demo_deployment: Any, client_as: Clients, site_settings: Any, query: str, says: str
) -> None:
    response = client_as("reviewer").get(URL + query)
    assert response.status_code == 404 and says in response.content.decode()


def test_an_unknown_plan_is_a_404(deployment: Any, client_as: Clients, site_settings: Any) -> None:
    assert client_as("reviewer").get("/plans/no-such-plan/").status_code == 404


def test_the_public_sees_goals_kpis_and_targets_but_no_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    assessed = _assessed(demo_deployment, 109)
    html = _page(client_as(None))
    assert "/accounts/login/?next=" in html
    for item in assessed.kpis:
        row = row_with(html, _kpi_link(item.kpi.code))
        assert item.kpi.name in row and item.assessment.target is not None
        assert item.assessment.target.text in row and "燈" not in row
        if item.assessment.shown != item.assessment.target.text:
            assert item.assessment.shown not in row
        cells = [r for r in rows(html) if _kpi_link(item.kpi.code) in r][0].count("<td")
        assert cells == 2  # the target and its direction: no actual, achievement or light
    assert 'name="light"' not in html and "lights-heading" not in html


@pytest.mark.parametrize("query", ["?light=red", "?unit=MOJ.AEA"])
def test_filters_that_show_values_send_the_public_to_sign_in(
    demo_deployment: Any, client_as: Clients, site_settings: Any, query: str
) -> None:
    response = client_as(None).get(URL + query)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_someone_without_a_role_for_the_plan_sees_no_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    demo_deployment.accounts.create("nobody", PASSWORD, "admin")
    client = client_as("nobody")
    html = _page(client)
    item = _assessed(demo_deployment, 109).kpis[0]
    assert item.assessment.shown not in row_with(html, _kpi_link(item.kpi.code))
    assert client.get(URL + "?unit=MOJ.AEA").status_code == 403


@pytest.mark.parametrize("account", sorted(ACCOUNTS))
def test_every_role_sees_the_values(
    demo_deployment: Any, client_as: Clients, site_settings: Any, account: str
) -> None:
    item = next(k for k in _assessed(demo_deployment, 109).kpis if k.kpi.code == "8-1")
    assert item.assessment.shown in row_with(_page(client_as(account)), _kpi_link("8-1"))


def test_the_stamp_says_when_the_values_were_computed_and_from_which_batches(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    from yardstick.web.datasets.models import Batch
    from yardstick.web.layout.templatetags.yardstick import roc_date
    from yardstick.web.values.models import ComputedCell

    html = _page(client_as("planner"))
    stamp = text(html.split('class="stamp"')[1].split("</p>")[0])
    newest = ComputedCell.objects.order_by("-computed_at").first()
    assert newest is not None and roc_date(newest.computed_at) in stamp
    active = Batch.objects.filter(status="active")
    latest = active.order_by("-ingested_at").first()
    assert latest is not None
    assert (
        f"依據 {active.count()} 個有效批次，最新一批匯入於 {roc_date(latest.ingested_at)}" in stamp
    )
    assert f'href="/plans/{PLAN}/batches/"' in html


def test_a_plan_without_values_shows_each_kpi_white_with_no_value_yet(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _page(client_as("reviewer"))
    project = open_project(deployment, PLAN)
    for kpi in project.plan.kpis:
        row = row_with(html, _kpi_link(kpi.code))
        assert "白燈" in row and "尚無數值" in row
    assert "尚未計算任何數值" in html and "尚未匯入任何批次" in html


def test_a_plan_without_definitions_shows_each_kpi_white_not_yet_defined(
    deployment: Any, client_as: Clients, site_settings: Any, tmp_path: Path
) -> None:
    from yardstick.actions.plans import load_plan_folder

    folder = tmp_path / "bare-106-109"
    folder.mkdir()
    for name in ("plan.yaml", "orgunits.yaml"):
        shutil.copy(MOJ_FOLDER / name, folder / name)
    load_plan_folder(deployment, deployment.accounts.actor("planner"), folder)
    response = client_as("reviewer").get("/plans/bare-106-109/")
    assert response.status_code == 200
    html = response.content.decode()
    for kpi in open_project(deployment, "bare-106-109").plan.kpis:
        row = row_with(html, _kpi_link(kpi.code))
        assert "白燈" in row and "尚未定義" in row


def test_a_sparkline_names_every_plan_years_value(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    stored = {
        v.year: v.shown()
        for v in demo_deployment.results(PLAN).values(kpis=["8-1"])
        if v.org_unit == "MOJ"
    }
    row = [r for r in _page(client_as("reviewer")).split("<tr>") if _kpi_link("8-1") in r][0]
    label = re.search(r'<svg class="spark"[^>]*aria-label="([^"]+)"', row)
    assert label is not None
    for year in range(106, 110):
        assert f"民國{year}年 {stored[year]}" in label.group(1)


def test_the_page_has_no_inline_script_or_style(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _page(client_as("reviewer"))
    assert " style=" not in html and " on" + "click=" not in html
    for script in re.findall(r"<script\b[^>]*>", html):
        assert " src=" in script or 'type="application/json"' in script


def test_the_page_speaks_english_when_asked(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    client = client_as("reviewer")
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _page(client)
    assert "dashboard for ROC 109 (2020)" in html and "Green" in html
    assert "at least (以上): higher is better" in html


def test_the_dashboard_costs_a_bounded_number_of_queries(
    demo_deployment: Any,
    client_as: Clients,
    site_settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as("reviewer")
    client.get(URL)  # the plan's content is parsed once per process
    with django_assert_max_num_queries(14):
        assert client.get(URL + "?unit=MOJ.AEA&goal=8").status_code == 200
    with django_assert_max_num_queries(12):  # rendered already, the values unchanged
        assert client.get(URL + "?unit=MOJ.AEA&goal=8").status_code == 200


def test_a_queued_recompute_is_on_the_next_dashboard(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    from yardstick.state.jobs import JobStatus

    client = client_as("reviewer")
    waiting = len(demo_deployment.jobs.jobs(JobStatus.QUEUED))
    assert f"另有 {waiting} 項重新計算等候執行" in _page(client)
    demo_deployment.jobs.enqueue("recompute", PLAN, {"cells": [["8-1", 109]]}, "planner", "test")
    assert f"另有 {waiting + 1} 項重新計算等候執行" in _page(client)
