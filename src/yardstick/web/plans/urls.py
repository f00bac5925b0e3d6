"""Under ``/plans/``: choosing a plan, importing one from its document, the plan browser."""

from __future__ import annotations

from django.urls import path

from yardstick.web.plans import views

app_name = "plans"
urlpatterns = [
    path("choose/", views.choose, name="choose"),
    path("import/", views.import_plan, name="import"),
    path("<slug:plan>/plan/", views.browse, name="browse"),
    path("<slug:plan>/plan/programmes/<int:number>/", views.programme, name="programme"),
]
