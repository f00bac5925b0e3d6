"""The WSGI application the production server (gunicorn) runs.

Refuses to start without a real secret key: the site signs sessions and CSRF tokens with it.
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yardstick.web.settings")
application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after the settings are configured

if not settings.SECRET_KEY_IS_SET:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set to serve the site"
    )
