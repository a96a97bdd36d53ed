"""Settings for Handlingsprogram-portalen.

Everything that differs between a developer's laptop and production is read from the environment.
With nothing set, the portal runs in development mode on SQLite (``db.sqlite3`` in the checkout).
With ``DJANGO_DEBUG`` unset or false, the defaults are the safe production ones: a secret key must be
given, cookies are secure, HSTS is on.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor

from handlingsprogram import entra_config  # plain functions, no Django imports
from portal import storage_config  # the same

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


# Production is the default: a deployment that forgets DJANGO_DEBUG is safe, not leaky.
# `make run` and `make test` set DJANGO_DEBUG themselves.
DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off.")
    SECRET_KEY = "development-only-insecure-key-never-use-in-production"  # noqa: S105

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "felles",
    "handlingsprogram",
    "varsler",
    "tiltak",
    "resultater",
    "nettverk",
    "rapportering",
    "portal",
    "portal.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Audit history (who, when, what changed) of tiltak, ansvar and statusmeldinger, admin edits included.
    "simple_history",
    # Rate-limits failed logins per account and per address, stored in the database so every app server sees it.
    "axes",
    # The partner API (/api/v1/), its filters, OpenAPI schema and offline Swagger UI, and CORS for it.
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    # A database backend for Django's tasks framework and its worker (`manage.py db_worker`): the annual report's
    # PDF is made there, so no web worker waits for WeasyPrint. Needs no broker beyond the database we have.
    "django_tasks_db",
    # Login with Microsoft Entra ID (OpenID Connect); allauth's own password login and signup are off.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
]

MIDDLEWARE = [
    # First: /healthz and /readyz answer load balancers before host checks, HTTPS redirects and sessions.
    "portal.operations.HealthCheckMiddleware",
    # Next, so the logged duration covers everything below it and every response gets its line.
    "portal.operations.RequestLogMiddleware",
    # The database unreachable: 503 with Retry-After instead of 500 (its process_exception; server_error below).
    "portal.operations.DatabaseUnavailableMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Before sessions (no query for a refused body) and before CSRF, whose check is the first to read the body.
    "portal.request_limits.RequestBodyLimitMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # HTML pages gzip-compressed (static files WhiteNoise has compressed already and answered above).
    "portal.compression.HtmlGZipMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before CommonMiddleware, as django-cors-headers asks, so redirects carry the CORS headers too.
    "corsheaders.middleware.CorsMiddleware",
    # After sessions, before CommonMiddleware (Django's order): the page's language is the one the user chose with
    # the language switch (a cookie), else bokmål; the browser's Accept-Language chooses only on /api/ (README).
    "portal.language.PortalLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # After authentication (it asks who the user is); its response side sees what every middleware below made.
    "felles.cache_headers.PrivateNoStoreMiddleware",
    "portal.operations.SessionIdleMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After CSRF checking (a forged request is refused as such first); 400 to a NUL or an overlong query value.
    "portal.junk_input.JunkParameterMiddleware",
    # Last, as django-axes requires.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
                "varsler.context_processors.varsler",
            ],
        },
    },
]

# Connections are kept for a minute, and health-checked before a request reuses one: after the database restarts,
# the first request finds the old connection dead and opens a new one instead of failing on it (issue 19).
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DJANGO_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "handlingsprogram.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before the password is even checked.
    "axes.backends.AxesStandaloneBackend",
    # Next, so no backend below checks a password for an account that logs in with Entra ID.
    "handlingsprogram.permissions.NoPasswordForEntraAccountsBackend",
    "django.contrib.auth.backends.ModelBackend",
    "handlingsprogram.permissions.RolePermissionBackend",
    # Logs in users coming back from Entra ID (allauth). It also accepts a username (in any case) and password,
    # like ModelBackend: NoPasswordForEntraAccountsBackend above stops both for Entra ID accounts.
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "nb"
# Bokmål is the portal's language; English is offered beside it for the programme's international partners.
# The programme's own texts (tiltak, areas, statusmeldinger) stay Norwegian, and the annual report is bokmål always.
LANGUAGES = [("nb", _("Norwegian Bokmål")), ("en", _("English"))]
# The language switch's choice (django.views.i18n.set_language) is kept for a year, as safe as the session cookie.
LANGUAGE_COOKIE_AGE = 365 * 24 * 60 * 60
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates and numbers follow the page's language: bokmål's are Django's, English's the portal's own (day first).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "Europe/Oslo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Documents attached to deltagelser: at most this size each (checked before anything is stored).
VEDLEGG_MAX_BYTES = int(os.environ.get("DJANGO_VEDLEGG_MAX_MB", "20")) * 1024 * 1024
# A spreadsheet of projects to import (resultater.prosjekt_import also bounds what an XLSX file unpacks to).
PROSJEKT_IMPORT_MAX_BYTES = 5 * 1024 * 1024

# Request bodies (portal.request_limits). Every upload limit is above; the largest of them caps each
# file while it streams in, and a body declaring more than that plus room for the other fields is answered 413
# before it is read. The proxy in front should cap bodies at REQUEST_BODY_MAX_BYTES too (README, "Drift").
UPLOAD_MAX_BYTES = max(VEDLEGG_MAX_BYTES, PROSJEKT_IMPORT_MAX_BYTES)
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # fields other than files: Django's 2.5 MB, far above 10,000-character texts
REQUEST_BODY_MAX_BYTES = UPLOAD_MAX_BYTES + 3 * 1024 * 1024  # 23 MB with the default attachment limit
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440  # a larger file goes to a temporary file while the request is handled
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000  # Django's default: the admin's bulk actions post one field per row
DATA_UPLOAD_MAX_NUMBER_FILES = 10  # one file per form; a status report takes up to 5 (tiltak.services)
FILE_UPLOAD_HANDLERS = [
    "portal.request_limits.FileSizeLimitUploadHandler",  # first, so it sees each chunk before it is kept
    "django.core.files.uploadhandler.MemoryFileUploadHandler",
    "django.core.files.uploadhandler.TemporaryFileUploadHandler",
]

# Uploaded files and report PDFs: the media directory, or S3-compatible object storage when DJANGO_S3_BUCKET is set
# (shared by every app server and worker). Objects are private: the portal's views serve them after checking access.
MEDIA_STORAGE = storage_config.media_storage(os.environ)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Compressing is most of collectstatic's time (brotli at its highest level): compress only what is served to
# browsers. Source maps (half the bytes, the API docs' bundles) are fetched by developer tools alone, and the
# pages link every file by its hashed name, so the unhashed copies need not be kept (or compressed) at all.
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*Compressor.SKIP_COMPRESS_EXTENSIONS, "map")
WHITENOISE_KEEP_ONLY_HASHED_FILES = True

# Sessions live in the database, so any app server can serve any request. They end after
# DJANGO_SESSION_IDLE_MINUTES without a request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
# A request moves the expiry forward (at most once a minute: portal.operations.SessionIdleMiddleware).
SESSION_COOKIE_AGE = int(os.environ.get("DJANGO_SESSION_IDLE_MINUTES", "120")) * 60

# The cache holds the API's rate-limit counters. In production it is a table in the database, shared by every app
# server (create it with `manage.py createcachetable`); in development each process keeps its own. With several app
# servers and much API traffic, DJANGO_CACHE=redis moves the counters (one write per API call) and the sessions'
# reads to a Redis server at DJANGO_REDIS_URL; sessions are still written to the database too ("cached_db"), so a
# Redis restart logs nobody out.
CACHE_BACKEND = os.environ.get("DJANGO_CACHE", "locmem" if DEBUG else "database")
REDIS_URL = os.environ.get("DJANGO_REDIS_URL", "")
_CACHE_BACKENDS = {
    "locmem": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "database": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "portal_cache"},
    "redis": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "handlingsprogram",
        # A Redis that does not answer fails the request within seconds (503, as a database outage), never hangs it.
        "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
    },
}
if CACHE_BACKEND not in _CACHE_BACKENDS:
    raise ImproperlyConfigured(f"DJANGO_CACHE must be one of {', '.join(_CACHE_BACKENDS)}, not {CACHE_BACKEND!r}.")
if CACHE_BACKEND == "redis" and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("DJANGO_CACHE=redis needs DJANGO_REDIS_URL, e.g. redis://redis.internal:6379/0.")
FRAGMENT_CACHE_DIR = os.environ.get("DJANGO_FRAGMENT_CACHE_DIR", "")


def _kept_by_version(name: str, subdirectory: str = "") -> dict:
    """A cache of what is kept under the data version: with DJANGO_FRAGMENT_CACHE_DIR (deploy/serve.sh sets one)
    files in that directory, shared by the web workers of a server, so what one worker made serves all; without it
    each process's memory. Nothing in it can go stale, so servers never need to share it."""
    if FRAGMENT_CACHE_DIR:
        return {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.path.join(FRAGMENT_CACHE_DIR, subdirectory),
            "OPTIONS": {"MAX_ENTRIES": 2000},
        }
    return {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": name,
        "OPTIONS": {"MAX_ENTRIES": 1000},
    }


