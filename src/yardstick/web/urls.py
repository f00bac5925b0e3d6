"""The site's URLs."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path

from yardstick.web.accounts.views import LoginView, logout_view

urlpatterns = [
    path("accounts/login/", LoginView.as_view(), name="login"),
    path("accounts/logout/", logout_view, name="logout"),
    path("admin/", admin.site.urls),
]
