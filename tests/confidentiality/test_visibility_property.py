"""Property: `visible_to` returns exactly what the sharing rules say, computed from the records' own fields.

Hypothesis draws organizations, people and records with random states, audiences and selections; a plain-Python
oracle decides from `state`, `audience`, `shared_with` and the owner alone (never from grant rows) who may see
what, and the policy must agree for every viewer and both submission models. Each example runs in a savepoint
that is rolled back, so examples never see each other's rows.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from confidentiality import policies, services
from confidentiality.models import Audience, State
from contacts.models import PointOfContact
from portal.accounts.models import Role
from programs.models import Program
from tests.factories import OrganizationFactory, PointOfContactFactory, ProgramFactory, UserFactory

pytestmark = pytest.mark.django_db

PROPERTY_SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
MODELS = {"program": Program, "contact": PointOfContact}
PERSONAS = ("member", "focal_point", "committee", "admin", "anonymous", "inactive", "orphan")


# --- what is drawn ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonSpec:
    persona: str  # an IRO role, committee, admin, anonymous, inactive (an IRO user), orphan (IRO role, no org)
    organization: int | None


@dataclass(frozen=True)
class RecordSpec:
    kind: str
    owner: int
    state: str
    audience: str
    shared_with: frozenset[int]
    via_service: bool


@st.composite
def people(draw, organization_count: int) -> list[PersonSpec]:
    organizations = st.integers(0, organization_count - 1)
    specs = []
    for persona in draw(st.lists(st.sampled_from(PERSONAS), min_size=1, max_size=6)):
        in_organization = persona in ("member", "focal_point", "inactive")
        specs.append(PersonSpec(persona, draw(organizations) if in_organization else None))
    return specs


@st.composite
def sharing(draw, owner: int, organization_count: int) -> tuple[str, frozenset[int]]:
    """A valid (audience, shared_with): organizations only for `selected`, at least one, never the owner."""
    audience = draw(st.sampled_from(Audience.values))
    if audience != Audience.SELECTED:
        return audience, frozenset()
    others = [index for index in range(organization_count) if index != owner]
    return audience, frozenset(draw(st.sets(st.sampled_from(others), min_size=1)))


@st.composite
def records(draw, organization_count: int) -> list[RecordSpec]:
    specs = []
    for _ in range(draw(st.integers(1, 8))):
        owner = draw(st.integers(0, organization_count - 1))
        audience, shared_with = draw(sharing(owner, organization_count))
        specs.append(
            RecordSpec(
                kind=draw(st.sampled_from(sorted(MODELS))),
                owner=owner,
                state=draw(st.sampled_from(State.values)),
                audience=audience,
                shared_with=shared_with,
                via_service=draw(st.booleans()),
            )
        )
    return specs


@st.composite
def worlds(draw):
    organization_count = draw(st.integers(2, 6))
    return organization_count, draw(people(organization_count)), draw(records(organization_count))


# --- the oracle ---------------------------------------------------------------------------------------------


def oracle_sees(person: PersonSpec, *, owner: int, state: str, audience: str, shared_with) -> bool:
    """The sharing table of CONTRACT.md, from the record's own fields."""
    submitted = state == State.SUBMITTED
    if person.persona in ("anonymous", "inactive", "orphan"):
        return submitted and audience == Audience.PUBLIC
    if person.persona == "admin":
        return True
    if person.persona == "committee":
        return submitted
    if person.organization == owner:
        return True
    if not submitted:
        return False
    if audience in (Audience.PUBLIC, Audience.ALL_IROS):
        return True
    return audience == Audience.SELECTED and person.organization in shared_with


# --- building the world -------------------------------------------------------------------------------------


def _organizations(count: int):
    return [OrganizationFactory(acronym=f"PROP{index}") for index in range(count)]


def _user(person: PersonSpec, organizations):
    if person.persona == "anonymous":
        return None
    if person.persona == "orphan":
        return UserFactory(role=Role.MEMBER)
    if person.persona in ("member", "focal_point", "inactive"):
        role = Role.FOCAL_POINT if person.persona == "focal_point" else Role.MEMBER
        user = UserFactory(role=role, organization=organizations[person.organization])
        if person.persona == "inactive":
            user.is_active = False
            user.save(update_fields=["is_active"])
        return user
    return UserFactory(role=Role(person.persona), is_staff=person.persona == "admin")


def _factory(kind: str):
    if kind == "program":
        return ProgramFactory
    # past designations, so that any number of submitted contacts per organization and role is valid
    return lambda **fields: PointOfContactFactory(until=date(2020, 1, 1), **fields)


