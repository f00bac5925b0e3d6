"""``django.contrib.admin`` with the site's own :class:`~yardstick.web.accounts.admin_site.SiteAdmin`
as ``admin.site`` (kept apart: an app config module may not import models)."""

from __future__ import annotations

from django.contrib.admin.apps import AdminConfig


class SiteAdminConfig(AdminConfig):
    default_site = "yardstick.web.accounts.admin_site.SiteAdmin"
