"""The organization profile's confidential panels and the profile edit page."""

import datetime

import pytest
from django.urls import reverse

from confidentiality.models import Audience, State
from contacts.models import ContactRole
from iros.models import Organization
from programs.models import ProgramPartner
from tests.contacts.conftest import CANARY, PAGE_PERSONAS, SUBMISSION_CASES
from tests.factories import (
    AgreementFactory,
    InteractionFactory,
    ProgramPartnerFactory,
    RegionFactory,
    ThematicAreaFactory,
)
from tests.world import sharing_oracle

pytestmark = pytest.mark.django_db

PROFILE = reverse("iros:detail", args=["OWNER"])
INVOLVED = {"owner_focal", "owner_member", "committee", "admin"}
EDIT_STATUS = {
    "anonymous": 302,
    "owner_focal": 200,
    "owner_member": 403,
    "selected_member": 403,
    "other_member": 403,
    "committee": 403,
    "admin": 200,
}


@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_the_profile_renders_every_panel_for_every_persona(sign_in, make_contact, make_program, orgs, persona):
    make_contact(role=ContactRole.ASSISTANCE, person="Public Person", audience=Audience.PUBLIC)
    make_program(title="Open Program", audience=Audience.PUBLIC)
    partner = make_program(owner=orgs["other"], title="Partnered Program", audience=Audience.PUBLIC)
    ProgramPartnerFactory(program=partner, organization=orgs["owner"], role=ProgramPartner.Role.FUNDER)
    agreement = AgreementFactory(title="MoU with the Committee", committee_is_party=True)
    agreement.parties.add(orgs["owner"])
    public = InteractionFactory(summary="Public briefing", public=True)
    public.organizations.add(orgs["owner"], orgs["selected"])
    client = sign_in(persona)

    response = client.get(PROFILE)

    assert response.status_code == 200
    body = response.content.decode()
    for text in ("Points of contact (resolution 1977)", "Public Person", "Open Program", "Partnered Program"):
        assert text in body, text
    assert "Funder" in body
    assert "Public briefing" in body
    assert ("MoU with the Committee" in body) is (persona in INVOLVED)
    assert (reverse("iros:edit", args=["OWNER"]) in body) is (persona in ("owner_focal", "admin"))
    assert client.get(reverse("iros:edit", args=["OWNER"])).status_code == EDIT_STATUS[persona]


def test_an_unknown_organization_is_404(sign_in):
    for persona in ("anonymous", "owner_focal", "admin"):
        client = sign_in(persona)
        assert client.get(reverse("iros:detail", args=["NOPE"])).status_code == 404
        assert client.get(reverse("iros:edit", args=["NOPE"])).status_code == (302 if persona == "anonymous" else 404)


def test_the_designation_panel_tells_anonymous_visitors_which_roles_are_designated(client, make_contact):
    make_contact(
        role=ContactRole.IMPLEMENTATION,
        person=f"{CANARY} person",
        email="secret@example.org",
        phone="+1 555 0100",
        since=datetime.date(2021, 4, 1),
        audience=Audience.SELECTED,
    )
    make_contact(role=ContactRole.ASSISTANCE, state=State.DRAFT, person=f"{CANARY} draft")

    response = client.get(PROFILE)

    body = response.content.decode()
    designation = response.context["designation"]
    assert [(role.role, role.designated) for role in designation.roles] == [
        ("assistance", False),
        ("implementation", True),
    ]
    assert "since 1 Apr 2021" in body
    assert CANARY not in body
    assert "secret@example.org" not in body
    assert "+1 555 0100" not in body
    assert 'id="contacts-panel"' not in body


def test_the_owner_sees_its_drafts_and_may_designate(sign_in, make_contact):
    make_contact(role=ContactRole.ASSISTANCE, state=State.DRAFT, person="Draft Person")

    body = sign_in("owner_focal").get(PROFILE).content.decode()

    assert "Draft Person" in body
    assert "Designate a contact" in body
    assert reverse("contacts:create") in body


