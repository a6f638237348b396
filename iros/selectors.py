"""Reads of organizations and events, given the acting user.

Organizations, regions, thematic areas and events are public reference data (DESIGN.md, "Who sees what"), so
these selectors restrict nothing; panels that show submissions read through the confidentiality policy instead.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import translation
from django_countries import countries

from confidentiality import policies
from contacts.models import Demarche
from contacts.selectors import (
    contact_list_for,
    demarche_designations_visible,
    demarches_addressed_to,
    designation_status,
    may_answer_demarche,
)
from iros.filters import EventFilterSet, IgoTableFilterSet, InteractionFilterSet, OrganizationFilterSet
from iros.models import Agreement, Event, Interaction, Organization, Region, ThematicArea
from portal.kernel.collation import alphabetical_key
from programs.models import Program, ProgramPartner
from programs.selectors import partner_programs_for, program_list_for


def organization_list(*, actor, filters: Mapping[str, Any] | None = None) -> QuerySet[Organization]:
    queryset = Organization.objects.prefetch_related(
        Prefetch("regions", queryset=Region.objects.order_by("name")),
        Prefetch("mandate_areas", queryset=ThematicArea.objects.all()),
    ).order_by("acronym")
    if filters:
        queryset = OrganizationFilterSet(filters, queryset=queryset).qs
    return queryset


def organization_get(*, actor, acronym: str) -> Organization:
    organization = (
        Organization.objects.filter(acronym=acronym)
        .prefetch_related(
            Prefetch("regions", queryset=Region.objects.order_by("name")),
            Prefetch("mandate_areas", queryset=ThematicArea.objects.all()),
        )
        .first()
    )
    if organization is None:
        raise Http404("No such organization.")
    return organization


def organization_events(*, actor, organization: Organization) -> QuerySet[Event]:
    return organization.events.select_related("region").order_by("-start_date", "title")


def event_list(*, actor, filters: Mapping[str, Any] | None = None) -> QuerySet[Event]:
    queryset = (
        Event.objects.select_related("region")
        .annotate(named_participants=Count("participants", distinct=True))
        .order_by("-start_date", "title")
    )
    if filters:
        queryset = EventFilterSet(filters, queryset=queryset).qs
    return queryset


def event_get(*, actor, event_id: int) -> Event:
    event = (
        Event.objects.filter(pk=event_id)
        .select_related("region")
        .prefetch_related(
            Prefetch("participants", queryset=Organization.objects.order_by("acronym")),
            "thematic_areas",
        )
        .first()
    )
    if event is None:
        raise Http404("No such event.")
    return event


def event_get_by_key(*, actor, external_key: str) -> Event | None:
    """The event with this key (`Event.external_key`), or None."""
    return Event.objects.filter(external_key=external_key).first()


def events_named(*, actor, name: str) -> list[Event]:
    """The events a spreadsheet cell may mean by `name`: the event of this ID (digits), else of this key, else of
    this exact title (case aside); up to two, so that the caller tells one from several."""
    if name.isascii() and name.isdigit():
        return list(Event.objects.filter(pk=int(name))[:1]) if int(name) < 2**63 else []
    events = list(Event.objects.filter(external_key=name)[:1])
    return events or list(Event.objects.filter(title__iexact=name).order_by("pk")[:2])


# --- the IGO tables: the Committee's interactions with IROs -------------------------------------------------
# Interactions, agreements and demarches are read through the visibility policy: every count below counts
# only rows the actor may see.


def igo_organizations_for(*, actor) -> QuerySet[Organization]:
    """The IGO table's rows `actor` may read: every organization for the Committee and administrators, an IRO
    user's own organization only, none for anyone else."""
    return _table_policy().table_organizations(policies.viewer_for(actor), Organization.objects.all())


def may_change_identity(user, organization: Organization) -> bool:
    """May `user` change what identifies `organization` (its name and kind), beyond its profile?"""
    return policies.policy_for(Organization).can_change_identity(policies.viewer_for(user), organization)


def _table_policy():
    return policies.policy_for(Interaction)


def reads_every_igo_table(*, actor) -> bool:
    return _table_policy().reads_every_table(policies.viewer_for(actor))


def can_read_igo_table(*, actor, organization: Organization) -> bool:
    return _table_policy().can_read_table(policies.viewer_for(actor), organization)


