"""Settings shared by every environment, read from the environment (django-environ).

Development defaults live here; `production` tightens them and refuses to start without secrets.
"""

from datetime import timedelta
from pathlib import Path

import environ
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
# A developer's `.env` is optional and never committed; the process environment wins over it.
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-never-used-in-production")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "portal.accounts.two_factor.apps.PortalAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "django_tables2",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "guardian",
    "simple_history",
    "django_countries",
    "bootstrap",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "portal.accounts",
    "portal.security",
    "portal.pages",
    "portal.notifications",
    "portal.imports",
    "portal.preferences",
    "confidentiality",
    "iros",
    "contacts",
    "programs",
    "portal.devtools",
    "portal.operations",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ResponseHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "portal.kernel.middleware.UnstorablePathParameterMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.accounts.middleware.SessionIndexMiddleware",
    "portal.accounts.middleware.UserLanguageMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "portal.accounts.two_factor.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "axes.middleware.AxesMiddleware",
]

# Django's form renderer, with selects written in Python: list filters hold hundreds of options (portal.kernel.forms).
FORM_RENDERER = "portal.kernel.forms.PortalFormRenderer"

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "portal.pages.context_processors.viewer",
            ],
        },
    },
]

# PostgreSQL only: full-text search, GIN indexes, array fields and triggers need no fallback.
# The data (programs and their grant index) lives in memory or on SSD: price random reads accordingly, so a
# small organization's list starts from its few grant rows instead of walking every program (bench/README.md).
# JIT off: the portal's heavier queries (search ranking, dashboard counts, the cooperation map at 100,000 programs)
# run in tens of milliseconds and PostgreSQL's JIT spent 0.3–2 s compiling each of them (bench/LOAD.md).
PG_OPTIONS = env("PG_OPTIONS", default="-c random_page_cost=1.1 -c effective_io_concurrency=100 -c jit=off")


def database_from_url(url: str, *, conn_max_age: int = 0) -> dict:
    database = environ.Env.db_url_config(url)
    database["ATOMIC_REQUESTS"] = False
    database["CONN_MAX_AGE"] = conn_max_age
    database.setdefault("OPTIONS", {})["options"] = PG_OPTIONS
    return database


