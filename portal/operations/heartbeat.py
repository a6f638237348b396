"""Celery workers' heartbeat, kept on the broker (Redis): is some worker consuming tasks? No `celery inspect`.

Every worker, while its consumer is connected to the broker, writes its name and the time every
`WORKER_HEARTBEAT_SECONDS` into one sorted set on the broker (`portal.celery.WorkerHeartbeat`, a consumer
bootstep: Celery stops it when the connection drops and starts it again when it is back, so a worker cut off from
its queue stops beating). A clean shutdown removes the worker's entry. `GET /health/` and `manage.py
worker_heartbeat` read the newest beat's age: a broadcast to every worker (`celery inspect ping`) would cost a round
trip to each of them and wait for the slowest.
"""

from __future__ import annotations

import time

import redis
from django.conf import settings

KEY = "portal:worker-heartbeats"
SOCKET_TIMEOUT_SECONDS = 2


def broker_is_redis(url: str | None) -> bool:
    return bool(url) and url.split("://", 1)[0] in {"redis", "rediss", "unix"}


def _client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_timeout=SOCKET_TIMEOUT_SECONDS, socket_connect_timeout=SOCKET_TIMEOUT_SECONDS
    )


def heartbeat_write(*, broker_url: str, worker: str, now: float | None = None) -> None:
    """Record that `worker` is alive now, and forget workers silent for much longer than anyone would wait."""
    now = time.time() if now is None else now
    forget_before = now - 10 * settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS
    with _client(broker_url) as client, client.pipeline() as pipeline:
        pipeline.zadd(KEY, {worker: now})
        pipeline.zremrangebyscore(KEY, "-inf", forget_before)
        pipeline.execute()


def heartbeat_remove(*, broker_url: str, worker: str) -> None:
    """A worker that stops on purpose says so at once, instead of waiting to look stale."""
    with _client(broker_url) as client:
        client.zrem(KEY, worker)


def heartbeat_ages(*, broker_url: str, now: float | None = None) -> dict[str, float]:
    """Seconds since each known worker's last beat, newest first (empty when none has beaten)."""
    now = time.time() if now is None else now
    with _client(broker_url) as client:
        beats = client.zrevrange(KEY, 0, -1, withscores=True)
    return {name.decode(): max(0.0, now - beat) for name, beat in beats}


def heartbeat_status(ages: dict[str, float], *, worker: str | None = None) -> str:
    """`ok` when the worker (any worker when unnamed) beat within WORKER_HEARTBEAT_MAX_AGE_SECONDS, else `stale`."""
    recent = [age for name, age in ages.items() if worker is None or name == worker]
    return "ok" if recent and min(recent) <= settings.WORKER_HEARTBEAT_MAX_AGE_SECONDS else "stale"
