#!/usr/bin/env bash
# `make image-check`: build the portal's image and run it for real, with production settings, against this machine's
# PostgreSQL and Redis (host networking, everything on the loopback). Not part of `make test`.
#
#   1. a Docker engine: the one running, else Debian's docker.io started here (and stopped again at the end);
#   2. the base image: BASE_IMAGE when given (e.g. python:3.11-slim where a registry is reachable), else one built
#      locally from Debian packages (debootstrap bookworm + python3 + a venv first on PATH, this machine's CA
#      bundle inside so pip reaches the package index through it), kept as iro-portal-base:bookworm for next time
#      (REBUILD_BASE=1 builds it again);
#   3. the portal's image on that base;
#   4. in containers of that image: migrate (as the owner), provision_db_roles, collectstatic, seed_reference, a
#      user; gunicorn and a Celery worker as the application's role; then GET /health/ (every check ok, the
#      worker's heartbeat included), a sign-in, a Celery round trip (portal.ping from a one-off container, answered
#      by the worker container) and a backup taken inside the image (pg_dump there).
#
# It creates and drops its own database and roles (portal_image_check, portal_check_owner, portal_check_app) and
# empties its own Redis database (IMAGE_CHECK_REDIS_URL, default db 14). Prints each step's time.
set -euo pipefail
cd "$(dirname "$0")/.."

