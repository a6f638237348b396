from io import StringIO

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_countries import countries

from confidentiality.models import Audience, SharingAudit, State
from confidentiality.services import grants_mismatches
from contacts.models import ContactRole, Demarche, PointOfContact
from iros.models import Interaction, Organization
from portal.accounts.models import Role, User
from portal.devtools.demo import data
from portal.devtools.demo.accounts import DEFAULT_DEMO_PASSWORD
from portal.devtools.demo.seed import demo_counts
from programs.models import Program

N = 40


def seed_demo(programs: int = N) -> str:
    out = StringIO()
    call_command("seed_demo", programs=programs, stdout=out)
    return out.getvalue()


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


@pytest.fixture
def seeded(db, monkeypatch):
    monkeypatch.delenv("DEMO_PASSWORD", raising=False)
    return seed_demo()


def demo_programs():
    return Program.objects.filter(tags__slug="demo")


def test_one_account_per_role_printed_with_its_password(seeded):
    users = {user.username: user for user in User.objects.select_related("membership__organization")}
    assert {user.role for user in users.values()} == set(Role.values)
    assert users["expert"].role == Role.COMMITTEE
    assert not users["expert"].is_superuser
    assert users["admin"].role == Role.ADMIN
    assert (users["focal"].role, users["focal"].membership.organization.acronym) == (Role.FOCAL_POINT, "OSCE")
    assert (users["focal-au"].role, users["focal-au"].membership.organization.acronym) == (Role.FOCAL_POINT, "AU")
    assert (users["member"].role, users["member"].membership.organization.acronym) == (Role.MEMBER, "UNODC")
    for username, user in users.items():
        assert user.check_password(DEFAULT_DEMO_PASSWORD)
        assert username in seeded
    assert DEFAULT_DEMO_PASSWORD in seeded


