"""Settings of the Celery worker process the delivery tests start (not a test module).

The worker is another process: it must use the test database the test created (pytest-django renames it, and
under xdist suffixes it per test worker) and keep the e-mails where the test can read them.
"""

import os

from portal.settings.test import *  # noqa: F403
from portal.settings.test import DATABASES

DATABASES["default"]["NAME"] = os.environ["PORTAL_WORKER_DATABASE"]
EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["PORTAL_WORKER_MAIL_DIR"]
