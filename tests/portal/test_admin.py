import pytest
from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from confidentiality.models import Audience, SharingAudit, State
from contacts.models import PointOfContact, PointOfContactGrant
from iros.models import Membership, Organization
from portal.accounts.models import Role, User
from portal.imports.models import ImportJob
from programs.models import Program, ProgramGrant
from tests.factories import (
    AgreementFactory,
    DemarcheFactory,
    DocumentFactory,
    EventFactory,
    InteractionFactory,
    OrganizationFactory,
    PointOfContactFactory,
    ProgramFactory,
    ProgramPartnerFactory,
    RegionalCoordinatorFactory,
    RegionFactory,
    TagFactory,
    ThematicAreaFactory,
    UserFactory,
    api_token_for,
)

pytestmark = pytest.mark.django_db

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
AUDIENCE_FIELDS = ("state", "audience", "shared_with")


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def portal_admin():
    return UserFactory(username="root", role=Role.ADMIN, is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, portal_admin):
    client.force_login(portal_admin)
    return client


@pytest.fixture
def data(portal_admin):
    return build_data(portal_admin, owner_acronym="OSCE", other_acronym="AU")


def build_data(portal_admin, *, owner_acronym: str, other_acronym: str) -> dict:
    """One row (at least) for every registered model."""
    region = RegionFactory()
    theme = ThematicAreaFactory()
    owner = OrganizationFactory(acronym=owner_acronym)
    other = OrganizationFactory(acronym=other_acronym)
    owner.regions.add(region)
    owner.mandate_areas.add(theme)
    focal_point = UserFactory(role=Role.FOCAL_POINT, organization=owner)
    program = ProgramFactory(organization=owner, state=State.SUBMITTED, audience=Audience.SELECTED)
    program.shared_with.add(other)
    program.thematic_areas.add(theme)
    ProgramPartnerFactory(program=program, organization=other)
    DocumentFactory(program=program, uploaded_by=focal_point)
    contact = PointOfContactFactory(organization=owner, state=State.SUBMITTED, audience=Audience.PUBLIC)
    view_program = Permission.objects.get(codename="view_program")
    view_contact = Permission.objects.get(codename="view_pointofcontact")
    ProgramGrant.objects.create(group=other.group, permission=view_program, content_object=program)
    PointOfContactGrant.objects.create(
        group=Group.objects.get_or_create(name="portal:public")[0], permission=view_contact, content_object=contact
    )
    SharingAudit.objects.create(
        record_type="programs.program",
        record_id=program.pk,
        organization=owner,
        actor=focal_point,
        action=SharingAudit.Action.CHANGE_AUDIENCE,
        old_state=State.SUBMITTED,
        new_state=State.SUBMITTED,
        old_audience=Audience.COMMITTEE,
        new_audience=Audience.SELECTED,
        new_shared_with=[other_acronym],
    )
    event = EventFactory(region=region)
    event.participants.add(owner)
    agreement = AgreementFactory()
    agreement.parties.add(owner)
    interaction = InteractionFactory(event=event, program=program, agreement=agreement, recorded_by=portal_admin)
    interaction.organizations.add(owner, other)
    DemarcheFactory(organization=other, sent_by=portal_admin)
    RegionalCoordinatorFactory(host=owner)
    TagFactory()
    api_token_for(focal_point)
    ImportJob.objects.create(
        kind="programs", organization=owner, created_by=focal_point, filename="programs.csv", inline=True
    )
    return {"program": program, "contact": contact, "owner": owner, "other": other, "focal_point": focal_point}


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_changelist_renders_with_data(model, admin_client, data):
    response = admin_client.get(admin_url(model, "changelist"))

    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_changelist_queries_do_not_grow_with_rows(model, admin_client, portal_admin, data):
    url = admin_url(model, "changelist")
    with CaptureQueriesContext(connection) as one_set:
        admin_client.get(url)
    build_data(portal_admin, owner_acronym="UNODC", other_acronym="WCO")

    with CaptureQueriesContext(connection) as two_sets:
        admin_client.get(url)

    assert len(two_sets) == len(one_set), [q["sql"] for q in two_sets.captured_queries]


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_change_page_renders(model, admin_client, data):
    obj = model._default_manager.first()

    response = admin_client.get(admin_url(model, "change", obj.pk))

    assert response.status_code == 200


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_add_page_renders_or_is_refused_for_read_only_tables(model, admin_client, rf, portal_admin):
    request = rf.get("/")
    request.user = portal_admin
    can_add = admin.site._registry[model].has_add_permission(request)

    response = admin_client.get(admin_url(model, "add"))

    assert response.status_code == (200 if can_add else 403)


