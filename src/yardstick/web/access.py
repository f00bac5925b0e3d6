"""Who may see what on the site: every view asks these, with the signed-in person's roles.

- The public (not signed in) sees the plan — its outline, goals, KPIs with their 衡量標準 and
  targets, programmes — but no values until publication exists.
- Every signed-in person with a role sees values (the dashboard, KPI and org-unit pages, reports).
- Record-level data (sample records, batch files, quarantines with case numbers) only the owning
  unit (a data officer of the unit or above it), reviewers and auditors see: case data is
  confidential (偵查不公開, 個人資料保護法).
- Importing a plan takes a planning officer.
- The administration site (/admin/) takes an administrator.

Objects are fetched through these helpers: an unknown plan, KPI or unit is a 404; a known object
the person may not see is a 403 for someone signed in and the sign-in page for the public.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from yardstick.state.accounts import EDIT_PLAN, MANAGE_ACCOUNTS, Actor, Role, UnknownAccount
from yardstick.web.accounts.stores import OrmAccounts
from yardstick.web.audit.stores import OrmAuditLog

View = TypeVar("View", bound=Callable[..., HttpResponse])


def viewer(request: HttpRequest) -> Actor | None:
    """The signed-in person with their roles (cached on the request); None for the public."""
    if hasattr(request, "_yardstick_actor"):
        cached: Actor | None = request._yardstick_actor
        return cached
    actor: Actor | None = None
    if request.user.is_authenticated:
        try:
            actor = OrmAccounts(OrmAuditLog()).actor(request.user.get_username())
        except UnknownAccount:
            actor = None
    request._yardstick_actor = actor  # type: ignore[attr-defined]
    return actor


def may_see_values(actor: Actor | None, plan: str) -> bool:
    """Anyone holding a role for the plan (or for all plans), whatever their unit."""
    return actor is not None and any(a.plan in (None, plan) for a in actor.assignments)


def may_see_records(actor: Actor | None, plan: str, unit: str | None) -> bool:
    """The unit's own data officers (and those above it), reviewers and auditors."""
    if actor is None:
        return False
    if actor.holds((Role.REVIEWER, Role.AUDITOR), plan, None):
        return True
    return unit is not None and actor.holds((Role.DATA_OFFICER,), plan, unit)


def may_see_any_records(actor: Actor | None, plan: str) -> bool:
    """Whether some records of the plan could be theirs to see: a reviewer or auditor, or a data
    officer of some unit (who sees only their subtree's batches)."""
    roles = (Role.REVIEWER, Role.AUDITOR, Role.DATA_OFFICER)
    return actor is not None and any(
        a.role in roles and a.plan in (None, plan) for a in actor.assignments
    )


def may_import_plans(actor: Actor | None) -> bool:
    return actor is not None and actor.holds(EDIT_PLAN, None, None)


def may_administer(actor: Actor | None) -> bool:
    """Accounts, role assignments and org units (the administration site): administrators."""
    return actor is not None and actor.holds(MANAGE_ACCOUNTS, None, None)


def refuse(request: HttpRequest) -> HttpResponse:
    """The public is sent to sign in; a signed-in person without the role gets 403."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise PermissionDenied


def values_required(view: View) -> View:
    """The view shows values: only people with a role for the plan (``plan`` in the URL)."""

    @wraps(view)
    def wrapped(request: HttpRequest, plan: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if not may_see_values(viewer(request), plan):
            return refuse(request)
        return view(request, plan, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def not_found(what: str) -> Http404:
    return Http404(what)
