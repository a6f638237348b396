"""Writing organizations, outreach events, agreements and the Committee's interactions with IROs (the IGO tables)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from confidentiality import policies
from confidentiality.services import organization_group_ensure
from iros.models import Agreement, Event, Interaction, Organization, Region, ThematicArea
from iros.selectors import may_change_identity
from portal.kernel.arguments import country_codes, records_by_code, reject_unknown_fields
from portal.kernel.locking import lock_for_update
from programs.models import Program

# What a focal point may change on its own organization's profile; administrators change the rest too.
ORGANIZATION_PROFILE_FIELDS = ("seat", "website", "description")
ORGANIZATION_ADMIN_FIELDS = ("name", "kind")
EVENT_FIELDS = (
    "title",
    "start_date",
    "end_date",
    "place",
    "country",
    "organizer",
    "theme",
    "attendance_count",
    "description",
    "external_key",
)
AGREEMENT_FIELDS = ("title", "kind", "committee_is_party", "signed_on", "signed_on_precision", "summary")
INTERACTION_FIELDS = (
    "date",
    "date_precision",
    "kind",
    "summary",
    "outcome",
    "follow_up",
    "follow_up_due",
    "public",
    "external_key",
)


def _organizations(acronyms: Iterable, error_field: str) -> list[Organization]:
    return records_by_code(
        Organization,
        acronyms,
        error_field=error_field,
        field="acronym",
        unknown_message=_("Unknown organizations: %(codes)s."),
    )


def _involved(acronyms: Iterable[str], error_field: str) -> list[Organization]:
    """An agreement's parties, an interaction's organizations: at least one."""
    involved = _organizations(acronyms, error_field)
    if not involved:
        raise ValidationError({error_field: _("Name at least one organization.")})
    return involved


def _committee_only(model) -> str:
    return _("Only Committee experts and administrators record %(records)s.") % {
        "records": model._meta.verbose_name_plural
    }


def _committee_record_locked(record, *, actor, allowed):
    """Events, agreements and interactions: the Committee's records, one refusal for all."""
    return lock_for_update(record, actor=actor, allowed=allowed, message=_committee_only(type(record)))


# --- organizations ------------------------------------------------------------------------------------------


@transaction.atomic
def organization_create(
    *,
    actor,
    acronym: str,
    name: str,
    kind: str,
    seat: str = "",
    website: str = "",
    description: str = "",
    regions: Iterable[str] = (),
    mandate_areas: Iterable[str] = (),
    member_states: Iterable[str] = (),
) -> Organization:
    if not policies.can_create(actor, Organization):
        raise PermissionDenied(_("Only administrators add organizations."))

    organization = Organization(
        acronym=acronym,
        name=name,
        kind=kind,
        seat=seat,
        website=website,
        description=description,
        member_states=country_codes(member_states, error_field="member_states"),
    )
    organization.full_clean()
    organization.save()
    organization.regions.set(records_by_code(Region, regions, error_field="regions"))
    organization.mandate_areas.set(records_by_code(ThematicArea, mandate_areas, error_field="mandate_areas"))
    organization_group_ensure(organization)
    return organization


def _may_update_organization(user, organization: Organization, *, fields: dict) -> bool:
    if not policies.can_edit(user, organization):
        return False
    renamed = any(name in fields and fields[name] != getattr(organization, name) for name in ORGANIZATION_ADMIN_FIELDS)
    return not renamed or may_change_identity(user, organization)


@transaction.atomic
def organization_update(
    *,
    actor,
    organization: Organization,
    regions: Iterable[str] | None = None,
    mandate_areas: Iterable[str] | None = None,
    member_states: Iterable[str] | None = None,
    **fields,
) -> Organization:
    """A focal point changes its own organization's profile; administrators also its name and kind.

    The acronym never changes: it names the organization in URLs, in the API and in its auth Group.
    """
    reject_unknown_fields(fields, ORGANIZATION_PROFILE_FIELDS + ORGANIZATION_ADMIN_FIELDS)
    organization = lock_for_update(
        organization,
        actor=actor,
        allowed=partial(_may_update_organization, fields=fields),
        message=_("Focal points change their organization's profile; only administrators change its name and kind."),
    )
    for name, value in fields.items():
        setattr(organization, name, value)
    if member_states is not None:
        organization.member_states = country_codes(member_states, error_field="member_states")
    organization.full_clean()
    organization.save()
    if regions is not None:
        organization.regions.set(records_by_code(Region, regions, error_field="regions"))
    if mandate_areas is not None:
        organization.mandate_areas.set(records_by_code(ThematicArea, mandate_areas, error_field="mandate_areas"))
    return organization


# --- events -------------------------------------------------------------------------------------------------


def _event_relations(event: Event, *, thematic_areas, participants) -> None:
    if thematic_areas is not None:
        event.thematic_areas.set(records_by_code(ThematicArea, thematic_areas, error_field="thematic_areas"))
    if participants is not None:
        event.participants.set(_organizations(participants, "participants"))


def _event_region(region) -> Region | None:
    if region is None or isinstance(region, Region):
        return region
    return records_by_code(Region, [region], error_field="region")[0]


