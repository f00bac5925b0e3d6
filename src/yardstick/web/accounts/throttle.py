"""Login throttling: after too many failures for an account name (or from an address) within the
lockout window, sign-in is refused until the window has passed, whatever the password."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.http import HttpRequest
from django.utils import timezone

from yardstick.web.accounts.models import LoginAttempt

ADDRESS_FACTOR = 4
"""An address may fail this many times more than one account name (offices share addresses)."""


def client_address(request: HttpRequest) -> str:
    return str(request.META.get("REMOTE_ADDR", ""))[:64]


def locked_out(username: str, address: str) -> bool:
    since = timezone.now() - timedelta(seconds=settings.LOGIN_LOCKOUT_SECONDS)
    failures = LoginAttempt.objects.filter(succeeded=False, at__gte=since)
    allowed = settings.LOGIN_FAILURES_ALLOWED
    return (
        failures.filter(username=username.lower()).count() >= allowed
        or failures.filter(address=address).count() >= allowed * ADDRESS_FACTOR
    )


def remember(username: str, address: str, succeeded: bool) -> None:
    LoginAttempt.objects.create(
        username=username.lower()[:150], address=address, succeeded=succeeded, at=timezone.now()
    )
