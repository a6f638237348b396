"""Every input is answered without a server error.

Hostile values (NUL, a lone surrogate, an RTL override, 10,000 characters, and runs of the characters full-text
search reads as operators) go into every route's path parameters (where its pattern accepts them), into every query
parameter its view reads (search boxes, filters, ordering, paging) and into the sign-in forms, on the web pages, the
API and the admin, signed out and as an administrator (who sees most). 2xx, 3xx and 4xx are all fine; a 5xx fails,
with the exception behind it.

The routes come from the URL resolver (as in tests/test_url_coverage.py), each with sample arguments from the leak
registry or from `SAMPLES` here, so a new route is swept without being listed. Which query parameters a view reads is
asked of the view itself: first requests record the keys it reads from the query string.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterator
from urllib.parse import parse_qsl, quote, unquote_to_bytes

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.http import QueryDict
from django.template.base import Variable
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, get_resolver, resolve, reverse
from django.utils import timezone
from django.utils.encoding import repercent_broken_unicode
from django.utils.http import urlsafe_base64_encode

from iros.models import Organization
from portal.imports.importers import importer_for
from portal.imports.models import ImportJob
from portal.notifications.models import Notification
from portal.preferences.models import SavedFilter
from tests.factories import EventFactory, RegionalCoordinatorFactory, RegionFactory, ThematicAreaFactory
from tests.leak.registry import LIST_PAGES, RECORD_PAGES
from tests.leak.world import LeakWorld, build_leak_world
from tests.test_url_coverage import _route_names
from tests.world import signed_in

# Percent-encoded, as a browser or a script would send them; the test client would refuse a lone surrogate as text.
HOSTILE = {
    "NUL": "%00",
    "lone surrogate": "%ED%A0%80",  # U+D800 encoded as UTF-8 would, which no valid UTF-8 text holds
    "RTL override": quote("\u202eevil"),
    "10,000 characters": "x" * 10_000,
    "hyphens": "-" * 40,
    "exclamation marks": "%21" * 40,
    "ampersands": "%26" * 40,
    "pipes": "%7C" * 40,
}
PERSONAS = ("anonymous", "admin")
SEARCH_BOXES = {"q", "search"}
# Routes too slow to sweep key by key (with the reason): swept signed out only (they answer every caller alike),
# their keys together.
SLOW = {"api:schema": "builds the whole public API description, half a second each time"}
SIGN_IN_ROUTES = ("accounts:login", "admin:login", "api:token")


# --- sample arguments -----------------------------------------------------------------------------------------


def _record(world: LeakWorld, kind: str):
    # Public (or the one record of the kind): an anonymous visitor reaches the view's body too.
    records = world.of_kind(kind)
    return next((record for record in records if record.key == "public"), records[0]).obj


def _notification(world: LeakWorld) -> Notification:
    # One per recipient, record and event: the leak world already notified every persona of every record.
    program = _record(world, "program")
    return Notification.objects.get_or_create(
        recipient=world.people["admin"],
        kind=Notification.Kind.SHARED,
        record_type="programs.program",
        record_id=program.pk,
        defaults={"delivered_at": timezone.now()},
    )[0]


def _import_job(world: LeakWorld, slug: str) -> ImportJob:
    """A finished import of `slug`'s kind by the administrator (who sees every job)."""
    return ImportJob.objects.create(
        kind=slug, created_by=world.people["admin"], filename=f"{slug}.csv", inline=True, state="done"
    )


IMPORT_KINDS = ("programs", "contacts", "interactions", "events")
# Routes outside the leak registry that take arguments: how to reach one of their records.
SAMPLES: dict[str, Callable[[LeakWorld], str]] = {
    "iros:edit": lambda w: reverse("iros:edit", args=[w.orgs["owner"].acronym]),
    "iros:event_detail": lambda w: reverse("iros:event_detail", args=[EventFactory().pk]),
    "accounts:password_reset_confirm": lambda w: reverse(
        "accounts:password_reset_confirm", args=[urlsafe_base64_encode(b"1"), "set-password"]
    ),
    "api:coordinators-detail": lambda w: reverse("api:coordinators-detail", args=[RegionalCoordinatorFactory().pk]),
    "api:events-detail": lambda w: reverse("api:events-detail", args=[EventFactory().pk]),
    "api:thematic-areas-detail": lambda w: reverse("api:thematic-areas-detail", args=[ThematicAreaFactory().code]),
    "api:regions-detail": lambda w: reverse("api:regions-detail", args=[RegionFactory().code]),
    "api:notifications-detail": lambda w: reverse("api:notifications-detail", args=[_notification(w).pk]),
    "api:notifications-read": lambda w: reverse("api:notifications-read", args=[_notification(w).pk]),
    "notifications:read": lambda w: reverse("notifications:read", args=[_notification(w).pk]),
    "api:users-detail": lambda w: reverse("api:users-detail", args=[w.people["owner_focal"].pk]),
    **{
        f"api:imports-{slug}-template": lambda w, slug=slug: reverse(
            f"api:imports-{slug}-template", kwargs={"extension": "csv"}
        )
        for slug in IMPORT_KINDS
    },
    **{
        importer_for(slug).route(page): lambda w, slug=slug, page=page: importer_for(slug).url(
            page, _import_job(w, slug).pk
        )
        for slug in IMPORT_KINDS
        for page in ("import_job", "import_job_cancel")
    },
    "api:users-deactivate": lambda w: reverse("api:users-deactivate", args=[w.people["owner_focal"].pk]),
    "preferences:filter_delete": lambda w: reverse(
        "preferences:filter_delete",
        args=[SavedFilter.objects.create(owner=w.people["admin"], list_key="programs", name="Mine", query="q=x").pk],
    ),
    "help:persona": lambda w: reverse("help:persona", args=["focal-point"]),
    "admin:app_list": lambda w: reverse("admin:app_list", args=["iros"]),
    "admin:view_on_site": lambda w: reverse(
        "admin:view_on_site", args=[ContentType.objects.get_for_model(Organization).pk, w.orgs["owner"].pk]
    ),
}
# A second way into a view whose parameters are read only on a branch the first sample does not take.
MORE_SAMPLES: dict[str, Callable[[LeakWorld], str]] = {
    "search:results": lambda w: reverse("search:results") + "?q=Leakcanary*&type=programs",
}