def test_the_changelists_search_and_filter(admin_client, data):
    assert admin_client.get(admin_url(Program, "changelist"), {"q": "OSCE", "audience": "selected"}).status_code == 200
    assert admin_client.get(admin_url(User, "changelist"), {"q": "OSCE", "role": "focal_point"}).status_code == 200


@pytest.mark.parametrize("model", [ProgramGrant, PointOfContactGrant, SharingAudit])
def test_grant_tables_and_the_audit_are_read_only(model, admin_client, data):
    obj = model._default_manager.first()

    assert admin_client.get(admin_url(model, "add")).status_code == 403
    assert admin_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"}).status_code == 403
    change_page = admin_client.get(admin_url(model, "change", obj.pk))
    assert change_page.status_code == 200
    assert not change_page.context["has_change_permission"]
    assert model._default_manager.filter(pk=obj.pk).exists()


@pytest.mark.parametrize(("model", "key"), [(Program, "program"), (PointOfContact, "contact")])
def test_audience_fields_are_read_only(model, key, admin_client, data):
    response = admin_client.get(admin_url(model, "change", data[key].pk))

    form = response.context["adminform"].form
    for name in AUDIENCE_FIELDS:
        assert name not in form.fields
        assert f'name="{name}"' not in response.content.decode()
    assert "organization" not in form.fields


def test_saving_a_program_in_the_admin_keeps_its_audience(admin_client, data):
    program = data["program"]
    url = admin_url(Program, "change", program.pk)
    payload = {
        "title": "Renamed",
        "summary": program.summary,
        "status": Program.Status.COMPLETED,
        "currency": "",
        "beneficiary_countries": "",
        "funding_states": "",
        "thematic_areas": [],
        "regions": [],
        "tags": [],
        # Attempts the admin must ignore.
        "state": State.DRAFT,
        "audience": Audience.PUBLIC,
        "organization": data["other"].pk,
        "partnerships-TOTAL_FORMS": "0",
        "partnerships-INITIAL_FORMS": "0",
        "documents-TOTAL_FORMS": "1",
        "documents-INITIAL_FORMS": "1",
        "documents-0-id": program.documents.get().pk,
        "documents-0-program": program.pk,
        "documents-0-title": "Concept note",
    }

    response = admin_client.post(url, payload)

    assert response.status_code == 302, response.context["adminform"].form.errors
    program.refresh_from_db()
    assert program.title == "Renamed"
    assert program.state == State.SUBMITTED
    assert program.audience == Audience.SELECTED
    assert program.organization == data["owner"]
    assert list(program.shared_with.all()) == [data["other"]]


def test_history_is_viewable_but_cannot_be_reverted(admin_client, data):
    program = data["program"]
    version = program.history.first()

    assert admin_client.get(admin_url(Program, "history", program.pk)).status_code == 200
    url = reverse("admin:programs_program_simple_history", args=[program.pk, version.history_id])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {"title": "Reverted"}).status_code == 403


@pytest.mark.parametrize("object_id", ["abc", "%00", "-1.5"])
def test_the_history_of_an_id_that_is_no_number_is_404(admin_client, object_id):
    # simple_history queried the id as given, and the database refused it: a 500.
    url = admin_url(Program, "history", "1").replace("/1/", f"/{object_id}/")
    assert admin_client.get(url).status_code == 404


