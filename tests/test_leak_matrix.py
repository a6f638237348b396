"""The leak matrix: every persona × every audience × every page, export, search, count and API route.

Each confidential record carries a unique canary string. For every persona the test asserts that the canary
of a record it may not see appears in no response body (HTML, JSON, CSV, XLSX), that a hidden record answers
exactly like a missing one on every verb, that list counts equal the oracle's, and that refused writes change
nothing. The oracle is `tests.world.sharing_oracle` — plain rules on state and audience, never the grants.
"""

from __future__ import annotations

import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client

from iros.models import Organization
from portal.accounts.models import User, UserSession
from programs.models import Document
from tests.factories import api_client_for
from tests.leak.registry import LIST_PAGES, RECORD_PAGES
from tests.leak.world import build_leak_world
from tests.world import SHARING_PERSONAS, signed_in

MISSING = SimpleNamespace(pk=987_654_321)


def _body(response) -> str:
    """The response body as text, whatever its format: XLSX workbooks are unzipped and their XML read."""
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    if raw[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(raw)) as workbook:
            raw = b"".join(workbook.read(name) for name in workbook.namelist() if name.endswith(".xml"))
    return raw.decode("utf-8", errors="replace")


def _web_client(user) -> Client:
    return signed_in(Client(), user)


def _snapshot() -> dict[str, list]:
    """Every row of every table, and which document files are stored: a refused write of any kind shows here.

    Sessions and their index are left out: signing in writes them, and they hold no record.
    """
    tables = {
        model._meta.label: list(model._base_manager.order_by("pk").values())
        for model in apps.get_models(include_auto_created=True)
        if model not in (Session, UserSession) and model._meta.managed and not model._meta.proxy
    }
    files = Document.objects.order_by("pk").values_list("file", flat=True)
    return {**tables, "document files": [name for name in files if default_storage.exists(name)]}


def _changed(before: dict[str, list]) -> list[str]:
    after = _snapshot()
    return [name for name in before if before[name] != after[name]]


def _call(client, method: str, url: str, api: bool):
    if method == "get":
        return client.get(url)
    if api:
        return getattr(client, method)(url, data={}, format="json")
    return client.post(url, data={})


@pytest.mark.django_db
@pytest.mark.parametrize("persona", SHARING_PERSONAS)
def test_no_page_leaks_a_record_the_persona_may_not_see(persona):
    # given every confidential kind, in every audience, each with its canary
    world = build_leak_world()
    user = world.people[persona]
    web, api = _web_client(user), api_client_for(user)
    hidden = [record for record in world.records if persona not in record.visible_to]
    problems: list[str] = []

    # lists, exports, search, dashboards, maps and API lists: no hidden canary, counts equal the oracle
    for name, page in LIST_PAGES.items():
        url = page.url(world)
        response = (api if page.api else web).get(url)
        if response.status_code >= 500:
            problems.append(f"{name}: {response.status_code}")
            continue
        body = _body(response)
        problems += [f"{name} shows {record.canary}" for record in hidden if record.canary in body]
        if page.counts_kind and response.status_code == 200:
            expected = sum(1 for r in world.of_kind(page.counts_kind) if persona in r.visible_to)
            count = json.loads(body)["count"]
            if count != expected:
                problems.append(f"{name}: count {count}, oracle {expected}")

    # pages about one record: hidden answers exactly like missing, on every verb, and writes nothing
    before = _snapshot()
    for name, page in RECORD_PAGES.items():
        client = api if page.api else web
        for record in world.of_kind(page.kind):
            url = page.url(record.obj)
            if persona in record.visible_to:
                if page.shows_record:
                    status = client.get(url).status_code
                    # An inactive user's token is refused outright (401); on the web it browses as anonymous.
                    expected = 401 if page.api and persona == "inactive" else 200
                    if status != expected:
                        problems.append(f"{name} {record.key}: visible record answers {status}")
                continue
            for method in page.methods:
                response = _call(client, method, url, page.api)
                missing = _call(client, method, page.url(MISSING), page.api)
                if response.status_code != missing.status_code:
                    problems.append(
                        f"{method.upper()} {name} {record.key}: hidden {response.status_code}, "
                        f"missing {missing.status_code}"
                    )
                if record.canary in _body(response):
                    problems.append(f"{method.upper()} {name} {record.key}: body shows {record.canary}")
    problems += [f"a refused request changed {name}" for name in _changed(before)]

    assert problems == []


@pytest.mark.django_db
def test_revocation_resharing_and_deletion_take_effect_on_the_next_request():
    from django.urls import reverse

    from confidentiality.models import Audience
    from confidentiality.services import submission_set_audience

    world = build_leak_world()
    record = next(r for r in world.of_kind("program") if r.key == "selected")
    program, owner = record.obj, world.people["owner_focal"]
    chosen, other = _web_client(world.people["selected_member"]), _web_client(world.people["other_member"])
    chosen_api = api_client_for(world.people["selected_member"])
    detail = reverse("programs:detail", args=[program.pk])
    api_detail = reverse("api:programs-detail", args=[program.pk])
    assert chosen.get(detail).status_code == 200 and other.get(detail).status_code == 404

    # revoke: narrow the selection to OTHER
    submission_set_audience(actor=owner, record=program, audience=Audience.SELECTED, shared_with=["OTHER"])
    assert chosen.get(detail).status_code == 404 and chosen_api.get(api_detail).status_code == 404
    assert record.canary not in _body(chosen.get(reverse("programs:list")))
    assert other.get(detail).status_code == 200

    # re-share with both
    submission_set_audience(actor=owner, record=program, audience=Audience.SELECTED, shared_with=["OTHER", "CHOSEN"])
    assert chosen.get(detail).status_code == 200 and chosen_api.get(api_detail).status_code == 200

    # delete: gone for everyone, like any missing id
    owner_client = _web_client(owner)
    assert owner_client.post(reverse("programs:delete", args=[program.pk])).status_code == 302
    for client in (chosen, other, owner_client, _web_client(world.people["admin"])):
        assert client.get(detail).status_code == 404


@pytest.mark.django_db
def test_the_snapshot_sees_a_write_to_any_record():
    # given the world: a record of every confidential kind, and the organizations and accounts behind them
    world = build_leak_world()
    member, other = world.people["owner_member"], world.orgs["other"]
    writes = [(f"delete {record.kind} {record.key}", record.obj.delete) for record in world.records] + [
        ("end a membership", member.membership.delete),
        ("deactivate an account", lambda: User.objects.filter(pk=member.pk).update(is_active=False)),
        ("rename an organization", lambda: Organization.objects.filter(pk=other.pk).update(name="Renamed")),
    ]
    before = _snapshot()

    for name, write in writes:
        # when one write is made (and rolled back before the next)
        with transaction.atomic():
            write()
            changed = _changed(before)
            transaction.set_rollback(True)

        # then the snapshot notices
        assert changed, f"{name} went unnoticed"