def _any_sample(name: str) -> str:
    """A URL for a route neither the leak registry nor SAMPLES names."""
    for args in _likely_arguments(name):
        try:
            return reverse(name, args=args)
        except NoReverseMatch:
            continue
    raise NoReverseMatch(f"{name}: add a sample URL to SAMPLES")


def _likely_arguments(name: str) -> Iterator[list]:
    """None; for an admin page about one row of a model (`admin:<app>_<model>_<action>`, or Django's `auth_user_…`
    for the user model) its first row and that row's first version; else "1" for each argument (a missing record
    answers 404, and the path parameters are swept all the same)."""
    yield []
    action = name.removeprefix("admin:")
    for model in admin.site._registry:
        if action.startswith((f"{model._meta.app_label}_{model._meta.model_name}_", f"auth_{model._meta.model_name}_")):
            first = model._default_manager.order_by("pk").first()
            if first is not None:
                yield [first.pk]
                if hasattr(first, "history"):
                    yield [first.pk, first.history.earliest().history_id]
    for count in range(1, 4):
        yield ["1"] * count


def _samples(world: LeakWorld) -> Iterator[tuple[str, str]]:
    """(route name, URL) for every named route: a URL that reaches its view."""
    for name in sorted(_route_names(get_resolver())):
        if "<unnamed" in name:
            continue  # the admin's old change URLs and catch-all, which only redirect to named routes
        if name in LIST_PAGES:
            yield name, LIST_PAGES[name].url(world)
        elif name in RECORD_PAGES:
            yield name, RECORD_PAGES[name].url(_record(world, RECORD_PAGES[name].kind))
        elif name in SAMPLES:
            yield name, SAMPLES[name](world)
        else:
            yield name, _any_sample(name)
        if name in MORE_SAMPLES:
            yield name, MORE_SAMPLES[name](world)


# --- requests -------------------------------------------------------------------------------------------------


class _ReadKeys(QueryDict):
    """A query string that notes each key asked for, and whether only templates asked for it."""

    asked: dict[str, bool] = {}  # key -> read by templates only

    def _note(self, key: str) -> None:
        _ReadKeys.asked[key] = _ReadKeys.asked.get(key, True) and _asked_by_template()

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def _getlist(self, key, *args, **kwargs):
        self._note(key)
        return super()._getlist(key, *args, **kwargs)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)


def _asked_by_template() -> bool:
    frame = sys._getframe(3)  # above _note and the QueryDict method
    for _ in range(3):
        if frame is None:
            return False
        if frame.f_code is Variable._resolve_lookup.__code__:
            return True
        frame = frame.f_back
    return False


def _send(client: Client, method: str, url: str, failures: list[str], **extra) -> None:
    # Each request in its own savepoint: a database error must not break the transaction for the next one.
    with transaction.atomic():
        response = getattr(client, method)(url, **extra)
        if response.status_code >= 500:
            transaction.set_rollback(True)
            cause = response.exc_info[1] if response.exc_info else ""
            failures.append(f"{response.status_code} {method.upper()} {url[:150]}: {cause!r}"[:400])


def _path_info(url: str) -> str:
    """The path Django resolves for `url` once it has decoded it (undecodable bytes stay percent-encoded)."""
    return repercent_broken_unicode(unquote_to_bytes(url.split("?")[0])).decode()


def _with_path_value(url: str, value: str, hostile: str) -> str | None:
    """`url` with its path segment `value` replaced by `hostile`, or None where the route's pattern refuses it."""
    segments = url.split("?")[0].split("/")
    if quote(value) not in segments:
        return None
    segments[len(segments) - 1 - segments[::-1].index(quote(value))] = hostile
    swept = "/".join(segments)
    try:
        same_route = resolve(_path_info(swept)).url_name == resolve(_path_info(url)).url_name
    except Resolver404:
        return None
    return swept if same_route else None


