"""Under ``/plans/<plan>/batches/``: batches with their status and quarantine (owning unit,
reviewers and auditors only)."""

from __future__ import annotations

from django.urls import path

from yardstick.web.datasets import views

app_name = "datasets"
urlpatterns = [
    path("", views.batches, name="batches"),
    path("<str:batch_id>/", views.batch, name="batch"),
    path("<str:batch_id>/quarantine.csv", views.quarantine, name="quarantine"),
]
