"""The Celery application. Broker from REDIS_URL; in-process (eager) when it is unset."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.base")

# `portal` is the project package, not an installed app, so autodiscovery would miss its own tasks.
app = Celery("portal", include=["portal.tasks"])
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Beat schedules live in code, not in a database scheduler: `CELERY_BEAT_SCHEDULE` in portal/settings/base.py.
