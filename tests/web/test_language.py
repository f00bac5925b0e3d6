"""Pages are in Traditional Chinese whatever the browser asks for, and in English once chosen."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.test import Client


def test_a_browser_asking_for_english_still_gets_chinese_until_it_switches(
    deployment: Any, client_as: Callable[[str | None], Client], site_settings: Any
) -> None:
    client = client_as(None)
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert page["Content-Language"] == "zh-hant" and "登入" in page.content.decode()
    client.get("/accounts/login/")
    token = client.cookies["csrftoken"].value
    switched = client.post(
        "/i18n/setlang/",
        {"language": "en", "next": "/accounts/login/", "csrfmiddlewaretoken": token},
    )
    assert switched.status_code == 302
    english = client.get("/accounts/login/")
    assert english["Content-Language"] == "en" and "Sign in" in english.content.decode()
    assert 'lang="en"' in english.content.decode()
