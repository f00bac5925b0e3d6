"""The site's URLs. Every URL that names a plan carries it (``/plans/<plan>/…``)."""

from __future__ import annotations

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from yardstick.web.accounts.views import LoginView, logout_view
from yardstick.web.layout.views import home

urlpatterns = [
    path("", home, name="home"),
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", logout_view, name="logout"),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("plans/", include("yardstick.web.plans.urls")),
    path("plans/<slug:plan>/", include("yardstick.web.dashboard.urls")),
    path("plans/<slug:plan>/batches/", include("yardstick.web.datasets.urls")),
]
