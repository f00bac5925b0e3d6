"""The site in Debian's Chromium, as each role and the public meet it, served as ``make demo``
serves it: sign-in, the dashboard's figures, a KPI page's drawn charts, the plan browser, an org
unit, the batches where allowed, the language switch, a faulty plan upload, the 404 page.

Every page opened is checked by :class:`tests.browser.pages.Visitor` (status, charts drawn, a
clean console — no CSP violation —, axe-core without serious violations, nothing wider than a
phone) and photographed at desktop and phone width under test-artifacts/screenshots/.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import PLAN, LiveSite
from tests.browser.pages import Visitor
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

ROOT = f"/plans/{PLAN}"
KPI = "8-1"
UNIT = "MOJ.AEA"
SEES_BATCHES = {"aea-officer": UNIT, "reviewer": None, "auditor": None}
"""Record-level data: the owning unit's officers (their subtree), reviewers and auditors (all)."""

_DASHBOARD_FIGURES = f"""
import json, sys
from yardstick.cli.context import open_project, open_storage
from yardstick.assess.plan_year import assess_plan
from django.utils import translation
from yardstick.web.layout.templatetags.yardstick import figure
project = open_project(open_storage(), {PLAN!r})
translation.activate("zh-hant")
year, root = int(sys.argv[1]), project.org_units.root.code
values = project.store.values(years=range(year - 4, year + 1))
stored = {{v.kpi: v for v in values if v.org_unit == root and v.year == year}}
assessed = assess_plan(project.plan, values, year, root)
print(json.dumps({{k.kpi.code: {{"actual": figure(stored.get(k.kpi.code)),
                                 "light": k.assessment.light.zh}} for k in assessed.kpis}},
                 ensure_ascii=False))
"""

_BATCHES_OF = f"""
import json, sys
from yardstick.cli.context import open_project, open_storage
storage = open_storage()
project = open_project(storage, {PLAN!r})
root, unit = project.org_units.root.code, sys.argv[1]
ours = {{unit, *(u.code for u in project.org_units.descendants(unit))}} if unit else None
print(json.dumps(sum(1 for b in storage.registry.batches()
                     if ours is None or (b.org_unit or root) in ours)))
"""


@pytest.fixture
def visitor(
    browser: Any, live_site: LiveSite, artifacts: Path
) -> Iterator[Callable[[str | None], Visitor]]:
    opened: list[Visitor] = []

    def open_as(who: str | None) -> Visitor:
        opened.append(Visitor.open(browser, live_site, who, artifacts))
        return opened[-1]

    yield open_as
    for each in opened:
        each.close()


def _figures(site: LiveSite, year: int) -> dict[str, dict[str, str | None]]:
    figures: dict[str, dict[str, str | None]] = site.python(_DASHBOARD_FIGURES, str(year))
    return figures


def _rows(visitor: Visitor) -> dict[str, list[str]]:
    """The dashboard's KPI rows: code → the texts of its cells."""
    rows: list[list[str]] = visitor.page.eval_on_selector_all(
        "section table tbody tr:has(th a)",
        "rows => rows.map(r => Array.from(r.children).map(c => c.innerText.trim()))",
    )
    return {row[0].split()[0]: row for row in rows}


@pytest.mark.parametrize("who", ["planner", "aea-officer", "reviewer", "auditor", "admin"])
def test_each_role_signs_in_and_sees_the_figures_the_worker_stored(
    who: str, visitor: Callable[[str | None], Visitor], live_site: LiveSite
) -> None:
    person = visitor(who)
    assert person.page.url.rstrip("/").endswith(ROOT), "sign-in lands on the only plan"
    person.check("dashboard")
    year = int(person.page.eval_on_selector("#f-year", "s => s.value"))
    expected = _figures(live_site, year)
    shown = _rows(person)
    assert set(shown) == set(expected)
    for code, cells in shown.items():
        assert expected[code]["actual"] in cells, (code, cells, expected[code])
        light = expected[code]["light"]
        assert light is None or any(light in cell for cell in cells), (code, cells, light)

    person.visit(f"{ROOT}/kpis/{KPI}/", "kpi")
    assert KPI in person.heading()
    drawn = person.page.locator('[data-chart-drawn="true"]')
    assert drawn.count() >= 1
    for index in range(drawn.count()):
        marks = drawn.nth(index).locator("svg g.role-mark path, svg g.role-mark rect")
        assert marks.count() > 0, f"chart {index} of the KPI page has no marks"

    person.visit(f"{ROOT}/plan/", "plan")
    person.visit(f"{ROOT}/units/{UNIT}/", "unit")
    if who in SEES_BATCHES:
        person.visit(f"{ROOT}/batches/", "batches")
        expected = live_site.python(_BATCHES_OF, SEES_BATCHES[who] or "")
        assert person.page.locator("main table tbody tr").count() == expected
        if expected:
            with person.page.expect_navigation():
                person.page.locator("main table tbody a[href*='/batches/']").first.click()
            person.check("batch")
    else:
        person.visit(f"{ROOT}/batches/", "batches-refused", status=403)