@transaction.atomic
def event_create(
    *,
    actor,
    region: str | Region | None = None,
    thematic_areas: Iterable[str] = (),
    participants: Iterable[str] = (),
    **fields,
) -> Event:
    if not policies.can_record_committee_work(actor):
        raise PermissionDenied(_committee_only(Event))
    reject_unknown_fields(fields, EVENT_FIELDS)
    if fields.get("country"):
        fields["country"] = country_codes([fields["country"]], error_field="country")[0]
    event = Event(region=_event_region(region), **fields)
    event.full_clean()
    event.save()
    _event_relations(event, thematic_areas=thematic_areas, participants=participants)
    event.check_attendance(event.participants.count())
    return event


_UNSET = object()


@transaction.atomic
def event_update(
    *,
    actor,
    event: Event,
    region=_UNSET,
    thematic_areas: Iterable[str] | None = None,
    participants: Iterable[str] | None = None,
    **fields,
) -> Event:
    reject_unknown_fields(fields, EVENT_FIELDS)
    event = _committee_record_locked(event, actor=actor, allowed=policies.can_edit)
    if fields.get("country"):
        fields["country"] = country_codes([fields["country"]], error_field="country")[0]
    for name, value in fields.items():
        setattr(event, name, value)
    if region is not _UNSET:
        event.region = _event_region(region)
    event.full_clean()
    event.save()
    _event_relations(event, thematic_areas=thematic_areas, participants=participants)
    # After the relations: a count lowered alone is judged against the participants already named.
    event.check_attendance(event.participants.count())
    return event


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    event = _committee_record_locked(event, actor=actor, allowed=policies.can_delete)
    event.delete()


# --- agreements -----------------------------------------------------------------------------------------------


@transaction.atomic
def agreement_create(*, actor, parties: Iterable[str], **fields) -> Agreement:
    """Record an agreement between IROs (and the Committee): Committee experts and administrators only."""
    if not policies.can_record_committee_work(actor):
        raise PermissionDenied(_committee_only(Agreement))
    reject_unknown_fields(fields, AGREEMENT_FIELDS)
    involved = _involved(parties, "parties")
    agreement = Agreement(**fields)
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(involved)
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, parties: Iterable[str] | None = None, **fields) -> Agreement:
    reject_unknown_fields(fields, AGREEMENT_FIELDS)
    involved = None if parties is None else _involved(parties, "parties")
    agreement = _committee_record_locked(agreement, actor=actor, allowed=policies.can_edit)
    for name, value in fields.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    if involved is not None:
        agreement.parties.set(involved)
    return agreement


# --- interactions (the IGO tables) --------------------------------------------------------------------------


def _visible_or_unknown(actor, queryset, pk, error_field: str, label: str):
    """A linked record the actor may see; a hidden one reads exactly like a missing one."""
    if pk is None:
        return None
    record = policies.visible_to(actor, queryset.filter(pk=pk)).first()
    if record is None:
        raise ValidationError({error_field: _("Unknown %(label)s.") % {"label": label}})
    return record


def _interaction_links(actor, *, event=_UNSET, program=_UNSET, agreement=_UNSET) -> dict:

    links = {}
    if event is not _UNSET:
        links["event"] = _visible_or_unknown(actor, Event.objects.all(), event, "event", _("event"))
    if program is not _UNSET:
        links["program"] = _visible_or_unknown(actor, Program.objects.all(), program, "program", _("program"))
    if agreement is not _UNSET:
        links["agreement"] = _visible_or_unknown(actor, Agreement.objects.all(), agreement, "agreement", _("agreement"))
    return links


@transaction.atomic
def interaction_create(
    *,
    actor,
    organizations: Iterable[str],
    event: int | None = None,
    program: int | None = None,
    agreement: int | None = None,
    **fields,
) -> Interaction:
    """Record one row of the IGO tables: Committee experts and administrators only."""
    if not policies.can_record_committee_work(actor):
        raise PermissionDenied(_committee_only(Interaction))
    reject_unknown_fields(fields, INTERACTION_FIELDS)
    involved = _involved(organizations, "organizations")
    links = _interaction_links(actor, event=event, program=program, agreement=agreement)
    interaction = Interaction(recorded_by=actor if getattr(actor, "pk", None) else None, **links, **fields)
    interaction.full_clean()
    interaction.save()
    interaction.organizations.set(involved)
    return interaction


@transaction.atomic
def interaction_update(
    *,
    actor,
    interaction: Interaction,
    organizations: Iterable[str] | None = None,
    event=_UNSET,
    program=_UNSET,
    agreement=_UNSET,
    **fields,
) -> Interaction:
    reject_unknown_fields(fields, INTERACTION_FIELDS)
    interaction = _committee_record_locked(interaction, actor=actor, allowed=policies.can_edit)
    for name, value in {
        **fields,
        **_interaction_links(actor, event=event, program=program, agreement=agreement),
    }.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    interaction.save()
    if organizations is not None:
        interaction.organizations.set(_involved(organizations, "organizations"))
    return interaction


@transaction.atomic
def interaction_delete(*, actor, interaction: Interaction) -> None:
    interaction = _committee_record_locked(interaction, actor=actor, allowed=policies.can_delete)
    interaction.delete()