def test_adding_an_organization_gives_it_an_access_group(admin_client):
    response = admin_client.post(
        admin_url(Organization, "add"),
        {
            "acronym": "CARICOM",
            "name": "Caribbean Community",
            "kind": Organization.Kind.REGIONAL,
            "member_states": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "contacts_pointofcontact_owned-TOTAL_FORMS": "0",
            "contacts_pointofcontact_owned-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    organization = Organization.objects.get(acronym="CARICOM")
    assert organization.group.name == "iro:CARICOM"


def user_add_payload(**overrides) -> dict:
    return {
        "username": "newcomer",
        "email": "newcomer@example.org",
        "usable_password": "true",
        "password1": "a-long-unusual-passphrase-1540",
        "password2": "a-long-unusual-passphrase-1540",
        **overrides,
    }


def test_adding_a_focal_point_in_the_admin_creates_its_membership(admin_client, data):
    response = admin_client.post(
        admin_url(User, "add"), user_add_payload(role=Role.FOCAL_POINT, organization=data["owner"].pk)
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newcomer")
    assert user.membership.organization == data["owner"]
    assert not user.is_staff


def test_adding_an_administrator_in_the_admin_gives_admin_access(admin_client):
    response = admin_client.post(admin_url(User, "add"), user_add_payload(role=Role.ADMIN))

    assert response.status_code == 302, response.context["adminform"].form.errors
    user = User.objects.get(username="newcomer")
    assert user.is_staff
    assert user.is_superuser


@pytest.mark.parametrize(("role", "with_org"), [(Role.COMMITTEE, True), (Role.MEMBER, False)])
def test_the_user_admin_refuses_a_role_organization_mismatch(role, with_org, admin_client, data):
    payload = user_add_payload(role=role)
    if with_org:
        payload["organization"] = data["owner"].pk
    before = (User.objects.count(), Membership.objects.count())

    response = admin_client.post(admin_url(User, "add"), payload)

    assert response.status_code == 200
    assert "organization" in response.context["adminform"].form.errors
    assert (User.objects.count(), Membership.objects.count()) == before


def test_changing_a_users_role_in_the_admin_goes_through_the_service(admin_client, data):
    user = data["focal_point"]
    shown = admin_client.get(admin_url(User, "change", user.pk)).context["adminform"].form
    assert shown.fields["organization"].initial == data["owner"].pk

    response = admin_client.post(
        admin_url(User, "change", user.pk),
        {
            "username": user.username,
            "email": user.email,
            "first_name": "",
            "last_name": "",
            "role": Role.COMMITTEE,
            "organization": "",
            "is_active": "on",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    user.refresh_from_db()
    assert user.role == Role.COMMITTEE
    assert not Membership.objects.filter(user=user).exists()
    assert not user.is_superuser


def test_an_administrator_cannot_demote_themselves_in_the_admin(admin_client, portal_admin):
    response = admin_client.get(admin_url(User, "change", portal_admin.pk))

    form = response.context["adminform"].form
    assert "role" not in form.fields
    assert "is_active" not in form.fields


def test_the_deactivate_action(admin_client, data):
    user = data["focal_point"]

    response = admin_client.post(
        admin_url(User, "changelist"), {"action": "deactivate_users", "_selected_action": [user.pk]}
    )

    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.is_active


def test_a_membership_cannot_attach_a_committee_expert_to_an_organization(admin_client, data):
    expert = UserFactory(role=Role.COMMITTEE)
    organization = data["other"]

    response = admin_client.post(
        admin_url(Organization, "change", organization.pk),
        {
            "name": organization.name,
            "kind": organization.kind,
            "member_states": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": expert.pk,
            "memberships-0-organization": organization.pk,
            "contacts_pointofcontact_owned-TOTAL_FORMS": "0",
            "contacts_pointofcontact_owned-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 200
    assert "only focal points and members belong to an organization" in response.content.decode()
    assert not Membership.objects.filter(user=expert).exists()


@pytest.mark.parametrize("role", [Role.COMMITTEE, Role.FOCAL_POINT, Role.MEMBER])
def test_non_administrators_get_no_admin_access(role, client):
    organization = OrganizationFactory() if role != Role.COMMITTEE else None
    client.force_login(UserFactory(role=role, organization=organization))

    for url in (reverse("admin:index"), admin_url(Program, "changelist"), admin_url(User, "changelist")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(reverse("admin:index"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_a_program_added_in_the_admin_is_an_indexed_draft(admin_client, data):
    owner = data["owner"]

    response = admin_client.post(
        admin_url(Program, "add"),
        {
            "organization": owner.pk,
            "title": "Border controls",
            "summary": "",
            "status": Program.Status.PLANNED,
            "currency": "",
            "beneficiary_countries": "",
            "funding_states": "",
            "audience": Audience.PUBLIC,
            "partnerships-TOTAL_FORMS": "0",
            "partnerships-INITIAL_FORMS": "0",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    program = Program.objects.get(title="Border controls")
    assert (program.state, program.audience) == (State.DRAFT, Audience.COMMITTEE)
    grants = set(ProgramGrant.objects.filter(content_object=program).values_list("group_id", "permission__codename"))
    assert grants == {(owner.group_id, f"{action}_program") for action in ("view", "change", "delete")}


def test_a_contact_added_on_the_organization_page_is_an_indexed_draft(admin_client, data):
    organization = data["other"]

    response = admin_client.post(
        admin_url(Organization, "change", organization.pk),
        {
            "name": organization.name,
            "kind": organization.kind,
            "member_states": "",
            "memberships-TOTAL_FORMS": "0",
            "memberships-INITIAL_FORMS": "0",
            "contacts_pointofcontact_owned-TOTAL_FORMS": "1",
            "contacts_pointofcontact_owned-INITIAL_FORMS": "0",
            "contacts_pointofcontact_owned-0-role": "implementation",
            "contacts_pointofcontact_owned-0-person": "Jane Doe",
            "contacts_pointofcontact_owned-0-organization": organization.pk,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    contact = PointOfContact.objects.get(person="Jane Doe")
    assert contact.state == State.DRAFT
    assert set(PointOfContactGrant.objects.filter(content_object=contact).values_list("group_id", flat=True)) == {
        organization.group_id
    }


def test_deleting_a_program_in_the_admin_removes_its_stored_files(
    admin_client, data, django_capture_on_commit_callbacks
):
    program = data["program"]
    document = program.documents.get()
    storage = document.file.storage
    assert storage.exists(document.file.name)

    with django_capture_on_commit_callbacks(execute=True):  # files go once the deletion commits
        response = admin_client.post(admin_url(Program, "delete", program.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not Program.objects.filter(pk=program.pk).exists()
    assert not storage.exists(document.file.name)


def test_removing_a_document_on_the_program_page_removes_its_file(
    admin_client, data, django_capture_on_commit_callbacks
):
    program = data["program"]
    document = program.documents.get()
    storage = document.file.storage

    with django_capture_on_commit_callbacks(execute=True):  # the file goes once the deletion commits
        response = admin_client.post(
            admin_url(Program, "change", program.pk),
            {
                "title": program.title,
                "summary": program.summary,
                "status": program.status,
                "currency": "",
                "beneficiary_countries": "",
                "funding_states": "",
                "partnerships-TOTAL_FORMS": "0",
                "partnerships-INITIAL_FORMS": "0",
                "documents-TOTAL_FORMS": "1",
                "documents-INITIAL_FORMS": "1",
                "documents-0-id": document.pk,
                "documents-0-program": program.pk,
                "documents-0-title": document.title,
                "documents-0-DELETE": "on",
            },
        )

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert not program.documents.exists()
    assert not storage.exists(document.file.name)


def test_deleting_a_contact_takes_its_grants_along(admin_client, data):
    contact = data["contact"]

    response = admin_client.post(admin_url(PointOfContact, "delete", contact.pk), {"post": "yes"})

    assert response.status_code == 302
    assert not PointOfContact.objects.filter(pk=contact.pk).exists()
    assert not PointOfContactGrant.objects.filter(content_object_id=contact.pk).exists()


def test_the_admin_password_change_uses_the_portal_template_and_works(admin_client, portal_admin):
    # templates/registration/ overrides the admin's own password pages; the form posts back to itself.
    url = reverse("admin:password_change")
    assert admin_client.get(url).status_code == 200

    response = admin_client.post(
        url,
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "a-long-unusual-passphrase-1540",
            "new_password2": "a-long-unusual-passphrase-1540",
        },
    )

    assert response.status_code == 302
    portal_admin.refresh_from_db()
    assert portal_admin.check_password("a-long-unusual-passphrase-1540")
    assert admin_client.get(response.url).status_code == 200
