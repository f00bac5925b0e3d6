"""Under ``/plans/<plan>/``: the dashboard, KPI and org-unit pages, reports."""

from __future__ import annotations

from django.urls import path

from yardstick.web.dashboard import reports, views

app_name = "dashboard"
urlpatterns = [
    path("", views.overview, name="overview"),
    path("kpis/<str:kpi>/", views.kpi_page, name="kpi"),
    path("kpis/<str:kpi>/figures.<str:fmt>", views.kpi_figures, name="kpi_figures"),
    path("units/<str:unit>/", views.unit_page, name="unit"),
    path("reports/", reports.reports, name="reports"),
    path("reports/<int:year>/render", reports.render_report, name="render_report"),
    path("reports/<int:year>.<str:fmt>", reports.report_file, name="report_file"),
]