def igo_organization_get(*, actor, acronym: str) -> Organization:
    """One IRO's chronological table: 404 for a missing organization and for another IRO's table alike."""
    organization = igo_organizations_for(actor=actor).filter(acronym=acronym).first()
    if organization is None:
        raise Http404("No such organization.")
    return organization


def interaction_list_for(*, actor, filters: Mapping[str, Any] | None = None) -> QuerySet[Interaction]:
    """Interactions `actor` may see, newest first, narrowed by `InteractionFilterSet` params."""

    queryset = (
        Interaction.objects.select_related("event", "agreement", "program")
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("acronym")))
        .order_by("-date", "-id")
    )
    queryset = policies.visible_to(actor, queryset).annotate(
        # A linked program or agreement is shown only to those who may see it, decided in the same query.
        program_visible=Exists(policies.visible_to(actor, Program.objects.filter(pk=OuterRef("program_id")))),
        agreement_visible=Exists(policies.visible_to(actor, Agreement.objects.filter(pk=OuterRef("agreement_id")))),
    )
    if filters:
        queryset = InteractionFilterSet(filters, queryset=queryset).qs
    return queryset


def igo_interactions_for(*, actor, filters: Mapping[str, Any] | None = None) -> QuerySet[Interaction]:
    """The interactions behind the IGO table `actor` reads: visible ones involving one of its rows (an IRO
    user's table holds its own organization's interactions, not the public ones of others)."""
    queryset = interaction_list_for(actor=actor, filters=filters)
    if reads_every_igo_table(actor=actor):
        return queryset
    involved = Interaction.organizations.through.objects.filter(
        organization_id__in=igo_organizations_for(actor=actor).values("pk")
    ).values("interaction_id")
    return queryset.filter(pk__in=involved)


def interaction_get_for(*, actor, interaction_id) -> Interaction:
    """The interaction, or Http404 when it is missing or hidden from `actor`."""
    return policies.get_visible_or_404(actor, Interaction.objects.all(), pk=interaction_id)


def interaction_get_by_key_for(*, actor, external_key: str) -> Interaction | None:
    """The interaction with this key (`Interaction.external_key`) if `actor` may see it, else None."""
    return policies.visible_to(actor, Interaction.objects.filter(external_key=external_key)).first()


def interaction_related_for(*, actor, interaction: Interaction) -> dict:
    """What an interaction's page shows around it, as far as `actor` may see it: the organizations involved, with
    whether `actor` reads each one's IGO table; the event; the program and the agreement (None when hidden)."""
    viewer_reads_every_table = reads_every_igo_table(actor=actor)
    own = policies.own_organization(actor)
    organizations = [
        {
            "organization": organization,
            "reads_table": viewer_reads_every_table or (own is not None and own.pk == organization.pk),
        }
        for organization in interaction.organizations.order_by("acronym")
    ]
    program = agreement = None
    if interaction.program_id is not None:
        program = program_list_for(actor=actor).filter(pk=interaction.program_id).first()
    if interaction.agreement_id is not None:
        agreement = policies.visible_to(actor, Agreement.objects.filter(pk=interaction.agreement_id)).first()
    return {"organizations": organizations, "event": interaction.event, "program": program, "agreement": agreement}


def interaction_get_for_edit(*, actor, interaction_id) -> Interaction:
    """404 when hidden, 403 when visible but not editable by `actor`."""
    interaction = interaction_get_for(actor=actor, interaction_id=interaction_id)
    if not policies.can_edit(actor, interaction):
        raise PermissionDenied
    return interaction


@dataclass(frozen=True)
class IgoRow:
    organization: Organization
    counts: list[tuple[str, int]]  # (kind, count), in the table's column order
    total: int
    last_date: date | None


@dataclass(frozen=True)
class IgoTable:
    kinds: list[str]  # the columns: Interaction.Kind values
    rows: list[IgoRow]
    totals: list[tuple[str, int]]  # distinct interactions per kind over the rows shown
    total: int