# --- database roles ----------------------------------------------------------------------------------------------
# The running portal connects as DATABASE_URL's role; `migrate` and `provision_db_roles` connect as the owner
# (MIGRATION_DATABASE_URL) through the `migration` alias. Development and tests give one URL, which serves both.
# An empty variable counts as unset. (Lower case: not a setting, so no settings dump shows the URL's password.)
database_url = env("DATABASE_URL", default="") or "postgres://postgres@localhost:5432/portal"
DATABASES = {
    "default": database_from_url(database_url, conn_max_age=env.int("CONN_MAX_AGE", default=0)),
    "migration": database_from_url(env("MIGRATION_DATABASE_URL", default="") or database_url),
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# The portal's visibility policy handles anonymous visitors itself; guardian needs no anonymous user row.
ANONYMOUS_USER_NAME = None
GUARDIAN_MONKEY_PATCH_USER = False

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

# --- languages ---------------------------------------------------------------------------------------------------
# The six official languages of the United Nations, each named in itself (a reader finds their own). The signed-in
# user's saved language wins (portal.accounts.middleware.UserLanguageMiddleware), then LocaleMiddleware's cookie, then
# Accept-Language (zh, zh-CN and zh-Hans select zh-hans through Django's fallbacks). docs/i18n.md: the workflow.
LANGUAGE_CODE = "en"
LANGUAGES = [
    ("ar", "العربية"),
    ("en", "English"),
    ("es", "Español"),
    ("fr", "Français"),
    ("ru", "Русский"),
    ("zh-hans", "中文"),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Pages show dates in the locale's named formats; English's and Arabic's are adjusted there (portal/formats).
FORMAT_MODULE_PATH = ["portal.formats"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Documents are confidential: stored outside any served directory, read only through access-checked views.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("DOCUMENTS_ROOT", default=str(BASE_DIR / ".run" / "documents"))},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Two-factor sign-in: `all` (everyone), `privileged` (Committee experts, administrators, focal points) or `off`.
PORTAL_2FA_REQUIRED = env("PORTAL_2FA_REQUIRED", default="off")
# Accounts: invitations and delegation to focal points.
# An invitation link works for this many days (re-sending starts the count again).
INVITATION_DAYS = env.int("INVITATION_DAYS", default=7)
# The most focal points an organization may have when a focal point invites or promotes one (administrators are
# not bound): a main focal point and a deputy by default; 1 keeps naming focal points to administrators.
FOCAL_POINTS_PER_ORGANIZATION = env.int("FOCAL_POINTS_PER_ORGANIZATION", default=2)
# How long a session may go unseen before its "last seen" time in the sessions list is written again (seconds).
SESSION_INDEX_REFRESH_SECONDS = 300
# The name authenticator apps show beside the account (django-otp's TOTP plugin); a staging server may set its own.
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="1540 IRO Portal")
# How long the security event log keeps a row (days); older rows may be purged, younger ones never change.
SECURITY_LOG_RETENTION_DAYS = env.int("SECURITY_LOG_RETENTION_DAYS", default=400)
# API tokens: how many days a new token works before it expires (revocation ends it sooner).
API_TOKEN_DAYS = env.int("API_TOKEN_DAYS", default=90)

# IATI export: organizations' identifiers are this prefix and their acronym until they record registered ones.
IATI_ORGANISATION_PREFIX = env("IATI_ORGANISATION_PREFIX", default="XI-1540PORTAL")

# Spreadsheet imports (programs): the largest file and the most rows one upload may hold.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=5 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=5000)
# Files of more rows are imported by a Celery worker (with progress and cancel) instead of inside the request.
IMPORT_INLINE_MAX_ROWS = env.int("IMPORT_INLINE_MAX_ROWS", default=200)
# A job still running this long after it started has lost its worker: the periodic sweep marks it failed.
IMPORT_JOB_TIMEOUT_MINUTES = env.int("IMPORT_JOB_TIMEOUT_MINUTES", default=60)

# Where `manage.py backup` writes its archives unless told (portal/operations/backup.py); keep it off the database's
# disk and copy the archives off the machine (docs/deployment.md, "Backups").
BACKUP_DIR = env.path("BACKUP_DIR", default=str(BASE_DIR / "backups"))

DOCUMENT_MAX_BYTES = env.int("DOCUMENT_MAX_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Development prints mail on the console; production requires EMAIL_URL (an empty value counts as unset).
EMAIL_CONFIG = env.email_url_config(env("EMAIL_URL", default="") or "consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="1540 IRO Portal <no-reply@portal.invalid>")
PORTAL_BASE_URL = env("PORTAL_BASE_URL", default="http://127.0.0.1:8000")

# Celery: with REDIS_URL unset (the `make run` default) tasks run in-process; set it to use a broker and workers.
REDIS_URL = env("REDIS_URL", default=None)
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_RESULT_BACKEND = None
CELERY_TASK_ALWAYS_EAGER = REDIS_URL is None
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# A share must succeed even when the broker is down; the sweep delivers later.
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
CELERY_TASK_PUBLISH_RETRY = False
# Each worker beats on the broker this often while connected (portal.operations.heartbeat); `GET /health/` calls
# the workers stale when the newest beat is older than the maximum age.
WORKER_HEARTBEAT_SECONDS = env.int("WORKER_HEARTBEAT_SECONDS", default=30)
WORKER_HEARTBEAT_MAX_AGE_SECONDS = env.int("WORKER_HEARTBEAT_MAX_AGE_SECONDS", default=90)

# --- lockout and throttling ---------------------------------------------------------------------------------
# django-axes refuses every password entry point (web, admin, API token) to one username from one address after
# AXES_FAILURE_LIMIT failures, for AXES_COOLOFF_MINUTES counted from the failure that locked it: the right
# password too. The address is REMOTE_ADDR, never a forwarded header a client could forge (README).
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.int("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "portal.security.services.client_address"
# Attempts refused while locked do not restart the cool-off: a lockout lasts what the message says.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_CALLABLE = "portal.security.lockout.lockout_response"
AXES_COOLOFF_MESSAGE = format_lazy(
    gettext_lazy(
        "Too many failed sign-in attempts. Signing in with this username from your address is blocked for up to "
        "{minutes} minutes. Try again later, or ask an administrator to clear the lockout."
    ),
    minutes=int(AXES_COOLOFF_TIME.total_seconds() // 60),
)
# The security log records every sign-in; axes' own access log would be a second copy. Lockouts are cleared on
# the portal's page (security:lockouts), which logs the clearing: not in the Django admin, which would not.
AXES_DISABLE_ACCESS_LOG = True
AXES_ENABLE_ADMIN = False


def _throttle_rate(name: str, default: str) -> str | None:
    """A DRF rate (`60/minute`) from the environment; `off` (None for DRF) lets every request through."""
    rate = env(name, default=default).strip()
    return None if rate.lower() == "off" else rate


# Throttles count in the default cache: Redis when REDIS_URL is set, so every web process shares the counts
# (per process otherwise, as in `make run`'s single process).
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "portal"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}
API_THROTTLES = {
    "DEFAULT_THROTTLE_CLASSES": ["portal.api.throttles.AnonymousThrottle", "portal.api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": _throttle_rate("API_THROTTLE_ANON", "120/minute"),
        "user": _throttle_rate("API_THROTTLE_USER", "600/minute"),
        "token": _throttle_rate("API_THROTTLE_TOKEN", "10/minute"),
    },
    # Clients are told apart by REMOTE_ADDR alone: X-Forwarded-For is whatever the client wrote.
    "NUM_PROXIES": 0,
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "portal.api.authentication.ActiveUserTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_FILTER_BACKENDS": [
        "django_filters.rest_framework.DjangoFilterBackend",
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_PAGINATION_CLASS": "portal.api.pagination.PortalPagination",
    "PAGE_SIZE": 50,
    **API_THROTTLES,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "1540 IRO Coordination Portal API",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # One name for the one choice set that several fields use (agreements', interactions' and designations' dates).
    "ENUM_NAME_OVERRIDES": {"DatePrecisionEnum": "iros.models.DatePrecision"},
}

# Strict CSP: no inline script or style anywhere, every asset served by the portal itself.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}

SESSION_COOKIE_HTTPONLY = True
# --- session idle timeout -----------------------------------------------------------------------------------------
# A session ends after this many seconds without a request (default 8 hours). A signed-in user's requests push
# its expiry forward when the accounts' session index refreshes its "last seen" (at most every
# SESSION_INDEX_REFRESH_SECONDS: portal.accounts.middleware.SessionIndexMiddleware), not on every request: the
# idle limit holds to within those few minutes, and most requests write nothing.
SESSION_COOKIE_AGE = env.int("SESSION_IDLE_SECONDS", default=8 * 60 * 60)
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="WARNING")},
}

# --- periodic tasks (Celery beat; schedules live in code, no database scheduler) ------------------------------
from celery.schedules import crontab  # noqa: E402

CELERY_BEAT_SCHEDULE = {
    # Deliver what the on-commit task missed (broker or worker down when the row was written).
    "notifications-sweep": {"task": "notifications.sweep", "schedule": 60.0},
    "notifications-follow-ups-due": {"task": "notifications.follow_ups_due", "schedule": crontab(hour=6, minute=0)},
    "notifications-stale-programs": {"task": "notifications.stale_programs", "schedule": crontab(hour=6, minute=15)},
    "notifications-weekly-digest": {
        "task": "notifications.weekly_digest",
        "schedule": crontab(day_of_week="mon", hour=7, minute=0),
    },
    # Fail import jobs whose worker was lost (running past IMPORT_JOB_TIMEOUT_MINUTES); queue again those never sent.
    "imports-sweep": {"task": "imports.sweep", "schedule": 300.0},
    # Remove security log rows past SECURITY_LOG_RETENTION_DAYS.
    "security-purge-log": {"task": "security.purge_log", "schedule": crontab(hour=3, minute=30)},
}
# Publishing must never hang a request: a refused connection fails at once, an unreachable host within 2 s
# (the change still commits and the sweep delivers later).
CELERY_BROKER_TRANSPORT_OPTIONS = {**CELERY_BROKER_TRANSPORT_OPTIONS, "socket_connect_timeout": 2}
