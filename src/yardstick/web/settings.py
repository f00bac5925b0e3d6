"""Django settings, read from the environment (see :mod:`yardstick.web.environment`).

The defaults suit one machine: SQLite under ``var/``, batch files under ``var/data``.
``DATABASE_URL=postgres://…`` switches to PostgreSQL; ``YARDSTICK_DATA_DIR`` moves the storage
folder. The site needs ``DJANGO_SECRET_KEY`` (or ``DJANGO_SECRET_KEY_FILE``); the command line,
which signs nothing, does not. Outside ``DJANGO_DEBUG`` cookies are secure and HSTS, CSP and
frame headers are sent.
"""

from __future__ import annotations

from pathlib import Path

from yardstick.web.environment import (
    database_from_url,
    env_bool,
    env_int,
    env_secret,
    env_text,
    sqlite_database,
)

BASE_DIR = Path(env_text("YARDSTICK_HOME", str(Path.cwd()))).resolve()
PACKAGE_DIR = Path(__file__).resolve().parent
DEBUG = env_bool("DJANGO_DEBUG", False)
_secret = env_secret("DJANGO_SECRET_KEY")
SECRET_KEY_IS_SET = _secret is not None
# Only the site checks that a real key is set (yardstick.web.wsgi); the CLI signs nothing.
SECRET_KEY = _secret or "yardstick-command-line-only-never-used-to-sign"

ALLOWED_HOSTS = [
    h.strip() for h in env_text("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in env_text("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

INSTALLED_APPS = [
    "yardstick.web.accounts.admin_apps.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "yardstick.web.orgunits",
    "yardstick.web.accounts",
    "yardstick.web.plans",
    "yardstick.web.datasets",
    "yardstick.web.values",
    "yardstick.web.jobs",
    "yardstick.web.audit",
    "yardstick.web.layout",
    "yardstick.web.dashboard",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "yardstick.web.language.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "yardstick.web.headers.ContentSecurityPolicyMiddleware",
]
ROOT_URLCONF = "yardstick.web.urls"
WSGI_APPLICATION = "yardstick.web.wsgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "yardstick.web.context.site",
            ],
        },
    }
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
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
     "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]  # fmt: skip
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
LOGIN_FAILURES_ALLOWED = env_int("YARDSTICK_LOGIN_FAILURES_ALLOWED", 5, minimum=1)
LOGIN_LOCKOUT_SECONDS = env_int("YARDSTICK_LOGIN_LOCKOUT_SECONDS", 900, minimum=1)

USE_TZ = True
TIME_ZONE = "Asia/Taipei"
USE_I18N = True
LANGUAGE_CODE = "zh-hant"
LANGUAGES = [("zh-hant", "繁體中文"), ("en", "English")]
LOCALE_PATHS: list[Path] = []  # each app keeps its translations in its own locale/ folder

STATIC_URL = "/static/"
STATIC_ROOT = Path(env_text("YARDSTICK_STATIC_ROOT", str(BASE_DIR / "var" / "static")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
DATA_UPLOAD_MAX_MEMORY_SIZE = 5_242_880

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_secure = env_bool("YARDSTICK_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
SECURE_HSTS_SECONDS = env_int("YARDSTICK_HSTS_SECONDS", 0 if DEBUG else 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_SSL_REDIRECT = env_bool("YARDSTICK_SSL_REDIRECT", False)
if env_bool("YARDSTICK_BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {"django.request": {"handlers": ["console"], "level": "ERROR"}},
}