TAG=${IMAGE_CHECK_TAG:-iro-portal:image-check}
LOCAL_BASE=iro-portal-base:bookworm
PORT=${IMAGE_CHECK_PORT:-18765}
REDIS=${IMAGE_CHECK_REDIS_URL:-redis://127.0.0.1:6379/14}
PG_HOST=127.0.0.1
PG_PORT=${IMAGE_CHECK_PG_PORT:-5432}
DB=portal_image_check
OWNER=portal_check_owner
APP=portal_check_app
WORK=.run/image-check
WEB=iro-image-check-web
WORKER=iro-image-check-worker
DOCKER=$(command -v docker || true)
mkdir -p "$WORK"
WORK=$(cd "$WORK" && pwd)

timings=()
step_started=0
step() {
    finish_step
    step_name=$1
    step_started=$(date +%s.%N)
    echo "==> $step_name"
}
finish_step() {
    if [ "$step_started" != 0 ]; then
        timings+=("$(awk -v started="$step_started" -v now="$(date +%s.%N)" -v name="$step_name" \
            'BEGIN { printf "%7.1f s  %s", now - started, name }')")
        step_started=0
    fi
}
fail() {
    echo "IMAGE CHECK FAILED: $*" >&2
    exit 1
}

# --- the Docker engine ------------------------------------------------------------------------------------------
started_dockerd=""
cleanup() {
    set +e
    finish_step
    if [ -n "$DOCKER" ]; then
        for container in "$WEB" "$WORKER"; do
            if "$DOCKER" container inspect "$container" >/dev/null 2>&1; then
                "$DOCKER" logs "$container" >"$WORK/$container.log" 2>&1
                "$DOCKER" rm -f "$container" >/dev/null 2>&1
            fi
        done
    fi
    psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1
    psql_admin -c "DROP ROLE IF EXISTS $APP" >/dev/null 2>&1
    psql_admin -c "DROP ROLE IF EXISTS $OWNER" >/dev/null 2>&1
    redis-cli -u "$REDIS" flushdb >/dev/null 2>&1
    if [ -n "$started_dockerd" ]; then
        kill "$started_dockerd" 2>/dev/null && wait "$started_dockerd" 2>/dev/null
    fi
    if [ ${#timings[@]} -gt 0 ]; then
        echo "--- timings (logs in $WORK) ---"
        printf '%s\n' "${timings[@]}"
    fi
}
trap cleanup EXIT

psql_admin() { psql -h "$PG_HOST" -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -Atq "$@"; }

step "Docker engine"
if [ -z "$DOCKER" ] || ! command -v dockerd >/dev/null 2>&1; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker.io >/dev/null
    DOCKER=$(command -v docker)
fi
if ! "$DOCKER" info >/dev/null 2>&1; then
    dockerd >"$WORK/dockerd.log" 2>&1 &
    started_dockerd=$!
    for _ in $(seq 1 60); do "$DOCKER" info >/dev/null 2>&1 && break; sleep 1; done
    "$DOCKER" info >/dev/null 2>&1 || fail "dockerd did not start (see $WORK/dockerd.log)"
fi
"$DOCKER" version --format 'client {{.Client.Version}}, engine {{.Server.Version}}'

# --- the base image ---------------------------------------------------------------------------------------------
if [ -n "${BASE_IMAGE:-}" ]; then
    base=$BASE_IMAGE
    echo "Base image: $base (given)"
else
    base=$LOCAL_BASE
    if [ -n "${REBUILD_BASE:-}" ] || ! "$DOCKER" image inspect "$base" >/dev/null 2>&1; then
        previous_base=$("$DOCKER" image inspect --format '{{.Id}}' "$base" 2>/dev/null || true)
        step "Base image from Debian packages (debootstrap bookworm)"
        command -v debootstrap >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq debootstrap >/dev/null
        rootfs="$WORK/rootfs"
        rm -rf "$rootfs"
        debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates bookworm "$rootfs" \
            http://deb.debian.org/debian >"$WORK/debootstrap.log" 2>&1 || fail "debootstrap (see $WORK/debootstrap.log)"
        # This machine's CA bundle: the package index is reached through the CAs it trusts.
        cp /etc/ssl/certs/ca-certificates.crt "$rootfs/etc/ssl/certs/ca-certificates.crt"
        chroot "$rootfs" python3 -m venv /opt/venv
        rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*
        tar -C "$rootfs" -c . | "$DOCKER" import \
            --change 'ENV PATH=/opt/venv/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
            --change 'ENV LANG=C.UTF-8' \
            --change 'ENV PIP_CERT=/etc/ssl/certs/ca-certificates.crt' \
            --change 'ENV SSL_CERT_FILE=/etc/ssl/certs/ca-certificates.crt' \
            --change 'CMD ["python"]' \
            - "$base" >/dev/null
        rm -rf "$rootfs"
        [ -z "$previous_base" ] || "$DOCKER" rmi "$previous_base" >/dev/null 2>&1 || true
    fi
    echo "Base image: $base ($("$DOCKER" run --rm "$base" python --version))"
fi

# --- the portal's image -----------------------------------------------------------------------------------------
step "Portal image build"
revision=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
previous=$("$DOCKER" image inspect --format '{{.Id}}' "$TAG" 2>/dev/null || true)
"$DOCKER" build --network host --build-arg BASE_IMAGE="$base" --build-arg PORTAL_REVISION="$revision" \
    -t "$TAG" . >"$WORK/build.log" 2>&1 || { tail -40 "$WORK/build.log"; fail "docker build (see $WORK/build.log)"; }
"$DOCKER" image inspect "$TAG" --format 'Image {{.RepoTags}}: {{.Size}} bytes'
# The image this build replaced, now untagged (this check's own; kept when something still uses it).
if [ -n "$previous" ] && [ "$previous" != "$("$DOCKER" image inspect --format '{{.Id}}' "$TAG")" ]; then
    "$DOCKER" rmi "$previous" >/dev/null 2>&1 || true
fi

# --- a database and roles of its own ------------------------------------------------------------------------------
step "Database and roles"
owner_password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
app_password=$(python3 -c 'import secrets; print(secrets.token_hex(12))')
psql_admin -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)"
psql_admin -c "DROP ROLE IF EXISTS $APP"
psql_admin -c "DROP ROLE IF EXISTS $OWNER"
# The owner may create the application's role (provision_db_roles), nothing more.
psql_admin -c "CREATE ROLE $OWNER LOGIN CREATEROLE PASSWORD '$owner_password'"
psql_admin -c "CREATE DATABASE $DB OWNER $OWNER"
redis-cli -u "$REDIS" flushdb >/dev/null

user_password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(18))')
cat >"$WORK/owner.env" <<EOF
SECRET_KEY=$(python3 -c 'import secrets; print(secrets.token_urlsafe(50))')
ALLOWED_HOSTS=127.0.0.1,localhost
CSRF_TRUSTED_ORIGINS=https://127.0.0.1:$PORT
PORTAL_BASE_URL=https://127.0.0.1:$PORT
EMAIL_URL=consolemail://
REDIS_URL=$REDIS
WORKER_HEARTBEAT_SECONDS=5
DATABASE_URL=postgres://$APP:$app_password@$PG_HOST:$PG_PORT/$DB
MIGRATION_DATABASE_URL=postgres://$OWNER:$owner_password@$PG_HOST:$PG_PORT/$DB
EOF
# The serving processes never see the owner's URL (as in docker-compose.yml).
grep -v '^MIGRATION_DATABASE_URL=' "$WORK/owner.env" >"$WORK/serve.env"
as_owner() { "$DOCKER" run --rm --network host --env-file "$WORK/owner.env" "$@"; }
as_app() { "$DOCKER" run --rm --network host --env-file "$WORK/serve.env" "$@"; }

step "migrate (as the owner)"
as_owner "$TAG" python manage.py migrate --noinput >"$WORK/migrate.log" 2>&1 || { tail -30 "$WORK/migrate.log"; fail migrate; }
tail -1 "$WORK/migrate.log"

step "provision_db_roles"
as_owner "$TAG" python manage.py provision_db_roles | tail -1

step "collectstatic (production storage; the collected files stay read-only to the serving user)"
# The build collected them (Dockerfile); collecting again post-processes every file, which needs write access
# the serving user must not have (it could change the scripts every page loads): run as root, as the build does.
as_app --user root "$TAG" python manage.py collectstatic --noinput | tail -1
as_app "$TAG" sh -c 'test -s staticfiles/staticfiles.json && ! test -w staticfiles/staticfiles.json' ||
    fail "the collected static files are missing or writable by the serving user"

step "seed_reference and a user (as the application's role)"
as_app "$TAG" python manage.py seed_reference >"$WORK/seed.log" 2>&1 || { tail -30 "$WORK/seed.log"; fail seed_reference; }
as_app -e PORTAL_USER_PASSWORD="$user_password" "$TAG" \
    python manage.py createportaluser checker --role member --org UNODC --email checker@example.org --noinput

step "gunicorn and a Celery worker"
"$DOCKER" run -d --name "$WEB" --network host --env-file "$WORK/serve.env" "$TAG" \
    gunicorn portal.wsgi --bind "127.0.0.1:$PORT" --workers 2 --worker-tmp-dir /dev/shm --access-logfile - >/dev/null
"$DOCKER" run -d --name "$WORKER" --network host --env-file "$WORK/serve.env" "$TAG" \
    celery -A portal worker --loglevel info --concurrency 1 >/dev/null
healthy=""
for _ in $(seq 1 60); do
    if python3 .ci/image_check_http.py --port "$PORT" health >/dev/null 2>&1; then healthy=1; break; fi
    sleep 1
done
[ -n "$healthy" ] || { "$DOCKER" logs --tail 40 "$WEB"; "$DOCKER" logs --tail 40 "$WORKER"; fail "/health/ never said every check ok"; }

step "GET /health/, a static asset, a sign-in"
python3 .ci/image_check_http.py --port "$PORT" health
python3 .ci/image_check_http.py --port "$PORT" static
python3 .ci/image_check_http.py --port "$PORT" sign-in --username checker --password "$user_password"

step "Celery round trip (portal.ping from a one-off container, answered by the worker container)"
task_id=$(as_app "$TAG" celery -A portal call portal.ping | tail -1)
echo "queued portal.ping[$task_id]"
answered=""
for _ in $(seq 1 60); do
    if "$DOCKER" logs "$WORKER" 2>&1 | grep -F "portal.ping[$task_id] succeeded" | grep -q "'pong'"; then
        answered=1
        break
    fi
    sleep 0.5
done
[ -n "$answered" ] || { "$DOCKER" logs --tail 40 "$WORKER"; fail "the worker did not answer portal.ping[$task_id]"; }
"$DOCKER" logs "$WORKER" 2>&1 | grep -F "portal.ping[$task_id] succeeded"
# The worker container's own health check, as docker-compose.yml runs it (its heartbeat, no `celery inspect`).
"$DOCKER" exec "$WORKER" sh -c 'python manage.py worker_heartbeat --worker "celery@$HOSTNAME"'

step "backup inside the image (pg_dump there, into BACKUP_DIR)"
as_owner "$TAG" python manage.py backup

finish_step
echo "IMAGE CHECK PASSED: $TAG on $base"
