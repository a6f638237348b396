"""Test settings: the real PostgreSQL and Redis, never in-process shortcuts."""

import os

from portal.settings.base import *  # noqa: F403
from portal.settings.base import BASE_DIR, env


def _redis_url_for_this_worker() -> str:
    # Each pytest-xdist worker gets its own Redis database so queues and results never cross.
    base = env("REDIS_URL", default="redis://localhost:6379/0")
    offset = env.int("REDIS_DB_OFFSET", default=0)
    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    if not worker.startswith("gw"):
        return base
    number = (1 + offset + int(worker[2:])) % 16
    return f"{base.rsplit('/', 1)[0]}/{number}"


REDIS_URL = _redis_url_for_this_worker()
CELERY_BROKER_URL = REDIS_URL
CELERY_TASK_ALWAYS_EAGER = False
DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(BASE_DIR / ".run" / "test-documents")},
    },
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# Several suites may run side by side on one server (developers' parallel checkouts): name the test database.
DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME", default="test_portal")}  # noqa: F405
# The owner's alias is the same test database (pytest-django creates it once), never the development one.
DATABASES["migration"]["TEST"] = {"MIRROR": "default"}  # noqa: F405

# Throttle counts per test process, never in the shared Redis; the suite's many requests are not throttled
# (tests/security/test_throttles.py turns the throttles on where it checks them).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REST_FRAMEWORK = {  # noqa: F405
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": None, "user": None, "token": None},
}
