"""The one settings module. Everything deployment-specific comes from MUEVE_* variables."""

import os
import sys
from datetime import timedelta
from email.utils import parseaddr
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from mueve.core.env import database_from_url, email_from_env, env_bool, env_int, env_list, env_str, map_tiles

PACKAGE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(env_str("MUEVE_DATA_DIR", str(PACKAGE_DIR.parent / "var"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)

DEBUG = env_bool("MUEVE_DEBUG", False)
# The test suite runs with the demo loaded (and demo mode on unless a test turns it off).
TESTING = "pytest" in sys.modules
# Demo mode (`mueve demo` / `make demo` set MUEVE_DEMO=1): the demo's well-known Open311 key works, and the
# development secret key is accepted. Nothing else differs.
MUEVE_DEMO = env_bool("MUEVE_DEMO", TESTING)
_DEVELOPMENT_SECRET_KEY = "mueve-insecure-development-key-change-me-in-production"
if TESTING:
    # The servers and commands the tests start in processes of their own inherit it.
    os.environ.setdefault("MUEVE_SECRET_KEY", _DEVELOPMENT_SECRET_KEY)
SECRET_KEY = env_str("MUEVE_SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or MUEVE_DEMO):
        # A key everyone knows lets anyone forge session cookies and password-reset links.
        raise ImproperlyConfigured(
            "MUEVE_SECRET_KEY is not set: give every process the same long random value "
            "(python -c 'import secrets; print(secrets.token_urlsafe(50))'), or run the demo (MUEVE_DEMO=1)."
        )
    SECRET_KEY = _DEVELOPMENT_SECRET_KEY
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
    "allauth",
    "allauth.account",
    "mueve.territory",
    "mueve.stakeholders",
    "mueve.programs",
    "mueve.challenges",
    "mueve.reports",
    "mueve.workshops",
    "mueve.datasets",
    "mueve.sensors",
    "mueve.competitions",
    "mueve.transit",
    "mueve.shared_taxis",
    "mueve.realtime",
    "mueve.control",
    "mueve.visual_checks",
    "mueve.notifications",
    "mueve.members",
    "mueve.neighbourhood",
    "mueve.rural_addresses",
    "mueve.portal",
    "mueve.api",
    "mueve.demo",
    "axes",
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
    "allauth.account.middleware.AccountMiddleware",
    "mueve.core.middleware.DatabaseBusyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes asks: it turns a lock-out raised during authentication into the lock-out page.
    "axes.middleware.AxesMiddleware",
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
    # First: a locked-out login is refused before any password is checked.
    "mueve.accounts.backends.LoginThrottleBackend",
    "rules.permissions.ObjectPermissionBackend",
    # django-allauth's: a username or an e-mail address with the password (ModelBackend's job, and more).
    "allauth.account.auth_backends.AuthenticationBackend",
]
# An application's key on the platform API (mueve.core.api.auth): which function turns the key a request presents
# into its user (mueve.api.keys; core imports no app).
API_KEY_AUTHENTICATOR = "mueve.api.keys.user_for_request"
# Each key's default quota (a manager may change one key's in the admin), counted in the cache: shared by every
# process with MUEVE_REDIS_URL, per process without it. Past it: 429 with Retry-After.
MUEVE_API_KEY_PER_MINUTE = env_int("MUEVE_API_KEY_PER_MINUTE", 120)
MUEVE_API_KEY_PER_DAY = env_int("MUEVE_API_KEY_PER_DAY", 20_000)
# Password guessing on the login pages (the site's and the admin's): after MUEVE_LOGIN_FAILURES wrong passwords for
# one username from one address, that pair waits MUEVE_LOGIN_COOLOFF_MINUTES. Keyed on both, so nobody can lock a
# person out from elsewhere. Counted in the cache (Redis when set; otherwise per process). API keys are not logins
# and are not counted.
AXES_FAILURE_LIMIT = env_int("MUEVE_LOGIN_FAILURES", 10)
AXES_COOLOFF_TIME = timedelta(minutes=env_int("MUEVE_LOGIN_COOLOFF_MINUTES", 15))
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"]]
AXES_HANDLER = "axes.handlers.cache.AxesCacheHandler"
if not REDIS_URL:
    # Axes warns that an in-process cache is not shared: true with several processes (each then allows the
    # limit), exact with one (`mueve serve`'s default). docs/security.md says to set MUEVE_REDIS_URL with more.
    SILENCED_SYSTEM_CHECKS = ["axes.W001"]
AXES_LOCKOUT_CALLABLE = "mueve.accounts.views.locked_out"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ADMIN = False  # its tables stay empty with the cache handler
AXES_VERBOSE = False
# The client address is REMOTE_ADDR, as for the other rate limits (uvicorn fills it from a local proxy's
# X-Forwarded-For).
AXES_CLIENT_IP_CALLABLE = "mueve.accounts.backends.client_address"
# The login form takes a username or an e-mail address (allauth's `login` field): that is the name counted.
AXES_USERNAME_CALLABLE = "mueve.accounts.backends.login_name"
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
FORMAT_MODULE_PATH = ["mueve.formats"]  # one date style, long and short (mueve/formats/es/formats.py)
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
# Served over HTTPS (directly or behind a proxy that sets X-Forwarded-Proto): cookies only travel encrypted and
# browsers are told to use HTTPS from then on (HSTS).
MUEVE_HTTPS = env_bool("MUEVE_HTTPS", False)
if env_bool("MUEVE_BEHIND_PROXY", MUEVE_HTTPS):
    # Only behind a proxy that overwrites this header: otherwise a client could claim HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env_bool("MUEVE_SECURE_COOKIES", MUEVE_HTTPS)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env_int("MUEVE_HSTS_SECONDS", 31_536_000 if MUEVE_HTTPS else 0, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("MUEVE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("MUEVE_HSTS_PRELOAD", False)
X_FRAME_OPTIONS = "DENY"
FORMS_URLFIELD_ASSUME_HTTPS = True
SECURE_CONTENT_TYPE_NOSNIFF = True

# Every map's tiles (empty: none, a closed network) and their attribution; under them maps draw their own vector
# base layer (areas, transit shapes, stops) from /mapa/base.geojson, so a map is never an empty grey square.
MUEVE_TILE_URL, MUEVE_TILE_ATTRIBUTION = map_tiles()
MUEVE_SITE_NAME = env_str("MUEVE_SITE_NAME", "Mueve")
# An outside geocoder for street addresses in the place search (mueve/core/places.py): the address of a Nominatim
# ".../search" or Photon ".../api" server. Off by default: the search then uses only the platform's own places.
MUEVE_GEOCODER_URL = env_str("MUEVE_GEOCODER_URL", "")
MUEVE_GEOCODER_TIMEOUT_MS = env_int("MUEVE_GEOCODER_TIMEOUT_MS", 2000)
# Absolute links in e-mails (report tracking); the public address of this installation.
MUEVE_SITE_URL = env_str("MUEVE_SITE_URL", "http://localhost:8000")
# The platform's own open data (mueve/datasets/own_data): the organization (slug) that publishes it, and the one that
# publishes the citizen incidents (default: the programme's main counterpart, and the agency that attends most
# incidents); their public contact address; how many incidents the daily file holds; how soon after a change a
# download may regenerate a file (seconds).
MUEVE_OWN_DATA_PUBLISHER = env_str("MUEVE_OWN_DATA_PUBLISHER", "")
MUEVE_OWN_DATA_INCIDENTS_PUBLISHER = env_str("MUEVE_OWN_DATA_INCIDENTS_PUBLISHER", "")
MUEVE_OWN_DATA_CONTACT_EMAIL = env_str("MUEVE_OWN_DATA_CONTACT_EMAIL", "")
MUEVE_OWN_DATA_INCIDENTS_MAX = env_int("MUEVE_OWN_DATA_INCIDENTS_MAX", 200_000)
MUEVE_OWN_DATA_MIN_REFRESH_SECONDS = env_int("MUEVE_OWN_DATA_MIN_REFRESH_SECONDS", 300, minimum=0)
# The DCAT-AP catalog (/catalogo/dcat.ttl): who publishes it (an organization's slug; empty: the site itself), the
# licence of its metadata (an SPDX id of datasets.models.vocab.LICENSES) and its country (EU country table code).
MUEVE_CATALOG_PUBLISHER = env_str("MUEVE_CATALOG_PUBLISHER", "")
MUEVE_CATALOG_LICENSE = env_str("MUEVE_CATALOG_LICENSE", "CC0-1.0")
MUEVE_CATALOG_COUNTRY = env_str("MUEVE_CATALOG_COUNTRY", "CHL")
# Harvesting other catalogs (datasets.dcat.harvest): seconds per request, and the most bytes one response may have.
MUEVE_HARVEST_TIMEOUT = env_int("MUEVE_HARVEST_TIMEOUT", 30)
MUEVE_HARVEST_MAX_BYTES = env_int("MUEVE_HARVEST_MAX_BYTES", 50_000_000)
# Anonymous citizen reports per client (device / address) and per signed-in account: "<count>/<second|minute|hour|day>".
MUEVE_REPORTS_RATE = env_str("MUEVE_REPORTS_RATE", "10/hour")
MUEVE_REPORTS_RATE_USER = env_str("MUEVE_REPORTS_RATE_USER", "60/hour")
# Comments on public challenges per signed-in account ("off" for none).
MUEVE_CHALLENGE_COMMENTS_RATE = env_str("MUEVE_CHALLENGE_COMMENTS_RATE", "10/hour")
# Open311 POSTs are accepted with one insert and processed (fusion, routing, events) by the intake worker thread
# of each server process ("background"); "inline" processes each report inside its request (tests, tools).
# Where accepted Open311 reports are processed (mueve/reports/intake.py): "process" (`mueve intake`; `mueve serve`
# starts one and sets this), "background" (a thread in each server process) or "inline" (inside the request).
MUEVE_REPORTS_INTAKE = env_str("MUEVE_REPORTS_INTAKE", "background")
if MUEVE_REPORTS_INTAKE not in {"process", "background", "inline"}:
    raise ImproperlyConfigured("MUEVE_REPORTS_INTAKE must be 'process', 'background' or 'inline'")
# Expensive documents (the programme dossier and its PDF; mueve/core/documents.py) are built once per change of
# their data by MUEVE_DOCUMENTS_BUILDERS background threads per process ("background"), or inside the request that
# finds none ("inline": the tests, tools). Anonymous visitors may fetch them MUEVE_DOCUMENTS_RATE times per address.
MUEVE_DOCUMENTS_BUILD = env_str("MUEVE_DOCUMENTS_BUILD", "inline" if TESTING else "background")
if MUEVE_DOCUMENTS_BUILD not in {"background", "inline"}:
    raise ImproperlyConfigured("MUEVE_DOCUMENTS_BUILD must be 'background' or 'inline'")
MUEVE_DOCUMENTS_BUILDERS = env_int("MUEVE_DOCUMENTS_BUILDERS", 1)
MUEVE_DOCUMENTS_RATE = env_str("MUEVE_DOCUMENTS_RATE", "20/minute")
# Tu Colectivo: seat requests per address. Generous: riders on a mobile network share addresses (carrier NAT);
# the limit is for a script asking thousands.
MUEVE_COLECTIVO_REQUEST_RATE = env_str("MUEVE_COLECTIVO_REQUEST_RATE", "120/hour")
# E-mail (mueve.core.env.email_from_env): SMTP from MUEVE_EMAIL_URL or MUEVE_SMTP_*; the demo writes files that
# its mailbox page (/demo/buzon/) shows.
globals().update(email_from_env(demo=MUEVE_DEMO, data_dir=DATA_DIR))
EMAIL_SUBJECT_PREFIX = f"[{MUEVE_SITE_NAME}] "

# Accounts (django-allauth; docs/architecture.md says why). People sign up with an e-mail address they must verify
# before their first login; they log in with it or with their username, or with a one-time code sent to it.
ACCOUNT_ADAPTER = "mueve.accounts.adapter.AccountAdapter"
ACCOUNT_FORMS = {"login": "mueve.accounts.forms.LoginForm", "signup": "mueve.accounts.forms.SignupForm"}
ACCOUNT_LOGIN_METHODS = {"username", "email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = False
ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = env_int("MUEVE_EMAIL_CONFIRMATION_DAYS", 3)
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = EMAIL_SUBJECT_PREFIX
# Sign-up says plainly that an address is already registered (the issue asks for that error); allauth's rate limits
# below bound how fast anyone can probe addresses that way.
ACCOUNT_PREVENT_ENUMERATION = False
ACCOUNT_RATE_LIMITS = {
    # django-axes already locks out password guessing per (address, username); a second, stricter counter here
    # would refuse the login before axes could count it.
    "login_failed": None,
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if MUEVE_HTTPS else "http"
# After this many days, the contact data (name, e-mail, phone, device) of closed reports is erased
# (`manage.py erase_reporter_contacts`, to run once a day; see /privacidad/ and docs/deployment.md).
MUEVE_REPORTER_CONTACT_RETENTION_DAYS = env_int("MUEVE_REPORTER_CONTACT_RETENTION_DAYS", 365)
# A reporter may answer «no, no quedó resuelto» (and reopen the incident) this many days after its resolution.
MUEVE_REOPEN_DAYS = env_int("MUEVE_REOPEN_DAYS", 30)
# Incoming data (mueve/datasets/incoming): the largest file an organization may upload or a URL may return, the
# largest a zip (XLSX, GTFS) may expand to and by what ratio, how long a scheduled fetch may take, and whether it may
# reach private addresses (localhost, the local network): never on a public server, only for tests and closed networks.
MUEVE_CATALOG_MAX_UPLOAD_MB = env_int("MUEVE_CATALOG_MAX_UPLOAD_MB", 100)
MUEVE_CATALOG_MAX_UNZIPPED_MB = env_int("MUEVE_CATALOG_MAX_UNZIPPED_MB", 1024)
MUEVE_CATALOG_MAX_ZIP_RATIO = env_int("MUEVE_CATALOG_MAX_ZIP_RATIO", 100)
MUEVE_CATALOG_FETCH_TIMEOUT_SECONDS = env_int("MUEVE_CATALOG_FETCH_TIMEOUT_SECONDS", 60)
MUEVE_CATALOG_FETCH_ALLOW_PRIVATE = env_bool("MUEVE_CATALOG_FETCH_ALLOW_PRIVATE", False)

# Alerta Drone (mueve/visual_checks): how long the footage of an incident is kept when its jurisdiction set no
# period of its own, and the video servers a pilot's live HLS stream may come from (scheme://host[:port]). Only
# those are checked and fetched, and only those enter the incident panel's Content-Security-Policy.
MUEVE_FOOTAGE_RETENTION_DAYS = env_int("MUEVE_FOOTAGE_RETENTION_DAYS", 90)
MUEVE_VISUAL_STREAM_ORIGINS = env_list("MUEVE_VISUAL_STREAM_ORIGINS", [])

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("MUEVE_LOG_LEVEL", "WARNING")},
}

# Notices by e-mail and Web Push are handed to a thread of each server process ("background"), so the
# request that caused them never waits for a mail server; "inline" sends them at commit (tests, tools). Pending
# ones left by a stopped process go out with `manage.py send_notifications`.
MUEVE_NOTIFICATIONS_DELIVERY = env_str("MUEVE_NOTIFICATIONS_DELIVERY", "inline" if TESTING else "background")
# Connections to the mail server a batch of notices is sent over at once.
MUEVE_NOTIFICATIONS_SMTP_CONNECTIONS = env_int("MUEVE_NOTIFICATIONS_SMTP_CONNECTIONS", 4)
# Push messages a batch of notices sends at once (each waits for its push service's answer).
MUEVE_NOTIFICATIONS_PUSH_LANES = env_int("MUEVE_NOTIFICATIONS_PUSH_LANES", 8)
if MUEVE_NOTIFICATIONS_DELIVERY not in {"background", "inline"}:
    raise ImproperlyConfigured("MUEVE_NOTIFICATIONS_DELIVERY must be 'background' or 'inline'")

# Web Push (mueve.notifications.webpush). The VAPID key signs every push, and browsers bind their subscriptions to its
# public half: it must stay the same across restarts and be the same for every process and host. MUEVE_VAPID_PRIVATE_KEY
# takes a P-256 key as PEM or as the base64url raw 32-byte key; left empty, one is generated on first use and kept in
# MUEVE_VAPID_KEY_FILE (the data directory by default), which is enough for one host and for `make demo`.
MUEVE_VAPID_PRIVATE_KEY = env_str("MUEVE_VAPID_PRIVATE_KEY", "")
MUEVE_VAPID_KEY_FILE = Path(env_str("MUEVE_VAPID_KEY_FILE", str(DATA_DIR / "vapid_private.pem")))
# Who the push services may contact about this site's pushes (RFC 8292 "sub": a mailto: or https: URL).
MUEVE_VAPID_SUBJECT = env_str("MUEVE_VAPID_SUBJECT", "") or "mailto:" + (
    parseaddr(globals()["DEFAULT_FROM_EMAIL"])[1] or "no-reply@localhost"  # set by email_from_env above
)
# How long a push service keeps a notice for a phone that is off or out of coverage.
MUEVE_PUSH_TTL_SECONDS = env_int("MUEVE_PUSH_TTL_SECONDS", 86_400)
MUEVE_PUSH_TIMEOUT_SECONDS = env_int("MUEVE_PUSH_TIMEOUT_SECONDS", 10)
# The server POSTs to whatever address a browser's subscription names, so only the browsers' push services are
# accepted (a host or any host under it); "*" accepts any public https host. Extend it for another push service.
MUEVE_PUSH_SERVICES = env_list(
    "MUEVE_PUSH_SERVICES",
    [
        "fcm.googleapis.com",  # Chrome, Edge on Android, Samsung Internet, Opera, Brave
        "android.googleapis.com",  # older Chrome subscriptions
        "push.services.mozilla.com",  # Firefox (updates.push.services.mozilla.com)
        "push.apple.com",  # Safari (web.push.apple.com)
        "notify.windows.com",  # Edge on Windows (WNS)
    ],
)
# Push services on this same machine (http or https to 127.0.0.1, ::1, localhost): for tests and local experiments
# only, never on a public server (a subscription could otherwise make the server POST to its own local services).
MUEVE_PUSH_ALLOW_LOCAL = env_bool("MUEVE_PUSH_ALLOW_LOCAL", False)

# Sensing (mueve.sensors). MQTT ingest runs when MUEVE_MQTT_URL is set (`manage.py subscribesensors`); HTTP ingest
# (/sensores/ingesta/) always works, so the embedded default needs no broker. MUEVE_MQTT_CONFIG_DIR: where the
# broker's password and ACL files are written (and the broker reloaded) when devices are provisioned or revoked.
MUEVE_MQTT_URL = env_str("MUEVE_MQTT_URL", "")
MUEVE_MQTT_USERNAME = env_str("MUEVE_MQTT_USERNAME", "")
MUEVE_MQTT_PASSWORD = env_str("MUEVE_MQTT_PASSWORD", "")
MUEVE_MQTT_CONFIG_DIR = env_str("MUEVE_MQTT_CONFIG_DIR", "")
# Readings up to this old are accepted (a device flushing its buffer), and up to this far ahead (clock skew).
MUEVE_SENSORS_LATE_HOURS = env_int("MUEVE_SENSORS_LATE_HOURS", 24 * 7)
MUEVE_SENSORS_FUTURE_SECONDS = env_int("MUEVE_SENSORS_FUTURE_SECONDS", 300)
# More readings a minute from one device are refused; five times more quarantines it and tells its owner.
MUEVE_SENSORS_MAX_READINGS_PER_MINUTE = env_int("MUEVE_SENSORS_MAX_READINGS_PER_MINUTE", 600)
# NGSI-LD subscriptions (/ngsi-ld/v1/subscriptions): notifications to addresses on this machine or a private
# network only for tests and local experiments (a subscription could otherwise make the server POST inside its own
# network); delivery runs in a thread woken after each commit, and `manage.py deliver_ngsild` catches up.
MUEVE_NGSILD_ALLOW_LOCAL = env_bool("MUEVE_NGSILD_ALLOW_LOCAL", False)
MUEVE_NGSILD_DELIVER_IN_THREAD = env_bool("MUEVE_NGSILD_DELIVER_IN_THREAD", True)