def test_a_report_rendered_by_the_worker_beside_the_server_is_offered_for_download(
    visitor: Callable[[str | None], Visitor],
) -> None:
    planner = visitor("planner")
    planner.visit(f"{ROOT}/reports/", "reports")
    render = planner.page.locator(
        "form[action$='/reports/109/render']:has(input[name=format][value=html]) button"
    )
    with planner.page.expect_navigation():
        render.click()
    download = planner.page.locator("a[href$='/reports/109.html']")
    for _ in range(60):  # the worker renders it within seconds; the page says how far it is
        if download.count():
            break
        planner.page.wait_for_timeout(1000)
        planner.page.reload()
    assert download.count() == 1, "the worker did not render the report within a minute"
    planner.check("reports-rendered")
    report = planner.page.request.get(f"{planner.site.url}{download.get_attribute('href')}")
    assert report.status == 200 and "法務部" in report.text()


def test_the_public_sees_the_plan_and_is_asked_to_sign_in_for_values(
    visitor: Callable[[str | None], Visitor],
) -> None:
    public = visitor(None)
    public.visit("/", "start")
    assert public.page.url.rstrip("/").endswith(ROOT)
    assert public.page.locator("main a[href*='/accounts/login/']").count() >= 1
    rows = _rows(public)
    assert rows and all(len(cells) == 3 for cells in rows.values()), "KPI, target, direction only"
    public.visit(f"{ROOT}/plan/", "plan")
    programme = public.page.locator("main a[href*='/plan/programmes/']").first
    with public.page.expect_navigation():
        programme.click()
    public.check("programme")
    public.visit(f"{ROOT}/kpis/{KPI}/", "kpi")
    public.visit("/accounts/login/", "sign-in")
    for path in (f"{ROOT}/units/{UNIT}/", f"{ROOT}/batches/"):
        public.page.goto(f"{public.site.url}{path}")
        assert "/accounts/login/" in public.page.url, f"{path} did not ask the public to sign in"


def test_the_language_switch_turns_the_headings_to_english_and_back(
    visitor: Callable[[str | None], Visitor],
) -> None:
    person = visitor("reviewer")
    person.visit(f"{ROOT}/kpis/{KPI}/", "kpi-zh")
    chinese = person.page.locator("main h2").all_inner_texts()
    assert person.page.get_attribute("html", "lang") == "zh-Hant"
    with person.page.expect_navigation():
        person.page.click("button[name=language][value=en]")
    person.check("kpi-en")
    english = person.page.locator("main h2").all_inner_texts()
    assert person.page.get_attribute("html", "lang") == "en"
    assert len(english) == len(chinese) and english != chinese
    assert any(heading.isascii() for heading in english)
    assert not any(heading.isascii() for heading in chinese)
    assert person.page.url.endswith(f"{ROOT}/kpis/{KPI}/"), "the switch stays on the page"
    with person.page.expect_navigation():
        person.page.click("button[name=language][value=zh-hant]")
    assert person.page.locator("main h2").all_inner_texts() == chinese


def test_an_unknown_kpi_is_a_404_page_in_the_users_language(
    visitor: Callable[[str | None], Visitor],
) -> None:
    person = visitor("auditor")
    person.visit(f"{ROOT}/kpis/99-9/", "not-found-zh", status=404)
    chinese = person.heading()
    person.visit("/plans/no-such-plan/", "not-found-plan", status=404)
    with person.page.expect_navigation():
        person.page.click("button[name=language][value=en]")
    person.visit(f"{ROOT}/kpis/99-9/", "not-found-en", status=404)
    assert person.heading() == "Not found" and chinese != "Not found"


def test_a_faulty_plan_document_shows_its_line_next_to_the_file_field(
    visitor: Callable[[str | None], Visitor], live_site: LiveSite, tmp_path: Path
) -> None:
    from yardstick.plan.document import parse_document
    from yardstick.plan.errors import PlanDocumentError

    lines = (FIXTURES / "plans" / "moe-110-113-crlf.txt").read_text("utf-8-sig").splitlines()
    broken = lines[:5] + ["這一行不是施政綱要的任何一項"] + lines[5:]
    faulty = tmp_path / "faulty-plan.txt"
    faulty.write_text("\n".join(broken) + "\n", "utf-8")
    with pytest.raises(PlanDocumentError) as refused:
        parse_document(faulty.read_text("utf-8"), "教育部", "110-113")
    line = re.compile(rf"(line {refused.value.line}\b|第\s*{refused.value.line}\s*行)")
    planner = visitor("planner")
    planner.visit("/plans/import/", "import")
    planner.page.set_input_files("input[type=file]", str(faulty))
    planner.page.fill("input[name=ministry]", "教育部")
    planner.page.fill("input[name=period]", "110-113")
    planner.page.fill("input[name=code]", "moe-110-113")
    with planner.page.expect_navigation() as answered:
        planner.page.click("main form button[type=submit]")
    status = answered.value.status
    assert status in (200, 400), status
    planner.check("import-refused", expected_status=status)
    beside = planner.page.locator("p:has(input[type=file]) .error").all_inner_texts()
    assert beside, "no error next to the file field"
    assert any(line.search(text) for text in beside), (beside, str(refused.value))
    stored = live_site.python(
        "import json\nfrom yardstick.cli.context import open_storage\n"
        "print(json.dumps(sorted(p.code for p in open_storage().plans.plans())))"
    )
    assert stored == [PLAN], "a refused document stored nothing"


def test_no_request_made_the_server_fail(live_site: LiveSite) -> None:
    """Runs last in this module: no traceback in the server's log from any page above."""
    assert live_site.server_errors() == []