# --- the leak matrix ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(("state", "audience"), SUBMISSION_CASES)
@pytest.mark.parametrize("persona", [p for p in PAGE_PERSONAS if p != "owner_focal"])
def test_leak_matrix_hidden_programs_and_contacts_appear_in_no_panel(
    sign_in, make_contact, make_program, orgs, persona, state, audience
):
    make_program(state=state, audience=audience, title=f"{CANARY} owned program")
    partnered = make_program(owner=orgs["other"], state=state, audience=audience, title=f"{CANARY} partner program")
    ProgramPartnerFactory(program=partnered, organization=orgs["owner"])
    make_contact(state=state, audience=audience, person=f"{CANARY} contact")
    client = sign_in(persona)
    visible_owned = sharing_oracle(persona, state, audience)
    # The partner program belongs to OTHER: seen from there, OWNER's member is the outsider and OTHER's the owner.
    as_seen_by_other = {"owner_member": "other_member", "other_member": "owner_member"}.get(persona, persona)
    visible_partnered = sharing_oracle(as_seen_by_other, state, audience)

    body = client.get(PROFILE).content.decode()

    assert (f"{CANARY} owned program" in body) is visible_owned
    assert (f"{CANARY} contact" in body) is visible_owned
    assert (f"{CANARY} partner program" in body) is visible_partnered, (persona, state, audience)


@pytest.mark.parametrize("public", [False, True])
@pytest.mark.parametrize("persona", PAGE_PERSONAS)
def test_leak_matrix_interactions_and_agreements(sign_in, orgs, persona, public):
    interaction = InteractionFactory(summary=f"{CANARY} interaction", public=public)
    interaction.organizations.add(orgs["owner"])
    elsewhere = InteractionFactory(summary=f"{CANARY} elsewhere")
    elsewhere.organizations.add(orgs["other"])
    agreement = AgreementFactory(title=f"{CANARY} agreement")
    agreement.parties.add(orgs["owner"], orgs["selected"])
    client = sign_in(persona)

    body = client.get(PROFILE).content.decode()

    assert (f"{CANARY} interaction" in body) is (public or persona in INVOLVED)
    assert f"{CANARY} elsewhere" not in body
    assert (f"{CANARY} agreement" in body) is (persona in INVOLVED or persona == "selected_member")


def test_panels_show_at_most_ten_visible_rows_and_no_count_of_hidden_ones(sign_in, make_program, orgs):
    for number in range(12):
        make_program(title=f"Visible program {number:02d}", audience=Audience.ALL_IROS)
    for number in range(5):
        make_program(title=f"{CANARY} {number}", audience=Audience.COMMITTEE)

    response = sign_in("other_member").get(PROFILE)

    body = response.content.decode()
    assert len(response.context["panel_programs"]) == 10
    assert response.context["more_programs"] is True
    assert f"{reverse('programs:list')}?organization=OWNER" in body
    assert CANARY not in body
    # A total would give the hidden programs away. Read the text only: ids, dates and tokens hold digits too.
    import re

    text = " ".join(re.sub(r"<[^>]+>", " ", body).split())
    for hint in ("17 programs", "12 programs", "5 hidden", "(17)", "(12)", "of 17", "of 12"):
        assert hint not in text


# --- query counts -------------------------------------------------------------------------------------------

# Exact baselines for the profile page — the same with 1 and with 30 programs (and their partners, interactions).
# Signed in, the demarches panel is one query (signed out, the policy asks for none).
# (signed in: with the navbar's unread notifications count)
PROFILE_QUERIES = {"anonymous": 12, "owner_member": 19, "committee": 18, "admin": 18}


