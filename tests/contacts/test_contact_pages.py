"""Points-of-contact pages: every persona, 404/403, designation status, the audience preview, the one-active rule,
query counts and the leak matrix."""

import datetime

import pytest
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from contacts.models import ContactRole, PointOfContact, PointOfContactGrant
from contacts.selectors import designation_status
from iros.models import Organization
from tests.contacts.conftest import CANARY, PAGE_PERSONAS, SUBMISSION_CASES
from tests.factories import OrganizationFactory
from tests.world import sharing_oracle

pytestmark = pytest.mark.django_db

SIGNED_IN_ONLY = {persona: (302 if persona == "anonymous" else 200) for persona in PAGE_PERSONAS}
EDIT_STATUS = {
    "anonymous": 302,
    "owner_focal": 200,
    "owner_member": 403,
    "selected_member": 403,
    "other_member": 403,
    "committee": 403,
    "admin": 200,
}
CREATE_STATUS = {**EDIT_STATUS}


def contact_urls(contact) -> dict[str, str]:
    return {
        name: reverse(f"contacts:{name}", args=[contact.pk])
        for name in ("detail", "edit", "end", "delete", "submit", "withdraw")
    }


def form_data(**overrides) -> dict:
    data = {
        "role": ContactRole.ASSISTANCE,
        "person": "Amina Diallo",
        "title": "Head of the 1540 unit",
        "email": "amina@example.org",
        "phone": "+41 22 000 00 00",
        "since": "2024-03-01",
        "until": "",
        "audience": Audience.COMMITTEE,
        "action": "draft",
    }
    data.update(overrides)
    return data


# --- every page for every persona ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_every_contact_page_renders_for_every_persona(sign_in, make_contact, persona):
    contact = make_contact(audience=Audience.PUBLIC, person="Amina Diallo", since=datetime.date(2023, 5, 2))
    client = sign_in(persona)

    response = client.get(reverse("contacts:list"))
    assert response.status_code == SIGNED_IN_ONLY[persona]
    if persona == "anonymous":
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        body = response.content.decode()
        assert "Points of contact · 1540 IRO Portal" in body
        assert "Amina Diallo" in body
        assert "since 2 May 2023" in body

    detail = client.get(contact_urls(contact)["detail"])
    assert detail.status_code == 200
    assert "Why you can see this" in detail.content.decode()
    assert "Amina Diallo" in detail.content.decode()

    assert client.get(reverse("contacts:create")).status_code == CREATE_STATUS[persona]
    for name in ("edit", "end", "delete"):
        assert client.get(contact_urls(contact)[name]).status_code == EDIT_STATUS[persona], name