def test_password_from_the_environment(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret-42")
    seed_demo(programs=0)
    assert User.objects.get(username="focal").check_password("another-demo-secret-42")


def test_creates_the_requested_number_of_programs_over_the_reference_organizations(seeded):
    assert demo_programs().count() == N
    assert Organization.objects.count() == 43
    assert demo_programs().values("organization").distinct().count() > 10


def test_programs_are_realistic(seeded):
    known_countries = set(dict(countries))
    for program in demo_programs().prefetch_related("thematic_areas", "regions", "partnerships"):
        assert program.title and program.summary
        assert program.thematic_areas.exists()
        assert program.regions.exists()
        assert set(program.beneficiary_countries) <= known_countries
        assert set(program.funding_states) <= known_countries
        if program.start_date and program.end_date:
            assert program.end_date >= program.start_date
        assert (program.budget is None) == (program.currency == "")
    roles = set(Program.partners.through.objects.values_list("role", flat=True))
    assert {"lead", "partner"} <= roles


def test_every_audience_and_some_drafts(seeded):
    audiences = set(demo_programs().values_list("audience", flat=True))
    assert audiences == set(Audience.values)
    states = list(demo_programs().values_list("state", flat=True))
    assert 0 < states.count(State.DRAFT) < N / 2


def test_shared_with_rows_respect_the_rules(seeded):
    for program in demo_programs().prefetch_related("shared_with"):
        shared = {organization.pk for organization in program.shared_with.all()}
        if program.audience == Audience.SELECTED:
            assert 1 <= len(shared) <= 4
            assert program.organization_id not in shared
        else:
            assert not shared
    # The deferred database guards (a 'selected' record names someone) would fail here if they were violated.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_grants_match_the_records(seeded):
    assert grants_mismatches(Program) == []
    assert all(program.grants.exists() for program in demo_programs())


def test_re_running_adds_nothing(seeded):
    # given
    before = row_counts()
    # when
    output = seed_demo()
    # then
    assert row_counts() == before
    assert "0 created" in output


def test_growing_adds_only_the_missing_programs(seeded):
    seed_demo(programs=N + 5)
    assert demo_programs().count() == N + 5
    assert User.objects.count() == 5


def test_generation_is_deterministic(db):
    seed_demo(programs=10)
    first = list(demo_programs().order_by("id").values_list("title", "audience", "beneficiary_countries"))
    Program.objects.filter(pk__in=demo_programs().values("pk")).delete()
    seed_demo(programs=10)
    assert list(demo_programs().order_by("id").values_list("title", "audience", "beneficiary_countries")) == first


def test_refuses_production_settings(db, settings):
    settings.SETTINGS_MODULE = "portal.settings.production"
    with pytest.raises(CommandError, match="production"):
        seed_demo()
    assert not User.objects.exists()
    assert not Program.objects.exists()
    assert not PointOfContact.objects.exists()
    assert not Demarche.objects.exists()
    assert not Interaction.objects.filter(summary__startswith="Demo interaction").exists()


# --- points of contact, demarches, interactions ------------------------------------------------------------


def demo_contacts():
    return PointOfContact.objects.filter(person__endswith="desk (demo)")


def demo_demarches():
    return Demarche.objects.filter(details__startswith="Demo demarche")


def demo_interactions():
    return Interaction.objects.filter(summary__startswith="Demo interaction")


def test_extras_exist_after_one_run(seeded):
    active = demo_contacts().filter(state=State.SUBMITTED, until__isnull=True)
    with_assistance = active.filter(role=ContactRole.ASSISTANCE).values("organization").distinct().count()
    with_implementation = active.filter(role=ContactRole.IMPLEMENTATION).values("organization").distinct().count()
    assert 15 <= with_assistance <= 28
    assert 0 < with_implementation < with_assistance
    assert demo_contacts().filter(until__isnull=False).exists()  # a former desk: a designation history
    assert demo_contacts().filter(state=State.DRAFT).exists()
    assert set(demo_contacts().values_list("audience", flat=True)) == set(Audience.values)
    assert "Demo points of contact: " in seeded

    assert 10 <= demo_demarches().count() <= 20
    today = timezone.localdate()
    assert demo_demarches().filter(answered_on__isnull=False).exists()
    assert demo_demarches().filter(answered_on__isnull=True, follow_up_due__lt=today).exists()
    assert demo_demarches().filter(answered_on__isnull=True, follow_up_due__gte=today).exists()
    assert set(demo_demarches().values_list("sent_by__username", flat=True)) == {"expert"}

    interactions = demo_interactions()
    assert 40 <= interactions.count() <= 60
    assert set(interactions.values_list("kind", flat=True)) == set(Interaction.Kind.values)
    years = {day.year for day in interactions.values_list("date", flat=True)}
    assert years == set(range(2011, 2026))
    assert 0 < interactions.filter(public=True).count() < interactions.count()
    assert interactions.values("organizations").distinct().count() > 15
    assert not interactions.filter(organizations__isnull=True).exists()


def test_extras_are_made_through_the_services(seeded):
    # The sharing audit and the grant index are written by the services, not by hand.
    for contact in demo_contacts().filter(state=State.SUBMITTED):
        assert contact.grants.exists()
        assert SharingAudit.objects.filter(record_type="contacts.pointofcontact", record_id=contact.pk).exists()
    osce = demo_contacts().get(organization__acronym="OSCE", role=ContactRole.ASSISTANCE, until__isnull=True)
    assert SharingAudit.objects.filter(
        record_type="contacts.pointofcontact", record_id=osce.pk, actor__username="focal"
    ).exists()


def test_extras_are_not_created_twice(seeded):
    before = {"contacts": demo_contacts().count(), "demarches": demo_demarches().count()}
    before["interactions"] = demo_interactions().count()
    output = seed_demo()
    assert demo_counts() == before
    assert "0 created, " + str(before["contacts"]) + " in total" in output


def test_extras_do_not_scale_with_the_number_of_programs(db):
    seed_demo(programs=0)
    few = demo_counts()
    PointOfContact.objects.all().delete()
    Demarche.objects.all().delete()
    demo_interactions().delete()
    seed_demo(programs=N)
    assert demo_counts() == few


def test_grants_check_reports_no_mismatch(seeded):
    out = StringIO()
    call_command("check_grants", stdout=out)
    assert "No mismatches" in out.getvalue()
    assert grants_mismatches(PointOfContact) == []


def test_contacts_respect_the_rules(seeded):
    active = demo_contacts().filter(state=State.SUBMITTED, until__isnull=True)
    pairs = list(active.values_list("organization", "role"))
    assert len(pairs) == len(set(pairs))  # one active contact per organization and role
    for contact in demo_contacts().prefetch_related("shared_with"):
        shared = {organization.pk for organization in contact.shared_with.all()}
        if contact.audience == Audience.SELECTED:
            assert shared
            assert contact.organization_id not in shared
        else:
            assert not shared
        assert "desk" in contact.person  # a role desk, not an invented person
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def test_an_existing_designation_is_left_alone(db):
    # given: OSCE's focal point designated a real assistance contact before the demo data was loaded
    seed_demo(programs=0)
    demo_contacts().filter(organization__acronym="OSCE", role=ContactRole.ASSISTANCE).delete()
    osce = Organization.objects.get(acronym="OSCE")
    PointOfContact.objects.create(organization=osce, role=ContactRole.ASSISTANCE, person="Real desk")
    PointOfContact.objects.filter(person="Real desk").update(state=State.SUBMITTED)
    # when
    output = seed_demo(programs=0)
    # then
    assert not demo_contacts().filter(organization=osce, role=ContactRole.ASSISTANCE, until__isnull=True).exists()
    assert "OSCE assistance contact (already designated)" in output


def test_vocabulary_countries_are_iso_codes():
    known = set(dict(countries))
    for codes in data.COUNTRIES_BY_REGION.values():
        assert set(codes) <= known
    assert set(data.DONOR_STATES) <= known
