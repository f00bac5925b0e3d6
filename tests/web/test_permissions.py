"""Every URL of the site × every person: the answer each gets, from one table.

The table has a row per sample URL, and a column per person of tests/deployment.py's ACCOUNTS
plus the public; aoc-officer is the officer of another unit (the outsider to MOJ.AEA's data).
Walking the URLconf, a pattern without a row fails the test ("new URL without an entry"), and a
row whose pattern is gone fails too. The administration site's own patterns are checked through
its index and the changelist of every model it offers.

What the table says, from the issue: the public sees the plan (browser, programme pages, the start
page, sign-in, the dashboard and KPI pages without their values) but no values (a filter or
download that shows values, the unit and report pages send it to sign in) and
never batches; every role with an assignment sees values; batches only the owning unit,
reviewers and auditors (anyone else signed in: 403; a batch one may not see: 404, as one that
does not exist); importing only planning officers; the admin only administrators; POST-only
URLs answer 405 to GET. Rows of views not yet in this branch are skipped, naming the view.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse

from tests.deployment import ACCOUNTS, PLAN
from tests.web.conftest import SampleBatches

SIGN_IN = "sign-in"
"""302 to the site's sign-in page, with the page asked for as ``next``."""


@dataclass(frozen=True)
class To:
    """302 to this address."""

    location: str


Answer = int | str | To
PEOPLE: tuple[str | None, ...] = (
    None, "admin", "planner", "aea-officer", "aoc-officer", "reviewer", "auditor",
)  # fmt: skip
"""The table's columns: the public, then each account."""
assert set(PEOPLE) - {None} == set(ACCOUNTS), "a person of ACCOUNTS has no column"

DASHBOARD = To(f"/plans/{PLAN}/")
EVERYONE_OK = (200,) * 7
VALUES = (SIGN_IN, 200, 200, 200, 200, 200, 200)
UNKNOWN_TO_SIGNED_IN = (SIGN_IN, 404, 404, 404, 404, 404, 404)
ONLY_PLANNERS = (SIGN_IN, 403, 200, 403, 403, 403, 403)


@dataclass(frozen=True)
class Row:
    route: str
    """The URL pattern as the URLconf spells it, joined from the root."""
    url: str
    """A sample address; ``{aea}`` and the like name the sample batches."""
    answers: tuple[Answer, ...]
    """One per person of PEOPLE."""


P = f"/plans/{PLAN}"
TABLE = (
    #                                                                      public   admin planner  aea  aoc reviewer auditor
    Row("", "/", (DASHBOARD,) * 7),
    Row("accounts/login/", "/accounts/login/", (200, *(To("/"),) * 6)),
    Row("accounts/logout/", "/accounts/logout/", (405,) * 7),
    Row("i18n/setlang/", "/i18n/setlang/", (To("/"),) * 7),
    # plans: the plan is public
    Row("plans/choose/", f"/plans/choose/?plan={PLAN}", (DASHBOARD,) * 7),
    Row("plans/choose/", "/plans/choose/?plan=no-such-plan", (404,) * 7),
    Row("plans/import/", "/plans/import/", ONLY_PLANNERS),
    Row("plans/<slug:plan>/plan/", f"{P}/plan/", EVERYONE_OK),
    Row("plans/<slug:plan>/plan/", "/plans/no-such-plan/plan/", (404,) * 7),
    Row("plans/<slug:plan>/plan/programmes/<int:number>/", f"{P}/plan/programmes/1/", EVERYONE_OK),
    Row("plans/<slug:plan>/plan/programmes/<int:number>/", f"{P}/plan/programmes/999/", (404,) * 7),
    # dashboard: values, for everyone holding a role
    Row("plans/<slug:plan>/", f"{P}/", EVERYONE_OK),  # the public: goals, KPIs, targets
    Row("plans/<slug:plan>/", f"{P}/?year=109&goal=2&light=red&unit=MOJ.AEA", VALUES),
    Row("plans/<slug:plan>/", f"{P}/?year=200", (404,) * 7),
    Row("plans/<slug:plan>/", "/plans/no-such-plan/", (404,) * 7),
    Row("plans/<slug:plan>/kpis/<str:kpi>/", f"{P}/kpis/8-1/", EVERYONE_OK),  # public: 衡量標準, targets
    Row("plans/<slug:plan>/kpis/<str:kpi>/", f"{P}/kpis/8-1/?unit=MOJ.AEA", VALUES),
    Row("plans/<slug:plan>/kpis/<str:kpi>/", f"{P}/kpis/99-9/", (404,) * 7),
    Row("plans/<slug:plan>/kpis/<str:kpi>/figures.<str:fmt>", f"{P}/kpis/8-1/figures.csv", VALUES),
    Row("plans/<slug:plan>/kpis/<str:kpi>/figures.<str:fmt>", f"{P}/kpis/8-1/figures.xlsx", VALUES),
    Row("plans/<slug:plan>/kpis/<str:kpi>/figures.<str:fmt>", f"{P}/kpis/8-1/figures.doc", UNKNOWN_TO_SIGNED_IN),
    Row("plans/<slug:plan>/units/<str:unit>/", f"{P}/units/MOJ.AEA/", VALUES),
    Row("plans/<slug:plan>/units/<str:unit>/", f"{P}/units/MOJ.NOPE/", UNKNOWN_TO_SIGNED_IN),
    Row("plans/<slug:plan>/reports/", f"{P}/reports/", VALUES),
    Row("plans/<slug:plan>/reports/<int:year>/render", f"{P}/reports/109/render", (405,) * 7),
    # not rendered yet in the demo: a report is a file the worker writes on request
    Row("plans/<slug:plan>/reports/<int:year>.<str:fmt>", f"{P}/reports/109.pdf", UNKNOWN_TO_SIGNED_IN),
    Row("plans/<slug:plan>/reports/<int:year>.<str:fmt>", f"{P}/reports/150.pdf", UNKNOWN_TO_SIGNED_IN),
    # datasets: record-level data, the owning unit, reviewers and auditors only
    Row("plans/<slug:plan>/batches/", f"{P}/batches/", (SIGN_IN, 403, 403, 200, 200, 200, 200)),
    Row("plans/<slug:plan>/batches/", "/plans/no-such-plan/batches/", UNKNOWN_TO_SIGNED_IN),
    Row("plans/<slug:plan>/batches/<str:batch_id>/", P + "/batches/{aea}/", (SIGN_IN, 403, 403, 200, 404, 200, 200)),
    Row("plans/<slug:plan>/batches/<str:batch_id>/", P + "/batches/{aea_replaced}/", (SIGN_IN, 403, 403, 200, 404, 200, 200)),
    Row("plans/<slug:plan>/batches/<str:batch_id>/", P + "/batches/{aoc}/", (SIGN_IN, 403, 403, 404, 200, 200, 200)),
    Row("plans/<slug:plan>/batches/<str:batch_id>/", P + "/batches/{moj}/", (SIGN_IN, 403, 403, 404, 404, 200, 200)),
    Row("plans/<slug:plan>/batches/<str:batch_id>/", P + "/batches/0123456789abcdef/", (SIGN_IN, 403, 403, 404, 404, 404, 404)),
    Row("plans/<slug:plan>/batches/<str:batch_id>/quarantine.csv", P + "/batches/{aea_replaced}/quarantine.csv", (SIGN_IN, 403, 403, 200, 404, 200, 200)),
    Row("plans/<slug:plan>/batches/<str:batch_id>/quarantine.csv", P + "/batches/{aea}/quarantine.csv", (SIGN_IN, 403, 403, 404, 404, 404, 404)),
)  # fmt: skip
ADMIN_PREFIX = "admin/"
ADMIN_ANSWERS = (SIGN_IN, 200, 403, 403, 403, 403, 403)


