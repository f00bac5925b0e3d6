"""The site's URLs for the plan-browser, import and report tests, with the report views at the
paths of ``dashboard/urls.py``.

The dashboard's other pages and the batches pages are built in another branch; here their names
answer with a plain page so that the links the plan pages draw resolve. Once
``yardstick.web.dashboard.urls`` points its three report paths at
:mod:`yardstick.web.dashboard.reports`, the tests can run on the site's own URLconf and this
module can go.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from django.urls import include, path
from django.views.i18n import set_language

from yardstick.web.accounts.views import LoginView, logout_view
from yardstick.web.dashboard import reports
from yardstick.web.layout.views import home


def elsewhere(request: HttpRequest, **kwargs: object) -> HttpResponse:
    return HttpResponse("a page of another part of the site")


dashboard = (
    [
        path("", elsewhere, name="overview"),
        path("kpis/<str:kpi>/", elsewhere, name="kpi"),
        path("kpis/<str:kpi>/figures.<str:fmt>", elsewhere, name="kpi_figures"),
        path("units/<str:unit>/", elsewhere, name="unit"),
        path("reports/", reports.reports, name="reports"),
        path("reports/<int:year>/render", reports.render_report, name="render_report"),
        path("reports/<int:year>.<str:fmt>", reports.report_file, name="report_file"),
    ],
    "dashboard",
)
datasets = (
    [
        path("", elsewhere, name="batches"),
        path("<str:batch_id>/", elsewhere, name="batch"),
        path("<str:batch_id>/quarantine.csv", elsewhere, name="quarantine"),
    ],
    "datasets",
)

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", logout_view, name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("plans/", include("yardstick.web.plans.urls")),
    path("plans/<slug:plan>/", include(dashboard)),
    path("plans/<slug:plan>/batches/", include(datasets)),
]