@pytest.mark.parametrize("persona", ["owner_focal", "owner_member", "committee", "admin"])
def test_sharing_details_are_shown_to_the_owner_committee_and_admins(sign_in, make_contact, orgs, persona):
    contact = make_contact(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    body = sign_in(persona).get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert 'id="shared-with"' in body
    assert "Chosen Organization" in body
    assert "Audience changes" in body
    assert "Edit history" in body


def test_sharing_details_are_hidden_from_an_organization_it_was_shared_with(sign_in, make_contact, orgs):
    contact = make_contact(audience=Audience.SELECTED, shared_with=[orgs["selected"]])

    body = sign_in("selected_member").get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    assert "Its owner shared it with your organization." in body
    assert 'id="shared-with"' not in body
    assert "Audience changes" not in body
    assert "Edit history" not in body


def test_the_detail_shows_the_designation_history_the_viewer_may_see(sign_in, make_contact):
    make_contact(person="Earlier Visible", until=datetime.date(2022, 1, 1), audience=Audience.ALL_IROS)
    make_contact(person="Earlier Hidden", until=datetime.date(2021, 1, 1), audience=Audience.COMMITTEE)
    current = make_contact(person="Now In Office", audience=Audience.ALL_IROS, since=datetime.date(2022, 1, 2))

    body = sign_in("other_member").get(reverse("contacts:detail", args=[current.pk])).content.decode()

    assert "Earlier Visible" in body
    assert "Earlier Hidden" not in body


# --- 404 for hidden, 403 for visible but read-only ----------------------------------------------------------

HIDDEN_CASES = [
    ("anonymous", State.SUBMITTED, Audience.ALL_IROS),
    ("anonymous", State.DRAFT, Audience.PUBLIC),
    ("other_member", State.SUBMITTED, Audience.COMMITTEE),
    ("other_member", State.SUBMITTED, Audience.SELECTED),
    ("selected_member", State.DRAFT, Audience.SELECTED),
    ("committee", State.DRAFT, Audience.ALL_IROS),
]


@pytest.mark.parametrize(("persona", "state", "audience"), HIDDEN_CASES)
def test_a_hidden_contact_is_404_on_every_url(sign_in, make_contact, persona, state, audience):
    contact = make_contact(state=state, audience=audience)
    client = sign_in(persona)
    before = (PointOfContact.objects.count(), SharingAudit.objects.count())

    assert client.get(contact_urls(contact)["detail"]).status_code == 404
    if persona != "anonymous":
        for name, url in contact_urls(contact).items():
            if name != "detail":
                assert client.post(url, form_data(action="save")).status_code == 404, name
        for name in ("edit", "end", "delete"):
            assert client.get(contact_urls(contact)[name]).status_code == 404, name

    assert (PointOfContact.objects.count(), SharingAudit.objects.count()) == before
    contact.refresh_from_db()
    assert (contact.state, contact.audience, contact.until) == (state, audience, None)


def test_a_missing_contact_is_404_like_a_hidden_one(sign_in):
    for persona in ("anonymous", "other_member", "committee"):
        assert sign_in(persona).get(reverse("contacts:detail", args=[999999])).status_code == 404


@pytest.mark.parametrize("persona", ["owner_member", "selected_member", "committee"])
def test_a_visible_contact_others_may_not_change_is_403_and_nothing_changes(sign_in, make_contact, persona):
    contact = make_contact(state=State.SUBMITTED, audience=Audience.ALL_IROS, person="Stays The Same")
    client = sign_in(persona)

    for name, url in contact_urls(contact).items():
        if name != "detail":
            assert client.post(url, form_data(person="Changed", until="2030-01-01")).status_code == 403, name

    contact.refresh_from_db()
    assert (contact.person, contact.state, contact.until) == ("Stays The Same", State.SUBMITTED, None)
    assert PointOfContact.objects.filter(pk=contact.pk).exists()


def test_a_focal_point_of_another_organization_cannot_create_for_the_owner(sign_in, orgs):
    client = sign_in("owner_focal")
    client.post(reverse("contacts:create"), form_data(organization="OTHER", action="submit"))

    # The focal point's own organization is the owner, whatever the form says.
    assert set(PointOfContact.objects.values_list("organization__acronym", flat=True)) == {"OWNER"}


# --- designation status: public, without details ------------------------------------------------------------


def test_designation_status_counts_only_submitted_standing_contacts(make_contact, orgs):
    make_contact(role=ContactRole.ASSISTANCE, since=datetime.date(2020, 2, 3), audience=Audience.COMMITTEE)
    make_contact(role=ContactRole.IMPLEMENTATION, state=State.DRAFT)
    make_contact(owner=orgs["other"], role=ContactRole.IMPLEMENTATION, until=datetime.date(2021, 1, 1))

    status = {row.organization.acronym: row for row in designation_status()}

    owner = status["OWNER"]
    assert owner.for_role("assistance").designated and owner.for_role("assistance").since == datetime.date(2020, 2, 3)
    assert not owner.for_role("implementation").designated
    assert status["OTHER"].designated_count == 0
    assert status["CHOSEN"].designated_count == 0


def test_anonymous_visitors_see_the_designation_but_no_details(client, make_contact):
    make_contact(
        role=ContactRole.ASSISTANCE,
        person=f"{CANARY} person",
        email="canary@example.org",
        since=datetime.date(2019, 9, 9),
        audience=Audience.COMMITTEE,
    )

    body = client.get(reverse("iros:detail", args=["OWNER"])).content.decode()

    assert "Designated" in body
    assert "since 9 Sep 2019" in body
    assert "Not designated" in body  # implementation
    assert CANARY not in body
    assert "canary@example.org" not in body


def test_the_contacts_page_shows_the_designation_of_every_iro_and_only_visible_details(sign_in, make_contact):
    make_contact(role=ContactRole.ASSISTANCE, person=f"{CANARY} hidden", audience=Audience.COMMITTEE)
    make_contact(role=ContactRole.IMPLEMENTATION, person="Shown To All", audience=Audience.ALL_IROS)

    response = sign_in("other_member").get(reverse("contacts:list"))

    body = response.content.decode()
    assert CANARY not in body
    assert "Shown To All" in body
    rows = {row["designation"].organization.acronym: row for row in response.context["rows"]}
    assert set(rows) == {"OWNER", "CHOSEN", "OTHER"}
    assert [cell["status"].designated for cell in rows["OWNER"]["cells"]] == [True, True]
    assert [cell["contact"] is not None for cell in rows["OWNER"]["cells"]] == [False, True]


def test_the_contacts_page_filters_by_designation_role_kind_and_region(sign_in, make_contact, orgs):
    make_contact(role=ContactRole.ASSISTANCE)
    make_contact(owner=orgs["selected"], role=ContactRole.ASSISTANCE)
    make_contact(owner=orgs["selected"], role=ContactRole.IMPLEMENTATION)
    Organization.objects.filter(pk=orgs["other"].pk).update(kind=Organization.Kind.INTERNATIONAL)
    client = sign_in("committee")

    def acronyms(query):
        response = client.get(reverse("contacts:list"), query)
        assert response.status_code == 200
        return [row["designation"].organization.acronym for row in response.context["rows"]]

    assert acronyms({"designated": "yes"}) == ["CHOSEN"]
    assert acronyms({"designated": "yes", "role": "assistance"}) == ["CHOSEN", "OWNER"]
    assert acronyms({"designated": "no"}) == ["OTHER", "OWNER"]
    assert acronyms({"designated": "no", "role": "implementation"}) == ["OTHER", "OWNER"]
    assert acronyms({"kind": "international"}) == ["OTHER"]
    assert acronyms({"q": "chosen"}) == ["CHOSEN"]
    response = client.get(reverse("contacts:list"), {"role": "assistance"})
    assert [role.value for role in response.context["roles"]] == ["assistance"]
    for junk in ({"region": "nope"}, {"designated": "maybe"}, {"page": "x"}, {"records_page": "99"}):
        assert client.get(reverse("contacts:list"), junk).status_code == 200


def test_the_organization_directory_filters_by_designation_status(client, make_contact, orgs):
    make_contact(role=ContactRole.ASSISTANCE)
    make_contact(role=ContactRole.IMPLEMENTATION)
    make_contact(owner=orgs["selected"], role=ContactRole.ASSISTANCE)
    make_contact(owner=orgs["other"], role=ContactRole.ASSISTANCE, state=State.DRAFT)

    def acronyms(value):
        response = client.get(reverse("iros:list"), {"designation": value})
        return [organization.acronym for organization in response.context["organizations"]]

    assert acronyms("complete") == ["OWNER"]
    assert acronyms("incomplete") == ["CHOSEN", "OTHER"]
    assert acronyms("none") == ["OTHER"]
    assert acronyms("") == ["CHOSEN", "OTHER", "OWNER"]


# --- the form: preview, save, the one-active rule -----------------------------------------------------------


def test_the_preview_names_who_will_see_the_details_and_saves_nothing(sign_in, orgs):
    client = sign_in("owner_focal")
    before = (PointOfContact.objects.count(), PointOfContactGrant.objects.count(), SharingAudit.objects.count())

    response = client.post(
        reverse("contacts:create"),
        form_data(action="preview", audience=Audience.SELECTED, shared_with=["CHOSEN"], person=""),
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="preview-reach"' in body
    assert "Chosen Organization" in body
    assert "Other Organization</span>" not in body
    assert "This field is required" not in body  # a preview shows only the audience fields' problems
    after = (PointOfContact.objects.count(), PointOfContactGrant.objects.count(), SharingAudit.objects.count())
    assert after == before


def test_the_contact_and_program_forms_name_the_preview_button_alike(sign_in):
    # Problem 15 of issue 11: "Who will be able to see this?" here, "Preview audience" on the program form.
    client = sign_in("owner_focal")
    button = '<button type="submit" name="action" value="preview"'

    for url in (reverse("contacts:create"), reverse("programs:create")):
        body = client.get(url).content.decode()
        label = body[body.index(">", body.index(button)) + 1 : body.index("</button>", body.index(button))]
        assert label.strip() == "Preview audience", url


def test_the_preview_of_an_existing_contact_changes_nothing(sign_in, make_contact):
    contact = make_contact(audience=Audience.COMMITTEE, person="Unchanged Person")
    audits = SharingAudit.objects.count()

    response = sign_in("owner_focal").post(
        reverse("contacts:edit", args=[contact.pk]),
        form_data(action="preview", audience=Audience.PUBLIC, person="Changed Person"),
    )

    assert "Everyone, including visitors who are not signed in" in response.content.decode()
    contact.refresh_from_db()
    assert (contact.person, contact.audience) == ("Unchanged Person", Audience.COMMITTEE)
    assert SharingAudit.objects.count() == audits


def test_create_and_submit_designates_with_grants_and_audit(sign_in, orgs):
    client = sign_in("owner_focal")

    response = client.post(
        reverse("contacts:create"), form_data(action="submit", audience=Audience.SELECTED, shared_with=["CHOSEN"])
    )

    contact = PointOfContact.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contacts:detail", args=[contact.pk])
    assert (contact.organization, contact.state, contact.audience) == (orgs["owner"], State.SUBMITTED, "selected")
    assert list(contact.shared_with.all()) == [orgs["selected"]]
    assert SharingAudit.objects.filter(record_type="contacts.pointofcontact", record_id=contact.pk).exists()
    assert designation_status(organizations=[orgs["owner"]])[0].for_role("assistance").designated
    assert sign_in("selected_member").get(reverse("contacts:detail", args=[contact.pk])).status_code == 200
    assert sign_in("other_member").get(reverse("contacts:detail", args=[contact.pk])).status_code == 404


def test_an_administrator_picks_the_organization(sign_in, orgs):
    response = sign_in("admin").post(reverse("contacts:create"), form_data(organization="OTHER"))

    assert response.status_code == 302
    assert PointOfContact.objects.get().organization == orgs["other"]


def test_invalid_input_is_a_form_error_and_writes_nothing(sign_in):
    response = sign_in("owner_focal").post(
        reverse("contacts:create"),
        form_data(person="", email="not-an-email", since="2024-05-01", until="2024-01-01", audience="selected"),
    )

    assert response.status_code == 200
    body = response.content.decode()
    assert "Nothing was saved" in body
    assert "Choose at least one organization to share with." in body
    assert "The end date cannot be before the start date." in body
    assert PointOfContact.objects.count() == 0


@pytest.mark.parametrize("action", ["submit", "draft"])
def test_the_one_active_contact_rule_is_a_form_error_and_writes_nothing(sign_in, make_contact, action):
    make_contact(role=ContactRole.ASSISTANCE, person="Already Designated")
    client = sign_in("owner_focal")
    before = (PointOfContact.objects.count(), SharingAudit.objects.count(), PointOfContactGrant.objects.count())

    response = client.post(reverse("contacts:create"), form_data(action="submit", person="Second One"))
    if action == "draft":
        # A draft may wait; submitting it later trips the same rule, through the edit form.
        draft = client.post(reverse("contacts:create"), form_data(action="draft", person="Second One"))
        assert draft.status_code == 302
        contact = PointOfContact.objects.get(person="Second One")
        before = (PointOfContact.objects.count(), SharingAudit.objects.count(), PointOfContactGrant.objects.count())
        response = client.post(reverse("contacts:edit", args=[contact.pk]), form_data(action="submit"))

    assert response.status_code == 200
    assert "already has an active contact for this role" in response.content.decode()
    after = (PointOfContact.objects.count(), SharingAudit.objects.count(), PointOfContactGrant.objects.count())
    assert after == before
    assert PointOfContact.objects.filter(state=State.SUBMITTED, until__isnull=True).count() == 1


def test_submitting_a_second_contact_from_its_page_is_a_message_not_an_error(sign_in, make_contact):
    make_contact(role=ContactRole.ASSISTANCE)
    draft = make_contact(role=ContactRole.ASSISTANCE, state=State.DRAFT)

    response = sign_in("owner_focal").post(reverse("contacts:submit", args=[draft.pk]), follow=True)

    assert response.status_code == 200
    assert "already has an active contact for this role" in response.content.decode()
    draft.refresh_from_db()
    assert draft.state == State.DRAFT


def test_edit_submit_withdraw_end_and_delete(sign_in, make_contact, orgs):
    contact = make_contact(state=State.DRAFT, person="Old Name")
    client = sign_in("owner_focal")

    response = client.post(reverse("contacts:edit", args=[contact.pk]), form_data(person="New Name", action="draft"))
    assert response.status_code == 302
    contact.refresh_from_db()
    assert (contact.person, contact.state) == ("New Name", State.DRAFT)

    client.post(reverse("contacts:submit", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.state == State.SUBMITTED
    client.post(reverse("contacts:withdraw", args=[contact.pk]))
    contact.refresh_from_db()
    assert contact.state == State.DRAFT
    client.post(reverse("contacts:submit", args=[contact.pk]))

    response = client.post(reverse("contacts:end", args=[contact.pk]), {"until": "2000-01-01"})
    assert response.status_code == 200  # before `since`
    assert "The end date cannot be before the start date." in response.content.decode()
    response = client.post(reverse("contacts:end", args=[contact.pk]), {"until": "2025-01-31"})
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.until == datetime.date(2025, 1, 31)
    assert not designation_status(organizations=[orgs["owner"]])[0].for_role("assistance").designated

    assert "Delete this point of contact?" in client.get(reverse("contacts:delete", args=[contact.pk])).content.decode()
    assert PointOfContact.objects.filter(pk=contact.pk).exists()  # asking deletes nothing
    response = client.post(reverse("contacts:delete", args=[contact.pk]))
    assert response.status_code == 302
    assert not PointOfContact.objects.filter(pk=contact.pk).exists()


def test_the_edit_history_records_the_changes(sign_in, make_contact):
    contact = make_contact(state=State.DRAFT, person="First")
    client = sign_in("owner_focal")
    client.post(reverse("contacts:edit", args=[contact.pk]), form_data(person="Second", action="draft"))

    body = client.get(reverse("contacts:detail", args=[contact.pk])).content.decode()

    history = body.split('id="edit-history"')[1].split("</ol>")[0]
    assert "Person:</span>" in history
    assert "<bdi>First</bdi>" in history and "<bdi>Second</bdi>" in history


# --- query counts -------------------------------------------------------------------------------------------

# Exact baselines for /contacts/ — the same with 1 and with 30 organizations that designated contacts.
# (with the navbar's unread notifications count)
# + the saved filters (portal.preferences)
LIST_QUERIES = {"owner_member": 15, "committee": 14, "admin": 14}


@pytest.mark.parametrize("persona", list(LIST_QUERIES))
def test_contacts_page_query_count_is_the_same_for_1_and_30_rows(
    sign_in, make_contact, orgs, django_assert_num_queries, persona
):
    client = sign_in(persona)
    page = reverse("contacts:list") + "?q=OWNER"
    make_contact(role=ContactRole.ASSISTANCE, audience=Audience.ALL_IROS)
    make_contact(role=ContactRole.IMPLEMENTATION, until=datetime.date(2020, 1, 1), audience=Audience.ALL_IROS)
    with django_assert_num_queries(LIST_QUERIES[persona]):
        response = client.get(page)
    assert len(response.context["rows"]) == 1

    for number in range(29):
        organization = OrganizationFactory(acronym=f"OWNER-{number:02d}")
        make_contact(owner=organization, role=ContactRole.ASSISTANCE, audience=Audience.ALL_IROS)
        make_contact(
            owner=organization,
            role=ContactRole.IMPLEMENTATION,
            until=datetime.date(2020, 1, 1),
            audience=Audience.ALL_IROS,
        )
    with django_assert_num_queries(LIST_QUERIES[persona]):
        response = client.get(page)
    assert len(response.context["rows"]) == 25
    assert response.context["records_page"].paginator.count >= 25


# --- the leak matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("state", "audience"), SUBMISSION_CASES)
@pytest.mark.parametrize("persona", [p for p in PAGE_PERSONAS if p != "owner_focal"])
def test_leak_matrix_a_hidden_contact_appears_in_no_page(sign_in, make_contact, persona, state, audience):
    canary = make_contact(
        state=state,
        audience=audience,
        person=f"{CANARY} person",
        title=f"{CANARY} title",
        email="canary-contact@example.org",
        until=None,
    )
    make_contact(
        role=ContactRole.IMPLEMENTATION, audience=Audience.PUBLIC, person="Open Person", until=datetime.date(2024, 1, 1)
    )
    client = sign_in(persona)
    visible = sharing_oracle(persona, state, audience)

    # (page, whether it would show the canary to someone who may see it)
    pages = [
        (reverse("contacts:detail", args=[canary.pk]), True),
        (reverse("iros:detail", args=["OWNER"]), True),
        (reverse("iros:list") + "?designation=complete", False),
    ]
    if persona != "anonymous":
        pages += [
            (reverse("contacts:list"), True),
            (reverse("contacts:list") + "?q=OWNER&role=assistance&designated=yes", state == State.SUBMITTED),
            (reverse("contacts:list") + "?designated=no", True),
            (reverse("contacts:demarches"), False),
        ]
    for url, shows_visible_canary in pages:
        body = client.get(url).content.decode()
        shown = CANARY in body or "canary-contact@example.org" in body
        assert shown is (visible and shows_visible_canary), (persona, state, audience, url)
    if not visible:
        assert client.get(reverse("contacts:detail", args=[canary.pk])).status_code == 404