def igo_table(*, actor, filters: Mapping[str, Any] | None = None, only_active: bool = False) -> IgoTable:
    """One row per IRO the actor may read, one column per kind of interaction; counts in SQL.

    `filters` are `IgoTableFilterSet` params: `year` and `kind` narrow the interactions counted, `region` the rows
    (organizations serving the region or a region inside it).
    """
    filterset = IgoTableFilterSet(filters or None, queryset=policies.visible_to(actor, Interaction.objects.all()))
    counted = filterset.qs  # the filters are optional: invalid values are ignored like absent ones
    cleaned = filterset.form.cleaned_data if filterset.is_bound and filterset.form.is_valid() else {}
    kind = cleaned.get("kind")
    kinds = [kind] if kind else list(Interaction.Kind.values)

    rows = igo_organizations_for(actor=actor)
    if cleaned.get("region") is not None:
        rows = OrganizationFilterSet({"region": cleaned["region"].code}, queryset=rows).qs
    # One join organization -> interaction: each pair appears once, so plain counts need no DISTINCT.
    counted_ids = counted.values("pk")
    in_scope = Q(interactions__in=counted_ids)
    annotations = {
        f"igo_{value}": Count("interactions", filter=in_scope & Q(interactions__kind=value)) for value in kinds
    }
    rows = rows.annotate(
        igo_total=Count("interactions", filter=in_scope),
        igo_last=Max("interactions__date", filter=in_scope),
        **annotations,
    ).order_by("acronym")
    if only_active:
        rows = rows.filter(igo_total__gt=0)
    table_rows = [
        IgoRow(
            organization=organization,
            counts=[(value, getattr(organization, f"igo_{value}")) for value in kinds],
            total=organization.igo_total,
            last_date=organization.igo_last,
        )
        for organization in rows
    ]

    # Totals count each interaction once, even when several organizations of the table took part in it.
    involving_rows = Interaction.organizations.through.objects.filter(organization_id__in=rows.values("pk")).values(
        "interaction_id"
    )
    totals = counted.filter(pk__in=involving_rows).aggregate(
        igo_total=Count("pk"), **{f"igo_{value}": Count("pk", filter=Q(kind=value)) for value in kinds}
    )
    return IgoTable(
        kinds=kinds,
        rows=table_rows,
        totals=[(value, totals[f"igo_{value}"]) for value in kinds],
        total=totals["igo_total"],
    )


@dataclass(frozen=True)
class TimelineEntry:
    date: date
    date_display: str
    category: str  # "interaction", "event", "agreement" or "demarche"
    record: Any


def organization_timeline(*, actor, organization: Organization, year: int | None = None) -> list[TimelineEntry]:
    """One IRO's chronological table: its interactions, the events it attended, its agreements and, for the
    Committee and administrators, the demarches sent to it; newest first, each list read through the policy."""

    interactions = interaction_list_for(actor=actor, filters={"organization": organization.acronym})
    events = organization_events(actor=actor, organization=organization)
    agreements = policies.visible_to(actor, Agreement.objects.filter(parties=organization)).prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("acronym"))
    )
    demarches = Demarche.objects.none()
    if policies.can_record_committee_work(actor):
        demarches = policies.visible_to(actor, Demarche.objects.filter(organization=organization)).select_related(
            "sent_by", "organization", "designation"
        )
    if year:
        interactions = interactions.filter(date__year=year)
        events = events.filter(start_date__year=year)
        agreements = agreements.filter(signed_on__year=year)
        demarches = demarches.filter(sent_on__year=year)

    entries = [TimelineEntry(item.date, item.date_display, "interaction", item) for item in interactions]
    entries += [TimelineEntry(item.start_date, "", "event", item) for item in events]
    entries += [
        TimelineEntry(item.signed_on, item.signed_on_display, "agreement", item)
        for item in agreements
        if item.signed_on is not None
    ]
    demarches = list(demarches)
    # The organization's answer shows in its row; the contact that answered names only whom the viewer may read.
    visible_designations = demarche_designations_visible(actor=actor, demarches=demarches)
    for demarche in demarches:
        demarche.designation_visible = demarche.designation_id in visible_designations
    entries += [TimelineEntry(item.sent_on, "", "demarche", item) for item in demarches]
    return sorted(entries, key=lambda entry: (entry.date, entry.category), reverse=True)


def organization_undated_agreements(*, actor, organization: Organization) -> QuerySet[Agreement]:
    return policies.visible_to(actor, Agreement.objects.filter(parties=organization, signed_on__isnull=True))


def interaction_form_choices(*, actor) -> dict[str, QuerySet]:
    """What the interaction form offers to link: events (public) and the agreements `actor` may see."""
    return {
        "events": Event.objects.order_by("-start_date", "title"),
        "agreements": policies.visible_to(actor, Agreement.objects.order_by("-signed_on", "title")),
    }


# --- the confidential panels of an organization's profile page ---------------------------------------------
# Each panel holds only what the viewer may see, and no panel counts or hints at hidden records: a panel with
# nothing visible reads the same whether nothing exists or nothing was shared.