CACHES = {
    "default": _CACHE_BACKENDS[CACHE_BACKEND],
    # Rendered public page parts (felles/fragment_cache.py): the programme page, four areas and every tiltak's page,
    # in two languages, at ten times the programme about 20 MB (a tiltak's part is about 20 KB, a fifth on disk).
    "fragments": _kept_by_version("fragments"),
    # The API's remembered answers to anonymous clients and partners (felles/api/common.py, VersionedListMixin), in
    # a directory of their own: a list of 50 is about 60 KB, a tiltak about 3 KB.
    "api_responses": _kept_by_version("api_responses", "api"),
}
# How long an anonymous visitor may be shown a kept page part of an older data version, and an anonymous or partner
# client the API's remembered answer of one (logged-in users never).
FRAGMENT_STALE_SECONDS = int(os.environ.get("DJANGO_FRAGMENT_STALE_SECONDS", "60"))
if CACHE_BACKEND == "redis":
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Security. Secure cookies and HSTS follow DEBUG so that plain-http development works;
# production (DEBUG off) gets them without anyone having to remember.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
LANGUAGE_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = SECURE_HSTS_SECONDS > 0
# The header only allows preloading; submitting the domain to the preload list is a separate, deliberate step.
SECURE_HSTS_PRELOAD = env_bool("DJANGO_HSTS_PRELOAD", SECURE_HSTS_SECONDS > 0)
# One reverse proxy in front sets X-Forwarded-Proto and appends the client's address to X-Forwarded-For; without
# it, both headers come from the client and are never trusted (felles.client_address).
BEHIND_PROXY = env_bool("DJANGO_BEHIND_PROXY", False)
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# No inline scripts or styles anywhere: every asset is a static file of our own.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

