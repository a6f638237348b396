"""Organization profile and IGO-table services: every change locks its row and re-checks the right on it."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from confidentiality import policies
from iros.models import Agreement, Event, Interaction, Organization
from iros.services import (
    agreement_update,
    event_delete,
    event_update,
    interaction_delete,
    interaction_update,
    organization_update,
)
from portal.accounts.models import Role, User
from tests.factories import AgreementFactory, EventFactory, InteractionFactory, OrganizationFactory, UserFactory


@pytest.fixture
def organization(db):
    return OrganizationFactory(acronym="OWNER", description="As it was.")


@pytest.fixture
def focal(organization):
    return UserFactory(username="owner-focal", role=Role.FOCAL_POINT, organization=organization)


@pytest.fixture
def expert(db):
    return UserFactory(username="expert", role=Role.COMMITTEE)


@pytest.fixture
def records(organization):
    interaction = InteractionFactory(summary="As it was.")
    interaction.organizations.set([organization])
    agreement = AgreementFactory(title="As it was.")
    agreement.parties.set([organization])
    return {"event": EventFactory(title="As it was."), "agreement": agreement, "interaction": interaction}


# The Committee's records: (model, table, write with what was read).
COMMITTEE_WRITES = {
    "event_update": (Event, lambda actor, r: event_update(actor=actor, event=r["event"], title="Changed")),
    "event_delete": (Event, lambda actor, r: event_delete(actor=actor, event=r["event"])),
    "agreement_update": (
        Agreement,
        lambda actor, r: agreement_update(actor=actor, agreement=r["agreement"], title="Changed"),
    ),
    "interaction_update": (
        Interaction,
        lambda actor, r: interaction_update(actor=actor, interaction=r["interaction"], summary="Changed"),
    ),
    "interaction_delete": (Interaction, lambda actor, r: interaction_delete(actor=actor, interaction=r["interaction"])),
}


def _committee_rows() -> tuple:
    return (
        tuple(Event.objects.values_list("pk", "title")),
        tuple(Agreement.objects.values_list("pk", "title")),
        tuple(Interaction.objects.values_list("pk", "summary")),
    )


@pytest.mark.parametrize("write", COMMITTEE_WRITES)
def test_an_expert_demoted_after_the_read_is_refused(write, expert, records):
    # given an expert who read the record and then left the Committee
    model, run = COMMITTEE_WRITES[write]
    assert policies.can_edit(expert, records[model._meta.model_name])  # the role is cached on the user object
    User.objects.filter(pk=expert.pk).update(role=Role.MEMBER)
    before = _committee_rows()

    # when the expert writes with what it read
    with pytest.raises(PermissionDenied):
        run(expert, records)

    # then nothing changed
    assert _committee_rows() == before


@pytest.mark.parametrize("write", COMMITTEE_WRITES)
def test_every_committee_write_locks_its_row(write, expert, records):
    model, run = COMMITTEE_WRITES[write]

    with CaptureQueriesContext(connection) as captured:
        run(expert, records)

    assert any(f'FOR UPDATE OF "{model._meta.db_table}"' in query["sql"] for query in captured)


def _profile(organization: Organization) -> tuple:
    return tuple(Organization.objects.filter(pk=organization.pk).values_list("name", "description"))


def test_a_focal_point_moved_to_another_organization_cannot_change_the_old_profile(organization, focal):
    # given a focal point who opened the profile form and was then moved to another organization
    assert policies.can_edit(focal, organization)
    focal.membership.organization = OrganizationFactory(acronym="OTHER")
    focal.membership.save()
    before = _profile(organization)

    with pytest.raises(PermissionDenied):
        organization_update(actor=focal, organization=organization, description="Changed.")

    assert _profile(organization) == before


def test_a_focal_point_demoted_after_the_read_cannot_change_the_profile(organization, focal):
    assert policies.can_edit(focal, organization)
    User.objects.filter(pk=focal.pk).update(role=Role.MEMBER)
    before = _profile(organization)

    with pytest.raises(PermissionDenied):
        organization_update(actor=focal, organization=organization, description="Changed.")

    assert _profile(organization) == before


def test_a_focal_point_changes_the_profile_but_not_the_name(organization, focal):
    organization_update(actor=focal, organization=organization, description="Changed.", name=organization.name)
    with pytest.raises(PermissionDenied):
        organization_update(actor=focal, organization=organization, name="Renamed")

    assert _profile(organization) == ((organization.name, "Changed."),)


def test_an_organization_update_locks_the_organization_row(organization, focal):
    with CaptureQueriesContext(connection) as captured:
        organization_update(actor=focal, organization=organization, description="Changed.")

    assert any('FOR UPDATE OF "iros_organization"' in query["sql"] for query in captured)


def test_interaction_organizations_are_required_and_must_exist(expert, records):
    interaction = records["interaction"]

    with pytest.raises(ValidationError) as raised:
        interaction_update(actor=expert, interaction=interaction, organizations=[])
    assert raised.value.message_dict == {"organizations": ["Name at least one organization."]}

    with pytest.raises(ValidationError) as raised:
        interaction_update(actor=expert, interaction=interaction, organizations=["OWNER", "NOPE"])
    assert raised.value.message_dict == {"organizations": ["Unknown organizations: NOPE."]}


# --- the event's attendance agrees with its participants (problem 15 of issue 11) ---------------------------------


def test_the_service_refuses_fewer_attending_than_named_and_writes_nothing(expert, records, organization):
    event = records["event"]
    others = [OrganizationFactory(acronym=acronym) for acronym in ("AU", "OSCE")]
    event_update(actor=expert, event=event, participants=["OWNER", "AU", "OSCE"])

    # lowering the count alone is judged against the participants already named
    with pytest.raises(ValidationError) as refused:
        event_update(actor=expert, event=event, attendance_count=2, title="Changed")
    # naming more than are counted, too
    with pytest.raises(ValidationError):
        event_update(actor=expert, event=event, attendance_count=1, participants=["OWNER", "AU"])

    assert refused.value.error_dict["attendance_count"][0].code == "attendance_below_participants"
    event.refresh_from_db()
    assert (event.title, event.attendance_count) == ("As it was.", None)
    assert set(event.participants.all()) == {organization, *others}
    event_update(actor=expert, event=event, attendance_count=3)
    event_update(actor=expert, event=event, attendance_count=None, participants=["AU"])
