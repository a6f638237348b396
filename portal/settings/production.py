"""Production settings: no default secret, no default hosts, no silent mail, DEBUG off unless set.

Behind a TLS-terminating proxy that sets `X-Forwarded-Proto` (README, "Production: HTTPS behind a proxy"), with the
environment the README lists, `manage.py check --deploy` reports no issue.
"""

from django.core.exceptions import ImproperlyConfigured

from portal.settings.base import *  # noqa: F403
from portal.settings.base import DATABASES, env


def _required(name: str) -> str:
    value = env(name, default="")
    if not value:
        raise ImproperlyConfigured(f"{name} must be set in production.")
    return value


SECRET_KEY = _required("SECRET_KEY")
ALLOWED_HOSTS = [host.strip() for host in _required("ALLOWED_HOSTS").split(",") if host.strip()]
DEBUG = env.bool("DEBUG", default=False)
# Mail that nobody receives would pass for sent: production names its transport (`consolemail://` only on purpose).
EMAIL_CONFIG = env.email_url_config(_required("EMAIL_URL"))
vars().update(EMAIL_CONFIG)

DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
# Behind a transaction-mode pooler (PgBouncer) a server-side cursor cannot outlive its transaction: turn them off.
DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = env.bool("DB_DISABLE_SERVER_SIDE_CURSORS", default=False)

BACKUP_DIR = env.path("BACKUP_DIR", default="/var/lib/portal/backups")

STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("DOCUMENTS_ROOT", default="/var/lib/portal/documents")},
    },
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- HTTPS behind a proxy -----------------------------------------------------------------------------------------
# The proxy terminates TLS and says so in X-Forwarded-Proto (and must overwrite whatever the client sent there).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
# Load balancers and monitors probe the health check over plain HTTP, inside the network.
SECURE_REDIRECT_EXEMPT = [r"^health/$"]
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
LANGUAGE_COOKIE_SECURE = True
# HSTS binds browsers for its whole max-age: off until HTTPS works end to end, then set from the environment.
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=False)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=False)

PORTAL_2FA_REQUIRED = env("PORTAL_2FA_REQUIRED", default="privileged")