@pytest.mark.parametrize("persona", list(PROFILE_QUERIES))
def test_profile_query_count_is_the_same_for_1_and_30_programs(
    sign_in, make_program, make_contact, orgs, django_assert_num_queries, persona
):
    client = sign_in(persona)
    region = RegionFactory(code="002", name="Africa")
    area = ThematicAreaFactory(code="chemical", name="Chemical weapons")
    Organization.objects.get(pk=orgs["owner"].pk).regions.add(region)
    orgs["owner"].mandate_areas.add(area)
    make_contact(audience=Audience.PUBLIC)

    def add_rows(count):
        for _ in range(count):
            make_program(audience=Audience.PUBLIC)
            partnered = make_program(owner=orgs["other"], audience=Audience.PUBLIC)
            ProgramPartnerFactory(program=partnered, organization=orgs["owner"])
            interaction = InteractionFactory(public=True)
            interaction.organizations.add(orgs["owner"], orgs["other"])
            agreement = AgreementFactory()
            agreement.parties.add(orgs["owner"], orgs["selected"])

    add_rows(1)
    with django_assert_num_queries(PROFILE_QUERIES[persona]):
        assert client.get(PROFILE).status_code == 200

    add_rows(29)
    with django_assert_num_queries(PROFILE_QUERIES[persona]):
        response = client.get(PROFILE)
    assert len(response.context["panel_programs"]) == 10


# --- editing the profile ------------------------------------------------------------------------------------


def test_a_focal_point_edits_its_organizations_profile(sign_in, orgs):
    RegionFactory(code="150", name="Europe")
    ThematicAreaFactory(code="nuclear", name="Nuclear weapons")
    client = sign_in("owner_focal")

    response = client.post(
        reverse("iros:edit", args=["OWNER"]),
        {
            "description": "A regional organization.",
            "website": "https://owner.example.org",
            "seat": "Vienna",
            "regions": ["150"],
            "mandate_areas": ["nuclear"],
            "member_states": ["AT", "FR"],
            "name": "Renamed",  # only administrators change the name: ignored here
        },
    )

    assert response.status_code == 302
    assert response["Location"] == PROFILE
    owner = Organization.objects.get(pk=orgs["owner"].pk)
    assert (owner.description, owner.website, owner.seat) == (
        "A regional organization.",
        "https://owner.example.org",
        "Vienna",
    )
    assert owner.name == "Owner Organization"
    assert [region.code for region in owner.regions.all()] == ["150"]
    assert [area.code for area in owner.mandate_areas.all()] == ["nuclear"]
    assert owner.member_states == ["AT", "FR"]
    body = client.get(PROFILE).content.decode()
    assert "Vienna" in body and "Austria" in body


def test_an_administrator_also_renames(sign_in, orgs):
    response = sign_in("admin").post(
        reverse("iros:edit", args=["OWNER"]), {"name": "Renamed Organization", "kind": "international"}
    )

    assert response.status_code == 302
    owner = Organization.objects.get(pk=orgs["owner"].pk)
    assert (owner.name, owner.kind) == ("Renamed Organization", "international")


@pytest.mark.parametrize("persona", ["owner_member", "selected_member", "other_member", "committee"])
def test_others_may_not_edit_the_profile_and_nothing_changes(sign_in, orgs, persona):
    response = sign_in(persona).post(reverse("iros:edit", args=["OWNER"]), {"seat": "Hijacked", "description": "x"})

    assert response.status_code == 403
    owner = Organization.objects.get(pk=orgs["owner"].pk)
    assert (owner.seat, owner.description) == ("", "")


def test_a_focal_point_cannot_edit_another_organization(sign_in):
    assert sign_in("owner_focal").post(reverse("iros:edit", args=["OTHER"]), {"seat": "Hijacked"}).status_code == 403
    assert Organization.objects.get(acronym="OTHER").seat == ""


def test_invalid_profile_input_is_a_form_error_and_writes_nothing(sign_in, orgs):
    response = sign_in("owner_focal").post(
        reverse("iros:edit", args=["OWNER"]), {"website": "not a url", "member_states": ["XX"], "seat": "Changed"}
    )

    assert response.status_code == 200
    assert "Nothing was saved" in response.content.decode()
    assert Organization.objects.get(pk=orgs["owner"].pk).seat == ""