MAILERS = {
    "default": {
        "BACKEND": os.environ.get(
            "DJANGO_EMAIL_BACKEND",
            "django.core.mail.backends.console.EmailBackend"
            if DEBUG
            else "django.core.mail.backends.smtp.EmailBackend",
        ),
        "OPTIONS": {
            key: value
            for key, value in {
                "host": os.environ.get("DJANGO_EMAIL_HOST"),
                "port": int(os.environ["DJANGO_EMAIL_PORT"]) if os.environ.get("DJANGO_EMAIL_PORT") else None,
                "username": os.environ.get("DJANGO_EMAIL_USER"),
                "password": os.environ.get("DJANGO_EMAIL_PASSWORD"),
                "use_tls": env_bool("DJANGO_EMAIL_USE_TLS", False) or None,
            }.items()
            if value is not None
        },
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "handlingsprogram@trondelagfylke.no")

LOGIN_URL = "konto:login"
LOGIN_REDIRECT_URL = "tiltak:mine"
LOGOUT_REDIRECT_URL = "tiltak:overview"

# Failed logins (django-axes). The limit counts per account and, separately, per address: each string in
# AXES_LOCKOUT_PARAMETERS is its own counter (a nested list would mean the combination), so guessing many
# passwords for one account from many addresses, or one password for many accounts from one address, is
# stopped either way. Attempts during a lockout restart the cool-off, so the lockout page's "try again in N
# minutes" holds. Counters live in the database handler, shared by every app server. The username is read
# from the form field named by the User model's USERNAME_FIELD ("username"), axes' default and LoginView's.
from datetime import timedelta  # noqa: E402 (kept with the only settings that use it)

AXES_ENABLED = True  # also in tests: the lockout is tested; tests log in with force_login or login(request=...)
AXES_FAILURE_LIMIT = int(os.environ.get("DJANGO_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DJANGO_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "konto/lockout.html"
AXES_HTTP_RESPONSE_CODE = 429  # Too Many Requests (also axes' default; stated so nobody has to look it up)
# Wrong old passwords on the password-change page count too (handlingsprogram.account_views): axes keeps the posted
# form with each failure, masking only "password" and the fields named here, so the typed passwords are listed.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "old_password", "new_password1", "new_password2"]


# The same client address as the API's rate limits (REMOTE_ADDR, or behind the proxy the address it appended):
# axes would otherwise read REMOTE_ADDR, which behind the proxy is the proxy and would lock every user out at once.
AXES_CLIENT_IP_CALLABLE = "felles.client_address.client_address"

# Absolute links in e-mails sent without a request to take the host from (manage.py send_paaminnelser).
SITE_URL = os.environ.get("DJANGO_SITE_URL", "http://127.0.0.1:8000")

# Where the public pages send people (the contact page, the accessibility and the privacy statement): the county's
# public mailbox unless it sets another; questions about personal data go to its data protection officer, by
# default through the same mailbox.
PORTAL_CONTACT_EMAIL = os.environ.get("DJANGO_CONTACT_EMAIL", "postmottak@trondelagfylke.no")
PORTAL_PRIVACY_EMAIL = os.environ.get("DJANGO_PRIVACY_EMAIL", PORTAL_CONTACT_EMAIL)
for _name, _address in (("DJANGO_CONTACT_EMAIL", PORTAL_CONTACT_EMAIL), ("DJANGO_PRIVACY_EMAIL", PORTAL_PRIVACY_EMAIL)):
    if "@" not in _address or any(c.isspace() for c in _address):
        raise ImproperlyConfigured(f"{_name} must be an e-mail address, not {_address!r}.")

# Logs go to stdout, where the service manager or container runtime collects them: in production one JSON object
# per line (request lines carry method, path, status, duration_ms and user_id), in development plain text.
LOG_FORMAT = os.environ.get("DJANGO_LOG_FORMAT", "text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {"()": "portal.operations.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"route_not_path": {"()": "portal.operations.RouteNotPathFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "stream": "ext://sys.stdout", "formatter": LOG_FORMAT},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        # Our own request line replaces Django's; runserver's and gunicorn's access logs would only repeat it.
        "django.server": {"level": "WARNING"},
        # Their lines about a request name its path, which may carry a password-reset token.
        "django.request": {"filters": ["route_not_path"]},
        "django.security.csrf": {"filters": ["route_not_path"]},
        # In development the request lines would drown runserver's output; DJANGO_LOG_FORMAT=json shows them.
        "handlingsprogram.requests": {"level": "INFO" if LOG_FORMAT == "json" else "WARNING"},
    },
}

# The statusmelding_current index carries status and assessment as non-key columns on PostgreSQL (production);
# SQLite builds the same index without them, which is all the development database needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]

# --- The partner API (/api/v1/) --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "handlingsprogram.api.authentication.ApiTokenAuthentication",
        # Staff browsing the API while logged in to the portal; read-only, so CSRF never comes into play.
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [],
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "felles.api.schema.PortalAutoSchema",
    "DEFAULT_THROTTLE_CLASSES": [
        "handlingsprogram.api.authentication.AnonymousClientThrottle",
        "handlingsprogram.api.authentication.PartnerThrottle",
        "handlingsprogram.api.authentication.PortalUserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("DJANGO_API_RATE_ANONYMOUS", "60/minute"),
        "partner": os.environ.get("DJANGO_API_RATE_PARTNER", "1200/minute"),
        "user": os.environ.get("DJANGO_API_RATE_USER", "600/minute"),
    },
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Handlingsprogram-portalen API",
    "DESCRIPTION": (
        "Open data from Trøndelag's international action programme: programmes, priority areas, focus areas, "
        "measures with their current status, status reports, actors, SDGs, governing documents, funding "
        "programmes, networks, memberships and participation, indicators with their values per year, international "
        "projects with their funding and the exchange rates used. Read-only; JSON or CSV (?format=csv); page with "
        "?page and ?page_size (at most 500). Anonymous clients have a modest rate limit; partners get a key from a "
        "coordinator and send it as 'Authorization: Token <key>'."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "ENUM_NAME_OVERRIDES": {
        # A deltagelse's status and kind share their field names with the status report's and the network's.
        "StatusEnum": "tiltak.models.Statusmelding.Status",  # the name it had before deltagelser came
        "DeltagelseStatusEnum": "nettverk.models.Deltagelse.Status",
        "RolleEnum": "nettverk.models.Medlemskap.Rolle",
        "DeltagelseTypeEnum": "nettverk.models.Deltagelse.Type",
        # A membership's level may be "not stated"; a deltagelse's may not.
        "NivaaEnum": "nettverk.models.Medlemskap.Nivaa",
        "DeltagelseNivaaEnum": "nettverk.models.DELTAGELSE_NIVAA_CHOICES",
        # A project's role and status share their field names with Ansvar's, Medlemskap's and the reports'.
        "ProsjektRolleEnum": "resultater.models.Prosjekt.Rolle",
        "ProsjektStatusEnum": "resultater.models.Prosjekt.Status",
    },
}

# Browsers on partners' and municipalities' sites may read the public API, without credentials.
CORS_URLS_REGEX = r"^/api/v1/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_ALLOW_CREDENTIALS = False
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After"]

# --- The annual report (rapportering) ---------------------------------------------------------------------------
# Rendering a report takes a few seconds; past this limit the coordinator gets an error and the draft is untouched.
AARSRAPPORT_RENDER_TIMEOUT = int(os.environ.get("DJANGO_AARSRAPPORT_RENDER_TIMEOUT", "120"))
# The final evaluation covers the whole period (four years of every tiltak): at ten times the real programme it is
# 118 pages and WeasyPrint alone took 171 s on a busy 2-core machine, so it gets a limit of its own (BENCHMARKS.md).
SLUTTEVALUERING_RENDER_TIMEOUT = int(os.environ.get("DJANGO_SLUTTEVALUERING_RENDER_TIMEOUT", "900"))
# How often the worker making a PDF says it is alive; silent for six times that, it is taken for dead and the PDF is
# queued again (rapportering.services.pdf_generering_recover_stalled).
PDF_HEARTBEAT_SECONDS = float(os.environ.get("DJANGO_PDF_HEARTBEAT_SECONDS", "5"))

# --- Background tasks ---------------------------------------------------------------------------------------------
# "immediate": run each task in the request that queued it (the default with DJANGO_DEBUG, so `make run` needs no
# worker); "database": queue it in the database for `manage.py db_worker` (the default in production).
TASKS_BACKEND = os.environ.get("DJANGO_TASKS_BACKEND", "immediate" if DEBUG else "database")
_TASK_BACKENDS = {
    "immediate": "django.tasks.backends.immediate.ImmediateBackend",
    "database": "django_tasks_db.DatabaseBackend",
}
if TASKS_BACKEND not in _TASK_BACKENDS:
    raise ImproperlyConfigured(
        f"DJANGO_TASKS_BACKEND must be one of {', '.join(_TASK_BACKENDS)}, not {TASKS_BACKEND!r}."
    )
TASKS = {"default": {"BACKEND": _TASK_BACKENDS[TASKS_BACKEND], "QUEUES": ["default"]}}

# --- Login with Microsoft Entra ID (OpenID Connect) ---------------------------------------------------------------
# On when DJANGO_ENTRA_CLIENT_ID is set: the login page gets a "Log in with Microsoft Entra ID" button. Roles and
# units come from the user's groups, mapped in the admin (Entra ID groups). DJANGO_OIDC_SERVER_URL overrides the
# issuer for another OpenID Connect provider (the tests run a real one on loopback).
ENTRA_TENANT_ID = os.environ.get("DJANGO_ENTRA_TENANT_ID", "")
ENTRA_CLIENT_ID = os.environ.get("DJANGO_ENTRA_CLIENT_ID", "")
ENTRA_CLIENT_SECRET = os.environ.get("DJANGO_ENTRA_CLIENT_SECRET", "")
OIDC_SERVER_URL = os.environ.get("DJANGO_OIDC_SERVER_URL") or (
    f"https://login.microsoftonline.com/{ENTRA_TENANT_ID}/v2.0" if ENTRA_TENANT_ID else ""
)
if ENTRA_CLIENT_ID and not (OIDC_SERVER_URL and ENTRA_CLIENT_SECRET):
    raise ImproperlyConfigured(
        "DJANGO_ENTRA_CLIENT_ID needs DJANGO_ENTRA_CLIENT_SECRET and DJANGO_ENTRA_TENANT_ID "
        "(or DJANGO_OIDC_SERVER_URL)."
    )
# Local accounts with passwords: on for development; switch off where everyone logs in with Entra ID.
PASSWORD_LOGIN = env_bool("DJANGO_PASSWORD_LOGIN", True)
if not PASSWORD_LOGIN and not ENTRA_CLIENT_ID:
    raise ImproperlyConfigured(
        "DJANGO_PASSWORD_LOGIN=false needs Entra ID login (DJANGO_ENTRA_CLIENT_ID), or nobody can log in."
    )

SOCIALACCOUNT_PROVIDERS = entra_config.provider_settings(
    server_url=OIDC_SERVER_URL, client_id=ENTRA_CLIENT_ID, secret=ENTRA_CLIENT_SECRET
)
if ENTRA_CLIENT_ID:
    # The login button posts to our own URL, which redirects to the provider; browsers check form-action there too.
    SECURE_CSP["form-action"] = [*SECURE_CSP["form-action"], entra_config.origin(OIDC_SERVER_URL)]
SOCIALACCOUNT_ADAPTER = "handlingsprogram.entra.EntraSocialAccountAdapter"
SOCIALACCOUNT_ONLY = True  # allauth handles only the Entra ID login; passwords go through konto:login
SOCIALACCOUNT_AUTO_SIGNUP = True
SOCIALACCOUNT_LOGIN_ON_GET = False  # only a POST (with its CSRF token) starts a login
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False  # never attach an Entra login to a local account by e-mail alone
ACCOUNT_EMAIL_VERIFICATION = "none"  # Entra ID has verified the address
ACCOUNT_LOGOUT_REDIRECT_URL = LOGIN_URL
