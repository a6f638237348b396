"""Writing organizations, outreach events, agreements and the Committee's interactions with IROs (the IGO tables)."""

from __future__ import annotations

from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django_countries import countries

from confidentiality import policies
from iros.models import Agreement, Event, Interaction, Organization, Region, ThematicArea

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
)
AGREEMENT_FIELDS = ("title", "kind", "committee_is_party", "signed_on", "signed_on_precision", "summary")
INTERACTION_FIELDS = ("date", "date_precision", "kind", "summary", "outcome", "follow_up", "follow_up_due", "public")


def _by_codes(model, field: str, codes: Iterable, error_field: str) -> list:
    codes = list(dict.fromkeys(str(code) for code in codes))
    found = {getattr(obj, field): obj for obj in model.objects.filter(**{f"{field}__in": codes})}
    missing = [code for code in codes if code not in found]
    if missing:
        raise ValidationError({error_field: _("Unknown codes: %(codes)s.") % {"codes": ", ".join(missing)}})
    return [found[code] for code in codes]


def _organizations(acronyms: Iterable, error_field: str) -> list[Organization]:
    acronyms = list(dict.fromkeys(str(acronym) for acronym in acronyms))
    found = {org.acronym: org for org in Organization.objects.filter(acronym__in=acronyms)}
    missing = [acronym for acronym in acronyms if acronym not in found]
    if missing:
        raise ValidationError(
            {error_field: _("Unknown organizations: %(acronyms)s.") % {"acronyms": ", ".join(missing)}}
        )
    return [found[acronym] for acronym in acronyms]


def _countries(codes: Iterable, error_field: str) -> list[str]:
    codes = list(dict.fromkeys(str(code).upper() for code in codes))
    unknown = [code for code in codes if code not in countries]
    if unknown:
        raise ValidationError(
            {error_field: _("Unknown country codes (ISO 3166-1 alpha-2): %(codes)s.") % {"codes": ", ".join(unknown)}}
        )
    return codes


def _reject_unknown(fields: dict, allowed: Iterable[str]) -> None:
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in sorted(unknown)})


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
    if not policies.viewer_for(actor).is_admin:
        raise PermissionDenied(_("Only administrators add organizations."))
    from confidentiality.services import organization_group_ensure

    organization = Organization(
        acronym=acronym,
        name=name,
        kind=kind,
        seat=seat,
        website=website,
        description=description,
        member_states=_countries(member_states, "member_states"),
    )
    organization.full_clean()
    organization.save()
    organization.regions.set(_by_codes(Region, "code", regions, "regions"))
    organization.mandate_areas.set(_by_codes(ThematicArea, "code", mandate_areas, "mandate_areas"))
    organization_group_ensure(organization)
    return organization


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
    if not policies.can_edit(actor, organization):
        raise PermissionDenied(_("You may not change this organization."))
    _reject_unknown(fields, ORGANIZATION_PROFILE_FIELDS + ORGANIZATION_ADMIN_FIELDS)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    admin_changes = [
        name for name in ORGANIZATION_ADMIN_FIELDS if name in fields and fields[name] != getattr(organization, name)
    ]
    if admin_changes and not policies.viewer_for(actor).is_admin:
        raise PermissionDenied(_("Only administrators change an organization's name and kind."))
    for name, value in fields.items():
        setattr(organization, name, value)
    if member_states is not None:
        organization.member_states = _countries(member_states, "member_states")
    organization.full_clean()
    organization.save()
    if regions is not None:
        organization.regions.set(_by_codes(Region, "code", regions, "regions"))
    if mandate_areas is not None:
        organization.mandate_areas.set(_by_codes(ThematicArea, "code", mandate_areas, "mandate_areas"))
    return organization


# --- events -------------------------------------------------------------------------------------------------


def _event_relations(event: Event, *, thematic_areas, participants) -> None:
    if thematic_areas is not None:
        event.thematic_areas.set(_by_codes(ThematicArea, "code", thematic_areas, "thematic_areas"))
    if participants is not None:
        event.participants.set(_organizations(participants, "participants"))


