"""Django settings, read from the environment (see :mod:`yardstick.web.environment`).

The defaults suit one machine: SQLite under ``var/``, batch files under ``var/data``.
``DATABASE_URL=postgres://…`` switches to PostgreSQL; ``YARDSTICK_DATA_DIR`` moves the storage
folder. ``DJANGO_SECRET_KEY`` (or ``DJANGO_SECRET_KEY_FILE``) is required outside debug.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from yardstick.web.environment import (
    database_from_url,
    env_bool,
    env_secret,
    env_text,
    sqlite_database,
)

BASE_DIR = Path(env_text("YARDSTICK_HOME", str(Path.cwd()))).resolve()
DEBUG = env_bool("DJANGO_DEBUG", False)
_secret = env_secret("DJANGO_SECRET_KEY")
if _secret is None and not env_bool("YARDSTICK_ALLOW_INSECURE_KEY", True):
    raise ImproperlyConfigured("DJANGO_SECRET_KEY (or DJANGO_SECRET_KEY_FILE) must be set")
# The command line needs no secret (it signs nothing); the site refuses to start without one.
SECRET_KEY = _secret or "yardstick-command-line-only-not-a-secret"
SECRET_KEY_IS_SET = _secret is not None

ALLOWED_HOSTS = [h for h in env_text("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "yardstick.web.orgunits",
    "yardstick.web.accounts",
    "yardstick.web.plans",
    "yardstick.web.datasets",
    "yardstick.web.values",
    "yardstick.web.jobs",
    "yardstick.web.audit",
]

_url = env_text("DATABASE_URL", "")
DATABASES = {
    "default": database_from_url(_url, BASE_DIR)
    if _url
    else sqlite_database(BASE_DIR / "var" / "yardstick.sqlite3")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

YARDSTICK_DATA_DIR = Path(env_text("YARDSTICK_DATA_DIR", str(BASE_DIR / "var" / "data")))

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
USE_TZ = True
TIME_ZONE = "Asia/Taipei"
LANGUAGE_CODE = "zh-hant"
USE_I18N = True
