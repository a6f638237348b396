"""The programs and documents API: the leak matrix, write permissions, validation and query counts."""

import json
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from confidentiality.services import grants_write
from programs.models import Document, Program
from tests.factories import (
    DocumentFactory,
    OrganizationFactory,
    ProgramFactory,
    ProgramPartnerFactory,
    RegionFactory,
    ThematicAreaFactory,
    api_client_for,
)
from tests.world import SHARING_PERSONAS, client_for

AUDIENCES = ("draft", "committee", "selected", "all_iros", "public")
PERSONAS = SHARING_PERSONAS
# The oracle: which audiences each persona sees (DESIGN.md, "Sharing semantics").
SEES = {
    "anonymous": {"public"},
    "inactive": {"public"},  # signed in by session: treated as anonymous
    "owner_focal": set(AUDIENCES),
    "owner_member": set(AUDIENCES),
    "selected_member": {"selected", "all_iros", "public"},
    "other_member": {"all_iros", "public"},
    "committee": {"committee", "selected", "all_iros", "public"},
    "admin": set(AUDIENCES),
}
SEES_SHARING = {"owner_focal", "owner_member", "committee", "admin"}
WRITES = {"owner_focal", "admin"}


def make_program(orgs, audience_case: str, **kwargs) -> Program:
    state = State.DRAFT if audience_case == "draft" else State.SUBMITTED
    audience = Audience.COMMITTEE if audience_case == "draft" else audience_case
    program = ProgramFactory(organization=orgs["owner"], state=state, audience=audience, **kwargs)
    if audience == Audience.SELECTED:
        program.shared_with.set([orgs["selected"]])
    grants_write(program)
    return program


@pytest.fixture
def programs(orgs):
    """One program per audience, each with a unique canary in its title and summary."""
    result = {}
    for case in AUDIENCES:
        canary = f"CANARY-{case}-{uuid.uuid4().hex[:10]}"
        result[case] = make_program(orgs, case, title=canary, summary=f"Summary {canary}")
        result[case].canary = canary
    return result


def detail_url(program) -> str:
    return reverse("api:programs-detail", args=[program.pk])


LIST_URL = reverse("api:programs-list")


# --- the leak matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_program_read_matrix(persona, people, programs):
    client = client_for(people, persona)
    bodies = []

    # when: the list
    response = client.get(LIST_URL, {"page_size": 200})
    assert response.status_code == 200
    listed = {row["id"] for row in response.json()["results"]}
    bodies.append(response.content.decode())
    # then: exactly what the oracle says, and the count agrees
    expected = {programs[case].pk for case in SEES[persona]}
    assert listed == expected
    assert response.json()["count"] == len(expected)

    for case, program in programs.items():
        response = client.get(detail_url(program))
        bodies.append(response.content.decode())
        if case in SEES[persona]:
            assert response.status_code == 200, case
            body = response.json()
            if persona in SEES_SHARING:
                assert body["shared_with"] == (["CHOSEN"] if case == "selected" else [])
            else:
                assert body["shared_with"] is None
        else:
            assert response.status_code == 404, case
            assert response.json() == {"detail": "No Program matches the given query."}

    # search and filters never widen the set
    for params in ({"search": "CANARY"}, {"q": "CANARY"}, {"organization": "OWNER"}, {"state": "draft"}):
        response = client.get(LIST_URL, params)
        bodies.append(response.content.decode())
        assert {row["id"] for row in response.json()["results"]} <= expected

    joined = "\n".join(bodies)
    for case, program in programs.items():
        if case not in SEES[persona]:
            assert program.canary not in joined, case


def test_missing_and_hidden_answer_alike(people, programs):
    client = client_for(people, "other_member")
    hidden = client.get(detail_url(programs["draft"]))
    missing = client.get(reverse("api:programs-detail", args=[10**9]))
    assert hidden.status_code == missing.status_code == 404
    assert hidden.json() == missing.json()