def _record(spec: RecordSpec, organizations, admin):
    factory = _factory(spec.kind)
    shared = [organizations[index] for index in sorted(spec.shared_with)]
    if spec.via_service:
        record = factory(organization=organizations[spec.owner], state=State.DRAFT, audience=Audience.COMMITTEE)
        services.grants_write(record)
        return services.submission_change_sharing(
            actor=admin, record=record, state=spec.state, audience=spec.audience, shared_with=shared
        )
    record = factory(organization=organizations[spec.owner], state=spec.state, audience=spec.audience)
    if shared:
        record.shared_with.set(shared)
    services.grants_write(record)
    return record


def _assert_policy_matches_oracle(users, fields_of) -> None:
    """`fields_of` maps (kind, pk) to the fields the oracle reads."""
    for person, user in users:
        for kind, model in MODELS.items():
            expected = {
                pk for (of_kind, pk), fields in fields_of.items() if of_kind == kind and oracle_sees(person, **fields)
            }
            actual = set(policies.visible_to(user, model.objects.all()).values_list("pk", flat=True))
            assert actual == expected, (person, kind)


class _Rollback(Exception):
    """Raised at the end of an example so its savepoint is rolled back."""


def _in_rolled_back_savepoint(body) -> None:
    try:
        with transaction.atomic():
            body()
            raise _Rollback
    except _Rollback:
        pass


# --- the properties -----------------------------------------------------------------------------------------


@PROPERTY_SETTINGS
@given(world=worlds())
def test_visible_to_matches_the_oracle(db, world):
    organization_count, person_specs, record_specs = world

    def body():
        # given
        organizations = _organizations(organization_count)
        admin = UserFactory(role=Role.ADMIN, username="property-admin")
        users = [(person, _user(person, organizations)) for person in person_specs]
        fields_of = {}
        for spec in record_specs:
            # when
            record = _record(spec, organizations, admin)
            fields = {"owner": spec.owner, "state": spec.state, "audience": spec.audience}
            fields_of[spec.kind, record.pk] = {**fields, "shared_with": spec.shared_with}
        # then
        _assert_policy_matches_oracle(users, fields_of)

    _in_rolled_back_savepoint(body)


@st.composite
def change_sequences(draw):
    """Service calls with arbitrary, sometimes invalid, arguments (the service must refuse those cleanly)."""
    organization_count = draw(st.integers(2, 6))
    record_count = draw(st.integers(1, 4))
    owners = [draw(st.integers(0, organization_count - 1)) for _ in range(record_count)]
    kinds = [draw(st.sampled_from(sorted(MODELS))) for _ in range(record_count)]
    calls = []
    for _ in range(draw(st.integers(1, 8))):
        calls.append(
            (
                draw(st.integers(0, record_count - 1)),
                draw(st.none() | st.sampled_from(State.values)),
                draw(st.none() | st.sampled_from(Audience.values)),
                # any organization, the owner included, or "leave as is"
                draw(st.none() | st.sets(st.integers(0, organization_count - 1), max_size=3)),
            )
        )
    return organization_count, owners, kinds, calls


@PROPERTY_SETTINGS
@given(sequence=change_sequences())
def test_any_sequence_of_service_calls_keeps_the_index_exact(db, sequence):
    organization_count, owners, kinds, calls = sequence

    def body():
        # given
        organizations = _organizations(organization_count)
        admin = UserFactory(role=Role.ADMIN, username="property-admin")
        observers = [PersonSpec("member", index) for index in range(organization_count)]
        observers += [PersonSpec("committee", None), PersonSpec("anonymous", None)]
        users = [(person, _user(person, organizations)) for person in observers]
        records = []
        for owner, kind in zip(owners, kinds, strict=True):
            record = _factory(kind)(organization=organizations[owner], state=State.DRAFT, audience=Audience.COMMITTEE)
            services.grants_write(record)
            records.append(record)

        # when
        for index, state, audience, shared in calls:
            shared_with = None if shared is None else [organizations[i] for i in sorted(shared)]
            # an invalid call is refused and writes nothing (the service's own savepoint rolls back)
            with contextlib.suppress(ValidationError):
                services.submission_change_sharing(
                    actor=admin, record=records[index], state=state, audience=audience, shared_with=shared_with
                )

        # then: the index is exactly what the fields call for, and so is what everyone sees
        for model in MODELS.values():
            assert services.grants_mismatches(model) == []
        fields_of = {}
        for kind, owner, record in zip(kinds, owners, records, strict=True):
            record.refresh_from_db()
            shared_indexes = frozenset(organizations.index(org) for org in record.shared_with.all())
            assert bool(shared_indexes) == (record.audience == Audience.SELECTED)
            assert owner not in shared_indexes
            fields = {"owner": owner, "state": record.state, "audience": record.audience}
            fields_of[kind, record.pk] = {**fields, "shared_with": shared_indexes}
        _assert_policy_matches_oracle(users, fields_of)

    _in_rolled_back_savepoint(body)
