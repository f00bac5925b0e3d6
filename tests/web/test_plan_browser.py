"""The plan browser, programme pages and the plan selector (``yardstick.web.plans.views``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tests.deployment import PLAN
from yardstick.assess.plan_year import assess_plan
from yardstick.plan.rating import Light

Clients = Callable[[str | None], Client]
BROWSE = f"/plans/{PLAN}/plan/"


def _html(response: Any) -> str:
    return str(response.content.decode("utf-8"))


def _ids(html: str) -> set[str]:
    found = re.findall(r'\sid="([^"]+)"', html)
    assert len(found) == len(set(found)), "ids are unique on a page"
    return set(found)


def _anchors(html: str) -> set[str]:
    return set(re.findall(r'href="#([^"]+)"', html))


def test_the_public_sees_the_whole_plan_linked_both_ways(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    plan = deployment.plans.current(PLAN).bundle.plan
    response = client_as(None).get(BROWSE)
    assert response.status_code == 200
    html = _html(response)
    for kpi in plan.kpis:
        assert f'href="/plans/{PLAN}/kpis/{kpi.code}/"' in html
        assert f'id="kpi-{kpi.code}"' in html and kpi.name in html
    for goal in plan.goals:
        section = html[html.index(f'id="goal-{goal.number}"') :]
        section = section[: section.index("</h3>") + 300]
        assert goal.name in section and 'href="#outline-' in section, goal.outline_item
    for number, programme in enumerate(plan.programmes, start=1):
        assert f'href="/plans/{PLAN}/plan/programmes/{number}/"' in html
        assert programme.name in html
    assert _anchors(html) <= _ids(html), "every link inside the page has its target"


def test_an_outline_item_links_to_its_goal_and_the_goal_back(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _html(client_as(None).get(BROWSE))
    # 一、（一）防制毒品沒收犯罪所得 is the outline item of strategic goal 1
    item = re.search(r'<li id="(outline-1-1)">(.*?)</li>', html, re.S)
    assert item is not None and "防制毒品沒收犯罪所得" in item.group(2)
    assert 'href="#goal-1"' in item.group(2)
    goal = html[html.index('id="goal-1"') : html.index('id="goal-2"')]
    assert 'href="#outline-1-1"' in goal
    # a KPI lists its programmes; the programmes table links back to the KPI
    kpi = html[html.index('id="kpi-1-1"') : html.index('id="kpi-1-2"')]
    assert f'href="/plans/{PLAN}/plan/programmes/1/"' in kpi
    row = re.search(r'<tr id="programme-1">(.*?)</tr>', html, re.S)
    assert row is not None and 'href="#kpi-1-1"' in row.group(1)
    assert 'href="#kpi-1-2"' in row.group(1)


def test_targets_show_their_direction_in_words_never_the_code(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _html(client_as(None).get(BROWSE))
    assert "at_most" not in html and "at_least" not in html
    kpi = html[html.index('id="kpi-5-1"') :]
    kpi = kpi[: kpi.index("</section>")]
    assert "民國109年 8%以下（以下，越低越好）" in kpi
    client = client_as(None)
    client.cookies["django_language"] = "en"  # the language switch's cookie
    english = _html(client.get(BROWSE))
    assert "lower is better" in english and "Strategic goal 1" in english


def test_the_page_speaks_chinese_by_default(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _html(client_as(None).get(BROWSE))
    assert "關鍵策略目標 1" in html and "衡量標準" in html and "越高越好" in html


def test_the_shipped_plan_has_no_guessed_direction_left_to_review(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    html = _html(client_as(None).get(BROWSE))
    assert 'id="review"' not in html


def test_an_unknown_plan_is_a_404_in_the_users_language(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as(None).get("/plans/no-such-plan/plan/")
    assert response.status_code == 404
    assert "查無計畫 no-such-plan" in _html(response)


def test_the_browser_answers_only_get(deployment: Any, site_settings: Any) -> None:
    assert Client().post(BROWSE).status_code == 405


def test_a_programme_page_shows_its_period_category_and_kpis_to_the_public_without_lights(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    plan = deployment.plans.current(PLAN).bundle.plan
    programme = plan.programmes[15]  # 法務部廉政署辦公廳舍遷移整修計劃, 102–106, 社會發展
    response = client_as(None).get(f"/plans/{PLAN}/plan/programmes/16/")
    assert response.status_code == 200
    html = _html(response)
    assert programme.name in html and "民國102年–民國106年" in html and "社會發展" in html
    assert "建立廉能政府、重建司法信賴" in html
    assert f'href="/plans/{PLAN}/kpis/3-1/"' in html
    assert 'class="light ' not in html
    assert "※" not in html, "the shipped plan's directions are stated or reviewed"


def test_a_programme_page_shows_the_lights_of_the_latest_year_to_staff(
    demo_deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    storage = demo_deployment
    plan = storage.plans.current(PLAN).bundle.plan
    root = storage.org_units.org_units().root.code
    values = storage.results(PLAN).values(kpis=["1-1", "1-2"])
    latest = max(v.year for v in values if v.org_unit == root and v.value is not None)
    assessed = {k.kpi.code: k.assessment for k in assess_plan(plan, values, latest, root).kpis}
    html = _html(client_as("aoc-officer").get(f"/plans/{PLAN}/plan/programmes/1/"))
    assert f"民國{latest}年" in html
    for code in ("1-1", "1-2"):
        row = re.search(rf'kpis/{code}/">(.*?)</tr>', html, re.S)
        assert row is not None
        assessment = assessed[code]
        assert assessment.light is not Light.WHITE, "the demo has values for both"
        assert f"light-{assessment.light.value}" in row.group(1)
        assert assessment.shown in row.group(1)


def test_a_programme_without_kpis_says_so(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as("reviewer").get(f"/plans/{PLAN}/plan/programmes/50/")
    assert response.status_code == 200
    assert "本計畫未連結任何關鍵績效指標" in _html(response)


@pytest.mark.parametrize("number", [0, 61, 999])
def test_an_unknown_programme_is_a_404(
    deployment: Any, client_as: Clients, site_settings: Any, number: int
) -> None:
    assert client_as(None).get(f"/plans/{PLAN}/plan/programmes/{number}/").status_code == 404


def test_choosing_a_plan_opens_its_dashboard(
    deployment: Any, client_as: Clients, site_settings: Any
) -> None:
    response = client_as(None).get("/plans/choose/", {"plan": PLAN})
    assert response.status_code == 302 and response["Location"] == f"/plans/{PLAN}/"


@pytest.mark.parametrize("query", [{"plan": "moj-999-999"}, {}, {"plan": "../admin"}])
def test_choosing_an_unknown_plan_is_a_404(
    deployment: Any, client_as: Clients, site_settings: Any, query: dict[str, str]
) -> None:
    assert client_as("reviewer").get("/plans/choose/", query).status_code == 404
