"""Program pages: every persona, the 404/403 rules, the audience preview, saving, query counts and the leak matrix."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from confidentiality.models import Audience, SharingAudit, State
from programs.models import Document, Program, ProgramGrant, ProgramPartner
from tests.factories import (
    DocumentFactory,
    ProgramPartnerFactory,
    RegionFactory,
    TagFactory,
    ThematicAreaFactory,
)
from tests.world import sharing_oracle

pytestmark = pytest.mark.django_db

PERSONAS = ("anonymous", "owner_focal", "owner_member", "other_member", "committee", "admin")
CANARY = "CANARY-7f3a9c"


@pytest.fixture
def reference():
    return {
        "chemical": ThematicAreaFactory(code="chemical", name="Chemical weapons"),
        "border": ThematicAreaFactory(code="border-controls", name="Border controls", family="resolution"),
        "africa": RegionFactory(code="002", name="Africa"),
    }


# --- every page for every persona ---------------------------------------------------------------------------

# (persona → expected status) for the pages that depend on who asks; a signed-out visitor is sent to log in.
EDIT_STATUS = {
    "anonymous": 302,
    "owner_focal": 200,
    "owner_member": 403,
    "other_member": 403,
    "committee": 403,
    "admin": 200,
}
CREATE_STATUS = {**EDIT_STATUS, "other_member": 403}


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_program_page_renders_for_every_persona(sign_in, make_program, reference, orgs, persona):
    program = make_program(audience=Audience.PUBLIC, title="Container Control Programme", summary="Ports and borders")
    program.thematic_areas.add(reference["chemical"], reference["border"])
    program.regions.add(reference["africa"])
    program.beneficiary_countries = ["KE", "GH"]
    program.save()
    program.tags.add(TagFactory(name="customs", slug="customs"))
    ProgramPartnerFactory(program=program, organization=orgs["selected"], role=ProgramPartner.Role.FUNDER)
    DocumentFactory(program=program, title="Concept note")
    client = sign_in(persona)

    # Open to everyone.
    for url in (reverse("programs:list"), reverse("programs:detail", args=[program.pk])):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Container Control Programme" in response.content.decode(), url
    detail = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    for text in ("Chemical weapons", "Africa", "Kenya", "Ghana", "customs", "CHOSEN", "Funder", "Concept note"):
        assert text in detail, text
    assert "Why you can see this" in detail

    # Signed in, by role.
    assert client.get(reverse("programs:create")).status_code == CREATE_STATUS[persona]
    assert client.get(reverse("programs:edit", args=[program.pk])).status_code == EDIT_STATUS[persona]
    assert client.get(reverse("programs:document_create", args=[program.pk])).status_code == EDIT_STATUS[persona]
    assert client.get(reverse("programs:delete", args=[program.pk])).status_code == EDIT_STATUS[persona]
    for name in ("programs:export_csv", "programs:export_xlsx"):
        response = client.get(reverse(name))
        assert response.status_code == (302 if persona == "anonymous" else 200)
        if persona == "anonymous":
            assert response["Location"].startswith(reverse("accounts:login"))


@pytest.mark.parametrize("persona", ["owner_focal", "owner_member", "committee", "admin"])
def test_sharing_details_are_shown_to_the_owner_committee_and_admins(sign_in, make_program, orgs, persona):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    SharingAudit.objects.create(
        record_type="programs.program",
        record_id=program.pk,
        organization=orgs["owner"],
        action=SharingAudit.Action.CHANGE_AUDIENCE,
        old_state=State.SUBMITTED,
        new_state=State.SUBMITTED,
        old_audience=Audience.COMMITTEE,
        new_audience=Audience.SELECTED,
        new_shared_with=["CHOSEN"],
    )

    body = sign_in(persona).get(reverse("programs:detail", args=[program.pk])).content.decode()

    assert 'id="shared-with"' in body
    assert "Chosen Organization" in body
    assert 'id="sharing-audit"' in body
    assert "Edit history" in body


def test_sharing_details_are_hidden_from_an_organization_it_was_shared_with(client, people, make_program, orgs):
    program = make_program(audience=Audience.SELECTED, shared_with=[orgs["selected"]])
    client.force_login(people["selected_member"])

    body = client.get(reverse("programs:detail", args=[program.pk])).content.decode()

    assert "Its owner shared it with your organization." in body
    assert 'id="shared-with"' not in body
    assert "sharing-audit" not in body
    assert "Edit history" not in body


# --- 404 for hidden, 403 for visible but read-only ----------------------------------------------------------


HIDDEN_CASES = [
    # (persona, state, audience): a record this persona may not see.
    ("other_member", State.SUBMITTED, Audience.COMMITTEE),
    ("other_focal", State.SUBMITTED, Audience.SELECTED),
    ("other_focal", State.DRAFT, Audience.PUBLIC),
    ("committee", State.DRAFT, Audience.ALL_IROS),
    ("selected_member", State.DRAFT, Audience.SELECTED),
]


@pytest.mark.parametrize(("persona", "state", "audience"), HIDDEN_CASES)
def test_a_hidden_program_is_404_on_every_url_even_signed_in(
    client, people, make_program, orgs, persona, state, audience
):
    program = make_program(state=state, audience=audience, shared_with=[orgs["selected"]] * (audience == "selected"))
    document = DocumentFactory(program=program)
    client.force_login(people[persona])
    state_before = (program.state, program.audience)

    for method, url in [
        ("get", reverse("programs:detail", args=[program.pk])),
        ("get", reverse("programs:edit", args=[program.pk])),
        ("post", reverse("programs:edit", args=[program.pk])),
        ("get", reverse("programs:delete", args=[program.pk])),
        ("post", reverse("programs:delete", args=[program.pk])),
        ("get", reverse("programs:document_create", args=[program.pk])),
        ("get", reverse("programs:document_download", args=[document.pk])),
        ("post", reverse("programs:document_delete", args=[document.pk])),
        ("post", reverse("programs:submit", args=[program.pk])),
        ("post", reverse("programs:withdraw", args=[program.pk])),
    ]:
        assert getattr(client, method)(url).status_code == 404, (method, url)

    program.refresh_from_db()
    assert (program.state, program.audience) == state_before
    assert Document.objects.filter(pk=document.pk).exists()


def test_a_missing_program_is_404_like_a_hidden_one(client, people):
    client.force_login(people["admin"])
    for url in (
        reverse("programs:detail", args=[999999]),
        reverse("programs:edit", args=[999999]),
        reverse("programs:document_download", args=[999999]),
    ):
        assert client.get(url).status_code == 404


def test_a_hidden_program_is_404_for_an_anonymous_visitor(client, make_program):
    program = make_program(audience=Audience.ALL_IROS)
    document = DocumentFactory(program=program)

    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404
    assert client.get(reverse("programs:document_download", args=[document.pk])).status_code == 404


@pytest.mark.parametrize("persona", ["owner_member", "other_member", "other_focal", "committee", "selected_member"])
def test_a_visible_program_others_may_not_change_is_403(client, people, make_program, orgs, persona):
    program = make_program(audience=Audience.ALL_IROS, title="Read only")
    document = DocumentFactory(program=program)
    client.force_login(people[persona])

    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 200
    assert client.get(reverse("programs:edit", args=[program.pk])).status_code == 403
    response = client.post(reverse("programs:edit", args=[program.pk]), {"title": "Changed", "action": "save"})
    assert response.status_code == 403
    assert client.post(reverse("programs:withdraw", args=[program.pk])).status_code == 403
    assert client.post(reverse("programs:delete", args=[program.pk])).status_code == 403
    assert client.post(reverse("programs:document_delete", args=[document.pk])).status_code == 403
    program.refresh_from_db()
    assert (program.title, program.state) == ("Read only", State.SUBMITTED)


def test_signed_out_visitors_are_sent_to_log_in_for_changes(client, make_program):
    program = make_program(audience=Audience.PUBLIC)
    for url in (
        reverse("programs:create"),
        reverse("programs:edit", args=[program.pk]),
        reverse("programs:document_create", args=[program.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("programs:withdraw", args=[program.pk])).status_code == 302
    program.refresh_from_db()
    assert program.state == State.SUBMITTED


# --- the form: preview, create, edit ------------------------------------------------------------------------


def form_data(**overrides):
    data = {
        "title": "Strategic trade controls in West Africa",
        "summary": "Workshops for customs officers.",
        "status": "ongoing",
        "start_date": "2024-01-15",
        "end_date": "2025-06-30",
        "budget": "250000",
        "currency": "usd",
        "website": "https://example.org/stc",
        "thematic_areas": ["chemical", "border-controls"],
        "regions": ["002"],
        "beneficiary_countries": ["GH", "SN"],
        "funding_states": ["NO"],
        "tags": "customs, export control",
        "audience": "committee",
        "partners-TOTAL_FORMS": "2",
        "partners-INITIAL_FORMS": "0",
        "partners-MIN_NUM_FORMS": "0",
        "partners-MAX_NUM_FORMS": "30",
        "partners-0-organization": "CHOSEN",
        "partners-0-role": "partner",
        "partners-1-organization": "",
        "partners-1-role": "",
        "action": "draft",
    }
    data.update(overrides)
    return data


def write_counts():
    return (Program.objects.count(), ProgramGrant.objects.count(), SharingAudit.objects.count())


def test_the_audience_preview_names_the_selected_organizations_and_saves_nothing(client, people, orgs, reference):
    client.force_login(people["owner_focal"])
    before = write_counts()

    response = client.post(
        reverse("programs:create"),
        form_data(audience="selected", shared_with=["CHOSEN"], action="preview", title=""),
    )

    assert response.status_code == 200
    preview = response.context["preview"]
    assert [org.acronym for org in preview["selected"]] == ["CHOSEN"]
    body = response.content.decode()
    section = body[body.index('id="audience-preview"') :]
    assert "Chosen Organization" in section
    assert "Other Organization" not in section
    assert "The 1540 Committee" in section
    # A preview is not a save attempt: the empty title is not reported yet.
    assert "This field is required" not in body
    assert write_counts() == before


def test_the_preview_of_a_public_audience_says_everyone(client, people, reference):
    client.force_login(people["owner_focal"])

    response = client.post(reverse("programs:create"), form_data(audience="public", action="preview"))

    assert response.context["preview"]["reach"].public
    assert "including visitors who are not signed in" in response.content.decode()


def test_the_preview_asks_for_organizations_when_selected_has_none(client, people, reference):
    client.force_login(people["owner_focal"])
    before = write_counts()

    response = client.post(reverse("programs:create"), form_data(audience="selected", action="preview"))

    assert response.context["preview"] is None
    assert "Choose at least one organization to share with." in response.content.decode()
    assert write_counts() == before


def test_create_and_submit_with_selected_audience_writes_shares_grants_and_audit(client, people, orgs, reference):
    client.force_login(people["owner_focal"])

    response = client.post(
        reverse("programs:create"), form_data(audience="selected", shared_with=["CHOSEN"], action="submit")
    )

    program = Program.objects.get(title="Strategic trade controls in West Africa")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", args=[program.pk])
    assert program.organization == orgs["owner"]
    assert (program.state, program.audience) == (State.SUBMITTED, Audience.SELECTED)
    assert list(program.shared_with.values_list("acronym", flat=True)) == ["CHOSEN"]
    assert program.currency == "USD"
    assert sorted(program.beneficiary_countries) == ["GH", "SN"]
    assert sorted(program.thematic_areas.values_list("code", flat=True)) == ["border-controls", "chemical"]
    assert sorted(program.tags.values_list("name", flat=True)) == ["customs", "export control"]
    assert [(p.organization.acronym, p.role) for p in program.partnerships.all()] == [("CHOSEN", "partner")]
    audit = SharingAudit.objects.get(record_type="programs.program", record_id=program.pk)
    assert (audit.new_state, audit.new_audience, audit.new_shared_with) == ("submitted", "selected", ["CHOSEN"])
    assert audit.actor == people["owner_focal"]
    # The member of the chosen organization now sees it; the other organization does not.
    client.force_login(people["selected_member"])
    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 200
    client.force_login(people["other_member"])
    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404


def test_save_as_draft_keeps_it_to_the_owner(client, people, reference):
    client.force_login(people["owner_focal"])

    client.post(reverse("programs:create"), form_data(audience="all_iros", action="draft"))

    program = Program.objects.get()
    assert (program.state, program.audience) == (State.DRAFT, Audience.ALL_IROS)
    client.force_login(people["other_member"])
    assert client.get(reverse("programs:detail", args=[program.pk])).status_code == 404


def test_invalid_input_comes_back_as_form_errors_and_nothing_is_written(client, people, reference):
    client.force_login(people["owner_focal"])
    before = write_counts()

    response = client.post(
        reverse("programs:create"),
        form_data(end_date="2020-01-01", currency="", shared_with=["OWNER"], audience="selected", action="submit"),
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "end_date" in errors
    assert "currency" in errors
    assert "shared_with" in errors
    assert write_counts() == before


def test_an_administrator_picks_the_organization(client, people, orgs, reference):
    client.force_login(people["admin"])

    page = client.get(reverse("programs:create"))
    assert 'name="organization"' in page.content.decode()
    client.post(reverse("programs:create"), form_data(organization="OTHER", action="draft"))

    assert Program.objects.get().organization == orgs["other"]


def test_a_focal_point_cannot_create_for_another_organization(client, people, orgs, reference):
    client.force_login(people["owner_focal"])

    client.post(reverse("programs:create"), form_data(organization="OTHER", action="draft"))

    # The organization field is not offered to a focal point: the program is its own organization's.
    assert Program.objects.get().organization == orgs["owner"]


def test_edit_updates_content_and_changes_the_audience_through_the_service(
    client, people, make_program, orgs, reference
):
    program = make_program(title="Old title", audience=Audience.COMMITTEE)
    ProgramPartnerFactory(program=program, organization=orgs["other"], role=ProgramPartner.Role.LEAD)
    client.force_login(people["owner_focal"])

    page = client.get(reverse("programs:edit", args=[program.pk]))
    assert 'value="Old title"' in page.content.decode()
    response = client.post(
        reverse("programs:edit", args=[program.pk]),
        form_data(
            title="New title",
            audience="all_iros",
            action="save",
            **{
                "partners-TOTAL_FORMS": "1",
                "partners-INITIAL_FORMS": "1",
                "partners-0-organization": "OTHER",
                "partners-0-role": "lead",
                "partners-0-DELETE": "on",
            },
        ),
    )

    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.title, program.state, program.audience) == ("New title", State.SUBMITTED, Audience.ALL_IROS)
    assert program.partnerships.count() == 0
    assert SharingAudit.objects.filter(record_id=program.pk, new_audience="all_iros").count() == 1
    detail = client.get(reverse("programs:detail", args=[program.pk])).content.decode()
    assert "Changed" in detail  # the edit history lists the changed fields


def test_submit_and_withdraw_buttons(client, people, make_program):
    program = make_program(state=State.DRAFT, audience=Audience.PUBLIC)
    client.force_login(people["owner_focal"])

    assert client.get(reverse("programs:submit", args=[program.pk])).status_code == 405
    client.post(reverse("programs:submit", args=[program.pk]))
    program.refresh_from_db()
    assert program.state == State.SUBMITTED
    client.post(reverse("programs:withdraw", args=[program.pk]))
    program.refresh_from_db()
    assert program.state == State.DRAFT
    assert SharingAudit.objects.filter(record_id=program.pk).count() == 2


def test_delete_asks_then_deletes(client, people, make_program):
    program = make_program(audience=Audience.PUBLIC, title="To be deleted")
    client.force_login(people["owner_focal"])

    page = client.get(reverse("programs:delete", args=[program.pk]))
    assert "Delete this program?" in page.content.decode()
    assert Program.objects.filter(pk=program.pk).exists()
    response = client.post(reverse("programs:delete", args=[program.pk]))

    assert response["Location"] == reverse("programs:list")
    assert not Program.objects.filter(pk=program.pk).exists()


# --- documents ----------------------------------------------------------------------------------------------


def test_upload_then_download_through_the_checked_view(client, people, make_program):
    program = make_program(audience=Audience.SELECTED, shared_with=[people["selected_member"].membership.organization])
    client.force_login(people["owner_focal"])

    response = client.post(
        reverse("programs:document_create", args=[program.pk]),
        {"title": "Work plan", "file": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 plan", "application/pdf")},
    )

    assert response.status_code == 302
    document = Document.objects.get(program=program)
    client.force_login(people["selected_member"])
    download = client.get(reverse("programs:document_download", args=[document.pk]))
    assert download.status_code == 200
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download["Content-Disposition"].startswith("attachment")
    assert 'filename="plan.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content) == b"%PDF-1.4 plan"
    client.force_login(people["other_member"])
    assert client.get(reverse("programs:document_download", args=[document.pk])).status_code == 404


def test_upload_limits_are_form_errors(client, people, make_program, settings):
    settings.DOCUMENT_MAX_BYTES = 10
    program = make_program(audience=Audience.PUBLIC)
    client.force_login(people["owner_focal"])
    url = reverse("programs:document_create", args=[program.pk])

    wrong_type = client.post(url, {"file": SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")})
    too_big = client.post(url, {"file": SimpleUploadedFile("big.pdf", b"x" * 11, "application/pdf")})

    assert "Allowed file types" in wrong_type.content.decode()
    assert "too large" in too_big.content.decode()
    assert not Document.objects.exists()


# --- list: filters, columns, sorting, query counts ----------------------------------------------------------


def test_the_list_filters_sorts_and_picks_columns(client, people, make_program, reference):
    alpha = make_program(audience=Audience.PUBLIC, title="Alpha program", status="planned")
    alpha.thematic_areas.add(reference["chemical"])
    make_program(audience=Audience.PUBLIC, title="Beta program", status="ongoing")

    filtered = client.get(reverse("programs:list"), {"thematic_area": "chemical"})
    body = filtered.content.decode()
    assert "Alpha program" in body
    assert "Beta program" not in body
    assert "Filtered by" in body  # the current filter is shown

    by_title = client.get(reverse("programs:list"), {"sort": "-title"}).content.decode()
    assert by_title.index("Beta program") < by_title.index("Alpha program")

    narrow = client.get(reverse("programs:list"), {"columns": "title,budget"})
    headers = [column.name for column in narrow.context["table"].columns]
    assert headers == ["title", "budget"]

    empty = client.get(reverse("programs:list"), {"q": "nothing matches this"}).content.decode()
    assert "No program matches these filters" in empty


def test_unknown_columns_sorts_and_pages_do_not_fail(client, make_program):
    make_program(audience=Audience.PUBLIC)
    for query in ({"columns": "nope"}, {"sort": "password"}, {"page": "99"}, {"page": "x"}, {"per_page": "100000"}):
        assert client.get(reverse("programs:list"), query).status_code == 200, query


def test_a_parameter_named_like_a_query_string_method_keeps_the_list_working(client, make_program):
    # The templates once read `request.GET.lists`, which a parameter named "lists" replaced: a 500.
    make_program(audience=Audience.PUBLIC, title="Alpha program")
    response = client.get(reverse("programs:list"), {"lists": "x", "status": "planned"})
    assert response.status_code == 200
    # the per-page and column forms still carry the current filter over
    assert response.content.decode().count('<input type="hidden" name="status" value="planned">') == 2


def list_queries(client, django_assert_num_queries, expected):
    with django_assert_num_queries(expected):
        response = client.get(reverse("programs:list"))
    assert response.status_code == 200
    return response


# Exact baselines: the list costs the same with 1 and with 50 rows. Anonymous: session-less, no user lookups.
# A signed-in page adds the navbar's unread notifications count, the remembered columns and page size, and the
# saved filters (portal.preferences). The filter form's reference options are built by the first request of a
# process and language (four queries: organizations as owner and as partner, thematic areas, regions), then kept.
LIST_QUERIES = {"anonymous": 3, "owner_member": 9, "committee": 8, "admin": 8}
REFERENCE_OPTION_QUERIES = 4


@pytest.mark.parametrize("persona", list(LIST_QUERIES))
def test_list_query_count_is_the_same_for_1_and_50_rows(
    sign_in, make_program, reference, django_assert_num_queries, persona
):
    client = sign_in(persona)
    first = make_program(audience=Audience.PUBLIC)
    first.thematic_areas.add(reference["chemical"])
    list_queries(client, django_assert_num_queries, LIST_QUERIES[persona] + REFERENCE_OPTION_QUERIES)
    list_queries(client, django_assert_num_queries, LIST_QUERIES[persona])

    for _ in range(49):
        program = make_program(audience=Audience.PUBLIC)
        program.thematic_areas.add(reference["chemical"], reference["border"])
    response = list_queries(client, django_assert_num_queries, LIST_QUERIES[persona])
    assert len(response.context["table"].page.object_list) == 25


# --- the leak matrix ----------------------------------------------------------------------------------------

AUDIENCES = [
    (State.DRAFT, Audience.PUBLIC),
    (State.SUBMITTED, Audience.COMMITTEE),
    (State.SUBMITTED, Audience.SELECTED),
    (State.SUBMITTED, Audience.ALL_IROS),
    (State.SUBMITTED, Audience.PUBLIC),
]
LEAK_PERSONAS = ("anonymous", "owner_member", "selected_member", "other_member", "committee", "admin")


@pytest.mark.parametrize(("state", "audience"), AUDIENCES)
@pytest.mark.parametrize("persona", LEAK_PERSONAS)
def test_leak_matrix_a_hidden_canary_appears_in_no_page(
    sign_in, make_program, orgs, reference, persona, state, audience
):
    canary = make_program(
        state=state,
        audience=audience,
        shared_with=[orgs["selected"]] if audience == Audience.SELECTED else (),
        title=f"{CANARY} secret program",
        summary=f"{CANARY} summary",
    )
    canary.thematic_areas.add(reference["chemical"])
    DocumentFactory(program=canary, title=f"{CANARY} document")
    make_program(audience=Audience.PUBLIC, title="An open program")
    client = sign_in(persona)
    visible = sharing_oracle(persona, state, audience)

    pages = [
        reverse("programs:list"),
        reverse("programs:list") + "?q=secret+program",
        reverse("programs:list") + "?thematic_area=chemical&organization=OWNER&state=" + state,
        reverse("programs:list") + "?audience=" + audience,
        reverse("programs:detail", args=[canary.pk]),
    ]
    if persona != "anonymous":
        pages += [reverse("programs:export_csv"), reverse("programs:export_xlsx") + "?organization=OWNER"]
    for url in pages:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if url.endswith(".xlsx?organization=OWNER"):
            sheet = load_workbook(BytesIO(body)).active
            body = repr(list(sheet.iter_rows(values_only=True))).encode()
        assert (CANARY.encode() in body) is visible, (persona, state, audience, url)
    if not visible:
        assert client.get(reverse("programs:detail", args=[canary.pk])).status_code == 404


# --- one pass: partners and documents with the program ------------------------------------------------------


def one_pass_data(*files, **overrides):
    """The form as the browser sends it after "Add a partner" twice: three partner rows, and a document row per
    file ((name, content) pairs)."""
    data = form_data(
        **{
            "partners-TOTAL_FORMS": "4",
            "partners-0-organization": "CHOSEN",
            "partners-0-role": "partner",
            "partners-1-organization": "OTHER",
            "partners-1-role": "funder",
            "partners-2-organization": "CHOSEN",
            "partners-2-role": "implementer",
            "partners-3-organization": "",
            "partners-3-role": "",
            "documents-TOTAL_FORMS": str(len(files)),
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "10",
        }
    )
    for index, (name, content) in enumerate(files):
        data[f"documents-{index}-title"] = ""
        data[f"documents-{index}-file"] = SimpleUploadedFile(name, content)
    data.update(overrides)
    return data


def stored_files(settings) -> list[str]:
    root = settings.STORAGES["default"]["OPTIONS"]["location"]
    return [path.name for path in Path(root).rglob("*") if path.is_file()]


def test_a_program_with_three_partners_and_a_document_is_created_in_one_post(client, people, orgs, reference):
    client.force_login(people["owner_focal"])

    response = client.post(
        reverse("programs:create"),
        one_pass_data(("work-plan.pdf", b"%PDF-1.4 plan"), **{"documents-0-title": "Work plan"}),
    )

    program = Program.objects.get(title="Strategic trade controls in West Africa")
    assert response.status_code == 302
    assert response["Location"] == reverse("programs:detail", args=[program.pk])
    assert sorted((p.organization.acronym, p.role) for p in program.partnerships.all()) == [
        ("CHOSEN", "implementer"),
        ("CHOSEN", "partner"),
        ("OTHER", "funder"),
    ]
    document = program.documents.get()
    assert (document.title, document.filename, document.content_type) == (
        "Work plan",
        "work-plan.pdf",
        "application/pdf",
    )
    assert document.uploaded_by == people["owner_focal"]
    assert document.file.read() == b"%PDF-1.4 plan"
    detail = client.get(response["Location"])
    assert "Attached: work-plan.pdf." in detail.content.decode()


def test_a_rejected_file_writes_nothing_and_is_named_on_the_form(client, people, orgs, reference, settings):
    client.force_login(people["owner_focal"])
    before = (*write_counts(), Document.objects.count(), ProgramPartner.objects.count())

    response = client.post(
        reverse("programs:create"),
        one_pass_data(("work-plan.pdf", b"%PDF-1.4 plan"), ("report.exe", b"MZ"), action="submit"),
    )

    # the same page, not a bare one: the form, its rows and the refusal naming the file, at the top and on its row
    assert response.status_code == 200
    assert "programs/program_form.html" in [template.name for template in response.templates]
    body = response.content.decode()
    top = body[body.index('id="documents-refused"') :]
    assert "report.exe: this type of file is not accepted" in top[: top.index("</div>\n</div>")]
    assert response.context["documents"].forms[1].errors["file"][0].startswith("report.exe:")
    assert "work-plan.pdf" not in str(response.context["documents"].file_errors())
    # the browser drops chosen files on a re-render: the page says so, naming them
    assert "choose it again before saving (work-plan.pdf)" in body
    # the partners typed are still there
    assert response.context["partners"].forms[1]["organization"].value() == "OTHER"
    # nothing written, no file stored
    assert (*write_counts(), Document.objects.count(), ProgramPartner.objects.count()) == before
    assert stored_files(settings) == []


def test_a_too_large_or_empty_file_is_named_too(client, people, reference, settings):
    settings.DOCUMENT_MAX_BYTES = 10
    client.force_login(people["owner_focal"])

    response = client.post(reverse("programs:create"), one_pass_data(("big.pdf", b"x" * 11), ("blank.txt", b"")))

    big, blank = response.context["documents"].file_errors()
    assert big.startswith("big.pdf: the file is too large")
    assert blank == "blank.txt: the file is empty."
    assert not Program.objects.exists()


def test_a_preview_keeps_the_rows_and_asks_to_choose_the_files_again(client, people, reference):
    client.force_login(people["owner_focal"])

    response = client.post(
        reverse("programs:create"), one_pass_data(("work-plan.pdf", b"%PDF-1.4 plan"), action="preview")
    )

    assert response.status_code == 200
    assert len(response.context["partners"].forms) == 4
    assert "choose it again before saving (work-plan.pdf)" in response.content.decode()
    assert not Program.objects.exists()


def test_documents_can_be_attached_while_editing(client, people, make_program, reference):
    program = make_program(state=State.DRAFT)
    client.force_login(people["owner_focal"])
    data = one_pass_data(("notes.txt", b"notes"), action="save")
    data.update({"partners-TOTAL_FORMS": "0", "title": program.title})

    response = client.post(reverse("programs:edit", args=[program.pk]), data)

    assert response.status_code == 302
    assert list(program.documents.values_list("filename", flat=True)) == ["notes.txt"]


def test_a_post_without_document_rows_still_saves(client, people, reference):
    # a page opened before the document rows existed
    client.force_login(people["owner_focal"])

    response = client.post(reverse("programs:create"), form_data())

    assert response.status_code == 302
    assert not Document.objects.exists()


def test_the_form_offers_the_add_buttons_and_their_templates(client, people, reference):
    client.force_login(people["owner_focal"])

    body = client.get(reverse("programs:create")).content.decode()

    assert 'enctype="multipart/form-data"' in body
    assert "js/formset_rows.js" in body
    assert "Add a partner" in body
    assert "Add another document" in body
    assert 'name="partners-__prefix__-organization"' in body
    assert 'name="documents-__prefix__-file"' in body


def test_the_upload_page_names_the_refused_file_at_the_top(client, people, make_program):
    program = make_program(audience=Audience.PUBLIC)
    client.force_login(people["owner_focal"])

    response = client.post(
        reverse("programs:document_create", args=[program.pk]),
        {"file": SimpleUploadedFile("report.exe", b"MZ", "application/octet-stream")},
    )

    assert response.status_code == 200
    body = response.content.decode()
    alert = body[body.index('id="document-errors"') : body.index('class="document-form"')]
    assert "report.exe: this type of file is not accepted" in alert
    assert "choose a file again" in alert
    assert program.title in body[: body.index('class="document-form"')]
    assert not Document.objects.exists()
