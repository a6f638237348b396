"""The options of long selects of reference data, built once per language rather than once per request.

A list page's filter form offers every organization (twice: owner and partner), every country, region and
thematic area. Building those options cost about a third of the page's time at 100,000 programs: some 500 model
instances, 250 country names translated and sorted by the reader's collation, on every request. They are the
same for every viewer — public reference data, nothing that depends on what the viewer may see — so each
process keeps them per language, and rebuilds them when the reference data changes.

Invalidation across processes: a generation number in the shared cache (Redis in production), bumped whenever a
reference record is saved or deleted (`reference_data_changed`, connected to the models' signals by their app)
— at once and again when the transaction commits, so that no process keeps what it read before the commit.
Bulk writes send no signals: whoever does them calls `reference_data_changed()`, and a built list lives at most
`MAX_AGE` seconds anyway.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction
from django.utils.translation import get_language

GENERATION_KEY = "reference-choices:generation"
MAX_AGE = 300  # seconds: the backstop for writes that sent no signal
# A page offers several such selects: the shared generation is read once per this many seconds, not per select
# (a Redis round trip each). A change made in another process shows within that time; in this one, at once.
GENERATION_CHECK = 1.0

Choices = list[tuple[str, str]]
_built: dict[tuple[str, str | None], tuple[object, float, Choices]] = {}
_checked: dict[str, tuple[object, float]] = {}  # "generation" → (the generation read, when)


def _generation(now: float):
    kept = _checked.get("generation")
    if kept is not None and now - kept[1] < GENERATION_CHECK:
        return kept[0]
    generation = cache.get(GENERATION_KEY, 0)
    _checked["generation"] = (generation, now)
    return generation


def reference_choices(name: str, build: Callable[[], Choices]) -> Choices:
    """`build()`'s (value, label) pairs for the active language, as built at most `MAX_AGE` seconds ago and
    since the last change to reference data. `name` tells the lists apart; the caller must not change the list."""
    key = (name, get_language())
    now = time.monotonic()
    generation = _generation(now)
    kept = _built.get(key)
    if kept is not None and kept[0] == generation and now - kept[1] < MAX_AGE:
        return kept[2]
    choices = list(build())
    _built[key] = (generation, now, choices)
    return choices


def _bump() -> None:
    _checked.clear()  # this process sees its own change at once
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there yet (or evicted): any new value tells the processes to rebuild
        cache.set(GENERATION_KEY, time.time_ns(), timeout=None)


def reference_data_changed(**_signal_arguments) -> None:
    """Reference data was written: every process rebuilds its lists (now, and once the write is committed)."""
    _bump()
    transaction.on_commit(_bump)


def forget_reference_choices() -> None:
    """Drop this process's lists (tests start each case from an empty database)."""
    _built.clear()
    _checked.clear()
