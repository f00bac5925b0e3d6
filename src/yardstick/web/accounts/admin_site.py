"""The administration site (/admin/, 系統管理): accounts, role assignments and org units, for
administrators only.

Who may enter is decided by role (:func:`yardstick.web.access.may_administer`), not by Django's
``is_staff`` flag or model permissions: the public is sent to the site's own sign-in (throttled,
unlike the admin's login form), anyone else signed in gets 403.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import update_wrapper
from typing import Any, TypeVar, cast

from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from yardstick.web.access import may_administer, viewer

View = TypeVar("View", bound=Callable[..., HttpResponseBase])


class SiteAdmin(admin.AdminSite):
    site_header = _("Yardstick administration")
    site_title = _("Yardstick administration")
    index_title = _("Accounts, roles and org units")

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and may_administer(viewer(request))

    def admin_view(self, view: View, cacheable: bool = False) -> View:
        guarded = super().admin_view(view, cacheable)

        def by_role(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not self.has_permission(request):
                raise PermissionDenied
            return guarded(request, *args, **kwargs)

        return cast(View, update_wrapper(by_role, guarded))

    def login(self, request: HttpRequest, extra_context: dict[str, Any] | None = None) -> Any:
        """The site's own sign-in, which throttles guessing."""
        return redirect_to_login(
            request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index", current_app=self.name)
        )


class AdministratorsOnly:
    """A model admin (or inline) that administrators may use, whatever Django's permissions say."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_administer(viewer(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(viewer(request))

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(viewer(request))

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(viewer(request))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return may_administer(viewer(request))


ADMIN_REASON = "in the administration site"
"""The reason an audit entry of a change made in the admin gives (the admin asks for none)."""