def test_inactive_token_is_refused(people, programs):
    client = api_client_for(people["inactive"])
    assert client.get(LIST_URL).status_code == 401
    assert client.get(detail_url(programs["public"])).status_code == 401


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "inactive"])
@pytest.mark.parametrize("case", AUDIENCES)
def test_program_write_matrix(persona, case, people, programs):
    client = client_for(people, persona)
    program = programs[case]
    before = Program.objects.values().get(pk=program.pk)
    audits_before = SharingAudit.objects.count()

    if case not in SEES[persona]:
        expected = 404
    elif persona == "anonymous":
        expected = 401
    elif persona not in WRITES:
        expected = 403
    else:
        expected = None

    patch = client.patch(detail_url(program), {"title": "Changed"}, format="json")
    put = client.put(detail_url(program), {"title": "Changed", "status": "planned"}, format="json")
    if expected is None:
        assert patch.status_code == 200
        assert put.status_code == 200
        assert Program.objects.get(pk=program.pk).title == "Changed"
    else:
        assert patch.status_code == expected
        assert put.status_code == expected
        assert program.canary not in patch.content.decode() + put.content.decode()
        assert Program.objects.values().get(pk=program.pk) == before

    delete = client.delete(detail_url(program))
    if expected is None:
        assert delete.status_code == 204
        assert not Program.objects.filter(pk=program.pk).exists()
    else:
        assert delete.status_code == expected
        assert Program.objects.filter(pk=program.pk).exists()
        assert SharingAudit.objects.count() == audits_before


def test_anonymous_create_is_401_and_member_create_is_403(people, orgs):
    payload = {"title": "New", "organization": "OWNER"}
    assert api_client_for().post(LIST_URL, payload, format="json").status_code == 401
    assert client_for(people, "owner_member").post(LIST_URL, payload, format="json").status_code == 403
    assert client_for(people, "committee").post(LIST_URL, payload, format="json").status_code == 403
    assert not Program.objects.filter(title="New").exists()


def test_focal_point_cannot_create_for_another_organization(people, orgs):
    response = client_for(people, "other_focal").post(
        LIST_URL, {"title": "New", "organization": "OWNER"}, format="json"
    )
    assert response.status_code == 403
    assert not Program.objects.filter(title="New").exists()


# --- submitting and sharing ---------------------------------------------------------------------------------