def url_routes(
    patterns: list[URLPattern | URLResolver], prefix: str = ""
) -> Iterator[tuple[str, URLPattern]]:
    """Every pattern of the URLconf with its route joined from the root."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from url_routes(pattern.url_patterns, route)
        else:
            yield route, pattern


def sample(url: str, batches: SampleBatches) -> str:
    return url.format(
        aea=batches.aea_active.id,
        aea_replaced=batches.aea_replaced.id,
        aoc=batches.aoc.id,
        moj=batches.moj.id,
    )


def check(response: Any, expected: Answer, who: str | None, url: str) -> None:
    got = (response.status_code, response.get("Location"))
    where = f"{who or 'the public'} GET {url}: got {got}"
    if expected == SIGN_IN:
        assert response.status_code == 302, where
        assert response["Location"] == f"{reverse('login')}?next={_quoted(url)}", where
    elif isinstance(expected, To):
        assert got == (302, expected.location), where
    else:
        assert response.status_code == expected, where


def _quoted(url: str) -> str:
    from urllib.parse import quote

    return quote(url, safe="/")


def test_every_url_pattern_has_an_entry() -> None:
    routes = {route for route, _ in url_routes(get_resolver().url_patterns)}
    tabled = {row.route for row in TABLE}
    missing = sorted(r for r in routes - tabled if not r.startswith(ADMIN_PREFIX))
    assert not missing, f"new URL without an entry in tests/web/test_permissions.py: {missing}"
    gone = sorted(tabled - routes)
    assert not gone, f"entries for URLs the URLconf no longer has: {gone}"


@pytest.mark.parametrize("row", TABLE, ids=[row.url for row in TABLE])
def test_each_person_gets_the_answer_of_the_table(
    row: Row,
    sample_batches: SampleBatches,
    client_as: Callable[[str | None], Client],
    site_settings: Any,
) -> None:
    url = sample(row.url, sample_batches)
    match = resolve(urlsplit(url).path)
    assert match.route == row.route, f"{url} is served by {match.route!r}, not {row.route!r}"
    for who, expected in zip(PEOPLE, row.answers, strict=True):
        check(client_as(who).get(url), expected, who, url)


def admin_urls() -> list[str]:
    """The admin's index and the changelist of every model it offers."""
    changelists = [
        reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        for model in admin.site._registry
    ]
    return [reverse("admin:index"), *sorted(changelists)]


def test_the_admin_answers_only_administrators(
    demo_deployment: Any,
    client_as: Callable[[str | None], Client],
    site_settings: Any,
) -> None:
    urls = admin_urls()
    assert {"/admin/auth/user/", "/admin/accounts/roleassignment/"} <= set(urls)
    assert "/admin/orgunits/orgunit/" in urls
    for url in urls:
        for who, expected in zip(PEOPLE, ADMIN_ANSWERS, strict=True):
            check(client_as(who).get(url), expected, who, url)
