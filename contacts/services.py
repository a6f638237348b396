"""Writing points of contact and demarches. Sharing goes through `confidentiality.services`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import Audience, State
from confidentiality.services import grants_write, submission_change_sharing
from contacts.models import Demarche, PointOfContact
from iros.models import Organization
from portal.kernel.arguments import reject_unknown_fields
from portal.kernel.locking import lock_for_update

CONTACT_FIELDS = ("role", "person", "title", "email", "phone", "since", "until", "external_key")
DEMARCHE_FIELDS = ("request", "details", "channel", "sent_on", "follow_up_due", "answered_on", "outcome")


# The field each model constraint is about, so a broken one is reported next to that field (the date rule
# needs none: `PointOfContact.clean()` reports it on `until`).
CONSTRAINT_FIELDS = {"contact_one_active_per_role": "role", "contact_external_key_unique": "external_key"}


def _constraint_error(error: ValidationError) -> ValidationError:
    messages = {
        str(constraint.get_violation_error_message()): CONSTRAINT_FIELDS[constraint.name]
        for constraint in PointOfContact._meta.constraints
        if constraint.name in CONSTRAINT_FIELDS
    }
    keyed: dict[str, list] = {}
    for field, field_errors in error.message_dict.items():
        for message in field_errors:
            keyed.setdefault(messages.get(message, field) if field == "__all__" else field, []).append(message)
    return ValidationError(keyed)


def _contact_save(contact: PointOfContact) -> None:
    # full_clean checks the model's constraints too: one active contact per role, end not before start.
    try:
        contact.full_clean(exclude=["shared_with"])
    except ValidationError as error:
        raise _constraint_error(error) from None
    contact.save()


def _contact_share(*, actor, contact: PointOfContact, **sharing) -> PointOfContact:
    # Submitting can break "one active contact per role" too.
    try:
        return submission_change_sharing(actor=actor, record=contact, **sharing)
    except ValidationError as error:
        raise _constraint_error(error) from None


@transaction.atomic
def contact_create(
    *,
    actor,
    organization: Organization,
    role: str,
    person: str,
    title: str = "",
    email: str = "",
    phone: str = "",
    since: date | None = None,
    until: date | None = None,
    external_key: str = "",
    state: str = State.DRAFT,
    audience: str = Audience.COMMITTEE,
    shared_with: Iterable = (),
) -> PointOfContact:
    if not policies.can_create_submission(actor, organization):
        raise PermissionDenied(_("You may designate contacts only for your own organization."))
    contact = PointOfContact(
        organization=organization,
        role=role,
        person=person,
        title=title,
        email=email,
        phone=phone,
        since=since,
        until=until,
        external_key=external_key,
    )
    _contact_save(contact)
    grants_write(contact)
    shared_with = list(shared_with)
    if state != State.DRAFT or audience != Audience.COMMITTEE or shared_with:
        contact = _contact_share(actor=actor, contact=contact, state=state, audience=audience, shared_with=shared_with)
    return contact


@transaction.atomic
def contact_update(
    *,
    actor,
    contact: PointOfContact,
    state: str | None = None,
    audience: str | None = None,
    shared_with: Iterable | None = None,
    **fields,
) -> PointOfContact:
    reject_unknown_fields(fields, CONTACT_FIELDS)
    contact = lock_for_update(
        contact, actor=actor, allowed=policies.can_edit, message=_("You may not change this contact.")
    )
    for name, value in fields.items():
        setattr(contact, name, value)
    _contact_save(contact)
    if state is not None or audience is not None or shared_with is not None:
        contact = _contact_share(actor=actor, contact=contact, state=state, audience=audience, shared_with=shared_with)
    return contact


@transaction.atomic
def contact_delete(*, actor, contact: PointOfContact) -> None:
    contact = lock_for_update(
        contact, actor=actor, allowed=policies.can_delete, message=_("You may not delete this contact.")
    )
    contact.delete()


@transaction.atomic
def demarche_create(*, actor, organization: Organization, **fields) -> Demarche:
    if not policies.can_record_committee_work(actor):
        raise PermissionDenied(_("Only Committee experts record demarches."))
    reject_unknown_fields(fields, DEMARCHE_FIELDS)
    demarche = Demarche(organization=organization, sent_by=actor, **fields)
    demarche.full_clean()
    demarche.save()
    return demarche


@transaction.atomic
def demarche_update(*, actor, demarche: Demarche, **fields) -> Demarche:
    reject_unknown_fields(fields, DEMARCHE_FIELDS)
    demarche = lock_for_update(
        demarche, actor=actor, allowed=policies.can_edit, message=_("Only Committee experts record demarches.")
    )
    for name, value in fields.items():
        setattr(demarche, name, value)
    demarche.full_clean()
    demarche.save()
    return demarche