PANEL_LIMIT = 10
DEMARCHE_PANEL_LIMIT = 5


def _newest(queryset, limit: int = PANEL_LIMIT) -> tuple[list, bool]:
    """The first `limit` rows and whether there are more (one query, no count)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def organization_panels(*, actor, organization: Organization) -> dict:
    """The context of the profile's designation, contacts, programs, agreements and interactions panels."""
    programs, more_programs = _newest(program_list_for(actor=actor).filter(organization=organization))
    partner_programs, more_partner_programs = _newest(
        partner_programs_for(actor=actor, organization=organization)
        .exclude(organization=organization)  # its own programs, where it lists itself as lead, are above
        .prefetch_related(
            Prefetch(
                "partnerships",
                queryset=ProgramPartner.objects.filter(organization=organization),
                to_attr="roles_of_organization",
            )
        )
    )
    interactions, more_interactions = _newest(
        policies.visible_to(actor, Interaction.objects.filter(organizations=organization))
        .prefetch_related(Prefetch("organizations", queryset=Organization.objects.order_by("acronym")))
        .order_by("-date", "-id")
    )
    agreements = policies.visible_to(actor, Agreement.objects.filter(parties=organization)).prefetch_related(
        Prefetch("parties", queryset=Organization.objects.order_by("acronym"))
    )
    contacts = (
        contact_list_for(actor=actor)
        .filter(organization=organization, until__isnull=True)
        .order_by("role", "-state", "-since", "-id")
    )
    demarches = demarches_addressed_to(actor=actor, organization=organization, limit=DEMARCHE_PANEL_LIMIT)
    for demarche in demarches:
        demarche.may_answer = may_answer_demarche(actor=actor, demarche=demarche)
    return {
        "designation": designation_status(organizations=[organization])[0],
        # The Committee's demarches to it: for the Committee, administrators and the organization itself.
        "panel_demarches": demarches,
        "panel_contacts": list(contacts),
        "can_designate": policies.can_create_submission(actor, organization),
        "can_edit_profile": policies.can_edit(actor, organization),
        "panel_programs": programs,
        "more_programs": more_programs,
        "panel_partner_programs": partner_programs,
        "more_partner_programs": more_partner_programs,
        "panel_agreements": list(agreements),
        "panel_interactions": interactions,
        "more_interactions": more_interactions,
        # The per-IRO IGO table is the Committee's; an organization sees its own rows.
        "show_igo_link": can_read_igo_table(actor=actor, organization=organization),
    }


# --- options of the searchable selects (portal.kernel.forms.SearchableSelect) ----------------------------------
# Reference data only: organizations by acronym and name, countries by code and name. Never a record.

OPTIONS_LIMIT = 20


def organization_options(*, actor, query: str, limit: int = OPTIONS_LIMIT) -> list[dict[str, str]]:
    """The organizations whose acronym or name contains `query` (all of them when it is empty), as select options
    ("ACRONYM — Name", chosen by acronym), acronyms starting with it first, at most `limit`."""
    query = query.strip()
    organizations = Organization.objects.only("acronym", "name")
    if query:
        organizations = organizations.filter(Q(acronym__icontains=query) | Q(name__unaccent__icontains=query))
    rows = sorted(organizations, key=lambda row: (not row.acronym.casefold().startswith(query.casefold()), row.acronym))
    return [{"value": row.acronym, "text": f"{row.acronym} — {row.name}"} for row in rows[:limit]]


def country_options(*, actor, query: str, limit: int = OPTIONS_LIMIT) -> list[dict[str, str]]:
    """The countries whose name in the active language or in English, or ISO code, matches `query` (case and
    accents ignored: "cote" finds Côte d'Ivoire, "germ" Allemagne for a French reader): the country of that
    code first, then names starting with it, at most `limit`."""
    wanted = alphabetical_key(query.strip())
    with translation.override("en"):
        english = {code: alphabetical_key(name) for code, name in countries}
    matches = []
    for code, name in countries:
        folded = alphabetical_key(name)
        names = (folded, english[code])
        rank = 0 if wanted == code.casefold() else 1 if any(each.startswith(wanted) for each in names) else 2
        if rank < 2 or any(wanted in each for each in names):
            matches.append((rank, folded, code, name))
    return [{"value": code, "text": str(name)} for _rank, _folded, code, name in sorted(matches)[:limit]]
