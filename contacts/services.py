"""Writing points of contact and demarches. Sharing goes through `confidentiality.services`."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.models import Audience, State
from confidentiality.services import grants_write, submission_change_sharing
from contacts.models import Demarche, PointOfContact
from iros.models import Organization
from portal.kernel.arguments import reject_unknown_fields
from portal.kernel.locking import lock_for_update
from portal.notifications.models import Notification
from portal.notifications.services import notifications_for_committee

CONTACT_FIELDS = ("role", "person", "title", "email", "phone", "since", "until", "external_key")
DEMARCHE_FIELDS = ("request", "details", "channel", "sent_on", "follow_up_due", "answered_on", "outcome")
# What a replacement asks about the successor: the role, the organization and the standing are the predecessor's.
SUCCESSOR_FIELDS = ("person", "title", "email", "phone", "since")
# The edit history's note on a designation ended by a replacement.
REPLACED_REASON = "replaced"


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
    if contact.is_standing:
        _demarches_answer_by_designation(actor=actor, contact=contact)
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
    was_standing = contact.is_standing
    for name, value in fields.items():
        setattr(contact, name, value)
    _contact_save(contact)
    if state is not None or audience is not None or shared_with is not None:
        contact = _contact_share(actor=actor, contact=contact, state=state, audience=audience, shared_with=shared_with)
    if contact.is_standing and not was_standing:
        _demarches_answer_by_designation(actor=actor, contact=contact)
    return contact


@transaction.atomic
def contact_submit(*, actor, contact: PointOfContact) -> PointOfContact:
    """Submit a draft: it designates the contact, which answers the demarches asking for that designation."""
    contact = _contact_share(actor=actor, contact=contact, state=State.SUBMITTED)
    if contact.is_standing:
        _demarches_answer_by_designation(actor=actor, contact=contact)
    return contact


@transaction.atomic
def contact_replace(
    *,
    actor,
    contact: PointOfContact,
    until: date,
    successor: PointOfContact | None = None,
    audience: str | None = None,
    shared_with: Iterable | None = None,
    **fields,
) -> PointOfContact:
    """Hand a standing designation over in one step: end `contact`'s on `until` and designate its successor for
    the same organization and role — a new contact from `fields`, or the draft `successor` updated with them.

    One transaction: the predecessor's end is in its edit history, the successor's designation in the sharing
    audit (submitted) and its history; either both happen or neither. The successor's details keep the
    predecessor's audience unless another is given. Returns the successor.
    """
    reject_unknown_fields(fields, SUCCESSOR_FIELDS)
    contact = lock_for_update(
        contact,
        actor=actor,
        allowed=policies.can_change_sharing,
        message=_("Only a focal point of the organization may replace its point of contact."),
    )
    if not contact.is_standing:
        raise ValidationError({"until": _("Only a standing designation can be replaced; this one is not.")})
    since = fields.get("since") or until
    if since < until:
        raise ValidationError(
            {"since": _("The successor cannot be designated before the designation it replaces ends.")}
        )
    fields["since"] = since
    if audience is None:
        audience = contact.audience
        if shared_with is None:
            shared_with = list(contact.shared_with.all())
    shared_with = list(shared_with or [])

    contact.until = until
    contact._change_reason = REPLACED_REASON
    _contact_save(contact)

    if successor is None:
        return contact_create(
            actor=actor,
            organization=contact.organization,
            role=contact.role,
            state=State.SUBMITTED,
            audience=audience,
            shared_with=shared_with,
            **fields,
        )
    if successor.organization_id != contact.organization_id or successor.state != State.DRAFT:
        raise ValidationError(_("Only a draft of the same organization can succeed this contact."))
    return contact_update(
        actor=actor,
        contact=successor,
        role=contact.role,
        until=None,
        state=State.SUBMITTED,
        audience=audience,
        shared_with=shared_with,
        **fields,
    )


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


# --- the organization answers ---------------------------------------------------------------------------------


def _may_answer(actor, demarche: Demarche) -> bool:
    return policies.policy_for(Demarche).can_answer(policies.viewer_for(actor), demarche)


def _demarche_answered(demarche: Demarche, *, actor, on: date) -> None:
    demarche.answered_on = on
    demarche.answered_by = actor if getattr(actor, "pk", None) else None
    demarche.full_clean()
    demarche.save()
    # The Committee learns of it in the portal (and the demarche log shows it).
    notifications_for_committee(kind=Notification.Kind.DEMARCHE_ANSWERED, record=demarche)


@transaction.atomic
def demarche_answer(
    *, actor, demarche: Demarche, reply: str = "", designation: PointOfContact | None = None
) -> Demarche:
    """The organization's answer to an open demarche, by one of its focal points (or an administrator): a reply,
    or — to a designation request — its standing point of contact for the role asked for. Either answers the
    demarche today; the Committee is notified and records its own outcome (or reopens it) on its form."""
    demarche = lock_for_update(
        demarche,
        actor=actor,
        allowed=_may_answer,
        message=_("Only a focal point of the organization answers an open demarche."),
    )
    reply = reply.strip()
    if designation is not None:
        role = demarche.requested_role
        if role is None:
            raise ValidationError({"designation": _("This demarche does not ask for a point of contact.")})
        if not (
            designation.organization_id == demarche.organization_id
            and designation.role == role
            and designation.is_standing
        ):
            raise ValidationError(
                {"designation": _("Answer with the organization's standing point of contact for the role asked for.")}
            )
        demarche.designation = designation
    elif not reply:
        raise ValidationError({"reply": _("Write the reply, or answer by designating a point of contact.")})
    demarche.reply = reply
    _demarche_answered(demarche, actor=actor, on=timezone.localdate())
    return demarche


def _demarches_answer_by_designation(*, actor, contact: PointOfContact) -> list[Demarche]:
    """A contact newly designated answers the open demarches that asked its organization for that role (those
    sent by today), in the caller's transaction."""
    today = timezone.localdate()
    open_requests = Demarche.objects.select_for_update().filter(
        organization_id=contact.organization_id,
        request__in=Demarche.requests_for_role(contact.role),
        answered_on__isnull=True,
        sent_on__lte=today,
    )
    answered = []
    for demarche in open_requests.order_by("pk"):
        demarche.designation = contact
        _demarche_answered(demarche, actor=actor, on=today)
        answered.append(demarche)
    return answered
