"""The site's defences: CSRF on every POST, secure cookies and HSTS outside debug, a
Content-Security-Policy without unsafe-*, and no start without a secret key."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.http import HttpRequest, HttpResponse
from django.test import Client

from tests.conftest import REPO
from tests.deployment import PASSWORD
from tests.web.conftest import SampleBatches
from tests.web.test_permissions import PEOPLE, TABLE, admin_urls, sample

REFUSED = "X-Test-CSRF-Refused"


def csrf_refused(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Stands in for Django's CSRF failure page, so a CSRF refusal is told from any other 403."""
    response = HttpResponse(reason, status=403)
    response[REFUSED] = "yes"
    return response


@pytest.fixture
def csrf_marked(settings: Any) -> None:
    settings.CSRF_FAILURE_VIEW = "tests.web.test_security.csrf_refused"


def site_urls_to_post() -> list[tuple[str, str | None]]:
    """Every sample URL of the permission table, with someone the URL lets in (its first 200)."""
    found = []
    for row in TABLE:
        allowed = [who for who, answer in zip(PEOPLE, row.answers, strict=True) if answer == 200]
        found.append((row.url, allowed[0] if allowed else "reviewer"))
    return found


def test_every_post_without_its_token_is_refused(
    sample_batches: SampleBatches,
    client_as: Callable[[str | None], Client],
    site_settings: Any,
    csrf_marked: None,
) -> None:
    checked = 0
    for template, who in [*site_urls_to_post(), *((url, "admin") for url in admin_urls())]:
        url = sample(template, sample_batches)
        client = client_as(who)
        refused = client.post(url, {})
        assert refused.status_code == 403 and refused.get(REFUSED) == "yes", (who, url)
        client.get("/no-such-page/")  # any page of the site sets the CSRF cookie
        token = client.cookies["csrftoken"].value
        with_token = client.post(url, {"csrfmiddlewaretoken": token})
        assert with_token.get(REFUSED) is None, (who, url)
        checked += 1
    assert checked >= 12


def test_sign_in_and_language_posts_need_their_token(
    deployment: Any,
    client_as: Callable[[str | None], Client],
    site_settings: Any,
    csrf_marked: None,
) -> None:
    public = client_as(None)
    for url, data in [
        ("/accounts/login/", {"username": "reviewer", "password": PASSWORD}),
        ("/i18n/setlang/", {"language": "en", "next": "/"}),
    ]:
        assert public.post(url, data).get(REFUSED) == "yes"
    signed_in = client_as("reviewer")
    assert signed_in.post("/accounts/logout/").get(REFUSED) == "yes"
    assert "_auth_user_id" in signed_in.session


def settings_with(**environment: str) -> dict[str, Any]:
    """The settings the site starts with under ``environment`` (read in a fresh process)."""
    code = (
        "import json; from django.conf import settings; print(json.dumps({n: getattr(settings, n)"
        " for n in ('DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY',"
        " 'SECURE_HSTS_SECONDS', 'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'X_FRAME_OPTIONS',"
        " 'CONTENT_SECURITY_POLICY')}))"
    )
    env = {
        **_clean_environment(),
        "DJANGO_SETTINGS_MODULE": "yardstick.web.settings",
        **environment,
    }
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=REPO, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return dict(json.loads(done.stdout))


def _clean_environment() -> dict[str, str]:
    names = ("DJANGO_", "YARDSTICK_SECURE", "YARDSTICK_HSTS", "DATABASE_URL")
    return {k: v for k, v in os.environ.items() if not k.startswith(names)}


@pytest.mark.slow
def test_outside_debug_cookies_are_secure_and_hsts_is_sent(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    production = settings_with(DJANGO_DEBUG="false")
    assert production["SESSION_COOKIE_SECURE"] and production["CSRF_COOKIE_SECURE"]
    assert production["SESSION_COOKIE_HTTPONLY"] and production["X_FRAME_OPTIONS"] == "DENY"
    assert production["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert production["SECURE_HSTS_INCLUDE_SUBDOMAINS"]
    debug = settings_with(DJANGO_DEBUG="true")
    assert not debug["SESSION_COOKIE_SECURE"] and debug["SECURE_HSTS_SECONDS"] == 0
    for name in ("SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_HSTS_SECONDS",
                 "SECURE_HSTS_INCLUDE_SUBDOMAINS"):  # fmt: skip
        setattr(site_settings, name, production[name])
    client = client_as(None)
    page = client.get("/accounts/login/", secure=True)
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert page.cookies["csrftoken"]["secure"]
    token = page.cookies["csrftoken"].value
    signed_in = client.post(
        "/accounts/login/",
        {"username": "reviewer", "password": PASSWORD, "csrfmiddlewaretoken": token},
        secure=True,
        headers={"referer": "https://testserver/accounts/login/"},  # checked on HTTPS
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_no_page_allows_inline_or_evaluated_script(
    sample_batches: SampleBatches, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    urls = [sample(row.url, sample_batches) for row in TABLE] + admin_urls()
    for who in (None, "reviewer", "admin"):
        client = client_as(who)
        for url in urls:
            response = client.get(url)
            policy = response["Content-Security-Policy"]
            assert "unsafe" not in policy, url
            assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy, url
            assert "default-src 'self'" in policy and "object-src 'none'" in policy, url


def start_site(tmp_path: Path, **environment: str) -> subprocess.CompletedProcess[str]:
    """Import the WSGI application as the production server does, in a fresh process."""
    env = {**_clean_environment(), "YARDSTICK_HOME": str(tmp_path), **environment}
    return subprocess.run(
        [sys.executable, "-c", "import yardstick.web.wsgi"],
        env=env, cwd=REPO, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


@pytest.mark.slow
def test_the_site_refuses_to_start_without_a_secret_key(tmp_path: Path) -> None:
    refused = start_site(tmp_path)
    assert refused.returncode != 0
    assert "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set" in refused.stderr
    assert start_site(tmp_path, DJANGO_SECRET_KEY="a" * 50).returncode == 0
    key = tmp_path / "secret-key"
    key.write_text("b" * 50, encoding="utf-8")
    assert start_site(tmp_path, DJANGO_SECRET_KEY_FILE=str(key)).returncode == 0
    missing = start_site(tmp_path, DJANGO_SECRET_KEY_FILE=str(tmp_path / "absent"))
    assert missing.returncode != 0 and "DJANGO_SECRET_KEY_FILE" in missing.stderr