def _event_region(region) -> Region | None:
    if region is None or isinstance(region, Region):
        return region
    return _by_codes(Region, "code", [region], "region")[0]


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
        raise PermissionDenied(_("Only Committee experts and administrators record events."))
    _reject_unknown(fields, EVENT_FIELDS)
    if fields.get("country"):
        fields["country"] = _countries([fields["country"]], "country")[0]
    event = Event(region=_event_region(region), **fields)
    event.full_clean()
    event.save()
    _event_relations(event, thematic_areas=thematic_areas, participants=participants)
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
    if not policies.can_edit(actor, event):
        raise PermissionDenied(_("Only Committee experts and administrators record events."))
    _reject_unknown(fields, EVENT_FIELDS)
    event = Event.objects.select_for_update().get(pk=event.pk)
    if fields.get("country"):
        fields["country"] = _countries([fields["country"]], "country")[0]
    for name, value in fields.items():
        setattr(event, name, value)
    if region is not _UNSET:
        event.region = _event_region(region)
    event.full_clean()
    event.save()
    _event_relations(event, thematic_areas=thematic_areas, participants=participants)
    return event


@transaction.atomic
def event_delete(*, actor, event: Event) -> None:
    if not policies.can_delete(actor, event):
        raise PermissionDenied(_("Only Committee experts and administrators record events."))
    event.delete()


# --- agreements -----------------------------------------------------------------------------------------------


def _agreement_parties(parties: Iterable[str]) -> list[Organization]:
    involved = _organizations(parties, "parties")
    if not involved:
        raise ValidationError({"parties": _("Name at least one organization.")})
    return involved


@transaction.atomic
def agreement_create(*, actor, parties: Iterable[str], **fields) -> Agreement:
    """Record an agreement between IROs (and the Committee): Committee experts and administrators only."""
    if not policies.can_record_committee_work(actor):
        raise PermissionDenied(_("Only Committee experts and administrators record agreements."))
    _reject_unknown(fields, AGREEMENT_FIELDS)
    involved = _agreement_parties(parties)
    agreement = Agreement(**fields)
    agreement.full_clean()
    agreement.save()
    agreement.parties.set(involved)
    return agreement


@transaction.atomic
def agreement_update(*, actor, agreement: Agreement, parties: Iterable[str] | None = None, **fields) -> Agreement:
    if not policies.can_edit(actor, agreement):
        raise PermissionDenied(_("Only Committee experts and administrators record agreements."))
    _reject_unknown(fields, AGREEMENT_FIELDS)
    involved = None if parties is None else _agreement_parties(parties)
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
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
    from programs.models import Program

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
        raise PermissionDenied(_("Only Committee experts and administrators record interactions."))
    _reject_unknown(fields, INTERACTION_FIELDS)
    involved = _organizations(organizations, "organizations")
    if not involved:
        raise ValidationError({"organizations": _("Name at least one organization.")})
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
    if not policies.can_edit(actor, interaction):
        raise PermissionDenied(_("Only Committee experts and administrators record interactions."))
    _reject_unknown(fields, INTERACTION_FIELDS)
    interaction = Interaction.objects.select_for_update().get(pk=interaction.pk)
    for name, value in {
        **fields,
        **_interaction_links(actor, event=event, program=program, agreement=agreement),
    }.items():
        setattr(interaction, name, value)
    interaction.full_clean()
    interaction.save()
    if organizations is not None:
        involved = _organizations(organizations, "organizations")
        if not involved:
            raise ValidationError({"organizations": _("Name at least one organization.")})
        interaction.organizations.set(involved)
    return interaction


@transaction.atomic
def interaction_delete(*, actor, interaction: Interaction) -> None:
    if not policies.can_delete(actor, interaction):
        raise PermissionDenied(_("Only Committee experts and administrators record interactions."))
    interaction.delete()
