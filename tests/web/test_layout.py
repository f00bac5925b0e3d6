"""The pages every visitor meets: the start page, sign-in, headers, the 404 page."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client


def test_the_start_page_opens_the_only_plan(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    response = client_as(None).get("/")
    assert response.status_code == 302 and response["Location"] == "/plans/moj-106-109/"


def test_sign_in_is_throttled_after_repeated_failures(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any, settings: Any
) -> None:
    from tests.deployment import PASSWORD

    settings.LOGIN_FAILURES_ALLOWED = 3
    client = Client()
    for _ in range(3):
        failed = client.post("/accounts/login/", {"username": "reviewer", "password": "wrong"})
        assert failed.status_code == 200 and "_auth_user_id" not in client.session
    locked = client.post("/accounts/login/", {"username": "reviewer", "password": PASSWORD})
    assert locked.status_code == 200 and "登入失敗次數過多" in locked.content.decode()
    assert "_auth_user_id" not in client.session, "the right password is refused while locked"
    other = Client().post("/accounts/login/", {"username": "auditor", "password": PASSWORD})
    assert other.status_code == 302, "another account is not locked by the reviewer's failures"


def test_pages_carry_the_security_headers(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    response = client_as(None).get("/accounts/login/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe" not in policy
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_a_post_without_its_csrf_token_is_refused(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    response = client_as(None).post("/accounts/login/", {"username": "reviewer", "password": "x"})
    assert response.status_code == 403
