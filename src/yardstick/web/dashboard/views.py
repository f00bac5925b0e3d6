"""The dashboard's views: thin, each reading stored values through queries.py and a page module.

Who sees what (web/access.py): the public and people without a role for the plan see the plan's
structure — goals, KPIs, 衡量標準, targets, programmes — without values; anyone holding a role for
the plan sees values; a filter or download that shows values asks for that role (the public is
sent to sign in, others get 403). A page's content is rendered once while the plan version and
its values stay the same (pagecache.py). The annual report's views are in reports.py.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from yardstick.metrics.project import Project
from yardstick.plan.rating import Light
from yardstick.web.access import may_see_records, may_see_values, refuse, values_required, viewer
from yardstick.web.dashboard.figures import FORMATS, figures_file
from yardstick.web.dashboard.filters import (
    chosen_goal,
    chosen_light,
    chosen_unit,
    chosen_year,
    default_year,
    known_unit,
)
from yardstick.web.dashboard.kpi_detail import build_kpi_detail
from yardstick.web.dashboard.overview import Choices, build_overview, unit_choices
from yardstick.web.dashboard.pagecache import Rendered, cached_page
from yardstick.web.dashboard.queries import (
    freshness,
    kpi_values,
    open_plan,
    record_datasets,
    unit_values,
)
from yardstick.web.dashboard.unit_detail import build_unit_detail
from yardstick.web.layout.templatetags.yardstick import roc_year


def _chinese() -> bool:
    return (translation.get_language() or "zh-hant").lower().startswith("zh")


def _light_choices() -> list[tuple[str, str]]:
    names = {
        Light.GREEN: _("Green (target met)"),
        Light.YELLOW: _("Yellow (missed, achievement at least 90%)"),
        Light.RED: _("Red (missed)"),
        Light.WHITE: _("White (cannot be assessed)"),
    }
    return [(light.value, names[light]) for light in Light]


def _page(request: HttpRequest, plan: str, rendered: Rendered) -> HttpResponse:
    context = {"plan_code": plan, "title": rendered.title, "content": rendered.content}
    return render(request, "dashboard/page.html", context)


def _content(request: HttpRequest, template: str, context: dict[str, Any]) -> str:
    """A page's content block (no context processors: what it shows is all in ``context``)."""
    return render_to_string(
        template,
        {
            **context,
            "signed_in": request.user.is_authenticated,
            "next_path": request.get_full_path(),
        },
    )


def _known_kpi(project: Project, kpi: str) -> None:
    if kpi not in {k.code for k in project.plan.kpis}:
        raise Http404(_("The plan has no KPI %(kpi)s.") % {"kpi": kpi})


def overview(request: HttpRequest, plan: str) -> HttpResponse:
    """總覽: the plan's KPIs for a year by strategic goal (the plan's default page)."""
    project, version = open_plan(plan)
    shows_values = may_see_values(viewer(request), plan)
    goal, light = chosen_goal(request, project), chosen_light(request)
    unit, year = chosen_unit(request, project), chosen_year(request, project)
    if (light is not None or unit is not None) and not shows_values:
        return refuse(request)
    stamp = freshness(plan, record_datasets(project))

    def build() -> Rendered:
        values = unit_values(plan, unit or project.org_units.root.code)
        shown_year = year or default_year(project, values)
        choices = Choices(
            shown_year,
            project.plan.period.years,
            goal,
            light,
            project.org_units.get(unit) if unit else None,
            unit_choices(project, _chinese()),
        )
        page = build_overview(project, values if shows_values else [], choices, shows_values, stamp)
        context = {
            "plan_code": plan,
            "page": page,
            "goals": project.plan.goals,
            "light_choices": _light_choices(),
        }
        title = f"{_('Dashboard')} · {page.ministry} {roc_year(shown_year)}"
        return Rendered(title, _content(request, "dashboard/overview.html", context))

    viewer_kind = (shows_values, request.user.is_authenticated)
    parts = ("overview", plan, version, stamp, goal, light, unit, year, viewer_kind)
    return _page(request, plan, cached_page(parts, build))


def kpi_page(request: HttpRequest, plan: str, kpi: str) -> HttpResponse:
    """A KPI: 衡量標準, definition, targets; for those with a role, its values and their lineage."""
    project, version = open_plan(plan)
    _known_kpi(project, kpi)
    actor = viewer(request)
    shows_values = may_see_values(actor, plan)
    unit, year = chosen_unit(request, project), chosen_year(request, project)
    if unit is not None and not shows_values:
        return refuse(request)
    stamp = freshness(plan, record_datasets(project))
    root = project.org_units.root.code

    def may_open(owner: str | None) -> bool:
        return may_see_records(actor, plan, owner or root)

    def build() -> Rendered:
        values = kpi_values(project, kpi) if shows_values else []
        at_root = [v for v in values if v.org_unit == root]
        page = build_kpi_detail(
            project,
            project.plan.kpi(kpi),
            values,
            year or default_year(project, at_root),
            unit or root,
            shows_values,
            may_open,
            _chinese(),
        )
        content = _content(request, "dashboard/kpi.html", {"plan_code": plan, "page": page})
        return Rendered(f"{page.kpi.code} {page.kpi.name}", content)

    who = (shows_values, request.user.is_authenticated, actor.assignments if actor else ())
    parts = ("kpi", plan, version, stamp, kpi, unit, year, who)
    return _page(request, plan, cached_page(parts, build))


@values_required
def kpi_figures(request: HttpRequest, plan: str, kpi: str, fmt: str) -> HttpResponse:
    """A KPI's values, every year and org unit with their inputs, as CSV or XLSX."""
    project, _version = open_plan(plan)
    _known_kpi(project, kpi)
    if fmt not in FORMATS:
        raise Http404(_("There is no download as %(format)s.") % {"format": fmt})
    content, media_type = figures_file(project, kpi, kpi_values(project, kpi), fmt, _chinese())
    response = HttpResponse(content, content_type=media_type)
    response["Content-Disposition"] = f'attachment; filename="{plan}-{kpi}.{fmt}"'
    return response


@values_required
def unit_page(request: HttpRequest, plan: str, unit: str) -> HttpResponse:
    """An org unit: its values across every KPI that has records for it, its sub-units."""
    project, _version = open_plan(plan)
    code = known_unit(project, unit)
    values = unit_values(plan, code)
    year = chosen_year(request, project) or default_year(project, values)
    page = build_unit_detail(project, code, values, year, _chinese())
    content = _content(request, "dashboard/unit.html", {"plan_code": plan, "page": page})
    return _page(request, plan, Rendered(f"{page.name} {roc_year(year)}", content))
