"""What every page knows: the stored plans (for the selector) and the signed-in person's roles."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils import translation

from yardstick.state.accounts import Actor
from yardstick.web.access import (
    may_administer,
    may_import_plans,
    may_see_any_records,
    may_see_values,
    viewer,
)
from yardstick.web.plans.models import Plan


def site(request: HttpRequest) -> dict[str, Any]:
    actor = viewer(request)
    match = getattr(request, "resolver_match", None)
    plan = str(match.kwargs.get("plan", "")) if match else ""
    return {
        "may_see_values": bool(plan) and may_see_values(actor, plan),
        "may_see_batches": bool(plan) and may_see_any_records(actor, plan),
        "may_administer": may_administer(actor),
        "stored_plans": list(Plan.objects.order_by("code").values_list("code", "ministry")),
        "actor": actor,
        "roles": sorted({a.role.value for a in actor.assignments}) if actor else [],
        "role_names": _role_names(actor),
        "may_import_plans": may_import_plans(actor),
    }


def _role_names(actor: Actor | None) -> list[str]:
    """The person's roles as people name them: 審核人員, or reviewer in English."""
    if actor is None:
        return []
    chinese = (translation.get_language() or "zh-hant").startswith("zh")
    labels = {a.role.label.split(" ", 1)[0 if chinese else 1] for a in actor.assignments}
    return sorted(labels)
