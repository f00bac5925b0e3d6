"""The site's tests: clients that enforce CSRF, signed in as one of the named accounts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client


@pytest.fixture
def client_as(db: None) -> Callable[[str | None], Client]:
    """``client_as("reviewer")``: a client that enforces CSRF, signed in as that account of
    tests/deployment.py's ACCOUNTS (``None``: the public)."""

    def make(username: str | None) -> Client:
        from django.contrib.auth import get_user_model

        client = Client(enforce_csrf_checks=True)
        if username is not None:
            client.force_login(get_user_model().objects.get(username=username))
        return client

    return make


@pytest.fixture
def site_settings(settings: Any) -> Any:
    """Static files served from the app folders, as in debug (no collectstatic in tests)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    return settings


@pytest.fixture(autouse=True)
def fresh_page_cache() -> None:
    """Pages cache their content by the state of the values; every test starts without any."""
    from django.core.cache import cache

    cache.clear()
