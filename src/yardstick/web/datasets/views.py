"""Batches (批次) of a plan's datasets, one batch with its events, and its quarantine report.

Record-level data: the public is sent to sign in; a signed-in person who could see no batch of
the plan (no reviewer, auditor or data officer role) gets 403; a batch they may not see is a 404,
as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from yardstick.metrics.project import Project
from yardstick.state.accounts import Actor
from yardstick.state.plans import UnknownPlan
from yardstick.web.access import may_see_any_records, refuse, viewer
from yardstick.web.datasets.pages import batch_page, batches_page, quarantine_path, visible_batch
from yardstick.web.projects import open_project
from yardstick.web.storage import DjangoStorage

RecordsView = Callable[..., HttpResponseBase]


def _chinese() -> bool:
    return (translation.get_language() or "zh-hant").lower().startswith("zh")


def records_view(view: RecordsView) -> RecordsView:
    """Sign-in for the public, 404 for an unknown plan, 403 without a role that sees records;
    the view gets the person, the storage and the plan opened as a project."""

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, plan: str, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return refuse(request)
        storage = DjangoStorage()
        try:
            project = open_project(storage, plan)
        except UnknownPlan:
            raise Http404(_("There is no plan %(plan)s.") % {"plan": plan}) from None
        actor = viewer(request)
        if actor is None or not may_see_any_records(actor, plan):
            return refuse(request)
        return view(request, actor, storage, project, **kwargs)

    return wrapped


@records_view
def batches(
    request: HttpRequest, actor: Actor, storage: DjangoStorage, project: Project
) -> HttpResponse:
    datasets = batches_page(project, actor, _chinese())
    return render(
        request,
        "datasets/batches.html",
        {"plan_code": project.code, "plan": project.plan, "datasets": datasets},
    )


@records_view
def batch(
    request: HttpRequest, actor: Actor, storage: DjangoStorage, project: Project, batch_id: str
) -> HttpResponse:
    row = visible_batch(project, actor, batch_id)
    if row is None:
        raise Http404(_("There is no batch %(batch)s.") % {"batch": batch_id})
    page = batch_page(project, row, storage.registry.root, _chinese())
    return render(
        request,
        "datasets/batch.html",
        {"plan_code": project.code, "plan": project.plan, "page": page},
    )


@records_view
def quarantine(
    request: HttpRequest, actor: Actor, storage: DjangoStorage, project: Project, batch_id: str
) -> FileResponse:
    """The quarantine report exactly as the batch holds it (CSV, UTF-8 with a BOM)."""
    row = visible_batch(project, actor, batch_id)
    path = quarantine_path(storage.registry.root, row) if row else None
    if path is None or not path.is_file():
        raise Http404(_("Batch %(batch)s has no quarantine report.") % {"batch": batch_id})
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=f"{batch_id}-quarantine.csv",
        content_type="text/csv; charset=utf-8",
    )
