"""gunicorn's settings for the portal (read from the working directory: `gunicorn portal.wsgi`).

Measured with `make load` (bench/LOAD.md) on 2 cores at 100,000 programs: a request is CPU work in Python and
in PostgreSQL on the same machine, so threads buy nothing under the GIL and each sync worker serves one request
at a time. Two workers per core plus one keeps both cores busy while a worker waits on the database, without
piling up more requests than the cores can run. Every value can be changed from the environment.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# GUNICORN_THREADS above 1 switches to the threaded worker (for deployments whose database is far away).
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"
# The application is imported once in the master and the workers are forked from it: they share its memory
# pages (copy-on-write) instead of each holding its own copy of Django and the portal.
preload_app = True
# A worker is replaced after this many requests (with jitter, so they do not all restart at once): memory a
# long-lived process accumulates is given back.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# The heartbeat file on tmpfs: on a disk-backed /tmp a slow disk can get workers killed as unresponsive.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 (tmpfs, only the heartbeat)
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-")
# The usual combined format, plus the time the request took in the worker (milliseconds).
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %(M)sms'
