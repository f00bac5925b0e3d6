"""The annual reports (年度施政績效報告) of a plan: each year's PDF, XLSX and HTML, rendered by the
worker on request and kept until their inputs change. Values: for people with a role only.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from yardstick.actions.reports import request_report
from yardstick.metrics.bundle import PlanBundle
from yardstick.reports.formats import FORMATS
from yardstick.state.plans import UnknownPlan
from yardstick.web.access import not_found, values_required, viewer
from yardstick.web.dashboard.report_pages import FORMAT_LABELS, current_report, reports_page
from yardstick.web.projects import stored_bundle
from yardstick.web.storage import DjangoStorage

REFRESH_SECONDS = 3


@require_GET
@values_required
def reports(request: HttpRequest, plan: str) -> HttpResponse:
    sha256, bundle = _plan_or_404(plan)
    page = reports_page(DjangoStorage(), plan, sha256, bundle)
    context = {"plan_code": plan, "page": page, "refresh_seconds": REFRESH_SECONDS}
    return render(request, "dashboard/reports.html", context)


@require_POST
@values_required
def render_report(request: HttpRequest, plan: str, year: int) -> HttpResponse:
    _sha256, bundle = _plan_or_404(plan)
    format_name = request.POST.get("format", "")
    _check_year_and_format(bundle, plan, year, format_name)
    actor = viewer(request)
    assert actor is not None  # values_required let only people with a role through
    _job, queued = request_report(DjangoStorage(), actor, plan, year, format_name)
    shown = {"year": year, "format": FORMAT_LABELS[format_name]}
    if queued:
        messages.info(request, _("The %(format)s report of ROC %(year)s is queued.") % shown)
    else:
        messages.info(
            request, _("The %(format)s report of ROC %(year)s is already on its way.") % shown
        )
    return redirect("dashboard:reports", plan)


@require_GET
@values_required
def report_file(request: HttpRequest, plan: str, year: int, fmt: str) -> HttpResponse:
    sha256, bundle = _plan_or_404(plan)
    _check_year_and_format(bundle, plan, year, fmt)
    path = current_report(DjangoStorage(), plan, sha256, bundle, year, fmt)
    if path is None:
        raise not_found(
            _("The report of %(year)s is not rendered from the current figures yet.")
            % {"year": year}
        )
    module = FORMATS[fmt]
    response = HttpResponse(path.read_bytes(), content_type=module.MEDIA_TYPE)
    name = f"{plan}-{year}年度施政績效報告{module.SUFFIX}"
    response["Content-Disposition"] = content_disposition_header(True, name)
    return response


def _plan_or_404(plan: str) -> tuple[str, PlanBundle]:
    try:
        _number, sha256, bundle = stored_bundle(plan)
    except UnknownPlan:
        raise not_found(_("There is no plan %(code)s.") % {"code": plan}) from None
    return sha256, bundle


def _check_year_and_format(bundle: PlanBundle, plan: str, year: int, format_name: str) -> None:
    if year not in bundle.plan.period.years:
        raise not_found(_("Plan %(code)s has no year %(year)s.") % {"code": plan, "year": year})
    if format_name not in FORMATS:
        raise not_found(_("There is no report format %(format)s.") % {"format": format_name})
