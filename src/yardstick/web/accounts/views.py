"""Sign in and out. Sign-in goes through Django's authentication form, throttled."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from yardstick.web.accounts.throttle import client_address, locked_out, remember


class ThrottledAuthenticationForm(AuthenticationForm):
    """Refuses to check passwords while the account name or the address is locked out."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked_out": _(
            "Too many failed sign-ins. Try again in a few minutes, or ask an administrator."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = str(self.data.get("username", ""))
        address = client_address(self.request) if self.request else ""
        if locked_out(username, address):
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            remember(username, address, succeeded=False)
            raise
        remember(username, address, succeeded=True)
        return dict(cleaned)


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = ThrottledAuthenticationForm
    redirect_authenticated_user = True


logout_view = auth_views.LogoutView.as_view()
"""Sign out (POST only, with the CSRF token)."""
