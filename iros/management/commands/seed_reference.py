"""`manage.py seed_reference`: load the reference data of `iros.reference_data`, idempotently.

Every row is found by its natural key and updated in place, so running the command again changes nothing and
creates nothing twice. The whole load is one transaction.
"""

from django.core.management.base import BaseCommand
from django.db import transaction

from confidentiality.models import Audience, State
from confidentiality.services import grants_rebuild, organization_group_ensure
from contacts.models import RegionalCoordinator
from iros import reference_data
from iros.models import Agreement, Event, Interaction, Organization, Region, ThematicArea
from programs.models import Program, ProgramPartner


class Command(BaseCommand):
    help = "Load codes, regions, organizations, coordinators, events, agreements and interactions named in the seed."

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            counts = seed_reference()
        summary = ", ".join(f"{count} {label}" for label, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Reference data loaded: {summary}."))


def seed_reference() -> dict[str, int]:
    """Create or update every reference row; return the number of rows of each kind now in the database."""
    _seed_thematic_areas()
    regions = _seed_regions()
    organizations = _seed_organizations(regions)
    for organization in organizations.values():
        organization_group_ensure(organization)
    _seed_coordinators(organizations, regions)
    events = _seed_events(organizations)
    agreements = _seed_agreements(organizations)
    _seed_interactions(organizations, events, agreements)
    programs = _seed_programs(organizations, regions)
    grants_rebuild(Program, queryset=Program.objects.filter(pk__in=[program.pk for program in programs]))
    return {
        "thematic areas": ThematicArea.objects.count(),
        "regions": Region.objects.count(),
        "organizations": Organization.objects.count(),
        "regional coordinators": RegionalCoordinator.objects.count(),
        "events": Event.objects.count(),
        "agreements": Agreement.objects.count(),
        "interactions": Interaction.objects.count(),
        "programs": Program.objects.count(),
    }


def _upsert(model, *, defaults: dict, create_defaults: dict | None = None, **lookup):
    """update_or_create that writes only what differs: a second run saves nothing, so it adds no history rows
    and moves no `updated` timestamps."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **(defaults if create_defaults is None else create_defaults))
    changed = [name for name, value in defaults.items() if getattr(instance, name) != value]
    if changed:
        for name in changed:
            setattr(instance, name, defaults[name])
        instance.save()
    return instance


def _seed_thematic_areas() -> None:
    positions: dict[str, int] = {}
    for code, family, name in reference_data.THEMATIC_AREAS:
        positions[family] = positions.get(family, 0) + 1
        _upsert(
            ThematicArea,
            code=code,
            defaults={
                "family": family,
                "name": name,
                "name_translations": reference_data.THEMATIC_AREA_NAMES.get(code, {}),
                "position": positions[family],
            },
        )


def _seed_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, parent_code in reference_data.REGIONS:
        regions[code] = _upsert(
            Region,
            code=code,
            defaults={
                "name": name,
                "name_translations": reference_data.REGION_NAMES.get(code, {}),
                "parent": regions[parent_code] if parent_code else None,
            },
        )
    return regions


def _seed_organizations(regions: dict[str, Region]) -> dict[str, Organization]:
    organizations: dict[str, Organization] = {}
    for acronym, name, kind, scope, seat in reference_data.ORGANIZATIONS:
        organization = _upsert(Organization, acronym=acronym, defaults={"name": name, "kind": kind, "seat": seat})
        organization.regions.set([regions[code] for code in reference_data.SCOPES[scope]])
        organizations[acronym] = organization
    return organizations


def _seed_coordinators(organizations: dict[str, Organization], regions: dict[str, Region]) -> None:
    for row in reference_data.REGIONAL_COORDINATORS:
        coordinator = _upsert(
            RegionalCoordinator,
            host=organizations[row["host"]],
            area=row["area"],
            defaults={
                "title": row["title"],
                "status": row["status"],
                "since": row["since"],
                "since_precision": row["since_precision"],
                "notes": row["notes"],
            },
        )
        coordinator.regions.set([regions[code] for code in row["regions"]])


def _seed_events(organizations: dict[str, Organization]) -> dict[tuple, Event]:
    events: dict[tuple, Event] = {}
    for row in reference_data.EVENTS:
        fields = {key: value for key, value in row.items() if key not in {"title", "start_date", "participants"}}
        event = _upsert(Event, title=row["title"], start_date=row["start_date"], defaults=fields)
        event.participants.set([organizations[acronym] for acronym in row["participants"]])
        events[(row["title"], row["start_date"])] = event
    return events


def _seed_agreements(organizations: dict[str, Organization]) -> dict[str, Agreement]:
    agreements: dict[str, Agreement] = {}
    for row in reference_data.AGREEMENTS:
        agreement = _upsert(
            Agreement,
            title=row["title"],
            defaults={
                "kind": row["kind"],
                "committee_is_party": row["committee_is_party"],
                "signed_on": row["signed_on"],
                "signed_on_precision": row["signed_on_precision"],
                "summary": row["summary"],
            },
        )
        agreement.parties.set([organizations[acronym] for acronym in row["parties"]])
        agreements[row["title"]] = agreement
    return agreements


def _seed_interactions(
    organizations: dict[str, Organization], events: dict[tuple, Event], agreements: dict[str, Agreement]
) -> None:
    for row in reference_data.INTERACTIONS:
        interaction = _upsert(
            Interaction,
            kind=row["kind"],
            date=row["date"],
            agreement=agreements[row["agreement"]] if row["agreement"] else None,
            event=events[row["event"]] if row["event"] else None,
            defaults={"date_precision": row["date_precision"], "summary": row["summary"], "public": row["public"]},
        )
        interaction.organizations.set([organizations[acronym] for acronym in row["organizations"]])


def _seed_programs(organizations: dict[str, Organization], regions: dict[str, Region]) -> list[Program]:
    thematic_areas = {area.code: area for area in ThematicArea.objects.all()}
    programs: list[Program] = []
    for row in reference_data.PROGRAMS:
        program = _upsert(
            Program,
            organization=organizations[row["owner"]],
            title=row["title"],
            defaults={
                "summary": row["summary"],
                "status": row["status"],
                "beneficiary_countries": list(row["beneficiary_countries"]),
                "funding_states": list(row["funding_states"]),
            },
            # Only on creation: afterwards the owner may change the audience through the confidentiality service,
            # and re-seeding must not undo it.
            create_defaults={
                "summary": row["summary"],
                "status": row["status"],
                "beneficiary_countries": list(row["beneficiary_countries"]),
                "funding_states": list(row["funding_states"]),
                "state": State.SUBMITTED,
                "audience": Audience.PUBLIC,
            },
        )
        program.thematic_areas.set([thematic_areas[code] for code in row["thematic_areas"]])
        program.regions.set([regions[code] for code in row["regions"]])
        for acronym, role in row["partners"]:
            ProgramPartner.objects.get_or_create(program=program, organization=organizations[acronym], role=role)
        programs.append(program)
    return programs
