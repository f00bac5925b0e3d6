"""Choosing a plan, importing one from its published document, the plan browser, a programme.

The plan is public: the browser and programme pages are open to everyone; lights on a
programme page only to those who may see values. Importing takes a planning officer.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from yardstick.actions.plans import ImportedPlan, import_plan_document
from yardstick.errors import YardstickError
from yardstick.metrics.bundle import PlanBundle
from yardstick.state.plans import UnknownPlan
from yardstick.web.access import may_import_plans, may_see_values, not_found, refuse, viewer
from yardstick.web.plans.forms import ImportForm
from yardstick.web.plans.models import Plan
from yardstick.web.plans.pages import plan_browser
from yardstick.web.plans.programmes import programme_page
from yardstick.web.projects import stored_bundle
from yardstick.web.storage import DjangoStorage


@require_GET
def choose(request: HttpRequest) -> HttpResponse:
    """The plan selector's target: the chosen plan's dashboard."""
    code = request.GET.get("plan", "")
    if not Plan.objects.filter(code=code).exists():
        raise not_found(_("There is no plan %(code)s.") % {"code": code})
    return redirect("dashboard:overview", code)


@require_GET
def browse(request: HttpRequest, plan: str) -> HttpResponse:
    number, _sha, bundle = _bundle_or_404(plan)
    page = plan_browser(plan, number, bundle)
    return render(request, "plans/browse.html", {"plan_code": plan, "page": page})


@require_GET
def programme(request: HttpRequest, plan: str, number: int) -> HttpResponse:
    _number, _sha, bundle = _bundle_or_404(plan)
    shows_values = may_see_values(viewer(request), plan)
    page = programme_page(DjangoStorage(), plan, bundle, number, shows_values)
    if page is None:
        raise not_found(
            _("Plan %(code)s has no programme %(number)s.") % {"code": plan, "number": number}
        )
    return render(request, "plans/programme.html", {"plan_code": plan, "page": page})


@require_http_methods(["GET", "POST"])
def import_plan(request: HttpRequest) -> HttpResponse:
    actor = viewer(request)
    if actor is None or not may_import_plans(actor):
        return refuse(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        assert form.plan is not None and form.text is not None
        code = form.cleaned_data["code"]
        try:
            imported = import_plan_document(DjangoStorage(), actor, code, form.plan, form.text)
        except YardstickError as error:  # definitions kept from a stored version no longer fit
            form.add_error(None, str(error))
        else:
            messages.success(request, _imported_message(code, imported))
            return redirect(reverse("plans:browse", args=[code]) + "#review")
    return render(request, "plans/import.html", {"form": form}, status=400 if form.errors else 200)


def _bundle_or_404(plan: str) -> tuple[int, str, PlanBundle]:
    try:
        return stored_bundle(plan)
    except UnknownPlan:
        raise not_found(_("There is no plan %(code)s.") % {"code": plan}) from None


def _imported_message(code: str, imported: ImportedPlan) -> str:
    number = imported.version.number
    if not imported.stored:
        head = _("Plan %(code)s is unchanged: the document is that of version %(number)s.")
    else:
        head = _("Plan %(code)s stored as version %(number)s.")
    guessed = len(imported.guessed)
    tail = (
        ngettext(
            "%(count)s target has a direction its wording does not state: review it below.",
            "%(count)s targets have a direction their wording does not state: review them below.",
            guessed,
        )
        % {"count": guessed}
        if guessed
        else _("Every target states its direction.")
    )
    parts = [head % {"code": code, "number": number}, tail]
    dropped = imported.dropped_reviews
    if dropped:
        which = "、".join(f"{review.kpi}（{review.year}）" for review in dropped)
        parts.append(
            ngettext(
                "The review of %(count)s target no longer applies, as its text changed: %(which)s.",
                "The reviews of %(count)s targets no longer apply, as their text changed: %(which)s.",
                len(dropped),
            )
            % {"count": len(dropped), "which": which}
        )
    return " ".join(parts)
