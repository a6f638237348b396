"""Settings of the Celery worker process the delivery tests start (not a test module).

The worker is another process: it must use the test database the test created (pytest-django renames it, and
under xdist suffixes it per test worker) and keep the e-mails where the test can read them.
"""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES, REDIS_URL

DATABASES["default"]["NAME"] = os.environ["PORTAL_WORKER_DATABASE"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["PORTAL_WORKER_MAIL_DIR"]
# The cache is where a worker reports an import's progress (portal.imports.services): the test reads it from Redis.
WORKER_CACHE = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "worker"}
CACHES = {"default": WORKER_CACHE}
