"""An org unit's page: its values across the KPIs with records for it, the units above and under it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.deployment import PASSWORD, PLAN
from tests.web.pages import row_with, section, text
from yardstick.assess.plan_year import assess_plan
from yardstick.web.projects import open_project

Clients = Callable[[str | None], Client]


def _url(unit: str, query: str = "") -> str:
    return f"/plans/{PLAN}/units/{unit}/{query}"


def _page(client: Client, unit: str, query: str = "") -> str:
    response = client.get(_url(unit, query))
    assert response.status_code == 200, response.content[:500]
    return response.content.decode()


def test_it_lists_every_kpi_with_a_value_for_the_unit(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    stored = {
        v.kpi: v
        for v in demo_deployment.results(PLAN).values(years=[108])
        if v.org_unit == "MOJ.AOC"
    }
    assert stored
    html = section(_page(client_as("aoc-officer"), "MOJ.AOC", "?year=108"), "unit-kpis")
    links = {kpi for kpi in stored if f"/kpis/{kpi}/?year=108&amp;unit=MOJ.AOC" in html}
    assert links == set(stored)
    assert html.count("<tr>") == len(stored) + 1
    for kpi, value in stored.items():
        assert value.shown() in row_with(html, f"/kpis/{kpi}/?")


def test_a_rate_is_assessed_against_the_target_and_a_count_is_not(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    assessed = {
        k.kpi.code: k.assessment
        for k in assess_plan(project.plan, project.store.values(), 109, "MOJ.HPO").kpis
    }
    html = _page(client_as("reviewer"), "MOJ.HPO", "?year=109")
    rate = row_with(html, "/kpis/3-3/?")
    assert assessed["3-3"].light.zh in rate and "以上（越高越好）" in rate
    assert "不與部之目標值比較" in row_with(html, "/kpis/1-1/?")


def test_it_links_the_units_above_and_under_it(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    project = open_project(demo_deployment, PLAN)
    html = _page(client_as("reviewer"), "MOJ.AEA")
    trail = html.split('class="breadcrumb"')[1].split("</nav>")[0]
    assert f'href="/plans/{PLAN}/units/MOJ/?year=109">法務部<' in trail
    under = section(html, "sub-units")
    for branch in project.org_units.children("MOJ.AEA"):
        assert f'href="/plans/{PLAN}/units/{branch.code}/?year=109">{branch.name_zh}<' in under
    leaf = _page(client_as("reviewer"), "MOJ.AEA.TPE")
    assert "本機關無所屬機關" in leaf
    assert f'href="/plans/{PLAN}/units/MOJ.AEA/?year=109"' in leaf


def test_a_unit_without_values_in_the_year_says_so_and_offers_the_years_with_some(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _page(client_as("reviewer"), "MOJ.AEA", "?year=104")
    assert "本年度本機關無任何指標數值" in html and 'href="?year=109"' in html
    assert "民國109年" in text(section(html, "unit-kpis"))


@pytest.mark.parametrize(
    "url", [_url("MOJ.NOPE"), _url("MOJ", "?year=abc"), _url("MOJ", "?year=1")]
)
def test_unknown_units_and_years_are_404(
    demo_deployment: Any, client_as: Clients, site_settings: Any, url: str
) -> None:
    assert client_as("reviewer").get(url).status_code == 404


def test_the_public_is_sent_to_sign_in_and_someone_without_a_role_refused(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as(None).get(_url("MOJ.AEA"))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    demo_deployment.accounts.create("nobody", PASSWORD, "admin")
    assert client_as("nobody").get(_url("MOJ.AEA")).status_code == 403


def test_the_unit_page_costs_a_bounded_number_of_queries(
    demo_deployment: Any,
    client_as: Clients,
    site_settings: Any,
    django_assert_max_num_queries: Any,
) -> None:
    client = client_as("reviewer")
    client.get(_url("MOJ"))
    with django_assert_max_num_queries(10):
        assert client.get(_url("MOJ.AEA", "?year=108")).status_code == 200
