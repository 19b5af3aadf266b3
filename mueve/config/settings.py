"""The one settings module. Everything deployment-specific comes from MUEVE_* variables."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mueve.core.env import database_from_url, env_bool, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("MUEVE_DATA_DIR", str(PACKAGE_DIR.parent / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("MUEVE_DEBUG", False)
SECRET_KEY = env_str("MUEVE_SECRET_KEY", "mueve-insecure-development-key-change-me-in-production")
ALLOWED_HOSTS = env_list("MUEVE_ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("MUEVE_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rules.apps.AutodiscoverRulesConfig",
    "simple_history",
    "ninja",
    "mueve.core",
    "mueve.accounts",
    "mueve.territory",
    "mueve.stakeholders",
    "mueve.programs",
    "mueve.challenges",
    "mueve.reports",
    "mueve.workshops",
    "mueve.datasets",
    "mueve.competitions",
    "mueve.transit",
    "mueve.realtime",
    "mueve.control",
    "mueve.portal",
    "mueve.api",
    "mueve.demo",
]

MIDDLEWARE = [
    "mueve.core.middleware.ServerTimingMiddleware",
    "mueve.core.middleware.ContentSecurityPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "mueve.core.middleware.DatabaseBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "mueve.config.urls"
ASGI_APPLICATION = "mueve.config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "mueve.core.context_processors.platform",
                "mueve.core.context_processors.csp_nonce",
            ],
        },
    }
]

DATABASES = {"default": database_from_url(env_str("MUEVE_DATABASE_URL", ""), DATA_DIR / "mueve.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("MUEVE_REDIS_URL", "")
if REDIS_URL:
    CACHES = {"default": {"BACKEND": "mueve.core.cache.RedisCache", "LOCATION": REDIS_URL}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# `Authorization: Bearer <token>` on the API (mueve.core.api.auth): which function turns a token into its user.
API_TOKEN_AUTHENTICATOR = "mueve.accounts.services.api_token_authenticate"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]

LANGUAGE_CODE = "es"
LANGUAGES = [("es", _("Español")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = env_str("MUEVE_TIME_ZONE", "America/Santiago")
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
# Serve straight from the finders: `mueve serve` works without a collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = DATA_DIR / "media"
MEDIA_URL = "/media/"

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("MUEVE_SECURE_COOKIES", False)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
X_FRAME_OPTIONS = "DENY"
FORMS_URLFIELD_ASSUME_HTTPS = True
SECURE_CONTENT_TYPE_NOSNIFF = True

MUEVE_MAP_TILES_URL = env_str("MUEVE_MAP_TILES_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")
MUEVE_MAP_ATTRIBUTION = env_str("MUEVE_MAP_ATTRIBUTION", "© OpenStreetMap")
MUEVE_SITE_NAME = env_str("MUEVE_SITE_NAME", "Mueve")
# Absolute links in e-mails (report tracking); the public address of this installation.
MUEVE_SITE_URL = env_str("MUEVE_SITE_URL", "http://localhost:8000")
# Anonymous citizen reports per client (device / address) and per signed-in account: "<count>/<second|minute|hour|day>".
MUEVE_REPORTS_RATE = env_str("MUEVE_REPORTS_RATE", "10/hour")
MUEVE_REPORTS_RATE_USER = env_str("MUEVE_REPORTS_RATE_USER", "60/hour")
# Open311 POSTs are accepted with one insert and processed (fusion, routing, events) by the intake worker thread
# of each server process ("background"); "inline" processes each report inside its request (tests, tools).
# Where accepted Open311 reports are processed (mueve/reports/intake.py): "process" (`mueve intake`; `mueve serve`
# starts one and sets this), "background" (a thread in each server process) or "inline" (inside the request).
MUEVE_REPORTS_INTAKE = env_str("MUEVE_REPORTS_INTAKE", "background")
if MUEVE_REPORTS_INTAKE not in {"process", "background", "inline"}:
    raise ImproperlyConfigured("MUEVE_REPORTS_INTAKE must be 'process', 'background' or 'inline'")
EMAIL_BACKEND = env_str("MUEVE_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env_str("MUEVE_FROM_EMAIL", "Mueve <no-reply@localhost>")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MUEVE_LOG_LEVEL", "WARNING")},
}
