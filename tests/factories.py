"""factory_boy factories for every model the tests build."""

import secrets
from datetime import timedelta

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from rest_framework.test import APIClient

from confidentiality.groups import organization_group_name
from confidentiality.models import Audience, State
from confidentiality.services import grants_write
from contacts.models import ContactRole, Demarche, PointOfContact, RegionalCoordinator
from iros import reference_data
from iros.models import Agreement, Event, Interaction, Membership, Organization, Region, ThematicArea
from portal.accounts.models import ApiToken, Role, User
from programs.models import Document, Program, ProgramPartner, Tag

DEFAULT_PASSWORD = "correct-horse-battery-staple"


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"{900 + n % 99:03d}")
    name = factory.Sequence(lambda n: f"Region {n}")


def m49_regions() -> dict[str, Region]:
    """The portal's UN M49 tree (World → continent → sub-region → intermediate region), by code."""
    regions: dict[str, Region] = {}
    for code, name, parent_code in reference_data.REGIONS:
        regions[code] = RegionFactory(
            code=code,
            name=name,
            name_translations=reference_data.REGION_NAMES.get(code, {}),
            parent=regions.get(parent_code),
        )
    return regions


class ThematicAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThematicArea
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"theme-{n}")
    family = ThematicArea.Family.WEAPON
    name = factory.Sequence(lambda n: f"Theme {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        django_get_or_create = ("acronym",)

    acronym = factory.Sequence(lambda n: f"ORG{n}")
    name = factory.LazyAttribute(lambda o: f"Organization {o.acronym}")
    kind = Organization.Kind.REGIONAL
    group = factory.LazyAttribute(lambda o: Group.objects.get_or_create(name=organization_group_name(o.acronym))[0])


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    role = Role.MEMBER
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def organization(self, create, extracted, **kwargs):
        if create and extracted is not None:
            Membership.objects.update_or_create(user=self, defaults={"organization": extracted})
        if create:
            self.save()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)


class ProgramFactory(factory.django.DjangoModelFactory):
    """A program row only: state and audience are set as given, grants are the caller's concern."""

    class Meta:
        model = Program

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Program {n}")
    summary = "A 1540-relevant program."
    status = Program.Status.ONGOING
    state = State.DRAFT
    audience = Audience.COMMITTEE


class ProgramPartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgramPartner

    program = factory.SubFactory(ProgramFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = ProgramPartner.Role.PARTNER


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Tag {n}")
    slug = factory.Sequence(lambda n: f"tag-{n}")


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    program = factory.SubFactory(ProgramFactory)
    title = "Concept note"
    file = factory.django.FileField(filename="note.pdf", data=b"%PDF-1.4 test")
    filename = "note.pdf"
    content_type = "application/pdf"
    size = 13


class PointOfContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PointOfContact

    organization = factory.SubFactory(OrganizationFactory)
    role = ContactRole.ASSISTANCE
    person = factory.Sequence(lambda n: f"Contact Person {n}")
    email = factory.Sequence(lambda n: f"contact{n}@example.org")
    state = State.DRAFT
    audience = Audience.COMMITTEE


class DemarcheFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Demarche

    organization = factory.SubFactory(OrganizationFactory)
    request = Demarche.Request.DESIGNATE_ASSISTANCE
    channel = Demarche.Channel.LETTER
    sent_on = factory.Faker("date_between", start_date="-2y", end_date="-30d")


class RegionalCoordinatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RegionalCoordinator

    host = factory.SubFactory(OrganizationFactory)
    area = factory.Sequence(lambda n: f"Area {n}")
    status = RegionalCoordinator.Status.APPOINTED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    title = factory.Sequence(lambda n: f"Outreach event {n}")
    start_date = factory.Faker("date_between", start_date="-3y", end_date="today")


class AgreementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agreement

    title = factory.Sequence(lambda n: f"Agreement {n}")
    kind = Agreement.Kind.MOU


class InteractionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interaction

    date = factory.Faker("date_between", start_date="-3y", end_date="today")
    kind = Interaction.Kind.MEETING
    summary = factory.Sequence(lambda n: f"Interaction {n}")


# One persona per role, for tests whose users must belong to organizations of their own (the standard cast with
# fixed organizations is tests/world.py).
PERSONAS = ("anonymous", "member", "focal_point", "committee", "admin")


def persona_user(persona: str, organization: Organization | None = None) -> User | None:
    """A user for one of the portal's personas (None for an anonymous visitor); IRO roles get an organization."""
    if persona == "anonymous":
        return None
    role = Role(persona)
    if role in (Role.MEMBER, Role.FOCAL_POINT):
        return UserFactory(role=role, organization=organization or OrganizationFactory())
    return UserFactory(role=role)


# --- the REST API ---------------------------------------------------------------------------------------------


def api_token_for(user: User, *, name: str = "tests", **fields) -> tuple[ApiToken, str]:
    """A usable API token of `user` (unless `fields` say otherwise: `expires_at`, `revoked_at`…) and its key."""
    key = secrets.token_hex(20)
    fields.setdefault("expires_at", timezone.now() + timedelta(days=90))
    token = ApiToken.objects.create(user=user, name=name, key_digest=ApiToken.digest_of(key), **fields)
    return token, key


def api_client_for(user: User | None = None, *, token: bool = True) -> APIClient:
    """A DRF test client acting as `user`: with a new API token of theirs by default, by session otherwise.

    The token's first request also records its first use (`last_used_at`): one more query, once.
    """
    client = APIClient()
    if user is None:
        return client
    if token:
        client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_for(user)[1]}")
    else:
        client.force_login(user)
    return client


def submission_with_grants(factory, *, shared_with=(), **fields):
    """A program or point of contact built by `factory`, its `shared_with` set and its grant index written."""
    record = factory(**fields)
    if shared_with:
        record.shared_with.set(shared_with)
    grants_write(record)
    return record