def _with_query_value(url: str, keys: set[str], hostile: str) -> str:
    """`url` with each of `keys` in its query string set to `hostile`."""
    path, _, query = url.partition("?")
    kept = [f"{quote(k)}={quote(v)}" for k, v in parse_qsl(query, keep_blank_values=True) if k not in keys]
    return f"{path}?{'&'.join([*kept, *(f'{quote(key)}={hostile}' for key in sorted(keys))])}"


def _keys_read(client: Client, url: str, monkeypatch) -> dict[str, bool]:
    """The query-string keys the view at `url` reads, each saying whether only templates read it. Asked once as is
    and once with a query string, since a FilterSet given an empty one reads none of its fields."""
    _ReadKeys.asked = {}
    with monkeypatch.context() as patch:
        patch.setattr("django.core.handlers.wsgi.QueryDict", _ReadKeys)
        for asked in (url, _with_query_value(url, {"sweep"}, "1")):
            with transaction.atomic():
                client.get(asked)
                transaction.set_rollback(True)
    _ReadKeys.asked.pop("sweep", None)
    return _ReadKeys.asked


def _reader(url: str, key: str, by_template: bool):
    """The code that reads `key` at `url`: each reader is swept once per key, on the first route it serves.

    A template showing a key back (the layout's search box) does the same on every page; a DRF viewset applies the
    same filters to its list and its records; one ModelAdmin method serves every model's page. Search boxes match
    different fields on every route, so there each route is its own reader.
    """
    if by_template:
        return "templates"
    if key in SEARCH_BOXES:
        return url
    view = resolve(_path_info(url)).func
    if owner := getattr(view, "cls", None) or getattr(view, "view_class", None):
        return owner
    view = getattr(view, "__wrapped__", view)
    return getattr(view, "__func__", view)


def _is_api(url: str) -> bool:
    return hasattr(resolve(_path_info(url)).func, "cls")  # what DRF's as_view() marks


@pytest.fixture
def leak_world(db) -> LeakWorld:
    return build_leak_world()


def _client(world: LeakWorld, persona: str) -> Client:
    return signed_in(Client(raise_request_exception=False), world.people[persona])


# --- the sweep ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_path_parameters_never_cause_a_server_error(leak_world, persona):
    client = _client(leak_world, persona)
    failures: list[str] = []
    for _name, url in _samples(leak_world):
        for value in resolve(_path_info(url)).kwargs.values():
            for hostile in HOSTILE.values():
                swept = _with_path_value(url, str(value), hostile)
                if swept:
                    _send(client, "get", swept, failures)
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures)


@pytest.mark.parametrize("persona", PERSONAS)
def test_hostile_query_parameters_never_cause_a_server_error(leak_world, persona, monkeypatch):
    """A page's FilterSet drops a field it cannot read and applies the others, so a page's keys go together, one
    request per value; the API refuses a request with any bad filter (400) before the others run, so there each key
    goes alone. Search boxes always go alone: other keys choose what they search."""
    client = _client(leak_world, persona)
    failures: list[str] = []
    swept: set[tuple[object, str]] = set()
    for name, url in _samples(leak_world):
        if persona != "anonymous" and name in SLOW:
            continue
        readers = {
            key: (_reader(url, key, by_template), key)
            for key, by_template in _keys_read(client, url, monkeypatch).items()
        }
        fresh = {key for key, reader in readers.items() if reader not in swept}
        swept |= set(readers.values())
        alone = set() if name in SLOW else fresh if _is_api(url) else fresh & SEARCH_BOXES
        for hostile in HOSTILE.values():
            for keys in [*({key} for key in sorted(alone)), fresh - alone]:
                if keys:
                    _send(client, "get", _with_query_value(url, keys, hostile), failures)
    assert persona == "anonymous" or "_auth_user_id" in client.session, "no route may sign the sweep out"
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures)


@pytest.mark.parametrize("route", SIGN_IN_ROUTES)
def test_hostile_credentials_never_cause_a_server_error(leak_world, route):
    client = Client(raise_request_exception=False)
    failures: list[str] = []
    for hostile in HOSTILE.values():
        text = unquote_to_bytes(hostile).decode(errors="surrogatepass")
        for username, as_sent in ((text, hostile), ("administrator", "administrator")):
            if route == "api:token":  # JSON, where "\ud800" reaches the view as a lone surrogate
                credentials = json.dumps({"username": username, "password": text})
                body = {"data": credentials, "content_type": "application/json"}
            else:
                body = {
                    "data": f"username={as_sent}&password={hostile}",
                    "content_type": "application/x-www-form-urlencoded",
                }
            _send(client, "post", reverse(route), failures, **body)
    assert failures == [], f"{len(failures)} server errors:\n" + "\n".join(failures)
