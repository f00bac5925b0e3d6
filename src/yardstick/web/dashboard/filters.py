"""The query parameters of the dashboard's pages: ``?year=109&goal=2&light=red&unit=MOJ.AEA``.

A value that names nothing of the plan (a year it keeps no values for, a goal it lacks, an org
unit that does not exist, a light that is not one) is a 404 in the user's language; an empty
value (a form's "all") is no filter.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from yardstick.metrics.project import Project
from yardstick.metrics.results import KpiValue
from yardstick.plan.rating import Light

_WHOLE_NUMBER = re.compile(r"[0-9]{1,4}")


def _param(request: HttpRequest, name: str) -> str | None:
    value = request.GET.get(name, "").strip()
    return value or None


def default_year(project: Project, values: Iterable[KpiValue]) -> int:
    """The last plan year with a value; the plan's last year when none has one yet."""
    plan_years = project.plan.period
    with_values = [v.year for v in values if v.value is not None and v.year in plan_years]
    return max(with_values, default=project.plan.end_year)


def chosen_year(request: HttpRequest, project: Project) -> int | None:
    """``?year=``: one of the years the plan keeps values for (the plan's and a few before);
    None when the page should choose (:func:`default_year`)."""
    raw = _param(request, "year")
    if raw is None:
        return None
    if _WHOLE_NUMBER.fullmatch(raw) is None or int(raw) not in project.computed_years():
        raise Http404(_("The plan keeps no values for the year %(year)s.") % {"year": raw})
    return int(raw)


def chosen_goal(request: HttpRequest, project: Project) -> int | None:
    """``?goal=``: the number of one of the plan's strategic goals."""
    raw = _param(request, "goal")
    if raw is None:
        return None
    numbers = {goal.number for goal in project.plan.goals}
    if _WHOLE_NUMBER.fullmatch(raw) is None or int(raw) not in numbers:
        raise Http404(_("The plan has no strategic goal %(goal)s.") % {"goal": raw})
    return int(raw)


def chosen_light(request: HttpRequest) -> Light | None:
    """``?light=``: green, yellow, red or white."""
    raw = _param(request, "light")
    if raw is None:
        return None
    try:
        return Light(raw)
    except ValueError:
        raise Http404(_("There is no light %(light)s.") % {"light": raw}) from None


def chosen_unit(request: HttpRequest, project: Project) -> str | None:
    """``?unit=``: the code of an org unit."""
    raw = _param(request, "unit")
    if raw is None:
        return None
    return known_unit(project, raw)


def known_unit(project: Project, code: str) -> str:
    """An org unit's code, or a 404 when there is no such unit."""
    if code not in project.org_units:
        raise Http404(_("There is no org unit %(unit)s.") % {"unit": code})
    return code
