"""What every page knows: the stored plans (for the selector) and the signed-in person's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from yardstick.web.access import may_import_plans, viewer
from yardstick.web.plans.models import Plan


def site(request: HttpRequest) -> dict[str, Any]:
    actor = viewer(request)
    return {
        "stored_plans": list(Plan.objects.order_by("code").values_list("code", "ministry")),
        "actor": actor,
        "roles": sorted({a.role.value for a in actor.assignments}) if actor else [],
        "may_import_plans": may_import_plans(actor),
    }