def test_focal_point_submits_shares_and_narrows(people, orgs):
    ThematicAreaFactory(code="nuclear")
    RegionFactory(code="142", name="Asia")
    partner = OrganizationFactory(acronym="WCO")
    client = client_for(people, "owner_focal")
    payload = {
        "title": "Container Control",
        "summary": "Risk profiling.",
        "status": "ongoing",
        "thematic_areas": ["nuclear"],
        "regions": ["142"],
        "beneficiary_countries": ["pk", "EC"],
        "funding_states": ["NO"],
        "partners": [{"organization": partner.acronym, "role": "partner"}],
        "start_date": "2020-01-01",
        "end_date": "2025-12-31",
        "state": "submitted",
        "audience": "selected",
        "shared_with": ["CHOSEN", "OTHER"],
    }
    # when: created, submitted and shared with two IROs in one call
    response = client.post(LIST_URL, payload, format="json")
    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organization"] == "OWNER"
    assert body["state"] == "submitted"
    assert body["audience"] == "selected"
    assert body["shared_with"] == ["CHOSEN", "OTHER"]
    assert body["thematic_areas"] == ["nuclear"]
    assert body["regions"] == ["142"]
    assert body["beneficiary_countries"] == ["PK", "EC"]
    assert body["partners"] == [{"organization": "WCO", "role": "partner"}]
    program_id = body["id"]
    assert SharingAudit.objects.filter(record_id=program_id).count() == 1
    assert client_for(people, "other_member").get(reverse("api:programs-detail", args=[program_id])).status_code == 200

    # when: narrowed back to the Committee
    response = client.patch(
        reverse("api:programs-detail", args=[program_id]), {"audience": "committee", "shared_with": []}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["shared_with"] == []
    # then: the next request of the other IRO no longer finds it
    assert client_for(people, "other_member").get(reverse("api:programs-detail", args=[program_id])).status_code == 404
    assert SharingAudit.objects.filter(record_id=program_id).count() == 2


def test_admin_creates_for_any_organization_and_must_name_it(people, orgs):
    client = client_for(people, "admin")
    assert client.post(LIST_URL, {"title": "Orphan"}, format="json").status_code == 400
    response = client.post(LIST_URL, {"title": "For OTHER", "organization": "OTHER"}, format="json")
    assert response.status_code == 201
    assert response.json()["organization"] == "OTHER"
    assert response.json()["state"] == "draft"


def test_owner_cannot_change(people, programs):
    response = client_for(people, "admin").patch(
        detail_url(programs["public"]), {"organization": "OTHER"}, format="json"
    )
    assert response.status_code == 400
    assert "organization" in response.json()


# --- validation ---------------------------------------------------------------------------------------------

INVALID_PAYLOADS = [
    ({"thematic_areas": ["no-such-code"]}, "thematic_areas"),
    ({"regions": ["999"]}, "regions"),
    ({"beneficiary_countries": ["XX"]}, "beneficiary_countries"),
    ({"beneficiary_countries": ["FRA"]}, "beneficiary_countries"),
    ({"funding_states": ["ZZ"]}, "funding_states"),
    ({"partners": [{"organization": "NOPE", "role": "partner"}]}, "partners"),
    ({"partners": [{"organization": "OTHER", "role": "boss"}]}, "partners"),
    ({"organization": "NOPE"}, "organization"),
    ({"start_date": "2020-01-02", "end_date": "2020-01-01"}, "end_date"),
    ({"audience": "everyone"}, "audience"),
    ({"state": "published"}, "state"),
    ({"audience": "selected"}, "shared_with"),
    ({"audience": "selected", "state": "submitted", "shared_with": ["NOPE"]}, "shared_with"),
    ({"audience": "public", "shared_with": ["OTHER"]}, "shared_with"),
    ({"audience": "selected", "shared_with": ["OWNER"]}, "shared_with"),
    ({"title": "x" * 301}, "title"),
    ({"title": "bad\x00title"}, "title"),
    ({"status": "paused"}, "status"),
    ({"budget": "-5", "currency": "EUR"}, "budget"),
    ({"budget": "5"}, "currency"),
    ({"start_date": "2020-13-01"}, "start_date"),
    ({"thematic_areas": "nuclear"}, "thematic_areas"),
    ({"tags": ["x" * 65]}, "tags"),
]


@pytest.mark.parametrize(("extra", "field"), INVALID_PAYLOADS)
def test_invalid_program_is_400_keyed_and_writes_nothing(extra, field, people, orgs):
    client = client_for(people, "owner_focal")
    payload = {"title": "Valid title", **extra}
    count, audits = Program.objects.count(), SharingAudit.objects.count()
    response = client.post(LIST_URL, payload, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Program.objects.count() == count
    assert SharingAudit.objects.count() == audits


@pytest.mark.parametrize(("extra", "field"), INVALID_PAYLOADS[:15])
def test_invalid_update_is_400_and_writes_nothing(extra, field, people, programs):
    program = programs["draft"]
    before = Program.objects.values().get(pk=program.pk)
    response = client_for(people, "owner_focal").patch(detail_url(program), extra, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert Program.objects.values().get(pk=program.pk) == before


def test_malformed_json_is_400(people):
    response = client_for(people, "owner_focal").generic("POST", LIST_URL, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_bad_filters_are_400_not_500(people, programs):
    client = client_for(people, "owner_focal")
    assert client.get(LIST_URL, {"organization": "NOPE"}).status_code == 400
    assert client.get(LIST_URL, {"thematic_area": "nope"}).status_code == 400
    assert client.get(LIST_URL, {"country": "XX"}).status_code == 400
    assert client.get(LIST_URL, {"search": "a\x00b"}).status_code == 400
    assert client.get(LIST_URL, {"start_date_after": "yesterday"}).status_code == 400
    assert client.get(LIST_URL, {"ordering": "nonsense"}).status_code == 200
    assert client.get(LIST_URL, {"page": 99}).status_code == 404


def test_filters_search_ordering_and_page_size(people, orgs):
    nuclear = ThematicAreaFactory(code="nuclear")
    asia = RegionFactory(code="142", name="Asia")
    south = RegionFactory(code="034", name="Southern Asia")
    south.parent = asia
    south.save()
    first = make_program(orgs, "public", title="Alpha border", beneficiary_countries=["PK"], status="planned")
    first.thematic_areas.add(nuclear)
    first.regions.add(south)
    second = make_program(orgs, "public", title="Beta export", status="ongoing")
    ProgramPartnerFactory(program=second, organization=orgs["other"])
    client = client_for(people, "anonymous")

    def ids(**params):
        return [row["id"] for row in client.get(LIST_URL, params).json()["results"]]

    assert ids(thematic_area="nuclear") == [first.pk]
    assert ids(region="142") == [first.pk]  # a region covers its sub-regions
    assert ids(country="PK") == [first.pk]
    assert ids(status="ongoing") == [second.pk]
    assert ids(partner="OTHER") == [second.pk]
    assert ids(search="export") == [second.pk]
    assert ids(ordering="title") == [first.pk, second.pk]
    assert ids(ordering="-title") == [second.pk, first.pk]
    assert ids(updated_after="2000-01-01T00:00:00Z", ordering="title") == [first.pk, second.pk]
    response = client.get(LIST_URL, {"page_size": 1000})
    assert response.json()["count"] == 2
    for _ in range(3):
        make_program(orgs, "public")
    response = client.get(LIST_URL, {"page_size": 2})
    assert len(response.json()["results"]) == 2
    assert response.json()["next"]


# --- query counts -------------------------------------------------------------------------------------------


def _populate(orgs, count: int):
    theme = ThematicAreaFactory(code="chemical")
    region = RegionFactory(code="150", name="Europe")
    for index in range(count):
        program = make_program(orgs, "selected" if index % 2 else "public", title=f"Program {index}")
        program.thematic_areas.add(theme)
        program.regions.add(region)
        ProgramPartnerFactory(program=program, organization=orgs["other"])
        DocumentFactory(program=program)


@pytest.mark.parametrize("persona", ["anonymous", "owner_focal", "selected_member", "committee", "admin"])
@pytest.mark.parametrize("count", [1, 200])
def test_program_list_query_count_is_constant(persona, count, people, orgs, django_assert_num_queries):
    _populate(orgs, count)
    client = client_for(people, persona)
    # token and its first use recorded (2 if signed in), viewer's membership (1 for IRO users), count, page, and five
    # prefetches
    expected = {"anonymous": 7, "owner_focal": 10, "selected_member": 10, "committee": 9, "admin": 9}[persona]
    with django_assert_num_queries(expected):
        response = client.get(LIST_URL, {"page_size": 200})
    assert response.status_code == 200
    assert len(response.json()["results"]) == (count if persona != "anonymous" else (count + 1) // 2)


@pytest.mark.parametrize("count", [1, 200])
def test_document_list_query_count_is_constant(count, people, orgs, django_assert_num_queries):
    _populate(orgs, count)
    client = client_for(people, "owner_focal")
    # token, its first use recorded, membership, count, page, shared_with prefetch
    with django_assert_num_queries(6):
        response = client.get(reverse("api:documents-list"), {"page_size": 200})
    assert response.status_code == 200
    assert response.json()["count"] == count


# --- documents ----------------------------------------------------------------------------------------------


@pytest.fixture
def documents(programs):
    result = {}
    for case, program in programs.items():
        result[case] = DocumentFactory(program=program, title=program.canary)
    return result


@pytest.mark.parametrize("persona", PERSONAS)
def test_document_read_matrix(persona, people, programs, documents):
    client = client_for(people, persona)
    response = client.get(reverse("api:documents-list"), {"page_size": 200})
    assert response.status_code == 200
    expected = {documents[case].pk for case in SEES[persona]}
    assert {row["id"] for row in response.json()["results"]} == expected
    assert response.json()["count"] == len(expected)
    bodies = [response.content.decode()]
    for case, document in documents.items():
        detail = client.get(reverse("api:documents-detail", args=[document.pk]))
        download = client.get(reverse("api:documents-download", args=[document.pk]))
        bodies.append(detail.content.decode())
        if case in SEES[persona]:
            assert detail.status_code == 200
            assert download.status_code == 200
            assert download["Content-Disposition"].startswith("attachment")
            assert b"".join(download.streaming_content) == b"%PDF-1.4 test"
            assert (detail.json()["shared_with"] is None) == (persona not in SEES_SHARING)
        else:
            assert detail.status_code == 404
            assert download.status_code == 404
            bodies.append(download.content.decode())
    joined = "\n".join(bodies)
    for case in AUDIENCES:
        if case not in SEES[persona]:
            assert programs[case].canary not in joined


def _upload(client, program_id, *, name="note.pdf", data=b"%PDF-1.4 hello", title="Concept note"):
    return client.post(
        reverse("api:documents-list"),
        {"program": program_id, "title": title, "file": SimpleUploadedFile(name, data, content_type="application/pdf")},
        format="multipart",
    )


def test_document_upload_and_download(people, programs):
    client = client_for(people, "owner_focal")
    response = _upload(client, programs["selected"].pk)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["filename"] == "note.pdf"
    assert body["audience"] == "selected"
    download = client.get(body["download"])
    assert b"".join(download.streaming_content) == b"%PDF-1.4 hello"
    # the selected IRO reads it; another IRO does not even learn it exists
    assert (
        client_for(people, "selected_member").get(reverse("api:documents-detail", args=[body["id"]])).status_code == 200
    )
    assert client_for(people, "other_member").get(reverse("api:documents-detail", args=[body["id"]])).status_code == 404


def test_upload_to_hidden_program_reads_like_a_missing_one(people, programs):
    client = client_for(people, "other_focal")
    hidden = _upload(client, programs["draft"].pk)
    missing = _upload(client, 10**9)
    assert hidden.status_code == missing.status_code == 400
    assert hidden.json() == missing.json() == {"program": ["Unknown program."]}
    # visible but not its own: 403
    assert _upload(client, programs["public"].pk).status_code == 403
    assert _upload(api_client_for(), programs["public"].pk).status_code == 401
    assert not Document.objects.exists()


def test_upload_limits(people, programs, settings):
    settings.DOCUMENT_MAX_BYTES = 100
    client = client_for(people, "owner_focal")
    assert _upload(client, programs["draft"].pk, data=b"x" * 101).status_code == 400
    assert _upload(client, programs["draft"].pk, name="run.exe").status_code == 400
    assert _upload(client, programs["draft"].pk, data=b"").status_code == 400
    assert _upload(client, programs["draft"].pk, title="t" * 301).status_code == 400
    assert not Document.objects.exists()


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "inactive"])
def test_document_delete_matrix(persona, people, documents):
    client = client_for(people, persona)
    for case, document in documents.items():
        response = client.delete(reverse("api:documents-detail", args=[document.pk]))
        if case not in SEES[persona]:
            assert response.status_code == 404
        elif persona == "anonymous":
            assert response.status_code == 401
        elif persona not in WRITES:
            assert response.status_code == 403
        else:
            assert response.status_code == 204
        assert Document.objects.filter(pk=document.pk).exists() == (response.status_code != 204)


def test_program_response_matches_contract_fields(people, programs):
    body = client_for(people, "owner_focal").get(detail_url(programs["selected"])).json()
    contract = {
        "id", "organization", "title", "summary", "status", "state", "thematic_areas", "beneficiary_countries",
        "regions", "partners", "funding_states", "start_date", "end_date", "audience", "shared_with", "created",
        "updated",
    }  # fmt: skip
    assert contract <= set(body)
    assert json.dumps(body)
